// The inspector drawing examples/cluster-dns: hovering billing's api Service
// lights the name lookup its trace makes, kube-system's kube-dns Service and
// the CoreDNS Pods behind it, beside the request's own path; the side panel
// lists the lookup's hops first. At 620 and 1240 px wide, dark and light;
// screenshots in test-results/webview/ (lookup-hover-*.png).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../src/core/analysis';
import { buildTopologyGraph, traceQuestionsForNode } from '../../src/core/topology';
import { traceRequest } from '../../src/core/trace';
import type { TraceRequestMessage } from '../../src/protocol';
import { indexGraph, traceViewForQuestions } from '../../src/view-model';
import { openInspector, type InspectorPage } from './harness';

function clusterDnsGraph() {
  const analysis = new Analysis();
  const dir = join(process.cwd(), 'examples', 'cluster-dns');
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) analysis.setFile(`examples/cluster-dns/${f}`, readFileSync(join(dir, f), 'utf8'));
  const index = analysis.index();
  return { index, graph: buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'examples/cluster-dns' }) };
}

const sel = (id: string) => `#app svg g.node[data-id="${id.replace(/["\\]/g, '\\$&')}"]`;

describe('inspector webview: the name lookup lit', () => {
  const { index, graph } = clusterDnsGraph();
  const graphIndex = indexGraph(graph);
  const api = graph.nodes.find((n) => n.kind === 'service' && n.namespace === 'billing' && n.label === 'api')!;
  const kubeDns = graph.nodes.find((n) => n.kind === 'service' && n.namespace === 'kube-system' && n.label === 'kube-dns')!;
  const coredns = graph.nodes.filter((n) => n.namespace === 'kube-system' && (n.kind === 'workload' || n.kind === 'pod') && /coredns/.test(n.label)).map((n) => n.id);
  let view: InspectorPage | undefined;

  afterEach(async () => {
    await view?.close();
    view = undefined;
  });

  /** Answers the webview's trace requests as the host does, until the one for `nodeId`. */
  async function answer(since: number, nodeId: string): Promise<void> {
    for (;;) {
      const asked = (await view!.waitForMessage('traceRequest', { since })) as TraceRequestMessage;
      since = view!.posted.indexOf(asked) + 1;
      const node = graph.nodes.find((n) => n.id === asked.nodeId)!;
      const answers = traceQuestionsForNode(node, graph, index).map((question) => ({ question, trace: traceRequest(index.model, index, question.options) }));
      await view!.post({ type: 'trace', requestId: asked.requestId, trace: traceViewForQuestions(graph, asked.nodeId, answers, graphIndex)!, pin: asked.pin });
      if (asked.nodeId === nodeId) return;
    }
  }

  for (const size of [
    { name: 'beside-editor', width: 620, height: 800 },
    { name: 'maximised', width: 1240, height: 800 },
  ]) {
    for (const theme of ['dark', 'light'] as const) {
      it(`${size.name} (${size.width} px, ${theme}): hovering api lights kube-dns and CoreDNS with its own path`, async () => {
        assert.ok(api && kubeDns && coredns.length > 0, 'the example draws api, kube-dns and CoreDNS');
        view = await openInspector({ theme, viewport: { width: size.width, height: size.height } });
        await view.postModel(graph);
        const since = view.posted.length;
        await view.page.hover(sel(api.id), { force: true });
        await answer(since, api.id);
        await view.page.waitForFunction((id) => document.querySelector(`#app svg g.node[data-id="${id}"]`)?.classList.contains('lit') === true, kubeDns.id);
        const lit = await view.page.locator('#app svg g.node.lit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
        assert.ok(lit.includes(api.id) && lit.includes(kubeDns.id), `lit: ${lit.join(', ')}`);
        assert.ok(coredns.some((id) => lit.includes(id)), `no CoreDNS node lit: ${lit.join(', ')}`);
        const litEdges = await view.page.locator('#app svg path.edge.lit').evaluateAll((els) => els.map((e) => e.getAttribute('data-from') ?? ''));
        assert.ok(litEdges.includes(kubeDns.id), 'a link from kube-dns is lit');
        const panel = (await view.page.locator('.trace-panel').textContent()) ?? '';
        assert.match(panel, /kube-dns/, 'the side panel names the lookup');
        await view.screenshot(`lookup-hover-${size.name}-${theme}`);
      });
    }
  }
});
