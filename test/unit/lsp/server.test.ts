// The language server in-process, spoken to over streams by a scripted
// JSON-RPC client: initialize, the diagnostics of the shop example (those of
// `kni lint`), a hover, the quick fixes, an edit that fixes the selector,
// pull diagnostics, and the `kni.*` settings.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver/node';
import { README_URL } from '../../../src/core/rules/catalogue';
import { asLint, lintJson, lintShape } from '../../fixtures/lsp/lint-json';
import { CORPUS_DIR, skipWithoutCorpus } from '../../fixtures/corpus';
import { start, type Client } from '../../fixtures/lsp/scripted-client';

const ROOT = resolve('examples/shop');
const CART = resolve('examples/shop/30-cart.yaml');
const CART_URI = pathToFileURL(CART).href;

const openCart = (c: Client, text = readFileSync(CART, 'utf8')) => c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: CART_URI, languageId: 'yaml', version: 1, text } });

describe('kni lsp (scripted client)', function () {
  this.timeout(20_000);
  let c: Client | undefined;
  // Each client is closed once: a test that skips (no corpus) must not close the previous test's again.
  afterEach(() => {
    const open = c;
    c = undefined;
    return open?.close();
  });

  it('answers initialize with its capabilities and says what it does not serve', async () => {
    c = await start(ROOT);
    assert.equal(c.init.serverInfo?.name, 'kni');
    assert.deepEqual(c.init.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.equal(c.init.capabilities.hoverProvider, true);
    assert.deepEqual(c.init.capabilities.codeLensProvider, { resolveProvider: false });
    assert.equal(c.init.capabilities.diagnosticProvider, undefined, 'a client without pull diagnostics gets them pushed');
    assert.deepEqual((c.init.experimental as { kni: { renders: boolean; cluster: boolean } }).kni.renders, true);
    assert.deepEqual((c.init.experimental as { kni: { renders: boolean; cluster: boolean } }).kni.cluster, true);
    // File watching is registered once the client says it is initialized (it can: dynamicRegistration).
    await c.waitFor(CART_URI, (d) => d.length > 0);
    assert.deepEqual(c.registrations.map((r) => [r.method, r.registerOptions]), [
      ['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/.kni.yaml' }, { globPattern: '**/{*.tpl,Kustomization}' }, { globPattern: '**/*', kind: 4 }] }],
    ]);
  });

  it('pushes the diagnostics `kni lint` reports, for every file of the folder', async () => {
    c = await start(ROOT);
    const lint = await lintJson(['examples/shop']);
    const files = [...new Set(lint.map((f) => f.file))];
    assert.ok(files.length >= 5, 'the example has findings in several files');
    for (const file of files) {
      const got = await c.waitFor(pathToFileURL(resolve(file)).href, (d) => d.length > 0);
      assert.deepEqual(got.map(asLint), lint.filter((f) => f.file === file).map(lintShape), file);
    }
    const [cart] = c.pushed.get(CART_URI) as Diagnostic[];
    assert.equal(cart.code, 'service-no-matching-pods');
    assert.equal(cart.severity, 1);
    assert.equal(cart.source, 'kni');
    assert.equal(cart.codeDescription?.href, `${README_URL}#rule-service-no-matching-pods`);
    assert.equal(cart.relatedInformation?.[0].message, 'Deployment shop/carts has app=carts');
    assert.equal(cart.relatedInformation?.[0].location.uri, CART_URI);
    assert.equal(cart.relatedInformation?.[0].location.range.start.line, 13);
  });

  it('hovers a Service selector with the workloads it matches (none here)', async () => {
    c = await start(ROOT);
    await openCart(c);
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const hover = await c.rpc.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: CART_URI }, position: { line: 34, character: 6 } });
    assert.deepEqual(hover.range, { start: { line: 34, character: 4 }, end: { line: 34, character: 13 } });
    assert.deepEqual(hover.contents, { kind: 'markdown', value: '**Service selector `app=cart`**\n\n⚠ matches no workload in namespace `shop`' });
    const targetPort = await c.rpc.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: CART_URI }, position: { line: 38, character: 20 } });
    assert.match((targetPort.contents as { value: string }).value, /^\*\*targetPort `http`\*\* of port 80\/TCP/);
    assert.equal(await c.rpc.sendRequest('textDocument/hover', { textDocument: { uri: CART_URI }, position: { line: 0, character: 0 } }), null);
  });

  it('offers the fixes as quick fixes, the preferred one marked, and the disable comments', async () => {
    c = await start(ROOT);
    await openCart(c);
    const [d] = await c.waitFor(CART_URI, (x) => x.length > 0);
    const actions = await c.rpc.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: CART_URI }, range: d.range, context: { diagnostics: [d] } });
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [
        ['Change the selector to app=carts', 'quickfix', true],
        ['Disable service-no-matching-pods for this line', 'quickfix', false],
        ['Disable service-no-matching-pods for this document', 'quickfix', false],
      ],
    );
    assert.deepEqual(actions[0].edit?.changes?.[CART_URI], [{ range: { start: { line: 34, character: 9 }, end: { line: 34, character: 13 } }, newText: 'carts' }]);
    assert.deepEqual(actions[2].edit?.changes?.[CART_URI], [{ range: { start: { line: 26, character: 0 }, end: { line: 26, character: 0 } }, newText: '# kni-disable service-no-matching-pods\n' }]);
  });

  it('re-analyses an incremental edit: fixing the selector clears the diagnostic', async () => {
    c = await start(ROOT);
    await openCart(c);
    await c.waitFor(CART_URI, (d) => d.some((x) => x.code === 'service-no-matching-pods'));
    await c.rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri: CART_URI, version: 2 },
      contentChanges: [{ range: { start: { line: 34, character: 9 }, end: { line: 34, character: 13 } }, text: 'carts' }],
    });
    const after = await c.waitFor(CART_URI, (d) => !d.some((x) => x.code === 'service-no-matching-pods'));
    assert.deepEqual(after, []);
    // Closing the document without saving: the file on disk counts again.
    await c.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: CART_URI } });
    await c.waitFor(CART_URI, (d) => d.some((x) => x.code === 'service-no-matching-pods'));
  });

  it('answers pull diagnostics when the client asks for them, with the unsaved text', async () => {
    c = await start(ROOT, { textDocument: { diagnostic: {} } });
    assert.deepEqual(c.init.capabilities.diagnosticProvider, { identifier: 'kni', interFileDependencies: true, workspaceDiagnostics: true });
    type WorkspaceReport = { items: { uri: string; items: Diagnostic[] }[] };
    const before = await c.rpc.sendRequest<WorkspaceReport>('workspace/diagnostic', { previousResultIds: [] });
    assert.deepEqual(before.items.find((i) => i.uri === CART_URI)?.items.map((d) => d.code), ['service-no-matching-pods']);
    assert.ok(before.items.some((i) => i.uri.endsWith('/40-catalog.yaml') && i.items.some((d) => d.code === 'service-target-port-missing')));
    await openCart(c, readFileSync(CART, 'utf8').replace('    app: cart\n', '    app: carts\n'));
    const report = await c.rpc.sendRequest<{ kind: string; resultId: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: CART_URI } });
    assert.deepEqual(report, { kind: 'full', resultId: report.resultId, items: [] });
    // Asked again with that result: unchanged.
    assert.deepEqual(await c.rpc.sendRequest('textDocument/diagnostic', { textDocument: { uri: CART_URI }, previousResultId: report.resultId }), { kind: 'unchanged', resultId: report.resultId });
    // The workspace report names the file again, with nothing, so the client clears what it showed.
    const after = await c.rpc.sendRequest<WorkspaceReport>('workspace/diagnostic', { previousResultIds: [] });
    assert.deepEqual(after.items.find((i) => i.uri === CART_URI)?.items, []);
    assert.equal(c.pushed.size, 0, 'nothing is pushed to a pulling client');
  });

  it('applies the kni.* settings: a rule turned off, a severity changed', async () => {
    c = await start(ROOT, {}, { rules: { 'service-no-matching-pods': 'off', 'service-target-port-missing': 'info' } });
    const catalog = await c.waitFor(pathToFileURL(resolve('examples/shop/40-catalog.yaml')).href, (d) => d.length > 0);
    assert.deepEqual(catalog.map((d) => [d.code, d.severity]), [['service-target-port-missing', 3]]);
    assert.equal(c.pushed.get(CART_URI), undefined);
  });

  it('follows the disk: .kni.yaml, new, changed and deleted files (workspace/didChangeWatchedFiles)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kni-lsp-'));
    try {
      const service = join(dir, 'svc.yaml');
      const deployment = join(dir, 'deploy.yaml');
      const config = join(dir, '.kni.yaml');
      const uri = (p: string) => pathToFileURL(p).href;
      writeFileSync(service, 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n');
      writeFileSync(config, 'rules:\n  service-no-matching-pods: off\n');
      c = await start(dir);
      const changed = (changes: [string, number][]) => c?.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(([p, type]) => ({ uri: uri(p), type })) });
      // The folder's .kni.yaml turns the rule off: nothing for the Service until the file changes.
      await c.waitFor(uri(config), (d) => d.length === 0);
      writeFileSync(config, 'rules:\n  service-no-matching-pods: error\n  no-such-rule: off\n');
      await changed([[config, 2]]);
      const [problem] = await c.waitFor(uri(config), (d) => d.length > 0);
      assert.equal(problem.code, 'unknown-rule-id');
      assert.equal(problem.range.start.line, 2);
      await c.waitFor(uri(service), (d) => d.length === 1 && d[0].code === 'service-no-matching-pods');
      // A Deployment with the Service's labels appears on disk: the Service has endpoints.
      writeFileSync(deployment, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}\n');
      await changed([[deployment, 1]]);
      await c.waitFor(uri(service), (d) => d.length === 0);
      unlinkSync(deployment);
      await changed([[deployment, 3]]);
      await c.waitFor(uri(service), (d) => d.length === 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the settings again on workspace/didChangeConfiguration', async () => {
    let settings: unknown = null;
    c = await start(ROOT);
    c.rpc.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
    await c.waitFor(CART_URI, (d) => d.length > 0);
    settings = { rules: { 'service-no-matching-pods': 'warning' } };
    await c.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const [d] = await c.waitFor(CART_URI, (x) => x.length > 0 && x[0].severity === 2);
    assert.equal(d.code, 'service-no-matching-pods');
  });

  it('without a workspace folder, analyses the documents the client opens', async () => {
    c = await start(null);
    await openCart(c);
    const got = await c.waitFor(CART_URI, (d) => d.length > 0);
    assert.deepEqual(got.map(asLint), (await lintJson(['examples/shop/30-cart.yaml'])).map(lintShape));
    assert.deepEqual([...c.pushed.keys()], [CART_URI], 'no other file is read');
  });

  it('reports on the real-world corpus what `kni lint` reports, file by file', async function () {
    skipWithoutCorpus(this);
    this.timeout(60_000);
    const lint = await lintJson([CORPUS_DIR]);
    const files = [...new Set(lint.map((f) => f.file))];
    assert.ok(files.length > 10);
    c = await start(CORPUS_DIR);
    // The last file's diagnostics arrive with the others (one scan publishes them all).
    await c.waitFor(pathToFileURL(files[files.length - 1]).href, (d) => d.length > 0);
    const got = new Map([...c.pushed].filter(([, d]) => d.length > 0));
    assert.deepEqual([...got.keys()].sort(), files.map((f) => pathToFileURL(f).href).sort());
    for (const file of files) assert.deepEqual(got.get(pathToFileURL(file).href)?.map(asLint), lint.filter((f) => f.file === file).map(lintShape), file);
  });
});
