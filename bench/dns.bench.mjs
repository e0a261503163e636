// Benchmark: the trace's DNS hop on a synthetic cluster (deterministic: the
// same set every run): 40 namespaces, 400 Services with EndpointSlices (every
// fourth one headless, its endpoints named like a StatefulSet's Pods; the
// others ClusterIP, every fifth dual-stack), 3-50 endpoints each.
//
//   node bench/dns.bench.mjs [--services N]
//
// Measures, in one run:
//   - trace: traceRequest to each Service from a Pod of another namespace
//     (its short name "svc.ns" misses the first search domain), median / p95;
//   - dns hop: the DNS hop alone for the same questions, median / p95, and
//     its share of the trace;
//   - answer: ClusterDns.answer for A and SRV questions, µs per question;
//   - the same traces with kube-dns and two CoreDNS endpoints in the set
//     (each lookup traced to a CoreDNS Pod first): median / p95, and the
//     ratio to the trace without.
// Writes bench/results/dns.json.
import { bundleCore, numberOption, seededRandom } from './support.mjs';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const args = process.argv.slice(2);
const opt = (name, fallback) => numberOption(args, name, fallback);
const SERVICES = opt('services', 400);

const entry = `
export { ModelIndex } from './src/core/model/model-index';
export { emptyModel } from './src/core/model/collect';
export { traceRequest } from './src/core/trace';
export { dnsHop } from './src/core/trace/dns';
export { ClusterDns } from './src/core/trace/dns-zone';
`;
const core = await bundleCore('dns', entry);

const rand = seededRandom(7);
const origin = { source: 'cluster' };
let ids = 0;
const meta = (kind, name, namespace, labels = {}) => ({ id: `bench#${ids++}`, kind, apiVersion: 'v1', name, namespace, labels, annotations: {}, origin });

const model = core.emptyModel('cluster', 'default');
const NAMESPACES = Array.from({ length: 40 }, (_, i) => `team-${i}`);
model.namespaces = NAMESPACES.map((n) => ({ ...meta('Namespace', n, ''), kind: 'Namespace' }));
let podIp = 0;
const nextIp = () => {
  podIp++;
  return `10.${(podIp >> 16) & 255}.${(podIp >> 8) & 255}.${podIp & 255}`;
};
for (let i = 0; i < SERVICES; i++) {
  const ns = NAMESPACES[i % NAMESPACES.length];
  const name = `svc-${i}`;
  const headless = i % 4 === 0;
  const dual = !headless && i % 5 === 0;
  const clusterIPs = headless ? ['None'] : dual ? [`172.30.${i >> 8}.${i & 255}`, `fd00:172:30::${i.toString(16)}`] : [`172.30.${i >> 8}.${i & 255}`];
  model.services.push({
    ...meta('Service', name, ns),
    kind: 'Service',
    type: 'ClusterIP',
    clusterIP: clusterIPs[0],
    clusterIPs,
    headless,
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
    sessionAffinity: 'None',
    externalIPs: [],
    loadBalancerIPs: [],
    ipFamilies: dual ? ['IPv4', 'IPv6'] : ['IPv4'],
    publishNotReadyAddresses: false,
  });
  const n = 3 + Math.floor(rand() * 48);
  const endpoints = Array.from({ length: n }, (_, k) => ({
    addresses: [nextIp()],
    ready: rand() > 0.1,
    serving: true,
    terminating: false,
    nodeName: `node-${k % 20}`,
    ...(headless ? { hostname: `${name}-${k}` } : {}),
  }));
  model.endpointSlices.push({
    ...meta('EndpointSlice', `${name}-abcde`, ns, { 'kubernetes.io/service-name': name }),
    kind: 'EndpointSlice',
    serviceName: name,
    addressType: 'IPv4',
    endpoints,
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  });
}
const index = new core.ModelIndex(model);
const services = model.services;
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const quantiles = (times) => {
  const s = [...times].sort((a, b) => a - b);
  return (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

// Warm-up: one pass of each, so the figures are of compiled code.
for (const svc of services.slice(0, 50)) {
  core.traceRequest(model, index, { to: { kind: 'service', namespace: svc.namespace, name: svc.name } });
}

const traceTimes = [];
const dnsTimes = [];
for (let i = 0; i < services.length; i++) {
  const svc = services[i];
  const from = NAMESPACES[(i + 1) % NAMESPACES.length];
  let t = process.hrtime.bigint();
  core.traceRequest(model, index, { to: { kind: 'service', namespace: svc.namespace, name: svc.name } });
  traceTimes.push(ms(t));
  t = process.hrtime.bigint();
  core.dnsHop(index, { svc, sp: svc.ports[0], namespace: from, sourceLabel: `a Pod in namespace ${from}` });
  dnsTimes.push(ms(t));
}
const tq = quantiles(traceTimes);
const dq = quantiles(dnsTimes);

const dns = new core.ClusterDns(index);
const questions = services.flatMap((s) => [
  [`${s.name}.${s.namespace}.svc.cluster.local.`, 'A'],
  [`_http._tcp.${s.name}.${s.namespace}.svc.cluster.local.`, 'SRV'],
]);
const t0 = process.hrtime.bigint();
const ROUNDS = 5;
for (let r = 0; r < ROUNDS; r++) for (const [q, type] of questions) dns.answer(q, type);
const answerUs = (ms(t0) * 1000) / (ROUNDS * questions.length);

// The same traces with the cluster DNS in the set (kube-system/kube-dns, two CoreDNS endpoints):
// each lookup is then traced to a CoreDNS Pod by the engine before the request.
const withDns = { ...model, services: [...model.services], endpointSlices: [...model.endpointSlices] };
withDns.services.push({
  ...meta('Service', 'kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' }),
  kind: 'Service',
  type: 'ClusterIP',
  clusterIP: '172.30.255.10',
  clusterIPs: ['172.30.255.10'],
  headless: false,
  selector: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] },
  ports: [{ name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 }, { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 }],
  sessionAffinity: 'None',
  externalIPs: [],
  loadBalancerIPs: [],
  ipFamilies: ['IPv4'],
  publishNotReadyAddresses: false,
});
withDns.endpointSlices.push({
  ...meta('EndpointSlice', 'kube-dns-abcde', 'kube-system', { 'kubernetes.io/service-name': 'kube-dns' }),
  kind: 'EndpointSlice',
  serviceName: 'kube-dns',
  addressType: 'IPv4',
  endpoints: [0, 1].map((k) => ({ addresses: [nextIp()], ready: true, serving: true, terminating: false, nodeName: `node-${k}` })),
  ports: [{ name: 'dns', protocol: 'UDP', port: 53 }, { name: 'dns-tcp', protocol: 'TCP', port: 53 }],
});
const dnsIndex = new core.ModelIndex(withDns);
for (const svc of services.slice(0, 50)) core.traceRequest(withDns, dnsIndex, { to: { kind: 'service', namespace: svc.namespace, name: svc.name } });
const lookupTimes = [];
let lookupHops = 0;
for (const svc of services) {
  const t = process.hrtime.bigint();
  const r = core.traceRequest(withDns, dnsIndex, { to: { kind: 'service', namespace: svc.namespace, name: svc.name } });
  lookupTimes.push(ms(t));
  lookupHops += r.hops.filter((h) => h.lookup).length;
}
if (lookupHops === 0) throw new Error('the cluster DNS in the set gave no lookup hops');
const lq = quantiles(lookupTimes);

const result = {
  services: SERVICES,
  endpoints: model.endpointSlices.reduce((n, s) => n + s.endpoints.length, 0),
  traceMedianMs: Number(tq(0.5).toFixed(3)),
  traceP95Ms: Number(tq(0.95).toFixed(3)),
  dnsHopMedianMs: Number(dq(0.5).toFixed(3)),
  dnsHopP95Ms: Number(dq(0.95).toFixed(3)),
  dnsShareOfTraceMedian: Number((dq(0.5) / tq(0.5)).toFixed(3)),
  answerMicroseconds: Number(answerUs.toFixed(1)),
  traceWithClusterDnsMedianMs: Number(lq(0.5).toFixed(3)),
  traceWithClusterDnsP95Ms: Number(lq(0.95).toFixed(3)),
  clusterDnsTraceRatio: Number((lq(0.5) / tq(0.5)).toFixed(2)),
  node: process.version,
  cpus: cpus().length,
};
console.log(`dns: ${SERVICES} Services, ${result.endpoints} endpoints`);
console.log(`  trace      median ${result.traceMedianMs} ms, p95 ${result.traceP95Ms} ms`);
console.log(`  DNS hop    median ${result.dnsHopMedianMs} ms, p95 ${result.dnsHopP95Ms} ms (${(result.dnsShareOfTraceMedian * 100).toFixed(0)}% of the trace's median)`);
console.log(`  answer     ${result.answerMicroseconds} µs per question (A and SRV, cached endpoints)`);
console.log(`  with kube-dns in the set (the lookup traced to CoreDNS): median ${result.traceWithClusterDnsMedianMs} ms, p95 ${result.traceWithClusterDnsP95Ms} ms (${result.clusterDnsTraceRatio}x the trace without)`);
writeFileSync('bench/results/dns.json', `${JSON.stringify(result, null, 2)}\n`);
