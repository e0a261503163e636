// The composition root: builds the adapters and hands them what they need.
// Activation does no heavy work itself: the workspace index starts its first
// scan asynchronously (in chunks that yield to the event loop), and the
// inspector's module renders only when asked.
import * as vscode from 'vscode';
import type { ClusterObserver, EditorObserver, KniExtensionApi } from './api';
import { ClusterController } from './cluster/controller';
import { QuickFixes } from './code-actions';
import { Lenses } from './code-lens';
import { registerCommands, type InspectorSource } from './commands';
import { Diagnostics } from './diagnostics';
import { Hovers } from './hovers';
import { InspectorHost } from './inspector/inspector-host';
import { renderScope } from '../protocol/lsp';
import { indexChangeFor } from './settings';
import { RenderNotices } from './renders/render-notices';
import { StatusBar } from './status-bar';
import { WorkspaceIndex } from './workspace-index';
import { createLanguageClient } from './language-client';
import { State, vsdiag } from 'vscode-languageclient/node';
import { DRIFT_CODE } from '../protocol';

/** YAML and JSON in any scheme (files, untitled buffers, virtual file systems). */
const MANIFEST_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }];

export function activate(context: vscode.ExtensionContext): KniExtensionApi {
  const started = performance.now();
  // The language server runs beside the in-process index while the features move to it one by one:
  // until then, what it offers the editor is held back here so nothing is shown twice.
  const client = createLanguageClient(context, {
    handleDiagnostics: () => undefined,
    // Drift from the connected cluster is the server's alone: it passes.
    provideDiagnostics: async (document, previousResultId, token, next) => {
      const report = await next(document, previousResultId, token);
      return report?.kind === vsdiag.DocumentDiagnosticReportKind.full ? { ...report, items: report.items.filter(isDrift) } : report;
    },
    provideWorkspaceDiagnostics: () => ({ items: [] }),
    provideHover: () => undefined,
    provideCodeLenses: () => [],
    provideCodeActions: () => [],
  });
  void client.start().catch((e: unknown) => console.error(`kni: the language server did not start: ${e instanceof Error ? e.message : String(e)}`));
  const inspector = new InspectorHost(context.extensionUri, client);
  context.subscriptions.push(client.onDidChangeState((e) => e.newState === State.Running && inspector.serverStarted()));
  const index = new WorkspaceIndex();
  const diagnostics = new Diagnostics(index, vscode.Uri.joinPath(context.extensionUri, 'README.md'));
  const lenses = new Lenses(index);
  // The live cluster runs in the server; the controller asks for it and shows its state.
  const cluster = new ClusterController(client, context.workspaceState);
  const statusBar = new StatusBar(index, diagnostics, cluster);
  const renderNotices = new RenderNotices(index);
  // The inspector draws the workspace's manifests, or one render's release (Show Render in Inspector, a trace in a template).
  const sourceChanged = new vscode.EventEmitter<void>();
  const inspectorSource: InspectorSource = {
    render: undefined,
    select(render) {
      if (render === this.render) return;
      this.render = render;
      sourceChanged.fire();
    },
  };
  context.subscriptions.push(
    inspector,
    index,
    diagnostics,
    lenses,
    cluster,
    statusBar,
    renderNotices,
    sourceChanged,
    inspector.onDidSelectView((view) => cluster.setView(view)),
    ...registerCommands(inspector, index, cluster, inspectorSource),
    vscode.window.registerWebviewPanelSerializer(InspectorHost.viewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel) => inspector.restore(panel),
    }),
    vscode.languages.registerCodeActionsProvider(MANIFEST_SELECTOR, new QuickFixes(index), QuickFixes.metadata),
    vscode.languages.registerCodeLensProvider(MANIFEST_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(MANIFEST_SELECTOR, new Hovers(index)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      const change = indexChangeFor(e);
      if (change === 'rerender') index.rerender();
      else if (change) void index.reconfigure(change === 'rescan');
    }),
  );
  // The inspector draws the server's graph of the workspace's files, of one render's release, or of the
  // connected cluster (its toolbar switches between files and cluster); the server sends the changes.
  inspector.setScopeChoice(
    () => {
      if (cluster.connection() && cluster.view === 'cluster') return 'cluster';
      return inspectorSource.render !== undefined ? renderScope(inspectorSource.render) : 'files';
    },
    (listener) => vscode.Disposable.from(cluster.onDidChange(listener), sourceChanged.event(listener)),
  );
  void index.refresh();
  void cluster.restore();
  const activationMs = performance.now() - started;

  const editor: EditorObserver = {
    activationMs,
    whenIndexed: async () => {
      const stats = await index.whenScanned();
      return stats ? { ...stats } : undefined;
    },
    fileCount: () => index.fileCount,
    lastUpdateMs: () => index.lastUpdateMs,
    onDidPublish: (listener) => diagnostics.onDidPublish(listener),
    whenRendered: () => index.whenRendered(),
    renders: () => {
      const summary = index.renders.summary();
      return { off: summary.off, notices: [...renderNotices.shown], list: summary.renders.map(({ folder, kind, name, state, reason }) => ({ folder, kind, name, state, ...(reason !== undefined ? { reason } : {}) })) };
    },
    statusBarText: () => statusBar.text,
  };
  const clusterObserver: ClusterObserver = {
    connection: () => {
      const c = cluster.connection();
      return c
        ? {
            context: c.context,
            namespaces: [...c.namespaces],
            state: c.status.state,
            message: c.status.message,
            unread: c.unread.map((u) => ({ resource: u.resource, ...(u.namespace ? { namespace: u.namespace } : {}), reason: u.reason })),
          }
        : undefined;
    },
    whenSynced: (timeoutMs) => cluster.whenSynced(timeoutMs),
    view: () => cluster.view,
    statusBarText: () => statusBar.text,
    onDidComputeView: (listener) => cluster.onDidComputeView(listener),
  };
  return { inspector: inspector.observer, editor, cluster: clusterObserver };
}

/** A drift diagnostic of the server's (`code` as VS Code converts it: a string, or with a link). */
function isDrift(d: vscode.Diagnostic): boolean {
  return (typeof d.code === 'object' ? d.code.value : d.code) === DRIFT_CODE;
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions.
}
