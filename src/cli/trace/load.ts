// Reading the paths a trace or connectivity command is given into one model:
// files and directories (recursively .yaml, .yml, .json; node_modules and .git
// skipped), all one set, through the same Analysis the linter uses, with the
// charts and Kustomize roots among them rendered.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILE_NAME } from '../../core/config/facts';
import { formatConfigProblem, parseConfig } from '../../core/config/load';
import { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';
import { DEFAULT_MAX_BYTES } from '../../core/source/manifests';
import { collectFiles, describeUnreadPath, InputError, readManifestFile } from '../files';
import { emptyConfig } from '../../core/config/types';
import type { RuleId } from '../../core/rules/catalogue';
import { combinedModel, loadWithRenders, type RenderFlags } from '../renders';
import { clusterModelForCli, type ClusterArgs } from '../cluster-args';
import { UsageError } from '../args';
import type { CliIO } from '../io';
import type { PartialRead } from '../format/types';
import { safe } from '../../view-model/terminal-safe';

export { InputError };

export interface LoadedSet {
  model: NetworkModel;
  index: ModelIndex;
  files: string[];
  /** "file:line:col: message" for each error the parser reported (the rest of the set is still used). */
  problems: string[];
}

/**
 * The set with its charts and Kustomize roots rendered (a trace on a chart
 * runs in the rendered release): the loose files and every render in one
 * model, each render's objects as its own analysis read them.
 */
export async function loadSetWithRenders(
  cwd: string,
  paths: string[],
  defaultNamespace: string | undefined,
  flags: RenderFlags,
  maxBytes: number = DEFAULT_MAX_BYTES,
): Promise<LoadedSet> {
  // A trace over part of the set could name a wrong verdict: any path that cannot be read stops it (exit 2).
  const { files, problems: unreadable } = collectFiles(cwd, paths.length > 0 ? paths : ['.']);
  if (unreadable.length > 0) throw new InputError(unreadable.map(describeUnreadPath).join('\n'));
  // The working directory's .kni.yaml, as kni lint reads it: its renders, namespace and ignored label keys apply.
  let config = emptyConfig();
  const configPath = join(cwd, CONFIG_FILE_NAME);
  if (existsSync(configPath)) {
    const loaded = parseConfig(CONFIG_FILE_NAME, readFileSync(configPath, 'utf8'));
    const error = loaded.problems.find((p) => p.severity === 'error');
    if (error) throw new InputError(`${formatConfigProblem(error)} (fix ${CONFIG_FILE_NAME} and run again)`);
    config = loaded.config;
  }
  const loaded = await loadWithRenders({
    cwd,
    files,
    named: new Set(paths),
    config,
    configDir: cwd,
    namespace: defaultNamespace,
    maxBytes,
    flags,
    read: (f) => readManifestFile(f, resolve(cwd, f), maxBytes),
  });
  const { model, index } = combinedModel(loaded, config);
  const problems: string[] = [];
  for (const f of loaded.findings) {
    if (f.severity !== 'error' || !LEFT_OUT.includes(f.rule)) continue;
    const pos = loaded.position(f.loc.file, f.loc.start);
    problems.push(`${f.loc.file}:${pos.line}:${pos.column}: ${f.message}`);
  }
  for (const f of loaded.findings) if (NOT_RENDERED.includes(f.rule)) problems.push(`${f.loc.file}: ${f.message}`);
  return { model, index, files: loaded.looseFiles, problems };
}

/** Errors of these rules leave a document or a file out of the set: a trace must say so. */
const LEFT_OUT: readonly RuleId[] = ['yaml-syntax', 'render-failed', 'manifest-too-large', 'yaml-alias-limit', 'manifest-encoding'];
/** Findings of these rules mean a chart or Kustomize root was read as plain files, not rendered. */
const NOT_RENDERED: readonly RuleId[] = ['render-tool-missing', 'helm-dependencies-missing'];

/** The set a trace or connectivity command reads: a live cluster (with what it could not read) or the files and their renders. */
export interface CommandSet {
  model: NetworkModel;
  index: ModelIndex;
  /** Set for a live cluster (what could not be read; empty lists on a complete read). */
  partial?: PartialRead;
}

/**
 * Loads the set for `kni <command>`: `--cluster` (no paths allowed) or the
 * paths with their renders. Problems are said on stderr; undefined means the
 * command exits 2.
 */
export async function loadCommandSet(
  command: string,
  io: Pick<CliIO, 'cwd' | 'stderr'>,
  cluster: ClusterArgs | undefined,
  files: { paths: string[]; namespace?: string; render: RenderFlags; maxBytes?: number },
): Promise<CommandSet | undefined> {
  if (cluster) {
    if (files.paths.length > 0) {
      io.stderr(safe`kni ${command}: --cluster reads the cluster, not files: drop the paths (${files.paths.join(' ')}) or --cluster\n`);
      return undefined;
    }
    const loaded = await clusterModelForCli(command, cluster, io.stderr);
    if (!loaded) return undefined;
    // What this command's answers do not include, said once.
    for (const n of loaded.notInstalled) io.stderr(safe`kni ${command}: note: ${n}\n`);
    return { model: loaded.model, index: new ModelIndex(loaded.model), partial: { unread: loaded.unread, notChecked: [] } };
  }
  try {
    const set = await loadSetWithRenders(io.cwd, files.paths, files.namespace, files.render, files.maxBytes);
    for (const p of set.problems) io.stderr(safe`kni ${command}: warning: ${p} (the rest of the set is used)\n`);
    return set;
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) {
      io.stderr(safe`kni ${command}: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
}
