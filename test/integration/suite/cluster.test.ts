// A live cluster in the editor: the runner starts the test API server on the
// shop fixture (test/fixtures/cluster/shop) and passes its kubeconfig as
// KUBECONFIG (context kni-test). Selecting the context connects; the inspector
// draws the cluster's Pods on its Nodes and follows watch events; an open
// manifest that differs from the cluster gets a drift diagnostic; choosing
// "manifests only" goes back to the workspace's model.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import * as vscode from 'vscode';
import type { GraphSummary, KniExtensionApi } from '../../../src/extension/api';
import { inspectorEval, kniExtension, openEditor, screenshot, until, webviewTabs, workspaceFile } from './helpers';

const CONTEXT = 'kni-test';

/** POST to the test API server's control API (inject an event or a fault). */
function control(body: object): Promise<void> {
  const url = new URL('/_kni/control', process.env.KNI_TEST_API_URL);
  return new Promise((done, fail) => {
    const req = request(
      url,
      { method: 'POST', ca: readFileSync(process.env.KNI_TEST_API_CA as string), headers: { authorization: `Bearer ${process.env.KNI_TEST_API_TOKEN}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`control API answered ${res.statusCode}`))));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

/** Resolves with the drawn graph once `accept` holds, waiting on the panel's `rendered` reports (each bounded, no sleeps). */
async function drawnWhen(api: KniExtensionApi, what: string, accept: (g: GraphSummary) => boolean, timeoutMs = 30_000): Promise<GraphSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const next = api.inspector.nextRendered(Math.max(1, deadline - Date.now())).catch((err: Error) => err);
    const g = api.inspector.lastGraphSummary();
    if (g && accept(g)) return g;
    const r = await next;
    if (r instanceof Error) {
      const last = api.inspector.lastGraphSummary();
      throw new Error(`${what}: ${r.message} (last drawn: ${last ? `${last.sourceLabel}, ${last.nodes.length} nodes` : 'nothing'})`);
    }
  }
}

/** Resolves with a document's diagnostics once `accept` holds (on the diagnostics-changed event). */
function diagnosticsWhen(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (accept(now)) return Promise.resolve(now);
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      sub.dispose();
      fail(new Error(`timed out after ${timeoutMs} ms; diagnostics: ${vscode.languages.getDiagnostics(uri).map((d) => d.message).join(' | ')}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const list = vscode.languages.getDiagnostics(uri);
      if (!accept(list)) return;
      clearTimeout(timer);
      sub.dispose();
      done(list);
    });
  });
}

const isDrift = (d: vscode.Diagnostic) => d.source === 'kni' && d.code === 'cluster-drift';

describe('a live cluster in the editor', function () {
  let api: KniExtensionApi;

  before(async function () {
    assert.ok(process.env.KUBECONFIG && process.env.KNI_TEST_API_URL, 'the runner did not start the test API server (KUBECONFIG and KNI_TEST_API_URL unset)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const ext = kniExtension();
    await openEditor('web.yaml');
    await until('the extension to activate', () => ext.isActive);
    api = ext.exports;
  });

  after(async () => {
    await vscode.commands.executeCommand('kni.selectClusterContext', { manifestsOnly: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('connects to the context given as an argument and reports synced in the status bar', async () => {
    await vscode.commands.executeCommand('kni.selectClusterContext', { context: CONTEXT });
    await api.cluster.whenSynced(30_000);
    const c = api.cluster.connection();
    assert.equal(c?.context, CONTEXT);
    assert.deepEqual(c?.namespaces, [], 'no namespaces given and no kni.cluster.namespaces: all namespaces');
    assert.equal(c?.state, 'synced', c?.message);
    assert.equal(api.cluster.view(), 'cluster');
    assert.match(api.cluster.statusBarText(), new RegExp(`⎈ ${CONTEXT} synced \\$\\(error\\) \\d+ \\$\\(warning\\) \\d+`));
  });

  it("draws the cluster's Pods on its Nodes, with their real addresses", async () => {
    // The panel alone in the window, so that the screenshot is legible.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('kni.openInspector');
    await api.inspector.whenReady(30_000);
    const g = await drawnWhen(api, 'the cluster drawn', (s) => s.view === 'cluster' && s.nodes.some((n) => n.kind === 'pod'));
    assert.match(g.sourceLabel, new RegExp(`⎈ ${CONTEXT}`));
    assert.deepEqual(g.nodes.filter((n) => n.kind === 'node').map((n) => n.label).sort(), ['node-a', 'node-b']);
    const pods = g.nodes.filter((n) => n.kind === 'pod');
    const frontend = pods.find((n) => n.label === 'frontend-7c9d8-abcde');
    assert.ok(frontend, `no Pod frontend-7c9d8-abcde among ${pods.map((p) => p.label).join(', ')}`);
    assert.match(frontend.detail ?? '', /10\.244\.0\.10/);
    assert.ok(pods.some((n) => n.label === 'frontend-7c9d8-fghij'));
    // Pinned, the frontend's trace is what the view frames: its entry points, Service, endpoints and Pods.
    const service = g.nodes.find((n) => n.kind === 'service' && n.label === 'frontend');
    assert.ok(service, 'the frontend Service is drawn');
    await vscode.commands.executeCommand('kni.traceRequest', { serviceId: service.id.slice('service:'.length) });
    await until('the frontend trace pinned', () => api.inspector.lastPinnedTrace()?.nodeId === service.id);
    const pinned = api.inspector.lastPinnedTrace();
    const pinnedPods = (pinned?.nodeIds ?? []).filter((id) => id.startsWith('pod:')).map((id) => g.nodes.find((n) => n.id === id)?.label).sort();
    assert.deepEqual(pinnedPods, ['frontend-7c9d8-abcde', 'frontend-7c9d8-fghij'], 'the pinned path reaches both frontend Pods');
    // The webview frames the pin with a short transition: the picture waits for the view it saves once settled.
    await inspectorEval(`(async () => {
      const d = () => window.__kniInspector.debug;
      const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
      for (let i = 0; i < 300; i++) {
        const t = d().transform;
        if (d().saved && d().saved.pinned === ${JSON.stringify(service.id)} && same(d().saved.transform, { x: t.x, y: t.y, k: t.k })) return;
        await new Promise((r) => requestAnimationFrame(r));
      }
      throw new Error('the pinned view did not settle');
    })()`);
    const shot = await screenshot('inspector-cluster');
    if (shot) console.log(`screenshot: ${shot}`);
  });

  it('takes a deleted Pod off the drawing when the watch reports it', async () => {
    await control({ op: 'remove', kind: 'Pod', namespace: 'shop', name: 'frontend-7c9d8-fghij' });
    const g = await drawnWhen(api, 'the deleted Pod gone', (s) => s.view === 'cluster' && !s.nodes.some((n) => n.label === 'frontend-7c9d8-fghij'));
    assert.ok(g.nodes.some((n) => n.label === 'frontend-7c9d8-abcde'), 'the other frontend Pod went too');
  });

  it('shows drift between an open manifest and the cluster as Information', async () => {
    // editor/shop/cart-service.yaml: Service shop/cart on port 80 → http; the cluster's is api 8080 → 8080.
    const uri = workspaceFile('editor', 'shop', 'cart-service.yaml');
    // Beside the inspector, which must stay visible to draw the next test's model.
    const inspectorColumn = webviewTabs('kni.inspector')[0]?.group.viewColumn;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
      viewColumn: inspectorColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One,
      preview: false,
    });
    const list = await diagnosticsWhen(uri, (ds) => ds.some(isDrift));
    const drift = list.filter(isDrift);
    assert.equal(drift.length, 1, drift.map((d) => d.message).join(' | '));
    assert.equal(drift[0].severity, vscode.DiagnosticSeverity.Information);
    assert.equal(drift[0].message, `In cluster ${CONTEXT}, Service shop/cart has ports api 8080→8080 (this file: http 80→http).`);
  });

  it('a partial read (403 on NetworkPolicies) says so in the status bar and the inspector', async () => {
    await control({ op: 'forbid', plural: 'networkpolicies' });
    try {
      // A new connection reads the cluster again, now without NetworkPolicies.
      await vscode.commands.executeCommand('kni.selectClusterContext', { context: CONTEXT });
      await api.cluster.whenSynced(30_000);
      await until('the unread NetworkPolicies reported', () => (api.cluster.connection()?.unread.length ?? 0) > 0);
      assert.deepEqual(api.cluster.connection()?.unread, [{ resource: 'networkpolicies', reason: 'forbidden (403)' }]);
      assert.match(api.cluster.statusBarText(), new RegExp(`⎈ ${CONTEXT} synced \\(partial\\) \\$\\(error\\) \\d+`));
      const g = await drawnWhen(api, 'the partial cluster drawn', (s) => s.sourceLabel.includes('partial'));
      assert.match(g.sourceLabel, /^⎈ kni-test \(partial: networkpolicies not readable\)$/);
    } finally {
      await control({ op: 'allow', plural: 'networkpolicies' });
    }
  });

  it('goes back to the workspace model with "manifests only"', async () => {
    const uri = workspaceFile('editor', 'shop', 'cart-service.yaml');
    await vscode.commands.executeCommand('kni.selectClusterContext', { manifestsOnly: true });
    assert.equal(api.cluster.connection(), undefined);
    assert.equal(api.cluster.view(), 'files');
    assert.match(api.cluster.statusBarText(), /KNI: workspace/);
    const g = await drawnWhen(api, 'the workspace drawn', (s) => s.view === undefined && s.sourceLabel.startsWith('workspace'));
    assert.equal(g.nodes.filter((n) => n.kind === 'pod' || n.kind === 'node').length, 0, 'manifests have no live Pods or Nodes');
    await diagnosticsWhen(uri, (ds) => !ds.some(isDrift));
  });
});
