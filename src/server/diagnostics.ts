// Findings as LSP diagnostics: the rule id as the code, linked to its section
// of the README (as SARIF's helpUri), the related locations as related
// information. Ranges are UTF-16 positions in the analysed text, as LSP's
// default position encoding and the core's string offsets both are.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { Finding, Severity } from '../core/findings/types';
import type { Loc } from '../core/model/types';
import { ruleDocsUrl } from '../core/rules/catalogue';
import { DIAGNOSTIC_SOURCE } from '../core/config/facts';
import { uriOf, type ServerWorkspace } from './workspace';

export { DIAGNOSTIC_SOURCE };

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function rangeOf(ws: ServerWorkspace, loc: Loc): Range | undefined {
  const doc = ws.documentOf(loc.file);
  if (!doc) return undefined;
  return { start: doc.positionAt(loc.start), end: doc.positionAt(loc.end) };
}

export function toDiagnostic(ws: ServerWorkspace, f: Finding): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of f.related) {
    const range = rangeOf(ws, r.loc);
    if (range) related.push({ location: { uri: uriOf(r.loc.file), range }, message: r.message });
  }
  const diagnostic: Diagnostic = {
    range: rangeOf(ws, f.loc) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocsUrl(f.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

export function diagnosticsFor(ws: ServerWorkspace, key: string): Diagnostic[] {
  return ws.findingsFor(key).map((f) => toDiagnostic(ws, f));
}
