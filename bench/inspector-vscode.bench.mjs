// The inspector's first drawing in a real VS Code (code-server through the
// integration runner, test/integration/suite/inspector-bench.test.ts), on a
// generated workspace: N Pods (10 per app, one file per app with the app's
// Service) in 20 namespaces, each namespace with a NetworkPolicy admitting
// its own Pods. Opens the inspector once indexed and measures until the panel
// reports its drawing, then again after closing and reopening it (median of
// 5); the page's `ready` on the way; the extension host's longest block.
//
//   node bench/inspector-vscode.bench.mjs [--pods 5000] [--baseline DIR] [--verbose]
//
// --baseline DIR: also runs another checkout of the repository (built, with
// node_modules), the same test file copied into its suite, on the same
// workspace: a before/after in one run. Needs `node esbuild.mjs` and the
// integration tier (scripts/setup-test-env.sh). Writes bench/results/inspector-vscode.json.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const PODS = Number(arg('--pods', 5000));
const BASELINE = arg('--baseline', undefined);
const NAMESPACES = 20;
const PER_APP = 10;

function appFile(app) {
  const ns = `team-${app % NAMESPACES}`;
  const name = `app-${app}`;
  const docs = [];
  for (let p = 0; p < PER_APP; p++) {
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: ${name}-${p}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  containers:
    - name: main
      image: registry.example/${name}:1.0
      ports:
        - name: http
          containerPort: 8080
`);
  }
  docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
`);
  return docs.join('---\n');
}

function policyFile(n) {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: team-${n}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: same-namespace
  namespace: team-${n}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: {}
`;
}

const work = mkdtempSync(join(tmpdir(), 'kni-inspector-bench-'));
const folder = join(work, 'workspace');
mkdirSync(folder);
for (let app = 0; app < PODS / PER_APP; app++) writeFileSync(join(folder, `app-${String(app).padStart(4, '0')}.yaml`), appFile(app));
for (let n = 0; n < NAMESPACES; n++) writeFileSync(join(folder, `namespace-${n}.yaml`), policyFile(n));

function run(checkout) {
  if (checkout !== root) copyFileSync(join(root, 'test/integration/suite/inspector-bench.test.ts'), join(checkout, 'test/integration/suite/inspector-bench.test.ts'));
  const r = spawnSync(process.execPath, ['test/integration/run-code-server.mjs', '--folder', folder, '--grep', 'inspector benchmark', '--timeout', '900000', '--env', 'KNI_INSPECTOR_BENCH=1', '--env', `KNI_INSPECTOR_BENCH_PODS=${PODS}`], {
    cwd: checkout,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (args.includes('--verbose')) console.log(r.stdout, r.stderr);
  const line = /KNI_INSPECTOR_BENCH (\{.*\})/.exec(r.stdout ?? '');
  if (line) return JSON.parse(line[1]);
  const why = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').filter((l) => /not installed|missing|integration:|Error|failed/.test(l)).slice(-4).join(' / ');
  return { skipped: `the integration run gave no figures (exit ${r.status}): ${why}` };
}

const rows = [];
try {
  if (BASELINE) rows.push({ build: 'before', ...run(resolve(BASELINE)) });
  rows.push({ build: 'after', ...run(root) });
} finally {
  rmSync(work, { recursive: true, force: true });
}
const load = loadavg().map((x) => x.toFixed(1)).join(' ');
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/inspector-vscode.json'), JSON.stringify({ date: new Date().toISOString(), loadAverage: load, rows }, null, 2) + '\n');
console.log(`load average at the end: ${load}`);
console.log('\n| build | Pods (files) | graph nodes (drawn) | opened → drawn (of which: page ready; host longest block) | reopened → drawn, median of 5 (page ready; host longest block) |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) {
  if (r.skipped) console.log(`| ${r.build} | ${r.skipped} |`);
  else console.log(`| ${r.build} | ${r.pods.toLocaleString('en')} (${r.files}) | ${r.graphNodes?.toLocaleString('en')} (${r.drawnNodes.toLocaleString('en')}) | ${r.firstMs.toLocaleString('en')} ms (${r.firstReadyMs} ms; ${r.firstBlockedMs} ms) | ${r.reopenedMs.toLocaleString('en')} ms (${r.reopenedReadyMs} ms; ${r.reopenedBlockedMs} ms) |`);
}
