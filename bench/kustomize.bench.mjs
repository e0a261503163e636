// Bundles bench/kustomize.ts (the render core, TypeScript) with esbuild and
// runs it: a Kustomize render beside the tool's own time.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

mkdirSync('bench/results', { recursive: true });
await esbuild.build({
  entryPoints: ['bench/kustomize.ts'],
  outfile: 'bench/results/kustomize.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['-e', "require('./bench/results/kustomize.cjs').main().catch((e) => { console.error(e); process.exit(1); })"], {
  stdio: 'inherit',
});
process.exitCode = r.status ?? 1;
