// Endpoint selection: which Pods back a Service port, and which of them
// kube-proxy may pick.
// - With a cluster: the Service's EndpointSlices when the model has them
//   (their ready/serving/terminating conditions are what kube-proxy reads),
//   else the live Pods of the workloads the selector matches.
// - With manifests: the workloads the selector matches, replica by replica, as
//   symbolic endpoints (no IPs or nodes exist yet).
// - A bare Pod manifest that carries status (podIP, the Ready condition) or
//   spec.nodeName is taken at its word rather than assumed ready somewhere.
// - A readiness probe that names a port its container does not declare always
//   fails (rule probe-port-missing): such Pods never become Ready.
// kube-proxy uses ready endpoints; when none is ready it falls back to serving
// terminating ones (so connections drain during a rollout): see
// ./kube-proxy-model for its exact selection and order.
import { hasServiceSelector, type ModelIndex } from '../model/model-index';
import type { Container, Pod, Service, ServicePort, Workload } from '../model/types';
import { containerPortNamed, effectiveTargetPort } from '../model/service-ports';
import type { Backend } from './types';

export interface BackendSet {
  backends: Backend[];
  /** Where they came from, for the explanation. */
  source: 'endpointslices' | 'pods' | 'selector' | 'none';
  notes: string[];
  /** Replicas beyond MAX_SYMBOLIC_REPLICAS, counted but not listed. */
  unlisted?: { total: number; ready: number };
}

/** Replicas beyond this many are summarised, not listed one by one. */
export const MAX_SYMBOLIC_REPLICAS = 50;

/**
 * The endpoints of a Service port. `lookupPods: false` leaves an EndpointSlice
 * endpoint's Pod unnamed (a count needs no Pod: the lookup scans the
 * namespace's Pods per endpoint).
 */
export function collectBackends(index: ModelIndex, svc: Service, sp: ServicePort, { lookupPods = true }: { lookupPods?: boolean } = {}): BackendSet {
  const notes: string[] = [];
  let unlisted: BackendSet['unlisted'];
  const slices = index.endpointSlicesFor(svc).filter((s) => s.addressType !== 'FQDN');
  if (slices.length > 0) {
    const backends: Backend[] = [];
    for (const slice of slices) {
      const port = slice.ports.find((p) => (p.name ?? '') === (sp.name ?? '') && p.protocol === sp.protocol);
      for (const ep of slice.endpoints) {
        const address = ep.addresses[0];
        if (!address) continue;
        const pod = lookupPods && ep.targetRef?.kind === 'Pod' ? findPod(index, ep.targetRef.namespace || svc.namespace, ep.targetRef.name) : undefined;
        backends.push({
          address,
          symbolic: false,
          port: port?.port,
          ready: ep.ready,
          serving: ep.serving,
          terminating: ep.terminating,
          nodeName: ep.nodeName ?? pod?.pod.nodeName,
          zoneHints: ep.zoneHints,
          workload: pod?.workload,
          pod: pod?.pod,
          objectIds: [slice.id, ...(pod ? [pod.workload.id, pod.pod.id] : [])],
          note: port ? undefined : `the EndpointSlice ${slice.name} has no port named "${sp.name ?? ''}"`,
        });
      }
    }
    return { backends, source: 'endpointslices', notes };
  }
  if (!hasServiceSelector(svc)) {
    notes.push(`${svc.namespace}/${svc.name} has no selector: its endpoints are managed by hand (Endpoints/EndpointSlices), and the set has none`);
    return { backends: [], source: 'none', notes };
  }
  const workloads = index.workloadsSelectedBy(svc.namespace, svc.selector!);
  const live = workloads.some((w) => w.pods.length > 0);
  if (index.model.source === 'cluster' || live) {
    const backends: Backend[] = [];
    for (const w of workloads) {
      for (const pod of w.pods) {
        if (!pod.ip) continue;
        const containers = pod.containers.length > 0 ? pod.containers : w.containers;
        const resolved = resolveTargetPort(sp, containers);
        backends.push({
          address: pod.ip,
          symbolic: false,
          port: resolved,
          // The EndpointSlice controller marks every endpoint ready with publishNotReadyAddresses.
          ready: svc.publishNotReadyAddresses || (pod.ready && !pod.terminating),
          serving: pod.ready,
          terminating: pod.terminating,
          nodeName: pod.nodeName,
          workload: w,
          pod,
          objectIds: [w.id, pod.id],
          note: resolved === undefined ? `no container of ${pod.name} declares a port named "${sp.targetPort}"` : undefined,
        });
      }
    }
    hintZones(index, svc, backends);
    return { backends, source: 'pods', notes };
  }
  const backends: Backend[] = [];
  for (const w of workloads) {
    const resolved = resolveTargetPort(sp, w.containers);
    const ref = `${w.namespace}/${w.kind}/${w.name}`;
    const failing = failingReadinessProbe(w.containers);
    const base = {
      symbolic: true,
      port: resolved,
      ready: !failing || svc.publishNotReadyAddresses,
      serving: !failing,
      terminating: false,
      workload: w,
      objectIds: [w.id],
      note: resolved === undefined
        ? `no container of ${ref} declares a port named "${sp.targetPort}"`
        : failing && !svc.publishNotReadyAddresses
          ? `${ref}: ${failing}, so its Pods never become Ready and are not endpoints (rule probe-port-missing)`
          : undefined,
    };
    if (w.kind === 'Pod' && w.podStatus) {
      const st = w.podStatus;
      const ip = st.ips[0];
      const ready = svc.publishNotReadyAddresses || (!failing && (st.ready ?? true) && !st.terminating && (st.phase === undefined || st.phase === 'Running'));
      if (st.ready === undefined && ip) notes.push(`${ref} has a status without a Ready condition: assumed ready`);
      backends.push({
        ...base,
        address: ip ?? `<${ref}>`,
        symbolic: ip === undefined,
        ready,
        serving: !failing && (st.ready ?? true),
        terminating: st.terminating,
        nodeName: st.nodeName,
        note: base.note ?? (ready ? undefined : `${ip ?? ref} is ${st.terminating ? 'terminating' : `not ready (its status says${st.phase ? ` phase ${st.phase},` : ''} Ready ${st.ready === false ? 'False' : 'unknown'})`}`),
      });
      continue;
    }
    if (w.hostNetwork) notes.push(`${ref} uses hostNetwork: each endpoint's address is its node's, in the node's own network namespace`);
    switch (w.kind) {
      case 'DaemonSet':
        backends.push({ ...base, address: `<${ref} on each node>`, countUnknown: true });
        notes.push(`${ref} runs one Pod per node: as many endpoints as nodes, which manifests do not say`);
        break;
      case 'Job':
      case 'CronJob':
        backends.push({ ...base, address: `<${ref} Pod while it runs>` });
        notes.push(`${ref} has Pods only while a run is in progress`);
        break;
      case 'Pod':
        backends.push({ ...base, address: `<${ref}>` });
        break;
      default: {
        const n = w.replicas ?? 1;
        if (n === 0) notes.push(`${ref} has replicas: 0, so it adds no endpoint`);
        const shown = Math.min(n, MAX_SYMBOLIC_REPLICAS);
        // An exported controller says how many of its Pods are ready; the rest are listed as not ready.
        const readyCount = svc.publishNotReadyAddresses ? n : Math.min(w.statusReadyReplicas ?? n, n);
        if (readyCount < n && !failing) notes.push(`${ref}: its status says ${readyCount} of ${n} replicas are ready`);
        for (let k = 0; k < shown; k++) {
          const address = w.kind === 'StatefulSet' ? `<${w.namespace}/Pod/${w.name}-${k}>` : `<${ref} replica ${k + 1}>`;
          const notReady = k >= readyCount;
          backends.push(notReady ? { ...base, address, ready: false, serving: false, note: base.note ?? `${address} is not ready (the status counts ${readyCount} ready)` } : { ...base, address });
        }
        if (n > shown) {
          notes.push(`${ref} has ${n} replicas; the first ${shown} are listed`);
          unlisted ??= { total: 0, ready: 0 };
          unlisted.total += n - shown;
          if (base.ready) unlisted.ready += Math.max(0, readyCount - shown);
        }
      }
    }
  }
  if (backends.length > 0 && backends.every((b) => !b.symbolic)) {
    hintZones(index, svc, backends);
    return { backends, source: 'pods', notes, ...(unlisted ? { unlisted } : {}) };
  }
  if (!backends.every((b) => !b.ready)) notes.push('manifests carry no Pod IPs, nodes or readiness: endpoints are symbolic, assumed ready once running');
  return { backends, source: 'selector', notes, ...(unlisted ? { unlisted } : {}) };
}

/** How many endpoints a Service port has and how many of them kube-proxy sends to, as a trace counts them. */
export interface EndpointCount {
  total: number;
  /** Ready ones with a port: what a trace delivers to. */
  ready: number;
  /** None is ready and this many terminating ones still serve: kube-proxy falls back to them. */
  draining: number;
  /** Endpoints whose Pods declare no port the targetPort names (a trace cannot deliver to them). */
  noPort: number;
  /** One of them stands for a Pod per node (a DaemonSet): the real count depends on the nodes. */
  perNode: boolean;
  source: BackendSet['source'];
  /** Why some are not counted as ready (a probe that always fails, a port that does not resolve). */
  notes: string[];
}

export function countEndpoints(index: ModelIndex, svc: Service, sp: ServicePort): EndpointCount {
  const set = collectBackends(index, svc, sp, { lookupPods: false });
  const { usable, fallback } = usableBackends(set.backends);
  const notes = [...new Set(set.backends.filter((b) => !usable.includes(b) && b.note !== undefined).map((b) => b.note as string))];
  return {
    total: set.backends.length + (set.unlisted?.total ?? 0),
    ready: fallback ? 0 : usable.length + (set.unlisted?.ready ?? 0),
    draining: fallback ? usable.length : 0,
    noPort: set.backends.filter((b) => b.port === undefined).length,
    perNode: set.backends.some((b) => b.countUnknown === true),
    source: set.source,
    notes: [...notes, ...set.notes.filter((n) => !/assumed ready|are listed$/.test(n))],
  };
}

/** What makes a readiness probe always fail: a named port its container does not declare. */
export function failingReadinessProbe(containers: readonly Container[]): string | undefined {
  for (const c of containers) {
    if (c.init) continue;
    for (const probe of c.probes) {
      if (probe.probe !== 'readiness' || typeof probe.port !== 'string' || /^[0-9]+$/.test(probe.port)) continue;
      if (!c.ports.some((p) => p.name === probe.port)) return `the readiness probe of container ${c.name} names port "${probe.port}", which the container does not declare, so it always fails`;
    }
  }
  return undefined;
}

/**
 * Without EndpointSlices to read, the hints the EndpointSlice controller
 * writes for trafficDistribution (PreferClose, PreferSameZone): each endpoint
 * hinted for its own node's zone, when every endpoint's zone is known.
 */
function hintZones(index: ModelIndex, svc: Service, backends: Backend[]): void {
  if (svc.trafficDistribution !== 'PreferClose' && svc.trafficDistribution !== 'PreferSameZone') return;
  const zoneOf = (name: string | undefined) => index.model.nodes.find((n) => n.name === name)?.labels['topology.kubernetes.io/zone'];
  const zones = backends.map((b) => zoneOf(b.nodeName));
  if (zones.some((z) => z === undefined)) return;
  backends.forEach((b, i) => (b.zoneHints = [zones[i]!]));
}

/** The targetPort as a number on these containers: a number as is, a name looked up, absent or 0 = the port. */
export function resolveTargetPort(sp: ServicePort, containers: readonly Container[]): number | undefined {
  const t = effectiveTargetPort(sp.port, sp.targetPort);
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  return containerPortNamed(containers, t, sp.protocol)?.containerPort;
}

/** The backends kube-proxy programs: ready ones, or serving terminating ones when none is ready. */
export function usableBackends(all: readonly Backend[]): { usable: Backend[]; fallback: boolean } {
  const withPort = all.filter((b) => b.port !== undefined);
  const ready = withPort.filter((b) => b.ready);
  if (ready.length > 0) return { usable: ready, fallback: false };
  const draining = withPort.filter((b) => b.serving && b.terminating);
  return { usable: draining, fallback: draining.length > 0 };
}

export function findPod(index: ModelIndex, namespace: string, name: string): { workload: Workload; pod: Pod } | undefined {
  for (const w of index.workloadsIn(namespace)) {
    for (const p of w.pods) if (p.name === name) return { workload: w, pod: p };
  }
  return undefined;
}
