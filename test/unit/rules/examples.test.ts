// The examples under examples/ carry deliberate mistakes, each marked by a
// "# MISTAKE: <rule-id> ..." comment near the line the finding is about. Each
// must be found in the marker's YAML document (a finding points at the most
// precise place, which may be the enclosing item a line above the comment);
// nothing else may be an error. Example folders holding charts are rendered
// with the real helm (both majors) and the findings taken back to the
// template and values lines, so a marker in a template or values file is
// checked where the user reads it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { emptyConfig } from '../../../src/core/config/types';
import { renderSet } from '../../../src/core/source/render/set';
import { LineIndex } from '../../../src/core/text/lines';
import { helmBinaries, missingTool, renderTools } from '../../fixtures/render-tools';

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
/** Folders holding a chart or a Kustomize root are rendered (Kustomize with the tests' kubectl). */
const isRendered = (dir: string): boolean => files(dir).some((f) => /(^|[\\/])(Chart|kustomization)\.ya?ml$/.test(f));
const plainExamples = examples.filter((n) => !isRendered(join(ROOT, n)));
const chartExamples = examples.filter((n) => isRendered(join(ROOT, n)));

describe('examples: every marked mistake is found, nothing else is an error', () => {
  it('has examples (they are part of the repository)', () => {
    assert.ok(examples.length > 0, `no example folders under ${ROOT}/`);
  });
  for (const name of plainExamples) {
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

/** Every file under a folder (templates and helpers too), '/'-separated. */
function allFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = `${dir}/${n}`;
      return statSync(p).isDirectory() ? allFiles(p) : [p];
    });
}

describe('chart and Kustomize examples: every marked mistake is found on its template, values or patch line, nothing else is an error', () => {
  const hasChart = (name: string) => allFiles(`${ROOT}/${name}`).some((f) => f.endsWith('/Chart.yaml'));
  for (const { major, path } of helmBinaries()) {
    // Kustomize-only examples once (with kubectl), chart examples with each Helm major.
    for (const name of chartExamples.filter((n) => hasChart(n) || major === 4)) {
      it(hasChart(name) ? `${name} (Helm ${major})` : `${name} (kubectl kustomize)`, async function () {
        this.timeout(60_000);
        if (!path) return missingTool(this, `helm ${major}`);
        if (!hasChart(name) && !renderTools().kubectl) return missingTool(this, 'kubectl');
        const dir = `${ROOT}/${name}`;
        const all = allFiles(dir);
        const out = await renderSet({
          cwd: process.cwd(),
          files: all.filter((f) => /\.(ya?ml|json)$/.test(f)),
          read: (p) => readFileSync(p, 'utf8'),
          exists: (p) => existsSync(p),
          config: emptyConfig(),
          defaultNamespace: 'default',
          settings: { helmPath: path, kustomizePath: renderTools().kubectl },
        });
        const marks: Marker[] = [];
        for (const f of all) marks.push(...markers(f, readFileSync(f, 'utf8')));
        assert.ok(marks.length > 0, `${name} has no MISTAKE markers`);
        const text = (file: string) => out.sourceTexts.get(file) ?? readFileSync(file, 'utf8');
        const found = out.findings.map((f) => ({ f, line: new LineIndex(text(f.loc.file)).positionAt(f.loc.start).line }));
        const explained = new Set<(typeof found)[number]>();
        for (const m of marks) {
          // The marker sits on the line that supplies the value: the finding is there or has a related location there.
          const hit = found.find((x) => x.f.rule === m.rule && ((x.f.loc.file === m.file && x.line === m.line) || x.f.related.some((r) => r.loc.file === m.file && new LineIndex(text(m.file)).positionAt(r.loc.start).line === m.line)));
          assert.ok(hit, `${m.file}:${m.line}: ${m.rule} not found (found: ${found.map((x) => `${x.f.loc.file}:${x.line} ${x.f.rule}`).join('; ')})`);
          explained.add(hit);
        }
        const unexpected = found.filter((x) => (x.f.severity === 'error' || x.f.severity === 'warning') && !explained.has(x));
        assert.deepEqual(unexpected.map((x) => `${x.f.loc.file}:${x.line} ${x.f.rule}: ${x.f.message}`), []);
      });
    }
  }
});
