// `.kni.yaml` (the repository's shared policy) under the user's kni.* settings.
import assert from 'node:assert/strict';
import { isInScope, mergeConfig } from '../../../src/extension/analysis';
import type { EditorSettings } from '../../../src/extension/settings';

const settings = (over: Partial<EditorSettings> = {}): EditorSettings => ({ rules: {}, defaultNamespace: undefined, include: [], exclude: [], proxyMode: 'iptables', debounceMs: 150, ...over });
const FILE = 'rules:\n  service-selects-many-workloads: off\n  pod-not-isolated: warning\ndefaultNamespace: shop\ninclude: ["deploy/**"]\nexclude: ["**/testdata/**"]\n';

describe('editor configuration', () => {
  it('uses .kni.yaml when the settings say nothing', () => {
    const { config, configFindings } = mergeConfig(settings(), FILE, '.kni.yaml');
    assert.deepEqual(configFindings, []);
    assert.deepEqual(config.rules, { 'service-selects-many-workloads': 'off', 'pod-not-isolated': 'warning' });
    assert.equal(config.defaultNamespace, 'shop');
    assert.equal(isInScope(config, 'deploy/web.yaml'), true);
    assert.equal(isInScope(config, 'docs/web.yaml'), false);
    assert.equal(isInScope(config, 'deploy/testdata/bad.yaml'), false);
  });

  it('lets the user settings win rule by rule and for the namespace; globs add up', () => {
    const { config } = mergeConfig(settings({ rules: { 'pod-not-isolated': 'off' }, defaultNamespace: 'dev', include: ['charts/**'], exclude: ['**/old/**'] }), FILE, '.kni.yaml');
    assert.deepEqual(config.rules, { 'service-selects-many-workloads': 'off', 'pod-not-isolated': 'off' });
    assert.equal(config.defaultNamespace, 'dev');
    assert.equal(isInScope(config, 'charts/web.yaml'), true);
    assert.equal(isInScope(config, 'deploy/old/web.yaml'), false);
  });

  it('works without a .kni.yaml', () => {
    const { config, configFindings } = mergeConfig(settings(), undefined, '.kni.yaml');
    assert.deepEqual(configFindings, []);
    assert.deepEqual(config.rules, {});
    assert.equal(config.defaultNamespace, undefined);
    assert.equal(isInScope(config, 'anything/at/all.yaml'), true);
  });

  it('turns problems in .kni.yaml into findings at their line', () => {
    const text = 'rules:\n  no-such-rule: off\n  service-no-selector: loud\n';
    const { configFindings } = mergeConfig(settings(), text, '.kni.yaml');
    assert.deepEqual(
      configFindings.map((f) => [f.rule, f.severity, text.slice(f.loc.start, f.loc.end)]),
      [
        ['unknown-rule-id', 'warning', 'no-such-rule: off'],
        ['', 'error', 'loud'],
      ],
    );
    assert.match(configFindings[1].message, /not a level/);
  });
});
