// Charts and Kustomize roots on the command line: the flags every file
// command shares (--values, --set, --release for one chart; --no-render;
// --helm/--kustomize for the binaries), and the set read with its renders:
// each render analysed as its own set, the loose manifests (files no render
// consumed) as today.
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { Analysis, compareFindings } from '../core/analysis';
import { CONFIG_FILE_NAME, DEFAULT_NAMESPACE, isReleaseName, RELEASE_NAME_SYNTAX } from '../core/config/facts';
import type { KniConfig } from '../core/config/types';
import type { Finding } from '../core/findings/types';
import { emptyModel } from '../core/model/collect';
import { ModelIndex } from '../core/model/model-index';
import type { NetworkModel } from '../core/model/types';
import { chartFolders, releaseNameFor } from '../core/source/render/discover';
import { renderSet, type RenderSetOutput } from '../core/source/render/set';
import type { RenderSpec } from '../core/source/render/types';
import { LineIndex, type Position } from '../core/text/lines';
import type { FileSource } from '../core/text/decode';
import { looksLikeManifest } from '../core/source/manifests/sniff';
import { UsageError } from './args';

export const RENDER_USAGE = `Charts and Kustomize roots (a folder with Chart.yaml / kustomization.yaml)
are rendered with helm / kustomize (or kubectl) and checked per render, with
locations on the template, values or patch lines (--namespace is the release
namespace too):
  --values FILE              a values file for the one chart in the paths (repeatable)
  --set KEY=VALUE            a value for the one chart (repeatable, as helm --set)
  --release NAME             the release name (default: the chart's folder name)
  --no-render                read charts and Kustomize trees as plain files
  --helm PATH                the helm binary (default: the one VS Code's Kubernetes
                             extension installed, else helm on PATH)
  --kustomize PATH           the kustomize or kubectl binary (default: kustomize,
                             else kubectl, on PATH)
`;

export interface RenderFlags {
  noRender: boolean;
  values: string[];
  set: Record<string, string>;
  release?: string;
  helm?: string;
  kustomize?: string;
}

export function emptyRenderFlags(): RenderFlags {
  return { noRender: false, values: [], set: {} };
}

/** Takes a render flag (true) or leaves it to the command (false); -f stays each command's --format. */
export function takeRenderFlag(flag: string, value: () => string, flags: RenderFlags): boolean {
  switch (flag) {
    case '--values':
      flags.values.push(value());
      return true;
    case '--set': {
      const v = value();
      const eq = v.indexOf('=');
      if (eq <= 0) throw new UsageError(`--set "${v}": use KEY=VALUE (image.tag=1.2)`);
      flags.set[v.slice(0, eq)] = v.slice(eq + 1);
      return true;
    }
    case '--release': {
      const v = value();
      if (!isReleaseName(v)) throw new UsageError(`--release "${v}" is not a Helm release name (${RELEASE_NAME_SYNTAX})`);
      flags.release = v;
      return true;
    }
    case '--no-render':
      flags.noRender = true;
      return true;
    case '--helm':
      flags.helm = value();
      return true;
    case '--kustomize':
      flags.kustomize = value();
      return true;
    default:
      return false;
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export interface LoadedWithRenders {
  /** The files no render consumed, analysed as one set. */
  loose: Analysis;
  looseFiles: string[];
  renders: RenderSetOutput | undefined;
  /** Loose findings and every render's findings. */
  findings: Finding[];
  position(file: string, offset: number): Position;
  /** Objects read (loose and rendered). */
  objects: number;
}

export interface LoadOptions {
  cwd: string;
  /** The collected files (display paths). */
  files: string[];
  /**
   * The paths named on the command line: a loose file found in a directory is
   * read only when it may hold Kubernetes objects; a file named always is.
   */
  named?: ReadonlySet<string>;
  /** Files larger than this are not read (bytes). */
  maxBytes?: number;
  config: KniConfig;
  /** The config file's folder (its renders' paths are relative to it). */
  configDir: string;
  namespace?: string;
  flags: RenderFlags;
  /** A file's text and what its reader saw; undefined: it could not be read (the caller has said so). */
  read(file: string): { text: string; source?: FileSource } | undefined;
}

export async function loadWithRenders(opts: LoadOptions): Promise<LoadedWithRenders> {
  const { cwd, files, config, flags } = opts;
  const defaultNamespace = opts.namespace ?? config.defaultNamespace ?? DEFAULT_NAMESPACE;
  const rel = (f: string) => toPosix(relative(cwd, resolve(cwd, f))) || '.';
  const relFiles = files.map(rel);
  let renders: RenderSetOutput | undefined;
  const chartFlags = flags.values.length > 0 || Object.keys(flags.set).length > 0 || flags.release !== undefined;
  if (flags.noRender && chartFlags) throw new UsageError('--values, --set and --release render a chart: drop them or --no-render');
  if (!flags.noRender) {
    let specs: RenderSpec[] | undefined;
    if (chartFlags) {
      const charts = chartFolders(relFiles);
      if (charts.length !== 1) throw new UsageError(`--values, --set and --release apply to one chart, and the paths hold ${charts.length === 0 ? 'none (no Chart.yaml)' : `${charts.length} (${charts.join(', ')})`}; name one chart folder, or use ${CONFIG_FILE_NAME} renders`);
      const release = flags.release ?? releaseNameFor(charts[0], basename(cwd));
      const values = flags.values.map((v) => resolve(cwd, v));
      const shown = flags.values.length > 0 ? flags.values.join(', ') : 'values.yaml';
      specs = [{ kind: 'helm', chart: charts[0], release, namespace: defaultNamespace, values, set: flags.set, name: `${release} (${shown}${Object.keys(flags.set).length > 0 ? `, --set ${Object.entries(flags.set).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''})` }];
    }
    const configured = config.renders?.map((r) => {
      const fix = (p: string) => toPosix(relative(cwd, resolve(opts.configDir, p))) || '.';
      return 'chart' in r ? { ...r, chart: fix(r.chart) } : { ...r, kustomize: fix(r.kustomize) };
    });
    renders = await renderSet({
      cwd,
      files: relFiles,
      read: (p) => {
        try {
          return readFileSync(resolve(cwd, p), 'utf8');
        } catch {
          return undefined;
        }
      },
      exists: (p) => existsSync(resolve(cwd, p)),
      config,
      configured,
      defaultNamespace,
      settings: {
        helmPath: flags.helm !== undefined ? (flags.helm.includes('/') ? resolve(cwd, flags.helm) : flags.helm) : undefined,
        kustomizePath: flags.kustomize !== undefined ? (flags.kustomize.includes('/') ? resolve(cwd, flags.kustomize) : flags.kustomize) : undefined,
        helmPathName: '--helm',
        kustomizePathName: '--kustomize',
      },
      specs,
    });
  }
  const consumed = renders?.consumed ?? new Set<string>();
  const loose = new Analysis({ config, defaultNamespace, ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}) });
  const looseFiles: string[] = [];
  files.forEach((f, i) => {
    if (consumed.has(relFiles[i])) return;
    const read = opts.read(f);
    if (!read) return;
    const { text, source } = read;
    if (!opts.named?.has(f) && !looksLikeManifest(text)) return;
    looseFiles.push(f);
    loose.setFile(f, text, source);
  });
  const findings = [...loose.findings(), ...(renders?.findings ?? [])].sort(compareFindings);
  const lineIndexes = new Map<string, LineIndex>();
  const position = (file: string, offset: number): Position => {
    const parsed = loose.parsed(file);
    if (parsed) return parsed.lines.positionAt(offset);
    let li = lineIndexes.get(file);
    if (!li) {
      const text = renders?.sourceTexts.get(file) ?? (isAbsolute(file) ? undefined : safeRead(resolve(cwd, file)));
      if (text === undefined) return { line: 1, column: 1 };
      li = new LineIndex(text);
      lineIndexes.set(file, li);
    }
    return li.positionAt(offset);
  };
  let objects = 0;
  for (const f of looseFiles) objects += loose.parsed(f)?.objects.length ?? 0;
  for (const r of renders?.renders ?? []) {
    const session = r.session;
    if (!session) continue;
    for (const d of r.result?.documents ?? []) objects += session.analysis.parsed(d.virtualFile)?.objects.length ?? 0;
  }
  return { loose, looseFiles, renders, findings, position, objects };
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * One model of the loose files and every render (what a trace or the
 * connectivity matrix reads): each render's objects as its own analysis read
 * them (a chart's objects without a namespace are in the release namespace),
 * the lists put together.
 */
export function combinedModel(loaded: LoadedWithRenders, config: KniConfig): { model: NetworkModel; index: ModelIndex } {
  const sessions = (loaded.renders?.renders ?? []).flatMap((r) => (r.session && r.result && r.result.documents.length > 0 ? [r.session] : []));
  const models = [...(loaded.looseFiles.length > 0 || sessions.length === 0 ? [loaded.loose.model()] : []), ...sessions.map((s) => s.analysis.model())];
  if (models.length === 1) {
    const only = loaded.looseFiles.length > 0 || sessions.length === 0 ? loaded.loose : sessions[0].analysis;
    return { model: only.model(), index: only.index() };
  }
  const model = emptyModel('manifests', models[0].defaultNamespace);
  for (const m of models) {
    for (const key of Object.keys(model) as (keyof NetworkModel)[]) {
      const list = m[key];
      if (Array.isArray(list)) (model[key] as unknown[]).push(...list);
    }
  }
  return { model, index: new ModelIndex(model, { ignoreLabelKeys: config.ignoreLabelKeys }) };
}
