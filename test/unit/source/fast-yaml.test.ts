// The faster YAML reader against the parser it stands in for: wherever it
// reads a document, it must give the very tree @stoplight/yaml-ast-parser
// gives (kinds, every start and end offset, scalar values, their types, the
// comments), and it must hand back every document the parser reports any
// error or warning in. Checked on the examples, the generated workspaces, the
// real-world corpus in ../shared/corpus (skipped where it is absent), and on
// those documents broken at random (KNI_FUZZ_RUNS and KNI_FUZZ_SEED run more or
// other random cases than the 4,000 of the fixed seed).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { safeLoadAll, type YAMLNode } from '@stoplight/yaml-ast-parser';
import { readSingleDocument, typedValue } from '../../../src/core/source/manifests/fast-yaml';
import { documentPieces } from '../../../src/core/source/manifests/parse';
import { CORPUS_DIR, manifestFiles, skipWithoutCorpus } from '../../fixtures/corpus';
import { generateManifests } from '../../fixtures/source/generate';

const corpus = CORPUS_DIR;
const RUNS = Number(process.env.KNI_FUZZ_RUNS ?? 4000);
const SEED = Number(process.env.KNI_FUZZ_SEED ?? 20261207);

/** Every document piece of the texts, as parseManifestFile cuts them. */
function pieces(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const cuts = documentPieces(text);
    for (let i = 0; i < cuts.length; i += 2) out.push(text.slice(cuts[i], cuts[i + 1]));
  }
  return out;
}

type AnyNode = (YAMLNode & { items?: (YAMLNode | null)[]; plainScalar?: boolean }) | null | undefined;

/** The first difference between two trees, or undefined when they are the same. */
function difference(fast: AnyNode, slow: AnyNode, path: string): string | undefined {
  if (!fast || !slow) return fast || slow ? `${path}: ${fast ? 'node' : 'null'} vs ${slow ? 'node' : 'null'}` : undefined;
  for (const field of ['kind', 'startPosition', 'endPosition'] as const) {
    if (fast[field] !== slow[field]) return `${path}: ${field} ${fast[field]} vs ${slow[field]}`;
  }
  switch (slow.kind) {
    case 0: {
      if (fast.value !== slow.value) return `${path}: value ${JSON.stringify(fast.value)} vs ${JSON.stringify(slow.value)}`;
      if (!!fast.plainScalar !== !!slow.plainScalar) return `${path}: plainScalar ${fast.plainScalar} vs ${slow.plainScalar}`;
      const a: unknown = fast.valueObject;
      const b: unknown = slow.valueObject;
      const same = a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : Object.is(a, b);
      if (!same) return `${path}: valueObject ${String(a)} vs ${String(b)}`;
      return undefined;
    }
    case 1:
      return difference(fast.key, slow.key, `${path}.key`) ?? difference(fast.value, slow.value, `${path}.value`);
    case 2: {
      const a = fast.mappings as YAMLNode[];
      const b = slow.mappings as YAMLNode[];
      if (a.length !== b.length) return `${path}: ${a.length} vs ${b.length} entries`;
      for (let i = 0; i < a.length; i++) {
        const d = difference(a[i], b[i], `${path}.${String(b[i].key?.value)}`);
        if (d) return d;
      }
      return undefined;
    }
    case 3: {
      const a = fast.items ?? [];
      const b = slow.items ?? [];
      if (a.length !== b.length) return `${path}: ${a.length} vs ${b.length} items`;
      for (let i = 0; i < a.length; i++) {
        const d = difference(a[i], b[i], `${path}[${i}]`);
        if (d) return d;
      }
      return undefined;
    }
    default:
      return `${path}: kind ${slow.kind} read by the fast path`;
  }
}

/** Why the fast reader's answer for a piece is wrong, or undefined when it is right. */
function check(source: string): { fast: boolean; problem?: string } {
  const fast = readSingleDocument(source);
  if (!fast) return { fast: false };
  const docs: YAMLNode[] = [];
  try {
    safeLoadAll(source, (d) => docs.push(d));
  } catch (e) {
    return { fast: true, problem: `the parser threw (${String(e)}) where the fast path read a document` };
  }
  if (docs.length !== 1) return { fast: true, problem: `the parser read ${docs.length} documents` };
  const errors = docs[0].errors;
  if (errors.length > 0) return { fast: true, problem: `the parser reported "${errors[0].reason}" at ${errors[0].mark?.position}` };
  const d = difference(fast, docs[0], '$');
  if (d) return { fast: true, problem: d };
  const a = (fast.comments ?? []).map((c) => [c.startPosition, c.endPosition]);
  const b = (docs[0].comments ?? []).map((c) => [c.startPosition, c.endPosition]);
  if (JSON.stringify(a) !== JSON.stringify(b)) return { fast: true, problem: `comments ${JSON.stringify(a)} vs ${JSON.stringify(b)}` };
  return { fast: true };
}

function assertAllSame(sources: readonly string[]): number {
  let fast = 0;
  for (const source of sources) {
    const r = check(source);
    if (r.problem) assert.fail(`${r.problem}\n--- document:\n${source}`);
    if (r.fast) fast++;
  }
  return fast;
}

const EXAMPLES = readdirSync('examples/shop')
  .sort()
  .map((f) => readFileSync(join('examples/shop', f), 'utf8'));

/** A document broken at one place: the characters and edits YAML is most sensitive to. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(' ', '  ', '\n', '\r\n', ':', ': ', '- ', '-', '#', ' #x', '"', "'", '[', ']', '{', '}', ',', '|', '>', '|-', '\t', '&a ', '*a', '!!str ', '? ', 'x', '0', '1.5', '\\', '\\u00e9', '~', 'null', '---\n', '...\n', '\u0007', '\uFEFF', 'é') }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(source: string, m: Mutation): string {
  const at = source.length === 0 ? 0 : m.at % source.length;
  switch (m.op) {
    case 'insert':
      return source.slice(0, at) + m.text + source.slice(at);
    case 'delete':
      return source.slice(0, at) + source.slice(at + m.length);
    case 'duplicate-line':
    case 'indent': {
      const start = source.lastIndexOf('\n', at - 1) + 1;
      let end = source.indexOf('\n', at);
      end = end < 0 ? source.length : end + 1;
      const line = source.slice(start, end);
      if (m.op === 'duplicate-line') return source.slice(0, end) + line + source.slice(end);
      const changed = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return source.slice(0, start) + changed + source.slice(end);
    }
  }
}

describe('manifest source: the fast YAML reader', () => {
  it('types plain scalars as the parser\'s schema does', () => {
    const cases = ['80', '-1', '+2', '0x1F', '0o17', '017', '1_000', '1.5', '.5', '-.inf', '.NaN', '1e3', '6.8523015e+5', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', 'true', 'True', 'FALSE', 'yes', 'on', 'null', 'Null', '~', '<<', 'http', 'nginx:1.27', '_1', 'n', 't', 'f', '.', '1.2.3', '0.0.0.0/0'];
    for (const text of cases) {
      const r = check(`x: ${text}\n`);
      assert.equal(r.problem, undefined, text);
      assert.ok(r.fast, text);
    }
    assert.deepEqual(['80', '0x1F', 'True', 'null', '~', 'yes', 'on', 'http'].map(typedValue), [80, 31, true, null, null, undefined, undefined, undefined]);
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[-+.~<_0-9a-zA-Z:eExXoO]{1,12}$/), fc.stringMatching(/^[0-9]{1,18}$/), fc.constantFrom('null', 'NULL', 'nULL', 'True', 'tRUE', 'FALSE', 'False', 'fAlse', 'falsey')), (text) => {
        const r = check(`x: ${text}\n`);
        return r.problem === undefined;
      }),
      { numRuns: 3000 },
    );
  });

  it('reads lines indented less inside quoted scalars and flow collections as the parser does (it reports nothing there)', () => {
    const cases = [
      "metadata:\n  annotations:\n    a: '[\n  {\"x\": 1}\n]'\n",
      'metadata:\n  annotations:\n    a: "first\n line"\n',
      'spec:\n  ports: [80,\n 443]\n',
      'spec:\n  selector: {app: web,\ntier: front}\n',
    ];
    for (const text of cases) {
      const r = check(text);
      assert.equal(r.problem, undefined, text);
      assert.ok(r.fast, text);
    }
  });

  it('reads the examples as the parser does, every document of them', () => {
    const sources = pieces(EXAMPLES);
    assert.equal(assertAllSame(sources), sources.length);
  });

  it('reads the generated workspace as the parser does, every document of it', () => {
    const sources = pieces(generateManifests({ objects: 2000, seed: 7 }).map((f) => f.text));
    assert.equal(assertAllSame(sources), sources.length);
  });

  it('reads the real-world corpus as the parser does, and nearly all of it (../shared/corpus)', function () {
    skipWithoutCorpus(this, corpus);
    const sources = pieces(manifestFiles(corpus).map((path) => readFileSync(path, 'utf8')));
    const fast = assertAllSame(sources);
    // What it hands back there: three documents with a key written twice (813 of 816 are read).
    assert.ok(fast / sources.length > 0.99, `${fast} of ${sources.length} documents read by the fast path`);
  });

  it('reads documents broken at random as the parser does, or hands them back', function () {
    this.timeout(60_000);
    const sources = pieces(EXAMPLES);
    if (existsSync(corpus)) sources.push(...pieces(manifestFiles(corpus).map((path) => readFileSync(path, 'utf8'))));
    let fastBroken = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        let source = sources[index % sources.length];
        for (const m of mutations) source = mutate(source, m);
        const r = check(source);
        if (r.problem) throw new Error(`${r.problem}\n--- document:\n${source}`);
        if (r.fast) fastBroken++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Most edits leave valid YAML that the fast path still reads; it must not simply give up on everything.
    assert.ok(fastBroken > RUNS / 4, `${fastBroken} of ${RUNS} changed documents read by the fast path`);
  });
});
