// The composition root: builds the adapters and hands them what they need.
// The engine runs in the language server (`kni lsp`, its own process): the
// editor's features (diagnostics, hovers, CodeLenses, quick fixes, renders and
// their notices, the index's counts), the inspector's graphs and traces, and
// the live cluster. Activation only starts its client and wires the parts
// that show what it says: the status bar, the commands, the inspector panel.
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { ClusterObserver, EditorObserver, KniExtensionApi } from './api';
import { ClusterController } from './cluster/controller';
import { registerCommands, type InspectorSource } from './commands';
import { EditorState } from './editor-state';
import { InspectorHost } from './inspector/inspector-host';
import { renderScope } from '../protocol/lsp';
import { RenderNotices } from './renders/render-notices';
import { StatusBar } from './status-bar';
import { createLanguageClient } from './language-client';
import { NetworkView } from './network-view';
import { TRACE_REQUEST_COMMAND } from '../protocol/lsp';

export function activate(context: vscode.ExtensionContext): KniExtensionApi {
  const started = performance.now();
  const editor = new EditorState();
  const client = createLanguageClient(context, editor.middleware());
  editor.attach(client);
  const renderNotices = new RenderNotices(client);
  void client.start().catch((e: unknown) => console.error(`kni: the language server did not start: ${e instanceof Error ? e.message : String(e)}`));
  const inspector = new InspectorHost(context.extensionUri, client);
  // A restarted server holds no subscription: the panel asks again.
  context.subscriptions.push(client.onDidChangeState((e) => e.newState === State.Running && inspector.serverStarted()));
  // The live cluster runs in the server; the controller asks for it and shows its state.
  const cluster = new ClusterController(client, context.workspaceState);
  const statusBar = new StatusBar(editor, cluster);
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
    editor,
    inspector,
    cluster,
    statusBar,
    sourceChanged,
    inspector.onDidSelectView((view) => cluster.setView(view)),
    ...registerCommands(inspector, client, editor, cluster, inspectorSource),
    vscode.window.registerWebviewPanelSerializer(InspectorHost.viewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel) => inspector.restore(panel),
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
  // The Network view asks the server; it follows the source the inspector draws (files, or the chosen cluster).
  const clusterChosen = () => cluster.connection() !== undefined && cluster.view === 'cluster';
  const network = new NetworkView(
    client,
    {
      scope: () => (clusterChosen() ? 'cluster' : 'files'),
      label: () => (clusterChosen() ? `⎈ ${cluster.connection()?.context ?? ''}` : 'files'),
      onDidChange: cluster.onDidChange,
    },
    {
      traceRequest: (target) => vscode.commands.executeCommand(TRACE_REQUEST_COMMAND, target),
      showInInspector: async (nodeId) => {
        if (inspectorSource.render !== undefined) inspectorSource.select(undefined);
        return inspector.showNode(nodeId);
      },
    },
  );
  context.subscriptions.push(network);
  // A restarted server has not heard the view ask (it announces changes to clients that asked): the view asks again.
  let serverStarts = 0;
  context.subscriptions.push(client.onDidChangeState((e) => e.newState === State.Running && serverStarts++ > 0 && network.refresh()));
  void cluster.restore();
  const activationMs = performance.now() - started;

  const editorObserver: EditorObserver = {
    activationMs,
    whenIndexed: () => editor.whenIndexed(),
    fileCount: () => editor.fileCount,
    lastUpdateMs: () => editor.state?.analysisMs ?? 0,
    onDidPublish: (listener) => editor.onDidPublish(listener),
    whenRendered: () => editor.whenRendered(),
    renders: () => {
      const { renders, off } = editor.renders;
      return { ...(off !== undefined ? { off } : {}), notices: [...renderNotices.shown], list: renders.map(({ folder, kind, name, state, reason }) => ({ folder, kind, name, state, ...(reason !== undefined ? { reason } : {}) })) };
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
  return { inspector: inspector.observer, editor: editorObserver, cluster: clusterObserver, network: network.observer };
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions.
}
