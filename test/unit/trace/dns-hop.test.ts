// The DNS hop itself, compared whole: its detail, its records with their
// section (what `kni trace --format json` carries), each query with its rcode,
// and the objects it lights (the Service, and for an endpoint's own name or
// PTR the EndpointSlice that holds it); and what a name destination resolves
// to for the rest of the trace.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceResult } from '../../../src/core/trace';
import { clusterIpText, resolveNameDestination } from '../../../src/core/trace/dns';
import { resolveSource, type Source } from '../../../src/core/trace/source';
import { container, endpointSlice, model, node, pod, service, servicePort, workload } from '../../fixtures/trace/build';

/**
 * shop: client-1, own-1 (its Pod says dnsPolicy Default, its template nothing), web (http 8080, grpc 9090 behind
 * ClusterIP 10.96.0.30), cache (headless, two Pods in an EndpointSlice without hostnames), and ExternalNames to an
 * endpoint's name, to a reverse name and to themselves.
 */
function world(): NetworkModel {
  const client = workload('shop', 'client', { app: 'client' });
  client.pods = [pod('shop', 'client-1', '10.244.1.5', 'n1', { labels: { app: 'client' } })];
  const own = workload('shop', 'own', { app: 'own' });
  own.pods = [{ ...pod('shop', 'own-1', '10.244.1.9', 'n1', { labels: { app: 'own' } }), dns: { policy: 'Default', searches: [] } }];
  const web = workload('shop', 'web', { app: 'web' }, { containers: [container('web', [[8080, 'http'], [9090, 'grpc']])] });
  web.pods = [pod('shop', 'web-1', '10.244.1.7', 'n1', { labels: { app: 'web' } })];
  const cache = workload('shop', 'cache', { app: 'cache' }, { containers: [container('cache', [[6379, 'redis']])] });
  cache.pods = [pod('shop', 'cache-1', '10.244.2.4', 'n2', { labels: { app: 'cache' } }), pod('shop', 'cache-2', '10.244.2.5', 'n2', { labels: { app: 'cache' } })];
  return model({
    source: 'cluster',
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')],
    workloads: [client, own, web, cache],
    services: [
      service('shop', 'web', { app: 'web' }, [servicePort(80, 'http', 'http'), servicePort(9090, 'grpc', 'grpc')], { clusterIP: '10.96.0.30' }),
      service('shop', 'cache', { app: 'cache' }, [servicePort(6379, 'redis', 'redis')], { clusterIP: 'None' }),
      service('shop', 'to-cache-pod', undefined, [servicePort(6379)], { type: 'ExternalName', externalName: '10-244-2-4.cache.shop.svc.cluster.local' }),
      service('shop', 'to-ptr', undefined, [servicePort(80)], { type: 'ExternalName', externalName: '30.0.96.10.in-addr.arpa' }),
      service('shop', 'loop', undefined, [servicePort(80)], { type: 'ExternalName', externalName: 'loop.shop.svc.cluster.local' }),
    ],
    endpointSlices: [endpointSlice('shop', 'cache', [{ name: 'redis', port: 6379, protocol: 'TCP' }], [
      { addresses: ['10.244.2.4'], ready: true, serving: true, terminating: false, nodeName: 'n2', targetRef: { kind: 'Pod', name: 'cache-1', namespace: 'shop' } as never },
      { addresses: ['10.244.2.5'], ready: true, serving: true, terminating: false, nodeName: 'n2', targetRef: { kind: 'Pod', name: 'cache-2', namespace: 'shop' } as never },
    ])],
  });
}
const from = (n: string) => ({ kind: 'pod' as const, namespace: 'shop', name: n });

/** The DNS hop and the verdict; the objects lit, by name (a Service's, "slice" for cache's EndpointSlice, Kind/name for the rest). */
function dnsOf(r: TraceResult, m: NetworkModel) {
  const dns = r.hops.find((h) => h.kind === 'dns')!;
  const names = new Map<string, string>([...m.services.map((s): [string, string] => [s.id, s.name]), ...m.endpointSlices.map((s): [string, string] => [s.id, 'slice'])]);
  for (const w of m.workloads) {
    names.set(w.id, `${w.kind}/${w.name}`);
    for (const p of w.pods) names.set(p.id, `Pod/${p.name}`);
  }
  return {
    verdict: r.verdict,
    reason: r.reason,
    detail: dns.detail,
    records: dns.dns!.records.map((x) => `${x.section} ${x.name} ${x.type} ${x.data}`),
    queries: dns.dns!.queries.map((q) => `${q.name} ${q.type} ${q.rcode} ${q.answers}`),
    objects: (dns.objectIds ?? []).map((id) => names.get(id) ?? id),
  };
}

describe('trace: the DNS hop, whole', () => {
  it('a port by name: the SRV answer joins the hop\'s records (answer section), and its query the list', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: 'web', port: 'grpc' } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 9090 -> 1 endpoint(s) on port 9090.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30; the port named "grpc" is found as SRV finds it: _grpc._tcp.web.shop.svc.cluster.local. SRV answers port 9090',
      records: [
        'answer web.shop.svc.cluster.local. A 10.96.0.30',
        'answer _grpc._tcp.web.shop.svc.cluster.local. SRV 0 100 9090 web.shop.svc.cluster.local.',
      ],
      queries: [
        'web.shop.svc.cluster.local. A NOERROR 1',
        'web.shop.svc.cluster.local. AAAA NOERROR 0',
        '_grpc._tcp.web.shop.svc.cluster.local. SRV NOERROR 1',
      ],
      objects: ['web'],
    });
  });
  it('a fully qualified name without a record of the type asked: NODATA, said so, and no search', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: 'web.shop.svc.cluster.local.', port: 80 }, dnsType: 'AAAA' });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: '"web.shop.svc.cluster.local." does not resolve from Pod shop/client-1 (10.244.1.5): NODATA (the name exists, with no AAAA record) (web.shop.svc.cluster.local.)',
      detail: 'Pod shop/client-1 (10.244.1.5) asks AAAA "web.shop.svc.cluster.local." (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. NODATA; NODATA: the name exists but has no record of this type',
      records: [],
      queries: [
        'web.shop.svc.cluster.local. AAAA NOERROR 0',
      ],
      objects: [],
    });
  });
  it('a Pod\'s own DNS name (pods insecure): it answers, but names no Service to trace to', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: '10-244-1-7.shop.pod.cluster.local', port: 8080 } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: '"10-244-1-7.shop.pod.cluster.local" does not name a Service of the set',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "10-244-1-7.shop.pod.cluster.local" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): 10-244-1-7.shop.pod.cluster.local.shop.svc.cluster.local. NXDOMAIN, 10-244-1-7.shop.pod.cluster.local.svc.cluster.local. NXDOMAIN, 10-244-1-7.shop.pod.cluster.local.cluster.local. NXDOMAIN; 10-244-1-7.shop.pod.cluster.local. answers',
      records: [
        'answer 10-244-1-7.shop.pod.cluster.local. A 10.244.1.7',
      ],
      queries: [
        '10-244-1-7.shop.pod.cluster.local.shop.svc.cluster.local. A NXDOMAIN 0',
        '10-244-1-7.shop.pod.cluster.local.svc.cluster.local. A NXDOMAIN 0',
        '10-244-1-7.shop.pod.cluster.local.cluster.local. A NXDOMAIN 0',
        '10-244-1-7.shop.pod.cluster.local. A NOERROR 1',
        '10-244-1-7.shop.pod.cluster.local.shop.svc.cluster.local. AAAA NXDOMAIN 0',
        '10-244-1-7.shop.pod.cluster.local.svc.cluster.local. AAAA NXDOMAIN 0',
        '10-244-1-7.shop.pod.cluster.local.cluster.local. AAAA NXDOMAIN 0',
        '10-244-1-7.shop.pod.cluster.local. AAAA NOERROR 0',
      ],
      objects: [],
    });
  });
  it('an outside host written with its final dot: asked as it is, no search domains and no node domains', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'external', host: 'api.stripe.com.', port: 443 } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward api.stripe.com. on 443/TCP, seen there as 192.168.1.11; whether the upstream resolvers answer for api.stripe.com., and anything answers there, is outside the set',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "api.stripe.com." (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.stripe.com. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set); the address api.stripe.com. resolves to is the upstream resolvers\' answer, not in the set',
      records: [],
      queries: [
        'api.stripe.com. A upstream 0',
        'api.stripe.com. AAAA upstream 0',
      ],
      objects: [],
    });
  });
  it('a headless Service whose endpoints have no hostname: SRV points at the dashed names, which carry the additional addresses; no per-Pod answer records', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'service', namespace: 'shop', name: 'cache' } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/cache port 6379 -> 2 endpoint(s) on port 6379.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "cache" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): cache.shop.svc.cluster.local. answers: headless Service shop/cache (clusterIP: None): one record per ready endpoint (2), no virtual IP',
      records: [
        'answer cache.shop.svc.cluster.local. A 10.244.2.4',
        'answer cache.shop.svc.cluster.local. A 10.244.2.5',
        'answer _redis._tcp.cache.shop.svc.cluster.local. SRV 0 50 6379 10-244-2-4.cache.shop.svc.cluster.local.',
        'answer _redis._tcp.cache.shop.svc.cluster.local. SRV 0 50 6379 10-244-2-5.cache.shop.svc.cluster.local.',
        'additional 10-244-2-4.cache.shop.svc.cluster.local. A 10.244.2.4',
        'additional 10-244-2-5.cache.shop.svc.cluster.local. A 10.244.2.5',
      ],
      queries: [
        'cache.shop.svc.cluster.local. A NOERROR 2',
        'cache.shop.svc.cluster.local. AAAA NOERROR 0',
        '_redis._tcp.cache.shop.svc.cluster.local. SRV NOERROR 2',
      ],
      objects: ['cache'],
    });
  });
  it('an endpoint\'s dashed name: that endpoint alone, and its slice lit with the Service', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: '10-244-2-5.cache', port: 6379 } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/cache port 6379 -> 1 endpoint(s) on port 6379.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "10-244-2-5.cache" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): 10-244-2-5.cache.shop.svc.cluster.local. answers: the endpoint 10-244-2-5 of headless Service shop/cache, its own address',
      records: [
        'answer 10-244-2-5.cache.shop.svc.cluster.local. A 10.244.2.5',
      ],
      queries: [
        '10-244-2-5.cache.shop.svc.cluster.local. A NOERROR 1',
        '10-244-2-5.cache.shop.svc.cluster.local. AAAA NOERROR 0',
      ],
      objects: ['cache', 'slice'],
    });
  });
  it('PTR of an endpoint address: the dashed name, the slice lit', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: '10.244.2.5', port: 6379 }, dnsType: 'PTR' });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/cache port 6379 -> 1 endpoint(s) on port 6379.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks PTR "10.244.2.5" (its reverse name): 5.2.244.10.in-addr.arpa. answers: the reverse name of endpoint 10-244-2-5 of Service shop/cache',
      records: [
        'answer 5.2.244.10.in-addr.arpa. PTR 10-244-2-5.cache.shop.svc.cluster.local.',
      ],
      queries: [
        '5.2.244.10.in-addr.arpa. PTR NOERROR 1',
      ],
      objects: ['cache', 'slice'],
    });
  });
  it('an ExternalName naming an endpoint\'s own name: CoreDNS follows it, the trace does not go on to a Service', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'service', namespace: 'shop', name: 'to-cache-pod' } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: 'shop/to-cache-pod is an ExternalName Service: DNS answers a CNAME for 10-244-2-4.cache.shop.svc.cluster.local and the connection goes to that host, outside the set; kube-proxy does not proxy it',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "to-cache-pod" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): to-cache-pod.shop.svc.cluster.local. answers: ExternalName: a CNAME to 10-244-2-4.cache.shop.svc.cluster.local., a name of the cluster, which CoreDNS follows',
      records: [
        'answer to-cache-pod.shop.svc.cluster.local. CNAME 10-244-2-4.cache.shop.svc.cluster.local.',
        'answer 10-244-2-4.cache.shop.svc.cluster.local. A 10.244.2.4',
      ],
      queries: [
        'to-cache-pod.shop.svc.cluster.local. A NOERROR 2',
        'to-cache-pod.shop.svc.cluster.local. AAAA NOERROR 0',
      ],
      objects: ['to-cache-pod'],
    });
  });
  it('an ExternalName naming a reverse name: left to the upstream resolvers', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'service', namespace: 'shop', name: 'to-ptr' } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: 'shop/to-ptr is an ExternalName Service: DNS answers a CNAME for 30.0.96.10.in-addr.arpa and the connection goes to that host, outside the set; kube-proxy does not proxy it',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "to-ptr" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): to-ptr.shop.svc.cluster.local. answers: ExternalName: a CNAME to 30.0.96.10.in-addr.arpa., which the upstream resolvers answer; no virtual IP and no proxying',
      records: [
        'answer to-ptr.shop.svc.cluster.local. CNAME 30.0.96.10.in-addr.arpa.',
      ],
      queries: [
        'to-ptr.shop.svc.cluster.local. A NOERROR 1',
        'to-ptr.shop.svc.cluster.local. AAAA NOERROR 1',
      ],
      objects: ['to-ptr'],
    });
  });
  it('an ExternalName naming itself: CoreDNS drops the x CNAME x loop, the name has no address (NODATA) and the search goes on', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'service', namespace: 'shop', name: 'loop' } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: 'shop/loop is an ExternalName Service: DNS answers a CNAME for loop.shop.svc.cluster.local and the connection goes to that host, outside the set; kube-proxy does not proxy it',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "loop" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): loop.shop.svc.cluster.local. NODATA, loop.svc.cluster.local. NXDOMAIN, loop.cluster.local. NXDOMAIN; loop. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show)',
      records: [],
      queries: [
        'loop.shop.svc.cluster.local. A NOERROR 0',
        'loop.svc.cluster.local. A NXDOMAIN 0',
        'loop.cluster.local. A NXDOMAIN 0',
        'loop. A upstream 0',
        'loop.shop.svc.cluster.local. AAAA NOERROR 0',
        'loop.svc.cluster.local. AAAA NXDOMAIN 0',
        'loop.cluster.local. AAAA NXDOMAIN 0',
        'loop. AAAA upstream 0',
      ],
      objects: ['loop'],
    });
  });
  it('the Pod\'s own dnsPolicy counts where its template says none', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('own-1'), to: { kind: 'service', namespace: 'shop', name: 'web', port: 80 } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: 'the name resolves to shop/web only if the resolver of Pod shop/own-1 (10.244.1.9) (dnsPolicy Default: the node\'s resolv.conf: it asks the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set)) sends it to the cluster DNS with the cluster\'s search domains.',
      detail: 'Pod shop/own-1 (10.244.1.9) asks "web" (a resolv.conf the set does not show): web. is outside cluster.local, answered by the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set); CoreDNS is not asked (dnsPolicy Default: the node\'s resolv.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS)',
      records: [],
      queries: [
        'web. A upstream 0',
        'web. AAAA upstream 0',
        '_http._tcp.web. SRV upstream 0',
      ],
      objects: ['web'],
    });
  });
  it('another cluster domain: the search list and the names under it', () => {
    const m = world();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: 'web', port: 80 }, clusterDomain: 'k8s.example' });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "web" (search shop.svc.k8s.example svc.k8s.example k8s.example, ndots:5): web.shop.svc.k8s.example. answers: the ClusterIP of shop/web, 10.96.0.30',
      records: [
        'answer web.shop.svc.k8s.example. A 10.96.0.30',
      ],
      queries: [
        'web.shop.svc.k8s.example. A NOERROR 1',
        'web.shop.svc.k8s.example. AAAA NOERROR 0',
      ],
      objects: ['web'],
    });
  });
});

/** The world, a StatefulSet db behind a headless Service with an unnamed port, and an ExternalName with a named port. */
function extra(): NetworkModel {
  const m = world();
  const db = workload('shop', 'db', { app: 'db' }, { kind: 'StatefulSet', replicas: 2, serviceName: 'db', containers: [container('db', [5432])] });
  db.pods = [
    { ...pod('shop', 'db-0', '10.244.2.20', 'n2', { labels: { app: 'db' } }), hostname: 'db-0', subdomain: 'db' },
    { ...pod('shop', 'db-1', '10.244.2.21', 'n2', { labels: { app: 'db' } }), hostname: 'db-1', subdomain: 'db' },
  ];
  m.workloads.push(db);
  m.services.push(service('shop', 'db', { app: 'db' }, [servicePort(5432)], { clusterIP: 'None' }));
  m.services.push(service('shop', 'secure', undefined, [servicePort(443, 443, 'https')], { type: 'ExternalName', externalName: 'api.example.com' }));
  return m;
}
function aliasInOtherDomain(): NetworkModel {
  const m = extra();
  m.services.push(service('shop', 'alias', undefined, [servicePort(80)], { type: 'ExternalName', externalName: 'web.shop.svc.k8s.example' }));
  return m;
}

describe('trace: the DNS hop for headless, ExternalName and SRV questions', () => {
  it('an ExternalName with a named port: no SRV question (an ExternalName has none)', () => {
    const m = extra();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'service', namespace: 'shop', name: 'secure' } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: 'shop/secure is an ExternalName Service: DNS answers a CNAME for api.example.com and the connection goes to that host, outside the set; kube-proxy does not proxy it',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "secure" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): secure.shop.svc.cluster.local. answers: ExternalName: a CNAME to api.example.com., which the upstream resolvers answer; no virtual IP and no proxying',
      records: [
        'answer secure.shop.svc.cluster.local. CNAME api.example.com.',
      ],
      queries: [
        'secure.shop.svc.cluster.local. A NOERROR 1',
        'secure.shop.svc.cluster.local. AAAA NOERROR 1',
      ],
      objects: ['secure'],
    });
  });
  it('a headless Service without a named port: no SRV, and each Pod\'s own name (hostname under its subdomain) answers', () => {
    const m = extra();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'service', namespace: 'shop', name: 'db' } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/db port 5432 -> 2 endpoint(s) on port 5432.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "db" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): db.shop.svc.cluster.local. answers: headless Service shop/db (clusterIP: None): one record per ready endpoint (2), no virtual IP',
      records: [
        'answer db.shop.svc.cluster.local. A 10.244.2.20',
        'answer db.shop.svc.cluster.local. A 10.244.2.21',
        'answer db-0.db.shop.svc.cluster.local. A 10.244.2.20',
        'answer db-1.db.shop.svc.cluster.local. A 10.244.2.21',
      ],
      queries: [
        'db.shop.svc.cluster.local. A NOERROR 2',
        'db.shop.svc.cluster.local. AAAA NOERROR 0',
      ],
      objects: ['db'],
    });
  });
  it('an endpoint\'s own name from live Pods: that Pod and its workload lit, not its sibling', () => {
    const m = extra();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: 'db-1.db', port: 5432 } });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/db port 5432 -> 1 endpoint(s) on port 5432.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "db-1.db" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): db-1.db.shop.svc.cluster.local. answers: the endpoint db-1 of headless Service shop/db, its own address',
      records: [
        'answer db-1.db.shop.svc.cluster.local. A 10.244.2.21',
      ],
      queries: [
        'db-1.db.shop.svc.cluster.local. A NOERROR 1',
        'db-1.db.shop.svc.cluster.local. AAAA NOERROR 0',
      ],
      objects: ['db', 'StatefulSet/db', 'Pod/db-1'],
    });
  });
  it('an SRV question by name for a Service of two ports: both records, and no second SRV question', () => {
    const m = extra();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: 'web' }, dnsType: 'SRV' });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: 'Service shop/web has several ports (80 (http), 9090 (grpc)): say which with web:PORT',
      detail: 'Pod shop/client-1 (10.244.1.5) asks SRV "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30',
      records: [
        'answer web.shop.svc.cluster.local. SRV 0 50 80 web.shop.svc.cluster.local.',
        'answer web.shop.svc.cluster.local. SRV 0 50 9090 web.shop.svc.cluster.local.',
        'additional web.shop.svc.cluster.local. A 10.96.0.30',
      ],
      queries: [
        'web.shop.svc.cluster.local. SRV NOERROR 2',
      ],
      objects: ['web'],
    });
  });
  it('PTR of a name, not an address: the name is searched as written, and has no PTR (NODATA)', () => {
    const m = extra();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'name', name: 'web.shop.svc.cluster.local.', port: 80 }, dnsType: 'PTR' });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'unresolved',
      reason: '"web.shop.svc.cluster.local." does not resolve from Pod shop/client-1 (10.244.1.5): NODATA (the name exists, with no PTR record) (web.shop.svc.cluster.local.)',
      detail: 'Pod shop/client-1 (10.244.1.5) asks PTR "web.shop.svc.cluster.local." (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. NODATA; NODATA: the name exists but has no record of this type',
      records: [],
      queries: [
        'web.shop.svc.cluster.local. PTR NOERROR 0',
      ],
      objects: [],
    });
  });
  it('an ExternalName to a Service under another cluster domain: followed in that domain', () => {
    const m = aliasInOtherDomain();
    const r = traceRequest(m, new ModelIndex(m), { from: from('client-1'), to: { kind: 'service', namespace: 'shop', name: 'alias' }, clusterDomain: 'k8s.example' });
    assert.deepEqual(dnsOf(r, m), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      detail: 'Pod shop/client-1 (10.244.1.5) asks "alias" (search shop.svc.k8s.example svc.k8s.example k8s.example, ndots:5): alias.shop.svc.k8s.example. answers: ExternalName: a CNAME to web.shop.svc.k8s.example., a name of the cluster, which CoreDNS follows',
      records: [
        'answer alias.shop.svc.k8s.example. CNAME web.shop.svc.k8s.example.',
        'answer web.shop.svc.k8s.example. A 10.96.0.30',
      ],
      queries: [
        'alias.shop.svc.k8s.example. A NOERROR 2',
        'alias.shop.svc.k8s.example. AAAA NOERROR 0',
      ],
      objects: ['alias'],
    });
  });
});

describe('what a name destination resolves to', () => {
  it('an SRV name names its port; an endpoint\'s name its addresses; an address is taken as it is', () => {
    const m = world();
    const index = new ModelIndex(m);
    const src = resolveSource(index, from('client-1')) as Source;
    const target = (name: string, options: Parameters<typeof resolveNameDestination>[3]) => {
      const r = resolveNameDestination(index, name, src, options).result;
      return typeof r === 'string' ? r : { ...r, svc: r.svc.name };
    };
    assert.deepEqual(target('_grpc._tcp.web', {}), { svc: 'web', name: '_grpc._tcp.web', type: undefined, zone: 'cluster.local', portName: 'grpc' });
    assert.deepEqual(target('10-244-2-5.cache', { port: 6379 }), { svc: 'cache', name: '10-244-2-5.cache', type: undefined, zone: 'cluster.local', endpoint: '10-244-2-5.cache.shop.svc.cluster.local.', addresses: ['10.244.2.5'], port: 6379 });
    assert.deepEqual(target('10.244.2.5', {}), { svc: 'cache', zone: 'cluster.local', literal: true, endpoint: '10.244.2.5', addresses: ['10.244.2.5'] });
    assert.deepEqual(target('10.96.0.30', { port: 'http' }), { svc: 'web', zone: 'cluster.local', literal: true, address: '10.96.0.30' });
    // A PTR question about an address is a lookup, not an address given.
    assert.deepEqual(target('10.96.0.30', { dnsType: 'PTR' }), { svc: 'web', name: '10.96.0.30', type: 'PTR', zone: 'cluster.local' });
  });
  it('the ClusterIP a hop names: the first of clusterIPs, else clusterIP, else a placeholder', () => {
    const s = (extra: Parameters<typeof service>[4]) => service('x', 's', { a: 'b' }, [], extra);
    assert.equal(clusterIpText(s({ clusterIP: '10.0.0.1', clusterIPs: ['fd00::1', '10.0.0.1'] })), 'fd00::1');
    assert.equal(clusterIpText(s({ clusterIP: '10.0.0.2', clusterIPs: [] })), '10.0.0.2');
    assert.equal(clusterIpText(s({ clusterIP: 'None', clusterIPs: [] })), '<ClusterIP>');
    assert.equal(clusterIpText(s({})), '<ClusterIP>');
  });
});
