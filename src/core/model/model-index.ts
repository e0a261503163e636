// Lookups over one NetworkModel, built once. Selector matching goes through an
// inverted index (namespace -> "key=value" -> workloads) so that a selector is
// checked only against the workloads that carry at least one of its labels,
// never against every workload of the set.
import {
  isEmptySelector,
  labelsWithoutKeys,
  selectorMatches,
  withoutKeys,
} from './selectors';
import type {
  EndpointSlice,
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

interface NamespaceBucket {
  all: Workload[];
  /** "key=value" -> workloads with that pod label. */
  byPair: Map<string, Workload[]>;
  /** key -> workloads that have the key (any value). */
  byKey: Map<string, Workload[]>;
}

const EMPTY: never[] = [];

export class ModelIndex {
  readonly model: NetworkModel;
  readonly ignoreLabelKeys: ReadonlySet<string>;
  private readonly buckets = new Map<string, NamespaceBucket>();
  private readonly podLabelsById = new Map<string, Labels>();
  private readonly servicesByName = new Map<string, Service[]>();
  private readonly slicesByService = new Map<string, EndpointSlice[]>();
  private readonly objectsById = new Map<string, ModelObject>();
  private readonly nsLabels = new Map<string, Labels>();
  private readonly declaredNamespaces = new Set<string>();
  private servicesByWorkload?: Map<string, Service[]>;
  private policiesByWorkload?: Map<string, NetworkPolicy[]>;

  constructor(model: NetworkModel, options: ModelIndexOptions = {}) {
    this.model = model;
    this.ignoreLabelKeys = new Set(options.ignoreLabelKeys ?? []);

    for (const w of model.workloads) {
      const labels = labelsWithoutKeys(w.podLabels, this.ignoreLabelKeys);
      this.podLabelsById.set(w.id, labels);
      const b = this.bucket(w.namespace);
      b.all.push(w);
      for (const [k, v] of Object.entries(labels)) {
        push(b.byPair, `${k}=${v}`, w);
        push(b.byKey, k, w);
      }
    }
    for (const s of model.services) push(this.servicesByName, `${s.namespace}/${s.name}`, s);
    for (const e of model.endpointSlices) push(this.slicesByService, `${e.namespace}/${e.serviceName}`, e);

    for (const ns of model.namespaces) {
      this.declaredNamespaces.add(ns.name);
      this.nsLabels.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });
    }
    const all: ModelObject[][] = [
      model.namespaces,
      model.nodes,
      model.workloads,
      model.services,
      model.endpointSlices,
      model.ingresses,
      model.ingressClasses,
      model.routes,
      model.networkPolicies,
    ];
    for (const list of all) {
      for (const o of list) {
        this.objectsById.set(o.id, o);
        if (o.kind === 'Namespace' || o.kind === 'Node' || o.kind === 'IngressClass') continue;
        if (o.namespace && !this.nsLabels.has(o.namespace)) {
          this.nsLabels.set(o.namespace, { [NAMESPACE_NAME_LABEL]: o.namespace });
        }
      }
    }
    for (const w of model.workloads) for (const p of w.pods) this.objectsById.set(p.id, p);
  }

  /** The pod labels used for matching (ignored keys dropped). */
  podLabels(w: Workload): Labels {
    return this.podLabelsById.get(w.id) ?? labelsWithoutKeys(w.podLabels, this.ignoreLabelKeys);
  }

  /** All workloads of a namespace. */
  workloadsIn(namespace: string): readonly Workload[] {
    return this.buckets.get(namespace)?.all ?? EMPTY;
  }

  /** Workloads in `namespace` whose pod labels the selector matches; an empty selector selects all. */
  workloadsSelectedBy(namespace: string, selector: LabelSelector): Workload[] {
    const b = this.buckets.get(namespace);
    if (!b) return [];
    const sel = withoutKeys(selector, this.ignoreLabelKeys);
    if (isEmptySelector(sel)) return b.all.slice();
    const candidates = this.candidates(b, sel);
    const out: Workload[] = [];
    for (const w of candidates) {
      if (selectorMatches(sel, this.podLabels(w))) out.push(w);
    }
    return out;
  }

  /** Whether the selector (ignored keys dropped) matches the workload's pod labels. */
  matches(selector: LabelSelector, w: Workload): boolean {
    return selectorMatches(withoutKeys(selector, this.ignoreLabelKeys), this.podLabels(w));
  }

  servicesNamed(namespace: string, name: string): Service[] {
    return this.servicesByName.get(`${namespace}/${name}`) ?? [];
  }

  /** Services in the workload's namespace whose (non-empty) selector matches its pods. */
  servicesSelecting(w: Workload): Service[] {
    if (!this.servicesByWorkload) {
      const map = new Map<string, Service[]>();
      for (const s of this.model.services) {
        if (!hasServiceSelector(s)) continue;
        for (const x of this.workloadsSelectedBy(s.namespace, s.selector as LabelSelector)) push(map, x.id, s);
      }
      this.servicesByWorkload = map;
    }
    return this.servicesByWorkload.get(w.id) ?? [];
  }

  /** NetworkPolicies in the workload's namespace whose podSelector selects it. */
  policiesSelecting(w: Workload): NetworkPolicy[] {
    if (!this.policiesByWorkload) {
      const map = new Map<string, NetworkPolicy[]>();
      for (const p of this.model.networkPolicies) {
        for (const x of this.workloadsSelectedBy(p.namespace, p.podSelector)) push(map, x.id, p);
      }
      this.policiesByWorkload = map;
    }
    return this.policiesByWorkload.get(w.id) ?? [];
  }

  /**
   * A namespace's labels: a declared Namespace's labels (plus the implicit name
   * label), or only the implicit name label for a namespace seen through the
   * objects in it; undefined for a namespace the set does not mention.
   */
  namespaceLabels(namespace: string): Labels | undefined {
    return this.nsLabels.get(namespace);
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
    return this.slicesByService.get(`${service.namespace}/${service.name}`) ?? [];
  }

  byId(id: string): ModelObject | undefined {
    return this.objectsById.get(id);
  }

  get ingressClasses(): IngressClass[] {
    return this.model.ingressClasses;
  }

  private bucket(namespace: string): NamespaceBucket {
    let b = this.buckets.get(namespace);
    if (!b) {
      b = { all: [], byPair: new Map(), byKey: new Map() };
      this.buckets.set(namespace, b);
    }
    return b;
  }

  /** The smallest list that must contain every match. */
  private candidates(b: NamespaceBucket, sel: LabelSelector): readonly Workload[] {
    let best: readonly Workload[] = b.all;
    const consider = (list: readonly Workload[]) => {
      if (list.length < best.length) best = list;
    };
    for (const [k, v] of Object.entries(sel.matchLabels)) consider(b.byPair.get(`${k}=${v}`) ?? EMPTY);
    for (const req of sel.matchExpressions) {
      if (req.operator === 'Exists') consider(b.byKey.get(req.key) ?? EMPTY);
      else if (req.operator === 'In') {
        if (req.values.length === 1) consider(b.byPair.get(`${req.key}=${req.values[0]}`) ?? EMPTY);
        else consider(b.byKey.get(req.key) ?? EMPTY);
      }
    }
    return best;
  }
}

/** A Service selects Pods only with a non-empty selector (an empty one means "endpoints managed by hand"). */
export function hasServiceSelector(s: Service): boolean {
  return s.selector !== undefined && !isEmptySelector(s.selector);
}

/** Workloads deduplicated by namespace/kind/name (the same object defined in two files counts once). */
export function uniqueWorkloads(list: readonly Workload[]): Workload[] {
  const seen = new Set<string>();
  const out: Workload[] = [];
  for (const w of list) {
    const key = `${w.namespace}/${w.kind}/${w.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
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

function pinnedNamespaceNames(sel: LabelSelector): string[] | undefined {
  if (Object.prototype.hasOwnProperty.call(sel.matchLabels, NAMESPACE_NAME_LABEL)) return [sel.matchLabels[NAMESPACE_NAME_LABEL]];
  const req = sel.matchExpressions.find((r) => r.key === NAMESPACE_NAME_LABEL && r.operator === 'In');
  return req ? req.values : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
