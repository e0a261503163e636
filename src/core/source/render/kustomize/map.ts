// One rendered object's map: a span of its text -> the source line that
// produced the field. A field points at the last writer that set it to the
// rendered value; a collection a patch changed through mappings (a selector)
// at the patch; anything else at the base file, or at the object's name when
// the field is nowhere in the sources (said to be approximate).
import type { Node } from 'yaml';
import type { Loc } from '../../../model/types';
import type { MappedLoc } from '../types';
import type { ObjectSources } from './object-sources';
import type { OutputObject } from './output';
import { baseWriter, locOfNode, type Found, type Writer } from './writers';
import { hitAt, nodeAt, scalarText, seqItems, type FieldPath } from './yaml-paths';

const SELF_NAME: FieldPath = [{ key: 'metadata' }, { key: 'name' }];

/** The map of a rendered object: a span of its text -> the source span that produced it. */
/** `fallback`: where an object whose source document is unknown is said to be (its origin file, or the root kustomization). */
export function mapperFor(object: OutputObject, found: ObjectSources, fallback: Loc): (start: number, end: number) => MappedLoc {
  const root = object.doc.contents as Node | null;
  const base = found.base ? baseWriter(found.base.source, found.base.node, `base ${found.base.source.file}`) : undefined;
  const objectStart = (): MappedLoc => {
    if (!found.base) return { loc: fallback, exact: false, editable: false };
    const nameNode = nodeAt(found.base.node, SELF_NAME)?.node;
    return { loc: locOfNode(found.base.source, nameNode ?? found.base.node), exact: false, editable: false };
  };
  const cache = new Map<string, MappedLoc>();
  return (start, end) => {
    const hit = hitAt(root, object.toPrinted(start), object.toPrinted(end));
    if (!hit) return objectStart();
    const cacheKey = `${JSON.stringify(hit.path)}|${hit.onKey}`;
    const known = cache.get(cacheKey);
    if (known) return known;
    const mapped = resolveField(hit.path, hit.onKey, hit.value, found, base) ?? objectStart();
    cache.set(cacheKey, mapped);
    return mapped;
  };
}

function resolveField(path: FieldPath, onKey: boolean, rendered: Node | undefined, found: ObjectSources, base: Writer | undefined): MappedLoc | undefined {
  const writers = found.writers;
  const asMapped = (f: Found): MappedLoc => ({ loc: f.loc, exact: true, editable: f.editable, ...(f.related ? { related: f.related } : {}) });
  // The last writer that set this field (or a whole collection above it) to the rendered value.
  for (let i = writers.length - 1; i >= 0; i--) {
    const f = writers[i].find(path, rendered, onKey);
    if (f && f.relation !== 'descendant' && f.agrees) return asMapped(f);
  }
  if (found.generatedBy && found.base) {
    return generatedField(path, found) ?? { loc: locOfNode(found.base.source, found.base.node), exact: false, editable: false };
  }
  const isName = path.length === 2 && 'key' in path[0] && path[0].key === 'metadata' && 'key' in path[1] && path[1].key === 'name';
  // A collection a patch changed inside: the patch says why it is what it is.
  const inside = writers.map((w) => w.find(path, rendered, onKey)).filter((f): f is Found => f !== undefined && f.relation === 'descendant');
  const lastPatch = [...inside].reverse().find((f) => f.writer.isPatch && f.viaMapsOnly);
  if (lastPatch) return asMapped(lastPatch);
  const fromBase = base?.find(path, rendered, onKey);
  if (fromBase) {
    const related = [...inside.map((f) => ({ loc: f.loc, message: `${f.writer.what} adds to it` })), ...(isName ? found.renames : [])];
    return { loc: fromBase.loc, exact: true, editable: fromBase.editable && !(isName && found.renames.length > 0), ...(related.length > 0 ? { related } : {}) };
  }
  if (inside.length > 0) return asMapped(inside[inside.length - 1]);
  // A JSON6902 op whose list position a later insertion shifted: the last one that set this value.
  for (let i = writers.length - 1; i >= 0; i--) {
    const f = writers[i].findShifted?.(path, rendered);
    if (f) return asMapped(f);
  }
  return undefined;
}

/** A generated ConfigMap/Secret: its data keys point at the literal, file or env line that made them; the rest at the generator entry. */
function generatedField(path: FieldPath, found: ObjectSources): MappedLoc | undefined {
  const { source, node } = found.base!;
  const first = path[0];
  const key = path[1];
  if (!first || !('key' in first) || !['data', 'binaryData', 'stringData'].includes(first.key) || !key || !('key' in key)) return undefined;
  for (const item of seqItems(node, 'literals')) {
    const text = scalarText(item);
    if (text !== undefined && text.startsWith(`${key.key}=`)) return { loc: locOfNode(source, item), exact: true, editable: false };
  }
  for (const item of seqItems(node, 'files')) {
    const text = scalarText(item) ?? '';
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text.slice(text.lastIndexOf('/') + 1);
    if (name === key.key) return { loc: locOfNode(source, item), exact: true, editable: false };
  }
  for (const env of found.envFiles ?? []) {
    const line = new RegExp(`^[ \\t]*${key.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*=`, 'm').exec(env.text);
    if (line) {
      const end = env.text.indexOf('\n', line.index);
      return { loc: { file: env.file, start: line.index, end: end < 0 ? env.text.length : end }, exact: true, editable: false };
    }
  }
  return undefined;
}
