// The core halves of the inspector's reflow and of hovers that explain what
// they light, on plain Node: the layout down and with boxes and gaps sized to
// their text, endpoints folded into the Service → Pod link, which requests a
// Service's hover explains, clauses said once, and the one object count.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import type { ModelIndex } from '../../../src/core/model/model-index';
import { objectCount } from '../../../src/core/model/object-count';
import { traceRequest } from '../../../src/core/trace';
import { buildTopologyGraph, INTERNET_ID, traceQuestionsForNode, traceQuestionsForRequest } from '../../../src/core/topology';
import { indexGraph, layoutGraph, NODE_HEIGHT, traceViewForQuestions, visibleGraph, withoutRepeats } from '../../../src/view-model';
import type { TopologyGraph, TopologyNode, TraceView } from '../../../src/protocol';

/** The shop example; `readyFrontend`: with frontend's readiness probe fixed, so that the NetworkPolicy decides its requests. */
function shop(readyFrontend = false): { graph: TopologyGraph; index: ModelIndex; analysis: Analysis } {
  const dir = join(process.cwd(), 'examples', 'shop');
  const analysis = new Analysis();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    analysis.setFile(`examples/shop/${f}`, readyFrontend && f === '20-frontend.yaml' ? text.replace('port: health', 'port: http') : text);
  }
  const index = analysis.index();
  return { graph: buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'shop' }), index, analysis };
}

const byLabel = (g: TopologyGraph, kind: string, label: string): TopologyNode => {
  const n = g.nodes.find((x) => x.kind === kind && x.label === label);
  assert.ok(n, `no ${kind} ${label}`);
  return n;
};

describe('layout down, and sized to the text', () => {
  const { graph } = shop();

  it('down: every link goes down a row, no two boxes of a row overlap, and each rank has its title above it', () => {
    const widthOf = (n: TopologyNode) => 60 + n.label.length * 7;
    const l = layoutGraph(graph.nodes, graph.edges, { direction: 'down', widthOf });
    assert.equal(l.direction, 'down');
    for (const e of graph.edges) assert.ok(l.positions.get(e.from)!.y < l.positions.get(e.to)!.y, `${e.id} goes up`);
    const rows = new Map<number, { x: number; w: number }[]>();
    for (const [id, p] of l.positions) {
      assert.equal(p.w, widthOf(graph.nodes.find((n) => n.id === id)!), `${id} is not as wide as its text`);
      assert.equal(p.h, NODE_HEIGHT);
      (rows.get(p.y) ?? rows.set(p.y, []).get(p.y)!).push(p);
    }
    for (const row of rows.values()) {
      row.sort((a, b) => a.x - b.x);
      for (let i = 1; i < row.length; i++) assert.ok(row[i].x >= row[i - 1].x + row[i - 1].w, 'boxes overlap');
    }
    for (const p of l.positions.values()) assert.ok(p.x >= 0 && p.x + p.w <= l.width + 0.001 && p.y + p.h <= l.height + 0.001, 'a box is outside the layout');
    assert.deepEqual(l.columns.map((c) => c.title), ['Clients', 'Entry points', 'Ingress rules & routes', 'Services', 'Endpoints', 'Pods']);
    assert.ok(l.columns.every((c, i) => i === 0 || c.y > l.columns[i - 1].y), 'the rows are not in request order');
  });

  it('across: a column takes its widest box, and a gap widens for the labels of the links crossing it', () => {
    const l = layoutGraph(graph.nodes, graph.edges, { widthOf: (n) => 50 + n.label.length * 5, rankGap: 20, labelWidth: (label) => label.length * 6, maxRankGap: 90 });
    const services = graph.nodes.filter((n) => n.kind === 'service').map((n) => l.positions.get(n.id)!);
    assert.ok(services.every((p) => p.w === services[0].w && p.x === services[0].x), 'a column is ragged');
    assert.equal(services[0].w, Math.max(...graph.nodes.filter((n) => n.kind === 'service').map((n) => 50 + n.label.length * 5)));
    const x = (kind: string) => l.columns.find((c) => c.title === kind)!.x;
    const internet = l.positions.get(INTERNET_ID)!;
    // "HTTP(S)" (7 characters, 42 px) + 16 between Internet and the controller; the unlabelled gap keeps 20; none passes 90.
    assert.equal(x('Entry points') - (internet.x + internet.w), 42 + 16);
    const ingress = byLabel(graph, 'ingress', 'shop.example.com/');
    assert.equal(x('Services') - (l.positions.get(ingress.id)!.x + l.positions.get(ingress.id)!.w), 90);
  });
});

describe("folding a Service's endpoints into its links", () => {
  const { graph } = shop();
  const folded = visibleGraph(graph, { foldEndpoints: true });
  const frontend = byLabel(graph, 'service', 'frontend');
  const cart = byLabel(graph, 'service', 'cart');

  it('draws Service → Pods as one link through the endpoints, labelled with the port mapping, and no endpoints box', () => {
    assert.equal(folded.nodes.filter((n) => n.kind === 'endpoints').length, 0);
    const link = folded.edges.find((e) => e.from === frontend.id && e.to === byLabel(graph, 'workload', 'frontend').id);
    assert.ok(link, 'no frontend → Pods link');
    assert.equal(link.label, '80 → 8080 http');
    const endpoints = byLabel(graph, 'endpoints', 'app=frontend');
    assert.equal(link.through, graph.edges.find((e) => e.to === endpoints.id)!.id);
    assert.equal(folded.shownAs.get(endpoints.id), frontend.id, 'a trace naming the endpoints does not light the Service');
  });

  it("keeps the broken end: cart's selector that matches nothing goes to 'no pods', in the Pods' column", () => {
    const broken = folded.edges.find((e) => e.from === cart.id);
    assert.ok(broken?.broken && broken.to.startsWith('missing:'));
    const l = layoutGraph(folded.nodes, folded.edges);
    assert.equal(l.positions.get(broken.to)!.column, l.positions.get(byLabel(graph, 'workload', 'frontend').id)!.column);
  });
});

function explainer(graph: TopologyGraph, index: ModelIndex): (node: TopologyNode) => TraceView {
  const graphIndex = indexGraph(graph);
  return (node) =>
    traceViewForQuestions(
      graph,
      node.id,
      traceQuestionsForNode(node, graph, index).map((question) => ({ question, trace: traceRequest(index.model, index, question.options) })),
      graphIndex,
    )!;
}

describe('what a hover explains', () => {
  // frontend's Pods Ready: the policy (the Ingress controller only) decides.
  const { graph, index } = shop(true);
  const explain = explainer(graph, index);

  it('on the shop as it is, frontend is explained from the Ingress controller too: its Pods never become Ready, from any client (no second trace)', () => {
    const asIs = shop();
    const view = explainer(asIs.graph, asIs.index)(byLabel(asIs.graph, 'service', 'frontend'));
    assert.equal(view.from, 'the Ingress controller (https://shop.example.com/)');
    assert.equal(view.verdict, 'broken');
    assert.match(view.reason, /readiness probe/);
    assert.equal(view.alternative, undefined);
    assert.ok(view.nodeIds.includes(INTERNET_ID));
  });

  it('a Service an Ingress reaches: the Ingress request first (lit from the Internet), a Pod of the namespace second', () => {
    const frontend = byLabel(graph, 'service', 'frontend');
    const questions = traceQuestionsForNode(frontend, graph, index);
    assert.deepEqual(
      questions.map((q) => ({ from: q.from, upstream: q.upstream, to: q.options.to.kind })),
      [
        { from: 'the Ingress controller (https://shop.example.com/)', upstream: true, to: 'url' },
        { from: 'a Pod in namespace shop', upstream: false, to: 'service' },
      ],
    );
    const view = explain(frontend);
    assert.equal(view.verdict, 'unknown', 'the policy admits the controller only by its namespace, which the manifests do not say');
    assert.match(view.reason, /ingress controller's Pod runs in a namespace matching kubernetes\.io\/metadata\.name=ingress-nginx/);
    assert.equal(view.alternative?.verdict, 'blocked');
    assert.ok(!view.alternative.nodeIds.includes(INTERNET_ID));
    assert.doesNotMatch(JSON.stringify(view), /--from/);
  });

  it("a Service's endpoints are explained as their Service: lit from the Ingress, traced from it", () => {
    const endpoints = byLabel(graph, 'endpoints', 'app=frontend');
    assert.deepEqual(traceQuestionsForNode(endpoints, graph, index).map((q) => q.from), ['the Ingress controller (https://shop.example.com/)', 'a Pod in namespace shop']);
    const view = explain(endpoints);
    assert.ok(view.nodeIds.includes(INTERNET_ID) && view.alternative !== undefined);
  });

  it('a Service no entry reaches: one question, from a Pod of its namespace', () => {
    const redis = byLabel(graph, 'service', 'redis');
    assert.deepEqual(traceQuestionsForNode(redis, graph, index).map((q) => q.from), ['a Pod in namespace shop']);
    assert.equal(explain(redis).alternative, undefined);
  });

  it('"Trace request" on a Service: the request asked for (its port) first, lighting only its own path', () => {
    const frontend = byLabel(graph, 'service', 'frontend');
    const asked = { to: { kind: 'service' as const, namespace: 'shop', name: 'frontend', port: 80 } };
    const questions = traceQuestionsForRequest(frontend, graph, index, asked);
    assert.deepEqual(questions.map((q) => [q.from, q.upstream]), [['a Pod in namespace shop', false], ['the Ingress controller (https://shop.example.com/)', true]]);
    assert.equal(questions[0].options, asked);
  });

  it('an explanation says each clause once', () => {
    assert.equal(withoutRepeats('a; b; a; c; b'), 'a; b; c');
    assert.equal(withoutRepeats('no repeats here'), 'no repeats here');
    const catalog = explain(byLabel(graph, 'service', 'catalog'));
    assert.equal((catalog.reason.match(/declares a port named "http-api"/g) ?? []).length, 1, catalog.reason);
  });
});

describe('the object count', () => {
  it('counts the Kubernetes objects of the model: the header, the status bar and kni lint say 16 for the shop', () => {
    const { graph, index, analysis } = shop();
    assert.equal(objectCount(index.model), 16);
    assert.equal(graph.objects, 16, 'the graph (the header) counts something else');
    let parsed = 0;
    for (const f of readdirSync(join(process.cwd(), 'examples', 'shop')).filter((x) => x.endsWith('.yaml'))) parsed += analysis.parsed(`examples/shop/${f}`)?.objects.length ?? 0;
    assert.equal(parsed, 16, 'the files hold another number of objects than the model reads');
    assert.notEqual(graph.nodes.length, 16, 'the drawing has boxes that are no objects (the Internet, endpoints): the count is not theirs');
  });
});
