// Requests between two drawn objects: a workload (or one of its Pods) to the
// world outside (egress: DNS, the egress verdict naming the rule, the node's
// masquerade), and Pod to Pod (no kube-proxy, policy at both ends). The
// hover of an 'outside' node asks one of them from a workload that may reach
// it, and from one that may not when the answers differ; the editor's
// "Trace egress" and the panel's "Trace to…" ask for one pair.
import type { ModelIndex } from '../model/model-index';
import type { ModelObject, Pod, Workload } from '../model/types';
import { EXTERNAL } from '../policy/connectivity';
import { parseCidr } from '../policy/ip';
import type { TraceDestination, TraceOptions, TraceSource } from '../trace/types';
import type { EgressTraceTarget, LocalhostTraceTarget, TopologyGraph, TopologyNode } from '../../protocol';
import { localhostTraceOptions } from './localhost-ports';
import { destinationOfNode, egressView, outsideNodeId, portToTrace, reaches } from './egress';
import type { TraceQuestion } from './trace-target';

const isWorkload = (o: ModelObject | undefined): o is Workload => o !== undefined && 'podLabels' in o;

/** A drawn end of a pair: the workload (for its policies and ports) and, for a Pod node, the Pod. */
interface End {
  nodeId: string;
  workload: Workload;
  pod?: Pod;
}

function endOfNode(node: TopologyNode, index: ModelIndex): End | undefined {
  const object = node.objectId ? index.byId(node.objectId) : undefined;
  if (node.kind === 'workload' && isWorkload(object)) return { nodeId: node.id, workload: object };
  if (node.kind === 'pod' && object?.kind === 'Pod' && !isWorkload(object) && node.group) {
    const owner = index.byId(node.group.slice('workload:'.length));
    if (isWorkload(owner)) return { nodeId: node.id, workload: owner, pod: object as Pod };
  }
  return undefined;
}

function sourceOf(end: End): { source: TraceSource; words: string } {
  const { workload: w, pod } = end;
  if (pod) return { source: { kind: 'pod', namespace: pod.namespace, name: pod.name }, words: `Pod ${pod.namespace}/${pod.name}` };
  return { source: { kind: 'workload', namespace: w.namespace, workloadKind: w.kind, name: w.name }, words: `a Pod of ${w.kind} ${w.namespace}/${w.name}` };
}

/**
 * An address of a range to trace to (the range's first host address; the
 * address itself for a /32 or /128), or undefined for a range of every
 * address, which the engine traces as an address not known in advance.
 */
export function sampleAddress(cidr: string): string | undefined {
  const c = parseCidr(cidr);
  if (!c || c.prefix === 0) return undefined;
  const max = c.family === 4 ? 32 : 128;
  const value = c.prefix >= max - 1 ? c.base : c.base + 1n;
  if (c.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function outsideDestination(destination: string, port: number | undefined, protocol: 'TCP' | 'UDP' | 'SCTP'): { to: TraceDestination; words: string } {
  const on = port !== undefined ? ` on ${protocol}/${port}` : '';
  const ip = destination === EXTERNAL ? undefined : sampleAddress(destination);
  if (destination === EXTERNAL || ip === undefined) return { to: { kind: 'external', port, protocol }, words: `any address outside the cluster${destination === EXTERNAL ? '' : ` (${destination})`}${on}` };
  return { to: { kind: 'external', ip, port, protocol }, words: `${ip}${ip === destination.replace(/\/(32|128)$/, '') ? '' : `, an address of ${destination}`}${on}` };
}

function firstPort(w: Workload): number | undefined {
  return w.containers.filter((c) => !c.init).flatMap((c) => c.ports)[0]?.containerPort;
}

/** The questions of a request from a drawn workload or Pod to another drawn object: an 'external' node or a workload or Pod. */
export function traceQuestionsForPair(fromNode: TopologyNode, toNode: TopologyNode, index: ModelIndex): TraceQuestion[] {
  const from = endOfNode(fromNode, index);
  if (!from) return [];
  const { source, words } = sourceOf(from);
  const between = { from: fromNode.id, to: toNode.id };
  const destination = destinationOfNode(toNode.id);
  if (toNode.kind === 'external' && destination !== undefined) {
    const { port, protocol } = portToTrace(egressView(index)?.answer(from.workload, destination) ?? { from: '', to: '', allowed: 'all' });
    const dest = outsideDestination(destination, port, protocol);
    return [{ options: { from: source, to: dest.to }, from: `${words}, to ${dest.words}`, upstream: false, between }];
  }
  const to = endOfNode(toNode, index);
  if (!to || to.nodeId === from.nodeId) return [];
  const port = firstPort(to.workload);
  const w = to.workload;
  const dest: TraceDestination = to.pod
    ? { kind: 'pod', namespace: to.pod.namespace, name: to.pod.name, port }
    : { kind: 'pod', namespace: w.namespace, name: w.name, port, ...(w.kind === 'Pod' ? {} : { workloadKind: w.kind }) };
  const toWords = to.pod ? `Pod ${to.pod.namespace}/${to.pod.name}` : w.kind === 'Pod' ? `Pod ${w.namespace}/${w.name}` : `a Pod of ${w.kind} ${w.namespace}/${w.name}`;
  return [{ options: { from: source, to: dest }, from: `${words}, to ${toWords}${port !== undefined ? ` port ${port}` : ''} directly`, upstream: false, between }];
}

/**
 * What hovering an 'outside' node explains: egress from a workload that may
 * reach it (isolated for egress and allowed, else one no egress policy
 * selects), and from an isolated one that may not, offered beside it when
 * the verdicts differ.
 */
export function outsideQuestionForNode(node: TopologyNode, graph: TopologyGraph, index: ModelIndex): TraceQuestion[] {
  const destination = destinationOfNode(node.id);
  const view = egressView(index);
  if (destination === undefined || !view) return [];
  const drawn = new Set(graph.nodes.map((n) => n.id));
  const nodeOf = (w: Workload) => (drawn.has(`workload:${w.id}`) ? graph.nodes.find((n) => n.id === `workload:${w.id}`) : undefined);
  const isolated = new Set(view.isolated);
  const allowed = view.isolated.find((w) => reaches(view.answer(w, destination)) && nodeOf(w)) ?? index.model.workloads.find((w) => !isolated.has(w) && nodeOf(w));
  const denied = view.isolated.find((w) => !reaches(view.answer(w, destination)) && nodeOf(w));
  return [allowed, denied].flatMap((w) => (w ? traceQuestionsForPair(nodeOf(w)!, node, index) : []));
}

/** "Trace egress" from the editor: the workload's node, and the outside node of the range when drawn. */
export function egressTarget(graph: TopologyGraph, index: ModelIndex, t: EgressTraceTarget): { nodeId?: string; options: TraceOptions; question: TraceQuestion } | undefined {
  const w = index.byId(t.from);
  if (!isWorkload(w)) return undefined;
  const fromId = `workload:${w.id}`;
  const toId = outsideNodeId(t.cidr ?? EXTERNAL);
  const has = (id: string) => graph.nodes.some((n) => n.id === id);
  const { source, words } = sourceOf({ nodeId: fromId, workload: w });
  const dest = outsideDestination(t.cidr ?? EXTERNAL, t.port, t.protocol ?? 'TCP');
  const options: TraceOptions = { from: source, to: dest.to };
  const question: TraceQuestion = { options, from: `${words}, to ${dest.words}`, upstream: false, ...(has(fromId) && has(toId) ? { between: { from: fromId, to: toId } } : {}) };
  return { nodeId: has(fromId) ? fromId : undefined, options, question };
}

/** Pod to Pod from the editor or another extension: workload (or Pod) model ids. */
export function podToPodTarget(graph: TopologyGraph, index: ModelIndex, t: { from: string; to: string; port?: number | string }): { nodeId?: string; options: TraceOptions; question?: TraceQuestion } | undefined {
  const nodeFor = (objectId: string) => graph.nodes.find((n) => n.objectId === objectId && (n.kind === 'workload' || n.kind === 'pod'));
  const from = nodeFor(t.from);
  const to = nodeFor(t.to);
  if (!from || !to) return undefined;
  const [question] = traceQuestionsForPair(from, to, index);
  if (!question) return undefined;
  if (t.port !== undefined && question.options.to.kind === 'pod') question.options.to.port = t.port;
  return { nodeId: from.id, options: question.options, question };
}

/** localhost inside a workload's Pod from the editor: the workload's node alone lights up (nothing leaves the Pod). */
export function localhostTarget(graph: TopologyGraph, index: ModelIndex, t: LocalhostTraceTarget): { nodeId?: string; options: TraceOptions; question: TraceQuestion } | undefined {
  const options = localhostTraceOptions(index, t);
  const w = index.byId(t.from);
  if (!options || !isWorkload(w)) return undefined;
  const nodeId = `workload:${w.id}`;
  const drawn = graph.nodes.some((n) => n.id === nodeId);
  const { words } = sourceOf({ nodeId, workload: w });
  const question: TraceQuestion = { options, from: `${words}, to localhost:${t.port} (a container of the same Pod)`, upstream: false };
  return { nodeId: drawn ? nodeId : undefined, options, question };
}

/** The engine's question for a Pod-to-Pod target (workload model ids), without a drawing: what a hover traces. */
export function podToPodOptions(index: ModelIndex, t: { from: string; to: string; port?: number | string }): TraceOptions | undefined {
  const from = index.byId(t.from);
  const to = index.byId(t.to);
  if (!isWorkload(from) || !isWorkload(to)) return undefined;
  const { source } = sourceOf({ nodeId: '', workload: from });
  const port = t.port ?? firstPort(to);
  return { from: source, to: { kind: 'pod', namespace: to.namespace, name: to.name, port, ...(to.kind === 'Pod' ? {} : { workloadKind: to.kind }) } };
}
