// `--format text` (the default): findings grouped by file, one line each
// ("  12:5  error  message  rule-id"), colour only on a terminal, a summary.
// File names, messages and rule ids (a suppression may name any text) are
// escaped: a control character in them must not act on the terminal.
import { terminalSafe } from '../../view-model/terminal-safe';
import { counts, partialReadLine, type LintReport } from './types';

const COLOURS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export function formatText(report: LintReport, colour: boolean): string {
  const c = (code: keyof typeof COLOURS, s: string) => (colour ? `${COLOURS[code]}${s}${COLOURS.reset}` : s);
  const lines: string[] = [];
  let file: string | undefined;
  const rows = report.findings.map((f) => {
    const p = report.position(f.loc.file, f.loc.start);
    return { f, pos: `${p.line}:${p.column}` };
  });
  const posWidth = Math.max(0, ...rows.map((r) => r.pos.length));
  for (const { f, pos } of rows) {
    if (f.loc.file !== file) {
      if (file !== undefined) lines.push('');
      file = f.loc.file;
      lines.push(c('bold', file ? terminalSafe(file) : '(no file)'));
    }
    lines.push(`  ${c('dim', pos.padEnd(posWidth))}  ${c(f.severity, f.severity.padEnd(7))}  ${terminalSafe(f.message)}  ${c('dim', terminalSafe(f.rule))}`);
  }
  const { errors, warnings, infos } = counts(report.findings);
  const total = errors + warnings + infos;
  if (lines.length > 0) lines.push('');
  const partial = partialReadLine(report.partial);
  if (partial) lines.push(c('warning', partial));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = `${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}) in ${plural(report.files, 'file')}, ${plural(report.objects, 'object')}`;
  lines.push(total === 0 ? c('bold', `No problems in ${plural(report.files, 'file')}, ${plural(report.objects, 'object')}`) : c(errors > 0 ? 'error' : 'bold', summary));
  return `${lines.join('\n')}\n`;
}
