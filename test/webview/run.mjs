// Webview tier: the BUILT inspector bundle (dist/webview.js, from `node esbuild.mjs`)
// on a harness page in headless Debian Chromium, driven by playwright-core.
//
//   node test/webview/run.mjs [--grep <regexp>] [file filter ...]
//
// Compiles test/webview/*.test.ts (and harness.ts, shared by all of them) with
// esbuild into out/webview/run-<pid>/ as ES modules, runs them with mocha's spec reporter,
// and ends with exactly one line `webview: N passed, N failed, N skipped`
// (a `.only` left in a test fails the run: forbidOnly). Builds nothing
// else. A watchdog (KNI_WEBVIEW_TIMEOUT_MS, default 240 s) kills the browser and
// fails the run if anything hangs.
import * as esbuild from 'esbuild';
import Mocha from 'mocha';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runOutDir } from '../out-dir.mjs';
import { descendants } from '../processes.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = join(root, 'test', 'webview');
process.chdir(root);
process.setSourceMapsEnabled(true);

const args = process.argv.slice(2);
let grep;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--grep' || args[i] === '-g') grep = args[++i];
  else filters.push(args[i]);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const summary = () => console.log(`webview: ${passed} passed, ${failed} failed, ${skipped} skipped`);
function fail(message) {
  console.error(message);
  failed++;
  summary();
  process.exit(1);
}


const timeoutMs = Number(process.env.KNI_WEBVIEW_TIMEOUT_MS ?? 240_000);
const watchdog = setTimeout(() => {
  const pids = descendants(process.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fail(`webview tier did not finish within ${timeoutMs} ms; killed ${pids.length} browser process(es)`);
}, timeoutMs);

if (!existsSync(join(root, 'dist', 'webview.js'))) {
  fail('dist/webview.js is missing: run `node esbuild.mjs` first');
}

const tests = readdirSync(srcDir)
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();
if (tests.length === 0) fail(`no test/webview/*.test.ts${filters.length ? ` matching ${filters.join(', ')}` : ''}`);

const outDir = runOutDir(root, 'webview');
try {
  await esbuild.build({
    // harness.ts is an entry of its own so that this runner and every test share
    // one instance of it (one server, one browser) through esbuild's chunks.
    entryPoints: ['harness.ts', ...tests].map((f) => join(srcDir, f)),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'error',
  });
} catch {
  fail('esbuild could not compile the webview tests (errors above)');
}

const harness = await import(pathToFileURL(join(outDir, 'harness.mjs')).href);
const mocha = new Mocha({ reporter: 'spec', timeout: 20_000, slow: 2_000, grep, forbidOnly: true, color: process.stdout.isTTY === true });
for (const f of tests) mocha.addFile(join(outDir, f.replace(/\.ts$/, '.mjs')));

try {
  await mocha.loadFilesAsync();
  await new Promise((done) => {
    const runner = mocha.run(() => done());
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
    runner.on('pending', () => skipped++);
  });
} catch (err) {
  console.error(err);
  failed++;
} finally {
  await harness.shutdown();
}

clearTimeout(watchdog);
if (passed + failed === 0) console.error('no test ran');
summary();
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
