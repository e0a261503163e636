// The live cluster in the language server: the kubeconfig's contexts, one
// connection at a time (informers, incremental findings: src/core/cluster),
// its status and warnings as notifications, and drift between open manifests
// and the cluster as Information diagnostics. Only in a trusted workspace: an
// untrusted one reads no kubeconfig and runs no credential plugin, and the
// requests say why. The Kubernetes client is loaded on the first connect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, LSPErrorCodes, ResponseError, type Connection, type Diagnostic } from 'vscode-languageserver';
import { driftOf } from '../core/cluster/drift';
import type { ClusterSession, ClusterView } from '../core/cluster/session';
import { CONFIG_FILE_NAME, type KniConfig } from '../core/config';
import { isNamespaceName, NAMESPACE_NAME_SYNTAX } from '../core/config/facts';
import type { Finding } from '../core/findings/types';
import { ModelIndex } from '../core/model/model-index';
import type { ModelObject } from '../core/model/types';
import { clusterSourceLabel, emptyClusterModel } from '../core/topology';
import type { ClusterStatus } from '../core/source/cluster';
import { combineFolderConfigs, mergeConfig } from '../core/workspace/folder-config';
import {
  CLUSTER_STATUS_NOTIFICATION,
  CLUSTER_VIEW_NOTIFICATION,
  CLUSTER_WARNING_NOTIFICATION,
  CONNECT_REQUEST,
  DISCONNECT_REQUEST,
  DRIFT_CODE,
  LIST_CONTEXTS_REQUEST,
  RECONNECT_REQUEST,
  type ClusterStatusParams,
  type ClusterViewParams,
  type ClusterWarningParams,
  type ConnectParams,
  type ContextsResult,
} from '../protocol';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { ScopeModel } from './inspector';
import { settingsFrom } from '../core/config/settings';

const NO_FINDINGS: readonly Finding[] = [];

export const UNTRUSTED_MESSAGE =
  'KNI does not read kubeconfigs or connect to clusters in an untrusted workspace: reading a kubeconfig can run its credential plugins. Trust the workspace to connect.';

/** The trust the client declared: `initializationOptions.trusted`; anything else is untrusted. */
export function trustedFrom(initializationOptions: unknown): boolean {
  return typeof initializationOptions === 'object' && initializationOptions !== null && (initializationOptions as { trusted?: unknown }).trusted === true;
}

export interface ServerClusterDeps {
  /** Whether the workspace is trusted now. */
  trusted(): boolean;
  /** The workspace folders now (file-system paths): a kubeconfig inside them never runs a plugin; their `.kni.yaml` configures the rules. */
  folders(): readonly string[];
  /** The client's `kni.*` settings as last read (raw). */
  settings(): unknown;
  /** The model's objects written in a file, for drift. */
  objectsIn(key: string): readonly ModelObject[];
  /** The range of a location in a file's analysed text. */
  rangeOf(loc: ModelObject['origin']['loc'] & object): Diagnostic['range'] | undefined;
  /** The cluster's model, status or connection changed (redraw its graph, republish drift). */
  changed(): void;
  /** Test seam: options for the cluster source (a kubeconfig path, short retries). */
  sourceOptions?: Record<string, unknown>;
}

export class ServerCluster {
  private session: ClusterSession | undefined;
  /**
   * The folders whose kubeconfigs run no plugin, the one array every session is given: a session
   * reads its kubeconfig again when it reconnects, after the folders may have changed
   * (foldersChanged updates it in place).
   */
  private readonly untrustedRoots: string[];
  private subscriptions: { dispose(): void }[] = [];
  private config: KniConfig | undefined;
  private emptyIndex: ModelIndex | undefined;
  /** The drift diagnostics last published per open file (JSON), to publish only what changed. */
  private lastDrift = new Map<string, string>();
  /** Counts the statuses said, answers and notifications alike (ClusterStatusParams.version). */
  private statusVersion = 0;

  constructor(
    private readonly connection: Connection,
    private readonly deps: ServerClusterDeps,
  ) {
    this.untrustedRoots = [...deps.folders()];
  }

  register(): void {
    const c = this.connection;
    c.onRequest(LIST_CONTEXTS_REQUEST, async (): Promise<ContextsResult> => {
      this.refuseUntrusted();
      const { listContexts } = await import('../core/source/cluster/contexts');
      return listContexts();
    });
    c.onRequest(CONNECT_REQUEST, (params: ConnectParams) => this.connect(params));
    c.onRequest(DISCONNECT_REQUEST, () => {
      this.stop();
      this.deps.changed();
      return this.statusParams();
    });
    c.onRequest(RECONNECT_REQUEST, () => {
      this.session?.reconnect();
      return this.statusParams();
    });
  }

  /** The connected context's name, or undefined. */
  get context(): string | undefined {
    return this.session?.context;
  }

  /** The cluster's model and findings (undefined before the first sync, or without a cluster). */
  view(): ClusterView | undefined {
    return this.session?.view();
  }

  status(): ClusterStatus | undefined {
    return this.session?.status();
  }

  /** The cluster as the inspector draws it: empty, with its state in the header, until the first sync. */
  inspectorModel(): ScopeModel | undefined {
    const s = this.session;
    if (!s) return undefined;
    const view = s.view();
    return {
      index: view?.index ?? (this.emptyIndex ??= new ModelIndex(emptyClusterModel())),
      findings: view?.findings ?? NO_FINDINGS,
      sourceLabel: clusterSourceLabel(s.context, s.options.namespaces, s.status().state, s.unread()),
      view: { current: 'cluster', cluster: s.context },
    };
  }

  /** Drift of a file's objects against the connected cluster, as Information diagnostics. */
  driftDiagnostics(key: string): Diagnostic[] {
    const s = this.session;
    if (!s || s.status().state === 'error') return [];
    const view = s.view();
    const objects = view ? this.deps.objectsIn(key) : [];
    if (!view || objects.length === 0) return [];
    return driftOf(objects, view.index, s.context).flatMap((item) => {
      const range = this.deps.rangeOf(item.loc);
      return range ? [{ range, severity: DiagnosticSeverity.Information, source: DIAGNOSTIC_SOURCE, code: DRIFT_CODE, message: item.message }] : [];
    });
  }

  /** The files among `keys` whose drift differs from what `driftChanged` last saw (what to publish again). */
  driftChanged(keys: readonly string[]): string[] {
    const out: string[] = [];
    const seen = new Map<string, string>();
    for (const key of keys) {
      const now = JSON.stringify(this.driftDiagnostics(key));
      seen.set(key, now);
      if ((this.lastDrift.get(key) ?? '[]') !== now) out.push(key);
    }
    this.lastDrift = seen;
    return out;
  }

  /** Workspace folders were added or removed: their kubeconfigs and `.kni.yaml` files are the new folders'. */
  foldersChanged(): void {
    this.untrustedRoots.splice(0, this.untrustedRoots.length, ...this.deps.folders());
    this.invalidate();
  }

  /** The settings or a `.kni.yaml` changed: the cluster's findings are computed again. */
  invalidate(): void {
    this.config = undefined;
    this.session?.invalidate();
  }

  dispose(): void {
    this.stop();
  }

  private refuseUntrusted(): void {
    if (!this.deps.trusted()) throw new ResponseError(LSPErrorCodes.RequestFailed, UNTRUSTED_MESSAGE);
  }

  private async connect(params: ConnectParams): Promise<ClusterStatusParams> {
    this.refuseUntrusted();
    if (typeof params?.context !== 'string' || params.context === '') throw new ResponseError(LSPErrorCodes.RequestFailed, 'kni/cluster/connect needs a context name (kni/cluster/contexts lists them).');
    const asked = params.namespaces ?? configuredNamespaces(this.deps.settings());
    const bad = asked.filter((n) => typeof n !== 'string' || !isNamespaceName(n));
    if (bad.length > 0) throw new ResponseError(LSPErrorCodes.RequestFailed, `not a namespace name (${NAMESPACE_NAME_SYNTAX}): ${bad.map(String).join(', ')}`);
    const { ClusterSession } = await import('../core/cluster/session');
    this.stop();
    const session = new ClusterSession({
      context: params.context,
      namespaces: [...new Set(asked)],
      trusted: this.deps.trusted(),
      untrustedRoots: this.untrustedRoots,
      config: () => this.rulesConfig(),
      chooseNamespacesHint:
        typeof params.namespacesHint === 'string' && params.namespacesHint.trim() !== ''
          ? params.namespacesHint.trim()
          : 'name the namespaces you may read in kni/cluster/connect, or in the setting kni.cluster.namespaces',
      ...(this.deps.sourceOptions ? { source: this.deps.sourceOptions } : {}),
    });
    this.session = session;
    const notify = () => {
      if (this.session !== session) return;
      void this.connection.sendNotification(CLUSTER_STATUS_NOTIFICATION, this.statusParams());
      this.deps.changed();
    };
    this.subscriptions = [
      session.onDidChange(notify),
      session.onDidChangeStatus(notify),
      session.onDidWarn((w) => {
        if (this.session !== session) return;
        const warning: ClusterWarningParams = { context: session.context, cause: w.cause, message: w.message };
        void this.connection.sendNotification(CLUSTER_WARNING_NOTIFICATION, warning);
      }),
      session.onDidComputeView((t) => {
        if (this.session !== session) return;
        // On the epoch's scale: the client's performance.now() has another origin.
        const epoch = (at: number) => performance.timeOrigin + at;
        const view: ClusterViewParams = {
          context: session.context,
          resync: t.resync,
          ...(t.receivedAt !== undefined ? { receivedAt: epoch(t.receivedAt) } : {}),
          changedAt: epoch(t.changedAt),
          viewAt: epoch(t.viewAt),
          pods: t.pods,
          findings: t.findings,
        };
        void this.connection.sendNotification(CLUSTER_VIEW_NOTIFICATION, view);
      }),
    ];
    session.start();
    this.deps.changed();
    return this.statusParams();
  }

  private stop(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
    this.session?.dispose();
    this.session = undefined;
  }

  /** The connection's state as the status notification says it. */
  statusParams(): ClusterStatusParams {
    const version = ++this.statusVersion;
    const s = this.session;
    if (!s) return { version, state: 'disconnected', namespaces: [], message: this.deps.trusted() ? 'no cluster connected' : UNTRUSTED_MESSAGE, partial: false, unread: [] };
    const status = s.status();
    const unread = s.unread().map((u) => ({ resource: u.resource, ...(u.namespace ? { namespace: u.namespace } : {}), reason: u.reason, consequence: u.consequence }));
    const synced = status.state === 'synced' || status.state === 'degraded';
    return {
      version,
      state: status.state,
      context: s.context,
      namespaces: s.options.namespaces,
      message: status.message,
      partial: synced && unread.length > 0,
      unread,
      ...(synced && s.hasSynced ? { counts: { ...s.counts() } } : {}),
      ...(status.retryInMs !== undefined ? { retryInMs: status.retryInMs } : {}),
    };
  }

  /** The rules' configuration for the cluster: the settings over the first folder's `.kni.yaml`, as the files are checked. */
  private rulesConfig(): KniConfig {
    if (this.config) return this.config;
    const settings = settingsFrom(this.deps.settings());
    const folders = this.deps.folders().map((folder) => {
      const file = join(folder, CONFIG_FILE_NAME);
      let text: string | undefined;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = undefined; // no `.kni.yaml`: the defaults
      }
      return mergeConfig(settings, text, file);
    });
    this.config = combineFolderConfigs(folders, settings).config;
    return this.config;
  }
}

/** `kni.cluster.namespaces`: the valid names. */
function configuredNamespaces(settings: unknown): string[] {
  const cluster = typeof settings === 'object' && settings !== null ? (settings as { cluster?: { namespaces?: unknown } }).cluster : undefined;
  const value = cluster?.namespaces;
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string' && isNamespaceName(n.trim())).map((n) => n.trim()) : [];
}
