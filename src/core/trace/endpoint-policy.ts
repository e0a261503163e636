// NetworkPolicy on a Service request's way to its endpoints: one verdict per
// destination group (a workload and port, or a live Pod: its Pods share labels
// and containers; split where an ipBlock decides per address), at the
// source's egress and at the endpoints' ingress.
import type { ModelIndex } from '../model/model-index';
import type { Protocol } from '../model/types';
import { evaluatePolicies, type DirectionResult, type PodSubject, type PolicySubject, type PolicyVerdict } from '../policy/evaluate';
import { denyingKinds, droppedBy, policyHop } from './policy-hop';
import type { Backend, TraceHop } from './types';

export interface EndpointGroup {
  backends: Backend[];
  subject: PodSubject;
}

export interface EndpointPolicies {
  groups: EndpointGroup[];
  allowedBy: Map<Backend, 'yes' | 'no' | 'unknown'>;
  /** What an undecided verdict depends on. */
  conditions: Set<string>;
  denials: string[];
  /** For a dropped endpoint, the kinds of policy that drop it. */
  blockedBy: Map<Backend, string[]>;
  /** The same for all the denials together. */
  denialsBy: string;
  /** Endpoints the source's egress denies: the request never leaves for them (no route, no ingress check). */
  deniedAtSource: Set<Backend>;
  /** Each explanation once: the egress checks go before the routing hop, the ingress ones after it. */
  egressHops: TraceHop[];
  ingressHops: TraceHop[];
}

export function endpointPolicies(index: ModelIndex, targets: readonly Backend[], sourceSeen: PolicySubject, protocol: Protocol): EndpointPolicies {
  // One verdict per workload and port (its Pods share labels and containers), and per address where the
  // address decides (an ipBlock that covers some of a workload's Pods and not others): each address is
  // judged, and endpoints whose verdicts read alike are one group again.
  const groups = new Map<string, EndpointGroup & { v: PolicyVerdict }>();
  const judged = new Map<string, PolicyVerdict>();
  for (const b of targets) {
    const port = b.port!;
    const subjectKey = `${b.workload ? b.workload.id : b.address}:${port}:${b.symbolic ? '' : b.address}`;
    let v = judged.get(subjectKey);
    if (!v) {
      v = evaluatePolicies(index, { source: sourceSeen, destination: destinationSubject(b), protocol, port });
      judged.set(subjectKey, v);
    }
    const key = `${b.workload ? b.workload.id : b.address}:${port}:${v.allowed}:${v.egress.explanation}:${v.ingress.explanation}`;
    let g = groups.get(key);
    if (!g) {
      g = { backends: [], subject: destinationSubject(b), v };
      groups.set(key, g);
    }
    g.backends.push(b);
  }
  const allowedBy = new Map<Backend, 'yes' | 'no' | 'unknown'>();
  const conditions = new Set<string>();
  const denying: DirectionResult[] = [];
  const blockedBy = new Map<Backend, string[]>();
  const egressHops: TraceHop[] = [];
  const ingressHops: TraceHop[] = [];
  const seenExplanations = new Set<string>();
  const deniedAtSource = new Set<Backend>();
  for (const g of groups.values()) {
    const v = g.v;
    // Denied at the source's egress, the packet is dropped there: the destination's ingress is never consulted.
    const stopped = v.egress.allowed === 'no';
    const sides = stopped ? [v.egress] : [v.egress, v.ingress];
    for (const b of g.backends) {
      allowedBy.set(b, v.allowed);
      if (stopped) deniedAtSource.add(b);
    }
    if (v.allowed === 'no') {
      const kinds = denyingKinds(sides.filter((side) => side.allowed === 'no'));
      for (const b of g.backends) blockedBy.set(b, kinds);
    }
    for (const side of sides) {
      if (!side.enforced && side.direction === 'egress') continue;
      if (seenExplanations.has(side.explanation)) continue;
      seenExplanations.add(side.explanation);
      const hop = policyHop(side);
      (side.direction === 'egress' ? egressHops : ingressHops).push(hop);
      if (side.allowed === 'no') denying.push(side);
      for (const c of side.conditions) conditions.add(c);
    }
  }
  return { groups: [...groups.values()].map(({ backends, subject }) => ({ backends, subject })), allowedBy, conditions, denials: denying.map((side) => side.explanation), blockedBy, denialsBy: droppedBy(denying), deniedAtSource, egressHops, ingressHops };
}

/** The endpoint as the policies see it: its workload's labels, its address when known. */
function destinationSubject(b: Backend): PodSubject {
  const w = b.workload;
  const containers = b.pod && b.pod.containers.length > 0 ? b.pod.containers : w?.containers;
  return {
    kind: 'pod',
    name: w ? `${w.namespace}/${w.kind}/${w.name}` : b.pod ? `${b.pod.namespace}/${b.pod.name}` : b.address,
    namespace: b.pod?.namespace ?? w?.namespace,
    labels: w?.podLabels ?? b.pod?.labels,
    ips: b.symbolic ? [] : [b.address],
    nodeName: b.nodeName,
    hostNetwork: w?.hostNetwork ?? false,
    containers,
    objectIds: b.objectIds,
  };
}
