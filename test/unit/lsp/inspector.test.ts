// The inspector over the language server: the files' graph as a compact
// message (the graph the extension's host draws from the same model), a
// subscriber's patches after an edit (applied, they give the graph a new
// request answers), traces of a node and of a target (the panel's TraceView
// and the `kni trace` text), a node's questions, where a node's object is
// written, a render's release as a scope of its own (its objects revealed at
// their template line), and bad requests refused.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Analysis } from '../../../src/core/analysis';
import { buildTopologyGraph, OUTSIDE_ID } from '../../../src/core/topology';
import {
  GRAPH_CHANGED_NOTIFICATION,
  GRAPH_REQUEST,
  OBJECT_LOCATION_REQUEST,
  RENDERS_REQUEST,
  TRACE_QUESTIONS_REQUEST,
  TRACE_REQUEST,
  type CompactGraph,
  type GraphChangedParams,
  type GraphResult,
  type ObjectLocation,
  type RendersResult,
  type TopologyGraph,
  type TraceQuestionsResult,
  type TraceResult,
} from '../../../src/protocol';
import { applyGraphPatch, decodeGraph } from '../../../src/view-model';
import { startClient, type Client } from '../../fixtures/lsp/scripted-client';
import { missingTool, renderTools } from '../../fixtures/render-tools';

const SHOP = resolve('examples/shop');
const CART = join(SHOP, '30-cart.yaml');
const CART_URI = pathToFileURL(CART).href;

/** The graph the extension's inspector host builds from the same files (absolute paths, as the server keys them). */
function localGraph(): TopologyGraph {
  const analysis = new Analysis({ defaultNamespace: 'default' });
  const files = readdirSync(SHOP).filter((f) => f.endsWith('.yaml'));
  for (const f of files) analysis.setFile(join(SHOP, f), readFileSync(join(SHOP, f), 'utf8'));
  return buildTopologyGraph(analysis.index(), { findings: analysis.findings(), sourceLabel: `workspace · ${files.length} files` });
}

const graphOf = (r: GraphResult) => decodeGraph(r.graph as CompactGraph);
const sortedIds = (g: TopologyGraph) => g.nodes.map((n) => n.id).sort();

describe('kni lsp: the inspector', function () {
  this.timeout(30_000);
  let c: Client | undefined;
  afterEach(async () => c?.close());

  it("answers the files' graph, compact, as the extension's host would draw it", async () => {
    c = await startClient();
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const r = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' });
    assert.equal(r.scope, 'files');
    assert.ok(r.version > 0);
    assert.equal(r.view, undefined, 'no cluster: no files / cluster control');
    const got = graphOf(r);
    const want = localGraph();
    assert.equal(got.sourceLabel, want.sourceLabel);
    assert.deepEqual(sortedIds(got), sortedIds(want));
    assert.deepEqual(got.edges.map((e) => e.id).sort(), want.edges.map((e) => e.id).sort());
    const cart = got.nodes.find((n) => n.id.startsWith('service:') && n.label === 'cart');
    assert.ok(cart?.findings && cart.findings.errors >= 1, 'the cart Service carries its error badge');
    assert.ok(cart.findings.messages.some((m) => /app=carts/.test(m)), cart.findings.messages.join('; '));
    // The next request without a change is the same graph, as a new version.
    const again = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' });
    assert.ok(again.version > r.version);
    assert.deepStrictEqual(graphOf(again), got);
  });

  it('sends a subscriber the patch of an edit, which gives the graph a new request answers', async () => {
    c = await startClient();
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const first = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files', subscribe: true });
    const held = graphOf(first);
    const text = readFileSync(CART, 'utf8');
    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: CART_URI, languageId: 'yaml', version: 1, text } });
    const fixed = text.replace(/(# MISTAKE[^\n]*\n\s*app: )cart\b/, '$1carts');
    assert.notEqual(fixed, text);
    const since = c.notifications(GRAPH_CHANGED_NOTIFICATION).length;
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 2 }, contentChanges: [{ text: fixed }] });
    const change = await c.waitForNotification<GraphChangedParams>(GRAPH_CHANGED_NOTIFICATION, (p) => p.scope === 'files', since, 'a graph change after the edit');
    assert.ok('patch' in change, 'a selector fixed is a patch, not the whole graph');
    assert.equal(change.baseVersion, first.version);
    const patched = applyGraphPatch(held, change.patch);
    const cart = patched.nodes.find((n) => n.id.startsWith('service:') && n.label === 'cart');
    assert.equal(cart?.findings, undefined, 'the fixed Service has no badge any more');
    const now = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' });
    assert.deepStrictEqual(patched, graphOf(now));
  });

  it("traces a node as its hover explains it, with `kni trace`'s text", async () => {
    c = await startClient({ settings: { trace: { proxyMode: 'nftables' } } });
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const g = graphOf(await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' }));
    const frontend = g.nodes.find((n) => n.kind === 'service' && n.label === 'frontend');
    assert.ok(frontend);
    const questions = await c.rpc.sendRequest<TraceQuestionsResult>(TRACE_QUESTIONS_REQUEST, { scope: 'files', nodeId: frontend.id });
    assert.deepEqual(
      questions.questions.map((q) => [q.from, q.request, q.upstream]),
      [
        ['the Ingress controller (https://shop.example.com/)', 'external -> https://shop.example.com/', true],
        ['a Pod in namespace shop', 'a Pod in shop -> svc/shop/frontend:80', false],
      ],
    );
    const r = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', nodeId: frontend.id, text: true });
    assert.ok(r.trace, r.problem);
    assert.equal(r.trace.nodeId, frontend.id);
    assert.equal(r.trace.fromEngine, true);
    assert.equal(r.trace.from, 'the Ingress controller (https://shop.example.com/)');
    assert.ok(r.trace.edgeIds.every((id) => g.edges.some((e) => e.id === id)), 'the lit edges are edges of the graph the client holds');
    assert.match(r.text ?? '', /^trace external -> https:\/\/shop\.example\.com\/ \(kube-proxy mode: nftables\)\n/);
    assert.match(r.text ?? '', /\nverdict: /);
    // One question alone: the Pod of the namespace, lighting its own path.
    const inner = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', nodeId: frontend.id, question: 1 });
    assert.equal(inner.trace?.from, 'a Pod in namespace shop');
    assert.equal(inner.trace?.alternative, undefined);
  });

  it('traces from one drawn node to another (egress to the world outside, Pod to Pod), as "Trace to…" does', async () => {
    c = await startClient({ root: resolve('examples/egress') });
    const g = graphOf(await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' }));
    const api = g.nodes.find((n) => n.kind === 'workload' && n.label === 'api');
    const web = g.nodes.find((n) => n.kind === 'workload' && n.label === 'web');
    assert.ok(api && web && g.nodes.some((n) => n.id === OUTSIDE_ID), 'the egress example draws api, web and the world outside');
    const out = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', nodeId: api.id, to: OUTSIDE_ID, text: true });
    assert.ok(out.trace, out.problem);
    assert.equal(out.trace.title, 'payments/api → Any address outside');
    assert.deepEqual(out.trace.edgeIds, [`${api.id}->${OUTSIDE_ID}`]);
    assert.deepEqual(out.trace.hops.map((h) => h.kind), ['policy', 'snat', 'external']);
    assert.match(out.text ?? '', /snat/);
    const pod = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', nodeId: web.id, to: api.id });
    assert.ok(pod.trace, pod.problem);
    assert.equal(pod.trace.title, 'payments/web → payments/api');
    assert.ok(!pod.trace.hops.some((h) => /kube-proxy|dnat/i.test(h.kind)), 'Pod to Pod: no kube-proxy on the path');
    const missing = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', nodeId: api.id, to: 'workload:nothing' });
    assert.equal(missing.trace, null);
    assert.match(missing.problem ?? '', /no node .* or workload:nothing/);
  });

  it('traces a target the editor names, and says why when it cannot', async () => {
    c = await startClient();
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const g = graphOf(await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' }));
    const cart = g.nodes.find((n) => n.kind === 'service' && n.label === 'cart');
    assert.ok(cart?.objectId);
    const r = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', target: { serviceId: cart.objectId, port: 80 }, text: true });
    assert.equal(r.trace?.nodeId, cart.id);
    assert.ok(r.trace && r.trace.verdict !== 'reachable', 'the cart Service selects no Pod');
    assert.match(r.text ?? '', /^trace a Pod in shop -> svc\/shop\/cart:80/);
    const url = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', target: { url: 'https://shop.example.com/' } });
    assert.ok(url.trace?.nodeId.startsWith('ingress:'), url.trace?.nodeId);
    const unknown = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', target: { serviceId: 'nothing#0' } });
    assert.deepEqual([unknown.trace, unknown.problem], [null, "that Service is not in the inspector's model."]);
    const node = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', nodeId: 'service:nothing' });
    assert.equal(node.trace, null);
    assert.match(node.problem ?? '', /^no node service:nothing in the graph of version \d+$/);
  });

  it("says where a node's object is written: its name in its file", async () => {
    c = await startClient();
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const g = graphOf(await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' }));
    const cart = g.nodes.find((n) => n.kind === 'service' && n.label === 'cart');
    assert.ok(cart?.objectId);
    const at = await c.rpc.sendRequest<ObjectLocation | null>(OBJECT_LOCATION_REQUEST, { scope: 'files', objectId: cart.objectId });
    assert.equal(at?.uri, CART_URI);
    const lines = readFileSync(CART, 'utf8').split('\n');
    const line = lines[at.range.start.line];
    assert.equal(line.slice(at.range.start.character, at.range.end.character), 'cart', `the Service's name on ${JSON.stringify(line)}`);
    assert.match(lines.slice(0, at.range.start.line).reverse().find((l) => /^kind:/.test(l)) ?? '', /^kind: Service$/);
    assert.equal(await c.rpc.sendRequest(OBJECT_LOCATION_REQUEST, { scope: 'files', objectId: 'nothing#0' }), null);
    assert.equal(await c.rpc.sendRequest(OBJECT_LOCATION_REQUEST, { scope: 'cluster', objectId: cart.objectId }), null, 'no cluster: nothing to reveal');
    await assert.rejects(c.rpc.sendRequest(OBJECT_LOCATION_REQUEST, { scope: 'files' }), /objectId is a node's objectId/);
  });

  it("draws a render's release as a scope of its own: traced there, its objects revealed at their template line", async function () {
    const { helm4 } = renderTools();
    if (!helm4) return missingTool(this, 'helm 4');
    const dir = mkdtempSync(join(tmpdir(), 'kni-lsp-inspector-'));
    try {
      cpSync(resolve('examples/charts'), join(dir, 'charts'), { recursive: true });
      c = await startClient({ root: dir, initializationOptions: { trusted: true, helmPath: helm4 } });
      const template = join(dir, 'charts/api/templates/service.yaml');
      await c.waitFor(pathToFileURL(template).href, (d) => d.some((x) => x.code === 'service-target-port-missing'));
      const { renders } = await c.rpc.sendRequest<RendersResult>(RENDERS_REQUEST);
      const api = renders.find((r) => r.kind === 'helm');
      assert.equal(api?.state, 'rendered');
      const scope = `render:${api.id}`;
      const r = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope, subscribe: true });
      assert.equal(r.scope, scope);
      const g = graphOf(r);
      assert.match(g.sourceLabel, /^render api \(/);
      const service = g.nodes.find((n) => n.kind === 'service');
      assert.ok(service?.objectId, `no Service among ${g.nodes.map((n) => n.id).join(', ')}`);
      assert.ok(service.findings?.messages.some((m) => /targetPort/.test(m)), "the template's finding is the Service's badge");
      // The files' graph does not hold the chart's objects: its templates are no loose manifests.
      const files = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' });
      assert.ok(files.graph === null || !graphOf(files).nodes.some((n) => n.id === service.id));

      const at = await c.rpc.sendRequest<ObjectLocation | null>(OBJECT_LOCATION_REQUEST, { scope, objectId: service.objectId });
      assert.equal(at?.uri, pathToFileURL(template).href, 'revealed in its template, not in the rendered text');
      assert.match(readFileSync(template, 'utf8').split('\n')[at.range.start.line], /^\s+name: \{\{ include "api\.fullname"/);

      const t = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope, target: { serviceId: service.objectId }, text: true });
      assert.equal(t.trace?.nodeId, service.id, t.problem);
      assert.match(t.text ?? '', /^trace a Pod in default -> svc\/default\/api/);

      const unknown = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'render:9:nothing', target: { serviceId: service.objectId } });
      assert.deepEqual(unknown, { version: 0, trace: null, problem: 'the workspace has no render 9:nothing (kni/renders lists them)' });
      assert.deepEqual(await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'render:9:nothing' }), { scope: 'render:9:nothing', version: 0, graph: null });
      await assert.rejects(c.rpc.sendRequest(GRAPH_REQUEST, { scope: 'render:' }), /scope must be one of files, cluster or render:<render id>/);
    } finally {
      await c?.close();
      c = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a request without a scope it knows, and answers no graph for a cluster not connected', async () => {
    c = await startClient();
    await assert.rejects(c.rpc.sendRequest(GRAPH_REQUEST, { scope: 'everything' }), /scope must be one of files, cluster/);
    await assert.rejects(c.rpc.sendRequest(TRACE_REQUEST, { scope: 'files' }), /needs a nodeId or a target/);
    await assert.rejects(c.rpc.sendRequest(TRACE_REQUEST, { scope: 'files', target: { url: 42 } }), /a trace target is/);
    await assert.rejects(c.rpc.sendRequest(TRACE_REQUEST, { scope: 'files', nodeId: 'x', question: 'first' }), /question is the index/);
    assert.deepEqual(await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'cluster' }), { scope: 'cluster', version: 0, graph: null });
    const t = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'cluster', nodeId: 'x' });
    assert.deepEqual(t, { version: 0, trace: null, problem: 'no cluster is connected' });
  });
});
