// Quick fixes for the diagnostics in a code action request: the fixes the
// core offers for the finding under each (offeredFixes, shared with the VS
// Code extension), as LSP code actions. Offered only when the client's text
// is the analysed one, so the edits' offsets are true.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { Fix } from '../core/findings/types';
import { offeredFixes } from '../core/editor/quick-fixes';
import { DIAGNOSTIC_SOURCE, rangeOf } from './diagnostics';
import { keyOf, uriOf, type ServerWorkspace } from './workspace';

function sameRange(a: Diagnostic['range'], b: Diagnostic['range'] | undefined): boolean {
  return b !== undefined && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function quickFixes(ws: ServerWorkspace, uri: string, text: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  if (!ws.isCurrent(uri, text)) return [];
  const key = keyOf(uri);
  const findings = ws.findingsFor(key);
  const file = { text, helmTemplate: ws.renders.isHelmTemplate(key), loose: ws.isLoose(key) };
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== 'string') continue;
    const finding = findings.find((f) => f.rule === d.code && sameRange(d.range, rangeOf(ws, f.loc)));
    if (!finding) continue;
    for (const fix of offeredFixes(finding, file)) actions.push(action(ws, fix, d));
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
