// Who wrote a rendered field: a patch (strategic-merge or JSON6902, in a file
// or inline), a kustomization's own transformer (labels, annotations,
// namespace, images, replicas), or the base resource. Each writer answers for
// one object: where it sets a field, and whether what it sets is the rendered
// value (what Kustomize applied last is only trusted when the value agrees).
import { isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';
import type { Loc } from '../../../model/types';
import type { ParsedText } from './sources';
import { child, keysOf, nodeAt, parsePointer, pointerCovers, scalarText, type FieldPath } from './yaml-paths';

/** How a writer's span relates to the field asked about. */
export type Relation = 'self' | 'ancestor' | 'descendant';

export interface Found {
  loc: Loc;
  relation: Relation;
  /** The writer sets the rendered value (a scalar that agrees, or the collection itself). */
  agrees: boolean;
  /** A plain scalar of the same value: an edit of the rendered span may replace it. */
  editable: boolean;
  writer: Writer;
  /** For a descendant: the fields it sets are reached through mappings only (a selector's labels, not one port of a list). */
  viaMapsOnly?: boolean;
  /** Where the value came from, when that is elsewhere (a replacement's source field). */
  related?: { loc: Loc; message: string }[];
}

export interface Writer {
  /** In words, for messages: "patch overlays/prod/svc-patch.yaml". */
  what: string;
  /** A patch or a replacement: a change the user wrote for this object (a collection it changes inside points at it). */
  isPatch: boolean;
  find(path: FieldPath, rendered: Node | undefined, onKey: boolean): Found | undefined;
  /**
   * A JSON6902 patch's op at this path with list positions taken loosely: an
   * op's index counts at the time it runs, and a later insertion into the same
   * list shifts the item it set. Only a scalar of the rendered value counts.
   */
  findShifted?(path: FieldPath, rendered: Node | undefined): Found | undefined;
}

export function locOfNode(source: ParsedText, node: Node): Loc {
  const r = node.range ?? [0, 0, 0];
  return { file: source.file, start: source.toFile(r[0]), end: source.exact ? source.toFile(r[1]) : source.toFile(r[0]) };
}

/** Whether a source node holds the rendered value; and whether replacing its text is the same edit. */
export function compare(source: ParsedText, node: Node, rendered: Node | undefined): { agrees: boolean; editable: boolean } {
  if (!isScalar(node) || !isScalar(rendered)) {
    const same = isScalar(node) === isScalar(rendered) && isMap(node) === isMap(rendered) && isSeq(node) === isSeq(rendered);
    return { agrees: same, editable: false };
  }
  const agrees = String(node.value) === String(rendered.value);
  const plain = node.type === Scalar.PLAIN || node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  return { agrees, editable: agrees && plain && source.exact && !node.anchor };
}

/** Identity fields name the object a strategic-merge patch applies to; they are not written by it. */
const IDENTITY = [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'namespace']];

/** A strategic-merge patch document: it sets every field it holds. */
export function strategicMergeWriter(source: ParsedText, root: Node, what: string): Writer {
  const writer: Writer = {
    what,
    isPatch: true,
    find(path, rendered, onKey) {
      const keys = keysOf(path);
      if (IDENTITY.some((id) => id.length === keys.length && id.every((k, i) => k === keys[i]))) return undefined;
      if (path.length === 0) return undefined;
      const at = nodeAt(root, path);
      if (!at) return undefined;
      const target = onKey && at.pair ? (at.pair.key as Node) : at.node;
      if (isScalar(at.node)) return { loc: locOfNode(source, target), relation: 'self', ...compare(source, at.node, rendered), writer };
      // A collection the patch merges into: it sets some fields inside.
      return { loc: locOfNode(source, target), relation: 'descendant', agrees: true, editable: false, writer, viaMapsOnly: setsThroughMaps(at.node) };
    },
  };
  return writer;
}

/** A JSON6902 patch: each add/replace/copy/move op sets its path (the last op that does wins). */
export function jsonPatchWriter(source: ParsedText, ops: Node, what: string, renderedRoot: Node | null): Writer {
  const writer: Writer = {
    what,
    isPatch: true,
    find(path, rendered) {
      if (!isSeq(ops)) return undefined;
      let best: Found | undefined;
      for (const op of ops.items as Node[]) {
        const kind = scalarText(child(op, 'op'));
        if (!kind || !['add', 'replace', 'copy', 'move'].includes(kind)) continue;
        const pointer = parsePointer(scalarText(child(op, 'path')) ?? '');
        if (!pointer) continue;
        const value = child(op, 'value');
        const lastIndexAt = (depth: number) => {
          const at = nodeAt(renderedRoot, path.slice(0, depth));
          return at && isSeq(at.node) ? at.node.items.length - 1 : -1;
        };
        if (pointerCovers(pointer, path, lastIndexAt)) {
          const rest = path.slice(pointer.length);
          const inValue = value && rest.length > 0 ? nodeAt(value, rest) : undefined;
          const node = inValue?.node ?? (rest.length === 0 ? value : undefined) ?? (op as Node);
          const agrees = node === op ? { agrees: true, editable: false } : compare(source, node, rendered);
          best = { loc: locOfNode(source, node), relation: rest.length === 0 ? 'self' : 'ancestor', ...agrees, writer };
        } else if (pointer.length > path.length && pointerCovers(path.map((s) => ('key' in s ? s : { index: s.index })), pointer, () => -1)) {
          const viaMapsOnly = pointer.slice(path.length).every((seg) => 'key' in seg);
          best = { loc: locOfNode(source, value ?? (op as Node)), relation: 'descendant', agrees: true, editable: false, writer, viaMapsOnly };
        }
      }
      return best;
    },
    findShifted(path, rendered) {
      if (!isSeq(ops) || !isScalar(rendered)) return undefined;
      let best: Found | undefined;
      for (const op of ops.items as Node[]) {
        if (!['add', 'replace'].includes(scalarText(child(op, 'op')) ?? '')) continue;
        const pointer = parsePointer(scalarText(child(op, 'path')) ?? '');
        if (!pointer || !pointerCovers(pointer, path, () => -1, true)) continue;
        const value = child(op, 'value');
        // An op that sets a whole list item sets the item it names (a container's name), wherever it sits now.
        const item = path[pointer.length - 1];
        const id = item && !('key' in item) ? item.id : undefined;
        const named = id && isMap(value) ? scalarText(child(value, id[0])) : undefined;
        if (id && named !== undefined && named !== id[1]) continue;
        const rest = path.slice(pointer.length).map((s) => ('key' in s ? s : { index: s.index }));
        const node = rest.length === 0 ? value : value ? nodeAt(value, rest)?.node : undefined;
        if (!node) continue;
        const c = compare(source, node, rendered);
        if (c.agrees) best = { loc: locOfNode(source, node), relation: rest.length === 0 ? 'self' : 'ancestor', ...c, writer };
      }
      return best;
    },
  };
  return writer;
}

/** Whether a patch's collection holds a scalar reached through mappings alone. */
function setsThroughMaps(node: Node): boolean {
  if (!isMap(node)) return false;
  return node.items.some((p) => isScalar(p.value) || setsThroughMaps(p.value as Node));
}

/** Where a label (or annotation) transformer writes key K: the object's own map, and selectors/templates when it says so. */
export interface LabelScope {
  selectors: boolean;
  templates: boolean;
}

/** A map of labels or annotations a kustomization adds (commonLabels, labels[].pairs, commonAnnotations). */
export function pairsWriter(source: ParsedText, pairs: Node, what: string, field: 'labels' | 'annotations', scope: LabelScope, kind: string): Writer {
  const writer: Writer = {
    what,
    isPatch: false,
    find(path, rendered, onKey) {
      if (!isMap(pairs)) return undefined;
      const keys = keysOf(path);
      const last = keys[keys.length - 1];
      const parentPath = keys.slice(0, -1);
      const holdsKeys = (p: (string | number)[]) => {
        const at = p[p.length - 1];
        if (p.length === 2 && p[0] === 'metadata' && at === field) return true;
        if (field === 'annotations') return scope.templates && at === 'annotations' && p[p.length - 2] === 'metadata';
        if (at === 'labels' && p[p.length - 2] === 'metadata') return scope.templates || scope.selectors;
        if (at === 'matchLabels') return scope.selectors;
        return kind === 'Service' && p.length === 2 && p[0] === 'spec' && at === 'selector' && scope.selectors;
      };
      if (typeof last === 'string' && holdsKeys(parentPath)) {
        for (const p of pairs.items) {
          if (scalarText(p.key) !== last) continue;
          const node = (onKey ? p.key : p.value) as Node;
          // One line feeds this label on every object, selectors and pod templates alike: an edit made
          // for one field (a selector) changes the others too, so it is no quick fix.
          return { loc: locOfNode(source, node), relation: 'self', agrees: compare(source, p.value as Node, rendered).agrees, editable: false, writer };
        }
        return undefined;
      }
      if (holdsKeys(keys) && isMap(rendered)) {
        for (const p of pairs.items) {
          const key = scalarText(p.key);
          const there = key === undefined ? undefined : child(rendered, key);
          if (there && compare(source, p.value as Node, there).agrees) return { loc: locOfNode(source, p.key as Node), relation: 'descendant', agrees: true, editable: false, writer };
        }
      }
      return undefined;
    },
  };
  return writer;
}

/** `namespace:` of a kustomization: every namespace field it set holds its value. */
export function namespaceWriter(source: ParsedText, value: Node, what: string): Writer {
  const writer: Writer = {
    what,
    isPatch: false,
    find(path, rendered) {
      const keys = keysOf(path);
      if (keys[keys.length - 1] !== 'namespace' || !isScalar(rendered)) return undefined;
      // The namespace of every object of the kustomization: not one field's quick fix.
      const c = compare(source, value, rendered);
      return c.agrees ? { loc: locOfNode(source, value), relation: 'self', agrees: true, editable: false, writer } : undefined;
    },
  };
  return writer;
}

/** `images:` of a kustomization: a container image it rewrote points at the new tag, digest or name. */
export function imagesWriter(source: ParsedText, images: Node, what: string): Writer {
  const writer: Writer = {
    what,
    isPatch: false,
    find(path, rendered) {
      const keys = keysOf(path);
      if (keys[keys.length - 1] !== 'image' || !isSeq(images)) return undefined;
      const image = scalarText(rendered);
      if (image === undefined) return undefined;
      for (const item of images.items as Node[]) {
        const name = scalarText(child(item, 'name'));
        const newName = child(item, 'newName');
        const newTag = child(item, 'newTag');
        const digest = child(item, 'digest');
        const repo = scalarText(newName) ?? name;
        if (repo === undefined || !(image === repo || image.startsWith(`${repo}:`) || image.startsWith(`${repo}@`))) continue;
        const tag = scalarText(newTag);
        const sha = scalarText(digest);
        if (sha !== undefined && !image.endsWith(`@${sha}`)) continue;
        if (sha === undefined && tag !== undefined && !image.endsWith(`:${tag}`)) continue;
        const node = digest ?? newTag ?? newName;
        if (!node) continue;
        return { loc: locOfNode(source, node), relation: 'self', agrees: true, editable: false, writer };
      }
      return undefined;
    },
  };
  return writer;
}

/** `replicas:` of a kustomization: spec.replicas of the objects it names. */
export function replicasWriter(source: ParsedText, count: Node, what: string): Writer {
  const writer: Writer = {
    what,
    isPatch: false,
    find(path, rendered) {
      const keys = keysOf(path);
      if (keys.length !== 2 || keys[0] !== 'spec' || keys[1] !== 'replicas') return undefined;
      const c = compare(source, count, rendered);
      return c.agrees ? { loc: locOfNode(source, count), relation: 'self', ...c, writer } : undefined;
    },
  };
  return writer;
}

/** The base resource document: every field it holds. */
export function baseWriter(source: ParsedText, root: Node, what: string): Writer {
  const writer: Writer = {
    what,
    isPatch: false,
    find(path, rendered, onKey) {
      const at = nodeAt(root, path);
      if (!at) return undefined;
      const target = onKey && at.pair ? (at.pair.key as Node) : at.node;
      return { loc: locOfNode(source, target), relation: 'self', ...compare(source, at.node, rendered), writer };
    },
  };
  return writer;
}


/**
 * A replacement target's field path (`spec.template.spec.containers.[name=app].image`):
 * the rendered field it names points at the fieldPaths entry. Its value came
 * from the replacement's source, so it is never editable here.
 */
export function replacementWriter(source: ParsedText, fieldPath: Node, what: string, renderedRoot: Node | null, from?: { loc: Loc; message: string }): Writer {
  const segments = splitFieldPath(scalarText(fieldPath) ?? '');
  const writer: Writer = {
    what,
    // Written by the user to change the object, as a patch is.
    isPatch: true,
    find(path) {
      if (path.length > segments.length) return undefined;
      let node: Node | null | undefined = renderedRoot;
      for (let i = 0; i < path.length; i++) {
        const seg = segments[i];
        const at = path[i];
        if (seg === '*') {
          // any key or item
        } else if (seg.startsWith('[') && seg.endsWith(']')) {
          const eq = seg.indexOf('=');
          if ('key' in at || eq < 0) return undefined;
          const item = isSeq(node) ? (node.items[at.index] as Node) : undefined;
          if (scalarText(child(item, seg.slice(1, eq))) !== seg.slice(eq + 1, -1)) return undefined;
        } else if ('key' in at ? at.key !== seg : String(at.index) !== seg) return undefined;
        node = 'key' in at ? child(node, at.key) : isSeq(node) ? (node.items[at.index] as Node) : undefined;
      }
      const rest = segments.slice(path.length);
      if (rest.length === 0) return { loc: locOfNode(source, fieldPath), relation: 'self', agrees: true, editable: false, writer, ...(from ? { related: [from] } : {}) };
      const viaMapsOnly = rest.every((seg) => seg !== '*' && !seg.startsWith('[') && !/^[0-9]+$/.test(seg));
      return { loc: locOfNode(source, fieldPath), relation: 'descendant', agrees: true, editable: false, writer, viaMapsOnly };
    },
  };
  return writer;
}

/** A replacement's field path as a path to look up in a document (`[k=v]` finds the item by k). */
export function fieldPathOf(path: string): FieldPath {
  return splitFieldPath(path).map((seg) => {
    const eq = seg.indexOf('=');
    if (seg.startsWith('[') && seg.endsWith(']') && eq > 0) return { index: -1, id: [seg.slice(1, eq), seg.slice(eq + 1, -1)] as const };
    return /^[0-9]+$/.test(seg) ? { index: Number(seg) } : { key: seg };
  });
}

/** `a.b.[name=x].c` -> ['a', 'b', '[name=x]', 'c'] (a bracket may hold dots). */
function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.filter((s) => s !== '');
}
