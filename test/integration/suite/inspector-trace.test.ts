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
});
