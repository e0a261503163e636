import assert from 'node:assert/strict';
import type { PolicyPeer, PolicyPort, PolicyRule } from '../../../src/core/model/types';
import { container, model, namespace, policy, port, sel, service, svcPort, workload } from './build';
import { lintModel, only } from './lint-helper';

const ingressRule = (peers: PolicyPeer[] = [], ports: PolicyPort[] = []): PolicyRule => ({ peers, ports });
const tcp = (p?: number | string, endPort?: number): PolicyPort => ({ protocol: 'TCP', port: p, endPort });

describe('networkpolicy-selects-nothing', () => {
  it('fires for a podSelector matching nothing, with the near miss and a fix only when locations exist', () => {
    const f = only(lintModel(model([policy('p', sel({ name: 'cart' }), { ns: 'shop' }), workload('carts', { name: 'carts' }, { ns: 'shop' })])), 'networkpolicy-selects-nothing');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /Deployment shop\/carts has name=carts/);
  });
  it('an empty podSelector selects all and never fires, even in an empty namespace', () => {
    assert.equal(only(lintModel(model([policy('deny', sel({}), { ns: 'empty' })])), 'networkpolicy-selects-nothing').length, 0);
  });
  it('matchExpressions are honoured', () => {
    const p = policy('p', sel({}, [{ key: 'tier', operator: 'In', values: ['db'] }]));
    assert.equal(only(lintModel(model([p, workload('db', { tier: 'db' })])), 'networkpolicy-selects-nothing').length, 0);
    assert.equal(only(lintModel(model([p, workload('db', { tier: 'web' })])), 'networkpolicy-selects-nothing').length, 1);
  });
});

describe('networkpolicy-peer-selects-nothing', () => {
  const target = workload('db', { app: 'db' }, { ns: 'shop' });
  it('podSelector without namespaceSelector looks in the policy namespace', () => {
    const p = policy('p', sel({ app: 'db' }), { ns: 'shop', ingress: [ingressRule([{ podSelector: sel({ app: 'api' }) }])] });
    assert.equal(only(lintModel(model([p, target, workload('api', { app: 'api' }, { ns: 'other' })])), 'networkpolicy-peer-selects-nothing').length, 1);
    assert.equal(only(lintModel(model([p, target, workload('api', { app: 'api' }, { ns: 'shop' })])), 'networkpolicy-peer-selects-nothing').length, 0);
  });
  it('namespaceSelector by labels is never judged in a manifest set (other namespaces may match)', () => {
    const p = policy('p', sel({ app: 'db' }), { ns: 'shop', ingress: [ingressRule([{ namespaceSelector: sel({ team: 'x' }), podSelector: sel({ app: 'nothing' }) }])] });
    assert.equal(only(lintModel(model([p, target, namespace('shop', { team: 'y' })])), 'networkpolicy-peer-selects-nothing').length, 0);
  });
  it('namespaceSelector by name is judged when the namespace is known', () => {
    const peer = { namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'front' }), podSelector: sel({ app: 'web' }) };
    const p = policy('p', sel({ app: 'db' }), { ns: 'shop', ingress: [ingressRule([peer])] });
    assert.equal(only(lintModel(model([p, target, workload('web', { app: 'web' }, { ns: 'front' })])), 'networkpolicy-peer-selects-nothing').length, 0);
    assert.equal(only(lintModel(model([p, target, workload('web', { app: 'website' }, { ns: 'front' })])), 'networkpolicy-peer-selects-nothing').length, 1);
    // "front" not in the set at all: cannot judge
    assert.equal(only(lintModel(model([p, target])), 'networkpolicy-peer-selects-nothing').length, 0);
  });
  it('says which direction and which namespace, admits for ingress, allows for egress', () => {
    const from = policy('p', sel({ app: 'db' }), { ns: 'shop', ingress: [ingressRule([{ podSelector: sel({ app: 'api' }) }])] });
    const [f] = only(lintModel(model([from, target])), 'networkpolicy-peer-selects-nothing');
    assert.match(f.message, /^The from peer podSelector app=api of NetworkPolicy shop\/p matches no workload in namespace shop \(without a namespaceSelector a peer is in the policy's own namespace\), so it admits nothing\./);
    const to = policy('p', sel({ app: 'db' }), { ns: 'shop', egress: [ingressRule([{ podSelector: sel({ app: 'api' }) }])], policyTypes: ['Egress'] });
    const [e] = only(lintModel(model([to, target])), 'networkpolicy-peer-selects-nothing');
    assert.match(e.message, /^The to peer podSelector app=api of .* so it allows nothing\./);
  });
  it('a namespaceSelector naming several namespaces: a match in any of them is enough', () => {
    const names = { namespaceSelector: sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['front', 'back'] }]), podSelector: sel({ app: 'web' }) };
    const p = policy('p', sel({ app: 'db' }), { ns: 'shop', ingress: [ingressRule([names])] });
    const known = [namespace('front'), namespace('back')];
    assert.deepEqual(only(lintModel(model([p, target, ...known, workload('web', { app: 'web' }, { ns: 'back' })])), 'networkpolicy-peer-selects-nothing'), [], 'a match in the second namespace');
    const [f] = only(lintModel(model([p, target, ...known, workload('web', { app: 'website' }, { ns: 'back' })])), 'networkpolicy-peer-selects-nothing');
    assert.match(f.message, /matches no workload in namespaces back and front \(/);
    assert.match(f.message, /\(chosen by its namespaceSelector\), so it admits nothing/);
    // One of the named namespaces is not in the set: its Pods may match, so nothing is said.
    assert.deepEqual(only(lintModel(model([p, target, namespace('front'), workload('web', { app: 'website' }, { ns: 'front' })])), 'networkpolicy-peer-selects-nothing'), []);
  });
  it('in a live cluster every namespace is known: a label namespaceSelector that matches none is reported', () => {
    const peer = { namespaceSelector: sel({ team: 'x' }), podSelector: sel({ app: 'web' }) };
    const p = policy('p', sel({ app: 'db' }), { ns: 'shop', ingress: [ingressRule([peer])] });
    const cluster = (objects: Parameters<typeof model>[0]) => ({ ...model(objects), source: 'cluster' as const });
    const [f] = only(lintModel(cluster([p, target, namespace('shop', { team: 'y' })])), 'networkpolicy-peer-selects-nothing');
    assert.match(f.message, /^The from peer namespaceSelector team=x of NetworkPolicy shop\/p matches no namespace, so it admits nothing/);
    // A namespace with the label but no such Pods: the podSelector is what matches nothing.
    const [g] = only(lintModel(cluster([p, target, namespace('shop', { team: 'y' }), namespace('front', { team: 'x' })])), 'networkpolicy-peer-selects-nothing');
    assert.match(g.message, /podSelector app=web .* matches no workload in namespace front \(chosen by its namespaceSelector\)/);
    assert.deepEqual(only(lintModel(cluster([p, target, namespace('front', { team: 'x' }), workload('web', { app: 'web' }, { ns: 'front' })])), 'networkpolicy-peer-selects-nothing'), []);
  });
  it('ipBlock peers and empty podSelectors never fire', () => {
    const p = policy('p', sel({ app: 'db' }), { ns: 'shop', egress: [ingressRule([{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }, { podSelector: sel({}) }])], policyTypes: ['Egress'] });
    assert.equal(only(lintModel(model([p, target])), 'networkpolicy-peer-selects-nothing').length, 0);
  });
});

describe('networkpolicy-port-missing', () => {
  const db = workload('db', { app: 'db' }, { containers: [container('c', [port(5432, 'pg'), port(9187, 'metrics')])] });
  const lint = (...ports: PolicyPort[]) => only(lintModel(model([db, policy('p', sel({ app: 'db' }), { ingress: [ingressRule([], ports)] })])), 'networkpolicy-port-missing');
  it('numbers, names and endPort ranges against the selected pods', () => {
    assert.equal(lint(tcp(5432)).length, 0);
    assert.equal(lint(tcp('pg')).length, 0);
    assert.equal(lint(tcp(9000, 9200)).length, 0);
    assert.equal(lint(tcp(5433)).length, 1);
    assert.equal(lint(tcp('postgres')).length, 1);
    assert.equal(lint(tcp(6000, 6100)).length, 1);
    assert.equal(lint({ protocol: 'UDP', port: 5432 }).length, 1);
  });
  it('a port-less entry (all ports) is fine', () => {
    assert.equal(lint(tcp()).length, 0);
  });
});

describe('service-blocked-by-policy', () => {
  const redis = workload('redis', { app: 'redis' }, { containers: [container('c', [port(6379, 'redis')])] });
  const svc = service('redis', { app: 'redis' }, { ports: [svcPort(6379, 'redis')] });
  const deny = policy('deny', sel({}));
  it('fires when isolated and no rule admits the target port (named ports resolved)', () => {
    const allow = policy('allow', sel({ app: 'redis' }), { ingress: [ingressRule([{ podSelector: sel({ app: 'cart' }) }], [tcp(6380)])] });
    const f = only(lintModel(model([redis, svc, deny, allow])), 'service-blocked-by-policy');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /target port redis \(6379\)\/TCP/);
  });
  it('does not fire when a rule admits the port by number, by name, by range, or with no ports', () => {
    for (const ports of [[tcp(6379)], [tcp('redis')], [tcp(6000, 7000)], []]) {
      const allow = policy('allow', sel({ app: 'redis' }), { ingress: [ingressRule([{ podSelector: sel({ app: 'cart' }) }], ports)] });
      assert.equal(only(lintModel(model([redis, svc, deny, allow])), 'service-blocked-by-policy').length, 0, JSON.stringify(ports));
    }
  });
  it('does not fire without isolation, or for Egress-only policies', () => {
    assert.equal(only(lintModel(model([redis, svc])), 'service-blocked-by-policy').length, 0);
    assert.equal(only(lintModel(model([redis, svc, policy('e', sel({}), { policyTypes: ['Egress'] })])), 'service-blocked-by-policy').length, 0);
  });
  it('default-deny alone blocks', () => {
    assert.equal(only(lintModel(model([redis, svc, deny])), 'service-blocked-by-policy').length, 1);
  });
});

describe('pod-not-isolated', () => {
  it('is off by default and reports unselected workloads when enabled', () => {
    const m = model([workload('a', { app: 'a' }), workload('b', { app: 'b' }), policy('p', sel({ app: 'a' }))]);
    assert.equal(only(lintModel(m), 'pod-not-isolated').length, 0);
    const f = only(lintModel(m, { rules: { 'pod-not-isolated': 'warning' } }), 'pod-not-isolated');
    assert.deepEqual(f.map((x) => x.object?.name), ['b']);
    assert.equal(f[0].severity, 'warning');
  });
});
