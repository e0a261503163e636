// Hosts the inspector webview: creates or restores the panel, answers the
// webview's `ready` with the model of the active manifest, and follows the
// active editor. Messages from the webview are validated before anything
// acts on them.
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type ReadyMessage, type RenderedMessage } from '../../protocol';
import type { InspectorObserver } from '../api';
import { graphForDocument, revealObject } from './active-model';
import { Waiters } from './waiters';
import { inspectorHtml } from './webview-html';

export class InspectorHost implements vscode.Disposable {
  static readonly viewType = 'kni.inspector';

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly readyWaiters = new Waiters<ReadyMessage>('the inspector to report ready');
  private readonly renderedWaiters = new Waiters<RenderedMessage>('the inspector to draw');
  private ready: ReadyMessage | undefined;
  private rendered: RenderedMessage | undefined;
  /** The last Kubernetes document shown, kept while the panel itself has focus. */
  private document: vscode.TextDocument | undefined;

  readonly observer: InspectorObserver = {
    isOpen: () => this.panel !== undefined,
    whenReady: (timeoutMs = 15_000) => (this.ready ? Promise.resolve(this.ready) : this.readyWaiters.wait(timeoutMs)),
    nextRendered: (timeoutMs = 15_000) => this.renderedWaiters.wait(timeoutMs),
    lastRendered: () => this.rendered,
  };

  constructor(private readonly extensionUri: vscode.Uri) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && this.panel) this.showDocument(editor.document);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.document) this.showDocument(e.document);
      }),
    );
  }

  open(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(InspectorHost.viewType, 'Network Inspector', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [this.distUri],
    });
    this.attach(panel);
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
    this.document = vscode.window.activeTextEditor?.document;
    panel.webview.html = inspectorHtml(panel.webview, this.distUri);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
      }),
    ];
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    switch (message.type) {
      case 'ready':
        this.ready = message;
        this.readyWaiters.resolveAll(message);
        if (this.document) this.showDocument(this.document);
        else this.post({ type: 'model', graph: { nodes: [], edges: [], sourceLabel: 'no Kubernetes file open' } });
        break;
      case 'rendered':
        this.rendered = message;
        this.renderedWaiters.resolveAll(message);
        break;
      case 'reveal':
        if (this.document) void revealObject(this.document, message.objectId);
        break;
    }
  }

  private showDocument(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return;
    const graph = graphForDocument(document);
    if (!graph) return;
    this.document = document;
    if (this.ready) this.post({ type: 'model', graph });
  }

  private post(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }
}
