// Where one rendered object came from: the base document (found by kind and
// by its name before namePrefix/nameSuffix, or the generator entry that made
// it) and the writers that changed it, in the order Kustomize applied them.
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Loc } from '../../../model/types';
import type { OutputObject } from './output';
import { objectNodes, type ParsedText, type SourceFiles } from './sources';
import { finalName, isHashedName } from './identify';
import { generatedKey, type KustomizeTree, type Step } from './tree';
import { child, nodeAt, scalarText, seqItems } from './yaml-paths';
import { imagesWriter, jsonPatchWriter, locOfNode, namespaceWriter, fieldPathOf, pairsWriter, replacementWriter, replicasWriter, strategicMergeWriter, type Writer } from './writers';

/** Where an object came from in the sources, and every writer that changed it. */
export interface ObjectSources {
  /** The base document (a resource file's document, or the generator entry that made the object). */
  base?: { source: ParsedText; node: Node };
  /** The generator that made the object: "configMapGenerator in overlays/prod/kustomization.yaml". */
  generatedBy?: string;
  /** The env files of the generator entry (`envs:`, `env:`): a data key points at its line there. */
  envFiles?: { file: string; text: string }[];
  /** namePrefix/nameSuffix entries that changed the name (related locations of metadata.name). */
  renames: { loc: Loc; message: string }[];
  writers: Writer[];
}

/** The sources of one rendered object. */
export function objectSources(object: OutputObject, tree: KustomizeTree, sources: SourceFiles): ObjectSources {
  const result: ObjectSources = { renames: [], writers: [] };
  const key = object.origin.path ?? (object.origin.configuredIn ? generatedKey(object.origin.configuredIn) : undefined);
  const steps = key === undefined ? [] : tree.steps.filter((s) => s.affects.has(key));

  // The candidates' names run through the steps' prefixes and suffixes: the one that ends as the rendered name is the object.
  const candidates = baseCandidates(object, sources);
  const generated = object.origin.configuredIn !== undefined;
  // A single candidate is the object even when its name changed otherwise (a patch that renames); several are told apart by name only.
  const base =
    candidates.find((c) => (generated ? isHashedName(object.name, finalName(c.name, steps)) : finalName(c.name, steps) === object.name)) ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (base) result.base = { source: base.source, node: base.node };
  if (generated && object.origin.configuredIn) {
    const kustomization = sources.read(object.origin.configuredIn);
    if (base) {
      const dir = dirname(object.origin.configuredIn);
      const paths = [...seqItems(base.node, 'envs').map(scalarText), scalarText(child(base.node, 'env'))].filter((p): p is string => p !== undefined);
      result.envFiles = paths.flatMap((p) => {
        const text = sources.text(resolve(dir, p));
        return text === undefined ? [] : [{ file: sources.display(resolve(dir, p)), text }];
      });
    }
    result.generatedBy = `${generatorField(object.origin.configuredBy)} in ${kustomization?.file ?? object.origin.configuredIn}`;
  }

  let names = new Set(base ? [base.name] : [object.name]);
  let current = base?.name ?? object.name;
  for (const step of steps) {
    result.writers.push(...stepWriters(step, object, names, tree, sources));
    for (const [field, prefix] of [
      ['namePrefix', true],
      ['nameSuffix', false],
    ] as const) {
      const pair = child(step.k.root, field);
      const value = scalarText(pair);
      if (!pair || !value) continue;
      current = prefix ? value + current : current + value;
      result.renames.push({ loc: locOfNode(step.k.source, pair), message: `${field} ${value} (${step.k.source.file}) makes the name ${current}` });
    }
    names = new Set([...names, current]);
  }
  return result;
}

/** The kustomization field of the generator that made an object. */
export function generatorField(configuredBy: string | undefined): string {
  return configuredBy === 'SecretGenerator' ? 'secretGenerator' : 'configMapGenerator';
}

interface Candidate {
  source: ParsedText;
  node: Node;
  name: string;
}

/** Documents of the origin file of the same kind, or the generator entries of the kustomization that generated the object. */
function baseCandidates(object: OutputObject, sources: SourceFiles): Candidate[] {
  if (object.origin.path) {
    const source = sources.read(object.origin.path);
    if (!source) return [];
    return objectNodes(source)
      .filter((root) => scalarText(child(root, 'kind')) === object.kind)
      .map((root) => ({ source, node: root, name: scalarText(child(child(root, 'metadata'), 'name')) ?? '' }));
  }
  if (object.origin.configuredIn) {
    const source = sources.read(object.origin.configuredIn);
    if (!source) return [];
    return seqItems(source.docs[0]?.contents, generatorField(object.origin.configuredBy)).map((item) => ({ source, node: item, name: scalarText(child(item, 'name')) ?? '' }));
  }
  return [];
}

/** The writers of one kustomization that apply to the object, in Kustomize's order within a kustomization. */
function stepWriters(step: Step, object: OutputObject, names: Set<string>, tree: KustomizeTree, sources: SourceFiles): Writer[] {
  const k = step.k;
  const file = k.source.file;
  const renderedRoot = object.doc.contents as Node | null;
  const writers: Writer[] = [];
  const patch = (text: ParsedText, root: Node | null | undefined, what: string, target: Node | undefined) => {
    if (!root) return;
    if (isMap(root)) {
      if (target ? !matchesTarget(target, object, names) : !matchesDocument(root as Node, object, names)) return;
      if (scalarText(child(root, '$patch')) === 'delete') return;
      writers.push(strategicMergeWriter(text, root as Node, what));
    } else if (target && matchesTarget(target, object, names)) writers.push(jsonPatchWriter(text, root, what, renderedRoot));
  };
  const patchFrom = (pathNode: Node | undefined, inline: Node | undefined, target: Node | undefined) => {
    const path = scalarText(pathNode);
    if (path !== undefined) {
      const text = sources.read(resolve(k.dir, path));
      for (const d of text?.docs ?? []) patch(text!, d.contents as Node | null, `patch ${text!.file}`, target);
    } else if (inline) {
      const text = sources.embedded(k.source, inline);
      for (const d of text?.docs ?? []) patch(text!, d.contents as Node | null, `inline patch in ${file}`, target);
    }
  };

  // Kustomize's order: strategic-merge patches, patches, namespace, prefix/suffix, labels, annotations, JSON6902 patches, replicas, images.
  for (const item of seqItems(k.root, 'patchesStrategicMerge')) {
    const value = scalarText(item);
    if (value === undefined) continue;
    if (value.includes('\n')) patchFrom(undefined, item, undefined);
    else patchFrom(item, undefined, undefined);
  }
  for (const item of seqItems(k.root, 'patches')) patchFrom(child(item, 'path'), child(item, 'patch'), child(item, 'target'));
  const namespace = child(k.root, 'namespace');
  if (namespace && isScalar(namespace)) writers.push(namespaceWriter(k.source, namespace, `namespace in ${file}`));
  const common = child(k.root, 'commonLabels');
  if (common) writers.push(pairsWriter(k.source, common, `commonLabels in ${file}`, 'labels', { selectors: true, templates: true }, object.kind));
  for (const item of seqItems(k.root, 'labels')) {
    const pairs = child(item, 'pairs');
    const selectors = scalarText(child(item, 'includeSelectors')) === 'true';
    const templates = selectors || scalarText(child(item, 'includeTemplates')) === 'true';
    if (pairs) writers.push(pairsWriter(k.source, pairs, `labels in ${file}`, 'labels', { selectors, templates }, object.kind));
  }
  const annotations = child(k.root, 'commonAnnotations');
  if (annotations) writers.push(pairsWriter(k.source, annotations, `commonAnnotations in ${file}`, 'annotations', { selectors: false, templates: true }, object.kind));
  for (const item of seqItems(k.root, 'patchesJson6902')) patchFrom(child(item, 'path'), child(item, 'patch'), child(item, 'target'));
  for (const item of seqItems(k.root, 'replicas')) {
    const count = child(item, 'count');
    if (count && names.has(scalarText(child(item, 'name')) ?? '')) writers.push(replicasWriter(k.source, count, `replicas in ${file}`));
  }
  const images = child(k.root, 'images');
  if (images) writers.push(imagesWriter(k.source, images, `images in ${file}`));
  for (const item of seqItems(k.root, 'replacements')) {
    const path = scalarText(child(item, 'path'));
    const text = path !== undefined ? sources.read(resolve(k.dir, path)) : k.source;
    if (!text) continue;
    const replacements = path !== undefined ? text.docs.flatMap((d) => (isSeq(d.contents) ? (d.contents.items as Node[]) : d.contents ? [d.contents as Node] : [])) : [item];
    for (const replacement of replacements) {
      const from = replacementSource(replacement, tree, sources);
      for (const target of seqItems(replacement, 'targets')) {
        const select = child(target, 'select');
        if (!select || !matchesTarget(select, object, names)) continue;
        if (seqItems(target, 'reject').some((r) => matchesTarget(r, object, names))) continue;
        for (const fieldPath of seqItems(target, 'fieldPaths')) writers.push(replacementWriter(text, fieldPath, `replacement in ${text.file}`, renderedRoot, from));
      }
    }
  }
  return writers;
}

/** The field a replacement copies its value from, in the resource file that holds its source object. */
function replacementSource(replacement: Node, tree: KustomizeTree, sources: SourceFiles): { loc: Loc; message: string } | undefined {
  const source = child(replacement, 'source');
  const kind = scalarText(child(source, 'kind'));
  const name = scalarText(child(source, 'name'));
  const fieldPath = scalarText(child(source, 'fieldPath')) ?? 'metadata.name';
  if (kind === undefined || name === undefined) return undefined;
  const files = new Set<string>();
  for (const step of tree.steps) for (const key of step.affects) if (!key.startsWith('generated:')) files.add(key);
  for (const file of files) {
    const parsed = sources.read(file);
    const chain = tree.steps.filter((s) => s.affects.has(file));
    for (const root of parsed ? objectNodes(parsed) : []) {
      const docName = scalarText(child(child(root, 'metadata'), 'name'));
      if (scalarText(child(root, 'kind')) !== kind || docName === undefined || (docName !== name && finalName(docName, chain) !== name)) continue;
      const at = nodeAt(root, fieldPathOf(fieldPath));
      if (at) return { loc: locOfNode(parsed!, at.node), message: `the value comes from ${fieldPath} of ${kind} ${name}` };
    }
  }
  return undefined;
}

/** A strategic-merge patch without a target applies to the object of its kind and name (any name the object had so far). */
function matchesDocument(patch: Node, object: OutputObject, names: Set<string>): boolean {
  const kind = scalarText(child(patch, 'kind'));
  const name = scalarText(child(child(patch, 'metadata'), 'name'));
  return kind === object.kind && name !== undefined && names.has(name);
}

/** A patch target (group, version, kind, name, namespace as anchored regular expressions; labelSelector of equalities). */
function matchesTarget(target: Node, object: OutputObject, names: Set<string>): boolean {
  const test = (key: string, values: (string | undefined)[]): boolean => {
    const pattern = scalarText(child(target, key));
    if (pattern === undefined || pattern === '') return true;
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      return values.includes(pattern);
    }
    return values.some((v) => v !== undefined && re.test(v));
  };
  const apiVersion = scalarText(child(object.doc.contents, 'apiVersion')) ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!test('kind', [object.kind]) || !test('name', [...names]) || !test('group', [group]) || !test('version', [version])) return false;
  if (!test('namespace', [object.namespace ?? ''])) return false;
  const selector = scalarText(child(target, 'labelSelector'));
  if (selector) {
    const labels = child(child(object.doc.contents, 'metadata'), 'labels');
    for (const term of selector.split(',').map((t) => t.trim())) {
      const m = /^([^=!\s]+)\s*(==?|!=)\s*(\S*)$/.exec(term);
      if (!m) continue; // set-based terms are not evaluated: the value check still guards the mapping
      const value = scalarText(child(labels, m[1]));
      if ((m[2] === '!=') === (value === m[3])) return false;
    }
  }
  return true;
}

