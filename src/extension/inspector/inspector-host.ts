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
  type GraphPatch,
  type HostToWebview,
  type ModelViewChoice,
  type ModelViewKind,
  type ReadyMessage,
  type RenderedMessage,
  type TopologyGraph,
  type TraceRequestMessage,
  type TraceView,
} from '../../protocol';
import { buildTopologyGraphInSlices, INTERNET_ID, nodeForTarget, traceQuestionsForNode, traceQuestionsForPair, traceQuestionsForRequest, type TraceQuestion, type TraceTarget } from '../../core/topology';
import { diffGraphsInSlices, indexGraphInSlices, traceViewFor, traceViewForQuestions, type GraphIndex, type TraceLike } from '../../view-model';
import { traceRequest } from '../../core/trace';
import type { TraceOptions } from '../../core/trace';
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
  /** The graph the webview holds, as far as the host knows: the base of the next patch. */
  private sent: { graph: TopologyGraph; version: number } | undefined;
  /** Counts the graphs posted to the panel (the versions patches name). */
  private graphVersion = 0;
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
    const found = nodeForTarget(current.graph, current.model.index, target);
    if (!found) {
      void vscode.window.showWarningMessage(`KNI: ${'serviceId' in target ? 'that Service' : 'url' in target ? target.url : 'that workload'} is not in the inspector's model.`);
      return undefined;
    }
    // A request from outside starts at the Internet when its entry is not drawn; one from a workload (egress, Pod to Pod) only at that workload.
    const nodeId = found.nodeId ?? (!found.question && current.graph.nodes.some((n) => n.id === INTERNET_ID) ? INTERNET_ID : undefined);
    if (!nodeId) {
      void vscode.window.showWarningMessage('KNI: the inspector does not draw the start of that request.');
      return undefined;
    }
    const graphIndex = await indexOf(current);
    if (!graphIndex) return undefined;
    // The request asked for, lighting its own path; the one from outside beside it when its verdict differs.
    const questions = found.question ? [found.question] : traceQuestionsForRequest(graphIndex.byId.get(nodeId), current.graph, current.model.index, found.options);
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
    this.sent = undefined;
    this.refreshSeq++; // a build for the previous panel is of no use to this one
    panel.webview.html = inspectorHtml(panel.webview, this.distUri);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.current = undefined;
        this.sent = undefined;
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
        this.sent = undefined;
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
        this.sent = undefined;
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
    const node = graphIndex.byId.get(message.nodeId);
    if (!node) return;
    // From one drawn object to another (egress to the world outside, Pod to Pod), or the requests through one.
    const to = message.to !== undefined ? graphIndex.byId.get(message.to) : undefined;
    if (message.to !== undefined && !to) return;
    const questions = to ? traceQuestionsForPair(node, to, current.model.index) : traceQuestionsForNode(node, current.graph, current.model.index);
    const view = this.explain(current, graphIndex, message.nodeId, questions);
    if (!view) return;
    if (message.pin) this.pinnedTrace = view;
    this.post({ type: 'trace', requestId: message.requestId, trace: view, pin: message.pin });
  }

  /** What a hovered or pinned node's panel explains: the request whose path is lit, and another client's when its verdict differs. */
  private explain(current: Drawn, graphIndex: GraphIndex, nodeId: string, questions: TraceQuestion[]): TraceView | undefined {
    if (questions.length === 0) return this.traceView(current, graphIndex, nodeId, undefined);
    try {
      const { proxyMode, clusterDomain } = readSettings();
      const answers = questions.map((question) => ({ question, trace: traceRequest(current.model.index.model, current.model.index, { ...question.options, proxyMode, clusterDomain }) as TraceLike }));
      return traceViewForQuestions(current.graph, nodeId, answers, graphIndex);
    } catch {
      // The engine failed on one of them: the first question alone, as traceView reports it.
      return this.traceView(current, graphIndex, nodeId, questions[0].options);
    }
  }

  /** The trace of a node over the drawn graph; the engine's when the node starts a request. */
  private traceView(current: Drawn, graphIndex: GraphIndex, nodeId: string, options: TraceOptions | undefined): TraceView | undefined {
    let result: TraceLike | undefined;
    if (options) {
      try {
        // The user's kube-proxy mode decides which rules the trace prints; the cluster domain, which names DNS resolves.
        const { proxyMode, clusterDomain } = readSettings();
        result = traceRequest(current.model.index.model, current.model.index, { ...options, proxyMode, clusterDomain });
      } catch (err) {
        // Say so in the panel rather than show a topology-only path as if nothing happened.
        const view = traceViewFor(current.graph, nodeId, undefined, graphIndex);
        if (view) view.reason = `The trace engine failed (${err instanceof Error ? err.message : String(err)}); showing the topology only.`;
        return view;
      }
    }
    // The graph's index is built once per graph: building it per trace took as long as the trace at 20,000 Pods.
    return traceViewFor(current.graph, nodeId, result, graphIndex);
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
    const base = this.sent;
    const patch = base ? await diffGraphsInSlices(base.graph, graph, { pause: yieldToHost, cancelled: stale }) : undefined;
    if (stale()) return;
    // Indexed for traces on the first one asked for (in slices): a live cluster redrawn per watch event
    // built an index of 26,000 nodes each time, most of them never traced.
    this.current = { model, graph };
    // The webview asked for the whole graph meanwhile (resync, reload): the patch is of no use to it.
    this.postGraph(graph, model.view, base === this.sent ? patch : undefined);
  }

  /**
   * Posts the graph as `patch`, the changes to the graph the webview holds
   * (`sent`), when there is one (a live cluster's watch event: a few nodes of
   * 26,000), else whole. The webview asks again (`resync`) if it holds another.
   */
  private postGraph(graph: TopologyGraph, view: ModelViewChoice | undefined, patch?: GraphPatch): void {
    const version = ++this.graphVersion;
    const base = this.sent;
    const viewPart = view ? { view } : {};
    if (base && patch) this.post({ type: 'patch', baseVersion: base.version, version, patch, ...viewPart });
    else this.post({ type: 'model', graph, version, ...viewPart });
    this.sent = { graph, version };
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
