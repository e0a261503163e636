// What the inspector shows of a graph: a cluster's Pods folded into their
// workload unless the user expanded it, and an optional namespace filter.
// Folding never hides an object with findings: such a Pod stays on its own.
// Pure: the webview and the benchmark call it, unit tests check it on Node.
import type { TopologyEdge, TopologyGraph, TopologyNode } from '../../protocol';

export interface ViewOptions {
  /** Group node ids the user expanded (their Pods are drawn one by one). */
  expanded?: ReadonlySet<string>;
  /** Only this namespace (and the cluster-wide nodes linked to it). */
  namespace?: string;
}

export interface VisibleNode extends TopologyNode {
  /** How many graph nodes are folded into this one (besides itself). */
  folded?: number;
}

export interface VisibleEdge extends TopologyEdge {
  /** The graph edges this edge stands for (several when Pods are folded). */
  sources: string[];
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
    const existing = edgeIndex.get(key);
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
