// The trace as kube-proxy computes it: endpoint order, nftables mode,
// dual-stack, topology hints, Pod manifests with status, readiness probes
// that always fail, loadBalancerSourceRanges and the masquerade decision.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { traceRequest, type TraceOptions } from '../../../src/core/trace';
import { nftListing } from '../../../src/core/trace/kube-proxy-nftables';
import { toIptablesSave } from '../../../src/core/trace/iptables-save';
import { container, endpointSlice, model, namespace, node, pod, service, servicePort, workload } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions) {
  return traceRequest(m, new ModelIndex(m), o);
}

const toSvc = { kind: 'service', namespace: 'default', name: 'backend' } as const;
const fromClient = { kind: 'pod', namespace: 'default', name: 'client-1' } as const;

function cluster(addresses: string[], extra: { svc?: Parameters<typeof service>[4]; zones?: Record<string, string>; hints?: string[][]; clientNode?: string; clientIp?: string } = {}): NetworkModel {
  const n1 = node('node-1', '192.168.1.10', '10.244.1.0/24');
  const n2 = node('node-2', '192.168.1.11', '10.244.2.0/24');
  if (extra.zones) {
    n1.labels = { 'topology.kubernetes.io/zone': extra.zones['node-1'] };
    n2.labels = { 'topology.kubernetes.io/zone': extra.zones['node-2'] };
  }
  const client = workload('default', 'client', { app: 'client' }, { pods: [pod('default', 'client-1', extra.clientIp ?? '10.244.1.3', extra.clientNode ?? 'node-1', { labels: { app: 'client' } })] });
  const svc = service('default', 'backend', { app: 'backend' }, [servicePort(80, 8080)], { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ...extra.svc });
  const slice = endpointSlice(
    'default',
    'backend',
    [{ port: 8080, protocol: 'TCP' }],
    addresses.map((a, i) => ({ addresses: [a], ready: true, serving: true, terminating: false, nodeName: i % 2 === 0 ? 'node-1' : 'node-2', ...(extra.hints ? { zoneHints: extra.hints[i] } : {}) })),
  );
  return model({ source: 'cluster', namespaces: [namespace('default')], nodes: [n1, n2], workloads: [client], services: [svc], endpointSlices: [slice] });
}

describe('trace: endpoint order as kube-proxy sorts it', () => {
  it('by "IP:port" as a string, whatever the EndpointSlice order (10.244.10.5 before 10.244.2.8)', () => {
    const r = trace(cluster(['10.244.2.8', '10.244.10.5', '10.244.1.5']), { from: fromClient, to: toSvc });
    assert.deepEqual(r.endpoints.map((e) => e.target), ['10.244.1.5', '10.244.10.5', '10.244.2.8']);
    assert.deepEqual(r.endpoints.map((e) => e.ruleProbability), [0.3333333333, 0.5, undefined]);
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.match(kp.rules[2], /"default\/backend -> 10\.244\.1\.5:8080" -m statistic --mode random --probability 0\.33333333349/);
    assert.equal(r.proxyMode, 'iptables');
  });
});

describe('trace: nftables mode', () => {
  it('names the mode and prints the table, the service-ips map and the numgen choice', () => {
    const r = trace(cluster(['10.244.1.5', '10.244.2.8']), { from: fromClient, to: toSvc, proxyMode: 'nftables', clusterCIDR: '10.244.0.0/16' });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.equal(r.proxyMode, 'nftables');
    assert.match(r.ruleNotation!, /nft list ruleset/);
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.match(kp.detail, /^kube-proxy \(nftables, table ip kube-proxy\)/);
    const text = kp.rules.join('\n');
    assert.match(text, /^table ip kube-proxy \{\n\tmap service-ips \{\n\t\telements = \{ 10\.96\.0\.20 \. tcp \. 80 : goto service-[A-Z2-7]{8}-default\/backend\/tcp\/ \}/);
    assert.match(text, /\t\tip daddr 10\.96\.0\.20 ip saddr != 10\.244\.0\.0\/16 jump mark-for-masquerade\n\t\tnumgen random mod 2 vmap \{ 0 : goto endpoint-[A-Z2-7]{8}-default\/backend\/tcp\/__10\.244\.1\.5\/8080 , 1 : goto endpoint-/);
    const dnat = r.hops.find((h) => h.kind === 'dnat')!;
    assert.ok(dnat.rules.includes('\t\tmeta l4proto tcp dnat to 10.244.2.8:8080'));
    assert.deepEqual(r.endpoints.map((e) => e.probability), [0.5, 0.5]);
    assert.ok(r.endpoints.every((e) => e.ruleProbability === undefined));
  });
  it('nft list form: maps with their elements, chains with their rules, inside the table', () => {
    assert.deepEqual(nftListing('ip kube-proxy', [{ map: 'service-ips', elements: ['{ 1.2.3.4 . tcp . 80 : goto x }'] }], [{ chain: 'x', rules: ['jump mark-for-masquerade'] }]), [
      'table ip kube-proxy {',
      '\tmap service-ips {',
      '\t\telements = { 1.2.3.4 . tcp . 80 : goto x }',
      '\t}',
      '\tchain x {',
      '\t\tjump mark-for-masquerade',
      '\t}',
      '}',
    ]);
  });
  it('no endpoints: the no-endpoint-services element and the reject chain', () => {
    const m = cluster([]);
    const r2 = trace(m, { from: fromClient, to: toSvc, proxyMode: 'nftables' });
    assert.equal(r2.verdict, 'no-endpoints');
    const text = r2.hops.find((h) => h.kind === 'kube-proxy')!.rules.join('\n');
    assert.match(text, /map no-endpoint-services \{\n\t\telements = \{ 10\.96\.0\.20 \. tcp \. 80 comment "default\/backend" : goto reject-chain \}/);
  });
});

describe('trace: dual-stack Services', () => {
  const svc = { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack', clusterIPs: ['10.96.0.20', 'fd00:96::20'] };
  function dual(clientIp: string): NetworkModel {
    const m = cluster(['10.244.1.5', '10.244.2.8'], { svc, clientIp });
    const v6 = endpointSlice('default', 'backend', [{ port: 8080, protocol: 'TCP' }], [
      { addresses: ['fd00:244:1::5'], ready: true, serving: true, terminating: false, nodeName: 'node-1' },
    ]);
    v6.addressType = 'IPv6';
    m.endpointSlices.push(v6);
    return m;
  }
  it('an IPv4 client: the IPv4 ClusterIP and only the IPv4 endpoints; the IPv6 side is named', () => {
    const r = trace(dual('10.244.1.3'), { from: fromClient, to: toSvc });
    assert.deepEqual(r.endpoints.map((e) => e.target), ['10.244.1.5', '10.244.2.8']);
    assert.match(r.reason, /dual-stack Service: this request uses IPv4 \(ClusterIP 10\.96\.0\.20\); ip6tables holds the IPv6 ClusterIP fd00:96::20/);
  });
  it('an IPv6 client: ip6tables rules with /128, the IPv6 endpoint only', () => {
    const m = dual('fd00:244:1::3');
    m.workloads[0].pods[0].ips = ['fd00:244:1::3'];
    const r = trace(m, { from: fromClient, to: toSvc });
    assert.deepEqual(r.endpoints.map((e) => e.target), ['fd00:244:1::5']);
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.match(kp.rules[0], /^-A KUBE-SERVICES -d fd00:96::20\/128 -p tcp /);
    assert.ok(r.hops.find((h) => h.kind === 'dnat')!.rules.some((l) => l.endsWith('-j DNAT --to-destination [fd00:244:1::5]:8080')));
  });
  it('an IPv6 client in nftables mode: table ip6 kube-proxy, ip6 matches, the endpoint chain with its address dotted', () => {
    const m = dual('fd00:244:1::3');
    m.workloads[0].pods[0].ips = ['fd00:244:1::3'];
    const r = trace(m, { from: fromClient, to: toSvc, proxyMode: 'nftables', clusterCIDR: 'fd00:244::/48' });
    const text = r.hops.find((h) => h.kind === 'kube-proxy')!.rules.join('\n');
    assert.match(text, /^table ip6 kube-proxy \{/);
    assert.match(text, /ip6 daddr fd00:96::20 ip6 saddr != fd00:244::\/48 jump mark-for-masquerade/);
    assert.match(text, /goto endpoint-[A-Z2-7]{8}-default\/backend\/tcp\/__fd00\.244\.1\.\.5\/8080/);
    assert.ok(r.hops.find((h) => h.kind === 'dnat')!.rules.includes('\t\tmeta l4proto tcp dnat to [fd00:244:1::5]:8080'));
  });
});

describe('trace: publishNotReadyAddresses', () => {
  it('without EndpointSlices, a Pod that is not ready is still an endpoint (the controller marks it ready)', () => {
    const m = cluster([], { svc: { publishNotReadyAddresses: true } });
    m.endpointSlices = [];
    const c = [container('app', [8080])];
    m.workloads.push(workload('default', 'backend', { app: 'backend' }, { containers: c, pods: [pod('default', 'b-1', '10.244.1.5', 'node-1', { labels: { app: 'backend' }, containers: c, ready: false })] }));
    assert.deepEqual(trace(m, { from: fromClient, to: toSvc }).endpoints.map((e) => e.target), ['10.244.1.5']);
    m.services[0].publishNotReadyAddresses = false;
    assert.equal(trace(m, { from: fromClient, to: toSvc }).verdict, 'no-endpoints');
  });
});

describe('trace: topology-aware routing', () => {
  it('zone hints: a client in zone-a uses only the endpoints hinted for zone-a', () => {
    const m = cluster(['10.244.1.5', '10.244.2.8', '10.244.1.6'], { zones: { 'node-1': 'zone-a', 'node-2': 'zone-b' }, hints: [['zone-a'], ['zone-b'], ['zone-a']] });
    const r = trace(m, { from: fromClient, to: toSvc });
    assert.deepEqual(r.endpoints.map((e) => e.target), ['10.244.1.5', '10.244.1.6']);
    assert.match(r.reason, /topology-aware routing: only endpoints hinted for zone zone-a/);
  });
  it('a missing hint: kube-proxy ignores them all, and says why', () => {
    const m = cluster(['10.244.1.5', '10.244.2.8'], { zones: { 'node-1': 'zone-a', 'node-2': 'zone-b' }, hints: [['zone-a'], []] });
    const r = trace(m, { from: fromClient, to: toSvc });
    assert.equal(r.endpoints.length, 2);
    assert.match(r.reason, /one or more ready endpoints has no zone hint/);
  });
  it('trafficDistribution PreferClose without EndpointSlices: each Pod hinted for its node\'s zone', () => {
    const m = cluster([], { svc: { trafficDistribution: 'PreferClose' }, zones: { 'node-1': 'zone-a', 'node-2': 'zone-b' } });
    m.endpointSlices = [];
    const c = [container('app', [8080])];
    m.workloads.push(
      workload('default', 'backend', { app: 'backend' }, {
        containers: c,
        pods: [pod('default', 'b-1', '10.244.1.5', 'node-1', { labels: { app: 'backend' }, containers: c }), pod('default', 'b-2', '10.244.2.8', 'node-2', { labels: { app: 'backend' }, containers: c })],
      }),
    );
    const r = trace(m, { from: fromClient, to: toSvc });
    assert.deepEqual(r.endpoints.map((e) => e.target), ['10.244.1.5']);
  });
});

describe('trace: the masquerade decision', () => {
  it('with the cluster CIDR known: the KUBE-SVC rule names it and a Pod inside it is not masqueraded', () => {
    const r = trace(cluster(['10.244.1.5']), { from: fromClient, to: toSvc, clusterCIDR: '10.244.0.0/16' });
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.ok(kp.rules.includes('-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ'));
    assert.match(kp.detail, /inside the cluster CIDR 10\.244\.0\.0\/16: no masquerade/);
  });
  it('from a node: outside the cluster CIDR, marked for masquerade', () => {
    const r = trace(cluster(['10.244.1.5']), { from: { kind: 'node', name: 'node-2' }, to: toSvc });
    assert.match(r.hops.find((h) => h.kind === 'kube-proxy')!.detail, /outside the cluster CIDR, so the ClusterIP rule marks it for masquerade/);
  });
  it('hairpin: the caller is an endpoint, its KUBE-SEP masquerades it', () => {
    const m = cluster(['10.244.1.3']);
    m.services[0].selector = { matchLabels: { app: 'client' }, matchExpressions: [] };
    m.endpointSlices = [];
    m.workloads[0].containers = [container('app', [8080])];
    const r = trace(m, { from: fromClient, to: toSvc });
    assert.match(r.hops.find((h) => h.kind === 'kube-proxy')!.detail, /if it picks 10\.244\.1\.3 \(the caller itself\), the endpoint chain's "-s 10\.244\.1\.3" rule masquerades it \(hairpin\)/);
  });
});

describe('trace: externalTrafficPolicy Local with the node the client reaches', () => {
  const np = { type: 'NodePort' as const, externalTrafficPolicy: 'Local' as const };
  function m(): NetworkModel {
    const model = cluster(['10.244.1.5'], { svc: np });
    model.services[0].ports[0].nodePort = 30080;
    return model;
  }
  it('the node with an endpoint: its local endpoint only, no SNAT, the route from that node', () => {
    const r = trace(m(), { from: { kind: 'external', ip: '203.0.113.9', viaNode: 'node-1' }, to: toSvc });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.probability]), [['10.244.1.5', 1]]);
    assert.match(r.hops.find((h) => h.kind === 'kube-proxy')!.detail, /only endpoints on node-1 \(192\.168\.1\.10\) are used/);
    assert.ok(r.hops.some((h) => /no SNAT, the Pod sees the client's own address/.test(h.detail)));
  });
  it('a node without one drops it: the "has no local endpoints" rule', () => {
    const r = trace(m(), { from: { kind: 'external', ip: '203.0.113.9', viaNode: 'node-2' }, to: toSvc });
    assert.equal(r.verdict, 'dropped');
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.deepEqual(kp.rules, ['-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/backend has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP']);
  });
});

describe('trace: loadBalancerSourceRanges', () => {
  const lb = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['203.0.113.0/25'] };
  it('a client outside the ranges is dropped at the LB IP', () => {
    const r = trace(cluster(['10.244.1.5'], { svc: lb }), { from: { kind: 'external', ip: '198.51.100.7' }, to: toSvc });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /198\.51\.100\.7 is not in default\/backend's loadBalancerSourceRanges \(203\.0\.113\.0\/25\)/);
  });
  it('a client inside: KUBE-SERVICES jumps to KUBE-FW, which admits the range', () => {
    const r = trace(cluster(['10.244.1.5'], { svc: lb }), { from: { kind: 'external', ip: '203.0.113.9' }, to: toSvc });
    assert.equal(r.verdict, 'delivered', r.reason);
    const rules = r.hops.find((h) => h.kind === 'loadbalancer')!.rules;
    assert.match(rules[0], /-d 52\.1\.2\.3\/32 .* -j KUBE-FW-NU7AD2CJVNXKF2GF$/);
    assert.ok(rules.includes('-A KUBE-FW-NU7AD2CJVNXKF2GF -s 203.0.113.0/25 -m comment --comment "default/backend loadbalancer IP" -j KUBE-EXT-NU7AD2CJVNXKF2GF'));
  });
});

describe('trace: Pods as manifests say they are', () => {
  const yaml = (status: string, probe = '') => `apiVersion: v1
kind: Service
metadata: {name: backend, namespace: default}
spec:
  selector: {app: backend}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: backend-0, namespace: default, labels: {app: backend}}
spec:
  nodeName: node-1
  containers:
  - name: app
    ports: [{containerPort: 8080}]${probe}
${status}`;
  const build = (text: string) => buildModel([parseManifestFile('pods.yaml', text, { defaultNamespace: 'default' })], 'default');
  it('status.podIP, the Ready condition and spec.nodeName are used, not assumed', () => {
    const r = trace(build(yaml('status:\n  podIP: 10.244.1.7\n  phase: Running\n  conditions:\n  - {type: Ready, status: "True"}')), { to: toSvc });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.nodeName, e.symbolic]), [['10.244.1.7', 'node-1', false]]);
    assert.doesNotMatch(r.reason, /assumed ready/);
  });
  it('Ready False: no ready endpoint, said so', () => {
    const r = trace(build(yaml('status:\n  podIP: 10.244.1.7\n  phase: Running\n  conditions:\n  - {type: Ready, status: "False"}')), { to: toSvc });
    assert.equal(r.verdict, 'no-endpoints');
    assert.match(r.reason, /10\.244\.1\.7 is not ready/);
  });
  it('a readiness probe on a port the container does not declare: the Pods never become Ready', () => {
    const m = build(yaml('', '\n    readinessProbe:\n      httpGet: {path: /healthz, port: http}'));
    const r = trace(m, { to: toSvc });
    assert.equal(r.verdict, 'no-endpoints');
    assert.match(r.reason, /readiness probe of container app names port "http", which the container does not declare, so it always fails/);
    assert.doesNotMatch(r.reason, /assumed ready/);
  });
  it('an exported Deployment whose status says 1 of 3 ready: one ready endpoint', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: backend, namespace: default}
spec: {selector: {app: backend}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec: {containers: [{name: app, ports: [{containerPort: 8080}]}]}
status: {replicas: 3, readyReplicas: 1, observedGeneration: 4}
`;
    const r = trace(build(text), { to: toSvc });
    assert.deepEqual(r.endpoints.map((e) => e.target), ['<default/Deployment/backend replica 1>']);
    assert.match(r.reason, /its status says 1 of 3 replicas are ready/);
    const none = trace(build(text.replace('readyReplicas: 1, ', '')), { to: toSvc });
    assert.equal(none.verdict, 'no-endpoints', 'a status without readyReplicas has none ready');
  });
  it('the same probe on a Deployment: no endpoint instead of "delivered to 3 endpoints"', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: backend, namespace: default}
spec: {selector: {app: backend}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec:
      containers:
      - name: app
        ports: [{containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: web}}
`;
    const r = trace(build(text), { to: toSvc });
    assert.equal(r.verdict, 'no-endpoints');
    assert.match(r.reason, /default\/Deployment\/backend: the readiness probe .* always fails, so its Pods never become Ready/);
  });
});

describe('iptables-save form of what kube-proxy writes', () => {
  it('reorders, masks, expands recent and REJECT as iptables-save prints them', () => {
    assert.equal(
      toIptablesSave('-A KUBE-SVC-X -m comment --comment "ns1/svc1:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-Y --rcheck --seconds 10800 --reap -j KUBE-SEP-Y'),
      '-A KUBE-SVC-X -m comment --comment "ns1/svc1:p80 -> 10.180.0.3:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-Y --mask 255.255.255.255 --rsource -j KUBE-SEP-Y',
    );
    assert.equal(
      toIptablesSave('-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d fd00::46 --dport 80 -j REJECT', 6),
      '-A KUBE-SERVICES -d fd00::46/128 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp6-port-unreachable',
    );
  });
});
