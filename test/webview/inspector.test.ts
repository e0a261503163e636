// The inspector bundle's contract with the host, in a real browser: the ready
// handshake, drawing a model (nodes, edges, broken edges), the rendered report,
// and manifest text always drawn as text.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { openInspector, sampleGraph, type InspectorPage } from './harness';

describe('inspector webview', () => {
  let view: InspectorPage | undefined;

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  it('posts ready with the protocol version once loaded', async () => {
    view = await openInspector();
    const ready = view.posted.filter((m) => m.type === 'ready');
    assert.equal(ready.length, 1, `expected one ready, got ${JSON.stringify(view.posted)}`);
    assert.equal(typeof (ready[0] as { protocolVersion?: unknown }).protocolVersion, 'number');
    assert.equal(await view.page.locator('#app').count(), 1);
    await view.assertNoErrors();
  });

  it('draws every node and edge of a model, marks the broken edge, and reports the counts', async () => {
    view = await openInspector();
    const graph = sampleGraph();
    const rendered = await view.postModel(graph);

    assert.deepEqual({ nodes: rendered.nodes, edges: rendered.edges }, { nodes: 3, edges: 2 });

    const nodes = view.page.locator('#app svg g.node');
    assert.equal(await nodes.count(), 3);
    const drawnIds = (await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).sort();
    assert.deepEqual(drawnIds, graph.nodes.map((n) => n.id).sort());
    const kinds = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    assert.deepEqual(kinds.sort(), ['missing', 'service', 'workload']);

    const edges = view.page.locator('#app svg .edge');
    assert.equal(await edges.count(), 2);
    assert.equal(await view.page.locator('#app svg .edge.broken').count(), 1);

    // Every node is actually laid out on screen, not stacked at the origin.
    const boxes = await nodes.evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBoundingClientRect().toJSON()));
    for (const box of boxes) assert.ok(box.width > 0 && box.height > 0, `node has no size: ${JSON.stringify(box)}`);
    const centres = new Set(boxes.map((b) => `${Math.round(b.x + b.width / 2)},${Math.round(b.y + b.height / 2)}`));
    assert.equal(centres.size, 3, `nodes overlap: ${JSON.stringify(boxes)}`);

    const shot = await view.screenshot('inspector-sample-graph');
    assert.ok(existsSync(shot) && statSync(shot).size > 1000, `no screenshot at ${shot}`);
    await view.assertNoErrors();
  });

  it('redraws from scratch when a second model arrives', async () => {
    view = await openInspector();
    await view.postModel(sampleGraph());
    const smaller = sampleGraph({
      nodes: [{ id: 'svc:default/catalog', kind: 'service', label: 'catalog' }],
      edges: [],
    });
    const rendered = await view.postModel(smaller);
    assert.deepEqual({ nodes: rendered.nodes, edges: rendered.edges }, { nodes: 1, edges: 0 });
    assert.equal(await view.page.locator('#app svg g.node').count(), 1);
    assert.equal(await view.page.locator('#app svg .edge').count(), 0);
    await view.assertNoErrors();
  });

  it('draws manifest text as literal text, never as markup', async () => {
    view = await openInspector();
    const evil = '<img src=x onerror="window.__pwned=1">';
    const graph = sampleGraph();
    graph.nodes[0] = { ...graph.nodes[0], label: evil, detail: '<script>window.__pwned=2</script>' };
    graph.edges[0] = { ...graph.edges[0], label: '<b onmouseover="window.__pwned=3">80</b>' };
    graph.sourceLabel = '<svg onload="window.__pwned=4">';
    await view.postModel(graph);

    const node = view.page.locator(`#app svg g.node[data-id="${graph.nodes[0].id}"]`);
    assert.equal(await node.count(), 1);
    assert.ok((await node.textContent())?.includes(evil), `label not drawn as text: ${await node.textContent()}`);
    assert.equal(await view.page.locator('#app img').count(), 0, 'an <img> element was created from a label');
    assert.equal(await view.page.locator('#app script').count(), 0, 'a <script> element was created from a label');
    assert.equal(await view.page.locator('#app b').count(), 0, 'a <b> element was created from an edge label');
    const handlers = await view.page.locator('#app [onerror], #app [onload], #app [onmouseover]').count();
    assert.equal(handlers, 0, 'an element with an inline event handler was created from manifest text');
    assert.equal(await view.page.evaluate(() => window.__pwned), undefined);
    await view.screenshot('inspector-literal-text');
    await view.assertNoErrors();
  });
});
