import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES, ruleInfo } from '../../../src/core/rules/catalogue';
import { ALL_RULES } from '../../../src/core/rules';
import { PARSE_RULE_IDS, PARSE_RULES } from '../../../src/core/source/manifests';

describe('rule catalogue', () => {
  it('ids are unique kebab-case, each with a title and description', () => {
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
    for (const r of RULES) {
      assert.match(r.id, /^[a-z]+(-[a-z0-9]+)*$/);
      assert.ok(r.title.length > 0 && r.description.length > 20, r.id);
    }
  });
  it('lists every rule the rules and the manifest source can report', () => {
    for (const rule of ALL_RULES) for (const id of rule.ids) assert.ok(ruleInfo(id), id);
    assert.deepEqual(PARSE_RULES.map((r) => r.id), PARSE_RULE_IDS);
    for (const p of PARSE_RULES) assert.equal(p, ruleInfo(p.id), p.id);
  });
  it('has the ids and default severities of the rules contract (docs/rules.md)', () => {
    const expected: Record<string, string> = {
      'service-no-matching-pods': 'error',
      'service-no-selector': 'info',
      'service-target-port-missing': 'error',
      'service-protocol-mismatch': 'warning',
      'service-port-invalid': 'error',
      'service-selects-many-workloads': 'info',
      'service-external-traffic-policy': 'warning',
      'statefulset-service-missing': 'error',
      'statefulset-service-not-headless': 'warning',
      'workload-selector-mismatch': 'error',
      'probe-port-missing': 'error',
      'container-port-invalid': 'error',
      'ingress-backend-service-missing': 'error',
      'ingress-backend-port-missing': 'error',
      'ingress-backend-no-endpoints': 'warning',
      'ingress-tls-host-mismatch': 'warning',
      'ingress-duplicate-route': 'warning',
      'ingress-class-missing': 'warning',
      'route-backend-missing': 'error',
      'networkpolicy-selects-nothing': 'warning',
      'networkpolicy-peer-selects-nothing': 'warning',
      'networkpolicy-port-missing': 'warning',
      'service-blocked-by-policy': 'error',
      'pod-not-isolated': 'off',
      'unknown-rule-id': 'warning',
    };
    for (const [id, severity] of Object.entries(expected)) assert.equal(ruleInfo(id)?.severity, severity, id);
  });
  it('the README documents every rule under its anchor', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const r of RULES) assert.ok(readme.includes(`rule-${r.id}`), r.id);
  });
});
