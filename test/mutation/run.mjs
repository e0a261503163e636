// Mutation testing of src/core/{model,rules,trace,policy} with Stryker: not part
// of `npm test` or CI (a full run takes long on a small machine).
//
//   npm run mutation                        every folder, one after the other
//   npm run mutation -- model trace         those folders
//   npm run mutation -- trace --mutate src/core/trace/dns.ts   a subset of one folder
//   KNI_MUTATION_FOLDERS=policy npm run mutation
//
// --no-typecheck skips the TypeScript checker (faster; mutants that would not
// compile then run, and mostly survive). Other arguments that are not folder
// names go to Stryker as they are (--concurrency 2,
// --force to ignore the incremental results, --mutate 'file:line'). Each folder
// keeps its incremental file and reports under reports/mutation/<folder>/
// (index.html shows every surviving mutant). Ends with one line per folder:
// killed, survived, no coverage, timeouts, the mutation score and the time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATION_FOLDERS, reportDir } from './folders.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);
const strykerBin = join(dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');

const args = process.argv.slice(2);
const typecheck = !args.includes('--no-typecheck');
const folders = args.filter((a) => a in MUTATION_FOLDERS);
const strykerArgs = args.filter((a) => !(a in MUTATION_FOLDERS) && a !== '--no-typecheck');
const fromEnv = (process.env.KNI_MUTATION_FOLDERS ?? '').split(/[\s,]+/).filter(Boolean);
for (const f of fromEnv) {
  if (!(f in MUTATION_FOLDERS)) {
    console.error(`KNI_MUTATION_FOLDERS: unknown folder "${f}" (one of ${Object.keys(MUTATION_FOLDERS).join(', ')})`);
    process.exit(2);
  }
}
const chosen = folders.length ? folders : fromEnv.length ? fromEnv : Object.keys(MUTATION_FOLDERS);
if (strykerArgs.includes('--mutate') && chosen.length !== 1) {
  console.error('--mutate narrows one folder: name exactly one folder with it');
  process.exit(2);
}

/** Counts by status from Stryker's JSON report (mutation-testing-report-schema). */
function tally(folder) {
  const report = JSON.parse(readFileSync(join(reportDir(folder), 'mutation.json'), 'utf8'));
  const count = {};
  for (const file of Object.values(report.files)) for (const m of file.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const n = (s) => count[s] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  return {
    killed: n('Killed'),
    survived: n('Survived'),
    noCoverage: n('NoCoverage'),
    timeout: n('Timeout'),
    compileErrors: n('CompileError'),
    ignored: n('Ignored'),
    score: valid ? (100 * detected) / valid : NaN,
  };
}

const lines = [];
let failed = false;
for (const folder of chosen) {
  const t0 = Date.now();
  const run = spawnSync(process.execPath, [strykerBin, 'run', 'test/mutation/stryker.config.mjs', ...strykerArgs], {
    stdio: 'inherit',
    env: { ...process.env, KNI_MUTATION_FOLDER: folder, ...(typecheck ? {} : { KNI_MUTATION_TYPECHECK: '0' }) },
  });
  const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
  if (run.status !== 0) {
    failed = true;
    lines.push(`${folder}: Stryker failed (exit ${run.status ?? run.signal}) after ${minutes} min`);
    continue;
  }
  if (!existsSync(join(reportDir(folder), 'mutation.json'))) {
    lines.push(`${folder}: no report (a dry run?) after ${minutes} min`);
    continue;
  }
  const t = tally(folder);
  lines.push(
    `${folder}: ${t.killed} killed, ${t.survived} survived, ${t.noCoverage} no coverage, ${t.timeout} timeout, ` +
      `${t.compileErrors} compile errors, ${t.ignored} ignored (static); score ${t.score.toFixed(1)}%; ${minutes} min`,
  );
}
console.log(`\nmutation (${reportDir('<folder>')}/index.html):`);
for (const line of lines) console.log(`  ${line}`);
process.exitCode = failed ? 1 : 0;
