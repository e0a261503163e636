// A second real LSP client: Neovim's built-in client, headless, starts
// `kni lsp --stdio` on the shop example, opens 30-cart.yaml and must get the
// diagnostics `kni lint --format json` reports for it, a hover, the quick
// fixes and the code lenses. Neovim is installed by scripts/setup-test-env.sh; without it this
// test skips, except in CI, where its absence fails the run.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { asLint, lintJson, lintShape } from '../../fixtures/lsp/lint-json';

function hasNvim(): boolean {
  try {
    execFileSync('nvim', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface NeovimResult {
  version: { major: number; minor: number };
  diagnostics: { code?: string; message: string; severity: number; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] | null;
  hover: { contents: { kind: string; value: string } } | null;
  actions: { title: string; isPreferred?: boolean; kind?: string }[] | null;
  lenses: { range: { start: { line: number } }; command?: { title: string; command: string; arguments?: unknown[] } }[] | null;
  errors: string[];
}

describe('kni lsp with Neovim as the client', function () {
  this.timeout(60_000);
  let dir: string | undefined;
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('gets the diagnostics of `kni lint`, a hover, the quick fixes and the code lenses of examples/shop/30-cart.yaml', async function () {
    if (!hasNvim()) {
      if (process.env.CI === 'true') assert.fail('nvim is not installed: scripts/setup-test-env.sh installs Debian\'s neovim package');
      console.log('      (skipped: nvim is not installed; apt-get install neovim, or run scripts/setup-test-env.sh)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'kni-nvim-'));
    // The CLI as it ships, built from this tree (dist/ may be stale or absent when one test runs alone).
    const cli = join(dir, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    const out = join(dir, 'result.json');
    const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${resolve('test/fixtures/lsp/neovim-client.lua')}`], {
      env: {
        ...process.env,
        KNI_NVIM_CMD: JSON.stringify([process.execPath, cli, 'lsp', '--stdio']),
        KNI_NVIM_ROOT: resolve('examples/shop'),
        KNI_NVIM_FILE: resolve('examples/shop/30-cart.yaml'),
        KNI_NVIM_HOVER: '34,6',
        KNI_NVIM_OUT: out,
        XDG_STATE_HOME: dir,
        XDG_DATA_HOME: dir,
      },
      timeout: 45_000,
      encoding: 'utf8',
    });
    assert.equal(run.error, undefined, `nvim did not finish: ${run.error?.message}`);
    const got = JSON.parse(readFileSync(out, 'utf8')) as NeovimResult;
    assert.deepEqual(got.errors, [], `Neovim ${got.version.major}.${got.version.minor} reported problems; stderr: ${run.stderr}`);

    const lint = (await lintJson(['examples/shop'])).filter((f) => f.file === 'examples/shop/30-cart.yaml');
    assert.ok(lint.length > 0);
    assert.deepEqual((got.diagnostics ?? []).map(asLint), lint.map(lintShape));

    assert.equal(got.hover?.contents.kind, 'markdown');
    assert.match(got.hover?.contents.value ?? '', /^\*\*Service selector `app=cart`\*\*\n\n⚠ matches no workload in namespace `shop`/);

    assert.deepEqual(
      (got.actions ?? []).map((a) => [a.title, a.isPreferred === true]),
      [
        ['Change the selector to app=carts', true],
        ['Disable service-no-matching-pods for this line', false],
        ['Disable service-no-matching-pods for this document', false],
      ],
    );

    // Above the cart Service (its apiVersion, line 27): Trace request, for the client to run, and what it reaches.
    assert.deepEqual(
      (got.lenses ?? []).map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
      [
        [26, 'Trace request', 'kni.traceRequest'],
        [26, 'no pods match', ''],
      ],
    );
  });
});
