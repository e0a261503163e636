// The inspector drawing examples/egress: the world outside as its own column
// right of the Pods ("Any address outside" and the ranges the egress
// ipBlocks name), linked from the workloads isolated for egress that may
// reach them; hovering a link traces that egress (the host's answer computed
// here with the same core calls), and a pinned workload is traced to another
// one through "Trace to…" (Pod to Pod). At 620 and 1240 px wide, dark and
// light, legible whole; screenshots in test-results/webview/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../src/core/analysis';
import { buildTopologyGraph, OUTSIDE_ID, traceQuestionsForNode, traceQuestionsForPair } from '../../src/core/topology';
import { traceRequest } from '../../src/core/trace';
import type { TraceRequestMessage } from '../../src/protocol';
import { traceViewForQuestions } from '../../src/view-model';
import { openInspector, type InspectorPage } from './harness';
import { picture } from './picture';

function egressGraph() {
  const analysis = new Analysis();
  const dir = join(process.cwd(), 'examples', 'egress');
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) analysis.setFile(`examples/egress/${f}`, readFileSync(join(dir, f), 'utf8'));
  const index = analysis.index();
  return { index, graph: buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'examples/egress' }) };
}

describe('inspector webview: egress to the world outside and Pod to Pod', () => {
  const { index, graph } = egressGraph();
  const api = graph.nodes.find((n) => n.kind === 'workload' && n.label === 'api')!;
  let view: InspectorPage | undefined;

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  /** Answers the webview's trace requests (after message `since`) as the extension host does, until one that `until` accepts. */
  async function answer(since: number, until: (m: TraceRequestMessage) => boolean = () => true): Promise<TraceRequestMessage> {
    for (;;) {
      const asked = (await view!.waitForMessage('traceRequest', { since })) as TraceRequestMessage;
      since = view!.posted.indexOf(asked) + 1;
      const node = graph.nodes.find((n) => n.id === asked.nodeId)!;
      const to = asked.to !== undefined ? graph.nodes.find((n) => n.id === asked.to) : undefined;
      const questions = to ? traceQuestionsForPair(node, to, index) : traceQuestionsForNode(node, graph, index);
      const answers = questions.map((question) => ({ question, trace: traceRequest(index.model, index, question.options) }));
      const trace = traceViewForQuestions(graph, asked.nodeId, answers)!;
      await view!.post({ type: 'trace', requestId: asked.requestId, trace, pin: asked.pin });
      if (until(asked)) return asked;
    }
  }

  for (const size of [
    { name: 'beside-editor', width: 620, height: 800 },
    { name: 'maximised', width: 1240, height: 800 },
  ]) {
    for (const theme of ['dark', 'light'] as const) {
      it(`${size.name} (${size.width} px, ${theme}): the outside column in view and legible; hovering a link traces that egress`, async () => {
        view = await openInspector({ theme, viewport: { width: size.width, height: size.height } });
        await view.postModel(graph);
        const landed = await picture(view);
        assert.ok(landed.columnTitles.includes('Outside the cluster'), `columns: ${landed.columnTitles.join(', ')}`);
        assert.deepEqual(landed.boxes.filter((b) => b.kind === 'external').map((b) => b.id).sort(), [OUTSIDE_ID, 'external:cidr:10.0.0.0/8', 'external:cidr:10.20.0.0/16', 'external:cidr:169.254.169.254/32']);
        assert.ok(landed.smallestTitlePx >= 11, `a name is ${landed.smallestTitlePx.toFixed(1)} px on screen`);
        for (const b of landed.boxes) {
          const inside = b.x >= landed.stage.x - 0.5 && b.y >= landed.stage.y - 0.5 && b.x + b.width <= landed.stage.x + landed.stage.width + 0.5 && b.y + b.height <= landed.stage.y + landed.stage.height + 0.5;
          assert.ok(inside, `${b.kind} ${b.id} is outside the view`);
        }
        assert.equal(landed.outsideNote, undefined);
        assert.deepEqual(landed.textOutside, []);

        // Hover the link from api to any address: the trace of that egress, lit and explained.
        const link = view.page.locator(`#app svg path.edge-hit[data-from="${api.id}"][data-to="${OUTSIDE_ID}"]`);
        const since = view.posted.length;
        await link.hover({ force: true });
        const asked = await answer(since, (m) => m.to !== undefined);
        assert.equal(asked.to, OUTSIDE_ID);
        assert.equal(asked.pin, false);
        await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-title')?.textContent === 'payments/api → Any address outside');
        const hops = await view.page.locator('.trace-panel .hop-kind').allTextContents();
        assert.deepEqual(hops, ['policy', 'snat', 'external']);
        assert.equal(await view.page.locator(`#app svg path.edge.lit[data-from="${api.id}"][data-to="${OUTSIDE_ID}"]`).count(), 1);
        assert.equal(await view.page.locator('#app svg path.edge.lit').count(), 1, 'only the traced link is lit');
        await view.screenshot(`egress-hover-${size.name}-${theme}`);
        await view.assertNoErrors();
      });
    }
  }

  it('hovering an outside node traces from a workload allowed there, with the one denied beside it', async () => {
    view = await openInspector({ viewport: { width: 1240, height: 800 } });
    await view.postModel(graph);
    const since = view.posted.length;
    await view.page.locator('#app svg g.node[data-id="external:cidr:10.20.0.0/16"]').hover();
    await answer(since);
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-title')?.textContent === 'payments/worker → 10.20.0.0/16');
    assert.equal(await view.page.locator('.trace-panel .verdict .verdict-chip').first().textContent(), 'reachable');
    assert.match((await view.page.locator('.trace-panel .other-trace').textContent()) ?? '', /From a Pod of Deployment payments\/api, to 10\.20\.0\.1, an address of 10\.20\.0\.0\/16 on TCP\/443 instead/);
    await view.assertNoErrors();
  });

  for (const size of [
    { name: 'beside-editor', width: 620, height: 800 },
    { name: 'maximised', width: 1240, height: 800 },
  ]) {
    it(`${size.name}: a pinned workload traced to another workload ("Trace to…"): Pod to Pod, no kube-proxy`, async () => {
      view = await openInspector({ viewport: { width: size.width, height: size.height } });
      await view.postModel(graph);
      const web = graph.nodes.find((n) => n.kind === 'workload' && n.label === 'web')!;
      let since = view.posted.length;
      await view.page.locator(`#app svg g.node[data-id="${web.id}"]`).click();
      // The hover's request may come before or after the pin's: each is answered.
      await answer(since, (m) => m.pin);
      const picker = view.page.locator('.trace-panel .trace-to select');
      await picker.waitFor();
      const options = await picker.locator('option').allTextContents();
      assert.deepEqual(options, ['its own requests', 'Any address outside', '169.254.169.254/32', '10.0.0.0/8', '10.20.0.0/16', 'payments/api', 'payments/worker', 'payments/reports']);
      // As a user does: the pointer leaves the drawing for the panel.
      await picker.hover();
      since = view.posted.length;
      await picker.selectOption(api.id);
      const asked = await answer(since, (m) => m.pin);
      assert.deepEqual([asked.nodeId, asked.to, asked.pin], [web.id, api.id, true]);
      await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-title')?.textContent === 'payments/web → payments/api').catch(async (err) => {
        throw new Error(`${err}; the panel: ${await view!.page.locator('.trace-panel').textContent()}`);
      });
      const hops = await view.page.locator('.trace-panel .hop-kind').allTextContents();
      assert.deepEqual(hops, ['vip', 'policy', 'route', 'policy', 'pod', 'reply']);
      assert.match((await view.page.locator('.trace-panel .hop-detail').first().textContent()) ?? '', /kube-proxy is not on the path/);
      assert.equal(await picker.inputValue(), api.id);
      await view.screenshot(`pod-to-pod-pinned-${size.name}`);
      // Kept across a reload of the panel (getState): the pin and its destination.
      const saved = await view.page.evaluate(() => (window as unknown as { __kniInspector: { debug: { saved: { pinned?: string; pinnedTo?: string } } } }).__kniInspector.debug.saved);
      assert.deepEqual([saved.pinned, saved.pinnedTo], [web.id, api.id]);
      await view.assertNoErrors();
    });
  }
});
