// The first picture a user gets: examples/shop opened in a maximised panel
// (1240×800) and in one beside the editor (620×800), dark and light. "Fit to
// view" must show the whole request path, from the entry points to the Pods,
// with every node's name at least 11 px on screen (measured from the rendered
// DOM: the font size times the drawing's screen scale). Screenshots in
// test-results/webview/ (the README's pictures are taken from them).
import assert from 'node:assert/strict';
import type { TopologyEdge, TopologyGraph, TopologyNode } from '../../src/protocol';
import { openInspector, type InspectorPage } from './harness';
import { assertWholePathLegible, picture } from './picture';
import { shopGraph } from './shop-graph';

const SIZES = [
  { name: 'maximised', width: 1240, height: 800 },
  { name: 'beside-editor', width: 620, height: 800 },
] as const;

/**
 * The shop as a cluster draws it: each workload's Pods (as many as its count)
 * linked from its endpoints and to the Node they run on (two Nodes), folded
 * into their workload until expanded.
 */
function shopOnCluster(graph: TopologyGraph): TopologyGraph {
  const nodes: TopologyNode[] = [...graph.nodes, { id: 'node:a', kind: 'node', label: 'node-a', detail: '10.0.0.11 · Ready' }, { id: 'node:b', kind: 'node', label: 'node-b', detail: '10.0.0.12 · Ready' }];
  const edges: TopologyEdge[] = [];
  let n = 0;
  for (const e of graph.edges) {
    const w = graph.nodes.find((x) => x.id === e.to && x.kind === 'workload');
    if (!w) {
      edges.push(e);
      continue;
    }
    for (let i = 0; i < (w.count ?? 1); i++, n++) {
      const id = `pod:${w.id}/${i}`;
      nodes.push({ id, kind: 'pod', label: `${w.label}-${i}`, detail: `10.1.0.${n} · Running · ready`, namespace: w.namespace, group: w.id });
      edges.push({ id: `${e.id}/${i}`, from: e.from, to: id, ...(e.label ? { label: e.label } : {}) }, { id: `${id}->node`, from: id, to: n % 2 === 0 ? 'node:a' : 'node:b' });
    }
  }
  return { ...graph, nodes, edges, sourceLabel: 'cluster kind-shop' };
}

describe('inspector webview: the first picture of the shop, at both panel sizes and in both themes', () => {
  const { graph } = shopGraph();
  let view: InspectorPage | undefined;

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  for (const size of SIZES) {
    for (const theme of ['dark', 'light'] as const) {
      it(`${size.name} (${size.width}×${size.height}, ${theme}): the whole path from the entry points to the Pods, names at 11 px or more`, async () => {
        view = await openInspector({ theme, viewport: { width: size.width, height: size.height } });
        await view.postModel(graph);
        const landed = await picture(view);
        await view.screenshot(`picture-${size.name}-${theme}`);
        assertWholePathLegible(landed, `${size.width}×${size.height} ${theme}`);
        // Every object of the shop is drawn: folded endpoints still count (their links stand for them).
        const drawnKinds = new Set(landed.boxes.map((b) => b.kind));
        assert.ok(drawnKinds.has('missing'), 'the Service whose selector matches nothing lost its "no pods" end');

        // "Fit to view" and "Show everything" land on the same legible picture when it all fits.
        await view.page.locator('vscode-button.action-zoom-out').click();
        assertWholePathLegible(await picture(view), `${size.width}×${size.height} ${theme}, Show everything`);
        await view.page.locator('vscode-button.action-screen-full').click();
        assertWholePathLegible(await picture(view), `${size.width}×${size.height} ${theme}, Fit to view`);
        await view.assertNoErrors();
      });
    }
  }

  for (const size of SIZES) {
    it(`${size.name} (${size.width}×${size.height}) with a cluster: the path runs on to the Nodes, still whole and legible`, async () => {
      view = await openInspector({ viewport: { width: size.width, height: size.height } });
      await view.postModel(shopOnCluster(graph));
      const landed = await picture(view);
      await view.screenshot(`picture-cluster-${size.name}`);
      assertWholePathLegible(landed, `cluster at ${size.width}×${size.height}`);
      assert.ok(landed.columnTitles.includes('Nodes'), `no Nodes column: ${landed.columnTitles.join(', ')}`);
      assert.equal(landed.boxes.filter((b) => b.kind === 'node').length, 2);
      await view.assertNoErrors();
    });
  }

  it('a panel resized from beside the editor to maximised is arranged again for its new size, still legible whole', async () => {
    view = await openInspector({ viewport: { width: 620, height: 800 } });
    await view.postModel(graph);
    const narrow = await view.page.evaluate(() => (window as unknown as { __kniInspector: { debug: { scene: { layout: { direction: string } } } } }).__kniInspector.debug.scene.layout.direction);
    assert.equal(narrow, 'down', 'a narrow panel is not arranged top to bottom');
    await view.page.setViewportSize({ width: 1240, height: 800 });
    await view.page.waitForFunction(() => {
      const stage = document.querySelector('.stage')!.getBoundingClientRect();
      const boxes = [...document.querySelectorAll('#app svg g.node rect.box')].map((b) => b.getBoundingClientRect());
      return stage.width > 900 && boxes.every((b) => b.x >= stage.x && b.x + b.width <= stage.x + stage.width) && boxes.some((b) => b.x > stage.x + 500);
    });
    assertWholePathLegible(await picture(view), 'resized to 1240×800');
    await view.assertNoErrors();
  });
});
