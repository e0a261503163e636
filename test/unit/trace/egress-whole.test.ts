// Requests that leave the cluster, compared whole (verdict, reason, every
// hop's text as `kni trace` prints it): the DNS hop (the search path with
// ndots:5, then the upstream resolvers), the egress verdict at the source,
// the node's masquerade (SNAT to the node address; none from the host
// network or to an address of the Pod network; ip-masq-agent's private
// ranges), the way out, and the reply with conntrack undoing the masquerade.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { container, model, node, pod, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}
/** The verdict, the reason and every hop; a request that leaves the cluster has no endpoints of the set. */
function whole(r: TraceResult) {
  assert.deepEqual(r.endpoints, []);
  return { verdict: r.verdict, reason: r.reason, hops: r.hops.map((h) => `${h.kind}${h.lookup ? ' (lookup)' : ''}: ${h.detail}`) };
}

const dnsRule = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }, tcp(53)]);

/** shop/api (live: api-1 on n1; or a manifest's template), a Service shop/web, and api's egress rules when given. */
function world(egress?: ReturnType<typeof rule>[], live = true): NetworkModel {
  const api = workload('shop', 'api', { app: 'api' });
  if (live) api.pods = [pod('shop', 'api-1', '10.244.1.5', 'n1', { labels: { app: 'api' } })];
  return model({
    source: live ? 'cluster' : 'manifests',
    nodes: live ? [node('n1', '192.168.1.11', '10.244.1.0/24')] : [],
    workloads: [api],
    services: [service('shop', 'web', { app: 'web' }, [servicePort(80, 8080)], { clusterIP: '10.96.0.20' })],
    networkPolicies: egress ? [policy('shop', 'api-out', sel({ app: 'api' }), { egress, policyTypes: ['Egress'] })] : [],
  });
}
const fromApi = { kind: 'pod' as const, namespace: 'shop', name: 'api-1' };
const fromTemplate = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'api' };

describe('trace: egress to external destinations, whole', () => {
  it('a host: the search path misses, CoreDNS forwards it upstream, egress is open, the node masquerades and conntrack undoes it', () => {
    assert.deepEqual(whole(trace(world(), { from: fromApi, to: { kind: 'external', host: 'api.stripe.com', port: 443 } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward api.stripe.com on 443/TCP, seen there as 192.168.1.11; whether the upstream resolvers answer for api.stripe.com, and anything answers there, is outside the set',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.stripe.com.shop.svc.cluster.local. NXDOMAIN, api.stripe.com.svc.cluster.local. NXDOMAIN, api.stripe.com.cluster.local. NXDOMAIN; api.stripe.com. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
    });
  });
  it('an address and a UDP port: no lookup; masqueraded to the node address', () => {
    assert.deepEqual(whole(trace(world(), { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 53, protocol: 'UDP' } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward 8.8.8.8 on 53/UDP, seen there as 192.168.1.11; whether anything answers there is outside the set',
      hops: [
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): 8.8.8.8 sees 192.168.1.11, not the Pod\'s address',
        'external: out of the cluster to 8.8.8.8:53/UDP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
    });
  });
  it('a private address: ip-masq-agent\'s default nonMasqueradeCIDRs would keep the Pod\'s address, and which range says so', () => {
    assert.deepEqual(whole(trace(world(), { from: fromApi, to: { kind: 'external', ip: '10.20.0.5', port: 5432 } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward 10.20.0.5 on 5432/TCP, seen there as 192.168.1.11; whether anything answers there is outside the set',
      hops: [
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): 10.20.0.5 sees 192.168.1.11, not the Pod\'s address; with ip-masq-agent (GKE, some AKS and EKS setups) 10.0.0.0/8 is among its default nonMasqueradeCIDRs, and the destination then sees the Pod\'s own address',
        'external: out of the cluster to 10.20.0.5:5432/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
    });
  });
  it('an address of the cluster CIDR is a Pod address: no masquerade, routed in the Pod network, not out of the cluster', () => {
    assert.deepEqual(whole(trace(world(), { from: fromApi, to: { kind: 'external', ip: '10.244.9.9', port: 80 }, clusterCIDR: '10.244.0.0/16' })), {
      verdict: 'delivered',
      reason: 'goes to 10.244.9.9 on 80/TCP, a Pod address of the cluster CIDR; whether anything answers there is outside the set',
      hops: [
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: 10.244.9.9 is inside the cluster CIDR 10.244.0.0/16: a Pod address, routed Pod to Pod without masquerade (no Pod of the set has it)',
        'external: to 10.244.9.9:80/TCP, an address of the Pod network that no Pod of the set has: routed by the CNI plugin to the node that owns it; what answers there is outside the set',
        'reply: the reply comes back to Pod shop/api-1 (10.244.1.5)\'s own address, straight to Pod shop/api-1 (10.244.1.5); no NAT was done, none to undo',
      ],
    });
  });
  it('from a node: its own resolver, its own address, nothing to masquerade', () => {
    assert.deepEqual(whole(trace(world(), { from: { kind: 'node', name: 'n1' }, to: { kind: 'external', host: 'api.stripe.com', port: 443 } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward api.stripe.com on 443/TCP; whether the upstream resolvers answer for api.stripe.com, and anything answers there, is outside the set',
      hops: [
        'dns: node n1 (192.168.1.11) resolves "api.stripe.com" with the node\'s own resolver (its resolv.conf is not in the set)',
        'snat: node n1 (192.168.1.11) sends from node n1 (192.168.1.11)\'s own address: no masquerade; api.stripe.com sees 192.168.1.11',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11, straight to node n1 (192.168.1.11); no NAT was done, none to undo',
      ],
    });
  });
  it('a workload of manifests, no port: every port, the node unnamed', () => {
    assert.deepEqual(whole(trace(world(undefined, false), { from: fromTemplate, to: { kind: 'external', host: 'example.com' } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward example.com on every TCP port, seen there as the node\'s address; whether the upstream resolvers answer for example.com, and anything answers there, is outside the set',
      hops: [
        'dns: a Pod of shop/Deployment/api asks "example.com" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): example.com.shop.svc.cluster.local. NXDOMAIN, example.com.svc.cluster.local. NXDOMAIN, example.com.cluster.local. NXDOMAIN; example.com. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show); the address example.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: egress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, the Pod\'s node masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): example.com sees the node\'s address, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to example.com/TCP through the node\'s default route; what answers there is outside the set',
        'reply: the reply comes back to the node\'s address; conntrack undoes the masquerade and hands it to a Pod of shop/Deployment/api',
      ],
    });
  });
  it('egress restricted and no port: the port is asked for, an IPv6 address in brackets', () => {
    assert.deepEqual(whole(trace(world([dnsRule, rule([{ ipBlock: { cidr: '::/0', except: [] } }], [tcp(443)])]), { from: fromApi, to: { kind: 'external', ip: '2001:db8::1' } })), {
      verdict: 'unresolved',
      reason: 'Pod shop/api-1 (10.244.1.5)\'s egress is restricted and no rule allows every port to 2001:db8::1: give the port (external:[2001:db8::1]:PORT) for a verdict',
      hops: [
        'policy: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows an external address (2001:db8::1) on TCP/0 (no port given: only a rule that allows every port decides here)',
      ],
    });
  });
  it('an address in an except block: dropped at the source, nothing masqueraded or sent', () => {
    assert.deepEqual(whole(trace(world([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['8.8.0.0/16'] } }], [tcp(443)])]), { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 443 } })), {
      verdict: 'dropped',
      reason: 'NetworkPolicy drops it at the source: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows an external address (8.8.8.8) on TCP/443',
      hops: [
        'policy: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows an external address (8.8.8.8) on TCP/443',
      ],
    });
  });
  it('a host under an ipBlock rule: the verdict hangs on the address it resolves to (and the DNS Pods\' labels), no reply promised', () => {
    assert.deepEqual(whole(trace(world([dnsRule, rule([{ ipBlock: { cidr: '52.0.0.0/8', except: [] } }], [tcp(443)])]), { from: fromApi, to: { kind: 'external', host: 'api.stripe.com', port: 443 } })), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns. Depends on the address api.stripe.com resolves to (the upstream resolvers\' answer, not in the set): egress allows it only if api.stripe.com\'s address is in 52.0.0.0/8.',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.stripe.com.shop.svc.cluster.local. NXDOMAIN, api.stripe.com.svc.cluster.local. NXDOMAIN, api.stripe.com.cluster.local. NXDOMAIN; api.stripe.com. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first: egress at shop/api-1: depends: allowed only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns',
        'policy: egress at shop/api-1: depends: allowed only if api.stripe.com\'s address is in 52.0.0.0/8',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
      ],
    });
  });
  it('a name of the cluster domain that does not exist: NXDOMAIN, the trace ends at the answer', () => {
    assert.deepEqual(whole(trace(world(), { from: fromApi, to: { kind: 'external', host: 'nope.shop.svc.cluster.local.', port: 80 } })), {
      verdict: 'unresolved',
      reason: '"nope.shop.svc.cluster.local." does not resolve from Pod shop/api-1 (10.244.1.5): NXDOMAIN for every name tried',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "nope.shop.svc.cluster.local." (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): nope.shop.svc.cluster.local. NXDOMAIN; NXDOMAIN: no such name in the cluster domain',
      ],
    });
  });
  it('a single label the cluster does not have: most likely a mistyped Service, said so', () => {
    assert.deepEqual(whole(trace(world(), { from: fromApi, to: { kind: 'external', host: 'billing', port: 80 } })), {
      verdict: 'unresolved',
      reason: 'billing is no name of the cluster, and a single label resolves outside it only if the upstream resolvers know it (public DNS does not): check the name; if they do answer for it, it leaves the cluster toward billing on 80/TCP, seen there as 192.168.1.11',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "billing" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): billing.shop.svc.cluster.local. NXDOMAIN, billing.svc.cluster.local. NXDOMAIN, billing.cluster.local. NXDOMAIN; billing. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show); the address billing resolves to is the upstream resolvers\' answer, not in the set',
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): billing sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to billing:80/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
    });
  });
  it('an external client to an external address: the request never crosses the cluster', () => {
    assert.deepEqual(whole(trace(world(), { from: { kind: 'external', ip: '1.2.3.4' }, to: { kind: 'external', ip: '8.8.8.8', port: 53 } })), {
      verdict: 'unresolved',
      reason: '8.8.8.8 is outside the cluster and so is the client: the request never crosses the cluster (give --from pod/NS/NAME or workload/NS/KIND/NAME)',
      hops: [],
    });
  });
  it('anywhere outside, on every port (the inspector\'s outside node)', () => {
    assert.deepEqual(whole(trace(world(), { from: fromApi, to: { kind: 'external' } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward an address outside the cluster on every TCP port, seen there as 192.168.1.11; whether anything answers there is outside the set',
      hops: [
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): an address outside the cluster sees 192.168.1.11, not the Pod\'s address; if it is a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to an address outside the cluster on every TCP port through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
    });
  });
});

/** Each hop's kind, the objects it lights (by kind and name) and its rules. */
function lit(m: NetworkModel, r: TraceResult) {
  const names = new Map<string, string>();
  for (const w of m.workloads) {
    names.set(w.id, `${w.kind}/${w.name}`);
    for (const p of w.pods) names.set(p.id, `Pod/${p.name}`);
  }
  for (const p of m.networkPolicies) names.set(p.id, `NetworkPolicy/${p.name}`);
  return r.hops.map((h) => ({ kind: h.kind, objects: (h.objectIds ?? []).map((id) => names.get(id) ?? id), rules: h.rules }));
}

describe('trace: egress hops light the objects they are about', () => {
  it('the client for the masquerade and the reply; the policy for its verdict; nothing outside the set', () => {
    const m = world([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)])]);
    assert.deepEqual(lit(m, trace(m, { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 443 } })), [
      { kind: 'policy', objects: ['NetworkPolicy/api-out'], rules: [] },
      { kind: 'snat', objects: ['Deployment/api', 'Pod/api-1'], rules: [] },
      { kind: 'external', objects: [], rules: [] },
      { kind: 'reply', objects: [], rules: [] },
    ]);
    const open = world();
    assert.deepEqual(lit(open, trace(open, { from: fromApi, to: { kind: 'external', ip: '10.244.9.9', port: 80 }, clusterCIDR: '10.244.0.0/16' })), [
      { kind: 'policy', objects: [], rules: [] },
      { kind: 'snat', objects: ['Deployment/api', 'Pod/api-1'], rules: [] },
      { kind: 'external', objects: [], rules: [] },
      { kind: 'reply', objects: [], rules: [] },
    ]);
    const node = world();
    assert.deepEqual(lit(node, trace(node, { from: { kind: 'node', name: 'n1' }, to: { kind: 'external', host: 'example.com', port: 443 } })).map((h) => h.objects.length + h.rules.length), [0, 1, 0, 0]);
  });
  it('a denial at the source is the last hop and lights its policy; the verdict has no endpoints', () => {
    const m = world([dnsRule]);
    const r = trace(m, { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 443 } });
    assert.deepEqual([r.verdict, r.endpoints, lit(m, r)], ['dropped', [], [{ kind: 'policy', objects: ['NetworkPolicy/api-out'], rules: [] }]]);
    const none = trace(m, { from: fromApi, to: { kind: 'external', ip: '8.8.8.8' } });
    assert.deepEqual([none.verdict, none.endpoints, lit(m, none)], ['unresolved', [], [{ kind: 'policy', objects: ['NetworkPolicy/api-out'], rules: [] }]]);
  });
});

/** The verdict, the reason, each hop but kube-proxy's (the lookup's trip has them), and each hop's policy verdict. */
function judged(r: TraceResult) {
  assert.deepEqual(r.endpoints, []);
  const shown = r.hops.filter((h) => !['vip', 'kube-proxy', 'dnat'].includes(h.kind));
  return { verdict: r.verdict, reason: r.reason, hops: shown.map((h) => `${h.kind}${h.lookup ? ' (lookup)' : ''}: ${h.detail}`), verdicts: shown.map((h) => h.policy?.allowed) };
}
function withClusterDns(m: NetworkModel): NetworkModel {
  const dns = container('coredns', [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }]);
  const core = workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { containers: [dns] });
  core.pods = [pod('kube-system', 'coredns-1', '10.244.1.2', 'n1', { labels: { 'k8s-app': 'kube-dns' } })];
  m.workloads.push(core);
  m.services.push(service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [servicePort(53, 53, 'dns', { protocol: 'UDP' }), servicePort(53, 53, 'dns-tcp')], { clusterIP: '10.96.0.10' }));
  return m;
}
/** An AdminNetworkPolicy allowing TCP/443 to anywhere from every namespace. */
function withAdminPolicy(): NetworkModel {
  const m = world();
  const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: web-only}
spec:
  priority: 10
  subject: {namespaces: {}}
  egress:
  - name: https-out
    action: Allow
    to: [{networks: [0.0.0.0/0]}]
    ports: [{portNumber: {protocol: TCP, port: 443}}]
`;
  m.adminNetworkPolicies = buildModel([parseManifestFile('anp.yaml', anp, { defaultNamespace: 'default' })], 'default').adminNetworkPolicies;
  return m;
}

describe('trace: egress, the lookup and the verdict at each hop', () => {
  it('a name that does not exist, egress denying DNS, no cluster DNS in the set: the answer is NXDOMAIN whoever asks; no egress check is made up', () => {
    assert.deepEqual(judged(trace(world([rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)])]), { from: fromApi, to: { kind: 'external', host: 'nope.shop.svc.cluster.local.', port: 443 } })), {
      verdict: 'unresolved',
      reason: '"nope.shop.svc.cluster.local." does not resolve from Pod shop/api-1 (10.244.1.5): NXDOMAIN for every name tried',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "nope.shop.svc.cluster.local." (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): nope.shop.svc.cluster.local. NXDOMAIN; NXDOMAIN: no such name in the cluster domain',
      ],
      verdicts: [undefined],
    });
  });
  it('the same with the cluster DNS in the set: the lookup\'s trip is traced and denied at the client', () => {
    assert.deepEqual(judged(trace(withClusterDns(world([rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)])])), { from: fromApi, to: { kind: 'external', host: 'nope.shop.svc.cluster.local.', port: 443 } })), {
      verdict: 'dropped',
      reason: 'the name never resolves: the DNS query to kube-system/kube-dns (10.96.0.10:53/UDP): NetworkPolicy drops it: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows kube-system/Deployment/coredns on UDP/53; allow egress from Pod shop/api-1 (10.244.1.5) to the DNS Pods (namespace kube-system, k8s-app=kube-dns) on UDP and TCP 53',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows kube-system/Deployment/coredns on UDP/53',
      ],
      verdicts: ['no'],
    });
  });
  it('a Pod\'s DNS name as the host: it answers inside the cluster domain, but names no Service', () => {
    assert.deepEqual(judged(trace(world(), { from: fromApi, to: { kind: 'external', host: '10-244-1-9.shop.pod.cluster.local', port: 80 } })), {
      verdict: 'unresolved',
      reason: '"10-244-1-9.shop.pod.cluster.local" does not resolve from Pod shop/api-1 (10.244.1.5): it answers inside the cluster domain but names no Service of the set',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "10-244-1-9.shop.pod.cluster.local" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): 10-244-1-9.shop.pod.cluster.local.shop.svc.cluster.local. NXDOMAIN, 10-244-1-9.shop.pod.cluster.local.svc.cluster.local. NXDOMAIN, 10-244-1-9.shop.pod.cluster.local.cluster.local. NXDOMAIN; 10-244-1-9.shop.pod.cluster.local. answers',
      ],
      verdicts: [undefined],
    });
  });
  it('anywhere outside on a port, egress restricted: denied, naming the destination as the inspector\'s outside node', () => {
    assert.deepEqual(judged(trace(world([dnsRule]), { from: fromApi, to: { kind: 'external', port: 443 } })), {
      verdict: 'dropped',
      reason: 'NetworkPolicy drops it at the source: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows the destination on TCP/443',
      hops: [
        'policy: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows the destination on TCP/443',
      ],
      verdicts: ['no'],
    });
  });
  it('egress allows the address but the lookup depends on the DNS Pods\' labels: undecided, and no reply is promised', () => {
    assert.deepEqual(judged(trace(world([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)])]), { from: fromApi, to: { kind: 'external', host: 'api.stripe.com', port: 443 } })), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns.',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.stripe.com.shop.svc.cluster.local. NXDOMAIN, api.stripe.com.svc.cluster.local. NXDOMAIN, api.stripe.com.cluster.local. NXDOMAIN; api.stripe.com. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first: egress at shop/api-1: depends: allowed only if the labels of the cluster DNS Pods (kube-system, not in the set) match k8s-app=kube-dns',
        'policy: egress at shop/api-1: allowed by shop/api-out egress[1] (to ipBlock 0.0.0.0/0, TCP/443)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
      ],
      verdicts: [undefined, 'unknown', 'yes', undefined, undefined],
    });
  });
  it('an admin network policy in the set and no port: the port is asked for, since an admin tier may decide per port', () => {
    assert.deepEqual(judged(trace(withAdminPolicy(), { from: fromApi, to: { kind: 'external', ip: '8.8.8.8' } })), {
      verdict: 'unresolved',
      reason: 'Pod shop/api-1 (10.244.1.5)\'s egress is restricted and admin network policies may decide per port: give the port (external:8.8.8.8:PORT) for a verdict',
      hops: [
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it, and no admin policy rule decides): allowed by default (no port given: only a rule that allows every port decides here)',
      ],
      verdicts: ['yes'],
    });
  });
  it('the same with the port: the admin rule decides and is named', () => {
    assert.deepEqual(judged(trace(withAdminPolicy(), { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 443 } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward 8.8.8.8 on 443/TCP, seen there as 192.168.1.11; whether anything answers there is outside the set',
      hops: [
        'policy: egress at shop/api-1: allowed by AdminNetworkPolicy web-only (priority 10) egress[0] "https-out" (action Allow; NetworkPolicies are not consulted)',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): 8.8.8.8 sees 192.168.1.11, not the Pod\'s address',
        'external: out of the cluster to 8.8.8.8:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
      verdicts: ['yes', undefined, undefined, undefined],
    });
  });
  it('an IPv6 address under an IPv4-only ipBlock: denied', () => {
    assert.deepEqual(judged(trace(world([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)])]), { from: fromApi, to: { kind: 'external', ip: '2001:db8::1', port: 443 } })), {
      verdict: 'dropped',
      reason: 'NetworkPolicy drops it at the source: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows an external address (2001:db8::1) on TCP/443',
      hops: [
        'policy: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows an external address (2001:db8::1) on TCP/443',
      ],
      verdicts: ['no'],
    });
  });
});

function unreadPolicies(): NetworkModel {
  const m = world();
  m.unread = [{ resource: 'networkpolicies', namespace: 'shop', reason: 'forbidden (403)', consequence: 'policy verdicts unknown' }];
  return m;
}
function onMissingNode(): NetworkModel {
  const m = world();
  m.workloads[0].pods[0].nodeName = 'n9';
  return m;
}

describe('trace: egress when the set cannot say everything', () => {
  it('policies that could not be read, to an address: the verdict depends on them, and nothing else', () => {
    assert.deepEqual(judged(trace(unreadPolicies(), { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 443 } })), {
      verdict: 'unresolved',
      reason: 'egress allows it only if the NetworkPolicies in shop, which could not be read (forbidden (403)), allow it.',
      hops: [
        'policy: egress at shop/api-1: unknown: the NetworkPolicies in shop could not be read (forbidden (403))',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): 8.8.8.8 sees 192.168.1.11, not the Pod\'s address',
        'external: out of the cluster to 8.8.8.8:443/TCP through n1\'s default route; what answers there is outside the set',
      ],
      verdicts: ['unknown', undefined, undefined],
    });
  });
  it('policies that could not be read, to a host: the lookup too, and the address it resolves to', () => {
    assert.deepEqual(judged(trace(unreadPolicies(), { from: fromApi, to: { kind: 'external', host: 'api.stripe.com', port: 443 } })), {
      verdict: 'unresolved',
      reason: 'the name resolves only if the NetworkPolicies in shop, which could not be read (forbidden (403)), allow it. Depends on the address api.stripe.com resolves to (the upstream resolvers\' answer, not in the set): egress allows it only if the NetworkPolicies in shop, which could not be read (forbidden (403)), allow it.',
      hops: [
        'dns: Pod shop/api-1 (10.244.1.5) asks "api.stripe.com" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.stripe.com.shop.svc.cluster.local. NXDOMAIN, api.stripe.com.svc.cluster.local. NXDOMAIN, api.stripe.com.cluster.local. NXDOMAIN; api.stripe.com. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show); the address api.stripe.com resolves to is the upstream resolvers\' answer, not in the set',
        'policy: the name lookup first: egress at shop/api-1: unknown: the NetworkPolicies in shop could not be read (forbidden (403)) (toward the cluster DNS Pods (kube-system, not in the set), UDP/53)',
        'policy: egress at shop/api-1: unknown: the NetworkPolicies in shop could not be read (forbidden (403))',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): api.stripe.com sees 192.168.1.11, not the Pod\'s address; if the name resolves to a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod\'s own address',
        'external: out of the cluster to api.stripe.com:443/TCP through n1\'s default route; what answers there is outside the set',
      ],
      verdicts: [undefined, 'unknown', 'unknown', undefined, undefined],
    });
  });
  it('anywhere outside, no port, egress restricted: the port is asked for in the form kni takes', () => {
    assert.deepEqual(judged(trace(world([dnsRule]), { from: fromApi, to: { kind: 'external' } })), {
      verdict: 'unresolved',
      reason: 'Pod shop/api-1 (10.244.1.5)\'s egress is restricted and no rule allows every port to an address outside the cluster: give the port (external:IP:PORT) for a verdict',
      hops: [
        'policy: egress at shop/api-1: DENIED: isolated by shop/api-out; no egress rule allows the destination on TCP/0 (no port given: only a rule that allows every port decides here)',
      ],
      verdicts: ['no'],
    });
  });
  it('a Pod on a node the set does not list: the node named, its address unknown', () => {
    assert.deepEqual(judged(trace(onMissingNode(), { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 443 } })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward 8.8.8.8 on 443/TCP, seen there as n9\'s address; whether anything answers there is outside the set',
      hops: [
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, node n9 masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR): 8.8.8.8 sees n9\'s address, not the Pod\'s address',
        'external: out of the cluster to 8.8.8.8:443/TCP through n9\'s default route; what answers there is outside the set',
        'reply: the reply comes back to n9\'s address; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
      verdicts: [undefined, undefined, undefined, undefined],
    });
  });
  it('with the cluster CIDR known, an address outside it is masqueraded, and the CIDR is named', () => {
    assert.deepEqual(judged(trace(world(), { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 443 }, clusterCIDR: '10.244.0.0/16' })), {
      verdict: 'delivered',
      reason: 'leaves the cluster toward 8.8.8.8 on 443/TCP, seen there as 192.168.1.11; whether anything answers there is outside the set',
      hops: [
        'policy: egress at shop/api-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'snat: leaving the Pod network, node n1 (192.168.1.11) masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR 10.244.0.0/16): 8.8.8.8 sees 192.168.1.11, not the Pod\'s address',
        'external: out of the cluster to 8.8.8.8:443/TCP through n1\'s default route; what answers there is outside the set',
        'reply: the reply comes back to 192.168.1.11; conntrack undoes the masquerade and hands it to Pod shop/api-1 (10.244.1.5)',
      ],
      verdicts: [undefined, undefined, undefined, undefined],
    });
  });
});
