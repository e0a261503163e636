// How a unit test file becomes something mocha runs: one esbuild bundle per
// test file (platform node, CommonJS, packages from node_modules left external),
// shared by the unit tier (test/run-unit.mjs) and mutation testing
// (test/mutation/), which must run the same tests the same way on the mutated
// sources.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The esbuild settings of every unit test bundle. */
export const UNIT_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  sourcesContent: false,
  logLevel: 'error',
};

/** Every test/unit/**\/*.test.ts under `root`, relative to test/unit/, sorted. */
export function unitTestFiles(root) {
  return readdirSync(join(root, 'test', 'unit'), { recursive: true })
    .map((f) => String(f).split(sep).join('/'))
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
}

/**
 * Bundles `entries` (paths relative to test/unit/) into `outDir`, keeping
 * their folders; returns the bundles' paths in the same order. Throws when
 * esbuild fails (it has printed the errors).
 */
export async function bundleUnitTests(root, entries, outDir) {
  const srcDir = join(root, 'test', 'unit');
  await esbuild.build({ ...UNIT_BUILD_OPTIONS, entryPoints: entries.map((f) => join(srcDir, f)), outbase: srcDir, outdir: outDir });
  return entries.map((f) => join(outDir, f.replace(/\.ts$/, '.js').split('/').join(sep)));
}
