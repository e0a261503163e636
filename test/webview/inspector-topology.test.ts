// The inspector drawing the real examples/shop graph (parser → analysis →
// topology, built here on Node): every column, the broken selector drawn as a
// red dashed edge, findings and policy badges, hover/pin traces lighting up
// exactly their hops, keyboard navigation, injection safety, and the light
// and dark themes (screenshots in test-results/webview/).
import assert from 'node:assert/strict';
import type { TopologyGraph, TraceView } from '../../src/protocol';
import { INTERNET_ID, traceOptionsForNode } from '../../src/core/topology';
import { traceViewFor, visibleGraph } from '../../src/view-model';
import { traceRequest } from '../../src/core/trace';
import { openInspector, type InspectorPage } from './harness';
import { nodeIdOf, shopGraph } from './shop-graph';

const sel = (id: string) => `#app svg g.node[data-id="${id.replace(/["\\]/g, '\\$&')}"]`;

async function litNodes(view: InspectorPage): Promise<string[]> {
  return (await view.page.locator('#app svg g.node.lit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))).sort();
}

async function litEdges(view: InspectorPage): Promise<string[]> {
  return (await view.page.locator('#app svg path.edge.lit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))).sort();
}

/** Answers the webview's next trace request the way the host does, with `make`'s trace. */
async function answerNextTrace(view: InspectorPage, since: number, make: (nodeId: string) => TraceView): Promise<{ nodeId: string; pin: boolean; trace: TraceView }> {
  const req = (await view.waitForMessage('traceRequest', { since })) as { requestId: number; nodeId: string; pin: boolean };
  const trace = make(req.nodeId);
  await view.post({ type: 'trace', requestId: req.requestId, trace, pin: req.pin });
  return { nodeId: req.nodeId, pin: req.pin, trace };
}

describe('inspector webview: the shop example', () => {
  let view: InspectorPage | undefined;
  const shop = shopGraph();
  const graph: TopologyGraph = shop.graph;
  const cart = nodeIdOf(graph, 'service', 'cart');
  const frontend = nodeIdOf(graph, 'service', 'frontend');

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  it('draws every column of the shop with the counts it reports', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    const rendered = await view.postModel(graph);
    const expected = visibleGraph(graph);
    assert.deepEqual({ nodes: rendered.nodes, edges: rendered.edges }, { nodes: expected.nodes.length, edges: expected.edges.length });
    // 2 entries, 2 ingress paths, 4 Services, 4 endpoints, 4 workloads, 1 "no pods".
    assert.deepEqual({ nodes: rendered.nodes, edges: rendered.edges }, { nodes: 17, edges: 13 });
    assert.equal(await view.page.locator('#app svg g.node').count(), 17);
    assert.equal(await view.page.locator('#app svg path.edge').count(), 13);
    const kinds = await view.page.locator('#app svg g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    const count = (k: string) => kinds.filter((x) => x === k).length;
    assert.deepEqual(
      { entry: count('entry'), ingress: count('ingress'), service: count('service'), endpoints: count('endpoints'), workload: count('workload'), missing: count('missing') },
      { entry: 2, ingress: 2, service: 4, endpoints: 4, workload: 4, missing: 1 },
    );
    const titles = await view.page.locator('#app svg text.column-title').allTextContents();
    assert.deepEqual(titles, ['Clients', 'Entry points', 'Ingress rules & routes', 'Services', 'Endpoints', 'Pods']);
    // Columns read in request order (left to right, or top to bottom when the panel is arranged down):
    // Internet < controller < ingress < Service < endpoints < workload.
    const direction = await view.page.evaluate(() => (window as unknown as { __kniInspector: { debug: { scene: { layout: { direction: string } } } } }).__kniInspector.debug.scene.layout.direction);
    const along = async (id: string) => {
      const box = (await view!.page.locator(sel(id)).boundingBox())!;
      return direction === 'down' ? box.y : box.x;
    };
    const order = [INTERNET_ID, nodeIdOf(graph, 'entry', 'Ingress controller (nginx)'), nodeIdOf(graph, 'ingress', 'shop.example.com/'), frontend, nodeIdOf(graph, 'endpoints', 'app=frontend'), nodeIdOf(graph, 'workload', 'frontend')];
    const at = await Promise.all(order.map(along));
    assert.deepEqual([...at].sort((a, b) => a - b), at, `columns out of order (${direction}): ${at}`);
    assert.ok(at.every((v, i) => i === 0 || v > at[i - 1]), `two columns share a place (${direction}): ${at}`);
    await view.screenshot('inspector-shop-dark');
    await view.assertNoErrors();
  });

  it("draws the cart Service's selector that matches nothing as a red dashed edge to a 'no pods' node", async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const cartEndpoints = nodeIdOf(graph, 'endpoints', 'app=cart');
    const broken = view.page.locator(`#app svg path.edge.broken[data-from="${cartEndpoints}"]`);
    assert.equal(await broken.count(), 1);
    const to = await broken.getAttribute('data-to');
    const missing = view.page.locator(sel(to!));
    assert.equal(await missing.getAttribute('data-kind'), 'missing');
    assert.match((await missing.textContent()) ?? '', /no pods/);
    const style = await broken.evaluate((e) => {
      const s = getComputedStyle(e);
      return { dash: s.strokeDasharray, stroke: s.stroke, error: getComputedStyle(document.body).getPropertyValue('--vscode-errorForeground').trim() };
    });
    assert.notEqual(style.dash, 'none');
    const probe = await view.page.evaluate((color) => {
      const d = document.createElement('div');
      d.style.color = color;
      document.body.appendChild(d);
      const c = getComputedStyle(d).color;
      d.remove();
      return c;
    }, style.error);
    assert.equal(style.stroke, probe, 'the broken edge is not drawn in the theme error colour');
    // Only the two links that do not resolve are broken: cart's selector and the Ingress's port 8080 on catalog.
    assert.equal(await view.page.locator('#app svg path.edge.broken').count(), 2);
    await view.assertNoErrors();
  });

  it('puts finding badges with their count and messages, and policy badges on the Pods they select', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const badge = view.page.locator(`${sel(cart)} g.badge.findings.error`);
    assert.equal(await badge.count(), 1);
    assert.equal(await badge.locator('text').textContent(), '1');
    assert.match((await badge.locator('title').textContent()) ?? '', /service-no-matching-pods/);
    const redis = nodeIdOf(graph, 'workload', 'redis');
    const policy = view.page.locator(`${sel(redis)} g.badge.policy`);
    assert.equal(await policy.count(), 1);
    const title = (await policy.locator('title').textContent()) ?? '';
    assert.match(title, /default-deny-ingress/);
    assert.match(title, /redis-from-carts/);
    // redis-from-carts admits the wrong port: its finding (a warning) colours the policy badge.
    assert.match(title, /networkpolicy-port-missing/);
    assert.equal(await view.page.locator(`${sel(redis)} g.badge.policy.warning`).count(), 1);
    await view.assertNoErrors();
  });

  it('hovering a Service lights up exactly the hops of its trace and lists them in the side panel', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const catalog = nodeIdOf(graph, 'service', 'catalog');
    const catalogWorkload = graph.nodes.find((n) => n.kind === 'workload' && n.label === 'catalog')!;
    // The real trace engine's answer, as the host computes it.
    const engineTrace = (id: string) => {
      const node = graph.nodes.find((n) => n.id === id)!;
      const options = traceOptionsForNode(node, shop.index)!;
      return traceViewFor(graph, id, traceRequest(shop.index.model, shop.index, options))!;
    };
    const since = view.posted.length;
    await view.page.hover(sel(catalog));
    // Before the host answers, the topology's own paths light up (upstream and downstream).
    const local = traceViewFor(graph, catalog)!;
    const expectLocal = [...new Set(local.nodeIds)].sort();
    assert.deepEqual(await litNodes(view), expectLocal);
    assert.ok(expectLocal.includes(catalogWorkload.id));

    const answered = await answerNextTrace(view, since, engineTrace);
    assert.equal(answered.nodeId, catalog);
    assert.equal(answered.pin, false);
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .verdict-chip')?.textContent === 'broken');
    // Now exactly the trace: the paths into catalog, catalog itself, and nothing past it (the workload is dark).
    assert.deepEqual(await litNodes(view), [...answered.trace.nodeIds].sort());
    assert.deepEqual(await litEdges(view), [...answered.trace.edgeIds].sort());
    assert.ok(!(await litNodes(view)).includes(catalogWorkload.id), 'a node the trace never reaches is lit');
    const hops = await view.page.locator('.trace-panel li.hop').allTextContents();
    assert.equal(hops.length, answered.trace.hops.length);
    assert.match(hops[0], /^dns/);
    assert.match((await view.page.locator('.trace-panel .verdict-reason').textContent()) ?? '', /http-api/, 'the panel does not say why catalog has no endpoint');
    const dimmed = await view.page.locator(`${sel(frontend)}`).evaluate((e) => Number(getComputedStyle(e).opacity));
    assert.ok(dimmed < 0.5, `an object off the trace is not dimmed (opacity ${dimmed})`);
    await view.screenshot('inspector-shop-hover-trace');

    // Moving away clears it.
    await view.page.mouse.move(2, 700);
    await view.page.waitForFunction(() => document.querySelectorAll('#app svg g.node.lit').length === 0);
    await view.assertNoErrors();
  });

  it('click pins the trace and asks the host to reveal the object; Escape clears', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const since = view.posted.length;
    await view.page.click(sel(frontend));
    const reveal = (await view.waitForMessage('reveal', { since })) as { objectId: string };
    assert.equal(reveal.objectId, graph.nodes.find((n) => n.id === frontend)!.objectId);
    const req = (await view.waitForMessage('traceRequest', { since })) as { nodeId: string; pin: boolean };
    assert.deepEqual({ nodeId: req.nodeId, pin: req.pin }, { nodeId: frontend, pin: true });
    assert.equal(await view.page.locator(`${sel(frontend)}.selected`).count(), 1);
    // Pinned: hovering another object previews its trace; leaving it brings the pinned one back.
    await view.page.hover(sel(cart));
    assert.match((await view.page.locator('.trace-panel .trace-title').textContent()) ?? '', /cart/);
    assert.match((await view.page.locator('.trace-panel .trace-state').textContent()) ?? '', /^Preview/);
    assert.ok((await litNodes(view)).includes(cart), 'the previewed trace is not lit');
    assert.equal(await view.page.locator(`${sel(frontend)}.selected`).count(), 1, 'the pin moved to the previewed object');
    await view.page.mouse.move(2, 700);
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    assert.match((await view.page.locator('.trace-panel .trace-title').textContent()) ?? '', /frontend/);
    const state = (await view.page.evaluate(() => window.__state)) as { pinned?: string };
    assert.equal(state.pinned, frontend, 'the pin is not kept with setState');
    await view.page.mouse.move(2, 700);
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.locator('#app svg g.node.selected').count(), 0);
    assert.equal(await view.page.locator('.trace-panel .trace-title').count(), 0);
    await view.assertNoErrors();
  });

  it('a trace pinned by the host ("Trace request" in the editor) lights up and shows in the panel', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const trace = traceViewFor(graph, cart)!;
    await view.post({ type: 'trace', trace, pin: true });
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    assert.deepEqual(await litNodes(view), [...trace.nodeIds].sort());
    assert.equal(await view.page.locator(`${sel(cart)}.selected`).count(), 1);
    assert.equal(await view.page.locator('.trace-panel .verdict-chip').textContent(), 'broken');
    await view.screenshot('inspector-shop-pinned-cart');
    await view.assertNoErrors();
  });

  it('with kube-proxy in nftables mode the hops show the nftables ruleset; a readiness probe that always fails leaves no endpoint', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const node = graph.nodes.find((n) => n.id === frontend)!;
    const trace = traceViewFor(graph, frontend, traceRequest(shop.index.model, shop.index, { ...traceOptionsForNode(node, shop.index)!, proxyMode: 'nftables' }))!;
    await view.post({ type: 'trace', trace, pin: true });
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    // examples/shop's frontend probes port "health", which its container does not declare.
    assert.match((await view.page.locator('.trace-panel .verdict-reason').textContent()) ?? '', /never become Ready/);
    const blocks = await view.page.locator('.trace-panel pre.hop-ruleset').allTextContents();
    assert.equal(blocks.length, 1);
    assert.match(blocks[0], /^table ip kube-proxy \{\n\tmap no-endpoint-services \{\n\t\telements = \{ <ClusterIP> \. tcp \. 80 comment "shop\/frontend:http" : goto reject-chain \}/);
    assert.equal(await view.page.locator('.trace-panel .hop-rules li').filter({ hasText: '-A KUBE-' }).count(), 0, 'no iptables rules in nftables mode');
    await view.screenshot('inspector-shop-nftables-frontend');
    await view.assertNoErrors();
  });

  it('a pinned trace that a NetworkPolicy drops draws the denied edge and the policy verdict', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const redis = nodeIdOf(graph, 'service', 'redis');
    const node = graph.nodes.find((n) => n.id === redis)!;
    const trace = traceViewFor(graph, redis, traceRequest(shop.index.model, shop.index, traceOptionsForNode(node, shop.index)!))!;
    assert.equal(trace.verdict, 'blocked');
    assert.equal(trace.deniedEdgeIds.length, 1);
    await view.post({ type: 'trace', trace, pin: true });
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .verdict-chip')?.textContent === 'blocked');
    const denied = view.page.locator('#app svg path.edge.denied');
    assert.equal(await denied.count(), 1);
    assert.equal(await denied.getAttribute('data-id'), trace.deniedEdgeIds[0]);
    assert.equal(await denied.getAttribute('data-to'), nodeIdOf(graph, 'workload', 'redis'));
    assert.ok((await view.page.locator('.trace-panel .hop-verdict.deny').count()) >= 1);
    await view.screenshot('inspector-shop-pinned-redis-denied');
    await view.assertNoErrors();
  });

  it('keyboard: Tab walks the objects in reading order with ARIA labels, Enter traces, Escape clears', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const labels = await view.page.locator('#app svg g.node').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.ok(labels.every((l) => l.length > 0), 'a node has no aria-label');
    await view.page.locator('#app svg g.node').first().focus();
    const first = await view.page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    assert.equal(first, INTERNET_ID);
    await view.page.keyboard.press('Tab');
    const second = await view.page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    assert.equal(second, nodeIdOf(graph, 'entry', 'Ingress controller (nginx)'));
    const since = view.posted.length;
    await view.page.keyboard.press('Enter');
    const req = (await view.waitForMessage('traceRequest', { since })) as { nodeId: string; pin: boolean };
    assert.deepEqual({ nodeId: req.nodeId, pin: req.pin }, { nodeId: second, pin: true });
    assert.ok(!view.posted.slice(since).some((m) => m.type === 'reveal'), 'Enter traces; it should not move the editor');
    assert.ok((await litNodes(view)).length > 1);
    await view.page.keyboard.press('Escape');
    assert.equal((await litNodes(view)).length, 0);
    await view.assertNoErrors();
  });

  it('renders hostile manifest strings in nodes, tooltips, badges and the side panel as text', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    const evil = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=2</script>';
    const hostile: TopologyGraph = {
      ...graph,
      nodes: graph.nodes.map((n) =>
        n.id === cart
          ? { ...n, label: evil, detail: script, namespace: '<svg onload="window.__pwned=3">', findings: { errors: 1, warnings: 0, infos: 0, messages: [evil] }, policies: [script] }
          : n,
      ),
      sourceLabel: '<iframe src="javascript:window.__pwned=4">',
    };
    await view.postModel(hostile);
    const trace = traceViewFor(hostile, cart)!;
    trace.hops[0] = { ...trace.hops[0], detail: evil, rules: [script] };
    await view.post({ type: 'trace', trace, pin: true });
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    await view.page.locator('vscode-single-select.namespace').click();
    assert.ok(((await view.page.locator(sel(cart)).textContent()) ?? '').includes(evil));
    assert.ok(((await view.page.locator('.trace-panel').textContent()) ?? '').includes(evil));
    for (const tag of ['img', 'script', 'iframe']) {
      assert.equal(await view.page.locator(`#app ${tag}`).count(), 0, `a <${tag}> was created from manifest text`);
    }
    assert.equal(await view.page.locator('#app svg svg').count(), 0);
    assert.equal(await view.page.locator('#app [onerror], #app [onload], #app [src]').count(), 0);
    assert.equal(await view.page.evaluate(() => window.__pwned), undefined);
    await view.assertNoErrors();
  });

  it('shows control characters and bidi overrides in names visibly: labels, tooltips, badges, the side panel, the namespace list', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    // A bidi override makes "cart\u202Egpj.exe" read "cartexe.jpg"; ESC, CR and a newline could fake a second line.
    const rlo = 'cart\u202Egpj.exe';
    const forged = 'ok\x1b[2K\r\nNo problems\u0085\u009b';
    const hostile: TopologyGraph = {
      ...graph,
      nodes: graph.nodes.map((n) =>
        n.id === cart ? { ...n, label: rlo, detail: forged, namespace: 'shop\u2066x\u2069', findings: { errors: 1, warnings: 0, infos: 0, messages: [forged] }, policies: [rlo] } : n,
      ),
    };
    await view.postModel(hostile);
    const trace = traceViewFor(hostile, cart)!;
    trace.hops[0] = { ...trace.hops[0], detail: forged, rules: [rlo] };
    await view.post({ type: 'trace', trace, pin: true });
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const node = view.page.locator(sel(cart));
    const texts = {
      label: (await node.locator('text.label').textContent()) ?? '',
      detail: (await node.locator('text.detail').textContent()) ?? '',
      tooltip: (await node.locator(':scope > title').textContent()) ?? '',
      aria: (await node.getAttribute('aria-label')) ?? '',
      badges: (await node.locator('.badge title').allTextContents()).join('\n'),
      panel: (await view.page.locator('.trace-panel').textContent()) ?? '',
      namespaces: (await view.page.locator('vscode-single-select.namespace vscode-option').allTextContents()).join('\n'),
    };
    for (const [where, text] of Object.entries(texts)) assert.doesNotMatch(text, raw, `${where}: ${JSON.stringify(text)}`);
    assert.equal(texts.label, 'cart<U+202E>gpj.exe');
    assert.ok(texts.detail.startsWith('ok\\x1b[2K\\r\\nNo'), texts.detail);
    assert.ok(texts.tooltip.includes('shop<U+2066>x<U+2069>/cart<U+202E>gpj.exe'), texts.tooltip);
    assert.ok(texts.tooltip.includes('ok\\x1b[2K\\r\\nNo problems\\u0085\\u009b'), texts.tooltip);
    assert.ok(texts.badges.includes('ok\\x1b[2K'), texts.badges);
    assert.ok(texts.panel.includes('ok\\x1b[2K\\r\\nNo problems') && texts.panel.includes('cart<U+202E>gpj.exe'), texts.panel);
    assert.ok(texts.namespaces.includes('shop<U+2066>x<U+2069>'), texts.namespaces);
    await view.assertNoErrors();
  });

  it('keeps zoom and the pinned trace when the model changes, and restores them from saved state', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    await view.page.click(sel(frontend));
    await view.page.mouse.move(700, 600);
    const landed = await view.page.locator('#app svg g.viewport').getAttribute('transform');
    await view.page.mouse.wheel(0, -300);
    // The zoom step is shown scaled by the compositor until it holds still, then laid out at its scale.
    await view.page.waitForFunction((landed) => document.querySelector('#app svg g.viewport')!.getAttribute('transform') !== landed && document.querySelector<SVGSVGElement>('#app svg')!.style.transform === '', landed);
    const before = await view.page.locator('#app svg g.viewport').getAttribute('transform');
    const k = Number(/scale\(([^)]+)\)/.exec(before ?? '')?.[1]);
    await view.page.waitForFunction((want) => (window.__state as { transform?: { k: number } } | undefined)?.transform?.k === want, k);
    // An edit: the cart selector fixed (no more 'no pods'), everything else as it was.
    const fixed = shopGraph();
    const edited: TopologyGraph = { ...fixed.graph, nodes: fixed.graph.nodes.filter((n) => n.kind !== 'missing'), edges: fixed.graph.edges.filter((e) => !e.broken || !e.to.startsWith('missing:')) };
    const rendered = await view.postModel(edited);
    assert.equal(rendered.nodes, 16);
    assert.equal(await view.page.locator('#app svg g.viewport').getAttribute('transform'), before, 'the zoom moved on a model update');
    assert.equal(await view.page.locator(`${sel(frontend)}.selected`).count(), 1, 'the selection was lost on a model update');
    const saved = await view.page.evaluate(() => window.__state);
    await view.close();

    view = await openInspector({ viewport: { width: 1500, height: 760 }, state: saved });
    await view.postModel(edited);
    assert.equal(await view.page.locator('#app svg g.viewport').getAttribute('transform'), before, 'the zoom was not restored');
    assert.equal(await view.page.locator(`${sel(frontend)}.selected`).count(), 1, 'the pin was not restored');
    await view.assertNoErrors();
  });

  it('in a narrow panel beside an editor, puts the trace under the drawing', async () => {
    view = await openInspector({ viewport: { width: 620, height: 760 } });
    await view.postModel(graph);
    await view.post({ type: 'trace', trace: traceViewFor(graph, cart)!, pin: true });
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    const stage = (await view.page.locator('.stage').boundingBox())!;
    const panel = (await view.page.locator('.trace-panel').boundingBox())!;
    assert.ok(panel.y >= stage.y + stage.height - 1, 'the trace panel is not under the drawing');
    assert.ok(stage.width > 560, `the drawing is squeezed to ${stage.width}px`);
    await view.screenshot('inspector-shop-narrow');
    await view.assertNoErrors();
  });

  it('looks right in the light theme', async () => {
    view = await openInspector({ theme: 'light', viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    await view.page.hover(sel(frontend));
    await view.screenshot('inspector-shop-light');
    const bg = await view.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(30, 30, 30)');
    await view.assertNoErrors();
  });
});
