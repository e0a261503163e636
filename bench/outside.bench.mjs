// Benchmark: the world outside in the inspector's graph. A synthetic cluster
// (10 Pods per workload, 20 namespaces, one Service per workload) built into
// the inspector's graph with no NetworkPolicy and with egress policies: per
// namespace a default deny of egress and an allowance of the cluster DNS;
// every other namespace HTTPS to 0.0.0.0/0 except 10.0.0.0/8 and
// 169.254.169.254/32, every fourth TCP/5432 to 10.20.0.0/16.
//
//   node bench/outside.bench.mjs [--sizes 5000,20000]
//
// Measures, in one run: the graph build without and with the policies (the
// outside column's share; the outside view alone, one step of the sliced
// build), the outside nodes and links drawn, and the hover
// of the "Any address outside" node (its questions and traces), median of 5.
// Writes bench/results/outside.json.
import { writeFileSync } from 'node:fs';
import { bundleCore } from './support.mjs';

const args = process.argv.slice(2);
const i = args.indexOf('--sizes');
const SIZES = (i >= 0 ? args[i + 1] : '5000,20000').split(',').map(Number);

const core = await bundleCore(
  'outside',
  `
export { ModelIndex } from './src/core/model/model-index';
export { emptyModel } from './src/core/model/collect';
export { buildTopologyGraph, traceQuestionsForNode, OUTSIDE_ID, egressView } from './src/core/topology';
export { traceRequest } from './src/core/trace';
`,
);

const origin = { source: 'cluster' };
const meta = (kind, id, name, namespace, labels = {}) => ({ id, kind, apiVersion: 'v1', name, namespace, labels, annotations: {}, origin });
const selector = (matchLabels) => ({ matchLabels, matchExpressions: [] });

function clusterModel(pods, withPolicies) {
  const model = core.emptyModel('cluster', 'default');
  const nodes = Math.max(1, Math.ceil(pods / 50));
  for (let n = 0; n < nodes; n++) model.nodes.push({ ...meta('Node', `node-${n}`, `node-${n}`, ''), addresses: [{ type: 'InternalIP', address: `10.0.${n >> 8}.${n & 255}` }], podCIDRs: [], ready: true });
  let p = 0;
  for (let w = 0; p < pods; w++) {
    const ns = `team-${w % 20}`;
    const app = `app-${w}`;
    const list = [];
    for (let r = 0; r < 10 && p < pods; r++, p++) {
      const ip = `10.244.${(p >> 8) & 255}.${p & 255}`;
      list.push({ ...meta('Pod', `pod-${p}`, `${app}-${r}`, ns, { app }), ip, ips: [ip], nodeName: `node-${p % nodes}`, phase: 'Running', ready: true, terminating: false, containers: [], hostNetwork: false });
    }
    model.workloads.push({ ...meta('Deployment', `wl-${w}`, app, ns), podLabels: { app }, selector: selector({ app }), containers: [{ name: 'c', init: false, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], probes: [] }], replicas: list.length, hostNetwork: false, pods: list });
    model.services.push({ ...meta('Service', `svc-${w}`, app, ns), type: 'ClusterIP', clusterIP: `10.96.${(w >> 8) & 255}.${w & 255}`, clusterIPs: [], headless: false, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }], selector: selector({ app }), sessionAffinity: 'None', externalIPs: [], loadBalancerIPs: [], ipFamilies: ['IPv4'], publishNotReadyAddresses: false });
  }
  if (withPolicies) {
    for (let n = 0; n < 20; n++) {
      const ns = `team-${n}`;
      const np = (name, egress) => model.networkPolicies.push({ ...meta('NetworkPolicy', `np-${ns}-${name}`, name, ns), podSelector: selector({}), policyTypes: ['Egress'], ingress: [], egress });
      np('default-deny-egress', []);
      np('dns', [{ peers: [{ namespaceSelector: selector({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: selector({ 'k8s-app': 'kube-dns' }) }], ports: [{ protocol: 'UDP', port: 53 }] }]);
      if (n % 2 === 0) np('https-out', [{ peers: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'] } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
      if (n % 4 === 0) np('database', [{ peers: [{ ipBlock: { cidr: '10.20.0.0/16', except: [] } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    }
  }
  return model;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The median of 5 runs of `fn` on a fresh input each (made outside the timing). */
function timed(fn, input = () => undefined, runs = 5) {
  const times = [];
  let out;
  for (let r = 0; r < runs; r++) {
    const x = input();
    const t0 = performance.now();
    out = fn(x);
    times.push(performance.now() - t0);
  }
  return { ms: +median(times).toFixed(1), out };
}

const results = [];
for (const pods of SIZES) {
  // A new index per run: the outside view is computed once per model index, as the host's redraw does.
  const build = (index) => core.buildTopologyGraph(index, { sourceLabel: 'bench' });
  const plain = timed(build, () => new core.ModelIndex(clusterModel(pods, false)));
  const egress = timed(build, () => new core.ModelIndex(clusterModel(pods, true)));
  // The outside view is one step of the sliced build: how long it holds the extension host.
  const view = timed((index) => core.egressView(index), () => new core.ModelIndex(clusterModel(pods, true)));
  const index = new core.ModelIndex(clusterModel(pods, true));
  const graph = core.buildTopologyGraph(index, { sourceLabel: 'bench' });
  const outside = graph.nodes.filter((n) => n.kind === 'external');
  const links = graph.edges.filter((e) => e.to.startsWith('external:')).length;
  const anyNode = graph.nodes.find((n) => n.id === core.OUTSIDE_ID);
  const hover = timed(() => core.traceQuestionsForNode(anyNode, graph, index).map((q) => core.traceRequest(index.model, index, q.options).verdict));
  const row = { pods, workloads: index.model.workloads.length, buildMs: plain.ms, buildWithEgressMs: egress.ms, outsideViewMs: view.ms, ratio: +(egress.ms / plain.ms).toFixed(2), outsideNodes: outside.length, outsideLinks: links, graphEdges: graph.edges.length, anyDetail: anyNode.detail, hoverMs: hover.ms, hoverVerdicts: hover.out };
  results.push(row);
  console.log(JSON.stringify(row));
}
writeFileSync('bench/results/outside.json', JSON.stringify(results, null, 2));
