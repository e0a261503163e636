// The patch the host posts instead of the whole graph: applied to the graph
// the webview holds, it gives exactly the new graph (order included), and
// there is no patch when it could not say so (kept items reordered, duplicate
// ids) or when most of the graph changed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { buildTopologyGraph } from '../../../src/core/topology';
import { applyGraphPatch, diffGraphs, diffGraphsInSlices, isEmptyPatch } from '../../../src/view-model';
import type { TopologyEdge, TopologyGraph, TopologyNode } from '../../../src/protocol';
import type { Finding } from '../../../src/core/findings/types';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { rng as random } from '../../fixtures/source/generate';

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

  it('is the same patch when computed in slices, pausing between them', async () => {
    const before = cluster(9000);
    const after = mutate(before, random(9), { n: 20_000 });
    let pauses = 0;
    const sliced = await diffGraphsInSlices(before, after, {
      sliceMs: 0,
      pause: async () => {
        pauses++;
      },
    });
    assert.deepEqual(sliced, diffGraphs(before, after));
    assert.ok(pauses >= 8, `paused ${pauses} times over 18,000 nodes and edges`);
  });

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

/** A small live cluster: 3 Deployments of 4 Pods, each behind a Service with an EndpointSlice, on 2 Nodes. */
function liveCluster(): NetworkModel {
  const origin = { source: 'cluster' as const };
  const meta = <K extends string>(kind: K, id: string, name: string, namespace: string, labels: Record<string, string> = {}) => ({ id, kind, apiVersion: 'v1', name, namespace, labels, annotations: {}, origin });
  const nodes = [0, 1].map((i) => ({ ...meta('Node', `node-${i}`, `node-${i}`, ''), addresses: [{ type: 'InternalIP', address: `10.0.0.${i}` }], podCIDRs: [], ready: true }));
  const workloads = [];
  const services = [];
  const endpointSlices = [];
  for (let w = 0; w < 3; w++) {
    const app = `app-${w}`;
    const pods = [0, 1, 2, 3].map((r) => {
      const ip = `10.244.${w}.${r}`;
      return { ...meta('Pod', `pod-${w}-${r}`, `${app}-${r}`, 'shop', { app }), ip, ips: [ip], nodeName: `node-${r % 2}`, phase: 'Running', ready: true, terminating: false, containers: [], hostNetwork: false };
    });
    workloads.push({ ...meta('Deployment', `wl-${w}`, app, 'shop'), podLabels: { app }, selector: { matchLabels: { app }, matchExpressions: [] }, containers: [], replicas: 4, hostNetwork: false, pods });
    services.push({ ...meta('Service', `svc-${w}`, app, 'shop'), type: 'ClusterIP', clusterIP: `10.96.0.${w}`, clusterIPs: [], headless: false, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { matchLabels: { app }, matchExpressions: [] }, sessionAffinity: 'None', externalIPs: [], loadBalancerIPs: [], ipFamilies: ['IPv4'], publishNotReadyAddresses: false });
    endpointSlices.push({ ...meta('EndpointSlice', `eps-${w}`, `${app}-x`, 'shop', { 'kubernetes.io/service-name': app }), serviceName: app, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: pods.map((p) => ({ addresses: [p.ip], ready: true, serving: true, terminating: false, nodeName: p.nodeName, targetRef: { kind: 'Pod', namespace: 'shop', name: p.name } })) });
  }
  return { source: 'cluster', defaultNamespace: 'default', namespaces: [], nodes, workloads, services, endpointSlices, ingresses: [], ingressClasses: [], routes: [], gateways: [], gatewayClasses: [], referenceGrants: [], networkPolicies: [] } as unknown as NetworkModel;
}

describe('graph rebuilt after a watch event', () => {
  it('hands unchanged Pods their last node and links, and redraws a Pod changed even in place', () => {
    const model = liveCluster();
    const first = buildTopologyGraph(new ModelIndex(model), { sourceLabel: 'live' });
    const again = buildTopologyGraph(new ModelIndex(model), { sourceLabel: 'live' });
    assert.deepEqual(again, first);
    const podNodes = (g: TopologyGraph) => g.nodes.filter((n) => n.kind === 'pod');
    assert.equal(podNodes(first).length, 12);
    podNodes(again).forEach((n, i) => assert.equal(n, podNodes(first)[i], `${n.id}: the same object`));
    assert.ok(isEmptyPatch(diffGraphs(first, again)!));

    // The source changes a Pod in place and marks its endpoint not ready; another Pod gets a finding.
    const pod = model.workloads[1].pods[2];
    pod.ready = false;
    model.endpointSlices[1].endpoints[2].ready = false;
    const other = model.workloads[0].pods[0];
    const finding = { rule: 'bench', severity: 'warning', message: 'restarts', loc: { file: '', start: 0, end: 0 }, object: { kind: 'Pod', namespace: 'shop', name: other.name }, related: [], fixes: [] } as unknown as Finding;
    const changed = buildTopologyGraph(new ModelIndex(model), { sourceLabel: 'live', findings: [finding] });
    const byId = new Map(changed.nodes.map((n) => [n.id, n]));
    assert.match(byId.get(`pod:${pod.id}`)!.detail!, /not ready/);
    assert.equal(byId.get(`pod:${other.id}`)!.findings?.warnings, 1);
    assert.ok(changed.edges.some((e) => e.to === `pod:${pod.id}` && e.label === 'not ready'));
    // Exactly those two Pods, the endpoints' ready count and that one link differ from the first graph.
    const patch = diffGraphs(first, changed)!;
    assert.deepEqual(patch.nodes.map((u) => u.item.id).sort(), ['endpoints:svc-1', `pod:${other.id}`, `pod:${pod.id}`].sort());
    assert.deepEqual(patch.edges.map((u) => u.item.id), [`endpoints:svc-1->pod:${pod.id}`]);
    // And the next build without the finding draws the Pod without it.
    const cleared = buildTopologyGraph(new ModelIndex(model), { sourceLabel: 'live' });
    assert.equal(cleared.nodes.find((n) => n.id === `pod:${other.id}`)!.findings, undefined);
  });
});
