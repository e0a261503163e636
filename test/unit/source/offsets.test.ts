// Every offset the core hands out lies within the text: an editor rejects a
// range past the end, and the CLI would print a column that does not exist.
// The parser ends a node one past the text when the file ends inside it (a
// null value, or a lone `-` without a final newline).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import type { Finding } from '../../../src/core/findings/types';
import type { Loc } from '../../../src/core/model/types';

const EXAMPLES = join('examples', 'shop');

function locsOf(f: Finding): Loc[] {
  return [f.loc, ...f.related.map((r) => r.loc), ...f.fixes.flatMap((x) => x.edits.map((e) => e.loc))];
}

/** Every Loc anywhere in a value (the model's objects hold them by the dozen). */
function modelLocs(value: unknown, out: Loc[] = []): Loc[] {
  if (value === null || typeof value !== 'object') return out;
  const v = value as Record<string, unknown>;
  if (typeof v.file === 'string' && typeof v.start === 'number' && typeof v.end === 'number') out.push(v as unknown as Loc);
  for (const child of Object.values(v)) modelLocs(child, out);
  return out;
}

function assertWithin(text: string, analysis: Analysis, what: string): void {
  for (const f of analysis.findings()) {
    for (const loc of locsOf(f)) {
      assert.ok(loc.start >= 0 && loc.start <= loc.end && loc.end <= text.length, `${what}: ${f.rule} at ${loc.start}-${loc.end} of ${text.length}`);
    }
  }
  for (const loc of modelLocs(analysis.model())) {
    assert.ok(loc.start >= 0 && loc.start <= loc.end && loc.end <= text.length, `${what}: model loc ${loc.start}-${loc.end} of ${text.length}`);
  }
}

describe('manifest source: offsets stay within the text', () => {
  it('a file ending in a lone "-" or a null value, cut after every line of the examples', () => {
    let cases = 0;
    for (const name of readdirSync(EXAMPLES).sort()) {
      const full = readFileSync(join(EXAMPLES, name), 'utf8');
      const lines = full.split('\n');
      for (let i = 1; i <= lines.length; i++) {
        const head = lines.slice(0, i).join('\n');
        const indent = /^\s*/.exec(lines[i - 1])?.[0] ?? '';
        for (const text of [`${head}\n${indent}-`, `${head}\n${indent}  -`, head.replace(/:[^:\n]*$/, ':')]) {
          const a = new Analysis();
          a.setFile('f.yaml', text);
          assertWithin(text, a, `${name} cut after line ${i}: ${JSON.stringify(text.slice(-24))}`);
          cases++;
        }
      }
    }
    assert.ok(cases > 300, `${cases} cases`);
  });

  it('the case first seen: pod template labels ending in a lone "-"', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  selector:\n    matchLabels:\n      app: w\n  template:\n    metadata:\n      labels:\n      -';
    const a = new Analysis();
    a.setFile('f.yaml', text);
    assert.ok(a.findings().length > 0, 'the mismatched selector is still reported');
    assertWithin(text, a, 'labels: -');
  });
});
