// The examples under examples/ carry deliberate mistakes, each marked by a
// "# MISTAKE: <rule-id> ..." comment near the line the finding is about. Each
// must be found in the marker's YAML document (a finding points at the most
// precise place, which may be the enclosing item a line above the comment);
// nothing else may be an error.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';

const ROOT = 'examples';

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : /\.(ya?ml|json)$/.test(n) ? [p] : [];
    });
}

interface Marker {
  file: string;
  rule: string;
  line: number;
  /** The first and last line of the marker's YAML document. */
  docStart: number;
  docEnd: number;
}

function markers(file: string, text: string): Marker[] {
  const lines = text.split(/\r?\n/);
  const out: Marker[] = [];
  lines.forEach((l, i) => {
    const m = /#\s*MISTAKE:\s*([a-z0-9-]+)/.exec(l);
    if (!m) return;
    let start = i;
    while (start > 0 && !/^---(\s|$)/.test(lines[start - 1])) start--;
    let end = i;
    while (end + 1 < lines.length && !/^---(\s|$)/.test(lines[end + 1])) end++;
    out.push({ file, rule: m[1], line: i + 1, docStart: start + 1, docEnd: end + 1 });
  });
  return out;
}

const examples = existsSync(ROOT) ? readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory()) : [];

describe('examples: every marked mistake is found, nothing else is an error', () => {
  it('has examples (they are part of the repository)', () => {
    assert.ok(examples.length > 0, `no example folders under ${ROOT}/`);
  });
  for (const name of examples) {
    it(name, () => {
      const a = new Analysis();
      const marks: Marker[] = [];
      for (const f of files(join(ROOT, name))) {
        const text = readFileSync(f, 'utf8');
        a.setFile(f, text);
        marks.push(...markers(f, text));
      }
      assert.ok(marks.length > 0, `${name} has no MISTAKE markers`);
      const found = a.findings().map((f) => ({ f, line: (a.parsed(f.loc.file) as NonNullable<ReturnType<typeof a.parsed>>).lines.positionAt(f.loc.start).line }));
      const explained = new Set<(typeof found)[number]>();
      for (const m of marks) {
        const hit = found.find((x) => x.f.rule === m.rule && x.f.loc.file === m.file && x.line >= m.docStart && x.line <= m.docEnd);
        assert.ok(hit, `${m.file}:${m.line}: ${m.rule} not found (found: ${found.map((x) => `${x.f.loc.file}:${x.line} ${x.f.rule}`).join('; ')})`);
        explained.add(hit);
      }
      const unexpected = found.filter((x) => x.f.severity === 'error' && !explained.has(x));
      assert.deepEqual(unexpected.map((x) => `${x.f.loc.file}:${x.line} ${x.f.rule}: ${x.f.message}`), []);
    });
  }
});
