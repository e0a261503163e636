// Live Pods grouped into Workloads by their controller, incrementally: adding,
// changing or removing a Pod touches only its own Workload.
//
// Grouping (we read Pods only, never the controllers themselves):
// - ownerReferences with controller=true names the owner;
// - a ReplicaSet whose Pods carry `pod-template-hash: H` and whose name ends in
//   "-H" was made by a Deployment: the Workload is Deployment "<name minus -H>"
//   (the Deployment controller names ReplicaSets "<deployment>-<pod-template-hash>");
//   a ReplicaSet without that shape is its own Workload;
// - StatefulSet, DaemonSet, Job and ReplicationController own their Pods directly;
// - a bare Pod, or a Pod owned by a controller kind the model does not know
//   (a CRD such as an Argo Rollout), is its own Workload of kind 'Pod'; its
//   `owner` still names the real controller.
// Workload ids: the owner's UID from the ownerReference; a Deployment (whose
// UID the Pods do not carry) gets "Deployment:<namespace>/<name>".
// podLabels: the labels every Pod of the Workload has with the same value, minus
// the labels controllers add per Pod or per revision (POD_SPECIFIC_LABELS).
// Not known from Pods: the controller's own labels and annotations (left
// empty), selector and replicas (undefined; see `pods.length`); a StatefulSet's
// serviceName is read from its Pods' spec.subdomain (the controller sets it).
// containers: those of one Pod (a ready one first, then by name).
import type { Container, Labels, Pod, Workload, WorkloadKind } from '../../model/types';
import { controllerRef, podSubdomain, toPod, type ControllerRef, type Raw } from './convert';

/** Labels the controllers set per Pod or per template revision: never part of podLabels. */
export const POD_SPECIFIC_LABELS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/controller-uid',
  'controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

const DIRECT: Readonly<Record<string, { kind: WorkloadKind; apiVersion: string }>> = {
  ReplicaSet: { kind: 'ReplicaSet', apiVersion: 'apps/v1' },
  StatefulSet: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  DaemonSet: { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  Job: { kind: 'Job', apiVersion: 'batch/v1' },
  ReplicationController: { kind: 'ReplicationController', apiVersion: 'v1' },
};

interface Group {
  id: string;
  kind: WorkloadKind;
  apiVersion: string;
  name: string;
  namespace: string;
  pods: Map<string, Pod>;
  /** "key\0value" → number of Pods with that label. */
  labelCounts: Map<string, number>;
  subdomain?: string;
  /** The built Workload; undefined when a Pod changed since. */
  built?: Workload;
  /** The last Pod's containers, labels and annotations: equal ones of the next Pod are these objects. */
  shared?: Pick<Pod, 'containers' | 'labels' | 'annotations'>;
}

interface Owner {
  key: string;
  id: string;
  kind: WorkloadKind;
  apiVersion: string;
  name: string;
}

function ownerOf(ref: ControllerRef | undefined, pod: Pod): Owner {
  const ns = pod.namespace;
  if (ref) {
    const hash = pod.labels['pod-template-hash'];
    if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`) && ref.name.length > hash.length + 1) {
      const name = ref.name.slice(0, -(hash.length + 1));
      const id = `Deployment:${ns}/${name}`;
      return { key: id, id, kind: 'Deployment', apiVersion: 'apps/v1', name };
    }
    const direct = DIRECT[ref.kind];
    if (direct) {
      const id = ref.uid || `${ref.kind}:${ns}/${ref.name}`;
      return { key: `${ref.kind}:${ns}/${ref.name}`, id, kind: direct.kind, apiVersion: direct.apiVersion, name: ref.name };
    }
  }
  return { key: `Pod:${ns}/${pod.name}`, id: pod.id, kind: 'Pod', apiVersion: 'v1', name: pod.name };
}

export class WorkloadIndex {
  private readonly groups = new Map<string, Group>();
  /** Pod UID → the key of its group. */
  private readonly podGroup = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private list: Workload[] | undefined;

  /** Adds or replaces a Pod; returns the ids of the Workloads that changed. */
  upsert(raw: Raw): string[] {
    const pod = toPod(raw);
    if (!pod) return [];
    const ref = controllerRef(raw);
    const owner = ownerOf(ref, pod);
    if (ref) {
      // The Workload the Pod belongs to; for an unknown controller kind, that controller.
      pod.owner = { kind: owner.kind === 'Pod' ? ref.kind : owner.kind, namespace: pod.namespace, name: owner.kind === 'Pod' ? ref.name : owner.name };
    }
    const changed: string[] = [];
    const previous = this.podGroup.get(pod.id);
    if (previous !== undefined && previous !== owner.key) changed.push(...this.removeFrom(previous, pod.id));
    let g = this.groups.get(owner.key);
    if (!g) {
      g = { id: owner.id, kind: owner.kind, apiVersion: owner.apiVersion, name: owner.name, namespace: pod.namespace, pods: new Map(), labelCounts: new Map() };
      this.groups.set(owner.key, g);
    }
    share(g, pod);
    const old = g.pods.get(pod.id);
    if (old) countLabels(g, old.labels, -1);
    countLabels(g, pod.labels, 1);
    g.pods.set(pod.id, pod);
    const sub = podSubdomain(raw);
    if (sub && owner.kind === 'StatefulSet') g.subdomain = sub;
    this.podGroup.set(pod.id, owner.key);
    this.touch(owner.key);
    changed.push(g.id);
    return changed;
  }

  /** Removes a Pod by UID; returns the ids of the Workloads that changed (or went away). */
  delete(uid: string): string[] {
    const key = this.podGroup.get(uid);
    return key === undefined ? [] : this.removeFrom(key, uid);
  }

  /** All Pod UIDs known (for a relist: what is no longer there gets deleted). */
  podUids(): IterableIterator<string> {
    return this.podGroup.keys();
  }

  /** The Workloads; rebuilds only those whose Pods changed since the last call. */
  workloads(): Workload[] {
    if (this.list && this.dirty.size === 0) return this.list;
    for (const key of this.dirty) {
      const g = this.groups.get(key);
      if (g) g.built = build(g);
    }
    this.dirty.clear();
    this.list = [];
    for (const g of this.groups.values()) if (g.built) this.list.push(g.built);
    return this.list;
  }

  private removeFrom(key: string, uid: string): string[] {
    const g = this.groups.get(key);
    this.podGroup.delete(uid);
    if (!g) return [];
    const old = g.pods.get(uid);
    if (old) {
      countLabels(g, old.labels, -1);
      g.pods.delete(uid);
    }
    if (g.pods.size === 0) {
      this.groups.delete(key);
      this.dirty.delete(key);
      this.list = undefined;
    } else {
      this.touch(key);
    }
    return [g.id];
  }

  private touch(key: string): void {
    this.dirty.add(key);
  }
}

/**
 * The Pods of one controller come from one template: their containers (ports,
 * probes), labels and annotations are usually equal. An equal part becomes the
 * object the previous Pod has, so 20,000 Pods hold a few hundred copies, and the
 * Pod's own copy dies young (cheap to collect; measured in bench/cluster.bench.mjs).
 * Model objects are never changed in place, so sharing them is safe.
 */
function share(g: Group, pod: Pod): void {
  const s = g.shared;
  if (!s) {
    g.shared = { containers: pod.containers, labels: pod.labels, annotations: pod.annotations };
    return;
  }
  if (equalJson(pod.containers, s.containers)) pod.containers = s.containers;
  else s.containers = pod.containers;
  if (equalJson(pod.labels, s.labels)) pod.labels = s.labels;
  else s.labels = pod.labels;
  if (equalJson(pod.annotations, s.annotations)) pod.annotations = s.annotations;
  else s.annotations = pod.annotations;
}

/** Deep equality of JSON-like values (plain objects, arrays, primitives); key order does not matter. */
function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !equalJson(ao[k], bo[k])) return false;
    n++;
  }
  for (const _k in bo) n--;
  return n === 0;
}

function countLabels(g: Group, labels: Labels, delta: number): void {
  for (const k in labels) {
    if (POD_SPECIFIC_LABELS.has(k)) continue;
    const key = `${k}\0${labels[k]}`;
    const n = (g.labelCounts.get(key) ?? 0) + delta;
    if (n <= 0) g.labelCounts.delete(key);
    else g.labelCounts.set(key, n);
  }
}

function build(g: Group): Workload {
  const pods = Array.from(g.pods.values());
  const first = pods[0];
  let podLabels: Record<string, string> = {};
  if (g.kind === 'Pod') {
    podLabels = { ...first.labels };
  } else {
    for (const [key, n] of g.labelCounts) {
      if (n !== pods.length) continue;
      const i = key.indexOf('\0');
      podLabels[key.slice(0, i)] = key.slice(i + 1);
    }
  }
  const w: Workload = {
    id: g.id,
    kind: g.kind,
    apiVersion: g.apiVersion,
    name: g.name,
    namespace: g.namespace,
    labels: g.kind === 'Pod' ? first.labels : {},
    annotations: g.kind === 'Pod' ? first.annotations : {},
    origin: { source: 'cluster' },
    podLabels,
    containers: representativeContainers(pods),
    hostNetwork: pods.some((p) => p.hostNetwork),
    pods,
  };
  if (g.kind === 'StatefulSet' && g.subdomain) w.serviceName = g.subdomain;
  return w;
}

/** The containers of one Pod: a ready one, then by name (stable while Pods come and go). */
function representativeContainers(pods: Pod[]): Container[] {
  let best: Pod | undefined;
  for (const p of pods) {
    if (!best || (p.ready && !best.ready) || (p.ready === best.ready && p.name < best.name)) best = p;
  }
  return best ? best.containers : [];
}
