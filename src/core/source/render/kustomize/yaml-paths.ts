// Field paths in YAML documents with their offsets: which field a rendered
// span is in, and where the same field is written in a base resource, a patch
// or a kustomization. List items are told apart by their merge key (a
// container's name, a port's number) where they have one, as strategic-merge
// patches match them; by position otherwise.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';

/** A mapping key, or a list item (its position, and its identity when it has one). */
export type Segment = { key: string } | { index: number; id?: readonly [string, string] };

export type FieldPath = readonly Segment[];

/**
 * The keys that identify an item of a list, as strategic-merge patches match
 * them (first present wins): ports merge on their number, not their name.
 */
const ITEM_KEYS = ['containerPort', 'port', 'name', 'mountPath', 'devicePath', 'ip', 'topologyKey', 'key'];

export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  return v === null || v === undefined ? undefined : String(v);
}

/** The items of the list at `key` of a mapping (none when it is not a list). */
export function seqItems(node: unknown, key: string): Node[] {
  const seq = child(node, key);
  return isSeq(seq) ? (seq.items as Node[]).filter((n) => n !== null) : [];
}

/** The value of `key` in a mapping node, if the node is a mapping that has it. */
export function child(node: unknown, key: string): Node | undefined {
  return pairOf(node, key)?.value as Node | undefined;
}

export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  for (const p of node.items) if (isPair(p) && scalarText(p.key) === key) return p;
  return undefined;
}

function itemId(item: unknown): readonly [string, string] | undefined {
  if (!isMap(item)) return undefined;
  for (const k of ITEM_KEYS) {
    const v = scalarText(child(item, k));
    if (v !== undefined) return [k, v];
  }
  return undefined;
}

/** What a span of a document is: the innermost node holding it, its path, and whether the span is the key. */
export interface Hit {
  path: FieldPath;
  node: Node;
  /** The value of the field (the entry's value when the span is its key). */
  value: Node | undefined;
  /** The span is (inside) the key of a mapping entry rather than its value. */
  onKey: boolean;
}

/** The innermost node of `root` whose range holds [start, end). */
export function hitAt(root: Node | null | undefined, start: number, end: number): Hit | undefined {
  if (!root || !holds(root, start, end)) return undefined;
  const path: Segment[] = [];
  let node: Node = root;
  for (;;) {
    let next: Node | undefined;
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isPair(p)) continue;
        const key = p.key as Node | null;
        const name = scalarText(key);
        if (name === undefined) continue;
        if (key && holds(key, start, end)) return { path: [...path, { key: name }], node: key, value: (p.value as Node | null) ?? undefined, onKey: true };
        const value = p.value as Node | null;
        if (value && holds(value, start, end)) {
          path.push({ key: name });
          next = value;
          break;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        if (next === undefined && item && holds(item as Node, start, end)) {
          const id = itemId(item);
          path.push(id ? { index, id } : { index });
          next = item as Node;
        }
      });
    }
    if (next === undefined) return { path, node, value: node, onKey: false };
    node = next;
  }
}

function holds(node: Node, start: number, end: number): boolean {
  const r = node.range;
  if (!r) return false;
  return r[0] <= start && end <= Math.max(r[1], r[0]) && start < Math.max(r[1], r[0] + 1);
}

/** The node (and the entry holding it) at `path` in `root`; list items are found by identity first, then position. */
export function nodeAt(root: Node | null | undefined, path: FieldPath): { node: Node; pair?: Pair } | undefined {
  let node: Node | null | undefined = root;
  let pair: Pair | undefined;
  for (const seg of path) {
    if (!node) return undefined;
    if ('key' in seg) {
      pair = pairOf(node, seg.key);
      if (!pair) return undefined;
      node = pair.value as Node | null;
    } else {
      if (!isSeq(node)) return undefined;
      const items = node.items as Node[];
      let found: Node | undefined;
      if (seg.id) found = items.find((it) => isMap(it) && scalarText(child(it, seg.id![0])) === seg.id![1]);
      else found = items[seg.index];
      if (!found) return undefined;
      node = found;
      pair = undefined;
    }
  }
  return node ? { node, pair } : undefined;
}

/** `a` is `b` or lies under it. */
export function startsWith(a: FieldPath, b: FieldPath): boolean {
  if (b.length > a.length) return false;
  return b.every((seg, i) => sameSegment(a[i], seg));
}

function sameSegment(a: Segment, b: Segment): boolean {
  if ('key' in a || 'key' in b) return 'key' in a && 'key' in b && a.key === b.key;
  if (a.id && b.id) return a.id[0] === b.id[0] && a.id[1] === b.id[1];
  return a.index === b.index;
}

/** The path's keys, list positions as numbers (for messages and JSON pointers). */
export function keysOf(path: FieldPath): (string | number)[] {
  return path.map((s) => ('key' in s ? s.key : s.index));
}

/** Parse a JSON pointer (`/spec/ports/0/port`; `~1` is `/`, `~0` is `~`); `-` (append) becomes position -1. */
export function parsePointer(pointer: string): FieldPath | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((raw): Segment => {
      const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (s === '-') return { index: -1 };
      return /^(0|[1-9][0-9]*)$/.test(s) ? { index: Number(s) } : { key: s };
    });
}

/**
 * Whether a JSON pointer's path `op` addresses the rendered field `field` or
 * one of its ancestors; a numeric pointer segment also matches a mapping key
 * of the same digits, and `-` matches the last item (what an append adds);
 * with `anyIndex`, any position matches.
 */
export function pointerCovers(op: FieldPath, field: FieldPath, lastIndexAt: (depth: number) => number, anyIndex = false): boolean {
  if (op.length > field.length) return false;
  return op.every((seg, i) => {
    const f = field[i];
    if ('key' in seg) return 'key' in f && f.key === seg.key;
    if ('key' in f) return f.key === String(seg.index);
    return anyIndex || (seg.index === -1 ? f.index === lastIndexAt(i) : f.index === seg.index);
  });
}
