// A connection to a live cluster for an editor (the extension or the language
// server): the cluster's model with its findings (recomputed after each burst
// of watch events, incrementally), its status, its warnings (each cause once
// per session) and the timing of each view. Node only (the source talks HTTPS);
// no editor API: listeners are plain functions.
import type { KniConfig } from '../config';
import type { Finding } from '../findings/types';
import type { UnreadResource } from '../model/types';
import { ModelIndex } from '../model/model-index';
import { ClusterSource, type ClusterSourceOptions, type ClusterStatus, type ClusterWarning } from '../source/cluster';
import { ClusterFindings } from './findings';
import type { ClusterViewTiming } from '../../protocol/lsp';

export interface ClusterSessionOptions {
  context: string;
  /** Empty: all namespaces. */
  namespaces: string[];
  /** Whether the workspace is trusted (exec credential plugins run only then). */
  trusted: boolean;
  /** The workspace folders: a kubeconfig inside them never runs a plugin. */
  untrustedRoots: string[];
  /** The rules' configuration (the workspace's `.kni.yaml` and settings). */
  config: () => KniConfig;
  /** What to tell a user whose role may not list Namespaces (where they choose namespaces). */
  chooseNamespacesHint?: string;
  /** Further source options (a kubeconfig path, retry intervals: tests). */
  source?: Partial<ClusterSourceOptions>;
}

/** The cluster's model as the inspector draws it. */
export interface ClusterView {
  index: ModelIndex;
  findings: readonly Finding[];
}

export type { ClusterViewTiming };

export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
}

type Listener<T> = (value: T) => void;

class Listeners<T> {
  private readonly set = new Set<Listener<T>>();
  on(listener: Listener<T>): { dispose(): void } {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }
  fire(value: T): void {
    for (const l of [...this.set]) l(value);
  }
  clear(): void {
    this.set.clear();
  }
}

export class ClusterSession {
  private readonly source: ClusterSource;
  private readonly changedListeners = new Listeners<void>();
  private readonly statusListeners = new Listeners<ClusterStatus>();
  private readonly warningListeners = new Listeners<ClusterWarning>();
  private readonly viewListeners = new Listeners<ClusterViewTiming>();
  /** After the cluster's model changed (a sync, a relist, a burst of watch events). */
  readonly onDidChange = (l: Listener<void>) => this.changedListeners.on(l);
  readonly onDidChangeStatus = (l: Listener<ClusterStatus>) => this.statusListeners.on(l);
  /** Each cause once per session (the source already dedupes; a new session may warn again). */
  readonly onDidWarn = (l: Listener<ClusterWarning>) => this.warningListeners.on(l);
  /** A view was computed after a change (for the benchmark). */
  readonly onDidComputeView = (l: Listener<ClusterViewTiming>) => this.viewListeners.on(l);
  /** What happened since the last view: for its timing. */
  private sinceView: { resync: boolean; receivedAt?: number; changedAt: number } | undefined;
  private cached: ClusterView | undefined;
  /** The source's first sync emits 'changed': before it, there is no model to show. */
  private everChanged = false;
  private findingCounts: FindingCounts = { error: 0, warning: 0, info: 0 };
  private readonly seenWarnings = new Set<string>();
  private readonly subscriptions: { dispose(): void }[] = [];
  /** Findings re-checked per burst of events only where the events were. */
  private readonly findings: ClusterFindings;
  /** The configuration the findings were computed with (`.kni.yaml` may change it without a settings event). */
  private config: KniConfig;

  constructor(readonly options: ClusterSessionOptions) {
    this.config = options.config();
    this.findings = new ClusterFindings(this.config);
    this.source = new ClusterSource({
      context: options.context,
      namespaces: options.namespaces,
      allowExecPlugins: options.trusted,
      untrustedRoots: options.untrustedRoots,
      ...(options.chooseNamespacesHint ? { chooseNamespacesHint: options.chooseNamespacesHint } : {}),
      // A burst of watch events (a rollout) is one redraw.
      batchMs: 150,
      ...options.source,
    });
    this.subscriptions.push(
      this.source.on('changed', (c) => {
        this.findings.changed(c.resync ? undefined : c.objects);
        const receivedAt = this.sinceView?.receivedAt ?? c.receivedAt;
        this.sinceView = { resync: c.resync || this.sinceView?.resync === true, ...(receivedAt !== undefined ? { receivedAt } : {}), changedAt: this.sinceView?.changedAt ?? performance.now() };
        this.everChanged = true;
        this.cached = undefined;
        this.changedListeners.fire();
      }),
      this.source.on('status', (s) => this.statusListeners.fire(s)),
      this.source.on('warning', (w) => {
        if (this.seenWarnings.has(w.cause)) return;
        this.seenWarnings.add(w.cause);
        this.warningListeners.fire(w);
      }),
    );
  }

  get context(): string {
    return this.options.context;
  }

  start(): void {
    this.source.start();
  }

  synced(): Promise<void> {
    return this.source.synced();
  }

  status(): ClusterStatus {
    return this.source.status();
  }

  warnings(): ClusterWarning[] {
    return this.source.warnings();
  }

  /** What could not be read (empty: a complete read). */
  unread(): readonly UnreadResource[] {
    return this.source.unread();
  }

  /** Skips the source's backoff wait (after the user logged in again). */
  reconnect(): void {
    this.source.reconnect();
  }

  /** Whether the first sync has happened (before it the model is empty). */
  get hasSynced(): boolean {
    return this.view() !== undefined;
  }

  /** The cluster's model and its findings, computed once per change; undefined before the first sync. */
  view(): ClusterView | undefined {
    if (this.cached) return this.cached;
    if (!this.everChanged) return undefined;
    const model = this.source.model();
    const config = this.options.config();
    if (config !== this.config) {
      this.config = config;
      this.findings.setConfig(config);
    }
    let index: ModelIndex;
    let findings: Finding[];
    try {
      ({ index, findings } = this.findings.update(model));
    } catch (err) {
      console.error(`kni: the rules failed on the cluster's model: ${err instanceof Error ? err.message : String(err)}`);
      // Next time from scratch: the incremental state may be half updated.
      this.findings.changed(undefined);
      index = new ModelIndex(model, { ignoreLabelKeys: config.ignoreLabelKeys });
      findings = [];
    }
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of findings) counts[f.severity]++;
    this.findingCounts = counts;
    this.cached = { index, findings };
    if (this.sinceView) {
      let pods = 0;
      for (const w of model.workloads) pods += w.pods.length;
      this.viewListeners.fire({ ...this.sinceView, viewAt: performance.now(), pods, findings: findings.length });
      this.sinceView = undefined;
    }
    return this.cached;
  }

  /** Problem counts of the cluster's findings (as of the last `view()`). */
  counts(): FindingCounts {
    this.view();
    return this.findingCounts;
  }

  /** The configuration changed: findings are recomputed on next use. */
  invalidate(): void {
    this.config = this.options.config();
    this.findings.setConfig(this.config);
    this.cached = undefined;
    this.changedListeners.fire();
  }

  dispose(): void {
    this.source.stop();
    for (const s of this.subscriptions) s.dispose();
    this.changedListeners.clear();
    this.statusListeners.clear();
    this.warningListeners.clear();
    this.viewListeners.clear();
  }
}
