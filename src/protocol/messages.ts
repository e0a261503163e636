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
  | 'missing';

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
  /** Replica count of a grouped workload. */
  count?: number;
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

export interface TopologyGraph {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Where the graph came from, for the header ("3 files", "cluster kind-dev"). */
  sourceLabel: string;
}

// ---------------------------------------------------------------- host → webview

export interface ModelMessage {
  type: 'model';
  graph: TopologyGraph;
}

export type HostToWebview = ModelMessage;

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

/** Show an object's YAML in the editor. */
export interface RevealMessage {
  type: 'reveal';
  objectId: string;
}

export type WebviewToHost = ReadyMessage | RenderedMessage | RevealMessage;

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
    case 'reveal':
      return typeof value.objectId === 'string' && value.objectId.length > 0 && value.objectId.length < 4096;
    default:
      return false;
  }
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'model':
      return isRecord(value.graph) && Array.isArray(value.graph.nodes) && Array.isArray(value.graph.edges);
    default:
      return false;
  }
}
