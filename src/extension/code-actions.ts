// Quick fixes: the core's fixes for the finding under a diagnostic (the clear
// one preferred), its "Disable <rule> for this line", and "Disable <rule> for
// this document" (YAML only: JSON has no comments; loose manifests only). A
// rendered finding keeps only the fixes the core kept: those whose edits land
// on plain text of a template, values file or patch.
import * as vscode from 'vscode';
import type { Finding, Fix } from '../core/findings/types';
import { ruleOf } from './diagnostics';
import { templateDisableFix } from '../core/workspace/template-fixes';
import { disableDocumentEdit, supportsComments } from './suppressions';
import type { WorkspaceIndex } from './workspace-index';

export class QuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly index: WorkspaceIndex) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Offsets in findings are into the analysed text: a fix is offered only when that is the document's text.
    if (!this.index.isCurrent(doc)) return [];
    const findings = this.index.findingsFor(doc.uri);
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const rule = ruleOf(d);
      if (!rule) continue;
      const finding = findings.find((f) => f.rule === rule && this.index.rangeOf(f.loc).isEqual(d.range));
      if (!finding) continue;
      for (const fix of finding.fixes) actions.push(this.action(fix, d));
      const templateFix = this.disableInTemplate(doc, finding);
      if (templateFix) actions.push(this.action(templateFix, d));
      const docFix = this.disableForDocument(doc, finding);
      if (docFix) actions.push(this.action(docFix, d));
    }
    return actions;
  }

  private action(fix: Fix, d: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [d];
    action.isPreferred = fix.preferred === true;
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) {
      const uri = this.index.uriOf(e.loc.file);
      if (uri) edit.replace(uri, this.index.rangeOf(e.loc), e.newText);
    }
    action.edit = edit;
    return action;
  }

  /** "Disable … for this line" on a Helm template line (the core's own is for the rendered text). */
  private disableInTemplate(doc: vscode.TextDocument, f: Finding): Fix | undefined {
    if (f.fixes.some((x) => x.title.startsWith('Disable ')) || !this.index.isHelmTemplate(doc.uri)) return undefined;
    return templateDisableFix(f, doc.getText());
  }

  private disableForDocument(doc: vscode.TextDocument, f: Finding): Fix | undefined {
    // A render's files (templates, values, patches) are not the YAML documents analysed: a comment there does not silence a rendered finding.
    if (!supportsComments(doc.uri.path) || !this.index.isLoose(doc.uri)) return undefined;
    const text = doc.getText();
    const e = disableDocumentEdit(text, f.loc.start, f.rule);
    if (!e) return undefined;
    return { title: `Disable ${f.rule} for this document`, edits: [{ loc: { file: f.loc.file, start: e.start, end: e.end }, newText: e.newText }] };
  }
}
