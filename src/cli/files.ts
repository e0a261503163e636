// The paths a command is given, as the list of manifest files they hold:
// files as given, directories searched recursively for .yaml, .yml and .json
// (node_modules and .git skipped), in a stable order, each file once. A path
// that cannot be read is reported and the rest is still used.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isManifestPath } from '../core/config/facts';
import { decodeManifestBytes, type FileSource } from '../core/source/manifests';

/** A path that cannot be read: the message names it. */
export class InputError extends Error {}

/** Of a file over the size limit, only this much is read. */
const HEAD_BYTES = 64 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git']);

export interface CollectedFiles {
  /** Display paths: the path as given, joined with the relative path below it. */
  files: string[];
  /** "path: what is wrong; skipped" for each path or directory that could not be read. */
  problems: string[];
}

/** Manifest files under the given paths, and the paths that could not be read. */
export function collectFiles(cwd: string, given: string[]): CollectedFiles {
  const out: CollectedFiles = { files: [], problems: [] };
  const seen = new Set<string>();
  const add = (display: string, abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    out.files.push(display);
  };
  for (const p of given) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      out.problems.push(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) walk(p, abs, add, out.problems);
    else if (st.isFile()) add(p, abs);
    // A device (/dev/zero), a pipe or a socket would be read forever or block: never opened.
    else out.problems.push(`${p}: not a regular file (a device, pipe or socket); skipped. Save the manifests to a file and name that.`);
  }
  return out;
}

function walk(display: string, abs: string, add: (display: string, abs: string) => void, problems: string[]): void {
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (e) {
    problems.push(`${display}: cannot read the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); skipped, the rest is linted`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const d = display === '.' ? e.name : join(display, e.name);
    const a = join(abs, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(d, a, add, problems);
    } else if (isManifestPath(e.name) && (e.isFile() || (e.isSymbolicLink() && isFile(a)))) {
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

/**
 * A manifest file's text and what was seen reading it (its size, encoding,
 * undecodable bytes), for Analysis.setFile. The size is checked before the
 * file is read, and the read stops past the limit even when the size said
 * otherwise (a file growing meanwhile, a /proc file of size 0): a file over
 * the limit comes back with its size and only its head (enough to tell a
 * manifest from other YAML), and the core reports it without parsing it.
 */
export function readManifestFile(display: string, abs: string, maxBytes: number): { text: string; source: FileSource } {
  let fd: number;
  try {
    // Only regular files reach here (collectFiles), so the open cannot block on a pipe.
    fd = openSync(abs, 'r');
  } catch (e) {
    throw new InputError(`${display}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${display}: not a regular file; skipped`);
    if (st.size > maxBytes) return { text: decodeManifestBytes(readHead(fd)).text, source: { bytes: st.size } };
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 64 * 1024)));
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (length > maxBytes) return { text: decodeManifestBytes(chunk.subarray(0, HEAD_BYTES)).text, source: { bytes: length } };
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, length * 2));
        chunk.copy(bigger, 0, 0, length);
        chunk = bigger;
      }
      const n = readSync(fd, chunk, length, chunk.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return { text: decodeManifestBytes(chunk.subarray(0, HEAD_BYTES)).text, source: { bytes: length } };
    return decodeManifestBytes(chunk.subarray(0, length));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${display}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

function readHead(fd: number): Uint8Array {
  const head = new Uint8Array(HEAD_BYTES);
  return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
}
