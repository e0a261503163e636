// The name lookup as a traced hop of its own: with the cluster DNS in the set
// (kube-system/kube-dns and the CoreDNS Pods behind it, NodeLocal DNSCache
// when present) the query travels client -> (cache ->) kube-dns ClusterIP ->
// kube-proxy's choice of a CoreDNS Pod -> CoreDNS, with the policy verdicts at
// both ends, before the answer; without it the server is assumed and said so.
// The rule networkpolicy-egress-blocks-dns and the trace judge the lookup alike.
import assert from 'node:assert/strict';
import { formatTraceText } from '../../../src/cli/trace';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { ContainerPort, NetworkModel, NetworkPolicy, Workload } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { container, endpointSlice, model, node, pod, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';
import { lintModel, only } from '../rules/lint-helper';

function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}

const udp = (port: number, name?: string): ContainerPort => ({ containerPort: port, protocol: 'UDP', name });
const dnsPorts = [servicePort(53, 53, 'dns', { protocol: 'UDP' }), servicePort(53, 53, 'dns-tcp'), servicePort(9153, 9153, 'metrics')];
const coreDnsContainer = container('coredns', [udp(53, 'dns'), { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }, [9153, 'metrics']]);
const toDnsPods = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }, tcp(53)]);
const toWeb = rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)]);
const fromApi = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'api' };
const apiEgress = (...egress: ReturnType<typeof rule>[]) => policy('shop', 'api-egress', sel({ app: 'api' }), { egress, policyTypes: ['Egress'] });

interface Fixture {
  /** NodeLocal DNSCache (a hostNetwork DaemonSet) and its kube-dns-upstream Service. */
  nodeLocal?: boolean;
  policies?: NetworkPolicy[];
  /** Leave the cluster DNS out: the server is assumed. */
  noClusterDns?: boolean;
}

/** kube-system's cluster DNS as kubeadm sets it up, and shop's api (the client) and web (behind a Service). */
function cluster(f: Fixture = {}): NetworkModel {
  const workloads: Workload[] = [workload('shop', 'api', { app: 'api' }), workload('shop', 'web', { app: 'web' }, { ports: [8080] })];
  const services = [service('shop', 'web', { app: 'web' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.20' })];
  if (!f.noClusterDns) {
    workloads.push(workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { replicas: 2, containers: [coreDnsContainer] }));
    services.push(service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, dnsPorts, { clusterIP: '10.96.0.10' }));
  }
  if (f.nodeLocal) {
    const cache = container('node-cache', [udp(53, 'dns'), { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }, [9253, 'metrics']]);
    workloads.push(workload('kube-system', 'node-local-dns', { 'k8s-app': 'node-local-dns' }, { kind: 'DaemonSet', hostNetwork: true, containers: [cache] }));
    services.push(service('kube-system', 'kube-dns-upstream', { 'k8s-app': 'kube-dns' }, dnsPorts.slice(0, 2), { clusterIP: '10.96.0.11' }));
  }
  return model({ workloads, services, networkPolicies: f.policies ?? [] });
}

const lookupHops = (r: TraceResult) => r.hops.filter((h) => h.lookup);
const dnsRuleFires = (m: NetworkModel) => only(lintModel(m), 'networkpolicy-egress-blocks-dns').length > 0;

describe('trace: the DNS lookup as a hop of its own', () => {
  it('with kube-dns and CoreDNS in the set: client -> kube-dns ClusterIP:53/UDP -> kube-proxy picks a CoreDNS Pod -> both policy verdicts -> CoreDNS, then the answer, then the request', () => {
    const r = trace(cluster(), { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(
      r.hops.map((h) => `${h.lookup ? 'lookup ' : ''}${h.kind}`),
      ['lookup vip', 'lookup kube-proxy', 'lookup dnat', 'lookup policy', 'lookup route', 'lookup policy', 'lookup pod', 'lookup dns', 'vip', 'kube-proxy', 'dnat', 'policy', 'route', 'policy', 'pod', 'reply'],
    );
    const [vip, proxy, , egress, , ingress, coredns, answer] = r.hops;
    assert.match(vip.detail, /^DNS lookup: a Pod of shop\/Deployment\/api connects to 10\.96\.0\.10:53\/UDP, the ClusterIP of kube-system\/kube-dns port dns: .*; it is the nameserver of the Pod's resolv\.conf \(the kubelet's --cluster-dns\)$/);
    // The engine's own choice: kube-proxy's chain for kube-system/kube-dns:dns (the name every kubeadm cluster's iptables-save shows), 1/2 each.
    assert.match(proxy.detail, /KUBE-SVC-TCOU7JCQXEZGVUNU, which picks one of 2 endpoints at random/);
    assert.ok(proxy.rules.includes('-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU'), proxy.rules.join('\n'));
    assert.equal(egress.policy?.direction, 'egress');
    assert.equal(ingress.policy?.direction, 'ingress');
    assert.match(ingress.detail, /^DNS lookup: ingress at kube-system\/Deployment\/coredns: not isolated/);
    assert.match(coredns.detail, /^DNS lookup: delivered to 2 endpoints of kube-system\/Deployment\/coredns: container coredns port 53 \(dns\)\/UDP$/);
    assert.equal(answer.kind, 'dns');
    assert.match(answer.detail, /asks "web" .*answers: the ClusterIP of shop\/web, 10\.96\.0\.20; a CoreDNS Pod answers, and the answer comes back from 10\.96\.0\.10:53 \(conntrack undoes the DNAT/);
    assert.deepEqual(answer.dns?.server, { assumed: false, service: 'kube-system/kube-dns', address: '10.96.0.10', detail: 'kube-system/kube-dns at 10.96.0.10:53/UDP' });
    // The request's own endpoints only: the CoreDNS Pods are the lookup's.
    assert.ok(r.endpoints.every((e) => e.target.includes('shop/Deployment/web')));
    assert.ok(!formatTraceText(r, 'x').includes('dns server:'));
  });

  it('a default-deny egress that forgets DNS: the lookup is dropped at the client, naming the policy; the rule says the same', () => {
    const m = cluster({ policies: [apiEgress(toWeb)] });
    const r = trace(m, { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^the name never resolves: the DNS query to kube-system\/kube-dns \(10\.96\.0\.10:53\/UDP\): NetworkPolicy drops it: egress at shop\/Deployment\/api: DENIED: isolated by shop\/api-egress; no egress rule allows kube-system\/Deployment\/coredns on UDP\/53; allow egress from a Pod of shop\/Deployment\/api to the DNS Pods/);
    // The trace ends with the lookup: no answer, no request.
    assert.equal(r.hops.length, lookupHops(r).length);
    assert.ok(!r.hops.some((h) => h.kind === 'dns'));
    const denied = r.hops.find((h) => h.policy?.allowed === 'no')!;
    assert.deepEqual([denied.policy!.direction, denied.policy!.policyIds.length], ['egress', 1]);
    assert.equal(r.proxyMode, 'iptables');
    assert.ok(dnsRuleFires(m));
    // Allowing DNS to the CoreDNS Pods: both say it resolves.
    const allowed = cluster({ policies: [apiEgress(toWeb, toDnsPods)] });
    const ok = trace(allowed, { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(ok.verdict, 'delivered', ok.reason);
    assert.match(lookupHops(ok)[3].detail, /^DNS lookup: egress at shop\/Deployment\/api: allowed by shop\/api-egress egress\[1\]/);
    assert.ok(!dnsRuleFires(allowed));
    assert.doesNotMatch(ok.hops.find((h) => h.kind === 'dns')!.detail, /TCP\/53 is denied/);
    // UDP alone: lookups work, but a truncated answer's retry over TCP does not.
    const udpOnly = rule(toDnsPods.peers, [{ protocol: 'UDP', port: 53 }]);
    const half = trace(cluster({ policies: [apiEgress(toWeb, udpOnly)] }), { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(half.verdict, 'delivered', half.reason);
    assert.match(half.hops.find((h) => h.kind === 'dns')!.detail, /; TCP\/53 is denied \(egress at shop\/Deployment\/api: DENIED: isolated by shop\/api-egress; no egress rule allows kube-system\/Deployment\/coredns on TCP\/53\): an answer too large for UDP comes back truncated and the resolver's retry over TCP fails$/);
  });

  it('a policy in kube-system that admits only kube-system to CoreDNS: the lookup is dropped at CoreDNS, naming that policy', () => {
    const onlySystem = policy('kube-system', 'coredns-ingress', sel({ 'k8s-app': 'kube-dns' }), {
      ingress: [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }) }])],
      policyTypes: ['Ingress'],
    });
    const r = trace(cluster({ policies: [onlySystem] }), { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /NetworkPolicy drops it: ingress at kube-system\/Deployment\/coredns: DENIED: isolated by kube-system\/coredns-ingress; .*; allow ingress to the CoreDNS Pods on UDP and TCP 53 from the Pods that resolve names$/);
    const denied = r.hops.find((h) => h.policy?.allowed === 'no')!;
    assert.equal(denied.policy!.direction, 'ingress');
    assert.match(r.hops[r.hops.length - 1].detail, /^DNS lookup: not delivered to 2 endpoints of kube-system\/Deployment\/coredns: NetworkPolicy drops it first$/);
  });

  it('NodeLocal DNSCache: the query stops at the cache on the client node, whose miss goes to kube-dns-upstream over TCP, traced from the cache Pod', () => {
    const m = cluster({ nodeLocal: true });
    m.nodes = [node('node-a', '192.168.0.11'), node('node-b', '192.168.0.12')];
    m.workloads[0].pods = [pod('shop', 'api-1', '10.244.1.5', 'node-a')];
    const cache = m.workloads.find((w) => w.name === 'node-local-dns')!;
    cache.pods = [
      { ...pod('kube-system', 'node-local-dns-a', '192.168.0.11', 'node-a', { labels: { 'k8s-app': 'node-local-dns' } }), hostNetwork: true },
      { ...pod('kube-system', 'node-local-dns-b', '192.168.0.12', 'node-b', { labels: { 'k8s-app': 'node-local-dns' } }), hostNetwork: true },
    ];
    const r = trace(m, { from: { kind: 'pod', namespace: 'shop', name: 'api-1' }, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    const path = lookupHops(r);
    assert.deepEqual(
      path.map((h) => h.kind),
      ['dns', 'policy', 'pod', 'vip', 'kube-proxy', 'dnat', 'route', 'policy', 'pod', 'dns'],
    );
    assert.match(path[0].detail, /^DNS lookup: Pod shop\/api-1 \(10\.244\.1\.5\) sends its query to 10\.96\.0\.10:53\/UDP, .*NodeLocal DNSCache \(kube-system\/DaemonSet\/node-local-dns, .*\) listens on 169\.254\.20\.10 and, with kube-proxy in iptables mode, on 10\.96\.0\.10 too, .*the cache on node-a .* takes it/);
    assert.match(path[1].detail, /^DNS lookup: egress at shop\/api-1: not isolated .*\(toward NodeLocal DNSCache at 169\.254\.20\.10 on the node, UDP\/53\)$/);
    assert.match(path[2].detail, /^DNS lookup: delivered to NodeLocal DNSCache on node-a .*: container node-cache port 53\/UDP; it answers from its cache, and sends .* to kube-system\/kube-dns-upstream over TCP/);
    // The cache Pod on the client's node is lit, not the other node's.
    const cachePodA = cache.pods[0].id;
    assert.ok(path[2].objectIds!.includes(cachePodA) && !path[2].objectIds!.includes(cache.pods[1].id));
    assert.match(path[3].detail, /^DNS lookup, the cache's miss: Pod kube-system\/node-local-dns-a \(192\.168\.0\.11\) connects to 10\.96\.0\.11:53\/TCP, the ClusterIP of kube-system\/kube-dns-upstream port dns-tcp/);
    // From the host network: kube-proxy masquerades it, and no egress policy applies to the cache.
    assert.match(path[4].detail, /outside the cluster CIDR, so the ClusterIP rule marks it for masquerade/);
    assert.match(path[7].detail, /^DNS lookup, the cache's miss: ingress at kube-system\/Deployment\/coredns: not isolated/);
    assert.deepEqual(path[9].dns?.server, {
      assumed: false,
      service: 'kube-system/kube-dns',
      address: '10.96.0.10',
      nodeLocalCache: 'kube-system/DaemonSet/node-local-dns',
      upstream: 'kube-system/kube-dns-upstream',
      detail: "kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client's node (upstream kube-system/kube-dns-upstream)",
    });
    assert.match(path[9].detail, /NodeLocal DNSCache answers from 169\.254\.20\.10 or 10\.96\.0\.10/);
    assert.equal(r.verdict, 'delivered', r.reason);
  });

  it('NodeLocal DNSCache and the rule agree: egress to the CoreDNS Pods only leaves it to the network plugin; to neither, dropped naming both', () => {
    const podsOnly = cluster({ nodeLocal: true, policies: [apiEgress(toWeb, toDnsPods)] });
    const r = trace(podsOnly, { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /the query reaches NodeLocal DNSCache only if the network plugin leaves traffic to its node-local address out of egress policy: the policies allow UDP\/53 to the CoreDNS Pods but not to 169\.254\.20\.10/);
    assert.ok(!dnsRuleFires(podsOnly));
    const neither = cluster({ nodeLocal: true, policies: [apiEgress(toWeb)] });
    const d = trace(neither, { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(d.verdict, 'dropped');
    assert.match(d.reason, /^the name never resolves: a Pod of shop\/Deployment\/api's egress allows UDP\/53 neither to NodeLocal DNSCache \(169\.254\.20\.10\) nor to the CoreDNS Pods \(egress at shop\/Deployment\/api: DENIED: isolated by shop\/api-egress/);
    assert.ok(dnsRuleFires(neither));
    // An ipBlock for the cache's address settles it.
    const cacheBlock = rule([{ ipBlock: { cidr: '169.254.20.10/32', except: [] } }], [{ protocol: 'UDP', port: 53 }, tcp(53)]);
    const both = trace(cluster({ nodeLocal: true, policies: [apiEgress(toWeb, toDnsPods, cacheBlock)] }), { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(both.verdict, 'delivered', both.reason);
  });

  it('without the cluster DNS in the set: today\'s hops, and the assumption said once (text and JSON)', () => {
    const r = trace(cluster({ noClusterDns: true }), { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.deepEqual(r.hops.map((h) => h.kind), ['dns', 'vip', 'kube-proxy', 'dnat', 'policy', 'route', 'policy', 'pod', 'reply']);
    assert.equal(lookupHops(r).length, 0);
    assert.equal(r.hops[0].dns?.server?.assumed, true);
    const text = formatTraceText(r, 'x');
    assert.equal(text.match(/dns server: assumed: the cluster DNS at the nameserver the kubelet writes into the client's resolv\.conf/g)?.length, 1);
    // A client that does not ask the cluster DNS (dnsPolicy Default): nothing assumed, its own resolver named.
    const m = cluster({ noClusterDns: true });
    m.workloads[0].dns = { policy: 'Default', searches: [] };
    const own = trace(m, { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' } }).hops[0].dns?.server;
    assert.equal(own?.assumed, false);
    assert.equal(own?.resolver, 'node');
    assert.match(own!.detail, /^the node's resolver \(the nameservers of the node's \/etc\/resolv\.conf, not in the set\): dnsPolicy Default/);
  });

  it('every form that looks a name up: a name, a host outside (--to external:HOST and a URL from inside), an ExternalName; an address looks nothing up', () => {
    const m = cluster();
    m.services.push(service('shop', 'legacy', undefined, [], { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }));
    const byName = trace(m, { from: fromApi, to: { kind: 'name', name: 'web', port: 80 } });
    assert.equal(byName.verdict, 'delivered', byName.reason);
    assert.equal(lookupHops(byName).length, 8);
    const host = trace(m, { from: fromApi, to: { kind: 'external', host: 'api.stripe.com', port: 443, protocol: 'TCP' } });
    assert.equal(host.verdict, 'delivered', host.reason);
    const answer = host.hops.find((h) => h.kind === 'dns')!;
    assert.ok(answer.lookup);
    assert.match(answer.detail, /api\.stripe\.com\. is outside cluster\.local.*; a CoreDNS Pod answers \(a name outside the cluster domain after asking its upstream resolvers/);
    assert.equal(host.proxyMode, 'iptables');
    const url = trace(m, { from: fromApi, to: { kind: 'url', url: 'https://api.stripe.com/v1/charges' } });
    assert.deepEqual(url.hops.map((h) => h.kind), host.hops.map((h) => h.kind));
    // A name that reads as a Service of the set's namespace shop, which has none: the trace ends at the answer.
    const nx = trace(m, { from: fromApi, to: { kind: 'name', name: 'payments.shop', port: 80 } });
    assert.equal(nx.verdict, 'unresolved');
    assert.equal(lookupHops(nx).length, 8);
    // A short name no Service has goes on out of the cluster after the search path, looked up the same way (unresolved: a single label public DNS does not know).
    const out = trace(m, { from: fromApi, to: { kind: 'name', name: 'payments', port: 80 } });
    assert.equal(out.verdict, 'unresolved', out.reason);
    assert.deepEqual(out.hops.map((h) => h.kind), host.hops.map((h) => h.kind));
    const cname = trace(m, { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'legacy', port: 80 } });
    assert.equal(cname.verdict, 'delivered', cname.reason);
    assert.equal(lookupHops(cname).length, 8);
    const byAddress = trace(m, { from: fromApi, to: { kind: 'name', name: '10.96.0.20', port: 80 } });
    assert.equal(lookupHops(byAddress).length, 0);
    assert.ok(!byAddress.hops.some((h) => h.kind === 'dns'));
    // A Pod by its address: nothing to look up either.
    const toPod = trace(m, { from: fromApi, to: { kind: 'pod', namespace: 'shop', name: 'web', port: 8080 } });
    assert.ok(!toPod.hops.some((h) => h.lookup || h.kind === 'dns'));
  });

  it('each kube-proxy mode picks the CoreDNS Pod with its own rules', () => {
    const nft = trace(cluster(), { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' }, proxyMode: 'nftables' });
    assert.match(lookupHops(nft)[1].detail, /^DNS lookup: kube-proxy \(nftables, table ip kube-proxy\): .*service-FY5PMXPG-kube-system\/kube-dns\/udp\/dns, where "numgen random mod 2"/);
    const ipvs = trace(cluster(), { from: fromApi, to: { kind: 'service', namespace: 'shop', name: 'web' }, proxyMode: 'ipvs' });
    assert.match(lookupHops(ipvs)[1].detail, /^DNS lookup: kube-proxy \(IPVS\): virtual server 10\.96\.0\.10:53 \(bound to kube-ipvs0\) with 2 real server\(s\)/);
  });

  it('kube-dns with internalTrafficPolicy Local and no CoreDNS Pod on the client node: no lookup gets an answer, and no policy is blamed', () => {
    const m = cluster();
    m.nodes = [node('node-a', '192.168.0.11'), node('node-b', '192.168.0.12')];
    m.workloads[0].pods = [pod('shop', 'api-1', '10.244.1.5', 'node-a')];
    const kubeDns = m.services.find((x) => x.name === 'kube-dns')!;
    kubeDns.internalTrafficPolicy = 'Local';
    m.endpointSlices = [
      endpointSlice('kube-system', 'kube-dns', [{ name: 'dns', protocol: 'UDP', port: 53 }], [
        { addresses: ['10.244.2.7'], ready: true, serving: true, terminating: false, nodeName: 'node-b' },
      ]),
    ];
    const r = trace(m, { from: { kind: 'pod', namespace: 'shop', name: 'api-1' }, to: { kind: 'service', namespace: 'shop', name: 'web' } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^the name never resolves: the DNS query to kube-system\/kube-dns \(10\.96\.0\.10:53\/UDP\): internalTrafficPolicy: Local and node-a .*has no ready endpoint of kube-system\/kube-dns$/);
  });

  it('a name whose Service needs a port said: the trace ends at the answer, after the lookup (or with the server assumed)', () => {
    const m = cluster();
    m.services[0].ports.push(servicePort(9090, 9090, 'metrics'));
    const r = trace(m, { from: fromApi, to: { kind: 'name', name: 'web' } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /several ports .*say which with web:PORT/);
    assert.equal(lookupHops(r).length, 8);
    const assumed = cluster({ noClusterDns: true });
    assumed.services[0].ports.push(servicePort(9090, 9090, 'metrics'));
    assert.equal(trace(assumed, { from: fromApi, to: { kind: 'name', name: 'web' } }).hops[0].dns?.server?.assumed, true);
  });

  it('a blocked lookup of an external host ends there too', () => {
    const m = cluster({ policies: [apiEgress(rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)]))] });
    const r = trace(m, { from: fromApi, to: { kind: 'external', host: 'api.stripe.com', port: 443, protocol: 'TCP' } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^the name never resolves: the DNS query to kube-system\/kube-dns/);
    assert.ok(dnsRuleFires(m));
  });
});
