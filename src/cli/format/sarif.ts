// `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. Every
// catalogue rule is listed in tool.driver.rules (helpUri: the README's rule
// section); artifact URIs are relative, '/'-separated paths; regions are
// 1-based with endColumn just after the last character.
import { README_URL, RULES, ruleDocsUrl } from '../../core/rules/catalogue';
import type { Severity } from '../../core/findings/types';
import { rangeOf, type LintReport } from './types';
import { version } from '../../../package.json';
import { jsonTerminalSafe } from '../../view-model/terminal-safe';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function uri(file: string): string {
  let u = file.split('\\').join('/');
  while (u.startsWith('./')) u = u.slice(2);
  if (/^[A-Za-z]:\//.test(u)) return `file:///${encodeURI(u)}`;
  if (u.startsWith('/')) return `file://${encodeURI(u)}`;
  return encodeURI(u);
}

function region(report: LintReport, file: string, start: number, end: number) {
  const r = rangeOf(report, file, start, end);
  return { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column };
}

export function formatSarif(report: LintReport): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const results = report.findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uri(f.loc.file) },
            region: region(report, f.loc.file, f.loc.start, f.loc.end),
          },
        },
      ],
    };
    const index = ruleIndex.get(f.rule);
    if (index !== undefined) result.ruleIndex = index;
    if (f.related.length > 0) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: { uri: uri(r.loc.file) }, region: region(report, r.loc.file, r.loc.start, r.loc.end) },
        message: { text: r.message },
      }));
    }
    const fixes = f.fixes.filter((x) => !x.title.startsWith('Disable '));
    if (fixes.length > 0) {
      result.fixes = fixes.map((x) => ({
        description: { text: x.title },
        artifactChanges: groupByFile(x.edits).map(([file, edits]) => ({
          artifactLocation: { uri: uri(file) },
          replacements: edits.map((e) => ({
            deletedRegion: region(report, file, e.loc.start, e.loc.end),
            insertedContent: { text: e.newText },
          })),
        })),
      }));
    }
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kni',
            fullName: 'Kubernetes Network Inspector',
            version,
            informationUri: README_URL,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.title,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              helpUri: ruleDocsUrl(r.id),
              help: { text: r.description },
              defaultConfiguration: r.severity === 'off' ? { enabled: false, level: 'note' } : { level: LEVEL[r.severity] },
              properties: { tags: ['kubernetes', r.group] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        ...(report.partial || report.unreadPaths?.length ? { invocations: [invocation(report)] } : {}),
        results,
      },
    ],
  };
  return `${jsonTerminalSafe(JSON.stringify(sarif, null, 2))}\n`;
}

/**
 * The run's invocation: a partial read of a live cluster, or a path that could
 * not be read, is an incomplete run (executionSuccessful false), each unread
 * resource type or path a notification.
 */
function invocation(report: LintReport) {
  const unread = report.partial?.unread ?? [];
  const unreadPaths = report.unreadPaths ?? [];
  const notChecked = report.partial?.notChecked ?? [];
  const notifications: Record<string, unknown>[] = unread.map((u) => ({
    level: 'warning',
    descriptor: { id: 'partial-read' },
    message: { text: `Could not read ${u.resource}${u.namespace ? ` in ${u.namespace}` : ''} (${u.reason}): ${u.consequence}.` },
    properties: { resource: u.resource, ...(u.namespace ? { namespace: u.namespace } : {}), reason: u.reason },
  }));
  for (const u of unreadPaths) {
    notifications.push({
      level: 'error',
      descriptor: { id: 'unreadable-path' },
      message: { text: `Could not read ${u.path}: ${u.reason}; ${u.consequence}.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(u.path) } } }],
    });
  }
  if (notChecked.length > 0) {
    notifications.push({
      level: 'warning',
      descriptor: { id: 'rules-not-applied' },
      message: { text: `Not checked where those resources are unread: ${notChecked.map((w) => w.rule).join(', ')}.` },
    });
  }
  return { executionSuccessful: unread.length === 0 && unreadPaths.length === 0, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) };
}

function groupByFile<T extends { loc: { file: string } }>(edits: T[]): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const e of edits) {
    const list = map.get(e.loc.file);
    if (list) list.push(e);
    else map.set(e.loc.file, [e]);
  }
  return [...map];
}
