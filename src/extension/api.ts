// What `activate` returns: the extension's public surface, used by the
// integration tests to observe the inspector without reaching into its DOM.
import type { GraphScope, ModelViewKind, NetworkTreeItem, RenderedMessage, ReadyMessage, TopologyNodeKind, TraceView } from '../protocol';
import type { IndexUpdateReason, ScanStats } from '../protocol/lsp';
import type { ClusterViewTiming } from '../core/cluster/session';

/** What the inspector was last asked to draw (the graph posted to the panel). */
export interface GraphSummary {
  sourceLabel: string;
  /** While a cluster is connected: whether this is the files' model or the cluster's. */
  view?: ModelViewKind;
  nodes: { id: string; kind: TopologyNodeKind; label: string; detail?: string }[];
  edges: number;
}

export interface InspectorObserver {
  /** Whether an inspector panel is open. */
  isOpen(): boolean;
  /** Resolves with the open panel's `ready` handshake (rejects after `timeoutMs`). */
  whenReady(timeoutMs?: number): Promise<ReadyMessage>;
  /** Resolves with the next `rendered` report from the panel (rejects after `timeoutMs`). */
  nextRendered(timeoutMs?: number): Promise<RenderedMessage>;
  /** The last `rendered` report, if any. */
  lastRendered(): RenderedMessage | undefined;
  /** The trace last pinned in the panel (by a click, Enter, or "Trace request" from the editor). */
  lastPinnedTrace(): TraceView | undefined;
  /** The `kni trace` text of the trace last pinned (written to the "Kubernetes Network Inspector (trace)" output). */
  lastTraceText(): string | undefined;
  /** The graph last posted to the panel (undefined before the first drawing, with no panel, or after 256 patches nobody read: until the next whole graph). */
  lastGraphSummary(): GraphSummary | undefined;
}

/** The live cluster (kni.selectClusterContext), for tests. */
export interface ClusterObserver {
  /** The connected context, its namespaces and its status; undefined for manifests only. */
  connection(): { context: string; namespaces: string[]; state: 'connecting' | 'synced' | 'degraded' | 'error'; message: string; unread: { resource: string; namespace?: string; reason: string }[] } | undefined;
  /** Resolves once the connected cluster has synced (rejects without one, on an error, or after `timeoutMs`). */
  whenSynced(timeoutMs?: number): Promise<void>;
  /** Which model the inspector draws: the files' or the cluster's. */
  view(): ModelViewKind;
  /** The status bar item's text. */
  statusBarText(): string;
  /** Fires when the language server computed the cluster's model, index and findings after a change, its times on this host's `performance.now()` (for the benchmark). */
  onDidComputeView(listener: (timing: ClusterViewTiming) => void): { dispose(): void };
}

export type { ClusterViewTiming, ScanStats };

/** The editor side (the language server's index, its diagnostics as they arrive), for tests and the benchmark. */
export interface EditorObserver {
  /** Time spent in `activate()` (ms). */
  activationMs: number;
  /** Resolves with the figures of the running workspace scan in the server once it is done (the last scan's when none runs; undefined when the server stopped). */
  whenIndexed(): Promise<ScanStats | undefined>;
  /** Manifest files in the server's index. */
  fileCount(): number;
  /** Time the server's last re-analysis took, from text to findings by file (ms). */
  lastUpdateMs(): number;
  /**
   * Fires right after diagnostics from the server were handed to VS Code (so
   * `languages.getDiagnostics` shows them), with the extension host's
   * `performance.now()` at each step and the server's own durations.
   */
  onDidPublish(listener: (timing: PublishTiming) => void): { dispose(): void };
  /** Resolves when the scan and the renders it started (or an edit asked for) have finished and were published. */
  whenRendered(): Promise<void>;
  /** The renders (charts, Kustomize roots) and their states; `off` says why none runs (Restricted Mode). */
  renders(): RenderSummary;
  /** The status bar item's text. */
  statusBarText(): string;
}

export interface RenderSummary {
  off?: string;
  /** The one-time notices said so far (a missing tool, Restricted Mode). */
  notices: string[];
  list: { folder: string; kind: 'helm' | 'kustomize'; name: string; state: 'waiting' | 'rendering' | 'rendered' | 'failed' | 'tool-missing'; reason?: string }[];
}

/**
 * One delivery of diagnostics from the server: what caused the update, and
 * its steps (times from the extension host's `performance.now()`).
 */
export interface PublishTiming {
  reason: IndexUpdateReason;
  /** For an edit: when the client sent the document's last change to the server. */
  changedAt?: number;
  /** When the pull was sent (a document's), or the workspace pull's partial result arrived. */
  requestedAt: number;
  /** When its answer arrived. */
  receivedAt: number;
  /** When it had been handed to VS Code. */
  publishedAt: number;
  /** The server's durations: the update's analysis, and for an edit the server's receipt of the change to its findings (debounce included). */
  server: { analysisMs: number; sinceChangeMs?: number };
}

/** What the Network view's TreeItem for an item says (the parts tests check). */
export interface NetworkTreeItemSummary {
  description?: string;
  contextValue: string;
  /** The codicon's id. */
  icon: string;
  collapsed: boolean;
  /** What selecting it runs. */
  command?: { command: string; arguments: unknown[] };
}

/** The Network view (kni.network), for tests. */
export interface NetworkObserver {
  /** The scope it shows: the files, or the connected cluster. */
  scope(): GraphScope;
  /** Whether the view is visible. */
  visible(): boolean;
  /** Selects and focuses an item the view has shown, as a click would (without running its command). */
  select(item: NetworkTreeItem): Promise<void>;
  /** Reveals an item as `TreeView.reveal` does (an item answered before an edit too). */
  reveal(item: NetworkTreeItem, options?: { select?: boolean; focus?: boolean; expand?: boolean | number }): Promise<void>;
  /** The children of an item (absent: the top level) as the server answers them now, with their TreeItems (asked anew; not what the view shows). */
  children(parent?: NetworkTreeItem): Promise<(NetworkTreeItem & { treeItem: NetworkTreeItemSummary })[]>;
  /**
   * What VS Code was last given as the children of an item (its id; absent: the top level), and the
   * refresh count when it asked: VS Code asks again, after a refresh, only for the rows it shows
   * expanded (and, while the view is hidden, not until it is shown).
   */
  shown(parentId?: string): { refresh: number; items: (NetworkTreeItem & { treeItem: NetworkTreeItemSummary })[] } | undefined;
  /** The badge VS Code last asked for a row (by item id) as it drew it; undefined before it asked. */
  badgeAsked(id: string): { badge?: string; tooltip?: string } | undefined;
  /** The selected items' ids. */
  selection(): string[];
  /** How many times the view refreshed (the server said the tree changed, the source changed, Refresh). */
  refreshes(): number;
}

export interface KniExtensionApi {
  inspector: InspectorObserver;
  editor: EditorObserver;
  cluster: ClusterObserver;
  network: NetworkObserver;
}

export const EXTENSION_ID = 'kni.kubernetes-network-inspector';
