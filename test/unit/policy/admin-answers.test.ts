// The administrator's tiers, answer by answer: what decides, in which order,
// and the words the trace shows, on the API's semantics
// (kubernetes-sigs/network-policy-api: AdminNetworkPolicy priorities and rule
// order, Allow/Deny/Pass, the BaselineAdminNetworkPolicy below NetworkPolicy,
// ClusterNetworkPolicy's nodes, networks and domainNames peers), including
// what the set cannot decide (ties, namespaces it does not show, addresses).
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { evaluatePolicies, externalSubject, workloadSubject, type AddressSubject, type PodSubject, type PolicySubject } from '../../../src/core/policy';
import type { AdminNetworkPolicy, AdminPolicyPeer, AdminPolicyPort, LabelSelector, NetworkModel, NetworkPolicy, Protocol } from '../../../src/core/model/types';
import { model, namespace, node, pod, policy, rule, sel, workload } from '../../fixtures/trace/build';
import { admin, anp, banp, r } from '../../fixtures/admin-build';

const ns = (name: string): AdminPolicyPeer => ({ namespaces: sel({ 'kubernetes.io/metadata.name': name }) });
const byLabel = (labels: Record<string, string>): LabelSelector => sel(labels);
const port = (p: number, protocol: Protocol = 'TCP', endPort?: number): AdminPolicyPort => ({ protocol, port: p, ...(endPort ? { endPort } : {}) });

// Two namespaces with a workload each; "shop" is declared, "team" not (its labels are unknown).
const web = () => workload('shop', 'web', { app: 'web' }, { ports: [[8080, 'http'], { containerPort: 53, name: 'dns', protocol: 'UDP' }] });
const api = () => workload('shop', 'api', { app: 'api' });
const job = () => workload('team', 'job', { app: 'job' });
const WEB = 'shop/Deployment/web';

function world(admins: AdminNetworkPolicy[], networkPolicies: NetworkPolicy[] = [], extra: Partial<NetworkModel> = {}) {
  const ws = { web: web(), api: api(), job: job() };
  const m = model({ namespaces: [namespace('shop', { env: 'prod' })], workloads: Object.values(ws), networkPolicies, adminNetworkPolicies: admins, ...extra });
  const index = new ModelIndex(m);
  const subject = (k: keyof typeof ws) => workloadSubject(ws[k]);
  const ask = (from: PolicySubject, to: PolicySubject, p = 8080, protocol: Protocol = 'TCP') => evaluatePolicies(index, { source: from, destination: to, protocol, port: p });
  return { ws, subject, ask };
}

describe('admin tiers: the words of each decision', () => {
  it('nothing matches: the default allows, in words that name the direction', () => {
    const { subject, ask } = world([anp('idle', { priority: 1, ingress: [r('x', 'Deny', [ns('nowhere')])], egress: [r('y', 'Deny', [ns('nowhere')])] })]);
    const v = ask(subject('api'), subject('web'));
    assert.deepEqual(
      [v.ingress.tier, v.ingress.allowed, v.ingress.explanation],
      ['default', 'yes', `ingress at ${WEB}: not isolated (no NetworkPolicy with policyTypes Ingress selects it, and no admin policy rule decides): allowed by default`],
    );
    assert.equal(v.egress.explanation, 'egress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Egress selects it, and no admin policy rule decides): allowed by default');
    assert.deepEqual(v.ingress.conditions, []);
    assert.equal(v.ingress.adminRule, undefined);
  });

  it('Allow and Deny in the baseline: no word about NetworkPolicy (there is no tier below to consult)', () => {
    const base = banp({ ingress: [r('allow-shop', 'Allow', [ns('shop')], [port(8080)]), r('', 'Deny', [ns('shop')])] });
    const { subject, ask } = world([base]);
    const yes = ask(subject('api'), subject('web'), 8080);
    assert.equal(yes.ingress.explanation, `ingress at ${WEB}: not isolated by any NetworkPolicy; allowed by BaselineAdminNetworkPolicy default ingress[0] "allow-shop" (action Allow)`);
    assert.deepEqual(yes.ingress.adminRule, {
      policyId: base.id,
      kind: 'BaselineAdminNetworkPolicy',
      policy: 'default',
      priority: undefined,
      direction: 'ingress',
      ruleIndex: 0,
      ruleName: 'allow-shop',
      action: 'Allow',
      actionWritten: 'Allow',
    });
    const no = ask(subject('api'), subject('web'), 80);
    // A rule without a name is named by its index alone.
    assert.equal(no.ingress.explanation, `ingress at ${WEB}: not isolated by any NetworkPolicy; DENIED by BaselineAdminNetworkPolicy default ingress[1] (action Deny)`);
    assert.equal(no.ingress.tier, 'BaselineAdminNetworkPolicy');
    assert.equal(no.ingress.allowedBy, undefined);
  });

  it('an AdminNetworkPolicy written as a ClusterNetworkPolicy: its own words (Accept), its priority', () => {
    const cnp = anp('cnp', { kind: 'ClusterNetworkPolicy', priority: 7, ingress: [r('take', 'Allow', [ns('shop')], undefined, 'Accept')] });
    const deny = policy('shop', 'deny', sel(), { policyTypes: ['Ingress'] });
    const { subject, ask } = world([cnp], [deny]);
    const v = ask(subject('api'), subject('web'));
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.explanation, `ingress at ${WEB}: allowed by ClusterNetworkPolicy cnp (priority 7) ingress[0] "take" (action Accept; NetworkPolicies are not consulted)`);
    assert.equal(v.ingress.allowedBy, undefined, 'no NetworkPolicy rule allowed it');
    assert.equal(v.ingress.isolated, 'yes');
  });

  it('a NetworkPolicy that isolates decides below an admin Pass; its rule is named', () => {
    const pass = anp('pass', { priority: 1, ingress: [r('pass', 'Pass', [ns('shop')])] });
    const allow = policy('shop', 'allow-api', sel({ app: 'web' }), { ingress: [rule([{ podSelector: sel({ app: 'api' }) }])] });
    const { subject, ask } = world([pass, banp({ ingress: [r('deny', 'Deny', [ns('shop')])] })], [allow]);
    const v = ask(subject('api'), subject('web'));
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.tier, 'NetworkPolicy');
    assert.deepEqual(v.ingress.allowedBy, { policyId: allow.id, policy: 'shop/allow-api', direction: 'ingress', ruleIndex: 0 });
    assert.equal(
      v.ingress.explanation,
      `ingress at ${WEB}: passed on by AdminNetworkPolicy pass (priority 1) ingress[0] "pass" (action Pass) to NetworkPolicy: allowed by shop/allow-api ingress[0] (from podSelector {app=api}, all ports)`,
    );
    // The same NetworkPolicy's isolation denies the job, the baseline is not reached.
    const denied = ask(subject('web'), subject('web'));
    assert.equal(denied.ingress.tier, 'NetworkPolicy');
    assert.equal(denied.ingress.allowed, 'no');
  });

  it('several baseline-tier policies (ClusterNetworkPolicy tier Baseline) go by priority, whatever their order in the set', () => {
    const later = admin('later', 'Baseline', { kind: 'ClusterNetworkPolicy', priority: 20, ingress: [r('deny', 'Deny', [ns('shop')])] });
    const sooner = admin('sooner', 'Baseline', { kind: 'ClusterNetworkPolicy', priority: 10, ingress: [r('allow', 'Allow', [ns('shop')], undefined, 'Accept')] });
    const { subject, ask } = world([later, sooner]);
    const v = ask(subject('api'), subject('web'));
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.adminRule?.policy, 'sooner');
    assert.equal(v.ingress.explanation, `ingress at ${WEB}: not isolated by any NetworkPolicy; allowed by ClusterNetworkPolicy sooner (priority 10) ingress[0] "allow" (action Accept)`);
  });
});

describe('admin tiers: matches the set cannot decide', () => {
  const TEAM = 'namespace team (its Namespace object is not in the set) carries labels matching env=prod';

  it('a Deny whose peer namespace may match: denied if it does, else what comes below', () => {
    const d = anp('d', { priority: 1, ingress: [r('deny-prod', 'Deny', [{ namespaces: byLabel({ env: 'prod' }) }])] });
    const { subject, ask } = world([d]);
    const v = ask(subject('job'), subject('web'));
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, [`not: ${TEAM}`]);
    assert.equal(
      v.ingress.explanation,
      `ingress at ${WEB}: depends: if ${TEAM}, DENIED by AdminNetworkPolicy d (priority 1) ingress[0] "deny-prod" (action Deny; NetworkPolicies cannot allow it); otherwise not isolated (no NetworkPolicy with policyTypes Ingress selects it, and no admin policy rule decides): allowed by default`,
    );
    assert.equal(v.ingress.tier, 'AdminNetworkPolicy');
    assert.equal(v.ingress.adminRule?.ruleName, 'deny-prod');
    // The declared namespace decides for certain.
    assert.equal(ask(subject('api'), subject('web')).allowed, 'no');
  });

  it('an Allow that may match above a default that allows: allowed either way, said so', () => {
    const a = anp('a', { priority: 1, ingress: [r('allow-prod', 'Allow', [{ namespaces: byLabel({ env: 'prod' }) }])] });
    const v = world([a]).ask(world([a]).subject('job'), world([a]).subject('web'));
    assert.equal(v.allowed, 'yes');
    assert.deepEqual(v.ingress.conditions, []);
    assert.equal(
      v.ingress.explanation,
      `ingress at ${WEB}: allowed by AdminNetworkPolicy a (priority 1) ingress[0] "allow-prod" (action Allow; NetworkPolicies are not consulted) (and not isolated (no NetworkPolicy with policyTypes Ingress selects it, and no admin policy rule decides): allowed by default otherwise)`,
    );
  });

  it('an Allow that may match above an isolation that denies: allowed only if it matches', () => {
    const a = anp('a', { priority: 1, ingress: [r('allow-prod', 'Allow', [{ namespaces: byLabel({ env: 'prod' }) }], [port(8080)])] });
    const deny = policy('shop', 'deny', sel(), { policyTypes: ['Ingress'] });
    const { subject, ask } = world([a], [deny]);
    const v = ask(subject('job'), subject('web'));
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, [TEAM]);
    // Another port: the rule's ports rule it out before its peers are read.
    const other = ask(subject('job'), subject('web'), 9090);
    assert.equal(other.allowed, 'no');
    assert.deepEqual(other.ingress.conditions, []);
  });

  it('a Pass that may match above a NetworkPolicy with the same open condition: one condition, not a contradiction', () => {
    // Passed (the namespace carries env=prod): the NetworkPolicy allows it exactly then. Not passed: the
    // NetworkPolicy still isolates web, and its rule needs env=prod, which does not hold there: denied.
    const pass = anp('p', { priority: 1, ingress: [r('pass-prod', 'Pass', [{ namespaces: byLabel({ env: 'prod' }) }])] });
    const np = policy('shop', 'from-prod', sel({ app: 'web' }), { ingress: [rule([{ namespaceSelector: sel({ env: 'prod' }) }])] });
    const { subject, ask } = world([pass], [np]);
    const v = ask(subject('job'), subject('web'));
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, [TEAM]);
  });

  it('a Pod whose namespace or labels are unknown: the subject and peers that need them are open', () => {
    const d = anp('d', { priority: 1, subject: { pods: { namespaceSelector: byLabel({ env: 'prod' }), podSelector: byLabel({ app: 'web' }) } }, ingress: [r('deny-all', 'Deny', [{ namespaces: sel() }])] });
    const { subject, ask } = world([d]);
    const nowhere: PodSubject = { kind: 'pod', name: 'a Pod', labels: { app: 'web' }, ips: [], hostNetwork: false, objectIds: [] };
    const v = ask(subject('api'), nowhere);
    assert.equal(v.ingress.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, ['not: a Pod runs in a namespace matching env=prod']);
    const unlabelled: PodSubject = { kind: 'pod', name: 'shop/web-1', namespace: 'shop', ips: [], hostNetwork: false, objectIds: [] };
    assert.deepEqual(ask(subject('api'), unlabelled).ingress.conditions, ['not: the labels of shop/web-1 match app=web']);
    // An empty namespace selector holds whatever the namespace.
    const all = anp('all', { priority: 1, subject: { namespaces: sel() }, ingress: [r('deny-all', 'Deny', [{ namespaces: sel() }])] });
    assert.equal(world([all]).ask(world([all]).subject('api'), nowhere).ingress.allowed, 'no');
    // A source Pod of an unknown namespace as the peer.
    assert.deepEqual(world([all]).ask(nowhere, world([all]).subject('web')).ingress.allowed, 'no');
  });
});

describe('admin tiers: policies that share a priority', () => {
  const deny = (name: string, priority: number, peer = ns('shop')) => anp(name, { priority, ingress: [r(`${name}-rule`, 'Deny', [peer])] });
  const allow = (name: string, priority: number, peer = ns('shop')) => anp(name, { priority, ingress: [r(`${name}-rule`, 'Allow', [peer])] });

  it('only one of them matches: it decides, and the tie is not worth a word', () => {
    const { subject, ask } = world([allow('beta', 10), deny('alpha', 10, ns('nowhere'))]);
    const v = ask(subject('api'), subject('web'));
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.explanation, `ingress at ${WEB}: allowed by AdminNetworkPolicy beta (priority 10) ingress[0] "beta-rule" (action Allow; NetworkPolicies are not consulted)`);
  });

  it('both match and agree: the answer stands, the tie is named (alphabetically)', () => {
    const { subject, ask } = world([deny('gamma', 10), deny('alpha', 10), deny('beta', 10)]);
    const v = ask(subject('api'), subject('web'));
    assert.equal(v.allowed, 'no');
    assert.equal(v.ingress.adminRule?.policy, 'alpha', 'by name when the priority is the same');
    assert.equal(
      v.ingress.explanation,
      `ingress at ${WEB}: DENIED by AdminNetworkPolicy alpha (priority 10) ingress[0] "alpha-rule" (action Deny; NetworkPolicies cannot allow it) (AdminNetworkPolicies alpha, beta and gamma (priority 10) share a priority, so which decides is up to the network plugin; the answer is the same either way)`,
    );
  });

  it('they disagree: unknown, each group of ties named, the deciders listed', () => {
    const { subject, ask } = world([deny('d2', 20), allow('a1', 10), deny('d1', 10), allow('a2', 20)]);
    const v = ask(subject('api'), subject('web'));
    assert.equal(v.allowed, 'unknown');
    assert.equal(v.ingress.tier, 'AdminNetworkPolicy');
    assert.deepEqual(v.ingress.conditions, ['the network plugin evaluates the AdminNetworkPolicies a1 and d1 (priority 10); a2 and d2 (priority 20) in an order where the one that allows it comes first']);
    assert.equal(v.ingress.explanation, `ingress at ${WEB}: depends: AdminNetworkPolicies a1 and d1 (priority 10); a2 and d2 (priority 20) share a priority and decide differently (a1 / d1); their order is up to the network plugin`);
  });

  it('a policy of a lower priority number still comes first, and one of a higher after the tied group', () => {
    // first (5) matches nothing here; the tied group at 10: one allows, one does not match; last (20) denies.
    const first = deny('first', 5, ns('nowhere'));
    const v = world([deny('last', 20), allow('tied-a', 10), deny('tied-b', 10, ns('nowhere')), first]);
    const out = v.ask(v.subject('api'), v.subject('web'));
    assert.equal(out.allowed, 'yes');
    assert.equal(out.ingress.adminRule?.policy, 'tied-a');
    // The first policy decides before the tied ones.
    const w = world([allow('tied-a', 10), deny('tied-b', 10), deny('first', 5)]);
    const d = w.ask(w.subject('api'), w.subject('web'));
    assert.equal(d.allowed, 'no');
    assert.equal(d.ingress.adminRule?.policy, 'first');
    assert.equal(d.ingress.explanation, `ingress at ${WEB}: DENIED by AdminNetworkPolicy first (priority 5) ingress[0] "first-rule" (action Deny; NetworkPolicies cannot allow it)`);
    // Two rules of one policy that decide alike are not a tie.
    const two = world([anp('one', { priority: 3, ingress: [r('x', 'Deny', [ns('shop')], [port(8080)]), r('y', 'Deny', [ns('shop')])] }), anp('two', { priority: 3, ingress: [r('z', 'Deny', [ns('nowhere')])] })]);
    assert.equal(two.ask(two.subject('api'), two.subject('web')).ingress.adminRule?.ruleName, 'x');
  });

  it('ties whose orders reach different rules that decide alike: the answer is the same either way', () => {
    // a denies at 8080 by its rule, b denies everything: different deciders, same verdict.
    const a = anp('a', { priority: 4, ingress: [r('a-8080', 'Deny', [ns('shop')], [port(8080)])] });
    const b = anp('b', { priority: 4, ingress: [r('b-all', 'Deny', [ns('shop')])] });
    const { subject, ask } = world([b, a]);
    const v = ask(subject('api'), subject('web'));
    assert.equal(v.allowed, 'no');
    assert.match(v.ingress.explanation, /\(AdminNetworkPolicies a and b \(priority 4\) share a priority, so which decides is up to the network plugin; the answer is the same either way\)$/);
  });
});

describe('admin tiers: peers', () => {
  const egressTo = (peer: AdminPolicyPeer, action: 'Allow' | 'Deny' = 'Deny', ports?: AdminPolicyPort[]) =>
    anp('out', { priority: 1, subject: { namespaces: sel({ 'kubernetes.io/metadata.name': 'shop' }) }, egress: [r('r', action, [peer], ports)] });
  const addr = (ip?: string, extra: Partial<AddressSubject> = {}): AddressSubject => ({ ...externalSubject(ip), ...extra });

  it('networks: an address in or out, invalid entries ignored, a range wholly inside, partly, or outside', () => {
    const { subject, ask } = world([egressTo({ networks: ['not-a-cidr', '10.0.0.0/8'] })]);
    const from = subject('web');
    assert.equal(ask(from, addr('10.1.2.3')).egress.allowed, 'no');
    assert.equal(ask(from, addr('11.1.2.3')).egress.allowed, 'yes');
    assert.equal(ask(from, addr('10.20.0.0', { range: '10.20.0.0/16' })).egress.allowed, 'no', 'wholly inside');
    assert.equal(ask(from, addr('11.0.0.0', { range: '11.0.0.0/8' })).egress.allowed, 'yes', 'outside');
    const partly = ask(from, addr(undefined, { name: 'the destination', range: '0.0.0.0/0' }));
    assert.equal(partly.egress.allowed, 'unknown');
    assert.deepEqual(partly.egress.conditions, ["not: the destination's address in 0.0.0.0/0 is in not-a-cidr, 10.0.0.0/8"]);
    const none = world([egressTo({ networks: ['not-a-cidr'] })]);
    assert.equal(none.ask(none.subject('web'), addr('10.1.2.3')).egress.allowed, 'yes', 'no valid network: no match');
    const badRange = ask(from, addr(undefined, { range: 'bad' }));
    assert.equal(badRange.egress.allowed, 'yes');
  });

  it('networks and an address not known: every address only with both families; one family leaves the other open', () => {
    const both = world([egressTo({ networks: ['0.0.0.0/0', '::/0'] })]);
    const unaddressed = both.subject('api');
    assert.equal(both.ask(both.subject('web'), unaddressed).egress.allowed, 'no', 'a Pod is in one family or the other');
    assert.equal(both.ask(both.subject('web'), addr()).egress.allowed, 'no');
    const v4 = world([egressTo({ networks: ['0.0.0.0/0'] })]);
    assert.equal(v4.ask(v4.subject('web'), addr()).egress.allowed, 'no', 'an external client of IPv4');
    assert.equal(v4.ask(v4.subject('web'), addr(undefined, { family: 6 })).egress.allowed, 'unknown');
    assert.deepEqual(v4.ask(v4.subject('web'), addr(undefined, { family: 6 })).egress.conditions, ["not: an external client's address is in 0.0.0.0/0 (every IPv4 address: it holds unless the address is IPv6)"]);
    const v6 = world([egressTo({ networks: ['::/0'] })]);
    assert.deepEqual(v6.ask(v6.subject('web'), v6.subject('api')).egress.conditions, ["not: shop/Deployment/api's Pod address is in ::/0 (every IPv6 address: it holds unless the address is IPv4)"]);
    const some = world([egressTo({ networks: ['10.0.0.0/8', '192.168.0.0/16'] })]);
    assert.deepEqual(some.ask(some.subject('web'), addr()).egress.conditions, ["not: an external client's address is in 10.0.0.0/8, 192.168.0.0/16"]);
    // A Pod with known addresses: decided by them.
    const known = workload('shop', 'db', { app: 'db' }, { pods: [pod('shop', 'db-1', '10.244.0.5', 'n1')] });
    const w = world([egressTo({ networks: ['10.244.0.0/16'] })], [], {});
    assert.equal(w.ask(w.subject('web'), workloadSubject(known)).egress.allowed, 'no');
    assert.equal(w.ask(w.subject('web'), workloadSubject(workload('shop', 'db', { app: 'db' }, { pods: [pod('shop', 'db-1', '10.245.0.5', 'n1')] }))).egress.allowed, 'yes');
  });

  it('networks, nodes and domainNames are egress peers: in an ingress rule they match nothing', () => {
    const inbound = anp('in', { priority: 1, ingress: [r('r', 'Deny', [{ networks: ['0.0.0.0/0', '::/0'] }, { nodes: sel() }, { domainNames: ['example.com'] }])] });
    const { subject, ask } = world([inbound], [], { nodes: [node('n1', '192.168.0.1')] });
    assert.equal(ask(addr('1.2.3.4', { host: 'example.com' }), subject('web')).ingress.allowed, 'yes');
    assert.equal(ask({ kind: 'node', name: 'node n1', nodeName: 'n1', family: 4, objectIds: [] }, subject('web')).ingress.allowed, 'yes');
  });

  it('nodes: a node by its labels, a hostNetwork Pod by its node, never a Pod or an outside address', () => {
    const cp = { ...node('cp-1', '192.168.0.1'), labels: { 'node-role.kubernetes.io/control-plane': '' } };
    const worker = node('worker-1', '192.168.0.2');
    const sel1 = sel({}, [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', values: [] }]);
    const { subject, ask } = world([egressTo({ nodes: sel1 })], [], { nodes: [cp, worker] });
    const nodeAt = (name: string, nodeName?: string): AddressSubject => ({ kind: 'node', name, nodeName, family: 4, objectIds: [] });
    assert.equal(ask(subject('web'), nodeAt('node cp-1', 'cp-1')).egress.allowed, 'no');
    assert.equal(ask(subject('web'), nodeAt('cp-1')).egress.allowed, 'no', 'named by its name alone');
    assert.equal(ask(subject('web'), nodeAt('node worker-1', 'worker-1')).egress.allowed, 'yes');
    const unknownNode = ask(subject('web'), nodeAt('node x', 'x'));
    assert.equal(unknownNode.egress.allowed, 'unknown');
    assert.deepEqual(unknownNode.egress.conditions, ['not: the node of node x carries labels matching node-role.kubernetes.io/control-plane']);
    const hostPod = (nodeName?: string): PodSubject => ({ kind: 'pod', name: 'kube-system/etcd', namespace: 'kube-system', labels: {}, ips: [], hostNetwork: true, nodeName, objectIds: [] });
    assert.equal(ask(subject('web'), hostPod('cp-1')).egress.allowed, 'no');
    assert.equal(ask(subject('web'), hostPod('worker-1')).egress.allowed, 'yes');
    assert.deepEqual(ask(subject('web'), hostPod()).egress.conditions, ['not: the node of kube-system/etcd carries labels matching node-role.kubernetes.io/control-plane']);
    assert.equal(ask(subject('web'), subject('api')).egress.allowed, 'yes', 'a Pod on the Pod network is no node');
    assert.equal(ask(subject('web'), addr('192.168.0.1')).egress.allowed, 'yes', 'an address is no node');
    // Every node: certain even for a node not in the set.
    const any = world([egressTo({ nodes: sel() })]);
    assert.equal(any.ask(any.subject('web'), nodeAt('node x', 'x')).egress.allowed, 'no');
  });

  it('domainNames: exact or under a wildcard, case and a final dot aside; an address asked for by number is open', () => {
    const { subject, ask } = world([egressTo({ domainNames: ['Example.COM.', '*.svc.example.org'] }, 'Allow'), anp('z', { priority: 2, egress: [r('deny', 'Deny', [{ networks: ['0.0.0.0/0', '::/0'] }])] })]);
    const to = (host: string) => ask(subject('web'), addr('1.2.3.4', { host })).egress.allowed;
    assert.deepEqual(
      ['example.com', 'EXAMPLE.com.', 'www.example.com', 'a.svc.example.org', 'a.b.svc.example.org', 'svc.example.org', 'xsvc.example.org'].map(to),
      ['yes', 'yes', 'no', 'yes', 'yes', 'no', 'no'],
    );
    const byNumber = ask(subject('web'), addr('1.2.3.4'));
    assert.equal(byNumber.egress.allowed, 'unknown');
    assert.deepEqual(byNumber.egress.conditions, ['an external client is an address that Example.COM., *.svc.example.org resolve to (as the network plugin learns from DNS)']);
    const one = world([egressTo({ domainNames: ['example.com'] }, 'Allow'), anp('z', { priority: 2, egress: [r('deny', 'Deny', [{ networks: ['0.0.0.0/0', '::/0'] }])] })]);
    assert.deepEqual(one.ask(one.subject('web'), addr('1.2.3.4')).egress.conditions, ['an external client is an address that example.com resolves to (as the network plugin learns from DNS)']);
    assert.equal(ask(subject('web'), subject('api')).egress.allowed, 'no', 'a Pod is no domain (and is in every network)');
  });

  it('ports: numbers and ranges of one protocol, a named port on the destination\'s containers', () => {
    const { subject, ask } = world([
      anp('p', { priority: 1, ingress: [r('r', 'Deny', [ns('shop')], [port(9000, 'TCP', 9100), { protocol: 'TCP', namedPort: 'dns' }, { protocol: 'UDP', namedPort: 'dns' }, { protocol: 'UDP' }])] }),
    ]);
    const at = (p: number, protocol: Protocol = 'TCP') => ask(subject('api'), subject('web'), p, protocol).ingress.allowed;
    assert.deepEqual([at(8999), at(9000), at(9100), at(9101), at(9000, 'UDP'), at(53, 'UDP'), at(53)], ['yes', 'no', 'no', 'yes', 'yes', 'no', 'yes']);
    // Containers not known: a named port is a condition.
    const unknownContainers: PodSubject = { ...subject('web'), containers: undefined };
    const v = ask(subject('api'), unknownContainers, 53, 'UDP');
    assert.equal(v.ingress.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, ['not: shop/Deployment/web\'s port named "dns" is 53']);
    // Toward an address a named port names nothing.
    const out = world([egressTo({ networks: ['0.0.0.0/0'] }, 'Deny', [{ protocol: 'TCP', namedPort: 'http' }])]);
    assert.equal(out.ask(out.subject('web'), addr('1.2.3.4'), 8080).egress.allowed, 'yes');
  });
});

describe('admin tiers: NetworkPolicy\'s part when the set cannot say whether it isolates', () => {
  it('a Pod whose labels are unknown under a policy that selects by label: isolated or not is a condition of its own', () => {
    const np = policy('shop', 'web-only-api', sel({ app: 'web' }), { ingress: [rule([{ podSelector: sel({ app: 'api' }) }])] });
    const base = banp({ ingress: [r('deny-shop', 'Deny', [ns('shop')])] });
    const { subject, ask } = world([base], [np]);
    const unlabelled: PodSubject = { kind: 'pod', name: 'shop/web-1', namespace: 'shop', ips: [], hostNetwork: false, objectIds: [] };
    const v = ask(subject('api'), unlabelled);
    // Selected (app=web): isolated, and its rule allows api; not selected: the baseline denies.
    assert.equal(v.ingress.allowed, 'unknown');
    assert.deepEqual(v.ingress.conditions, ['shop/web-1 is isolated by a NetworkPolicy for ingress']);
    assert.equal(
      v.ingress.explanation,
      'ingress at shop/web-1: depends: if shop/web-1 is isolated by a NetworkPolicy for ingress, allowed by a rule of each policy that may select it; otherwise not isolated by any NetworkPolicy; DENIED by BaselineAdminNetworkPolicy default ingress[0] "deny-shop" (action Deny)',
    );
    // A rule that does not allow api: denied either way.
    const none = policy('shop', 'web-only-x', sel({ app: 'web' }), { ingress: [rule([{ podSelector: sel({ app: 'x' }) }])] });
    const n = world([base], [none]).ask(subject('api'), unlabelled);
    assert.equal(n.ingress.allowed, 'no');
  });

  it('a rule whose subject and peer are both open: both conditions, together', () => {
    const d = anp('d', { priority: 1, subject: { pods: { namespaceSelector: sel(), podSelector: byLabel({ app: 'web' }) } }, ingress: [r('deny-prod', 'Deny', [{ namespaces: byLabel({ env: 'prod' }) }])] });
    const { subject, ask } = world([d]);
    const unlabelled: PodSubject = { kind: 'pod', name: 'shop/web-1', namespace: 'shop', ips: [], hostNetwork: false, objectIds: [] };
    assert.deepEqual(ask(subject('job'), unlabelled).ingress.conditions, [
      'not: the labels of shop/web-1 match app=web and namespace team (its Namespace object is not in the set) carries labels matching env=prod',
    ]);
  });
});
