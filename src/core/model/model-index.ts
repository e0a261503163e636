// Lookups over one NetworkModel, built once. Selector matching goes through an
// inverted index (namespace -> "key=value" -> workloads) so that a selector is
// checked only against the workloads that carry at least one of its labels,
// never against every workload of the set.
import { controllerLabelsAllow, splitControllerRequirements } from './controller-labels';
import { firstFrom } from './collect';
import {
  isEmptySelector,
  labelsWithoutKeys,
  selectorMatches,
  withoutKeys,
} from './selectors';
import type {
  EndpointSlice,
  Ingress,
  IngressClass,
  LabelSelector,
  Labels,
  ModelObject,
  NetworkModel,
  NetworkPolicy,
  Service,
  Workload,
} from './types';

export interface ModelIndexOptions {
  /** Label keys dropped from pod labels and selectors before matching (config `ignoreLabelKeys`). */
  ignoreLabelKeys?: readonly string[];
}

/** The label every namespace carries (Kubernetes ≥ 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Per-namespace lookups, built on first use (and reused by the next index when the namespace did not change). */
interface NamespaceBucket {
  all: Workload[];
  /** "key=value" -> workloads with that pod label. */
  byPair?: Map<string, Workload[]>;
  /** key -> workloads that have the key (any value). */
  byKey?: Map<string, Workload[]>;
  /** Workload id -> the Services / NetworkPolicies of this namespace selecting it. */
  servicesByWorkload?: Map<string, Service[]>;
  policiesByWorkload?: Map<string, NetworkPolicy[]>;
  services: Service[];
  policies: NetworkPolicy[];
  /** hasMatch / workloadsSelectedBy results by selector object (selectors of unchanged files are the same objects). */
  matchMemo?: WeakMap<LabelSelector, boolean>;
  selectedMemo?: WeakMap<LabelSelector, Workload[]>;
}

/** A namespace's objects of the other kinds the index looks up (rebuilt only when the namespace changed). */
interface NamespaceObjects {
  servicesByName: Map<string, Service[]>;
  slicesByService: Map<string, EndpointSlice[]>;
  ingresses: Ingress[];
}

/**
 * What a rule that looks into another namespace can read there: the kind,
 * name and pod labels of its workloads (in order), its labels, and whether a
 * Namespace object declares it. Kept (the same object) from one index to the
 * next while these stay equal, so a token compare tells "unchanged".
 */
interface LabelView {
  workloads: readonly Workload[];
  labels: Labels | undefined;
  declared: boolean;
}

const EMPTY: never[] = [];

/**
 * Reuse of a previous index's per-namespace work: valid for the namespaces
 * whose objects did not change (the same objects, in the same order).
 */
export interface ModelIndexReuse {
  previous: ModelIndex;
  /** Namespaces whose objects may have changed since `previous` was built. */
  changed: ReadonlySet<string>;
  /**
   * The files whose objects changed (no other did), for a model whose lists
   * are in file order as a manifest model's are: a changed namespace's
   * workloads, Services, policies and Ingresses are then its previous ones
   * with those files' objects replaced, and the model's other objects are
   * not walked.
   */
  files?: ReadonlySet<string>;
}

export class ModelIndex {
  readonly model: NetworkModel;
  readonly ignoreLabelKeys: ReadonlySet<string>;
  private readonly buckets = new Map<string, NamespaceBucket>();
  /** Pod labels with the ignored keys dropped, per workload object (shared with reusing indexes). */
  private podLabelsOf = new WeakMap<Workload, Labels>();
  private readonly objects = new Map<string, NamespaceObjects>();
  private objectsById?: Map<string, ModelObject>;
  private readonly nsLabels = new Map<string, Labels>();
  private readonly declaredNamespaces = new Set<string>();
  /** Namespaces that namespaced objects are in (each also has an entry in nsLabels). */
  private readonly usedNamespaces = new Set<string>();
  private readonly labelViews = new Map<string, LabelView>();

  constructor(model: NetworkModel, options: ModelIndexOptions = {}, reuse?: ModelIndexReuse) {
    this.model = model;
    this.ignoreLabelKeys = new Set(options.ignoreLabelKeys ?? []);
    const previous = reuse && sameKeys(reuse.previous.ignoreLabelKeys, this.ignoreLabelKeys) ? reuse.previous : undefined;
    // With a previous index only the changed namespaces' objects are collected
    // again; every other namespace's lookups are the previous index's (its
    // objects are the very same ones, in the same order).
    const changed = previous ? (reuse as ModelIndexReuse).changed : undefined;
    if (previous && changed) {
      this.podLabelsOf = previous.podLabelsOf;
      for (const [ns, b] of previous.buckets) if (!changed.has(ns)) this.buckets.set(ns, b);
      for (const [ns, o] of previous.objects) if (!changed.has(ns)) this.objects.set(ns, o);
      for (const ns of previous.usedNamespaces) if (!changed.has(ns)) this.usedNamespaces.add(ns);
    }
    // Only the changed namespaces' objects come by below (skip), and none of
    // their previous entries was taken over: an entry found is one made here.
    const bucket = (ns: string): NamespaceBucket => {
      let b = this.buckets.get(ns);
      if (!b) {
        b = { all: [], services: [], policies: [] };
        this.buckets.set(ns, b);
      }
      return b;
    };
    const objects = (ns: string): NamespaceObjects => {
      let o = this.objects.get(ns);
      if (!o) {
        o = { servicesByName: new Map(), slicesByService: new Map(), ingresses: [] };
        this.objects.set(ns, o);
      }
      return o;
    };
    const used = this.usedNamespaces;
    // Objects of one namespace mostly come in runs (files are in path order): one Set lookup per run.
    let lastNamespace: string | undefined;
    let lastSkipped = false;
    const skip = (ns: string): boolean => {
      if (!changed) return false;
      if (ns !== lastNamespace) {
        lastNamespace = ns;
        lastSkipped = !changed.has(ns);
      }
      return lastSkipped;
    };
    const lists = previous && changed && reuse?.files ? changedLists(previous, model, changed, reuse.files) : model;
    for (const w of lists.workloads) {
      if (skip(w.namespace)) continue;
      bucket(w.namespace).all.push(w);
      if (w.namespace) used.add(w.namespace);
    }
    for (const s of lists.services) {
      if (skip(s.namespace)) continue;
      push(objects(s.namespace).servicesByName, s.name, s);
      bucket(s.namespace).services.push(s);
      if (s.namespace) used.add(s.namespace);
    }
    for (const p of lists.networkPolicies) {
      if (skip(p.namespace)) continue;
      bucket(p.namespace).policies.push(p);
      if (p.namespace) used.add(p.namespace);
    }
    for (const e of model.endpointSlices) {
      if (skip(e.namespace)) continue;
      push(objects(e.namespace).slicesByService, e.serviceName, e);
      if (e.namespace) used.add(e.namespace);
    }
    for (const i of lists.ingresses) {
      if (skip(i.namespace)) continue;
      objects(i.namespace).ingresses.push(i);
      if (i.namespace) used.add(i.namespace);
    }
    for (const r of model.routes) if (r.namespace && !skip(r.namespace)) used.add(r.namespace);
    if (previous && changed) {
      for (const ns of changed) {
        // What was worked out from the very same workloads (and Services, policies) still holds.
        const b = this.buckets.get(ns);
        const old = previous.buckets.get(ns);
        if (!b || !old || !sameList(old.all, b.all)) continue;
        b.byPair = old.byPair;
        b.byKey = old.byKey;
        b.matchMemo = old.matchMemo;
        b.selectedMemo = old.selectedMemo;
        if (sameList(old.services, b.services)) b.servicesByWorkload = old.servicesByWorkload;
        if (sameList(old.policies, b.policies)) b.policiesByWorkload = old.policiesByWorkload;
      }
    }

    for (const ns of model.namespaces) {
      this.declaredNamespaces.add(ns.name);
      this.nsLabels.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name }); // the last one wins
    }
    for (const ns of this.usedNamespaces) if (!this.nsLabels.has(ns)) this.nsLabels.set(ns, { [NAMESPACE_NAME_LABEL]: ns });

    for (const ns of new Set([...this.nsLabels.keys(), ...this.buckets.keys()])) {
      const view: LabelView = { workloads: this.buckets.get(ns)?.all ?? EMPTY, labels: this.nsLabels.get(ns), declared: this.declaredNamespaces.has(ns) };
      const old = previous?.labelViews.get(ns);
      this.labelViews.set(ns, old && sameLabelView(old, view) ? old : view);
    }
  }

  /** The pod labels used for matching (ignored keys dropped). */
  podLabels(w: Workload): Labels {
    if (this.ignoreLabelKeys.size === 0) return w.podLabels;
    let labels = this.podLabelsOf.get(w);
    if (!labels) {
      labels = labelsWithoutKeys(w.podLabels, this.ignoreLabelKeys);
      this.podLabelsOf.set(w, labels);
    }
    return labels;
  }

  /** The Services of a namespace (model order). */
  servicesIn(namespace: string): readonly Service[] {
    return this.buckets.get(namespace)?.services ?? EMPTY;
  }

  /** The NetworkPolicies of a namespace (model order). */
  policiesIn(namespace: string): readonly NetworkPolicy[] {
    return this.buckets.get(namespace)?.policies ?? EMPTY;
  }

  /** The Ingresses of a namespace (model order). */
  ingressesIn(namespace: string): readonly Ingress[] {
    return this.objects.get(namespace)?.ingresses ?? EMPTY;
  }

  /** All workloads of a namespace. */
  workloadsIn(namespace: string): readonly Workload[] {
    return this.buckets.get(namespace)?.all ?? EMPTY;
  }

  /** Workloads in `namespace` whose pod labels the selector matches; an empty selector selects all. */
  workloadsSelectedBy(namespace: string, selector: LabelSelector): Workload[] {
    return this.selectedBy(namespace, selector).slice();
  }

  /**
   * workloadsSelectedBy without the copy: the index's own list, never to be
   * changed (for the rules, which read it for every subject on every run).
   */
  selectedBy(namespace: string, selector: LabelSelector): readonly Workload[] {
    const b = this.buckets.get(namespace);
    if (!b) return EMPTY;
    b.selectedMemo ??= new WeakMap();
    let out = b.selectedMemo.get(selector);
    if (!out) {
      const whole = withoutKeys(selector, this.ignoreLabelKeys);
      // Labels controllers write on each Pod are judged apart (controller-labels.ts).
      const split = splitControllerRequirements(whole);
      const sel = split ? split.rest : whole;
      if (isEmptySelector(sel) && !split) out = b.all;
      else {
        out = [];
        for (const w of isEmptySelector(sel) ? b.all : this.candidates(b, sel)) {
          if (selectorMatches(sel, this.podLabels(w)) && (!split || controllerLabelsAllow(w, split.controller))) out.push(w);
        }
      }
      b.selectedMemo.set(selector, out);
    }
    return out;
  }

  /** Whether any workload in `namespace` matches (an empty selector: any workload at all). */
  hasMatch(namespace: string, selector: LabelSelector): boolean {
    const b = this.buckets.get(namespace);
    if (!b || b.all.length === 0) return false;
    b.matchMemo ??= new WeakMap();
    const memo = b.matchMemo.get(selector);
    if (memo !== undefined) return memo;
    const whole = withoutKeys(selector, this.ignoreLabelKeys);
    const split = splitControllerRequirements(whole);
    const sel = split ? split.rest : whole;
    let found = isEmptySelector(sel) && !split;
    if (!found) {
      for (const w of isEmptySelector(sel) ? b.all : this.candidates(b, sel)) {
        if (selectorMatches(sel, this.podLabels(w)) && (!split || controllerLabelsAllow(w, split.controller))) {
          found = true;
          break;
        }
      }
    }
    b.matchMemo.set(selector, found);
    return found;
  }

  /** Whether the selector (ignored keys dropped) matches the workload's pod labels. */
  matches(selector: LabelSelector, w: Workload): boolean {
    const whole = withoutKeys(selector, this.ignoreLabelKeys);
    const split = splitControllerRequirements(whole);
    if (!split) return selectorMatches(whole, this.podLabels(w));
    return selectorMatches(split.rest, this.podLabels(w)) && controllerLabelsAllow(w, split.controller);
  }

  servicesNamed(namespace: string, name: string): Service[] {
    return this.objects.get(namespace)?.servicesByName.get(name) ?? [];
  }

  /** Services in the workload's namespace whose (non-empty) selector matches its pods. */
  servicesSelecting(w: Workload): Service[] {
    const b = this.buckets.get(w.namespace);
    if (!b) return [];
    if (!b.servicesByWorkload) {
      const map = new Map<string, Service[]>();
      for (const s of b.services) {
        if (!hasServiceSelector(s)) continue;
        for (const x of this.workloadsSelectedBy(s.namespace, s.selector as LabelSelector)) push(map, x.id, s);
      }
      b.servicesByWorkload = map;
    }
    return b.servicesByWorkload.get(w.id) ?? [];
  }

  /** NetworkPolicies in the workload's namespace whose podSelector selects it. */
  policiesSelecting(w: Workload): NetworkPolicy[] {
    const b = this.buckets.get(w.namespace);
    if (!b) return [];
    if (!b.policiesByWorkload) {
      const map = new Map<string, NetworkPolicy[]>();
      for (const p of b.policies) {
        for (const x of this.workloadsSelectedBy(p.namespace, p.podSelector)) push(map, x.id, p);
      }
      b.policiesByWorkload = map;
    }
    return b.policiesByWorkload.get(w.id) ?? [];
  }

  /**
   * A namespace's labels: a declared Namespace's labels (plus the implicit name
   * label), or only the implicit name label for a namespace seen through the
   * objects in it; undefined for a namespace the set does not mention.
   */
  namespaceLabels(namespace: string): Labels | undefined {
    return this.nsLabels.get(namespace);
  }

  /**
   * A token for what a look from another namespace can see in `namespace`:
   * its workloads' kinds, names and pod labels (in order), its labels and
   * whether it is declared. Equal (===) across two indexes when none of that
   * changed, even if other objects of the namespace (or their positions) did.
   */
  labelViewToken(namespace: string): unknown {
    return this.labelViews.get(namespace) ?? null;
  }

  /** Every namespace the set mentions (declared or used), sorted. */
  knownNamespaces(): string[] {
    return [...this.nsLabels.keys()].sort();
  }

  /** Whether a Namespace object for it is in the set. */
  isDeclaredNamespace(namespace: string): boolean {
    return this.declaredNamespaces.has(namespace);
  }

  /**
   * Known namespaces whose labels the selector matches. `complete` is true
   * only when no namespace outside the set could match too: the model is a
   * whole cluster, or the selector pins namespaces by their name label
   * (`kubernetes.io/metadata.name` = / in) and every pinned name is one the
   * set knows (a namespace the set never mentions may exist all the same).
   */
  namespacesMatching(selector: LabelSelector): { names: string[]; complete: boolean } {
    const names: string[] = [];
    for (const [ns, labels] of this.nsLabels) {
      if (selectorMatches(selector, labels)) names.push(ns);
    }
    names.sort();
    const pinned = pinnedNamespaceNames(selector);
    const complete = this.model.source === 'cluster' || (pinned !== undefined && pinned.every((n) => this.nsLabels.has(n)));
    return { names, complete };
  }

  endpointSlicesFor(service: Service): EndpointSlice[] {
    return this.objects.get(service.namespace)?.slicesByService.get(service.name) ?? [];
  }

  byId(id: string): ModelObject | undefined {
    if (!this.objectsById) {
      const map = new Map<string, ModelObject>();
      const m = this.model;
      const all: ModelObject[][] = [m.namespaces, m.nodes, m.workloads, m.services, m.endpointSlices, m.ingresses, m.ingressClasses, m.routes, m.networkPolicies, m.adminNetworkPolicies];
      for (const list of all) for (const o of list) map.set(o.id, o);
      for (const w of m.workloads) for (const p of w.pods) map.set(p.id, p);
      this.objectsById = map;
    }
    return this.objectsById.get(id);
  }

  get ingressClasses(): IngressClass[] {
    return this.model.ingressClasses;
  }

  /** The namespace's label index, built on first use. */
  private labelIndex(b: NamespaceBucket): { byPair: Map<string, Workload[]>; byKey: Map<string, Workload[]> } {
    if (!b.byPair || !b.byKey) {
      const byPair = new Map<string, Workload[]>();
      const byKey = new Map<string, Workload[]>();
      for (const w of b.all) {
        const labels = this.podLabels(w);
        for (const k in labels) {
          if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
          push(byPair, `${k}=${labels[k]}`, w);
          push(byKey, k, w);
        }
      }
      b.byPair = byPair;
      b.byKey = byKey;
    }
    return b as { byPair: Map<string, Workload[]>; byKey: Map<string, Workload[]> };
  }

  /** The smallest list that must contain every match (no closure or object per call: the rules ask for every subject). */
  private candidates(b: NamespaceBucket, sel: LabelSelector): readonly Workload[] {
    const { byPair, byKey } = this.labelIndex(b);
    let best: readonly Workload[] = b.all;
    const ml = sel.matchLabels;
    for (const k in ml) {
      if (!Object.prototype.hasOwnProperty.call(ml, k)) continue;
      const list = byPair.get(`${k}=${ml[k]}`) ?? EMPTY;
      if (list.length < best.length) best = list;
    }
    for (const req of sel.matchExpressions) {
      let list: readonly Workload[] | undefined;
      if (req.operator === 'Exists') list = byKey.get(req.key) ?? EMPTY;
      else if (req.operator === 'In') list = (req.values.length === 1 ? byPair.get(`${req.key}=${req.values[0]}`) : byKey.get(req.key)) ?? EMPTY;
      if (list && list.length < best.length) best = list;
    }
    return best;
  }
}

/**
 * The changed namespaces' workloads, Services, policies and Ingresses (each
 * namespace's in model order): the previous index's lists of the namespace
 * with the changed files' objects put in place of theirs, found by binary
 * search in lists sorted by file (see ModelIndexReuse.files).
 */
function changedLists(
  previous: ModelIndex,
  model: NetworkModel,
  changed: ReadonlySet<string>,
  files: ReadonlySet<string>,
): Pick<NetworkModel, 'workloads' | 'services' | 'networkPolicies' | 'ingresses'> {
  const sortedFiles = [...files].sort();
  const splice = <T extends ModelObject>(all: readonly T[], perNamespace: (ns: string) => readonly T[]): T[] => {
    // The changed files' objects now, from the model's list.
    const now: T[] = [];
    for (const f of sortedFiles) {
      const lo = firstFrom(all, f, false);
      const hi = firstFrom(all, f, true, lo);
      for (let i = lo; i < hi; i++) now.push(all[i]);
    }
    const out: T[] = [];
    for (const ns of changed) {
      const before = perNamespace(ns);
      let at = 0;
      let k = 0;
      for (const f of sortedFiles) {
        const lo = firstFrom(before, f, false, at);
        const hi = firstFrom(before, f, true, lo);
        for (let i = at; i < lo; i++) out.push(before[i]);
        // `now` holds the files' objects in this same order: k is at file f's first.
        for (; k < now.length && (now[k].origin.file ?? '') === f; k++) if (now[k].namespace === ns) out.push(now[k]);
        at = hi;
      }
      for (let i = at; i < before.length; i++) out.push(before[i]);
    }
    return out;
  };
  return {
    workloads: splice(model.workloads, (ns) => previous.workloadsIn(ns)),
    services: splice(model.services, (ns) => previous.servicesIn(ns)),
    networkPolicies: splice(model.networkPolicies, (ns) => previous.policiesIn(ns)),
    ingresses: splice(model.ingresses, (ns) => previous.ingressesIn(ns)),
  };
}

/** A Service selects Pods only with a non-empty selector (an empty one means "endpoints managed by hand"). */
export function hasServiceSelector(s: Service): boolean {
  return s.selector !== undefined && !isEmptySelector(s.selector);
}

/** Workloads deduplicated by namespace/kind/name (the same object defined in two files counts once). */
export function uniqueWorkloads(list: readonly Workload[]): Workload[] {
  // Names per namespace and kind: no key string is built per workload (rules
  // dedupe a whole namespace's workloads on every re-analysis).
  const seen = new Map<string, Map<string, Set<string>>>();
  const out: Workload[] = [];
  for (const w of list) {
    let kinds = seen.get(w.namespace);
    if (!kinds) seen.set(w.namespace, (kinds = new Map()));
    let names = kinds.get(w.kind);
    if (!names) kinds.set(w.kind, (names = new Set()));
    if (names.has(w.name)) continue;
    names.add(w.name);
    out.push(w);
  }
  return out;
}

/** The namespace names a selector is limited to by the name label, or undefined. */
/**
 * Workloads grouped by namespace/kind/name: the same workload defined in
 * several files (alternative versions) is one group. The group's `primary` is
 * the copy in `preferFile` if there is one (the file of the object a finding
 * is about), else the first.
 */
export function groupWorkloads(list: readonly Workload[], preferFile?: string): { primary: Workload; copies: Workload[] }[] {
  const groups = new Map<string, { primary: Workload; copies: Workload[] }>();
  for (const w of list) {
    const key = `${w.namespace}/${w.kind}/${w.name}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { primary: w, copies: [w] });
    else {
      g.copies.push(w);
      if (preferFile !== undefined && w.origin.file === preferFile && g.primary.origin.file !== preferFile) g.primary = w;
    }
  }
  return [...groups.values()];
}

/** The namespace names a selector is limited to by the name label (= or In), or undefined. */
export function pinnedNamespaceNames(sel: LabelSelector): string[] | undefined {
  if (Object.prototype.hasOwnProperty.call(sel.matchLabels, NAMESPACE_NAME_LABEL)) return [sel.matchLabels[NAMESPACE_NAME_LABEL]];
  const req = sel.matchExpressions.find((r) => r.key === NAMESPACE_NAME_LABEL && r.operator === 'In');
  return req ? req.values : undefined;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameLabelView(a: LabelView, b: LabelView): boolean {
  if (a.declared !== b.declared || !sameLabels(a.labels, b.labels)) return false;
  if (a.workloads === b.workloads) return true;
  if (a.workloads.length !== b.workloads.length) return false;
  for (let i = 0; i < a.workloads.length; i++) {
    const x = a.workloads[i];
    const y = b.workloads[i];
    if (x !== y && (x.kind !== y.kind || x.name !== y.name || !sameLabels(x.podLabels, y.podLabels))) return false;
  }
  return true;
}

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let n = 0;
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(a, k)) continue;
    if (!Object.prototype.hasOwnProperty.call(b, k) || a[k] !== b[k]) return false;
    n++;
  }
  for (const k in b) if (Object.prototype.hasOwnProperty.call(b, k)) n--;
  return n === 0;
}

function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a) if (!b.has(k)) return false;
  return true;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
