// Benchmark: `kni connectivity` on a synthetic set of 2,000 workloads and 500
// NetworkPolicies (deterministic: the same set every run), and the trace
// engine on a sample of its Services.
//
//   node bench/connectivity.bench.mjs [--workloads N] [--policies N] [--apps N] [--admin N]
//
// --admin N adds N AdminNetworkPolicies (the first two sharing a priority)
// and a BaselineAdminNetworkPolicy, drawn after the NetworkPolicies so that
// the rest of the set stays the same.
//
// Measures:
//   - index: building the ModelIndex;
//   - matrix: computing every ordered pair (external + N x N), walking all
//     entries as the CLI does (ports formatted), with the number of workload
//     classes and class pairs actually computed;
//   - baseline: the one-connection evaluator (evaluatePolicies) on a sample of
//     pairs, extrapolated to all pairs x the same 4 probe ports — what a
//     pair-by-pair implementation would cost;
//   - trace: traceRequest on 200 Services (median, p95).
// Writes bench/results/connectivity.json.
import { bundleCore, numberOption, seededRandom } from './support.mjs';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const args = process.argv.slice(2);
const opt = (name, fallback) => numberOption(args, name, fallback);
const WORKLOADS = opt('workloads', 2000);
const POLICIES = opt('policies', 500);
// Distinct app labels: fewer means more workloads alike to every policy (fewer classes).
const APPS = opt('apps', 300);
const ADMIN = opt('admin', 0);

const entry = `
export { ModelIndex } from './src/core/model/model-index';
export { connectivityMatrix, evaluatePolicies, workloadSubject, externalSubject } from './src/core/policy';
export { traceRequest } from './src/core/trace';
`;
const core = await bundleCore('connectivity', entry);

// ---------------------------------------------------------------- the synthetic set

const rand = seededRandom(42);
const pick = (list) => list[Math.floor(rand() * list.length)];
const origin = { source: 'manifest', file: 'bench.yaml' };
let ids = 0;
const meta = (kind, name, namespace, labels = {}) => ({ id: `bench#${ids++}`, kind, apiVersion: 'v1', name, namespace, labels, annotations: {}, origin });
const sel = (matchLabels = {}, matchExpressions = []) => ({ matchLabels, matchExpressions });

const NAMESPACES = Array.from({ length: 40 }, (_, i) => `team-${i}`);
const TIERS = ['web', 'api', 'db', 'cache', 'worker'];
const namespaces = NAMESPACES.map((n, i) => ({ ...meta('Namespace', n, ''), labels: { team: n, env: i % 2 ? 'prod' : 'dev' } }));
const workloads = [];
for (let i = 0; i < WORKLOADS; i++) {
  const ns = NAMESPACES[i % NAMESPACES.length];
  const tier = pick(TIERS);
  const app = `app-${i % APPS}`;
  const port = tier === 'db' ? 5432 : tier === 'cache' ? 6379 : 8080;
  workloads.push({
    ...meta('Deployment', `w-${i}`, ns),
    kind: 'Deployment',
    podLabels: { app, tier, version: `v${i % 3}` },
    selector: sel({ app, tier }),
    containers: [{ name: 'c', init: false, probes: [], ports: [{ containerPort: port, name: 'http', protocol: 'TCP' }, { containerPort: 9090, name: 'metrics', protocol: 'TCP' }] }],
    replicas: 2,
    hostNetwork: false,
    pods: [],
  });
}
const policies = [];
const peer = () => {
  const r = rand();
  if (r < 0.4) return { podSelector: sel({ tier: pick(TIERS) }) };
  if (r < 0.6) return { namespaceSelector: sel({ team: pick(NAMESPACES) }) };
  if (r < 0.8) return { namespaceSelector: sel({ env: pick(['prod', 'dev']) }), podSelector: sel({ tier: pick(TIERS) }) };
  if (r < 0.9) return { podSelector: sel({}, [{ key: 'app', operator: 'In', values: [`app-${Math.floor(rand() * APPS)}`, `app-${Math.floor(rand() * APPS)}`] }]) };
  return { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } };
};
const ports = () => {
  const r = rand();
  if (r < 0.3) return [];
  if (r < 0.6) return [{ protocol: 'TCP', port: pick([8080, 5432, 6379]) }];
  if (r < 0.8) return [{ protocol: 'TCP', port: 'http' }];
  return [{ protocol: 'TCP', port: 30000, endPort: 32767 }, { protocol: 'UDP', port: 53 }];
};
for (let i = 0; i < POLICIES; i++) {
  const ns = NAMESPACES[i % NAMESPACES.length];
  if (i < NAMESPACES.length) {
    policies.push({ ...meta('NetworkPolicy', `default-deny-${i}`, ns), kind: 'NetworkPolicy', podSelector: sel(), policyTypes: ['Ingress'], ingress: [], egress: [] });
    continue;
  }
  const egress = rand() < 0.2;
  const rules = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({ peers: Array.from({ length: 1 + Math.floor(rand() * 2) }, peer), ports: ports() }));
  policies.push({
    ...meta('NetworkPolicy', `p-${i}`, ns),
    kind: 'NetworkPolicy',
    podSelector: rand() < 0.5 ? sel({ tier: pick(TIERS) }) : sel({ app: `app-${Math.floor(rand() * APPS)}` }),
    policyTypes: egress ? ['Ingress', 'Egress'] : ['Ingress'],
    ingress: rules,
    egress: egress ? [{ peers: [peer()], ports: ports() }] : [],
  });
}
const adminPolicies = [];
const anpPort = (protocol, port, endPort) => ({ protocol, port, ...(endPort ? { endPort } : {}) });
const adminRule = (name, action, peers, ports) => ({ name, action, actionWritten: action, peers, ...(ports ? { ports } : {}) });
for (let i = 0; i < ADMIN; i++) {
  const team = () => ({ namespaces: sel({ team: pick(NAMESPACES) }) });
  adminPolicies.push({
    ...meta('AdminNetworkPolicy', `anp-${i}`, ''),
    kind: 'AdminNetworkPolicy',
    tier: 'Admin',
    priority: i < 2 ? 10 : 10 + i,
    subject: i % 2 ? { namespaces: sel({ env: pick(['prod', 'dev']) }) } : { pods: { namespaceSelector: sel(), podSelector: sel({ tier: pick(TIERS) }) } },
    ingress: [
      adminRule(`deny-db-from-team`, 'Deny', [team()], [anpPort('TCP', 5432)]),
      adminRule(`pass-dev`, 'Pass', [{ namespaces: sel({ env: 'dev' }) }]),
      adminRule(`allow-tier`, 'Allow', [{ pods: { namespaceSelector: sel(), podSelector: sel({ tier: pick(TIERS) }) } }], [anpPort('TCP', 8080), anpPort('TCP', 9000, 9100)]),
    ],
    egress: [
      adminRule('deny-smtp', 'Deny', [{ networks: ['0.0.0.0/0'] }], [anpPort('TCP', 25)]),
      adminRule('allow-team', 'Allow', [team()]),
    ],
  });
}
if (ADMIN > 0) {
  adminPolicies.push({
    ...meta('BaselineAdminNetworkPolicy', 'default', ''),
    kind: 'BaselineAdminNetworkPolicy',
    tier: 'Baseline',
    subject: { namespaces: sel({ env: 'prod' }) },
    ingress: [adminRule('deny-from-dev', 'Deny', [{ namespaces: sel({ env: 'dev' }) }])],
    egress: [adminRule('deny-internet', 'Deny', [{ networks: ['0.0.0.0/0', '::/0'] }])],
  });
}
const services = workloads.slice(0, 200).map((w) => ({
  ...meta('Service', w.name, w.namespace),
  kind: 'Service',
  type: 'ClusterIP',
  clusterIPs: [],
  headless: false,
  ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', name: 'http' }],
  selector: sel(w.podLabels),
  sessionAffinity: 'None',
  externalIPs: [],
  loadBalancerIPs: [],
  ipFamilies: [],
  publishNotReadyAddresses: false,
}));
const model = {
  source: 'manifests',
  defaultNamespace: 'default',
  namespaces,
  nodes: [],
  workloads,
  services,
  endpointSlices: [],
  ingresses: [],
  ingressClasses: [],
  routes: [],
  gateways: [],
  gatewayClasses: [],
  referenceGrants: [],
  networkPolicies: policies,
  adminNetworkPolicies: adminPolicies,
};

// ---------------------------------------------------------------- measurements

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
let t0 = process.hrtime.bigint();
const index = new core.ModelIndex(model);
const indexMs = ms(t0);

t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const matrix = core.connectivityMatrix(model, index);
let pairs = 0;
let none = 0;
let all = 0;
let conditional = 0;
for (const e of matrix.entries()) {
  pairs++;
  if (e.allowed === 'all') all++;
  else if (e.allowed.length === 0) none++;
  if (e.conditional) conditional++;
}
const matrixMs = ms(t0);
const matrixPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
// With --expose-gc: what the matrix keeps alive (its caches), apart from garbage not yet collected.
globalThis.gc?.();
const matrixHeapMb = Math.round(process.memoryUsage().heapUsed / 1048576);
const cpu = process.cpuUsage(cpu0);
const matrixCpuMs = (cpu.user + cpu.system) / 1000;
const stats = matrix.stats();

// Baseline: the evaluator pair by pair on a sample, 4 probe ports each.
const PROBES = [8080, 5432, 6379, 9090];
const SAMPLE = 4000;
t0 = process.hrtime.bigint();
for (let i = 0; i < SAMPLE; i++) {
  const s = workloads[(i * 7919) % workloads.length];
  const d = workloads[(i * 104729) % workloads.length];
  for (const port of PROBES) core.evaluatePolicies(index, { source: core.workloadSubject(s), destination: core.workloadSubject(d), protocol: 'TCP', port });
}
const sampleMs = ms(t0);
const baselineMs = (sampleMs / SAMPLE) * pairs;

// Trace.
const times = [];
for (const svc of services) {
  const t = process.hrtime.bigint();
  core.traceRequest(model, index, { to: { kind: 'service', namespace: svc.namespace, name: svc.name } });
  times.push(ms(t));
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];

const result = {
  workloads: WORKLOADS,
  policies: POLICIES,
  apps: APPS,
  admin: ADMIN,
  pairs,
  allowedAll: all,
  allowedNone: none,
  conditional,
  classes: stats.classes,
  classPairs: stats.classPairs,
  indexMs: Math.round(indexMs),
  matrixMs: Math.round(matrixMs),
  matrixCpuMs: Math.round(matrixCpuMs),
  matrixPeakRssMb,
  matrixHeapMb,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  baselineExtrapolatedMs: Math.round(baselineMs),
  traceMedianMs: Number(q(0.5).toFixed(2)),
  traceP95Ms: Number(q(0.95).toFixed(2)),
  node: process.version,
  cpus: cpus().length,
};
console.log(`connectivity: ${WORKLOADS} workloads, ${POLICIES} policies, ${ADMIN} admin policies${ADMIN > 0 ? ' and a baseline' : ''} -> ${pairs.toLocaleString('en')} pairs`);
console.log(`  index                ${result.indexMs} ms`);
console.log(`  matrix (all pairs)   ${result.matrixMs} ms wall, ${result.matrixCpuMs} ms CPU   (${stats.classes} classes, ${stats.classPairs.toLocaleString("en")} class pairs computed, ${stats.answers.toLocaleString("en")} distinct answers)`);
console.log(`  pair-by-pair (est.)  ${result.baselineExtrapolatedMs} ms   (evaluator on ${SAMPLE} sampled pairs x ${PROBES.length} ports, extrapolated)`);
console.log(`  peak RSS             ${result.matrixPeakRssMb} MB after the matrix, ${result.peakRssMb} MB at the end; heap in use after the matrix ${matrixHeapMb} MB${globalThis.gc ? ' (after a GC)' : ''}`);
console.log(`  outcome              ${all} all, ${none} none, ${pairs - all - none} some ports, ${conditional} with conditions`);
console.log(`  trace (200 Services) median ${result.traceMedianMs} ms, p95 ${result.traceP95Ms} ms`);
writeFileSync('bench/results/connectivity.json', `${JSON.stringify(result, null, 2)}\n`);
