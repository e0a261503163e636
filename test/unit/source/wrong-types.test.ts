// Values of the wrong type that the API server refuses: each is one
// manifest-invalid-value finding at its line, and no rule reasons about an
// object that could not exist (a Service whose selector is a list is not "a
// Service without selector"; a NetworkPolicy port of 1e20 does not widen the
// rule to all ports).
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
`;

/** Every finding as [rule, line, message]; the Deployment takes lines 1-9. */
function lint(text: string): { findings: [string, number, string][]; analysis: Analysis } {
  const a = new Analysis();
  a.setFile('f.yaml', text);
  const lines = a.parsed('f.yaml')!.lines;
  return { findings: a.findings().map((f) => [f.rule, lines.positionAt(f.loc.start).line, f.message]), analysis: a };
}

function service(spec: string, metadata = 'metadata: {name: web}'): string {
  return `${DEPLOYMENT}apiVersion: v1\nkind: Service\n${metadata}\nspec:\n${spec}`;
}

describe('manifest source: values of the wrong type', () => {
  it('a selector written as a list: the Service is refused, not "without selector"', () => {
    const { findings, analysis } = lint(service('  selector:\n  - app: web\n  ports: [{port: 80}]\n'));
    assert.deepEqual(
      findings.map(([rule, line]) => [rule, line]),
      [['manifest-invalid-value', 15]],
    );
    assert.match(findings[0][2], /^selector is a list, but it must be a mapping .*API server rejects this object; it is left out of the model\. Write its entries as key: value lines, without "- "\.$/);
    assert.deepEqual(analysis.model().services, []);
  });

  it('labels or a NetworkPolicy podSelector written as a list, or as a string', () => {
    const labels = lint(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: [app]\nspec: {containers: [{name: c, image: x}]}\n`);
    assert.deepEqual(
      labels.findings.map(([rule, line, message]) => [rule, line, message.slice(0, 36)]),
      [['manifest-invalid-value', 5, 'labels is a list, but it must be a m']],
    );
    const policy = lint(`${DEPLOYMENT}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n  podSelector: app=web\n`);
    assert.deepEqual(
      policy.findings.map(([rule, line, message]) => [rule, line, message.slice(0, 42)]),
      [['manifest-invalid-value', 14, 'selector is the value "app=web", but it mu']],
    );
  });

  it('a Service without metadata, or without a name: refused at its metadata (or kind) line; generateName is a name', () => {
    const none = lint(service('  selector: {app: web}\n  ports: [{port: 80}]\n', ''));
    assert.deepEqual(
      none.findings.map(([rule, line, message]) => [rule, line, message]),
      [['manifest-invalid-value', 11, 'This Service has no metadata.name, so the API server rejects it; it is left out of the model. Give it a name.']],
    );
    const nameless = lint(service('  selector: {app: web}\n  ports: [{port: 80}]\n', 'metadata:\n  labels: {app: web}'));
    assert.deepEqual(
      nameless.findings.map(([rule, line]) => [rule, line]),
      [['manifest-invalid-value', 13]],
    );
    const generated = lint(`apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\nspec: {template: {spec: {containers: [{name: c, image: x}]}}}\n`);
    assert.deepEqual(generated.findings, []);
    assert.equal(generated.analysis.model().workloads.length, 1);
  });

  it('ports beyond 2^53 or int32 are reported as written, never as a rounded number', () => {
    const { findings } = lint(service('  selector: {app: web}\n  ports:\n  - port: 9007199254740993\n  - port: 80\n    targetPort: 18446744073709551616\n'));
    assert.deepEqual(
      findings.map(([rule, line]) => [rule, line]),
      [
        ['manifest-invalid-value', 16],
        ['manifest-invalid-value', 18],
      ],
    );
    assert.match(findings[0][2], /^port is 9007199254740993, larger than any value the field holds \(at most 2147483647\)/);
    assert.match(findings[1][2], /^targetPort is 18446744073709551616, larger than/);
    for (const [, , message] of findings) assert.doesNotMatch(message, /9007199254740992|18446744073709552000/);
    const container = lint(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n    ports: [{containerPort: 2147483648}]\n`);
    assert.deepEqual(
      container.findings.map(([rule, line, message]) => [rule, line, message.slice(0, 30)]),
      [['manifest-invalid-value', 8, 'containerPort is 2147483648, l']],
    );
  });

  it('NetworkPolicy port 1e20, endPort -1, 70000 or below port, endPort after a named port: the policy is refused, never widened', () => {
    const policy = (ports: string) =>
      lint(`${DEPLOYMENT}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n${ports}`);
    const cases: [string, RegExp][] = [
      ['    - port: 1e20\n', /^NetworkPolicy port is 1e20, larger than any value/],
      ['    - port: 80.5\n', /^NetworkPolicy port is 80\.5, not written as a whole number/],
      ['    - port: 0\n', /^NetworkPolicy port 0 is out of range/],
      ['    - port: 80\n      endPort: -1\n', /^endPort -1 is out of range/],
      ['    - port: 80\n      endPort: 70000\n', /^endPort 70000 is out of range/],
      ['    - port: 80\n      endPort: 79\n', /^endPort 79 is below port 80/],
      ['    - port: http\n      endPort: 90\n', /^endPort needs a numeric port .*the name "http"/],
    ];
    for (const [ports, message] of cases) {
      const { findings, analysis } = policy(ports);
      assert.deepEqual(
        findings.map(([rule]) => rule),
        ['manifest-invalid-value'],
        ports,
      );
      assert.match(findings[0][2], message, ports);
      assert.equal(findings[0][1], ports.includes('endPort') ? 18 : 17, ports);
      assert.deepEqual(analysis.model().networkPolicies, [], `${ports}: left out, not read as "all ports"`);
    }
    assert.deepEqual(policy('    - port: 80\n      endPort: 90\n').findings, []);
  });

  it('an ipBlock cidr or except that is not a CIDR block', () => {
    const policy = (block: string) =>
      lint(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n${block}`);
    for (const [block, line, written] of [
      ['        cidr: 999.1.1.1/99\n', 9, '999.1.1.1/99'],
      ['        cidr: 10.0.0.0\n', 9, '10.0.0.0'],
      ['        cidr: 10.0.0.0/8\n        except: [10.1.0.0/33]\n', 10, '10.1.0.0/33'],
      ['        cidr: fd00::/129\n', 9, 'fd00::/129'],
    ] as const) {
      const { findings, analysis } = policy(block);
      assert.deepEqual(
        findings.map(([rule, l]) => [rule, l]),
        [['manifest-invalid-value', line]],
        block,
      );
      assert.match(findings[0][2], new RegExp(`"${written.replace(/[.]/g, '\\.')}" is not a CIDR block`));
      assert.deepEqual(analysis.model().networkPolicies, []);
    }
    assert.deepEqual(policy('        cidr: fd00::/64\n        except: [fd00::/80]\n').findings, []);
  });

  it('a top-level JSON array of objects: one finding at its start, nothing read; other lists are not manifests', () => {
    const { findings, analysis } = lint('[\n  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}},\n  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "b"}}\n]\n');
    assert.deepEqual(
      findings.map(([rule, line]) => [rule, line]),
      [['manifest-invalid-value', 1]],
    );
    assert.match(findings[0][2], /a list of 2 objects, but kubectl reads each document as one object .*kind: List/);
    assert.deepEqual(analysis.model().services, []);
    assert.deepEqual(lint('- hosts: all\n  tasks: []\n').findings, [], 'an Ansible playbook');
  });
});
