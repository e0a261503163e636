// The integration suite's entry: the module VS Code loads as extensionTestsPath,
// in code-server (test/integration/run-code-server.mjs) and in desktop VS Code
// through @vscode/test-electron (test/integration/run-electron.mjs) alike.
// It runs every compiled *.test.js next to it with mocha, inside the extension
// host, and reports the counts in the file named by KNI_RESULT_FILE (the runners
// read it for their closing `integration: N passed, N failed` line).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  failures: string[];
}

/**
 * When the runner sets KNI_LOG_PREFIX, mocha's report goes out as single
 * formatted lines starting with it, which tells them from the workbench's own log
 * in the stream the runner receives. (VS Code's extension host makes `console`'s
 * methods read-only, so only mocha's reporter output can be marked this way.)
 */
function prefixReport(prefix: string): () => void {
  const Base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const plain = Base.consoleLog;
  Base.consoleLog = (...args: unknown[]) => plain(prefix + format(...args));
  return () => {
    Base.consoleLog = plain;
  };
}

export async function run(): Promise<void> {
  // Screenshots show the editors, not the chat side bar. (Done with a command, not
  // a settings.json: opening any JSON file would activate the extension early.)
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  // The browser build of VS Code saves edits after a delay by default; no test may write the fixtures.
  await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  const restoreReport = process.env.KNI_LOG_PREFIX ? prefixReport(process.env.KNI_LOG_PREFIX) : () => undefined;
  console.log('KNI_SUITE_START');
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.KNI_TEST_TIMEOUT_MS ?? 60_000),
    slow: 5_000,
    // A `.only` left in a test would narrow the run to it and still pass.
    forbidOnly: true,
    grep: process.env.KNI_TEST_GREP || undefined,
  });
  const files = readdirSync(__dirname, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(join(__dirname, f));

  const result: SuiteResult = { passed: 0, failed: 0, pending: 0, failures: [] };
  const report = () => {
    const line = JSON.stringify(result);
    console.log(`KNI_RESULT ${line}`);
    if (process.env.KNI_RESULT_FILE) writeFileSync(process.env.KNI_RESULT_FILE, line);
  };

  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        report();
        if (failures > 0 || result.passed === 0) reject(new Error(`${failures} failed, ${result.passed} passed`));
        else resolve();
      });
      runner.on('pass', () => result.passed++);
      runner.on('pending', () => result.pending++);
      runner.on('fail', (test, err: Error) => {
        result.failed++;
        result.failures.push(`${test.fullTitle()}: ${err?.message ?? err}`);
      });
    } catch (err) {
      // A test file that throws while loading.
      console.error(err);
      result.failed++;
      result.failures.push(`loading the suite: ${(err as Error)?.message ?? err}`);
      report();
      reject(err);
    }
  }).finally(restoreReport);
}
