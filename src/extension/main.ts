// The composition root: builds the adapters and hands them what they need.
// Activation does no heavy work itself: the workspace index starts its first
// scan asynchronously (in chunks that yield to the event loop), and the
// inspector's module renders only when asked.
import * as vscode from 'vscode';
import type { ClusterObserver, EditorObserver, KniExtensionApi } from './api';
import { ClusterController } from './cluster/controller';
import { DriftDiagnostics } from './cluster/drift-diagnostics';
import { QuickFixes } from './code-actions';
import { Lenses } from './code-lens';
import { registerCommands, type InspectorSource } from './commands';
import { Diagnostics } from './diagnostics';
import { Hovers } from './hovers';
import type { InspectorModel } from './inspector/active-model';
import { InspectorHost } from './inspector/inspector-host';
import { ModelIndex } from '../core/model/model-index';
import { clusterSourceLabel, emptyClusterModel, filesSourceLabel } from '../core/topology';
import { indexChangeFor } from './settings';
import { RenderNotices } from './renders/render-notices';
import { StatusBar } from './status-bar';
import { WorkspaceIndex } from './workspace-index';
import { createLanguageClient } from './language-client';
import { NetworkView } from './network-view';
import { TRACE_REQUEST_COMMAND, type TraceRequestArgument } from '../protocol/lsp';
import { vsdiag } from 'vscode-languageclient/node';

/** YAML and JSON in any scheme (files, untitled buffers, virtual file systems). */
const MANIFEST_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }];

export function activate(context: vscode.ExtensionContext): KniExtensionApi {
  const started = performance.now();
  // The language server runs beside the in-process index while the features move to it one by one:
  // until then, what it offers the editor is held back here so nothing is shown twice.
  const client = createLanguageClient(context, {
    handleDiagnostics: () => undefined,
    provideDiagnostics: () => ({ kind: vsdiag.DocumentDiagnosticReportKind.full, items: [] }),
    provideWorkspaceDiagnostics: () => ({ items: [] }),
    provideHover: () => undefined,
    provideCodeLenses: () => [],
    provideCodeActions: () => [],
  });
  void client.start().catch((e: unknown) => console.error(`kni: the language server did not start: ${e instanceof Error ? e.message : String(e)}`));
  const inspector = new InspectorHost(context.extensionUri);
  const index = new WorkspaceIndex();
  const diagnostics = new Diagnostics(index, vscode.Uri.joinPath(context.extensionUri, 'README.md'));
  const lenses = new Lenses(index);
  // The live cluster: nothing of it loads until a context is chosen (or restored below).
  const cluster = new ClusterController(context.workspaceState, () => index.analysisConfig());
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
    new DriftDiagnostics(index, cluster),
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
  // The inspector draws the whole workspace's model, or the connected cluster's
  // (its toolbar switches between them), redrawn when either changes.
  inspector.setModelProvider(
    () => {
      const connection = cluster.connection();
      if (connection && cluster.view === 'cluster') return clusterModel(cluster, connection);
      const rendered = inspectorSource.render !== undefined ? renderModel(index, inspectorSource.render) : undefined;
      if (rendered) return { ...rendered, ...(connection ? { view: { current: 'files' as const, cluster: connection.context } } : {}) };
      const files = index.fileCount;
      if (files === 0 && !connection) return undefined;
      return {
        index: index.modelIndex(),
        findings: [...index.allFindings()].flat(),
        sourceLabel: filesSourceLabel(files),
        uriOf: (file) => index.uriOf(file),
        ...(connection ? { view: { current: 'files' as const, cluster: connection.context } } : {}),
      };
    },
    (listener) => vscode.Disposable.from(index.onDidUpdate(listener), cluster.onDidChange(listener), sourceChanged.event(listener)),
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
      traceRequest: (target) => vscode.commands.executeCommand(TRACE_REQUEST_COMMAND, localTarget(target, (uri) => index.keyOf(uri))),
      showInInspector: async (nodeId) => {
        if (inspectorSource.render !== undefined) {
          inspectorSource.select(undefined);
          await inspector.redraw();
        }
        return inspector.showNode(localId(nodeId, (uri) => index.keyOf(uri)));
      },
    },
  );
  context.subscriptions.push(network);
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
  return { inspector: inspector.observer, editor, cluster: clusterObserver, network: network.observer };
}

/** One render's release for the inspector, named by its render; its objects reveal their template or patch line. */
function renderModel(index: WorkspaceIndex, key: string): InspectorModel | undefined {
  const r = index.renders.find(key);
  const session = r?.entry.session;
  if (!r || !session) return undefined;
  const state = r.entry.state === 'rendered' ? '' : r.entry.state === 'failed' ? ' (failed: see the Problems panel)' : ` (${r.entry.state})`;
  return {
    index: session.analysis.index(),
    findings: session.analysis.findings(),
    sourceLabel: `render ${r.entry.spec.name}${state}`,
    uriOf: (file) => index.uriOf(file),
    locate: (loc) => index.renders.sourceLoc(r, loc),
  };
}

/** The cluster's model for the inspector (empty, with its state in the header, until the first sync). */
function clusterModel(cluster: ClusterController, connection: NonNullable<ReturnType<ClusterController['connection']>>): InspectorModel {
  const { context, namespaces, status, unread } = connection;
  const view = cluster.clusterView();
  return {
    index: view?.index ?? new ModelIndex(emptyClusterModel()),
    findings: view?.findings ?? [],
    sourceLabel: clusterSourceLabel(context, namespaces, status.state, unread),
    // Cluster objects are written in no file.
    uriOf: () => undefined,
    view: { current: 'cluster', cluster: context },
  };
}

/**
 * The in-process inspector's id for a model id or node id of the server's
 * (which names files by path; the in-process index by workspace-relative key).
 * A bridge while the inspector draws the in-process model: gone once it draws the server's graph.
 */
function localId(serverId: string, keyOf: (uri: vscode.Uri) => string | undefined): string {
  return serverId.replace(/^([a-z-]+:)?(\/.+?\.(?:ya?ml|json)|[A-Za-z]:\\.+?\.(?:ya?ml|json))#/i, (_all, prefix: string | undefined, path: string) => `${prefix ?? ''}${keyOf(vscode.Uri.file(path)) ?? path}#`);
}

function localTarget(target: TraceRequestArgument, keyOf: (uri: vscode.Uri) => string | undefined): TraceRequestArgument {
  const id = (v: string) => localId(v, keyOf);
  if ('serviceId' in target) return { ...target, serviceId: id(target.serviceId) };
  if ('egress' in target) return { ...target, egress: { ...target.egress, from: id(target.egress.from) } };
  if ('podToPod' in target) return { ...target, podToPod: { ...target.podToPod, from: id(target.podToPod.from), to: id(target.podToPod.to) } };
  return target;
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions.
}
