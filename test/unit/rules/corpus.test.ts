// Corpus regression: reads the real-world manifest corpus at ../shared/corpus
// (relative to the repository; skipped cleanly when it is absent). Each
// `<owner>__<repo>` directory is linted as ONE set, and every error and
// warning (rule, file, line, message) must equal test/golden/corpus.json.
// Every golden entry was reviewed against the manifest it points at.
//
// To regenerate after an intended change: KNI_UPDATE_GOLDEN=1 node test/run-unit.mjs corpus
// (then review the diff entry by entry).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { CORPUS_DIR, manifestFiles, skipWithoutCorpus } from '../../fixtures/corpus';

const CORPUS = CORPUS_DIR;
const GOLDEN = join('test', 'golden', 'corpus.json');

interface Entry {
  rule: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

export function lintRepo(repoDir: string): { entries: Entry[]; objects: number; infos: number } {
  const a = new Analysis();
  const paths = manifestFiles(repoDir).map((p) => relative(CORPUS, p).split('\\').join('/'));
  for (const p of paths) a.setFile(p, readFileSync(join(CORPUS, p), 'utf8'));
  const entries: Entry[] = [];
  let infos = 0;
  for (const f of a.findings()) {
    if (f.severity === 'info') {
      infos++;
      continue;
    }
    const line = a.parsed(f.loc.file)?.lines.positionAt(f.loc.start).line ?? 0;
    entries.push({ rule: f.rule, severity: f.severity, file: f.loc.file, line, message: f.message });
  }
  let objects = 0;
  for (const p of paths) objects += a.parsed(p)?.objects.length ?? 0;
  return { entries, objects, infos };
}

describe('corpus regression (reads ../shared/corpus)', function () {
  this.timeout(60_000);
  const present = existsSync(CORPUS);
  const repos = present ? readdirSync(CORPUS).filter((n) => n.includes('__') && statSync(join(CORPUS, n)).isDirectory()).sort() : [];

  it('every error and warning equals the reviewed golden file', function () {
    skipWithoutCorpus(this, CORPUS);
    const actual: Record<string, Entry[]> = {};
    for (const repo of repos) actual[repo] = lintRepo(join(CORPUS, repo)).entries;
    if (process.env.KNI_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Entry[]>;
    assert.deepEqual(Object.keys(actual), Object.keys(golden));
    for (const repo of repos) assert.deepEqual(actual[repo], golden[repo], repo);
  });

  it('finds the problems SOURCES.md lists', function () {
    skipWithoutCorpus(this, CORPUS);
    const sock = lintRepo(join(CORPUS, 'microservices-demo__microservices-demo')).entries;
    assert.ok(sock.some((e) => e.rule === 'networkpolicy-selects-nothing' && /name=cart\b/.test(e.message) && /name=carts/.test(e.message)), 'Sock Shop cart policy');
    assert.ok(sock.some((e) => e.rule === 'service-target-port-missing' && /jaeger-collector/.test(e.message)), 'jaeger collector ports');
    const all = repos.flatMap((r) => lintRepo(join(CORPUS, r)).entries);
    assert.ok(all.some((e) => e.rule === 'statefulset-service-not-headless'), 'StatefulSets governed by non-headless Services');
  });
});
