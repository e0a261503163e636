// What lets a re-check of the namespace-scoped rules visit only the namespaces
// a change reaches: per rule, the findings of each namespace and the other
// namespaces they read (RuleContext.dependsOn). Shared by the manifests'
// Analysis and a live cluster's findings.
import type { Finding } from '../findings/types';
import { ALL_NAMESPACES, type RuleContext } from './context';

/**
 * The namespaces a rule must re-check: the changed ones, and every namespace
 * whose findings of that rule read (dependsOn) one of `read`, the changed
 * namespaces whose change others can see.
 */
function withDependents(changed: ReadonlySet<string>, read: ReadonlySet<string>, dependencies: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const out = new Set(changed);
  if (read.size === 0) return out;
  for (const [ns, deps] of dependencies) {
    if (out.has(ns)) continue;
    if (deps.has(ALL_NAMESPACES)) {
      out.add(ns);
      continue;
    }
    for (const d of deps) {
      if (read.has(d)) {
        out.add(ns);
        break;
      }
    }
  }
  return out;
}

export class NamespaceFindings {
  /** Per namespace-scoped rule (its index in ALL_RULES): namespace -> its findings. */
  private readonly findings: Map<string, Finding[]>[] = [];
  /** Per rule: namespace -> the other namespaces its findings read. */
  private readonly reads: Map<string, Set<string>>[] = [];

  /**
   * Starts a check of rule `r`: the namespaces to check (undefined: every
   * one), whose findings of that rule are dropped. `changed`: the namespaces
   * changed since the last check (undefined: anything may have); `visible`:
   * those of them whose change other namespaces can see.
   */
  begin(r: number, changed: ReadonlySet<string> | undefined, visible: ReadonlySet<string>): Set<string> | undefined {
    const store = (this.findings[r] ??= new Map());
    const reads = (this.reads[r] ??= new Map());
    const scope = changed === undefined ? undefined : withDependents(changed, visible, reads);
    if (scope === undefined) {
      store.clear();
      reads.clear();
    } else {
      for (const ns of scope) {
        store.delete(ns);
        reads.delete(ns);
      }
    }
    return scope;
  }

  /** Keeps what a check of rule `r` found, by the namespace of each finding's object, and what they read. */
  keep(r: number, ctx: RuleContext): void {
    const store = this.findings[r];
    for (const f of ctx.findings) {
      const ns = f.object?.namespace ?? '';
      const list = store.get(ns);
      if (list) list.push(f);
      else store.set(ns, [f]);
    }
    const reads = this.reads[r];
    for (const [ns, d] of ctx.crossNamespace) reads.set(ns, d);
  }

  /** Adds every list kept, rule by rule, namespace by namespace, to `out`. A list is never changed once kept. */
  collectLists(out: Finding[][]): void {
    for (const store of this.findings) if (store) for (const list of store.values()) out.push(list);
  }
}
