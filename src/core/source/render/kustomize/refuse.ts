// What must not run, refused at its line before anything runs: remote bases,
// components and files (Kustomize would download them), Helm inflation
// (`helmCharts`, which needs --enable-helm) and generators, transformers or
// validators that are exec or KRM-function plugins.
import { isAbsolute, resolve } from 'node:path';
import { isMap, isSeq, type Node, type Pair } from 'yaml';
import { exists, isDirectory, type ParsedText, type SourceFiles } from './sources';
import type { Kustomization } from './tree';
import { child, pairOf, scalarText, seqItems } from './yaml-paths';

/**
 * Why a resources/components entry is remote, if it is: a URL, a git
 * repository or reference, or a host path (`github.com/org/repo/deploy`)
 * that is no local folder.
 */
export function remoteReason(entry: string, dir: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return 'a remote URL';
  if (/^(git@|git::|ssh:|gh:)/i.test(entry)) return 'a remote git repository';
  if (isAbsolute(entry) || exists(resolve(dir, entry))) return undefined;
  if (/[?&](ref|version|timeout|submodules)=/.test(entry)) return 'a remote git reference';
  const first = entry.split('/')[0];
  if (first.includes('.') && first !== '.' && first !== '..' && entry.includes('/')) return 'a remote repository path';
  return undefined;
}

export type Report = (source: ParsedText | undefined, at: Node | Pair | [number, number] | undefined | null, message: string) => void;

/** A URL, or a generator's `key=URL`. */
export function isRemoteFile(value: string): boolean {
  const path = /^[^=:/]+=/.test(value) ? value.slice(value.indexOf('=') + 1) : value;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path);
}

/** Every file path a kustomization names besides resources/components (which are checked where they are read). */
function namedFiles(root: Node | undefined): Node[] {
  const out: Node[] = [];
  const scalar = (n: Node | undefined | null) => {
    if (n && scalarText(n) !== undefined) out.push(n);
  };
  for (const item of seqItems(root, 'patches')) scalar(child(item, 'path'));
  for (const item of seqItems(root, 'patchesJson6902')) scalar(child(item, 'path'));
  for (const item of seqItems(root, 'replacements')) scalar(child(item, 'path'));
  for (const key of ['patchesStrategicMerge', 'configurations', 'crds', 'generators', 'transformers', 'validators']) for (const item of seqItems(root, key)) scalar(item);
  for (const gen of ['configMapGenerator', 'secretGenerator']) {
    for (const item of seqItems(root, gen)) {
      for (const key of ['files', 'envs']) for (const f of seqItems(item, key)) scalar(f);
      scalar(child(item, 'env'));
    }
  }
  scalar(child(child(root, 'openapi'), 'path'));
  return out;
}

/** Helm inflation, exec/KRM-function plugins and files fetched over the network: refused at their line, never run. */
export function refuseUnsafe(k: Kustomization, report: Report, sources: SourceFiles): void {
  for (const node of namedFiles(k.root)) {
    const value = scalarText(node) ?? '';
    if (isRemoteFile(value)) report(k.source, node, `${JSON.stringify(value)} is a remote file, which Kustomize would download; kni renders only what is in the workspace. Commit the file and name its local path.`);
  }
  for (const key of ['helmCharts', 'helmChartInflationGenerator', 'helmGlobals']) {
    const pair = pairOf(k.root, key);
    if (pair) report(k.source, pair, `\`${key}\` inflates a Helm chart from inside Kustomize, which needs --enable-helm; kni never passes it. Render the chart as a Helm render of its own (\`.kni.yaml\` renders: - chart: …), or commit its rendered output and list that as a resource.`);
  }
  for (const key of ['generators', 'transformers', 'validators']) {
    const seq = child(k.root, key);
    if (!isSeq(seq)) continue;
    for (const item of seq.items as Node[]) {
      const value = scalarText(item);
      if (value === undefined) continue;
      let configs: ParsedText | undefined;
      if (value.includes('\n') || value.includes(':')) configs = sources.embedded(k.source, item);
      else {
        const target = resolve(k.dir, value);
        if (isDirectory(target)) continue; // a kustomization of builtin configs: Kustomize refuses plugins there itself
        configs = sources.read(target);
      }
      for (const doc of configs?.docs ?? []) {
        const why = pluginReason(doc.contents);
        if (why) {
          report(k.source, item, `${key} entry ${JSON.stringify(value.split('\n')[0])} is ${why}, which Kustomize runs only with --enable-alpha-plugins or --enable-exec; kni never runs plugins. Use a builtin transformer, or commit the plugin's output.`);
          break;
        }
      }
    }
  }
}

/** Why a generator/transformer config is a plugin (not a Kustomize builtin), if it is. */
export function pluginReason(config: Node | null | undefined): string | undefined {
  if (!isMap(config)) return undefined;
  const annotations = child(child(config, 'metadata'), 'annotations');
  for (const key of ['config.kubernetes.io/function', 'config.k8s.io/function']) {
    const fn = child(annotations, key);
    if (fn) {
      const spec = scalarText(fn) ?? '';
      return /exec\s*:/.test(spec) ? 'an exec plugin' : 'a KRM-function plugin';
    }
  }
  const apiVersion = scalarText(child(config, 'apiVersion'));
  if (apiVersion !== undefined && apiVersion !== 'builtin') return `a plugin (${apiVersion} ${scalarText(child(config, 'kind')) ?? ''})`.replace(' )', ')');
  return undefined;
}
