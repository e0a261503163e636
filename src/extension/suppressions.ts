// Where the "Disable <rule> for this document" quick fix puts its comment (the
// core's findings carry the "... for this line" fix already). Pure text work
// (no `vscode`), so unit tests run it on plain Node:
//   `# kni-disable <id>` at the top of the finding's YAML document: offset 0
//     for the first document, else the line after that document's `---`.
// An existing `# kni-disable` comment among the document's leading comments
// gets the id appended (`, <id>`) instead of a second comment line.

export interface InsertEdit {
  /** Start and end offsets of the replaced text (equal for an insertion). */
  start: number;
  end: number;
  newText: string;
}

const DOCUMENT = /^#\s*kni-disable(?!-)\s+(.*)$/;
const DOC_MARKER = /^---(?:[ \t]|$)/;

/** JSON has no comments: suppression fixes are for YAML files only. */
export function supportsComments(file: string): boolean {
  return !/\.json$/i.test(file);
}

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
function appendTo(lineStart: number, line: string, ids: string, rule: string): InsertEdit | undefined {
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
export function disableDocumentEdit(text: string, offset: number, rule: string): InsertEdit | undefined {
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
  return { start, end: start, newText: `# kni-disable ${rule}${eolOf(text)}` };
}
