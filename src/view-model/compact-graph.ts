// The inspector's graph in a compact form for the wire: the strings that
// repeat on thousands of nodes (kinds, namespaces, groups, policy names,
// finding messages, port labels) once in a table, the strings of each node
// that are its own (label, detail, object id) in order in another list
// (looking up 26,000 unique strings in a table cost more than it saved),
// nodes and edges as flat arrays of numbers, an edge's ends as node positions,
// and the ids the graph builder derives (a node's id from its object's, an
// edge's from its ends) left out. At 5,000 Pods the
// graph is 1.9 MB of JSON; moving it, not drawing it, was most of the first
// drawing's time. Decoding gives back the very graph that was encoded (a unit
// test checks it field for field), so the webview draws the same picture.
import type { CompactGraph, FindingBadge, TopologyEdge, TopologyGraph, TopologyNode, TopologyNodeKind } from '../protocol';

export const COMPACT_GRAPH_FORMAT = 1;

// A node: [mask, id prefix or -1, kind, then each optional field of the table present in bit order];
// its own strings in `texts`: the id when it is not derived, the label, then detail and objectId when present.
const DETAIL = 1 << 0;
const NAMESPACE = 1 << 1;
const OBJECT_ID = 1 << 2;
const FINDINGS = 1 << 3;
const POLICIES = 1 << 4;
const POLICY_FINDINGS = 1 << 5;
const COUNT = 1 << 6;
const GROUP = 1 << 7;
const ENTRY = 1 << 8;
/** The id is a prefix (a string) followed by the node's objectId: "pod:" + uid. */
const ID_FROM_OBJECT = 1 << 9;

// An edge: [flags, from, to, then label and id when present].
const LABEL = 1 << 0;
const BROKEN = 1 << 1;
const NOT_BROKEN = 1 << 2;
const EXPLICIT_ID = 1 << 3;
/** An end that is no node of the graph: a string, not a node position. */
const FROM_STRING = 1 << 4;
const TO_STRING = 1 << 5;

class Table<K> {
  readonly items: K[] = [];
  private readonly at = new Map<string | K, number>();
  add(item: K, key: string | K = item): number {
    let i = this.at.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      this.at.set(key, i);
    }
    return i;
  }
}

export function encodeGraph(graph: TopologyGraph): CompactGraph {
  const strings = new Table<string>();
  const badges = new Table<number[]>();
  const lists = new Table<number[]>();
  const s = (v: string) => strings.add(v);
  const badge = (b: FindingBadge) => {
    const row = [b.errors, b.warnings, b.infos, ...b.messages.map(s)];
    return badges.add(row, row.join(','));
  };
  const list = (names: string[]) => {
    const row = names.map(s);
    return lists.add(row, row.join(','));
  };
  const position = new Map<string, number>();
  graph.nodes.forEach((n, i) => position.set(n.id, i));
  const nodes: number[] = [];
  const texts: string[] = [];
  // The last prefix seen per kind ("pod:"): most ids are it followed by the object id, found without slicing a new string.
  const prefixes = new Map<string, { text: string; at: number }>();
  const idPrefix = (id: string, objectId: string, kind: string): number => {
    if (id.length <= objectId.length || !id.endsWith(objectId)) return -1;
    const known = prefixes.get(kind);
    if (known && id.length === known.text.length + objectId.length && id.startsWith(known.text)) return known.at;
    const text = id.slice(0, id.length - objectId.length);
    const at = s(text);
    prefixes.set(kind, { text, at });
    return at;
  };
  let mask = 0;
  const field = (bit: number, value: number) => {
    mask |= bit;
    nodes.push(value);
  };
  for (const n of graph.nodes) {
    const maskAt = nodes.length;
    const prefix = n.objectId !== undefined ? idPrefix(n.id, n.objectId, n.kind) : -1;
    const fromObject = prefix >= 0;
    mask = fromObject ? ID_FROM_OBJECT : 0;
    nodes.push(0, prefix, s(n.kind));
    if (!fromObject) texts.push(n.id);
    texts.push(n.label);
    if (n.detail !== undefined) {
      mask |= DETAIL;
      texts.push(n.detail);
    }
    if (n.namespace !== undefined) field(NAMESPACE, s(n.namespace));
    if (n.objectId !== undefined) {
      mask |= OBJECT_ID;
      texts.push(n.objectId);
    }
    if (n.findings !== undefined) field(FINDINGS, badge(n.findings));
    if (n.policies !== undefined) field(POLICIES, list(n.policies));
    if (n.policyFindings !== undefined) field(POLICY_FINDINGS, badge(n.policyFindings));
    if (n.count !== undefined) field(COUNT, n.count);
    if (n.group !== undefined) field(GROUP, s(n.group));
    if (n.entry !== undefined) field(ENTRY, s(n.entry));
    nodes[maskAt] = mask;
  }
  const edges: number[] = [];
  for (const e of graph.edges) {
    const from = position.get(e.from);
    const to = position.get(e.to);
    let flags = 0;
    if (e.label !== undefined) flags |= LABEL;
    if (e.broken === true) flags |= BROKEN;
    else if (e.broken === false) flags |= NOT_BROKEN;
    if (e.id !== `${e.from}->${e.to}`) flags |= EXPLICIT_ID;
    if (from === undefined) flags |= FROM_STRING;
    if (to === undefined) flags |= TO_STRING;
    edges.push(flags, from ?? s(e.from), to ?? s(e.to));
    if (e.label !== undefined) edges.push(s(e.label));
    if (flags & EXPLICIT_ID) edges.push(s(e.id));
  }
  return {
    format: COMPACT_GRAPH_FORMAT,
    strings: strings.items,
    texts,
    nodes,
    edges,
    badges: badges.items,
    lists: lists.items,
    sourceLabel: graph.sourceLabel,
    ...(graph.objects !== undefined ? { objects: graph.objects } : {}),
  };
}

/** The graph `encodeGraph` was given. Throws on a message that is not one (an index out of range, a truncated row). */
export function decodeGraph(c: CompactGraph): TopologyGraph {
  if (c.format !== COMPACT_GRAPH_FORMAT) throw new Error(`compact graph format ${String(c.format)}, expected ${COMPACT_GRAPH_FORMAT}`);
  const { strings, texts, nodes: nv, edges: ev } = c;
  let t = 0;
  const text = (): string => {
    const v = texts[t++];
    if (typeof v !== 'string') throw new Error('compact graph: the node texts are cut short');
    return v;
  };
  const str = (i: number): string => {
    const v = strings[i];
    if (typeof v !== 'string') throw new Error(`compact graph: no string ${i}`);
    return v;
  };
  const badge = (i: number): FindingBadge => {
    const row = c.badges[i];
    if (!row || row.length < 3) throw new Error(`compact graph: no badge ${i}`);
    return { errors: row[0], warnings: row[1], infos: row[2], messages: row.slice(3).map(str) };
  };
  const list = (i: number): string[] => {
    const row = c.lists[i];
    if (!row) throw new Error(`compact graph: no list ${i}`);
    return row.map(str);
  };
  const nodes: TopologyNode[] = [];
  let k = 0;
  const next = (): number => {
    if (k >= nv.length) throw new Error('compact graph: a node row is cut short');
    return nv[k++];
  };
  while (k < nv.length) {
    const mask = next();
    const prefix = next();
    const kind = str(next()) as TopologyNodeKind;
    const idPart = mask & ID_FROM_OBJECT ? str(prefix) : text();
    const node: TopologyNode = { id: idPart, kind, label: text() };
    if (mask & DETAIL) node.detail = text();
    if (mask & NAMESPACE) node.namespace = str(next());
    if (mask & OBJECT_ID) node.objectId = text();
    if (mask & FINDINGS) node.findings = badge(next());
    if (mask & POLICIES) node.policies = list(next());
    if (mask & POLICY_FINDINGS) node.policyFindings = badge(next());
    if (mask & COUNT) node.count = next();
    if (mask & GROUP) node.group = str(next());
    if (mask & ENTRY) node.entry = str(next()) as TopologyNode['entry'];
    if (mask & ID_FROM_OBJECT) {
      if (node.objectId === undefined) throw new Error('compact graph: an id made from an object id without one');
      node.id = idPart + node.objectId;
    }
    nodes.push(node);
  }
  if (t !== texts.length) throw new Error('compact graph: texts left over after the last node');
  const nodeId = (i: number): string => {
    const n = nodes[i];
    if (!n) throw new Error(`compact graph: no node ${i}`);
    return n.id;
  };
  const edges: TopologyEdge[] = [];
  let j = 0;
  const take = (): number => {
    if (j >= ev.length) throw new Error('compact graph: an edge row is cut short');
    return ev[j++];
  };
  while (j < ev.length) {
    const flags = take();
    const from = flags & FROM_STRING ? str(take()) : nodeId(take());
    const to = flags & TO_STRING ? str(take()) : nodeId(take());
    const edge: TopologyEdge = { id: '', from, to };
    if (flags & LABEL) edge.label = str(take());
    if (flags & BROKEN) edge.broken = true;
    else if (flags & NOT_BROKEN) edge.broken = false;
    edge.id = flags & EXPLICIT_ID ? str(take()) : `${from}->${to}`;
    edges.push(edge);
  }
  return { nodes, edges, sourceLabel: c.sourceLabel, ...(c.objects !== undefined ? { objects: c.objects } : {}) };
}
