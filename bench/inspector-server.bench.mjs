// The inspector's first drawing through the language server, against today's
// model message, in one run. For 5,000 and 20,000 Pods of the synthetic
// cluster (test/fixtures/cluster-model.ts: 10 Pods per workload, a Service and
// EndpointSlice each, 50 Pods per Node, 20 namespaces with a policy each):
//   - request: a client's `kni/graph` over a real JSON-RPC connection (streams
//     in one process) until the answer is parsed: the server building the
//     graph, encoding it, the framing and the client's parse; today's message
//     (the plain graph) through the same connection beside it;
//     (for the breakdown: the graph built in one go, and encoded, on their own);
//   - decode: the compact graph back into the graph (on Node);
//   - page: the message posted into the inspector page in headless Chromium
//     as JSON text (the harness's object transfer costs more than the message
//     itself) until the frame after `rendered`: the compact message (decoded
//     in the page) against the plain one;
//   - message size (JSON) of each;
//   - before / after for the VS Code panel: before, the extension host built
//     the graph itself (in slices) and posted the plain model (VS Code
//     serializes a webview message in the host); after, the host asks the
//     server and posts its compact answer as it is (the request above, the
//     host's serialization of the compact message, the page).
// Every step is run three times, alternating compact and plain; medians.
//
//   node bench/inspector-server.bench.mjs [--sizes 5000,20000] [--no-page]
// Needs dist/webview.js for the page (npm run bench builds it). Writes bench/results/inspector-server.json.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';

const args = process.argv.slice(2);
const sizesAt = args.indexOf('--sizes');
const SIZES = (sizesAt >= 0 ? args[sizesAt + 1] : '5000,20000').split(',').map(Number);
const PAGE = !args.includes('--no-page');
const ROUNDS = 3;

mkdirSync('bench/results', { recursive: true });
const entry = `
import { PassThrough } from 'node:stream';
import { createConnection, createMessageConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { InspectorService } from './src/server/inspector';
import { buildTopologyGraph, buildTopologyGraphInSlices } from './src/core/topology';
import { GRAPH_REQUEST } from './src/protocol';
import { decodeGraph, encodeGraph } from './src/view-model';
import { clusterIndex } from './test/fixtures/cluster-model';
export { decodeGraph, encodeGraph, clusterIndex };

/** The graph built in one go, as the server's request builds it (in slices), for the breakdown. */
export function buildOnce(index, findings) {
  return buildTopologyGraph(index, { findings: [...findings], sourceLabel: 'bench cluster' });
}
export * from './test/webview/harness';

/** A server with the inspector over the cluster's model, and a client connected to it. */
/** What the extension host did before the panel drew from the server: the graph built in slices in the host, as the plain model message. */
export async function hostModel(index, findings) {
  const pause = () => new Promise((r) => setImmediate(r));
  const graph = await buildTopologyGraphInSlices(index, { findings: [...findings], sourceLabel: 'bench cluster' }, { pause });
  return { type: 'model', graph, version: 1, view: { current: 'cluster', cluster: 'bench' } };
}

export function connect(index, findings) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  let model;
  /** A new model object per request: the server builds the graph again, as after a change. */
  const fresh = () => (model = { index, findings: [...findings], sourceLabel: 'bench cluster', view: { current: 'cluster', cluster: 'bench' } });
  const inspector = new InspectorService(server, { model: () => model, traceSettings: () => ({ proxyMode: 'iptables' }), ready: () => Promise.resolve(), rendersIdle: () => Promise.resolve(), location: () => undefined });
  inspector.register();
  // Today's message through the same connection: the plain graph the host posts.
  server.onRequest('bench/plainGraph', async () => {
    const pause = () => new Promise((r) => setImmediate(r));
    const graph = await buildTopologyGraphInSlices(model.index, { findings: model.findings, sourceLabel: model.sourceLabel }, { pause });
    return { type: 'model', graph, version: 1, view: model.view };
  });
  server.listen();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  return {
    compact: () => (fresh(), client.sendRequest(GRAPH_REQUEST, { scope: 'cluster' })),
    plain: () => (fresh(), client.sendRequest('bench/plainGraph')),
    close: () => (client.dispose(), server.dispose()),
  };
}
`;
// Packages stay external: the browser harness (playwright) loads its own files.
await esbuild.build({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'inspector-server-bench-entry.ts' },
  outfile: 'bench/results/inspector-server-bench.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const lib = createRequire(import.meta.url)('./results/inspector-server-bench.cjs');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => +x.toFixed(0);

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * Posts into the page as JSON text parsed there (as a webview receives a host's
 * message), and resolves when the frame after its `rendered` is shown.
 */
async function pageDraw(view, message) {
  const since = view.posted.length;
  const t0 = performance.now();
  const rendered = view.waitForMessage('rendered', { since, timeoutMs: 120_000 });
  await view.page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  await rendered;
  await view.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { ms: performance.now() - t0, inPage: await view.page.evaluate(() => window.__kniTiming.lastDrawMs) };
}

const results = [];
try {
  for (const pods of SIZES) {
    const { index, findings } = lib.clusterIndex(pods);
    const conn = lib.connect(index, findings);
    const t = { build: [], encode: [], compact: [], plain: [], decode: [], pageCompact: [], pagePlain: [], inPageCompact: [], inPagePlain: [], hostBuild: [], postPlain: [], postCompact: [] };
    let compactResult;
    let plainResult;
    for (let r = 0; r < ROUNDS; r++) {
      const c = await timed(conn.compact);
      t.compact.push(c.ms);
      compactResult = c.value;
      const p = await timed(conn.plain);
      t.plain.push(p.ms);
      plainResult = p.value;
      const b = await timed(async () => lib.buildOnce(index, findings));
      t.build.push(b.ms);
      const e = await timed(async () => lib.encodeGraph(b.value));
      t.encode.push(e.ms);
      const d = await timed(async () => lib.decodeGraph(compactResult.graph));
      t.decode.push(d.ms);
      if (!isDeepStrictEqual(d.value, plainResult.graph)) throw new Error('the decoded graph differs from the plain one');
      const h = await timed(() => lib.hostModel(index, findings));
      t.hostBuild.push(h.ms);
      t.postPlain.push((await timed(async () => JSON.stringify(h.value))).ms);
      t.postCompact.push((await timed(async () => JSON.stringify({ type: 'compactModel', graph: compactResult.graph, version: 1, view: compactResult.view }))).ms);
    }
    conn.close();
    if (PAGE) {
      const view = await lib.openInspector({ viewport: { width: 1280, height: 800 } });
      for (let r = 0; r < ROUNDS; r++) {
        const c = await pageDraw(view, { type: 'compactModel', graph: compactResult.graph, version: 2 * r + 1, view: compactResult.view });
        t.pageCompact.push(c.ms);
        t.inPageCompact.push(c.inPage);
        const p = await pageDraw(view, { ...plainResult, version: 2 * r + 2 });
        t.pagePlain.push(p.ms);
        t.inPagePlain.push(p.inPage);
      }
      const errors = await view.errors();
      await view.close();
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    }
    const row = {
      pods,
      graphNodes: plainResult.graph.nodes.length,
      graphEdges: plainResult.graph.edges.length,
      compactKB: +(JSON.stringify(compactResult).length / 1024).toFixed(0),
      plainKB: +(JSON.stringify(plainResult).length / 1024).toFixed(0),
      requestMs: { compact: ms(median(t.compact)), plain: ms(median(t.plain)) },
      buildMs: ms(median(t.build)),
      encodeMs: +median(t.encode).toFixed(1),
      decodeMs: +median(t.decode).toFixed(1),
      ...(PAGE
        ? {
            pageMs: { compact: ms(median(t.pageCompact)), plain: ms(median(t.pagePlain)) },
            inPageMs: { compact: ms(median(t.inPageCompact)), plain: ms(median(t.inPagePlain)) },
            endToEndMs: { compact: ms(median(t.compact) + median(t.pageCompact)), plain: ms(median(t.plain) + median(t.pagePlain)) },
            panel: {
              hostBuildMs: ms(median(t.hostBuild)),
              postPlainMs: ms(median(t.postPlain)),
              postCompactMs: ms(median(t.postCompact)),
              beforeMs: ms(median(t.hostBuild) + median(t.postPlain) + median(t.pagePlain)),
              afterMs: ms(median(t.compact) + median(t.postCompact) + median(t.pageCompact)),
            },
          }
        : {}),
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  if (PAGE) await lib.shutdown();
}

const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ');
writeFileSync('bench/results/inspector-server.json', JSON.stringify({ date: new Date().toISOString(), loadAverage: load, results }, null, 2) + '\n');
console.log(`\nload average at the end: ${load}; medians of ${ROUNDS}`);
console.log('\n| Pods | graph nodes / edges | message: compact / plain (ratio) | kni/graph request: compact / plain (of which: graph built in one go, encoded) | decode (Node) | into the page and drawn: compact / plain (in page) | end to end: compact / plain (ratio) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const page = r.pageMs ? `${r.pageMs.compact} / ${r.pageMs.plain} ms (${r.inPageMs.compact} / ${r.inPageMs.plain} ms)` : 'n/a';
  const e2e = r.endToEndMs ? `${r.endToEndMs.compact} / ${r.endToEndMs.plain} ms (${(r.endToEndMs.compact / r.endToEndMs.plain).toFixed(2)})` : 'n/a';
  console.log(`| ${r.pods.toLocaleString('en')} | ${r.graphNodes.toLocaleString('en')} / ${r.graphEdges.toLocaleString('en')} | ${r.compactKB} / ${r.plainKB} KB (${(r.compactKB / r.plainKB).toFixed(2)}) | ${r.requestMs.compact} / ${r.requestMs.plain} ms (${r.buildMs}, ${r.encodeMs} ms) | ${r.decodeMs} ms | ${page} | ${e2e} |`);
}
if (results.some((r) => r.panel)) {
  console.log('\n| Pods | before: host builds (slices) + posts the model + page | after: kni/graph + host posts the compact answer + page | ratio |');
  console.log('|---:|---:|---:|---:|');
  for (const r of results.filter((x) => x.panel)) {
    const p = r.panel;
    console.log(`| ${r.pods.toLocaleString('en')} | ${p.beforeMs.toLocaleString('en')} ms (${p.hostBuildMs} + ${p.postPlainMs} + ${r.pageMs.plain}) | ${p.afterMs.toLocaleString('en')} ms (${r.requestMs.compact} + ${p.postCompactMs} + ${r.pageMs.compact}) | ${(p.afterMs / p.beforeMs).toFixed(2)} |`);
  }
}
