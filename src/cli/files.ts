// The paths a command is given, as the list of manifest files they hold:
// files as given, directories searched recursively for .yaml, .yml and .json
// (node_modules and .git skipped), in a stable order, each file once.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A path that cannot be read: the message names it. */
export class InputError extends Error {}

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Manifest files under the given paths, as display paths (the path as given, joined with the relative path below it). */
export function collectFiles(cwd: string, given: string[]): string[] {
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
    } else if (MANIFEST.test(e.name) && (e.isFile() || (e.isSymbolicLink() && isFile(a)))) {
      add(d, a);
    }
  }
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}
