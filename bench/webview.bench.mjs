// The inspector at the scale of real clusters, in headless Chromium (software
// rendering). For 500, 2,000, 5,000 and 20,000 Pods of a synthetic cluster
// (10 Pods per workload, one Service and EndpointSlice each, 50 Pods per Node,
// 1 Pod in 200 with a finding), it measures:
//   - build: the core turning the model into the graph (Node);
//   - first drawing: posting the graph until the frame after `rendered`;
//   - pan and zoom frame time: the mean and p95 interval between frames while
//     the view pans or zooms every frame (requestAnimationFrame-driven, so it
//     includes style, layout, paint and raster, not only our code), at the
//     view the inspector lands on and, all expanded, at "Show everything"
//     (every object in view at once: the densest frame there is);
//   - CPU per frame: thread time of the page's main thread, and of every
//     thread that takes part in a frame (main, compositor, display compositor),
//     from a Chromium trace of the same frames. The interval is capped at the
//     display's 16.7 ms and swells with the machine's load; the CPU time says
//     what a frame costs, whatever the load.
//   - JS heap after a collection;
//   - a watch event (one Pod made not ready): the host's graph rebuild and
//     diff, the patch's size against the whole model's, and the drawing from
//     the patch against the drawing from the whole new model.
// Each size is drawn twice: as the inspector opens it (Pods folded into their
// workloads; Pods with findings stay out) and with every workload expanded
// (every Pod drawn: nothing hidden). Beside them, in the same run, a naive
// drawing of the same number of circles, lines and labels in SVG and canvas
// that redraws everything each frame: the baseline the issue quotes.
//
//   node bench/webview.bench.mjs [--sizes 500,5000] [--frames 60] [--host-only]
// Needs dist/webview.js (npm run bench builds it). Writes bench/results/webview.json (--host-only: webview-host.json).
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZES = opt('sizes', '500,2000,5000,20000').split(',').map(Number);
const FRAMES = Number(opt('frames', '60'));
/** Only the extension host's share (no browser). */
const HOST_ONLY = args.includes('--host-only');

mkdirSync('bench/results', { recursive: true });
const entry = `
import { ModelIndex } from './src/core/model/model-index';
import { buildTopologyGraph, buildTopologyGraphInSlices } from './src/core/topology';
import { indexGraph, indexGraphInSlices, traceViewFor } from './src/view-model';
export { buildTopologyGraphInSlices, indexGraph, indexGraphInSlices, traceViewFor };
export { diffGraphs } from './src/view-model';
export * from './test/webview/harness';

/** A cluster model with \`pods\` Pods: 10 per workload, a Service and EndpointSlice per workload, 50 Pods per Node. */
export function clusterGraph(pods) {
  const origin = { source: 'cluster' };
  const meta = (kind, id, name, namespace, labels = {}) => ({ id, kind, apiVersion: 'v1', name, namespace, labels, annotations: {}, origin });
  const nodes = [];
  for (let i = 0; i < Math.max(1, Math.ceil(pods / 50)); i++) {
    nodes.push({ ...meta('Node', 'node-' + i, 'node-' + i, ''), addresses: [{ type: 'InternalIP', address: '10.0.' + (i >> 8) + '.' + (i & 255) }], podCIDRs: [], ready: true });
  }
  const workloads = [], services = [], slices = [], findings = [];
  const perWorkload = 10;
  let p = 0;
  for (let w = 0; p < pods; w++) {
    const ns = 'team-' + (w % 20);
    const app = 'app-' + w;
    const wid = 'wl-' + w;
    const list = [];
    for (let r = 0; r < perWorkload && p < pods; r++, p++) {
      const ip = '10.244.' + (p >> 8 & 255) + '.' + (p & 255);
      list.push({ ...meta('Pod', 'pod-' + p, app + '-' + r, ns, { app }), ip, ips: [ip], nodeName: 'node-' + (p % nodes.length), phase: 'Running', ready: true, terminating: false, containers: [], hostNetwork: false });
    }
    workloads.push({ ...meta('Deployment', wid, app, ns), podLabels: { app }, selector: { matchLabels: { app }, matchExpressions: [] }, containers: [{ name: 'c', init: false, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], probes: [] }], replicas: list.length, hostNetwork: false, pods: list });
    const sid = 'svc-' + w;
    services.push({ ...meta('Service', sid, app, ns), type: 'ClusterIP', clusterIP: '10.96.' + (w >> 8 & 255) + '.' + (w & 255), clusterIPs: [], headless: false, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }], selector: { matchLabels: { app }, matchExpressions: [] }, sessionAffinity: 'None', externalIPs: [], loadBalancerIPs: [], ipFamilies: ['IPv4'], publishNotReadyAddresses: false });
    slices.push({ ...meta('EndpointSlice', 'eps-' + w, app + '-abc', ns, { 'kubernetes.io/service-name': app }), serviceName: app, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: list.map((pod) => ({ addresses: [pod.ip], ready: true, serving: true, terminating: false, nodeName: pod.nodeName, targetRef: { kind: 'Pod', namespace: ns, name: pod.name } })) });
  }
  // One Pod in 200 carries a finding: simplifying must never fold it away.
  for (const w of workloads) for (const pod of w.pods) if (Number(pod.id.slice(4)) % 200 === 7) findings.push({ rule: 'bench-finding', severity: 'warning', message: 'a finding on ' + pod.name, loc: { file: '', start: 0, end: 0 }, object: { kind: 'Pod', namespace: pod.namespace, name: pod.name }, related: [], fixes: [] });
  const model = { source: 'cluster', defaultNamespace: 'default', namespaces: [], nodes, workloads, services, endpointSlices: slices, ingresses: [], ingressClasses: [], routes: [], gateways: [], gatewayClasses: [], referenceGrants: [], networkPolicies: [] };
  const index = new ModelIndex(model);
  const options = { findings, sourceLabel: 'bench cluster, ' + pods + ' pods' };
  const t0 = performance.now();
  const graph = buildTopologyGraph(index, options);
  return { graph, buildMs: performance.now() - t0, withFindings: findings.length, index, options };
}
`;
await esbuild.build({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'webview-bench-entry.ts' },
  outfile: 'bench/results/webview-bench.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const lib = await import(pathToFileURL(join(process.cwd(), 'bench/results/webview-bench.mjs')).href);

/** Pans every animation frame for `frames` frames; resolves with frame intervals (ms). */
function panInPage(frames) {
  return new Promise((done) => {
    const insp = window.__kniInspector;
    const times = [];
    let last = performance.now();
    let i = 0;
    const step = (now) => {
      times.push(now - last);
      last = now;
      if (i++ >= frames) return done(times.slice(2)); // the first intervals include the start
      insp.panBy(i % 40 < 20 ? -23 : 23, i % 60 < 30 ? -17 : 17);
      requestAnimationFrame(step);
    };
    requestAnimationFrame((t) => {
      last = t;
      requestAnimationFrame(step);
    });
  });
}

/** Zooms in and out a little every animation frame (every frame redraws: no cached layer helps). */
function zoomInPage(frames) {
  return new Promise((done) => {
    const insp = window.__kniInspector;
    const times = [];
    let last = performance.now();
    let i = 0;
    const step = (now) => {
      times.push(now - last);
      last = now;
      if (i++ >= frames) return done(times.slice(2));
      insp.zoomBy(i % 30 < 15 ? 1.03 : 1 / 1.03);
      requestAnimationFrame(step);
    };
    requestAnimationFrame((t) => {
      last = t;
      requestAnimationFrame(step);
    });
  });
}

/** The naive baseline: N circles, N lines, N labels, everything redrawn/re-transformed each frame. */
function naiveInPage({ n, kind, frames }) {
  document.body.replaceChildren();
  const W = innerWidth;
  const H = innerHeight;
  const pts = Array.from({ length: n }, (_, i) => ({ x: (i % 100) * 60, y: Math.floor(i / 100) * 40 }));
  let draw;
  if (kind === 'svg') {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    const g = document.createElementNS(NS, 'g');
    svg.appendChild(g);
    pts.forEach((p, i) => {
      const q = pts[(i * 7 + 1) % n];
      const l = document.createElementNS(NS, 'line');
      l.setAttribute('x1', p.x); l.setAttribute('y1', p.y); l.setAttribute('x2', q.x); l.setAttribute('y2', q.y); l.setAttribute('stroke', '#888');
      const c = document.createElementNS(NS, 'circle');
      c.setAttribute('cx', p.x); c.setAttribute('cy', p.y); c.setAttribute('r', 8); c.setAttribute('fill', '#3794ff');
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('x', p.x + 10); t.setAttribute('y', p.y + 4); t.setAttribute('fill', '#ccc'); t.textContent = 'pod-' + i;
      g.append(l, c, t);
    });
    document.body.appendChild(svg);
    draw = (x, y) => g.setAttribute('transform', 'translate(' + x + ',' + y + ')');
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    document.body.appendChild(canvas);
    const ctx = canvas.getContext('2d');
    draw = (x, y) => {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, W, H);
      ctx.translate(x, y);
      ctx.strokeStyle = '#888';
      ctx.fillStyle = '#3794ff';
      pts.forEach((p, i) => {
        const q = pts[(i * 7 + 1) % n];
        ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(q.x, q.y); ctx.stroke();
        ctx.beginPath(); ctx.arc(p.x, p.y, 8, 0, Math.PI * 2); ctx.fill();
      });
      ctx.fillStyle = '#ccc';
      pts.forEach((p, i) => ctx.fillText('pod-' + i, p.x + 10, p.y + 4));
    };
  }
  return new Promise((done) => {
    const times = [];
    let last = performance.now();
    let i = 0;
    const step = (now) => {
      times.push(now - last);
      last = now;
      if (i++ >= frames) return done(times.slice(2));
      draw(-(i * 13) % 2000, -(i * 7) % 2000);
      requestAnimationFrame(step);
    };
    requestAnimationFrame((t) => { last = t; draw(0, 0); requestAnimationFrame(step); });
  });
}

/**
 * Runs `fn` under a Chromium trace ('toplevel' only: cheap) and returns the
 * thread time of the tasks that make frames, per frame: the renderer's main
 * thread, and all of renderer main, compositor and display compositor.
 */
async function traced(view, frames, fn) {
  const cdp = await view.context.browser().newBrowserCDPSession();
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  const result = await fn();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const names = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  let main = 0;
  let all = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask') continue;
    const thread = names.get(`${e.pid}:${e.tid}`);
    const ms = (e.tdur ?? e.dur ?? 0) / 1000;
    if (thread === 'CrRendererMain') main += ms;
    if (thread === 'CrRendererMain' || thread === 'Compositor' || thread === 'VizCompositorThread') all += ms;
  }
  return { ...result, cpuMainMs: +(main / frames).toFixed(2), cpuAllMs: +(all / frames).toFixed(2) };
}

/**
 * The extension host's share: the graph and its index for traces built in one
 * go (what blocked the host before) and in slices that yield (what the host
 * does now), with the longest stretch a 1 ms timer running alongside waited
 * (the host's event loop blocked); the JSON size of the 'model' message VS
 * Code serializes; and a hover's trace view without the graph's index (as the
 * host did before: the index rebuilt per request) and with it.
 */
async function hostBuild(index, options) {
  const blocked = async (work) => {
    let last = performance.now();
    let longest = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    const t0 = performance.now();
    const graph = await work();
    const ms = performance.now() - t0;
    longest = Math.max(longest, performance.now() - last);
    clearInterval(ticker);
    return { ms: +ms.toFixed(0), longestBlockedMs: +longest.toFixed(1), graph };
  };
  const pause = () => new Promise((r) => setImmediate(r));
  const once = await blocked(async () => {
    const graph = await lib.buildTopologyGraphInSlices(index, options, { sliceMs: Infinity });
    lib.indexGraph(graph);
    return graph;
  });
  const sliced = await blocked(async () => {
    const graph = await lib.buildTopologyGraphInSlices(index, options, { pause });
    await lib.indexGraphInSlices(graph, { pause });
    return graph;
  });
  if (JSON.stringify(once.graph) !== JSON.stringify(sliced.graph)) throw new Error('the sliced build differs from the one-go build');
  let t0 = performance.now();
  const json = JSON.stringify({ type: 'model', graph: sliced.graph });
  const serializeMs = performance.now() - t0;
  const services = sliced.graph.nodes.filter((n) => n.kind === 'service').slice(0, 20).map((n) => n.id);
  t0 = performance.now();
  for (const id of services) lib.traceViewFor(sliced.graph, id);
  const traceBefore = (performance.now() - t0) / services.length;
  const graphIndex = lib.indexGraph(sliced.graph);
  t0 = performance.now();
  for (const id of services) lib.traceViewFor(sliced.graph, id, undefined, graphIndex);
  const traceAfter = (performance.now() - t0) / services.length;
  return {
    once: { ms: once.ms, longestBlockedMs: once.longestBlockedMs },
    sliced: { ms: sliced.ms, longestBlockedMs: sliced.longestBlockedMs },
    messageMB: +(json.length / 1048576).toFixed(1),
    serializeMs: +serializeMs.toFixed(0),
    traceViewMs: { withoutIndex: +traceBefore.toFixed(1), withIndex: +traceAfter.toFixed(1) },
  };
}

/**
 * One watch event on the host, as the inspector handles it: a Pod made not
 * ready (in place, as a source may), the graph rebuilt in slices and diffed
 * against the last one; the patch's JSON against the whole model's.
 */
async function hostEvent(index, options, before) {
  const w = index.model.workloads[Math.floor(index.model.workloads.length / 2)];
  const pod = w.pods[0];
  pod.ready = false;
  for (const sl of index.model.endpointSlices) for (const e of sl.endpoints) if (e.targetRef?.name === pod.name && sl.namespace === pod.namespace) e.ready = false;
  const pause = () => new Promise((r) => setImmediate(r));
  // The build before the event, as the host made it (its Pods' nodes are reused by the next one).
  await lib.buildTopologyGraphInSlices(index, options, { pause });
  let t0 = performance.now();
  const after = await lib.buildTopologyGraphInSlices(index, options, { pause });
  const rebuildMs = performance.now() - t0;
  t0 = performance.now();
  const patch = lib.diffGraphs(before, after);
  const diffMs = performance.now() - t0;
  if (!patch) throw new Error('one Pod made not ready gave no patch');
  return {
    graph: after,
    patch,
    rebuildMs: +rebuildMs.toFixed(0),
    diffMs: +diffMs.toFixed(1),
    patchKB: +(JSON.stringify({ type: 'patch', baseVersion: 1, version: 2, patch }).length / 1024).toFixed(1),
    modelMB: +(JSON.stringify({ type: 'model', graph: after, version: 2 }).length / 1048576).toFixed(1),
  };
}

/** Posts `message` and resolves with the time to the frame after the `rendered` it answers with, and the page's own share. */
async function timedPost(view, message) {
  const since = view.posted.length;
  const t0 = performance.now();
  const rendered = view.waitForMessage('rendered', { since, timeoutMs: 120_000 });
  await view.post(message);
  await rendered;
  await view.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { endToEndMs: +(performance.now() - t0).toFixed(0), inPageMs: +(await view.page.evaluate(() => window.__kniTiming.lastDrawMs)).toFixed(0) };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { meanMs: +mean.toFixed(1), p95Ms: +s[Math.min(s.length - 1, Math.floor(s.length * 0.95))].toFixed(1), fps: +(1000 / mean).toFixed(1) };
};

async function heapMB(view) {
  const cdp = await view.context.newCDPSession(view.page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return +(usedSize / 1048576).toFixed(1);
}

const results = [];
try {
  for (const pods of SIZES) {
    const { graph, buildMs, withFindings, index, options } = lib.clusterGraph(pods);
    const row = { pods, graphNodes: graph.nodes.length, graphEdges: graph.edges.length, podsWithFindings: withFindings, buildMs: +buildMs.toFixed(1), host: await hostBuild(index, options) };
    const event = await hostEvent(index, options, graph);
    row.event = { rebuildMs: event.rebuildMs, diffMs: event.diffMs, patchKB: event.patchKB, modelMB: event.modelMB };
    for (const mode of HOST_ONLY ? [] : ['folded', 'expanded']) {
      const view = await lib.openInspector({ viewport: { width: 1280, height: 800 } });
      const t0 = performance.now();
      const rendered = await view.postModel(graph, { timeoutMs: 120_000 });
      let drawn = rendered;
      if (mode === 'expanded') {
        drawn = await view.page.evaluate(
          () =>
            new Promise((done) => {
              const t0 = performance.now();
              window.__kniInspector.expandAll(true);
              const s = window.__kniInspector.debug.scene;
              requestAnimationFrame(() => requestAnimationFrame(() => done({ nodes: s.nodes.length, edges: s.edges.length, expandMs: performance.now() - t0 })));
            }),
        );
      }
      await view.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const firstMs = performance.now() - t0;
      // In the page: from the message's arrival to the frame that shows the drawing.
      // Expanded: from the click on "Expand all" to the frame that shows every Pod.
      const inPageMs = mode === 'folded' ? await view.page.evaluate(() => window.__kniTiming.lastDrawMs) : drawn.expandMs;
      const surface = await view.page.evaluate(() => window.__kniInspector.debug.renderer.kind);
      // Pan and zoom at the view the user lands on (fit to view: legible, on the worst finding).
      const measure = async (fn) => traced(view, FRAMES, async () => stats(await view.page.evaluate(fn, FRAMES)));
      const settle = () => view.page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      const landed = await measure(panInPage);
      const zoom = await measure(zoomInPage);
      let overview;
      if (mode === 'expanded') {
        // "Show everything": every object of the cluster in view at once.
        await view.page.evaluate(() => window.__kniInspector.fitAll());
        await settle();
        const pan = await measure(panInPage);
        await settle();
        overview = { k: +(await view.page.evaluate(() => window.__kniInspector.debug.transform.k)).toPrecision(3), pan, zoom: await measure(zoomInPage) };
      }
      if (mode === 'folded') {
        // The watch event drawn: as a patch of the graph held, and as the whole new graph.
        await timedPost(view, { type: 'model', graph, version: 1 });
        row.event.patch = await timedPost(view, { type: 'patch', baseVersion: 1, version: 2, patch: event.patch });
        await timedPost(view, { type: 'model', graph, version: 3 });
        row.event.whole = await timedPost(view, { type: 'model', graph: event.graph, version: 4 });
      }
      const heap = await heapMB(view);
      const errors = await view.errors();
      await view.close();
      row[mode] = { drawnNodes: drawn.nodes, drawnEdges: drawn.edges, surface, firstDrawMs: +firstMs.toFixed(0), inPageDrawMs: inPageMs === undefined ? undefined : +inPageMs.toFixed(0), pan: landed, zoom, overview, heapMB: heap, errors: errors.length };
    }
    for (const kind of HOST_ONLY ? [] : ['svg', 'canvas']) {
      const view = await lib.openInspector({ viewport: { width: 1280, height: 800 } });
      const frames = Math.min(FRAMES, 30);
      row[`naive-${kind}`] = await traced(view, frames, async () => stats(await view.page.evaluate(naiveInPage, { n: pods, kind, frames })));
      await view.close();
    }
    results.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await lib.shutdown();
}

const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ');
writeFileSync(HOST_ONLY ? 'bench/results/webview-host.json' : 'bench/results/webview.json', JSON.stringify({ date: new Date().toISOString(), loadAverage: load, frames: FRAMES, results }, null, 2) + '\n');
const f = (m) => `${m.meanMs} / ${m.p95Ms} ms (CPU ${m.cpuMainMs} / ${m.cpuAllMs})`;
console.log(`\nload average at the end: ${load}; frame figures: interval mean / p95 (CPU per frame: main thread / all frame threads)`);
if (!HOST_ONLY) console.log('\n| Pods | build graph (Node) | drawn, folded | first drawing in page / end to end | pan frame | zoom frame | heap |');
if (!HOST_ONLY) console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of HOST_ONLY ? [] : results) {
  const x = r.folded;
  console.log(`| ${r.pods} | ${r.buildMs} ms | ${x.drawnNodes} nodes (${x.surface}) | ${x.inPageDrawMs} / ${x.firstDrawMs} ms | ${f(x.pan)} | ${f(x.zoom)} | ${x.heapMB} MB |`);
}
console.log('\n| Pods | host: graph + index in one go (longest block) | in slices (longest block) | model message (JSON.stringify) | hover trace view: index per request / kept |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of results) {
  const h = r.host;
  console.log(`| ${r.pods} | ${h.once.ms} ms (${h.once.longestBlockedMs} ms) | ${h.sliced.ms} ms (${h.sliced.longestBlockedMs} ms) | ${h.messageMB} MB (${h.serializeMs} ms) | ${h.traceViewMs.withoutIndex} / ${h.traceViewMs.withIndex} ms |`);
}
console.log('\n| Pods | watch event on the host: graph rebuilt (slices) / diffed | patch / whole model message | drawn from the patch: end to end (in page) | from the whole model |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of results) {
  const e = r.event;
  const drawn = (d) => (d ? `${d.endToEndMs} ms (${d.inPageMs} ms)` : 'n/a');
  console.log(`| ${r.pods} | ${e.rebuildMs} / ${e.diffMs} ms | ${e.patchKB} KB / ${e.modelMB} MB | ${drawn(e.patch)} | ${drawn(e.whole)} |`);
}
if (!HOST_ONLY) console.log('\n| Pods | drawn, all expanded | expand all in page | pan frame | zoom frame | "Show everything" (scale) pan frame | zoom frame | heap | naive SVG pan | naive canvas pan |');
if (!HOST_ONLY) console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of HOST_ONLY ? [] : results) {
  const e = r.expanded;
  console.log(
    `| ${r.pods} | ${e.drawnNodes} nodes (${e.surface}) | ${e.inPageDrawMs} ms | ${f(e.pan)} | ${f(e.zoom)} | (${e.overview.k}) ${f(e.overview.pan)} | ${f(e.overview.zoom)} | ${e.heapMB} MB | ${f(r['naive-svg'])} | ${f(r['naive-canvas'])} |`,
  );
}
