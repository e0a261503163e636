// Restricted Mode: the runner's restricted run opens the multi-root fixture
// (test/integration/fixtures/restricted) NOT trusted. KUBECONFIG names two
// kubeconfigs for a test API server of the run's own: one the runner wrote
// into the workspace (shop/.kube/config, context kni-test), whose user runs an
// exec credential plugin that writes a marker file (KNI_EXEC_MARKER) and then
// hands out a valid token, and one outside it with a plain token (context
// kni-token), which a trusted workspace would connect with. Linting and
// traces of the manifests work; no request reaches the server and the plugin
// never runs, whatever is asked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { delimiter } from 'node:path';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { kniExtension, screenshot, until } from './helpers';

/** A GET to the test API server with its token: the request log, or (as a control) any API path. */
function apiGet(path: string): Promise<unknown> {
  const url = new URL(path, process.env.KNI_TEST_API_URL);
  return new Promise((done, fail) => {
    const req = request(url, { method: 'GET', ca: readFileSync(process.env.KNI_TEST_API_CA as string), headers: { authorization: `Bearer ${process.env.KNI_TEST_API_TOKEN}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? done(JSON.parse(body)) : fail(new Error(`${path}: the test API server answered ${res.statusCode}`))));
    });
    req.on('error', fail);
    req.end();
  });
}

const recordedRequests = async () => (await apiGet('/_kni/requests')) as { method: string; path: string }[];

if (process.env.KNI_INTEGRATION_RUN === 'restricted') {
  describe('Restricted Mode', function () {
    let api: KniExtensionApi;
    let shop: vscode.Uri;
    const marker = process.env.KNI_EXEC_MARKER as string;
    const [inWorkspace] = (process.env.KUBECONFIG ?? '').split(delimiter);

    before(async () => {
      assert.ok(process.env.KNI_TEST_API_URL && marker, 'the runner did not start the test API server or name the marker file');
      shop = (vscode.workspace.workspaceFolders ?? [])[0].uri;
      const ext = kniExtension();
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(shop, 'web.yaml')), { preview: false });
      await until('the extension to activate', () => ext.isActive, 30_000);
      api = ext.exports;
      await api.editor.whenIndexed();
    });

    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until('the inspector to close', () => !api?.inspector.isOpen(), 15_000);
    });

    it('runs in an untrusted workspace whose kubeconfig is in the workspace', () => {
      assert.equal(vscode.workspace.isTrusted, false);
      assert.ok(inWorkspace.startsWith(shop.fsPath), `KUBECONFIG ${process.env.KUBECONFIG} does not start in the workspace`);
      const kubeconfig = JSON.parse(readFileSync(inWorkspace, 'utf8'));
      assert.ok(kubeconfig.users[0].user.exec, 'the kubeconfig user has no exec credential plugin');
    });

    it('lints the manifests', async () => {
      const uri = vscode.Uri.joinPath(shop, 'web.yaml');
      await until('the selector diagnostic', () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'kni'), 20_000);
      const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kni');
      assert.deepEqual(
        ds.map((d) => `${typeof d.code === 'object' ? d.code.value : d.code} ${d.range.start.line}:${d.range.start.character}`),
        ['service-no-matching-pods 44:4'],
      );
      assert.match(ds[0].message, /app=carts/);
    });

    it('traces a request through the manifests', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.joinPath(shop, 'web.yaml'));
      const trace = lenses.find((l) => l.command?.command === 'kni.traceRequest');
      assert.ok(trace?.command, `no Trace request lens (lenses: ${lenses.map((l) => l.command?.title).join(', ')})`);
      await vscode.commands.executeCommand(trace.command.command, ...(trace.command.arguments ?? []));
      await api.inspector.whenReady(30_000);
      await until('a pinned trace', () => api.inspector.lastPinnedTrace() !== undefined, 30_000);
      const pinned = api.inspector.lastPinnedTrace()!;
      assert.equal(pinned.title, 'shop/web');
      assert.equal(pinned.fromEngine, true);
      assert.ok(pinned.hops.some((h) => h.kind === 'dns'), `no DNS hop: ${pinned.hops.map((h) => h.kind).join(', ')}`);
      await screenshot('restricted-mode-trace');
    });

    it('never contacts the cluster nor runs the kubeconfig exec plugin, whatever is asked', async () => {
      // By argument (as a restored session would), for the kubeconfig in the workspace and the one outside it.
      // The command resolves once it has decided: 'refused' comes before any kubeconfig is read or session
      // made, so nothing can still be under way when the checks below run (no time to wait out).
      assert.equal(await vscode.commands.executeCommand('kni.selectClusterContext', { context: 'kni-test' }), 'refused');
      assert.equal(await vscode.commands.executeCommand('kni.selectClusterContext', { context: 'kni-token' }), 'refused');
      await vscode.commands.executeCommand('kni.refresh');
      assert.equal(api.cluster.connection(), undefined, 'connected in Restricted Mode');
      assert.match(api.cluster.statusBarText(), /KNI: workspace/);
      assert.deepEqual(await recordedRequests(), [], 'the test API server received requests');
      assert.equal(existsSync(marker), false, 'the kubeconfig exec plugin ran');
      // Interactively: refused before the kubeconfig is read, so no list of its contexts to pick from.
      let asked = false;
      const interactive = vscode.commands.executeCommand('kni.selectClusterContext');
      // A bound, not a wait: the refusal resolves the command at once; only a picker left open would reach it.
      const timer = setTimeout(() => {
        asked = true;
        void vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      }, 5_000);
      assert.equal(await interactive, 'refused');
      clearTimeout(timer);
      assert.equal(asked, false, 'KNI: Select Cluster Context offered a choice in Restricted Mode');
      assert.deepEqual(await recordedRequests(), [], 'the test API server received requests');
      assert.equal(existsSync(marker), false, 'the kubeconfig exec plugin ran');

      // Controls: the log records a request, and the plugin, run by hand, leaves its marker.
      await apiGet('/api');
      assert.deepEqual(
        (await recordedRequests()).map((r) => `${r.method} ${r.path}`),
        ['GET /api'],
      );
      const exec = JSON.parse(readFileSync(inWorkspace, 'utf8')).users[0].user.exec;
      const credential = JSON.parse(execFileSync(exec.command, exec.args, { encoding: 'utf8' }));
      assert.equal(credential.status.token, process.env.KNI_TEST_API_TOKEN);
      assert.equal(existsSync(marker), true, 'the plugin does not write its marker: the check above proves nothing');
    });
  });
}
