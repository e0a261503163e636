// Stryker's build command, run inside its sandbox after the sources were
// mutated: bundles the unit tests of one folder (test/mutation/folders.mjs)
// into one file, out/mutation/tests/all.test.js, where the mocha runner finds
// them. One bundle, not one per test file as the unit tier builds: a test
// runner restarted for a mutant that runs at load time then loads one copy of
// the core, not one per file; no source maps, for the same reason.
//
//   node test/mutation/build.mjs <folder>
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { UNIT_BUILD_OPTIONS, unitTestFiles } from '../unit-bundle.mjs';
import { MUTATION_BUNDLE_DIR, MUTATION_FOLDERS, mutationTests } from './folders.mjs';

const folder = process.argv[2];
if (!(folder in MUTATION_FOLDERS)) {
  console.error(`usage: node test/mutation/build.mjs <${Object.keys(MUTATION_FOLDERS).join('|')}>`);
  process.exit(2);
}
const root = process.cwd();
const tests = mutationTests(folder, unitTestFiles(root));
rmSync(join(root, MUTATION_BUNDLE_DIR), { recursive: true, force: true });
try {
  await esbuild.build({
    ...UNIT_BUILD_OPTIONS,
    sourcemap: false,
    stdin: { contents: tests.map((f) => `import './test/unit/${f}';`).join('\n'), resolveDir: root, sourcefile: 'mutation-tests.ts', loader: 'ts' },
    outfile: join(root, MUTATION_BUNDLE_DIR, 'all.test.js'),
  });
} catch {
  // esbuild has printed the errors.
  process.exit(1);
}
console.log(`mutation: ${tests.length} test files of ${folder} bundled`);
