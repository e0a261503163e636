// The Network view in a real VS Code: its container in the activity bar, the
// tree the language server answers for the fixture workspace (namespaces →
// Services with their endpoints and finding badges, the Ingress, the Gateway
// and its route, the NetworkPolicies), selecting an item reveals its YAML,
// its inline actions pin a trace or a node in the inspector, and across
// edits rows keep what they are: expanded, collapsed and selected rows stay
// so, badges and descriptions follow, reveal works with items answered
// before, and a view hidden during two edits shows the last when shown (read
// from the tree as the workbench draws it). Screenshots in a light and a dark theme (README's media/network-view.png is the
// top left 980×470 px of network-view-light.png).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KniExtensionApi, NetworkObserver } from '../../../src/extension/api';
import { kniExtension, screenshot, until, workbenchEval, workspaceFile } from './helpers';

type Item = Awaited<ReturnType<NetworkObserver['children']>>[number];

/**
 * A node id without its file's folder: the server names a file by its path, the
 * inspector drawn in the extension host by its workspace-relative key (the same node).
 */
const nodeOf = (id: string | undefined) => id?.replace(/^([a-z-]+:)(?:.*\/)?([^/]+#)/, '$1$2');

const VIEW_ID = 'kni.network';

/** A row as the workbench draws it: its labels from the top ("default/Services/web"), state and badge. */
interface DrawnRow {
  path: string;
  description: string;
  /** null: not expandable. */
  expanded: boolean | null;
  selected: boolean;
  /** The badge's text; null: none. */
  badge: string | null;
}

/** The Network view's rows as drawn in the workbench (the tree's DOM: what the user sees). */
async function drawn(): Promise<DrawnRow[]> {
  return workbenchEval<DrawnRow[]>(`(() => {
    const tree = document.getElementById('workbench.view.extension.kni')?.querySelector('.customview-tree');
    if (!tree) return [];
    const rows = [...tree.querySelectorAll('.monaco-list-row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const trail = [];
    return rows.map((r) => {
      const level = Number(r.getAttribute('aria-level'));
      trail.length = level - 1;
      trail.push(r.querySelector('.label-name')?.textContent ?? '');
      const label = r.querySelector('.monaco-icon-label');
      const after = label && label.classList.contains('monaco-decoration-badge') ? getComputedStyle(label, '::after').content : 'none';
      const expanded = r.getAttribute('aria-expanded');
      return {
        path: trail.join('/'),
        description: r.querySelector('.label-description')?.textContent ?? '',
        expanded: expanded === null ? null : expanded === 'true',
        selected: r.getAttribute('aria-selected') === 'true',
        badge: after === 'none' || after === 'normal' ? null : after.replace(/^"|"$/g, ''),
      };
    });
  })()`);
}

/** Polls the drawn rows (bounded) until `done` holds; fails with the last rows drawn. */
async function untilDrawn(what: string, done: (rows: DrawnRow[]) => boolean, timeoutMs = 20_000): Promise<DrawnRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await drawn();
    if (done(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; drawn:\n${rows.map((r) => `${r.path} [${r.description}] expanded=${r.expanded} selected=${r.selected} badge=${r.badge}`).join('\n')}`);
    await new Promise((resume) => setTimeout(resume, 100));
  }
}

describe('Network view', function () {
  let api: KniExtensionApi;

  const child = async (parent: Item | undefined, label: string): Promise<Item> => {
    const items = await api.network.children(parent);
    const found = items.find((i) => i.label === label);
    assert.ok(found, `no ${label} under ${parent?.label ?? 'the top'}: ${items.map((i) => i.label).join(', ')}`);
    return found;
  };
  const service = async (namespace: string, name: string) => child(await child(await child(undefined, namespace), 'Services'), name);

  before(async () => {
    // The view's container activates the extension by itself: no YAML editor is opened first.
    await vscode.commands.executeCommand('workbench.view.extension.kni');
    const ext = kniExtension();
    await until('the extension to activate', () => ext.isActive, 30_000);
    api = ext.exports;
    await until('the Network view to be visible', () => api.network.visible(), 15_000);
    await api.editor.whenIndexed();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the inspector to close', () => !api?.inspector.isOpen(), 15_000);
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it("shows the workspace's namespaces, Services with their ready endpoints and badges, and the rest by kind", async () => {
    assert.equal(api.network.scope(), 'files');
    const top = await api.network.children();
    assert.deepEqual(top.map((i) => i.label), ['default', 'shop']);
    const shop = top[1];
    assert.equal(shop.treeItem.icon, 'symbol-namespace');
    assert.equal(shop.treeItem.collapsed, false, 'a namespace opens by itself');
    assert.deepEqual((await api.network.children(shop)).map((g) => g.label), ['Services', 'Ingresses', 'Gateways', 'Routes', 'NetworkPolicies']);
    const web = await service('default', 'web');
    assert.equal(web.description, '2/2 ready · 80→http');
    assert.equal(web.findings, undefined);
    assert.equal(web.treeItem.contextValue, 'service.traceable.inspectable.revealable');
    const cart = await service('shop', 'cart');
    assert.equal(cart.description, 'no endpoints · 80→http');
    assert.deepEqual(cart.findings, { errors: 1, warnings: 0, infos: 0 });
    const gateway = await child(await child(shop, 'Gateways'), 'public');
    const [route] = await api.network.children(gateway);
    assert.equal(route.label, 'cart-api');
    const [rule] = await api.network.children(route);
    assert.equal(rule.description, '→ cart:80');
    assert.ok(rule.trace && 'url' in rule.trace, JSON.stringify(rule.trace));
    const policy = await child(await child(shop, 'NetworkPolicies'), 'payments-only');
    assert.equal(policy.treeItem.contextValue, 'networkPolicy.revealable', 'a policy is not drawn as one node: no Show in Inspector');
  });

  it('selecting an item reveals its YAML, its name selected', async () => {
    const web = await service('default', 'web');
    await api.network.select(web);
    const command = web.treeItem.command;
    assert.equal(command?.command, 'kni.network.reveal');
    await vscode.commands.executeCommand(command.command, ...command.arguments);
    await until('web.yaml in the editor', () => vscode.window.activeTextEditor?.document.uri.toString() === workspaceFile('web.yaml').toString());
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.getText(editor.selection), 'web');
    assert.equal(editor.selection.start.line, 4, 'the Service is the first document: its name on line 5');
  });

  it('Trace Request pins the trace of the item in the inspector', async () => {
    const web = await service('default', 'web');
    await vscode.commands.executeCommand('kni.network.traceRequest', web);
    await api.inspector.whenReady(30_000);
    await until('a pinned trace', () => api.inspector.lastPinnedTrace()?.title === 'default/web', 30_000);
    const trace = api.inspector.lastPinnedTrace()!;
    assert.equal(nodeOf(trace.nodeId), nodeOf(web.inspectorNodeId));
    assert.equal(nodeOf(trace.nodeId), 'service:web.yaml#0');
    assert.equal(trace.fromEngine, true);
    assert.ok(trace.hops.some((h) => h.kind === 'dns'), trace.hops.map((h) => h.kind).join(', '));
    // A route rule traces its URL through the Gateway.
    const [rule] = await api.network.children((await api.network.children(await child(await child(undefined, 'shop'), 'Routes')))[0]);
    await vscode.commands.executeCommand('kni.network.traceRequest', rule);
    await until('the route rule pinned', () => nodeOf(api.inspector.lastPinnedTrace()?.nodeId) === nodeOf(rule.inspectorNodeId), 30_000);
  });

  it("Show in Inspector pins the item's node", async () => {
    const web = await service('default', 'web');
    const [workload] = await api.network.children(web);
    assert.equal(workload.treeItem.contextValue, 'workload.inspectable.revealable');
    await vscode.commands.executeCommand('kni.network.showInInspector', workload);
    await until('the workload pinned', () => nodeOf(api.inspector.lastPinnedTrace()?.nodeId) === nodeOf(workload.inspectorNodeId), 30_000);
    const trace = api.inspector.lastPinnedTrace()!;
    assert.equal(nodeOf(trace.nodeId), 'workload:web.yaml#1');
    assert.ok(trace.nodeIds.some((n) => nodeOf(n) === nodeOf(web.inspectorNodeId)), 'its path from the Service lights up');
  });

  it('looks right in a light and a dark theme', async () => {
    const workbench = vscode.workspace.getConfiguration('workbench');
    const before = workbench.inspect('colorTheme')?.globalValue;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.view.extension.kni');
    // The Ingress's path shown too (revealing it expands its parents), then the cart Service selected, its YAML open.
    const ingress = await child(await child(await child(undefined, 'shop'), 'Ingresses'), 'shop');
    await api.network.select((await api.network.children(ingress))[0]);
    const cart = await service('shop', 'cart');
    await vscode.commands.executeCommand(cart.treeItem.command!.command, ...cart.treeItem.command!.arguments);
    await api.network.select(cart);
    try {
      for (const [theme, name] of [['Default Light Modern', 'network-view-light'], ['Default Dark Modern', 'network-view-dark']]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await new Promise((done) => setTimeout(done, 500)); // the theme is applied by the workbench, with no event to wait for
        const shot = await screenshot(name);
        if (shot) console.log(`screenshot: ${shot}`);
      }
    } finally {
      await workbench.update('colorTheme', before, vscode.ConfigurationTarget.Global);
    }
  });

  describe('across edits', () => {
    /** web.yaml's text as the fixture has it, and edited in place (the editor open, not saved). */
    let editor: vscode.TextEditor;
    let original: string;
    const setText = async (text: string) => {
      const doc = editor.document;
      assert.ok(await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text)), 'the edit applied');
    };
    /** A Service finding: the port's targetPort names a port no container declares. */
    const brokenPort = () => original.replace('targetPort: http', 'targetPort: htttp');
    const row = (rows: DrawnRow[], path: string) => rows.find((r) => r.path === path);
    const shownAfter = (rows: DrawnRow[], path: string, what: (r: DrawnRow) => boolean) => {
      const r = row(rows, path);
      return r !== undefined && what(r);
    };

    before(async () => {
      await vscode.commands.executeCommand('workbench.view.extension.kni');
      await until('the Network view to be visible', () => api.network.visible(), 15_000);
      editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('web.yaml')), { preview: false });
      original = editor.document.getText();
    });

    after(async () => {
      if (editor.document.isDirty) {
        await vscode.window.showTextDocument(editor.document);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });

    it("keeps what was expanded, collapsed and selected when an edit changes a Service's findings; the badges follow; reveal works", async () => {
      // The user's state, other than the defaults: everything collapsed, then the web Service (collapsed by
      // default) expanded and selected, which opens its namespace and group.
      await vscode.commands.executeCommand(`workbench.actions.treeView.${VIEW_ID}.collapseAll`);
      const webBefore = await service('default', 'web');
      await api.network.reveal(webBefore, { select: true, focus: true, expand: true });
      let rows = await untilDrawn('web expanded and selected', (r) => shownAfter(r, 'default/Services/web', (w) => w.expanded === true && w.selected) && row(r, 'default/Services/web/web') !== undefined);
      assert.equal(row(rows, 'default')?.expanded, true);
      assert.equal(row(rows, 'shop')?.expanded, false, 'collapsed with the rest');
      assert.deepEqual([row(rows, 'default')?.badge, row(rows, 'default/Services/web')?.badge], [null, null]);

      const refreshes = api.network.refreshes();
      await setText(brokenPort());
      rows = await untilDrawn("web's badge after the edit", (r) => row(r, 'default/Services/web')?.badge === '1');
      assert.ok(api.network.refreshes() > refreshes, 'the server said the tree changed');
      const web = row(rows, 'default/Services/web')!;
      assert.equal(web.description, '0/2 ready · none declares port htttp · 80→htttp');
      assert.equal(web.expanded, true, 'the Service expanded before the edit is still expanded');
      assert.ok(row(rows, 'default/Services/web/web'), 'its workload still drawn under it');
      assert.equal(web.selected, true, 'and still selected');
      assert.deepEqual([row(rows, 'default')?.expanded, row(rows, 'default')?.badge], [true, '1'], 'its namespace: still expanded, its badge counts the finding');
      assert.equal(row(rows, 'shop')?.expanded, false, 'a collapsed namespace stays collapsed');
      assert.equal(api.network.badgeAsked(webBefore.id)?.badge, '1', 'VS Code asked for the new badge');

      // Reveal works with the item answered before the edit (VS Code's focus is on that row).
      await api.network.reveal(webBefore, { select: true, focus: true });
      assert.deepEqual(api.network.selection(), [webBefore.id]);

      // A namespace the user collapses stays collapsed when its findings change again (the revert).
      const defaultNs = await child(undefined, 'default');
      await api.network.reveal(defaultNs, { select: true, focus: true });
      await vscode.commands.executeCommand('list.collapse');
      await untilDrawn('default collapsed', (r) => row(r, 'default')?.expanded === false);
      await setText(original);
      rows = await untilDrawn("default's badge gone after the revert", (r) => shownAfter(r, 'default', (d) => d.badge === null));
      assert.equal(row(rows, 'default')?.expanded, false, 'the collapsed namespace stays collapsed');

      // Revealing an object answered two edits ago expands its parents again and selects it.
      await api.network.reveal(webBefore, { select: true, focus: true, expand: false });
      rows = await untilDrawn('web revealed', (r) => shownAfter(r, 'default/Services/web', (w) => w.selected && w.badge === null));
      assert.equal(row(rows, 'default/Services/web')?.description, '2/2 ready · 80→http');
    });

    it('is not stale after two edits in a row with the view hidden, then shown', async () => {
      await vscode.commands.executeCommand('workbench.view.explorer');
      await until('the Network view to be hidden', () => !api.network.visible(), 15_000);
      const asked = api.network.shown()?.refresh;
      const refreshes = api.network.refreshes();
      await setText(brokenPort());
      await until("the server's change notification after the first edit", () => api.network.refreshes() > refreshes, 30_000);
      // A second edit before the view is shown: the hidden view asked nothing in between, and the server says it all the same.
      const second = api.network.refreshes();
      await setText(original.replace('replicas: 2', 'replicas: 3'));
      await until("the server's change notification after the second edit, not asked for", () => api.network.refreshes() > second, 30_000);
      assert.equal(api.network.shown()?.refresh, asked, 'the hidden view asked VS Code nothing meanwhile');

      await vscode.commands.executeCommand('workbench.view.extension.kni');
      await until('the Network view to be visible', () => api.network.visible(), 15_000);
      const rows = await untilDrawn('web as the second edit left it', (r) => row(r, 'default/Services/web')?.description === '3/3 ready · 80→http');
      assert.equal(row(rows, 'default/Services/web')?.badge, null, "the first edit's finding is gone");
      assert.equal(row(rows, 'default')?.badge, null);

      // And back: reverted, the view shows the file as written.
      await setText(original);
      await untilDrawn('web as written', (r) => row(r, 'default/Services/web')?.description === '2/2 ready · 80→http');
    });
  });
});
