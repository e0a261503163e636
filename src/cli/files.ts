// The paths a command is given, as the list of manifest files they hold:
// files as given, directories searched recursively for .yaml, .yml and .json
// (node_modules and .git skipped), in a stable order, each file once. A path
// that cannot be read is reported and the rest is still used.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isManifestPath } from '../core/config/facts';
import { decodeManifestBytes, type FileSource } from '../core/source/manifests';

/** A path given (or found under a directory given) that could not be read. */
export interface UnreadPath {
  /** The path as displayed (as given, or joined below the directory given). */
  path: string;
  /** Why, for people: "cannot read the directory (EACCES)". */
  reason: string;
  /** What is missing from the report because of it: "not linted". */
  consequence: string;
  /** What the run did about it, said on stderr after the reason. */
  advice?: string;
}

/** "path: reason; advice": the stderr line (without the command's prefix). */
export function describeUnreadPath(u: UnreadPath): string {
  return `${u.path}: ${u.reason}${u.advice ? `; ${u.advice}` : ''}`;
}

/** A path that cannot be read: the message names it; `unread` says it as data when it is one path. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly unread?: UnreadPath,
  ) {
    super(message);
  }
}

function unreadFile(display: string, reason: string, advice?: string): InputError {
  const unread: UnreadPath = { path: display, reason, consequence: 'not linted', ...(advice ? { advice } : {}) };
  return new InputError(describeUnreadPath(unread), unread);
}

const errorCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Of a file over the size limit, only this much is read. */
const HEAD_BYTES = 64 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git']);

export interface CollectedFiles {
  /** Display paths: the path as given, joined with the relative path below it. */
  files: string[];
  /** Each path or directory that could not be read, in the order met. */
  problems: UnreadPath[];
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
      out.problems.push({ path: p, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message, consequence: 'not linted' });
      continue;
    }
    if (st.isDirectory()) walk(p, abs, add, out.problems);
    else if (st.isFile()) add(p, abs);
    // A device (/dev/zero), a pipe or a socket would be read forever or block: never opened.
    else out.problems.push({ path: p, reason: 'not a regular file (a device, pipe or socket)', consequence: 'not linted', advice: 'skipped. Save the manifests to a file and name that.' });
  }
  return out;
}

function walk(display: string, abs: string, add: (display: string, abs: string) => void, problems: UnreadPath[]): void {
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (e) {
    problems.push({ path: display, reason: `cannot read the directory (${errorCode(e)})`, consequence: 'nothing under it is linted', advice: 'skipped, the rest is linted' });
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
    throw unreadFile(display, `cannot read the file (${errorCode(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unreadFile(display, 'not a regular file', 'skipped');
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
    throw unreadFile(display, `cannot read the file (${errorCode(e)})`);
  } finally {
    closeSync(fd);
  }
}

function readHead(fd: number): Uint8Array {
  const head = new Uint8Array(HEAD_BYTES);
  return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
}
