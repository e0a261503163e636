// What changed between two graphs of the same source, as a patch the webview
// applies to the graph it holds. At 20,000 Pods the whole graph is 26,000
// nodes and 8 MB of JSON; one watch event changes a handful of them, and
// posting the whole graph for it cost the extension host its serialization,
// VS Code's transport a copy per hop, and the webview a parse and validation
// of it all.
//
// The patch reproduces the new graph exactly, order included (visibleGraph and
// the reading order follow the graph's order), so a patched webview draws the
// very picture a full model would give: a kept node that moved in the order is
// sent as removed and inserted again. When most of the graph changed (another
// source or view) or ids repeat, there is no patch: the caller posts the whole graph.
import type { GraphPatch, GraphUpsert, TopologyEdge, TopologyGraph, TopologyNode } from '../protocol';
import { runInSlices, runToEnd, type SliceOptions } from './slices';

/** Above this share of changed items a patch saves little: the whole graph is posted. */
const MAX_CHANGED_SHARE = 0.5;

export function diffGraphs(before: TopologyGraph, after: TopologyGraph): GraphPatch | undefined {
  return runToEnd(diffSteps(before, after));
}

/** The same patch, computed in slices (at 20,000 Pods the diff takes 25-40 ms: the extension host's slice is 8). */
export async function diffGraphsInSlices(before: TopologyGraph, after: TopologyGraph, slices: SliceOptions = {}): Promise<GraphPatch | undefined> {
  return runInSlices(diffSteps(before, after), slices);
}

/** Items handled between two chances to pause. */
const ITEMS_PER_STEP = 2048;

function* diffSteps(before: TopologyGraph, after: TopologyGraph): Generator<void, GraphPatch | undefined> {
  const nodes = yield* diffItems(before.nodes, after.nodes);
  if (!nodes) return undefined;
  const edges = yield* diffItems(before.edges, after.edges);
  if (!edges) return undefined;
  const changed = nodes.upserts.length + nodes.removed.length + edges.upserts.length + edges.removed.length;
  if (changed > MAX_CHANGED_SHARE * Math.max(1, after.nodes.length + after.edges.length)) return undefined;
  return {
    nodes: nodes.upserts,
    removedNodes: nodes.removed,
    edges: edges.upserts,
    removedEdges: edges.removed,
    ...(before.sourceLabel !== after.sourceLabel ? { sourceLabel: after.sourceLabel } : {}),
    ...(before.objects !== after.objects && after.objects !== undefined ? { objects: after.objects } : {}),
  };
}

/** The new graph: `before` with the patch applied (`before` is left as it was). */
export function applyGraphPatch(before: TopologyGraph, patch: GraphPatch): TopologyGraph {
  return {
    nodes: applyItems(before.nodes, patch.removedNodes, patch.nodes),
    edges: applyItems(before.edges, patch.removedEdges, patch.edges),
    sourceLabel: patch.sourceLabel ?? before.sourceLabel,
    ...((patch.objects ?? before.objects) !== undefined ? { objects: patch.objects ?? before.objects } : {}),
  };
}

/** Whether the patch says nothing changed (the drawing stays as it is). */
export function isEmptyPatch(patch: GraphPatch): boolean {
  return patch.nodes.length === 0 && patch.removedNodes.length === 0 && patch.edges.length === 0 && patch.removedEdges.length === 0 && patch.sourceLabel === undefined && patch.objects === undefined;
}

interface Item {
  id: string;
}

/** An added or changed item and where it stands in the new list. */
type Upsert<T> = GraphUpsert<T>;

function* diffItems<T extends TopologyNode | TopologyEdge>(before: readonly T[], after: readonly T[]): Generator<void, { upserts: Upsert<T>[]; removed: string[] } | undefined> {
  const old = new Map<string, number>();
  for (let at = 0; at < before.length; at++) {
    old.set(before[at].id, at);
    if (at % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  if (old.size !== before.length) return undefined; // duplicate ids: no patch can say which one
  // Where each item of the new list was in the old one (-1: new).
  const oldAt = new Int32Array(after.length);
  const keptOld = new Uint8Array(before.length);
  for (let at = 0; at < after.length; at++) {
    const was = old.get(after[at].id) ?? -1;
    if (was >= 0) {
      if (keptOld[was]) return undefined; // a kept id twice in the new list: which one stays is not sayable
      keptOld[was] = 1;
    }
    oldAt[at] = was;
    if (at % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const stays = inOrder(oldAt);
  yield;
  const upserts: Upsert<T>[] = [];
  const removed: string[] = [];
  for (let at = 0; at < after.length; at++) {
    if (at % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    const item = after[at];
    if (oldAt[at] < 0) upserts.push({ at, item });
    else if (!stays[at]) {
      // Kept but moved (another object now comes first): taken out and put back where it goes.
      removed.push(item.id);
      upserts.push({ at, item });
    } else if (!sameValue(before[oldAt[at]], item)) upserts.push({ at, item });
  }
  for (let i = 0; i < before.length; i++) if (!keptOld[i]) removed.push(before[i].id);
  return { upserts, removed };
}

/**
 * Marks the kept items that can stay where they are: a longest run of them
 * whose old positions increase (O(n log n)). The others have moved. A graph
 * rebuilt after one event keeps nearly all in order; a Service removed moves
 * the workloads it reached first.
 */
function inOrder(oldAt: Int32Array): Uint8Array {
  const n = oldAt.length;
  const tails: number[] = []; // tails[k]: index (in the new list) ending the best run of length k + 1
  const prev = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = oldAt[i];
    if (v < 0) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (oldAt[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const stays = new Uint8Array(n);
  for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) stays[i] = 1;
  return stays;
}

/**
 * Removes, replaces in place, then inserts at the new positions in ascending
 * order: with the kept items in their old relative order, each insertion lands
 * exactly where the new list has it.
 */
function applyItems<T extends Item>(before: readonly T[], removed: readonly string[], upserts: readonly Upsert<T>[]): T[] {
  const gone = new Set(removed);
  const replaced = new Map<string, T>();
  const existing = new Set<string>();
  for (const item of before) if (!gone.has(item.id)) existing.add(item.id);
  const inserted: Upsert<T>[] = [];
  for (const u of upserts) {
    if (existing.has(u.item.id)) replaced.set(u.item.id, u.item);
    else inserted.push(u);
  }
  const out: T[] = [];
  for (const item of before) if (!gone.has(item.id)) out.push(replaced.get(item.id) ?? item);
  if (inserted.length === 0) return out;
  inserted.sort((a, b) => a.at - b.at);
  // One pass merging the kept items with the insertions (splice per insertion is quadratic on a cluster).
  const merged: T[] = [];
  let k = 0;
  for (const u of inserted) {
    while (merged.length < u.at && k < out.length) merged.push(out[k++]);
    merged.push(u.item);
  }
  while (k < out.length) merged.push(out[k++]);
  return merged;
}

/** Deep equality of JSON values (what crosses to the webview). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (ra[key] === undefined) continue; // JSON drops it
    count++;
    if (!sameValue(ra[key], rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) count--;
  return count === 0;
}
