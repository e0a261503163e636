// The name lookup's own trip before the request, compared whole: through
// kube-dns to a CoreDNS Pod (or NodeLocal DNSCache on the client's node and
// its miss to CoreDNS over TCP), the policy verdicts at the client's egress
// and CoreDNS's ingress, what ends the trace (no answer) or leaves it open
// (some CoreDNS Pods refuse; labels unknown), and the server assumed when the
// set has no usable cluster DNS.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { ContainerPort, NetworkModel, NetworkPolicy, PodDnsSettings, Workload } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { container, model, node, pod, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';

const KUBE_PROXY_HOPS = ['vip', 'nodeport', 'loadbalancer', 'kube-proxy', 'dnat'];
function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}
function whole(r: TraceResult) {
  // A lookup that never gets its answer ends the trace before any endpoint.
  if (r.reason.startsWith('the name never resolves')) assert.deepEqual(r.endpoints, []);
  return {
    verdict: r.verdict,
    reason: r.reason,
    hops: r.hops.filter((h) => !KUBE_PROXY_HOPS.includes(h.kind)).map((h) => `${h.kind}${h.lookup ? ' (lookup)' : ''}: ${h.detail}`),
    servers: r.hops.filter((h) => h.kind === 'dns').map((h) => h.dns?.server?.detail),
  };
}

const udp = (port: number, name?: string): ContainerPort => ({ containerPort: port, protocol: 'UDP', name });
const dnsPorts = [servicePort(53, 53, 'dns', { protocol: 'UDP' }), servicePort(53, 53, 'dns-tcp')];
const coreDnsContainer = container('coredns', [udp(53, 'dns'), { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }]);
const toDnsPodsUdp = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }]);
const toDnsPods = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }, tcp(53)]);
const toWeb = rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)]);
const apiEgress = (...egress: ReturnType<typeof rule>[]) => policy('shop', 'api-egress', sel({ app: 'api' }), { egress, policyTypes: ['Egress'] });
/** shop/api-1 on n1 asks for shop/web; kube-dns and CoreDNS (a second CoreDNS workload, NodeLocal DNSCache, or neither) as the fixture says. */
interface F { nodeLocal?: boolean; policies?: NetworkPolicy[]; noClusterDns?: boolean; dnsPortsOf?: ReturnType<typeof servicePort>[]; coreReplicas?: number; second?: boolean }
function cluster(f: F = {}): NetworkModel {
  const api = workload('shop', 'api', { app: 'api' });
  api.pods = [pod('shop', 'api-1', '10.244.1.5', 'n1', { labels: { app: 'api' } })];
  const web = workload('shop', 'web', { app: 'web' }, { ports: [8080] });
  web.pods = [pod('shop', 'web-1', '10.244.1.6', 'n1', { labels: { app: 'web' } })];
  const workloads: Workload[] = [api, web];
  const services = [service('shop', 'web', { app: 'web' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.20' })];
  if (!f.noClusterDns) {
    const core = workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { containers: [coreDnsContainer] });
    core.pods = f.coreReplicas === 0 ? [] : [pod('kube-system', 'coredns-1', '10.244.2.2', 'n2', { labels: { 'k8s-app': 'kube-dns' } })];
    workloads.push(core);
    if (f.second) {
      const alt = workload('kube-system', 'coredns-alt', { 'k8s-app': 'kube-dns', variant: 'alt' }, { containers: [coreDnsContainer] });
      alt.pods = [pod('kube-system', 'coredns-alt-1', '10.244.2.3', 'n2', { labels: { 'k8s-app': 'kube-dns', variant: 'alt' } })];
      workloads.push(alt);
    }
    services.push(service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, f.dnsPortsOf ?? dnsPorts, { clusterIP: '10.96.0.10' }));
  }
  if (f.nodeLocal) {
    const cache = container('node-cache', [udp(53, 'dns'), { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }]);
    const nl = workload('kube-system', 'node-local-dns', { 'k8s-app': 'node-local-dns' }, { kind: 'DaemonSet', hostNetwork: true, containers: [cache] });
    nl.pods = [{ ...pod('kube-system', 'node-local-dns-a', '192.168.1.11', 'n1', { labels: { 'k8s-app': 'node-local-dns' } }), hostNetwork: true }];
    workloads.push(nl);
  }
  return model({ source: 'cluster', nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')], workloads, services, networkPolicies: f.policies ?? [] });
}
const fromApi = { kind: 'pod' as const, namespace: 'shop', name: 'api-1' };
const toWebSvc = { kind: 'service' as const, namespace: 'shop', name: 'web' };

/** The client's dnsPolicy and dnsConfig (its template's and its Pod's). */
function withDns(m: NetworkModel, dns: PodDnsSettings): NetworkModel {
  const api = m.workloads.find((w) => w.name === 'api')!;
  api.dns = dns;
  api.pods = api.pods.map((p) => ({ ...p, dns }));
  return m;
}
const ipRule = (cidr: string, ports: ReturnType<typeof tcp>[]) => rule([{ ipBlock: { cidr, except: [] } }], ports);
const udp53 = { protocol: 'UDP' as const, port: 53 };
const toStripe = { kind: 'external' as const, host: 'api.stripe.com', port: 443 };
const none2: PodDnsSettings = { policy: 'None', searches: [], nameservers: ['1.1.1.1', '8.8.8.8'] };

describe('trace: the lookup\'s own trip, whole', () => {
  it('open: the query\'s own trip through kube-dns to CoreDNS, the answer, then the request', () => {
    assert.deepEqual(whole(trace(cluster(), { from: fromApi, to: toWebSvc })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it)',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['kube-system/kube-dns at 10.96.0.10:53/UDP'],
    });
  });
  it('egress that forgets DNS: dropped at the client before any answer, with the fix', () => {
    assert.deepEqual(whole(trace(cluster({ policies: [apiEgress(toWeb)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'dropped',
      reason: 'the name never resolves: the DNS query to kube-system/kube-dns (10.96.0.10:53/UDP): NetworkPolicy drops it: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows kube-system/Deployment/coredns on UDP/53; allow egress from Pod shop/api-1 (10.244.1.5) to the DNS Pods (namespace kube-system, k8s-app=kube-dns) on UDP and TCP 53',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows kube-system/Deployment/coredns on UDP/53',
      ],
      servers: [],
    });
  });
  it('UDP/53 allowed, TCP/53 not: the name resolves, and a truncated answer\'s retry over TCP is said to fail', () => {
    assert.deepEqual(whole(trace(cluster({ policies: [apiEgress(toWeb, toDnsPodsUdp)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: allowed by shop/api-egress egress[1] (to namespaceSelector {kubernetes.io/metadata.name=kube-system} AND podSelector {k8s-app=kube-dns}, UDP/53)',
        'route (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it); TCP/53 is denied (egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows kube-system/Deployment/coredns on TCP/53): an answer too large for UDP comes back truncated and the resolver\'s retry over TCP fails',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[0] (to podSelector {app=web}, TCP/8080)',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['kube-system/kube-dns at 10.96.0.10:53/UDP'],
    });
  });
  it('CoreDNS\'s ingress denies the client: dropped at CoreDNS, with the ingress fix', () => {
    assert.deepEqual(whole(trace(cluster({ policies: [policy('kube-system', 'coredns-in', sel({ 'k8s-app': 'kube-dns' }), { ingress: [] })] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'dropped',
      reason: 'the name never resolves: the DNS query to kube-system/kube-dns (10.96.0.10:53/UDP): NetworkPolicy drops it: ingress at kube-system/Deployment/coredns: DENIED: isolated by kube-system/coredns-in; no ingress rule allows shop/api-1 on UDP/53; allow ingress to the CoreDNS Pods on UDP and TCP 53 from the Pods that resolve names',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: DENIED: isolated by kube-system/coredns-in; no ingress rule allows shop/api-1 on UDP/53',
        'pod (lookup): DNS lookup: not delivered to 10.244.2.2: NetworkPolicy drops it first',
      ],
      servers: [],
    });
  });
  it('one CoreDNS Pod of two denies: some lookups fail, the request is still traced', () => {
    assert.deepEqual(whole(trace(cluster({ second: true, policies: [policy('kube-system', 'alt-in', sel({ variant: 'alt' }), { ingress: [] })] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'unresolved',
      reason: 'some lookups fail: the DNS query to kube-system/kube-dns (10.96.0.10:53/UDP): only 1 of 2 endpoints accept it: a new connection is dropped with probability 0.50000: ingress at kube-system/Deployment/coredns-alt: DENIED: isolated by kube-system/alt-in; no ingress rule allows shop/api-1 on UDP/53.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns-alt: DENIED: isolated by kube-system/alt-in; no ingress rule allows shop/api-1 on UDP/53',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'pod (lookup): DNS lookup: not delivered to 10.244.2.3: NetworkPolicy drops it first',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it)',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['kube-system/kube-dns at 10.96.0.10:53/UDP'],
    });
  });
  it('kube-dns with no endpoint: no name resolves', () => {
    assert.deepEqual(whole(trace(cluster({ coreReplicas: 0 }), { from: fromApi, to: toWebSvc })), {
      verdict: 'no-endpoints',
      reason: 'the name never resolves: the DNS query to kube-system/kube-dns (10.96.0.10:53/UDP): kube-system/kube-dns: no endpoint to send to: its selector matches no Pods',
      hops: [],
      servers: [],
    });
  });
  it('kube-dns without 53/UDP: the server is assumed, and why; the egress check is judged toward the DNS Pods of the set', () => {
    assert.deepEqual(whole(trace(cluster({ dnsPortsOf: [servicePort(53, 53, 'dns-tcp')], policies: [apiEgress(toWeb)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'dropped',
      reason: 'the name never resolves: the egress of Pod shop/api-1 (10.244.1.5) is isolated and no rule allows UDP/53 to the cluster DNS (the name lookup first: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows kube-system/Deployment/coredns on UDP/53); allow egress to the DNS Pods on UDP and TCP 53',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20',
        'policy: the name lookup first: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows kube-system/Deployment/coredns on UDP/53',
      ],
      servers: ['assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set\'s kube-system/kube-dns has no port 53/UDP'],
    });
  });
  it('no cluster DNS in the set and egress without DNS: dropped, the server assumed', () => {
    assert.deepEqual(whole(trace(cluster({ noClusterDns: true, policies: [apiEgress(toWeb)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'dropped',
      reason: 'the name never resolves: the egress of Pod shop/api-1 (10.244.1.5) is isolated and no rule allows UDP/53 to the cluster DNS (the name lookup first: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the cluster DNS Pods (kube-system, not in the set) on UDP/53); allow egress to the DNS Pods on UDP and TCP 53',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20',
        'policy: the name lookup first: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the cluster DNS Pods (kube-system, not in the set) on UDP/53',
      ],
      servers: ['assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system'],
    });
  });
  it('no cluster DNS in the set, a rule naming its labels: the verdict depends on them', () => {
    assert.deepEqual(whole(trace(cluster({ noClusterDns: true, policies: [apiEgress(toWeb, toDnsPods)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns.',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20',
        'policy: the name lookup first: egress at shop/api-1: depends: allowed only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[0] (to podSelector {app=web}, TCP/8080)',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system'],
    });
  });
  it('a client whose labels are unknown, CoreDNS admitting by label: the lookup depends on them', () => {
    assert.deepEqual(whole(trace(cluster({ policies: [policy('kube-system', 'coredns-in', sel({ 'k8s-app': 'kube-dns' }), { ingress: [rule([{ namespaceSelector: sel({}), podSelector: sel({ app: 'api' }) }])] })] }), { to: toWebSvc })), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the labels of a Pod in namespace shop (labels unknown) match app=api.',
      hops: [
        'policy (lookup): DNS lookup: egress at a Pod in namespace shop (labels unknown): not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route (lookup): DNS lookup: a Pod in namespace shop -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: depends: allowed only if the labels of a Pod in namespace shop (labels unknown) match app=api',
        'pod (lookup): DNS lookup: if allowed, delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): a Pod in namespace shop asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it)',
        'policy: egress at a Pod in namespace shop (labels unknown): not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: a Pod in namespace shop -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to a Pod in namespace shop; conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['kube-system/kube-dns at 10.96.0.10:53/UDP'],
    });
  });
  it('NodeLocal DNSCache: the cache on the client\'s node takes the query, its miss goes to CoreDNS over TCP from the host network', () => {
    assert.deepEqual(whole(trace(cluster({ nodeLocal: true }), { from: fromApi, to: toWebSvc })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on n1 (192.168.1.11): container node-cache port 53/UDP; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to kube-system/kube-dns (the kube-dns-upstream Service of the upstream manifests is not in the set: the path to the same CoreDNS Pods is shown through it) over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'route (lookup): DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) (hostNetwork: from its node\'s own address) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup, the cache\'s miss: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup, the cache\'s miss: delivered to 10.244.2.2: container coredns port 53 (dns)/TCP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; NodeLocal DNSCache answers from 169.254.20.10 or 10.96.0.10, whichever the query was sent to, from its cache or with CoreDNS\'s answer',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: [undefined, 'kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client\'s node (upstream kube-system/kube-dns)'],
    });
  });
  it('NodeLocal DNSCache with egress to the CoreDNS Pods only: the query reaches the cache only if the plugin leaves node-local traffic alone', () => {
    assert.deepEqual(whole(trace(cluster({ nodeLocal: true, policies: [apiEgress(toWeb, toDnsPods)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'unresolved',
      reason: 'the query reaches NodeLocal DNSCache only if the network plugin leaves traffic to its node-local address out of egress policy: the policies allow UDP/53 to the CoreDNS Pods but not to 169.254.20.10 (an egress rule with ipBlock 169.254.20.10/32 on port 53 settles it).',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows NodeLocal DNSCache (169.254.20.10) on UDP/53 (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on n1 (192.168.1.11): container node-cache port 53/UDP; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to kube-system/kube-dns (the kube-dns-upstream Service of the upstream manifests is not in the set: the path to the same CoreDNS Pods is shown through it) over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'route (lookup): DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) (hostNetwork: from its node\'s own address) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup, the cache\'s miss: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup, the cache\'s miss: delivered to 10.244.2.2: container coredns port 53 (dns)/TCP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; NodeLocal DNSCache answers from 169.254.20.10 or 10.96.0.10, whichever the query was sent to, from its cache or with CoreDNS\'s answer',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[0] (to podSelector {app=web}, TCP/8080)',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: [undefined, 'kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client\'s node (upstream kube-system/kube-dns)'],
    });
  });
  it('NodeLocal DNSCache with egress to neither: dropped at the client, naming both', () => {
    assert.deepEqual(whole(trace(cluster({ nodeLocal: true, policies: [apiEgress(toWeb)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'dropped',
      reason: 'the name never resolves: Pod shop/api-1 (10.244.1.5)\'s egress allows UDP/53 neither to NodeLocal DNSCache (169.254.20.10) nor to the CoreDNS Pods (egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows kube-system/Deployment/coredns on UDP/53); allow egress to 169.254.20.10/32 and to the DNS Pods (namespace kube-system, k8s-app=kube-dns) on UDP and TCP 53',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows NodeLocal DNSCache (169.254.20.10) on UDP/53 (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
      ],
      servers: [undefined],
    });
  });
  it('dnsPolicy None with two nameservers, egress to the second only: each judged, one getting through is enough', () => {
    assert.deepEqual(whole(trace(withDns(cluster({ policies: [apiEgress(ipRule('8.8.8.8/32', [udp53]), ipRule('0.0.0.0/0', [tcp(443)]))] }), none2), { from: fromApi, to: toStripe })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward api.stripe.com on 443/TCP, seen there as 192.168.1.11; whether the upstream resolvers answer for api.stripe.com, and anything answers there, is outside the set',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (a resolv.conf the set does not show): api.stripe.com. is outside cluster.local, answered by the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8; CoreDNS is not asked (dnsPolicy None: only the Pod\'s dnsConfig); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (1.1.1.1) on UDP/53',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8: egress at shop/api-1: allowed by shop/api-egress egress[0] (to ipBlock 8.8.8.8/32, UDP/53)',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[1] (to ipBlock 0.0.0.0/0, TCP/443)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
      servers: ['the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8: dnsPolicy None: only the Pod\'s dnsConfig'],
    });
  });
  it('dnsPolicy None, egress to neither nameserver: the name never resolves, both named', () => {
    assert.deepEqual(whole(trace(withDns(cluster({ policies: [apiEgress(ipRule('0.0.0.0/0', [tcp(443)]))] }), none2), { from: fromApi, to: toStripe })), {
      verdict: 'dropped',
      reason: 'the name never resolves: Pod shop/api-1 (10.244.1.5) asks the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8 (dnsPolicy None: only the Pod\'s dnsConfig), and its egress allows UDP/53 to none of them (egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (1.1.1.1) on UDP/53; egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (8.8.8.8) on UDP/53); allow egress to that resolver on UDP and TCP 53',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (a resolv.conf the set does not show): api.stripe.com. is outside cluster.local, answered by the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8; CoreDNS is not asked (dnsPolicy None: only the Pod\'s dnsConfig); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (1.1.1.1) on UDP/53',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (8.8.8.8) on UDP/53',
      ],
      servers: ['the Pod\'s dnsConfig nameservers 1.1.1.1, 8.8.8.8: dnsPolicy None: only the Pod\'s dnsConfig'],
    });
  });
  it('dnsPolicy None whose second nameserver is the kube-dns ClusterIP: judged as the CoreDNS Pods the query reaches after the DNAT', () => {
    assert.deepEqual(whole(trace(withDns(cluster({ policies: [apiEgress(toDnsPods, ipRule('0.0.0.0/0', [tcp(443)]))] }), { policy: 'None', searches: [], nameservers: ['1.1.1.1', '10.96.0.10'] }), { from: fromApi, to: toStripe })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward api.stripe.com on 443/TCP, seen there as 192.168.1.11; whether the upstream resolvers answer for api.stripe.com, and anything answers there, is outside the set',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (a resolv.conf the set does not show): api.stripe.com. is outside cluster.local, answered by the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10; CoreDNS (at 10.96.0.10) only if the nameservers before it do not answer (dnsPolicy None: only the Pod\'s dnsConfig); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (1.1.1.1) on UDP/53',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10: egress at shop/api-1: allowed by shop/api-egress egress[0] (to namespaceSelector {kubernetes.io/metadata.name=kube-system} AND podSelector {k8s-app=kube-dns}, UDP/53, TCP/53)',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[1] (to ipBlock 0.0.0.0/0, TCP/443)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
      servers: ['the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10: dnsPolicy None: only the Pod\'s dnsConfig'],
    });
  });
  it('dnsPolicy Default under an egress policy allowing UDP/53 anywhere: the check is shown, and passes', () => {
    assert.deepEqual(whole(trace(withDns(cluster({ policies: [apiEgress(rule([], [udp53]), ipRule('0.0.0.0/0', [tcp(443)]))] }), { policy: 'Default', searches: [] }), { from: fromApi, to: toStripe })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward api.stripe.com on 443/TCP, seen there as 192.168.1.11; whether the upstream resolvers answer for api.stripe.com, and anything answers there, is outside the set',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (a resolv.conf the set does not show): api.stripe.com. is outside cluster.local, answered by the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set); CoreDNS is not asked (dnsPolicy Default: the node\'s resolv.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first, to the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set): egress at shop/api-1: allowed by shop/api-egress egress[0] (to anywhere, UDP/53)',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[1] (to ipBlock 0.0.0.0/0, TCP/443)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
      servers: ['the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set): dnsPolicy Default: the node\'s resolv.conf'],
    });
  });
  it('dnsPolicy Default, UDP/53 allowed to a range: the node\'s nameserver must be in it, which the set cannot say', () => {
    assert.deepEqual(whole(trace(withDns(cluster({ policies: [apiEgress(ipRule('192.168.0.0/16', [udp53]), ipRule('0.0.0.0/0', [tcp(443)]))] }), { policy: 'Default', searches: [] }), { from: fromApi, to: toStripe })), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the node\'s nameserver\'s address is in 192.168.0.0/16.',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (a resolv.conf the set does not show): api.stripe.com. is outside cluster.local, answered by the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set); CoreDNS is not asked (dnsPolicy Default: the node\'s resolv.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first, to the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set): egress at shop/api-1: depends: allowed only if the node\'s nameserver\'s address is in 192.168.0.0/16',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[1] (to ipBlock 0.0.0.0/0, TCP/443)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
      ],
      servers: ['the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set): dnsPolicy Default: the node\'s resolv.conf'],
    });
  });
  it('a kube-dns Service without TCP/53: no TCP retry to warn about', () => {
    assert.deepEqual(whole(trace(cluster({ dnsPortsOf: [servicePort(53, 53, 'dns', { protocol: 'UDP' })], policies: [apiEgress(toWeb, toDnsPodsUdp)] }), { from: fromApi, to: toWebSvc })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: allowed by shop/api-egress egress[1] (to namespaceSelector {kubernetes.io/metadata.name=kube-system} AND podSelector {k8s-app=kube-dns}, UDP/53)',
        'route (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it)',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[0] (to podSelector {app=web}, TCP/8080)',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['kube-system/kube-dns at 10.96.0.10:53/UDP'],
    });
  });
});

const coreIn = (...ingress: ReturnType<typeof rule>[]) => policy('kube-system', 'coredns-in', sel({ 'k8s-app': 'kube-dns' }), { ingress, policyTypes: ['Ingress'] });
function unreadPolicies(): NetworkModel {
  const m = cluster({ nodeLocal: true });
  m.unread = [{ resource: 'networkpolicies', namespace: 'shop', reason: 'forbidden (403)', consequence: 'policy verdicts unknown' }];
  return m;
}
function upstreamWithout53(): NetworkModel {
  const m = cluster({ nodeLocal: true });
  m.services.push(service('kube-system', 'kube-dns-upstream', { 'k8s-app': 'kube-dns' }, [servicePort(5353, 53, 'alt', { protocol: 'UDP' })], { clusterIP: '10.96.0.11' }));
  m.workloads.find((w) => w.name === 'node-local-dns')!.containers = [container('node-cache', [])];
  return m;
}
function upstreamUdpOnly(): NetworkModel {
  const m = cluster({ nodeLocal: true });
  m.services.push(service('kube-system', 'kube-dns-upstream', { 'k8s-app': 'kube-dns' }, [servicePort(53, 53, 'dns', { protocol: 'UDP' })], { clusterIP: '10.96.0.11' }));
  return m;
}
function manifestsWithCache(): NetworkModel {
  const m = cluster({ nodeLocal: true });
  m.source = 'manifests';
  for (const w of m.workloads) w.pods = [];
  m.nodes = [];
  return m;
}

describe('trace: NodeLocal DNSCache and the TCP retry, whole', () => {
  it('kube-dns listing TCP/53 before UDP/53: the query still goes over UDP, the vip hop says it is the resolv.conf nameserver', () => {
    const r = trace(cluster({ dnsPortsOf: [servicePort(53, 53, 'dns-tcp'), servicePort(53, 53, 'dns', { protocol: 'UDP' })] }), { from: fromApi, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it)',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['kube-system/kube-dns at 10.96.0.10:53/UDP'],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, 'DNS lookup: Pod shop/api-1 (10.244.1.5) connects to 10.96.0.10:53/UDP, the ClusterIP of kube-system/kube-dns port dns: a virtual address no interface holds; kube-proxy\'s rules on n1 (192.168.1.11) catch it; it is the nameserver of the Pod\'s resolv.conf (the kubelet\'s --cluster-dns)');
    assert.equal(r.endpoints.length, 1);
  });
  it('TCP/53 denied at the client\'s egress and at CoreDNS\'s ingress: both named in the retry warning', () => {
    const r = trace(cluster({ policies: [apiEgress(toWeb, toDnsPodsUdp), coreIn(rule([], [{ protocol: 'UDP', port: 53 }]))] }), { from: fromApi, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: allowed by shop/api-egress egress[1] (to namespaceSelector {kubernetes.io/metadata.name=kube-system} AND podSelector {k8s-app=kube-dns}, UDP/53)',
        'route (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: allowed by kube-system/coredns-in ingress[0] (from anywhere, UDP/53)',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it); TCP/53 is denied (egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows kube-system/Deployment/coredns on TCP/53; ingress at kube-system/Deployment/coredns: DENIED: isolated by kube-system/coredns-in; no ingress rule allows shop/api-1 on TCP/53): an answer too large for UDP comes back truncated and the resolver\'s retry over TCP fails',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[0] (to podSelector {app=web}, TCP/8080)',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: ['kube-system/kube-dns at 10.96.0.10:53/UDP'],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, 'DNS lookup: Pod shop/api-1 (10.244.1.5) connects to 10.96.0.10:53/UDP, the ClusterIP of kube-system/kube-dns port dns: a virtual address no interface holds; kube-proxy\'s rules on n1 (192.168.1.11) catch it; it is the nameserver of the Pod\'s resolv.conf (the kubelet\'s --cluster-dns)');
    assert.equal(r.endpoints.length, 1);
  });
  it('NodeLocal DNSCache reached on UDP: the cache retries over TCP itself, so no warning about the client\'s TCP/53', () => {
    const r = trace(cluster({ nodeLocal: true, policies: [apiEgress(toWeb, toDnsPodsUdp, rule([{ ipBlock: { cidr: '169.254.20.10/32', except: [] } }], [{ protocol: 'UDP', port: 53 }]))] }), { from: fromApi, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: allowed by shop/api-egress egress[2] (to ipBlock 169.254.20.10/32, UDP/53) (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on n1 (192.168.1.11): container node-cache port 53/UDP; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to kube-system/kube-dns (the kube-dns-upstream Service of the upstream manifests is not in the set: the path to the same CoreDNS Pods is shown through it) over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'route (lookup): DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) (hostNetwork: from its node\'s own address) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup, the cache\'s miss: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup, the cache\'s miss: delivered to 10.244.2.2: container coredns port 53 (dns)/TCP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; NodeLocal DNSCache answers from 169.254.20.10 or 10.96.0.10, whichever the query was sent to, from its cache or with CoreDNS\'s answer',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[0] (to podSelector {app=web}, TCP/8080)',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: [undefined, 'kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client\'s node (upstream kube-system/kube-dns)'],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, 'DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) connects to 10.96.0.10:53/TCP, the ClusterIP of kube-system/kube-dns port dns-tcp: a virtual address no interface holds; kube-proxy\'s rules on n1 (192.168.1.11) catch it');
    assert.equal(r.endpoints.length, 1);
  });
  it('NodeLocal DNSCache whose misses CoreDNS refuses: dropped, with the fix for the nodes\' addresses', () => {
    const r = trace(cluster({ nodeLocal: true, policies: [coreIn(rule([{ podSelector: sel({ app: 'api' }), namespaceSelector: sel({}) }]))] }), { from: fromApi, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'dropped',
      reason: 'the name never resolves: NodeLocal DNSCache\'s query to kube-system/kube-dns (10.96.0.10:53/TCP): NetworkPolicy drops it: ingress at kube-system/Deployment/coredns: DENIED: isolated by kube-system/coredns-in; no ingress rule allows kube-system/node-local-dns-a on TCP/53 (the same whether the network plugin sees the hostNetwork Pod kube-system/node-local-dns-a as its node, as most do, or as a Pod); allow ingress to the CoreDNS Pods on UDP and TCP 53 from the nodes\' addresses (NodeLocal DNSCache sends from the host network)',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on n1 (192.168.1.11): container node-cache port 53/UDP; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to kube-system/kube-dns (the kube-dns-upstream Service of the upstream manifests is not in the set: the path to the same CoreDNS Pods is shown through it) over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'route (lookup): DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) (hostNetwork: from its node\'s own address) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup, the cache\'s miss: ingress at kube-system/Deployment/coredns: DENIED: isolated by kube-system/coredns-in; no ingress rule allows kube-system/node-local-dns-a on TCP/53 (the same whether the network plugin sees the hostNetwork Pod kube-system/node-local-dns-a as its node, as most do, or as a Pod)',
        'pod (lookup): DNS lookup, the cache\'s miss: not delivered to 10.244.2.2: NetworkPolicy drops it first',
      ],
      servers: [undefined],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, 'DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) connects to 10.96.0.10:53/TCP, the ClusterIP of kube-system/kube-dns port dns-tcp: a virtual address no interface holds; kube-proxy\'s rules on n1 (192.168.1.11) catch it');
    assert.equal(r.endpoints.length, 0);
  });
  it('NodeLocal DNSCache under policies that could not be read: the lookup and the request both depend on them', () => {
    const r = trace(unreadPolicies(), { from: fromApi, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the NetworkPolicies in shop, which could not be read (forbidden (403)), allow it. NetworkPolicy allows it only if the NetworkPolicies in shop, which could not be read (forbidden (403)), allow it.',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: unknown: the NetworkPolicies in shop could not be read (forbidden (403)) (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on n1 (192.168.1.11): container node-cache port 53/UDP; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to kube-system/kube-dns (the kube-dns-upstream Service of the upstream manifests is not in the set: the path to the same CoreDNS Pods is shown through it) over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'route (lookup): DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) (hostNetwork: from its node\'s own address) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup, the cache\'s miss: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup, the cache\'s miss: delivered to 10.244.2.2: container coredns port 53 (dns)/TCP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; NodeLocal DNSCache answers from 169.254.20.10 or 10.96.0.10, whichever the query was sent to, from its cache or with CoreDNS\'s answer',
        'policy: egress at shop/api-1: unknown: the NetworkPolicies in shop could not be read (forbidden (403))',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: unknown: the NetworkPolicies in shop could not be read (forbidden (403))',
        'pod: if allowed, delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: [undefined, 'kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client\'s node (upstream kube-system/kube-dns)'],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, 'DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) connects to 10.96.0.10:53/TCP, the ClusterIP of kube-system/kube-dns port dns-tcp: a virtual address no interface holds; kube-proxy\'s rules on n1 (192.168.1.11) catch it');
    assert.equal(r.endpoints.length, 1);
  });
  it('NodeLocal DNSCache whose upstream has no port 53 and whose container declares none: no miss traced, no listener named', () => {
    const r = trace(upstreamWithout53(), { from: fromApi, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on n1 (192.168.1.11); it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to its upstream Service, which the set does not show, over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; NodeLocal DNSCache answers from 169.254.20.10 or 10.96.0.10, whichever the query was sent to, from its cache or with CoreDNS\'s answer',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: [undefined, 'kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client\'s node (upstream not in the set)'],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, undefined);
    assert.equal(r.endpoints.length, 1);
  });
  it('NodeLocal DNSCache whose upstream Service has no TCP/53: its force_tcp misses would find nothing, said so', () => {
    const r = trace(upstreamUdpOnly(), { from: fromApi, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'unresolved',
      reason: 'NodeLocal DNSCache\'s misses reach CoreDNS only if its Corefile does not force TCP (the upstream manifests set force_tcp): kube-system/kube-dns-upstream has no TCP/53 port.',
      hops: [
        'dns (lookup): DNS lookup: Pod shop/api-1 (10.244.1.5) sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on n1 (192.168.1.11) takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on n1 (192.168.1.11): container node-cache port 53/UDP; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to kube-system/kube-dns-upstream over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'route (lookup): DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) (hostNetwork: from its node\'s own address) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup, the cache\'s miss: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup, the cache\'s miss: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/api-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; NodeLocal DNSCache answers from 169.254.20.10 or 10.96.0.10, whichever the query was sent to, from its cache or with CoreDNS\'s answer',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/api-1 (10.244.1.5) -> to 10.244.1.6 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.6: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/api-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: [undefined, 'kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client\'s node (upstream kube-system/kube-dns-upstream)'],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, 'DNS lookup, the cache\'s miss: Pod kube-system/node-local-dns-a (192.168.1.11) connects to 10.96.0.11:53/UDP, the ClusterIP of kube-system/kube-dns-upstream port dns: a virtual address no interface holds; kube-proxy\'s rules on n1 (192.168.1.11) catch it');
    assert.equal(r.endpoints.length, 1);
  });
  it('NodeLocal DNSCache in manifests: the client\'s node and the cache\'s Pod unknown, the miss traced from one of its DaemonSet\'s Pods', () => {
    const r = trace(manifestsWithCache(), { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'api' }, to: toWebSvc });
    assert.deepEqual(whole(r), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080 (endpoints are symbolic: manifests carry no Pod IPs or nodes). Notes: manifests carry no Pod IPs, nodes or readiness: endpoints are symbolic, assumed ready once running.',
      hops: [
        'dns (lookup): DNS lookup: a Pod of shop/Deployment/api sends its query to 10.96.0.10:53/UDP, the nameserver of its resolv.conf (the kubelet\'s --cluster-dns); NodeLocal DNSCache (kube-system/DaemonSet/node-local-dns, on the host network of every node) listens on 169.254.20.10 and, with kube-proxy in iptables mode, on 10.96.0.10 too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on the client\'s node takes it (with kube-proxy in IPVS mode the kubelet must give Pods 169.254.20.10 as their nameserver instead)',
        'policy (lookup): DNS lookup: egress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default (toward NodeLocal DNSCache at 169.254.20.10 on the node, UDP/53)',
        'pod (lookup): DNS lookup: delivered to NodeLocal DNSCache on the client\'s node: container node-cache port 53/UDP; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to kube-system/kube-dns (the kube-dns-upstream Service of the upstream manifests is not in the set: the path to the same CoreDNS Pods is shown through it) over TCP (force_tcp in its Corefile), other names to the node\'s own resolvers',
        'route (lookup): DNS lookup, the cache\'s miss: a Pod of kube-system/DaemonSet/node-local-dns (hostNetwork: from its node\'s own address) -> the endpoint: on the same node the node\'s network namespace -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy (lookup): DNS lookup, the cache\'s miss: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup, the cache\'s miss: delivered to <kube-system/Deployment/coredns replica 1>: container coredns port 53 (dns)/TCP',
        'dns (lookup): a Pod of shop/Deployment/api asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.20; NodeLocal DNSCache answers from 169.254.20.10 or 10.96.0.10, whichever the query was sent to, from its cache or with CoreDNS\'s answer',
        'policy: egress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: a Pod of shop/Deployment/api -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to <shop/Deployment/web replica 1>: container web port 8080/TCP',
        'reply: the reply leaves the Pod addressed to a Pod of shop/Deployment/api; conntrack recognises the connection and rewrites its source back to 10.96.0.20:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      servers: [undefined, 'kube-system/kube-dns at 10.96.0.10:53/UDP, through NodeLocal DNSCache kube-system/DaemonSet/node-local-dns on the client\'s node (upstream kube-system/kube-dns)'],
    });
    assert.equal(r.hops.find((h) => h.lookup && h.kind === 'vip')?.detail, 'DNS lookup, the cache\'s miss: a Pod of kube-system/DaemonSet/node-local-dns connects to 10.96.0.10:53/TCP, the ClusterIP of kube-system/kube-dns port dns-tcp: a virtual address no interface holds; kube-proxy\'s rules on the client\'s node catch it');
    assert.equal(r.endpoints.length, 1);
  });
});

/** The kube-dns Service without the CoreDNS Pods behind it (their labels unknown). */
function withoutCoreDnsPods(m: NetworkModel): NetworkModel {
  m.workloads = m.workloads.filter((w) => w.name !== 'coredns');
  return m;
}

describe('trace: a lookup through dnsConfig nameservers that are the cluster\'s own', () => {
  it('NodeLocal DNSCache\'s hops light kube-dns and the cache (its Pod on the client\'s node), and carry no rules', () => {
    const m = cluster({ nodeLocal: true });
    const r = trace(m, { from: fromApi, to: toWebSvc });
    const names = new Map<string, string>();
    for (const w of m.workloads) {
      names.set(w.id, `${w.kind}/${w.name}`);
      for (const p of w.pods) names.set(p.id, `Pod/${p.name}`);
    }
    for (const svc of m.services) names.set(svc.id, `Service/${svc.name}`);
    // The client's leg (the cache's miss is said as such, the answer names the client).
    const cacheHops = r.hops.filter((h) => h.lookup && h.detail.startsWith('DNS lookup: '));
    assert.deepEqual(
      cacheHops.map((h) => [h.kind, h.rules.length, (h.objectIds ?? []).map((id) => names.get(id) ?? id)]),
      [
        ['dns', 0, ['Service/kube-dns', 'DaemonSet/node-local-dns', 'Pod/node-local-dns-a']],
        ['policy', 0, ['DaemonSet/node-local-dns', 'Pod/node-local-dns-a']],
        ['pod', 0, ['DaemonSet/node-local-dns', 'Pod/node-local-dns-a']],
      ],
    );
  });
  it('dnsPolicy None falling back to NodeLocal DNSCache\'s address: judged as that address (the cache is on the node), not as the CoreDNS Pods', () => {
    assert.deepEqual(whole(trace(withDns(cluster({ nodeLocal: true, policies: [apiEgress(ipRule('169.254.20.10/32', [udp53]), ipRule('0.0.0.0/0', [tcp(443)]))] }), { policy: 'None', searches: [], nameservers: ['1.1.1.1', '169.254.20.10'] }), { from: fromApi, to: toStripe })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward api.stripe.com on 443/TCP, seen there as 192.168.1.11; whether the upstream resolvers answer for api.stripe.com, and anything answers there, is outside the set',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (a resolv.conf the set does not show): api.stripe.com. is outside cluster.local, answered by the Pod\'s dnsConfig nameservers 1.1.1.1, 169.254.20.10; CoreDNS (at 169.254.20.10) only if the nameservers before it do not answer (dnsPolicy None: only the Pod\'s dnsConfig); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 169.254.20.10: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (1.1.1.1) on UDP/53',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 169.254.20.10: egress at shop/api-1: allowed by shop/api-egress egress[0] (to ipBlock 169.254.20.10/32, UDP/53)',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[1] (to ipBlock 0.0.0.0/0, TCP/443)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
      servers: ['the Pod\'s dnsConfig nameservers 1.1.1.1, 169.254.20.10: dnsPolicy None: only the Pod\'s dnsConfig'],
    });
  });
  it('dnsPolicy None, the first nameserver denied and the kube-dns fallback depending on the DNS Pods\' labels: undecided, not dropped', () => {
    assert.deepEqual(whole(trace(withDns(withoutCoreDnsPods(cluster({ policies: [apiEgress(toDnsPods, ipRule('0.0.0.0/0', [tcp(443)]))] })), { policy: 'None', searches: [], nameservers: ['1.1.1.1', '10.96.0.10'] }), { from: fromApi, to: toStripe })), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns.',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (a resolv.conf the set does not show): api.stripe.com. is outside cluster.local, answered by the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10; CoreDNS (at 10.96.0.10) only if the nameservers before it do not answer (dnsPolicy None: only the Pod\'s dnsConfig); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10: egress at shop/api-1: DENIED: isolated by shop/api-egress; no egress rule allows the nameserver (1.1.1.1) on UDP/53',
        'policy: the name lookup first, to the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10: egress at shop/api-1: depends: allowed only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns',
        'policy: egress at shop/api-1: allowed by shop/api-egress egress[1] (to ipBlock 0.0.0.0/0, TCP/443)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
      ],
      servers: ['the Pod\'s dnsConfig nameservers 1.1.1.1, 10.96.0.10: dnsPolicy None: only the Pod\'s dnsConfig'],
    });
  });
});
