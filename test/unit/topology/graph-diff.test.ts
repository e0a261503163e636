// The patch the host posts instead of the whole graph: applied to the graph
// the webview holds, it gives exactly the new graph (order included), and
// there is no patch when it could not say so (kept items reordered, duplicate
// ids) or when most of the graph changed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { applyGraphPatch, buildTopologyGraph, diffGraphs, isEmptyPatch } from '../../../src/core/topology';
import type { TopologyEdge, TopologyGraph, TopologyNode } from '../../../src/protocol';

/** A small deterministic generator (mulberry32): the same seed, the same case. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function podNode(i: number, detail = 'ready'): TopologyNode {
  return { id: `pod:${i}`, kind: 'pod', label: `app-${i}`, namespace: 'shop', group: `workload:${i % 7}`, detail };
}

function cluster(pods: number): TopologyGraph {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  for (let w = 0; w < 7; w++) nodes.push({ id: `workload:${w}`, kind: 'workload', label: `app-${w}`, namespace: 'shop', count: 0 });
  for (let i = 0; i < pods; i++) {
    nodes.push(podNode(i));
    edges.push({ id: `e${i}`, from: `workload:${i % 7}`, to: `pod:${i}` });
  }
  return { nodes, edges, sourceLabel: `cluster, ${pods} pods` };
}

/** A few random changes of `g`, as a new graph built from scratch (new objects, equal where unchanged). */
function mutate(g: TopologyGraph, rnd: () => number, nextId: { n: number }): TopologyGraph {
  const nodes = g.nodes.map((n) => structuredClone(n));
  const edges = g.edges.map((e) => structuredClone(e));
  const changes = 1 + Math.floor(rnd() * 6);
  for (let c = 0; c < changes; c++) {
    const what = rnd();
    if (what < 0.05 && nodes.length > 9) {
      // A kept node moves (a Service removed reorders what it reached first).
      const [n] = nodes.splice(7 + Math.floor(rnd() * (nodes.length - 7)), 1);
      nodes.splice(7 + Math.floor(rnd() * (nodes.length - 6)), 0, n);
    } else if (what < 0.25 && nodes.length > 8) {
      const [gone] = nodes.splice(7 + Math.floor(rnd() * (nodes.length - 7)), 1);
      for (let i = edges.length - 1; i >= 0; i--) if (edges[i].from === gone.id || edges[i].to === gone.id) edges.splice(i, 1);
    } else if (what < 0.5) {
      const i = nextId.n++;
      nodes.splice(7 + Math.floor(rnd() * (nodes.length - 6)), 0, podNode(i));
      edges.splice(Math.floor(rnd() * (edges.length + 1)), 0, { id: `e${i}`, from: `workload:${i % 7}`, to: `pod:${i}` });
    } else if (what < 0.75) {
      const n = nodes[Math.floor(rnd() * nodes.length)];
      if (n.kind === 'pod') n.detail = n.detail === 'ready' ? 'not ready' : 'ready';
      else n.count = (n.count ?? 0) + 1;
      if (rnd() < 0.3) n.findings = { errors: 0, warnings: 1, infos: 0, messages: ['warning: not ready [bench]'] };
    } else {
      const e = edges[Math.floor(rnd() * edges.length)];
      if (e) e.label = e.label ? undefined : 'not ready';
    }
  }
  const sourceLabel = rnd() < 0.1 ? `${g.sourceLabel}.` : g.sourceLabel;
  return { nodes, edges, sourceLabel };
}

/** What crosses to the webview: a JSON round trip (undefined fields dropped). */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('graph patches', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`applied in sequence, give exactly each new graph (seed ${seed}, 80 changes)`, () => {
      const rnd = random(seed);
      const nextId = { n: 1000 };
      let held = cluster(200); // what the webview holds
      let current = held; // what the host built last
      for (let step = 0; step < 80; step++) {
        const next = mutate(current, rnd, nextId);
        const patch = diffGraphs(current, next);
        assert.ok(patch, `step ${step}: a few changes of 200 Pods make a patch`);
        held = applyGraphPatch(held, wire(patch));
        assert.deepEqual(held, wire(next), `step ${step}`);
        current = next;
      }
    });
  }

  it('carries only what changed, and nothing for an equal graph', () => {
    const before = cluster(50);
    const after = wire(before);
    assert.ok(isEmptyPatch(diffGraphs(before, after)!));
    after.nodes[10] = { ...after.nodes[10], detail: 'not ready' };
    after.nodes.splice(20, 1);
    after.edges = after.edges.filter((e) => e.to !== before.nodes[20].id);
    const patch = diffGraphs(before, after)!;
    assert.deepEqual(patch.nodes, [{ at: 10, item: after.nodes[10] }]);
    assert.deepEqual(patch.removedNodes, [before.nodes[20].id]);
    assert.deepEqual(patch.edges, []);
    assert.deepEqual(patch.removedEdges, [`e${20 - 7}`]);
    assert.equal(patch.sourceLabel, undefined);
  });

  it('moves a kept node that changed place: out and in again, the rest untouched', () => {
    const before = cluster(50);
    const moved = wire(before);
    const [n] = moved.nodes.splice(8, 1);
    moved.nodes.splice(30, 0, n);
    const patch = diffGraphs(before, moved)!;
    assert.deepEqual(patch.removedNodes, [n.id]);
    assert.deepEqual(patch.nodes, [{ at: 30, item: n }]);
    assert.deepEqual(applyGraphPatch(before, wire(patch)), moved);
  });

  it('is not made when ids repeat or most of the graph changed', () => {
    const before = cluster(50);
    const repeated = wire(before);
    repeated.nodes.push(repeated.nodes[8]);
    assert.equal(diffGraphs(before, repeated), undefined);
    assert.equal(diffGraphs(repeated, before), undefined);
    assert.equal(diffGraphs(before, cluster(200)), undefined, '150 Pods added to 50: post the whole graph');
  });

  it('turns one built graph into the next: the shop with a Service removed', () => {
    const dir = join(process.cwd(), 'examples', 'shop');
    const files = readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort();
    const analysis = new Analysis();
    for (const f of files) analysis.setFile(`examples/shop/${f}`, readFileSync(join(dir, f), 'utf8'));
    const before = buildTopologyGraph(analysis.index(), { findings: analysis.findings(), sourceLabel: 'shop' });
    const withService = files.find((f) => /^kind:\s*Service\s*$/m.test(readFileSync(join(dir, f), 'utf8')))!;
    const text = readFileSync(join(dir, withService), 'utf8');
    // Drop the file's first document that is a Service.
    const docs = text.split(/^---\s*$/m);
    const at = docs.findIndex((d) => /^kind:\s*Service\s*$/m.test(d));
    docs.splice(at, 1);
    analysis.setFile(`examples/shop/${withService}`, docs.join('---\n'));
    const after = buildTopologyGraph(analysis.index(), { findings: analysis.findings(), sourceLabel: 'shop' });
    assert.ok(after.nodes.length < before.nodes.length, 'the Service and what hangs off it are gone');
    const patch = diffGraphs(before, after);
    const kept = new Set(after.nodes.map((n) => n.id));
    console.log(before.nodes.length, after.nodes.length, before.edges.length, after.edges.length, JSON.stringify(before.nodes.filter((n) => kept.has(n.id)).map((n) => n.id)) === JSON.stringify(after.nodes.filter((n) => before.nodes.some((b) => b.id === n.id)).map((n) => n.id)));
    assert.ok(patch, 'one Service of the shop is a small change');
    assert.deepEqual(applyGraphPatch(wire(before), wire(patch)), wire(after));
  });
});
