// A chart template read leniently: `{{ … }}` actions blanked out (same
// length, line breaks kept) so the YAML around them can be read line by line
// (yaml-lines.ts), the `define` blocks cut out as helpers of their own, and
// for each action line what it inserts: an `include`d helper or a `toYaml` of
// values, at which indentation. `with`/`range` over `.Values.x` are tracked so
// that `.port` inside `range .Values.ports` is known to come from values.
import { keyLines, type KeyLine } from '../yaml-lines';

/** What an action line puts into the output, and where (the YAML path its output lands under). */
export interface Insertion {
  line: number;
  /** The path of the mapping the output lands in (relative to the template or the helper body). */
  parentPath: string[];
  /** `include "name"` / `template "name"`. */
  helper?: string;
  /** `toYaml .Values.a.b` (or `toYaml .` inside `with .Values.a.b`): the values path. */
  values?: string;
}

export interface TemplateBody {
  lines: KeyLine[];
  insertions: Insertion[];
}

export interface Helper extends TemplateBody {
  name: string;
  file: string;
}

export interface ReadTemplate {
  file: string;
  text: string;
  /** The text with every action blanked out. */
  masked: string;
  /** The template's own body (define blocks blanked out too). */
  body: TemplateBody;
  helpers: Helper[];
  /** Values paths each line's actions read (".Values.a.b" -> "a.b"; relative refs resolved through with/range; "ports[].port" inside `range .Values.ports`). */
  valuesRefs: Map<number, string[]>;
  /** Line start offsets. */
  lineStarts: number[];
  /** The template's YAML documents ("---" lines), each with its literal `kind`, if written plainly. */
  sections: { firstLine: number; lastLine: number; kind?: string }[];
}

interface Action {
  start: number;
  end: number;
  /** The action's words without delimiters and trim marks. */
  body: string;
}

function actionsOf(text: string): Action[] {
  const out: Action[] = [];
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    const end = close < 0 ? text.length : close + 2;
    let body = text.slice(open + 2, close < 0 ? text.length : close);
    body = body.replace(/^-\s?/, '').replace(/\s?-$/, '').trim();
    out.push({ start: open, end, body });
    i = end;
  }
  return out;
}

function blank(s: string): string {
  return s.replace(/[^\n\r]/g, ' ');
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const VALUES_REF = /(?<![\w\]])\$?\.Values((?:\.[A-Za-z_][\w-]*)+)/g;
const BLOCK_OPEN = /^(if|range|with|define|block)\b/;

export function readTemplate(file: string, text: string): ReadTemplate {
  const actions = actionsOf(text);
  const starts = lineStartsOf(text);
  let masked = '';
  let at = 0;
  for (const a of actions) {
    masked += text.slice(at, a.start) + blank(text.slice(a.start, a.end));
    at = a.end;
  }
  masked += text.slice(at);

  // Blocks: define regions, and the values context of with/range.
  const defines: { name: string; start: number; end: number }[] = [];
  const stack: { kind: string; name?: string; start: number; values?: string }[] = [];
  const valuesRefs = new Map<number, string[]>();
  const currentValues = () => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].kind === 'with' || stack[i].kind === 'range') return stack[i].values;
    return undefined;
  };
  const insertionActions: { action: Action; values?: string }[] = [];
  for (const a of actions) {
    const open = BLOCK_OPEN.exec(a.body);
    const line = lineOf(starts, a.start);
    if (open) {
      let values: string | undefined;
      const ref = /(?<![\w\]])\$?\.Values((?:\.[A-Za-z_][\w-]*)*)/.exec(a.body);
      // A range's items are "x[]" (which item a rendered line is, is worked out when it is mapped).
      const item = open[1] === 'range' ? '[]' : '';
      if ((open[1] === 'with' || open[1] === 'range') && ref) values = ref[1].slice(1) + item;
      else if (open[1] === 'with' || open[1] === 'range') {
        // `with .foo` inside `with .Values.x`: x.foo.
        const rel = /^(?:with|range)\s+(?:\$\w+\s*(?:,\s*\$\w+\s*)?:=\s*)?\.([A-Za-z_][\w.-]*)/.exec(a.body);
        const outer = currentValues();
        if (rel && outer !== undefined) values = (outer === '' ? rel[1] : `${outer}.${rel[1]}`) + item;
      }
      const name = open[1] === 'define' || open[1] === 'block' ? /"([^"]+)"/.exec(a.body)?.[1] : undefined;
      stack.push({ kind: open[1], name, start: a.end, values });
    } else if (/^end\b/.test(a.body)) {
      const top = stack.pop();
      if (top && (top.kind === 'define' || top.kind === 'block') && top.name !== undefined) defines.push({ name: top.name, start: top.start, end: a.start });
    }
    const refs: string[] = [];
    for (const m of a.body.matchAll(VALUES_REF)) refs.push(m[1].slice(1));
    const ctx = currentValues();
    if (ctx !== undefined) {
      // `.port` inside `range .Values.ports` / `with .Values.x`: a field of the context.
      for (const m of a.body.matchAll(/(?:^|[\s(|])\.([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)/g)) {
        if (m[1].startsWith('Values') || m[1].startsWith('Release') || m[1].startsWith('Chart') || m[1].startsWith('Capabilities') || m[1].startsWith('Template') || m[1].startsWith('Files')) continue;
        refs.push(ctx === '' ? m[1] : `${ctx}.${m[1]}`);
      }
    }
    if (refs.length > 0) valuesRefs.set(line, [...(valuesRefs.get(line) ?? []), ...refs]);
    if (/\b(include|template)\s+"|toYaml\b/.test(a.body)) insertionActions.push({ action: a, values: ctx });
  }

  // The template's own body: define regions blanked.
  let bodyMasked = masked;
  for (const d of defines) bodyMasked = bodyMasked.slice(0, d.start) + blank(bodyMasked.slice(d.start, d.end)) + bodyMasked.slice(d.end);
  const inDefine = (offset: number) => defines.find((d) => offset >= d.start && offset < d.end);

  const bodyLines = keyLines(text, bodyMasked);
  const body: TemplateBody = { lines: bodyLines, insertions: [] };
  const helpers: Helper[] = defines.map((d) => {
    const region = blank(masked.slice(0, d.start)) + masked.slice(d.start, d.end) + blank(masked.slice(d.end));
    return { name: d.name, file, lines: keyLines(text, region), insertions: [] };
  });

  for (const { action: a, values: ctx } of insertionActions) {
    const line = lineOf(starts, a.start);
    // Only actions alone on their line (apart from other actions) insert YAML blocks we can place.
    const lineText = masked.slice(starts[line], (starts[line + 1] ?? masked.length + 1) - 1);
    // Or after a key with nothing else on the line ("livenessProbe: {{ toYaml .Values.x | nindent 12 }}"): the block is that key's value.
    const keyOwner = lineText.trim() !== '' && /^\s*(?:-\s+)?[^\s:#][^:#]*:\s*$/.test(lineText);
    if (lineText.trim() !== '' && !keyOwner) continue;
    const helper = /\b(?:include|template)\s+"([^"]+)"/.exec(a.body)?.[1];
    let values: string | undefined;
    if (helper === undefined) {
      const ref = /(?<![\w\]])\$?\.Values((?:\.[A-Za-z_][\w-]*)+)/.exec(a.body);
      if (ref) values = ref[1].slice(1);
      else if (/toYaml\s+\.(\s|\||$)|\.\s*\|\s*toYaml/.test(a.body) && ctx !== undefined) values = ctx;
      else continue;
    }
    const indentArg = /\bn?indent\s+(\d+)/.exec(a.body);
    const owner = inDefine(a.start);
    const target = owner ? helpers[defines.indexOf(owner)] : body;
    const baseIndent = owner ? regionIndent(masked, owner.start, owner.end) : 0;
    const lineIndent = text.slice(starts[line]).length - text.slice(starts[line]).trimStart().length;
    const outIndent = indentArg ? Number(indentArg[1]) + baseIndent : lineIndent;
    const ownerKey = keyOwner ? target.lines.find((l) => l.line === line) : undefined;
    if (keyOwner && !ownerKey) continue;
    const parentPath = ownerKey ? ownerKey.path : parentPathAt(target.lines, line, outIndent);
    target.insertions.push({ line, parentPath, ...(helper !== undefined ? { helper } : { values }) });
  }
  const sections: ReadTemplate['sections'] = [];
  let first = 0;
  const bodyRows = bodyMasked.split('\n');
  bodyRows.forEach((row, i) => {
    if (/^---\s*$/.test(row.trimEnd()) || i === bodyRows.length - 1) {
      const last = i === bodyRows.length - 1 ? i : i - 1;
      const kind = bodyLines.find((l) => l.line >= first && l.line <= last && l.path.length === 1 && l.key === 'kind');
      const kindText = kind && bodyMasked.slice(kind.valueStart, kind.valueEnd) === text.slice(kind.valueStart, kind.valueEnd) ? text.slice(kind.valueStart, kind.valueEnd) : undefined;
      if (bodyLines.some((l) => l.line >= first && l.line <= last)) sections.push({ firstLine: first, lastLine: last, ...(kindText ? { kind: kindText } : {}) });
      first = i + 1;
    }
  });
  return { file, text, masked, body, helpers, valuesRefs, lineStarts: starts, sections };
}

/** The smallest indentation of a define region's non-blank lines (helpers are often written indented). */
function regionIndent(masked: string, start: number, end: number): number {
  let min = Infinity;
  for (const l of masked.slice(start, end).split('\n')) {
    if (l.trim() === '') continue;
    min = Math.min(min, l.length - l.trimStart().length);
  }
  return min === Infinity ? 0 : min;
}

/** The path of the mapping whose children sit at `indent`, as seen at `line` (the last key line before it, less indented). */
function parentPathAt(lines: readonly KeyLine[], line: number, indent: number): string[] {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (l.line >= line) continue;
    if (l.indent < indent) {
      // A list item's key at indent i+2 under "- " at i: the item's own mapping.
      return l.path;
    }
    if (l.indent === indent && l.path.length >= 1) return l.path.slice(0, -1);
  }
  return [];
}
