// A layered left-to-right layout of the topology.
//
// Why our own layering rather than d3-dag's Sugiyama or elkjs: the layers are
// not something to compute, they are the columns a request crosses (entry →
// Ingress → Service → endpoints → Pods → outside the cluster; the Nodes the
// Pods run on last), fixed by each node's kind.
// What is left of Sugiyama is ordering within the columns to avoid crossings,
// which the barycenter heuristic does in O(edges) per sweep: a few sweeps lay
// out 20,000 Pods in tens of milliseconds, where a general engine (elkjs,
// d3-dag's optimal decrossing) spends seconds. Neither package is installed
// either. Ties are broken by namespace, label and id, so the same graph always
// gets the same picture, whatever order its nodes arrive in.
//
// The columns (ranks) run across, left to right, or down, top to bottom (a
// narrow panel); a rank's boxes can be as wide as their text needs and the gap
// between two ranks as wide as the labels of the links crossing it (the
// caller measures text: the core has no fonts).
import type { TopologyEdge, TopologyNode, TopologyNodeKind } from '../protocol';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 44;
export const COLUMN_GAP = 150;
export const ROW_GAP = 14;

const COLUMN_OF: Record<TopologyNodeKind, number> = {
  entry: 1, // the Internet itself: column 0
  ingress: 2,
  service: 3,
  endpoints: 4,
  workload: 5,
  pod: 5,
  missing: -1, // one column right of what points at it
  // Where a request from the Pods goes out: right of them, before the Nodes they run on.
  external: 6,
  node: 7,
};
const LAST_COLUMN = 7;

export const COLUMN_TITLES = ['Clients', 'Entry points', 'Ingress rules & routes', 'Services', 'Endpoints', 'Pods', 'Outside the cluster', 'Nodes'];

function columnOfNode(n: TopologyNode): number {
  if (n.kind === 'entry' && n.entry === 'internet') return 0;
  return COLUMN_OF[n.kind] ?? 5;
}

export interface Placement {
  x: number;
  y: number;
  /** The box's size. */
  w: number;
  h: number;
  column: number;
}

export type LayoutDirection = 'across' | 'down';

export interface LayoutOptions {
  /** 'across' (default): ranks are columns, left to right; 'down': ranks are rows, top to bottom. */
  direction?: LayoutDirection;
  /** How wide a node's box must be for its text (default NODE_WIDTH). Across, a rank takes its widest node's. */
  widthOf?: (node: TopologyNode) => number;
  /** How wide a link's label is (default: no label needs room, the gap is `rankGap`). */
  labelWidth?: (label: string) => number;
  /** The gap between two ranks when no label needs more (default COLUMN_GAP across, DOWN_RANK_GAP down). */
  rankGap?: number;
  /** The widest gap a label may ask for. */
  maxRankGap?: number;
  /** The gap between two boxes of a rank (default ROW_GAP across, DOWN_ROW_GAP down). */
  rowGap?: number;
}

/** Down, the rows leave room for their title and the links' labels between them. */
export const DOWN_RANK_GAP = 46;
export const DOWN_ROW_GAP = 14;

export interface Layout {
  direction: LayoutDirection;
  positions: Map<string, Placement>;
  /** The ranks in use, in request order: where each starts (its title goes just above) and its title. */
  columns: { column: number; x: number; y: number; title: string }[];
  width: number;
  height: number;
}

// Odd, so the last sweep goes left to right: the order follows the request (Services), not the Nodes the Pods run on.
const SWEEPS = 5;

export function layoutGraph(nodes: readonly TopologyNode[], edges: readonly TopologyEdge[], options: LayoutOptions = {}): Layout {
  const down = options.direction === 'down';
  // Integer indices and typed arrays: the sweeps run over 20,000 nodes.
  const n = nodes.length;
  const at = new Map<string, number>();
  nodes.forEach((node, i) => at.set(node.id, i));
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (a === undefined || b === undefined) continue;
    preds[b].push(a);
    succs[a].push(b);
  }

  const columnOf = new Int32Array(n);
  nodes.forEach((node, i) => (columnOf[i] = node.kind === 'missing' ? -1 : columnOfNode(node)));
  nodes.forEach((node, i) => {
    if (node.kind !== 'missing') return;
    let c = -1;
    for (const p of preds[i]) c = Math.max(c, columnOf[p] < 0 ? 4 : columnOf[p]);
    // After a Service whose endpoints are folded into its links: where its Pods would be.
    columnOf[i] = c === COLUMN_OF.service && preds[i].every((p) => nodes[p].kind === 'service') ? COLUMN_OF.pod : c >= 0 ? Math.min(LAST_COLUMN, c + 1) : 5;
  });

  const byColumn = new Map<number, number[]>();
  for (let i = 0; i < n; i++) (byColumn.get(columnOf[i]) ?? byColumn.set(columnOf[i], []).get(columnOf[i])!).push(i);
  const used = [...byColumn.keys()].sort((a, b) => a - b);
  const columns: number[][] = used.map((c) =>
    byColumn.get(c)!.sort((a, b) => cmp(nodes[a].namespace ?? '', nodes[b].namespace ?? '') || cmp(nodes[a].label, nodes[b].label) || cmp(nodes[a].id, nodes[b].id)),
  );
  const order = new Float64Array(n);
  const renumber = (col: number[]) => col.forEach((v, i) => (order[v] = i / Math.max(1, col.length)));
  columns.forEach(renumber);

  // Barycenter sweeps: left to right by predecessors, right to left by successors.
  const bary = new Float64Array(n);
  const rank = new Int32Array(n);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const seq = down ? columns.map((_, i) => i).slice(1) : columns.map((_, i) => i).reverse().slice(1);
    for (const ci of seq) {
      const col = columns[ci];
      col.forEach((v, k) => {
        rank[v] = k;
        const neigh = down ? preds[v] : succs[v];
        if (neigh.length === 0) bary[v] = order[v];
        else {
          let sum = 0;
          for (const u of neigh) sum += order[u];
          bary[v] = sum / neigh.length;
        }
      });
      col.sort((a, b) => bary[a] - bary[b] || rank[a] - rank[b]);
      renumber(col);
    }
  }

  // Keep a workload and its drawn Pods together, where its Pods' links put them.
  const groupAt = new Map<string, number>();
  nodes.forEach((node, i) => groupAt.set(node.id, i));
  for (const col of columns) {
    const members = new Map<number, number[]>();
    for (const v of col) {
      const g = nodes[v].group !== undefined ? groupAt.get(nodes[v].group!) : undefined;
      if (g !== undefined && columnOf[g] === columnOf[v]) (members.get(g) ?? members.set(g, []).get(g)!).push(v);
    }
    if (members.size === 0) continue;
    const key = new Float64Array(n);
    col.forEach((v, k) => (key[v] = order[v] + k * 1e-9));
    for (const [g, list] of members) {
      let first = preds[g].length + succs[g].length > 0 ? order[g] : Infinity;
      for (const m of list) first = Math.min(first, order[m]);
      key[g] = first;
      list.forEach((m, k) => (key[m] = first + (k + 1) * 1e-7));
    }
    col.sort((a, b) => key[a] - key[b]);
    renumber(col);
  }

  // The ranks' sizes along the request (a column's width, a row's height) and the gaps between them.
  const widthOf = options.widthOf;
  const nodeWidth = new Float64Array(n).fill(NODE_WIDTH);
  if (widthOf) nodes.forEach((node, i) => (nodeWidth[i] = widthOf(node)));
  if (!down) for (const col of columns) {
    // Across, a column's boxes line up: all as wide as its widest.
    let w = 0;
    for (const v of col) w = Math.max(w, nodeWidth[v]);
    for (const v of col) nodeWidth[v] = w;
  }
  const rankSize = columns.map((col) => (down ? NODE_HEIGHT : col.reduce((w, v) => Math.max(w, nodeWidth[v]), 0)));
  const baseGap = options.rankGap ?? (down ? DOWN_RANK_GAP : COLUMN_GAP);
  const gaps = columns.map(() => baseGap);
  if (options.labelWidth) {
    const rankOf = new Int32Array(n);
    columns.forEach((col, ci) => col.forEach((v) => (rankOf[v] = ci)));
    for (const e of edges) {
      const a = at.get(e.from);
      const b = at.get(e.to);
      if (!e.label || a === undefined || b === undefined || rankOf[b] !== rankOf[a] + 1) continue;
      // Down, a label sits beside its link: it needs no height beyond the gap's.
      if (!down) gaps[rankOf[a]] = Math.max(gaps[rankOf[a]], Math.min(options.maxRankGap ?? Infinity, options.labelWidth(e.label) + 16));
    }
  }
  const rankStart: number[] = [];
  let along = 0;
  columns.forEach((_, i) => {
    rankStart.push(along);
    along += rankSize[i] + gaps[i];
  });
  const length = Math.max(0, along - (columns.length > 0 ? gaps[columns.length - 1] : 0));

  // Across the request (y across, x down): place the widest rank as a stack,
  // then each neighbour rank as close to its links' average as the order and
  // spacing allow.
  const crossSize = (v: number) => (down ? nodeWidth[v] : NODE_HEIGHT);
  const gap = options.rowGap ?? (down ? DOWN_ROW_GAP : ROW_GAP);
  const starts = new Float64Array(n).fill(Number.NaN);
  const extent = (col: number[]) => col.reduce((s, v) => s + crossSize(v) + gap, 0);
  const widest = columns.reduce((best, col, i) => (extent(col) > extent(columns[best]) ? i : best), 0);
  let stack = 0;
  for (const v of columns[widest] ?? []) {
    starts[v] = stack;
    stack += crossSize(v) + gap;
  }
  const placeRank = (i: number) => {
    let prevEnd = -Infinity;
    for (const v of columns[i]) {
      let sum = 0;
      let count = 0;
      for (const u of [...preds[v], ...succs[v]]) {
        if (Number.isNaN(starts[u])) continue;
        sum += starts[u] + crossSize(u) / 2;
        count++;
      }
      const desired = count > 0 ? sum / count - crossSize(v) / 2 : prevEnd === -Infinity ? 0 : prevEnd + gap;
      const start = Math.max(desired, prevEnd + gap);
      starts[v] = start;
      prevEnd = start + crossSize(v);
    }
  };
  for (let i = widest + 1; i < columns.length; i++) placeRank(i);
  for (let i = widest - 1; i >= 0; i--) placeRank(i);
  // Nothing before the origin (a rank centred on a narrower one can start left of it).
  let least = 0;
  for (let v = 0; v < n; v++) if (!Number.isNaN(starts[v])) least = Math.min(least, starts[v]);

  const positions = new Map<string, Placement>();
  let breadth = 0;
  const ranks: Layout['columns'] = [];
  columns.forEach((col, i) => {
    let first = Infinity;
    for (const v of col) {
      const cross = starts[v] - least;
      const p: Placement = down
        ? { x: cross, y: rankStart[i], w: nodeWidth[v], h: NODE_HEIGHT, column: used[i] }
        : { x: rankStart[i], y: cross, w: nodeWidth[v], h: NODE_HEIGHT, column: used[i] };
      positions.set(nodes[v].id, p);
      breadth = Math.max(breadth, cross + crossSize(v));
      first = Math.min(first, cross);
    }
    const title = col.every((v) => nodes[v].kind === 'missing') ? 'Unresolved' : (COLUMN_TITLES[used[i]] ?? '');
    ranks.push(down ? { column: used[i], x: Number.isFinite(first) ? first : 0, y: rankStart[i], title } : { column: used[i], x: rankStart[i], y: 0, title });
  });
  return { direction: down ? 'down' : 'across', positions, columns: ranks, width: down ? breadth : length, height: down ? length : breadth };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
