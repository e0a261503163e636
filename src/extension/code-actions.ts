// Quick fixes: the fixes the core offers for the finding under a diagnostic
// (offeredFixes, shared with the language server: the clear one preferred,
// "Disable <rule> for this line / for this document" where a comment works),
// as VS Code code actions. A rendered finding keeps only the fixes the core
// kept: those whose edits land on plain text of a template, values file or
// patch.
import * as vscode from 'vscode';
import type { Fix } from '../core/findings/types';
import { offeredFixes } from '../core/editor/quick-fixes';
import { ruleOf } from './diagnostics';
import type { WorkspaceIndex } from './workspace-index';

export class QuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly index: WorkspaceIndex) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Offsets in findings are into the analysed text: a fix is offered only when that is the document's text.
    if (!this.index.isCurrent(doc)) return [];
    const findings = this.index.findingsFor(doc.uri);
    const file = { text: doc.getText(), helmTemplate: this.index.isHelmTemplate(doc.uri), loose: this.index.isLoose(doc.uri) };
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const rule = ruleOf(d);
      if (!rule) continue;
      const finding = findings.find((f) => f.rule === rule && this.index.rangeOf(f.loc).isEqual(d.range));
      if (!finding) continue;
      for (const fix of offeredFixes(finding, file)) actions.push(this.action(fix, d));
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
}
