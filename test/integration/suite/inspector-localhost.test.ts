// Container to container in one Pod from the editor in a real VS Code: the
// CodeLens above a container port of a Pod with a native sidecar pins the
// localhost trace at the workload in the inspector (no Service, no
// kube-proxy, no policy), and the port's hover says what that trace says.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { codeLensTitled, kniExtension, openEditor, until, workspaceFile } from './helpers';

describe('Inspector: Trace localhost from the editor', function () {
  let api: KniExtensionApi;

  before(async () => {
    await openEditor('sidecar.yaml');
    const ext = kniExtension();
    await until('the extension to activate', () => ext.isActive, 30_000);
    api = ext.exports;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the inspector to close', () => !api?.inspector.isOpen(), 15_000);
  });

  it("the sidecar port's CodeLens pins the localhost trace at the workload", async () => {
    const lens = await codeLensTitled('sidecar.yaml', 'Trace localhost:15001 from app');
    assert.ok(lens?.command, 'no Trace localhost lens on sidecar.yaml');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('sidecar.yaml'));
    assert.match(doc.lineAt(lens.range.start.line).text, /^\s+- name: outbound$/);
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    await api.inspector.whenReady(30_000);
    await until('the localhost trace pinned', () => /localhost:15001/.test(api.inspector.lastPinnedTrace()?.reason ?? ''), 30_000);
    const trace = api.inspector.lastPinnedTrace()!;
    assert.ok(trace.nodeId.startsWith('workload:') && trace.nodeId.endsWith('sidecar.yaml#0'), trace.nodeId);
    assert.equal(trace.fromEngine, true);
    assert.equal(trace.verdict, 'reachable', trace.reason);
    assert.match(trace.reason, /^container proxy of a Pod of default\/Deployment\/mesh-app on localhost:15001\/TCP\.$/);
    assert.deepEqual(trace.hops.map((h) => h.kind), ['route', 'pod']);
    assert.match(trace.hops[0].detail, /no kube-proxy and no NetworkPolicy apply/);
  });

  it("the port's hover says what the trace says", async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('sidecar.yaml'));
    const line = doc.getText().split('\n').findIndex((l) => l.includes('containerPort: 15001'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 16));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*containerPort 15001\/TCP\*\* \(`outbound`\) of container `proxy`/);
    assert.match(text, /`localhost:15001` from app: \*\*delivered\*\*/);
  });
});
