// Quick fixes for the diagnostics in a code action request: the core's fixes
// of the finding under each (the one it prefers marked preferred, "Disable
// <rule> for this line" among them), "Disable <rule> for this line" on a Helm
// template line (see templateDisableFix), and "Disable <rule> for this
// document" (YAML only: JSON has no comments; loose manifests only). Offered
// only when the client's text is the analysed one, so the edits' offsets are
// true.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { Finding, Fix } from '../core/findings/types';
import { disableDocumentEdit, supportsComments } from '../extension/suppressions';
import { templateDisableFix } from '../core/workspace/template-fixes';
import { DIAGNOSTIC_SOURCE, rangeOf } from './diagnostics';
import { keyOf, uriOf, type ServerWorkspace } from './workspace';

function sameRange(a: Diagnostic['range'], b: Diagnostic['range'] | undefined): boolean {
  return b !== undefined && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function quickFixes(ws: ServerWorkspace, uri: string, text: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  if (!ws.isCurrent(uri, text)) return [];
  const key = keyOf(uri);
  const findings = ws.findingsFor(key);
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== 'string') continue;
    const finding = findings.find((f) => f.rule === d.code && sameRange(d.range, rangeOf(ws, f.loc)));
    if (!finding) continue;
    for (const fix of finding.fixes) actions.push(action(ws, fix, d));
    const templateFix = !finding.fixes.some((x) => x.title.startsWith('Disable ')) && ws.renders.isHelmTemplate(key) ? templateDisableFix(finding, text) : undefined;
    if (templateFix) actions.push(action(ws, templateFix, d));
    // A render's files (templates, values, patches) are not the YAML documents analysed: a comment there does not silence a rendered finding.
    const docFix = ws.isLoose(key) ? disableForDocument(key, text, finding) : undefined;
    if (docFix) actions.push(action(ws, docFix, d));
  }
  return actions;
}

function action(ws: ServerWorkspace, fix: Fix, d: Diagnostic): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) {
    const range = rangeOf(ws, e.loc);
    if (!range) continue;
    (changes[uriOf(e.loc.file)] ??= []).push({ range, newText: e.newText });
  }
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred === true, edit: { changes } };
}

function disableForDocument(key: string, text: string, f: Finding): Fix | undefined {
  if (!supportsComments(key)) return undefined;
  const e = disableDocumentEdit(text, f.loc.start, f.rule);
  if (!e) return undefined;
  return { title: `Disable ${f.rule} for this document`, edits: [{ loc: { file: f.loc.file, start: e.start, end: e.end }, newText: e.newText }] };
}
