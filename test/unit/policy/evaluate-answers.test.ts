// The evaluator's whole answers, as the trace and the hovers show them: the
// verdict, the isolation, the rule that allows, the conditions and the
// explanation's exact words, on the cases the Kubernetes documentation
// (concepts/services-networking/network-policies) spells out and on what a set
// of manifests or a partial cluster read cannot decide.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import {
  describePeer,
  describePorts,
  describeRule,
  describeSubject,
  evaluateDirection,
  evaluatePolicies,
  externalSubject,
  namespaceMatches,
  peerMatches,
  portsAllow,
  workloadSubject,
  type AddressSubject,
  type PodSubject,
  type PolicySubject,
} from '../../../src/core/policy';
import type { NetworkModel, Protocol, UnreadResource } from '../../../src/core/model/types';
import { container, model, namespace, node, pod, policy, rule, sel, tcp, workload } from '../../fixtures/trace/build';

const DB = 'default/Deployment/db';
const FRONTEND = 'default/Deployment/frontend';

function between(m: NetworkModel, source: PolicySubject, destination: PolicySubject, port: number, protocol: Protocol = 'TCP') {
  return evaluatePolicies(new ModelIndex(m), { source, destination, protocol, port });
}

/** A Pod the set does not describe fully (an ingress controller outside it, a Pod named by address). */
function stranger(name: string, extra: Partial<PodSubject> = {}): PodSubject {
  return { kind: 'pod', name, ips: [], hostNetwork: false, objectIds: [], ...extra };
}

function nodeSubject(name: string, nodeName?: string): AddressSubject {
  return { kind: 'node', name, family: 4, nodeName, objectIds: [] };
}

const forbidden = (resource: string, ns?: string): UnreadResource => ({
  resource,
  ...(ns ? { namespace: ns } : {}),
  reason: 'forbidden (403)',
  consequence: 'policy verdicts unknown',
});

describe('policy: whole answers of the evaluator', () => {
  const fixture = () => {
    const db = workload('default', 'db', { role: 'db' }, { ports: [[6379, 'redis']] });
    const frontend = workload('default', 'frontend', { role: 'frontend' });
    const p = policy('default', 'db', sel({ role: 'db' }), {
      policyTypes: ['Ingress'],
      ingress: [
        rule([{ namespaceSelector: sel({ team: 'ops' }), podSelector: sel({ role: 'admin' }) }], [tcp(22)]),
        rule([{ podSelector: sel({ role: 'frontend' }) }, { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }], [tcp('redis'), { protocol: 'UDP', port: 9000, endPort: 9100 }]),
      ],
    });
    return { db, frontend, p, m: model({ namespaces: [namespace('default')], workloads: [db, frontend], networkPolicies: [p] }) };
  };

  it('allowed: the policy and rule named, the rule described, no conditions', () => {
    const { db, frontend, p, m } = fixture();
    const v = between(m, workloadSubject(frontend), workloadSubject(db), 6379);
    assert.deepEqual(v.ingress, {
      direction: 'ingress',
      enforced: true,
      isolated: 'yes',
      allowed: 'yes',
      policies: [{ id: p.id, name: 'default/db' }],
      allowedBy: { policyId: p.id, policy: 'default/db', direction: 'ingress', ruleIndex: 1 },
      conditions: [],
      explanation: `ingress at ${DB}: allowed by default/db ingress[1] (from podSelector {role=frontend} OR ipBlock 172.17.0.0/16 except 172.17.1.0/24, TCP/redis, UDP/9000-9100)`,
    });
    assert.deepEqual(v.egress, {
      direction: 'egress',
      enforced: true,
      isolated: 'no',
      allowed: 'yes',
      policies: [],
      allowedBy: undefined,
      conditions: [],
      explanation: `egress at ${FRONTEND}: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default`,
    });
    assert.equal(v.allowed, 'yes');
  });

  it('denied: what was asked for is named (the client, its address, the protocol and port)', () => {
    const { db, p, m } = fixture();
    const v = between(m, externalSubject('172.17.1.5'), workloadSubject(db), 6379);
    assert.equal(v.allowed, 'no');
    assert.deepEqual(v.ingress, {
      direction: 'ingress',
      enforced: true,
      isolated: 'yes',
      allowed: 'no',
      policies: [{ id: p.id, name: 'default/db' }],
      allowedBy: undefined,
      conditions: [],
      explanation: `ingress at ${DB}: DENIED: isolated by default/db; no ingress rule allows an external client (172.17.1.5) on TCP/6379`,
    });
    assert.deepEqual(v.egress, {
      direction: 'egress',
      enforced: false,
      isolated: 'no',
      allowed: 'yes',
      policies: [],
      conditions: [],
      explanation: 'egress: an external client is not a Pod; no egress policy applies',
    });
    // The UDP range: 9000 to 9100 inclusive, UDP only.
    const at = (port: number, protocol: Protocol) => between(m, externalSubject('172.17.0.9'), workloadSubject(db), port, protocol).allowed;
    assert.deepEqual([at(8999, 'UDP'), at(9000, 'UDP'), at(9100, 'UDP'), at(9101, 'UDP'), at(9000, 'TCP')], ['no', 'yes', 'yes', 'no', 'no']);
  });

  it('a destination that is not a Pod: no ingress policy applies', () => {
    const { db, m } = fixture();
    const v = between(m, workloadSubject(db), externalSubject('8.8.8.8'), 53, 'UDP');
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.enforced, false);
    assert.equal(v.ingress.explanation, 'ingress: an external client is not a Pod; no ingress policy applies');
  });

  it('depends: every open condition joined with "or", in the order met', () => {
    const { db, m } = fixture();
    // Namespace ops is not declared (its labels unknown); the client's address is unknown too.
    const admin = workload('ops', 'admin', { role: 'admin' });
    const v = between({ ...m, workloads: [...m.workloads, admin] }, workloadSubject(admin), workloadSubject(db), 22);
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, ['namespace ops (its Namespace object is not in the set) carries labels matching team=ops']);
    assert.equal(v.ingress.explanation, `ingress at ${DB}: depends: allowed only if namespace ops (its Namespace object is not in the set) carries labels matching team=ops`);
    assert.equal(v.ingress.allowedBy, undefined);
    const two = between(m, externalSubject(), workloadSubject(db), 6379);
    assert.deepEqual(two.ingress.conditions, ["an external client's address is in 172.17.0.0/16 except 172.17.1.0/24"]);
    const viaAdmin = workload('ops', 'admin', { role: 'admin' }, { ports: [] });
    const both = between({ ...m, workloads: [...m.workloads, viaAdmin] }, workloadSubject(viaAdmin), workloadSubject(db), 22);
    assert.equal(both.allowed, 'unknown');
  });

  it('a Pod of an unknown namespace: every policy of that direction may select it, said so', () => {
    const { db, p, m } = fixture();
    const ghost = stranger('a Pod of an unknown namespace', { labels: { role: 'db' } });
    const v = between(m, workloadSubject(db), ghost, 6379);
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(v.ingress.policies, [{ id: p.id, name: 'default/db' }]);
    assert.equal(v.ingress.isolated, 'unknown');
    assert.deepEqual(v.ingress.conditions, [
      "the policies of a Pod of an unknown namespace's namespace (not known) allow it",
      'a Pod of an unknown namespace\'s port named "redis" is 6379',
      "default/Deployment/db's Pod address is in 172.17.0.0/16 except 172.17.1.0/24 and the network plugin applies ipBlock to Pod addresses",
    ]);
    // No policy of that direction anywhere: nothing to say.
    const out = between(m, ghost, workloadSubject(db), 6379);
    assert.equal(out.egress.allowed, 'yes');
    assert.deepEqual(out.egress.conditions, []);
  });

  it('a Pod whose labels are unknown: selected or not is open, and a podSelector peer too', () => {
    const { db, frontend, p, m } = fixture();
    const unlabelled = stranger('default/db-7d9c4-x2k', { namespace: 'default' });
    const v = between(m, workloadSubject(frontend), unlabelled, 6379);
    assert.equal(v.ingress.allowed, 'unknown');
    assert.equal(v.ingress.isolated, 'unknown');
    assert.deepEqual(v.ingress.policies, [{ id: p.id, name: 'default/db' }]);
    assert.deepEqual(v.ingress.conditions, [
      "the labels of default/db-7d9c4-x2k do not match default/db's podSelector role=db",
      'the labels of default/db-7d9c4-x2k match default/db\'s podSelector role=db, and default/db-7d9c4-x2k\'s port named "redis" is 6379',
    ]);
    const from = between(m, stranger('default/x', { namespace: 'default' }), workloadSubject(db), 6379);
    assert.deepEqual(from.ingress.conditions, ['the labels of default/x match role=frontend', "default/x's Pod address is in 172.17.0.0/16 except 172.17.1.0/24 and the network plugin applies ipBlock to Pod addresses"]);
    assert.equal(from.ingress.allowed, 'unknown');
  });

  it('traffic from the Pod\'s own node cannot be blocked; from another node it can', () => {
    const db = workload('default', 'db', { role: 'db' }, { pods: [pod('default', 'db-1', '10.244.1.5', 'n1')] });
    const deny = policy('default', 'deny', sel(), { policyTypes: ['Ingress'] });
    const m = model({ workloads: [db], networkPolicies: [deny] });
    const dest = { ...workloadSubject(db), nodeName: 'n1' };
    const own = between(m, nodeSubject('node n1', 'n1'), dest, 6379);
    assert.deepEqual(own.ingress, {
      direction: 'ingress',
      enforced: true,
      isolated: 'yes',
      allowed: 'yes',
      policies: [{ id: deny.id, name: 'default/deny' }],
      conditions: [],
      explanation: `ingress at ${DB}: allowed: the source is the Pod's own node, which NetworkPolicy cannot block`,
    });
    const other = between(m, nodeSubject('node n2', 'n2'), dest, 6379);
    assert.equal(other.allowed, 'no');
    assert.equal(other.ingress.explanation, `ingress at ${DB}: DENIED: isolated by default/deny; no ingress rule allows node n2 on TCP/6379`);
    const unknown = between(m, nodeSubject('a node'), dest, 6379);
    assert.equal(unknown.allowed, 'unknown');
    assert.deepEqual(unknown.ingress.conditions, [`the request comes from ${DB}'s own node (Pods cannot block traffic from their node)`]);
    // The node rule is about ingress: a Pod's egress to its node is the policy's to decide.
    const egressDeny = policy('default', 'deny-out', sel(), { policyTypes: ['Egress'] });
    const out = between(model({ workloads: [db], networkPolicies: [egressDeny] }), dest, nodeSubject('node n1', 'n1'), 10250);
    assert.equal(out.allowed, 'no');
    // Allowed anyway: the node rule adds nothing.
    const open = between(model({ workloads: [db] }), nodeSubject('node n1', 'n1'), dest, 6379);
    assert.equal(open.ingress.explanation, `ingress at ${DB}: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default`);
  });

  describe('a partial cluster read', () => {
    it('NetworkPolicies of the namespace unread: only a rule that allows is certain', () => {
      const { db, frontend, p, m } = fixture();
      const partial = { ...m, unread: [forbidden('networkpolicies', 'default')] };
      const yes = between(partial, workloadSubject(frontend), workloadSubject(db), 6379);
      assert.deepEqual(yes.ingress, {
        direction: 'ingress',
        enforced: true,
        isolated: 'unknown',
        allowed: 'yes',
        policies: [{ id: p.id, name: 'default/db' }],
        allowedBy: { policyId: p.id, policy: 'default/db', direction: 'ingress', ruleIndex: 1 },
        conditions: [],
        explanation: `ingress at ${DB}: allowed by default/db ingress[1] (the other NetworkPolicies in default could not be read)`,
      });
      const no = between(partial, workloadSubject(frontend), workloadSubject(db), 80);
      assert.deepEqual(no.ingress, {
        direction: 'ingress',
        enforced: true,
        isolated: 'unknown',
        allowed: 'unknown',
        policies: [{ id: p.id, name: 'default/db' }],
        allowedBy: undefined,
        conditions: ['the NetworkPolicies in default, which could not be read (forbidden (403)), allow it'],
        explanation: `ingress at ${DB}: unknown: the NetworkPolicies in default could not be read (forbidden (403))`,
      });
      // Unread elsewhere: this namespace's answer stands.
      const elsewhere = between({ ...m, unread: [forbidden('networkpolicies', 'shop')] }, workloadSubject(frontend), workloadSubject(db), 80);
      assert.equal(elsewhere.allowed, 'no');
      // Egress too: frontend's namespace is the one unread.
      assert.equal(no.egress.allowed, 'unknown');
      assert.deepEqual(no.egress.conditions, ['the NetworkPolicies in default, which could not be read (forbidden (403)), allow it']);
    });

    it('unread in every namespace, for a Pod of an unknown namespace: named by the Pod', () => {
      const { db, m } = fixture();
      const partial = { ...m, unread: [forbidden('networkpolicies')] };
      const v = between(partial, workloadSubject(db), stranger('a client'), 80);
      assert.deepEqual(v.ingress.conditions.at(-1), "the NetworkPolicies in a client's namespace, which could not be read (forbidden (403)), allow it");
      assert.equal(v.ingress.explanation, "ingress at a client: unknown: the NetworkPolicies in a client's namespace could not be read (forbidden (403))");
    });

    it('admin policies unread: nothing they could change is certain; only the baseline unread leaves what NetworkPolicy decided', () => {
      const { db, frontend, m } = fixture();
      const anp = between({ ...m, unread: [forbidden('adminnetworkpolicies')] }, workloadSubject(frontend), workloadSubject(db), 6379);
      assert.equal(anp.allowed, 'unknown');
      assert.equal(anp.ingress.allowedBy, undefined);
      assert.deepEqual(anp.ingress.conditions, ['the adminnetworkpolicies, which could not be read (forbidden (403)), do not deny it']);
      assert.match(anp.ingress.explanation, new RegExp(`^ingress at ${DB}: unknown: adminnetworkpolicies could not be read \\(forbidden \\(403\\)\\); of what was read: allowed by default/db ingress\\[1\\] \\(from podSelector`));
      const denied = between({ ...m, unread: [forbidden('clusternetworkpolicies')] }, workloadSubject(frontend), workloadSubject(db), 80);
      assert.deepEqual(denied.ingress.conditions, ['the clusternetworkpolicies, which could not be read (forbidden (403)), allow it']);
      // Only the baseline: below NetworkPolicy, it cannot change an isolated Pod's answer...
      const baseline = { ...m, unread: [forbidden('baselineadminnetworkpolicies')] };
      const isolated = between(baseline, workloadSubject(frontend), workloadSubject(db), 6379).ingress;
      assert.equal(isolated.allowed, 'yes');
      assert.equal(isolated.explanation, `ingress at ${DB}: allowed by default/db ingress[1] (from podSelector {role=frontend} OR ipBlock 172.17.0.0/16 except 172.17.1.0/24, TCP/redis, UDP/9000-9100)`);
      assert.equal(between(baseline, workloadSubject(frontend), workloadSubject(db), 80).ingress.allowed, 'no');
      assert.equal(between(baseline, workloadSubject(frontend), workloadSubject(db), 80).allowed, 'no');
      // ...but decides where no NetworkPolicy isolates (frontend's egress).
      const open = between(baseline, workloadSubject(frontend), workloadSubject(db), 6379);
      assert.equal(open.egress.allowed, 'unknown');
      assert.deepEqual(open.egress.conditions, ['the baselineadminnetworkpolicies, which could not be read (forbidden (403)), do not deny it']);
      assert.equal(
        open.egress.explanation,
        `egress at ${FRONTEND}: unknown: baselineadminnetworkpolicies could not be read (forbidden (403)); of what was read: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default`,
      );
      // An open NetworkPolicy answer keeps its own conditions, and adds the admin one.
      const ops = workload('ops', 'admin', { role: 'admin' });
      const both = between({ ...m, workloads: [...m.workloads, ops], unread: [forbidden('baselineadminnetworkpolicies')] }, workloadSubject(ops), workloadSubject(db), 22);
      assert.deepEqual(both.ingress.conditions, [
        'namespace ops (its Namespace object is not in the set) carries labels matching team=ops',
        'the baselineadminnetworkpolicies, which could not be read (forbidden (403)), do not deny it',
      ]);
    });
  });

  describe('hostNetwork Pods', () => {
    it('a hostNetwork destination allowed either way: certain, not enforced, the governed reading quoted', () => {
      const h = workload('default', 'h', { app: 'h' }, { hostNetwork: true });
      const c = workload('default', 'c', { app: 'c' });
      const open = policy('default', 'open', sel(), { policyTypes: ['Ingress'], ingress: [rule([], [tcp(80)])] });
      const v = between(model({ workloads: [h, c], networkPolicies: [open] }), workloadSubject(c), workloadSubject(h), 80);
      assert.deepEqual(v.ingress, {
        direction: 'ingress',
        enforced: false,
        isolated: 'no',
        allowed: 'yes',
        policies: [{ id: open.id, name: 'default/open' }],
        conditions: [],
        explanation:
          'ingress at default/Deployment/h: hostNetwork Pod: allowed, whether or not the network plugin applies NetworkPolicy to hostNetwork Pods (most do not; one that does: allowed by default/open ingress[0] (from anywhere, TCP/80))',
      });
      // An open answer when governed: both conditions, the plugin's first.
      const ns = policy('default', 'ns', sel(), { policyTypes: ['Ingress'], ingress: [rule([{ namespaceSelector: sel({ team: 'x' }) }])] });
      const other = workload('team-x', 'o', { app: 'o' });
      const u = between(model({ workloads: [h, other], networkPolicies: [ns] }), workloadSubject(other), workloadSubject(h), 80);
      assert.equal(u.ingress.allowed, 'unknown');
      assert.equal(u.ingress.isolated, 'yes');
      assert.equal(u.ingress.enforced, true);
      assert.deepEqual(u.ingress.conditions, [
        'the network plugin does not apply NetworkPolicy to hostNetwork Pods (most do not)',
        'namespace team-x (its Namespace object is not in the set) carries labels matching team=x',
      ]);
      assert.equal(
        u.ingress.explanation,
        'ingress at default/Deployment/h: depends on the network plugin: a hostNetwork Pod, which most plugins do not apply NetworkPolicy to (then allowed); a plugin that does: depends: allowed only if namespace team-x (its Namespace object is not in the set) carries labels matching team=x',
      );
    });

    it('a hostNetwork source both readings agree on: certain, and said so only where a policy is involved', () => {
      const h = workload('default', 'h', { app: 'h' }, { hostNetwork: true });
      const db = workload('default', 'db', { app: 'db' });
      const open = between(model({ workloads: [h, db] }), workloadSubject(h), workloadSubject(db), 5432);
      assert.equal(open.ingress.explanation, 'ingress at default/Deployment/db: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default');
      const fromX = policy('default', 'from-x', sel({ app: 'db' }), { ingress: [rule([{ podSelector: sel({ app: 'x' }) }])] });
      const no = between(model({ workloads: [h, db], networkPolicies: [fromX] }), workloadSubject(h), workloadSubject(db), 5432);
      assert.equal(
        no.ingress.explanation,
        'ingress at default/Deployment/db: DENIED: isolated by default/from-x; no ingress rule allows default/Deployment/h on TCP/5432 (the same whether the network plugin sees the hostNetwork Pod default/Deployment/h as its node, as most do, or as a Pod)',
      );
      // Allowed under both readings (everyone on 5432).
      const all = policy('default', 'all', sel({ app: 'db' }), { ingress: [rule([], [tcp(5432)])] });
      const yes = between(model({ workloads: [h, db], networkPolicies: [all] }), workloadSubject(h), workloadSubject(db), 5432);
      assert.equal(yes.allowed, 'yes');
      assert.match(yes.ingress.explanation, /\(the same whether the network plugin sees the hostNetwork Pod default\/Deployment\/h as its node, as most do, or as a Pod\)$/);
    });

    it('a hostNetwork source with an open reading: its conditions follow the plugin\'s', () => {
      const h = workload('default', 'h', { app: 'h' }, { hostNetwork: true });
      const db = workload('default', 'db', { app: 'db' });
      // As a Pod: matched by the podSelector; as its node: an address that may be in the ipBlock.
      const p = policy('default', 'p', sel({ app: 'db' }), { ingress: [rule([{ podSelector: sel({ app: 'h' }) }, { ipBlock: { cidr: '192.168.0.0/16', except: [] } }])] });
      const v = between(model({ workloads: [h, db], networkPolicies: [p] }), workloadSubject(h), workloadSubject(db), 5432);
      assert.equal(v.allowed, 'unknown');
      assert.deepEqual(v.ingress.conditions, [
        "the network plugin sees a hostNetwork Pod's traffic as its node's, so Pod selectors do not match it (most do), and the address of default/Deployment/h's node is in 192.168.0.0/16",
        'the network plugin tells hostNetwork Pods from their node and matches them as Pods',
      ]);
      assert.equal(v.ingress.allowedBy, undefined);
      assert.equal(
        v.ingress.explanation,
        'ingress at default/Deployment/db: depends on the network plugin: default/Deployment/h is a hostNetwork Pod; seen as its node (most plugins): depends: allowed only if the address of default/Deployment/h\'s node is in 192.168.0.0/16; seen as a Pod: allowed by default/p ingress[0] (from podSelector {app=h} OR ipBlock 192.168.0.0/16, all ports)',
      );
      // With its address known: the node's address decides the first reading.
      const hAt = workload('default', 'h', { app: 'h' }, { hostNetwork: true, pods: [pod('default', 'h-1', '192.168.1.10', 'n1')] });
      const known = between(model({ workloads: [hAt, db], networkPolicies: [p] }), workloadSubject(hAt), workloadSubject(db), 5432);
      assert.equal(known.allowed, 'yes');
      const hOut = workload('default', 'h', { app: 'h' }, { hostNetwork: true, pods: [pod('default', 'h-1', '10.0.0.10', 'n1')] });
      const outside = between(model({ workloads: [hOut, db], networkPolicies: [p] }), workloadSubject(hOut), workloadSubject(db), 5432);
      assert.deepEqual(outside.ingress.conditions, ['the network plugin tells hostNetwork Pods from their node and matches them as Pods']);
    });
  });
});

describe('policy: the pieces of a rule', () => {
  const index = (m: NetworkModel = model({})) => new ModelIndex(m);

  it('ports: of one protocol; no port means every port of the protocol; an endPort below the port is the port alone', () => {
    const dest = workloadSubject(workload('default', 'd', {}, { ports: [[8080, 'http'], { containerPort: 53, name: 'dns', protocol: 'UDP' }] }));
    const c = new Set<string>();
    assert.equal(portsAllow([tcp(80)], dest, 'TCP', 80, c), 'yes');
    assert.equal(portsAllow([tcp(80)], dest, 'UDP', 80, c), 'no');
    assert.equal(portsAllow([{ protocol: 'UDP' }], dest, 'UDP', 12345, c), 'yes');
    assert.equal(portsAllow([{ protocol: 'UDP' }], dest, 'TCP', 12345, c), 'no');
    assert.equal(portsAllow([tcp(90, 80)], dest, 'TCP', 85, c), 'no');
    assert.equal(portsAllow([tcp(90, 80)], dest, 'TCP', 90, c), 'yes');
    assert.equal(portsAllow([tcp(80, 80)], dest, 'TCP', 80, c), 'yes');
    assert.equal(portsAllow([tcp(80), tcp('http')], dest, 'TCP', 8080, c), 'yes', 'the second port of the list');
    assert.equal(portsAllow([{ protocol: 'UDP', port: 'dns' }], dest, 'UDP', 53, c), 'yes');
    assert.equal(portsAllow([tcp('dns')], dest, 'TCP', 53, c), 'no', 'the name is UDP\'s');
    assert.equal(portsAllow([], dest, 'SCTP', 1, c), 'yes');
    assert.deepEqual([...c], []);
  });

  it('a named port on a Pod whose containers are unknown is a condition; toward an address it matches nothing', () => {
    const c = new Set<string>();
    assert.equal(portsAllow([tcp('http'), tcp(9000)], stranger('p'), 'TCP', 8080, c), 'unknown');
    assert.deepEqual([...c], ['p\'s port named "http" is 8080']);
    assert.equal(portsAllow([tcp('http'), tcp(8080)], stranger('p'), 'TCP', 8080, c), 'yes', 'a later number decides');
    const d = new Set<string>();
    assert.equal(portsAllow([tcp('http')], externalSubject('1.2.3.4'), 'TCP', 8080, d), 'no');
    assert.deepEqual([...d], []);
  });

  it('peers: an empty peer matches nothing; selectors never match addresses or hostNetwork Pods', () => {
    const m = model({ namespaces: [namespace('default')] });
    const w = workloadSubject(workload('default', 'w', { app: 'w' }));
    const c = new Set<string>();
    assert.equal(peerMatches(index(m), 'default', {}, w, c), 'no');
    assert.equal(peerMatches(index(m), 'default', { podSelector: sel() }, w, c), 'yes');
    assert.equal(peerMatches(index(m), 'other', { podSelector: sel() }, w, c), 'no');
    assert.equal(peerMatches(index(m), 'default', { podSelector: sel() }, externalSubject('10.0.0.1'), c), 'no');
    assert.equal(peerMatches(index(m), 'default', { namespaceSelector: sel() }, { ...w, hostNetwork: true }, c), 'no');
    assert.equal(peerMatches(index(m), 'other', { namespaceSelector: sel() }, w, c), 'yes', 'every namespace');
    assert.equal(peerMatches(index(m), 'default', { podSelector: sel({ app: 'x' }) }, w, c), 'no');
    assert.deepEqual([...c], []);
  });

  it('peers: a Pod of an unknown namespace, with and without a namespaceSelector', () => {
    const c = new Set<string>();
    assert.equal(peerMatches(index(), 'shop', { podSelector: sel({ app: 'a' }) }, stranger('p', { labels: { app: 'a' } }), c), 'unknown');
    assert.equal(peerMatches(index(), 'shop', { namespaceSelector: sel({ team: 't' }) }, stranger('q', { labels: {} }), c), 'unknown');
    assert.equal(peerMatches(index(), 'shop', { podSelector: sel({ app: 'a' }) }, stranger('r', { labels: { app: 'b' } }), c), 'no');
    assert.deepEqual([...c], ['p runs in namespace shop', 'q runs in a namespace matching team=t', 'r runs in namespace shop']);
  });

  it('namespaces: definite in a cluster, for a declared namespace, or by the name label alone', () => {
    const manifests = model({ namespaces: [namespace('shop', { team: 'a' })] });
    const c = new Set<string>();
    assert.equal(namespaceMatches(index(manifests), sel({ team: 'a' }), 'shop', c), 'yes');
    assert.equal(namespaceMatches(index(manifests), sel({ team: 'b' }), 'shop', c), 'no');
    assert.equal(namespaceMatches(index(manifests), sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['jobs'] }]), 'jobs', c), 'yes');
    assert.equal(namespaceMatches(index(manifests), sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['jobs'] }]), 'jobs', c), 'no');
    assert.deepEqual([...c], []);
    assert.equal(namespaceMatches(index(manifests), sel({ 'kubernetes.io/metadata.name': 'jobs', team: 'a' }), 'jobs', c), 'unknown');
    assert.equal(namespaceMatches(index(manifests), sel({}, [{ key: 'team', operator: 'Exists', values: [] }]), 'jobs', c), 'unknown');
    assert.deepEqual([...c], [
      'namespace jobs (its Namespace object is not in the set) carries labels matching kubernetes.io/metadata.name=jobs, team=a',
      'namespace jobs (its Namespace object is not in the set) carries labels matching team',
    ]);
    // A cluster read lists every namespace: one not listed has only its name label.
    const cluster: NetworkModel = { ...model({}), source: 'cluster' };
    assert.equal(namespaceMatches(index(cluster), sel({ team: 'a' }), 'jobs'), 'no');
    assert.equal(namespaceMatches(index(cluster), sel({}, [{ key: 'team', operator: 'DoesNotExist', values: [] }]), 'jobs'), 'yes');
  });

  it('ipBlock against addresses: contained, excepted, of the other family, everything', () => {
    const c = new Set<string>();
    const block = { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } };
    assert.equal(peerMatches(index(), 'd', block, externalSubject('10.2.0.1'), c), 'yes');
    assert.equal(peerMatches(index(), 'd', block, externalSubject('10.1.0.1'), c), 'no');
    assert.equal(peerMatches(index(), 'd', block, externalSubject('fd00::1'), c), 'no');
    assert.equal(peerMatches(index(), 'd', block, externalSubject(), c), 'unknown');
    assert.equal(peerMatches(index(), 'd', { ipBlock: { cidr: '0.0.0.0/0', except: [] } }, externalSubject(), c), 'yes');
    assert.equal(peerMatches(index(), 'd', { ipBlock: { cidr: '::/0', except: [] } }, externalSubject(), c), 'no', 'an IPv4 client');
    assert.equal(peerMatches(index(), 'd', { ipBlock: { cidr: '::/0', except: [] } }, { ...externalSubject(), family: 6 }, c), 'yes');
    assert.equal(peerMatches(index(), 'd', { ipBlock: { cidr: '999.1.1.1/99', except: [] } }, externalSubject('10.0.0.1'), c), 'no');
    assert.deepEqual([...c], ["an external client's address is in 10.0.0.0/8 except 10.1.0.0/16"]);
    assert.equal(externalSubject('fd00::1').family, 6);
    assert.equal(externalSubject('10.0.0.1').family, 4);
    assert.equal(externalSubject().family, 4);
  });

  it('ipBlock against Pods: outside their addresses no; inside, up to the network plugin', () => {
    const c = new Set<string>();
    const block = { ipBlock: { cidr: '10.244.0.0/16', except: [] } };
    const at = (ip: string) => stranger(`pod at ${ip}`, { namespace: 'd', ips: [ip] });
    assert.equal(peerMatches(index(), 'd', block, at('10.245.0.1'), c), 'no');
    assert.deepEqual([...c], []);
    assert.equal(peerMatches(index(), 'd', block, at('10.244.0.1'), c), 'unknown');
    assert.deepEqual([...c], ['the network plugin applies ipBlock 10.244.0.0/16 to Pod addresses']);
    // A hostNetwork Pod sends from its node's address: an ordinary address.
    const host = (ips: string[]) => stranger('h', { namespace: 'd', ips, hostNetwork: true });
    const h = new Set<string>();
    assert.equal(peerMatches(index(), 'd', block, host(['10.244.0.9']), h), 'yes');
    assert.equal(peerMatches(index(), 'd', block, host(['10.9.0.9']), h), 'no');
    assert.equal(peerMatches(index(), 'd', block, host([]), h), 'unknown');
    assert.deepEqual([...h], ["the address of h's node is in 10.244.0.0/16"]);
  });

  it('descriptions: peers, ports, rules, subjects', () => {
    assert.equal(describePeer({ namespaceSelector: sel({ team: 'a' }), podSelector: sel({ app: 'b' }) }), 'namespaceSelector {team=a} AND podSelector {app=b}');
    assert.equal(describePeer({ namespaceSelector: sel() }), 'namespaceSelector {(everything)}');
    assert.equal(describePeer({ ipBlock: { cidr: '10.0.0.0/8', except: [] } }), 'ipBlock 10.0.0.0/8');
    assert.equal(describePorts([]), 'all ports');
    assert.equal(describePorts([tcp(80), { protocol: 'UDP' }, { protocol: 'SCTP', port: 1000, endPort: 2000 }, tcp('http')]), 'TCP/80, UDP/*, SCTP/1000-2000, TCP/http');
    const p = policy('default', 'p', sel(), { ingress: [rule([])], egress: [rule([{ podSelector: sel({ a: 'b' }) }, { ipBlock: { cidr: '1.2.3.0/24', except: [] } }], [tcp(443)])] });
    assert.equal(describeRule(p, 'ingress', 0), 'from anywhere, all ports');
    assert.equal(describeRule(p, 'egress', 0), 'to podSelector {a=b} OR ipBlock 1.2.3.0/24, TCP/443');
    assert.equal(describeRule(p, 'ingress', 1), '?');
    assert.equal(describeRule(undefined, 'ingress', 0), '?');
    assert.equal(describeSubject(externalSubject('1.2.3.4')), 'an external client (1.2.3.4)');
    assert.equal(describeSubject(externalSubject()), 'an external client');
    assert.equal(describeSubject(stranger('shop/p')), 'shop/p');
  });

  it('a workload as a subject: its Pods\' addresses (every family), its containers, its own object', () => {
    const twoFamilies = { ...pod('shop', 'a-1', '10.0.0.1', 'n1'), ips: ['10.0.0.1', 'fd00::1'] };
    const oldStyle = { ...pod('shop', 'a-2', '10.0.0.2', 'n1'), ips: [] };
    const none = { ...pod('shop', 'a-3', '', 'n1'), ips: [], ip: undefined };
    const w = workload('shop', 'a', { app: 'a' }, { kind: 'StatefulSet', pods: [twoFamilies, oldStyle, none], hostNetwork: true, ports: [80] });
    const s = workloadSubject(w);
    assert.deepEqual(s, {
      kind: 'pod',
      name: 'shop/StatefulSet/a',
      namespace: 'shop',
      labels: { app: 'a' },
      ips: ['10.0.0.1', 'fd00::1', '10.0.0.2'],
      hostNetwork: true,
      containers: [container('a', [80])],
      objectIds: [w.id],
    });
    assert.deepEqual(workloadSubject(w, { app: 'b' }).labels, { app: 'b' });
  });

  it('evaluateDirection: one side on its own, as the trace asks it', () => {
    const db = workload('default', 'db', { role: 'db' });
    const deny = policy('default', 'deny', sel(), { policyTypes: ['Egress'] });
    const m = model({ workloads: [db], networkPolicies: [deny], nodes: [node('n1', '192.168.0.1')] });
    const r = evaluateDirection(new ModelIndex(m), 'egress', workloadSubject(db), externalSubject('1.1.1.1'), 'UDP', 53);
    assert.equal(r.explanation, `egress at ${DB}: DENIED: isolated by default/deny; no egress rule allows an external client (1.1.1.1) on UDP/53`);
  });
});

describe('policy: a Pod whose labels are not known (a Pod named by namespace only)', () => {
  const SOURCE = 'a Pod in namespace shop (labels unknown)';
  const source = () => stranger(SOURCE, { namespace: 'shop' });
  const db = () => workload('shop', 'db', { app: 'db' });
  const egress = (name: string, app: string, to: string) =>
    policy('shop', name, sel({ app }), { policyTypes: ['Egress'], egress: [rule([{ podSelector: sel({ app: to }) }])] });

  it('selected or not, it may reach db: allowed for certain', () => {
    const m = model({ namespaces: [namespace('shop')], workloads: [db()], networkPolicies: [egress('web-out', 'web', 'db')] });
    const v = between(m, source(), workloadSubject(db()), 5432);
    assert.equal(v.egress.allowed, 'yes');
    assert.equal(v.egress.isolated, 'unknown');
    assert.deepEqual(v.egress.conditions, []);
    assert.equal(v.egress.explanation, `egress at ${SOURCE}: allowed whether or not shop/web-out selects it (its labels are not known): a rule of each allows shop/Deployment/db on TCP/5432`);
  });

  it('a policy that isolates it for certain and one that may select it and allow: allowed only if that one selects it', () => {
    const all = policy('shop', 'deny-all', sel(), { policyTypes: ['Egress'] });
    const m = model({ namespaces: [namespace('shop')], workloads: [db()], networkPolicies: [all, egress('web-out', 'web', 'db')] });
    const v = between(m, source(), workloadSubject(db()), 5432);
    assert.equal(v.egress.allowed, 'unknown');
    assert.equal(v.egress.isolated, 'yes');
    assert.deepEqual(v.egress.conditions, [`the labels of ${SOURCE} match shop/web-out's podSelector app=web`]);
  });

  it('policies that may select it and allow nothing toward db: allowed only if none selects it', () => {
    const m = model({ namespaces: [namespace('shop')], workloads: [db()], networkPolicies: [egress('web-out', 'web', 'cache'), egress('api-out', 'api', 'queue')] });
    const v = between(m, source(), workloadSubject(db()), 5432);
    assert.equal(v.egress.allowed, 'unknown');
    assert.deepEqual(v.egress.conditions, [`the labels of ${SOURCE} do not match shop/web-out's podSelector app=web nor shop/api-out's podSelector app=api`]);
    assert.equal(v.egress.explanation, `egress at ${SOURCE}: depends: allowed only if the labels of ${SOURCE} do not match shop/web-out's podSelector app=web nor shop/api-out's podSelector app=api`);
    // One that allows and one that does not: selected by the second alone, denied.
    const mixed = model({ namespaces: [namespace('shop')], workloads: [db()], networkPolicies: [egress('web-out', 'web', 'db'), egress('api-out', 'api', 'queue')] });
    const w = between(mixed, source(), workloadSubject(db()), 5432);
    assert.equal(w.egress.allowed, 'unknown');
    assert.deepEqual(w.egress.conditions, [
      `the labels of ${SOURCE} do not match shop/web-out's podSelector app=web nor shop/api-out's podSelector app=api`,
      `the labels of ${SOURCE} match shop/web-out's podSelector app=web`,
    ]);
  });

  it('a certain policy whose rule allows: certain, whatever the others', () => {
    const open = policy('shop', 'open', sel(), { policyTypes: ['Egress'], egress: [rule([])] });
    const m = model({ namespaces: [namespace('shop')], workloads: [db()], networkPolicies: [egress('web-out', 'web', 'cache'), open] });
    const v = between(m, source(), workloadSubject(db()), 5432);
    assert.equal(v.egress.allowed, 'yes');
    assert.equal(v.egress.allowedBy?.policy, 'shop/open');
  });
});

describe('policy: which policy and rule are named', () => {
  it('only the policies that select the Pod are listed; the first rule that allows is named; every isolating policy is named in a denial', () => {
    const db = workload('default', 'db', { role: 'db' });
    const web = workload('default', 'web', { role: 'web' });
    const cache = policy('default', 'cache', sel({ role: 'cache' }), { ingress: [rule([])] });
    const first = policy('default', 'a-db', sel({ role: 'db' }), { ingress: [rule([{ podSelector: sel({ role: 'nobody' }) }])] });
    const second = policy('default', 'b-db', sel({ role: 'db' }), {
      ingress: [rule([{ podSelector: sel({ role: 'web' }) }], [tcp(5432)]), rule([{ podSelector: sel({ role: 'web' }) }], [tcp(5432, 5433)]), rule([{ podSelector: sel({ role: 'other' }) }])],
    });
    const m = model({ namespaces: [namespace('default')], workloads: [db, web], networkPolicies: [cache, first, second] });
    const v = between(m, workloadSubject(web), workloadSubject(db), 5432);
    assert.deepEqual(v.ingress.policies, [
      { id: first.id, name: 'default/a-db' },
      { id: second.id, name: 'default/b-db' },
    ]);
    assert.deepEqual(v.ingress.allowedBy, { policyId: second.id, policy: 'default/b-db', direction: 'ingress', ruleIndex: 0 });
    assert.equal(v.ingress.explanation, `ingress at ${DB}: allowed by default/b-db ingress[0] (from podSelector {role=web}, TCP/5432)`);
    const no = between(m, workloadSubject(web), workloadSubject(db), 80);
    assert.equal(no.ingress.explanation, `ingress at ${DB}: DENIED: isolated by default/a-db, default/b-db; no ingress rule allows ${'default/Deployment/web'} on TCP/80`);
  });

  it('a denial carries no conditions, even where a part of a rule was open', () => {
    const p = policy('default', 'p', sel(), { ingress: [rule([{ podSelector: sel({ role: 'web' }) }], [tcp('http')])] });
    const m = model({ namespaces: [namespace('default')], networkPolicies: [p] });
    // The destination's containers are unknown (the port name is open), but the client is no role=web Pod.
    const v = between(m, stranger('default/x', { namespace: 'default', labels: { role: 'x' } }), stranger('default/y', { namespace: 'default', labels: {} }), 8080);
    assert.equal(v.ingress.allowed, 'no');
    assert.deepEqual(v.ingress.conditions, []);
    assert.equal(v.ingress.isolated, 'yes', 'an empty podSelector selects a Pod whatever its labels');
    const unlabelled = between(m, stranger('default/x', { namespace: 'default', labels: { role: 'x' } }), stranger('default/y', { namespace: 'default' }), 8080);
    assert.equal(unlabelled.ingress.isolated, 'yes');
    assert.equal(unlabelled.ingress.allowed, 'no');
  });

  it('several open conditions: each one said, joined by "or"', () => {
    const db = workload('default', 'db', { role: 'db' });
    const p = policy('default', 'p', sel({ role: 'db' }), {
      ingress: [rule([{ namespaceSelector: sel({ team: 'a' }) }]), rule([{ namespaceSelector: sel({ env: 'prod' }) }])],
    });
    const c = workload('jobs', 'c', { app: 'c' });
    const v = between(model({ namespaces: [namespace('default')], workloads: [db, c], networkPolicies: [p] }), workloadSubject(c), workloadSubject(db), 80);
    assert.equal(
      v.ingress.explanation,
      `ingress at ${DB}: depends: allowed only if namespace jobs (its Namespace object is not in the set) carries labels matching team=a; or namespace jobs (its Namespace object is not in the set) carries labels matching env=prod`,
    );
    // A hostNetwork source whose node reading is open on two conditions.
    const h = workload('default', 'h', { app: 'h' }, { hostNetwork: true });
    const q = policy('default', 'q', sel({ role: 'db' }), { ingress: [rule([{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }]), rule([{ ipBlock: { cidr: '192.168.0.0/16', except: [] } }])] });
    const hv = between(model({ workloads: [db, h], networkPolicies: [q] }), workloadSubject(h), workloadSubject(db), 80);
    assert.deepEqual(hv.ingress.conditions, [
      "the network plugin sees a hostNetwork Pod's traffic as its node's, so Pod selectors do not match it (most do), and the address of default/Deployment/h's node is in 10.0.0.0/8; or the address of default/Deployment/h's node is in 192.168.0.0/16",
      "the network plugin tells hostNetwork Pods from their node and matches them as Pods, and default/Deployment/h's Pod address is in 10.0.0.0/8 and the network plugin applies ipBlock to Pod addresses; or default/Deployment/h's Pod address is in 192.168.0.0/16 and the network plugin applies ipBlock to Pod addresses",
    ]);
  });

  it('namespace selectors without a conditions list, and the empty one on a namespace the set does not declare', () => {
    const m = new ModelIndex(model({}));
    assert.equal(namespaceMatches(m, sel(), 'jobs'), 'yes');
    assert.equal(namespaceMatches(m, sel({ team: 'a' }), 'jobs'), 'unknown');
  });
});
