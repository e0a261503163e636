// package.json's `kni.*` settings are generated from the rules catalogue by
// scripts/gen-package-contributes.mjs; this fails when someone changed the
// catalogue (or package.json) without running it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES } from '../../../src/core/rules/catalogue';
// @ts-expect-error: a plain .mjs script without type declarations
import { configurationFor, withConfiguration } from '../../../scripts/gen-package-contributes.mjs';

describe('package.json contributes', () => {
  const text = readFileSync('package.json', 'utf8');
  const pkg = JSON.parse(text);

  it('is what scripts/gen-package-contributes.mjs generates from the catalogue', () => {
    assert.deepEqual(pkg.contributes.configuration, configurationFor(RULES), 'run: node scripts/gen-package-contributes.mjs');
    assert.equal(withConfiguration(text, RULES), text, 'run: node scripts/gen-package-contributes.mjs');
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
    assert.deepEqual(commands.sort(), ['KNI:kni.lintWorkspace', 'KNI:kni.openInspector', 'KNI:kni.refresh', 'KNI:kni.selectClusterContext', 'KNI:kni.showRenderInInspector', 'KNI:kni.traceRequest']);
    const source = readFileSync('src/extension/commands.ts', 'utf8');
    for (const c of pkg.contributes.commands) assert.ok(source.includes(`'${c.command}'`), `${c.command} is not registered in src/extension/commands.ts`);
  });

  it('declares Restricted Mode and virtual workspace support with descriptions', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description, /never contacts a cluster/);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
  });
});
