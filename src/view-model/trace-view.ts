// Lays a trace over the drawn graph: which nodes and edges light up when a
// node is hovered or pinned, and the hops the side panel lists.
//
// The paths into the node (who can reach it) always light up. Downstream, with
// a trace from the engine, only the objects its hops name light up (plus the
// broken ends when the trace says the path is broken); without one, every
// downstream path does, and the hops are the graph's own links, said plainly
// to be "topology only".
import type { TopologyGraph, TopologyNode, TraceHopView, TraceVerdictView, TraceView } from '../protocol';
import { runInSlices, runToEnd, type SliceOptions } from './slices';

/** What the panel says of a traced question: who sends the request, and whether the paths into the node are this request's. */
export interface ExplainedQuestion {
  from: string;
  upstream: boolean;
  /** A request between two drawn objects (egress, Pod to Pod): only its ends and the links between them light up. */
  between?: { from: string; to: string };
}


/** The shape of the trace engine's result this module reads (src/core/trace's TraceResult). */
export interface TraceLike {
  /** The engine's verdict (delivered, dropped, no-endpoints, unresolved) or a view verdict. */
  verdict: string;
  reason: string;
  hops: readonly {
    kind: string;
    detail: string;
    rules?: readonly string[];
    objectIds?: readonly string[];
    verdict?: string;
    /** A policy hop: whether the policies let the request through. */
    policy?: { allowed: 'yes' | 'no' | 'unknown' };
    /** A hop of the name lookup before the request (the cluster DNS Service, its CoreDNS Pods). */
    lookup?: boolean;
  }[];
}

/**
 * The drawn objects of a trace's name lookup, wherever they are in the graph
 * (kube-system's kube-dns is neither up- nor downstream of the traced node):
 * the nodes its hops name, the endpoints between them, and the links among them.
 */
function lookupPath(index: GraphIndex, trace: TraceLike): { named: Map<number, string[]>; nodes: Set<string>; edges: string[] } {
  const named = new Map<number, string[]>();
  const nodes = new Set<string>();
  trace.hops.forEach((h, i) => {
    if (!h.lookup) return;
    const ids = [...new Set((h.objectIds ?? []).flatMap((o) => index.byObject.get(o) ?? []))];
    named.set(i, ids);
    for (const id of ids) nodes.add(id);
  });
  if (nodes.size === 0) return { named, nodes, edges: [] };
  const services = [...nodes].filter((id) => index.byId.get(id)?.kind === 'service');
  const down = services.length > 0 ? reachAll(index, services, 'out') : { nodes: [], edges: [] };
  const kept = new Set(nodes);
  for (const id of down.nodes) if (index.byId.get(id)?.kind === 'endpoints') kept.add(id);
  const edges: string[] = [];
  for (const id of kept) for (const l of index.out.get(id) ?? []) if (kept.has(l.to)) edges.push(l.edge);
  return { named, nodes: kept, edges };
}

const ENGINE_VERDICTS: Record<string, TraceVerdictView> = {
  delivered: 'reachable',
  dropped: 'blocked',
  'no-endpoints': 'broken',
  // The Gateway answers a redirect itself: the client gets its answer.
  redirected: 'reachable',
  // The engine could not finish (a missing port, a policy that depends on a label): the reason says why.
  unresolved: 'unknown',
};

export interface GraphIndex {
  byId: Map<string, TopologyNode>;
  out: Map<string, { edge: string; to: string }[]>;
  in: Map<string, { edge: string; from: string }[]>;
  /** Model object id -> graph nodes standing for it. */
  byObject: Map<string, string[]>;
}

export function indexGraph(graph: TopologyGraph): GraphIndex {
  return runToEnd(indexSteps(graph));
}

/** indexGraph in slices with pauses between them (the extension host's, for a cluster's graph). */
export function indexGraphInSlices(graph: TopologyGraph, slices: SliceOptions = {}): Promise<GraphIndex | undefined> {
  return runInSlices(indexSteps(graph), slices);
}

/** Nodes or edges indexed between two looks at the clock. */
const ITEMS_PER_STEP = 512;

function* indexSteps(graph: TopologyGraph): Generator<void, GraphIndex> {
  const byId = new Map<string, TopologyNode>();
  const out = new Map<string, { edge: string; to: string }[]>();
  const inn = new Map<string, { edge: string; from: string }[]>();
  const byObject = new Map<string, string[]>();
  let done = 0;
  for (const n of graph.nodes) {
    byId.set(n.id, n);
    if (n.objectId) (byObject.get(n.objectId) ?? byObject.set(n.objectId, []).get(n.objectId)!).push(n.id);
    if (++done % ITEMS_PER_STEP === 0) yield;
  }
  for (const e of graph.edges) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push({ edge: e.id, to: e.to });
    (inn.get(e.to) ?? inn.set(e.to, []).get(e.to)!).push({ edge: e.id, from: e.from });
    if (++done % ITEMS_PER_STEP === 0) yield;
  }
  return { byId, out, in: inn, byObject };
}

/** The nodes and edges reachable downstream (`dir` 'out') or upstream ('in') of a node. */
export function reach(index: GraphIndex, start: string, dir: 'in' | 'out'): { nodes: string[]; edges: string[] } {
  const seen = new Set<string>([start]);
  const edges: string[] = [];
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift()!;
    const links = dir === 'out' ? (index.out.get(at) ?? []).map((l) => ({ edge: l.edge, next: l.to })) : (index.in.get(at) ?? []).map((l) => ({ edge: l.edge, next: l.from }));
    for (const { edge, next } of links) {
      edges.push(edge);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  seen.delete(start);
  return { nodes: [...seen], edges };
}

function reachAll(index: GraphIndex, starts: string[], dir: 'in' | 'out'): { nodes: string[]; edges: string[] } {
  if (starts.length === 1) return reach(index, starts[0], dir);
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const s of starts) {
    const r = reach(index, s, dir);
    r.nodes.forEach((n) => nodes.add(n));
    r.edges.forEach((e) => edges.add(e));
  }
  nodes.delete(starts[0]);
  return { nodes: [...nodes], edges: [...edges] };
}

const VERDICTS: readonly TraceVerdictView[] = ['reachable', 'blocked', 'broken', 'partial', 'unknown'];

/**
 * The view of the first question's trace, with the second one's as its
 * alternative when the two verdicts differ (the Ingress path allowed, a Pod of
 * the namespace blocked): each lights its own path.
 */
export function traceViewForQuestions(graph: TopologyGraph, nodeId: string, answers: readonly { question: ExplainedQuestion; trace: TraceLike }[], index = indexGraph(graph)): TraceView | undefined {
  const views = answers.map(({ question, trace }) => {
    const view = question.between ? pairTraceView(graph, nodeId, question.between, trace, index) : traceViewFor(graph, nodeId, trace, index, { upstream: question.upstream });
    if (view) view.from = question.from;
    return view;
  });
  const [first, second] = views;
  if (first && second && second.verdict !== first.verdict) first.alternative = second;
  return first;
}

export interface TraceViewOptions {
  /** Light the paths into the node too (default): false when the request starts elsewhere (a Pod of the namespace, not the Ingress path). */
  upstream?: boolean;
}

export function traceViewFor(graph: TopologyGraph, nodeId: string, trace?: TraceLike, index = indexGraph(graph), options: TraceViewOptions = {}): TraceView | undefined {
  const start = index.byId.get(nodeId);
  if (!start) return undefined;
  // A workload stands for its Pods: the paths through any of them are its paths.
  const members = graph.nodes.filter((n) => n.group === nodeId).map((n) => n.id);
  const up = trace && options.upstream === false ? { nodes: [], edges: [] } : reachAll(index, [nodeId, ...members], 'in');
  const down = reachAll(index, [nodeId, ...members], 'out');
  if (members.length > 0) down.nodes.push(...members.filter((m) => !down.nodes.includes(m)));
  const title = `${start.namespace ? `${start.namespace}/` : ''}${start.label}`;
  const edgeById = new Map(graph.edges.map((e) => [e.id, e]));

  if (!trace) {
    const lit = new Set([nodeId, ...up.nodes, ...down.nodes]);
    const broken = down.edges.filter((id) => edgeById.get(id)?.broken);
    const kindRank: Record<string, number> = { entry: 0, ingress: 1, service: 2, endpoints: 3, workload: 4, pod: 5, missing: 6, node: 7 };
    const rank = (id: string) => kindRank[index.byId.get(id)!.kind] ?? 8;
    const hops: TraceHopView[] = [nodeId, ...[...down.nodes].sort((a, b) => rank(a) - rank(b))].map((id) => {
      const n = index.byId.get(id)!;
      return { kind: n.kind, detail: [n.label, n.detail].filter(Boolean).join(' · '), nodeIds: [id] };
    });
    return {
      nodeId,
      title,
      verdict: broken.length > 0 ? 'broken' : 'unknown',
      reason:
        broken.length > 0
          ? `${broken.length} link${broken.length === 1 ? '' : 's'} downstream do${broken.length === 1 ? 'es' : ''} not resolve`
          : 'Topology only: the paths the manifests draw, not evaluated by the trace engine',
      hops,
      nodeIds: [...lit],
      edgeIds: [...new Set([...up.edges, ...down.edges])],
      deniedEdgeIds: [],
      fromEngine: false,
    };
  }

  const named = new Set<string>();
  const denied = new Set<string>();
  const downSet = new Set(down.nodes);
  // A denying policy hop names policies, not the Pods: the Pods it stops the request at are the next hop's.
  let denyPending = false;
  const lookup = lookupPath(index, trace);
  const hops: TraceHopView[] = trace.hops.map((h, i) => {
    const nodeIds = lookup.named.get(i) ?? (h.objectIds ?? []).flatMap((o) => index.byObject.get(o) ?? []).filter((id) => id === nodeId || downSet.has(id));
    if (!lookup.named.has(i)) for (const id of nodeIds) named.add(id);
    const verdict = h.verdict === 'allow' || h.verdict === 'deny' ? h.verdict : h.policy?.allowed === 'yes' ? 'allow' : h.policy?.allowed === 'no' ? 'deny' : undefined;
    if (verdict === 'deny') denyPending = true;
    const workloads = nodeIds.filter((id) => {
      const k = index.byId.get(id)?.kind;
      return k === 'workload' || k === 'pod';
    });
    if (denyPending && workloads.length > 0) {
      for (const id of workloads) denied.add(id);
      denyPending = false;
    }
    const hop: TraceHopView = { kind: h.kind, detail: withoutRepeats(h.detail), nodeIds };
    if (h.rules && h.rules.length > 0) hop.rules = [...h.rules];
    if (verdict) hop.verdict = verdict;
    return hop;
  });
  const verdict = ENGINE_VERDICTS[trace.verdict] ?? ((VERDICTS as readonly string[]).includes(trace.verdict) ? (trace.verdict as TraceVerdictView) : 'unknown');
  const litDown = new Set(down.nodes.filter((id) => named.has(id)));
  // A broken trace ends in the graph's broken links: draw where it stops.
  if (verdict === 'broken') {
    for (const id of down.edges) {
      const e = edgeById.get(id)!;
      if (e.broken && (e.from === nodeId || litDown.has(e.from))) litDown.add(e.to);
    }
  }
  const lit = new Set([nodeId, ...up.nodes, ...litDown]);
  const edgeIds = [...up.edges, ...down.edges.filter((id) => lit.has(edgeById.get(id)!.from) && litDown.has(edgeById.get(id)!.to)), ...lookup.edges];
  for (const id of lookup.nodes) lit.add(id);
  return {
    nodeId,
    title,
    verdict,
    reason: withoutRepeats(trace.reason),
    hops,
    nodeIds: [...lit],
    edgeIds: [...new Set(edgeIds)],
    deniedEdgeIds: [...new Set(edgeIds.filter((id) => denied.has(edgeById.get(id)!.to)))],
    fromEngine: true,
  };
}

/**
 * The view of a request between two drawn objects (`between`), shown for
 * `nodeId` (either end: the source pinned or asked for, the destination
 * hovered): the two ends, their Pods the hops name, and the links from the
 * source (or its Pods) to the destination; denied when the trace is dropped.
 */
export function pairTraceView(graph: TopologyGraph, nodeId: string, between: { from: string; to: string }, trace: TraceLike, index = indexGraph(graph)): TraceView | undefined {
  const start = index.byId.get(nodeId);
  const from = index.byId.get(between.from);
  const to = index.byId.get(between.to);
  if (!start || !from || !to) return undefined;
  const membersOf = (id: string) => graph.nodes.filter((n) => n.group === id).map((n) => n.id);
  const fromSide = new Set([between.from, ...membersOf(between.from)]);
  const toSide = new Set([between.to, ...membersOf(between.to)]);
  const ends = new Set([...fromSide, ...toSide]);
  const lit = new Set([between.from, between.to]);
  const lookup = lookupPath(index, trace);
  for (const id of lookup.nodes) lit.add(id);
  const hops: TraceHopView[] = trace.hops.map((h, i) => {
    const nodeIds = lookup.named.get(i) ?? [...new Set((h.objectIds ?? []).flatMap((o) => index.byObject.get(o) ?? []).filter((id) => ends.has(id)))];
    for (const id of nodeIds) lit.add(id);
    const verdict = h.verdict === 'allow' || h.verdict === 'deny' ? h.verdict : h.policy?.allowed === 'yes' ? 'allow' : h.policy?.allowed === 'no' ? 'deny' : undefined;
    const hop: TraceHopView = { kind: h.kind, detail: withoutRepeats(h.detail), nodeIds };
    if (h.rules && h.rules.length > 0) hop.rules = [...h.rules];
    if (verdict) hop.verdict = verdict;
    return hop;
  });
  const edgeIds: string[] = [];
  for (const id of fromSide) for (const l of index.out.get(id) ?? []) if (toSide.has(l.to)) edgeIds.push(l.edge);
  const requestEdges = edgeIds.slice();
  edgeIds.push(...lookup.edges);
  const verdict = ENGINE_VERDICTS[trace.verdict] ?? ((VERDICTS as readonly string[]).includes(trace.verdict) ? (trace.verdict as TraceVerdictView) : 'unknown');
  const title = (n: TopologyNode) => `${n.namespace ? `${n.namespace}/` : ''}${n.label}`;
  const view: TraceView = {
    nodeId,
    title: `${title(from)} → ${title(to)}`,
    verdict,
    reason: withoutRepeats(trace.reason),
    hops,
    nodeIds: [...lit],
    edgeIds,
    deniedEdgeIds: verdict === 'blocked' ? requestEdges : [],
    fromEngine: true,
  };
  if (nodeId === between.from) view.toNodeId = between.to;
  return view;
}

/**
 * The objects a drawn workload or Pod can trace a request to (the panel's
 * "Trace to…"): each destination outside the cluster, then every other
 * workload and Pod, in the graph's order.
 */
export function traceDestinations(graph: TopologyGraph, fromId: string): TopologyNode[] {
  const from = graph.nodes.find((n) => n.id === fromId);
  if (!from || (from.kind !== 'workload' && from.kind !== 'pod')) return [];
  const outside = graph.nodes.filter((n) => n.kind === 'external');
  const pods = graph.nodes.filter((n) => (n.kind === 'workload' || n.kind === 'pod') && n.id !== fromId && n.group !== fromId && n.id !== from.group);
  return [...outside, ...pods];
}

/**
 * The text with each clause said once: an explanation that joins the reasons
 * of several endpoints or ports ("no container declares a port named
 * "http-api"; no container declares a port named "http-api"") repeats them.
 */
export function withoutRepeats(text: string): string {
  const clauses = text.split('; ');
  if (clauses.length < 2) return text;
  const seen = new Set<string>();
  return clauses.filter((c) => !seen.has(c) && seen.add(c)).join('; ');
}
