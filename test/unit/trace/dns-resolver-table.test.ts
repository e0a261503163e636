// Who a client's lookups go to, by dnsPolicy (the kubelet's resolv.conf):
// whole answers of the decision, the addresses the set shows the cluster DNS
// at, what a resolver other than CoreDNS does with a name outside the zone,
// and an ExternalName Service's DNS stage.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceResult } from '../../../src/core/trace';
import { clientResolver, clusterDnsAddresses, outsideAnswer } from '../../../src/core/trace/dns-resolver';
import { model, pod, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';

const NODE = "the node's resolver (the nameservers of the node's /etc/resolv.conf, not in the set)";
const dnsSvc = (extra: Parameters<typeof service>[4]) => service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [servicePort(53, 53, 'dns', { protocol: 'UDP' })], extra);
const addresses = (m: NetworkModel) => clusterDnsAddresses(new ModelIndex(m));

describe('the resolver a client asks, by dnsPolicy', () => {
  it('each policy, whole', () => {
    assert.deepEqual(clientResolver(false, false, undefined), { kind: 'node', server: NODE, why: 'a node asks its own resolver' });
    assert.deepEqual(clientResolver(true, false, undefined), { kind: 'cluster', server: 'the cluster DNS (CoreDNS)', why: 'dnsPolicy ClusterFirst' });
    assert.deepEqual(clientResolver(true, true, { policy: 'ClusterFirstWithHostNet', searches: [] }), { kind: 'cluster', server: 'the cluster DNS (CoreDNS)', why: 'dnsPolicy ClusterFirstWithHostNet' });
    assert.deepEqual(clientResolver(true, false, { policy: 'Default', searches: [] }), { kind: 'node', server: NODE, why: "dnsPolicy Default: the node's resolv.conf" });
    assert.deepEqual(clientResolver(true, true, undefined), {
      kind: 'node',
      server: NODE,
      why: "dnsPolicy ClusterFirst on a hostNetwork Pod falls back to Default (the node's resolv.conf); ClusterFirstWithHostNet would ask the cluster DNS",
    });
  });
  it('None: the dnsConfig nameservers; the cluster DNS when the first of them is its address, a fallback when a later one is', () => {
    const none = (nameservers?: string[]) => clientResolver(true, false, { policy: 'None', searches: [], ...(nameservers ? { nameservers } : {}) }, ['10.96.0.10', '169.254.20.10']);
    assert.deepEqual(none(['10.96.0.10', '1.1.1.1']), {
      kind: 'cluster',
      server: 'the cluster DNS (CoreDNS, at 10.96.0.10)',
      why: 'dnsPolicy None whose first dnsConfig nameserver, 10.96.0.10, is the cluster DNS',
    });
    assert.deepEqual(none(['1.1.1.1']), { kind: 'dnsConfig', nameservers: ['1.1.1.1'], server: "the Pod's dnsConfig nameserver 1.1.1.1", why: "dnsPolicy None: only the Pod's dnsConfig" });
    assert.deepEqual(none(['1.1.1.1', '169.254.20.10']), {
      kind: 'dnsConfig',
      nameservers: ['1.1.1.1', '169.254.20.10'],
      clusterFallback: '169.254.20.10',
      server: "the Pod's dnsConfig nameservers 1.1.1.1, 169.254.20.10",
      why: "dnsPolicy None: only the Pod's dnsConfig",
    });
    assert.deepEqual(none(), {
      kind: 'dnsConfig',
      nameservers: [],
      server: "the Pod's dnsConfig nameservers",
      why: 'dnsPolicy None with no dnsConfig nameserver, which the API server rejects: it requires at least one',
    });
    // Without the cluster DNS's addresses, no nameserver is known to be it.
    assert.equal(clientResolver(true, false, { policy: 'None', searches: [], nameservers: ['10.96.0.10'] }).kind, 'dnsConfig');
  });
  it('a name outside the zone, from a resolver that is not CoreDNS', () => {
    assert.equal(outsideAnswer(clientResolver(true, false, { policy: 'Default', searches: [] }), 'cluster.local'), `outside cluster.local, answered by ${NODE}; CoreDNS is not asked`);
    const fallback = clientResolver(true, false, { policy: 'None', searches: [], nameservers: ['1.1.1.1', '10.96.0.10'] }, ['10.96.0.10']);
    assert.equal(outsideAnswer(fallback, 'k8s.example'), "outside k8s.example, answered by the Pod's dnsConfig nameservers 1.1.1.1, 10.96.0.10; CoreDNS (at 10.96.0.10) only if the nameservers before it do not answer");
  });
  it('the cluster DNS\'s addresses: clusterIPs, else clusterIP, none for a headless one; NodeLocal DNSCache\'s when it is in the set', () => {
    assert.deepEqual(addresses(model({})), []);
    assert.deepEqual(addresses(model({ services: [dnsSvc({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00::a'] })] })), ['10.96.0.10', 'fd00::a']);
    assert.deepEqual(addresses(model({ services: [dnsSvc({ clusterIP: '10.96.0.10', clusterIPs: [] })] })), ['10.96.0.10']);
    assert.deepEqual(addresses(model({ services: [dnsSvc({ clusterIP: 'None' })] })), []);
    assert.deepEqual(addresses(model({ services: [dnsSvc({})] })), []);
    const cache = workload('kube-system', 'node-local-dns', { 'k8s-app': 'node-local-dns' }, { kind: 'DaemonSet', hostNetwork: true });
    assert.deepEqual(addresses(model({ workloads: [cache], services: [dnsSvc({ clusterIP: '10.96.0.10' })] })), ['10.96.0.10', '169.254.20.10']);
    assert.deepEqual(addresses(model({ workloads: [cache] })), ['169.254.20.10']);
  });
});

describe('an ExternalName Service\'s DNS stage', () => {
  function world(searches = ['shop.svc.cluster.local']): NetworkModel {
    const client = workload('shop', 'client', { app: 'client' });
    client.pods = [pod('shop', 'client-1', '10.244.1.5', 'n1', { labels: { app: 'client' } })];
    const none = workload('shop', 'custom', { app: 'custom' });
    const dns = { policy: 'None', searches, nameservers: ['1.1.1.1'] };
    none.dns = dns;
    none.pods = [{ ...pod('shop', 'custom-1', '10.244.1.6', 'n1', { labels: { app: 'custom' } }), dns }];
    const web = workload('shop', 'web', { app: 'web' }, { ports: [8080] });
    web.pods = [pod('shop', 'web-1', '10.244.1.7', 'n1', { labels: { app: 'web' } })];
    return model({
      source: 'cluster',
      workloads: [client, none, web],
      services: [
        service('shop', 'web', { app: 'web' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.30' }),
        service('shop', 'to-web', undefined, [servicePort(443)], { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }),
        service('shop', 'bare', undefined, [servicePort(443)], { type: 'ExternalName' }),
      ],
    });
  }
  const trace = (from: Parameters<typeof traceRequest>[2]['from'], name: string, port?: number, searches?: string[]): TraceResult => {
    const m = world(searches);
    return traceRequest(m, new ModelIndex(m), { from, to: { kind: 'service', namespace: 'shop', name, ...(port ? { port } : {}) } });
  };
  const client = { kind: 'pod' as const, namespace: 'shop', name: 'client-1' };

  it('a CNAME to a Service of the cluster that has no such port: said, naming both', () => {
    const r = trace(client, 'to-web', 443);
    assert.deepEqual([r.verdict, r.reason], ['unresolved', 'shop/to-web is a CNAME for shop/web: Service shop/web has no port 443 (ports: 80 (http))']);
    assert.deepEqual(r.hops.map((h) => h.kind), ['dns']);
  });
  it('without an externalName, or from outside the cluster: no lookup is traced, the CNAME is said as far as it is known', () => {
    const bare = trace(client, 'bare');
    assert.deepEqual([bare.verdict, bare.reason], ['unresolved', 'shop/bare is an ExternalName Service: DNS answers a CNAME for (no externalName) and the connection goes to that host, outside the set; kube-proxy does not proxy it']);
    const outside = trace({ kind: 'external', ip: '203.0.113.9' }, 'to-web');
    assert.deepEqual([outside.verdict, outside.reason, outside.hops], ['unresolved', 'shop/to-web is an ExternalName Service: DNS answers a CNAME for web.shop.svc.cluster.local and the connection goes to that host, outside the set; kube-proxy does not proxy it', []]);
  });
  it('a CNAME followed to a Service of the cluster keeps what the lookup depends on', () => {
    const m = world();
    const toDnsPods = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }, tcp(53)]);
    m.services.push(service('shop', 'web-alias', undefined, [servicePort(80)], { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }));
    m.networkPolicies = [policy('shop', 'client-out', sel({ app: 'client' }), { policyTypes: ['Egress'], egress: [toDnsPods, rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)])] })];
    const r = traceRequest(m, new ModelIndex(m), { from: client, to: { kind: 'service', namespace: 'shop', name: 'web-alias' } });
    assert.deepEqual([r.verdict, r.reason], ['unresolved', 'the name resolves only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns.']);
    // Egress that forgets DNS: the CNAME's own lookup never gets an answer, and nothing is followed.
    m.networkPolicies = [policy('shop', 'client-out', sel({ app: 'client' }), { policyTypes: ['Egress'], egress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)])] })];
    const blocked = traceRequest(m, new ModelIndex(m), { from: client, to: { kind: 'service', namespace: 'shop', name: 'web-alias' } });
    assert.equal(blocked.verdict, 'dropped');
    assert.match(blocked.reason, /^the name never resolves: the egress of Pod shop\/client-1 \(10\.244\.1\.5\) is isolated and no rule allows UDP\/53 to the cluster DNS/);
    assert.deepEqual(blocked.hops.map((h) => h.kind), ['dns', 'policy']);
    m.networkPolicies = [policy('shop', 'client-out', sel({ app: 'client' }), { policyTypes: ['Egress'], egress: [toDnsPods, rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)])] })];
    // The same as asking for the Service itself.
    const direct = traceRequest(m, new ModelIndex(m), { from: client, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.deepEqual([direct.verdict, direct.reason], [r.verdict, r.reason]);
  });
  it('a dnsPolicy None client whose search list finds the name: only the server is open; without one, its search domains too', () => {
    const r = trace({ kind: 'pod', namespace: 'shop', name: 'custom-1' }, 'web', 80);
    assert.equal(r.verdict, 'unresolved');
    assert.equal(
      r.reason,
      "the name resolves to shop/web only if the resolver of Pod shop/custom-1 (10.244.1.6) (dnsPolicy None: only the Pod's dnsConfig: it asks the Pod's dnsConfig nameserver 1.1.1.1) sends it to the cluster DNS.",
    );
    // Asked as written first (ndots 1), then found through its own search domain: only the server is open.
    const m = world(['svc.cluster.local']);
    const cart = workload('store', 'cart', { app: 'cart' }, { ports: [8080] });
    cart.pods = [pod('store', 'cart-1', '10.244.1.8', 'n1', { labels: { app: 'cart' } })];
    m.workloads.push(cart);
    m.services.push(service('store', 'cart', { app: 'cart' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.40' }));
    const other = traceRequest(m, new ModelIndex(m), { from: { kind: 'pod', namespace: 'shop', name: 'custom-1' }, to: { kind: 'service', namespace: 'store', name: 'cart', port: 80 } });
    assert.equal(other.hops[0].dns?.queries[0].name, 'cart.store.');
    assert.match(other.reason, /\(dnsPolicy None: only the Pod's dnsConfig: it asks the Pod's dnsConfig nameserver 1\.1\.1\.1\) sends it to the cluster DNS\.$/);
    // No search domain of its own: the short name reaches the cluster DNS only with the cluster's search domains.
    const bare = trace({ kind: 'pod', namespace: 'shop', name: 'custom-1' }, 'web', 80, []);
    assert.match(bare.reason, / sends it to the cluster DNS with the cluster's search domains\.$/);
  });
});
