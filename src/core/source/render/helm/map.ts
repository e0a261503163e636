// The way back from a rendered document to its chart: the rendered line's
// key path is looked up in the template named by `# Source:` (actions
// masked); a path the template does not write is looked for where an action
// line inserts YAML: an `include`d helper (recursively) or a `toYaml` of
// values (then the values file's line is the place). Lines that read
// `.Values.x` get a related location at the values line that supplied it.
import type { Loc } from '../../../model/types';
import type { MappedLoc } from '../types';
import { keyLines, samePath, type KeyLine } from '../yaml-lines';
import type { Helper, ReadTemplate, TemplateBody } from './templates';
import { valueSource, type ValuesLayers } from './values';

export interface ChartSources {
  /** Helpers of the chart and its subcharts by name (Helm's helpers are global to the tree). */
  helpers: Map<string, Helper>;
  /** Read templates by file. */
  templates: Map<string, ReadTemplate>;
  values: ValuesLayers;
}

interface Target {
  file: string;
  /** The key line in that file, if one was found. */
  line?: KeyLine;
  /** A values file span (toYaml of values). */
  valuesLoc?: Loc;
  valuesText?: string;
  /** Values read on the template line. */
  refs: string[];
}

const MAX_INCLUDE_DEPTH = 8;

export class DocumentMapper {
  private readonly rendered: KeyLine[];
  private readonly renderedLineStarts: number[];
  /** Per rendered key line index: its target (computed lazily). */
  private readonly targets = new Map<number, Target | null>();

  constructor(
    private readonly text: string,
    /** The template the document names (none: a packaged subchart's, not on disk). */
    private readonly template: ReadTemplate | undefined,
    private readonly sources: ChartSources,
    /** The fallback when nothing is found: where the object starts in its template. */
    private readonly fallback: Loc,
    private readonly subchart: { folder: string; name: string } | undefined,
  ) {
    this.rendered = keyLines(text);
    this.renderedLineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.renderedLineStarts.push(i + 1);
  }

  map(start: number, end: number): MappedLoc {
    const idx = this.keyLineIndexAt(start);
    const target = idx === undefined ? null : this.target(idx);
    if (!target || idx === undefined) return { loc: this.fallback, exact: false, editable: false, related: [] };
    const r = this.rendered[idx];
    const related = this.relatedFor(target, r, this.text.slice(r.valueStart, r.valueEnd));
    if (target.valuesLoc) {
      const renderedValue = this.text.slice(r.valueStart, r.valueEnd);
      const editable = target.valuesText === renderedValue && start >= r.valueStart && end <= r.valueEnd;
      const loc = editable ? { file: target.valuesLoc.file, start: target.valuesLoc.start + (start - r.valueStart), end: target.valuesLoc.start + (end - r.valueStart) } : target.valuesLoc;
      return { loc, exact: true, editable, related };
    }
    const t = target.line as KeyLine;
    const tpl = this.sources.templates.get(target.file) as ReadTemplate;
    const tValue = tpl.text.slice(t.valueStart, t.valueEnd);
    const rValue = this.text.slice(r.valueStart, r.valueEnd);
    const plain = tpl.masked.slice(t.valueStart, t.valueEnd) === tValue;
    if (start >= r.valueStart && end <= r.valueEnd && r.valueEnd > r.valueStart) {
      if (plain && tValue === rValue) {
        return { loc: { file: target.file, start: t.valueStart + (start - r.valueStart), end: t.valueStart + (end - r.valueStart) }, exact: true, editable: true, related };
      }
      if (t.valueEnd > t.valueStart) {
        const loc = { file: target.file, start: t.valueStart, end: t.valueEnd };
        // `{{ .Values.a.b }}` alone (maybe `| quote`d): an edit of the whole value goes to the values line.
        const only = /^\{\{-?\s*\$?\.Values\.([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*(\|\s*quote\s*)?-?\}\}$/.exec(tValue);
        if (only && start === r.valueStart && end === r.valueEnd) {
          const source = valueSource(this.sources.values, only[1], this.subchart);
          const unquoted = only[2] ? rValue.replace(/^"(.*)"$/, '$1') : rValue;
          if (source?.kind === 'file' && source.value === unquoted && this.plainValue(source.loc) === unquoted) {
            return { loc, exact: true, editable: true, edit: source.loc, related };
          }
        }
        return { loc, exact: true, editable: false, related };
      }
    }
    const keyStart = t.lineStart + t.indent;
    const keyEnd = t.valueEnd > t.valueStart ? t.valueEnd : keyStart + Math.max(1, t.key.length);
    // The rendered key itself (a finding on "selector:"): the template's key, editable when written plainly.
    const renderedKeyStart = r.lineStart + r.indent;
    const onKey = start >= renderedKeyStart && end <= renderedKeyStart + r.key.length && r.key !== '';
    if (onKey && tpl.masked.slice(keyStart, keyStart + t.key.length) === tpl.text.slice(keyStart, keyStart + t.key.length)) {
      return { loc: { file: target.file, start: keyStart + (start - renderedKeyStart), end: keyStart + (end - renderedKeyStart) }, exact: true, editable: t.key === r.key, related };
    }
    return { loc: { file: target.file, start: keyStart, end: keyEnd }, exact: true, editable: false, related };
  }

  /** The rendered key line on `offset`'s line, or the last one before it. */
  private keyLineIndexAt(offset: number): number | undefined {
    let lo = 0;
    let hi = this.renderedLineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.renderedLineStarts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    const line = lo - 1;
    let best: number | undefined;
    for (let i = 0; i < this.rendered.length && this.rendered[i].line <= line; i++) best = i;
    return best;
  }

  private target(idx: number): Target | null {
    const cached = this.targets.get(idx);
    if (cached !== undefined) return cached;
    const found = this.find(idx);
    this.targets.set(idx, found);
    return found;
  }

  private find(idx: number): Target | null {
    const tpl = this.template;
    if (!tpl) return null;
    const r = this.rendered[idx];
    // Which occurrence of this path the rendered line is (two containers both write containerPort).
    let occurrence = 0;
    for (let i = 0; i < idx; i++) if (samePath(this.rendered[i].path, r.path)) occurrence++;
    const rValue = this.text.slice(r.valueStart, r.valueEnd);
    return this.findIn(tpl.file, this.section(tpl), r.path, r, occurrence, rValue, 0);
  }

  /** The part of the template that wrote this document: the section of the same kind when the template holds several. */
  private section(tpl: ReadTemplate): TemplateBody {
    if (tpl.sections.length <= 1) return tpl.body;
    const kindLine = this.rendered.find((l) => l.path.length === 1 && l.key === 'kind');
    const kind = kindLine ? this.text.slice(kindLine.valueStart, kindLine.valueEnd) : undefined;
    const s = tpl.sections.find((x) => x.kind === kind) ?? tpl.sections.find((x) => x.kind === undefined);
    if (!s) return tpl.body;
    return { lines: tpl.body.lines.filter((l) => l.line >= s.firstLine && l.line <= s.lastLine), insertions: tpl.body.insertions.filter((i) => i.line >= s.firstLine && i.line <= s.lastLine) };
  }

  private findIn(file: string, body: TemplateBody, path: string[], r: KeyLine, occurrence: number, rValue: string, depth: number): Target | null {
    const tpl = this.sources.templates.get(file) as ReadTemplate;
    const candidates = body.lines.filter((l) => samePath(l.path, path));
    if (candidates.length > 0) {
      const literal = candidates.find((c) => tpl.text.slice(c.valueStart, c.valueEnd) === rValue && tpl.masked.slice(c.valueStart, c.valueEnd) === rValue);
      // Else the candidates whose written text can render to the value (actions standing for anything):
      // the one at the rendered line's occurrence if it can, else the first that can.
      const fits = candidates.filter((c) => canRenderTo(tpl.masked.slice(c.valueStart, c.valueEnd), rValue));
      const byOccurrence = candidates[Math.min(occurrence, candidates.length - 1)];
      const line = literal ?? (fits.length === 0 || fits.includes(byOccurrence) ? byOccurrence : fits[0]);
      return { file, line, refs: tpl.valuesRefs.get(line.line) ?? [] };
    }
    if (depth >= MAX_INCLUDE_DEPTH) return null;
    // Insertions whose output lands on a prefix of the path, deepest first
    // (two at one place: the helper's labels, then toYaml of extra labels).
    const insertions = body.insertions
      .filter((ins) => ins.parentPath.length < path.length && samePath(ins.parentPath, path.slice(0, ins.parentPath.length)))
      .sort((a, b) => b.parentPath.length - a.parentPath.length);
    for (const ins of insertions) {
      const rest = path.slice(ins.parentPath.length);
      if (ins.helper !== undefined) {
        const helper = this.sources.helpers.get(ins.helper);
        const found = helper ? this.findIn(helper.file, helper, rest, r, 0, rValue, depth + 1) : null;
        if (found) return found;
        continue;
      }
      if (ins.values !== undefined) {
        // Indices of the rendered path's list items inside the inserted part.
        let item = path.slice(0, ins.parentPath.length).filter((s) => s === '[]').length;
        let key = ins.values;
        for (const seg of rest) key += seg === '[]' ? `[${r.items[item++]}]` : key === '' ? seg : `.${seg}`;
        const source = this.indexedSource(key, r, rValue, false)?.source;
        if (source?.kind === 'file') return { file: source.file, valuesLoc: source.loc, valuesText: source.value === rValue || this.plainValue(source.loc) === rValue ? rValue : undefined, refs: [] };
      }
    }
    return null;
  }

  private plainValue(loc: Loc): string | undefined {
    for (const f of [...this.sources.values.files, this.sources.values.chartValues, ...this.sources.values.subchartValues.values()]) {
      if (f && f.file === loc.file) return f.text.slice(loc.start, loc.end);
    }
    return undefined;
  }

  private relatedFor(target: Target, r: KeyLine, rValue: string): { loc: Loc; message: string }[] {
    const out: { loc: Loc; message: string }[] = [];
    const seen = new Set<string>();
    for (const ref of target.refs) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const found = this.indexedSource(ref, r, rValue, target.refs.length === 1);
      if (!found) continue;
      const { source, path } = found;
      if (source.kind === 'set') out.push({ loc: this.fallback, message: `.Values.${path} is ${source.value}, set by --set ${source.key}=${source.value}` });
      else out.push({ loc: source.loc, message: `.Values.${path} = ${source.value} (from ${source.file})` });
    }
    return out;
  }

  /**
   * The source of a values path that may hold range items ("ports[].port"):
   * each "[]" is tried with the rendered line's item indices, innermost
   * first; with `mustEqual`, a candidate counts only when its value is the
   * rendered value (an item of another list must not be named).
   */
  private indexedSource(path: string, r: KeyLine, rValue: string, mustEqual: boolean): { source: NonNullable<ReturnType<typeof valueSource>>; path: string } | undefined {
    if (!path.includes('[]')) {
      const source = valueSource(this.sources.values, path, this.subchart);
      return source ? { source, path } : undefined;
    }
    const holes = path.split('[]').length - 1;
    if (holes > r.items.length) return undefined;
    const unquoted = rValue.replace(/^(["'])(.*)\1$/, '$2');
    // The innermost holes take the innermost rendered items, in order; then one level out, and so on.
    for (let shift = 0; shift <= r.items.length - holes; shift++) {
      const pick = r.items.slice(r.items.length - holes - shift, r.items.length - shift);
      let i = 0;
      const concrete = path.replace(/\[\]/g, () => `[${pick[i++]}]`);
      const source = valueSource(this.sources.values, concrete, this.subchart);
      if (!source) continue;
      if (mustEqual && source.value !== rValue && source.value !== unquoted) continue;
      return { source, path: concrete };
    }
    return undefined;
  }
}

/**
 * Whether a template value whose actions are blanked out can render to
 * `rendered`: its written pieces appear in order, the blanks standing for
 * anything (an action may also render to nothing).
 */
export function canRenderTo(masked: string, rendered: string): boolean {
  const pieces = masked.split(/ {2,}|^ +| +$/).filter((p) => p !== '');
  if (pieces.length === 0) return true;
  if (!/^ /.test(masked) && !rendered.startsWith(pieces[0])) return false;
  let at = 0;
  for (const p of pieces) {
    const i = rendered.indexOf(p, at);
    if (i < 0) return false;
    at = i + p.length;
  }
  return / $/.test(masked) || at === rendered.length;
}

/** The template's first key line (where the object starts), or the file's start. */
export function objectStart(template: ReadTemplate | undefined, file: string): Loc {
  const first = template?.body.lines[0];
  if (!first) return { file, start: 0, end: 0 };
  const start = first.lineStart + first.indent;
  const lineEnd = template.text.indexOf('\n', start);
  return { file, start, end: lineEnd < 0 ? template.text.length : lineEnd };
}
