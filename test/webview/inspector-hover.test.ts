// Hovers that mean what they draw, on the shop with frontend's readiness
// probe fixed (so that the NetworkPolicy, which admits the Ingress controller
// only, decides): a Service reached through an Ingress lights the Ingress path
// and explains that request (from the Ingress controller), offering a Pod of
// the namespace as the second trace when its verdict differs; on the shop as
// it is, the readiness probe that always fails is the answer of both, and no
// second trace is offered; no CLI wording in the panel; a pinned trace
// with its alternative shown on request; long DNS and iptables lines wrap
// inside the side panel. Traces are answered as the host answers them
// (traceQuestionsForNode, the engine, traceViewForQuestions).
import assert from 'node:assert/strict';
import type { TraceView } from '../../src/protocol';
import { INTERNET_ID, traceQuestionsForNode } from '../../src/core/topology';
import { indexGraph, traceViewForQuestions } from '../../src/view-model';
import { traceRequest } from '../../src/core/trace';
import { openInspector, type InspectorPage } from './harness';
import { nodeIdOf, shopGraph, shopWithReadyFrontend, type ShopGraph } from './shop-graph';

const sel = (id: string) => `#app svg g.node[data-id="${id.replace(/["\\]/g, '\\$&')}"]`;

describe('inspector webview: hovers explain the path they light', () => {
  const shop = shopWithReadyFrontend();
  const { graph } = shop;
  const frontend = nodeIdOf(graph, 'service', 'frontend');
  const ingressPath = nodeIdOf(graph, 'ingress', 'shop.example.com/');
  const controller = nodeIdOf(graph, 'entry', 'Ingress controller (nginx)');
  /** What the host answers for a node of `of` (default: the shop with frontend ready). */
  const explainIn = (of: ShopGraph) => {
    const graphIndex = indexGraph(of.graph);
    return (id: string): TraceView => {
      const node = of.graph.nodes.find((n) => n.id === id)!;
      const answers = traceQuestionsForNode(node, of.graph, of.index).map((question) => ({ question, trace: traceRequest(of.index.model, of.index, question.options) }));
      return traceViewForQuestions(of.graph, id, answers, graphIndex)!;
    };
  };
  const explain = explainIn(shop);
  let view: InspectorPage | undefined;

  /** Answers every trace request from now on, as the host does. */
  async function answerTraces(v: InspectorPage, answer = explain): Promise<void> {
    await v.page.exposeFunction('__answerTrace', (m: { requestId: number; nodeId: string; pin: boolean }) => {
      void v.post({ type: 'trace', requestId: m.requestId, trace: answer(m.nodeId), pin: m.pin });
    });
    await v.page.evaluate(() => {
      const previous = window.__kniOnPost;
      window.__kniOnPost = (message: unknown) => {
        previous?.(message);
        const m = message as { type: string };
        if (m.type === 'traceRequest') (window as unknown as { __answerTrace(m: unknown): void }).__answerTrace(m);
      };
    });
  }

  const lit = async (v: InspectorPage) => (await v.page.locator('#app svg g.node.lit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))).sort();
  const panelText = async (v: InspectorPage) => (await v.page.locator('.trace-panel').textContent()) ?? '';

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  it('the trace of a Service reached through an Ingress is the Ingress request, the namespace Pod offered beside it', () => {
    const trace = explain(frontend);
    assert.equal(trace.from, 'the Ingress controller (https://shop.example.com/)');
    assert.notEqual(trace.verdict, 'blocked', 'the policy admits the Ingress controller: the lit path is not blocked');
    assert.match(trace.reason, /ingress controller/i);
    assert.ok(trace.nodeIds.includes(ingressPath) && trace.nodeIds.includes(controller) && trace.nodeIds.includes(INTERNET_ID), 'the Ingress path is not lit');
    const other = trace.alternative;
    assert.ok(other, 'no second trace although the verdicts differ');
    assert.equal(other.from, 'a Pod in namespace shop');
    assert.equal(other.verdict, 'blocked');
    assert.ok(!other.nodeIds.includes(ingressPath) && !other.nodeIds.includes(INTERNET_ID), "a Pod of the namespace's request lights the Ingress path");
    assert.equal(other.deniedEdgeIds.length, 1);
    // A Service no Ingress reaches: one trace, from a Pod of its namespace, nothing upstream to light.
    const redis = explain(nodeIdOf(graph, 'service', 'redis'));
    assert.equal(redis.from, 'a Pod in namespace shop');
    assert.equal(redis.alternative, undefined);
    for (const t of [trace, other, redis]) {
      const words = [t.reason, ...t.hops.map((h) => h.detail)].join('\n');
      assert.doesNotMatch(words, /--from|--to|no --/, `CLI wording in the panel: ${words}`);
      const clauses = t.reason.split('; ');
      assert.equal(new Set(clauses).size, clauses.length, `a repeated clause: ${t.reason}`);
    }
    const catalog = explain(nodeIdOf(graph, 'service', 'catalog'));
    const clauses = catalog.reason.split('; ');
    assert.equal(new Set(clauses).size, clauses.length, `a repeated clause: ${catalog.reason}`);
  });

  it('hovering frontend lights the Ingress path and explains it; pinned, the in-namespace trace is one click away', async () => {
    view = await openInspector({ viewport: { width: 1240, height: 800 } });
    await answerTraces(view);
    await view.postModel(graph);
    await view.page.hover(sel(frontend));
    await view.page.waitForFunction(() => /Ingress controller/.test(document.querySelector('.trace-panel .trace-from')?.textContent ?? ''));
    const hovered = await lit(view);
    assert.ok(hovered.includes(ingressPath) && hovered.includes(controller), 'the Ingress path is not lit');
    const text = await panelText(view);
    assert.match(text, /From the Ingress controller \(https:\/\/shop\.example\.com\/\)/);
    assert.match(text, /From a Pod in namespace shop instead/);
    assert.doesNotMatch(text, /--from|no --/);
    assert.equal(await view.page.locator('.trace-panel .other-trace .verdict-chip').textContent(), 'blocked');
    await view.screenshot('hover-frontend-maximised');

    await view.page.click(sel(frontend));
    await view.page.mouse.move(2, 780);
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned' && document.querySelector('.trace-panel .other-show') !== null);
    await view.page.click('.trace-panel .other-show');
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .verdict-chip')?.textContent === 'blocked');
    const inner = await lit(view);
    assert.ok(!inner.includes(ingressPath) && !inner.includes(INTERNET_ID), 'the in-namespace trace still lights the Ingress path');
    assert.equal(await view.page.locator('#app svg path.edge.denied').count(), 1, 'the policy that drops it is not drawn');
    assert.match(await panelText(view), /From a Pod in namespace shop/);
    await view.screenshot('pinned-frontend-in-namespace');
    await view.page.click('.trace-panel .other-show');
    await view.page.waitForFunction(() => /Ingress controller/.test(document.querySelector('.trace-panel .trace-from')?.textContent ?? ''));
    assert.ok((await lit(view)).includes(ingressPath));
    await view.assertNoErrors();
  });

  it('on the shop as it is, hovering frontend lights the Ingress path and says its Pods never become Ready (both clients alike: no second trace)', async () => {
    const asIs = shopGraph();
    const answer = explainIn(asIs);
    const trace = answer(frontend);
    assert.equal(trace.verdict, 'broken');
    assert.match(trace.reason, /readiness probe/);
    assert.equal(trace.alternative, undefined, 'a second trace with the same verdict');
    view = await openInspector({ viewport: { width: 1240, height: 800 } });
    await answerTraces(view, answer);
    await view.postModel(asIs.graph);
    await view.page.hover(sel(frontend));
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .verdict-chip')?.textContent === 'broken' && /Ingress controller/.test(document.querySelector('.trace-panel .trace-from')?.textContent ?? ''));
    const hovered = await lit(view);
    assert.ok(hovered.includes(ingressPath) && hovered.includes(controller), 'the Ingress path is not lit');
    assert.match(await panelText(view), /never become Ready/);
    assert.equal(await view.page.locator('.trace-panel .other-trace').count(), 0);
    await view.screenshot('hover-frontend-shop');
    await view.assertNoErrors();
  });

  it('while a trace is pinned, hovering another object previews its trace and leaving brings the pin back', async () => {
    view = await openInspector({ viewport: { width: 1240, height: 800 } });
    await answerTraces(view);
    await view.postModel(graph);
    const redis = nodeIdOf(graph, 'service', 'redis');
    await view.page.click(sel(frontend));
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    await view.page.hover(sel(redis));
    await view.page.waitForFunction(() => /redis/.test(document.querySelector('.trace-panel .trace-title')?.textContent ?? '') && document.querySelector('.trace-panel .verdict-chip')?.textContent === 'blocked');
    assert.match((await view.page.locator('.trace-panel .trace-state').textContent()) ?? '', /^Preview/);
    assert.match(await panelText(view), /The trace pinned on shop\/frontend comes back when the pointer leaves/);
    assert.ok((await lit(view)).includes(redis));
    assert.equal(await view.page.locator(`${sel(frontend)}.selected`).count(), 1);
    await view.screenshot('preview-over-pin');
    await view.page.mouse.move(2, 780);
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned' && /frontend/.test(document.querySelector('.trace-panel .trace-title')?.textContent ?? ''));
    assert.ok((await lit(view)).includes(ingressPath), 'the pinned trace did not come back');
    await view.assertNoErrors();
  });

  it('long DNS, SRV and iptables lines wrap inside the side panel, at both panel sizes', async () => {
    for (const viewport of [{ width: 1240, height: 800 }, { width: 620, height: 800 }]) {
      view = await openInspector({ viewport });
      await view.postModel(graph);
      await view.post({ type: 'trace', trace: explain(frontend).alternative!, pin: true });
      await view.page.waitForFunction(() => document.querySelectorAll('.trace-panel .hop-rules li').length > 0);
      const overflow = await view.page.evaluate(() => {
        const panel = document.querySelector('.trace-panel')!;
        const right = panel.getBoundingClientRect().right;
        const wide = [...panel.querySelectorAll('.hop-rules li, .hop-detail, .verdict-reason')].filter((e) => e.getBoundingClientRect().right > right + 0.5).map((e) => e.textContent);
        return { wide, scroll: panel.scrollWidth - panel.clientWidth };
      });
      assert.deepEqual(overflow.wide, [], `lines pass the panel's edge at ${viewport.width} px`);
      assert.ok(overflow.scroll <= 0, `the panel scrolls sideways by ${overflow.scroll} px at ${viewport.width} px`);
      assert.match((await view.page.locator('.trace-panel .hop-rules').first().textContent()) ?? '', /IN\tSRV/);
      await view.screenshot(`panel-wraps-${viewport.width}`);
      await view.assertNoErrors();
      await view.close();
      view = undefined;
    }
  });
});
