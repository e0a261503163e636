// Reading the paths a trace or connectivity command is given into one model:
// files and directories (recursively .yaml, .yml, .json; node_modules and .git
// skipped), all one set, through the same Analysis the linter uses.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Analysis } from '../../core/analysis';
import type { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';
import { collectFiles, InputError } from '../files';
import { emptyConfig } from '../../core/config/types';
import { combinedAnalysis, loadWithRenders, type RenderFlags } from '../renders';

export { InputError };

export interface LoadedSet {
  model: NetworkModel;
  index: ModelIndex;
  files: string[];
  /** "file:line:col: message" for each error the parser reported (the rest of the set is still used). */
  problems: string[];
}

export function loadSet(cwd: string, paths: string[], defaultNamespace: string | undefined): LoadedSet {
  const files = collectFiles(cwd, paths.length > 0 ? paths : ['.']);
  const analysis = new Analysis({ defaultNamespace });
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, f), 'utf8');
    } catch (e) {
      throw new InputError(`${f}: cannot read the file (${(e as Error).message})`);
    }
    analysis.setFile(f, text);
  }
  const problems: string[] = [];
  for (const f of files) {
    const parsed = analysis.parsed(f);
    if (!parsed) continue;
    for (const finding of parsed.findings) {
      if (finding.severity !== 'error') continue;
      const pos = parsed.lines.positionAt(finding.loc.start);
      problems.push(`${f}:${pos.line}:${pos.column}: ${finding.message}`);
    }
  }
  return { model: analysis.model(), index: analysis.index(), files, problems };
}

/**
 * The set with its charts and Kustomize roots rendered (a trace on a chart
 * runs in the rendered release): one render alone is its own model (its
 * namespace applied); several, or renders beside plain files, are one model.
 */
export async function loadSetWithRenders(cwd: string, paths: string[], defaultNamespace: string | undefined, flags: RenderFlags): Promise<LoadedSet> {
  const files = collectFiles(cwd, paths.length > 0 ? paths : ['.']);
  const config = emptyConfig();
  const loaded = await loadWithRenders({
    cwd,
    files,
    config,
    configDir: cwd,
    namespace: defaultNamespace,
    flags,
    read: (f) => {
      try {
        return readFileSync(resolve(cwd, f), 'utf8');
      } catch (e) {
        throw new InputError(`${f}: cannot read the file (${(e as Error).message})`);
      }
    },
  });
  const analysis = combinedAnalysis(loaded, config, defaultNamespace ?? 'default');
  const problems: string[] = [];
  for (const f of loaded.findings) {
    if (f.severity !== 'error' || !['yaml-syntax', 'render-failed', 'manifest-too-large', 'yaml-alias-limit'].includes(f.rule)) continue;
    const pos = loaded.position(f.loc.file, f.loc.start);
    problems.push(`${f.loc.file}:${pos.line}:${pos.column}: ${f.message}`);
  }
  for (const f of loaded.findings) if (f.rule === 'render-tool-missing' || f.rule === 'helm-dependencies-missing') problems.push(`${f.loc.file}: ${f.message}`);
  return { model: analysis.model(), index: analysis.index(), files, problems };
}
