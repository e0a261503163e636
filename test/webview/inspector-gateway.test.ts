// The inspector drawing examples/gateway: the Gateway as an entry point, the
// HTTPRoute rules in the routes column linked to their Services (the route no
// listener takes as a broken link), and a pinned trace of the 90/10 canary
// split lighting up the Gateway, the rule and both Services.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../src/core/analysis';
import { buildTopologyGraph, traceOptionsForNode } from '../../src/core/topology';
import { traceViewFor } from '../../src/view-model';
import { traceRequest } from '../../src/core/trace';
import { openInspector, type InspectorPage } from './harness';

function gatewayGraph() {
  const analysis = new Analysis();
  const dir = join(process.cwd(), 'examples', 'gateway');
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) analysis.setFile(`examples/gateway/${f}`, readFileSync(join(dir, f), 'utf8'));
  const index = analysis.index();
  return { index, graph: buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'examples/gateway' }) };
}

describe('inspector webview: the gateway example', () => {
  let view: InspectorPage | undefined;
  const { index, graph } = gatewayGraph();

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  it('draws the Gateway as an entry point and its route rules, and pins the canary trace', async () => {
    view = await openInspector({ viewport: { width: 1500, height: 760 } });
    await view.postModel(graph);
    const gateway = '#app svg g.node[data-id="entry:gateway:infra/public"]';
    assert.equal(await view.page.locator(gateway).getAttribute('data-kind'), 'entry');
    const routes = await view.page.locator('#app svg g.node[data-kind="ingress"]').count();
    assert.equal(routes, 5, 'three rules of store, one of https-redirect, one of blog');
    assert.ok((await view.page.locator('#app svg path.edge.broken').count()) >= 1, 'the refused blog parentRef is drawn broken');
    const store = index.model.routes.find((r) => r.name === 'store')!;
    const ruleNode = graph.nodes.find((n) => n.id === `route:${store.id}/1`)!;
    const trace = traceRequest(index.model, index, traceOptionsForNode(ruleNode, index)!);
    assert.equal(trace.verdict, 'delivered');
    const pinned = traceViewFor(graph, ruleNode.id, trace)!;
    await view.post({ type: 'trace', trace: pinned, pin: true });
    await view.page.waitForFunction(() => document.querySelector('.trace-panel .trace-state')?.textContent === 'Pinned');
    const lit = await view.page.locator('#app svg g.node.lit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
    assert.ok(lit.includes('entry:gateway:infra/public'), `lit: ${lit.join(', ')}`);
    assert.ok(lit.some((id) => id.startsWith('service:') && id.endsWith('web-canary')) || lit.filter((id) => id.startsWith('service:')).length >= 2, `lit: ${lit.join(', ')}`);
    await view.screenshot('inspector-gateway-canary');
    await view.assertNoErrors();
  });
});
