// The Network view in a real VS Code: its container in the activity bar, the
// tree the language server answers for the fixture workspace (namespaces →
// Services with their endpoints and finding badges, the Ingress, the Gateway
// and its route, the NetworkPolicies), selecting an item reveals its YAML,
// its inline actions pin a trace or a node in the inspector, and an edit
// refreshes it. Screenshots in a light and a dark theme (README's media/network-view.png is the
// top left 980×470 px of network-view-light.png).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KniExtensionApi, NetworkObserver } from '../../../src/extension/api';
import { kniExtension, screenshot, until, workspaceFile } from './helpers';

type Item = Awaited<ReturnType<NetworkObserver['children']>>[number];

/**
 * A node id without its file's folder: the server names a file by its path, the
 * inspector drawn in the extension host by its workspace-relative key (the same node).
 */
const nodeOf = (id: string | undefined) => id?.replace(/^([a-z-]+:)(?:.*\/)?([^/]+#)/, '$1$2');

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

  it('follows an edit: the server says the tree changed and the view asks again', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('web.yaml'));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const at = doc.getText().indexOf('app: web', doc.getText().indexOf('selector:'));
    const refreshes = api.network.refreshes();
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'app: web'.length)), 'app: webb'));
    try {
      await until("the server's change notification to refresh the view", () => api.network.refreshes() > refreshes, 30_000);
      const web = await service('default', 'web');
      assert.equal(web.description, 'no endpoints · 80→http');
      assert.equal(web.findings?.errors, 1);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      // The view is hidden here, so it asks nothing and the server, which says a change once until it is asked
      // again, may stay silent about the revert: refresh it as its title button does, so the next test's view
      // holds the reverted rows (a row whose counts change is a new row: its id holds them).
      await vscode.commands.executeCommand('kni.network.refresh');
      for (let tries = 0; (await service('default', 'web')).findings !== undefined; tries++) {
        assert.ok(tries < 300, 'web has no finding again after the revert');
        await new Promise((resume) => setTimeout(resume, 100));
      }
    }
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
});
