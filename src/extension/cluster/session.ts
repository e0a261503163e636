// A connection to a live cluster for the editor, and what the editor needs of
// it: the cluster's model with its findings (recomputed after each burst of
// watch events), its status, its warnings (each cause once). Imported on first
// use only (a context is chosen, or restored from the workspace state):
// activation never loads it.
import * as vscode from 'vscode';
import type { KniConfig } from '../../core/config';
import type { Finding } from '../../core/findings/types';
import type { UnreadResource } from '../../core/model/types';
import { ModelIndex } from '../../core/model/model-index';
import { ClusterSource, type ClusterStatus, type ClusterWarning } from '../../core/source/cluster';
import type { ClusterViewTiming } from '../api';
import { ClusterFindings } from './findings';

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
}

/** The cluster's model as the inspector draws it. */
export interface ClusterView {
  index: ModelIndex;
  findings: readonly Finding[];
}

export class ClusterSession implements vscode.Disposable {
  private readonly source: ClusterSource;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly statusChanged = new vscode.EventEmitter<ClusterStatus>();
  private readonly warned = new vscode.EventEmitter<ClusterWarning>();
  private readonly viewed = new vscode.EventEmitter<ClusterViewTiming>();
  /** Fires when a view was computed after a change (for the benchmark). */
  readonly onDidComputeView = this.viewed.event;
  /** What happened since the last view: for its timing. */
  private sinceView: { resync: boolean; receivedAt?: number; changedAt: number } | undefined;
  /** Fires after the cluster's model changed (a sync, a relist, a burst of watch events). */
  readonly onDidChange = this.changed.event;
  readonly onDidChangeStatus = this.statusChanged.event;
  /** Each cause once per session (the source already dedupes; a new session may warn again). */
  readonly onDidWarn = this.warned.event;
  private cached: ClusterView | undefined;
  /** The source's first sync emits 'changed': before it, there is no model to show. */
  private everChanged = false;
  private findingCounts = { error: 0, warning: 0, info: 0 };
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
      chooseNamespacesHint: 'list the namespaces you may read in the setting kni.cluster.namespaces',
      // A burst of watch events (a rollout) is one redraw.
      batchMs: 150,
    });
    this.subscriptions.push(
      this.source.on('changed', (c) => {
        this.findings.changed(c.resync ? undefined : c.objects);
        const receivedAt = this.sinceView?.receivedAt ?? c.receivedAt;
        this.sinceView = { resync: c.resync || this.sinceView?.resync === true, ...(receivedAt !== undefined ? { receivedAt } : {}), changedAt: this.sinceView?.changedAt ?? performance.now() };
        this.everChanged = true;
        this.cached = undefined;
        this.changed.fire();
      }),
      this.source.on('status', (s) => this.statusChanged.fire(s)),
      this.source.on('warning', (w) => {
        if (this.seenWarnings.has(w.cause)) return;
        this.seenWarnings.add(w.cause);
        this.warned.fire(w);
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
      this.viewed.fire({ ...this.sinceView, viewAt: performance.now(), pods, findings: findings.length });
      this.sinceView = undefined;
    }
    return this.cached;
  }

  /** Problem counts of the cluster's findings (as of the last `view()`). */
  counts(): { error: number; warning: number; info: number } {
    this.view();
    return this.findingCounts;
  }

  /** The configuration changed: findings are recomputed on next use. */
  invalidate(): void {
    this.config = this.options.config();
    this.findings.setConfig(this.config);
    this.cached = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.source.stop();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.viewed.dispose();
    this.statusChanged.dispose();
    this.warned.dispose();
  }
}
