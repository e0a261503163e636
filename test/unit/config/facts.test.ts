// The facts every part states (src/core/config/facts.ts) and the editor
// settings read through them: what a manifest file is, what a namespace name
// may be, the levels a rule takes, and the defaults an unset or bad setting
// falls back to, the same in the extension and the language server.
import assert from 'node:assert/strict';
import {
  allowsComments,
  CONFIG_FILE_GLOB,
  CONFIG_FILE_NAME,
  DEBOUNCE_MS,
  DEFAULT_CLUSTER_DOMAIN,
  DEFAULT_PROXY_MODE,
  isClusterDomain,
  isManifestPath,
  isNamespaceName,
  isReleaseName,
  isRuleSeverity,
  MANIFEST_GLOB,
  PROXY_MODES_TEXT,
  RULE_SEVERITIES_TEXT,
} from '../../../src/core/config/facts';
import { parseConfig } from '../../../src/core/config/load';
import { settingsFrom } from '../../../src/core/config/settings';
import type { Finding } from '../../../src/core/findings/types';
import type { KniConfig } from '../../../src/core/config/types';

describe('facts', () => {
  it('names the config file and the manifest files, as globs and by path', () => {
    assert.equal(CONFIG_FILE_NAME, '.kni.yaml');
    assert.equal(CONFIG_FILE_GLOB, '**/.kni.yaml');
    assert.equal(MANIFEST_GLOB, '**/*.{yaml,yml,json}');
    for (const p of ['a.yaml', 'k8s/B.YML', 'x/svc.Json', '.kni.yaml']) assert.equal(isManifestPath(p), true, p);
    for (const p of ['a.yaml.bak', 'Chart.lock', 'templates/_helpers.tpl', 'yaml', 'README.md']) assert.equal(isManifestPath(p), false, p);
    assert.equal(allowsComments('a/svc.yaml'), true);
    assert.equal(allowsComments('a/svc.JSON'), false);
  });

  it('checks namespace and release names as the API server and Helm do', () => {
    for (const ns of ['default', 'kube-system', 'a', '0', 'a1-b2', 'a'.repeat(63)]) assert.equal(isNamespaceName(ns), true, ns);
    for (const ns of ['', 'Shop', 'a_b', '-a', 'a-', 'a.b', ' a', 'a'.repeat(64)]) assert.equal(isNamespaceName(ns), false, ns);
    assert.equal(isReleaseName('a'.repeat(53)), true);
    assert.equal(isReleaseName('a'.repeat(54)), false, 'Helm refuses release names over 53 characters');
    assert.equal(isReleaseName('My-Release'), false);
  });

  it('checks a cluster domain as the kubelet takes it', () => {
    for (const d of ['cluster.local', 'k8s.example.com', 'Cluster.Local', 'a']) assert.equal(isClusterDomain(d), true, d);
    for (const d of ['', '.local', 'local.', 'a b', 'a_b.local']) assert.equal(isClusterDomain(d), false, d);
  });

  it('lists the rule levels and proxy modes as messages say them', () => {
    assert.equal(RULE_SEVERITIES_TEXT, 'off, info, warning or error');
    assert.equal(PROXY_MODES_TEXT, 'iptables, nftables or ipvs');
    for (const v of ['off', 'info', 'warning', 'error']) assert.equal(isRuleSeverity(v), true, v);
    for (const v of ['Error', 'warn', 'none', '', 1, null]) assert.equal(isRuleSeverity(v), false, String(v));
  });

  it('.kni.yaml refuses a level or a namespace the facts refuse, saying what is allowed', () => {
    const { problems, config } = parseConfig(CONFIG_FILE_NAME, 'rules:\n  pod-not-isolated: warn\n  service-no-selector: off\ndefaultNamespace: Shop\n');
    assert.deepEqual(
      problems.map((p) => [p.line, p.message]),
      [
        [2, 'rule pod-not-isolated: "warn" is not a level; use off, info, warning or error'],
        [4, 'defaultNamespace must be a namespace name (lowercase letters, digits and -, at most 63 characters)'],
      ],
    );
    assert.deepEqual(config.rules, { 'service-no-selector': 'off' });
  });

  it('makes a misspelt rule id a type error in findings and configuration', () => {
    // These lines only compile because of the @ts-expect-error comments: `npm run typecheck` fails if a misspelt id is accepted.
    // @ts-expect-error: not a catalogue rule id
    const finding: Finding = { rule: 'service-no-matching-pod', severity: 'error', message: '', loc: { file: '', start: 0, end: 0 }, related: [], fixes: [] };
    // @ts-expect-error: not a catalogue rule id
    const rules: KniConfig['rules'] = { 'pod-not-isloated': 'off' };
    assert.ok(finding && rules);
  });
});

describe('editor settings', () => {
  const defaults = { rules: {}, defaultNamespace: undefined, include: [], exclude: [], proxyMode: DEFAULT_PROXY_MODE, debounceMs: DEBOUNCE_MS.default, maxFileSize: undefined, clusterDomain: undefined };

  it('are the defaults when the client sends nothing, null or not an object', () => {
    for (const v of [undefined, null, 'kni', [], 42]) assert.deepEqual(settingsFrom(v), defaults, String(v));
  });

  it('read every setting an editor sends', () => {
    const s = settingsFrom({
      rules: { 'pod-not-isolated': 'warning', 'service-no-selector': 'off' },
      defaultNamespace: ' shop ',
      include: ['deploy/**', '', 3],
      exclude: ['**/old/**'],
      maxFileSize: '20MB',
      trace: { proxyMode: 'nftables', clusterDomain: 'corp.example.' },
      diagnostics: { debounceMs: 300 },
    });
    assert.deepEqual(s, {
      rules: { 'pod-not-isolated': 'warning', 'service-no-selector': 'off' },
      defaultNamespace: 'shop',
      include: ['deploy/**'],
      exclude: ['**/old/**'],
      proxyMode: 'nftables',
      debounceMs: 300,
      maxFileSize: 20 * 1024 * 1024,
      clusterDomain: 'corp.example',
    });
  });

  it('drop unknown rule ids and levels, and fall back or clamp where a value is out of bounds', () => {
    const s = settingsFrom({
      rules: { 'pod-not-isloated': 'off', 'pod-not-isolated': 'warn', 'service-no-selector': 'error' },
      defaultNamespace: '',
      maxFileSize: 'big',
      trace: { proxyMode: 'userspace', clusterDomain: 'not a domain' },
      diagnostics: { debounceMs: 99_999 },
    });
    assert.deepEqual(s.rules, { 'service-no-selector': 'error' });
    assert.equal(s.defaultNamespace, undefined);
    assert.equal(s.maxFileSize, undefined);
    assert.equal(s.proxyMode, DEFAULT_PROXY_MODE);
    assert.equal(s.clusterDomain, undefined, `undefined: traces use ${DEFAULT_CLUSTER_DOMAIN}`);
    assert.equal(s.debounceMs, DEBOUNCE_MS.maximum);
    assert.equal(settingsFrom({ diagnostics: { debounceMs: -5 } }).debounceMs, DEBOUNCE_MS.minimum);
    assert.equal(settingsFrom({ diagnostics: { debounceMs: Number.NaN } }).debounceMs, DEBOUNCE_MS.default);
  });
});
