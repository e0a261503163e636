// What the VS Code extension's editor features take from the language server,
// over the scripted client: the index's state after each update (counts for
// the status bar, a scan's figures), kni/scan, the workspace pull held open
// and streamed as partial results, files.exclude, settings that re-analyse
// without a scan, the Trace Request targets, and notices a client shows itself.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, WorkspaceDiagnosticRequest, type Diagnostic } from 'vscode-languageserver/node';
import { INDEX_STATE_NOTIFICATION, NOTICE_NOTIFICATION, RENDERS_REQUEST, SCAN_REQUEST, TRACE_TARGETS_REQUEST, type IndexStateParams, type NoticeParams, type RendersResult, type ScanStats, type TraceTargetsResult } from '../../../src/protocol/lsp';
import { start, startClient, type Client } from '../../fixtures/lsp/scripted-client';
import { missingTool, renderTools } from '../../fixtures/render-tools';

const ROOT = resolve('examples/shop');
const CART = resolve('examples/shop/30-cart.yaml');
const CART_URI = pathToFileURL(CART).href;
const uri = (p: string) => pathToFileURL(p).href;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';

describe('kni lsp for the editor (scripted client)', function () {
  this.timeout(20_000);
  let c: Client | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await c?.close();
    c = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'kni-lsp-editor-'));
    dirs.push(d);
    return d;
  };
  const states = (client: Client) => client.notifications(INDEX_STATE_NOTIFICATION) as IndexStateParams[];

  it('says the index state after the scan (the counts of `kni lint`) and after an edit, with what each cost', async () => {
    c = await start(ROOT);
    const scanned = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan');
    assert.deepEqual([scanned.files, scanned.objects, scanned.problems], [7, 16, { error: 5, warning: 1, info: 0 }]);
    assert.equal(scanned.scan?.files, 7);
    assert.equal(scanned.scan?.cancelled, false);
    assert.ok((scanned.scan?.ms ?? -1) >= 0 && scanned.scan?.phases.readMs !== undefined, JSON.stringify(scanned.scan));
    // An edit that fixes the cart's selector: one error less, after the debounce.
    const since = states(c).length;
    const text = readFileSync(CART, 'utf8');
    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: CART_URI, languageId: 'yaml', version: 1, text } });
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 2 }, contentChanges: [{ text: text.replace('    app: cart\n', '    app: carts\n') }] });
    const edited = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'edit', since);
    assert.deepEqual(edited.problems, { error: 4, warning: 1, info: 0 });
    assert.ok(edited.generation > scanned.generation);
    assert.ok((edited.sinceChangeMs ?? 0) >= 150, `the debounce is in sinceChangeMs: ${edited.sinceChangeMs}`);
    // kni/scan reads everything again and answers with the figures once the diagnostics are out.
    const stats = await c.rpc.sendRequest<ScanStats>(SCAN_REQUEST);
    assert.equal(stats.files, 6, 'read from disk: all but the open document');
    assert.equal(states(c).at(-1)?.reason, 'scan');
    assert.equal(states(c).at(-1)?.files, 7);
    assert.deepEqual(states(c).at(-1)?.problems, { error: 4, warning: 1, info: 0 }, 'the open document keeps its text');
  });

  it('holds the workspace pull open and streams each update\'s changed files as partial results', async () => {
    c = await start(ROOT, { textDocument: { diagnostic: {} }, workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, diagnostics: { refreshSupport: true } } });
    const partials: { uri: string; resultId?: string; items: Diagnostic[] }[][] = [];
    const token = 'kni-test-partial';
    c.rpc.onProgress(WorkspaceDiagnosticRequest.partialResult, token, (p) => void partials.push(p.items as (typeof partials)[number]));
    const cancel = new CancellationTokenSource();
    const answer = c.rpc.sendRequest<{ items: unknown[] }>('workspace/diagnostic', { previousResultIds: [], partialResultToken: token }, cancel.token);
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan');
    const wait = async (what: string, test: () => boolean) => {
      for (let waited = 0; !test(); waited += 20) {
        if (waited > 10_000) throw new Error(`not within 10 s: ${what}; partials: ${JSON.stringify(partials).slice(0, 400)}`);
        await new Promise((done) => setTimeout(done, 20));
      }
    };
    await wait('the first report', () => partials.length === 1);
    const first = partials[0];
    assert.deepEqual(first.find((r) => r.uri === CART_URI)?.items.map((d) => d.code), ['service-no-matching-pods']);
    // The selector fixed in the editor: only the cart file comes, with nothing.
    const text = readFileSync(CART, 'utf8');
    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: CART_URI, languageId: 'yaml', version: 1, text } });
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 2 }, contentChanges: [{ text: text.replace('    app: cart\n', '    app: carts\n') }] });
    await wait('the edit', () => partials.some((p) => p.some((r) => r.uri === CART_URI && r.items.length === 0)));
    const edit = partials.find((p) => p.some((r) => r.uri === CART_URI && r.items.length === 0)) ?? [];
    assert.deepEqual(edit.map((r) => r.uri), [CART_URI]);
    // A client that knows the latest results gets nothing new until something changes; a cancel ends the pull.
    cancel.cancel();
    assert.deepEqual(await answer, { items: [] });
    const known = [CART_URI, ...first.map((r) => r.uri).filter((u) => u !== CART_URI)].map((u) => ({ uri: u, value: u === CART_URI ? (edit[0].resultId as string) : (first.find((r) => r.uri === u)?.resultId as string) }));
    const held = new CancellationTokenSource();
    let answered = false;
    const second = c.rpc.sendRequest<{ items: { uri: string }[] }>('workspace/diagnostic', { previousResultIds: known }, held.token).then((r) => ((answered = true), r));
    await new Promise((done) => setTimeout(done, 300));
    assert.equal(answered, false, 'held while nothing changed');
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 3 }, contentChanges: [{ text }] });
    assert.deepEqual((await second).items.map((r) => r.uri), [CART_URI], 'answered with the change (no partial result token: a long poll)');
  });

  it('leaves out the files of files.exclude, as it is set per folder, and a change of it scans again', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'web.yaml'), SERVICE);
    writeFileSync(join(dir, 'build', 'copy.yaml'), SERVICE.replace('name: web', 'name: copy'));
    let exclude: unknown = { '**/build': true, '**/other': false };
    c = await startClient({ root: dir, configuration: (item) => (item.section === 'files.exclude' && item.scopeUri === uri(dir) ? exclude : null) });
    const scanned = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan');
    assert.equal(scanned.files, 1);
    await c.waitFor(uri(join(dir, 'web.yaml')), (d) => d.length === 1);
    assert.equal(c.pushed.get(uri(join(dir, 'build', 'copy.yaml'))), undefined);
    // A file event there is not followed either.
    const since = states(c).length;
    writeFileSync(join(dir, 'build', 'new.yaml'), SERVICE.replace('name: web', 'name: new'));
    await c.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(join(dir, 'build', 'new.yaml')), type: 1 }] });
    const filed = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'file', since);
    assert.equal(filed.files, 1);
    exclude = {};
    await c.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const rescanned = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan', since + 1);
    assert.equal(rescanned.files, 3);
    assert.deepEqual(c.registrations.find((r) => r.method === 'workspace/didChangeConfiguration'), undefined, 'this client cannot register it');
  });

  it('re-analyses without a scan when only rules change, and scans when kni.exclude does', async () => {
    let settings: unknown = null;
    c = await startClient({ root: ROOT, configuration: (item) => (item.section === 'kni' ? settings : null) });
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan');
    const since = states(c).length;
    settings = { rules: { 'service-no-matching-pods': 'off' } };
    await c.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const config = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'config', since);
    assert.deepEqual(config.problems, { error: 4, warning: 1, info: 0 });
    assert.equal(states(c).slice(since).filter((s) => s.reason === 'scan').length, 0, 'no scan for a rule');
    await c.waitFor(CART_URI, (d) => d.length === 0);
    settings = { rules: { 'service-no-matching-pods': 'off' }, exclude: ['60-*.yaml'] };
    await c.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const scanned = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan', since);
    assert.equal(scanned.files, 6);
  });

  it('lists the Trace Request targets: Services with their ports, the Ingress URLs, with the file each is written in', async () => {
    c = await start(ROOT);
    const { targets } = await c.rpc.sendRequest<TraceTargetsResult>(TRACE_TARGETS_REQUEST);
    const services = targets.filter((t) => t.kind === 'service');
    assert.ok(services.some((t) => t.label === 'shop/cart:80' && t.detail === '30-cart.yaml' && 'serviceId' in t.target && t.target.port === 80), JSON.stringify(services));
    assert.equal(new Set(services.map((t) => t.label.split(':')[0])).size, 4, 'frontend, cart, catalog, redis');
    const urls = targets.filter((t) => t.kind === 'ingress').map((t) => t.label);
    assert.deepEqual(urls, ['https://shop.example.com/', 'https://shop.example.com/api/catalog']);
    assert.ok(targets.filter((t) => t.kind === 'ingress').every((t) => t.detail === '10-ingress.yaml' && 'url' in t.target));
  });

  it('to a client that shows notices itself, says once in its words why renders are off, and answers the renders when idle', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'chart', 'templates', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n');
    c = await start(dir, {}, null, { notices: true, untrustedWords: 'in Restricted Mode' });
    const notice = await c.waitForNotification<NoticeParams>(NOTICE_NOTIFICATION, () => true);
    assert.equal(notice.key, 'untrusted');
    assert.match(notice.message, /^KNI: Helm charts and Kustomize overlays are not rendered in Restricted Mode: rendering runs helm or kustomize/);
    await c.rpc.sendRequest(SCAN_REQUEST);
    const renders = await c.rpc.sendRequest<RendersResult>(RENDERS_REQUEST, { whenIdle: true });
    assert.deepEqual([renders.renders, renders.offCount], [[], 1]);
    assert.equal(c.notifications(NOTICE_NOTIFICATION).length, 1, 'said once');
    assert.deepEqual(c.messages, [], 'not also as window/showMessage');
  });

  it('sends a document\'s report to the workspace pull again after a document pull that waited while it was sent there', async () => {
    c = await start(ROOT, { textDocument: { diagnostic: {} }, workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, diagnostics: { refreshSupport: true } } });
    const partials: { uri: string; items: Diagnostic[] }[][] = [];
    const token = 'kni-test-resend';
    c.rpc.onProgress(WorkspaceDiagnosticRequest.partialResult, token, (p) => void partials.push(p.items as (typeof partials)[number]));
    const cancel = new CancellationTokenSource();
    const answer = c.rpc.sendRequest('workspace/diagnostic', { previousResultIds: [], partialResultToken: token }, cancel.token);
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan');
    const text = readFileSync(CART, 'utf8');
    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: CART_URI, languageId: 'yaml', version: 1, text } });
    // An edit, and at once a document pull (VS Code's last pull of a closing editor): the pull flushes the debounce.
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 2 }, contentChanges: [{ text: text.replace('    app: cart\n', '    app: carts\n') }] });
    const report = await c.rpc.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: CART_URI } });
    assert.deepEqual(report.items, []);
    const cartReports = () => partials.flat().filter((r) => r.uri === CART_URI && r.items.length === 0).length;
    for (let waited = 0; cartReports() < 2; waited += 20) {
      if (waited > 5_000) assert.fail(`the cart's report came ${cartReports()} time(s)`);
      await new Promise((done) => setTimeout(done, 20));
    }
    cancel.cancel();
    await answer;
  });

  it('lists a folder again when files appear in it, so a chart copied in is found though the watcher told of one file', async function () {
    const { helm4, kubectl } = renderTools();
    if (!helm4 || !kubectl) return missingTool(this, 'helm 4 and kubectl');
    const dir = tempDir();
    writeFileSync(join(dir, 'web.yaml'), SERVICE);
    c = await start(dir, {}, null, { trusted: true, helmPath: helm4, kustomizePath: kubectl });
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan');
    cpSync(resolve('examples/charts/api'), join(dir, 'api'), { recursive: true });
    const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
    assert.ok(files(join(dir, 'api')).length > 3);
    // Only Chart.yaml is reported, as a watcher that dropped the rest would.
    await c.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(join(dir, 'api', 'Chart.yaml')), type: 1 }] });
    const template = uri(join(dir, 'api', 'templates', 'service.yaml'));
    await c.waitFor(template, (d) => d.some((x) => x.code === 'service-target-port-missing'));
    const renders = await c.rpc.sendRequest<RendersResult>(RENDERS_REQUEST, { whenIdle: true });
    assert.deepEqual(renders.renders.map((r) => r.state), ['rendered']);
  });

  it('follows workspace folders added and removed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'web.yaml'), SERVICE);
    c = await start(ROOT, { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } });
    assert.deepEqual(c.init.capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan');
    const since = states(c).length;
    await c.rpc.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uri(dir), name: 'web' }], removed: [{ uri: uri(ROOT), name: 'root' }] } });
    const scanned = await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (s) => s.reason === 'scan', since);
    assert.deepEqual([scanned.files, scanned.problems], [1, { error: 1, warning: 0, info: 0 }]);
    await c.waitFor(uri(join(dir, 'web.yaml')), (d) => d.length === 1);
    await c.waitFor(CART_URI, (d) => d.length === 0);
  });
});
