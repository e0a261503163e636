// What both renderers draw: the visible graph with positions, plus the state
// the user changes (hover, pin, focus, search matches). Built once per model or
// view change; renderers only read it.
import type { TopologyGraph, TopologyNodeKind, TraceView } from '../src/protocol';
import { terminalSafe } from '../src/view-model/terminal-safe';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, visibleGraph, type Layout, type LayoutOptions, type ViewOptions, type VisibleEdge, type VisibleGraph, type VisibleNode } from '../src/view-model';

export { NODE_HEIGHT, NODE_WIDTH };

export interface SceneNode extends VisibleNode {
  x: number;
  y: number;
  /** The box's size (NODE_WIDTH × NODE_HEIGHT unless the layout sized it to its text). */
  w: number;
  h: number;
  column: number;
}

export interface SceneEdge extends VisibleEdge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Drawn from the bottom of one box to the top of the next (a layout that runs down). */
  vertical?: boolean;
}

export interface Scene {
  graph: TopologyGraph;
  view: VisibleGraph;
  layout: Layout;
  /** Nodes in reading order: by column, then top to bottom (the Tab order). */
  nodes: SceneNode[];
  edges: SceneEdge[];
  byId: Map<string, SceneNode>;
  /** Per column (index into layout.columns), its nodes sorted by y: for culling and hit tests. */
  columns: SceneNode[][];
}

export function buildScene(graph: TopologyGraph, options: ViewOptions, layoutOptions: LayoutOptions = {}): Scene {
  const view = visibleGraph(graph, options);
  const layout = layoutGraph(view.nodes, view.edges, layoutOptions);
  const colIndex = new Map(layout.columns.map((c, i) => [c.column, i]));
  const nodes: SceneNode[] = view.nodes.map((n) => {
    const p = layout.positions.get(n.id)!;
    return { ...n, x: p.x, y: p.y, w: p.w, h: p.h, column: p.column };
  });
  // Reading order: rank by rank, then along the rank.
  const down = layout.direction === 'down';
  nodes.sort(down ? (a, b) => a.y - b.y || a.x - b.x : (a, b) => a.x - b.x || a.y - b.y);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: SceneEdge[] = view.edges.map((e) => {
    const a = byId.get(e.from)!;
    const b = byId.get(e.to)!;
    return down && b.y > a.y
      ? { ...e, x1: a.x + a.w / 2, y1: a.y + a.h, x2: b.x + b.w / 2, y2: b.y, vertical: true }
      : { ...e, x1: a.x + a.w, y1: a.y + a.h / 2, x2: b.x, y2: b.y + b.h / 2 };
  });
  const columns: SceneNode[][] = layout.columns.map(() => []);
  for (const n of nodes) columns[colIndex.get(n.column)!].push(n);
  return { graph, view, layout, nodes, edges, byId, columns };
}

/** The highlight a trace gives the visible scene (graph ids mapped through folding). */
export interface Highlight {
  trace: TraceView;
  nodes: Set<string>;
  edges: Set<string>;
  denied: Set<string>;
}

export function highlightFor(scene: Scene, trace: TraceView): Highlight {
  const shown = (id: string) => scene.view.shownAs.get(id) ?? id;
  const nodes = new Set(trace.nodeIds.map(shown));
  const litSources = new Set(trace.edgeIds);
  const deniedSources = new Set(trace.deniedEdgeIds);
  const edges = new Set<string>();
  const denied = new Set<string>();
  for (const e of scene.edges) {
    if (e.sources.some((s) => litSources.has(s)) && (e.through === undefined || litSources.has(e.through))) edges.add(e.id);
    if (e.sources.some((s) => deniedSources.has(s))) denied.add(e.id);
  }
  return { trace, nodes, edges, denied };
}

/** The edge as a smooth S from the right side of one box to the left side of the next. */
export function edgePath(e: SceneEdge): string {
  if (e.vertical) {
    const mid = (e.y1 + e.y2) / 2;
    return `M${e.x1},${e.y1} C${e.x1},${mid} ${e.x2},${mid} ${e.x2},${e.y2}`;
  }
  if (e.x2 <= e.x1) {
    // A link within a column (rare): loop out to the right.
    const bulge = e.x1 + 40;
    return `M${e.x1},${e.y1} C${bulge},${e.y1} ${bulge},${e.y2} ${e.x2 + NODE_WIDTH},${e.y2}`;
  }
  const mid = (e.x1 + e.x2) / 2;
  return `M${e.x1},${e.y1} C${mid},${e.y1} ${mid},${e.y2} ${e.x2},${e.y2}`;
}

/** Whether a point (graph units) lies within `tolerance` of the edge's curve (the one edgePath draws), sampled in 16 straight pieces. */
export function nearEdge(e: SceneEdge, gx: number, gy: number, tolerance: number): boolean {
  if (gx < Math.min(e.x1, e.x2) - tolerance || gx > Math.max(e.x1, e.x2) + tolerance || gy < Math.min(e.y1, e.y2) - tolerance || gy > Math.max(e.y1, e.y2) + tolerance) return false;
  const at = (t: number): [number, number] => {
    const u = 1 - t;
    // The cubic of edgePath: control points halfway along the link, at either end's height (or width, down).
    const [c1x, c1y, c2x, c2y] = e.vertical ? [e.x1, (e.y1 + e.y2) / 2, e.x2, (e.y1 + e.y2) / 2] : [(e.x1 + e.x2) / 2, e.y1, (e.x1 + e.x2) / 2, e.y2];
    return [u * u * u * e.x1 + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * e.x2, u * u * u * e.y1 + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * e.y2];
  };
  let [ax, ay] = at(0);
  for (let i = 1; i <= 16; i++) {
    const [bx, by] = at(i / 16);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const k = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((gx - ax) * dx + (gy - ay) * dy) / len2));
    const px = ax + k * dx - gx;
    const py = ay + k * dy - gy;
    if (px * px + py * py <= tolerance * tolerance) return true;
    [ax, ay] = [bx, by];
  }
  return false;
}

/** Codicon glyphs (the font the webview loads from dist/codicon.ttf). */
export const ICONS: Record<TopologyNodeKind | 'internet' | 'loadbalancer' | 'nodeport' | 'ingress-controller' | 'policy', string> = {
  entry: '\ueb01',
  internet: '\ueb01', // globe
  loadbalancer: '\ueaad', // broadcast
  nodeport: '\ueb2d', // plug
  'ingress-controller': '\ueb97', // group-by-ref-type
  ingress: '\ueb15', // link
  service: '\ueb61', // symbol-interface
  endpoints: '\ueb86', // list-tree
  workload: '\ueb29', // package
  pod: '\uea7a', // vm
  node: '\ueb50', // server
  missing: '\ueabd', // circle-slash
  external: '\ueb01', // globe: the world outside, as the Internet on the clients' side
  policy: '\ueb53', // shield
};

export function iconFor(n: VisibleNode): string {
  return (n.kind === 'entry' && n.entry ? ICONS[n.entry] : ICONS[n.kind]) ?? ICONS.service;
}

export const KIND_NAMES: Record<TopologyNodeKind, string> = {
  entry: 'Entry point',
  ingress: 'Ingress rule',
  service: 'Service',
  endpoints: 'Endpoints',
  workload: 'Workload',
  pod: 'Pod',
  node: 'Node',
  missing: 'Missing',
  external: 'Outside the cluster',
};

/** What a node says to a screen reader and in its tooltip. */
export function describeNode(n: VisibleNode): string {
  const parts = [`${KIND_NAMES[n.kind]} ${shownText(`${n.namespace ? `${n.namespace}/` : ''}${n.label}`)}`];
  if (n.detail) parts.push(shownText(n.detail));
  if (n.folded) parts.push(`${n.folded} pods folded in`);
  if (n.policies?.length) parts.push(`NetworkPolicies: ${n.policies.map((p) => shownText(p)).join(', ')}`);
  if (n.policyFindings?.messages.length) parts.push(...n.policyFindings.messages.map((m) => `policy ${shownText(m)}`));
  const f = n.findings;
  if (f && f.errors + f.warnings + f.infos > 0) parts.push(`${f.errors + f.warnings + f.infos} finding(s)`, ...f.messages.map((m) => shownText(m)));
  return parts.join('\n');
}

/**
 * A string from the model as drawn or read out: control characters and bidi
 * overrides made visible (in SVG, canvas and HTML text they would hide,
 * reorder or fake part of a name), then cut to `max` characters.
 */
export function shownText(text: string, max = Infinity): string {
  const safe = terminalSafe(text);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/**
 * A rule listing as the node prints it (an `nft list ruleset` block, a DNS
 * record with dig's tab-separated fields): its own line breaks and tabs kept,
 * every other control character escaped as in shownText.
 */
export function shownListing(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map((part) => terminalSafe(part)).join('\t'))
    .join('\n');
}

export function worstSeverity(n: VisibleNode): 'error' | 'warning' | 'info' | undefined {
  const f = n.findings;
  if (!f) return undefined;
  return f.errors > 0 ? 'error' : f.warnings > 0 ? 'warning' : f.infos > 0 ? 'info' : undefined;
}

export function findingCount(n: VisibleNode): number {
  const f = n.findings;
  return f ? f.errors + f.warnings + f.infos : 0;
}
