// The suppression comments quick fixes write (suppressions.ts reads them):
//   "Disable <rule> for this line": `# kni-disable-next-line <id>` above the
//     finding's line, indented like it, or the id added to such a comment
//     already there.
//   "Disable <rule> for this document": `# kni-disable <id>` at the top of the
//     finding's YAML document (offset 0 for the first document, else the line
//     after that document's `---`), or the id appended (`, <id>`) to a
//     `# kni-disable` comment among the document's leading comments.
// JSON has no comments: neither is offered there.
import { allowsComments } from '../config/facts';
import type { Finding, Fix } from '../findings/types';
import type { RuleId } from '../rules/catalogue';
import type { LineIndex } from '../text/lines';
import { DISABLE_DOCUMENT, DISABLE_NEXT_LINE } from './suppressions';

const NEXT_LINE = new RegExp(`^\\s*#\\s*${DISABLE_NEXT_LINE}\\b(.*)$`);

/**
 * The "Disable <rule> for this line" fix: a `# kni-disable-next-line <id>`
 * comment above the finding's line, indented like it (or the id added to such
 * a comment already there). None for JSON files.
 */
export function disableFix(finding: Finding, text: string, lines: LineIndex): Fix | undefined {
  const file = finding.loc.file;
  if (!file || !allowsComments(file)) return undefined;
  const { line } = lines.positionAt(finding.loc.start);
  const start = lines.offsetAt(line, 1);
  const end = lines.lineEnd(line);
  const content = text.slice(start, end);
  const indent = /^[ \t]*/.exec(content)?.[0] ?? '';
  const title = `Disable ${finding.rule} for this line`;
  if (line > 1) {
    const prevStart = lines.offsetAt(line - 1, 1);
    const prevEnd = lines.lineEnd(line - 1);
    const prev = text.slice(prevStart, prevEnd);
    const m = NEXT_LINE.exec(prev);
    if (m && !m[1].includes(' -- ')) {
      const trailing = prev.length - prev.trimEnd().length;
      const at = prevEnd - trailing;
      const sep = m[1].trim() === '' ? ' ' : ', ';
      return { title, edits: [{ loc: { file, start: at, end: at }, newText: `${sep}${finding.rule}` }] };
    }
  }
  const eol = text.charCodeAt(end) === 13 ? '\r\n' : '\n';
  return { title, edits: [{ loc: { file, start, end: start }, newText: `${indent}# ${DISABLE_NEXT_LINE} ${finding.rule}${eol}` }] };
}

export interface InsertEdit {
  /** Start and end offsets of the replaced text (equal for an insertion). */
  start: number;
  end: number;
  newText: string;
}

const DOCUMENT = new RegExp(`^#\\s*${DISABLE_DOCUMENT}(?!-)\\s+(.*)$`);
const DOC_MARKER = /^---(?:[ \t]|$)/;

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
}

/** The line's text from `start` up to (not including) its line break. */
function lineAt(text: string, start: number): string {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(start, end);
}

function idsOf(list: string): string[] {
  return list
    .replace(/\s+#.*$/, '')
    .split(/[\s,]+/)
    .filter((s) => s.length > 0);
}

/** Appends `, id` to an existing suppression line (or nothing when it lists the id already). */
function appendTo(lineStart: number, line: string, ids: string, rule: RuleId): InsertEdit | undefined {
  if (idsOf(ids).includes(rule)) return undefined;
  const trimmed = line.replace(/\s+$/, '');
  const at = lineStart + trimmed.length;
  return { start: at, end: at, newText: `, ${rule}` };
}

/** Offset where the YAML document holding `offset` starts (after its `---` line, if any). */
export function documentStart(text: string, offset: number): number {
  let lineStart = lineStartAt(text, Math.min(offset, text.length));
  for (;;) {
    if (DOC_MARKER.test(lineAt(text, lineStart)) && lineStart < offset) {
      const nl = text.indexOf('\n', lineStart);
      return nl < 0 ? text.length : nl + 1;
    }
    if (lineStart === 0) return 0;
    lineStart = lineStartAt(text, lineStart - 1);
  }
}

/**
 * The edit that silences `rule` for the whole YAML document holding
 * `offset`: a `# kni-disable` comment at the top of that document. An
 * existing `# kni-disable` line among the document's leading comments gets
 * the id appended.
 */
export function disableDocumentEdit(text: string, offset: number, rule: RuleId): InsertEdit | undefined {
  let start = documentStart(text, offset);
  if (start === 0 && text.charCodeAt(0) === 0xfeff) start = 1;
  // Look through the document's leading comment and blank lines for an existing comment.
  let at = start;
  while (at < text.length) {
    const line = lineAt(text, at);
    const m = DOCUMENT.exec(line.trim());
    if (m) return appendTo(at, line, m[1], rule);
    if (line.trim() !== '' && !line.trim().startsWith('#')) break;
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return { start, end: start, newText: `# ${DISABLE_DOCUMENT} ${rule}${eolOf(text)}` };
}

/** "Disable <rule> for this document", or undefined where it cannot be written (JSON) or is there already. */
export function disableDocumentFix(finding: Finding, text: string): Fix | undefined {
  if (!allowsComments(finding.loc.file)) return undefined;
  const e = disableDocumentEdit(text, finding.loc.start, finding.rule);
  if (!e) return undefined;
  return { title: `Disable ${finding.rule} for this document`, edits: [{ loc: { file: finding.loc.file, start: e.start, end: e.end }, newText: e.newText }] };
}
