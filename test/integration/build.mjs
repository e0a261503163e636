// Compiles the integration suite for both runners: test/integration/suite/index.ts
// (the module VS Code loads as extensionTestsPath) and every
// test/integration/suite/**/*.test.ts, each bundled on its own (Node, CommonJS,
// `vscode` and node_modules left external) into a folder of this run's own,
// out/integration/run-<pid>/ (see ../out-dir.mjs).
//
//   node test/integration/build.mjs   (builds, prints the folder, and deletes it: a compile check)
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOutDir } from '../out-dir.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SUITE_DIR = join(ROOT, 'test', 'integration', 'suite');
export const DEFAULT_WORKSPACE = join(ROOT, 'test', 'integration', 'fixtures', 'workspace');

/**
 * Builds the suite; resolves with the number of test files and `indexJs`, what
 * extensionTestsPath points at. Throws on a compile error.
 */
export async function buildSuite() {
  const tests = readdirSync(SUITE_DIR, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
  const outDir = runOutDir(ROOT, 'integration');
  await esbuild.build({
    entryPoints: ['index.ts', ...tests].map((f) => join(SUITE_DIR, f)),
    outbase: SUITE_DIR,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    packages: 'external',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'error',
  });
  return { tests: tests.length, indexJs: join(outDir, 'index.js') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { tests, indexJs } = await buildSuite();
  console.log(`built ${tests} integration test file(s) into ${dirname(indexJs)}`);
}
