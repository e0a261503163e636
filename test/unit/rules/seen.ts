// What a user sees of the findings on one YAML text: for each, the rule, the
// severity, where it points (line and the first line of the text
// underlined), the message, the related locations and the fixes' edits
// (other than the disable comments every finding in a YAML file gets).
import { Analysis } from '../../../src/core/analysis';
import type { Finding, TextEdit } from '../../../src/core/findings/types';
import type { Loc } from '../../../src/core/model/types';
import { LineIndex } from '../../../src/core/text/lines';

export interface Seen {
  rule: string;
  severity: string;
  at: string;
  message: string;
  related?: string[];
  fixes?: string[];
}

export function findingsOf(text: string, file = 'app.yaml'): Finding[] {
  const a = new Analysis();
  a.setFile(file, text);
  return a.findings();
}

/** "12 app: cart": the 1-based line and the first line of the text at `loc` (another file is named). */
export function placeIn(text: string, loc: Loc, file = 'app.yaml'): string {
  if (loc.file !== file) return `${loc.file}?`;
  return `${new LineIndex(text).positionAt(loc.start).line} ${text.slice(loc.start, loc.end).split('\n')[0]}`;
}

export function seen(text: string, findings = findingsOf(text)): Seen[] {
  return findings.map((f) => {
    const s: Seen = { rule: f.rule, severity: f.severity, at: placeIn(text, f.loc), message: f.message };
    if (f.related.length > 0) s.related = f.related.map((r) => `${placeIn(text, r.loc)}: ${r.message}`);
    const fixes = f.fixes.filter((x) => !x.title.startsWith('Disable '));
    if (fixes.length > 0) s.fixes = fixes.map((x) => `${x.title}${x.preferred ? ' (preferred)' : ''}: ${x.edits.map((e) => `${placeIn(text, e.loc)} -> ${e.newText}`).join('; ')}`);
    return s;
  });
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.loc.start - a.loc.start)) out = out.slice(0, e.loc.start) + e.newText + out.slice(e.loc.end);
  return out;
}

/** The text with the preferred fix of the one finding of `rule` (whose message says `saying`) applied. */
export function fixed(text: string, rule: string, saying = ''): string {
  const list = findingsOf(text).filter((f) => f.rule === rule && f.message.includes(saying));
  if (list.length !== 1) throw new Error(`expected one ${rule} finding, got ${list.length}`);
  const fix = list[0].fixes.find((x) => x.preferred);
  if (!fix) throw new Error(`no preferred fix for ${rule}`);
  return applyEdits(text, fix.edits);
}
