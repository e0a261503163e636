// Bundles bench/lint.ts (the core, TypeScript) with esbuild and runs it in a
// child Node with --expose-gc, so memory figures are taken after collection.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

mkdirSync('bench/results', { recursive: true });
await esbuild.build({
  entryPoints: ['bench/lint.ts'],
  outfile: 'bench/results/lint.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // @monokle/validation is ESM-only: loaded with import() at run time.
  external: ['@monokle/validation'],
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '-e', "require('./bench/results/lint.cjs').main().catch((e) => { console.error(e); process.exit(1); })"], {
  stdio: 'inherit',
});
process.exitCode = r.status ?? 1;
