// Reading the paths a trace or connectivity command is given into one model:
// files and directories (recursively .yaml, .yml, .json; node_modules and .git
// skipped), all one set, through the same Analysis the linter uses.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Analysis } from '../../core/analysis';
import type { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';

export class InputError extends Error {}

export interface LoadedSet {
  model: NetworkModel;
  index: ModelIndex;
  files: string[];
  /** "file:line:col: message" for each error the parser reported (the rest of the set is still used). */
  problems: string[];
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

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

function collectFiles(cwd: string, given: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (display: string, abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    out.push(display);
  };
  for (const p of given) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      throw new InputError(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    if (st.isDirectory()) walk(p, abs, add);
    else add(p, abs);
  }
  return out;
}

function walk(display: string, abs: string, add: (display: string, abs: string) => void): void {
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`${display}: cannot read the directory (${(e as Error).message})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const d = display === '.' ? e.name : join(display, e.name);
    const a = join(abs, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(d, a, add);
    } else if (MANIFEST.test(e.name)) {
      try {
        if (statSync(a).isFile()) add(d, a);
      } catch {
        // A dangling symlink: nothing to read.
      }
    }
  }
}
