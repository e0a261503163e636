// The README's rules table is generated from the catalogue by
// scripts/gen-readme-rules.mjs; this fails when someone changed the catalogue
// (or the table by hand) without regenerating it. Diagnostics and SARIF link to
// its `rule-<id>` anchors, so every rule must have one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES } from '../../../src/core/rules/catalogue';
// @ts-expect-error: a plain .mjs script without type declarations
import { withRulesSection } from '../../../scripts/gen-readme-rules.mjs';

describe('README rules table', () => {
  const text = readFileSync('README.md', 'utf8');

  it('is what scripts/gen-readme-rules.mjs generates from the catalogue', () => {
    assert.equal(withRulesSection(text, RULES), text, 'run: node scripts/gen-readme-rules.mjs');
  });

  it('has an anchor for every rule id', () => {
    for (const r of RULES) assert.ok(text.includes(`<a id="rule-${r.id}"></a>`), `no anchor for ${r.id}`);
  });
});
