// "Trace request" from the editor in a real VS Code: the CodeLens and the
// kni.traceRequest command open the inspector with that trace pinned, computed
// by the trace engine (observed through the API `activate` returns).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { kniExtension, openEditor, screenshot, until, workspaceFile } from './helpers';

describe('Inspector: Trace request from the editor', function () {
  let api: KniExtensionApi;

  before(async () => {
    await openEditor('web.yaml');
    const ext = kniExtension();
    await until('the extension to activate', () => ext.isActive, 30_000);
    api = ext.exports;
  });

  // Leave the workbench as the other suites expect it: no inspector open.
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the inspector to close', () => !api?.inspector.isOpen(), 15_000);
  });

  it("the Service's CodeLens opens the panel with its trace pinned", async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile('web.yaml'));
    const lens = lenses.find((l) => l.command?.command === 'kni.traceRequest');
    assert.ok(lens?.command, `no Trace request lens on web.yaml (lenses: ${lenses.map((l) => l.command?.title).join(', ')})`);
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(api.inspector.isOpen(), true);
    await api.inspector.whenReady(30_000);
    await until('a pinned trace', () => api.inspector.lastPinnedTrace() !== undefined, 30_000);
    const trace = api.inspector.lastPinnedTrace()!;
    assert.equal(trace.title, 'default/web');
    assert.ok(trace.nodeId.startsWith('service:'), trace.nodeId);
    assert.equal(trace.fromEngine, true, 'the pinned trace did not come from the trace engine');
    assert.ok(trace.hops.some((h) => h.kind === 'dns'), `no DNS hop: ${trace.hops.map((h) => h.kind).join(', ')}`);
    assert.ok(trace.nodeIds.length >= 3, 'the Service, its endpoints and its Deployment should light up');
    const shot = await screenshot('inspector-trace-pinned');
    if (shot) console.log(`screenshot: ${shot}`);
  });

  it('the panel comes back from a webview reload, draws again and asks for its pinned trace', async () => {
    assert.equal(api.inspector.isOpen(), true);
    const before = api.inspector.lastPinnedTrace();
    assert.ok(before, 'no pinned trace to keep');
    const rendered = api.inspector.nextRendered(30_000);
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const again = await rendered;
    assert.ok(again.nodes >= 3, `redrew ${again.nodes} nodes`);
    // The reloaded page restores its pin from getState and asks the host for the trace again.
    await until('the pinned trace to be asked for again', () => api.inspector.lastPinnedTrace() !== before, 30_000);
    assert.equal(api.inspector.lastPinnedTrace()?.nodeId, before.nodeId);
  });

  it('prints the rules of the kube-proxy mode set in kni.trace.proxyMode', async () => {
    const config = vscode.workspace.getConfiguration('kni');
    await config.update('trace.proxyMode', 'ipvs', vscode.ConfigurationTarget.Global);
    try {
      const before = api.inspector.lastPinnedTrace();
      const target = before?.nodeId;
      assert.ok(target, 'no pinned trace to trace again');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile('web.yaml'));
      const lens = lenses.find((l) => l.command?.command === 'kni.traceRequest')!;
      await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      await until('the trace in IPVS mode', () => api.inspector.lastPinnedTrace() !== before, 30_000);
      const proxy = api.inspector.lastPinnedTrace()!.hops.find((h) => h.kind === 'kube-proxy');
      assert.ok(proxy, 'no kube-proxy hop');
      assert.match(`${proxy.detail} ${(proxy.rules ?? []).join(' ')}`, /IPVS|ipvsadm/i);
      // The trace's `kni trace` text, from the language server, in the trace output.
      assert.match(api.inspector.lastTraceText() ?? '', /^trace .* \(kube-proxy mode: ipvs\)\n/);
      assert.match(api.inspector.lastTraceText() ?? '', /ipvsadm/);

      // nftables mode (GA since Kubernetes 1.33): the table kube-proxy writes.
      await config.update('trace.proxyMode', 'nftables', vscode.ConfigurationTarget.Global);
      const ipvsTrace = api.inspector.lastPinnedTrace();
      await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      await until('the trace in nftables mode', () => api.inspector.lastPinnedTrace() !== ipvsTrace, 30_000);
      const nft = api.inspector.lastPinnedTrace()!.hops.find((h) => h.kind === 'kube-proxy');
      assert.ok(nft, 'no kube-proxy hop in nftables mode');
      assert.match(nft.detail, /kube-proxy \(nftables/);
      assert.ok((nft.rules ?? []).some((r) => r.startsWith('table ip kube-proxy {')), (nft.rules ?? []).join('\n'));
      assert.match(api.inspector.lastTraceText() ?? '', /\(kube-proxy mode: nftables\)\n[\s\S]*table ip kube-proxy \{/);
    } finally {
      await config.update('trace.proxyMode', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
