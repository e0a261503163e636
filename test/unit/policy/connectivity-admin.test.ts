// `kni connectivity` through the administrator's tiers: the matrix must give,
// for every pair and port, the verdict the trace's evaluator gives (one
// decision, ./admin.ts), and name the admin rule that decided. Scenarios after
// the network-policy-api conformance suite (conformance/base/admin_tier,
// baseline_tier and api_integration, with conformance/tests/*.go asserting the
// verdicts), written here in the suite's shapes.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { connectivityMatrix, possiblePorts, evaluatePolicies, externalSubject, workloadKey, workloadSubject, type ConnectivityEntry } from '../../../src/core/policy';
import type { Container, Protocol } from '../../../src/core/model/types';
import { pod } from '../../fixtures/trace/build';
import { ModelIndex } from '../../../src/core/model/model-index';
import { houses } from '../../fixtures/admin-houses';
import { formatEntry } from '../../../src/cli/connectivity';

const NS = (h: string) => `{namespaces: {matchLabels: {kubernetes.io/metadata.name: network-policy-conformance-${h}}}}`;

function load(policies: string) {
  const a = new Analysis();
  a.setFile('houses.yaml', houses());
  a.setFile('policies.yaml', policies);
  const bad = a.findings().filter((f) => f.loc.file === 'policies.yaml' && f.severity === 'error');
  assert.deepEqual(bad.map((f) => f.message), []);
  const model = a.model();
  const index = a.index();
  return { model, index, matrix: connectivityMatrix(model, index) };
}

const key = (name: string) => `network-policy-conformance-${name.startsWith('professor') ? 'hogwarts-staff' : name}/Deployment/${name}`;

function has(ports: 'all' | string[] | undefined, protocol: Protocol, port: number): boolean {
  if (ports === undefined) return false;
  if (ports === 'all') return true;
  return ports.some((p) => {
    const [proto, range] = p.split('/');
    if (proto !== protocol) return false;
    if (range === '*') return true;
    const [a, b] = range.split('-').map(Number);
    return port >= a && port <= (b ?? a);
  });
}

/** The matrix's answer at one port, as the evaluator's three values. */
function at(e: ConnectivityEntry, protocol: Protocol, port: number): 'yes' | 'no' | 'unknown' {
  if (has(e.allowed, protocol, port)) return 'yes';
  return possiblePorts(e).has(protocol, port) ? 'unknown' : 'no';
}

const PORTS: [Protocol, number][] = [['TCP', 80], ['TCP', 8080], ['TCP', 9000], ['UDP', 53], ['UDP', 5353], ['SCTP', 9003]];

/** Every pair (external as a source too) at every port: the matrix agrees with the trace's evaluator. */
function agreesWithTrace(policies: string): void {
  const { model, index, matrix } = load(policies);
  const subjects = model.workloads.map((w) => ({ key: workloadKey(w), subject: workloadSubject(w) }));
  for (const from of [{ key: 'external', subject: externalSubject() }, ...subjects]) {
    for (const to of subjects) {
      const e = matrix.between(from.key, to.key)!;
      for (const [protocol, port] of PORTS) {
        const v = evaluatePolicies(index, { source: from.subject, destination: to.subject, protocol, port });
        assert.equal(at(e, protocol, port), v.allowed, `${from.key} -> ${to.key} ${protocol}/${port}: ${v.egress.explanation} / ${v.ingress.explanation}`);
      }
    }
  }
}

/** conformance/base/admin_tier/standard-ingress-tcp-rules.yaml (v1alpha1 shape), rules in the suite's order. */
const INGRESS_TCP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ingress-tcp}
spec:
  priority: 3
  subject: ${NS('gryffindor')}
  ingress:
  - {name: allow-from-ravenclaw-everything, action: Allow, from: [${NS('ravenclaw')}]}
  - {name: deny-from-ravenclaw-everything, action: Deny, from: [${NS('ravenclaw')}]}
  - {name: deny-from-slytherin-at-port-80, action: Deny, from: [${NS('slytherin')}], ports: [{portNumber: {protocol: TCP, port: 80}}]}
  - {name: allow-from-hufflepuff-at-port-80, action: Allow, from: [${NS('hufflepuff')}], ports: [{portNumber: {protocol: TCP, port: 80}}]}
  - {name: deny-from-hufflepuff-everything-else, action: Deny, from: [${NS('hufflepuff')}]}
`;

/** conformance/base/baseline_tier/standard-egress-udp-rules.yaml: a ClusterNetworkPolicy of the Baseline tier with `protocols`. */
const BASELINE_EGRESS_UDP = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: default}
spec:
  tier: Baseline
  priority: 10
  subject: ${NS('hufflepuff')}
  egress:
  - {name: allow-to-ravenclaw-everything, action: Accept, to: [${NS('ravenclaw')}]}
  - {name: deny-to-ravenclaw-everything, action: Deny, to: [${NS('ravenclaw')}]}
  - name: deny-to-slytherin-at-port-5353
    action: Deny
    to: [${NS('slytherin')}]
    protocols: [{udp: {destinationPort: {number: 5353}}}]
  - name: allow-to-gryffindor-at-port-53
    action: Accept
    to: [${NS('gryffindor')}]
    protocols: [{udp: {destinationPort: {number: 53}}}]
  - {name: deny-to-gryffindor-everything-else, action: Deny, to: [${NS('gryffindor')}]}
`;

/** conformance/base/api_integration/standard-anp-np-banp.yaml with the admin rule's action. */
function integration(action: 'Deny' | 'Pass'): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: pass-example}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
  - {name: deny-all-ingress-from-slytherin, action: ${action}, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-from-slytherin, namespace: network-policy-conformance-gryffindor}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{from: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}], ports: [{port: 80}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
  - {name: deny-all-ingress-from-slytherin, action: Deny, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
`;
}

/** Two AdminNetworkPolicies at one priority (the suite's priority test with the Pass moved to 50). */
const TIED = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-50}
spec:
  priority: 50
  subject: ${NS('gryffindor')}
  ingress: [{name: deny-from-slytherin, action: Deny, from: [${NS('slytherin')}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: pass-50}
spec:
  priority: 50
  subject: ${NS('gryffindor')}
  ingress: [{name: pass-from-slytherin, action: Pass, from: [${NS('slytherin')}]}]
`;

/** conformance/base/admin_tier/standard-egress-inline-cidr-rules.yaml: to slytherin, then no network at all. */
const INLINE_CIDR = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: inline-cidr-as-peers-example}
spec:
  priority: 85
  subject: ${NS('gryffindor')}
  egress:
  - {name: allow-egress-to-slytherin, action: Allow, to: [${NS('slytherin')}]}
  - {name: deny-egress-to-10, action: Deny, to: [{networks: [10.0.0.0/8]}], ports: [{portNumber: {protocol: TCP, port: 443}}]}
  - {name: deny-egress-to-internet, action: Deny, to: [{networks: [0.0.0.0/0, "::/0"]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-to-ranges, namespace: network-policy-conformance-gryffindor}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}, {ipBlock: {cidr: 192.168.0.0/16}}]}]
`;

describe('connectivity: the admin tiers give the trace\'s verdict on every pair and port', () => {
  it('AdminNetworkPolicy ingress rules in order, with ports (standard-ingress-tcp-rules)', () => agreesWithTrace(INGRESS_TCP));
  it('a Baseline ClusterNetworkPolicy with UDP protocols (baseline standard-egress-udp-rules)', () => agreesWithTrace(BASELINE_EGRESS_UDP));
  it('ANP Deny / Pass, NetworkPolicy, BANP together (standard-anp-np-banp)', () => {
    agreesWithTrace(integration('Deny'));
    agreesWithTrace(integration('Pass'));
  });
  it('two AdminNetworkPolicies at one priority', () => agreesWithTrace(TIED));
  it('egress to Pods and networks', () => agreesWithTrace(INLINE_CIDR));
});

/** The default's part of a pair: the ports no policy of any tier decided, allowed. */
const byDefault = (direction: 'ingress' | 'egress', ports: 'all' | string[] = 'all') => ({ direction, tier: 'default', action: 'Allow', ports });

describe('connectivity: which admin rule decided', () => {
  it('ingress: Allow before Deny for ravenclaw; port 80 only for hufflepuff, the rest denied by the rule after it', () => {
    const { matrix } = load(INGRESS_TCP);
    const r = matrix.between(key('ravenclaw'), key('gryffindor'))!;
    assert.equal(r.allowed, 'all');
    // ravenclaw's egress: no admin rule, no NetworkPolicy: the default's; gryffindor's ingress: the admin rule's.
    assert.deepEqual(r.decidedBy, [
      byDefault('egress'),
      { direction: 'ingress', tier: 'AdminNetworkPolicy', kind: 'AdminNetworkPolicy', policy: 'ingress-tcp', priority: 3, rule: 0, ruleName: 'allow-from-ravenclaw-everything', action: 'Allow', ports: 'all' },
    ]);
    const h = matrix.between(key('hufflepuff'), key('gryffindor'))!;
    assert.deepEqual(h.allowed, ['TCP/80']);
    assert.deepEqual(
      h.decidedBy?.map((d) => [d.ruleName, d.action, d.ports]),
      [
        [undefined, 'Allow', 'all'],
        ['allow-from-hufflepuff-at-port-80', 'Allow', ['TCP/80']],
        ['deny-from-hufflepuff-everything-else', 'Deny', ['TCP/1-79', 'TCP/81-65535', 'UDP/*', 'SCTP/*']],
      ],
    );
    const s = matrix.between(key('slytherin'), key('gryffindor'))!;
    assert.deepEqual(s.allowed, ['TCP/1-79', 'TCP/81-65535', 'UDP/*', 'SCTP/*']);
    // The ports the Deny leaves: no later rule, no NetworkPolicy, no baseline: allowed by default, said so.
    assert.deepEqual(s.decidedBy?.map((d) => [d.tier, d.ruleName, d.ports]), [
      ['default', undefined, 'all'],
      ['AdminNetworkPolicy', 'deny-from-slytherin-at-port-80', ['TCP/80']],
      ['default', undefined, ['TCP/1-79', 'TCP/81-65535', 'UDP/*', 'SCTP/*']],
    ]);
    // Not the subject: no admin rule applies: the default decides both ends.
    assert.deepEqual(matrix.between(key('ravenclaw'), key('hufflepuff'))!.decidedBy, [byDefault('egress'), byDefault('ingress')]);
  });
  it('baseline egress over UDP: 53 allowed to gryffindor and everything else denied; 5353 denied to slytherin', () => {
    const { matrix } = load(BASELINE_EGRESS_UDP);
    assert.deepEqual(matrix.between(key('hufflepuff'), key('gryffindor'))!.allowed, ['UDP/53']);
    const s = matrix.between(key('hufflepuff'), key('slytherin'))!;
    assert.deepEqual(s.allowed, ['TCP/*', 'UDP/1-5352', 'UDP/5354-65535', 'SCTP/*']);
    assert.deepEqual(s.decidedBy, [
      { direction: 'egress', tier: 'BaselineAdminNetworkPolicy', kind: 'ClusterNetworkPolicy', policy: 'default', rule: 2, ruleName: 'deny-to-slytherin-at-port-5353', action: 'Deny', ports: ['UDP/5353'] },
      byDefault('egress', ['TCP/*', 'UDP/1-5352', 'UDP/5354-65535', 'SCTP/*']),
      byDefault('ingress'),
    ]);
    assert.equal(matrix.between(key('hufflepuff'), key('ravenclaw'))!.decidedBy?.[0].action, 'Accept');
  });
  it('Pass hands every port to the NetworkPolicy: port 80 allowed by its rule, the rest denied by its isolation; the baseline is not reached', () => {
    const pass = load(integration('Pass')).matrix.between(key('slytherin'), key('gryffindor'))!;
    // NetworkPolicy isolates gryffindor and allows port 80 only; the baseline is below it.
    assert.deepEqual(pass.allowed, ['TCP/80']);
    const np = 'network-policy-conformance-gryffindor/allow-from-slytherin';
    // slytherin's egress: nothing selects it in any tier.
    assert.deepEqual(pass.decidedBy, [
      byDefault('egress'),
      { direction: 'ingress', tier: 'NetworkPolicy', kind: 'NetworkPolicy', policy: np, rule: 0, ruleName: '', action: 'Allow', ports: ['TCP/80'] },
      { direction: 'ingress', tier: 'NetworkPolicy', kind: 'NetworkPolicy', policy: np, ruleName: '', action: 'Deny', ports: ['TCP/1-79', 'TCP/81-65535', 'UDP/*', 'SCTP/*'] },
    ]);
    assert.ok(!pass.decidedBy!.some((d) => d.tier === 'BaselineAdminNetworkPolicy'));
    // No admin rule can match hufflepuff: NetworkPolicy's isolation is named as what denies it, in JSON and in text.
    const other = load(integration('Pass')).matrix.between(key('hufflepuff'), key('gryffindor'))!;
    assert.deepEqual(other.decidedBy, [byDefault('egress'), { direction: 'ingress', tier: 'NetworkPolicy', kind: 'NetworkPolicy', policy: np, ruleName: '', action: 'Deny', ports: 'all' }]);
    assert.equal(
      formatEntry(other),
      `${key('hufflepuff')} -> ${key('gryffindor')}: none [egress: Allow all by default; ingress: Deny all by NetworkPolicy ${np} (isolates it; no rule allows them)]`,
    );
    assert.match(formatEntry(pass), /: TCP\/80 \[egress: Allow all by default; ingress: Allow TCP\/80 by NetworkPolicy network-policy-conformance-gryffindor\/allow-from-slytherin ingress\[0\]; ingress: Deny TCP\/1-79,81-65535 UDP\/\* SCTP\/\* by NetworkPolicy .* \(isolates it; no rule allows them\)\]$/);
    const deny = load(integration('Deny')).matrix.between(key('slytherin'), key('gryffindor'))!;
    assert.deepEqual(deny.allowed, []);
    assert.deepEqual(deny.decidedBy?.map((d) => [d.tier, d.policy, d.ports]), [
      ['default', undefined, 'all'],
      ['AdminNetworkPolicy', 'pass-example', 'all'],
    ]);
  });
  it('a named port allowed by the admin tier, the rest passed down to the baseline\'s Deny; resolved per Pod where a rollout left them apart', () => {
    // After np-guard's anp_banp_test_with_named_port_matched: Allow "web" from slytherin, Pass the rest, the baseline denies slytherin.
    const policies = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: web-only}
spec:
  priority: 10
  subject: ${NS('gryffindor')}
  ingress:
  - {name: allow-web-from-slytherin, action: Allow, from: [${NS('slytherin')}], ports: [{namedPort: web}]}
  - {name: pass-the-rest-from-slytherin, action: Pass, from: [${NS('slytherin')}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: ${NS('gryffindor')}
  ingress: [{name: deny-slytherin, action: Deny, from: [${NS('slytherin')}]}]
`;
    const { model } = load(policies);
    const gryffindor = model.workloads.find((w) => w.name === 'gryffindor')!;
    const server = (web: number): Container[] => [{ name: 'server', init: false, probes: [], ports: [{ containerPort: web, protocol: 'TCP', name: 'web' }, { containerPort: 53, protocol: 'UDP' }] }];
    const livePod = (name: string, ip: string, web: number) => pod(gryffindor.namespace, name, ip, 'n1', { labels: gryffindor.podLabels, containers: server(web) });
    gryffindor.containers = server(80);
    gryffindor.pods = [livePod('gryffindor-new', '10.244.0.5', 8080), livePod('gryffindor-old', '10.244.0.6', 80)];
    const e = connectivityMatrix(model, new ModelIndex(model)).between(key('slytherin'), key('gryffindor'))!;
    // Neither port is allowed to every Pod: each Pod takes its own "web" only.
    assert.deepEqual(e.allowed, []);
    assert.deepEqual(e.conditional, [
      { ports: ['TCP/8080'], if: ['the destination Pod is gryffindor-new (there "web" is TCP/8080)'] },
      { ports: ['TCP/80'], if: ['the destination Pod is gryffindor-old (there "web" is TCP/80)'] },
    ]);
    assert.deepEqual(e.decidedBy?.map((d) => [d.tier, d.ruleName, d.action, d.ports]), [
      ['default', undefined, 'Allow', 'all'],
      ['AdminNetworkPolicy', 'allow-web-from-slytherin', 'Allow', ['TCP/80', 'TCP/8080']],
      ['BaselineAdminNetworkPolicy', 'deny-slytherin', 'Deny', 'all'],
    ]);
  });
  it('tied priorities that decide differently: only conditional, the order named', () => {
    const e = load(TIED).matrix.between(key('slytherin'), key('gryffindor'))!;
    assert.deepEqual(e.allowed, []);
    assert.equal(e.conditional?.length, 1);
    assert.equal(e.conditional![0].ports, 'all');
    assert.match(e.conditional![0].if[0], /evaluates the AdminNetworkPolicies deny-50 and pass-50 \(priority 50\) in an order/);
  });
  it('egress to outside the cluster: networks rules decide external and each ipBlock range', () => {
    const { matrix } = load(INLINE_CIDR);
    const from = key('gryffindor');
    assert.deepEqual(matrix.between(from, 'external')!.allowed, []);
    const ten = matrix.between(from, '10.0.0.0/8')!;
    assert.deepEqual(ten.allowed, []);
    assert.deepEqual(ten.decidedBy?.map((d) => [d.ruleName, d.ports]), [
      ['deny-egress-to-10', ['TCP/443']],
      ['deny-egress-to-internet', ['TCP/1-442', 'TCP/444-65535', 'UDP/*', 'SCTP/*']],
    ]);
    assert.equal(matrix.between(from, key('slytherin'))!.allowed, 'all');
    // Another house is a Pod address in 0.0.0.0/0 or ::/0 whatever it is: denied.
    assert.deepEqual(matrix.between(from, key('hufflepuff'))!.allowed, []);
  });
  it('workloads the admin tiers answer differently are not grouped; the group connections carry the deciding rule', () => {
    const { matrix } = load(INGRESS_TCP);
    const g = matrix.grouped();
    const groupOf = (n: string) => g.groupOf(key(n))!.id;
    assert.notEqual(groupOf('ravenclaw'), groupOf('hufflepuff'));
    const c = [...g.connections()].find((e) => e.from === groupOf('ravenclaw') && e.to === groupOf('gryffindor'))!;
    assert.deepEqual(c.decidedBy?.map((d) => d.ruleName ?? d.tier), ['default', 'allow-from-ravenclaw-everything']);
  });
});
