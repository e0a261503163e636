// Straight to a Pod's address, and to a port of the client's own Pod.
//
// Pod to Pod: no virtual IP, so kube-proxy is not on the path; NetworkPolicy
// judges at the source's egress and at the destination's ingress; the packet
// goes veth -> bridge -> veth on one node, or across the node network (the
// CNI plugin's routes or tunnel) between nodes; no NAT, so the reply needs
// none undone.
// localhost: the containers of one Pod share its network namespace (one
// loopback); the connection never leaves the Pod and no policy applies.
import type { ModelIndex } from '../model/model-index';
import type { Container, NetworkModel, Protocol } from '../model/types';
import { evaluatePolicies, type PodSubject } from '../policy/evaluate';
import { denyingKinds, droppedBy, policyHop } from './policy-hop';
import { routeHop } from './routing';
import type { Source } from './source';
import type { TraceHop, TraceResult } from './types';

/** The containers that run beside each other in a Pod: the regular ones and native sidecars (an init container that runs to completion first listens on nothing they can reach). */
export function runningContainers(containers: readonly Container[]): Container[] {
  return containers.filter((c) => !c.init || c.sidecar);
}

/**
 * The port to use: the one given, else the only one the Pod's running containers declare.
 * `others`: further containers that declare the same port and protocol (only one of them can listen there).
 */
function pickContainerPort(containers: readonly Container[] | undefined, port: number | string | undefined, what: string): { port: number; protocol: Protocol; container?: Container; others?: Container[] } | string {
  const picked = pickDeclared(containers, port, what);
  if (typeof picked === 'string' || !picked.container) return picked;
  const others = runningContainers(containers ?? []).filter((c) => c !== picked.container && c.ports.some((p) => p.containerPort === picked.port && p.protocol === picked.protocol));
  return others.length > 0 ? { ...picked, others } : picked;
}

function pickDeclared(containers: readonly Container[] | undefined, port: number | string | undefined, what: string): { port: number; protocol: Protocol; container?: Container } | string {
  const declared = runningContainers(containers ?? []).flatMap((c) => c.ports.map((p) => ({ c, p })));
  if (port === undefined) {
    if (declared.length === 1) return { port: declared[0].p.containerPort, protocol: declared[0].p.protocol, container: declared[0].c };
    const list = declared.map(({ p }) => `${p.containerPort}${p.name ? ` (${p.name})` : ''}/${p.protocol}`).join(', ');
    return declared.length === 0 ? `${what} declares no container port: give one (${what.includes('localhost') ? 'localhost:PORT' : 'pod/NS/NAME:PORT'})` : `${what} declares several ports (${list}): say which with :PORT`;
  }
  const byName = typeof port === 'string' && !/^\d+$/.test(port);
  const hit = declared.find(({ p }) => (byName ? p.name === port : p.containerPort === Number(port)));
  if (hit) return { port: hit.p.containerPort, protocol: hit.p.protocol, container: hit.c };
  if (byName) return `${what} has no container port named "${port}"`;
  return { port: Number(port), protocol: 'TCP' };
}

function listener(port: number, protocol: Protocol, container: Container | undefined, where: string, allowed: string, others: readonly Container[] = []): string {
  if (!container) return `${allowed}${where} on port ${port}/${protocol}: no container declares it (containerPort is informational; the process must listen on it)`;
  const also = others.length === 0 ? '' : `; container${others.length > 1 ? 's' : ''} ${others.map((c) => c.name).join(', ')} declare${others.length > 1 ? '' : 's'} it too, but the Pod's containers share one network namespace, so only the first to bind listens there (the others' bind fails): which one is not in the set`;
  return `${allowed}${where}: container ${container.name} port ${port}/${protocol}${also}`;
}

export function tracePodToPod(model: NetworkModel, index: ModelIndex, src: Source, dest: Source, port: number | string | undefined): TraceResult {
  const d = dest.subject as PodSubject;
  const picked = pickContainerPort(d.containers, port, `Pod ${d.name}`);
  if (typeof picked === 'string') return { verdict: 'unresolved', reason: picked, hops: [], endpoints: [] };
  const address = d.ips[0] ?? `<the address of ${d.name}>`;
  const hops: TraceHop[] = [
    {
      kind: 'vip',
      detail: `${src.label} connects to the Pod's own address ${address}:${picked.port}/${picked.protocol}: no Service, no virtual IP; kube-proxy is not on the path${d.ips.length === 0 ? ' (manifests carry no Pod IPs)' : ''}`,
      rules: [],
      objectIds: dest.objectIds,
    },
  ];
  const v = evaluatePolicies(index, { source: src.subject, destination: d, protocol: picked.protocol, port: picked.port });
  if (v.egress.enforced) hops.push(policyHop(v.egress));
  if (v.egress.allowed === 'no') {
    // Dropped at the source: the packet is never routed and the destination's ingress never consulted.
    const endpoint = { target: address, port: picked.port, symbolic: d.ips.length === 0, ready: true, terminating: false, allowed: 'no' as const, blockedBy: denyingKinds([v.egress]).join(' and '), objectIds: dest.objectIds, ...(d.nodeName ? { nodeName: d.nodeName } : {}) };
    return { verdict: 'dropped', reason: `${droppedBy([v.egress])} it at the source: ${v.egress.explanation}`, hops, endpoints: [endpoint] };
  }
  hops.push(routeHop(model.nodes, [{ fromNode: src.nodeName, toNode: d.nodeName, target: address, ...(d.hostNetwork ? { hostNetwork: true } : {}) }], src.label, dest.objectIds, src.subject.kind === 'pod' && src.subject.hostNetwork));
  hops.push(policyHop(v.ingress));
  const denying = [v.egress, v.ingress].filter((side) => side.allowed === 'no');
  const allowedWord = v.allowed === 'no' ? '' : v.allowed === 'unknown' ? 'if allowed, delivered to ' : 'delivered to ';
  hops.push({
    kind: 'pod',
    detail: v.allowed === 'no' ? `not delivered to ${d.name}: ${droppedBy(denying)} it first` : listener(picked.port, picked.protocol, picked.container, d.name, allowedWord, picked.others),
    rules: [],
    objectIds: dest.objectIds,
  });
  const endpoint = { target: address, port: picked.port, symbolic: d.ips.length === 0, ready: true, terminating: false, allowed: v.allowed, ...(v.allowed === 'no' ? { blockedBy: denyingKinds(denying).join(' and ') } : {}), objectIds: dest.objectIds, ...(d.nodeName ? { nodeName: d.nodeName } : {}) };
  if (v.allowed === 'no') {
    return { verdict: 'dropped', reason: `${droppedBy(denying)} it: ${denying.map((side) => side.explanation).join('; ')}`, hops, endpoints: [endpoint] };
  }
  hops.push({ kind: 'reply', detail: `the reply goes from ${d.name} straight back to ${src.label}; no NAT was done, none to undo`, rules: [], objectIds: dest.objectIds });
  if (v.allowed === 'unknown') {
    const conditions = [...v.egress.conditions, ...v.ingress.conditions];
    return { verdict: 'unresolved', reason: `NetworkPolicy allows it only if ${conditions.join('; or ')}.`, hops, endpoints: [endpoint] };
  }
  return { verdict: 'delivered', reason: `reaches ${dest.label} at ${address}:${picked.port}/${picked.protocol} directly.`, hops, endpoints: [endpoint] };
}

export function traceLocalhost(src: Source, port: number | string | undefined): TraceResult {
  if (src.subject.kind !== 'pod') return { verdict: 'unresolved', reason: `localhost is a Pod's own loopback: give --from pod/NS/NAME or workload/NS/KIND/NAME`, hops: [], endpoints: [] };
  const self = src.subject;
  if (self.containers === undefined) return { verdict: 'unresolved', reason: `the containers of ${src.label} are not in the set`, hops: [], endpoints: [] };
  const picked = pickContainerPort(self.containers, port, `${src.label} (localhost)`);
  if (typeof picked === 'string') return { verdict: 'unresolved', reason: picked, hops: [], endpoints: [] };
  const where = self.hostNetwork ? "the node's own network namespace (hostNetwork: the node's loopback, shared with every process of the node)" : "the Pod's network namespace, which its containers share (one loopback)";
  const hops: TraceHop[] = [
    { kind: 'route', detail: `${src.label} connects to 127.0.0.1:${picked.port}/${picked.protocol} inside ${where}: the packet never leaves it; no kube-proxy and no NetworkPolicy apply`, rules: [], objectIds: src.objectIds },
    { kind: 'pod', detail: listener(picked.port, picked.protocol, picked.container, 'localhost', 'delivered on ', picked.others), rules: [], objectIds: src.objectIds },
  ];
  if (!picked.container) return { verdict: 'unresolved', reason: `no container of ${src.label} declares port ${picked.port}/${picked.protocol}: it is reached only if a process listens there`, hops, endpoints: [] };
  return { verdict: 'delivered', reason: `container ${picked.container.name} of ${src.label} on localhost:${picked.port}/${picked.protocol}.`, hops, endpoints: [] };
}
