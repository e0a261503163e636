// Kustomize's own errors as problems at a file and line: the paths it names
// are turned into the workspace's names, the wrapper folder disappears from
// the message, and the location is the YAML line it gives, the kustomization
// entry that names the failing file, or the unknown field it complains about.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isMap, isPair, isSeq, type Node } from 'yaml';
import type { Loc } from '../../../model/types';
import type { RenderProblem } from '../types';
import type { SourceFiles } from './sources';
import { WRAPPER_PREFIX } from './wrapper';
import { locOf, RENDER_FAILED, type KustomizeTree } from './tree';
import { child, scalarText, seqItems } from './yaml-paths';

/** Problems from Kustomize's stderr; `buildDir` is the folder it was asked to build (the root, or the wrapper around it). */
export function kustomizeErrors(stderr: string, buildDir: string, rootAbs: string, tree: KustomizeTree, sources: SourceFiles, renderName: string): RenderProblem[] {
  const lines = stderr
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('# Warning'))
    .map(unwrapKlog);
  const raw = lines.join('\n').replace(/^(Error|error):\s*/, '');
  let message = readable(raw, buildDir, rootAbs, sources);
  if (/is not in or below/.test(message)) message += '. Kustomize reads files only below the kustomization that lists them: move the file there, or list its folder (with a kustomization of its own) as a base.';
  return [{ rule: RENDER_FAILED, severity: 'error', loc: locate(raw, buildDir, tree, sources), message: `Kustomize render ${renderName} failed: ${message}` }];
}

/** kubectl 1.32 logs its error as `E1207 17:37:50.35 8048 run.go:72] "command failed" err="…"`: the quoted error is the message. */
function unwrapKlog(line: string): string {
  const m = /^[EWIF]\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err=(".*")$/.exec(line);
  if (!m) return line;
  try {
    return JSON.parse(m[1]) as string;
  } catch {
    return m[1].slice(1, -1);
  }
}

/** Absolute paths as the workspace names them; the wrapper's path to the root as the root. */
function readable(raw: string, buildDir: string, rootAbs: string, sources: SourceFiles): string {
  const rel = relative(buildDir, rootAbs).split('\\').join('/');
  return (rel === '' ? raw : raw.split(rel).join(sources.display(rootAbs)))
    // Each level of bases repeats the same words; the files are what matter.
    .replace(/accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': recursed accumulation of path '[^']*': /g, '')
    .replace(/accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': couldn't make target for path '([^']*)': /g, 'in $1: ')
    .replace(/(accumulating resources: )+/g, 'accumulating resources: ')
    // The first level is the build's own: it says nothing.
    .replace(/^accumulating resources: /, '')
    // A file outside the root: Kustomize then tries it as a folder, which only adds noise.
    .replace(/^accumulation err='(accumulating resources from '[^']*': .*)': must build at directory: .*$/s, '$1')
    .replace(/(\/[^\s'"`:]+)/g, (p) => (p.startsWith(sources.base + sep) ? sources.display(p) : p));
}

function locate(raw: string, buildDir: string, tree: KustomizeTree, sources: SourceFiles): Loc {
  const root: Loc = tree.root ? { file: tree.root.source.file, start: 0, end: 0 } : { file: '', start: 0, end: 0 };
  // "recursed accumulation of path '/x/base'" ... "MalformedYAMLError: yaml: line 8: ... in File: svc.yaml"
  const yamlLine = /yaml: line (\d+):/.exec(raw);
  const inFile = /in File: (\S+)/.exec(raw);
  const dirs = [...raw.matchAll(/(?:recursed accumulation of path|accumulating resources from) '([^']+)'/g)].map((m) => resolve(buildDir, m[1]));
  if (yamlLine && inFile) {
    for (const dir of [...dirs].reverse()) {
      const at = lineLoc(sources, resolve(dir, inFile[1]), Number(yamlLine[1]));
      if (at) return at;
    }
  }
  if (yamlLine && /invalid Kustomization/.test(raw)) {
    const deepest = [...tree.steps].reverse().find((s) => dirs.length > 0 && resolve(dirs[dirs.length - 1]) === s.k.dir) ?? (tree.root ? { k: tree.root } : undefined);
    if (deepest) return lineLoc(sources, deepest.k.abs, Number(yamlLine[1])) ?? root;
  }
  // An unknown field: its key in the kustomization files.
  const unknown = /unknown field "([^"]+)"/.exec(raw);
  if (unknown) {
    for (const step of tree.steps) {
      if (!isMap(step.k.root)) continue;
      const pair = step.k.root.items.find((p) => isPair(p) && scalarText(p.key) === unknown[1]);
      if (pair) return locOf(step.k.source, pair);
    }
  }
  // A strategic-merge patch whose object is not there: the patch entry.
  const unmatched = /(?:strategic merge patch|target for patch) "?([A-Za-z0-9]+)\.[^/\s"]*\/([^.\s"]+)\./.exec(raw);
  if (unmatched) {
    const entry = patchNaming(unmatched[1], unmatched[2], tree, sources);
    if (entry) return entry;
  }
  // A value it quotes that a kustomization writes (a replacement's field path, a patch target).
  for (const quoted of [...raw.matchAll(/"([^"\n]{2,})"/g)].map((m) => m[1])) {
    for (const step of [...tree.steps].reverse()) {
      const hit = findScalar(step.k.root, (v) => v === quoted);
      if (hit) return locOf(step.k.source, hit);
    }
  }
  // A file it names: the kustomization entry that names it, else the file itself.
  const named = [...raw.matchAll(/'(\/[^']+)'|(\/[^\s'"`:]+)/g)].map((m) => m[1] ?? m[2]).filter((p) => isAbsolute(p) && !p.includes(WRAPPER_PREFIX));
  for (const path of named.reverse()) {
    const entry = entryNaming(path, tree);
    if (entry) return entry;
  }
  return root;
}

/** The offset of a 1-based line of a file the render read. */
function lineLoc(sources: SourceFiles, abs: string, line: number): Loc | undefined {
  const parsed = sources.read(abs);
  if (!parsed) return undefined;
  let at = 0;
  for (let i = 1; i < line; i++) {
    const nl = parsed.text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  const end = parsed.text.indexOf('\n', at);
  return { file: parsed.file, start: at, end: end < 0 ? parsed.text.length : end };
}

/** The scalar of a kustomization that names `abs` (a resource, patch or generator file), if one does. */
function entryNaming(abs: string, tree: KustomizeTree): Loc | undefined {
  for (const step of [...tree.steps].reverse()) {
    const hit = findScalar(step.k.root, (v) => resolve(step.k.dir, v.includes('=') && !v.includes('\n') ? v.slice(v.indexOf('=') + 1) : v) === abs);
    if (hit) return locOf(step.k.source, hit);
  }
  return undefined;
}

/** The patches entry whose strategic-merge patch names kind/name. */
function patchNaming(kind: string, name: string, tree: KustomizeTree, sources: SourceFiles): Loc | undefined {
  for (const step of [...tree.steps].reverse()) {
    const k = step.k;
    const entries = [...seqItems(k.root, 'patches').map((item) => ({ item, path: child(item, 'path'), inline: child(item, 'patch') })), ...seqItems(k.root, 'patchesStrategicMerge').map((item) => ({ item, path: item, inline: item }))];
    for (const { item, path, inline } of entries) {
      const file = scalarText(path);
      const text = file !== undefined && !file.includes('\n') ? sources.read(resolve(k.dir, file)) : inline ? sources.embedded(k.source, inline) : undefined;
      const names = text?.docs.some((d) => scalarText(child(d.contents, 'kind')) === kind && scalarText(child(child(d.contents, 'metadata'), 'name')) === name);
      if (names) return locOf(k.source, item);
    }
  }
  return undefined;
}

function findScalar(node: Node | null | undefined, test: (value: string) => boolean): Node | undefined {
  if (!node) return undefined;
  const value = scalarText(node);
  if (value !== undefined) return !value.includes('\n') && test(value) ? node : undefined;
  if (isMap(node)) {
    for (const p of node.items) {
      const found = findScalar(p.value as Node, test);
      if (found) return found;
    }
  }
  if (isSeq(node)) {
    for (const item of node.items) {
      const found = findScalar(item as Node, test);
      if (found) return found;
    }
  }
  return undefined;
}
