// Benchmark: Gateway API matching on a synthetic set (deterministic): one
// Gateway with an HTTP listener and 3 HTTPS listeners (one wildcard), N
// HTTPRoutes (default 500) of 4 rules each (Exact, PathPrefix, header and
// method matches) over 40 hostnames, attached by sectionName or not.
//
//   node bench/gateway.bench.mjs [--routes N]
//
// Measures, in one run:
//   - match: matchGateway for 1,000 requests (attachments computed per call,
//     as a trace does), median / p95;
//   - match, attachments given: the same with the set's attachments computed
//     once (what the lenses and the quick pick do), median;
//   - lenses: routeRuleRequests for every route, attachments computed once (the
//     Trace Request… quick pick);
//   - lint: the Gateway route rules over the set.
// Writes bench/results/gateway.json.
import { bundleCore, numberOption, seededRandom } from './support.mjs';
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, fallback) => numberOption(args, name, fallback);
const ROUTES = opt('routes', 500);

const entry = `
export { ModelIndex } from './src/core/model/model-index';
export { emptyModel } from './src/core/model/collect';
export { matchGateway, requestOf, attachments, routeRuleRequests } from './src/core/trace';
export { RuleContext, runRules } from './src/core/rules';
export { emptyConfig } from './src/core/config/types';
`;
const core = await bundleCore('gateway', entry);

const rand = seededRandom(11);
const origin = { source: 'manifest' };
let ids = 0;
const meta = (kind, name, namespace) => ({ id: `bench#${ids++}`, kind, apiVersion: 'gateway.networking.k8s.io/v1', name, namespace, labels: {}, annotations: {}, origin });

const model = core.emptyModel('manifests', 'default');
const HOSTS = Array.from({ length: 40 }, (_, i) => `app-${i}.example.com`);
model.gateways.push({
  ...meta('Gateway', 'public', 'infra'),
  kind: 'Gateway',
  gatewayClassName: 'bench',
  addresses: [],
  listeners: [
    { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { from: 'All' } },
    { name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', allowedRoutes: { from: 'All' } },
    { name: 'https-app-0', port: 443, protocol: 'HTTPS', hostname: 'app-0.example.com', allowedRoutes: { from: 'All' } },
    { name: 'https-app-1', port: 443, protocol: 'HTTPS', hostname: 'app-1.example.com', allowedRoutes: { from: 'All' } },
  ],
});
for (let i = 0; i < ROUTES; i++) {
  const ns = `team-${i % 40}`;
  const host = HOSTS[Math.floor(rand() * HOSTS.length)];
  const svc = (n) => ({ service: `svc-${n}`, port: 80, weight: 1 + Math.floor(rand() * 9), namespace: ns, kind: 'Service', group: '' });
  model.services.push({ ...meta('Service', `svc-${i}`, ns), kind: 'Service', type: 'ClusterIP', clusterIPs: [], headless: false, ports: [{ protocol: 'TCP', port: 80 }], selector: { matchLabels: { app: `a${i}` }, matchExpressions: [] }, sessionAffinity: 'None', externalIPs: [], loadBalancerIPs: [], ipFamilies: ['IPv4'], publishNotReadyAddresses: false });
  model.routes.push({
    ...meta('HTTPRoute', `route-${i}`, ns),
    kind: 'HTTPRoute',
    hostnames: [host],
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'public', ...(i % 3 === 0 ? { sectionName: 'https' } : {}) }],
    rules: [
      { matches: [{ pathType: 'Exact', path: `/r${i}/exact` }], backendRefs: [svc(i)], filters: [] },
      { matches: [{ pathType: 'PathPrefix', path: `/r${i}` }], backendRefs: [svc(i), svc(i)], filters: [] },
      { matches: [{ pathType: 'PathPrefix', path: '/', headers: [{ type: 'Exact', name: 'x-route', value: String(i) }] }], backendRefs: [svc(i)], filters: [] },
      { matches: [{ pathType: 'PathPrefix', path: `/r${i}/w`, method: 'POST' }], backendRefs: [svc(i)], filters: [] },
    ],
  });
}
const index = new core.ModelIndex(model);

const time = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] };
};
const requests = Array.from({ length: 1000 }, (_, k) => {
  const i = Math.floor(rand() * ROUTES);
  const host = model.routes[i].hostnames[0];
  const path = [`/r${i}/exact`, `/r${i}/x`, '/', `/r${i}/w/1`][k % 4];
  return core.requestOf({ scheme: k % 2 ? 'https' : 'http', host, path }, `http://${host}${path}`, k % 4 === 3 ? 'POST' : 'GET', k % 4 === 2 ? { 'x-route': String(i) } : {});
});
let matched = 0;
const perCall = requests.map((r) => time(() => (matched += core.matchGateway(model, r).choice ? 1 : 0)));
const all = core.attachments(model);
const given = requests.map((r) => time(() => core.matchGateway(model, r, all)));
let lensCount = 0;
const lenses = time(() => {
  const once = core.attachments(model);
  for (const r of model.routes) lensCount += core.routeRuleRequests(model, r, once).length;
});
const lint = time(() => {
  const ctx = new core.RuleContext(model, index, core.emptyConfig());
  core.runRules(ctx, 'global');
});
const result = {
  routes: ROUTES,
  rules: ROUTES * 4,
  attachments: all.length,
  requestsMatched: matched,
  matchMs: stats(perCall),
  matchGivenAttachmentsMs: stats(given),
  lensesMs: lenses,
  lensRequests: lensCount,
  lintGlobalMs: lint,
};
writeFileSync('bench/results/gateway.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
