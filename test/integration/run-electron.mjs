// The same integration suite in desktop VS Code, through @vscode/test-electron,
// for contributors' machines. It downloads VS Code into .vscode-test/ on first
// use, so it needs internet access (CI here uses run-code-server.mjs instead).
//
//   node test/integration/run-electron.mjs [--folder <dir>] [--env KEY=VALUE ...] [--grep <regexp>]
//
// Set VSCODE_VERSION (default "stable") to test another VS Code, or
// VSCODE_EXECUTABLE_PATH to use an installed one instead of downloading.
// Screenshots: suite/helpers.ts `screenshot()` is a no-op under this runner.
// Ends with `integration: N passed, N failed, N skipped`; the exit code is the suite's.
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSuite, DEFAULT_WORKSPACE, ROOT } from './build.mjs';

let folder = DEFAULT_WORKSPACE;
let grep;
const env = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--folder') folder = resolve(argv[++i]);
  else if (a === '--grep') grep = argv[++i];
  else if (a === '--env') {
    const [k, ...v] = argv[++i].split('=');
    env[k] = v.join('=');
  } else {
    console.error(`unknown option ${a}`);
    process.exit(2);
  }
}

let result = { passed: 0, failed: 0, pending: 0, failures: [] };
const summary = () => console.log(`integration: ${result.passed} passed, ${result.failed} failed, ${result.pending} skipped`);

if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
  console.error('dist/extension.js is missing: run `node esbuild.mjs` first');
  result.failed++;
  summary();
  process.exit(1);
}

const { indexJs } = await buildSuite();
const tmp = mkdtempSync(join(tmpdir(), 'kni-it-electron-'));
const resultFile = join(tmp, 'result.json');
let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: indexJs,
    extensionTestsEnv: { KNI_RESULT_FILE: resultFile, ...(grep ? { KNI_TEST_GREP: grep } : {}), ...env },
    // runTests adds --skip-welcome, --disable-workspace-trust and a shared extensions dir.
    launchArgs: [folder, '--disable-extensions', `--user-data-dir=${join(tmp, 'user-data')}`],
  });
} catch (err) {
  // A failing suite also lands here (runTests rejects on a non-zero exit).
  console.error(`runTests: ${err?.message ?? err}`);
}
if (existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, 'utf8'));
else result.failed = Math.max(result.failed, 1);
rmSync(tmp, { recursive: true, force: true });
summary();
process.exit(exitCode === 0 && result.failed === 0 && result.passed > 0 ? 0 : 1);
