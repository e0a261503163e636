// Stryker's configuration for one folder of src/core, named by
// KNI_MUTATION_FOLDER (test/mutation/run.mjs sets it; `npm run mutation`).
// The mutated TypeScript is bundled with the same esbuild settings as the unit
// tier and run by mocha; the TypeScript checker drops mutants that do not
// compile before any test runs.
import { MUTATION_BUNDLE_DIR, MUTATION_FOLDERS, reportDir } from './folders.mjs';

const folder = process.env.KNI_MUTATION_FOLDER ?? '';
if (!(folder in MUTATION_FOLDERS)) {
  throw new Error(`KNI_MUTATION_FOLDER must be one of ${Object.keys(MUTATION_FOLDERS).join(', ')} (got "${folder}")`);
}
const reports = reportDir(folder);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  // KNI_MUTATION_TYPECHECK=0 (run.mjs --no-typecheck) skips the checker: faster, but a
  // mutant that would not compile then runs (and usually survives) instead of being dropped.
  checkers: process.env.KNI_MUTATION_TYPECHECK === '0' ? [] : ['typescript'],
  tsconfigFile: 'test/mutation/tsconfig.json',
  mutate: [MUTATION_FOLDERS[folder].mutate],
  buildCommand: `node test/mutation/build.mjs ${folder}`,
  mochaOptions: { spec: [`${MUTATION_BUNDLE_DIR}/all.test.js`], 'no-config': true, 'no-package': true },
  // Only the tests that reach a mutant run against it.
  coverageAnalysis: 'perTest',
  // Results are reused for the code and tests that did not change since the last run.
  incremental: true,
  incrementalFile: `${reports}/incremental.json`,
  // The machine is shared: one test runner unless asked (--concurrency 2).
  concurrency: 1,
  // Static mutants (module-level constants, the rule catalogue's text) need a fresh
  // process and every test for each one; the docs tests check the catalogue instead.
  ignoreStatic: true,
  timeoutMS: 10_000,
  thresholds: { high: 85, low: 70, break: null },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  // Only what the tests read goes into the sandbox.
  ignorePatterns: ['dist', 'out', 'reports', 'bench', 'media', 'test-results', '.vscode-test', '.ci', '*.vsix'],
};
