// The composition root: builds the adapters and hands them what they need.
// Activation does no heavy work itself: the workspace index starts its first
// scan asynchronously (in chunks that yield to the event loop), and the
// inspector's module renders only when asked.
import * as vscode from 'vscode';
import type { EditorObserver, KniExtensionApi } from './api';
import { QuickFixes } from './code-actions';
import { Lenses } from './code-lens';
import { registerCommands } from './commands';
import { Diagnostics } from './diagnostics';
import { Hovers } from './hovers';
import { InspectorHost } from './inspector/inspector-host';
import { indexChangeFor } from './settings';
import { StatusBar } from './status-bar';
import { WorkspaceIndex } from './workspace-index';

/** YAML and JSON in any scheme (files, untitled buffers, virtual file systems). */
const MANIFEST_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }];

export function activate(context: vscode.ExtensionContext): KniExtensionApi {
  const started = performance.now();
  const inspector = new InspectorHost(context.extensionUri);
  const index = new WorkspaceIndex();
  const diagnostics = new Diagnostics(index, vscode.Uri.joinPath(context.extensionUri, 'README.md'));
  const lenses = new Lenses(index);
  context.subscriptions.push(
    inspector,
    index,
    diagnostics,
    lenses,
    new StatusBar(index, diagnostics),
    ...registerCommands(inspector, index),
    vscode.window.registerWebviewPanelSerializer(InspectorHost.viewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel) => inspector.restore(panel),
    }),
    vscode.languages.registerCodeActionsProvider(MANIFEST_SELECTOR, new QuickFixes(index), QuickFixes.metadata),
    vscode.languages.registerCodeLensProvider(MANIFEST_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(MANIFEST_SELECTOR, new Hovers(index)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      const change = indexChangeFor(e);
      if (change) void index.reconfigure(change === 'rescan');
    }),
  );
  // The inspector draws the whole workspace's model, redrawn when the index changes.
  inspector.setModelProvider(() => {
    const files = index.fileCount;
    if (files === 0) return undefined;
    return {
      index: index.modelIndex(),
      findings: [...index.allFindings()].flat(),
      sourceLabel: `workspace · ${files} file${files === 1 ? '' : 's'}`,
      uriOf: (file) => index.uriOf(file),
    };
  }, index.onDidUpdate);
  void index.refresh();
  const activationMs = performance.now() - started;

  const editor: EditorObserver = {
    activationMs,
    whenIndexed: async () => {
      const stats = await index.whenScanned();
      return stats ? { ...stats } : undefined;
    },
    fileCount: () => index.fileCount,
    lastUpdateMs: () => index.lastUpdateMs,
  };
  return { inspector: inspector.observer, editor };
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions.
}
