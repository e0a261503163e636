// Patches: a live cluster's watch event reaches the webview as the changes to
// the graph it holds, not the whole graph. A patched inspector must draw
// exactly what the whole new graph draws (both surfaces), keep zoom and the
// pinned trace, and a patch for a graph it does not hold (lost or out of
// order) is dropped with a `resync` asking the host for the whole graph.
import assert from 'node:assert/strict';
import type { PatchMessage, TopologyEdge, TopologyGraph, TopologyNode } from '../../src/protocol';
import { diffGraphs, encodeGraph } from '../../src/view-model';
import { openInspector, type InspectorPage } from './harness';

/** `workloads` Services with 10 folded Pods each on 20 Nodes; `notReady` Pods carry a warning, `without` is left out. */
function clusterGraph(workloads: number, opts: { without?: number; notReady?: number[]; extraPod?: boolean } = {}): TopologyGraph {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  for (let n = 0; n < 20; n++) nodes.push({ id: `node:${n}`, kind: 'node', label: `node-${n}` });
  let pod = 0;
  for (let w = 0; w < workloads; w++) {
    if (w === opts.without) {
      pod += 10;
      continue;
    }
    const pods = opts.extraPod && w === 2 ? 11 : 10;
    nodes.push({ id: `service:${w}`, kind: 'service', label: `svc-${w}`, namespace: `team-${w % 3}` });
    nodes.push({ id: `workload:${w}`, kind: 'workload', label: `app-${w}`, namespace: `team-${w % 3}`, count: pods });
    edges.push({ id: `s${w}`, from: `service:${w}`, to: `workload:${w}`, label: '80 → 8080' });
    for (let r = 0; r < pods; r++, pod++) {
      const id = r === 10 ? `pod:extra-${w}` : `pod:${pod}`;
      const warn = opts.notReady?.includes(pod) || pod % 97 === 5;
      const findings = warn ? { findings: { errors: 0, warnings: 1, infos: 0, messages: [`pod ${pod} is not ready`] } } : {};
      nodes.push({ id, kind: 'pod', label: `app-${w}-${r}`, namespace: `team-${w % 3}`, group: `workload:${w}`, detail: warn ? 'not ready' : 'ready', ...findings });
      edges.push({ id: `e-${id}`, from: `workload:${w}`, to: id });
      edges.push({ id: `n-${id}`, from: id, to: `node:${pod % 20}` });
    }
    if (pods === 11) pod--;
  }
  return { nodes, edges, sourceLabel: `cluster (${pod} pods)` };
}

/** What the page draws, in numbers: the scene (positions, edges) and the transform. */
async function drawing(view: InspectorPage): Promise<unknown> {
  return view.page.evaluate(() => {
    const d = (window as unknown as { __kniInspector: { debug: any } }).__kniInspector.debug; // eslint-disable-line @typescript-eslint/no-explicit-any
    return {
      graph: d.graph,
      renderer: d.renderer.kind,
      nodes: d.scene.nodes.map((n: any) => [n.id, n.x, n.y, n.folded ?? 0, n.findings?.warnings ?? 0, n.detail ?? '']), // eslint-disable-line @typescript-eslint/no-explicit-any
      edges: d.scene.edges.map((e: any) => [e.id, e.x1, e.y1, e.x2, e.y2, e.label ?? '']), // eslint-disable-line @typescript-eslint/no-explicit-any
      size: [d.scene.layout.width, d.scene.layout.height],
      transform: [d.transform.x, d.transform.y, d.transform.k],
      pinned: d.pinned,
    };
  });
}

/** Posts a message and resolves with the first `rendered` or `resync` the webview answers with. */
async function answer(view: InspectorPage, message: Record<string, unknown>): Promise<string> {
  const since = view.posted.length;
  await view.post(message);
  const first = await Promise.race([view.waitForMessage('rendered', { since }), view.waitForMessage('resync', { since })]);
  return first.type;
}

describe('inspector patches', function () {
  this.timeout(60_000);

  for (const [surface, workloads] of [
    ['svg', 12],
    ['canvas', 400],
  ] as const) {
    it(`draws exactly what the whole new graph draws (${surface}), keeping zoom and the pinned trace`, async () => {
      const v1 = clusterGraph(workloads);
      // Every kind of change in one patch: a workload and its Pods gone, Pods gaining a finding, a Pod added.
      const v2 = clusterGraph(workloads, { without: 1, notReady: [33, 47], extraPod: true });
      const patch = diffGraphs(v1, v2);
      assert.ok(patch && patch.removedNodes.length > 0 && patch.nodes.length > 0, 'the change makes a patch');
      const patched = await openInspector();
      const whole = await openInspector();
      try {
        for (const view of [patched, whole]) {
          assert.equal(await answer(view, { type: 'model', graph: v1, version: 1 }), 'rendered');
          // The user zooms and pins the trace of a Service before the change.
          await view.page.evaluate(() => (window as unknown as { __kniInspector: { zoomBy(f: number): void } }).__kniInspector.zoomBy(1.25));
        }
        for (const view of [patched, whole]) {
          await view.page.evaluate(() => {
            const insp = (window as unknown as { __kniInspector: { debug: { scene: { nodes: { id: string }[] } } } }).__kniInspector;
            const svc = insp.debug.scene.nodes.find((n) => n.id === 'service:3')!;
            (insp as unknown as { pin(id: string): void }).pin(svc.id);
          });
        }
        assert.equal(await answer(patched, { type: 'patch', baseVersion: 1, version: 2, patch } satisfies PatchMessage as unknown as Record<string, unknown>), 'rendered');
        assert.equal(await answer(whole, { type: 'model', graph: v2, version: 2 }), 'rendered');
        const a = (await drawing(patched)) as { renderer: string; pinned: string; graph: TopologyGraph };
        const b = await drawing(whole);
        assert.equal(a.renderer, surface);
        assert.equal(a.pinned, 'service:3', 'the pinned trace stays');
        assert.deepEqual(a.graph, JSON.parse(JSON.stringify(v2)), 'the patched graph is the new graph');
        assert.deepEqual(a, b);
        // And what is on screen: the canvas's pixels; the SVG's markup (two pages' rasterized text can differ by an
        // antialiased pixel on a loaded machine). Once the zoom step's re-layout has run on both pages (the
        // renderer says when: settled), and a frame has been painted after it.
        const picture = (view: InspectorPage) =>
          surface === 'canvas'
            ? view.page.locator('canvas').first().screenshot({ animations: 'disabled' })
            : view.page.evaluate(() => (window as unknown as { __kniInspector: { debug: { renderer: { element: Element } } } }).__kniInspector.debug.renderer.element.outerHTML);
        const settledAndPainted = async (view: InspectorPage) => {
          await view.page.waitForFunction(() => (window as unknown as { __kniInspector: { debug: { renderer: { settled: boolean } } } }).__kniInspector.debug.renderer.settled);
          await view.page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
        };
        let same = false;
        for (let attempt = 0; attempt < 8 && !same; attempt++) {
          await Promise.all([settledAndPainted(patched), settledAndPainted(whole)]);
          const [pa, pb] = await Promise.all([picture(patched), picture(whole)]);
          same = typeof pa === 'string' ? pa === pb : pa.equals(pb as Buffer);
        }
        if (!same) await Promise.all([patched.screenshot(`patch-${surface}-patched`), whole.screenshot(`patch-${surface}-whole`)]);
        assert.ok(same, `the patched page draws exactly what the page given the whole graph draws (test-results/webview/patch-${surface}-*.png)`);
        await patched.assertNoErrors();
      } finally {
        await patched.close();
        await whole.close();
      }
    });
  }

  it('drops a patch for a graph it does not hold and asks for the whole graph; a later whole graph draws', async () => {
    const v1 = clusterGraph(30);
    const v2 = clusterGraph(30, { notReady: [12] });
    const v3 = clusterGraph(30, { notReady: [12], without: 4 });
    const view = await openInspector();
    try {
      assert.equal(await answer(view, { type: 'model', graph: v1, version: 1 }), 'rendered');
      const before = await drawing(view);
      // Patch 2 was lost: patch 3 (on 2) must not be applied to 1.
      assert.equal(await answer(view, { type: 'patch', baseVersion: 2, version: 3, patch: diffGraphs(v2, v3)! }), 'resync');
      assert.deepEqual(view.posted.at(-1), { type: 'resync', version: 1 });
      assert.deepEqual(await drawing(view), before, 'nothing changed');
      assert.equal(await answer(view, { type: 'model', graph: v3, version: 3 }), 'rendered');
      // Out of order: patch 1 → 2 arriving after version 3.
      assert.equal(await answer(view, { type: 'patch', baseVersion: 1, version: 2, patch: diffGraphs(v1, v2)! }), 'resync');
      const after = (await drawing(view)) as { graph: TopologyGraph };
      assert.deepEqual(after.graph, JSON.parse(JSON.stringify(v3)));
      // A page that holds no graph yet (reloaded) asks too.
      const fresh = await openInspector();
      try {
        assert.equal(await answer(fresh, { type: 'patch', baseVersion: 3, version: 4, patch: diffGraphs(v3, v2)! }), 'resync');
        assert.deepEqual(fresh.posted.at(-1), { type: 'resync' });
      } finally {
        await fresh.close();
      }
      await view.assertNoErrors();
    } finally {
      await view.close();
    }
  });

  it("draws the server's compact model as the plain one, patches it alike, and asks again for one that does not decode", async () => {
    const v1 = clusterGraph(40);
    const v2 = clusterGraph(40, { notReady: [7] });
    const plain = await openInspector();
    const compact = await openInspector();
    try {
      assert.equal(await answer(plain, { type: 'model', graph: v1, version: 1 }), 'rendered');
      assert.equal(await answer(compact, { type: 'compactModel', graph: encodeGraph(v1), version: 1 }), 'rendered');
      assert.deepEqual(await drawing(compact), await drawing(plain));
      const patch = { type: 'patch', baseVersion: 1, version: 2, patch: diffGraphs(v1, v2)! };
      assert.equal(await answer(plain, patch), 'rendered');
      assert.equal(await answer(compact, patch), 'rendered');
      assert.deepEqual(await drawing(compact), await drawing(plain));
      // Indices that land nowhere: nothing drawn from it, the whole graph asked for.
      const before = await drawing(compact);
      const broken = encodeGraph(v2);
      assert.equal(await answer(compact, { type: 'compactModel', graph: { ...broken, edges: [0, 999_999, 0] }, version: 3 }), 'resync');
      assert.deepEqual(await drawing(compact), before);
      await compact.assertNoErrors();
    } finally {
      await plain.close();
      await compact.close();
    }
  });

  it('fits the view again when the drawing switches between the files and the cluster, not when a cluster connects', async () => {
    const files = clusterGraph(2);
    const cluster = clusterGraph(400);
    const transform = (view: InspectorPage) => view.page.evaluate(() => {
      const t = (window as unknown as { __kniInspector: { debug: { transform: { x: number; y: number; k: number } } } }).__kniInspector.debug.transform;
      return [t.x, t.y, t.k];
    });
    const switched = await openInspector();
    const fresh = await openInspector();
    try {
      // The workspace's small drawing, centred; a cluster connects (the files still drawn): the view stays.
      await answer(switched, { type: 'model', graph: files, version: 1 });
      const centred = await transform(switched);
      await answer(switched, { type: 'model', graph: files, version: 2, view: { current: 'files', cluster: 'kind' } });
      assert.deepEqual(await transform(switched), centred);
      // "As in the cluster": framed as a page that only ever drew the cluster frames it, not with the files' centring.
      await answer(switched, { type: 'model', graph: cluster, version: 3, view: { current: 'cluster', cluster: 'kind' } });
      await answer(fresh, { type: 'model', graph: cluster, version: 1, view: { current: 'cluster', cluster: 'kind' } });
      const framed = await transform(fresh);
      assert.notDeepEqual(centred, framed);
      assert.deepEqual(await transform(switched), framed);
      await switched.assertNoErrors();
    } finally {
      await switched.close();
      await fresh.close();
    }
  });
});
