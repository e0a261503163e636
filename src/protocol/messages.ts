// The typed messages between the extension host and the inspector webview.
// Both sides import this module; every message crossing the boundary is
// checked with the guards below before anything acts on it.

export const PROTOCOL_VERSION = 1;

/** Severity counts and the messages of an object's findings, for its badge and tooltip. */
export interface FindingBadge {
  errors: number;
  warnings: number;
  infos: number;
  messages: string[];
}

export type TopologyNodeKind =
  | 'entry'
  | 'ingress'
  | 'service'
  | 'endpoints'
  | 'workload'
  | 'pod'
  | 'node'
  | 'missing'
  /** A destination outside the cluster: any address, or an address range an egress ipBlock names. */
  | 'external';

export interface TopologyNode {
  id: string;
  kind: TopologyNodeKind;
  /** The text drawn on the node; from manifests, so always rendered as text. */
  label: string;
  /** A second line (type, ClusterIP, ports, replica count). */
  detail?: string;
  namespace?: string;
  /** The model object this node stands for (for reveal and trace requests). */
  objectId?: string;
  findings?: FindingBadge;
  /** Names of NetworkPolicies that select this node's Pods. */
  policies?: string[];
  /** Findings of those NetworkPolicies (the policy badge shows them; they are not this node's own). */
  policyFindings?: FindingBadge;
  /** Replica count of a grouped workload. */
  count?: number;
  /**
   * The id of the group node (a workload) this node folds into when the view
   * is simplified: a cluster's Pods fold into their workload. A node with
   * findings is never folded away.
   */
  group?: string;
  /** The entry kind of an 'entry' node, for its icon. */
  entry?: 'internet' | 'loadbalancer' | 'nodeport' | 'ingress-controller';
  /** An 'external' node's address range ("10.0.0.0/8"); absent for any address outside the cluster. */
  cidr?: string;
}

export interface TopologyEdge {
  id: string;
  from: string;
  to: string;
  /** Port mapping, e.g. "80 → 8080 http". */
  label?: string;
  /** A link that does not resolve (a selector matching nothing, a missing backend). */
  broken?: boolean;
}

// ---------------------------------------------------------------- traces

export type TraceVerdictView = 'reachable' | 'blocked' | 'broken' | 'partial' | 'unknown';

/** One hop of a trace, as the side panel lists it. */
export interface TraceHopView {
  /** dns, vip, iptables, nat, nodeport, loadbalancer, ingress, endpoint, node, policy, ... */
  kind: string;
  /** What happens at this hop; from manifests, so rendered as text. */
  detail: string;
  /** iptables rules (or other rule text) applied at the hop. */
  rules?: string[];
  /** The graph nodes this hop lights up. */
  nodeIds: string[];
  /** A policy hop: whether it lets the request through. */
  verdict?: 'allow' | 'deny';
}

/** A request's path over the drawn graph: what lights up, and the hops for the side panel. */
export interface TraceView {
  /** The node the trace starts from (hovered, pinned, or asked for by the editor). */
  nodeId: string;
  title: string;
  verdict: TraceVerdictView;
  reason: string;
  hops: TraceHopView[];
  /** Nodes and edges on the request's paths. */
  nodeIds: string[];
  edgeIds: string[];
  /** Edges a NetworkPolicy denies on this path (drawn as denied when pinned). */
  deniedEdgeIds: string[];
  /** Whether the hops come from the trace engine (false: from the topology alone). */
  fromEngine: boolean;
  /** Who sends the request, in the panel's words ("the Ingress controller, for https://shop.example.com/"). */
  from?: string;
  /** The same destination from another client, offered when its verdict differs (a Pod of the namespace beside the Ingress path). */
  alternative?: TraceView;
  /** A trace between two drawn objects (egress to an 'external' node, Pod to Pod): the destination's node; `nodeId` is the source's. */
  toNodeId?: string;
}

export interface TopologyGraph {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Where the graph came from, for the header ("3 files", "cluster kind-dev"). */
  sourceLabel: string;
  /** How many Kubernetes objects the model holds (core/model/object-count: the count `kni lint` and the status bar give). */
  objects?: number;
}

// ---------------------------------------------------------------- host → webview

/** Which model is drawn while a live cluster is connected: the files' or the cluster's. */
export type ModelViewKind = 'files' | 'cluster';

/** Present while a cluster is connected: the toolbar then offers "as in the files" / "as in the cluster". */
export interface ModelViewChoice {
  current: ModelViewKind;
  /** The cluster's context name, for the control's label. */
  cluster: string;
}

export interface ModelMessage {
  type: 'model';
  graph: TopologyGraph;
  view?: ModelViewChoice;
  /** Counts the graphs the host posted to this panel; a `patch` names the version it applies to. */
  version?: number;
}

/** An added or changed node or edge, and its index in the new graph's list. */
export interface GraphUpsert<T> {
  at: number;
  item: T;
}

/** What changed between two graphs (src/view-model/graph-diff.ts makes and applies it). */
export interface GraphPatch {
  nodes: GraphUpsert<TopologyNode>[];
  removedNodes: string[];
  edges: GraphUpsert<TopologyEdge>[];
  removedEdges: string[];
  /** Present when the header's source text changed. */
  sourceLabel?: string;
  /** Present when the model's object count changed. */
  objects?: number;
}

/**
 * The graph of version `version` as changes to the one of `baseVersion`: what
 * the host posts for a live cluster's watch event instead of the whole graph.
 * A webview that does not hold `baseVersion` (a patch lost or out of order)
 * drops it and asks for the whole graph (`resync`).
 */
export interface PatchMessage {
  type: 'patch';
  baseVersion: number;
  version: number;
  patch: GraphPatch;
  view?: ModelViewChoice;
}

/** The answer to a `traceRequest`, or a trace the editor asked to pin ("Trace request"). */
export interface TraceMessage {
  type: 'trace';
  /** The request it answers; absent when the host pins a trace on its own. */
  requestId?: number;
  trace: TraceView;
  pin: boolean;
}

export type HostToWebview = ModelMessage | PatchMessage | TraceMessage;

// ---------------------------------------------------------------- webview → host

export interface ReadyMessage {
  type: 'ready';
  protocolVersion: number;
}

/** The webview drew a graph: what it drew, so tests and the host can check it. */
export interface RenderedMessage {
  type: 'rendered';
  nodes: number;
  edges: number;
}

/** The webview could not apply a patch (it holds another version): send the whole graph. */
export interface ResyncMessage {
  type: 'resync';
  /** The version the webview holds, if any. */
  version?: number;
}

/** Show an object's YAML in the editor. */
export interface RevealMessage {
  type: 'reveal';
  objectId: string;
}

/** Ask for the trace of the requests that go through a node (on hover, pin or Enter), or from it to another (`to`). */
export interface TraceRequestMessage {
  type: 'traceRequest';
  requestId: number;
  nodeId: string;
  /** The destination's node: an 'external' node (egress) or a workload or Pod (Pod to Pod). */
  to?: string;
  pin: boolean;
}

/** Save the drawing: an SVG document or a PNG data URL, for the host to write where the user says. */
export interface ExportMessage {
  type: 'export';
  format: 'svg' | 'png';
  data: string;
}

/** The largest export the host accepts (characters). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

/** Switch between the files' model and the cluster's (the toolbar's control). */
export interface SelectViewMessage {
  type: 'selectView';
  view: ModelViewKind;
}

export type WebviewToHost = ReadyMessage | RenderedMessage | ResyncMessage | RevealMessage | TraceRequestMessage | ExportMessage | SelectViewMessage;

// ---------------------------------------------------------------- guards

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Validates a message from the webview; anything else is dropped by the host. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return typeof value.protocolVersion === 'number';
    case 'rendered':
      return isCount(value.nodes) && isCount(value.edges);
    case 'resync':
      return value.version === undefined || isCount(value.version);
    case 'reveal':
      return isId(value.objectId);
    case 'traceRequest':
      return isCount(value.requestId) && isId(value.nodeId) && (value.to === undefined || isId(value.to)) && typeof value.pin === 'boolean';
    case 'selectView':
      return isViewKind(value.view);
    case 'export':
      return (
        typeof value.data === 'string' &&
        value.data.length <= MAX_EXPORT_CHARS &&
        ((value.format === 'svg' && /^<svg[\s>]/.test(value.data)) ||
          (value.format === 'png' && value.data.startsWith(PNG_DATA_URL_PREFIX) && /^[A-Za-z0-9+/]*={0,2}$/.test(value.data.slice(PNG_DATA_URL_PREFIX.length))))
      );
    default:
      return false;
  }
}

const isViewKind = (v: unknown): v is ModelViewKind => v === 'files' || v === 'cluster';

function isViewChoice(v: unknown): v is ModelViewChoice {
  return isRecord(v) && isViewKind(v.current) && typeof v.cluster === 'string' && v.cluster.length < 4096;
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4096;
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const VERDICTS: readonly string[] = ['reachable', 'blocked', 'broken', 'partial', 'unknown'];

function isTraceHop(v: unknown): v is TraceHopView {
  return (
    isRecord(v) &&
    isString(v.kind) &&
    isString(v.detail) &&
    isStringArray(v.nodeIds) &&
    (v.rules === undefined || isStringArray(v.rules)) &&
    (v.verdict === undefined || v.verdict === 'allow' || v.verdict === 'deny')
  );
}

export function isTraceView(v: unknown): v is TraceView {
  return (
    isRecord(v) &&
    isId(v.nodeId) &&
    isString(v.title) &&
    isString(v.verdict) &&
    VERDICTS.includes(v.verdict) &&
    isString(v.reason) &&
    Array.isArray(v.hops) &&
    v.hops.every(isTraceHop) &&
    isStringArray(v.nodeIds) &&
    isStringArray(v.edgeIds) &&
    isStringArray(v.deniedEdgeIds) &&
    typeof v.fromEngine === 'boolean' &&
    (v.from === undefined || isString(v.from)) &&
    (v.toNodeId === undefined || isId(v.toNodeId)) &&
    (v.alternative === undefined || (isTraceView(v.alternative) && v.alternative.alternative === undefined))
  );
}

function isTopologyNode(v: unknown): boolean {
  return isRecord(v) && isId(v.id) && isString(v.kind) && isString(v.label);
}

function isTopologyEdge(v: unknown): boolean {
  return isRecord(v) && isId(v.id) && isId(v.from) && isId(v.to);
}

function isUpsert(v: unknown, isItem: (item: unknown) => boolean): boolean {
  return isRecord(v) && isCount(v.at) && isItem(v.item);
}

function isGraphPatch(v: unknown): v is GraphPatch {
  return (
    isRecord(v) &&
    Array.isArray(v.nodes) &&
    v.nodes.every((u) => isUpsert(u, isTopologyNode)) &&
    Array.isArray(v.edges) &&
    v.edges.every((u) => isUpsert(u, isTopologyEdge)) &&
    Array.isArray(v.removedNodes) &&
    v.removedNodes.every(isId) &&
    Array.isArray(v.removedEdges) &&
    v.removedEdges.every(isId) &&
    (v.sourceLabel === undefined || isString(v.sourceLabel)) &&
    (v.objects === undefined || isCount(v.objects))
  );
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'model':
      return (
        isRecord(value.graph) &&
        Array.isArray(value.graph.nodes) &&
        value.graph.nodes.every(isTopologyNode) &&
        Array.isArray(value.graph.edges) &&
        value.graph.edges.every(isTopologyEdge) &&
        isString(value.graph.sourceLabel) &&
        (value.graph.objects === undefined || isCount(value.graph.objects)) &&
        (value.view === undefined || isViewChoice(value.view)) &&
        (value.version === undefined || isCount(value.version))
      );
    case 'patch':
      return isCount(value.baseVersion) && isCount(value.version) && isGraphPatch(value.patch) && (value.view === undefined || isViewChoice(value.view));
    case 'trace':
      return (value.requestId === undefined || isCount(value.requestId)) && isTraceView(value.trace) && typeof value.pin === 'boolean';
    default:
      return false;
  }
}
