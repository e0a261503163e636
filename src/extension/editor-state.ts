// The editor's view of the language server's index: the counts the status
// bar shows, the last scan's figures, the renders and their states, and when
// diagnostics arrived from the server (a middleware of the client, for the
// benchmark). It decides nothing: everything here is what the server said.
import * as vscode from 'vscode';
import { vsdiag, type LanguageClient, type Middleware } from 'vscode-languageclient/node';
import {
  DID_CHANGE_RENDERS,
  INDEX_STATE_NOTIFICATION,
  RENDERS_REQUEST,
  SCAN_REQUEST,
  type IndexStateParams,
  type RendersParams,
  type RendersResult,
  type ScanStats,
} from '../protocol/lsp';
import type { PublishTiming } from './api';

/** How many updates' states are kept to name the update a diagnostic report came from. */
const STATES_KEPT = 256;

export class EditorState implements vscode.Disposable {
  /** The server's state after its last update (undefined before the first scan's). */
  state: IndexStateParams | undefined;
  lastScan: ScanStats | undefined;
  renders: RendersResult = { renders: [] };
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the counts, the scan or the renders changed. */
  readonly onDidChange = this.changed.event;
  private readonly published = new vscode.EventEmitter<PublishTiming>();
  /** Fires right after diagnostics from the server were handed to VS Code. */
  readonly onDidPublish = this.published.event;
  private readonly states = new Map<number, IndexStateParams>();
  /** When the client sent each document's last change to the server (performance.now()). */
  private readonly changedAt = new Map<string, number>();
  /** Waiting for the next scan's state: the first one, or one asked for. */
  private scanWaiters: ((stats: ScanStats | undefined) => void)[] = [];
  private scanning = true;
  private client: LanguageClient | undefined;

  /** Listens to the client (made with this object's middleware()). */
  attach(client: LanguageClient): void {
    this.client = client;
    client.onNotification(INDEX_STATE_NOTIFICATION, (s: IndexStateParams) => this.onState(s));
    client.onNotification(DID_CHANGE_RENDERS, () => void this.fetchRenders());
  }

  get fileCount(): number {
    return this.state?.files ?? 0;
  }

  private onState(s: IndexStateParams): void {
    this.state = s;
    this.states.set(s.generation, s);
    this.states.delete(s.generation - STATES_KEPT);
    if (s.scan) {
      this.lastScan = s.scan;
      this.scanning = false;
      for (const done of this.scanWaiters.splice(0)) done(s.scan);
      void this.fetchRenders();
    }
    this.changed.fire();
  }

  private async fetchRenders(params?: RendersParams): Promise<void> {
    if (!this.client) return;
    try {
      this.renders = await this.client.sendRequest<RendersResult>(RENDERS_REQUEST, params ?? {});
      this.changed.fire();
    } catch {
      // the server stopped meanwhile: the next start asks again
    }
  }

  /** Resolves with the running scan's figures once it is done (the last scan's when none runs); undefined when the server stopped. */
  whenIndexed(): Promise<ScanStats | undefined> {
    if (!this.scanning) return Promise.resolve(this.lastScan);
    return new Promise((done) => this.scanWaiters.push(done));
  }

  /** Reads the workspace again (KNI: Refresh, Lint Workspace); resolves with the scan's figures once its diagnostics are out. */
  async scan(): Promise<ScanStats | undefined> {
    this.scanning = true;
    try {
      if (!this.client) throw new Error('no language client');
      return await this.client.sendRequest<ScanStats>(SCAN_REQUEST);
    } catch {
      for (const done of this.scanWaiters.splice(0)) done(undefined);
      this.scanning = false;
      return undefined;
    }
  }

  /** Resolves when the scan and the renders it started have finished, and their findings were published. */
  async whenRendered(): Promise<void> {
    await this.whenIndexed();
    await this.fetchRenders({ whenIdle: true });
  }

  /** Observes the diagnostics arriving: an edit's change sent, a document pulled, the workspace pull's partial results. */
  middleware(): Middleware {
    return {
      didChange: (event, next) => {
        this.changedAt.set(event.document.uri.toString(), performance.now());
        return next(event);
      },
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const requestedAt = performance.now();
        const report = await next(document, previousResultId, token);
        const receivedAt = performance.now();
        if (report?.kind === vsdiag.DocumentDiagnosticReportKind.full) {
          const uri = (document instanceof vscode.Uri ? document : document.uri).toString();
          const changedAt = this.changedAt.get(uri);
          // The client sets the report into its collection once this returns.
          setImmediate(() => this.announce(report.resultId, { changedAt, requestedAt, receivedAt }));
        }
        return report;
      },
      provideWorkspaceDiagnostics: (resultIds, token, reporter, next) =>
        next(resultIds, token, (chunk) => {
          const receivedAt = performance.now();
          reporter(chunk);
          if (!chunk || chunk.items.length === 0) return;
          const latest = Math.max(...chunk.items.map((i) => Number(i.resultId ?? 0)));
          this.announce(String(latest), { requestedAt: receivedAt, receivedAt });
        }),
    };
  }

  private announce(resultId: string | undefined, at: { changedAt?: number; requestedAt: number; receivedAt: number }): void {
    const state = this.states.get(Number(resultId));
    const publishedAt = performance.now();
    this.published.fire({
      reason: state?.reason ?? 'scan',
      ...(state?.reason === 'edit' && at.changedAt !== undefined ? { changedAt: at.changedAt } : {}),
      requestedAt: at.requestedAt,
      receivedAt: at.receivedAt,
      publishedAt,
      server: { analysisMs: state?.analysisMs ?? 0, ...(state?.sinceChangeMs !== undefined ? { sinceChangeMs: state.sinceChangeMs } : {}) },
    });
  }

  dispose(): void {
    for (const done of this.scanWaiters.splice(0)) done(undefined);
    this.changed.dispose();
    this.published.dispose();
  }
}
