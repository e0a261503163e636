// Which renders a set of files holds.
// - A folder with Chart.yaml is a chart (subcharts under another chart's
//   charts/ are part of that chart's render, not renders of their own).
// - A folder with kustomization.yaml|yml|Kustomization is a Kustomize root;
//   by default only roots that no other root of the set includes (through a
//   resources/bases/components entry that is a folder) are rendered: the
//   overlays, not their bases.
// - `.kni.yaml` `renders` names renders explicitly; a chart or root it names
//   is rendered only as it says (several entries for one chart: separate sets).
import { isManifestPath } from '../../config/facts';
import type { ConfigRender } from '../../config/types';
import type { HelmRenderSpec, KustomizeRenderSpec, RenderSpec } from './types';
import { keyLines, scalarText } from './yaml-lines';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface DiscoverInput {
  /** Every file of the set ('/'-separated, relative to the root the renders run in). */
  files: readonly string[];
  /** Reads a file of the set (undefined: unreadable). */
  read(path: string): string | undefined;
  /** Whether a folder holds a file of this name (for Kustomization files not among the set's files). */
  exists(path: string): boolean;
  /** `.kni.yaml` renders, their paths already relative to the root. */
  configured?: readonly ConfigRender[];
  /** The namespace of default renders (the config's defaultNamespace, --namespace, else "default"). */
  defaultNamespace: string;
  /** The name of the folder paths are relative to (a chart at the root is named after it). */
  rootName?: string;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

function baseName(path: string): string {
  return path === '.' ? 'release' : path.slice(path.lastIndexOf('/') + 1);
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(p);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

function join(dir: string, rel: string): string {
  return normalize(dir === '.' ? rel : `${dir}/${rel}`);
}

/** A release name Helm accepts, from a folder name ("My_Chart" -> "my-chart"); the root folder by its own name. */
export function releaseNameFor(folder: string, rootName?: string): string {
  const name = (folder === '.' && rootName ? rootName : baseName(folder))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 53)
    .replace(/-+$/, '');
  return name === '' ? 'release' : name;
}

/** The chart folders of a set: folders with Chart.yaml that are not inside another chart's charts/. */
export function chartFolders(files: readonly string[]): string[] {
  const charts = files.filter((f) => f === 'Chart.yaml' || f.endsWith('/Chart.yaml')).map(dirOf);
  return charts.filter((c) => !charts.some((other) => other !== c && (other === '.' ? c.startsWith('charts/') : c.startsWith(`${other}/charts/`)))).sort();
}

export function kustomizeRoots(input: Pick<DiscoverInput, 'files' | 'exists'>): string[] {
  const dirs = new Set<string>();
  for (const f of input.files) {
    const name = f.slice(f.lastIndexOf('/') + 1);
    if (KUSTOMIZATION_FILES.includes(name)) dirs.add(dirOf(f));
  }
  return [...dirs].sort();
}

/** The kustomization file of a root, if one exists. */
export function kustomizationFile(root: string, exists: (path: string) => boolean): string | undefined {
  for (const n of KUSTOMIZATION_FILES) {
    const p = root === '.' ? n : `${root}/${n}`;
    if (exists(p)) return p;
  }
  return undefined;
}

/** The folders a kustomization names in resources/bases/components (local ones; remote URLs are not folders of the set). */
export function includedFolders(root: string, text: string): string[] {
  const out: string[] = [];
  for (const kl of keyLines(text)) {
    if (kl.path.length !== 2 || kl.path[1] !== '[]' || !['resources', 'bases', 'components'].includes(kl.path[0])) continue;
    const entry = scalarText(text, kl).trim();
    if (entry === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || isManifestPath(entry)) continue;
    out.push(join(root, entry));
  }
  return out;
}

export function discoverRenders(input: DiscoverInput): RenderSpec[] {
  const specs: RenderSpec[] = [];
  const configured = input.configured ?? [];
  const namedCharts = new Set(configured.filter((r): r is Extract<ConfigRender, { chart: string }> => 'chart' in r).map((r) => normalize(r.chart)));
  const namedRoots = new Set(configured.filter((r): r is Extract<ConfigRender, { kustomize: string }> => 'kustomize' in r).map((r) => normalize(r.kustomize)));

  for (const chart of chartFolders(input.files)) {
    if (namedCharts.has(chart)) continue;
    const release = releaseNameFor(chart, input.rootName);
    specs.push({
      kind: 'helm',
      chart,
      release,
      namespace: input.defaultNamespace,
      values: [],
      set: {},
      name: `${release} (${chart === '.' ? '' : `${chart}/`}values.yaml; release "${release}" from the folder name, namespace "${input.defaultNamespace}")`,
    } satisfies HelmRenderSpec);
  }

  const roots = kustomizeRoots(input);
  const included = new Set<string>();
  // A Component (kind: Component) is never built on its own: only the roots that include it render it.
  const components = new Set<string>();
  for (const root of roots) {
    const file = kustomizationFile(root, (p) => input.files.includes(p) || input.exists(p));
    const text = file === undefined ? undefined : input.read(file);
    if (text === undefined) continue;
    for (const f of includedFolders(root, text)) included.add(f);
    if (/^kind:[ \t]*["']?Component["']?[ \t]*(#.*)?$/m.test(text)) components.add(root);
  }
  for (const root of roots) {
    if (included.has(root) || namedRoots.has(root) || components.has(root)) continue;
    specs.push({ kind: 'kustomize', root, name: root } satisfies KustomizeRenderSpec);
  }

  const seen = new Map<string, number>();
  for (const r of configured) {
    if ('kustomize' in r) {
      specs.push({ kind: 'kustomize', root: normalize(r.kustomize), name: normalize(r.kustomize) });
      continue;
    }
    const chart = normalize(r.chart);
    const release = r.release ?? releaseNameFor(chart, input.rootName);
    const namespace = r.namespace ?? input.defaultNamespace;
    const what = r.values.length > 0 ? r.values.join(', ') : 'values.yaml';
    let name = `${release} (${what})`;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    if (n > 0) name = `${release} (${what}, #${n + 1})`;
    specs.push({ kind: 'helm', chart, release, namespace, values: r.values, set: r.set, name });
  }
  return specs;
}
