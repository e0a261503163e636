// Reading the paths a trace or connectivity command is given into one model:
// files and directories (recursively .yaml, .yml, .json; node_modules and .git
// skipped), all one set, through the same Analysis the linter uses.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Analysis } from '../../core/analysis';
import type { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';
import { collectFiles, InputError } from '../files';
import { looksLikeManifest } from '../../core/source/manifests/sniff';

export { InputError };

export interface LoadedSet {
  model: NetworkModel;
  index: ModelIndex;
  files: string[];
  /** "file:line:col: message" for each error the parser reported (the rest of the set is still used). */
  problems: string[];
}

export function loadSet(cwd: string, paths: string[], defaultNamespace: string | undefined): LoadedSet {
  const found = collectFiles(cwd, paths.length > 0 ? paths : ['.']);
  const analysis = new Analysis({ defaultNamespace });
  // As kni lint: a file found in a directory only when it may hold Kubernetes objects.
  const named = new Set(paths);
  const files: string[] = [];
  for (const f of found) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, f), 'utf8');
    } catch (e) {
      throw new InputError(`${f}: cannot read the file (${(e as Error).message})`);
    }
    if (!named.has(f) && !looksLikeManifest(text)) continue;
    files.push(f);
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
