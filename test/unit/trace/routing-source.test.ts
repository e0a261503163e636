// Where a request starts (a Pod, a workload's Pod, a node, an external client)
// and how it travels between nodes: the route hop's legs (same node through
// the veth pair and the bridge, across nodes to the node owning the Pod CIDR,
// a hostNetwork end at its node's own address), and the words a denial is
// given by the kind of policy that decides it.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel, Node } from '../../../src/core/model/types';
import type { DirectionResult } from '../../../src/core/policy/evaluate';
import { denyingKinds, droppedBy, dropsWords, policyHop } from '../../../src/core/trace/policy-hop';
import { describeNode, nodeAddress, routeHop } from '../../../src/core/trace/routing';
import { resolveSource, unknownPodSource, controllerSource } from '../../../src/core/trace/source';
import { model, node, pod, workload } from '../../fixtures/trace/build';

const n1 = node('n1', '192.168.1.10', '10.244.1.0/24');
const n2 = node('n2', '192.168.1.11', '10.244.2.0/24');
const external: Node = { ...node('edge', '0.0.0.0'), addresses: [{ type: 'ExternalIP', address: '52.0.0.9' }] };
const bare: Node = { ...node('bare', '0.0.0.0'), addresses: [] };

describe('routing between the two ends', () => {
  it('a node\'s address: InternalIP, else ExternalIP, else none; the node named with it', () => {
    assert.equal(nodeAddress(n1), '192.168.1.10');
    assert.equal(nodeAddress({ ...n1, addresses: [{ type: 'ExternalIP', address: '52.0.0.1' }, { type: 'InternalIP', address: '192.168.1.10' }] }), '192.168.1.10');
    assert.equal(nodeAddress(external), '52.0.0.9');
    assert.equal(nodeAddress(bare), undefined);
    assert.equal(nodeAddress(undefined), undefined);
    assert.equal(describeNode([n1, external, bare], 'n1'), 'n1 (192.168.1.10)');
    assert.equal(describeNode([n1, external, bare], 'bare'), 'bare');
    assert.equal(describeNode([n1], 'gone'), 'gone');
    assert.equal(describeNode([n1], undefined), 'a node');
  });
  it('same node, across nodes (to the node owning the Pod CIDR), each distinct pair of nodes once', () => {
    const nodes = [n1, n2, { ...node('n3', '192.168.1.12'), podCIDRs: [] }];
    const hop = routeHop(
      nodes,
      [
        { fromNode: 'n1', toNode: 'n1', target: '10.244.1.5' },
        { fromNode: 'n1', toNode: 'n1', target: '10.244.1.6' },
        { fromNode: 'n1', toNode: 'n2', target: '10.244.2.8' },
        { fromNode: 'n1', toNode: 'n3', target: '10.244.3.2' },
      ],
      'Pod a/b',
      ['x'],
    );
    const lines = [
      'to 10.244.1.5 on the same node n1 (192.168.1.10): veth -> bridge -> veth',
      'to 10.244.2.8 across nodes: n1 (192.168.1.10) -> n2 (192.168.1.11) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
      'to 10.244.3.2 across nodes: n1 (192.168.1.10) -> n3 (192.168.1.12), routed by the CNI plugin over the node network',
    ];
    assert.deepEqual(hop, { kind: 'route', detail: `Pod a/b -> ${lines.join('; ')}`, rules: lines, objectIds: ['x'] });
  });
  it('a hostNetwork end: no veth there, the node\'s own address; a hostNetwork source starts in the node\'s namespace', () => {
    const hop = routeHop(
      [n1, n2],
      [
        { fromNode: 'n1', toNode: 'n1', target: '192.168.1.10', hostNetwork: true },
        { fromNode: 'n2', toNode: 'n1', target: '192.168.1.10', hostNetwork: true },
      ],
      'Pod a/b',
      [],
    );
    assert.deepEqual(hop.rules, [
      "to 192.168.1.10 on the same node n1 (192.168.1.10): a hostNetwork Pod, in the node's own network namespace at the node's address (no veth)",
      "to 192.168.1.10 across nodes: n2 (192.168.1.11) -> n1 (192.168.1.10), the node's own address (a hostNetwork Pod: no Pod CIDR, no veth at that end), over the node network",
    ]);
    const fromHost = routeHop([n1], [{ fromNode: 'n1', toNode: 'n1', target: '10.244.1.5' }], 'Pod mon/agent', [], true);
    assert.equal(fromHost.detail, "Pod mon/agent -> to 10.244.1.5 on the same node n1 (192.168.1.10): the node's network namespace -> veth");
  });
  it('where the Pods run is unknown: said once, with no rules', () => {
    const hop = routeHop([], [{ fromNode: 'n1', target: '<a>' }, { toNode: 'n1', target: '<b>' }], 'Pod a/b', ['y']);
    assert.deepEqual(hop, {
      kind: 'route',
      detail: "Pod a/b -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes' addresses (the CNI plugin's routes or tunnel); the set does not say where the Pods run",
      rules: [],
      objectIds: ['y'],
    });
    const host = routeHop([], [{ target: '<a>', hostNetwork: true }], 'the receiving node', [], true);
    assert.equal(host.detail, "the receiving node -> the endpoint, a hostNetwork Pod at its node's own address: on the same node no veth at that end; across nodes over the node network; the set does not say where the Pods run");
    // One known leg among unknown ones: the whole hop is what the set cannot say.
    assert.deepEqual(routeHop([n1], [{ fromNode: 'n1', toNode: 'n1', target: '10.244.1.5' }, { target: '<c>' }], 'x', []).rules, []);
  });
});

const side = (o: Partial<DirectionResult>): DirectionResult => ({ direction: 'ingress', enforced: true, isolated: 'yes', allowed: 'no', policies: [], conditions: [], explanation: 'e', ...o });

describe('policy verdicts as hops, and who drops', () => {
  it('the hop carries the side\'s verdict, its policies and the rule that allowed it', () => {
    const s = side({ direction: 'egress', allowed: 'yes', policies: [{ id: 'p1', name: 'a' }, { id: 'p2', name: 'b' }], allowedBy: { policyId: 'p2', policy: 'ns/b', ruleIndex: 1 } as DirectionResult['allowedBy'], conditions: ['c'] });
    assert.deepEqual(policyHop(s, 'said', ['o1']), {
      kind: 'policy',
      detail: 'said',
      rules: [],
      objectIds: ['p1', 'p2', 'o1'],
      policy: { direction: 'egress', policyIds: ['p1', 'p2'], allowedBy: { policyId: 'p2', policy: 'ns/b', ruleIndex: 1 }, allowed: 'yes', conditions: ['c'], tier: 'NetworkPolicy' },
    });
    assert.equal(policyHop(side({ explanation: 'why' })).detail, 'why');
    assert.equal(policyHop(side({})).policy?.allowedBy, undefined);
  });
  it('the kinds that drop, in the order met, each once; NetworkPolicy when none says', () => {
    assert.deepEqual(denyingKinds([]), ['NetworkPolicy']);
    assert.deepEqual(denyingKinds([side({ tier: 'BaselineAdminNetworkPolicy' }), side({}), side({ tier: 'AdminNetworkPolicy' }), side({ tier: 'NetworkPolicy' })]), ['BaselineAdminNetworkPolicy', 'NetworkPolicy', 'AdminNetworkPolicy']);
    assert.equal(droppedBy([side({ tier: 'AdminNetworkPolicy' })]), 'AdminNetworkPolicy drops');
    assert.equal(droppedBy([side({ tier: 'AdminNetworkPolicy' }), side({})]), 'AdminNetworkPolicy and NetworkPolicy drop');
    assert.equal(dropsWords(), 'NetworkPolicy drops');
  });
});

function set(): NetworkModel {
  const api = workload('shop', 'api', { app: 'api' });
  api.pods = [
    { ...pod('shop', 'api-1', '10.244.1.5', 'n1', { labels: { app: 'api', 'pod-template-hash': 'x1' }, ready: false }), ips: ['10.244.1.5', 'fd00::5'] },
    pod('shop', 'api-2', '10.244.2.6', 'n2', { labels: {} }),
  ];
  const noIp = workload('shop', 'batch', { app: 'batch' }, { kind: 'Job' });
  noIp.pods = [{ ...pod('shop', 'batch-1', '', 'n1'), ip: undefined, ips: [] }];
  return model({ source: 'cluster', nodes: [n1, n2], workloads: [api, noIp, workload('shop', 'solo', { app: 'solo' }, { kind: 'Pod' })] });
}
const src = (m: NetworkModel, from: Parameters<typeof resolveSource>[1]) => resolveSource(new ModelIndex(m), from);

describe('the source of a request', () => {
  it('a live Pod: its addresses, node, own labels (its workload\'s when it has none)', () => {
    const m = set();
    const a = src(m, { kind: 'pod', namespace: 'shop', name: 'api-1' });
    assert.ok(typeof a !== 'string');
    assert.deepEqual([a.kind, a.label, a.namespace, a.nodeName, a.objectIds], ['pod', 'Pod shop/api-1 (10.244.1.5)', 'shop', 'n1', [m.workloads[0].id, m.workloads[0].pods[0].id]]);
    assert.ok(a.subject.kind === 'pod');
    assert.deepEqual([a.subject.name, a.subject.labels, a.subject.ips, a.subject.nodeName, a.subject.hostNetwork], ['shop/api-1', { app: 'api', 'pod-template-hash': 'x1' }, ['10.244.1.5', 'fd00::5'], 'n1', false]);
    const b = src(m, { kind: 'pod', namespace: 'shop', name: 'api-2' });
    assert.ok(typeof b !== 'string' && b.subject.kind === 'pod');
    assert.deepEqual(b.subject.labels, { app: 'api' });
    // A Pod with ip but no ips list (an older API server's status): its one address.
    m.workloads[0].pods[1].ips = [];
    const ipOnly = src(m, { kind: 'pod', namespace: 'shop', name: 'api-2' });
    assert.ok(typeof ipOnly !== 'string' && ipOnly.subject.kind === 'pod');
    assert.deepEqual([ipOnly.label, ipOnly.subject.ips], ['Pod shop/api-2 (10.244.2.6)', ['10.244.2.6']]);
    const byWorkload = src(m, { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'api' });
    assert.ok(typeof byWorkload !== 'string' && byWorkload.subject.kind === 'pod');
    assert.deepEqual(byWorkload.subject.ips, ['10.244.2.6']);
    const c = src(m, { kind: 'pod', namespace: 'shop', name: 'batch-1' });
    assert.ok(typeof c !== 'string' && c.subject.kind === 'pod');
    assert.deepEqual([c.label, c.subject.ips], ['Pod shop/batch-1', []]);
  });
  it('a bare Pod manifest; a missing Pod, naming the workload form when the name is a workload\'s', () => {
    const m = set();
    const solo = src(m, { kind: 'pod', namespace: 'shop', name: 'solo' });
    assert.ok(typeof solo !== 'string');
    assert.deepEqual([solo.label, solo.objectIds, solo.nodeName], ['Pod shop/solo', [m.workloads[2].id], undefined]);
    assert.equal(src(m, { kind: 'pod', namespace: 'shop', name: 'nope' }), 'no Pod shop/nope in the set');
    assert.equal(src(m, { kind: 'pod', namespace: 'shop', name: 'api' }), 'no Pod shop/api in the set; shop/api is a Deployment: one of its Pods is workload/shop/Deployment/api');
  });
  it('a workload: its first ready Pod with an address, else the first with one, else a Pod of it unnamed', () => {
    const m = set();
    const w = src(m, { kind: 'workload', namespace: 'shop', workloadKind: 'deployment', name: 'api' });
    assert.ok(typeof w !== 'string' && w.subject.kind === 'pod');
    assert.deepEqual([w.label, w.nodeName, w.subject.name, w.subject.ips], ['Pod shop/api-2 (10.244.2.6; the first of 2 of Deployment api)', 'n2', 'shop/api-2', ['10.244.2.6']]);
    m.workloads[0].pods[1].ready = false;
    const notReady = src(m, { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'api' });
    assert.ok(typeof notReady !== 'string' && notReady.subject.kind === 'pod');
    assert.deepEqual([notReady.label, notReady.subject.ips], ['Pod shop/api-1 (10.244.1.5; the first of 2 of Deployment api)', ['10.244.1.5', 'fd00::5']]);
    const job = src(m, { kind: 'workload', namespace: 'shop', workloadKind: 'Job', name: 'batch' });
    assert.ok(typeof job !== 'string');
    assert.deepEqual([job.label, job.objectIds, job.nodeName], ['a Pod of shop/Job/batch', [m.workloads[1].id], undefined]);
    assert.equal(src(m, { kind: 'workload', namespace: 'shop', workloadKind: 'StatefulSet', name: 'api' }), 'no StatefulSet shop/api in the set');
  });
  it('a node: named with its address; a node not in the set is refused only when the set lists nodes', () => {
    const m = set();
    const n = src(m, { kind: 'node', name: 'n1' });
    assert.ok(typeof n !== 'string');
    assert.deepEqual([n.kind, n.label, n.nodeName, n.objectIds, n.subject], ['node', 'node n1 (192.168.1.10)', 'n1', [n1.id], { kind: 'node', name: 'node n1', ip: '192.168.1.10', family: 4, nodeName: 'n1', objectIds: [n1.id] }]);
    assert.equal(src(m, { kind: 'node', name: 'n9' }), 'no node n9 (nodes: n1, n2)');
    const none = src(model({}), { kind: 'node', name: 'n9' });
    assert.ok(typeof none !== 'string');
    assert.deepEqual([none.label, none.objectIds], ['node n9', []]);
  });
  it('an external client: its address if given, the node its connection reaches if named and known', () => {
    const m = set();
    const e = src(m, { kind: 'external', ip: '203.0.113.7' });
    assert.ok(typeof e !== 'string');
    assert.deepEqual([e.kind, e.label, e.nodeName, e.objectIds, e.subject.kind], ['external', 'an external client (203.0.113.7)', undefined, [], 'external']);
    const via = src(m, { kind: 'external', viaNode: 'n2' });
    assert.ok(typeof via !== 'string');
    assert.deepEqual([via.label, via.nodeName, via.objectIds], ['an external client', 'n2', [n2.id]]);
    assert.equal(src(m, { kind: 'external', viaNode: 'n7' }), 'no node n7 (nodes: n1, n2)');
    const viaUnknown = src(model({}), { kind: 'external', viaNode: 'n7' });
    assert.ok(typeof viaUnknown !== 'string');
    assert.deepEqual([viaUnknown.nodeName, viaUnknown.objectIds], ['n7', []]);
  });
  it('a namespace whose Pods could not be read: the Pod may exist, its labels unknown', () => {
    const m = set();
    m.unread = [{ resource: 'pods', namespace: 'ops', reason: '403 Forbidden', consequence: 'Pods unknown' }];
    const s = src(m, { kind: 'pod', namespace: 'ops', name: 'x' });
    assert.ok(typeof s !== 'string' && s.subject.kind === 'pod');
    const label = 'Pod ops/x (Pods in ops could not be read: 403 Forbidden; labels unknown)';
    assert.deepEqual(s, { kind: 'pod', label, namespace: 'ops', subject: { kind: 'pod', name: label, namespace: 'ops', labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] }, objectIds: [] });
    const w = src(m, { kind: 'workload', namespace: 'ops', workloadKind: 'Deployment', name: 'y' });
    assert.ok(typeof w !== 'string');
    assert.equal(w.label, 'Deployment ops/y (Pods in ops could not be read: 403 Forbidden; labels unknown)');
  });
  it('no source given: some Pod of the namespace, or the ingress controller\'s, labels unknown', () => {
    assert.deepEqual(unknownPodSource('shop'), {
      kind: 'pod',
      label: 'a Pod in namespace shop',
      namespace: 'shop',
      subject: { kind: 'pod', name: 'a Pod in namespace shop (labels unknown)', namespace: 'shop', labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] },
      objectIds: [],
    });
    assert.deepEqual(controllerSource(), {
      kind: 'pod',
      label: "the ingress controller's Pod",
      subject: { kind: 'pod', name: "the ingress controller's Pod", namespace: undefined, labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] },
      objectIds: [],
    });
    assert.equal(controllerSource('nginx').label, 'nginx');
  });
});
