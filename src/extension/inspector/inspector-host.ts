// Hosts the inspector webview: creates or restores the panel, answers the
// webview's `ready` with the current model's graph, answers trace requests with
// the trace engine, pins the trace the editor asks for ("Trace request"), and
// reveals objects and saves exports. Messages from the webview are validated
// (src/protocol) before anything acts on them.
import * as vscode from 'vscode';
import {
  isWebviewToHost,
  PNG_DATA_URL_PREFIX,
  type ExportMessage,
  type HostToWebview,
  type ModelViewChoice,
  type ModelViewKind,
  type ReadyMessage,
  type RenderedMessage,
  type TopologyGraph,
  type TraceRequestMessage,
  type TraceView,
} from '../../protocol';
import { buildTopologyGraphInSlices, explainNode, questionsForNode, questionsForTarget, type DrawnGraph, type TraceQuestion, type TraceTarget } from '../../core/topology';
import { GraphFeed, indexGraphInSlices, type GraphIndex, type GraphUpdate } from '../../view-model';
import { readSettings } from '../settings';
import type { GraphSummary, InspectorObserver } from '../api';
import type { InspectorModel, ModelProvider } from './active-model';
import { Waiters } from './waiters';
import { inspectorHtml } from './webview-html';

/** The model provider's changes redraw at most this often. */
const REFRESH_DELAY_MS = 200;

export class InspectorHost implements vscode.Disposable {
  static readonly viewType = 'kni.inspector';

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private providerDisposable: vscode.Disposable | undefined;
  private readonly readyWaiters = new Waiters<ReadyMessage>('the inspector to report ready');
  private readonly renderedWaiters = new Waiters<RenderedMessage>('the inspector to draw');
  private ready: ReadyMessage | undefined;
  private rendered: RenderedMessage | undefined;
  private pinnedTrace: TraceView | undefined;
  private provider: ModelProvider | undefined;
  /** What the webview was last sent: the model, the graph drawn from it, and the graph's index for traces. */
  private current: Drawn | undefined;
  /** The graphs posted to the panel and their versions: the base of the next patch. */
  private readonly feed = new GraphFeed();
  /** Counts refreshes: a graph build still running when a newer one starts is abandoned. */
  private refreshSeq = 0;
  /** The refresh in progress (its graph is built in slices). */
  private building: Promise<void> | undefined;
  /** A throttled refresh is due (refreshSoon): later changes are drawn by it. */
  private refreshDue = false;
  private lastRefreshAt = -Infinity;
  private readonly viewSelected = new vscode.EventEmitter<ModelViewKind>();
  /** The user chose "as in the files" or "as in the cluster" in the panel's toolbar. */
  readonly onDidSelectView = this.viewSelected.event;

  readonly observer: InspectorObserver = {
    isOpen: () => this.panel !== undefined,
    whenReady: (timeoutMs = 15_000) => (this.ready ? Promise.resolve(this.ready) : this.readyWaiters.wait(timeoutMs)),
    nextRendered: (timeoutMs = 15_000) => this.renderedWaiters.wait(timeoutMs),
    lastRendered: () => this.rendered,
    lastPinnedTrace: () => this.pinnedTrace,
    lastGraphSummary: () => this.graphSummary(),
  };

  constructor(private readonly extensionUri: vscode.Uri) {}

  /**
   * What the inspector draws (the workspace's model, a render's or the
   * cluster's); `onDidChange` redraws it in place. Without one it draws nothing.
   */
  setModelProvider(provider: ModelProvider | undefined, onDidChange?: vscode.Event<unknown>): void {
    this.provider = provider;
    this.providerDisposable?.dispose();
    this.providerDisposable = onDidChange?.(() => {
      if (this.panel) this.refreshSoon();
    });
    if (this.panel) void this.refresh();
  }

  /** Draws the provider's model now (after the provider switched to another source). */
  async redraw(): Promise<void> {
    if (!this.panel) return;
    if (this.building) await this.building;
    await this.refresh();
  }

  open(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(InspectorHost.viewType, 'Network Inspector', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [this.distUri],
    });
    this.attach(panel);
  }

  /** Opens (or shows) the panel with the trace of `target` pinned: what "Trace request" in the editor calls. */
  async openWithTrace(target: TraceTarget): Promise<TraceView | undefined> {
    this.open();
    await this.observer.whenReady();
    if (this.building) await this.building;
    if (!this.current) await this.refresh();
    const current = this.current as Drawn | undefined;
    if (!current) {
      void vscode.window.showWarningMessage('KNI: no Kubernetes manifests to trace in. Open a manifest file first.');
      return undefined;
    }
    const graphIndex = await indexOf(current);
    if (!graphIndex) return undefined;
    const found = questionsForTarget(drawnOf(current), graphIndex, target);
    if ('problem' in found) {
      void vscode.window.showWarningMessage(`KNI: ${found.problem}`);
      return undefined;
    }
    const view = this.explain(current, graphIndex, found.nodeId, found.questions);
    if (!view) return undefined;
    this.pinnedTrace = view;
    this.post({ type: 'trace', trace: view, pin: true });
    return view;
  }

  /**
   * Opens (or shows) the panel with a drawn node's trace pinned (what its hover
   * explains): the Network view's "Show in inspector".
   */
  async showNode(nodeId: string): Promise<TraceView | undefined> {
    this.open();
    await this.observer.whenReady();
    if (this.building) await this.building;
    if (!this.current) await this.refresh();
    const current = this.current as Drawn | undefined;
    const graphIndex = current && (await indexOf(current));
    const questions = current && graphIndex ? questionsForNode(drawnOf(current), graphIndex, nodeId) : undefined;
    if (!current || !graphIndex || !questions) {
      void vscode.window.showWarningMessage('KNI: the inspector does not draw that object (its model changed, or it shows another source).');
      return undefined;
    }
    const view = this.explain(current, graphIndex, nodeId, questions);
    if (!view) return undefined;
    this.pinnedTrace = view;
    this.post({ type: 'trace', trace: view, pin: true });
    return view;
  }

  /** Called by the serializer after a reload: the panel exists, give it our page again. */
  async restore(panel: vscode.WebviewPanel): Promise<void> {
    this.panel?.dispose();
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.distUri] };
    this.attach(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    this.providerDisposable?.dispose();
    this.viewSelected.dispose();
    this.readyWaiters.rejectAll('the extension was deactivated');
    this.renderedWaiters.rejectAll('the extension was deactivated');
  }

  private get distUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist');
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = undefined;
    this.rendered = undefined;
    this.current = undefined;
    this.feed.forget();
    this.refreshSeq++; // a build for the previous panel is of no use to this one
    panel.webview.html = inspectorHtml(panel.webview, this.distUri);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.current = undefined;
        this.feed.forget();
        this.pinnedTrace = undefined;
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
      }),
    ];
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    switch (message.type) {
      case 'ready':
        // A new page (opened, reloaded, shown again): it holds no graph yet.
        this.feed.forget();
        this.ready = message;
        this.readyWaiters.resolveAll(message);
        void this.refresh();
        break;
      case 'rendered':
        this.rendered = message;
        this.renderedWaiters.resolveAll(message);
        break;
      case 'resync':
        // The webview missed a graph: send the whole current one.
        this.feed.forget();
        if (this.current && !this.building) this.postGraph(this.current.graph, this.current.model.view);
        break;
      case 'reveal':
        void this.reveal(message.objectId);
        break;
      case 'traceRequest':
        void this.answerTrace(message);
        break;
      case 'export':
        void this.saveExport(message);
        break;
      case 'selectView':
        this.viewSelected.fire(message.view);
        break;
    }
  }

  private async answerTrace(message: TraceRequestMessage): Promise<void> {
    const current = this.current;
    const graphIndex = current && (await indexOf(current));
    // A newer model was drawn meanwhile: the webview asks again for that one.
    if (!current || !graphIndex || current !== this.current) return;
    const questions = questionsForNode(drawnOf(current), graphIndex, message.nodeId, message.to);
    if (!questions) return;
    const view = this.explain(current, graphIndex, message.nodeId, questions);
    if (!view) return;
    if (message.pin) this.pinnedTrace = view;
    this.post({ type: 'trace', requestId: message.requestId, trace: view, pin: message.pin });
  }

  /** What a hovered or pinned node's panel explains (core/topology/explain.ts, as the language server answers it). */
  private explain(current: Drawn, graphIndex: GraphIndex, nodeId: string, questions: TraceQuestion[]): TraceView | undefined {
    const { proxyMode, clusterDomain } = readSettings();
    return explainNode(drawnOf(current), graphIndex, nodeId, questions, { proxyMode, clusterDomain });
  }

  /**
   * Throttled: the first change after a quiet spell is drawn at once, later ones
   * together once the running build is posted and REFRESH_DELAY_MS after the
   * last refresh. A debounce made every live cluster event wait 200 ms, and
   * restarting the build per event would never finish one during a rollout.
   */
  private refreshSoon(): void {
    if (this.refreshDue) return;
    this.refreshDue = true;
    void (async () => {
      if (this.building) await this.building.catch(() => undefined);
      const wait = this.lastRefreshAt + REFRESH_DELAY_MS - performance.now();
      if (wait > 0) await new Promise((resume) => setTimeout(resume, wait));
      this.refreshDue = false;
      if (this.panel) await this.refresh();
    })();
  }

  /**
   * Builds the graph of the current model and posts it (the webview keeps zoom
   * and selection). The graph is built in slices that yield to the extension
   * host's event loop: at 20,000 Pods one go blocked every extension for
   * 0.25-1.2 s. A refresh started meanwhile abandons this one.
   */
  private refresh(): Promise<void> {
    this.lastRefreshAt = performance.now();
    const seq = ++this.refreshSeq;
    const building = this.rebuild(seq).finally(() => {
      if (this.building === building) this.building = undefined;
    });
    this.building = building;
    return building;
  }

  private async rebuild(seq: number): Promise<void> {
    if (!this.panel || !this.ready) return;
    let model: InspectorModel | undefined;
    try {
      model = this.provider?.();
    } catch (err) {
      void vscode.window.showErrorMessage(`KNI inspector: could not read the model (${err instanceof Error ? err.message : String(err)}).`);
      return;
    }
    if (!model) {
      if (!this.current) this.postGraph({ nodes: [], edges: [], sourceLabel: 'no Kubernetes manifests in the workspace' }, undefined);
      return;
    }
    const stale = () => seq !== this.refreshSeq || !this.panel;
    const graph = await buildTopologyGraphInSlices(model.index, { findings: model.findings, sourceLabel: model.sourceLabel }, { pause: yieldToHost, cancelled: stale });
    if (!graph || stale()) return;
    const update = await this.feed.next(graph, { pause: yieldToHost, cancelled: stale });
    // An empty patch is posted too: the webview answers each graph with `rendered`.
    if (!update || update === 'unchanged' || stale()) return;
    // Indexed for traces on the first one asked for (in slices): a live cluster redrawn per watch event
    // built an index of 26,000 nodes each time, most of them never traced.
    this.current = { model, graph };
    this.postUpdate(update, model.view);
  }

  /** Posts the whole graph (no model yet, a resync). */
  private postGraph(graph: TopologyGraph, view: ModelViewChoice | undefined): void {
    this.postUpdate(this.feed.whole(graph), view);
  }

  /**
   * Posts a patch of the graph the webview holds (a live cluster's watch
   * event: a few nodes of 26,000), else the whole graph. The webview asks
   * again (`resync`) if it holds another.
   */
  private postUpdate(update: GraphUpdate, view: ModelViewChoice | undefined): void {
    const viewPart = view ? { view } : {};
    if ('patch' in update) this.post({ type: 'patch', ...update, ...viewPart });
    else this.post({ type: 'model', ...update, ...viewPart });
  }

  /** The graph last posted to the panel: its source and its nodes' ids and kinds. */
  private graphSummary(): GraphSummary | undefined {
    const c = this.current;
    if (!c) return undefined;
    return {
      sourceLabel: c.graph.sourceLabel,
      ...(c.model.view ? { view: c.model.view.current } : {}),
      nodes: c.graph.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label, ...(n.detail ? { detail: n.detail } : {}) })),
      edges: c.graph.edges.length,
    };
  }

  /** Shows the object's YAML in the editor, selecting its name (or the whole object). */
  private async reveal(objectId: string): Promise<void> {
    const current = this.current;
    const object = current?.model.index.byId(objectId);
    const at = object?.origin.nameLoc ?? object?.origin.loc;
    // A render's objects are written in rendered documents: their template or patch line instead.
    const loc = at && current?.model.locate ? current.model.locate(at) : at;
    if (!current || !loc) return;
    const uri = current.model.uriOf?.(loc.file) ?? parseFileUri(loc.file);
    if (!uri) return;
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const range = new vscode.Range(document.positionAt(loc.start), document.positionAt(loc.end));
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: true });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (err) {
      void vscode.window.showWarningMessage(`KNI: could not open ${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async saveExport(message: ExportMessage): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      title: 'Export the network topology',
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), `topology.${message.format}`),
      filters: message.format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    });
    if (!target) return;
    const bytes = message.format === 'svg' ? Buffer.from(message.data, 'utf8') : Buffer.from(message.data.slice(PNG_DATA_URL_PREFIX.length), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
  }

  private post(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }
}

interface Drawn {
  model: InspectorModel;
  graph: TopologyGraph;
  /** Built on the first trace request of this graph; later ones wait for it. */
  graphIndex?: Promise<GraphIndex | undefined>;
}

function drawnOf(drawn: Drawn): DrawnGraph {
  return { index: drawn.model.index, graph: drawn.graph };
}

function indexOf(drawn: Drawn): Promise<GraphIndex | undefined> {
  drawn.graphIndex ??= indexGraphInSlices(drawn.graph, { pause: yieldToHost });
  return drawn.graphIndex;
}

/** Between slices of a graph build: lets the host's pending I/O and timers run first. */
function yieldToHost(): Promise<void> {
  return new Promise((resume) => setImmediate(resume));
}

function parseFileUri(file: string): vscode.Uri | undefined {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? vscode.Uri.parse(file, true) : vscode.Uri.file(file);
  } catch {
    return undefined; // not a path or a URI: nothing to open
  }
}
