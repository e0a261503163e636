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
}

/** Client → server: the user trusted the workspace after initialize (VS Code's onDidGrantWorkspaceTrust). Trust is never taken back within a session: VS Code reloads the window for that. */
export const DID_GRANT_TRUST = 'kni/didGrantWorkspaceTrust';

/** Client → server: the user's tool paths changed (the same fields as at initialize; a field left out goes back to PATH). */
export const DID_CHANGE_TOOL_PATHS = 'kni/didChangeToolPaths';
export type ToolPathsParams = Pick<KniInitializationOptions, 'helmPath' | 'kustomizePath'>;

/** The command of a "Trace request" code lens, for the client to run (the VS Code extension registers it). */
export const TRACE_REQUEST_COMMAND = 'kni.traceRequest';

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
  return (o.trusted === undefined || typeof o.trusted === 'boolean') && (o.helmPath === undefined || typeof o.helmPath === 'string') && (o.kustomizePath === undefined || typeof o.kustomizePath === 'string');
}


// ---------------------------------------------------------------- the inspector's graph

/** Which model a graph is drawn from: the workspace's files, or the connected cluster. */
export type GraphScope = 'files' | 'cluster';

export const GRAPH_SCOPES: readonly GraphScope[] = ['files', 'cluster'];

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
  /** Empty or absent: all namespaces. */
  namespaces?: string[];
}

/** `kni/cluster/disconnect`: back to the files alone. */
export const DISCONNECT_REQUEST = 'kni/cluster/disconnect';

/** `kni/cluster/status`: sent on every change of the connection's state, and the answer to connect/disconnect. */
export const CLUSTER_STATUS_NOTIFICATION = 'kni/cluster/status';

export interface ClusterStatusParams {
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
  /** Stable while the object stays (a tree view keeps it expanded and selected across refreshes). */
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
  items: NetworkTreeItem[];
  /** The parent is not in the model now (it changed): ask for the top level again. */
  unknownParent?: boolean;
  /** Why the top level is empty (no cluster connected, no Kubernetes object in the workspace). */
  empty?: string;
}

/** `kni/networkTreeChanged`: a scope's model changed since the tree was last asked for; ask again for what is shown. */
export const NETWORK_TREE_CHANGED_NOTIFICATION = 'kni/networkTreeChanged';

export interface NetworkTreeChangedParams {
  scope: GraphScope;
}
