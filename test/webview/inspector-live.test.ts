// Live updates: a small change of the model glides into place on both
// surfaces (SVG for small graphs, canvas for clusters), keeping the zoom and
// the pinned trace; with reduced motion it jumps.
import assert from 'node:assert/strict';
import type { TopologyEdge, TopologyGraph, TopologyNode } from '../../src/protocol';
import { layoutGraph, traceViewFor, visibleGraph } from '../../src/view-model';
import { openInspector, type InspectorPage } from './harness';

/** `workloads` Services with 10 folded Pods each, 20 Nodes; a warning on every 97th Pod. */
function clusterGraph(workloads: number, without?: number): TopologyGraph {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  for (let n = 0; n < 20; n++) nodes.push({ id: `node:${n}`, kind: 'node', label: `node-${n}` });
  let pod = 0;
  for (let w = 0; w < workloads; w++) {
    if (w === without) {
      pod += 10;
      continue;
    }
    nodes.push({ id: `service:${w}`, kind: 'service', label: `svc-${w}`, namespace: 'shop' });
    nodes.push({ id: `workload:${w}`, kind: 'workload', label: `app-${w}`, namespace: 'shop', count: 10 });
    edges.push({ id: `s${w}`, from: `service:${w}`, to: `workload:${w}`, label: '80 → 8080' });
    for (let r = 0; r < 10; r++, pod++) {
      const findings = pod % 97 === 5 ? { findings: { errors: 0, warnings: 1, infos: 0, messages: [`pod ${pod} is not ready`] } } : {};
      nodes.push({ id: `pod:${pod}`, kind: 'pod', label: `app-${w}-${r}`, namespace: 'shop', group: `workload:${w}`, ...findings });
      edges.push({ id: `e${pod}`, from: `workload:${w}`, to: `pod:${pod}` });
      edges.push({ id: `n${pod}`, from: `pod:${pod}`, to: `node:${pod % 20}` });
    }
  }
  return { nodes, edges, sourceLabel: `cluster (${pod} pods)` };
}

type Pos = { x: number; y: number };
interface Debug {
  scene: { byId: Map<string, Pos> };
  renderer: { kind: string; positionOf?(id: string): Pos | undefined; element: Element };
  transform: { x: number; y: number; k: number };
  pinned?: string;
}
const debug = () => (window as unknown as { __kniInspector: { debug: Debug } }).__kniInspector.debug;

/** Where the inspector lays out the Services of a graph (no group expanded, every namespace), computed here in Node. */
function servicePlaces(graph: TopologyGraph): Map<string, Pos> {
  const v = visibleGraph(graph, {});
  const { positions } = layoutGraph(v.nodes, v.edges);
  return new Map([...positions].filter(([id]) => id.startsWith('service:')).map(([id, p]) => [id, { x: p.x, y: p.y }]));
}

/**
 * Posts `graph` and records where `id` is drawn in each of the `frames`
 * animation frames after the message arrives (canvas: the renderer's tween;
 * SVG: the element's transform). Sampling starts with the message itself, so
 * a slow test machine cannot miss the glide.
 */
async function postAndSample(view: InspectorPage, graph: TopologyGraph, id: string, frames: number): Promise<Pos[]> {
  await view.page.evaluate(
    ({ id, frames }) => {
      const w = window as unknown as { __samples: Promise<Pos[]>; __kniInspector: { debug: Debug } };
      w.__samples = new Promise<Pos[]>((done) => {
        // Registered after the inspector's own listener: it runs once the model is drawn.
        window.addEventListener(
          'message',
          () => {
            // (No eval here: the page's CSP forbids it outside Playwright's own evaluation.)
            const d = w.__kniInspector.debug;
            const out: Pos[] = [];
            const read = (): Pos => {
              if (d.renderer.positionOf) return d.renderer.positionOf(id)!;
              const g = d.renderer.element.querySelector(`g.node[data-id="${CSS.escape(id)}"]`)!;
              const m = (g as SVGGElement).transform.baseVal.consolidate()!.matrix;
              return { x: m.e, y: m.f };
            };
            const step = () => {
              out.push(read());
              if (out.length >= frames) done(out);
              else requestAnimationFrame(step);
            };
            requestAnimationFrame(step);
          },
          { once: true },
        );
      });
    },
    { id, frames },
  );
  await view.post({ type: 'model', graph });
  return view.page.evaluate(() => (window as unknown as { __samples: Promise<Pos[]> }).__samples);
}

/** Removes a workload near the top and checks how a Service below it gets to its new place. */
async function removeWorkload(view: InspectorPage, graphSize: number): Promise<{ before: Pos; after: Pos; frames: Pos[]; id: string }> {
  const before = servicePlaces(clusterGraph(graphSize));
  const changed = clusterGraph(graphSize, 1);
  const after = servicePlaces(changed);
  const id = [...after.keys()].find((k) => before.has(k) && before.get(k)!.y !== after.get(k)!.y);
  assert.ok(id, 'removing a workload moves no Service: nothing to animate');
  const frames = await postAndSample(view, changed, id, 40);
  return { before: before.get(id)!, after: after.get(id)!, frames, id };
}

const between = (p: Pos, a: Pos, b: Pos) => p.y > Math.min(a.y, b.y) + 0.5 && p.y < Math.max(a.y, b.y) - 0.5;

describe('inspector webview: live updates', () => {
  let view: InspectorPage | undefined;

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  for (const [surface, size] of [
    ['canvas', 300],
    ['svg', 12],
  ] as const) {
    it(`a small change glides into place on the ${surface}, keeping zoom and the pinned trace`, async () => {
      view = await openInspector({ viewport: { width: 1280, height: 800 } });
      await view.page.emulateMedia({ reducedMotion: 'no-preference' });
      await view.postModel(clusterGraph(size), { timeoutMs: 60_000 });
      assert.equal(await view.page.evaluate(`(${debug.toString()})().renderer.kind`), surface);
      // The user zoomed and pinned a trace before the change.
      await view.page.evaluate(() => {
        const insp = (window as unknown as { __kniInspector: { zoomBy(f: number): void } }).__kniInspector;
        insp.zoomBy(1.3);
      });
      const pinnedId = 'service:5';
      // As the editor's "Trace request" pins it.
      await view.post({ type: 'trace', trace: traceViewFor(clusterGraph(size), pinnedId)!, pin: true });
      await view.page.waitForFunction((id) => (window as unknown as { __kniInspector: { debug: Debug } }).__kniInspector.debug.pinned === id, pinnedId);
      const zoomBefore = await view.page.evaluate(`(${debug.toString()})().transform`);

      const { before, after, frames, id } = await removeWorkload(view, size);
      assert.ok(frames.some((p) => between(p, before, after)), `${id} jumped from ${JSON.stringify(before)} to ${JSON.stringify(after)}: ${JSON.stringify(frames.slice(0, 8))}`);
      assert.deepEqual(frames.at(-1), after, `${id} did not end at its new place`);
      // Monotonic: it glides one way, it does not wobble.
      const ys = frames.map((p) => p.y);
      const dir = Math.sign(after.y - before.y);
      assert.ok(ys.every((y, i) => i === 0 || (y - ys[i - 1]) * dir >= -1e-6), `not monotonic: ${ys.join(', ')}`);

      assert.deepEqual(await view.page.evaluate(`(${debug.toString()})().transform`), zoomBefore, 'the zoom moved');
      assert.equal(await view.page.evaluate(`(${debug.toString()})().pinned`), pinnedId, 'the pinned trace was dropped');
      await view.screenshot(`inspector-live-${surface}`);
      await view.assertNoErrors();
    });
  }

  it('with reduced motion, the change jumps into place on the canvas', async () => {
    view = await openInspector({ viewport: { width: 1280, height: 800 } });
    assert.equal(await view.page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
    await view.postModel(clusterGraph(300), { timeoutMs: 60_000 });
    const { after, frames } = await removeWorkload(view, 300);
    for (const p of frames) assert.deepEqual(p, after);
    await view.assertNoErrors();
  });
});
