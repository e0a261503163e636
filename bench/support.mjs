// What the benchmarks share: their numeric options, the core bundled for
// Node from TypeScript, and a seeded random source for synthetic sets.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

/** `--name N` from the command line as a number, or the fallback. */
export function numberOption(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** Bundles `entry` (TypeScript re-exports, from the repository root) to bench/results/NAME.cjs and loads it. */
export async function bundleCore(name, entry) {
  mkdirSync('bench/results', { recursive: true });
  await esbuild.build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
    outfile: `bench/results/${name}.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(`./results/${name}.cjs`);
}

/** mulberry32: deterministic numbers in [0, 1) from a seed. */
export function seededRandom(seed) {
  let s = seed;
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
