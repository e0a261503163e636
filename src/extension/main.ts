// The composition root: builds the adapters and hands them what they need.
// The editor's features (diagnostics, hovers, CodeLenses, quick fixes, renders
// and their notices, the index's counts) come from the language server, which
// runs the analysis in its own process; activation only starts its client.
// The inspector and the cluster still read an in-process index, made the
// first time one of them needs it (opening the panel, connecting a cluster).
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { TraceTarget } from '../protocol';
import type { ClusterObserver, EditorObserver, KniExtensionApi } from './api';
import { ClusterController } from './cluster/controller';
import { DriftDiagnostics } from './cluster/drift-diagnostics';
import { registerCommands, type InspectorSource } from './commands';
import { EditorState } from './editor-state';
import type { InspectorModel } from './inspector/active-model';
import { InspectorHost } from './inspector/inspector-host';
import { ModelIndex } from '../core/model/model-index';
import { clusterSourceLabel, emptyClusterModel, filesSourceLabel } from '../core/topology';
import { indexChangeFor } from './settings';
import { RenderNotices } from './renders/render-notices';
import { StatusBar } from './status-bar';
import { WorkspaceIndex } from './workspace-index';
import { createLanguageClient } from './language-client';

export function activate(context: vscode.ExtensionContext): KniExtensionApi {
  const started = performance.now();
  const editor = new EditorState();
  const client = createLanguageClient(context, editor.middleware());
  editor.attach(client);
  const renderNotices = new RenderNotices(client);
  void client.start().catch((e: unknown) => console.error(`kni: the language server did not start: ${e instanceof Error ? e.message : String(e)}`));
  const inspector = new InspectorHost(context.extensionUri);

  // The in-process index of the inspector and the cluster, made on first use.
  let index: WorkspaceIndex | undefined;
  const indexUpdated = new vscode.EventEmitter<void>();
  const workspaceIndex = (): WorkspaceIndex => {
    if (index) return index;
    index = new WorkspaceIndex();
    context.subscriptions.push(index, index.onDidUpdate(() => indexUpdated.fire()));
    void index.refresh();
    return index;
  };
  // The live cluster: nothing of it loads until a context is chosen (or restored below).
  const cluster = new ClusterController(context.workspaceState, () => workspaceIndex().analysisConfig());
  let drift: DriftDiagnostics | undefined;
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
    ready: () => workspaceIndex().whenRendered(),
    localTarget: (target) => withObjectIds(target, (id) => {
      // `<file>#<document>`: the server's file is an absolute path, the in-process index's a workspace-relative key.
      const m = /^(.*)#(\d+)$/.exec(id);
      const key = m && isAbsolute(m[1]) ? workspaceIndex().keyOf(vscode.Uri.file(m[1])) : undefined;
      return m && key !== undefined ? `${key}#${m[2]}` : id;
    }),
  };
  context.subscriptions.push(
    editor,
    inspector,
    cluster,
    statusBar,
    sourceChanged,
    indexUpdated,
    cluster.onDidChange(() => {
      // Drift needs the files' objects: the in-process index, once a cluster is connected.
      if (drift || !cluster.connection()) return;
      drift = new DriftDiagnostics(workspaceIndex(), cluster);
      context.subscriptions.push(drift);
    }),
    inspector.onDidSelectView((view) => cluster.setView(view)),
    ...registerCommands(inspector, client, editor, cluster, inspectorSource),
    editor.onWillScan(() => void index?.refresh()),
    vscode.window.registerWebviewPanelSerializer(InspectorHost.viewType, {
      // A restored panel keeps its pin and view only if its first drawing has the model: the in-process index is read first.
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        await workspaceIndex().whenScanned();
        await inspector.restore(panel);
      },
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The server reads its settings itself; the in-process index follows them too while it exists.
      const change = index && indexChangeFor(e);
      if (change === 'rerender') index?.rerender();
      else if (change) void index?.reconfigure(change === 'rescan');
    }),
  );
  // The inspector draws the whole workspace's model, or the connected cluster's
  // (its toolbar switches between them), redrawn when either changes.
  inspector.setModelProvider(
    () => {
      const connection = cluster.connection();
      if (connection && cluster.view === 'cluster') return clusterModel(cluster, connection);
      const files = workspaceIndex();
      const rendered = inspectorSource.render !== undefined ? renderModel(files, inspectorSource.render) : undefined;
      if (rendered) return { ...rendered, ...(connection ? { view: { current: 'files' as const, cluster: connection.context } } : {}) };
      if (files.fileCount === 0 && !connection) return undefined;
      return {
        index: files.modelIndex(),
        findings: [...files.allFindings()].flat(),
        sourceLabel: filesSourceLabel(files.fileCount),
        uriOf: (file) => files.uriOf(file),
        ...(connection ? { view: { current: 'files' as const, cluster: connection.context } } : {}),
      };
    },
    (listener) => vscode.Disposable.from(indexUpdated.event(listener), cluster.onDidChange(listener), sourceChanged.event(listener)),
  );
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
  return { inspector: inspector.observer, editor: editorObserver, cluster: clusterObserver };
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

/** A trace target with its object ids mapped. */
function withObjectIds(target: TraceTarget, map: (id: string) => string): TraceTarget {
  if ('serviceId' in target) return { ...target, serviceId: map(target.serviceId) };
  if ('egress' in target) return { ...target, egress: { ...target.egress, from: map(target.egress.from) } };
  if ('podToPod' in target) return { ...target, podToPod: { ...target.podToPod, from: map(target.podToPod.from), to: map(target.podToPod.to) } };
  return target;
}

export function deactivate(): void {
  // Every resource is owned by context.subscriptions.
}
