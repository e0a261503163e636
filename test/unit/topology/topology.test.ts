// The inspector's graph on plain Node: what buildTopologyGraph draws for the
// shop example, the deterministic layered layout, folding that never hides a
// finding, traces laid over the graph, and the editor's trace targets.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import type { ModelIndex } from '../../../src/core/model/model-index';
import { traceRequest } from '../../../src/core/trace';
import { buildTopologyGraph, INTERNET_ID, nodeForTarget, traceOptionsForNode } from '../../../src/core/topology';
import { layoutGraph, NODE_HEIGHT, traceViewFor, visibleGraph } from '../../../src/view-model';
import type { TopologyGraph, TopologyNode } from '../../../src/protocol';

function shop(): { graph: TopologyGraph; index: ModelIndex } {
  const dir = join(process.cwd(), 'examples', 'shop');
  const analysis = new Analysis();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) analysis.setFile(`examples/shop/${f}`, readFileSync(join(dir, f), 'utf8'));
  const index = analysis.index();
  return { graph: buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'shop' }), index };
}

const byLabel = (g: TopologyGraph, kind: string, label: string): TopologyNode => {
  const n = g.nodes.find((x) => x.kind === kind && x.label === label);
  assert.ok(n, `no ${kind} ${label}`);
  return n;
};

describe('topology graph of examples/shop', () => {
  const { graph, index } = shop();

  it('has every column: Internet, the controller, both Ingress paths, 4 Services with endpoints, 4 workloads, one "no pods"', () => {
    const count = (k: string) => graph.nodes.filter((n) => n.kind === k).length;
    assert.deepEqual(
      { entry: count('entry'), ingress: count('ingress'), service: count('service'), endpoints: count('endpoints'), workload: count('workload'), missing: count('missing') },
      { entry: 2, ingress: 2, service: 4, endpoints: 4, workload: 4, missing: 1 },
    );
    assert.equal(graph.edges.length, 13);
    assert.equal(new Set(graph.nodes.map((n) => n.id)).size, graph.nodes.length, 'node ids are not unique');
  });

  it("draws cart's selector that matches nothing as a broken edge to 'no pods', and the Ingress's missing port as broken", () => {
    const ep = byLabel(graph, 'endpoints', 'app=cart');
    const broken = graph.edges.filter((e) => e.broken);
    assert.equal(broken.length, 2);
    const toMissing = broken.find((e) => e.from === ep.id)!;
    assert.equal(graph.nodes.find((n) => n.id === toMissing.to)?.label, 'no pods');
    const portEdge = broken.find((e) => e.from === byLabel(graph, 'ingress', 'shop.example.com/api/catalog').id)!;
    assert.equal(portEdge.to, byLabel(graph, 'service', 'catalog').id);
    assert.equal(portEdge.label, '8080 → no such port');
  });

  it('labels edges with the port mapping', () => {
    const svc = byLabel(graph, 'service', 'frontend');
    const ep = byLabel(graph, 'endpoints', 'app=frontend');
    const w = byLabel(graph, 'workload', 'frontend');
    assert.equal(graph.edges.find((e) => e.from === svc.id && e.to === ep.id)?.label, '80 → 8080 http');
    // catalog's targetPort http-api resolves on no container: the name as written.
    const catalog = byLabel(graph, 'service', 'catalog');
    assert.equal(graph.edges.find((e) => e.from === catalog.id)?.label, '80 → http-api, 9102 → 9102 metrics');
    assert.equal(graph.edges.find((e) => e.from === ep.id && e.to === w.id)?.label, '8080 http');
  });

  it('puts each finding on the object it is about, and policy findings on the policy badge of the Pods they select', () => {
    assert.match(byLabel(graph, 'service', 'cart').findings!.messages.join(), /service-no-matching-pods/);
    assert.equal(byLabel(graph, 'service', 'frontend').findings, undefined);
    assert.match(byLabel(graph, 'workload', 'frontend').findings!.messages.join(), /probe-port-missing/);
    assert.match(byLabel(graph, 'ingress', 'shop.example.com/api/catalog').findings!.messages.join(), /ingress-backend-port-missing/);
    assert.equal(byLabel(graph, 'ingress', 'shop.example.com/').findings, undefined);
    const redis = byLabel(graph, 'workload', 'redis');
    assert.deepEqual(redis.policies, ['default-deny-ingress', 'redis-from-carts']);
    assert.equal(redis.policyFindings?.warnings, 1);
    assert.equal(redis.findings, undefined, "a policy's finding is not the workload's own");
  });

  it('traces a Service through the engine: the dropped request lights the Pods it reaches and marks the denied edge', () => {
    const node = byLabel(graph, 'service', 'redis');
    const options = traceOptionsForNode(node, index)!;
    assert.deepEqual(options.to, { kind: 'service', namespace: 'shop', name: 'redis', port: 6379 });
    const view = traceViewFor(graph, node.id, traceRequest(index.model, index, options))!;
    assert.equal(view.verdict, 'blocked');
    assert.equal(view.fromEngine, true);
    const redisWorkload = byLabel(graph, 'workload', 'redis').id;
    assert.ok(view.nodeIds.includes(redisWorkload));
    assert.deepEqual(view.deniedEdgeIds, [graph.edges.find((e) => e.to === redisWorkload)!.id]);
    assert.ok(view.hops.some((h) => h.kind === 'policy' && h.verdict === 'deny'));
  });

  it('traces an Ingress path as its URL, and maps editor targets to the node they start at', () => {
    const path = byLabel(graph, 'ingress', 'shop.example.com/');
    assert.deepEqual(traceOptionsForNode(path, index)?.to, { kind: 'url', url: 'https://shop.example.com/' });
    assert.equal(nodeForTarget(graph, index, { url: 'https://shop.example.com/api/catalog/items' })?.nodeId, byLabel(graph, 'ingress', 'shop.example.com/api/catalog').id);
    const cart = byLabel(graph, 'service', 'cart');
    const t = nodeForTarget(graph, index, { serviceId: cart.objectId!, port: 80 })!;
    assert.equal(t.nodeId, cart.id);
    assert.deepEqual(t.options.to, { kind: 'service', namespace: 'shop', name: 'cart', port: 80 });
    assert.equal(nodeForTarget(graph, index, { serviceId: 'no-such-object' }), undefined);
    // Nodes that do not start a request have no engine question.
    assert.equal(traceOptionsForNode(byLabel(graph, 'workload', 'carts'), index), undefined);
    assert.equal(traceOptionsForNode(graph.nodes.find((n) => n.id === INTERNET_ID)!, index), undefined);
  });

  it('without an engine result, lights every path through the node and says the hops are the topology only', () => {
    const cart = byLabel(graph, 'service', 'cart');
    const view = traceViewFor(graph, cart.id)!;
    assert.equal(view.fromEngine, false);
    assert.equal(view.verdict, 'broken');
    assert.deepEqual(new Set(view.nodeIds), new Set([cart.id, byLabel(graph, 'endpoints', 'app=cart').id, byLabel(graph, 'missing', 'no pods').id]));
    assert.equal(traceViewFor(graph, 'no-such-node'), undefined);
  });
});

describe('layered layout', () => {
  const { graph } = shop();

  it('is deterministic: the same graph in any order gets the same positions', () => {
    const a = layoutGraph(graph.nodes, graph.edges);
    const shuffled = [...graph.nodes].reverse();
    const b = layoutGraph(shuffled, [...graph.edges].reverse());
    for (const n of graph.nodes) assert.deepEqual(b.positions.get(n.id), a.positions.get(n.id), n.id);
  });

  it('reads left to right along every edge and never overlaps two boxes of a column', () => {
    const l = layoutGraph(graph.nodes, graph.edges);
    for (const e of graph.edges) assert.ok(l.positions.get(e.from)!.x < l.positions.get(e.to)!.x, `${e.id} goes backwards`);
    const byX = new Map<number, number[]>();
    for (const p of l.positions.values()) (byX.get(p.x) ?? byX.set(p.x, []).get(p.x)!).push(p.y);
    for (const ys of byX.values()) {
      ys.sort((x, y) => x - y);
      for (let i = 1; i < ys.length; i++) assert.ok(ys[i] - ys[i - 1] >= NODE_HEIGHT, 'boxes overlap');
    }
  });

  it('orders a column to avoid crossings (barycenter): two chains stay parallel', () => {
    const nodes: TopologyNode[] = [
      { id: 's1', kind: 'service', label: 'a' },
      { id: 's2', kind: 'service', label: 'b' },
      { id: 'w1', kind: 'workload', label: 'z' }, // sorts last by label, but belongs to s1
      { id: 'w2', kind: 'workload', label: 'y' },
    ];
    const l = layoutGraph(nodes, [
      { id: 'e1', from: 's1', to: 'w1' },
      { id: 'e2', from: 's2', to: 'w2' },
    ]);
    assert.ok(l.positions.get('w1')!.y < l.positions.get('w2')!.y);
  });
});

describe('folding Pods into their workload', () => {
  const graph: TopologyGraph = {
    sourceLabel: 't',
    nodes: [
      { id: 'svc', kind: 'service', label: 'svc', namespace: 'a' },
      { id: 'ep', kind: 'endpoints', label: 'ep', namespace: 'a' },
      { id: 'w', kind: 'workload', label: 'w', namespace: 'a', count: 3 },
      { id: 'p1', kind: 'pod', label: 'p1', namespace: 'a', group: 'w' },
      { id: 'p2', kind: 'pod', label: 'p2', namespace: 'a', group: 'w' },
      { id: 'p3', kind: 'pod', label: 'p3', namespace: 'a', group: 'w', findings: { errors: 1, warnings: 0, infos: 0, messages: ['x'] } },
      { id: 'n1', kind: 'node', label: 'n1' },
      { id: 'other', kind: 'service', label: 'other', namespace: 'b' },
    ],
    edges: [
      { id: 'a', from: 'svc', to: 'ep' },
      { id: 'b1', from: 'ep', to: 'p1' },
      { id: 'b2', from: 'ep', to: 'p2' },
      { id: 'b3', from: 'ep', to: 'p3' },
      { id: 'c1', from: 'p1', to: 'n1' },
      { id: 'c2', from: 'p2', to: 'n1' },
    ],
  };

  it('folds Pods into the workload with merged edges, but never a Pod with a finding', () => {
    const v = visibleGraph(graph);
    assert.deepEqual(v.nodes.map((n) => n.id).sort(), ['ep', 'n1', 'other', 'p3', 'svc', 'w']);
    assert.equal(v.nodes.find((n) => n.id === 'w')?.folded, 2);
    const epToW = v.edges.find((e) => e.from === 'ep' && e.to === 'w')!;
    assert.deepEqual(epToW.sources.sort(), ['b1', 'b2']);
    assert.deepEqual(v.edges.find((e) => e.from === 'w' && e.to === 'n1')?.sources.sort(), ['c1', 'c2']);
    assert.ok(v.edges.some((e) => e.id === 'b3'));
    assert.equal(v.shownAs.get('p1'), 'w');
  });

  it('draws every Pod of an expanded workload', () => {
    const v = visibleGraph(graph, { expanded: new Set(['w']) });
    assert.ok(['p1', 'p2', 'p3'].every((id) => v.nodes.some((n) => n.id === id)));
    assert.equal(v.edges.length, graph.edges.length);
  });

  it('filters by namespace, keeping the cluster-wide Nodes linked to what stays', () => {
    const v = visibleGraph(graph, { namespace: 'a', expanded: new Set(['w']) });
    assert.ok(!v.nodes.some((n) => n.id === 'other'));
    assert.ok(v.nodes.some((n) => n.id === 'n1'));
    const b = visibleGraph(graph, { namespace: 'b' });
    assert.deepEqual(b.nodes.map((n) => n.id), ['other']);
  });
});
