// NetworkPolicy verdicts on the examples of the Kubernetes documentation
// (concepts/services-networking/network-policies), each with the verdicts the
// documentation states.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { evaluatePolicies, externalSubject, workloadSubject, type PolicySubject } from '../../../src/core/policy';
import type { NetworkModel, Protocol, Workload } from '../../../src/core/model/types';
import { model, namespace, pod, policy, rule, sel, tcp, workload } from '../../fixtures/trace/build';

function verdict(m: NetworkModel, from: Workload | PolicySubject, to: Workload, port: number, protocol: Protocol = 'TCP') {
  const index = new ModelIndex(m);
  const source = 'kind' in from && (from.kind === 'external' || from.kind === 'node' || from.kind === 'pod') ? (from as PolicySubject) : workloadSubject(from as Workload);
  return evaluatePolicies(index, { source, destination: workloadSubject(to), protocol, port });
}

describe('policy: the documentation examples', () => {
  // test-network-policy: role=db in default; ingress from ipBlock 172.17.0.0/16
  // except 172.17.1.0/24, namespaces project=myproject, pods role=frontend, on
  // TCP 6379; egress to 10.0.0.0/24 on TCP 5978.
  const db = workload('default', 'db', { role: 'db' }, { ports: [6379] });
  const frontend = workload('default', 'frontend', { role: 'frontend' });
  // Pods with known addresses (as from a cluster), outside 172.17.0.0/16.
  const other = workload('default', 'other', { role: 'other' }, { pods: [pod('default', 'other-1', '10.244.1.7', 'n1')] });
  const mine = workload('myproject-ns', 'client', { app: 'x' });
  const theirs = workload('elsewhere', 'client', { role: 'frontend' }, { pods: [pod('elsewhere', 'client-1', '10.244.2.9', 'n2')] });
  const unaddressed = workload('default', 'unaddressed', { role: 'other' });
  const testPolicy = policy('default', 'test-network-policy', sel({ role: 'db' }), {
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      rule(
        [
          { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
          { namespaceSelector: sel({ project: 'myproject' }) },
          { podSelector: sel({ role: 'frontend' }) },
        ],
        [tcp(6379)],
      ),
    ],
    egress: [rule([{ ipBlock: { cidr: '10.0.0.0/24', except: [] } }], [tcp(5978)])],
  });
  const m = model({
    namespaces: [namespace('default'), namespace('myproject-ns', { project: 'myproject' }), namespace('elsewhere')],
    workloads: [db, frontend, other, mine, theirs],
    networkPolicies: [testPolicy],
  });

  it('allows role=frontend Pods of the same namespace on 6379, naming the rule', () => {
    const v = verdict(m, frontend, db, 6379);
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.allowedBy?.policy, 'default/test-network-policy');
    assert.equal(v.ingress.allowedBy?.ruleIndex, 0);
    assert.match(v.ingress.explanation, /ingress\[0\]/);
  });
  it('denies other ports and other Pods', () => {
    assert.equal(verdict(m, frontend, db, 6380).allowed, 'no');
    const v = verdict(m, other, db, 6379);
    assert.equal(v.allowed, 'no');
    assert.match(v.ingress.explanation, /DENIED: isolated by default\/test-network-policy/);
  });
  it('allows every Pod of a namespace labelled project=myproject', () => {
    assert.equal(verdict(m, mine, db, 6379).allowed, 'yes');
  });
  it('a podSelector alone means the policy namespace: role=frontend elsewhere is denied', () => {
    assert.equal(verdict(m, theirs, db, 6379).allowed, 'no');
  });
  it('a Pod whose address is unknown: the ipBlock may cover it, and whether the plugin applies ipBlock to Pods is undefined', () => {
    const v = verdict(m, unaddressed, db, 6379);
    assert.equal(v.allowed, 'unknown');
    assert.ok(v.ingress.conditions.some((c) => /Pod address is in 172\.17\.0\.0\/16 except 172\.17\.1\.0\/24/.test(c)));
    assert.equal(verdict(m, unaddressed, db, 80).allowed, 'no', 'the port rules it out anyway');
  });
  it('ipBlock with except: 172.17.0.5 yes, 172.17.1.5 no, 10.1.1.1 no', () => {
    assert.equal(verdict(m, externalSubject('172.17.0.5'), db, 6379).allowed, 'yes');
    assert.equal(verdict(m, externalSubject('172.17.1.5'), db, 6379).allowed, 'no');
    assert.equal(verdict(m, externalSubject('10.1.1.1'), db, 6379).allowed, 'no');
  });
  it('an external client of unknown address: depends on the address, said so', () => {
    const v = verdict(m, externalSubject(), db, 6379);
    assert.equal(v.allowed, 'unknown');
    assert.ok(v.ingress.conditions.some((c) => c.includes('172.17.0.0/16 except 172.17.1.0/24')));
  });
  it('egress from db: only 10.0.0.0/24 on 5978', () => {
    const index = new ModelIndex(m);
    const src = workloadSubject(db);
    assert.equal(evaluatePolicies(index, { source: src, destination: externalSubject('10.0.0.7'), protocol: 'TCP', port: 5978 }).allowed, 'yes');
    assert.equal(evaluatePolicies(index, { source: src, destination: externalSubject('10.0.0.7'), protocol: 'TCP', port: 5979 }).allowed, 'no');
    assert.equal(evaluatePolicies(index, { source: src, destination: externalSubject('10.0.1.7'), protocol: 'TCP', port: 5978 }).allowed, 'no');
    // db -> frontend: egress isolated, frontend's address unknown: only if the plugin applies ipBlock to Pods and it is inside.
    const toPod = evaluatePolicies(index, { source: src, destination: workloadSubject(frontend), protocol: 'TCP', port: 5978 });
    assert.equal(toPod.egress.allowed, 'unknown');
    assert.equal(evaluatePolicies(index, { source: src, destination: workloadSubject(frontend), protocol: 'TCP', port: 80 }).allowed, 'no');
  });

  it('default deny ingress: every Pod of the namespace is isolated and nothing allowed', () => {
    const a = workload('default', 'a', { app: 'a' });
    const b = workload('default', 'b', { app: 'b' });
    const deny = policy('default', 'default-deny-ingress', sel(), { policyTypes: ['Ingress'] });
    const m2 = model({ workloads: [a, b], networkPolicies: [deny] });
    const v = verdict(m2, a, b, 80);
    assert.equal(v.allowed, 'no');
    assert.equal(v.ingress.isolated, 'yes');
    assert.equal(v.egress.isolated, 'no');
    assert.equal(verdict(m2, externalSubject('1.2.3.4'), b, 80).allowed, 'no');
  });
  it('allow all ingress: an empty rule allows everyone, external clients too', () => {
    const a = workload('default', 'a', { app: 'a' });
    const b = workload('default', 'b', { app: 'b' });
    const deny = policy('default', 'default-deny-ingress', sel(), { policyTypes: ['Ingress'] });
    const allow = policy('default', 'allow-all-ingress', sel(), { policyTypes: ['Ingress'], ingress: [rule([])] });
    const m2 = model({ workloads: [a, b], networkPolicies: [deny, allow] });
    assert.equal(verdict(m2, a, b, 80).allowed, 'yes');
    assert.equal(verdict(m2, externalSubject(), b, 9999).allowed, 'yes');
  });
  it('default deny egress: the source may send nothing, its ingress stays open', () => {
    const a = workload('default', 'a', { app: 'a' });
    const b = workload('default', 'b', { app: 'b' });
    const deny = policy('default', 'default-deny-egress', sel(), { policyTypes: ['Egress'] });
    const m2 = model({ workloads: [a, b], networkPolicies: [deny] });
    const v = verdict(m2, a, b, 80);
    assert.equal(v.allowed, 'no');
    assert.equal(v.egress.allowed, 'no');
    assert.match(v.egress.explanation, /DENIED: isolated by default\/default-deny-egress/);
    assert.equal(v.ingress.allowed, 'yes');
    assert.equal(verdict(m2, externalSubject(), b, 80).allowed, 'yes');
  });
  it('endPort: TCP 32000-32768 to 10.0.0.0/24', () => {
    const db2 = workload('default', 'db', { role: 'db' });
    const p = policy('default', 'multi-port-egress', sel({ role: 'db' }), {
      policyTypes: ['Egress'],
      egress: [rule([{ ipBlock: { cidr: '10.0.0.0/24', except: [] } }], [tcp(32000, 32768)])],
    });
    const index = new ModelIndex(model({ workloads: [db2], networkPolicies: [p] }));
    const at = (port: number) => evaluatePolicies(index, { source: workloadSubject(db2), destination: externalSubject('10.0.0.1'), protocol: 'TCP', port }).allowed;
    assert.equal(at(31999), 'no');
    assert.equal(at(32000), 'yes');
    assert.equal(at(32768), 'yes');
    assert.equal(at(32769), 'no');
    assert.equal(evaluatePolicies(index, { source: workloadSubject(db2), destination: externalSubject('10.0.0.1'), protocol: 'UDP', port: 32000 }).allowed, 'no');
  });
  it('one peer with namespaceSelector AND podSelector versus two peers (OR)', () => {
    const db2 = workload('default', 'db', { role: 'db' });
    const clientIn = workload('user-ns', 'client', { role: 'client' });
    const otherIn = workload('user-ns', 'other', { role: 'other' });
    const clientOut = workload('other-ns', 'client', { role: 'client' });
    const nss = [namespace('default'), namespace('user-ns', { user: 'alice' }), namespace('other-ns')];
    const and = policy('default', 'and', sel({ role: 'db' }), {
      ingress: [rule([{ namespaceSelector: sel({ user: 'alice' }), podSelector: sel({ role: 'client' }) }])],
    });
    const or = policy('default', 'or', sel({ role: 'db' }), {
      ingress: [rule([{ namespaceSelector: sel({ user: 'alice' }) }, { podSelector: sel({ role: 'client' }) }])],
    });
    const mAnd = model({ namespaces: nss, workloads: [db2, clientIn, otherIn, clientOut], networkPolicies: [and] });
    const mOr = model({ namespaces: nss, workloads: [db2, clientIn, otherIn, clientOut], networkPolicies: [or] });
    assert.equal(verdict(mAnd, clientIn, db2, 80).allowed, 'yes');
    assert.equal(verdict(mAnd, otherIn, db2, 80).allowed, 'no');
    assert.equal(verdict(mAnd, clientOut, db2, 80).allowed, 'no');
    assert.equal(verdict(mOr, clientIn, db2, 80).allowed, 'yes');
    assert.equal(verdict(mOr, otherIn, db2, 80).allowed, 'yes', 'any Pod of a namespace with user=alice');
    // podSelector alone: only the policy's namespace (default), so client in other-ns is denied.
    assert.equal(verdict(mOr, clientOut, db2, 80).allowed, 'no');
  });
  it('a named port resolves on the destination container', () => {
    const api = workload('default', 'api', { app: 'api' }, { ports: [[8080, 'http']] });
    const web = workload('default', 'web', { app: 'web' });
    const p = policy('default', 'api', sel({ app: 'api' }), { ingress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp('http')])] });
    const m2 = model({ workloads: [api, web], networkPolicies: [p] });
    assert.equal(verdict(m2, web, api, 8080).allowed, 'yes');
    assert.equal(verdict(m2, web, api, 80).allowed, 'no');
  });
  it('a namespace the set does not declare: its labels are unknown, said so', () => {
    const db2 = workload('default', 'db', { role: 'db' });
    const c = workload('team-a', 'c', { app: 'c' });
    const p = policy('default', 'p', sel({ role: 'db' }), { ingress: [rule([{ namespaceSelector: sel({ team: 'a' }) }])] });
    const v = verdict(model({ workloads: [db2, c], networkPolicies: [p] }), c, db2, 80);
    assert.equal(v.allowed, 'unknown');
    assert.match(v.ingress.conditions.join(), /namespace team-a/);
    // Selecting by the name label every namespace carries is decidable.
    const byName = policy('default', 'p', sel({ role: 'db' }), { ingress: [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'team-a' }) }])] });
    assert.equal(verdict(model({ workloads: [db2, c], networkPolicies: [byName] }), c, db2, 80).allowed, 'yes');
  });
  it('a hostNetwork destination: most plugins do not govern it, some do: a deny is only "depends on the plugin"', () => {
    const h = workload('default', 'h', { app: 'h' }, { hostNetwork: true });
    const c = workload('default', 'c', { app: 'c' });
    const deny = policy('default', 'deny', sel(), { policyTypes: ['Ingress'] });
    const v = verdict(model({ workloads: [h, c], networkPolicies: [deny] }), c, h, 80);
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, ['the network plugin does not apply NetworkPolicy to hostNetwork Pods (most do not)']);
    assert.match(v.ingress.explanation, /^ingress at default\/Deployment\/h: depends on the network plugin: a hostNetwork Pod, which most plugins do not apply NetworkPolicy to \(then allowed\); a plugin that does: DENIED: isolated by default\/deny/);
    // Allowed under both readings: certain.
    const open = policy('default', 'open', sel(), { policyTypes: ['Ingress'], ingress: [rule([])] });
    const o = verdict(model({ workloads: [h, c], networkPolicies: [open] }), c, h, 80);
    assert.equal(o.allowed, 'yes');
    assert.equal(o.ingress.enforced, false);
  });
  it('a hostNetwork source: seen as its node (most plugins) a Pod selector does not match it; seen as a Pod it does', () => {
    const h = workload('default', 'h', { app: 'h' }, { hostNetwork: true });
    const db = workload('default', 'db', { app: 'db' });
    const fromH = policy('default', 'from-h', sel({ app: 'db' }), { ingress: [rule([{ podSelector: sel({ app: 'h' }) }])] });
    const v = verdict(model({ workloads: [h, db], networkPolicies: [fromH] }), h, db, 5432);
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, ['the network plugin tells hostNetwork Pods from their node and matches them as Pods']);
    assert.match(v.ingress.explanation, /depends on the network plugin: default\/Deployment\/h is a hostNetwork Pod; seen as its node \(most plugins\): DENIED/);
    // A selector that does not match it either way: denied for certain.
    const fromX = policy('default', 'from-x', sel({ app: 'db' }), { ingress: [rule([{ podSelector: sel({ app: 'x' }) }])] });
    assert.equal(verdict(model({ workloads: [h, db], networkPolicies: [fromX] }), h, db, 5432).allowed, 'no');
  });
});
