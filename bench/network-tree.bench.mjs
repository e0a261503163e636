// Benchmark: the Network view's tree against the inspector's graph, on the
// synthetic cluster (test/fixtures/cluster-model.ts: 10 Pods per workload, a
// Service and an EndpointSlice each, 20 namespaces with a policy each, 1 Pod
// in 200 with a finding). In one run, medians of 5, a fresh tree each time:
//   - the top level (what the view asks first: namespaces with their counts
//     and finding sums);
//   - one namespace's Services (endpoints counted from their EndpointSlices);
//   - every namespace's Services, and the whole tree walked item by item (what
//     no view asks at once: the bound);
//   - the inspector's graph built in one go, for scale;
//   - `kni/networkTree` (top level) over a JSON-RPC connection to the server,
//     beside `kni/graph` on the same model.
//
//   node bench/network-tree.bench.mjs [--sizes 5000,20000]
// Writes bench/results/network-tree.json.
import { writeFileSync } from 'node:fs';
import { bundleCore } from './support.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--sizes');
const SIZES = (at >= 0 ? args[at + 1] : '5000,20000').split(',').map(Number);
const ROUNDS = 5;

const core = await bundleCore(
  'network-tree',
  `
import { PassThrough } from 'node:stream';
import { createConnection, createMessageConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { NetworkTreeService } from './src/server/network-tree';
import { InspectorService } from './src/server/inspector';
import { GRAPH_REQUEST, NETWORK_TREE_REQUEST } from './src/protocol';
export { NetworkTree } from './src/core/editor/network-tree';
export { buildTopologyGraph } from './src/core/topology';
export { clusterIndex } from './test/fixtures/cluster-model';

/** A server with the Network view and the inspector over one model, and a client; each request sees a new model object (built anew). */
export function connect(index, findings) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  let model;
  const fresh = () => (model = { index, findings: [...findings], sourceLabel: 'bench cluster' });
  new NetworkTreeService(server, { model: () => model, place: () => undefined, ready: () => Promise.resolve() }).register();
  new InspectorService(server, { model: () => model, traceSettings: () => ({ proxyMode: 'iptables' }), ready: () => Promise.resolve() }).register();
  server.listen();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  return {
    tree: () => (fresh(), client.sendRequest(NETWORK_TREE_REQUEST, { scope: 'cluster' })),
    graph: () => (fresh(), client.sendRequest(GRAPH_REQUEST, { scope: 'cluster' })),
    close: () => (client.dispose(), server.dispose()),
  };
}
`,
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn) {
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}
const ms = (x) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;

const results = [];
for (const pods of SIZES) {
  const { index, findings } = core.clusterIndex(pods);
  const fresh = () => new core.NetworkTree(index, [...findings]);
  let items = 0;
  const top = await time(() => fresh().children());
  const oneNamespace = await time(() => {
    const tree = fresh();
    const [ns] = tree.children();
    const services = tree.children(tree.children(ns.id).find((g) => g.label === 'Services').id);
    items = services.length;
  });
  const servicesOf = (tree) => tree.children().flatMap((ns) => tree.children(tree.children(ns.id).find((g) => g.label === 'Services').id));
  const allServices = await time(() => servicesOf(fresh()));
  let walked = 0;
  const whole = await time(() => {
    const tree = fresh();
    walked = 0;
    const walk = (parent) => {
      for (const n of tree.children(parent)) {
        walked++;
        if (n.hasChildren) walk(n.id);
      }
    };
    walk();
  });
  const graph = await time(() => core.buildTopologyGraph(index, { findings: [...findings], sourceLabel: 'bench' }));
  const server = core.connect(index, findings);
  const treeRequest = await time(() => server.tree());
  const graphRequest = await time(() => server.graph());
  server.close();
  const row = { pods, top, oneNamespace, servicesInOneNamespace: items, allServices, whole, itemsInWholeTree: walked, graph, treeRequest, graphRequest };
  results.push(row);
  console.log(
    `${pods} Pods: top level ${ms(top)} (${(top / graph).toFixed(3)}× the graph), one namespace's ${items} Services ${ms(oneNamespace)} (${(oneNamespace / graph).toFixed(3)}×), ` +
      `every Service ${ms(allServices)} (${(allServices / graph).toFixed(2)}×), the whole tree (${walked} items) ${ms(whole)} (${(whole / graph).toFixed(2)}×), graph ${ms(graph)}; ` +
      `kni/networkTree ${ms(treeRequest)} vs kni/graph ${ms(graphRequest)} (${(treeRequest / graphRequest).toFixed(3)}×)`,
  );
}
writeFileSync('bench/results/network-tree.json', `${JSON.stringify(results, null, 2)}\n`);
