// The whole path from bytes to every output format, on the examples and the
// real-world corpus broken at random: `kni lint` in-process with --format
// text, json and sarif must never throw or print an internal error, must exit
// 0 or 1, and must print JSON and SARIF that parse, with 1-based positions
// inside the files. The trace runs on the model each broken set gives.
// Seeded and bounded (KNI_FUZZ_RUNS and KNI_FUZZ_SEED run more or other
// cases: the big fuzz is KNI_FUZZ_RUNS=10000).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runLint } from '../../../src/cli/lint';
import { Analysis } from '../../../src/core/analysis';
import { decodeManifestBytes } from '../../../src/core/text/decode';
import { traceRequest } from '../../../src/core/trace';
import { CORPUS_DIR, manifestFiles } from '../../fixtures/corpus';

const RUNS = Number(process.env.KNI_FUZZ_RUNS ?? 120);
const SEED = Number(process.env.KNI_FUZZ_SEED ?? 20261207);
const EXAMPLES = join('examples', 'shop');

/** The texts to break: the examples, and (where present) corpus files up to 40 KB each. */
function sources(): string[] {
  const out = readdirSync(EXAMPLES)
    .sort()
    .map((n) => readFileSync(join(EXAMPLES, n), 'utf8'));
  if (existsSync(CORPUS_DIR)) {
    for (const path of manifestFiles(CORPUS_DIR)) {
      const text = readFileSync(path, 'utf8');
      if (text.length <= 40_000) out.push(text);
    }
  }
  return out;
}

const textEdit = fc.oneof(
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(' ', '\n', ':', ': ', '- ', '-', '#', '"', "'", '[', ']', '{', '}', '|', '\t', '&a ', '*a', '<<: *a\n', '---\n', '{{ .Values.x }}', '1e20', '9007199254740993', '-1', 'null', '~', '0', 'é', '\u202e', '\u0000', '\r'),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);
/** What happens to the bytes after the text edits: nothing, UTF-16, or a byte that is not UTF-8. */
const byteEdit = fc.oneof(
  fc.constant({ op: 'none' as const }),
  fc.constant({ op: 'none' as const }),
  fc.constantFrom({ op: 'utf16' as const, le: true, bom: true }, { op: 'utf16' as const, le: false, bom: false }),
  fc.record({ op: fc.constant('byte' as const), at: fc.nat(), byte: fc.constantFrom(0x80, 0xc3, 0xe2, 0xed, 0xf4, 0xff, 0xfe, 0x00) }),
);

type TextEdit = typeof textEdit extends fc.Arbitrary<infer T> ? T : never;
type ByteEdit = typeof byteEdit extends fc.Arbitrary<infer T> ? T : never;

function editText(text: string, e: TextEdit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  if (e.op === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  if (e.op === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  return text.slice(0, at);
}

function toBytes(text: string, e: ByteEdit): Buffer {
  if (e.op === 'utf16') {
    const le = Buffer.from(text, 'utf16le');
    const bytes = e.le ? le : Buffer.from(le).swap16();
    return e.bom ? Buffer.concat([Buffer.from(e.le ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]) : bytes;
  }
  const bytes = Buffer.from(text);
  if (e.op === 'byte' && bytes.length > 0) bytes[e.at % bytes.length] = e.byte;
  return bytes;
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function assertRegion(r: Region, lines: number, what: string): void {
  assert.ok(r.startLine >= 1 && r.startColumn >= 1 && r.endLine >= r.startLine, `${what}: ${JSON.stringify(r)}`);
  assert.ok(r.endLine <= lines, `${what}: line ${r.endLine} of ${lines}`);
  assert.ok(r.endLine > r.startLine || r.endColumn >= r.startColumn, `${what}: ${JSON.stringify(r)}`);
}

describe('cli: fuzz (bytes -> core -> text, json, sarif)', function () {
  this.timeout(Math.max(60_000, RUNS * 500));
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kni-fuzz-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${RUNS} broken sets of files, every format well formed, nothing thrown`, async () => {
    const pool = sources();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ source: fc.nat(), edits: fc.array(textEdit, { maxLength: 4 }), bytes: byteEdit }), { minLength: 1, maxLength: 3 }),
        async (files) => {
          for (const name of readdirSync(dir)) rmSync(join(dir, name));
          const lineCounts = new Map<string, number>();
          const analysis = new Analysis();
          files.forEach((f, i) => {
            const text = f.edits.reduce(editText, pool[f.source % pool.length]);
            const bytes = toBytes(text, f.bytes);
            const name = `f${i}.yaml`;
            writeFileSync(join(dir, name), bytes);
            const decoded = decodeManifestBytes(bytes);
            analysis.setFile(name, decoded.text, decoded.source);
            lineCounts.set(name, decoded.text.split(/\r\n|\r|\n/).length);
          });
          // The core on its own: findings, the model, a trace of every Service.
          const model = analysis.model();
          analysis.findings();
          for (const s of model.services.slice(0, 3)) {
            const t = traceRequest(model, analysis.index(), { to: { kind: 'service', namespace: s.namespace, name: s.name } });
            assert.ok(['delivered', 'dropped', 'no-endpoints', 'unresolved'].includes(t.verdict));
          }
          for (const format of ['text', 'json', 'sarif'] as const) {
            let out = '';
            let err = '';
            const code = await runLint(['.', '--format', format], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: dir });
            assert.ok(code === 0 || code === 1, `${format}: exit ${code}\n${err}`);
            assert.equal(err, '', format);
            if (format === 'text') {
              assert.ok(out.endsWith('\n'), 'text ends with a line break');
              continue;
            }
            const report = JSON.parse(out);
            if (format === 'json') {
              assert.equal(report.version, 1);
              for (const f of report.findings) assertRegion({ startLine: f.range.start.line, startColumn: f.range.start.column, endLine: f.range.end.line, endColumn: f.range.end.column }, lineCounts.get(f.file)!, f.rule);
            } else {
              assert.equal(report.version, '2.1.0');
              const run = report.runs[0];
              assert.equal(run.tool.driver.name, 'kni');
              for (const r of run.results) {
                assert.ok(['error', 'warning', 'note'].includes(r.level), r.level);
                assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
                const loc = r.locations[0].physicalLocation;
                assertRegion(loc.region, lineCounts.get(loc.artifactLocation.uri)!, r.ruleId);
              }
            }
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
