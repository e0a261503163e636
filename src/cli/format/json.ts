// `--format json`: one object, version 1. Lines and columns are 1-based; an
// end column points just after the last character (like SARIF's endColumn).
import { counts, rangeOf, type LintReport, type PartialRead } from './types';
import { jsonTerminalSafe } from '../../view-model/terminal-safe';

export function formatJson(report: LintReport): string {
  const out = {
    version: 1,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: f.loc.file,
      range: rangeOf(report, f.loc.file, f.loc.start, f.loc.end),
      object: f.object ? { kind: f.object.kind, namespace: f.object.namespace, name: f.object.name } : null,
      related: f.related.map((r) => ({ file: r.loc.file, range: rangeOf(report, r.loc.file, r.loc.start, r.loc.end), message: r.message })),
      fixes: f.fixes.map((x) => ({
        title: x.title,
        edits: x.edits.map((e) => ({ file: e.loc.file, range: rangeOf(report, e.loc.file, e.loc.start, e.loc.end), newText: e.newText })),
      })),
    })),
    summary: { files: report.files, objects: report.objects, ...counts(report.findings) },
    // A live cluster's run: what could not be read (empty: a complete read) and the rules not applied because of it;
    // a run on files: the paths that could not be read, when there are any.
    ...unreadJson(report),
  };
  return `${jsonTerminalSafe(JSON.stringify(out, null, 2))}\n`;
}

function unreadJson(report: LintReport): { unread?: unknown[]; notChecked?: unknown[] } {
  const paths = (report.unreadPaths ?? []).map((u) => ({ path: u.path, reason: u.reason, consequence: u.consequence }));
  if (report.partial) {
    const partial = partialJson(report.partial);
    return { ...partial, unread: [...partial.unread, ...paths] };
  }
  return paths.length > 0 ? { unread: paths } : {};
}

/** The `unread` and `notChecked` fields of a live cluster's JSON output (lint, trace, connectivity). */
export function partialJson(partial: PartialRead): { unread: unknown[]; notChecked: unknown[] } {
  return {
    unread: partial.unread.map((u) => ({ resource: u.resource, namespace: u.namespace ?? null, reason: u.reason, consequence: u.consequence })),
    notChecked: partial.notChecked.map((w) => ({ rule: w.rule, because: w.because })),
  };
}
