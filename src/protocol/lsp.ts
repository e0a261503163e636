// The language server's own requests and notifications, beyond LSP, shared by
// `kni lsp` and its clients (the VS Code extension, a Neovim configuration):
// what a client says at initialize and the notifications that change it later,
// the command a code lens asks the client to run, the renders, the inspector's
// graph (compact) and its changes as versioned patches, traces, and the live
// cluster. Methods are under `kni/`. Plain JSON: no class, no Map.
import type { GraphPatch, ModelViewChoice, TraceView } from './messages';
import type { TraceTarget } from './trace-targets';

// ---------------------------------------------------------------- initialize, trust, tools, renders


/**
 * `initializationOptions` of `kni lsp`. Omitted fields mean: untrusted, and
 * the render tools found on PATH (or where VS Code's Kubernetes extension
 * records them). Tool paths come only from here, never from
 * workspace/configuration: clients answer that from project files
 * (`.vscode/settings.json`, a project's Neovim config), and a repository
 * must not choose the program kni runs.
 */
export interface KniInitializationOptions {
  /** The workspace is trusted: renders run helm or kustomize. */
  trusted?: boolean;
  /** `kni.helm.path` from the user's own settings. */
  helmPath?: string;
  /** `kni.kustomize.path` from the user's own settings (a kustomize or a kubectl binary). */
  kustomizePath?: string;
  /** The user-level value of VS Code's `vs-kubernetes` setting, where the Kubernetes extension records the helm and kubectl it uses. */
  kubernetesExtension?: Record<string, unknown>;
  /** How the client names an untrusted workspace in messages (VS Code: "in Restricted Mode"). */
  untrustedWords?: string;
  /** The client shows NOTICE_NOTIFICATION itself (with its own actions) instead of window/showMessage. */
  notices?: boolean;
  /** The client draws `$(name)` theme icons (VS Code): hovers mark their sentences with them, code lenses start with one. */
  themeIcons?: boolean;
  /** Client commands a code lens may name beyond TRACE_REQUEST_COMMAND (SHOW_WORKLOADS_COMMAND). */
  commands?: string[];
}

/** Client → server: the user trusted the workspace after initialize (VS Code's onDidGrantWorkspaceTrust). Trust is never taken back within a session: VS Code reloads the window for that. */
export const DID_GRANT_TRUST = 'kni/didGrantWorkspaceTrust';

/** Client → server: the user's tool paths changed (the same fields as at initialize; a field left out goes back to PATH). */
export const DID_CHANGE_TOOL_PATHS = 'kni/didChangeToolPaths';
export type ToolPathsParams = Pick<KniInitializationOptions, 'helmPath' | 'kustomizePath' | 'kubernetesExtension'>;

/** The command of a "Trace request" code lens, for the client to run (the VS Code extension registers it). */
export const TRACE_REQUEST_COMMAND = 'kni.traceRequest';

/**
 * The command of a code lens saying what a Service reaches ("3 pods · 1
 * workload"), to a client that lists it in initializationOptions.commands:
 * arguments `[uri, position, locations]` (LSP), where the workloads' labels
 * are written. Other clients get the lens without a command.
 */
export const SHOW_WORKLOADS_COMMAND = 'kni.showWorkloads';

/** The one argument of TRACE_REQUEST_COMMAND: what to trace, and the render it is traced in for an object a render drew. */
export type TraceRequestArgument = TraceTarget & {
  /** The render's id (`<folder index>:<render id>`): the trace runs in the rendered release. */
  render?: string;
};

/** Client → server request, no params: the workspace's renders and their states (for a status bar, a picker). */
export const RENDERS_REQUEST = 'kni/renders';
/** Server → client, no params: the renders changed state; ask RENDERS_REQUEST again. */
export const DID_CHANGE_RENDERS = 'kni/didChangeRenders';

export type RenderState = 'waiting' | 'rendering' | 'rendered' | 'failed' | 'tool-missing';

/** One chart or Kustomize root of the workspace. */
export interface RenderInfo {
  /** The render's id across folders (TraceRequestArgument's `render`). */
  id: string;
  /** The workspace folder's name. */
  folder: string;
  kind: 'helm' | 'kustomize';
  name: string;
  state: RenderState;
  /** Why it failed, or why its tool is missing. */
  reason?: string;
}

export interface RendersResult {
  renders: RenderInfo[];
  /** Why none runs (an untrusted workspace), when some would. */
  off?: string;
  /** How many would run. */
  offCount?: number;
}

export function isKniInitializationOptions(v: unknown): v is KniInitializationOptions {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    (o.trusted === undefined || typeof o.trusted === 'boolean') &&
    (o.helmPath === undefined || typeof o.helmPath === 'string') &&
    (o.kustomizePath === undefined || typeof o.kustomizePath === 'string') &&
    (o.kubernetesExtension === undefined || (o.kubernetesExtension !== null && typeof o.kubernetesExtension === 'object' && !Array.isArray(o.kubernetesExtension))) &&
    (o.untrustedWords === undefined || typeof o.untrustedWords === 'string') &&
    (o.notices === undefined || typeof o.notices === 'boolean') &&
    (o.themeIcons === undefined || typeof o.themeIcons === 'boolean') &&
    (o.commands === undefined || (Array.isArray(o.commands) && o.commands.every((c) => typeof c === 'string')))
  );
}

/** Params of RENDERS_REQUEST (optional). */
export interface RendersParams {
  /** Answer once no render is waiting or running and their findings were published (tests, a "wait for renders"). */
  whenIdle?: boolean;
}

/**
 * Server → client, to a client that passed `notices: true`: something said
 * once per session (a client without it gets window/showMessage).
 * `untrusted`: renders are off; `helm`/`kustomize`: the tool is missing.
 */
export const NOTICE_NOTIFICATION = 'kni/notice';

export interface NoticeParams {
  key: 'untrusted' | 'helm' | 'kustomize';
  message: string;
}

// ---------------------------------------------------------------- the index and the editor

/** What changed the index: a scan, an edit, a file on disk, the settings, renders, the cluster's drift. */
export type IndexUpdateReason = 'scan' | 'edit' | 'file' | 'config' | 'render' | 'cluster';

/** Where a scan's time went in the server (ms). */
export interface ScanPhases {
  /** Reading each folder's `.kni.yaml`. */
  configMs: number;
  /** Listing the folders' manifest files. */
  listMs: number;
  /** Reading and parsing them. */
  readMs: number;
  /** The first findings (model, index, rules). */
  firstFindingsMs: number;
  /** CPU time of the server process while reading and parsing, and during the first findings. */
  readCpuMs: number;
  firstFindingsCpuMs: number;
}

/** A finished scan of the workspace folders. */
export interface ScanStats {
  /** Files listed to read, and of those the ones holding Kubernetes objects. */
  files: number;
  manifests: number;
  /** A newer scan took over. */
  cancelled: boolean;
  /** The longest synchronous stretch of the server between two yields while reading (ms). */
  longestStretchMs: number;
  /** Scan start to findings by file (ms). */
  ms: number;
  phases: ScanPhases;
}

/**
 * Server → client after every update of the index that changed findings (and
 * after every scan): the counts a status bar shows and what the update cost.
 * Sent before the diagnostics it produced are published or refreshed; a
 * diagnostic report's `resultId` is the `generation` of the update that last
 * changed that file's diagnostics.
 */
export const INDEX_STATE_NOTIFICATION = 'kni/indexState';

export interface IndexStateParams {
  /** Counts the updates; see above. */
  generation: number;
  reason: IndexUpdateReason;
  /** Manifest files analysed (loose manifests; a render's inputs are not counted). */
  files: number;
  /** Kubernetes objects in the model. */
  objects: number;
  /** Findings of the whole workspace by severity (renders' included). */
  problems: { error: number; warning: number; info: number };
  /** The update's start to its findings by file in the server (ms). */
  analysisMs: number;
  /** For an edit: the server's receipt of the last change to its findings by file (debounce included, ms). */
  sinceChangeMs?: number;
  /** Present after a scan. */
  scan?: ScanStats;
}

/** Client → server, no params: read every folder again (settings, `.kni.yaml`, manifests); answers the scan's ScanStats once its diagnostics are out. */
export const SCAN_REQUEST = 'kni/scan';

/** Client → server, no params: what "Trace request" can pick: the Services (also of renders), Ingress URLs, route rules and egress rules. */
export const TRACE_TARGETS_REQUEST = 'kni/traceTargets';

export type TraceTargetKind = 'service' | 'render-service' | 'ingress' | 'route-rule' | 'egress-rule';

export interface TraceTargetItem {
  kind: TraceTargetKind;
  /** "shop/cart:80", "https://shop.example.com/cart", "Trace egress to 10.0.0.0/8:5432". */
  label: string;
  /** The port's name and what the Service reaches, or the object and rule it comes from. */
  description: string;
  /** Where it is written (a workspace-relative path), or the render it comes from. */
  detail?: string;
  target: TraceRequestArgument;
}

export interface TraceTargetsResult {
  targets: TraceTargetItem[];
}


// ---------------------------------------------------------------- the inspector's graph

/**
 * Which model a graph is drawn from: the workspace's files, the connected
 * cluster, or one render's release (`render:` and the render's id of
 * `kni/renders`: Show Render in Inspector, a trace of a template's object).
 */
export type GraphScope = 'files' | 'cluster' | RenderScope;
export type RenderScope = `render:${string}`;

/** The scopes that are always there (a render's comes and goes with the render). */
export const GRAPH_SCOPES: readonly GraphScope[] = ['files', 'cluster'];

export const RENDER_SCOPE_PREFIX = 'render:';

export function renderScope(renderId: string): RenderScope {
  return `${RENDER_SCOPE_PREFIX}${renderId}`;
}

/** The render id of a render scope (undefined for another scope). */
export function renderIdOf(scope: GraphScope): string | undefined {
  return scope.startsWith(RENDER_SCOPE_PREFIX) ? scope.slice(RENDER_SCOPE_PREFIX.length) : undefined;
}

export function isGraphScope(v: unknown): v is GraphScope {
  return typeof v === 'string' && (GRAPH_SCOPES.includes(v as GraphScope) || (v.startsWith(RENDER_SCOPE_PREFIX) && v.length > RENDER_SCOPE_PREFIX.length));
}

/**
 * A TopologyGraph for the wire (src/view-model/compact-graph.ts encodes and
 * decodes it): shared strings once in `strings`, each node's own strings in
 * `texts`, nodes and edges as flat number rows, finding badges and
 * policy-name lists deduplicated.
 */
export interface CompactGraph {
  format: 1;
  /** The strings many nodes and edges share (kinds, namespaces, groups, policy names, messages, port labels). */
  strings: string[];
  /** Each node's own strings in node order: its id (unless derived from its objectId), label, detail and objectId (when present). */
  texts: string[];
  /** Per node: a field mask, the id's prefix before the objectId (or -1), the kind, then the table fields the mask names. */
  nodes: number[];
  /** Per edge: flags, from and to (node positions), then its label and id when it has them. */
  edges: number[];
  /** [errors, warnings, infos, ...message string indices]. */
  badges: number[][];
  /** Policy-name lists (string indices). */
  lists: number[][];
  sourceLabel: string;
  objects?: number;
}

/** `kni/graph`: the graph of a scope now; with `subscribe`, its later changes come as `kni/graphChanged`. */
export const GRAPH_REQUEST = 'kni/graph';

export interface GraphParams {
  scope: GraphScope;
  subscribe?: boolean;
}

export interface GraphResult {
  scope: GraphScope;
  /** Counts the graphs of this scope; a patch names the version it applies to. */
  version: number;
  /** Null while there is no model (no cluster connected, or not synced yet). */
  graph: CompactGraph | null;
  /** Present while a cluster is connected (the toolbar's files / cluster control). */
  view?: ModelViewChoice;
}

/**
 * `kni/graphChanged`: a subscribed scope's graph changed. A patch of the graph
 * of `baseVersion` (a watch event: a few nodes), or the whole graph when most
 * of it changed. A client that does not hold `baseVersion` asks `kni/graph` again.
 */
export const GRAPH_CHANGED_NOTIFICATION = 'kni/graphChanged';

export type GraphChangedParams =
  | { scope: GraphScope; version: number; baseVersion: number; patch: GraphPatch; view?: ModelViewChoice }
  | { scope: GraphScope; version: number; graph: CompactGraph | null; view?: ModelViewChoice };

/** `kni/closeGraph`: no more `kni/graphChanged` for this scope (the panel closed). */
export const CLOSE_GRAPH_NOTIFICATION = 'kni/closeGraph';

export interface CloseGraphParams {
  scope: GraphScope;
}

/**
 * `kni/objectLocation`: where an object of a scope's graph (a node's
 * `objectId`) is written, for the inspector's "reveal": its name in its file,
 * or for a render's object the template or patch line that wrote it. Null for
 * an object written in no file (a live cluster's) or not in the graph. Asked
 * per click rather than sent with the graph: 20,000 Pods' locations would
 * weigh on every graph for the one or two a user reveals.
 */
export const OBJECT_LOCATION_REQUEST = 'kni/objectLocation';

export interface ObjectLocationParams {
  scope: GraphScope;
  objectId: string;
}

export interface ObjectLocation {
  uri: string;
  /** LSP positions (UTF-16) in the text the server analysed, which is the editor's for an open document. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

// ---------------------------------------------------------------- traces

/**
 * `kni/trace`: the trace of a node of the scope's graph (what its hover
 * explains; `question` picks one of `kni/traceQuestions`), or of a target
 * (the request first, the one from outside beside it when its verdict differs).
 */
export const TRACE_REQUEST = 'kni/trace';

export interface TraceParams {
  scope: GraphScope;
  nodeId?: string;
  /** With `nodeId`: from that node to this one (egress to the world outside, Pod to Pod), as the webview's "Trace to…". */
  to?: string;
  target?: TraceTarget;
  /** An index into the node's questions: that request alone. */
  question?: number;
  /** Also the `kni trace` text of the (first) request, for an output channel. */
  text?: boolean;
}

export interface TraceResult {
  /** The graph version the trace's node and edge ids belong to (0: a graph of the model now that was not sent). */
  version: number;
  /** Null when there is nothing to trace (see `problem`). */
  trace: TraceView | null;
  text?: string;
  /** Why there is no trace: no model, an unknown node, a target that is not in the model. */
  problem?: string;
}

/** `kni/traceQuestions`: the requests a node stands for, the one its hover lights first. */
export const TRACE_QUESTIONS_REQUEST = 'kni/traceQuestions';

export interface TraceQuestionsParams {
  scope: GraphScope;
  nodeId: string;
}

export interface TraceQuestionInfo {
  /** Who sends it, in the panel's words. */
  from: string;
  /** The request in `kni trace`'s words ("external -> https://shop.example.com/"). */
  request: string;
  /** Whether the paths into the node light up with it. */
  upstream: boolean;
}

export interface TraceQuestionsResult {
  version: number;
  questions: TraceQuestionInfo[];
}

// ---------------------------------------------------------------- the live cluster

/** `kni/cluster/contexts`: the kubeconfig's contexts (refused in an untrusted workspace). */
export const LIST_CONTEXTS_REQUEST = 'kni/cluster/contexts';

export interface KubeContextInfo {
  name: string;
  cluster: string;
  namespace?: string;
}

export interface ContextsResult {
  /** The kubeconfig files read ($KUBECONFIG or ~/.kube/config). */
  files: string[];
  contexts: KubeContextInfo[];
  current?: string;
  /** Files that could not be read (file and first line of the error, no secrets). */
  problems: string[];
}

/** `kni/cluster/connect`: read a context's cluster (all namespaces, or those named); answers the status at once. */
export const CONNECT_REQUEST = 'kni/cluster/connect';

export interface ConnectParams {
  context: string;
  /** Empty: all namespaces. Absent: the setting `kni.cluster.namespaces`, else all. */
  namespaces?: string[];
  /** Where this client's user names the namespaces to read, for the warning of a role that may not list them (default: this request and the setting). */
  namespacesHint?: string;
}

/** `kni/cluster/disconnect`: back to the files alone. */
export const DISCONNECT_REQUEST = 'kni/cluster/disconnect';

/** `kni/cluster/status`: sent on every change of the connection's state, and the answer to connect/disconnect. */
export const CLUSTER_STATUS_NOTIFICATION = 'kni/cluster/status';

export interface ClusterStatusParams {
  /** Grows with every status the server says (answers and notifications): a client keeps the highest. */
  version: number;
  /** 'disconnected': no cluster (or refused: see `message`). */
  state: 'disconnected' | 'connecting' | 'synced' | 'degraded' | 'error';
  context?: string;
  namespaces: string[];
  message: string;
  /** Synced, but some resources could not be read (`unread`). */
  partial: boolean;
  unread: { resource: string; namespace?: string; reason: string; consequence: string }[];
  /** Problem counts of the cluster's findings, once synced. */
  counts?: { error: number; warning: number; info: number };
  /** A retry is scheduled in this many ms. */
  retryInMs?: number;
}

/** `kni/cluster/warning`: a problem of the connection, once per cause (a missing permission, rejected credentials). */
export const CLUSTER_WARNING_NOTIFICATION = 'kni/cluster/warning';

export interface ClusterWarningParams {
  context: string;
  /** Stable key: `auth:…` rejected credentials (a reconnect after logging in helps), `tls`, `forbidden:…`. */
  cause: string;
  message: string;
}

/** `kni/cluster/reconnect`: retry now (the user logged in again). */
export const RECONNECT_REQUEST = 'kni/cluster/reconnect';

/**
 * `kni/cluster/didComputeView`: the cluster's model, index and findings were
 * computed again after a sync or a burst of watch events, and when each step
 * happened (for benchmarks). Times are Unix epoch milliseconds with
 * sub-millisecond digits (`performance.timeOrigin + performance.now()`), so a
 * client on the same machine can set them against its own clock.
 */
export const CLUSTER_VIEW_NOTIFICATION = 'kni/cluster/didComputeView';

/** When a view of the cluster was computed, and the steps before it (in the server's process: `performance.now()`; on the wire: epoch milliseconds). */
export interface ClusterViewTiming {
  /** A (re)list, not watch events. */
  resync: boolean;
  /** The first watch event behind this view arrived from the API server. */
  receivedAt?: number;
  /** The cluster source reported the change (after its throttle window). */
  changedAt: number;
  /** The model, its index and its findings were ready. */
  viewAt: number;
  pods: number;
  findings: number;
}

export interface ClusterViewParams extends ClusterViewTiming {
  context: string;
}

/** The diagnostic code of drift between an open manifest and the connected cluster. */
export const DRIFT_CODE = 'cluster-drift';

// ---------------------------------------------------------------- the Network view

/**
 * `kni/networkTree`: the children of one item of a scope's network tree
 * (namespaces → Services, Ingresses, Gateways, routes, NetworkPolicies; the
 * cluster-wide admin policies), asked per item as a tree view expands it.
 */
export const NETWORK_TREE_REQUEST = 'kni/networkTree';

export interface NetworkTreeParams {
  scope: GraphScope;
  /** An item's `id`; absent: the top level. */
  parent?: string;
}

export type NetworkTreeItemKind =
  | 'namespace'
  | 'clusterPolicies'
  | 'group'
  | 'service'
  | 'servicePort'
  | 'workload'
  | 'ingress'
  | 'ingressPath'
  | 'gateway'
  | 'route'
  | 'routeRule'
  | 'networkPolicy'
  | 'policyRule'
  | 'adminPolicy';

/** What a group item holds. */
export type NetworkTreeGroup = 'services' | 'ingresses' | 'gateways' | 'routes' | 'networkPolicies';

/** A position as LSP writes it (0-based line, UTF-16 character). */
export interface TreePosition {
  line: number;
  character: number;
}

export interface NetworkTreeItem {
  /**
   * What the row is: an object's kind, namespace and name, a grouping row's path (never where the
   * object is written or what it counts): stable across edits, so a tree view keeps it expanded
   * and selected. Opaque to clients.
   */
  id: string;
  kind: NetworkTreeItemKind;
  group?: NetworkTreeGroup;
  label: string;
  /** The short line beside the label (type, ports, endpoints ready). */
  description?: string;
  /** Plain text, several lines. */
  tooltip?: string;
  hasChildren: boolean;
  /** The item's findings by severity (an object's own; a namespace or group: all of theirs). */
  findings?: { errors: number; warnings: number; infos: number };
  /** Where the object is written; absent for a cluster's objects. */
  location?: { uri: string; range: { start: TreePosition; end: TreePosition } };
  /** What "Trace request" traces (TRACE_REQUEST_COMMAND's argument). */
  trace?: TraceRequestArgument;
  /** The inspector's graph node that stands for it ("Show in inspector"). */
  inspectorNodeId?: string;
}

export interface NetworkTreeResult {
  scope: GraphScope;
  /** The version of the scope's model answered from (see NetworkTreeChangedParams). */
  version: number;
  items: NetworkTreeItem[];
  /** The parent is not in the model now (it changed): ask for the top level again. */
  unknownParent?: boolean;
  /** Why the top level is empty (no cluster connected, no Kubernetes object in the workspace). */
  empty?: string;
}

/**
 * `kni/networkTreeChanged`: a scope's model changed; ask again for what is shown. Once a client
 * has asked about a scope it hears of every later change (coalesced), whether or not it asked
 * again since.
 */
export const NETWORK_TREE_CHANGED_NOTIFICATION = 'kni/networkTreeChanged';

export interface NetworkTreeChangedParams {
  scope: GraphScope;
  /**
   * The scope's version now. It grows with each model the server answers from or announces (a
   * server's own count: it starts again when the server does); an answer of a lower version than
   * an announcement is stale.
   */
  version: number;
}
