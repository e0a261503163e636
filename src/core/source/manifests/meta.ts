// The parts every object shares: metadata, and label selectors.
import type { YAMLMapping, YAMLNode } from '@stoplight/yaml-ast-parser';
import type { LabelSelector, Loc, ObjectMeta, SelectorOperator, SelectorRequirement } from '../../model/types';
import { keyOf, type DocContext, type Node } from './ast';

/** What the document reader knows about the object before reading its kind-specific parts. */
export interface Head {
  kind: string;
  apiVersion: string;
  /** The object's top-level fields. */
  metadata?: YAMLNode;
  spec?: YAMLNode;
  status?: YAMLNode;
  items?: YAMLNode;
  /** The object's node (the document, or a List item). */
  node: YAMLNode;
  id: string;
  doc: number;
  defaultNamespace: string;
  clusterScoped: boolean;
  /** Set by readMeta: where some annotation values are written (LOCATED_ANNOTATIONS). */
  annotationLocs?: Record<string, Loc>;
}

/** Annotations whose value locations are kept (findings point at them). */
const LOCATED_ANNOTATIONS = new Set(['kubernetes.io/ingress.class', 'ingressclass.kubernetes.io/is-default-class']);

export function readMeta(ctx: DocContext, head: Head): ObjectMeta {
  let name = '';
  let namespace: string | undefined;
  let nameLoc: Loc | undefined;
  let labels: Record<string, string> = {};
  let annotations: Record<string, string> = {};
  let annotationLocs: Record<string, Loc> | undefined;
  const entries = ctx.entries(head.metadata);
  if (entries) {
    for (const m of entries) {
      switch (keyOf(m)) {
        case 'name': {
          const v = ctx.str(m.value);
          if (v !== undefined) {
            name = v;
            nameLoc = ctx.loc(m.value as YAMLNode);
          }
          break;
        }
        case 'namespace':
          namespace = ctx.str(m.value);
          break;
        case 'labels':
          labels = ctx.stringMap(m.value, false, 'label').map;
          break;
        case 'annotations': {
          const read = readAnnotations(ctx, m);
          annotations = read.map;
          annotationLocs = read.locs;
          break;
        }
      }
    }
  }
  const meta: ObjectMeta = {
    id: head.id,
    kind: head.kind,
    apiVersion: head.apiVersion,
    name,
    namespace: head.clusterScoped ? '' : (namespace ?? head.defaultNamespace),
    labels,
    annotations,
    namespaceDefaulted: !head.clusterScoped && namespace === undefined,
    origin: { source: 'manifest', file: ctx.file, doc: head.doc, loc: ctx.loc(head.node), nameLoc },
  };
  head.annotationLocs = annotationLocs;
  return meta;
}

function readAnnotations(ctx: DocContext, m: YAMLMapping): { map: Record<string, string>; locs?: Record<string, Loc> } {
  const { map } = ctx.stringMap(m.value, false, 'annotation');
  let locs: Record<string, Loc> | undefined;
  for (const key of LOCATED_ANNOTATIONS) {
    if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
    for (const e of ctx.entries(m.value) ?? []) {
      if (keyOf(e) === key && e.value) (locs ??= {})[key] = ctx.loc(e.value);
    }
  }
  return { map, locs };
}

/** The pod-template labels of a workload, with where they are written. */
export function readLabels(ctx: DocContext, metadata: Node): { labels: Record<string, string>; loc?: Loc } {
  const entries = ctx.entries(metadata);
  if (!entries) return { labels: {} };
  for (const m of entries) {
    if (keyOf(m) === 'labels') {
      const value = ctx.deref(m.value);
      return { labels: ctx.stringMap(m.value, false, 'label').map, loc: value ? ctx.loc(m.value as YAMLNode) : undefined };
    }
  }
  return { labels: {} };
}

/** A map selector (Service, ReplicationController, DeploymentConfig): matchLabels only. */
export function readMapSelector(ctx: DocContext, node: Node): LabelSelector | undefined {
  if (!ctx.mapField(node, 'selector')) return undefined;
  const { map, locs } = ctx.stringMap(node, true, 'selector label');
  return { matchLabels: map, matchExpressions: [], loc: ctx.loc(node as YAMLNode), valueLocs: locs };
}

/** A LabelSelector (matchLabels + matchExpressions); undefined when absent or not a mapping. */
export function readLabelSelector(ctx: DocContext, node: Node): LabelSelector | undefined {
  const entries = ctx.mapField(node, 'selector');
  if (!entries) return undefined;
  let matchLabels: Record<string, string> = {};
  let valueLocs: Record<string, Loc> | undefined;
  const matchExpressions: SelectorRequirement[] = [];
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'matchLabels': {
        const read = ctx.stringMap(m.value, true, 'selector label');
        matchLabels = read.map;
        valueLocs = read.locs;
        break;
      }
      case 'matchExpressions': {
        const items = ctx.items(m.value);
        if (!items) break;
        for (const item of items) {
          const req = readRequirement(ctx, item);
          if (req) matchExpressions.push(req);
        }
        break;
      }
    }
  }
  const selector: LabelSelector = { matchLabels, matchExpressions, loc: ctx.loc(node as YAMLNode) };
  if (valueLocs) selector.valueLocs = valueLocs;
  return selector;
}

function readRequirement(ctx: DocContext, node: Node): SelectorRequirement | undefined {
  const entries = ctx.entries(node);
  if (!entries) return undefined;
  let key: string | undefined;
  let operator: string | undefined;
  let operatorNode: Node;
  let values: string[] = [];
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'key':
        key = ctx.str(m.value);
        break;
      case 'operator':
        operator = ctx.str(m.value);
        operatorNode = m.value;
        break;
      case 'values':
        values = ctx.strings(m.value);
        break;
    }
  }
  if (operator !== undefined && !isOperator(operator)) {
    ctx.invalid.push({
      loc: ctx.loc(operatorNode as YAMLNode),
      message: `selector operator "${operator}" is not one Kubernetes accepts (In, NotIn, Exists, DoesNotExist), so the API server rejects this object; this requirement is left out of the model. Use one of those four.`,
    });
  }
  if (key === undefined || !isOperator(operator)) return undefined;
  return { key, operator, values };
}

function isOperator(op: string | undefined): op is SelectorOperator {
  return op === 'In' || op === 'NotIn' || op === 'Exists' || op === 'DoesNotExist';
}

/** The string value of one annotation, or undefined. */
export function annotation(meta: ObjectMeta, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(meta.annotations, key) ? meta.annotations[key] : undefined;
}
