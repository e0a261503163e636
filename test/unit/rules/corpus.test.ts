// Corpus regression: reads the real-world manifest corpus at ../shared/corpus
// (relative to the repository; skipped cleanly when it is absent). Each
// `<owner>__<repo>` directory is linted as ONE set, and every error and
// warning (rule, file, line, message) must equal test/golden/corpus.json.
// Each golden entry carries a one-line `reason`: why the finding is true of
// the manifest it points at (or that the fixture intends it). An entry
// without one fails the test: the file is a reviewed list, not a snapshot.
//
// After an intended change:
//   KNI_UPDATE_GOLDEN=1 node test/run-unit.mjs rules/corpus     prints the entries added and removed, fails
//   KNI_UPDATE_GOLDEN=1 KNI_ACCEPT_GOLDEN=1 node test/run-unit.mjs rules/corpus
//                                                                writes them (reasons kept; new entries
//                                                                get an UNREVIEWED reason to replace by hand)
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

interface GoldenEntry extends Entry {
  /** Why the finding is true there, in one line ("UNREVIEWED: ..." until someone looked). */
  reason: string;
}

const UNREVIEWED = 'UNREVIEWED: say in one line why this finding is true of the manifest, or fix the rule';

const keyOf = (e: Entry) => `${e.file}:${e.line} ${e.rule} ${e.severity} ${e.message}`;
const strip = ({ rule, severity, file, line, message }: Entry): Entry => ({ rule, severity, file, line, message });

/** The entries only in `actual` and only in `golden`, one line each, for a reader to review. */
function describeDiff(actual: Record<string, Entry[]>, golden: Record<string, GoldenEntry[]>): string[] {
  const lines: string[] = [];
  for (const repo of [...new Set([...Object.keys(actual), ...Object.keys(golden)])].sort()) {
    const was = new Set((golden[repo] ?? []).map(keyOf));
    const now = new Set((actual[repo] ?? []).map(keyOf));
    for (const k of now) if (!was.has(k)) lines.push(`+ ${k}`);
    for (const k of was) if (!now.has(k)) lines.push(`- ${k}`);
  }
  return lines;
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
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, GoldenEntry[]>;
    const diff = describeDiff(actual, golden);
    if (process.env.KNI_UPDATE_GOLDEN === '1' && diff.length > 0) {
      console.log(`corpus golden: ${diff.length} change${diff.length === 1 ? '' : 's'}\n${diff.join('\n')}`);
      if (process.env.KNI_ACCEPT_GOLDEN !== '1') assert.fail(`${diff.length} golden entries differ (listed above); review them, then run again with KNI_ACCEPT_GOLDEN=1 to write them`);
      const reasons = new Map(Object.values(golden).flat().map((e) => [keyOf(e), e.reason]));
      const next: Record<string, GoldenEntry[]> = {};
      for (const repo of repos) next[repo] = actual[repo].map((e) => ({ ...e, reason: reasons.get(keyOf(e)) ?? UNREVIEWED }));
      writeFileSync(GOLDEN, `${JSON.stringify(next, null, 2)}\n`);
      return;
    }
    assert.deepEqual(diff, [], `the corpus findings differ from ${GOLDEN} (+ new, - gone); see the header of this file to update it`);
    assert.deepEqual(Object.keys(actual), Object.keys(golden));
    for (const repo of repos) assert.deepEqual(actual[repo], golden[repo].map(strip), repo);
  });

  it('every golden entry says why it is true', () => {
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, GoldenEntry[]>;
    const unexplained = Object.values(golden)
      .flat()
      .filter((e) => typeof e.reason !== 'string' || e.reason.trim().length < 20 || e.reason.startsWith('UNREVIEWED'));
    assert.deepEqual(unexplained.map(keyOf), [], 'entries without a reason');
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
