// The pinned trace when the inspector is opened again, in a real VS Code:
// "Open Network Inspector" on the open panel and a panel shown again after
// another editor hid it keep the pin; a panel closed and opened again starts
// without one (the README says so). What the webview pins is read from the
// webview itself. The pinned request from the editor says who sends it and
// lights only its own path.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { inspectorEval, kniExtension, openEditor, until, webviewTabs, workspaceFile } from './helpers';

/**
 * The node the webview has pinned (null: none) once it has drawn: as soon as
 * it is `expected`, else what it is after two seconds (messages in flight land).
 */
const webviewPin = (expected: string | null) =>
  inspectorEval<string | null>(`(async () => {
  const expected = ${JSON.stringify(expected)};
  const started = Date.now();
  for (;;) {
    const d = window.__kniInspector && window.__kniInspector.debug;
    const drawn = d && d.scene;
    if (drawn && (d.pinned ?? null) === expected) return expected;
    if (Date.now() - started > 2000) {
      if (!drawn) throw new Error('the inspector drew nothing');
      return d.pinned ?? null;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
})()`);

describe('Inspector: the pinned trace when the panel is opened again', function () {
  let api: KniExtensionApi;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openEditor('editor', 'shop', 'cart-service.yaml');
    const ext = kniExtension();
    await until('the extension to activate', () => ext.isActive, 30_000);
    api = ext.exports;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the inspector to close', () => !api?.inspector.isOpen(), 15_000);
  });

  it('Open Network Inspector and showing the panel again keep the pin; closing the panel clears it', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile('editor', 'shop', 'cart-service.yaml'));
    const lens = lenses.find((l) => l.command?.command === 'kni.traceRequest');
    assert.ok(lens?.command, 'no Trace request lens on cart-service.yaml');
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    await api.inspector.whenReady(30_000);
    await until('a pinned trace', () => api.inspector.lastPinnedTrace() !== undefined, 30_000);
    const trace = api.inspector.lastPinnedTrace()!;
    const pinned = trace.nodeId;
    // The request asked for (from a Pod of the namespace) lights its own path, not the Ingress path into cart.
    assert.equal(trace.from, 'a Pod in namespace shop');
    assert.ok(!trace.nodeIds.includes('entry:internet'), `the Ingress path is lit for a request from inside: ${trace.nodeIds.join(', ')}`);
    assert.equal(await webviewPin(pinned), pinned);

    // The command on the open panel brings it forward, as it was.
    await vscode.commands.executeCommand('kni.openInspector');
    assert.equal(webviewTabs('kni.inspector').length, 1);
    assert.equal(await webviewPin(pinned), pinned, 'Open Network Inspector dropped the pin');

    // Hidden behind another editor of its group (its page is discarded), then shown again: the page restores the pin.
    const column = webviewTabs('kni.inspector')[0].group.viewColumn;
    const document = await vscode.workspace.openTextDocument(workspaceFile('editor', 'shop', 'cart-service.yaml'));
    await vscode.window.showTextDocument(document, { viewColumn: column, preview: false });
    await until('the panel to be hidden', () => webviewTabs('kni.inspector')[0]?.isActive === false);
    const redrawn = api.inspector.nextRendered(30_000);
    await vscode.commands.executeCommand('kni.openInspector');
    await redrawn.catch(() => undefined); // a page kept alive while hidden does not draw again: the pin is read below either way
    assert.equal(await webviewPin(pinned), pinned, 'the panel shown again lost its pin');

    // Closed, then opened again: a new panel, no pin.
    await vscode.window.tabGroups.close(webviewTabs('kni.inspector')[0]);
    await until('the panel to close', () => !api.inspector.isOpen());
    assert.equal(api.inspector.lastPinnedTrace(), undefined, 'the closed panel left its pinned trace behind');
    await vscode.commands.executeCommand('kni.openInspector');
    await api.inspector.whenReady(30_000);
    if (!api.inspector.lastRendered()) await api.inspector.nextRendered(30_000);
    assert.equal(await webviewPin(null), null, 'a panel opened again after closing kept the old pin');
    assert.equal(api.inspector.lastPinnedTrace(), undefined);
  });
});
