// networkpolicy-egress-blocks-dns: fires only where the policy evaluator says
// no lookup can reach the cluster DNS; silent where the set leaves it open.
import assert from 'node:assert/strict';
import type { PolicyPeer, PolicyPort, PolicyRule } from '../../../src/core/model/types';
import { model, namespace, policy, sel, workload } from './build';
import { lintModel, only } from './lint-helper';

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
  it('NodeLocal DNSCache in the set: egress to its address counts', () => {
    const nodeLocal = workload('node-local-dns', { 'k8s-app': 'node-local-dns' }, { ns: 'kube-system', hostNetwork: true });
    assert.equal(fire([api, db, nodeLocal, egress('p', [toDb, r([{ ipBlock: { cidr: '169.254.20.10/32', except: [] } }], [udp(53)])])]).length, 0);
    assert.equal(fire([api, db, nodeLocal, egress('p', [toDb])]).length, 1);
  });
});
