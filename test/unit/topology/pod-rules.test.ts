// The Pod-to-Pod CodeLenses above a NetworkPolicy's rules that name Pods, on
// examples/shop: who they trace from and to, on which port, and what the
// trace they ask for answers (the example's redis policy allows the wrong
// port, so its lens shows the request blocked).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import type { NetworkPolicy } from '../../../src/core/model/types';
import { codeLenses } from '../../../src/core/editor/code-lenses';
import { buildTopologyGraph, nodeForTarget, podRuleLenses } from '../../../src/core/topology';
import { traceRequest } from '../../../src/core/trace';
import { isTraceTarget } from '../../../src/protocol';

function shop() {
  const analysis = new Analysis();
  for (const f of readdirSync('examples/shop')) analysis.setFile(join('examples/shop', f), readFileSync(join('examples/shop', f), 'utf8'));
  const index = analysis.index();
  const graph = buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'test' });
  return { index, graph };
}

const policy = (index: ReturnType<typeof shop>['index'], name: string) => index.model.networkPolicies.find((p) => p.name === name) as NetworkPolicy;

describe('topology: Pod-to-Pod lenses on NetworkPolicy rules', () => {
  it('traces from the peer a rule admits to the Pods the policy selects, on the port they declare', () => {
    const { index, graph } = shop();
    const lenses = podRuleLenses(index, policy(index, 'carts-from-frontend'), 'ingress', 0);
    assert.deepEqual(lenses.map((l) => [l.title, l.target.podToPod.port]), [['Trace from shop/frontend (Pod to Pod)', 8080]]);
    assert.ok(isTraceTarget(lenses[0].target));
    const found = nodeForTarget(graph, index, lenses[0].target);
    assert.ok(found, 'both ends are drawn');
    const trace = traceRequest(index.model, index, found.options);
    assert.equal(trace.verdict, 'delivered', trace.reason);
    assert.ok(!trace.hops.some((h) => h.kind === 'dnat'), 'no kube-proxy between two Pods');
  });

  it("a rule on a port the Pods do not declare is traced on the port they do, and the trace says it is blocked", () => {
    const { index, graph } = shop();
    const [lens] = podRuleLenses(index, policy(index, 'redis-from-carts'), 'ingress', 0);
    assert.equal(lens.title, 'Trace from shop/carts (Pod to Pod)');
    assert.equal(lens.target.podToPod.port, 6379, 'redis listens on 6379; the rule names 6380');
    const trace = traceRequest(index.model, index, nodeForTarget(graph, index, lens.target)!.options);
    assert.equal(trace.verdict, 'dropped', trace.reason);
    assert.match(trace.reason, /^NetworkPolicy drops it: ingress at shop\/StatefulSet\/redis: DENIED: isolated by shop\/default-deny-ingress, shop\/redis-from-carts; no ingress rule allows shop\/Deployment\/carts on TCP\/6379$/);
  });

  it('names nothing for a rule of namespaces that hold no workload, nor for a policy that is not isolated in that direction', () => {
    const { index } = shop();
    assert.deepEqual(podRuleLenses(index, policy(index, 'catalog-from-frontend'), 'ingress', 1), [], 'the monitoring namespace has no workload in the set');
    assert.deepEqual(podRuleLenses(index, policy(index, 'carts-from-frontend'), 'egress', 0), []);
  });

  it('stands above the rule in the file, with the trace command and its target', () => {
    const { index } = shop();
    const objects = index.model.networkPolicies.filter((p) => p.name === 'carts-from-frontend');
    const lenses = codeLenses([{ objects, index, at: (loc) => loc }]).filter((l) => l.kind === 'trace');
    assert.deepEqual(lenses.map((l) => l.kind === 'trace' && l.title), ['Trace from shop/frontend (Pod to Pod)']);
    const rule = objects[0].ingress[0];
    assert.equal(lenses[0].loc.start, rule.loc!.start);
  });
});
