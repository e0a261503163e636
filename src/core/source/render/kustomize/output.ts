// Kustomize's output: one document per object, each with the origin
// annotation the wrapper asked for. The annotations are our bookkeeping, not
// the user's: they are read, then cut out of the text the analysis sees.
import { resolve } from 'node:path';
import { isMap, isPair, parse, parseDocument, type Document, type Node } from 'yaml';
import { child, scalarText } from './yaml-paths';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

/** Where Kustomize says an object came from. */
export interface ObjectOrigin {
  /** The resource file (absolute), for objects read from a file. */
  path?: string;
  /** The kustomization (absolute) whose generator made the object, and the generator's kind. */
  configuredIn?: string;
  configuredBy?: string;
}

export interface OutputObject {
  /** The document's text without our annotations. */
  text: string;
  /** The document as Kustomize printed it (annotations included): parsed once, offsets of the printed text. */
  doc: Document.Parsed;
  /** An offset of `text` as an offset of the printed document. */
  toPrinted(offset: number): number;
  kind: string;
  name: string;
  namespace?: string;
  origin: ObjectOrigin;
}

/** Split `kustomize build` output into objects; origin paths are relative to `buildDir`. */
export function readOutput(stdout: string, buildDir: string): OutputObject[] {
  const objects: OutputObject[] = [];
  for (const piece of stdout.split(/^---[ \t]*\r?\n/m)) {
    if (piece.trim() === '') continue;
    const doc = parseDocument(piece) as Document.Parsed;
    const origin = readOrigin(doc.contents, buildDir);
    const cuts = annotationCuts(piece, doc.contents);
    const meta = child(doc.contents, 'metadata');
    objects.push({
      text: cut(piece, cuts),
      doc,
      toPrinted: (offset) => cuts.reduce((o, [start, end]) => (o >= start ? o + (end - start) : o), offset),
      kind: scalarText(child(doc.contents, 'kind')) ?? '',
      name: scalarText(child(meta, 'name')) ?? '',
      namespace: scalarText(child(meta, 'namespace')),
      origin,
    });
  }
  return objects;
}

function readOrigin(root: Node | null, buildDir: string): ObjectOrigin {
  const value = scalarText(child(child(child(root, 'metadata'), 'annotations'), ORIGIN_ANNOTATION));
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = parse(value);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const o = parsed as { path?: unknown; configuredIn?: unknown; configuredBy?: { kind?: unknown } };
  const origin: ObjectOrigin = {};
  // Remote origins (repo:, ref:) never happen: remote bases are refused before the build.
  if (typeof o.path === 'string') origin.path = resolve(buildDir, o.path);
  if (typeof o.configuredIn === 'string') origin.configuredIn = resolve(buildDir, o.configuredIn);
  if (typeof o.configuredBy?.kind === 'string') origin.configuredBy = o.configuredBy.kind;
  return origin;
}

/**
 * The spans of the printed document that hold the origin and transformations
 * annotations (and `annotations:` itself when nothing else is left), in text
 * order: whole lines, so what remains is the same YAML without them.
 */
export function annotationCuts(text: string, root: Node | null): [number, number][] {
  const meta = child(root, 'metadata');
  if (!isMap(meta)) return [];
  const annotationsPair = meta.items.find((p) => isPair(p) && scalarText(p.key) === 'annotations');
  const annotations = annotationsPair?.value;
  if (!annotationsPair || !isMap(annotations)) return [];
  const ours = annotations.items.filter((p) => isPair(p) && [ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION].includes(scalarText(p.key) ?? ''));
  if (ours.length === 0) return [];
  if (ours.length === annotations.items.length) return [lineSpan(text, annotationsPair.key as Node, annotations)];
  return ours.map((p) => lineSpan(text, p.key as Node, p.value as Node)).sort((a, b) => a[0] - b[0]);
}

/** The text without the cuts (in text order). */
function cut(text: string, cuts: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of cuts) {
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}

/** From the start of the key's line to the start of the line after the value. */
function lineSpan(text: string, key: Node, value: Node | null): [number, number] {
  const start = text.lastIndexOf('\n', (key.range?.[0] ?? 0) - 1) + 1;
  const valueEnd = value?.range?.[1] ?? key.range?.[1] ?? start;
  // A block scalar's value ends after its last line break; a plain value's before it.
  if (valueEnd > start && text[valueEnd - 1] === '\n') return [start, valueEnd];
  const nl = text.indexOf('\n', valueEnd);
  return [start, nl < 0 ? text.length : nl + 1];
}
