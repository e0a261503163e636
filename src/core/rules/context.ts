// What a rule sees: the model, its index, the configuration, the source texts
// (for fixes that must mirror how a value is written), and `report`.
import type { Finding, Fix, RelatedLocation, Severity } from '../findings/types';
import type { ModelIndex } from '../model/model-index';
import type { Loc, NetworkModel, ObjectMeta, ObjectRef } from '../model/types';
import type { KniConfig } from '../config/types';
import { ruleInfo, type RuleId } from './catalogue';

export interface Report {
  rule: RuleId;
  /** Defaults to the catalogue's severity; a configured severity always wins. */
  severity?: Severity;
  message: string;
  loc: Loc;
  object?: ObjectRef;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/**
 * Findings per (rule group, subject object), kept across runs of an
 * incremental analysis: a subject whose inputs (`deps`: the objects the check
 * reads) are the very same objects as last time reports its cached findings
 * instead of being checked again. Model objects of unchanged files are kept
 * (the same objects), so identity is a safe test. Valid for one configuration.
 */
export class SubjectCache {
  /** Per key (a handful), subject -> entry: one weak lookup per subject and no map per subject. */
  private readonly entries = new Map<string, WeakMap<object, { deps: readonly unknown[]; findings: Finding[] }>>();
  /** What a global rule keeps from one run to the next to redo only what changed (by a key of its own). */
  readonly state = new Map<string, unknown>();

  get(key: string, subject: object, deps: readonly unknown[]): Finding[] | undefined {
    const e = this.entries.get(key)?.get(subject);
    if (!e || e.deps.length !== deps.length) return undefined;
    for (let i = 0; i < deps.length; i++) if (e.deps[i] !== deps[i]) return undefined;
    return e.findings;
  }

  set(key: string, subject: object, deps: readonly unknown[], findings: Finding[]): void {
    let m = this.entries.get(key);
    if (!m) {
      m = new WeakMap();
      this.entries.set(key, m);
    }
    m.set(subject, { deps, findings });
  }
}

/** For RuleContext.cached: a check that reads nothing but its subject. */
export const SUBJECT_ONLY: readonly unknown[] = [];

/** For dependsOn: a dependency on every namespace. */
export const ALL_NAMESPACES = '*';

export class RuleContext {
  readonly findings: Finding[] = [];

  constructor(
    readonly model: NetworkModel,
    readonly index: ModelIndex,
    readonly config: KniConfig,
    /** The text of a source file (undefined for a cluster or an unknown file). */
    readonly text: (file: string) => string | undefined = () => undefined,
    /** Only subjects in these namespaces are checked (undefined: all). */
    readonly namespaces?: ReadonlySet<string>,
    /** Per-subject results of earlier runs (incremental analysis). */
    readonly cache?: SubjectCache,
  ) {}

  /**
   * Runs `check` for a subject unless the cache holds its findings for the
   * same `deps` (every object the check reads, the subject included; a
   * function is called only when there is a cache).
   */
  cached(key: string, subject: object, dependencies: readonly unknown[] | (() => readonly unknown[]), check: () => void): void {
    if (!this.cache) {
      check();
      return;
    }
    const deps = typeof dependencies === 'function' ? dependencies() : dependencies;
    const hit = this.cache.get(key, subject, deps);
    if (hit) {
      for (const f of hit) this.findings.push(f);
      return;
    }
    // Kept as a copy: a caller may gather its dependencies in a list it reuses.
    const kept = deps.slice();
    const start = this.findings.length;
    check();
    this.cache.set(key, subject, kept, this.findings.slice(start));
  }

  /**
   * An empty list to gather a subject's dependencies in for `cached`,
   * the same one each time (a re-analysis asks for thousands of subjects,
   * nearly all of them hits, and `cached` copies the list it keeps).
   */
  scratchDependencies(): unknown[] {
    this.scratch.length = 0;
    return this.scratch;
  }

  private readonly scratch: unknown[] = [];

  /**
   * Namespace N -> the other namespaces its findings read (ALL_NAMESPACES:
   * any). A namespace-scoped rule that looks across namespaces records it, so
   * an incremental analysis re-checks N when one of those changes.
   */
  readonly crossNamespace = new Map<string, Set<string>>();

  /** Findings about subjects in `namespace` also depend on objects in `other` (ALL_NAMESPACES: in any namespace). */
  dependsOn(namespace: string, other: string): void {
    if (other === namespace) return;
    let set = this.crossNamespace.get(namespace);
    if (!set) {
      set = new Set();
      this.crossNamespace.set(namespace, set);
    }
    set.add(other);
  }

  /** Whether a subject in this namespace is to be checked in this run. */
  inScope(namespace: string): boolean {
    return this.namespaces === undefined || this.namespaces.has(namespace);
  }

  /**
   * The subjects to check: all of `all`, or with a namespace scope only those
   * of the scoped namespaces (from the index's per-namespace lists, so a
   * scoped run never walks the whole model).
   */
  scoped<T>(all: readonly T[], perNamespace: (namespace: string) => readonly T[]): readonly T[] {
    if (this.namespaces === undefined) return all;
    const out: T[] = [];
    for (const ns of this.namespaces) for (const x of perNamespace(ns)) out.push(x);
    return out;
  }

  /** Whether the rule reports anything at all under this configuration. */
  enabled(rule: RuleId): boolean {
    const configured = this.config.rules[rule];
    if (configured !== undefined) return configured !== 'off';
    return ruleInfo(rule)?.severity !== 'off';
  }

  report(r: Report): void {
    const severity = effectiveSeverity(this.config, r.rule, r.severity);
    if (severity === undefined) return;
    this.findings.push({
      rule: r.rule,
      severity,
      message: r.message,
      loc: r.loc,
      object: r.object,
      related: r.related ?? [],
      fixes: r.fixes ?? [],
    });
  }
}

/** The severity a finding gets: the configured one, else its own, else the catalogue's; undefined = off. */
export function effectiveSeverity(config: KniConfig, rule: RuleId, own?: Severity): Severity | undefined {
  const configured = config.rules[rule];
  if (configured !== undefined) return configured === 'off' ? undefined : configured;
  if (own) return own;
  const def = ruleInfo(rule)?.severity;
  return def === undefined || def === 'off' ? undefined : def;
}

// ---------------------------------------------------------------- helpers for rules

export function refOf(o: ObjectMeta): ObjectRef {
  return { kind: o.kind, namespace: o.namespace, name: o.name };
}

/** "Deployment shop/carts" (cluster-scoped objects without the namespace). */
export function nameOf(o: { kind: string; namespace: string; name: string }): string {
  return o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;
}

/** The best location for a finding about the whole object: its name, else the object. */
export function objectLoc(o: ObjectMeta): Loc {
  return o.origin.nameLoc ?? o.origin.loc ?? { file: o.origin.file ?? '', start: 0, end: 0 };
}

/** A related location pointing at an object (its name), if it has one. */
export function relatedAt(loc: Loc | undefined, o: ObjectMeta, message: string): RelatedLocation[] {
  const at = loc ?? o.origin.nameLoc ?? o.origin.loc;
  return at && at.file ? [{ loc: at, message }] : [];
}

/**
 * The text to put in place of the scalar at `loc` so it reads `value`: the
 * same quote style as the existing text (JSON files always quote strings);
 * a value YAML would read as a non-string gets quoted.
 */
export function replacementScalar(ctx: RuleContext, loc: Loc, value: string | number): string {
  const existing = ctx.text(loc.file)?.slice(loc.start, loc.end) ?? '';
  const json = loc.file.toLowerCase().endsWith('.json');
  if (typeof value === 'number') return String(value);
  if (existing.startsWith('"') || json) return JSON.stringify(value);
  if (existing.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (/^[A-Za-z_][A-Za-z0-9._/-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value)) return value;
  return JSON.stringify(value);
}

/** The two rows editDistance works in, grown as needed (it is called per workload of a namespace). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (rowA.length < b.length + 1) {
    rowA = new Int32Array(2 * (b.length + 1));
    rowB = new Int32Array(2 * (b.length + 1));
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    const done = prev;
    prev = cur;
    cur = done;
  }
  return prev[b.length];
}

/**
 * Whether two names are close enough to be a typo of each other: at most 2
 * edits and fewer than half the longer name's length ("cart"/"carts",
 * "frontend"/"frontent"; not "api"/"web").
 */
export function similarNames(a: string, b: string): boolean {
  if (a === b) return false;
  const d = editDistance(a, b, 2);
  return d <= 2 && d * 2 < Math.max(a.length, b.length);
}

/** "a, b and c". */
export function listing(items: string[], max = 3): string {
  if (items.length <= max) {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  }
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
