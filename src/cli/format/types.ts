// What every output format gets: the findings with the means to turn offsets
// into 1-based lines and columns, and the run's totals.
import type { Finding } from '../../core/findings/types';
import type { Position } from '../../core/text/lines';
import type { UnreadResource } from '../../core/model/types';
import type { NotChecked } from '../../core/rules/unread';
import type { UnreadPath } from '../files';

export interface LintReport {
  findings: Finding[];
  /** Offset -> 1-based line/column in a file (clamped; line 1 column 1 for an unknown file). */
  position(file: string, offset: number): Position;
  files: number;
  objects: number;
  /** A live cluster read in part: what could not be read, and the rules not applied because of it. */
  partial?: PartialRead;
  /** Paths given (or found) that could not be read: the report covers the rest. */
  unreadPaths?: readonly UnreadPath[];
}

export interface PartialRead {
  unread: readonly UnreadResource[];
  notChecked: readonly NotChecked[];
}

/** The one line every text output puts above its summary when the read was partial. */
export function partialReadLine(partial: PartialRead | undefined): string | undefined {
  if (!partial || partial.unread.length === 0) return undefined;
  const what = partial.unread.map((u) => `${u.resource}${u.namespace ? ` in ${u.namespace}` : ''} (${u.reason}: ${u.consequence})`).join('; ');
  const rules = partial.notChecked.length > 0 ? ` Not checked there: ${partial.notChecked.map((w) => w.rule).join(', ')}.` : '';
  return `Partial read, results incomplete: could not read ${what}.${rules}`;
}

export interface Range {
  start: Position;
  end: Position;
}

export function rangeOf(report: LintReport, file: string, start: number, end: number): Range {
  return { start: report.position(file, start), end: report.position(file, end) };
}

export function counts(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}
