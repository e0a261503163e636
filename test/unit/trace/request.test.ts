// Which question `kni trace` answers for each kind of destination, and where
// it stops when the question cannot be answered: names the cluster DNS should
// answer (kept in the cluster even when it does not), names and addresses
// outside, a Pod's own address, the port to use, and the client.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel, Service } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { RULE_NOTATION } from '../../../src/core/trace/kube-proxy-path';
import { pickServicePort } from '../../../src/core/trace/service-port';
import { container, model, namespace, node, pod, service, servicePort, workload } from '../../fixtures/trace/build';

/** shop/api (Pod 10.244.1.5 on 8080, Service 10.96.0.30:80), web/web-1 the client, CoreDNS behind kube-system/kube-dns. */
function cluster(): NetworkModel {
  const c = [container('api', [[8080, 'http']])];
  const api = workload('shop', 'api', { app: 'api' }, { containers: c, pods: [pod('shop', 'api-1', '10.244.1.5', 'n1', { labels: { app: 'api' }, containers: c })] });
  const web = workload('web', 'web', { app: 'web' }, { pods: [pod('web', 'web-1', '10.244.1.6', 'n1', { labels: { app: 'web' } })] });
  const dnsC = [container('coredns', [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }])];
  const coredns = workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { containers: dnsC, pods: [pod('kube-system', 'coredns-1', '10.244.2.2', 'n2', { labels: { 'k8s-app': 'kube-dns' }, containers: dnsC })] });
  return model({
    source: 'cluster',
    namespaces: [namespace('shop'), namespace('web'), namespace('kube-system')],
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')],
    workloads: [api, web, coredns],
    services: [
      service('shop', 'api', { app: 'api' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30'] }),
      service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [servicePort(53, 53, 'dns', { protocol: 'UDP' }), servicePort(53, 53, 'dns-tcp')], { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }),
    ],
  });
}

const fromWeb = { kind: 'pod', namespace: 'web', name: 'web-1' } as const;
const nobody = { kind: 'pod', namespace: 'web', name: 'x' } as const;

function trace(o: TraceOptions): TraceResult {
  const m = cluster();
  return traceRequest(m, new ModelIndex(m), o);
}

/** The hop kinds, lookup legs marked with "*". */
const kinds = (r: TraceResult) => r.hops.map((h) => `${h.kind}${h.lookup ? '*' : ''}`).join(' ');
const LOOKUP = 'vip* kube-proxy* dnat* policy* route* policy* pod* dns*';
const TO_API = 'vip kube-proxy dnat policy route policy pod reply';
const POD_TO_POD = 'vip policy route policy pod reply';

describe('trace: names the cluster should answer stay in the cluster', () => {
  it("a Service's short name from another namespace: the search path misses it, and it is not traced out of the cluster", () => {
    const r = trace({ from: fromWeb, to: { kind: 'name', name: 'api', port: 80 } });
    assert.equal(r.verdict, 'unresolved');
    assert.equal(r.reason, '"api" reads as a Service name of the cluster, but no Service of the set answers it: "api" is not a name of the cluster: api. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set)');
    assert.equal(kinds(r), LOOKUP);
    // The lookup went through kube-proxy: its rules are printed, and how.
    assert.deepEqual([r.proxyMode, r.ruleNotation], ['iptables', RULE_NOTATION.iptables]);
  });
  it('NAME.NAMESPACE and NAME.NAMESPACE.svc reach the Service; a namespace the set does not have, or another third label, goes out', () => {
    for (const name of ['api.shop', 'api.shop.svc']) {
      const r = trace({ from: fromWeb, to: { kind: 'name', name, port: 80 } });
      assert.equal(r.reason, 'reaches shop/api port 80 -> 1 endpoint(s) on port 8080.', name);
      assert.equal(kinds(r), `${LOOKUP} ${TO_API}`, name);
    }
    for (const name of ['api.nons', 'api.shop.svcx']) {
      const r = trace({ from: fromWeb, to: { kind: 'name', name, port: 80 } });
      assert.match(r.reason, new RegExp(`^leaves the cluster toward ${name.replace(/\./g, '\\.')} on 80/TCP`), name);
    }
  });
  it('a name outside with a port name: a name means nothing there', () => {
    const r = trace({ from: fromWeb, to: { kind: 'name', name: 'api.example.com', port: 'https' } });
    assert.deepEqual([r.verdict, r.reason, kinds(r)], ['unresolved', '"api.example.com" is outside the cluster: a port name ("https") means nothing there; give the number (api.example.com:PORT)', 'dns']);
  });
  it("a name outside in nftables mode: the lookup leg's rules are nftables'", () => {
    const r = trace({ from: fromWeb, to: { kind: 'name', name: 'api.example.com', port: 443 }, proxyMode: 'nftables' });
    assert.deepEqual([r.verdict, r.proxyMode, r.ruleNotation], ['delivered', 'nftables', RULE_NOTATION.nftables]);
    assert.match(r.hops.find((h) => h.lookup && h.kind === 'kube-proxy')!.detail, /^DNS lookup: kube-proxy \(nftables, table ip kube-proxy\)/);
  });
  it('a Service with several ports and none given: the form to give one, as the name was written', () => {
    const r = trace({ from: fromWeb, to: { kind: 'name', name: 'kube-dns.kube-system' } });
    assert.equal(r.reason, 'Service kube-system/kube-dns has several ports (53 (dns), 53 (dns-tcp)): say which with kube-dns.kube-system:PORT');
    assert.equal(kinds(r), LOOKUP);
  });
  it('PTR of a ClusterIP: the Service', () => {
    assert.equal(trace({ from: fromWeb, to: { kind: 'name', name: '10.96.0.30' }, dnsType: 'PTR' }).reason, 'reaches shop/api port 80 -> 1 endpoint(s) on port 8080.');
  });
});

describe("trace: a Pod's own address", () => {
  it('as a name on its container port: Pod to Pod (the Service it backs has no such port)', () => {
    const r = trace({ from: fromWeb, to: { kind: 'name', name: '10.244.1.5', port: 8080 } });
    assert.deepEqual([r.verdict, r.reason, kinds(r)], ['delivered', 'reaches Pod shop/api-1 (10.244.1.5) at 10.244.1.5:8080/TCP directly.', POD_TO_POD]);
  });
  it('as an external address: the same', () => {
    const r = trace({ from: fromWeb, to: { kind: 'external', ip: '10.244.1.5', port: 8080 } });
    assert.deepEqual([r.verdict, r.reason, kinds(r)], ['delivered', 'reaches Pod shop/api-1 (10.244.1.5) at 10.244.1.5:8080/TCP directly.', POD_TO_POD]);
  });
  it('a ClusterIP as an external address: the Service', () => {
    const r = trace({ from: fromWeb, to: { kind: 'external', ip: '10.96.0.30', port: 80 } });
    assert.deepEqual([r.reason, kinds(r)], ['reaches shop/api port 80 -> 1 endpoint(s) on port 8080.', TO_API]);
  });
  it("a workload's Pod: the first one, said so", () => {
    const r = trace({ from: fromWeb, to: { kind: 'pod', namespace: 'shop', name: 'api', workloadKind: 'Deployment', port: 8080 } });
    assert.equal(r.reason, 'reaches Pod shop/api-1 (10.244.1.5; the first of 1 of Deployment api) at 10.244.1.5:8080/TCP directly.');
  });
});

describe('trace: where the question stops', () => {
  it('a client not in the set, whatever the destination', () => {
    for (const to of [
      { kind: 'service', namespace: 'shop', name: 'api' },
      { kind: 'name', name: 'api' },
      { kind: 'external', ip: '1.1.1.1', port: 1 },
      { kind: 'pod', namespace: 'shop', name: 'api-1', port: 1 },
      { kind: 'localhost', port: 1 },
    ] as const) {
      assert.deepEqual(trace({ from: nobody, to }), { verdict: 'unresolved', reason: 'no Pod web/x in the set', hops: [], endpoints: [] }, to.kind);
    }
  });
  it('a destination Pod not in the set', () => {
    assert.deepEqual(trace({ from: fromWeb, to: { kind: 'pod', namespace: 'shop', name: 'nope', port: 1 } }), { verdict: 'unresolved', reason: 'no Pod shop/nope in the set', hops: [], endpoints: [] });
  });
  it('a Service not in the set, or a port it does not have', () => {
    assert.deepEqual(trace({ from: fromWeb, to: { kind: 'service', namespace: 'shop', name: 'nope' } }), { verdict: 'unresolved', reason: 'no Service shop/nope in the set', hops: [], endpoints: [] });
    assert.equal(trace({ from: fromWeb, to: { kind: 'service', namespace: 'shop', name: 'api', port: 81 } }).reason, 'Service shop/api has no port 81 (ports: 80 (http))');
  });
  it('no client given: a Pod of the destination namespace (Service), or any Pod (Pod to Pod)', () => {
    assert.equal(kinds(trace({ to: { kind: 'service', namespace: 'shop', name: 'api' } })), `${LOOKUP} ${TO_API}`);
    assert.equal(trace({ to: { kind: 'pod', namespace: 'shop', name: 'api-1', port: 8080 } }).reason, 'reaches Pod shop/api-1 (10.244.1.5) at 10.244.1.5:8080/TCP directly.');
    assert.equal(trace({ to: { kind: 'localhost', port: 1 } }).reason, 'the containers of a Pod in namespace default are not in the set');
  });
  it('object ids are listed once per hop and endpoint', () => {
    const r = trace({ from: fromWeb, to: { kind: 'service', namespace: 'shop', name: 'api' } });
    for (const h of r.hops) assert.equal(new Set(h.objectIds).size, (h.objectIds ?? []).length, h.detail);
    for (const e of r.endpoints) assert.equal(new Set(e.objectIds).size, e.objectIds.length);
    assert.ok(r.endpoints[0].objectIds.length > 0);
  });
});

describe('trace: which port of a Service', () => {
  const svc = (ports: Service['ports'], extra: Partial<Service> = {}) => service('shop', 'api', { app: 'api' }, ports, extra);
  const two = svc([servicePort(80, 8080, 'http'), servicePort(443, 8443)]);
  it('none given: the only one, else which there are', () => {
    const one = svc([servicePort(80)]);
    assert.equal(pickServicePort(one, undefined), one.ports[0]);
    assert.equal(pickServicePort(two, undefined), 'Service shop/api has several ports (80 (http), 443): say which with svc/shop/api:PORT');
    assert.equal(pickServicePort(svc([]), undefined), 'Service shop/api declares no ports');
    assert.deepEqual(pickServicePort(svc([], { type: 'ExternalName' }), undefined), { port: 0, protocol: 'TCP' });
  });
  it('by number (or digits), by name', () => {
    assert.equal(pickServicePort(two, 443), two.ports[1]);
    assert.equal(pickServicePort(two, '443'), two.ports[1]);
    assert.equal(pickServicePort(two, 'http'), two.ports[0]);
    assert.equal(pickServicePort(two, '8080'), 'Service shop/api has no port 8080 (ports: 80 (http), 443)');
    assert.equal(pickServicePort(two, 'grpc'), 'Service shop/api has no port grpc (ports: 80 (http), 443)');
    assert.equal(pickServicePort(svc([]), 80), 'Service shop/api has no port 80 (ports: none)');
  });
  it('an ExternalName Service takes any port (the name it points to decides)', () => {
    const ext = svc([], { type: 'ExternalName' });
    assert.deepEqual(pickServicePort(ext, 5432), { port: 5432, protocol: 'TCP' });
    assert.deepEqual(pickServicePort(ext, '5432'), { port: 5432, protocol: 'TCP' });
    assert.deepEqual(pickServicePort(ext, 'pg'), { port: 0, protocol: 'TCP' });
  });
});

describe('trace: a name of the cluster that no Service answers stays unanswered', () => {
  for (const name of ['nope.shop', 'nope.shop.svc']) {
    it(`${name}: a Service name in a namespace of the set`, () => {
      const r = trace({ from: fromWeb, to: { kind: 'name', name, port: 80 } });
      assert.equal(r.verdict, 'unresolved');
      assert.match(r.reason, new RegExp(`^"${name.replace(/\./g, '\\.')}" reads as a Service name of the cluster, but no Service of the set answers it`));
    });
  }
  it('nope.shop.x: three labels that are not NAME.NAMESPACE.svc go out', () => {
    assert.match(trace({ from: fromWeb, to: { kind: 'name', name: 'nope.shop.x', port: 80 } }).reason, /^leaves the cluster toward nope\.shop\.x on 80\/TCP/);
  });
  it('a Pod destination without a client: a Pod of its namespace asks', () => {
    const r = trace({ to: { kind: 'pod', namespace: 'shop', name: 'api-1', port: 8080 } });
    assert.match(r.hops[0].detail, /^a Pod in namespace shop connects to the Pod's own address 10\.244\.1\.5:8080\/TCP/);
  });
});
