// The Kustomize tree of a root, read before anything runs: every
// kustomization (root, bases, components) and the files they name, in the
// order Kustomize applies them; what must not run is refused on the way
// (refuse.ts).
import { join, resolve } from 'node:path';
import { isSeq, type Node, type Pair } from 'yaml';
import type { Loc } from '../../../model/types';
import type { RenderProblem } from '../types';
import { isRemoteFile, refuseUnsafe, remoteReason, type Report } from './refuse';
import { exists, isDirectory, type ParsedText, type SourceFiles } from './sources';
import { child, scalarText, seqItems } from './yaml-paths';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export const RENDER_FAILED = 'render-failed';

export interface Kustomization {
  /** Absolute path of the kustomization file. */
  abs: string;
  dir: string;
  source: ParsedText;
  /** The file's top-level mapping. */
  root: Node | undefined;
  component: boolean;
}

/**
 * One kustomization's own generators and transformers, applied to the objects
 * that come from `affects` (origin files, or `generated:` + kustomization
 * file for what its generators made). Steps are in application order: a
 * kustomization's resources and components before its own transformers.
 */
export interface Step {
  k: Kustomization;
  affects: Set<string>;
}

export interface KustomizeTree {
  root?: Kustomization;
  steps: Step[];
  /** Reasons not to run (refusals, missing files, YAML errors found before running). */
  problems: RenderProblem[];
}

export function generatedKey(kustomizationAbs: string): string {
  return `generated:${kustomizationAbs}`;
}

export function findKustomizationFile(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const abs = join(dir, name);
    if (exists(abs) && !isDirectory(abs)) return abs;
  }
  return undefined;
}

/** Read the tree of the kustomization in `rootDir`. */
export function readTree(rootDir: string, sources: SourceFiles, renderName: string): KustomizeTree {
  const tree: KustomizeTree = { steps: [], problems: [] };
  const visiting = new Set<string>();
  const done = new Map<string, Set<string>>();

  const problem: Report = (source, at, message) => {
    const loc = Array.isArray(at) && source ? { file: source.file, start: source.toFile(at[0]), end: source.toFile(Math.max(at[0], at[1])) } : locOf(source, Array.isArray(at) ? undefined : at);
    tree.problems.push({ rule: RENDER_FAILED, severity: 'error', loc, message: `Kustomize render ${renderName}: ${message}` });
  };

  const visit = (dir: string, component: boolean, accumulated: Set<string>, from?: { source: ParsedText; node: Node }): Set<string> => {
    const abs = findKustomizationFile(dir);
    if (!abs) {
      problem(from?.source, from?.node, `${from ? sources.display(dir) : 'the folder'} has no kustomization.yaml, kustomization.yml or Kustomization file. Add one, or name a file instead of the folder.`);
      return new Set();
    }
    const seen = done.get(abs);
    if (seen && !component) return seen;
    if (visiting.has(abs)) {
      problem(from?.source, from?.node, `${sources.display(abs)} includes itself (through its resources or components); Kustomize cannot build a cycle.`);
      return new Set();
    }
    const source = sources.read(abs);
    if (!source) {
      problem(from?.source, from?.node, `${sources.display(abs)} could not be read.`);
      return new Set();
    }
    const doc = source.docs[0];
    if (doc && doc.errors.length > 0) {
      problem(source, doc.errors[0].pos, `${source.file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      return new Set();
    }
    const root = doc?.contents ?? undefined;
    const k: Kustomization = { abs, dir, source, root: root ?? undefined, component };
    if (!tree.root) tree.root = k;
    visiting.add(abs);
    const objects = new Set<string>(component ? accumulated : []);
    const list = (key: string): { node: Node; value: string }[] => {
      const seq = child(root, key);
      if (!isSeq(seq)) return [];
      return (seq.items as Node[]).flatMap((n) => {
        const value = scalarText(n);
        return value === undefined ? [] : [{ node: n, value }];
      });
    };

    refuseUnsafe(k, problem, sources);

    for (const { node, value } of [...list('resources'), ...list('bases')]) {
      const remote = remoteReason(value, dir);
      if (remote) {
        problem(source, node, `${JSON.stringify(value)} is ${remote}; kni renders only what is in the workspace and never fetches bases. Vendor it into the repository and name the local folder.`);
        continue;
      }
      const target = resolve(dir, value);
      if (isDirectory(target)) for (const o of visit(target, false, new Set(), { source, node })) objects.add(o);
      else if (exists(target)) {
        // Read now (consumed, its text given), parsed only when a finding needs its lines.
        sources.text(target);
        objects.add(target);
      } else problem(source, node, `${JSON.stringify(value)} does not exist (looked for ${sources.display(target)}). Fix the path, or remove the entry.`);
    }
    for (const { node, value } of list('components')) {
      const remote = remoteReason(value, dir);
      if (remote) {
        problem(source, node, `${JSON.stringify(value)} is ${remote}; kni renders only what is in the workspace and never fetches components. Vendor it into the repository and name the local folder.`);
        continue;
      }
      const target = resolve(dir, value);
      if (!isDirectory(target)) {
        problem(source, node, `component ${JSON.stringify(value)} is not a folder (looked for ${sources.display(target)}).`);
        continue;
      }
      for (const o of visit(target, true, objects, { source, node })) objects.add(o);
    }
    readPatchFiles(k, sources, problem);
    readOtherFiles(k, sources);
    if (isSeq(child(root, 'configMapGenerator')) || isSeq(child(root, 'secretGenerator'))) objects.add(generatedKey(abs));
    visiting.delete(abs);
    tree.steps.push({ k, affects: objects });
    if (!component) done.set(abs, objects);
    return objects;
  };

  visit(rootDir, false, new Set());
  return tree;
}

/** A Loc at a node of a parsed text (its start, or the whole file's start). */
export function locOf(source: ParsedText | undefined, node: Node | Pair | undefined | null): Loc {
  if (!source) return { file: '', start: 0, end: 0 };
  const n = node && 'range' in node ? node : node && 'key' in node ? (node.key as Node) : undefined;
  const r = n?.range;
  if (!r) return { file: source.file, start: 0, end: 0 };
  return { file: source.file, start: source.toFile(r[0]), end: source.exact ? source.toFile(r[1]) : source.toFile(r[0]) };
}

/** Patch files: parsed (their lines are where patched fields point) and consumed. */
function readPatchFiles(k: Kustomization, sources: SourceFiles, report: Report): void {
  for (const item of seqItems(k.root, 'patches')) {
    const path = scalarText(child(item, 'path'));
    if (path !== undefined) checkPatchFile(k, sources, report, path, child(item, 'path')!);
  }
  for (const item of seqItems(k.root, 'patchesJson6902')) {
    const path = scalarText(child(item, 'path'));
    if (path !== undefined) checkPatchFile(k, sources, report, path, child(item, 'path')!);
  }
  for (const item of seqItems(k.root, 'patchesStrategicMerge')) {
    const value = scalarText(item);
    if (value !== undefined && !value.includes('\n')) checkPatchFile(k, sources, report, value, item);
  }
}

function checkPatchFile(k: Kustomization, sources: SourceFiles, report: Report, path: string, node: Node): void {
  if (isRemoteFile(path)) return; // refused already
  const target = resolve(k.dir, path);
  const parsed = sources.read(target);
  if (!parsed) {
    report(k.source, node, `patch file ${JSON.stringify(path)} does not exist (looked for ${sources.display(target)}). Fix the path, or remove the patch.`);
    return;
  }
  const bad = parsed.docs.find((d) => d.errors.length > 0);
  if (bad) {
    const e = bad.errors[0];
    report(parsed, e.pos, `patch ${parsed.file} is not valid YAML: ${e.message.split('\n')[0]}`);
  }
}

/** Generator inputs, replacements, configurations: read by the render, so consumed (not linted as manifests). */
function readOtherFiles(k: Kustomization, sources: SourceFiles): void {
  const note = (value: string | undefined) => {
    if (value === undefined || value.includes('\n')) return;
    const path = value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
    sources.text(resolve(k.dir, path));
  };
  for (const gen of ['configMapGenerator', 'secretGenerator']) {
    for (const item of seqItems(k.root, gen)) {
      for (const key of ['files', 'envs']) for (const f of seqItems(item, key)) note(scalarText(f));
      note(scalarText(child(item, 'env')));
    }
  }
  for (const item of seqItems(k.root, 'replacements')) note(scalarText(child(item, 'path')));
  for (const key of ['configurations', 'crds']) for (const item of seqItems(k.root, key)) note(scalarText(item));
  note(scalarText(child(child(k.root, 'openapi'), 'path')));
  for (const key of ['generators', 'transformers', 'validators']) {
    for (const item of seqItems(k.root, key)) {
      const v = scalarText(item);
      if (v !== undefined && !v.includes('\n') && !isDirectory(resolve(k.dir, v))) sources.read(resolve(k.dir, v));
    }
  }
}
