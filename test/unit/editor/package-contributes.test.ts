// package.json's `kni.*` settings are generated from the rules catalogue and
// the facts module by scripts/gen-package-contributes.mjs; this fails when
// someone changed either (or package.json) without running it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as facts from '../../../src/core/config/facts';
import { settingsFrom } from '../../../src/core/config/settings';
import { RULES } from '../../../src/core/rules/catalogue';
// @ts-expect-error: a plain .mjs script without type declarations
import { configurationFor, withConfiguration } from '../../../scripts/gen-package-contributes.mjs';

describe('package.json contributes', () => {
  const text = readFileSync('package.json', 'utf8');
  const pkg = JSON.parse(text);

  it('is what scripts/gen-package-contributes.mjs generates from the catalogue', () => {
    assert.deepEqual(pkg.contributes.configuration, configurationFor(RULES, facts), 'run: node scripts/gen-package-contributes.mjs');
    assert.equal(withConfiguration(text, RULES, facts), text, 'run: node scripts/gen-package-contributes.mjs');
  });

  it('declares each setting with the default the core reads when it is not set', () => {
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), Object.keys(facts.SETTING_DEFAULTS).map((k) => `kni.${k}`).sort());
    for (const [key, value] of Object.entries(facts.SETTING_DEFAULTS)) assert.deepEqual(props[`kni.${key}`].default, value, key);
    // The package.json defaults, read as an editor sends them, are the core's own defaults.
    const sent = { rules: {}, defaultNamespace: '', include: [], exclude: [], maxFileSize: '', trace: { proxyMode: props['kni.trace.proxyMode'].default, clusterDomain: props['kni.trace.clusterDomain'].default }, diagnostics: { debounceMs: props['kni.diagnostics.debounceMs'].default } };
    assert.deepEqual(settingsFrom(sent), { ...settingsFrom(undefined), clusterDomain: facts.DEFAULT_CLUSTER_DOMAIN });
  });

  it('refuses a namespace or domain in the settings editor as the core refuses it', () => {
    const props = pkg.contributes.configuration.properties;
    const nsPattern = new RegExp(props['kni.cluster.namespaces'].items.pattern);
    const defaultNsPattern = new RegExp(props['kni.defaultNamespace'].pattern);
    const domainPattern = new RegExp(props['kni.trace.clusterDomain'].pattern);
    for (const ns of ['shop', 'a-1', '0', 'Shop', 'a_b', '-a', 'a-', 'a'.repeat(63), 'a'.repeat(64), '']) {
      const fits = nsPattern.test(ns) && ns.length <= props['kni.cluster.namespaces'].items.maxLength;
      assert.equal(fits, facts.isNamespaceName(ns), ns);
      assert.equal(defaultNsPattern.test(ns) && ns.length <= props['kni.defaultNamespace'].maxLength, ns === '' || facts.isNamespaceName(ns), ns);
    }
    for (const d of ['cluster.local', 'k8s.example.com', 'a', '.local', 'local.', 'a b']) assert.equal(domainPattern.test(d), facts.isClusterDomain(d), d);
  });

  it('has one kni.rules property per catalogue rule, with its default and the four levels', () => {
    const props = pkg.contributes.configuration.properties['kni.rules'].properties;
    assert.deepEqual(Object.keys(props).sort(), RULES.map((r) => r.id).sort());
    for (const r of RULES) {
      assert.equal(props[r.id].default, r.severity, r.id);
      assert.deepEqual(props[r.id].enum, ['off', 'info', 'warning', 'error']);
      assert.match(props[r.id].markdownDescription, new RegExp(r.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
  });

  it('declares every command it registers under the KNI category', () => {
    const commands = pkg.contributes.commands.map((c: { command: string; category: string }) => `${c.category}:${c.command}`);
    assert.deepEqual(commands.sort(), [
      'KNI:kni.lintWorkspace',
      'KNI:kni.network.refresh',
      'KNI:kni.network.reveal',
      'KNI:kni.network.showInInspector',
      'KNI:kni.network.traceRequest',
      'KNI:kni.openInspector',
      'KNI:kni.refresh',
      'KNI:kni.selectClusterContext',
      'KNI:kni.showRenderInInspector',
      'KNI:kni.traceRequest',
    ]);
    // The Network view registers its own (they act on its items).
    const source = (c: string) => readFileSync(c.startsWith('kni.network.') ? 'src/extension/network-view.ts' : 'src/extension/commands.ts', 'utf8');
    for (const c of pkg.contributes.commands) assert.ok(source(c.command).includes(`'${c.command}'`), `${c.command} is not registered where it belongs`);
  });

  it('contributes the Network view: its container, welcome views, and actions shown only on items they apply to', () => {
    const c = pkg.contributes;
    const [container] = c.viewsContainers.activitybar;
    assert.equal(container.id, 'kni');
    assert.ok(existsSync(container.icon), container.icon);
    assert.deepEqual(c.views.kni.map((v: { id: string }) => v.id), ['kni.network']);
    assert.deepEqual(c.viewsWelcome.map((w: { when: string }) => w.when).sort(), ['kni.networkEmpty == cluster', 'kni.networkEmpty == files']);
    const inline = c.menus['view/item/context'].filter((m: { group: string }) => m.group.startsWith('inline'));
    assert.deepEqual(inline.map((m: { command: string }) => m.command), ['kni.network.traceRequest', 'kni.network.showInInspector']);
    // An item's contextValue is its kind, then .traceable, .inspectable, .revealable (network-view.ts): each action's clause picks its flag.
    const when = (command: string) => new RegExp(inline.find((m: { command: string }) => m.command === command).when.match(/=~ \/(.*)\/$/)[1]);
    assert.ok(when('kni.network.traceRequest').test('service.traceable.inspectable.revealable'));
    assert.ok(!when('kni.network.traceRequest').test('networkPolicy.revealable'));
    assert.ok(when('kni.network.showInInspector').test('workload.inspectable'));
    assert.ok(!when('kni.network.showInInspector').test('policyRule.traceable.revealable'));
    // Actions on an item take it as their argument: hidden from the Command Palette.
    const hidden = c.menus.commandPalette.filter((m: { when: string }) => m.when === 'false').map((m: { command: string }) => m.command);
    assert.deepEqual(hidden.sort(), ['kni.network.reveal', 'kni.network.showInInspector', 'kni.network.traceRequest']);
  });

  it('declares Restricted Mode and virtual workspace support with descriptions', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description, /never contacts a cluster/);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
  });
});
