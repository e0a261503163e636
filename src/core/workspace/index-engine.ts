// The workspace index without `vscode`: texts by file key, the core's
// incremental Analysis fed from them, and findings grouped per file with the
// files whose findings changed since the last look. `workspace-index.ts`
// drives it from VS Code; the editor benchmark drives the same code on Node.
import type { Finding } from '../findings/types';
import { sameFileSource, type FileSource } from '../source/manifests';
import { looksLikeManifest } from '../source/manifests/sniff';
import type { FileText } from './file-walk';

export { looksLikeManifest };

/** What the engine needs of the core's Analysis. */
export interface AnalysisPort {
  setFile(file: string, text: string, source?: FileSource): void;
  removeFile(file: string): void;
  findings(): readonly Finding[];
  /** The model and its index, built lazily by findings(); called on their own they split its work. */
  model?(): unknown;
  index?(): unknown;
  /** findings() in steps, each a part of the rules (see Analysis.findingsInSteps). */
  findingsInSteps?(): Iterator<void, readonly Finding[], void>;
}

export interface IngestOptions {
  /** Longest stretch of synchronous work before yielding to the event loop (ms). */
  budgetMs?: number;
  /** Files read at once. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

export interface IngestStats {
  files: number;
  manifests: number;
  cancelled: boolean;
  /** The longest synchronous stretch measured between two yields (ms). */
  longestStretchMs: number;
}

export interface FindingsUpdate {
  byFile: ReadonlyMap<string, readonly Finding[]>;
  /** Files whose findings differ from the previous update (including files that now have none). */
  changed: string[];
  /** Time spent in the core's findings() (ms). */
  analysisMs: number;
  /** updateInSteps(): the longest stretch of the findings' work between two yields (ms). */
  longestStretchMs?: number;
}

/** `a/*.{js,map}` -> `a/*.js`, `a/*.map`: one glob group inside another is not allowed. */
export function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob.replace(/,/g, '')];
  return m[1].split(',').flatMap((alt) => expandBraces(glob.slice(0, m.index) + alt + glob.slice(m.index + m[0].length)));
}

const yieldToEventLoop = () => new Promise<void>((done) => setImmediate(done));

/** The longest stretch of synchronous work between two yields, by default (ms). */
const BUDGET_MS = 8;

export class IndexEngine {
  private readonly texts = new Map<string, string>();
  /** What the reader saw of each file read from disk (none for an editor's text). */
  private readonly sources = new Map<string, FileSource>();
  private signatures = new Map<string, string>();
  /** The findings by file of the last update, to tell unchanged lists by identity without a signature. */
  private lists = new Map<string, readonly Finding[]>();
  /** Files whose text changed since the last update: their findings' ranges may have moved even where the offsets did not. */
  private readonly edited = new Set<string>();

  /**
   * @param adjust rewrites one file's findings after the core's (the editor
   * sets per-folder severities with it); its result is what is compared and
   * published.
   */
  constructor(
    private readonly analysis: AnalysisPort,
    private adjust?: (file: string, findings: readonly Finding[]) => readonly Finding[],
  ) {}

  /** A new adjustment (the configuration changed); the next update() applies it. */
  setAdjust(adjust: ((file: string, findings: readonly Finding[]) => readonly Finding[]) | undefined): void {
    this.adjust = adjust;
  }

  /** The text the analysis holds for a file (undefined: not analysed). */
  text(key: string): string | undefined {
    return this.texts.get(key);
  }

  keys(): IterableIterator<string> {
    return this.texts.keys();
  }

  get size(): number {
    return this.texts.size;
  }

  /**
   * Sets a file's text; a text that holds no Kubernetes objects removes the
   * file. Returns whether the analysis saw a change.
   */
  setText(key: string, text: string, source?: FileSource): boolean {
    if (!looksLikeManifest(text)) return this.remove(key);
    if (this.texts.get(key) === text && sameFileSource(this.sources.get(key), source)) return false;
    this.texts.set(key, text);
    if (source) this.sources.set(key, source);
    else this.sources.delete(key);
    this.edited.add(key);
    this.analysis.setFile(key, text, source);
    return true;
  }

  remove(key: string): boolean {
    if (!this.texts.has(key)) return false;
    this.texts.delete(key);
    this.sources.delete(key);
    this.edited.add(key);
    this.analysis.removeFile(key);
    return true;
  }

  /**
   * Reads and adds many files, yielding to the event loop whenever the
   * synchronous work since the last yield reaches the budget.
   */
  async ingest(keys: readonly string[], read: (key: string) => Promise<string | FileText | undefined>, options: IngestOptions = {}): Promise<IngestStats> {
    const budget = options.budgetMs ?? BUDGET_MS;
    const concurrency = options.concurrency ?? 32;
    const stats: IngestStats = { files: keys.length, manifests: 0, cancelled: false, longestStretchMs: 0 };
    let next = 0;
    let done = 0;
    for (;;) {
      if (options.isCancelled?.()) {
        stats.cancelled = true;
        break;
      }
      if (next >= keys.length) break;
      const batch = keys.slice(next, next + concurrency);
      next += batch.length;
      const texts = await Promise.all(batch.map((k) => read(k).catch(() => undefined)));
      let stretchStart = performance.now();
      for (let i = 0; i < batch.length; i++) {
        const read = texts[i];
        if (read !== undefined && (typeof read === 'string' ? this.setText(batch[i], read) : this.setText(batch[i], read.text, read.source))) stats.manifests++;
        done++;
        const elapsed = performance.now() - stretchStart;
        if (elapsed >= budget) {
          stats.longestStretchMs = Math.max(stats.longestStretchMs, elapsed);
          await yieldToEventLoop();
          stretchStart = performance.now();
        }
      }
      stats.longestStretchMs = Math.max(stats.longestStretchMs, performance.now() - stretchStart);
      options.onProgress?.(done, keys.length);
      await yieldToEventLoop();
    }
    return stats;
  }

  /**
   * update() after a large change (the first scan): the model and its index
   * are built first, each in its own stretch with a yield in between, then
   * the rules in stretches of about `budgetMs` (a rule at a time at least), so
   * the event loop is not blocked for the whole analysis at once.
   */
  async updateInSteps(budgetMs = BUDGET_MS): Promise<FindingsUpdate> {
    this.analysis.model?.();
    await yieldToEventLoop();
    this.analysis.index?.();
    await yieldToEventLoop();
    const steps = this.analysis.findingsInSteps?.();
    if (!steps) return this.update();
    const t0 = performance.now();
    let longest = 0;
    let since = t0;
    while (!steps.next().done) {
      const stretch = performance.now() - since;
      if (stretch < budgetMs) continue;
      longest = Math.max(longest, stretch);
      await yieldToEventLoop();
      since = performance.now();
    }
    const analysisMs = performance.now() - t0;
    // The findings are ready: update() only groups them, in the same stretch as the last rules.
    const update = this.update();
    return { ...update, analysisMs, longestStretchMs: Math.max(longest, performance.now() - since) };
  }

  /** The core's findings by file, and which files' findings changed since the last call. */
  update(): FindingsUpdate {
    const t0 = performance.now();
    const all = this.analysis.findings();
    const analysisMs = performance.now() - t0;
    const grouped = new Map<string, Finding[]>();
    for (const f of all) {
      let list = grouped.get(f.loc.file);
      if (!list) grouped.set(f.loc.file, (list = []));
      list.push(f);
    }
    let byFile: Map<string, readonly Finding[]> = grouped;
    if (this.adjust) {
      byFile = new Map();
      for (const [file, list] of grouped) {
        const adjusted = this.adjust(file, list);
        if (adjusted.length > 0) byFile.set(file, adjusted);
      }
    }
    const signatures = new Map<string, string>();
    const changed: string[] = [];
    for (const [file, list] of byFile) {
      // The core hands back the same Finding objects for what it did not re-check: such a list is unchanged.
      const previous = this.lists.get(file);
      const sig = previous !== undefined && sameFindings(previous, list) ? (this.signatures.get(file) as string) : signature(list);
      signatures.set(file, sig);
      if (this.signatures.get(file) !== sig || this.edited.has(file)) changed.push(file);
    }
    for (const file of this.signatures.keys()) if (!signatures.has(file)) changed.push(file);
    this.signatures = signatures;
    this.lists = byFile;
    this.edited.clear();
    return { byFile, changed, analysisMs };
  }
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function signature(list: readonly Finding[]): string {
  let s = '';
  for (const f of list) {
    s += `${f.rule}|${f.severity}|${f.loc.start}|${f.loc.end}|${f.message}|${f.fixes.length}|`;
    for (const r of f.related) s += `${r.loc.file}:${r.loc.start}-${r.loc.end};`;
    s += '\n';
  }
  return s;
}
