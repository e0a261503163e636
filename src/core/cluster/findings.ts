// The findings of a live cluster's model, kept up to date incrementally: after
// a burst of watch events only the namespaces the events touched (and those
// whose findings read one of them) are checked again by the namespace-scoped
// rules; global rules run on the whole model each time (see rules/rule.ts for
// the contract). The result equals a from-scratch run of every rule on the same
// model (a unit test checks it on random event sequences). No `vscode` import:
// the unit tier runs it on plain Node.
import type { KniConfig } from '../config';
import type { Finding } from '../findings/types';
import { ModelIndex } from '../model/model-index';
import type { NetworkModel } from '../model/types';
import { ALL_RULES, NamespaceFindings, RuleContext, SubjectCache } from '../rules';
import type { ObjectChange } from '../source/cluster';
import { withoutUnreadDependents } from '../rules/unread';

const EMPTY: ReadonlySet<string> = new Set();

export interface ClusterFindingsResult {
  index: ModelIndex;
  /** Sorted by `compareClusterFindings`. */
  findings: Finding[];
}

/** The namespaces a change touches: its own ('' for cluster-scoped objects) and, for a Namespace, the one it names. */
export function namespacesOf(changes: readonly ObjectChange[]): Set<string> {
  const out = new Set<string>();
  for (const c of changes) {
    out.add(c.namespace);
    if (c.kind === 'Namespace') out.add(c.name);
  }
  return out;
}

export class ClusterFindings {
  private config: KniConfig;
  private cache = new SubjectCache();
  private previousIndex: ModelIndex | undefined;
  /** Namespaces changed since `previousIndex` and since the last findings; undefined: everything. */
  private changedSinceIndex: Set<string> | undefined;
  private pending: Set<string> | undefined;
  /** The namespace-scoped rules' findings by namespace, and what they read. */
  private readonly nsFindings = new NamespaceFindings();
  /** The namespaces the namespace-scoped rules checked in the last `update` ('all': every one). */
  lastChecked: ReadonlySet<string> | 'all' = 'all';

  constructor(config: KniConfig) {
    this.config = config;
  }

  /** A new configuration: everything is checked again. */
  setConfig(config: KniConfig): void {
    this.config = config;
    this.changedAll();
  }

  /** Objects changed (watch events); `undefined`: anything may have changed (a relist). */
  changed(changes: readonly ObjectChange[] | undefined): void {
    if (changes === undefined) {
      this.changedAll();
      return;
    }
    const namespaces = namespacesOf(changes);
    for (const ns of namespaces) {
      this.changedSinceIndex?.add(ns);
      this.pending?.add(ns);
    }
  }

  private changedAll(): void {
    this.cache = new SubjectCache();
    this.previousIndex = undefined;
    this.changedSinceIndex = undefined;
    this.pending = undefined;
  }

  /**
   * The index and findings of `model`, which must be the source's model after
   * every change reported through `changed` (and no other).
   */
  update(model: NetworkModel): ClusterFindingsResult {
    const reuse = this.previousIndex && this.changedSinceIndex ? { previous: this.previousIndex, changed: this.changedSinceIndex } : undefined;
    const index = new ModelIndex(model, { ignoreLabelKeys: this.config.ignoreLabelKeys }, reuse);
    this.previousIndex = index;
    this.changedSinceIndex = new Set();

    const pending = this.pending;
    const checked = new Set<string>();
    ALL_RULES.forEach((rule, r) => {
      if (rule.scope !== 'namespace') return;
      // Every changed namespace counts as seen by the others (no label views are compared here).
      const scope = this.nsFindings.begin(r, pending, pending ?? EMPTY);
      if (scope) for (const ns of scope) checked.add(ns);
      if (scope === undefined || scope.size > 0) {
        const ctx = new RuleContext(model, index, this.config, () => undefined, scope, this.cache);
        rule.run(ctx);
        this.nsFindings.keep(r, ctx);
      }
    });
    this.pending = new Set();
    this.lastChecked = pending === undefined ? 'all' : checked;

    const lists: Finding[][] = [];
    this.nsFindings.collectLists(lists);
    const all: Finding[] = lists.flat();
    const globalCtx = new RuleContext(model, index, this.config);
    for (const rule of ALL_RULES) if (rule.scope === 'global') rule.run(globalCtx);
    for (const f of globalCtx.findings) all.push(f);
    // A partial read: no verdict that rests on what could not be read.
    const standing = withoutUnreadDependents(model, all);
    standing.sort(compareClusterFindings);
    return { index, findings: standing };
  }
}

/** Cluster findings have no file: ordered by object, rule and message. */
export function compareClusterFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.object?.namespace ?? '', b.object?.namespace ?? '') ||
    cmp(a.object?.kind ?? '', b.object?.kind ?? '') ||
    cmp(a.object?.name ?? '', b.object?.name ?? '') ||
    cmp(a.rule, b.rule) ||
    cmp(a.message, b.message) ||
    cmp(a.loc.file, b.loc.file) ||
    a.loc.start - b.loc.start
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

