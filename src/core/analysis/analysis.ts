// The incremental engine used by the CLI, the benchmark and the editor: files
// in, findings out, re-analysing as little as correctness allows.
//
// What is cached and when it is redone:
// - each file's parse (objects + parse findings), redone when its text changes;
//   objects of documents before the first changed character are the previous
//   ones (same identity), so caches keyed on objects keep holding;
// - the model: after a change, the previous one with the changed files'
//   objects swapped in (new lists; after larger changes, a concatenation of
//   every file's objects); the index collects only the changed namespaces'
//   objects again (their previous lists with the changed files' objects put
//   in) and reuses the previous index's work for the others;
// - findings of namespace-scoped rules, per namespace: after a change only the
//   namespaces the changed file touched (before or after the change) are
//   re-checked, plus those whose findings read the label view of a changed
//   namespace whose view did change (see rules/rule.ts); within those, a
//   subject whose inputs are the same objects as last time reuses its
//   findings (RuleContext.cached; filled from the first re-analysis on);
// - global rules (cluster-scoped objects, cross-namespace references and
//   messages) run again on every change, with state of their own from the
//   last run (SubjectCache.state: ingress-duplicate-route's route table);
// - a configuration change redoes everything.
// The result is identical to analysing the same files from scratch (a property
// tests check it); findings are sorted by file, offset, rule and message, and
// after a change only the findings of new lists are sorted and merged in.
import type { Finding } from '../findings/types';
import { ModelIndex } from '../model/model-index';
import type { ModelObject, NetworkModel } from '../model/types';
import { buildModel, parseManifestFile, sameFileSource, type FileSource, type ParsedFile } from '../source/manifests';
import { ALL_RULES, runRules } from '../rules';
import { effectiveSeverity, RuleContext, SubjectCache } from '../rules/context';
import { NamespaceFindings } from '../rules/namespace-findings';
import { DEFAULT_NAMESPACE } from '../config/facts';
import { emptyConfig, type KniConfig } from '../config/types';
import { withFileObjects } from '../model/collect';
import { disableFix } from './suppression-edits';
import { hasSuppressions, isSuppressed, readSuppressions, type Suppressions } from './suppressions';

/** Up to this many changed files, the model is the previous one with their objects swapped; more, it is built again. */
const REPLACE_FILES_LIMIT = 32;

export interface AnalysisOptions {
  /** The namespace of manifests without one (default: the config's, else "default"). */
  defaultNamespace?: string;
  config?: KniConfig;
  /** Files larger than this are not read (bytes; default: the config's maxFileSize, else 10 MB). */
  maxBytes?: number;
}

interface FileState {
  text: string;
  source?: FileSource;
  parsed: ParsedFile;
  /** Namespaces of the file's objects ('' for cluster-scoped ones). */
  namespaces: Set<string>;
  /** Parse findings with the configured severity and the disable fix. */
  parseFindings: Finding[];
  suppressions?: Suppressions;
  /** "Disable for this line" fixes already computed for this text, by "offset rule". */
  disableFixes?: Map<string, Finding['fixes'][number] | null>;
}

export class Analysis {
  private config: KniConfig;
  private defaultNamespace: string;
  private readonly maxBytesOption?: number;
  private maxBytes?: number;
  private readonly files = new Map<string, FileState>();
  /** Why a file's objects are not steady state (see setFile). */
  private readonly notes = new Map<string, string>();
  private sortedPaths: string[] | undefined = [];
  private currentModel: NetworkModel | undefined;
  /** The last model built, and the files changed since (undefined: build it again from every file). */
  private previousModel: NetworkModel | undefined;
  private changedSinceModel: Set<string> | undefined = new Set();
  private currentIndex: ModelIndex | undefined;
  /** The last index built, and the namespaces changed since (its per-namespace work is reused for the others). */
  private previousIndex: ModelIndex | undefined;
  private changedSinceIndex = new Set<string>();
  /** The files changed since the last index (the model's lists are in file order, so the index can take only their objects). */
  private filesChangedSinceIndex = new Set<string>();
  /** The namespace-scoped rules' findings by namespace, and what they read. */
  private readonly nsFindings = new NamespaceFindings();
  /** Namespaces to re-check; undefined = all. */
  private pending: Set<string> | undefined = undefined;
  /** The index the last findings() ran on (what the pending namespaces are compared against). */
  private checkedIndex: ModelIndex | undefined;
  private result: Finding[] | undefined;
  /** Counts changes of files and configuration (a paused findingsInSteps() starts over on a new one). */
  private generation = 0;
  private readonly decorated = new WeakSet<Finding>();
  /** Files whose text has a suppression comment (no file: no filtering at all). */
  private readonly directiveFiles = new Set<string>();
  /** Files with parse findings. */
  private readonly parseFindingFiles = new Set<string>();
  /** All findings of the last run, sorted (suppressed ones too), and the lists they came from (see inOrder). */
  private sorted: Finding[] = [];
  private sortedLists = new Set<Finding[]>();
  /** Per-subject findings of earlier runs (same configuration). */
  private cache = new SubjectCache();

  constructor(options: AnalysisOptions = {}) {
    this.config = options.config ?? emptyConfig();
    this.defaultNamespace = options.defaultNamespace ?? this.config.defaultNamespace ?? DEFAULT_NAMESPACE;
    this.maxBytesOption = options.maxBytes;
    this.maxBytes = options.maxBytes ?? this.config.maxFileSize;
  }

  /** Replace the configuration (and with it, possibly the default namespace): everything is redone. */
  setConfig(config: KniConfig, defaultNamespace?: string): void {
    this.config = config;
    this.cache = new SubjectCache();
    const ns = defaultNamespace ?? config.defaultNamespace ?? DEFAULT_NAMESPACE;
    const maxBytes = this.maxBytesOption ?? config.maxFileSize;
    const reparse = ns !== this.defaultNamespace || maxBytes !== this.maxBytes;
    this.defaultNamespace = ns;
    this.maxBytes = maxBytes;
    const texts = [...this.files].map(([path, f]) => [path, f.text, f.source] as const);
    if (reparse) this.files.clear();
    for (const [path, text, source] of texts) {
      if (reparse) this.files.set(path, this.parse(path, text, source));
      else {
        const f = this.files.get(path) as FileState;
        this.setParseFindings(path, f);
        f.suppressions = undefined;
      }
    }
    this.invalidate(undefined);
  }

  /**
   * A file's text, and what its reader saw (decodeManifestBytes: encoding,
   * undecodable bytes; or only the size of a file too large to read).
   * `notSteadyState` says why the file's objects are not part of the steady
   * state (a rendered Helm hook): they go to the model's notSteadyState list
   * instead of the workloads and services.
   */
  setFile(path: string, text: string, source?: FileSource, options?: { notSteadyState?: string }): void {
    const old = this.files.get(path);
    const note = options?.notSteadyState;
    const oldNote = this.notes.get(path);
    if (old && old.text === text && sameFileSource(old.source, source) && oldNote === note) return;
    if (note !== undefined) this.notes.set(path, note);
    else this.notes.delete(path);
    const state = this.parse(path, text, source);
    if (old && oldNote === note) keepUnchangedObjects(old.text, old.parsed.objects, text, state.parsed.objects);
    this.files.set(path, state);
    if (!old) this.sortedPaths = undefined;
    this.changedSinceModel?.add(path);
    this.filesChangedSinceIndex.add(path);
    this.invalidate(union(old?.namespaces, state.namespaces));
  }

  removeFile(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    this.notes.delete(path);
    this.files.delete(path);
    this.directiveFiles.delete(path);
    this.parseFindingFiles.delete(path);
    this.sortedPaths = undefined;
    this.changedSinceModel?.add(path);
    this.filesChangedSinceIndex.add(path);
    this.invalidate(old.namespaces);
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  paths(): string[] {
    if (!this.sortedPaths) this.sortedPaths = [...this.files.keys()].sort();
    return this.sortedPaths;
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  parsed(path: string): ParsedFile | undefined {
    return this.files.get(path)?.parsed;
  }

  model(): NetworkModel {
    if (!this.currentModel) {
      const previous = this.previousModel;
      const changed = this.changedSinceModel;
      // A few changed files: their objects are swapped into new lists (the
      // previous model stays as it was: callers may hold it).
      if (previous && changed && changed.size <= REPLACE_FILES_LIMIT) {
        let model = previous;
        for (const path of changed) model = withFileObjects(model, path, this.files.get(path)?.parsed.objects ?? []);
        this.currentModel = model;
      } else {
        this.currentModel = buildModel(
          this.paths().map((p) => (this.files.get(p) as FileState).parsed),
          this.defaultNamespace,
        );
      }
      this.previousModel = this.currentModel;
      this.changedSinceModel = new Set();
    }
    return this.currentModel;
  }

  index(): ModelIndex {
    if (!this.currentIndex) {
      const reuse = this.previousIndex ? { previous: this.previousIndex, changed: this.changedSinceIndex, files: this.filesChangedSinceIndex } : undefined;
      this.currentIndex = new ModelIndex(this.model(), { ignoreLabelKeys: this.config.ignoreLabelKeys }, reuse);
      this.previousIndex = this.currentIndex;
      this.changedSinceIndex = new Set();
      this.filesChangedSinceIndex = new Set();
    }
    return this.currentIndex;
  }

  /** Every finding, sorted by file, offset, rule and message. */
  findings(): Finding[] {
    const steps = this.findingsInSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * findings() in steps: it pauses after each namespace-scoped rule, so a
   * caller can let other work run between them (the editor's first findings
   * of a large workspace blocked its extension host for 0.3-0.6 s in one
   * piece). A change of files or configuration while paused starts it over
   * on the new model, without pauses (edits arriving faster than a paused run
   * ends would restart it forever): the namespaces to re-check are cleared
   * only at the end, so the rules already run are simply run again. A findings() call while
   * paused is answered in full; the paused run then finishes on the same
   * model and index, which gives the same findings.
   */
  *findingsInSteps(): Generator<void, Finding[], void> {
    let pause = true;
    for (;;) {
      const result = yield* this.runRulesInSteps(this.generation, pause);
      if (result) return result;
      pause = false;
    }
  }

  /** One pass of findingsInSteps(); undefined when the analysis changed while it was paused. */
  private *runRulesInSteps(generation: number, pause: boolean): Generator<void, Finding[] | undefined, void> {
    if (this.result) return this.result;
    const model = this.model();
    const index = this.index();
    const text = (file: string) => this.files.get(file)?.text;

    // Namespace-scoped rules, each on its own scope: the pending namespaces,
    // and those whose findings of that rule read a pending one.
    const pending = this.pending;
    // Other namespaces read only what a namespace's label view holds, so only
    // a changed view sends the namespaces that read it to be re-checked.
    const viewChanged = new Set<string>();
    if (pending) for (const ns of pending) if (index.labelViewToken(ns) !== this.checkedIndex?.labelViewToken(ns)) viewChanged.add(ns);
    for (let r = 0; r < ALL_RULES.length; r++) {
      const rule = ALL_RULES[r];
      if (rule.scope !== 'namespace') continue;
      const scope = this.nsFindings.begin(r, pending, viewChanged);
      // A from-scratch run fills no per-subject cache: most runs (kni lint)
      // never re-analyse, and the first re-analysis fills it for what it checks.
      const ctx = new RuleContext(model, index, this.config, text, scope, scope === undefined ? undefined : this.cache);
      rule.run(ctx);
      for (const f of ctx.findings) this.decorate(f);
      this.nsFindings.keep(r, ctx);
      if (pause) {
        yield;
        if (this.generation !== generation) return undefined;
      }
    }
    this.pending = new Set();
    this.checkedIndex = index;

    // Global rules re-run on every change; with the cache they may keep state from the last run.
    const globalCtx = new RuleContext(model, index, this.config, text, undefined, pending === undefined ? undefined : this.cache);
    const global: Finding[] = [];
    for (const f of runRules(globalCtx, 'global')) {
      this.decorate(f);
      global.push(f);
    }
    // The lists the findings come from; a list is never changed once made, so
    // one seen in the last run holds the same findings.
    const lists: Finding[][] = [global];
    this.nsFindings.collectLists(lists);
    // Only files with parse findings or suppression comments add findings of their own.
    for (const path of this.parseFindingFiles) lists.push((this.files.get(path) as FileState).parseFindings);
    for (const path of this.directiveFiles) lists.push(this.suppressionsOf(path, this.files.get(path) as FileState).findings);

    const sorted = this.inOrder(lists);
    this.result = this.directiveFiles.size > 0 ? sorted.filter((f) => !this.suppressed(f)) : sorted;
    return this.result;
  }

  /**
   * Every finding of `lists`, sorted. Only the lists that are new since the
   * last run are looked at: their findings that were not in the lists gone
   * since (cached findings come back as the same objects) are sorted and
   * merged into the last result, and those of the gone lists that did not
   * come back are taken out of it, each found by binary search. A
   * re-analysis changes a few findings of thousands.
   */
  private inOrder(lists: Finding[][]): Finding[] {
    const before = this.sortedLists;
    const now = new Set(lists);
    let total = 0;
    const fresh: Finding[] = [];
    for (const list of lists) {
      total += list.length;
      if (!before.has(list)) for (const f of list) fresh.push(f);
    }
    const prev = this.sorted;
    let out: Finding[] | undefined;
    if (fresh.length * 4 <= total) {
      const gone: Finding[] = [];
      for (const list of before) if (!now.has(list)) for (const f of list) gone.push(f);
      const freshSet = new Set(fresh);
      const goneSet = new Set(gone);
      const added = fresh.filter((f) => !goneSet.has(f)).sort(compareFindings);
      const dropped: number[] = [];
      for (const f of gone) {
        if (freshSet.has(f)) continue;
        for (let i = lowerBound(prev, f); i < prev.length && compareFindings(prev[i], f) === 0; i++) if (prev[i] === f) dropped.push(i);
      }
      out = mergeSorted(prev, dropped.sort((a, b) => a - b), added, total);
    }
    // The first run, mostly new findings, or the same finding twice: a plain sort.
    if (!out) {
      out = [];
      for (const list of lists) for (const f of list) out.push(f);
      out.sort(compareFindings);
    }
    this.sorted = out;
    this.sortedLists = now;
    return out;
  }

  /** The findings located in one file. */
  findingsFor(path: string): Finding[] {
    return this.findings().filter((f) => f.loc.file === path);
  }

  private parse(path: string, text: string, source: FileSource | undefined): FileState {
    const parsed = parseManifestFile(path, text, { defaultNamespace: this.defaultNamespace, maxBytes: this.maxBytes, source });
    const namespaces = new Set<string>();
    const note = this.notes.get(path);
    if (note !== undefined) for (const o of parsed.objects) o.origin.notSteadyState = note;
    for (const o of parsed.objects) {
      namespaces.add(o.namespace);
      // A Namespace object's labels belong to the namespace it names.
      if (o.kind === 'Namespace') namespaces.add(o.name);
    }
    const state: FileState = { text, source, parsed, namespaces, parseFindings: [] };
    this.files.set(path, state);
    if (text.includes('kni-disable')) this.directiveFiles.add(path);
    else this.directiveFiles.delete(path);
    this.setParseFindings(path, state);
    return state;
  }

  private setParseFindings(path: string, state: FileState): void {
    state.parseFindings = this.decorateParseFindings(state.parsed);
    if (state.parseFindings.length > 0) this.parseFindingFiles.add(path);
    else this.parseFindingFiles.delete(path);
  }

  private decorateParseFindings(parsed: ParsedFile): Finding[] {
    const out: Finding[] = [];
    for (const f of parsed.findings) {
      const severity = effectiveSeverity(this.config, f.rule, f.severity);
      if (!severity) continue;
      const copy: Finding = { ...f, severity, fixes: [...f.fixes] };
      this.decorate(copy);
      out.push(copy);
    }
    return out;
  }

  private invalidate(namespaces: Set<string> | undefined): void {
    this.generation++;
    this.currentModel = undefined;
    if (namespaces === undefined) this.changedSinceModel = undefined;
    this.currentIndex = undefined;
    if (namespaces === undefined) this.previousIndex = undefined;
    else for (const ns of namespaces) this.changedSinceIndex.add(ns);
    this.result = undefined;
    if (namespaces === undefined || this.pending === undefined) this.pending = undefined;
    else for (const ns of namespaces) this.pending.add(ns);
  }

  /** Adds the "disable for this line" fix (once per finding object: cached findings come back). */
  private decorate(f: Finding): void {
    if (this.decorated.has(f)) return;
    this.decorated.add(f);
    const state = this.files.get(f.loc.file);
    if (!state || f.fixes.some((x) => x.title.startsWith('Disable '))) return;
    state.disableFixes ??= new Map();
    const key = `${f.loc.start} ${f.rule}`;
    let fix = state.disableFixes.get(key);
    if (fix === undefined) {
      fix = disableFix(f, state.text, state.parsed.lines) ?? null;
      state.disableFixes.set(key, fix);
    }
    if (fix) f.fixes.push(fix);
  }

  private suppressionsOf(path: string, state: FileState): Suppressions {
    if (!state.suppressions) state.suppressions = readSuppressions(path, state.text, this.config);
    return state.suppressions;
  }

  private suppressed(f: Finding): boolean {
    const state = this.files.get(f.loc.file);
    if (!state) return false;
    const s = this.suppressionsOf(f.loc.file, state);
    if (!hasSuppressions(s)) return false;
    return isSuppressed(s, f.rule, f.loc.start, state.parsed.lines.positionAt(f.loc.start).line);
  }
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.loc.file !== b.loc.file) return a.loc.file < b.loc.file ? -1 : 1;
  if (a.loc.start !== b.loc.start) return a.loc.start - b.loc.start;
  if (a.loc.end !== b.loc.end) return a.loc.end - b.loc.end;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  if (a.message !== b.message) return a.message < b.message ? -1 : 1;
  return 0;
}

/** The first index whose finding sorts at or after `f`. */
function lowerBound(sorted: readonly Finding[], f: Finding): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareFindings(sorted[mid], f) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `prev` without the findings at the (ascending, possibly repeated) indexes
 * `dropped`, with `added` (sorted) merged in after any equal ones; undefined
 * when that does not make `total` findings (a finding listed twice).
 */
function mergeSorted(prev: readonly Finding[], dropped: readonly number[], added: readonly Finding[], total: number): Finding[] | undefined {
  const out = new Array<Finding>(total);
  let n = 0;
  let d = 0;
  let j = 0;
  let from = 0;
  const copy = (to: number) => {
    for (let i = from; i < to; i++) {
      if (d < dropped.length && dropped[d] === i) {
        while (d < dropped.length && dropped[d] === i) d++;
        continue;
      }
      if (n >= total) return;
      out[n++] = prev[i];
    }
    from = to;
  };
  for (; j < added.length; j++) {
    let lo = from;
    let hi = prev.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareFindings(prev[mid], added[j]) <= 0) lo = mid + 1;
      else hi = mid;
    }
    copy(lo);
    if (n >= total) return undefined;
    out[n++] = added[j];
  }
  copy(prev.length);
  return n === total && d === dropped.length ? out : undefined;
}

/**
 * Puts the previous parse's object in place of each new one read from text
 * before the first changed character (same id and span): it is the same
 * object read from the same text, and keeping its identity lets every cache
 * keyed on objects (subject findings, the index's label lookups) hold.
 */
function keepUnchangedObjects(oldText: string, old: readonly ModelObject[], text: string, objects: ModelObject[]): void {
  const n = Math.min(oldText.length, text.length);
  let same = 0;
  while (same < n && oldText.charCodeAt(same) === text.charCodeAt(same)) same++;
  let byId: Map<string, ModelObject> | undefined;
  for (let i = 0; i < objects.length; i++) {
    const loc = objects[i].origin.loc;
    if (!loc || loc.end > same) continue;
    byId ??= new Map(old.map((o) => [o.id, o]));
    const prev = byId.get(objects[i].id);
    const at = prev?.origin.loc;
    if (prev && at && at.start === loc.start && at.end === loc.end && prev.kind === objects[i].kind) objects[i] = prev;
  }
}

function union(a: Set<string> | undefined, b: Set<string>): Set<string> {
  if (!a) return b;
  const out = new Set(a);
  for (const x of b) out.add(x);
  return out;
}
