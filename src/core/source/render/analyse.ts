// A render's documents analysed as virtual files by the ordinary Analysis,
// and every finding taken back to the chart's or overlay's own files: its
// location, its related locations, its fixes (a fix survives only when each
// edit lands on plain text of a source file), with the render named in the
// message. One RenderSession per render: the editor keeps it and hands it the
// next result of the same render (only changed documents are analysed again).
import { Analysis } from '../../analysis';
import type { KniConfig } from '../../config/types';
import type { Finding, Fix, RelatedLocation } from '../../findings/types';
import type { Loc } from '../../model/types';
import { effectiveSeverity } from '../../rules/context';
import type { MappedLoc, RenderedDocument, RenderResult } from './types';

export interface RenderSessionOptions {
  config: KniConfig;
  /** The namespace of rendered objects without one (a chart's render namespace is applied by Helm only where templates write it). */
  defaultNamespace: string;
}

export class RenderSession {
  readonly analysis: Analysis;
  private documents = new Map<string, RenderedDocument>();
  private result: RenderResult | undefined;

  constructor(private readonly options: RenderSessionOptions) {
    this.analysis = new Analysis({ config: options.config, defaultNamespace: options.defaultNamespace });
  }

  /** The last render's result (undefined before the first). */
  get current(): RenderResult | undefined {
    return this.result;
  }

  /** Takes a (new) result of the render: its documents replace the previous ones. */
  update(result: RenderResult): void {
    const next = new Map(result.documents.map((d) => [d.virtualFile, d]));
    for (const path of this.documents.keys()) if (!next.has(path)) this.analysis.removeFile(path);
    for (const d of result.documents) this.analysis.setFile(d.virtualFile, d.text, undefined, d.notSteadyState !== undefined ? { notSteadyState: d.notSteadyState } : undefined);
    this.documents = next;
    this.result = result;
  }

  /** The render's findings on its source files, sorted by file and offset. */
  findings(): Finding[] {
    const result = this.result;
    if (!result) return [];
    const out: Finding[] = [];
    for (const p of result.problems) {
      const severity = effectiveSeverity(this.options.config, p.rule, p.severity);
      if (severity === undefined) continue;
      out.push({ rule: p.rule, severity, message: p.message, loc: p.loc, related: [], fixes: [] });
    }
    for (const f of this.analysis.findings()) {
      const mapped = this.mapFinding(f, result);
      if (mapped) out.push(mapped);
    }
    return out.sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.start - b.loc.start || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  }

  /** The document a virtual file is (objects' origins name virtual files). */
  document(virtualFile: string): RenderedDocument | undefined {
    return this.documents.get(virtualFile);
  }

  /** A virtual location taken back to its source (unchanged when it is not in a rendered document). */
  mapLoc(loc: Loc): MappedLoc | undefined {
    const doc = this.documents.get(loc.file);
    return doc ? doc.map(loc.start, loc.end) : undefined;
  }

  private mapFinding(f: Finding, result: RenderResult): Finding | undefined {
    const doc = this.documents.get(f.loc.file);
    if (!doc) return f;
    const m = doc.map(f.loc.start, f.loc.end);
    const notes: string[] = [];
    if (m.loc.file !== doc.sourceFile && isTemplateFile(m.loc.file)) notes.push(`rendered from ${shortName(m.loc.file, result)}`);
    if (!m.exact) notes.push(m.loc.file === doc.sourceFile ? `position approximate: the field was not found in ${shortName(doc.sourceFile, result)}, so the object's first line is shown` : `position approximate: the field's line in ${shortName(doc.sourceFile, result)} was not found`);
    const message = `${f.message} (in render ${result.spec.name}${notes.length > 0 ? `; ${notes.join('; ')}` : ''})`;
    const related: RelatedLocation[] = [];
    for (const r of f.related) {
      const rd = this.documents.get(r.loc.file);
      if (!rd) {
        // A location in another document of no render, or outside: kept only when it is a real file.
        if (!r.loc.file.startsWith('render:')) related.push(r);
        continue;
      }
      const rm = rd.map(r.loc.start, r.loc.end);
      related.push({ loc: rm.loc, message: r.message });
    }
    for (const r of m.related ?? []) related.push(r);
    const fixes: Fix[] = [];
    for (const fix of f.fixes) {
      const edits: Fix['edits'] = [];
      let ok = true;
      for (const e of fix.edits) {
        const ed = this.documents.get(e.loc.file);
        if (!ed) {
          ok = false;
          break;
        }
        const em = ed.map(e.loc.start, e.loc.end);
        const target = em.edit ?? em.loc;
        if (!em.editable || !em.exact || target.end - target.start !== e.loc.end - e.loc.start) {
          ok = false;
          break;
        }
        edits.push({ loc: target, newText: e.newText });
      }
      if (ok && edits.length > 0) fixes.push({ ...fix, edits });
    }
    return { ...f, message, loc: m.loc, related, fixes };
  }
}

function isTemplateFile(file: string): boolean {
  return /\/templates\//.test(file);
}

/** A source file named as the chart sees it ("templates/_helpers.tpl"), else as given. */
function shortName(file: string, result: RenderResult): string {
  const base = result.spec.kind === 'helm' ? result.spec.chart : result.spec.root;
  return base !== '.' && file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file;
}
