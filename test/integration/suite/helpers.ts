// Helpers for integration tests, which run inside the VS Code extension host.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, type KniExtensionApi } from '../../../src/extension/api';

export { EXTENSION_ID };

/** The extension under test (fails when VS Code did not load it from extensionDevelopmentPath). */
export function kniExtension(): vscode.Extension<KniExtensionApi> {
  const ext = vscode.extensions.getExtension<KniExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** A file of the workspace folder the runner opened (test/integration/fixtures/workspace by default). */
export function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Opens a workspace file in an editor and makes it the active one. */
export async function openEditor(...segments: string[]): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(...segments));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Waits for a condition that VS Code offers no event for (an extension's
 * activation, say), checking it every `intervalMs`; fails after `timeoutMs`.
 * Prefer awaiting an event or a promise where one exists.
 */
export async function until(what: string, condition: () => boolean, timeoutMs = 15_000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}

/**
 * The CodeLens of a workspace file whose title contains `title`, asked until it
 * is there (the server may still be reading the folder) or `timeoutMs` passes
 * (then undefined: the caller's assertion names what is missing).
 */
export async function codeLensTitled(file: string, title: string, timeoutMs = 30_000): Promise<vscode.CodeLens | undefined> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile(file));
    const lens = lenses.find((l) => l.command?.title.includes(title));
    if (lens) return lens;
  }
  return undefined;
}

/** The tabs of webview panels whose viewType is `viewType`, in every editor group. */
export function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType));
}

/** Resolves with the tab of a webview panel of `viewType` once the workbench shows one. */
export function whenWebviewTab(viewType: string, timeoutMs = 15_000): Promise<vscode.Tab> {
  const [existing] = webviewTabs(viewType);
  if (existing) return Promise.resolve(existing);
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      sub.dispose();
      fail(new Error(`no ${viewType} tab appeared within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const [tab] = webviewTabs(viewType);
      if (!tab) return;
      clearTimeout(timer);
      sub.dispose();
      done(tab);
    });
  });
}

/**
 * Asks the runner for a PNG of the whole workbench, saved as
 * test-results/integration/<name>.png, and resolves once it is written.
 *
 * The convention: this logs the line `KNI_SCREENSHOT <name>` on the extension
 * host's console; run-code-server.mjs sees it, takes the screenshot from its
 * browser and writes the file into KNI_SCREENSHOT_DIR, which this waits for.
 * Runners that cannot take screenshots (run-electron.mjs) leave
 * KNI_SCREENSHOT_DIR unset and this resolves at once with undefined.
 */
export async function screenshot(name: string, timeoutMs = 20_000): Promise<string | undefined> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name: ${name}`);
  const dir = process.env.KNI_SCREENSHOT_DIR;
  if (!dir) {
    console.log(`(no screenshot '${name}': this runner takes none)`);
    return undefined;
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  rmSync(file, { force: true });
  await new Promise<void>((done, fail) => {
    const watcher = watch(dir, (_event, changed) => {
      if (changed === `${name}.png` && existsSync(file)) finish();
    });
    const timer = setTimeout(() => finish(new Error(`the runner wrote no screenshot ${file} within ${timeoutMs} ms`)), timeoutMs);
    function finish(err?: Error) {
      clearTimeout(timer);
      watcher.close();
      if (err) fail(err);
      else done();
    }
    console.log(`KNI_SCREENSHOT ${name}`);
  });
  return file;
}

/**
 * Evaluates `expression` in the inspector webview's page, the way a user's
 * actions reach it (clicks, keys, the toolbar), and resolves with its value
 * (a promise is awaited; the value must be JSON). The convention: the line
 * `KNI_WEBVIEW_EVAL {"file", "expression"}` on the extension host's console;
 * run-code-server.mjs evaluates it in the frame that holds the inspector and
 * writes `{value}` or `{error}` to the file. Runners without a browser to drive
 * (run-electron.mjs) leave KNI_SCREENSHOT_DIR unset: this then throws.
 */
export async function inspectorEval<T>(expression: string, timeoutMs = 20_000): Promise<T> {
  return evalThroughRunner<T>('KNI_WEBVIEW_EVAL', 'the inspector webview', expression, timeoutMs);
}

/**
 * Evaluates `expression` in the workbench's own page and resolves with its value
 * (JSON): what VS Code draws that no extension API reports, such as whether a
 * tree view's row is expanded or the badge it shows. Same convention as
 * `inspectorEval`, with the line `KNI_WORKBENCH_EVAL {"file", "expression"}`.
 */
export async function workbenchEval<T>(expression: string, timeoutMs = 20_000): Promise<T> {
  return evalThroughRunner<T>('KNI_WORKBENCH_EVAL', 'the workbench', expression, timeoutMs);
}

async function evalThroughRunner<T>(line: string, where: string, expression: string, timeoutMs: number): Promise<T> {
  if (!process.env.KNI_SCREENSHOT_DIR) throw new Error(`this runner cannot reach into ${where}`);
  const file = join(mkdtempSync(join(tmpdir(), 'kni-eval-')), 'answer.json');
  console.log(`${line} ${JSON.stringify({ file, expression })}`);
  await until(`the runner to evaluate in ${where}`, () => existsSync(file), timeoutMs);
  const answer = JSON.parse(readFileSync(file, 'utf8')) as { value?: T; error?: string };
  rmSync(dirname(file), { recursive: true, force: true });
  if (answer.error !== undefined) throw new Error(`in ${where}: ${answer.error}`);
  return answer.value as T;
}

/** The extension host's event loop, watched: the longest gap between ticks of a 5 ms timer (a block). */
export interface BlockProbe {
  /** The longest gap since the probe started or was restarted (ms). */
  longest(): number;
  /** Forgets the gaps so far; the next gap is measured from now (after a pause the benchmark caused itself, such as a forced GC). */
  restart(): void;
  stop(): void;
}

export function blockProbe(): BlockProbe {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    longest: () => longest,
    restart: () => {
      last = performance.now();
      longest = 0;
    },
    stop: () => clearInterval(timer),
  };
}
