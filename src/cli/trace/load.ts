// Reading the paths a trace or connectivity command is given into one model:
// files and directories (recursively .yaml, .yml, .json; node_modules and .git
// skipped), all one set, through the same Analysis the linter uses.
import { resolve } from 'node:path';
import { Analysis } from '../../core/analysis';
import type { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';
import { DEFAULT_MAX_BYTES } from '../../core/source/manifests';
import { collectFiles, InputError, readManifestFile } from '../files';
import { looksLikeManifest } from '../../core/source/manifests/sniff';

export { InputError };

export interface LoadedSet {
  model: NetworkModel;
  index: ModelIndex;
  files: string[];
  /** "file:line:col: message" for each error the parser reported (the rest of the set is still used). */
  problems: string[];
}

export function loadSet(cwd: string, paths: string[], defaultNamespace: string | undefined, maxBytes = DEFAULT_MAX_BYTES): LoadedSet {
  // A trace over part of the set could name a wrong verdict: any path that cannot be read stops it (exit 2).
  const { files: found, problems: unreadable } = collectFiles(cwd, paths.length > 0 ? paths : ['.']);
  if (unreadable.length > 0) throw new InputError(unreadable.join('\n'));
  const analysis = new Analysis({ defaultNamespace, maxBytes });
  // As kni lint: a file found in a directory only when it may hold Kubernetes objects.
  const named = new Set(paths);
  const files: string[] = [];
  for (const f of found) {
    const { text, source } = readManifestFile(f, resolve(cwd, f), maxBytes);
    if (!named.has(f) && !looksLikeManifest(text)) continue;
    files.push(f);
    analysis.setFile(f, text, source);
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
