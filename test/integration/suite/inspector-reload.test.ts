// The inspector across a FULL window reload in a real VS Code, in the runner's
// reload run (run-code-server.mjs). Before: a trace pinned from the editor,
// the namespace filter and a zoom set in the webview as a user would; then
// Developer: Reload Window (a new workbench page and extension host). After:
// the panel is back through the WebviewPanelSerializer with all three, and the
// new host answers the restored pin with a trace. The test before the reload
// never finishes (its extension host ends with the page): its assertions run,
// and the run's result is the test's after it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { inspectorEval, kniExtension, openEditor, screenshot, until, webviewTabs, workspaceFile } from './helpers';

interface ViewState {
  transform: { x: number; y: number; k: number };
  pinned?: string;
  namespace?: string;
  /** The namespaces of the objects drawn (the filter at work). */
  drawnNamespaces: string[];
}

/** The webview's view as it shows it, once what it shows has been saved with setState. */
const READ_STATE = `(async () => {
  const insp = window.__kniInspector;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (let i = 0; i < 200; i++) {
    const d = insp.debug;
    const t = d.transform;
    if (d.scene && d.saved && same(d.saved.transform, { x: t.x, y: t.y, k: t.k }) && d.saved.namespace === d.namespace && d.saved.pinned === d.pinned) {
      return { transform: d.saved.transform, pinned: d.pinned, namespace: d.namespace, drawnNamespaces: [...new Set(d.scene.nodes.map((n) => n.namespace).filter(Boolean))].sort() };
    }
    await new Promise((r) => requestAnimationFrame(r));
  }
  throw new Error('the view state was not saved');
})()`;

const marker = process.env.KNI_RELOAD_MARKER ?? '';
const expectedFile = `${marker}.expected.json`;

if (process.env.KNI_INTEGRATION_RUN === 'reload') {
  describe('Across a window reload: the inspector', function () {
    let api: KniExtensionApi;

    before(async () => {
      const ext = kniExtension();
      // After the reload, the restored panel activates the extension (onWebviewPanel).
      if (!existsSync(marker)) await openEditor('editor', 'shop', 'cart-service.yaml');
      await until('the extension to activate', () => ext.isActive, 30_000);
      api = ext.exports;
    });

    if (!existsSync(marker)) {
      it('before: a trace pinned from the editor, the namespace filter and a zoom set in the panel', async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile('editor', 'shop', 'cart-service.yaml'));
        const lens = lenses.find((l) => l.command?.command === 'kni.traceRequest');
        assert.ok(lens?.command, 'no Trace request lens on cart-service.yaml');
        await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
        await api.inspector.whenReady(30_000);
        await until('a pinned trace', () => api.inspector.lastPinnedTrace() !== undefined, 30_000);
        const pinned = api.inspector.lastPinnedTrace()!.nodeId;

        // As the user does it: the toolbar's namespace filter, then two steps of the + key.
        await inspectorEval(`(async () => {
          const select = document.querySelector('vscode-single-select.namespace');
          select.value = 'shop';
          select.dispatchEvent(new Event('change'));
          const stage = document.querySelector('.stage');
          for (let i = 0; i < 2; i++) stage.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }));
        })()`);
        const state = await inspectorEval<ViewState>(READ_STATE);
        assert.equal(state.pinned, pinned, 'the pin is not the trace the editor asked for');
        assert.equal(state.namespace, 'shop');
        assert.deepEqual(state.drawnNamespaces, ['shop'], 'the filter drew other namespaces');
        assert.ok(Math.abs(state.transform.k - 1) > 0.01, `the zoom is the default one (${state.transform.k})`);
        writeFileSync(expectedFile, JSON.stringify(state));
        const shot = await screenshot('inspector-before-window-reload');
        if (shot) console.log(`screenshot: ${shot}`);

        // The runner marks the other side of the reload, then the window reloads.
        console.log('KNI_RELOAD_WINDOW');
        await until('the runner to mark the reload', () => existsSync(marker), 20_000);
        await vscode.commands.executeCommand('workbench.action.reloadWindow');
        // This extension host ends with the page; should the reload not come, mocha's timeout fails the test.
        await new Promise(() => undefined);
      });
    } else {
      it('after: the panel is restored with its zoom, pinned trace and namespace filter, and traces again', async () => {
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as ViewState;
        await until('the inspector panel to be restored', () => api.inspector.isOpen(), 30_000);
        assert.equal(webviewTabs('kni.inspector').length, 1, 'expected exactly one inspector tab');
        await api.inspector.whenReady(30_000);
        if (!api.inspector.lastRendered()) await api.inspector.nextRendered(30_000);
        const state = await inspectorEval<ViewState>(READ_STATE);
        assert.deepEqual(state, expected);
        // The restored page asks the new extension host for its pinned trace, from the trace engine.
        await until('the restored pin to be traced', () => api.inspector.lastPinnedTrace()?.nodeId === expected.pinned, 30_000);
        assert.equal(api.inspector.lastPinnedTrace()!.fromEngine, true);
        const shot = await screenshot('inspector-after-window-reload');
        if (shot) console.log(`screenshot: ${shot}`);
      });
    }
  });
}
