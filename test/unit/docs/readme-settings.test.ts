// The README's settings table is written by hand; its defaults are the ones
// package.json declares and the core falls back to (SETTING_DEFAULTS in
// src/core/config/facts.ts), one row per setting. This fails when a default
// changes in one place and not in the other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SETTING_DEFAULTS, SETTINGS_SECTION } from '../../../src/core/config/facts';

describe('README settings table', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### Settings'));
  const rows = new Map<string, string>();
  for (const m of section.slice(0, section.indexOf('\n#', 1)).matchAll(/^\| `([^`]+)` \| `([^`]*)` \|/gm)) rows.set(m[1], m[2]);

  it('has a row per setting with the default the core uses', () => {
    assert.deepEqual(
      [...rows.keys()].sort(),
      Object.keys(SETTING_DEFAULTS)
        .map((k) => `${SETTINGS_SECTION}.${k}`)
        .sort(),
    );
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      const shown = typeof value === 'string' && value !== '' ? value : JSON.stringify(value);
      assert.equal(rows.get(`${SETTINGS_SECTION}.${key}`), shown, key);
    }
  });
});
