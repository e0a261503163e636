// "Trace egress" from the editor in a real VS Code: the CodeLens above a
// NetworkPolicy's egress rule opens the inspector with that egress pinned
// (from the workload the policy selects to the rule's ipBlock, computed by
// the trace engine), and the rule's hover says what that trace says.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { codeLensTitled, kniExtension, openEditor, screenshot, until, workspaceFile } from './helpers';

describe('Inspector: Trace egress from the editor', function () {
  let api: KniExtensionApi;

  before(async () => {
    await openEditor('egress.yaml');
    const ext = kniExtension();
    await until('the extension to activate', () => ext.isActive, 30_000);
    api = ext.exports;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the inspector to close', () => !api?.inspector.isOpen(), 15_000);
  });

  it("the egress rule's CodeLens opens the panel with that egress pinned", async () => {
    const lens = await codeLensTitled('egress.yaml', 'Trace egress to 203.0.113.0/24 TCP/443');
    assert.ok(lens?.command, 'no Trace egress lens on egress.yaml');
    // On the rule's line (the second egress rule: "- to:" with the ipBlock).
    const doc = await vscode.workspace.openTextDocument(workspaceFile('egress.yaml'));
    assert.match(doc.lineAt(lens.range.start.line).text, /^\s+- to:$/);
    assert.match(doc.lineAt(lens.range.start.line + 1).text, /^\s+- ipBlock:$/);
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(api.inspector.isOpen(), true);
    await api.inspector.whenReady(30_000);
    await until('a pinned trace', () => api.inspector.lastPinnedTrace()?.toNodeId !== undefined, 30_000);
    const trace = api.inspector.lastPinnedTrace()!;
    assert.equal(trace.title, 'default/billing → 203.0.113.0/24');
    assert.ok(trace.nodeId.startsWith('workload:'), trace.nodeId);
    assert.equal(trace.toNodeId, 'external:cidr:203.0.113.0/24');
    assert.equal(trace.fromEngine, true);
    assert.equal(trace.verdict, 'reachable', trace.reason);
    assert.deepEqual(trace.hops.map((h) => h.kind), ['policy', 'snat', 'external', 'reply']);
    assert.match(trace.hops[0].detail, /allowed by default\/billing-egress egress\[1\]/);
    assert.match(trace.hops[1].detail, /SNAT to the node address/);
    assert.ok(trace.edgeIds.some((e) => e.endsWith('->external:cidr:203.0.113.0/24')), `lit: ${trace.edgeIds.join(', ')}`);
    const shot = await screenshot('inspector-egress-pinned');
    if (shot) console.log(`screenshot: ${shot}`);
  });

  it("a rule's Pod-to-Pod CodeLens pins that trace: blocked at the sender's egress although the receiver admits it", async () => {
    const lens = await codeLensTitled('egress.yaml', 'Trace from default/billing (Pod to Pod)');
    assert.ok(lens?.command, 'no Pod-to-Pod lens above the ledger policy');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('egress.yaml'));
    assert.match(doc.lineAt(lens.range.start.line).text, /^\s+- from:$/);
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    await api.inspector.whenReady(30_000);
    await until('the Pod-to-Pod trace pinned', () => api.inspector.lastPinnedTrace()?.title === 'default/billing → default/ledger', 30_000);
    const trace = api.inspector.lastPinnedTrace()!;
    assert.equal(trace.verdict, 'blocked', trace.reason);
    assert.ok(!trace.hops.some((h) => h.kind === 'dnat'), 'no kube-proxy between two Pods');
    const egress = trace.hops.find((h) => h.kind === 'policy' && /^egress at default\/Deployment\/billing/.test(h.detail));
    assert.ok(egress, trace.hops.map((h) => `${h.kind}: ${h.detail}`).join('\n'));
    assert.match(egress.detail, /DENIED/);
    assert.match(egress.detail, /billing-egress/);
  });

  it("the egress rule's hover says what the trace says", async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('egress.yaml'));
    const line = doc.getText().split('\n').findIndex((l) => l.includes('cidr: 203.0.113.0/24'));
    // On the rule's "ports:" line: inside the rule, outside any peer's selector.
    const position = new vscode.Position(line + 1, 8);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*Egress rule 1\*\* of NetworkPolicy `default\/billing-egress`, traced from a Pod of Deployment `default\/billing`/);
    assert.match(text, /203\.0\.113\.0\/24 TCP\/443: \*\*allowed\*\*/);
  });
});
