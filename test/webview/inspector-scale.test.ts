// The inspector on a cluster-sized graph: the canvas surface with hit testing,
// Pods folded into workloads without hiding the ones with findings, a group
// expanded on click, search and the namespace filter, and export.
import assert from 'node:assert/strict';
import type { TopologyEdge, TopologyGraph, TopologyNode } from '../../src/protocol';
import { isWebviewToHost } from '../../src/protocol';
import { visibleGraph } from '../../src/view-model';
import { openInspector, type InspectorPage } from './harness';
import { shopGraph } from './shop-graph';

/** A cluster-shaped graph: `workloads` workloads of 10 Pods each behind one Service each, every 97th Pod with a finding. */
function clusterGraph(workloads: number): TopologyGraph {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  for (let n = 0; n < 20; n++) nodes.push({ id: `node:${n}`, kind: 'node', label: `node-${n}` });
  let pod = 0;
  for (let w = 0; w < workloads; w++) {
    const ns = `team-${w % 4}`;
    nodes.push({ id: `service:${w}`, kind: 'service', label: `svc-${w}`, namespace: ns, objectId: `s${w}` });
    nodes.push({ id: `endpoints:${w}`, kind: 'endpoints', label: '10 endpoints', namespace: ns });
    nodes.push({ id: `workload:${w}`, kind: 'workload', label: `app-${w}`, namespace: ns, count: 10, objectId: `w${w}` });
    edges.push({ id: `s${w}`, from: `service:${w}`, to: `endpoints:${w}`, label: '80 → 8080' });
    for (let r = 0; r < 10; r++, pod++) {
      const findings = pod % 97 === 5 ? { errors: 0, warnings: 1, infos: 0, messages: [`pod ${pod} is not ready`] } : undefined;
      nodes.push({ id: `pod:${pod}`, kind: 'pod', label: `app-${w}-${r}`, namespace: ns, group: `workload:${w}`, objectId: `p${pod}`, ...(findings ? { findings } : {}) });
      edges.push({ id: `e${pod}`, from: `endpoints:${w}`, to: `pod:${pod}` });
      edges.push({ id: `n${pod}`, from: `pod:${pod}`, to: `node:${pod % 20}` });
    }
  }
  return { nodes, edges, sourceLabel: `cluster (${pod} pods)` };
}

describe('inspector webview: at scale', () => {
  let view: InspectorPage | undefined;

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  it('draws 5,000 Pods on the canvas, keeping every Pod with a finding out of its group', async () => {
    const graph = clusterGraph(500);
    view = await openInspector({ viewport: { width: 1280, height: 800 } });
    const rendered = await view.postModel(graph, { timeoutMs: 60_000 });
    const expected = visibleGraph(graph);
    assert.deepEqual({ nodes: rendered.nodes, edges: rendered.edges }, { nodes: expected.nodes.length, edges: expected.edges.length });
    const withFindings = graph.nodes.filter((n) => n.kind === 'pod' && n.findings).map((n) => n.id);
    assert.ok(withFindings.length > 40);
    const drawn = await view.page.evaluate(() => {
      const s = (window as unknown as { __kniInspector: { debug: { scene: { byId: Map<string, unknown> }; renderer: { kind: string } } } }).__kniInspector.debug;
      return { surface: s.renderer.kind, ids: [...s.scene.byId.keys()] };
    });
    assert.equal(drawn.surface, 'canvas');
    for (const id of withFindings) assert.ok(drawn.ids.includes(id), `${id} has a finding but was folded away`);
    assert.equal(await view.page.locator('#app canvas').count(), 1);
    assert.equal(await view.page.locator('#app svg g.node').count(), 0);
    await view.screenshot('inspector-scale-5000-landing');
    await view.assertNoErrors();
  });

  it('hovers and clicks through the canvas: hit testing, traces, expanding a group on click', async () => {
    const graph = clusterGraph(300);
    view = await openInspector({ viewport: { width: 1280, height: 800 } });
    await view.postModel(graph, { timeoutMs: 60_000 });
    // A workload the landing view shows, in screen pixels.
    const box = await view.page.evaluate(() => {
      const d = (window as unknown as { __kniInspector: { debug: { scene: { nodes: { id: string; kind: string; label: string; x: number; y: number }[] }; transform: { x: number; y: number; k: number } } } }).__kniInspector.debug;
      const stage = document.querySelector('.stage')!.getBoundingClientRect();
      const at = (n: { x: number; y: number }) => ({ x: stage.x + d.transform.x + (n.x + 100) * d.transform.k, y: stage.y + d.transform.y + (n.y + 20) * d.transform.k });
      const n = d.scene.nodes.find((m) => m.kind === 'workload' && at(m).y > stage.y + 40 && at(m).y < stage.bottom - 40)!;
      return { ...at(n), id: n.id, label: n.label };
    });
    const since = view.posted.length;
    await view.page.mouse.move(box.x, box.y);
    const hover = (await view.waitForMessage('traceRequest', { since })) as { nodeId: string; pin: boolean };
    assert.deepEqual({ nodeId: hover.nodeId, pin: hover.pin }, { nodeId: box.id, pin: false });
    await view.page.waitForFunction((label) => document.querySelector('.trace-panel .trace-title')?.textContent?.endsWith(`/${label}`), box.label);
    const before = await view.page.evaluate(() => (window as unknown as { __kniInspector: { debug: { scene: { nodes: unknown[] } } } }).__kniInspector.debug.scene.nodes.length);
    await view.page.mouse.click(box.x, box.y);
    const reveal = (await view.waitForMessage('reveal', { since })) as { objectId: string };
    assert.equal(reveal.objectId, graph.nodes.find((n) => n.id === box.id)!.objectId);
    const after = await view.page.evaluate(() => (window as unknown as { __kniInspector: { debug: { scene: { byId: Map<string, unknown>; nodes: unknown[] } } } }).__kniInspector.debug.scene.nodes.length);
    // Its 10 Pods are drawn now (one of them, with a finding, was drawn already).
    const foldedPods = graph.nodes.filter((n) => n.group === box.id && !n.findings).length;
    assert.equal(after - before, foldedPods);
    assert.equal((await view.page.evaluate(() => window.__state)) !== undefined, true);
    await view.screenshot('inspector-scale-expanded-group');
    await view.assertNoErrors();
  });

  it('on the canvas, a link to the world outside traces on hover and pins on click', async () => {
    const graph = clusterGraph(300);
    graph.nodes.push({ id: 'external:any', kind: 'external', label: 'Any address outside', detail: '100 of 300 isolated allowed' });
    for (let w = 0; w < 300; w += 3) graph.edges.push({ id: `workload:${w}->external:any`, from: `workload:${w}`, to: 'external:any', label: 'TCP/443' });
    view = await openInspector({ viewport: { width: 1280, height: 800 } });
    await view.postModel(graph, { timeoutMs: 60_000 });
    await view.page.locator('vscode-button.action-zoom-out').click();
    // The middle of a link to the world outside, in screen pixels (the middle of edgePath's curve).
    const at = await view.page.evaluate(() => {
      const d = (window as unknown as { __kniInspector: { debug: { scene: { edges: { to: string; x1: number; y1: number; x2: number; y2: number }[] }; renderer: { kind: string }; transform: { x: number; y: number; k: number } } } }).__kniInspector.debug;
      const stage = document.querySelector('.stage')!.getBoundingClientRect();
      const e = d.scene.edges.filter((x) => x.to === 'external:any')[20];
      return { surface: d.renderer.kind, x: stage.x + d.transform.x + ((e.x1 + e.x2) / 2) * d.transform.k, y: stage.y + d.transform.y + ((e.y1 + e.y2) / 2) * d.transform.k };
    });
    assert.equal(at.surface, 'canvas');
    let since = view.posted.length;
    await view.page.mouse.move(at.x, at.y);
    const hover = (await view.waitForMessage('traceRequest', { since })) as { nodeId: string; to?: string; pin: boolean };
    assert.equal(hover.to, 'external:any');
    assert.match(hover.nodeId, /^workload:\d+$/);
    assert.equal(hover.pin, false);
    since = view.posted.length;
    await view.page.mouse.click(at.x, at.y);
    const pin = (await view.waitForMessage('traceRequest', { since })) as { nodeId: string; to?: string; pin: boolean };
    assert.deepEqual(pin, { ...pin, nodeId: hover.nodeId, to: 'external:any', pin: true });
    await view.assertNoErrors();
  });

  it('keyboard on the canvas: Tab moves a focus ring through the objects, Enter traces, Escape clears', async () => {
    const graph = clusterGraph(300);
    view = await openInspector({ viewport: { width: 1280, height: 800 } });
    await view.postModel(graph, { timeoutMs: 60_000 });
    const canvas = view.page.locator('#app canvas');
    assert.ok(((await canvas.getAttribute('aria-label')) ?? '').includes('Tab'));
    await canvas.focus();
    await view.page.keyboard.press('Tab');
    await view.page.keyboard.press('Tab');
    const focused = await view.page.evaluate(() => (window as unknown as { __kniInspector: { debug: { scene: { nodes: { id: string }[] } } } }).__kniInspector.debug.scene.nodes[1].id);
    assert.equal(await view.page.evaluate(() => document.activeElement?.tagName), 'CANVAS', 'Tab left the drawing');
    const since = view.posted.length;
    await view.page.keyboard.press('Enter');
    const req = (await view.waitForMessage('traceRequest', { since })) as { nodeId: string; pin: boolean };
    assert.deepEqual({ nodeId: req.nodeId, pin: req.pin }, { nodeId: focused, pin: true });
    assert.match((await view.page.locator('.visually-hidden[aria-live]').textContent()) ?? '', /Pinned/);
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.locator('.trace-panel .trace-state').count(), 0);
    await view.assertNoErrors();
  });

  it('search marks the matches and the namespace filter redraws only that namespace', async () => {
    const graph = clusterGraph(40);
    view = await openInspector({ viewport: { width: 1280, height: 800 } });
    await view.postModel(graph);
    await view.page.locator('vscode-textfield.search').click();
    await view.page.keyboard.type('svc-1');
    // svc-1, svc-10 … svc-19
    await view.page.waitForFunction(() => document.querySelector('.match-count')?.textContent === '11 matches');
    assert.equal(await view.page.locator('#app svg g.node.match').count(), 11);
    const since = view.posted.length;
    const rendered = await view.page.evaluate(() => {
      const select = document.querySelector('vscode-single-select.namespace') as HTMLElement & { value: string };
      select.value = 'team-1';
      select.dispatchEvent(new Event('change'));
      const s = (window as unknown as { __kniInspector: { debug: { scene: { nodes: { namespace?: string }[] } } } }).__kniInspector.debug.scene;
      return s.nodes.map((n) => n.namespace ?? '');
    });
    assert.ok(rendered.length > 0);
    assert.ok(rendered.every((ns) => ns === 'team-1' || ns === ''), `other namespaces drawn: ${[...new Set(rendered)]}`);
    assert.equal(view.posted.slice(since).filter((m) => m.type === 'reveal').length, 0);
    await view.assertNoErrors();
  });

  it('exports the drawing as an SVG document and a PNG the host accepts', async () => {
    view = await openInspector({ viewport: { width: 1280, height: 800 } });
    await view.postModel(shopGraph().graph);
    let since = view.posted.length;
    await view.page.locator('vscode-button.action-file-code').click();
    const svg = (await view.waitForMessage('export', { since })) as { format: string; data: string };
    assert.equal(svg.format, 'svg');
    assert.ok(isWebviewToHost(svg), 'the host would drop this SVG export');
    assert.match(svg.data, /frontend/);
    assert.doesNotMatch(svg.data, /<script/i);
    since = view.posted.length;
    await view.page.locator('vscode-button.action-file-media').click();
    const png = (await view.waitForMessage('export', { since, timeoutMs: 20_000 })) as { format: string; data: string };
    assert.equal(png.format, 'png');
    assert.ok(isWebviewToHost(png), 'the host would drop this PNG export');
    assert.ok(png.data.length > 5000, 'the PNG is empty');
    await view.assertNoErrors();
  });
});
