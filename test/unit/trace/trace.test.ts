// The trace engine on the worked examples of the networking notes our users
// learned from, where the engine must be right where the notes simplify.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions } from '../../../src/core/trace';
import {
  container,
  endpointSlice,
  model,
  namespace,
  node,
  pod,
  policy,
  rule,
  sel,
  service,
  servicePort,
  tcp,
  workload,
} from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions) {
  return traceRequest(m, new ModelIndex(m), o);
}

// The notes' cluster: Node-1 192.168.1.10 (10.244.1.0/24), Node-2 192.168.1.11
// (10.244.2.0/24); backend Pods 10.244.1.5, 10.244.1.6 (Node-1), 10.244.2.8
// (Node-2) on 8080; frontend 10.244.1.3 on Node-1; Service backend 10.96.0.20:80.
function notesCluster(extra: { svc?: Partial<Parameters<typeof service>[4]>; policies?: NetworkModel['networkPolicies'] } = {}): NetworkModel {
  const n1 = node('node-1', '192.168.1.10', '10.244.1.0/24');
  const n2 = node('node-2', '192.168.1.11', '10.244.2.0/24');
  const c = [container('app', [[8080, 'http']])];
  const be = workload('default', 'backend', { app: 'backend' }, {
    replicas: 3,
    containers: c,
    pods: [
      pod('default', 'backend-1', '10.244.1.5', 'node-1', { labels: { app: 'backend' }, containers: c }),
      pod('default', 'backend-2', '10.244.1.6', 'node-1', { labels: { app: 'backend' }, containers: c }),
      pod('default', 'backend-3', '10.244.2.8', 'node-2', { labels: { app: 'backend' }, containers: c }),
    ],
  });
  const fe = workload('default', 'frontend', { app: 'frontend' }, { pods: [pod('default', 'frontend-1', '10.244.1.3', 'node-1', { labels: { app: 'frontend' } })] });
  const svc = service('default', 'backend', { app: 'backend' }, [servicePort(80, 8080, undefined, { nodePort: 30080 })], {
    clusterIP: '10.96.0.20',
    clusterIPs: ['10.96.0.20'],
    ...extra.svc,
  });
  const slice = endpointSlice('default', 'backend', [{ port: 8080, protocol: 'TCP' }], [
    { addresses: ['10.244.1.5'], ready: true, serving: true, terminating: false, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'backend-1' } },
    { addresses: ['10.244.1.6'], ready: true, serving: true, terminating: false, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'backend-2' } },
    { addresses: ['10.244.2.8'], ready: true, serving: true, terminating: false, nodeName: 'node-2', targetRef: { kind: 'Pod', namespace: 'default', name: 'backend-3' } },
  ]);
  return model({
    source: 'cluster',
    namespaces: [namespace('default')],
    nodes: [n1, n2],
    workloads: [be, fe],
    services: [svc],
    endpointSlices: [slice],
    networkPolicies: extra.policies ?? [],
  });
}

const fromFrontend = { kind: 'pod', namespace: 'default', name: 'frontend-1' } as const;
const toBackend = { kind: 'service', namespace: 'default', name: 'backend' } as const;

describe('trace: ClusterIP from a Pod (the notes\' packet journey)', () => {
  // Traced in each test, not once while the file loads (see test/README.md, mutation testing).
  const journey = () => trace(notesCluster(), { from: fromFrontend, to: toBackend });

  it('is delivered, hop by hop in order', () => {
    const r = journey();
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(
      r.hops.map((h) => h.kind),
      ['dns', 'vip', 'kube-proxy', 'dnat', 'policy', 'route', 'policy', 'pod', 'reply'],
    );
  });
  it('DNS: the short name from the same namespace, the FQDN to the ClusterIP', () => {
    const r = journey();
    const dns = r.hops[0];
    // The first search domain answers; the record as dig prints it (TTL 5, CoreDNS's default).
    assert.match(dns.detail, /^Pod default\/frontend-1 \(10\.244\.1\.3\) asks "backend" \(search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local, ndots:5\): backend\.default\.svc\.cluster\.local\. answers: the ClusterIP of default\/backend, 10\.96\.0\.20$/);
    assert.deepEqual(dns.rules, ['backend.default.svc.cluster.local.\t5\tIN\tA\t10.96.0.20']);
  });
  it('kube-proxy: KUBE-SERVICES -> KUBE-SVC -> KUBE-SEP with 0.33333, 0.50000, then unconditional', () => {
    const r = journey();
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    const svcChain = 'KUBE-SVC-NU7AD2CJVNXKF2GF'; // portProtoHash("default/backend", "tcp")
    assert.equal(kp.rules[0], `-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j ${svcChain}`);
    // kube-proxy's first rule in KUBE-SVC marks traffic from outside the cluster CIDR for masquerade.
    assert.equal(kp.rules[1], `-A ${svcChain} ! -s "<cluster CIDR>" -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`);
    assert.match(kp.rules[2], new RegExp(`^-A ${svcChain} -m comment --comment "default/backend -> 10\\.244\\.1\\.5:8080" -m statistic --mode random --probability 0\\.33333333349 -j KUBE-SEP-`));
    assert.match(kp.rules[3], /--probability 0\.50000000000 -j KUBE-SEP-/);
    assert.doesNotMatch(kp.rules[4], /statistic/);
    assert.match(kp.detail, /0\.33333, 0\.50000, the last unconditionally/);
  });
  it('DNAT to Pod IP:targetPort in each KUBE-SEP chain', () => {
    const r = journey();
    const dnat = r.hops.find((h) => h.kind === 'dnat')!;
    assert.ok(dnat.rules.some((l) => /-j DNAT --to-destination 10\.244\.2\.8:8080$/.test(l)));
    assert.ok(dnat.rules.some((l) => /^-A KUBE-SEP-\w{16} -s 10\.244\.1\.5\/32 .* -j KUBE-MARK-MASQ$/.test(l)));
  });
  it('endpoints: each 1/3, with their rule probabilities and nodes', () => {
    const r = journey();
    assert.deepEqual(
      r.endpoints.map((e) => [e.target, e.port, e.probability, e.ruleProbability, e.nodeName]),
      [
        ['10.244.1.5', 8080, 0.3333333333, 0.3333333333, 'node-1'],
        ['10.244.1.6', 8080, 0.3333333333, 0.5, 'node-1'],
        ['10.244.2.8', 8080, 0.3333333333, undefined, 'node-2'],
      ],
    );
  });
  it('routing: same node veth/bridge, across nodes via the node addresses', () => {
    const r = journey();
    const route = r.hops.find((h) => h.kind === 'route')!;
    assert.match(route.detail, /10\.244\.1\.5 on the same node node-1 \(192\.168\.1\.10\): veth -> bridge -> veth/);
    assert.match(route.detail, /10\.244\.2\.8 across nodes: node-1 \(192\.168\.1\.10\) -> node-2 \(192\.168\.1\.11\) \(the node owning 10\.244\.2\.0\/24\)/);
  });
  it('the reply: conntrack undoes the DNAT (no iptables rule)', () => {
    const r = journey();
    assert.match(r.hops[r.hops.length - 1].detail, /conntrack .* back to 10\.96\.0\.20:80 \(reverse DNAT\)/);
  });
  it('IPVS mode: the virtual server and its real servers with the scheduler', () => {
    const v = trace(notesCluster(), { from: fromFrontend, to: toBackend, proxyMode: 'ipvs' });
    const kp = v.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.equal(kp.rules[0], 'TCP  10.96.0.20:80 rr');
    assert.match(kp.rules[1], /^ {2}-> 10\.244\.1\.5:8080 +Masq +1/);
    assert.equal(kp.rules.length, 4);
    assert.deepEqual(v.endpoints.map((e) => e.probability), [1 / 3, 1 / 3, 1 / 3].map((x) => Math.round(x * 1e10) / 1e10));
  });
});

describe('trace: NodePort from outside (the notes\' two NATs)', () => {
  it('ExternalTrafficPolicy Cluster: DNAT straight to the Pod (the ClusterIP never appears) and SNAT to the node', () => {
    const r = trace(notesCluster({ svc: { type: 'NodePort' } }), { from: { kind: 'external', ip: '203.0.113.100' }, to: toBackend });
    assert.equal(r.verdict, 'delivered', r.reason);
    const np = r.hops.find((h) => h.kind === 'nodeport')!;
    assert.match(np.detail, /\(192\.168\.1\.10, 192\.168\.1\.11\) on NodePort 30080/);
    assert.ok(np.rules.some((l) => /^-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/backend" -m tcp --dport 30080 -j KUBE-EXT-NU7AD2CJVNXKF2GF$/.test(l)));
    assert.ok(np.rules.includes('-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade traffic for default/backend external destinations" -j KUBE-MARK-MASQ'));
    const dnat = r.hops.find((h) => h.kind === 'dnat')!;
    assert.match(dnat.detail, /the ClusterIP never appears in the packet/);
    const snat = r.hops.find((h) => h.kind === 'route' && /masquerades/.test(h.detail))!;
    assert.match(snat.detail, /source becomes the receiving node's address \(the second NAT\)/);
    assert.match(r.hops[r.hops.length - 1].detail, /undoes both NATs/);
    assert.ok(r.endpoints.every((e) => e.probability !== undefined));
  });
  it('ExternalTrafficPolicy Local: only nodes with a local endpoint answer, the client address is kept', () => {
    // Move every backend to node-1: node-2 has none and drops.
    const m = notesCluster({ svc: { type: 'NodePort', externalTrafficPolicy: 'Local' } });
    m.endpointSlices[0].endpoints[2].nodeName = 'node-1';
    const r = trace(m, { from: { kind: 'external', ip: '203.0.113.100' }, to: toBackend });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /externalTrafficPolicy Local: delivered only if the node the client reaches runs an endpoint/);
    assert.match(r.reason, /without: node-2/);
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.match(kp.rules[0], /^-A KUBE-SVL-NU7AD2CJVNXKF2GF /);
    const np = r.hops.find((h) => h.kind === 'nodeport')!;
    assert.ok(np.rules.includes('-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVL-NU7AD2CJVNXKF2GF'));
    assert.ok(r.hops.some((h) => h.kind === 'route' && /no SNAT, the Pod sees the client's own address/.test(h.detail)));
    assert.ok(r.endpoints.every((e) => e.probability === undefined), 'the share depends on the entry node');
  });
  it('ExternalTrafficPolicy Local with an endpoint on every node: delivered', () => {
    const r = trace(notesCluster({ svc: { type: 'NodePort', externalTrafficPolicy: 'Local' } }), { from: { kind: 'external' }, to: toBackend });
    assert.equal(r.verdict, 'delivered', r.reason);
  });
  it('a ClusterIP Service is not reachable from outside', () => {
    const r = trace(notesCluster(), { from: { kind: 'external' }, to: toBackend });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /reachable only from inside the cluster/);
  });
  it('LoadBalancer: LB address -> node -> NodePort', () => {
    const r = trace(notesCluster({ svc: { type: 'LoadBalancer', loadBalancerIPs: ['52.1.2.3'] } }), { from: { kind: 'external' }, to: toBackend });
    assert.equal(r.verdict, 'delivered', r.reason);
    const lb = r.hops.find((h) => h.kind === 'loadbalancer')!;
    assert.match(lb.detail, /52\.1\.2\.3:80.*NodePort 30080/);
    assert.match(lb.rules[0], /^-A KUBE-SERVICES -d 52\.1\.2\.3\/32 -p tcp -m comment --comment "default\/backend loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-/);
  });
});

describe('trace: endpoint selection', () => {
  it('only ready endpoints; terminating ones only when none is ready', () => {
    const m = notesCluster();
    m.endpointSlices[0].endpoints[0].ready = false;
    m.endpointSlices[0].endpoints[1].ready = false;
    m.endpointSlices[0].endpoints[1].terminating = true;
    const r = trace(m, { from: fromFrontend, to: toBackend });
    assert.deepEqual(r.endpoints.map((e) => e.target), ['10.244.2.8']);
    m.endpointSlices[0].endpoints[2].ready = false;
    const r2 = trace(m, { from: fromFrontend, to: toBackend });
    assert.deepEqual(r2.endpoints.map((e) => [e.target, e.terminating]), [['10.244.1.6', true]]);
    m.endpointSlices[0].endpoints[1].serving = false;
    const r3 = trace(m, { from: fromFrontend, to: toBackend });
    assert.equal(r3.verdict, 'no-endpoints');
    assert.ok(r3.hops.some((h) => h.rules.some((l) => /"default\/backend has no endpoints" .* -j REJECT/.test(l))));
  });
  it('a cluster without EndpointSlices for the Service: the live Pods of the selected workloads', () => {
    const m = notesCluster();
    m.endpointSlices = [];
    m.workloads[0].pods[1].ready = false;
    const r = trace(m, { from: fromFrontend, to: toBackend });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.port, e.nodeName]), [['10.244.1.5', 8080, 'node-1'], ['10.244.2.8', 8080, 'node-2']]);
    assert.match(r.reason, /10\.244\.1\.6 is not ready: not used/);
  });
  it('sessionAffinity ClientIP: a recent check per endpoint with the timeout', () => {
    const r = trace(notesCluster({ svc: { sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 600 } }), { from: fromFrontend, to: toBackend });
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.match(kp.detail, /sessionAffinity ClientIP: a client seen within 600s/);
    assert.ok(kp.rules.some((l) => /-m recent --rcheck --seconds 600 --reap --name KUBE-SEP-\w+ --mask 255\.255\.255\.255 --rsource -j KUBE-SEP-/.test(l)));
    const dnat = r.hops.find((h) => h.kind === 'dnat')!;
    assert.ok(dnat.rules.some((l) => /-m recent --set --name KUBE-SEP-/.test(l)));
  });
  it('internalTrafficPolicy Local: only endpoints on the client node', () => {
    const r = trace(notesCluster({ svc: { internalTrafficPolicy: 'Local' } }), { from: fromFrontend, to: toBackend });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.endpoints.map((e) => e.target), ['10.244.1.5', '10.244.1.6']);
    assert.match(r.hops.find((h) => h.kind === 'kube-proxy')!.rules[0], /-j KUBE-SVL-/);
    // From a node-2 Pod with the endpoints all on node-1: dropped.
    const m = notesCluster({ svc: { internalTrafficPolicy: 'Local' } });
    m.endpointSlices[0].endpoints[2].nodeName = 'node-1';
    m.workloads[1].pods[0].nodeName = 'node-2';
    const r2 = trace(m, { from: fromFrontend, to: toBackend });
    assert.equal(r2.verdict, 'dropped');
    assert.match(r2.reason, /internalTrafficPolicy: Local and node-2/);
  });
  it('a named targetPort is resolved per Pod (manifests: symbolic endpoints, said so)', () => {
    const a = workload('shop', 'cart-v1', { app: 'cart' }, { replicas: 2, ports: [[8080, 'http']] });
    const b = workload('shop', 'cart-v2', { app: 'cart' }, { replicas: 1, ports: [[9090, 'http']] });
    const svc = service('shop', 'cart', { app: 'cart' }, [servicePort(80, 'http', 'web')]);
    const r = trace(model({ workloads: [a, b], services: [svc] }), { to: { kind: 'service', namespace: 'shop', name: 'cart' } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(
      r.endpoints.map((e) => [e.target, e.port]),
      [
        ['<shop/Deployment/cart-v1 replica 1>', 8080],
        ['<shop/Deployment/cart-v1 replica 2>', 8080],
        ['<shop/Deployment/cart-v2 replica 1>', 9090],
      ],
    );
    assert.ok(r.endpoints.every((e) => e.symbolic));
    assert.match(r.hops.find((h) => h.kind === 'dnat')!.detail, /illustrative only/);
    assert.match(r.hops.find((h) => h.kind === 'vip')!.detail, /<ClusterIP>/);
    assert.match(r.reason, /symbolic/);
  });
  it('a DaemonSet in manifests: one symbolic endpoint per node, its share unknown', () => {
    const ds = workload('kube-system', 'agent', { app: 'agent' }, { kind: 'DaemonSet', ports: [9100] });
    const svc = service('kube-system', 'agent', { app: 'agent' }, [servicePort(9100)]);
    const r = trace(model({ workloads: [ds], services: [svc] }), { to: { kind: 'service', namespace: 'kube-system', name: 'agent' } });
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.probability]), [['<kube-system/DaemonSet/agent on each node>', undefined]]);
    assert.match(r.reason, /one Pod per node/);
  });
  it('a selector that matches nothing: no-endpoints, and why', () => {
    const svc = service('shop', 'cart', { app: 'carts' }, [servicePort(80)]);
    const r = trace(model({ workloads: [workload('shop', 'cart', { app: 'cart' })], services: [svc] }), { to: { kind: 'service', namespace: 'shop', name: 'cart' } });
    assert.equal(r.verdict, 'no-endpoints');
    assert.match(r.reason, /selector matches no Pods/);
  });
});

describe('trace: DNS kinds', () => {
  it('headless + StatefulSet: per-Pod names, no virtual IP, kube-proxy not involved', () => {
    const sts = workload('db', 'pg', { app: 'pg' }, { kind: 'StatefulSet', replicas: 2, serviceName: 'pg', ports: [5432] });
    const svc = service('db', 'pg', { app: 'pg' }, [servicePort(5432)], { clusterIP: 'None' });
    const client = workload('db', 'client', { app: 'client' });
    const r = trace(model({ workloads: [sts, client], services: [svc] }), {
      from: { kind: 'workload', namespace: 'db', workloadKind: 'deployment', name: 'client' },
      to: { kind: 'service', namespace: 'db', name: 'pg' },
    });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.hops[0].rules, [
      'pg.db.svc.cluster.local.\t5\tIN\tA\t<db/Pod/pg-0>',
      'pg.db.svc.cluster.local.\t5\tIN\tA\t<db/Pod/pg-1>',
      'pg-0.pg.db.svc.cluster.local.\t5\tIN\tA\t<db/Pod/pg-0>',
      'pg-1.pg.db.svc.cluster.local.\t5\tIN\tA\t<db/Pod/pg-1>',
    ]);
    assert.ok(!r.hops.some((h) => h.kind === 'kube-proxy'));
    assert.match(r.hops[1].detail, /no virtual IP/);
  });
  it('ExternalName: a CNAME and no proxying; the trace stops there and says why', () => {
    const svc = service('shop', 'payments', undefined, [], { type: 'ExternalName', externalName: 'pay.example.com' });
    const r = trace(model({ services: [svc] }), { to: { kind: 'service', namespace: 'shop', name: 'payments' } });
    assert.equal(r.verdict, 'unresolved');
    assert.deepEqual(r.hops[0].rules, ['payments.shop.svc.cluster.local.\t5\tIN\tCNAME\tpay.example.com.']);
    assert.match(r.reason, /does not proxy/);
  });
  it('from another namespace the short name does not resolve', () => {
    const r = trace(notesCluster(), { from: { kind: 'external' }, to: toBackend });
    assert.ok(!r.hops.some((h) => h.kind === 'dns'));
    const m = notesCluster();
    m.workloads.push(workload('other', 'x', { app: 'x' }));
    const r2 = trace(m, { from: { kind: 'workload', namespace: 'other', workloadKind: 'Deployment', name: 'x' }, to: toBackend });
    // "backend.default" has one dot (< ndots:5): the Pod's own namespace is searched first, in vain.
    assert.match(r2.hops[0].detail, / asks "backend\.default" .*: backend\.default\.other\.svc\.cluster\.local\. NXDOMAIN; backend\.default\.svc\.cluster\.local\. answers/);
  });
});

describe('trace: NetworkPolicy on the path', () => {
  it('names the allowing policy and rule; the port is the targetPort after DNAT', () => {
    const allow = policy('default', 'backend-from-frontend', sel({ app: 'backend' }), { ingress: [rule([{ podSelector: sel({ app: 'frontend' }) }], [tcp(8080)])] });
    const r = trace(notesCluster({ policies: [allow] }), { from: fromFrontend, to: toBackend });
    assert.equal(r.verdict, 'delivered', r.reason);
    const ing = r.hops.filter((h) => h.kind === 'policy' && h.policy?.direction === 'ingress');
    assert.ok(ing.length > 0);
    assert.equal(ing[0].policy!.allowedBy!.policy, 'default/backend-from-frontend');
    assert.equal(ing[0].policy!.allowedBy!.ruleIndex, 0);
    assert.deepEqual(ing[0].objectIds, [allow.id]);
  });
  it('a policy on the Service port (80) instead of the targetPort (8080) drops it', () => {
    const wrong = policy('default', 'wrong-port', sel({ app: 'backend' }), { ingress: [rule([{ podSelector: sel({ app: 'frontend' }) }], [tcp(80)])] });
    const r = trace(notesCluster({ policies: [wrong] }), { from: fromFrontend, to: toBackend });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /DENIED: isolated by default\/wrong-port; no ingress rule allows .* on TCP\/8080/);
    assert.ok(r.endpoints.every((e) => e.allowed === 'no'));
    assert.ok(r.hops.some((h) => h.kind === 'pod' && /not delivered/.test(h.detail)));
  });
  it('egress deny at the source (DNS allowed, the Service not)', () => {
    const dns = rule([], [{ protocol: 'UDP', port: 53 }]);
    const deny = policy('default', 'deny-egress', sel({ app: 'frontend' }), { policyTypes: ['Egress'], egress: [dns] });
    const r = trace(notesCluster({ policies: [deny] }), { from: fromFrontend, to: toBackend });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^NetworkPolicy drops it: egress at default\/frontend-1: DENIED/);
  });
  it('egress isolated without DNS: the name never resolves, whatever the Service allows', () => {
    const deny = policy('default', 'deny-egress', sel({ app: 'frontend' }), { policyTypes: ['Egress'], egress: [rule([{ podSelector: sel({ app: 'backend' }) }], [tcp(8080)])] });
    const r = trace(notesCluster({ policies: [deny] }), { from: fromFrontend, to: toBackend });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^the name never resolves: .* no rule allows UDP\/53 to the cluster DNS/);
    assert.deepEqual(r.hops.map((h) => h.kind), ['dns', 'policy']);
    // DNS allowed to kube-system by the name label: the lookup passes (the DNS Pods' labels do not matter here).
    const dns = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }) }], [{ protocol: 'UDP', port: 53 }]);
    const ok = policy('default', 'deny-egress', sel({ app: 'frontend' }), { policyTypes: ['Egress'], egress: [...deny.egress, dns] });
    const r2 = trace(notesCluster({ policies: [ok] }), { from: fromFrontend, to: toBackend });
    assert.equal(r2.verdict, 'delivered', r2.reason);
    assert.equal(r2.hops[1].policy?.allowedBy?.ruleIndex, 1);
    // DNS allowed only to Pods labelled k8s-app=kube-dns, which the set does not hold: depends, said so.
    const byLabel = rule([{ namespaceSelector: sel(), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }]);
    const maybe = policy('default', 'deny-egress', sel({ app: 'frontend' }), { policyTypes: ['Egress'], egress: [...deny.egress, byLabel] });
    const r3 = trace(notesCluster({ policies: [maybe] }), { from: fromFrontend, to: toBackend });
    assert.equal(r3.verdict, 'unresolved');
    assert.match(r3.reason, /the name resolves only if the labels of the cluster DNS Pods .* match k8s-app=kube-dns/);
  });
  it('NodePort with Cluster policy: the Pod sees the node address, so an ipBlock for the client is not enough', () => {
    const p = policy('default', 'from-office', sel({ app: 'backend' }), { ingress: [rule([{ ipBlock: { cidr: '203.0.113.0/24', except: [] } }])] });
    const cluster = trace(notesCluster({ svc: { type: 'NodePort' }, policies: [p] }), { from: { kind: 'external', ip: '203.0.113.100' }, to: toBackend });
    assert.notEqual(cluster.verdict, 'delivered');
    const local = trace(notesCluster({ svc: { type: 'NodePort', externalTrafficPolicy: 'Local' }, policies: [p] }), {
      from: { kind: 'external', ip: '203.0.113.100' },
      to: toBackend,
    });
    assert.equal(local.verdict, 'delivered', local.reason);
  });
  it('unknown source labels: depends, with the condition', () => {
    const allow = policy('default', 'backend-from-frontend', sel({ app: 'backend' }), { ingress: [rule([{ podSelector: sel({ app: 'frontend' }) }])] });
    const r = trace(notesCluster({ policies: [allow] }), { to: toBackend });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /the labels of a Pod in namespace default \(labels unknown\) match app=frontend/);
  });
});

describe('trace: problems are said, not guessed', () => {
  it('unknown Service, port, source', () => {
    const m = notesCluster();
    assert.match(trace(m, { to: { kind: 'service', namespace: 'default', name: 'nope' } }).reason, /no Service default\/nope/);
    assert.match(trace(m, { to: { ...toBackend, port: 81 } }).reason, /has no port 81 \(ports: 80\)/);
    assert.match(trace(m, { from: { kind: 'pod', namespace: 'default', name: 'ghost' }, to: toBackend }).reason, /no Pod default\/ghost/);
  });
  it('several ports and none given', () => {
    const svc = service('shop', 'cart', { app: 'cart' }, [servicePort(80, 8080, 'http'), servicePort(9090, 9090, 'metrics')]);
    const r = trace(model({ services: [svc] }), { to: { kind: 'service', namespace: 'shop', name: 'cart' } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /several ports \(80 \(http\), 9090 \(metrics\)\)/);
  });
});
