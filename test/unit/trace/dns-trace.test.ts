// The trace's DNS hop and DNS-name destinations: the search path query by
// query, the records as dig prints them, endpoint names, dual-stack, the
// cluster domain, and names that do not resolve.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions } from '../../../src/core/trace';
import { container, endpointSlice, model, pod, service, servicePort, workload } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions) {
  return traceRequest(m, new ModelIndex(m), o);
}

const TAB = '\t';
const line = (...f: (string | number)[]) => f.join(TAB);

/** A StatefulSet "pg" in db behind headless "pg" (named port), a dual-stack ClusterIP "web" in shop, a client in shop. */
function cluster(): NetworkModel {
  const c = [container('pg', [[5432, 'postgres']])];
  const pg = workload('db', 'pg', { app: 'pg' }, { kind: 'StatefulSet', replicas: 2, serviceName: 'pg', containers: c });
  const web = workload('shop', 'web', { app: 'web' }, { ports: [8080] });
  const client = workload('shop', 'client', { app: 'client' });
  return model({
    workloads: [pg, web, client],
    services: [
      service('db', 'pg', { app: 'pg' }, [servicePort(5432, 'postgres', 'postgres')], { clusterIP: 'None' }),
      service('shop', 'web', { app: 'web' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00::a'], ipFamilies: ['IPv4', 'IPv6'] }),
    ],
  });
}
const fromClient = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'client' };

describe('trace: the DNS hop', () => {
  it('dual-stack: one A and one AAAA, then the SRV of the named port (its additional A/AAAA already listed, not repeated)', () => {
    const r = trace(cluster(), { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    const dns = r.hops[0];
    assert.equal(dns.kind, 'dns');
    assert.deepEqual(dns.rules, [
      line('web.shop.svc.cluster.local.', 5, 'IN', 'A', '10.96.0.10'),
      line('web.shop.svc.cluster.local.', 5, 'IN', 'AAAA', 'fd00::a'),
      line('_http._tcp.web.shop.svc.cluster.local.', 5, 'IN', 'SRV', '0 50 80 web.shop.svc.cluster.local.'),
    ]);
    assert.match(dns.detail, /asks "web" \(search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local, ndots:5\): web\.shop\.svc\.cluster\.local\. answers: the ClusterIPs of shop\/web, 10\.96\.0\.10 and fd00::a$/);
  });
  it('headless from another namespace: the search path misses first, SRV points at each Pod, each Pod has its own name', () => {
    const r = trace(cluster(), { from: fromClient, to: { kind: 'service', namespace: 'db', name: 'pg' } });
    const dns = r.hops[0];
    assert.match(dns.detail, /asks "pg\.db" .*: pg\.db\.shop\.svc\.cluster\.local\. NXDOMAIN; pg\.db\.svc\.cluster\.local\. answers: headless Service db\/pg \(clusterIP: None\): one record per ready endpoint \(2\), no virtual IP$/);
    assert.deepEqual(dns.rules, [
      line('pg.db.svc.cluster.local.', 5, 'IN', 'A', '<db/Pod/pg-0>'),
      line('pg.db.svc.cluster.local.', 5, 'IN', 'A', '<db/Pod/pg-1>'),
      line('_postgres._tcp.pg.db.svc.cluster.local.', 5, 'IN', 'SRV', '0 50 5432 pg-0.pg.db.svc.cluster.local.'),
      line('_postgres._tcp.pg.db.svc.cluster.local.', 5, 'IN', 'SRV', '0 50 5432 pg-1.pg.db.svc.cluster.local.'),
      line('pg-0.pg.db.svc.cluster.local.', 5, 'IN', 'A', '<db/Pod/pg-0>'),
      line('pg-1.pg.db.svc.cluster.local.', 5, 'IN', 'A', '<db/Pod/pg-1>'),
    ]);
  });
  it('a dual-stack Service of manifests (ipFamilies, no clusterIPs yet): one placeholder per family', () => {
    const m = cluster();
    m.services.push(service('shop', 'ds', { app: 'web' }, [servicePort(80, 8080)], { ipFamilies: ['IPv4', 'IPv6'] }));
    const r = trace(m, { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'ds' } });
    assert.deepEqual(r.hops[0].rules, [line('ds.shop.svc.cluster.local.', 5, 'IN', 'A', '<ClusterIP>'), line('ds.shop.svc.cluster.local.', 5, 'IN', 'AAAA', '<IPv6-ClusterIP>')]);
    assert.match(r.hops[0].detail, /the ClusterIPs of shop\/ds, <ClusterIP> and <IPv6-ClusterIP> \(assigned by the API server when the Service is created\)$/);
  });
  it('--type SRV alone, and the cluster domain from the options', () => {
    const r = trace(cluster(), { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'web' }, dnsType: 'SRV', clusterDomain: 'k8s.example' });
    assert.deepEqual(r.hops[0].rules, [
      line('_http._tcp.web.shop.svc.k8s.example.', 5, 'IN', 'SRV', '0 50 80 web.shop.svc.k8s.example.'),
      line('web.shop.svc.k8s.example.', 5, 'IN', 'A', '10.96.0.10'),
      line('web.shop.svc.k8s.example.', 5, 'IN', 'AAAA', 'fd00::a'),
    ]);
    assert.match(r.hops[0].detail, /asks SRV "_http\._tcp\.web" \(search shop\.svc\.k8s\.example svc\.k8s\.example k8s\.example, ndots:5\)/);
  });
  it('headless with no ready endpoint: NXDOMAIN, said so; the trace ends with no endpoints', () => {
    const m = cluster();
    m.workloads = m.workloads.filter((w) => w.name !== 'pg');
    const r = trace(m, { from: fromClient, to: { kind: 'service', namespace: 'db', name: 'pg' } });
    assert.equal(r.verdict, 'no-endpoints');
    assert.deepEqual(r.hops[0].rules, []);
    assert.match(r.hops[0].detail, /pg\.db\.svc\.cluster\.local\. NXDOMAIN.*headless Service db\/pg has no ready endpoint, so its name is NXDOMAIN$/);
  });
  it('live Pods: only ready ones are published, all of them with publishNotReadyAddresses; hostname.subdomain names a Pod', () => {
    const c = [container('app', [8080])];
    const w = workload('db', 'cache', { app: 'cache' }, {
      containers: c,
      pods: [pod('db', 'cache-a', '10.244.1.5', 'n1', { labels: { app: 'cache' } }), pod('db', 'cache-b', '10.244.2.6', 'n2', { labels: { app: 'cache' }, ready: false })],
    });
    w.pods[0].hostname = 'primary';
    w.pods[0].subdomain = 'cache';
    const svc = service('db', 'cache', { app: 'cache' }, [servicePort(8080)], { clusterIP: 'None' });
    const m = model({ workloads: [w], services: [svc] });
    const r = trace(m, { to: { kind: 'service', namespace: 'db', name: 'cache' } });
    assert.deepEqual(r.hops[0].rules, [line('cache.db.svc.cluster.local.', 5, 'IN', 'A', '10.244.1.5'), line('primary.cache.db.svc.cluster.local.', 5, 'IN', 'A', '10.244.1.5')]);
    svc.publishNotReadyAddresses = true;
    const r2 = trace(m, { to: { kind: 'service', namespace: 'db', name: 'cache' } });
    assert.deepEqual(r2.hops[0].rules.slice(0, 2), [line('cache.db.svc.cluster.local.', 5, 'IN', 'A', '10.244.1.5'), line('cache.db.svc.cluster.local.', 5, 'IN', 'A', '10.244.2.6')]);
    assert.match(r2.hops[0].detail, /ready or not: publishNotReadyAddresses/);
  });
  it('EndpointSlices: the ready condition decides, the hostname names the endpoint, an IPv6 address is an AAAA', () => {
    const svc = service('db', 'kv', undefined, [servicePort(6379, 6379, 'redis')], { clusterIP: 'None' });
    const v4 = endpointSlice('db', 'kv', [{ name: 'redis', port: 6379, protocol: 'TCP' }], [
      { addresses: ['10.244.1.9'], ready: true, serving: true, terminating: false, hostname: 'kv-0' },
      { addresses: ['10.244.1.10'], ready: false, serving: false, terminating: false, hostname: 'kv-1' },
    ]);
    const v6 = { ...endpointSlice('db', 'kv', [{ name: 'redis', port: 6379, protocol: 'TCP' as const }], [{ addresses: ['fd00:10:244::9'], ready: true, serving: true, terminating: false, hostname: 'kv-0' }]), addressType: 'IPv6' as const, id: 'v6' };
    const r = trace(model({ services: [svc], endpointSlices: [v4, v6] }), { to: { kind: 'service', namespace: 'db', name: 'kv' } });
    assert.deepEqual(r.hops[0].rules, [
      line('kv.db.svc.cluster.local.', 5, 'IN', 'A', '10.244.1.9'),
      line('kv.db.svc.cluster.local.', 5, 'IN', 'AAAA', 'fd00:10:244::9'),
      line('_redis._tcp.kv.db.svc.cluster.local.', 5, 'IN', 'SRV', '0 50 6379 kv-0.kv.db.svc.cluster.local.'),
      line('kv-0.kv.db.svc.cluster.local.', 5, 'IN', 'A', '10.244.1.9'),
      line('kv-0.kv.db.svc.cluster.local.', 5, 'IN', 'AAAA', 'fd00:10:244::9'),
    ]);
  });
});

describe('trace: a DNS name as the destination', () => {
  it('short, svc.ns and FQDN forms reach the same Service; the FQDN without its dot still tries the search domains (ndots:5)', () => {
    for (const name of ['web', 'web.shop', 'web.shop.svc.cluster.local', 'web.shop.svc.cluster.local.']) {
      const r = trace(cluster(), { from: fromClient, to: { kind: 'name', name } });
      assert.equal(r.verdict, 'delivered', `${name}: ${r.reason}`);
      assert.ok(r.hops.some((h) => h.kind === 'kube-proxy'), name);
    }
    const fq = trace(cluster(), { from: fromClient, to: { kind: 'name', name: 'web.shop.svc.cluster.local' } });
    assert.match(fq.hops[0].detail, /web\.shop\.svc\.cluster\.local\.shop\.svc\.cluster\.local\. NXDOMAIN, web\.shop\.svc\.cluster\.local\.svc\.cluster\.local\. NXDOMAIN, web\.shop\.svc\.cluster\.local\.cluster\.local\. NXDOMAIN; web\.shop\.svc\.cluster\.local\. answers/);
    const dotted = trace(cluster(), { from: fromClient, to: { kind: 'name', name: 'web.shop.svc.cluster.local.' } });
    assert.match(dotted.hops[0].detail, /\): web\.shop\.svc\.cluster\.local\. answers/);
  });
  it("a StatefulSet Pod's own name reaches that Pod alone, without kube-proxy", () => {
    const r = trace(cluster(), { from: fromClient, to: { kind: 'name', name: 'pg-1.pg.db.svc.cluster.local' } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.hops[0].rules, [line('pg-1.pg.db.svc.cluster.local.', 5, 'IN', 'A', '<db/Pod/pg-1>')]);
    assert.match(r.hops[0].detail, /the endpoint pg-1 of headless Service db\/pg, its own address$/);
    assert.deepEqual(r.endpoints.map((e) => e.target), ['<db/Pod/pg-1>']);
    assert.ok(!r.hops.some((h) => h.kind === 'kube-proxy'));
  });
  it('a name that does not exist: every query NXDOMAIN, then upstream; unresolved, the trace stops at DNS', () => {
    const r = trace(cluster(), { from: fromClient, to: { kind: 'name', name: 'nosuch.db' } });
    assert.equal(r.verdict, 'unresolved');
    assert.deepEqual(r.hops.map((h) => h.kind), ['dns']);
    assert.match(r.hops[0].detail, /nosuch\.db\.shop\.svc\.cluster\.local\. NXDOMAIN, nosuch\.db\.svc\.cluster\.local\. NXDOMAIN, nosuch\.db\.cluster\.local\. NXDOMAIN; nosuch\.db\. is outside cluster\.local, .* \(after the node's own search domains, which the set does not show\)$/);
    const ep = trace(cluster(), { from: fromClient, to: { kind: 'name', name: 'pg-7.pg.db.svc.cluster.local.' } });
    assert.match(ep.reason, /does not resolve .*NXDOMAIN for every name tried/);
  });
  it('PTR: an address names its Service, and the trace goes on to it', () => {
    const r = trace(cluster(), { from: fromClient, to: { kind: 'name', name: 'fd00::a', port: 80 }, dnsType: 'PTR' });
    assert.deepEqual(r.hops[0].rules, [line('a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.', 5, 'IN', 'PTR', 'web.shop.svc.cluster.local.')]);
    assert.equal(r.verdict, 'delivered', r.reason);
  });
  it('an address: no lookup at all; a ClusterIP goes through kube-proxy, an endpoint address straight to that Pod', () => {
    const r = trace(cluster(), { from: fromClient, to: { kind: 'name', name: '10.96.0.10', port: 80 } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.hops.slice(0, 2).map((h) => h.kind), ['vip', 'kube-proxy']);
    // The IPv6 ClusterIP of the same dual-stack Service: kube-proxy's IPv6 rules.
    const v6 = trace(cluster(), { from: fromClient, to: { kind: 'name', name: 'fd00::a', port: 80 } });
    assert.match(v6.hops[0].detail, /fd00::a/);
    assert.ok(v6.hops[1].rules.some((l) => l.includes('fd00::a')), v6.hops[1].rules.join('\n'));
    const m = cluster();
    const c = [container('app', [8080])];
    m.workloads.push(workload('db', 'cache', { app: 'cache' }, { containers: c, pods: [pod('db', 'cache-a', '10.244.1.5', 'n1', { labels: { app: 'cache' }, containers: c })] }));
    m.services.push(service('db', 'cache', { app: 'cache' }, [servicePort(80, 8080)], { clusterIP: '10.96.3.3' }));
    const ep = trace(m, { from: fromClient, to: { kind: 'name', name: '10.244.1.5', port: 80 } });
    assert.deepEqual(ep.hops.map((h) => h.kind).slice(0, 1), ['vip']);
    assert.match(ep.hops[0].detail, /^the client connects to 10\.244\.1\.5 on port 80 directly; kube-proxy is not involved/);
    assert.deepEqual(ep.endpoints.map((e) => e.target), ['10.244.1.5']);
    const none = trace(m, { from: fromClient, to: { kind: 'name', name: '10.1.2.3' } });
    assert.match(none.reason, /no Service of the set has the ClusterIP 10\.1\.2\.3, and no ready endpoint has that address/);
  });
  it('an IPv6-only Service: A and AAAA are asked together, so the first search domain answers (A NODATA there, AAAA found)', () => {
    const m = cluster();
    m.services.push(service('shop', 'v6', { app: 'web' }, [servicePort(80, 8080)], { clusterIP: 'fd00::b', clusterIPs: ['fd00::b'], ipFamilies: ['IPv6'] }));
    const r = trace(m, { from: fromClient, to: { kind: 'name', name: 'v6' } });
    assert.deepEqual(r.hops[0].rules, [line('v6.shop.svc.cluster.local.', 5, 'IN', 'AAAA', 'fd00::b')]);
    assert.match(r.hops[0].detail, /\): v6\.shop\.svc\.cluster\.local\. answers: the ClusterIP of shop\/v6, fd00::b$/);
    assert.notEqual(r.verdict, 'unresolved', r.reason);
  });
  it("a hostNetwork client gets its node's resolv.conf, unless its dnsPolicy is ClusterFirstWithHostNet", () => {
    const m = cluster();
    const client = m.workloads.find((w) => w.name === 'client')!;
    client.hostNetwork = true;
    const r = trace(m, { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.match(r.hops[0].detail, /asks "web" \(a resolv\.conf the set does not show\): .*\(a hostNetwork Pod with dnsPolicy ClusterFirst gets the node's resolv\.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS; ClusterFirstWithHostNet would give it the cluster's\)$/);
    // The hops after the lookup hold only if the node's resolver finds the name: the verdict says so, never "delivered".
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /^the name resolves to shop\/web only if the resolver of .* \(dnsPolicy ClusterFirst on a hostNetwork Pod falls back to Default \(the node's resolv\.conf\); ClusterFirstWithHostNet would ask the cluster DNS: it asks the node's resolver \(the nameservers of the node's \/etc\/resolv\.conf, not in the set\)\) sends it to the cluster DNS with the cluster's search domains\./);
    // A name the client writes in full needs no search domain, only the cluster DNS.
    const fqdn = trace(m, { from: fromClient, to: { kind: 'name', name: 'web.shop.svc.cluster.local', port: 80 } });
    assert.match(fqdn.reason, /only if the resolver of .* sends it to the cluster DNS\./);
    // A short name the node's resolver sends upstream: the Service is in the set, the resolver is what fails.
    const short = trace(m, { from: fromClient, to: { kind: 'name', name: 'web.shop', port: 80 } });
    assert.match(short.reason, /^"web\.shop" reads as a Service name of the cluster, but .* does not ask the cluster DNS \(dnsPolicy ClusterFirst on a hostNetwork Pod falls back to Default /);
    // dnsPolicy None with the cluster's search domains in dnsConfig: the name is found; its nameservers are what is open.
    client.dns = { policy: 'None', searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5, nameservers: ['192.168.0.2'] };
    const none = trace(m, { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.match(none.reason, /^the name resolves to shop\/web only if the resolver of .* \(dnsPolicy None: only the Pod's dnsConfig: it asks the Pod's dnsConfig nameserver 192\.168\.0\.2\) sends it to the cluster DNS\./);
    client.dns = { policy: 'ClusterFirstWithHostNet', searches: [] };
    const r2 = trace(m, { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.match(r2.hops[0].detail, /\(search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local, ndots:5\): web\.shop\.svc\.cluster\.local\. answers/);
    assert.doesNotMatch(r2.reason, /the name resolves/);
  });
  it("the client's dnsConfig: ndots and extra search domains change which names are tried", () => {
    const m = cluster();
    const client = m.workloads.find((w) => w.name === 'client')!;
    // ndots:1 (a common tuning): "web.shop" has a dot, so it goes upstream as written first; the cluster's answer holds only if that is NXDOMAIN.
    client.dns = { searches: ['corp.example'], ndots: 1 };
    const r = trace(m, { from: fromClient, to: { kind: 'name', name: 'web.shop' } });
    assert.match(
      r.hops[0].detail,
      /\(search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local corp\.example, ndots:1\): web\.shop\. to the upstream resolvers first \(what follows holds if they answer NXDOMAIN\), web\.shop\.shop\.svc\.cluster\.local\. NXDOMAIN; web\.shop\.svc\.cluster\.local\. answers/,
    );
    // The short name still searches: web.shop.svc.cluster.local. answers first.
    const short = trace(m, { from: fromClient, to: { kind: 'name', name: 'web' } });
    assert.match(short.hops[0].detail, /ndots:1\): web\.shop\.svc\.cluster\.local\. answers/);
    // dnsPolicy None without searches: only the name as written.
    client.dns = { policy: 'None', searches: [] };
    const none = trace(m, { from: fromClient, to: { kind: 'name', name: 'web' } });
    assert.equal(none.verdict, 'unresolved');
    assert.match(none.hops[0].detail, /dnsPolicy None: only the Pod's dnsConfig/);
  });
  it('an SRV name says the port: _postgres._tcp.pg.db picks pg\'s port "postgres"', () => {
    const m = cluster();
    m.services[0].ports.push(servicePort(9187, 9187, 'metrics'));
    const r = trace(m, { from: fromClient, to: { kind: 'name', name: '_postgres._tcp.pg.db' }, dnsType: 'SRV' });
    assert.notEqual(r.verdict, 'unresolved', r.reason);
    assert.ok(r.endpoints.every((e) => e.port === 5432));
  });
  it('a Service with several ports: the port is asked for in the name form', () => {
    const m = cluster();
    m.services[1].ports.push(servicePort(9102, 9102, 'metrics'));
    const r = trace(m, { from: fromClient, to: { kind: 'name', name: 'web' } });
    assert.match(r.reason, /say which with web:PORT$/);
  });
  it('from outside the cluster a cluster name does not resolve', () => {
    const r = trace(cluster(), { from: { kind: 'external' }, to: { kind: 'name', name: 'web.shop' } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /only clients inside the cluster resolve it/);
  });
  it('ExternalName to a Service of the cluster: CoreDNS follows the CNAME, and the trace goes on to that Service', () => {
    const m = cluster();
    m.services.push(service('shop', 'alias', undefined, [], { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }));
    const r = trace(m, { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'alias' } });
    assert.deepEqual(r.hops[0].rules, [
      line('alias.shop.svc.cluster.local.', 5, 'IN', 'CNAME', 'web.shop.svc.cluster.local.'),
      line('web.shop.svc.cluster.local.', 5, 'IN', 'A', '10.96.0.10'),
      line('web.shop.svc.cluster.local.', 5, 'IN', 'AAAA', 'fd00::a'),
    ]);
    assert.match(r.hops[0].detail, /ExternalName: a CNAME to web\.shop\.svc\.cluster\.local\., a name of the cluster, which CoreDNS follows$/);
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.hops.filter((h) => h.kind === 'dns').length, 1);
    assert.match(r.hops[1].detail, /connects to 10\.96\.0\.10:80\/TCP, the ClusterIP of shop\/web/);
  });
  it('two ExternalNames naming each other: the CNAME chain ends (no answer), the trace does not loop', () => {
    const m = cluster();
    m.services.push(service('shop', 'ping', undefined, [], { type: 'ExternalName', externalName: 'pong.shop.svc.cluster.local' }));
    m.services.push(service('shop', 'pong', undefined, [], { type: 'ExternalName', externalName: 'ping.shop.svc.cluster.local' }));
    const r = trace(m, { from: fromClient, to: { kind: 'service', namespace: 'shop', name: 'ping' } });
    assert.equal(r.verdict, 'unresolved');
    assert.deepEqual(r.hops[0].rules, []);
  });
  it('ExternalName: the CNAME, and the target left to the upstream resolvers', () => {
    const m = cluster();
    m.services.push(service('shop', 'pay', undefined, [], { type: 'ExternalName', externalName: 'pay.example.com' }));
    const r = trace(m, { from: fromClient, to: { kind: 'name', name: 'pay' } });
    assert.deepEqual(r.hops[0].rules, [line('pay.shop.svc.cluster.local.', 5, 'IN', 'CNAME', 'pay.example.com.')]);
    assert.match(r.hops[0].detail, /ExternalName: a CNAME to pay\.example\.com\., which the upstream resolvers answer; no virtual IP and no proxying$/);
    assert.equal(r.verdict, 'unresolved');
  });
});
