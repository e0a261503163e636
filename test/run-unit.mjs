// Unit tier: the pure core on plain Node, no VS Code, no browser.
//
//   node test/run-unit.mjs [--grep <regexp>] [file filter ...]
//
// Bundles every test/unit/**/*.test.ts on its own with esbuild (platform node,
// CommonJS, packages from node_modules left external) into out/unit/run-<pid>/, runs them
// with mocha's spec reporter in this process, and ends with exactly one line
// `unit: N passed, N failed, N skipped`. Exits non-zero on any failure, on a
// build error, on a `.only` left in a test (forbidOnly), or when no test ran at
// all (a filter or a glob that matches nothing is a bug, not a pass). Tests run
// with the repository root as the working directory.
import Mocha from 'mocha';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOutDir } from './out-dir.mjs';
import { bundleUnitTests, unitTestFiles } from './unit-bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'test', 'unit');
process.chdir(root);
process.setSourceMapsEnabled(true);

const args = process.argv.slice(2);
let grep;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--grep' || args[i] === '-g') grep = args[++i];
  else filters.push(args[i]);
}

function summary(passed, failed, skipped = 0) {
  console.log(`unit: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

const entries = unitTestFiles(root).filter((f) => filters.length === 0 || filters.some((p) => f.includes(p) || join('test', 'unit', f).includes(p)));

if (entries.length === 0) {
  console.error(`no test files under ${relative(root, srcDir)}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  summary(0, 0);
  process.exit(1);
}

const outDir = runOutDir(root, 'unit');
let bundles;
try {
  bundles = await bundleUnitTests(root, entries, outDir);
} catch {
  // esbuild has printed the errors.
  summary(0, 1);
  process.exit(1);
}

const mocha = new Mocha({ reporter: 'spec', timeout: 10_000, grep, forbidOnly: true, color: process.stdout.isTTY === true });
for (const f of bundles) mocha.addFile(f);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  await mocha.loadFilesAsync();
  await new Promise((done) => {
    const runner = mocha.run(() => done());
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
    runner.on('pending', () => skipped++);
  });
} catch (err) {
  // A test file that throws while loading is a failure, not a crash without a summary.
  console.error(err);
  failed++;
}

if (passed + failed === 0) console.error('no test ran');
summary(passed, failed, skipped);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
