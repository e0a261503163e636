// Requests that leave the cluster: the DNS hop (search path, then the
// upstream resolvers), the lookup's own egress check, the egress verdict at
// the source naming the rule (ipBlock/except, ports), the node's masquerade,
// and the verdict; a host or address that is the cluster's is traced as such.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { Analysis } from '../../../src/core/analysis';
import { traceRequest, type TraceOptions } from '../../../src/core/trace';
import { model, node, policy, pod, rule, sel, service, servicePort, tcp, workload, ingress } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions) {
  return traceRequest(m, new ModelIndex(m), o);
}

const dnsRule = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }, tcp(53)]);
const fromApi = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'api' };

function shop(egress?: ReturnType<typeof rule>[]): NetworkModel {
  const api = workload('shop', 'api', { app: 'api' });
  const web = workload('shop', 'web', { app: 'web' }, { ports: [8080] });
  return model({
    workloads: [api, web, workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { ports: [53] })],
    services: [service('shop', 'web', { app: 'web' }, [servicePort(80, 8080)], { clusterIP: '10.96.0.20' })],
    networkPolicies: egress ? [policy('shop', 'api-egress', sel({ app: 'api' }), { egress, policyTypes: ['Egress'] })] : [],
  });
}

describe('trace: egress to external destinations', () => {
  it('a URL no Ingress names: the search path misses, the upstream resolvers answer, the ipBlock rule allows it, the node masquerades', () => {
    const m = shop([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)])]);
    const r = trace(m, { from: fromApi, to: { kind: 'url', url: 'https://api.stripe.com/v1/charges', inCluster: true } });
    assert.deepEqual(r.hops.map((h) => h.kind), ['dns', 'policy', 'policy', 'snat', 'external']);
    assert.match(r.hops[0].detail, /asks "api\.stripe\.com" \(search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local, ndots:5\): api\.stripe\.com\.shop\.svc\.cluster\.local\. NXDOMAIN, api\.stripe\.com\.svc\.cluster\.local\. NXDOMAIN, api\.stripe\.com\.cluster\.local\. NXDOMAIN; api\.stripe\.com\. is outside cluster\.local/);
    assert.match(r.hops[1].detail, /^the name lookup first: egress at .*: allowed by shop\/api-egress egress\[0\]/);
    // The address is not known, but 0.0.0.0/0 except 10.0.0.0/8 cannot decide it: the verdict says so.
    assert.equal(r.hops[2].policy?.allowed, 'unknown');
    assert.match(r.verdict, /unresolved/);
    assert.match(r.reason, /^depends on the address api\.stripe\.com resolves to \(the upstream resolvers' answer, not in the set\): egress allows it only if api\.stripe\.com's address is in 0\.0\.0\.0\/0 except 10\.0\.0\.0\/8/);
    assert.match(r.hops[3].detail, /masquerades the connection \(SNAT to the node address/);
  });
  it('two open conditions (the DNS Pods are not in the set, the address is unknown) are two sentences of the reason', () => {
    const m = shop([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)])]);
    m.workloads = m.workloads.filter((w) => w.namespace !== 'kube-system');
    const r = trace(m, { from: fromApi, to: { kind: 'name', name: 'api.stripe.com', port: 443 } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /^the name resolves only if the labels of the cluster DNS Pods \(kube-system, not in the set\) match k8s-app=kube-dns\. Depends on the address api\.stripe\.com resolves to /);
    // The lookup's hop names the DNS Pods once, not again in a "toward" clause.
    assert.match(r.hops[1].detail, /^the name lookup first: egress at .*: depends: allowed only if the labels of the cluster DNS Pods \(kube-system, not in the set\) match k8s-app=kube-dns$/);
  });
  it('an address: the ipBlock rule decides and is named; the destination sees the node address', () => {
    const m = shop([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)])]);
    m.nodes = [node('n1', '192.168.1.11', '10.244.1.0/24')];
    m.workloads[0].pods = [pod('shop', 'api-1', '10.244.1.5', 'n1')];
    const r = trace(m, { from: fromApi, to: { kind: 'external', ip: '54.187.174.169', port: 443 } });
    assert.equal(r.verdict, 'delivered');
    assert.deepEqual(r.hops.map((h) => h.kind), ['policy', 'snat', 'external', 'reply']);
    assert.match(r.hops[0].detail, /allowed by shop\/api-egress egress\[1\] \(to ipBlock 0\.0\.0\.0\/0 except 10\.0\.0\.0\/8, TCP\/443\)/);
    assert.match(r.hops[1].detail, /node n1 \(192\.168\.1\.11\) masquerades .*54\.187\.174\.169 sees 192\.168\.1\.11, not the Pod's address$/);
    assert.match(r.reason, /leaves the cluster toward 54\.187\.174\.169 on 443\/TCP, seen there as 192\.168\.1\.11/);
  });
  it('an address in the except block, or on a port no rule lists: dropped, naming the isolating policy', () => {
    const m = shop([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)])]);
    const inExcept = trace(m, { from: fromApi, to: { kind: 'external', ip: '10.1.2.3', port: 443 } });
    assert.equal(inExcept.verdict, 'dropped');
    assert.match(inExcept.reason, /DENIED: isolated by shop\/api-egress; no egress rule allows an external address \(10\.1\.2\.3\) on TCP\/443/);
    const otherPort = trace(m, { from: fromApi, to: { kind: 'external', ip: '54.1.2.3', port: 80 } });
    assert.equal(otherPort.verdict, 'dropped');
    const udp = trace(m, { from: fromApi, to: { kind: 'external', ip: '54.1.2.3', port: 443, protocol: 'UDP' } });
    assert.equal(udp.verdict, 'dropped');
  });
  it('no port: a verdict only when nothing restricts egress, else the port is asked for', () => {
    assert.equal(trace(shop(), { from: fromApi, to: { kind: 'external', ip: '1.1.1.1' } }).verdict, 'delivered');
    const r = trace(shop([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)])]), { from: fromApi, to: { kind: 'external', ip: '1.1.1.1' } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /give the port \(external:1\.1\.1\.1:PORT\)/);
    const all = trace(shop([rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }])]), { from: fromApi, to: { kind: 'external', ip: '1.1.1.1' } });
    assert.equal(all.verdict, 'delivered');
  });
  it('egress isolated without a DNS rule: the name never resolves, whatever allows the address', () => {
    const m = shop([rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(443)])]);
    const r = trace(m, { from: fromApi, to: { kind: 'url', url: 'https://api.stripe.com', inCluster: true } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^the name never resolves/);
  });
  it('a private address: ip-masq-agent keeping the Pod address is said; the cluster CIDR means a Pod address', () => {
    const m = shop();
    const r = trace(m, { from: fromApi, to: { kind: 'external', ip: '192.168.50.10', port: 5432 } });
    assert.match(r.hops.find((h) => h.kind === 'snat')!.detail, /192\.168\.0\.0\/16 is among its default nonMasqueradeCIDRs/);
    const pods = trace(m, { from: fromApi, to: { kind: 'external', ip: '10.244.9.9', port: 80 }, clusterCIDR: '10.244.0.0/16' });
    assert.match(pods.hops.find((h) => h.kind === 'snat')!.detail, /inside the cluster CIDR 10\.244\.0\.0\/16: a Pod address, routed Pod to Pod without masquerade/);
  });
  it('a host or address that is the cluster\'s is traced as that Service', () => {
    const m = shop();
    const byUrl = trace(m, { from: fromApi, to: { kind: 'url', url: 'http://web/', inCluster: true } });
    assert.equal(byUrl.verdict, 'delivered');
    assert.ok(byUrl.hops.some((h) => h.kind === 'kube-proxy'));
    const byIp = trace(m, { from: fromApi, to: { kind: 'external', ip: '10.96.0.20', port: 80 } });
    assert.ok(byIp.hops.some((h) => h.kind === 'kube-proxy'));
  });
  it('a host an Ingress names is still matched against the Ingress; from outside, an external destination is refused', () => {
    const m = shop();
    m.ingresses = [ingress('shop', 'web', { rules: [{ host: 'shop.example.com', paths: [{ path: '/', pathType: 'Prefix', backend: { service: 'web', port: 80 } }] }] })];
    const r = trace(m, { from: fromApi, to: { kind: 'url', url: 'https://shop.example.com/', inCluster: true } });
    assert.equal(r.hops[0].kind, 'ingress');
    const ext = trace(m, { from: { kind: 'external' }, to: { kind: 'external', ip: '1.1.1.1', port: 443 } });
    assert.equal(ext.verdict, 'unresolved');
    assert.match(ext.reason, /never crosses the cluster/);
  });
  it('a hostNetwork client sends from its node address: no policy, no masquerade', () => {
    const m = shop();
    m.workloads[0].hostNetwork = true;
    const r = trace(m, { from: fromApi, to: { kind: 'external', ip: '8.8.8.8', port: 53, protocol: 'UDP' } });
    assert.equal(r.verdict, 'delivered');
    assert.match(r.hops.find((h) => h.kind === 'snat')!.detail, /own address: no masquerade/);
  });
});

describe('trace: egress decided by an admin tier', () => {
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: app, image: app}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-internet}
spec:
  priority: 10
  subject: {namespaces: {}}
  egress:
  - name: allow-partner
    action: Allow
    to: [{networks: [203.0.113.0/24]}]
  - name: deny-the-rest
    action: Deny
    to: [{networks: [0.0.0.0/0]}]
`;
  function analysed() {
    const a = new Analysis();
    a.setFile('set.yaml', yaml);
    return { m: a.model(), index: a.index() };
  }
  const from = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'app' };
  it('the networks peer decides, and the hop names the tier and the rule', () => {
    const { m, index } = analysed();
    const denied = traceRequest(m, index, { from, to: { kind: 'external', ip: '8.8.8.8', port: 443 } });
    assert.equal(denied.verdict, 'dropped');
    assert.match(denied.reason, /AdminNetworkPolicy no-internet \(priority 10\) egress\[1\] "deny-the-rest"/);
    const partner = traceRequest(m, index, { from, to: { kind: 'external', ip: '203.0.113.9', port: 443 } });
    assert.equal(partner.verdict, 'delivered', partner.reason);
    assert.match(partner.hops[0].detail, /"allow-partner"/);
  });
});

describe('trace: --to NAME outside the cluster (api.stripe.com:443)', () => {
  const to = (name: string, port?: number | string) => ({ kind: 'name' as const, name, ...(port !== undefined ? { port } : {}) });
  it('the search path first (ndots:5), then the external name; an ipBlock can only depend on the address the name resolves to', () => {
    const m = shop([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)])]);
    const r = trace(m, { from: fromApi, to: to('api.stripe.com', 443) });
    assert.deepEqual(r.hops.map((h) => h.kind), ['dns', 'policy', 'policy', 'snat', 'external']);
    assert.match(r.hops[0].detail, /api\.stripe\.com\.shop\.svc\.cluster\.local\. NXDOMAIN, api\.stripe\.com\.svc\.cluster\.local\. NXDOMAIN, api\.stripe\.com\.cluster\.local\. NXDOMAIN; api\.stripe\.com\. is outside cluster\.local/);
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /^depends on the address api\.stripe\.com resolves to \(the upstream resolvers' answer, not in the set\): egress allows it only if api\.stripe\.com's address is in 0\.0\.0\.0\/0 except 10\.0\.0\.0\/8\.$/);
  });
  it('what can be judged without the address is: egress not restricted, a rule to everywhere, no rule for the port', () => {
    assert.equal(trace(shop(), { from: fromApi, to: to('api.stripe.com', 443) }).verdict, 'delivered');
    const anywhere = trace(shop([dnsRule, rule([], [tcp(443)])]), { from: fromApi, to: to('api.stripe.com', 443) });
    assert.equal(anywhere.verdict, 'delivered', anywhere.reason);
    assert.match(anywhere.reason, /leaves the cluster toward api\.stripe\.com on 443\/TCP/);
    const wrongPort = trace(shop([dnsRule, rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)])]), { from: fromApi, to: to('api.stripe.com', 25) });
    assert.equal(wrongPort.verdict, 'dropped');
    assert.match(wrongPort.reason, /no egress rule allows api\.stripe\.com on TCP\/25/);
    const noEgress = trace(shop([dnsRule]), { from: fromApi, to: to('api.stripe.com', 443) });
    assert.equal(noEgress.verdict, 'dropped');
  });
  it('a short name the cluster does not have tries the cluster suffixes, then goes out as itself', () => {
    const r = trace(shop(), { from: fromApi, to: to('payments', 8443) });
    assert.match(r.hops[0].detail, /payments\.shop\.svc\.cluster\.local\. NXDOMAIN, payments\.svc\.cluster\.local\. NXDOMAIN, payments\.cluster\.local\. NXDOMAIN; payments\. is outside cluster\.local/);
    // A single label the cluster does not have is most likely a typo: not "delivered".
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /^payments is no name of the cluster, and a single label resolves outside it only if the upstream resolvers know it \(public DNS does not\): check the name; if they do answer for it, it leaves the cluster toward payments on /);
    // A name with a dot outside the cluster leaves it as itself.
    assert.equal(trace(shop(), { from: fromApi, to: to('api.stripe.com', 443) }).verdict, 'delivered');
    // A name of the cluster is still its Service.
    assert.equal(trace(shop(), { from: fromApi, to: to('web', 80) }).hops.some((h) => h.kind === 'kube-proxy' || h.kind === 'vip'), true);
  });
  it('a port name means nothing outside the cluster: asked for as a number', () => {
    const r = trace(shop(), { from: fromApi, to: to('api.stripe.com', 'https') });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /a port name \("https"\) means nothing there; give the number \(api\.stripe\.com:PORT\)/);
  });
});

describe('trace: egress to a name allowed by ClusterNetworkPolicy domainNames', () => {
  // An allowlist of names above a Deny of every network, as the API's documentation advises.
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: app, image: app}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: egress-allowlist}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {}}
  egress:
  - name: dns
    action: Accept
    to: [{namespaces: {}}]
    protocols: [{udp: {destinationPort: {number: 53}}}]
  - name: payments
    action: Accept
    to: [{domainNames: [api.stripe.com, "*.paypal.com"]}]
  - name: nothing-else
    action: Deny
    to: [{networks: [0.0.0.0/0, "::/0"]}]
`;
  function analysed() {
    const a = new Analysis();
    a.setFile('set.yaml', yaml);
    assert.deepEqual(a.findings().filter((f) => f.severity === 'error').map((f) => f.message), []);
    return { m: a.model(), index: a.index() };
  }
  const from = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'app' };
  it('the name asked for matches exactly or under *.: accepted; another name: denied', () => {
    const { m, index } = analysed();
    const stripe = traceRequest(m, index, { from, to: { kind: 'name', name: 'api.stripe.com', port: 443 } });
    assert.equal(stripe.verdict, 'delivered', stripe.reason);
    assert.match(stripe.hops.find((h) => h.kind === 'policy' && /egress at/.test(h.detail) && !/name lookup/.test(h.detail))!.detail, /allowed by ClusterNetworkPolicy egress-allowlist \(priority 10\) egress\[1\] "payments" \(action Accept/);
    assert.equal(traceRequest(m, index, { from, to: { kind: 'url', url: 'https://www.paypal.com/', inCluster: true } }).verdict, 'delivered');
    assert.equal(traceRequest(m, index, { from, to: { kind: 'url', url: 'https://paypal.com/', inCluster: true } }).verdict, 'dropped', '*. needs one more label');
    const other = traceRequest(m, index, { from, to: { kind: 'name', name: 'example.org', port: 443 } });
    assert.equal(other.verdict, 'dropped');
    assert.match(other.reason, /"nothing-else"/);
  });
  it('an address: allowed only if it is one the names resolve to, which the set cannot know', () => {
    const { m, index } = analysed();
    const r = traceRequest(m, index, { from, to: { kind: 'external', ip: '54.187.174.169', port: 443 } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /an external address is an address that api\.stripe\.com, \*\.paypal\.com resolve to \(as the network plugin learns from DNS\)/);
  });
});
