// Helm charts and Kustomize overlays in a real VS Code: the example chart
// (examples/charts/api, whose values break a targetPort) and overlay
// (examples/kustomize, whose patch breaks a selector) are written into the
// workspace (a throwaway folder, removed at the end), rendered with the helm
// and kubectl the runner names in the user settings (kni.helm.path,
// kni.kustomize.path), and their findings land on the template, values and
// patch lines; a saved edit of the values file renders the chart again.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { inspectorEval, kniExtension, until, workspaceFile } from './helpers';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

describe('Helm and Kustomize renders', function () {
  let api: KniExtensionApi;
  const folderName = `render-${process.pid}-${Date.now()}`;
  const folder = () => workspaceFile(folderName);
  const file = (...segments: string[]) => vscode.Uri.joinPath(folder(), ...segments);
  const kni = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kni');
  const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
  const describeDiag = (d: vscode.Diagnostic) => `${ruleOf(d)} ${d.range.start.line}:${d.range.start.character}`;

  async function diagnosticsUntil(uri: vscode.Uri, what: string, check: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 45_000): Promise<vscode.Diagnostic[]> {
    try {
      await until(what, () => check(kni(uri)), timeoutMs, 50);
    } catch (err) {
      throw new Error(`${(err as Error).message} in ${uri.path}; it has: ${kni(uri).map(describeDiag).join(', ') || 'none'}; renders: ${JSON.stringify(api.editor.renders())}`);
    }
    return kni(uri);
  }

  before(async function () {
    const settings = vscode.workspace.getConfiguration('kni');
    if (!settings.get<string>('helm.path') || !settings.get<string>('kustomize.path')) {
      if (process.env.CI === 'true') throw new Error('the runner set no kni.helm.path / kni.kustomize.path (scripts/unpack-render-tools.mjs)');
      this.skip();
    }
    const ext = kniExtension();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('web.yaml')), { preview: false });
    await until('the extension to activate', () => ext.isActive, 30_000);
    api = ext.exports;
    await api.editor.whenIndexed();
    // The example chart and overlay, file by file (each a file event, as a checkout would bring them).
    const examples = vscode.Uri.joinPath(ext.extensionUri, 'examples');
    for (const [from, to] of [
      ['charts/api', 'api'],
      ['kustomize', 'kustomize'],
    ]) {
      const base = join(examples.fsPath, from);
      for (const path of filesUnder(base)) {
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder(), to, ...relative(base, path).split(/[\\/]/)), readFileSync(path));
      }
    }
  });

  after(async () => {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isDirty && doc.uri.fsPath.startsWith(folder().fsPath)) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder(), { recursive: true }).then(undefined, () => undefined);
  });

  it('renders the chart and the overlay with the tools of the user settings', async () => {
    await until('both renders to finish', () => {
      const list = api.editor.renders().list.filter((r) => r.name.includes(folderName) || r.name.startsWith('api'));
      return list.length === 2 && list.every((r) => r.state === 'rendered');
    }, 45_000, 100).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(api.editor.renders())}`);
    });
    assert.equal(api.editor.renders().off, undefined);
    // Several file events of the copy may render a render again: the status bar says so, then settles.
    await until('the status bar to name the renders', () => /\$\(package\) 2 renders$/.test(api.editor.statusBarText()), 30_000).catch((err) => {
      throw new Error(`${err.message}: ${api.editor.statusBarText()}`);
    });
  });

  it('puts the chart finding on the template line, with the values line related', async () => {
    const service = file('api', 'templates', 'service.yaml');
    const [d, ...rest] = await diagnosticsUntil(service, 'the targetPort finding', (ds) => ds.some((x) => ruleOf(x) === 'service-target-port-missing'));
    assert.equal(rest.length, 0, kni(service).map(describeDiag).join(', '));
    assert.equal(describeDiag(d), 'service-target-port-missing 11:18');
    assert.match(d.message, /in render api \(/);
    const values = d.relatedInformation?.find((r) => r.location.uri.toString() === file('api', 'values.yaml').toString());
    assert.ok(values, `no related location in values.yaml: ${JSON.stringify(d.relatedInformation?.map((r) => r.location.uri.path))}`);
    assert.equal(values.location.range.start.line, 16, 'the values line that says targetPort: web');
    // No quick fix rewrites the value (it comes from values.yaml through an action); the line can be silenced in the template.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(service), { preview: false }); // code actions need the document loaded
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', service, d.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(
      // (The workbench's own chat actions, "Fix" and "Explain", are not ours.)
      actions.map((a) => a.title).filter((t) => /service-target-port-missing|targetPort|port/i.test(t)),
      ['Disable service-target-port-missing for this line'],
    );
    // The chart's templates are not loose manifests: no manifest-template info.
    for (const t of ['deployment.yaml', 'service.yaml', 'tests/test-connection.yaml']) {
      assert.ok(!kni(file('api', 'templates', ...t.split('/'))).some((x) => ruleOf(x) === 'manifest-template'), `${t} still says manifest-template`);
    }
  });

  it('puts the overlay finding on the patch line, and lints the base only through the overlay', async () => {
    const patch = file('kustomize', 'overlays', 'prod', 'orders-service.yaml');
    const ds = await diagnosticsUntil(patch, 'the selector finding', (x) => x.some((y) => ruleOf(y) === 'service-no-matching-pods'));
    assert.deepEqual(ds.map(describeDiag), ['service-no-matching-pods 7:4']);
    assert.match(ds[0].message, /in render .*overlays\/prod/);
    assert.deepEqual(kni(file('kustomize', 'base', 'orders.yaml')).map(describeDiag), []);
  });

  it('traces a Service of a template in the rendered release, reveals it from the inspector, and hovers its targetPort', async () => {
    const service = file('api', 'templates', 'service.yaml');
    const doc = await vscode.workspace.openTextDocument(service);
    await vscode.window.showTextDocument(doc, { preview: false });
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', service);
    const trace = lenses.find((l) => l.command?.command === 'kni.traceRequest');
    assert.ok(trace?.command, `no Trace request lens (lenses: ${lenses.map((l) => l.command?.title).join(', ')})`);
    assert.equal(trace.range.start.line, 0, 'above the Service');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', service, new vscode.Position(11, 24));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /targetPort `web`/);
    assert.match(text, /in render api/);
    await vscode.commands.executeCommand(trace.command.command, ...(trace.command.arguments ?? []));
    await until('the pinned trace', () => api.inspector.lastPinnedTrace() !== undefined, 30_000);
    assert.match(api.inspector.lastGraphSummary()?.sourceLabel ?? '', /^render api/);
    // A click on the Service in the inspector reveals its template, not the rendered text.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('web.yaml')), { preview: false, viewColumn: vscode.ViewColumn.One });
    const { serviceId } = trace.command.arguments?.[0] as { serviceId: string };
    await inspectorEval(`(async () => { window.__kniInspector.options.post({ type: 'reveal', objectId: ${JSON.stringify(serviceId)} }); return true; })()`);
    await until('the Service revealed in its chart', () => (vscode.window.activeTextEditor?.document.uri.path ?? '').startsWith(`${file('api', 'templates').path}/`), 15_000).catch((err) => {
      throw new Error(`${err.message}: the active editor is ${vscode.window.activeTextEditor?.document.uri.path}`);
    });
    // Back to the workspace's manifests.
    await vscode.commands.executeCommand('kni.showRenderInInspector', { render: null });
    await until('the workspace drawn again', () => /^workspace/.test(api.inspector.lastGraphSummary()?.sourceLabel ?? ''), 30_000);
  });

  it('renders the chart again when its values file is saved, and the diagnostics follow', async () => {
    const service = file('api', 'templates', 'service.yaml');
    const valuesUri = file('api', 'values.yaml');
    const doc = await vscode.workspace.openTextDocument(valuesUri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const line = doc.getText().split('\n').findIndex((l) => l.includes('targetPort: web'));
    await editor.edit((e) => e.replace(new vscode.Range(line, 14, line, 17), 'http'));
    // Unsaved: Helm reads the disk, so the finding stays until the save.
    assert.ok(kni(service).some((x) => ruleOf(x) === 'service-target-port-missing'));
    const savedAt = Date.now();
    assert.ok(await doc.save(), 'the values file was not saved');
    await diagnosticsUntil(service, 'the targetPort finding to go', (ds) => !ds.some((x) => ruleOf(x) === 'service-target-port-missing'));
    console.log(`      [render] save of values.yaml to the template's diagnostics: ${Date.now() - savedAt} ms (debounce, helm template, analysis, publish)`);
    // Break it again another way: a name no container has, on a line further down.
    await editor.edit((e) => e.replace(new vscode.Range(line, 14, line, 18), 'metricz'));
    assert.ok(await doc.save());
    const [d] = await diagnosticsUntil(service, 'the new targetPort finding', (ds) => ds.some((x) => ruleOf(x) === 'service-target-port-missing' && /metricz/.test(x.message)));
    assert.equal(d.range.start.line, 11);
  });

  it('forgets the renders and their findings when the chart and overlay are deleted', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder(), { recursive: true });
    const service = file('api', 'templates', 'service.yaml');
    const patch = file('kustomize', 'overlays', 'prod', 'orders-service.yaml');
    await until('the renders to go', () => api.editor.renders().list.length === 0, 30_000).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(api.editor.renders())}`);
    });
    await diagnosticsUntil(service, 'no diagnostics on the deleted template', (ds) => ds.length === 0, 20_000);
    await diagnosticsUntil(patch, 'no diagnostics on the deleted patch', (ds) => ds.length === 0, 20_000);
  });
});
