// What the editor and the inspector trace for Gateway API objects: one
// request per HTTPRoute rule that really lands on it (examples/gateway), the
// Gateways drawn as entries and the refused parentRef as a broken link.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelIndex } from '../../../../src/core/model/model-index';
import { buildModel, parseManifestFile } from '../../../../src/core/source/manifests';
import { buildTopologyGraph, nodeForTarget, traceOptionsForNode } from '../../../../src/core/topology';
import { routeRuleRequests, traceRequest } from '../../../../src/core/trace';

const DIR = join('examples', 'gateway');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => parseManifestFile(join(DIR, f), readFileSync(join(DIR, f), 'utf8'), { defaultNamespace: 'default' }));
const model = buildModel(files, 'default');
const index = new ModelIndex(model);
const routeNamed = (name: string) => model.routes.find((r) => r.name === name)!;

describe('gateway: trace targets (examples/gateway)', () => {
  it('one request per HTTPRoute rule, each landing on its rule', () => {
    assert.deepEqual(routeRuleRequests(model, routeNamed('store')), [
      { ruleIndex: 0, url: 'https://store.example.com/', headers: { 'x-canary': 'always' } },
      { ruleIndex: 1, url: 'https://store.example.com/' },
      { ruleIndex: 2, url: 'https://store.example.com/api/payments' },
    ]);
    assert.deepEqual(routeRuleRequests(model, routeNamed('https-redirect')), [{ ruleIndex: 0, url: 'http://example.com/' }]);
    assert.deepEqual(routeRuleRequests(model, routeNamed('blog')), [], 'a route no listener takes has no request to trace');
  });

  it('the canary header sends everything to the canary; without it 90/10', () => {
    const canary = traceRequest(model, index, { to: { kind: 'url', url: 'https://store.example.com/', headers: { 'x-canary': 'always' } } });
    assert.deepEqual(
      canary.endpoints.map((e) => [e.target, e.probability]),
      [['<store/Deployment/web-canary replica 1>', 1]],
    );
    const split = traceRequest(model, index, { to: { kind: 'url', url: 'https://store.example.com/' } });
    assert.equal(Math.round(split.endpoints.filter((e) => e.target.includes('web-canary')).reduce((s, e) => s + (e.probability ?? 0), 0) * 100), 10);
  });

  it('the inspector draws the Gateway as an entry, refused parentRefs broken, and rule nodes trace their request', () => {
    const graph = buildTopologyGraph(index, { sourceLabel: 'examples/gateway' });
    const gw = graph.nodes.find((n) => n.id === 'entry:gateway:infra/public')!;
    assert.equal(gw.kind, 'entry');
    assert.equal(gw.detail, 'HTTP 80 · HTTPS 443 *.example.com');
    assert.equal(gw.objectId, model.gateways[0].id);
    const blog = routeNamed('blog');
    const refused = graph.edges.find((e) => e.from === gw.id && e.to === `route:${blog.id}/0`)!;
    assert.equal(refused.broken, true);
    assert.equal(refused.label, 'not accepted');
    const store = routeNamed('store');
    const ruleNode = graph.nodes.find((n) => n.id === `route:${store.id}/2`)!;
    assert.equal(ruleNode.detail, 'HTTPRoute store · rule 2 · URLRewrite');
    assert.deepEqual(traceOptionsForNode(ruleNode, index)?.to, { kind: 'url', url: 'https://store.example.com/api/payments', method: undefined, headers: undefined });
    const target = nodeForTarget(graph, index, { url: 'https://store.example.com/', headers: { 'x-canary': 'always' } })!;
    assert.equal(target.nodeId, `route:${store.id}/0`);
  });
});
