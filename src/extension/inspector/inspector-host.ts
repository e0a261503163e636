// Hosts the inspector webview: creates or restores the panel and relays the
// language server's inspector to it. The panel's scope (the workspace's files,
// one render's release, or the connected cluster) is subscribed with
// `kni/graph`: its graph goes to the page as the server encoded it
// (`compactModel`), then each `kni/graphChanged` as a `patch`. Hovers and pins
// ask `kni/trace`, "Trace request" from the editor pins `kni/trace` of a
// target, a click reveals where `kni/objectLocation` says the object is
// written. Messages from the webview are validated (src/protocol) before
// anything acts on them; the host decides nothing about the model.
import * as vscode from 'vscode';
import {
  CLOSE_GRAPH_NOTIFICATION,
  GRAPH_CHANGED_NOTIFICATION,
  GRAPH_REQUEST,
  isWebviewToHost,
  OBJECT_LOCATION_REQUEST,
  PNG_DATA_URL_PREFIX,
  RENDERS_REQUEST,
  TRACE_REQUEST,
  type ExportMessage,
  type GraphChangedParams,
  type GraphParams,
  type GraphResult,
  type GraphScope,
  type HostToWebview,
  type ModelViewKind,
  type ObjectLocation,
  type ObjectLocationParams,
  type ReadyMessage,
  type RenderedMessage,
  type RendersResult,
  type TraceParams,
  type TraceRequestMessage,
  type TraceResult,
  type TraceTarget,
  type TraceView,
} from '../../protocol';
import type { GraphSummary, InspectorObserver } from '../api';
import { HeldGraph } from './held-graph';
import { Waiters } from './waiters';
import { inspectorHtml } from './webview-html';

/** What the host needs of the language client (vscode-languageclient's LanguageClient is one). */
export interface InspectorServer {
  sendRequest<R>(method: string, params?: unknown): Promise<R>;
  sendNotification(method: string, params?: unknown): Promise<void>;
  onNotification<P>(method: string, handler: (params: P) => void): vscode.Disposable;
}

/** Which scope the panel draws now: chosen by main.ts from the cluster's view and the render shown. */
export type ScopeChoice = () => GraphScope;

export class InspectorHost implements vscode.Disposable {
  static readonly viewType = 'kni.inspector';

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly readyWaiters = new Waiters<ReadyMessage>('the inspector to report ready');
  private readonly renderedWaiters = new Waiters<RenderedMessage>('the inspector to draw');
  private ready: ReadyMessage | undefined;
  private rendered: RenderedMessage | undefined;
  private pinnedTrace: TraceView | undefined;
  private traceText: string | undefined;
  private chooseScope: ScopeChoice = () => 'files';
  /** The scope subscribed for the panel (undefined: none). */
  private scope: GraphScope | undefined;
  /** The graph posted to the page; undefined while a `kni/graph` is on its way. */
  private held: HeldGraph | undefined;
  /** Counts subscriptions: the answer to an older one is of no use. */
  private syncSeq = 0;
  private syncing: Promise<void> | undefined;
  /** The graph asked for as a new panel loads its page (the server builds it meanwhile); taken by the page's `ready`. */
  private prefetched: { scope: GraphScope; result: Promise<GraphResult | undefined> } | undefined;
  private output: vscode.OutputChannel | undefined;
  /** The last summary given (lastGraphSummary), and of which graph. */
  private summary: { held: HeldGraph; version: number; value: GraphSummary } | undefined;
  private readonly viewSelected = new vscode.EventEmitter<ModelViewKind>();
  /** The user chose "as in the files" or "as in the cluster" in the panel's toolbar. */
  readonly onDidSelectView = this.viewSelected.event;

  readonly observer: InspectorObserver = {
    isOpen: () => this.panel !== undefined,
    whenReady: (timeoutMs = 15_000) => (this.ready ? Promise.resolve(this.ready) : this.readyWaiters.wait(timeoutMs)),
    nextRendered: (timeoutMs = 15_000) => this.renderedWaiters.wait(timeoutMs),
    lastRendered: () => this.rendered,
    lastPinnedTrace: () => this.pinnedTrace,
    lastTraceText: () => this.traceText,
    lastGraphSummary: () => this.graphSummary(),
  };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: InspectorServer,
  ) {
    this.disposables.push(
      server.onNotification(GRAPH_CHANGED_NOTIFICATION, (params: GraphChangedParams) => this.graphChanged(params)),
      this.viewSelected,
    );
  }

  /** What the panel draws; `onDidChange` (the cluster's view, the render shown) subscribes the new choice. */
  setScopeChoice(choose: ScopeChoice, onDidChange: vscode.Event<unknown>): void {
    this.chooseScope = choose;
    this.disposables.push(
      onDidChange(() => {
        if (this.panel && this.ready && this.scope !== choose()) void this.sync();
      }),
    );
  }

  /** Resolves once the panel holds the graph of the scope chosen now (after the choice changed). */
  async redraw(): Promise<void> {
    if (!this.panel || !this.ready) return;
    if (this.scope !== this.chooseScope()) await this.sync();
    else if (this.syncing) await this.syncing;
  }

  /** The language server (re)started: a new process holds no subscription, so the panel subscribes again. */
  serverStarted(): void {
    if (this.panel && this.ready) void this.sync();
  }

  /** The workspace's renders, for Show Render in Inspector's picker. */
  renders(): Promise<RendersResult> {
    return this.server.sendRequest<RendersResult>(RENDERS_REQUEST);
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
  openWithTrace(target: TraceTarget): Promise<TraceView | undefined> {
    return this.openPinned({ target }, (problem) => (problem.endsWith('.') ? problem : `${problem}.`));
  }

  /**
   * Opens (or shows) the panel with a drawn node's trace pinned (what its hover
   * explains): the Network view's "Show in inspector".
   */
  showNode(nodeId: string): Promise<TraceView | undefined> {
    return this.openPinned({ nodeId }, () => 'the inspector does not draw that object (its model changed, or it shows another source).');
  }

  /** Opens the panel, asks the server for the trace of the scope drawn and pins it; says why when there is none. */
  private async openPinned(what: Pick<TraceParams, 'target' | 'nodeId'>, why: (problem: string) => string): Promise<TraceView | undefined> {
    this.open();
    await this.observer.whenReady();
    await this.redraw();
    const scope = this.scope;
    if (scope === undefined) return undefined;
    const result = await this.request<TraceResult>(TRACE_REQUEST, { scope, ...what, text: true } satisfies TraceParams);
    if (!result || scope !== this.scope) return undefined;
    if (!result.trace) {
      void vscode.window.showWarningMessage(`KNI: ${why(result.problem ?? 'nothing to trace')}`);
      return undefined;
    }
    this.pin(result.trace, result.text);
    this.post({ type: 'trace', trace: result.trace, pin: true });
    return result.trace;
  }

  /** Called by the serializer after a reload: the panel exists, give it our page again. */
  async restore(panel: vscode.WebviewPanel): Promise<void> {
    this.panel?.dispose();
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.distUri] };
    this.attach(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
    this.output?.dispose();
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
    this.held = undefined;
    panel.webview.html = inspectorHtml(panel.webview, this.distUri);
    this.prefetch();
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = undefined;
        this.pinnedTrace = undefined;
        this.prefetched = undefined;
        this.unsubscribe();
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
        this.ready = message;
        this.readyWaiters.resolveAll(message);
        void this.sync();
        break;
      case 'rendered':
        this.rendered = message;
        this.renderedWaiters.resolveAll(message);
        break;
      case 'resync':
        // The page missed a graph: the whole one again.
        void this.sync();
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

  /**
   * Subscribes the scope chosen now and posts its whole graph (the page keeps
   * zoom and selection). The previous scope's subscription is closed; patches
   * that arrive meanwhile are dropped: the answer is newer than they are.
   */
  private sync(): Promise<void> {
    const seq = ++this.syncSeq;
    const run = this.subscribe(seq).finally(() => {
      if (this.syncing === run) this.syncing = undefined;
    });
    this.syncing = run;
    return run;
  }

  private async subscribe(seq: number): Promise<void> {
    if (!this.panel || !this.ready) return;
    const scope = this.chooseScope();
    const prefetched = this.prefetched?.scope === scope ? this.prefetched.result : undefined;
    this.prefetched = undefined;
    if (this.scope !== undefined && this.scope !== scope) this.unsubscribe();
    this.scope = scope;
    this.held = undefined;
    // A prefetch that failed (the server was restarting) is asked again.
    const result = (await prefetched) ?? (await this.request<GraphResult>(GRAPH_REQUEST, { scope, subscribe: true } satisfies GraphParams));
    if (!result || seq !== this.syncSeq || !this.panel || this.scope !== scope) return;
    this.whole(result);
  }

  /**
   * A new panel asks for its graph at once: the server builds and encodes it
   * while the page loads (0.3-2 s), and the page's `ready` finds it there. A
   * change of the scope's graph before then drops it (`ready` asks anew).
   */
  private prefetch(): void {
    const scope = this.chooseScope();
    if (this.scope !== undefined && this.scope !== scope) this.unsubscribe();
    this.scope = scope;
    this.held = undefined;
    this.prefetched = { scope, result: this.request<GraphResult>(GRAPH_REQUEST, { scope, subscribe: true } satisfies GraphParams) };
  }

  private unsubscribe(): void {
    const scope = this.scope;
    this.scope = undefined;
    this.held = undefined;
    if (scope !== undefined) void this.server.sendNotification(CLOSE_GRAPH_NOTIFICATION, { scope }).catch(() => undefined);
  }

  /** A whole graph of the subscribed scope: the server's compact form goes to the page as it is. */
  private whole(result: { scope: GraphScope; version: number; graph: GraphResult['graph']; view?: GraphResult['view'] }): void {
    const view = result.view ? { view: result.view } : {};
    if (result.graph) {
      this.held = new HeldGraph(result.scope, result.version, result.graph, result.view);
      this.post({ type: 'compactModel', graph: result.graph, version: result.version, ...view });
      return;
    }
    // No model (no manifests, a cluster not synced, a render gone): an empty drawing that says so.
    const graph = { nodes: [], edges: [], sourceLabel: emptyLabel(result.scope) };
    this.held = new HeldGraph(result.scope, result.version, graph, result.view);
    this.post({ type: 'model', graph, version: result.version, ...view });
  }

  /** `kni/graphChanged`: a patch of the graph the page holds, or the whole graph; a gap asks for the whole one. */
  private graphChanged(params: GraphChangedParams): void {
    if (this.prefetched?.scope === params.scope) this.prefetched = undefined;
    const held = this.held;
    if (!this.panel || !held || params.scope !== held.scope) return;
    if (!('patch' in params)) {
      this.whole(params);
      return;
    }
    if (params.baseVersion !== held.version) {
      // Older than what the page holds: already drawn. Newer: one was missed.
      if (params.version > held.version) void this.sync();
      return;
    }
    held.patched(params.version, params.patch, params.view);
    // An empty patch is posted too: the page answers each graph with `rendered`.
    this.post({ type: 'patch', baseVersion: params.baseVersion, version: params.version, patch: params.patch, ...(params.view ? { view: params.view } : {}) });
  }

  private async answerTrace(message: TraceRequestMessage): Promise<void> {
    const scope = this.scope;
    if (scope === undefined) return;
    const params: TraceParams = { scope, nodeId: message.nodeId, ...(message.to !== undefined ? { to: message.to } : {}), ...(message.pin ? { text: true } : {}) };
    const result = await this.request<TraceResult>(TRACE_REQUEST, params, false);
    // Another scope drawn meanwhile: the page asks again for that one.
    if (!result?.trace || scope !== this.scope || !this.panel) return;
    if (message.pin) this.pin(result.trace, result.text);
    this.post({ type: 'trace', requestId: message.requestId, trace: result.trace, pin: message.pin });
  }

  /** A pinned trace, and its `kni trace` text in the output channel. */
  private pin(trace: TraceView, text: string | undefined): void {
    this.pinnedTrace = trace;
    if (text === undefined) return;
    this.traceText = text;
    this.output ??= vscode.window.createOutputChannel('Kubernetes Network Inspector (trace)');
    this.output.appendLine(`# ${new Date().toLocaleTimeString()} · ${trace.title}`);
    this.output.append(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The graph last posted to the panel: its source and its nodes' ids and kinds. */
  private graphSummary(): GraphSummary | undefined {
    const held = this.held;
    // Asked after each drawing by the benchmarks: 26,000 nodes are summarised once per graph version.
    if (held && this.summary?.held === held && this.summary.version === held.version) return this.summary.value;
    const graph = held?.topology();
    if (!held || !graph) return undefined;
    const value: GraphSummary = {
      sourceLabel: graph.sourceLabel,
      ...(held.view ? { view: held.view.current } : {}),
      nodes: graph.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label, ...(n.detail ? { detail: n.detail } : {}) })),
      edges: graph.edges.length,
    };
    this.summary = { held, version: held.version, value };
    return value;
  }

  /** Shows the object's YAML in the editor where the server says it is written, selecting its name. */
  private async reveal(objectId: string): Promise<void> {
    const scope = this.scope;
    if (scope === undefined) return;
    const at = await this.request<ObjectLocation | null>(OBJECT_LOCATION_REQUEST, { scope, objectId } satisfies ObjectLocationParams);
    // Written in no file (a live cluster's object): nothing to open.
    if (!at) return;
    const uri = vscode.Uri.parse(at.uri, true);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const { start, end } = at.range;
      const range = new vscode.Range(start.line, start.character, end.line, end.character);
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

  /** A request to the server; a failure is shown (`say`) and answers undefined. */
  private async request<R>(method: string, params: unknown, say = true): Promise<R | undefined> {
    try {
      return await this.server.sendRequest<R>(method, params);
    } catch (err) {
      if (say) void vscode.window.showErrorMessage(`KNI inspector: the language server did not answer ${method} (${err instanceof Error ? err.message : String(err)}).`);
      return undefined;
    }
  }

  private post(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }
}

/** The header of a scope without a model. */
function emptyLabel(scope: GraphScope): string {
  if (scope === 'cluster') return 'no cluster connected';
  return scope === 'files' ? 'no Kubernetes manifests in the workspace' : 'the render is no longer in the workspace';
}
