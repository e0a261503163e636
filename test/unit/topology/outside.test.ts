// The world outside in the inspector's graph: an "any address outside" node
// and a node per range egress ipBlocks name, linked from the workloads
// isolated for egress that may reach them, with the ports; workloads no
// egress policy selects counted, not linked.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { buildTopologyGraph, egressView, OUTSIDE_ID } from '../../../src/core/topology';
import { connectivityMatrix, workloadKey } from '../../../src/core/policy/connectivity';
import type { TopologyGraph } from '../../../src/protocol';
import { egressExample } from './egress-example';

function graphOf(files: Record<string, string>): TopologyGraph {
  const analysis = new Analysis();
  for (const [name, text] of Object.entries(files)) analysis.setFile(name, text);
  return buildTopologyGraph(analysis.index(), { findings: analysis.findings(), sourceLabel: 'test' });
}

const edge = (g: TopologyGraph, from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
const workloadId = (g: TopologyGraph, name: string) => g.nodes.find((n) => n.kind === 'workload' && n.label === name)!.id;

describe('topology: the world outside', () => {
  it('draws any address and each range an egress ipBlock names, right of the Pods', () => {
    const g = graphOf(egressExample());
    const outside = g.nodes.filter((n) => n.kind === 'external');
    assert.deepEqual(
      outside.map((n) => n.label),
      ['Any address outside', '169.254.169.254/32', '10.0.0.0/8', '10.20.0.0/16'],
    );
    assert.equal(outside.find((n) => n.label === '10.20.0.0/16')?.cidr, '10.20.0.0/16');
    // "0.0.0.0/0" is any address: not a node of its own.
    assert.ok(!outside.some((n) => n.label === '0.0.0.0/0'));
  });

  it('links a workload isolated for egress to what it may reach, with the ports', () => {
    const g = graphOf(egressExample());
    const api = workloadId(g, 'api');
    const worker = workloadId(g, 'worker');
    assert.equal(edge(g, api, OUTSIDE_ID)?.label, 'TCP/443 to part of it');
    assert.equal(edge(g, worker, 'external:cidr:10.20.0.0/16')?.label, 'TCP/5432');
    // worker's part of "any address" is its database range, already linked.
    assert.equal(edge(g, worker, OUTSIDE_ID), undefined);
    // The excepted ranges: no link from api.
    assert.equal(edge(g, api, 'external:cidr:169.254.169.254/32'), undefined);
    assert.equal(edge(g, api, 'external:cidr:10.0.0.0/8'), undefined);
    // HTTPS to every address: every range, for certain.
    const reports = workloadId(g, 'reports');
    assert.deepEqual(g.edges.filter((e) => e.from === reports).map((e) => [e.to, e.label]), [
      [OUTSIDE_ID, 'TCP/443'],
      ['external:cidr:169.254.169.254/32', 'TCP/443'],
      ['external:cidr:10.0.0.0/8', 'TCP/443'],
      ['external:cidr:10.20.0.0/16', 'TCP/443'],
    ]);
  });

  it('counts the workloads not isolated for egress instead of linking them', () => {
    const g = graphOf(egressExample());
    const web = workloadId(g, 'web');
    assert.ok(!g.edges.some((e) => e.from === web && e.to.startsWith('external:')));
    const any = g.nodes.find((n) => n.id === OUTSIDE_ID)!;
    // "unrestricted": no egress policy selects them, they may reach it on every port.
    assert.equal(any.detail, '2 of 3 isolated allowed · 1 unrestricted');
    // worker's database range, and reports' HTTPS to every address.
    assert.equal(g.nodes.find((n) => n.id === 'external:cidr:10.20.0.0/16')!.detail, 'ipBlock · 2 of 3 isolated allowed · 1 unrestricted');
    assert.equal(g.nodes.find((n) => n.id === 'external:cidr:169.254.169.254/32')!.detail, 'ipBlock · 1 of 3 isolated allowed · 1 unrestricted');
  });

  it('draws nothing outside when no NetworkPolicy restricts egress', () => {
    const files = egressExample();
    delete files['examples/egress/20-egress-policies.yaml'];
    files['examples/egress/30-reports.yaml'] = files['examples/egress/30-reports.yaml'].split('\n---\n')[0];
    const g = graphOf(files);
    assert.ok(!g.nodes.some((n) => n.kind === 'external'));
  });

  it('draws no link at all past 400 of them, and says so', () => {
    const many: string[] = [];
    for (let i = 0; i < 401; i++) {
      many.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  namespace: n\n  labels: {app: x}\nspec:\n  containers: [{name: c, image: i}]`);
    }
    many.push('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: n\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]');
    const g = graphOf({ 'many.yaml': many.join('\n---\n') });
    assert.equal(g.edges.filter((e) => e.to.startsWith('external:')).length, 0);
    assert.match(g.nodes.find((n) => n.id === OUTSIDE_ID)!.detail!, /^401 of 401 isolated allowed \(too many links to draw\)$/);
  });

  it('answers as kni connectivity does, Pod addresses and all (they are left out of its matrix: they decide nothing here)', () => {
    const pod = (name: string, ip: string, app: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: n\n  labels: {app: ${app}}\nspec:\n  containers: [{name: c, image: i}]\nstatus:\n  podIP: ${ip}\n  podIPs: [{ip: ${ip}}]\n  phase: Running\n  conditions: [{type: Ready, status: "True"}]`;
    const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: n\nspec:\n  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.2.0/24]}}]\n      ports: [{protocol: TCP, port: 443}]\n    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n      ports: [{protocol: UDP, port: 53}]';
    const analysis = new Analysis();
    analysis.setFile('set.yaml', [pod('a1', '10.1.2.7', 'a'), pod('a2', '10.1.3.8', 'a'), pod('b1', '10.1.0.9', 'b'), policy].join('\n---\n'));
    const index = analysis.index();
    const view = egressView(index)!;
    const full = connectivityMatrix(index.model, index);
    assert.deepEqual(view.destinations, full.externalDestinations);
    assert.ok(view.isolated.length > 0);
    for (const w of view.isolated) for (const d of view.destinations) assert.deepEqual(view.answer(w, d), full.between(workloadKey(w), d), `${w.name} -> ${d}`);
  });
});
