// What the inspector shows of a graph: a cluster's Pods folded into their
// workload unless the user expanded it, and an optional namespace filter.
// Folding never hides an object with findings: such a Pod stays on its own.
// Where space is short, a Service's endpoints fold into its links to the Pods
// (the link then stands for both hops, and carries the port mapping).
// Pure: the webview and the benchmark call it, unit tests check it on Node.
import type { TopologyEdge, TopologyGraph, TopologyNode } from '../protocol';

export interface ViewOptions {
  /** Group node ids the user expanded (their Pods are drawn one by one). */
  expanded?: ReadonlySet<string>;
  /** Only this namespace (and the cluster-wide nodes linked to it). */
  namespace?: string;
  /** Fold each Service's endpoints (without findings of their own) into its links to the Pods. */
  foldEndpoints?: boolean;
}

export interface VisibleNode extends TopologyNode {
  /** How many graph nodes are folded into this one (besides itself). */
  folded?: number;
}

export interface VisibleEdge extends TopologyEdge {
  /** The graph edges this edge stands for (several when Pods are folded). */
  sources: string[];
  /** The edge stands for two hops (Service → folded endpoints → Pods): the first hop's edge, lit with any of `sources`. */
  through?: string;
}

export interface VisibleGraph {
  nodes: VisibleNode[];
  edges: VisibleEdge[];
  /** Graph node id -> the visible node that stands for it (itself, or its group). */
  shownAs: Map<string, string>;
}

export function visibleGraph(graph: TopologyGraph, options: ViewOptions = {}): VisibleGraph {
  const expanded = options.expanded ?? new Set<string>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const shownAs = new Map<string, string>();
  const foldedCount = new Map<string, number>();
  for (const n of graph.nodes) {
    const folds = n.group !== undefined && byId.has(n.group) && !expanded.has(n.group) && !hasFindings(n);
    shownAs.set(n.id, folds ? n.group! : n.id);
    if (folds) foldedCount.set(n.group!, (foldedCount.get(n.group!) ?? 0) + 1);
  }
  // Endpoints folded into their Service: the link into them, by endpoints id.
  const foldedLink = new Map<string, TopologyEdge>();
  if (options.foldEndpoints) {
    const into = new Map<string, TopologyEdge[]>();
    for (const e of graph.edges) (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e);
    for (const n of graph.nodes) {
      if (n.kind !== 'endpoints' || hasFindings(n)) continue;
      const links = into.get(n.id) ?? [];
      if (links.length !== 1 || byId.get(links[0].from)?.kind !== 'service') continue;
      shownAs.set(n.id, links[0].from);
      foldedLink.set(n.id, links[0]);
    }
  }

  let keep: Set<string> | undefined;
  if (options.namespace !== undefined) {
    keep = new Set(graph.nodes.filter((n) => n.namespace === options.namespace).map((n) => n.id));
    // Cluster-wide nodes (Internet, controllers, Kubernetes Nodes) stay when linked to what is kept;
    // twice, so that the Internet stays in front of a kept controller.
    for (let pass = 0; pass < 2; pass++) {
      for (const e of graph.edges) {
        const a = byId.get(e.from);
        const b = byId.get(e.to);
        if (!a || !b) continue;
        if (keep.has(a.id) && b.namespace === undefined) keep.add(b.id);
        if (keep.has(b.id) && a.namespace === undefined) keep.add(a.id);
      }
    }
  }

  const nodes: VisibleNode[] = [];
  for (const n of graph.nodes) {
    if (shownAs.get(n.id) !== n.id) continue;
    if (keep && !keep.has(n.id)) continue;
    const folded = foldedCount.get(n.id);
    nodes.push(folded ? { ...n, folded } : n);
  }
  const visible = new Set(nodes.map((n) => n.id));
  const edges: VisibleEdge[] = [];
  const edgeIndex = new Map<string, VisibleEdge>();
  for (const e of graph.edges) {
    const from = shownAs.get(e.from);
    const to = shownAs.get(e.to);
    if (!from || !to || from === to || !visible.has(from) || !visible.has(to)) continue;
    if (from === e.from && to === e.to && !edgeIndex.has(e.id)) {
      const edge = { ...e, sources: [e.id] };
      edgeIndex.set(e.id, edge);
      edgeIndex.set(`${from}->${to}`, edge);
      edges.push(edge);
      continue;
    }
    const key = `${from}->${to}`;
    const via = foldedLink.get(e.from);
    const existing = edgeIndex.get(key);
    if (via && !existing) {
      // Service → (endpoints) → Pods: one link for both hops, labelled with the Service's port mapping.
      const edge: VisibleEdge = { id: `${via.id}+${e.id}`, from, to, sources: [e.id], through: via.id };
      const label = via.label ?? e.label;
      if (label) edge.label = label;
      if (e.broken || via.broken) edge.broken = true;
      edgeIndex.set(key, edge);
      edges.push(edge);
      continue;
    }
    if (existing) {
      existing.sources.push(e.id);
      if (e.broken) existing.broken = true;
      continue;
    }
    const edge: VisibleEdge = { id: key, from, to, sources: [e.id] };
    if (e.label) edge.label = e.label;
    if (e.broken) edge.broken = true;
    edgeIndex.set(key, edge);
    edges.push(edge);
  }
  return { nodes, edges, shownAs };
}

export function hasFindings(n: TopologyNode): boolean {
  const f = n.findings;
  return f !== undefined && f.errors + f.warnings + f.infos > 0;
}
