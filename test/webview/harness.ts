// Drives the built inspector webview (dist/webview.js) in headless Debian
// Chromium through playwright-core, outside VS Code. Reuse these helpers for
// every webview test:
//
//   const view = await openInspector();            // page loaded, `ready` received
//   const rendered = await view.postModel(graph);  // posts {type:'model'}, awaits `rendered`
//   await view.page.locator('g.node').count();     // inspect the DOM with Playwright
//   await view.screenshot('my-case');              // test-results/webview/my-case.png
//   view.assertNoErrors();                         // no page errors, console errors, CSP violations
//   await view.close();
//
// One HTTP server and one browser serve the whole run (started on first use);
// test/webview/run.mjs shuts them down, and kills the browser if a test hangs.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HostToWebview, ReadyMessage, RenderedMessage, TopologyGraph, WebviewToHost } from '../../src/protocol';

declare global {
  interface Window {
    __posted: unknown[];
    __cspViolations: { directive: string; blocked: string; sample: string }[];
    __initialState?: unknown;
    __state?: unknown;
    __kniOnPost?: (message: unknown) => void;
    __pwned?: unknown;
  }
}

/** The runner makes the repository root the working directory. */
export const REPO_ROOT = process.cwd();
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'webview');
const HARNESS_DIR = join(REPO_ROOT, 'test', 'webview');
const DIST_DIR = join(REPO_ROOT, 'dist');

export const CHROMIUM_PATH = process.env.KNI_CHROMIUM ?? '/usr/bin/chromium';
/** Flags this machine's closed network and root user need (see test/README.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

/** How long one wait for the webview may take before the test fails. */
export const DEFAULT_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------- static server

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface HarnessServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

let server: { http: Server; origin: string } | undefined;

/** Resolves `rel` inside `dir`, or undefined when it escapes it or is not a file. */
function fileIn(dir: string, rel: string): string | undefined {
  const path = resolve(dir, '.' + sep + rel);
  if (!path.startsWith(dir + sep)) return undefined;
  try {
    const real = realpathSync(path);
    return real.startsWith(realpathSync(dir) + sep) && statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Starts (once) the server of the harness page, dist/ and test/webview/ on 127.0.0.1 and a free port. */
export async function startServer(): Promise<HarnessServer> {
  if (!server) {
    const http = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let file: string | undefined;
      let body: Buffer | string | undefined;
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
        file = join(HARNESS_DIR, 'harness.html');
        body = readFileSync(file, 'utf8')
          .replaceAll('{{THEME}}', theme)
          .replaceAll('{{THEME_NAME}}', theme === 'light' ? 'Light Modern' : 'Dark Modern');
      } else if (url.pathname.startsWith('/dist/')) {
        file = fileIn(DIST_DIR, decodeURIComponent(url.pathname.slice('/dist/'.length)));
      } else if (url.pathname.startsWith('/harness/')) {
        file = fileIn(HARNESS_DIR, decodeURIComponent(url.pathname.slice('/harness/'.length)));
        if (file && !['.js', '.css', '.html'].includes(extname(file))) file = undefined;
      }
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      try {
        body ??= readFileSync(file);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    });
    await new Promise<void>((done, fail) => {
      http.once('error', fail);
      http.listen(0, '127.0.0.1', () => done());
    });
    const { port } = http.address() as AddressInfo;
    server = { http, origin: `http://127.0.0.1:${port}` };
  }
  const { http, origin } = server;
  return {
    origin,
    close: () =>
      new Promise<void>((done) => {
        server = undefined;
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}

// ---------------------------------------------------------------- browser

let browser: Browser | undefined;
let browserStarting: Promise<Browser> | undefined;
/** Chromium's crash reporter and caches follow XDG: this keeps them out of the home folder. */
let browserHome: string | undefined;

/** Launches (once) headless Debian Chromium with a fresh profile. */
export function launchBrowser(): Promise<Browser> {
  if (browser) return Promise.resolve(browser);
  if (!browserHome) {
    const home = mkdtempSync(join(tmpdir(), 'kni-webview-'));
    browserHome = home;
    // Also when the runner's watchdog ends the process without shutdown().
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
  }
  browserStarting ??= chromium
    .launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      env: { ...process.env, XDG_CONFIG_HOME: browserHome, XDG_CACHE_HOME: browserHome },
      // Playwright makes a fresh temporary profile per launch and deletes it on close.
    })
    .then((b) => {
      browser = b;
      return b;
    })
    .finally(() => {
      browserStarting = undefined;
    });
  return browserStarting;
}

/** Closes the browser and the server (the runner calls this once at the end). */
export async function shutdown(): Promise<void> {
  const b = browser;
  browser = undefined;
  if (b) await b.close().catch(() => undefined);
  if (browserHome) rmSync(browserHome, { recursive: true, force: true });
  browserHome = undefined;
  if (server) await (await startServer()).close();
}

// ---------------------------------------------------------------- the inspector page

export type Posted = WebviewToHost | { type: string; [key: string]: unknown };

export interface OpenOptions {
  theme?: 'dark' | 'light';
  /** What the stub's getState returns before the webview calls setState (a restored panel). */
  state?: unknown;
  viewport?: { width: number; height: number };
  /** Wait for the `ready` handshake before returning (default true). */
  waitForReady?: boolean;
}

export interface InspectorPage {
  page: Page;
  context: BrowserContext;
  /** Every message the webview posted, in order. */
  readonly posted: readonly Posted[];
  /** Page errors, console errors and CSP violations seen so far. */
  errors(): Promise<string[]>;
  /** Fails when errors() is not empty. */
  assertNoErrors(): Promise<void>;
  /** Resolves with the first posted message of `type` after the `since`-th message (default: any). */
  waitForMessage<T extends Posted['type']>(type: T, opts?: { since?: number; timeoutMs?: number }): Promise<Extract<Posted, { type: T }>>;
  /** Posts a message to the webview the way VS Code's webview.postMessage does. */
  post(message: HostToWebview | Record<string, unknown>): Promise<void>;
  /** Posts a model and resolves with the `rendered` report that follows it. */
  postModel(graph: TopologyGraph, opts?: { timeoutMs?: number }): Promise<RenderedMessage>;
  /** Saves a PNG of the page to test-results/webview/<name>.png and returns its path. */
  screenshot(name: string, opts?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** Opens the harness page in a new browser context and (by default) waits for `ready`. */
export async function openInspector(opts: OpenOptions = {}): Promise<InspectorPage> {
  const { origin } = await startServer();
  const b = await launchBrowser();
  const context = await b.newContext({
    viewport: opts.viewport ?? { width: 960, height: 640 },
    deviceScaleFactor: 1,
    colorScheme: opts.theme === 'light' ? 'light' : 'dark',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  const page = await context.newPage();

  const posted: Posted[] = [];
  const waiters = new Set<() => void>();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()} (${msg.location().url || 'page'})`);
  });
  page.on('requestfailed', (req) => pageErrors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) pageErrors.push(`HTTP ${res.status()}: ${res.url()}`);
  });

  await page.exposeFunction('__kniOnPost', (message: Posted) => {
    posted.push(message);
    for (const wake of [...waiters]) wake();
  });
  if (opts.state !== undefined) {
    await page.addInitScript((state) => {
      window.__initialState = state;
    }, opts.state);
  }

  function waitForMessage<T extends Posted['type']>(
    type: T,
    { since = 0, timeoutMs = DEFAULT_TIMEOUT_MS }: { since?: number; timeoutMs?: number } = {},
  ): Promise<Extract<Posted, { type: T }>> {
    return new Promise((done, fail) => {
      const check = () => {
        const found = posted.slice(since).find((m) => m.type === type);
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        done(found as Extract<Posted, { type: T }>);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        fail(new Error(`webview posted no '${type}' within ${timeoutMs} ms; posted: ${JSON.stringify(posted.slice(since))}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  }

  const view: InspectorPage = {
    page,
    context,
    posted,
    async errors() {
      const csp = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
      return [...pageErrors, ...csp.map((v) => `CSP violation: ${v.directive} blocked ${v.blocked} ${v.sample ?? ''}`.trim())];
    },
    async assertNoErrors() {
      const errors = await view.errors();
      if (errors.length > 0) throw new Error(`webview reported errors:\n  ${errors.join('\n  ')}`);
    },
    waitForMessage,
    async post(message) {
      await page.evaluate((m) => window.postMessage(m, '*'), message as unknown);
    },
    async postModel(graph, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      const since = posted.length;
      const rendered = waitForMessage('rendered', { since, timeoutMs });
      await view.post({ type: 'model', graph });
      return (await rendered) as RenderedMessage;
    },
    async screenshot(name, { fullPage = false } = {}) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name: ${name}`);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: `${path}.tmp.png`, fullPage, animations: 'disabled' });
      renameSync(`${path}.tmp.png`, path);
      return path;
    },
    async close() {
      await context.close().catch(() => undefined);
    },
  };

  const query = opts.theme === 'light' ? '?theme=light' : '';
  const ready = opts.waitForReady === false ? undefined : waitForMessage('ready');
  await page.goto(`${origin}/${query}`, { waitUntil: 'load' });
  if (ready) await (ready as Promise<ReadyMessage>);
  return view;
}

// ---------------------------------------------------------------- sample graphs

/** A small graph: two Services, one workload, one broken edge to a missing backend. */
export function sampleGraph(overrides: Partial<TopologyGraph> = {}): TopologyGraph {
  return {
    nodes: [
      { id: 'svc:default/frontend', kind: 'service', label: 'frontend', detail: 'ClusterIP 80 → 8080', namespace: 'default' },
      { id: 'wl:default/frontend', kind: 'workload', label: 'frontend', detail: 'Deployment ×2', namespace: 'default' },
      { id: 'missing:default/cart', kind: 'missing', label: 'cart', detail: 'no Pods match app=cart', namespace: 'default' },
    ],
    edges: [
      { id: 'e1', from: 'svc:default/frontend', to: 'wl:default/frontend', label: '80 → 8080 http' },
      { id: 'e2', from: 'wl:default/frontend', to: 'missing:default/cart', label: 'CART_ADDR', broken: true },
    ],
    sourceLabel: 'harness sample',
    ...overrides,
  };
}
