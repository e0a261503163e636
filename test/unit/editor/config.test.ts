// `.kni.yaml` (the repository's shared policy) under the user's kni.* settings.
import assert from 'node:assert/strict';
import { combineFolderConfigs, isInScope, mergeConfig, severityIn } from '../../../src/core/workspace/folder-config';
import type { EditorSettings } from '../../../src/core/config/settings';
import type { RuleId } from '../../../src/core/rules/catalogue';

const settings = (over: Partial<EditorSettings> = {}): EditorSettings => ({ rules: {}, defaultNamespace: undefined, include: [], exclude: [], proxyMode: 'iptables', debounceMs: 150, maxFileSize: undefined, ...over });
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

  it('takes the size limit from kni.maxFileSize, else from .kni.yaml; the workspace from the first folder that sets one', () => {
    assert.equal(mergeConfig(settings(), 'maxFileSize: 20MB\n', '.kni.yaml').config.maxFileSize, 20 * 1024 * 1024);
    assert.equal(mergeConfig(settings({ maxFileSize: 1000 }), 'maxFileSize: 20MB\n', '.kni.yaml').config.maxFileSize, 1000);
    assert.equal(mergeConfig(settings(), undefined, '.kni.yaml').config.maxFileSize, undefined);
    const folders = [mergeConfig(settings(), undefined, 'a/.kni.yaml'), mergeConfig(settings(), 'maxFileSize: 1KB\n', 'b/.kni.yaml')];
    assert.equal(combineFolderConfigs(folders, settings()).config.maxFileSize, 1024);
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
        ['config-invalid', 'error', 'loud'],
      ],
    );
    assert.match(configFindings[1].message, /not a level/);
  });

  it('an unknown key is a config-invalid finding that the rule\'s severity governs', () => {
    const text = 'rulez:\n  service-no-selector: off\n';
    const { configFindings } = mergeConfig(settings(), text, '.kni.yaml');
    assert.deepEqual(
      configFindings.map((f) => [f.rule, f.severity, text.slice(f.loc.start, f.loc.end)]),
      [['config-invalid', 'error', 'rulez:']],
    );
    assert.deepEqual(mergeConfig(settings({ rules: { 'config-invalid': 'warning' } }), text, '.kni.yaml').configFindings.map((f) => f.severity), ['warning']);
    assert.deepEqual(mergeConfig(settings({ rules: { 'config-invalid': 'off' } }), text, '.kni.yaml').configFindings, []);
  });
});

describe('editor configuration of a multi-root workspace', () => {
  const folder = (text: string | undefined, file: string, over: Partial<EditorSettings> = {}) => mergeConfig(settings(over), text, file);
  const finding = (rule: RuleId, severity: 'error' | 'warning' | 'info') => ({ rule, severity, message: 'm', loc: { file: 'x.yaml', start: 0, end: 1 }, related: [], fixes: [] });

  it('gives the problems of .kni.yaml their catalogued rule where there is one', () => {
    const text = 'rules: [unclosed\n';
    const { configFindings } = mergeConfig(settings(), text, 'a/.kni.yaml');
    assert.deepEqual(
      configFindings.map((f) => [f.rule, f.severity, f.loc.file]),
      [['yaml-syntax', 'error', 'a/.kni.yaml']],
    );
    // A rule turned off in the settings silences the .kni.yaml problems it covers.
    const off = mergeConfig(settings({ rules: { 'unknown-rule-id': 'off' } }), 'rules:\n  nope: off\n', '.kni.yaml');
    assert.deepEqual(off.configFindings, []);
  });

  it('runs a rule at each folder\'s severity when the folders disagree', () => {
    const a = folder('rules:\n  service-no-selector: off\n', 'a/.kni.yaml');
    const b = folder('rules:\n  service-no-selector: error\n', 'b/.kni.yaml');
    const c = folder(undefined, 'c/.kni.yaml');
    const ws = combineFolderConfigs([a, b, c], settings());
    assert.deepEqual([...ws.varying], ['service-no-selector']);
    // The core runs it at its own severity; each folder gets its own.
    assert.equal(ws.config.rules['service-no-selector'], undefined);
    const f = finding('service-no-selector', 'info');
    assert.equal(severityIn(a.config, ws.config, f), undefined);
    assert.equal(severityIn(b.config, ws.config, f), 'error');
    assert.equal(severityIn(c.config, ws.config, f), 'info');
  });

  it('runs a rule that is off by default when one folder turns it on, and only there', () => {
    const a = folder('rules:\n  pod-not-isolated: warning\n', 'a/.kni.yaml');
    const b = folder(undefined, 'b/.kni.yaml');
    const ws = combineFolderConfigs([a, b], settings());
    assert.equal(ws.config.rules['pod-not-isolated'], 'warning');
    const f = finding('pod-not-isolated', 'warning');
    assert.equal(severityIn(a.config, ws.config, f), 'warning');
    assert.equal(severityIn(b.config, ws.config, f), undefined);
  });

  it('agreeing folders need no adjustment, and include/exclude stay per folder', () => {
    const a = folder('rules:\n  service-no-selector: off\ninclude: [deploy/**]\n', 'a/.kni.yaml');
    const b = folder('rules:\n  service-no-selector: off\n', 'b/.kni.yaml');
    const ws = combineFolderConfigs([a, b], settings());
    assert.equal(ws.varying.size, 0);
    assert.equal(ws.config.rules['service-no-selector'], 'off');
    assert.equal(isInScope(a.config, 'docs/x.yaml'), false);
    assert.equal(isInScope(b.config, 'docs/x.yaml'), true);
  });

  it('one default namespace for the whole set: a folder that disagrees is told, at its line', () => {
    const aText = 'defaultNamespace: shop\n';
    const bText = 'rules: {}\ndefaultNamespace: billing\nignoreLabelKeys: [version]\n';
    const a = folder(aText, 'a/.kni.yaml');
    const b = folder(bText, 'b/.kni.yaml');
    const ws = combineFolderConfigs([a, b], settings());
    assert.equal(ws.config.defaultNamespace, 'shop');
    assert.deepEqual(ws.configFindings[0], []);
    assert.deepEqual(
      ws.configFindings[1].map((f) => [f.severity, bText.slice(f.loc.start, f.loc.end)]),
      [
        ['warning', 'defaultNamespace: billing'],
      ],
    );
    assert.match(ws.configFindings[1][0].message, /"shop" from a\/\.kni\.yaml/);
    // b is the first to set ignoreLabelKeys: it applies to the whole set.
    assert.deepEqual(ws.config.ignoreLabelKeys, ['version']);
    // The user's setting decides for every folder, and nobody is told off.
    const set = combineFolderConfigs([folder(aText, 'a/.kni.yaml', { defaultNamespace: 'dev' }), folder(bText, 'b/.kni.yaml', { defaultNamespace: 'dev' })], settings({ defaultNamespace: 'dev' }));
    assert.equal(set.config.defaultNamespace, 'dev');
    assert.deepEqual(set.configFindings, [[], []]);
  });
});
