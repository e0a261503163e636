// The Kustomize render benchmark (bundled and run by bench/kustomize.bench.mjs).
// In ONE run, on a synthetic overlay of 50 objects (25 Deployment + Service
// pairs in a base; an overlay with namePrefix, namespace, commonLabels,
// images, one strategic-merge patch file per Service, an inline JSON6902 patch
// and a configMapGenerator), interleaved rounds of:
//   (a) `kubectl kustomize overlay`: the tool alone, what a user runs
//   (b) renderKustomize: the tree read and checked, the build through the
//       wrapper with origin annotations, the output split and stripped
//   (c) (b) + the analysis of the rendered documents and every finding mapped
//       back to its patch/base/kustomization line (RenderSession)
//   (d) mapping every scalar field of every document (the map's worst case:
//       a finding on each field)
//   (e) `kubectl kustomize` of a wrapper asking for origin annotations (what a
//       render would cost if it always used Kustomize's origin tracking; 3
//       rounds, it is slow)
// Medians of the rounds; the figures to watch are c - a and this process's
// CPU time in (c) (the tool's child process is not in it): our own share of
// a render (target: at most 50 ms beside the tool's time).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument, visit } from 'yaml';
import { emptyConfig } from '../src/core/config/types';
import { RenderSession } from '../src/core/source/render/analyse';
import { renderKustomize } from '../src/core/source/render/kustomize';
import { runTool } from '../src/core/source/render/run';
import { renderTools } from '../test/fixtures/render-tools';

const APPS = 25;
const ROUNDS = Number(process.env.KNI_BENCH_ROUNDS ?? 9);

function writeTree(dir: string): void {
  mkdirSync(join(dir, 'base'));
  mkdirSync(join(dir, 'overlay'));
  const names = Array.from({ length: APPS }, (_, i) => `app${String(i).padStart(2, '0')}`);
  for (const name of names) {
    writeFileSync(
      join(dir, 'base', `${name}.yaml`),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: ${name}\n          image: registry.example.com/${name}:1.0\n          ports:\n            - name: http\n              containerPort: 8080\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`,
    );
    // One in five patches breaks its Service's selector: findings to map back.
    const selector = names.indexOf(name) % 5 === 0 ? `${name}-v2` : name;
    writeFileSync(join(dir, 'overlay', `${name}-service.yaml`), `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${selector}\n  sessionAffinity: None\n`);
  }
  writeFileSync(join(dir, 'base', 'kustomization.yaml'), `resources:\n${names.map((n) => `  - ${n}.yaml\n`).join('')}`);
  writeFileSync(
    join(dir, 'overlay', 'kustomization.yaml'),
    `namePrefix: prod-\nnamespace: shop\ncommonLabels:\n  env: prod\nresources:\n  - ../base\nimages:\n${names.map((n) => `  - name: registry.example.com/${n}\n    newTag: "2.0"\n`).join('')}patches:\n${names.map((n) => `  - path: ${n}-service.yaml\n`).join('')}  - target:\n      kind: Deployment\n    patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 3\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - LOG_LEVEL=info\n`,
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function main(): Promise<void> {
  const kubectl = renderTools().kubectl;
  if (!kubectl) throw new Error('kubectl is missing (npm install, then node scripts/unpack-render-tools.mjs)');
  const dir = mkdtempSync(join(tmpdir(), 'kni-bench-kustomize-'));
  try {
    writeTree(dir);
    const tool = { command: kubectl, kind: 'kubectl' as const };
    const spec = { kind: 'kustomize' as const, root: 'overlay', name: 'overlay' };
    const options = { cwd: dir, env: { PATH: '' } };
    const bare: number[] = [];
    const render: number[] = [];
    const analysed: number[] = [];
    const mapAll: number[] = [];
    const cpu: number[] = [];
    let objects = 0;
    let findings = 0;
    let fields = 0;
    // Round 0 warms up (the tool's page cache, V8 compiling the parser and rules) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      let t = performance.now();
      const run = await runTool(kubectl, ['kustomize', join(dir, 'overlay')], options);
      if (run.code !== 0) throw new Error(`kubectl kustomize failed: ${run.stderr}`);
      const a = performance.now() - t;
      t = performance.now();
      const cpuBefore = process.cpuUsage();
      const result = await renderKustomize(spec, tool, options);
      const b = performance.now() - t;
      if (result.problems.length > 0) throw new Error(result.problems.map((p) => p.message).join('\n'));
      const session = new RenderSession({ config: emptyConfig(), defaultNamespace: 'default' });
      session.update(result);
      findings = session.findings().length;
      const c = performance.now() - t;
      const used = process.cpuUsage(cpuBefore);
      const cpuMs = (used.user + used.system) / 1000;
      t = performance.now();
      fields = 0;
      for (const d of result.documents) {
        visit(parseDocument(d.text), {
          Scalar(_key, node) {
            if (!node.range) return;
            d.map(node.range[0], node.range[1]);
            fields++;
          },
        });
      }
      const e = performance.now() - t;
      objects = result.documents.length;
      if (round === 0) continue;
      bare.push(a);
      render.push(b);
      analysed.push(c);
      mapAll.push(e);
      cpu.push(cpuMs);
    }
    const wrapper = join(dir, 'wrapper');
    mkdirSync(wrapper);
    writeFileSync(join(wrapper, 'kustomization.yaml'), 'resources:\n  - ../overlay\nbuildMetadata: [originAnnotations]\n');
    const tracked: number[] = [];
    for (let round = 0; round < 3; round++) {
      const t = performance.now();
      const run = await runTool(kubectl, ['kustomize', wrapper], { ...options, timeoutMs: 120_000 });
      if (run.code !== 0) throw new Error(`kubectl kustomize (origin annotations) failed: ${run.stderr}`);
      tracked.push(performance.now() - t);
    }
    const row = {
      objects,
      findings,
      fields,
      rounds: ROUNDS,
      kubectlMs: median(bare),
      renderMs: median(render),
      renderAndAnalysisMs: median(analysed),
      ownShareMs: median(analysed.map((c, i) => c - bare[i])),
      ownCpuMs: median(cpu),
      mapEveryFieldMs: median(mapAll),
      kubectlWithOriginAnnotationsMs: median(tracked),
    };
    const f = (n: number) => n.toFixed(0).padStart(6);
    console.log(`cpus ${cpus().length}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`${objects} objects, ${findings} findings, ${fields} scalar fields, median of ${ROUNDS} rounds`);
    console.log(`(a) kubectl kustomize                      ${f(row.kubectlMs)} ms`);
    console.log(`(b) renderKustomize                        ${f(row.renderMs)} ms`);
    console.log(`(c) render + analysis + findings mapped    ${f(row.renderAndAnalysisMs)} ms   (c - a per round: ${row.ownShareMs.toFixed(0)} ms; this process's CPU in (c): ${row.ownCpuMs.toFixed(0)} ms)`);
    console.log(`(d) every scalar field mapped              ${f(row.mapEveryFieldMs)} ms`);
    console.log(`(e) kubectl kustomize, origin annotations  ${f(row.kubectlWithOriginAnnotationsMs)} ms   (${(row.kubectlWithOriginAnnotationsMs / row.kubectlMs).toFixed(1)}x (a), median of 3)`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/kustomize.json', JSON.stringify(row, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
