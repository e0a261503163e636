// networkpolicy-egress-blocks-dns: fires only where the policy evaluator says
// no lookup can reach the cluster DNS; silent where the set leaves it open.
import assert from 'node:assert/strict';
import type { PolicyPeer, PolicyPort, PolicyRule } from '../../../src/core/model/types';
import { model, namespace, policy, sel, service, svcPort, workload } from './build';
import { lintModel, only } from './lint-helper';
import { ModelIndex } from '../../../src/core/model/model-index';
import { traceRequest } from '../../../src/core/trace';

const ID = 'networkpolicy-egress-blocks-dns';
const r = (peers: PolicyPeer[] = [], ports: PolicyPort[] = []): PolicyRule => ({ peers, ports });
const tcp = (p: number): PolicyPort => ({ protocol: 'TCP', port: p });
const udp = (p: number): PolicyPort => ({ protocol: 'UDP', port: p });
const api = workload('api', { app: 'api' }, { ns: 'shop' });
const db = workload('db', { app: 'db' }, { ns: 'shop' });
const coredns = workload('coredns', { 'k8s-app': 'kube-dns' }, { ns: 'kube-system' });
const toDb = r([{ podSelector: sel({ app: 'db' }) }], [tcp(5432)]);
const egress = (name: string, rules: PolicyRule[], podSelector = sel({ app: 'api' })) => policy(name, podSelector, { ns: 'shop', policyTypes: ['Egress'], egress: rules });
const dnsByName = { namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) };
const fire = (objects: Parameters<typeof model>[0]) => only(lintModel(model(objects)), ID);

describe(ID, () => {
  it('fires for egress to the database only, naming the policy, and saying TCP too', () => {
    const f = fire([api, db, egress('api-to-db', [toDb])]);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /^Deployment shop\/api is isolated for egress by NetworkPolicy shop\/api-to-db, and no rule allows UDP\/53 or TCP\/53 to the cluster DNS .*every name lookup fails/);
    // The DNS Pods in the set: the same verdict.
    assert.equal(fire([api, db, coredns, egress('api-to-db', [toDb])]).length, 1);
  });
  it('silent when a rule allows DNS: to the DNS Pods by name, to any namespace on 53, to anywhere, or by another policy', () => {
    assert.equal(fire([api, db, coredns, egress('p', [toDb, r([dnsByName], [udp(53), tcp(53)])])]).length, 0);
    assert.equal(fire([api, db, egress('p', [toDb, r([{ namespaceSelector: sel({}) }], [udp(53)])])]).length, 0);
    assert.equal(fire([api, db, egress('p', [toDb, r([], [udp(53)])])]).length, 0);
    assert.equal(fire([api, db, egress('p', [toDb]), egress('dns', [r([], [udp(53), tcp(53)])], sel({}))]).length, 0);
  });
  it('silent where the set cannot decide: kube-system labels unknown, DNS Pod labels unknown, an ipBlock', () => {
    assert.equal(fire([api, db, egress('p', [toDb, r([{ namespaceSelector: sel({ role: 'system' }) }], [udp(53)])])]).length, 0);
    assert.equal(fire([api, db, egress('p', [toDb, r([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ app: 'dns' }) }], [udp(53)])])]).length, 0);
    assert.equal(fire([api, db, egress('p', [toDb, r([{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }], [udp(53)])])]).length, 0);
  });
  it('decides where the set does: the DNS Pods in the set with other labels, kube-system declared without the label; a rule naming port 53 is left alone', () => {
    const system = r([{ namespaceSelector: sel({ role: 'system' }) }]);
    assert.equal(fire([api, db, namespace('kube-system', {}), egress('p', [toDb, system])]).length, 1);
    assert.equal(fire([api, db, namespace('kube-system', { role: 'system' }), egress('p', [toDb, system])]).length, 0);
    const wrongPods = r([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ app: 'dns' }) }]);
    assert.equal(fire([api, db, coredns, egress('p', [toDb, wrongPods])]).length, 1);
    // Port 53 named toward somewhere else (OpenShift's openshift-dns): a DNS the author knows; nothing said.
    assert.equal(fire([api, db, egress('p', [toDb, r([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'openshift-dns' }) }], [udp(53), tcp(53)])])]).length, 0);
    const allPorts = fire([api, db, coredns, egress('p', [toDb, r([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'monitoring' }) }])])]);
    assert.equal(allPorts.length, 1);
    assert.match(allPorts[0].message, /no rule allows UDP\/53 or TCP\/53 to the cluster DNS/);
  });
  it('not for a workload denied all egress, not isolated, hostNetwork, or resolving without the cluster DNS', () => {
    assert.equal(fire([api, db, egress('deny-all', [])]).length, 0);
    assert.equal(fire([api, db, policy('ingress-only', sel({}), { ns: 'shop' })]).length, 0);
    assert.equal(fire([workload('api', { app: 'api' }, { ns: 'shop', hostNetwork: true }), db, egress('p', [toDb])]).length, 0);
    assert.equal(fire([workload('api', { app: 'api' }, { ns: 'shop', dns: { policy: 'None', searches: [] } }), db, egress('p', [toDb])]).length, 0);
  });
  describe('dnsPolicy None: the dnsConfig nameservers are where lookups go', () => {
    const own = (nameservers: string[], opts: { hostNetwork?: boolean } = {}) => workload('api', { app: 'api' }, { ns: 'shop', dns: { policy: 'None', searches: [], nameservers }, ...opts });
    const block = (cidr: string, except: string[] = []) => ({ ipBlock: { cidr, except } });
    const dnsTo = (...peers: PolicyPeer[]) => r(peers, [udp(53), tcp(53)]);
    it('fires when no rule allows UDP/53 to its one nameserver, naming it and the ipBlock to add', () => {
      const f = fire([own(['10.0.0.53']), db, egress('p', [toDb])]);
      assert.equal(f.length, 1);
      assert.equal(
        f[0].message,
        'Deployment shop/api has dnsPolicy None, so it asks only its dnsConfig nameserver 10.0.0.53; it is isolated for egress by NetworkPolicy shop/p, and no rule allows UDP/53 or TCP/53 to it: every name lookup fails, so it can reach its destinations by address only. Add an egress rule to ipBlock 10.0.0.53/32 on UDP and TCP port 53.',
      );
      // The trace of a lookup from it says the same: dropped at its egress toward that nameserver.
      const m = model([own(['10.0.0.53']), db, egress('p', [toDb])]);
      const t = traceRequest(m, new ModelIndex(m), { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'api' }, to: { kind: 'external', host: 'api.stripe.com', port: 443 } });
      assert.equal(t.verdict, 'dropped', t.reason);
      assert.match(t.reason, /^the name never resolves: .* asks the Pod's dnsConfig nameserver 10\.0\.0\.53/);
      // A rule on port 53 to somewhere else does not help (with ClusterFirst it would silence the rule: a DNS the author knows).
      assert.equal(fire([own(['10.0.0.53']), db, egress('p', [toDb, dnsTo(block('192.168.0.0/16'))])]).length, 1);
      // TCP allowed, UDP not: still every lookup fails (the resolver asks over UDP first); TCP is not named.
      const udpOnly = fire([own(['10.0.0.53']), db, egress('p', [toDb, r([block('10.0.0.53/32')], [tcp(53)])])]);
      assert.equal(udpOnly.length, 1);
      assert.match(udpOnly[0].message, /no rule allows UDP\/53 to it:/);
    });
    it('silent when the nameserver is allowed: by its address, a range holding it, any address on 53', () => {
      assert.equal(fire([own(['10.0.0.53']), db, egress('p', [toDb, dnsTo(block('10.0.0.53/32'))])]).length, 0);
      assert.equal(fire([own(['10.0.0.53']), db, egress('p', [toDb, dnsTo(block('10.0.0.0/8'))])]).length, 0);
      assert.equal(fire([own(['10.0.0.53']), db, egress('p', [toDb, r([], [udp(53)])])]).length, 0);
      assert.equal(fire([own(['fd00::53']), db, egress('p', [toDb, dnsTo(block('fd00::/64'))])]).length, 0);
    });
    it('several nameservers: one allowed is enough (the resolver tries the next); all blocked fires, naming them', () => {
      assert.equal(fire([own(['10.0.0.53', '10.1.0.53']), db, egress('p', [toDb, dnsTo(block('10.1.0.53/32'))])]).length, 0);
      const f = fire([own(['10.0.0.53', '10.1.0.53']), db, egress('p', [toDb, dnsTo(block('172.16.0.0/12'))])]);
      assert.equal(f.length, 1);
      assert.match(f[0].message, /asks only its dnsConfig nameservers 10\.0\.0\.53 and 10\.1\.0\.53; .* no rule allows UDP\/53 or TCP\/53 to any of them: .* Add an egress rule to ipBlock 10\.0\.0\.53\/32 and 10\.1\.0\.53\/32 on UDP and TCP port 53\.$/);
    });
    it('an ipBlock whose except holds the nameserver blocks it; one that excepts another address does not', () => {
      assert.equal(fire([own(['10.0.0.53']), db, egress('p', [toDb, dnsTo(block('10.0.0.0/8', ['10.0.0.0/24']))])]).length, 1);
      assert.equal(fire([own(['10.0.0.53']), db, egress('p', [toDb, dnsTo(block('10.0.0.0/8', ['10.9.0.0/16']))])]).length, 0);
      // Two nameservers, the except covering one of them: the other answers.
      assert.equal(fire([own(['10.0.0.53', '10.9.0.53']), db, egress('p', [toDb, dnsTo(block('10.0.0.0/8', ['10.0.0.0/24']))])]).length, 0);
    });
    it('the kube-dns ClusterIP as a nameserver is the CoreDNS Pods to policies (after the DNAT)', () => {
      const kubeDns = service('kube-dns', { 'k8s-app': 'kube-dns' }, { ns: 'kube-system', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [svcPort(53, 53, { protocol: 'UDP', name: 'dns' })] });
      // Allowed to the DNS Pods by labels: lookups work, though no ipBlock names 10.96.0.10.
      assert.equal(fire([own(['10.96.0.10']), db, coredns, kubeDns, egress('p', [toDb, dnsTo(dnsByName)])]).length, 0);
      // Blocked: the DNS Pods are what to allow, not an ipBlock of the ClusterIP (policies never see it).
      const f = fire([own(['10.96.0.10']), db, coredns, kubeDns, egress('p', [toDb])]);
      assert.equal(f.length, 1);
      // An ipBlock of the ClusterIP: whether it holds the CoreDNS Pods' addresses, which manifests do not give, is open: silent.
      assert.equal(fire([own(['10.96.0.10']), db, coredns, kubeDns, egress('p', [toDb, dnsTo(block('10.96.0.10/32'))])]).length, 0);
      assert.match(f[0].message, /Add an egress rule to namespace kube-system, Pods k8s-app=kube-dns on UDP and TCP port 53\.$/);
    });
    it('the cluster DNS first, then another nameserver: silent when the next one is allowed, and the trace asks it after the timeout', () => {
      const kubeDns = service('kube-dns', { 'k8s-app': 'kube-dns' }, { ns: 'kube-system', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [svcPort(53, 53, { protocol: 'UDP', name: 'dns' })] });
      const web = service('web', { app: 'db' }, { ns: 'shop', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'] });
      // CoreDNS with its Pod address known, so that the ipBlock of 8.8.8.8 is certain not to hold it.
      const corednsLive = { ...coredns, pods: [{ ...coredns, kind: 'Pod', id: 'coredns-1', name: 'coredns-1', ip: '10.244.0.5', ips: ['10.244.0.5'], phase: 'Running', ready: true, terminating: false, labels: coredns.podLabels }] } as unknown as typeof coredns;
      const objects = [own(['10.96.0.10', '8.8.8.8']), db, corednsLive, kubeDns, web, egress('p', [toDb, dnsTo(block('8.8.8.8/32')), r([], [tcp(443)])])];
      assert.equal(fire(objects).length, 0);
      const m = model(objects);
      const from = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'api' };
      const out = traceRequest(m, new ModelIndex(m), { from, to: { kind: 'external', host: 'api.stripe.com', port: 443 } });
      assert.equal(out.verdict, 'delivered', out.reason);
      assert.ok(out.hops.some((h) => /^the name lookup again, after the resolver's timeout \(5 s by default\), to the Pod's next dnsConfig nameserver 8\.8\.8\.8: egress at .*: allowed by shop\/p egress\[1\]/.test(h.detail)), out.hops.map((h) => h.detail).join('\n'));
      assert.match(out.hops.find((h) => h.kind === 'dns')!.detail, /outside cluster\.local, answered by the Pod's next dnsConfig nameserver 8\.8\.8\.8 \(CoreDNS never got the query\)/);
      // A cluster name: 8.8.8.8 does not know it; the lookup still fails, and the reason says why.
      const inside = traceRequest(m, new ModelIndex(m), { from, to: { kind: 'name', name: 'web.shop.svc.cluster.local', port: 80 } });
      assert.equal(inside.verdict, 'dropped', inside.reason);
      assert.match(inside.reason, /; its next nameserver 8\.8\.8\.8 \(dnsPolicy None\) does not know the cluster's names$/);
      // The next one blocked too: the rule fires, naming both.
      assert.equal(fire([own(['10.96.0.10', '8.8.8.8']), db, coredns, kubeDns, egress('p', [toDb])]).length, 1);
    });
    it('silent for a hostNetwork Pod, without a nameserver or with one that is not an address (the API server rejects both), and where the set cannot decide', () => {
      assert.equal(fire([own(['10.0.0.53'], { hostNetwork: true }), db, egress('p', [toDb])]).length, 0);
      assert.equal(fire([own([]), db, egress('p', [toDb])]).length, 0);
      assert.equal(fire([own(['dns.example.com']), db, egress('p', [toDb])]).length, 0);
      // The nameserver is a Pod's address? Not when no Pod has it; a namespaceSelector rule with unknown labels leaves the kube-dns Pods open.
      const kubeDns = service('kube-dns', { 'k8s-app': 'kube-dns' }, { ns: 'kube-system', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
      assert.equal(fire([own(['10.96.0.10']), db, kubeDns, egress('p', [toDb, dnsTo({ namespaceSelector: sel({ role: 'system' }) })])]).length, 0);
    });
    it('dnsPolicy Default asks the node\'s resolver, whose address is not in the set: silent however the egress reads', () => {
      const viaNode = workload('api', { app: 'api' }, { ns: 'shop', dns: { policy: 'Default', searches: [] } });
      assert.equal(fire([viaNode, db, egress('p', [toDb])]).length, 0);
      assert.equal(fire([viaNode, db, egress('p', [toDb, dnsTo(block('10.0.0.53/32'))])]).length, 0);
    });
  });
  it('NodeLocal DNSCache in the set: egress to its address counts', () => {
    const nodeLocal = workload('node-local-dns', { 'k8s-app': 'node-local-dns' }, { ns: 'kube-system', hostNetwork: true });
    assert.equal(fire([api, db, nodeLocal, egress('p', [toDb, r([{ ipBlock: { cidr: '169.254.20.10/32', except: [] } }], [udp(53)])])]).length, 0);
    assert.equal(fire([api, db, nodeLocal, egress('p', [toDb])]).length, 1);
  });
});
