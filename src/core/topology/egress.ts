// The world outside as the inspector draws it: one destination for any
// address outside the cluster and one per address range an egress ipBlock
// names (as `kni connectivity` lists them), and which workloads isolated for
// egress may reach each, on which ports. A workload no egress policy selects
// may reach every one of them on every port: it is counted, not linked (a
// cluster of 5,000 workloads would otherwise draw 5,000 links saying the same).
//
// Computed once per model index (the graph and the traces of its nodes ask the
// same questions), and only when some NetworkPolicy restricts egress.
import type { ModelIndex } from '../model/model-index';
import { uniqueWorkloads } from '../model/model-index';
import type { Workload } from '../model/types';
import { connectivityMatrix, EXTERNAL, possiblePorts, workloadKey, type ConnectivityEntry } from '../policy/connectivity';
import { PortSet } from '../policy/ports';
import type { TraceProtocol } from '../../protocol';

/** The graph node of any address outside the cluster. */
export const OUTSIDE_ID = 'external:any';

/** The graph node of a destination: "external" (any address) or an address range. */
export function outsideNodeId(destination: string): string {
  return destination === EXTERNAL ? OUTSIDE_ID : `external:cidr:${destination}`;
}

/** The destination ("external" or the range) of an 'external' graph node id, or undefined for another node. */
export function destinationOfNode(nodeId: string): string | undefined {
  if (nodeId === OUTSIDE_ID) return EXTERNAL;
  return nodeId.startsWith('external:cidr:') ? nodeId.slice('external:cidr:'.length) : undefined;
}

export interface EgressView {
  /** "external", then each range egress ipBlocks name, in model order. */
  destinations: readonly string[];
  /** Workloads some NetworkPolicy with policyTypes Egress selects. */
  isolated: readonly Workload[];
  /** How many workloads no egress policy selects (they may reach everything outside). */
  notIsolated: number;
  /** What a workload may send to a destination (undefined: not a workload of the set, or an unknown destination). */
  answer(w: Workload, destination: string): ConnectivityEntry | undefined;
}

const views = new WeakMap<ModelIndex, EgressView | null>();

/** The view of the world outside, or undefined when no NetworkPolicy restricts egress (every Pod may reach everything). */
export function egressView(index: ModelIndex): EgressView | undefined {
  const known = views.get(index);
  if (known !== undefined) return known ?? undefined;
  const view = computeView(index);
  views.set(index, view ?? null);
  return view;
}

function computeView(index: ModelIndex): EgressView | undefined {
  const model = index.model;
  if (!model.networkPolicies.some((p) => p.policyTypes.includes('Egress'))) return undefined;
  const workloads = uniqueWorkloads(model.workloads);
  const isolated = workloads.filter((w) => index.policiesSelecting(w).some((p) => p.policyTypes.includes('Egress')));
  // Answers from a workload to the world outside depend on its egress policies alone, not on its
  // Pods' addresses (they matter to it as a destination): the matrix is built over the isolated
  // workloads without their Pods, which spares it testing every Pod address against every ipBlock.
  const matrix = connectivityMatrix({ ...model, workloads: isolated.map((w) => ({ ...w, pods: [] })) }, index);
  return {
    destinations: matrix.externalDestinations,
    isolated,
    notIsolated: workloads.length - isolated.length,
    answer: (w, destination) => matrix.between(workloadKey(w), destination),
  };
}

/** Whether the answer lets anything through (for certain, or under a condition). */
export function reaches(a: ConnectivityEntry | undefined): boolean {
  if (!a) return false;
  return a.allowed === 'all' || a.allowed.length > 0 || a.conditional !== undefined;
}

/** "all ports", "TCP/443 UDP/53", with "if …" when only a condition the set cannot decide lets it through. */
export function portsText(a: ConnectivityEntry): string {
  const sure = a.allowed === 'all' ? 'all ports' : a.allowed.length > 0 ? PortSet.parse(a.allowed).formatCompact() : '';
  if (sure) return sure;
  if (!a.conditional) return '';
  const maybe = PortSet.none();
  for (const c of a.conditional) maybe.addAll(PortSet.parse(c.ports));
  const text = maybe.isAll() ? 'all ports' : maybe.formatCompact();
  // Allowed to part of the range (an ipBlock covering some of it), or under a condition the set cannot decide.
  return a.conditional.every((c) => c.if.every((x) => x.includes('destination address'))) ? `${text} to part of it` : `${text} if allowed`;
}

/**
 * One port to trace a connection on: the first one the answer allows (a
 * trace without a port is decided only by a rule allowing every port).
 * Undefined port: every port is allowed. A pair with nothing allowed is
 * traced on TCP/443 (HTTPS, the commonest egress) and the trace says why it
 * is denied.
 */
export function portToTrace(a: ConnectivityEntry | undefined): { port?: number; protocol: TraceProtocol } {
  if (!a) return { port: 443, protocol: 'TCP' };
  const possible = possiblePorts(a);
  if (possible.isAll()) return { protocol: 'TCP' };
  const first = (a.allowed === 'all' ? [] : a.allowed)[0] ?? possible.format()[0];
  if (first === undefined) return { port: 443, protocol: 'TCP' };
  const m = /^(TCP|UDP|SCTP)\/(\d+|\*)/.exec(first);
  if (!m) return { port: 443, protocol: 'TCP' };
  return m[2] === '*' ? { protocol: m[1] as TraceProtocol } : { port: Number(m[2]), protocol: m[1] as TraceProtocol };
}
