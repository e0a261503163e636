// What the test runners promise (test/README.md): a `.only` left in a test
// fails its tier, every tier counts what it skipped, and a corpus test may not
// skip under CI while the corpus folder is there to read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipWithoutCorpus } from '../fixtures/corpus';

const RUNNERS = ['test/run-unit.mjs', 'test/webview/run.mjs', 'test/integration/suite/index.ts'];

describe('test runners', () => {
  it('forbid .only and count pending tests in every tier', () => {
    for (const file of RUNNERS) {
      const text = readFileSync(file, 'utf8');
      assert.match(text, /forbidOnly: true/, `${file} does not forbid .only`);
      assert.match(text, /on\('pending'/, `${file} does not count skipped tests`);
    }
    for (const file of ['test/run-unit.mjs', 'test/webview/run.mjs', 'test/integration/run-code-server.mjs', 'test/integration/run-electron.mjs']) {
      assert.match(readFileSync(file, 'utf8'), /: \$\{[^}]+\} passed, \$\{[^}]+\} failed, \$\{[^}]+\} skipped`/, `${file}'s summary line`);
    }
  });

  it("npm test reads each tier's summary line with or without the skipped count, and sums all three", () => {
    // The tier() function's own parsing, run by bash on both forms of the line.
    const script = readFileSync('scripts/test.sh', 'utf8');
    const grep = /line="\$\(grep -E "(\^\$name: [^"]+)"/.exec(script)?.[1];
    assert.ok(grep, 'scripts/test.sh greps the summary line');
    const sedFailed = /f="\$\(sed -E '([^']+)'/.exec(script)?.[1];
    const sedSkipped = /s="\$\(sed -E -n '([^']+)'/.exec(script)?.[1];
    assert.ok(sedFailed && sedSkipped);
    for (const [line, failed, skipped] of [
      ['unit: 12 passed, 3 failed, 4 skipped', '3', '4'],
      ['unit: 12 passed, 3 failed', '3', ''],
    ]) {
      const out: string = execFileSync('bash', ['-c', `name=unit; line="$1"; grep -E "${grep}" <<<"$line" >/dev/null && echo "$(sed -E '${sedFailed}' <<<"$line")|$(sed -E -n '${sedSkipped}' <<<"$line")"`, 'bash', line], { encoding: 'utf8' });
      assert.equal(out.trim(), `${failed}|${skipped}`, line);
    }
    assert.match(script, /echo "\$passed passed, \$failed failed, \$skipped skipped"/);
  });

  it('a corpus test skips where the corpus is absent, and fails instead under CI while ../shared is there', () => {
    const shared = mkdtempSync(join(tmpdir(), 'kni-shared-'));
    const env = { CI: process.env.CI, KNI_SHARED_DIR: process.env.KNI_SHARED_DIR };
    let skipped = 0;
    const ctx = { skip: () => void skipped++ } as unknown as Mocha.Context;
    try {
      delete process.env.CI;
      process.env.KNI_SHARED_DIR = shared;
      skipWithoutCorpus(ctx, join(shared, 'corpus', 'nothing-here'));
      assert.equal(skipped, 1);
      process.env.CI = 'true';
      assert.throws(() => skipWithoutCorpus(ctx, join(shared, 'corpus', 'nothing-here')), /may not skip in CI/);
      skipWithoutCorpus(ctx, shared);
      assert.equal(skipped, 1, 'a folder that is there: no skip');
    } finally {
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
