// The workspace's files on disk, with node:fs: listing the manifest
// candidates (*.yaml, *.yml, *.json) under a folder, and reading one. The
// first scan used vscode.workspace.findFiles, whose first call starts VS
// Code's search process: about 600 ms before the first file of even a tiny
// workspace could be read. Virtual file systems still go through findFiles
// and vscode.workspace.fs (workspace-index.ts).
import { closeSync, openSync, readFileSync, readSync, statSync, type Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { minimatch } from 'minimatch';
import { isManifestPath } from '../config/facts';
import { DEFAULT_MAX_BYTES, type FileSource } from '../source/manifests';
import { decodeManifestBytes } from '../text/decode';

/** Files up to this size are read synchronously (see readLocalFile). */
const READ_AT_ONCE_MAX_BYTES = 256 * 1024;
/** Of a file over the size limit, only this much is read: enough to tell a manifest from other YAML. */
const HEAD_BYTES = 64 * 1024;
const GLOB_OPTIONS = { dot: true, matchBase: false, nocomment: true } as const;
/** Always skipped, like the CLI does. */
export const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

export interface WalkOptions {
  /**
   * Globs relative to the folder ('/'-separated), as in files.exclude: a
   * matching directory is not entered, a matching file is left out.
   */
  exclude: readonly string[];
  isCancelled?: () => boolean;
}

/** The folder-relative paths ('/'-separated) of the manifest candidates, sorted. */
export async function listManifestFiles(root: string, options: WalkOptions): Promise<string[]> {
  const matchers = options.exclude.map((g) => new minimatch.Minimatch(g, GLOB_OPTIONS));
  const excluded = (rel: string) => matchers.some((m) => m.match(rel));
  const found: string[] = [];
  // Symbolic links are followed (as VS Code's search does), each real directory once.
  const seen = new Set<string>([await realpath(root).catch(() => root)]);
  let level: string[] = [''];
  while (level.length > 0 && !options.isCancelled?.()) {
    const next: string[] = [];
    await Promise.all(
      level.map(async (dir) => {
        let entries: Dirent[];
        try {
          entries = await readdir(join(root, dir), { withFileTypes: true });
        } catch {
          return; // unreadable or gone meanwhile: nothing to analyse there
        }
        for (const e of entries) {
          const rel = dir ? `${dir}/${e.name}` : e.name;
          let isDir = e.isDirectory();
          let isFile = e.isFile();
          if (e.isSymbolicLink()) {
            const target = await stat(join(root, rel)).catch(() => undefined);
            if (!target) continue;
            isDir = target.isDirectory();
            isFile = target.isFile();
            if (isDir) {
              const real = await realpath(join(root, rel)).catch(() => undefined);
              if (!real || seen.has(real)) continue;
              seen.add(real);
            }
          }
          // A directory is also tried with a trailing slash: `**/node_modules/**` names what is inside it.
          if (isDir) {
            if (!excluded(rel) && !excluded(`${rel}/`)) next.push(rel);
          } else if (isFile && isManifestPath(e.name) && !excluded(rel)) found.push(rel);
        }
      }),
    );
    level = next;
  }
  return found.sort();
}

/** A file's text and what its reader saw (the core reports the encoding's problems and the size). */
export interface FileText {
  text: string;
  source: FileSource;
}

/**
 * A file's text, decoded as the core decides (UTF-8, or UTF-16 by its byte
 * order mark or its zero bytes; the byte order mark dropped, as in an editor's
 * document). The size is checked first: of a file over the limit only the
 * head is read (the core reports it as too large without parsing it).
 * A small file is read at once: fs.promises.readFile costs an open, fstat,
 * read and close of its own, each a trip through libuv's thread pool with
 * promises and a FileHandle to collect after (3 to 4 times the CPU of
 * readFileSync for the benchmark's 3,710 files, and garbage for a first scan
 * that spent a quarter of its time collecting it). The stat keeps a large
 * file from blocking the extension host.
 */
export async function readLocalFile(path: string, maxBytes: number = DEFAULT_MAX_BYTES): Promise<FileText> {
  const st = statSync(path);
  if (!st.isFile()) throw new Error(`${path} is not a regular file`);
  if (st.size > maxBytes) return { text: decodeManifestBytes(readHead(path)).text, source: { bytes: st.size } };
  const bytes = st.size <= READ_AT_ONCE_MAX_BYTES ? readFileSync(path) : await readFile(path);
  return decodeManifestBytes(bytes);
}

function readHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(HEAD_BYTES);
    return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}
