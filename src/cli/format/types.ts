// What every output format gets: the findings with the means to turn offsets
// into 1-based lines and columns, and the run's totals.
import type { Finding } from '../../core/findings/types';
import type { Position } from '../../core/text/lines';

export interface LintReport {
  findings: Finding[];
  /** Offset -> 1-based line/column in a file (clamped; line 1 column 1 for an unknown file). */
  position(file: string, offset: number): Position;
  files: number;
  objects: number;
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
