// The composition root: builds the adapters and hands them what they need.
// Nothing here does work the user has not asked for yet: the inspector's
// module and the core's analysis load on first use.
import * as vscode from 'vscode';
import type { KniExtensionApi } from './api';
import { InspectorHost } from './inspector/inspector-host';

export function activate(context: vscode.ExtensionContext): KniExtensionApi {
  const inspector = new InspectorHost(context.extensionUri);
  context.subscriptions.push(
    inspector,
    vscode.commands.registerCommand('kni.openInspector', () => inspector.open()),
    vscode.window.registerWebviewPanelSerializer(InspectorHost.viewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel) => inspector.restore(panel),
    }),
  );
  return { inspector: inspector.observer };
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions.
}
