// The administrator's tiers (AdminNetworkPolicy, NetworkPolicy,
// BaselineAdminNetworkPolicy) on scenarios of the API's own conformance suite
// (kubernetes-sigs/network-policy-api conformance/tests/*.go with the
// manifests of conformance/base/), each case the verdict its test asserts.
// The suite's houses are StatefulSets; here they are Deployments (the model
// works per workload), and pods the suite picks by
// statefulset.kubernetes.io/pod-name are workloads of their own.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { evaluatePolicies, workloadSubject, externalSubject } from '../../../src/core/policy';
import type { Protocol } from '../../../src/core/model/types';
import { houses } from '../../fixtures/admin-houses';
import { traceRequest } from '../../../src/core/trace';
import type { TraceOptions } from '../../../src/core/trace/types';

function verdict(policies: string, from: string, to: string, port: number, protocol: Protocol = 'TCP') {
  const a = new Analysis();
  a.setFile('houses.yaml', houses());
  a.setFile('policies.yaml', policies);
  const model = a.model();
  const index = a.index();
  const find = (n: string) => {
    const w = model.workloads.find((x) => x.name === n);
    assert.ok(w, n);
    return workloadSubject(w);
  };
  const bad = a.findings().filter((f) => f.loc.file === 'policies.yaml' && f.severity === 'error');
  assert.deepEqual(bad.map((f) => f.message), [], 'the policies read without errors');
  return evaluatePolicies(index, { source: from === 'external' ? externalSubject('8.8.8.8') : find(from), destination: find(to), protocol, port });
}

const ns = (h: string) => `\n    - namespaces:\n        matchLabels: {kubernetes.io/metadata.name: network-policy-conformance-${h}}`;
const anpRule = (name: string, action: string, peer: string, port?: number) =>
  `  - name: ${name}\n    action: ${action}\n    from:${peer}${port ? `\n    ports:\n    - portNumber: {protocol: TCP, port: ${port}}` : ''}`;

/** conformance/base/admin_network_policy/core-ingress-tcp-rules.yaml, in the current v1alpha1 peer shape, with its rules in `order`. */
function ingressTcp(order = [0, 1, 2, 3, 4, 5, 6, 7, 8]): string {
  const rules = [
    anpRule('allow-from-ravenclaw-everything', 'Allow', ns('ravenclaw')),
    anpRule('deny-from-ravenclaw-everything', 'Deny', ns('ravenclaw')),
    anpRule('pass-from-ravenclaw-everything', 'Pass', ns('ravenclaw')),
    anpRule('deny-from-slytherin-at-port-80', 'Deny', ns('slytherin'), 80),
    anpRule('pass-from-slytherin-at-port-80', 'Pass', ns('slytherin'), 80),
    anpRule('allow-from-hufflepuff-at-port-80', 'Allow', ns('hufflepuff'), 80),
    anpRule('deny-from-hufflepuff-everything-else', 'Deny', ns('hufflepuff')),
    anpRule(
      'deny-from-professor-quirrell-at-port-8080',
      'Deny',
      '\n    - pods:\n        namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: network-policy-conformance-hogwarts-staff}}\n        podSelector: {matchLabels: {role: quirrell}}',
      8080,
    ),
    anpRule(
      'allow-from-professor-dumbledore-at-port-8080',
      'Allow',
      '\n    - pods:\n        namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: network-policy-conformance-hogwarts-staff}}\n        podSelector: {matchLabels: {role: dumbledore}}',
      8080,
    ),
  ];
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ingress-tcp}
spec:
  priority: 3
  subject:
    namespaces:
      matchLabels: {kubernetes.io/metadata.name: network-policy-conformance-gryffindor}
  ingress:
${order.map((i) => rules[i]).join('\n')}
`;
}

describe('admin network policy: ingress TCP rules (admin-network-policy-core-ingress-tcp-rules.go)', () => {
  it('AdminNetworkPolicyIngressTCP: Allow at index 0 wins over the Deny after it (rules are ordered)', () => {
    for (const port of [80, 8080]) {
      const v = verdict(ingressTcp(), 'ravenclaw', 'gryffindor', port);
      assert.equal(v.allowed, 'yes');
      assert.equal(v.ingress.tier, 'AdminNetworkPolicy');
      assert.match(v.ingress.explanation, /allowed by AdminNetworkPolicy ingress-tcp \(priority 3\) ingress\[0\] "allow-from-ravenclaw-everything" \(action Allow; NetworkPolicies are not consulted\)/);
    }
  });
  it('AdminNetworkPolicyIngressTCP: allowed at the named port only (index 5), denied elsewhere (index 6)', () => {
    assert.equal(verdict(ingressTcp(), 'hufflepuff', 'gryffindor', 80).allowed, 'yes');
    const v = verdict(ingressTcp(), 'hufflepuff', 'gryffindor', 8080);
    assert.equal(v.allowed, 'no');
    assert.equal(v.ingress.adminRule?.ruleName, 'deny-from-hufflepuff-everything-else');
  });
  it('AdminNetworkPolicyIngressTCP: rules swapped, Deny first: denied on every port', () => {
    for (const port of [80, 8080]) {
      const v = verdict(ingressTcp([1, 0, 2, 3, 4, 5, 6, 7, 8]), 'ravenclaw', 'gryffindor', port);
      assert.equal(v.allowed, 'no');
      assert.match(v.ingress.explanation, /DENIED by AdminNetworkPolicy ingress-tcp \(priority 3\) ingress\[0\] "deny-from-ravenclaw-everything" \(action Deny; NetworkPolicies cannot allow it\)/);
    }
  });
  it('AdminNetworkPolicyIngressTCP: deny at port 80 (index 3); another port matches no rule and is allowed', () => {
    assert.equal(verdict(ingressTcp(), 'slytherin', 'gryffindor', 80).allowed, 'no');
    const v = verdict(ingressTcp(), 'slytherin', 'gryffindor', 8080);
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.tier, 'default');
  });
  it('AdminNetworkPolicyIngressTCP: Pass first: handed to NetworkPolicy, which isolates nothing: allowed', () => {
    const v = verdict(ingressTcp([2, 1, 0, 3, 4, 5, 6, 7, 8]), 'ravenclaw', 'gryffindor', 80);
    assert.equal(v.allowed, 'yes');
    assert.match(v.ingress.explanation, /passed on by AdminNetworkPolicy ingress-tcp \(priority 3\) ingress\[0\] "pass-from-ravenclaw-everything" \(action Pass\) to NetworkPolicy: not isolated/);
    const p = verdict(ingressTcp([0, 1, 2, 4, 3, 5, 6, 7, 8]), 'slytherin', 'gryffindor', 80);
    assert.equal(p.allowed, 'yes', 'Pass at port 80 swapped before the Deny');
  });
  it('AdminNetworkPolicyIngressPodSelectorTCP: by pod within one namespace', () => {
    assert.equal(verdict(ingressTcp(), 'professor-dumbledore', 'gryffindor', 8080).allowed, 'yes');
    assert.equal(verdict(ingressTcp(), 'professor-quirrell', 'gryffindor', 8080).allowed, 'no');
  });
  it('only the subject is governed: the same peers toward another house are not', () => {
    assert.equal(verdict(ingressTcp([1]), 'ravenclaw', 'hufflepuff', 80).allowed, 'yes');
  });
});

/** conformance/base/api_integration/core-anp-np-banp.yaml: ANP `action`, the NetworkPolicy and the BANP each present or not. */
function integration(opts: { anp?: 'Deny' | 'Pass'; np: boolean; banp: boolean }): string {
  const docs: string[] = [];
  if (opts.anp) {
    docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: pass-example}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
  - {name: deny-all-ingress-from-slytherin, action: ${opts.anp}, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
  egress:
  - {name: deny-all-egress-to-slytherin, action: ${opts.anp}, to: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}`);
  }
  if (opts.np) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-gress-from-to-slytherin-to-gryffindor, namespace: network-policy-conformance-gryffindor}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}]
  egress: [{to: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}]`);
  }
  if (opts.banp) {
    docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
  - {name: deny-all-ingress-from-slytherin, action: Deny, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
  egress:
  - {name: deny-all-egress-to-slytherin, action: Deny, to: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}`);
  }
  return docs.join('\n---\n');
}

describe('admin network policy: the three tiers together (admin-network-policy-core-integration.go)', () => {
  it('an AdminNetworkPolicy Deny wins over a NetworkPolicy that allows', () => {
    const v = verdict(integration({ anp: 'Deny', np: true, banp: true }), 'slytherin', 'gryffindor', 80);
    assert.equal(v.allowed, 'no');
    assert.equal(v.ingress.tier, 'AdminNetworkPolicy');
    const e = verdict(integration({ anp: 'Deny', np: true, banp: true }), 'gryffindor', 'slytherin', 8080);
    assert.equal(e.egress.allowed, 'no', 'egress of the subject too');
  });
  it('Pass hands it to the NetworkPolicy, which allows, above the baseline that denies', () => {
    const v = verdict(integration({ anp: 'Pass', np: true, banp: true }), 'slytherin', 'gryffindor', 80);
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.tier, 'NetworkPolicy');
    assert.match(v.ingress.explanation, /passed on by AdminNetworkPolicy pass-example \(priority 10\) ingress\[0\] "deny-all-ingress-from-slytherin" \(action Pass\) to NetworkPolicy: allowed by network-policy-conformance-gryffindor\/allow-gress-from-to-slytherin-to-gryffindor ingress\[0\]/);
  });
  it('Pass with no NetworkPolicy isolating the Pod: the baseline decides (Deny)', () => {
    const v = verdict(integration({ anp: 'Pass', np: false, banp: true }), 'slytherin', 'gryffindor', 80);
    assert.equal(v.allowed, 'no');
    assert.equal(v.ingress.tier, 'BaselineAdminNetworkPolicy');
    assert.match(v.ingress.explanation, /not isolated by any NetworkPolicy; DENIED by BaselineAdminNetworkPolicy default ingress\[0\] "deny-all-ingress-from-slytherin" \(action Deny\)/);
  });
  it('a trace dropped by an admin tier says which kind of policy dropped it, in the reason, the delivery hop and the endpoint', () => {
    const traceOf = (opts: Parameters<typeof integration>[0]) => {
      const a = new Analysis();
      a.setFile('houses.yaml', houses());
      a.setFile('policies.yaml', integration(opts));
      const index = a.index();
      const from = index.model.workloads.find((w) => w.name === 'slytherin')!;
      const to = index.model.workloads.find((w) => w.name === 'gryffindor')!;
      return traceRequest(index.model, index, { from: { kind: 'workload', namespace: from.namespace, workloadKind: from.kind, name: from.name }, to: { kind: 'pod', namespace: to.namespace, name: to.name, workloadKind: to.kind, port: 80 } } as TraceOptions);
    };
    const baseline = traceOf({ anp: 'Pass', np: false, banp: true });
    assert.equal(baseline.verdict, 'dropped');
    assert.match(baseline.reason, /^BaselineAdminNetworkPolicy drops it: .*DENIED by BaselineAdminNetworkPolicy default/);
    assert.ok(baseline.hops.some((h) => h.kind === 'pod' && /: BaselineAdminNetworkPolicy drops it first$/.test(h.detail)), baseline.hops.map((h) => h.detail).join('\n'));
    const admin = traceOf({ anp: 'Deny', np: true, banp: true });
    assert.match(admin.reason, /^AdminNetworkPolicy drops it: /);
    assert.equal(admin.endpoints[0]?.blockedBy, 'AdminNetworkPolicy');
  });

  it('a NetworkPolicy that isolates the Pod decides above the baseline', () => {
    assert.equal(verdict(integration({ np: true, banp: true }), 'slytherin', 'gryffindor', 80).allowed, 'yes');
    assert.equal(verdict(integration({ np: false, banp: true }), 'slytherin', 'gryffindor', 80).allowed, 'no');
    assert.equal(verdict(integration({ np: false, banp: false }), 'slytherin', 'gryffindor', 80).allowed, 'yes');
  });
});

describe('admin network policy: priority (admin-network-policy-core-priority.go)', () => {
  const priority = (passPriority: number) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: priority-50-example}
spec:
  priority: 50
  subject: {pods: {namespaceSelector: {matchLabels: {conformance-house: gryffindor}}, podSelector: {matchLabels: {conformance-house: gryffindor}}}}
  ingress:
  - name: deny-all-ingress-from-slytherin
    action: Deny
    from: [{pods: {namespaceSelector: {matchLabels: {conformance-house: slytherin}}, podSelector: {matchLabels: {conformance-house: slytherin}}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: old-priority-60-new-priority-40-example}
spec:
  priority: ${passPriority}
  subject: {pods: {namespaceSelector: {matchLabels: {conformance-house: gryffindor}}, podSelector: {matchLabels: {conformance-house: gryffindor}}}}
  ingress:
  - name: pass-all-ingress-from-slytherin
    action: Pass
    from: [{pods: {namespaceSelector: {matchLabels: {conformance-house: slytherin}}, podSelector: {matchLabels: {conformance-house: slytherin}}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {pods: {namespaceSelector: {matchLabels: {conformance-house: gryffindor}}, podSelector: {matchLabels: {conformance-house: gryffindor}}}}
  ingress:
  - name: allow-all-ingress-from-slytherin
    action: Allow
    from: [{pods: {namespaceSelector: {matchLabels: {conformance-house: slytherin}}, podSelector: {matchLabels: {conformance-house: slytherin}}}}]
`;
  it('priority 50 Deny before priority 60 Pass: denied', () => {
    const v = verdict(priority(60), 'slytherin', 'gryffindor', 80);
    assert.equal(v.allowed, 'no');
    assert.equal(v.ingress.adminRule?.policy, 'priority-50-example');
  });
  it('the Pass moved to priority 40 comes first: NetworkPolicy isolates nothing, the baseline allows', () => {
    const v = verdict(priority(40), 'slytherin', 'gryffindor', 80);
    assert.equal(v.allowed, 'yes');
    assert.equal(v.ingress.tier, 'BaselineAdminNetworkPolicy');
  });
  it('the same priority: the order is the network plugin\'s, so an answer that depends on it is unknown', () => {
    const v = verdict(priority(50), 'slytherin', 'gryffindor', 80);
    assert.equal(v.allowed, 'unknown');
    assert.match(v.ingress.explanation, /AdminNetworkPolicies old-priority-60-new-priority-40-example and priority-50-example \(priority 50\) share a priority and decide differently/);
  });
});

describe('admin network policy: egress to networks (admin-network-policy-standard-egress-inline-cidr-rules.go)', () => {
  const policy = `apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: inline-cidr-as-peers-example}
spec:
  tier: Admin
  priority: 85
  subject: {pods: {namespaceSelector: {matchLabels: {conformance-house: gryffindor}}, podSelector: {matchLabels: {conformance-house: gryffindor}}}}
  egress:
  - name: allow-egress-to-slytherin
    action: Accept
    to: [{pods: {namespaceSelector: {matchLabels: {conformance-house: slytherin}}, podSelector: {matchLabels: {conformance-house: slytherin}}}}]
  - name: deny-egress-to-internet
    action: Deny
    to: [{networks: [0.0.0.0/0, "::/0"]}]
`;
  it('the Accept for slytherin comes before the Deny of every network', () => {
    const v = verdict(policy, 'gryffindor', 'slytherin', 80);
    assert.equal(v.egress.allowed, 'yes');
    assert.match(v.egress.explanation, /allowed by ClusterNetworkPolicy inline-cidr-as-peers-example \(priority 85\) egress\[0\] "allow-egress-to-slytherin" \(action Accept;/);
  });
  it('every other Pod is in 0.0.0.0/0 or ::/0: denied, whatever its address', () => {
    assert.equal(verdict(policy, 'gryffindor', 'hufflepuff', 80).egress.allowed, 'no');
  });
  it('0.0.0.0/0 alone holds every IPv4 Pod: the condition says the family is what is open', () => {
    const v = verdict(policy.replace('[0.0.0.0/0, "::/0"]', '[0.0.0.0/0]'), 'gryffindor', 'hufflepuff', 80);
    assert.equal(v.egress.allowed, 'unknown');
    assert.deepEqual(v.egress.conditions, ["not: network-policy-conformance-hufflepuff/Deployment/hufflepuff's Pod address is in 0.0.0.0/0 (every IPv4 address: it holds unless the address is IPv6)"]);
  });
});

describe('admin network policy: reading', () => {
  it('Pass in a BaselineAdminNetworkPolicy is rejected by the API: a finding at its line, the rule left out', () => {
    const a = new Analysis();
    a.setFile(
      'banp.yaml',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  ingress:\n  - name: x\n    action: Pass\n    from: [{namespaces: {}}]\n',
    );
    const f = a.findings().filter((x) => x.rule === 'manifest-invalid-value');
    assert.equal(f.length, 1);
    assert.equal(a.parsed('banp.yaml')!.lines.positionAt(f[0].loc.start).line, 8);
    assert.match(f[0].message, /action "Pass" is not one the API accepts here \(Allow or Deny; the baseline tier has no tier below it to pass to\)/);
    assert.equal(a.model().adminNetworkPolicies[0].ingress.length, 0);
  });
  it('an external client reaching a subject Pod: ingress peers are Pods only, so the admin rules do not match', () => {
    const v = verdict(integration({ anp: 'Deny', np: false, banp: true }), 'external', 'gryffindor', 80);
    assert.equal(v.ingress.allowed, 'yes');
  });
});

describe('admin network policy: nodes and named ports', () => {
  const nodes = `apiVersion: v1
kind: Node
metadata: {name: cp-1, labels: {node-role.kubernetes.io/control-plane: ""}}
---
apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: protect-control-plane}
spec:
  priority: 1
  subject: {namespaces: {}}
  egress:
  - name: deny-to-control-plane
    action: Deny
    to: [{nodes: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}}]
  ingress:
  - name: allow-dns-by-name
    action: Allow
    from: [{namespaces: {}}]
    ports: [{namedPort: dns}]
`;
  function toNode(name: string) {
    const a = new Analysis();
    a.setFile('houses.yaml', houses());
    a.setFile('nodes.yaml', nodes);
    const w = a.model().workloads.find((x) => x.name === 'gryffindor')!;
    return evaluatePolicies(a.index(), {
      source: workloadSubject(w),
      destination: { kind: 'node', name: `node ${name}`, nodeName: name, family: 4, objectIds: [] },
      protocol: 'TCP',
      port: 6443,
    });
  }
  it('egress to a Node chosen by its labels', () => {
    const cp = toNode('cp-1');
    assert.equal(cp.egress.allowed, 'no');
    assert.equal(cp.egress.adminRule?.ruleName, 'deny-to-control-plane');
    assert.equal(toNode('worker-1').egress.allowed, 'yes');
  });
  it('a namedPort is the destination container\'s port of that name', () => {
    const a = new Analysis();
    a.setFile('houses.yaml', houses().replace('{containerPort: 53, protocol: UDP}', '{containerPort: 53, protocol: UDP, name: dns}'));
    a.setFile('nodes.yaml', nodes);
    const ws = a.model().workloads;
    const q = (port: number, protocol: Protocol) =>
      evaluatePolicies(a.index(), { source: workloadSubject(ws.find((x) => x.name === 'slytherin')!), destination: workloadSubject(ws.find((x) => x.name === 'gryffindor')!), protocol, port });
    assert.equal(q(53, 'UDP').ingress.tier, 'AdminNetworkPolicy');
    assert.equal(q(53, 'TCP').ingress.tier, 'default', 'the name is of a UDP port');
  });
});
