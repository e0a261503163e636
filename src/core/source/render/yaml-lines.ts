// A lenient, line-by-line reading of block YAML: for each line that holds a
// key or a list item, the key path that leads to it. It reads what a parser
// would refuse (a template with its `{{ … }}` actions masked, half-typed
// text) because it only looks at indentation, `key:` and `- `, which is all
// a way back from a rendered line to its template line needs.
//
// A path is a list of segments: a mapping key, or '[]' for a list item.

export interface KeyLine {
  /** 0-based line number. */
  line: number;
  /** Offset of the line's first character. */
  lineStart: number;
  /** Column of the key (or of the item's scalar when there is no key). */
  indent: number;
  /** The path to this line's key ('[]' segments for list items); for a bare `- value` item, the path ends in '[]'. */
  path: string[];
  /** Index of each '[]' segment's item within its list (rendered text: which item it is). */
  items: number[];
  /** The key as written, unquoted ('' for a bare item). */
  key: string;
  /** [start, end) of the value text on this line (after `key: ` or `- `), trimmed; end = start when none. */
  valueStart: number;
  valueEnd: number;
}

interface Frame {
  indent: number;
  segment: string;
  /** For '[]' frames: the item's index in its list. */
  item: number;
  /** Identifies the frame (a list's items are counted per parent frame). */
  serial: number;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s|$)/;

/**
 * The key lines of `text`. `masked` (same length, same line breaks) is read
 * for structure when given: the template text with actions blanked out.
 */
export function keyLines(text: string, masked: string = text): KeyLine[] {
  const out: KeyLine[] = [];
  const stack: Frame[] = [];
  /** Per list (its parent frame's serial and its indent), how many items were seen. */
  const counters = new Map<string, number>();
  let serial = 0;
  let blockScalarIndent = -1;
  let lineStart = 0;
  let lineNo = 0;
  while (lineStart <= masked.length) {
    let lineEnd = masked.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = masked.length;
    const raw = masked.slice(lineStart, lineEnd).replace(/\r$/, '');
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trimStart();
    if (blockScalarIndent >= 0) {
      if (body === '' || indent > blockScalarIndent) {
        lineStart = lineEnd + 1;
        lineNo++;
        continue;
      }
      blockScalarIndent = -1;
    }
    if (body === '' || body.startsWith('#') || body === '---' || body === '...' || body.startsWith('--- ')) {
      if (body.startsWith('---')) {
        stack.length = 0;
        counters.clear();
      }
      lineStart = lineEnd + 1;
      lineNo++;
      continue;
    }
    let col = indent;
    let rest = body;
    // Leading list markers: "- - key: v" opens nested items.
    const itemFrames: Frame[] = [];
    while (rest === '-' || rest.startsWith('- ')) {
      itemFrames.push({ indent: col, segment: '[]', item: 0, serial: ++serial });
      const after = rest.slice(1);
      const skip = after.length - after.trimStart().length + 1;
      col += skip;
      rest = rest.slice(skip);
    }
    const firstIndent = itemFrames.length > 0 ? itemFrames[0].indent : col;
    // Close what this line is not inside of. A list item at the same indent as
    // its parent key ("ports:\n- port: 80") stays inside that key.
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.indent < firstIndent) break;
      if (top.indent === firstIndent && itemFrames.length > 0 && top.segment !== '[]') break;
      stack.pop();
    }
    for (const f of itemFrames) {
      const id = `${stack.length > 0 ? stack[stack.length - 1].serial : 0}|${f.indent}`;
      const n = counters.get(id) ?? 0;
      counters.set(id, n + 1);
      f.item = n;
      stack.push(f);
    }
    const m = KEY.exec(rest);
    const path = stack.map((s) => s.segment);
    const items = stack.filter((s) => s.segment === '[]').map((s) => s.item);
    const absRest = lineStart + col;
    if (m) {
      const key = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3].trim();
      const afterColon = m[0].length;
      const valueText = rest.slice(afterColon);
      // The value's extent is read in the real text (a masked action is a value too).
      const { start, end } = trimmedValue(text.slice(absRest + afterColon, lineStart + raw.length));
      out.push({ line: lineNo, lineStart, indent: col, path: [...path, key], items, key, valueStart: absRest + afterColon + start, valueEnd: absRest + afterColon + end });
      stack.push({ indent: col, segment: key, item: 0, serial: ++serial });
      if (/^[|>][-+0-9]*\s*(#.*)?$/.test(valueText.trim())) blockScalarIndent = col;
    } else if (itemFrames.length > 0) {
      const { start, end } = trimmedValue(text.slice(absRest, lineStart + raw.length));
      out.push({ line: lineNo, lineStart, indent: col, path, items, key: '', valueStart: absRest + start, valueEnd: absRest + end });
      if (/^[|>][-+0-9]*\s*(#.*)?$/.test(rest.trim())) blockScalarIndent = itemFrames[itemFrames.length - 1].indent;
    }
    lineStart = lineEnd + 1;
    lineNo++;
  }
  return out;
}

/** The value's [start, end) within `s` without surrounding blanks and a trailing comment. */
function trimmedValue(s: string): { start: number; end: number } {
  let start = 0;
  while (start < s.length && (s[start] === ' ' || s[start] === '\t')) start++;
  let end = s.length;
  const hash = s.search(/\s#/);
  if (hash >= 0 && !/^["']/.test(s.slice(start))) end = hash;
  while (end > start && /\s/.test(s[end - 1])) end--;
  return { start, end };
}

/** The key line whose line holds `offset` (the last one starting at or before it). */
export function keyLineAt(lines: readonly KeyLine[], lineOf: (offset: number) => number, offset: number): KeyLine | undefined {
  const line = lineOf(offset);
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].line <= line) lo = mid + 1;
    else hi = mid;
  }
  const found = lines[lo - 1];
  return found && found.line === line ? found : undefined;
}

export function samePath(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A key line's path with each list item's index: "spec.ports[0].port" (what a values lookup compares). */
export function indexedPath(kl: KeyLine): string {
  let out = '';
  let item = 0;
  for (const seg of kl.path) {
    if (seg === '[]') out += `[${kl.items[item++]}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** The text of a line's value, unquoted when it is a quoted scalar. */
export function scalarText(text: string, kl: KeyLine): string {
  const v = text.slice(kl.valueStart, kl.valueEnd);
  if (v.length >= 2 && ((v[0] === '"' && v.endsWith('"')) || (v[0] === "'" && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}
