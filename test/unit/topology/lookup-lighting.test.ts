// The inspector lights the name lookup a trace makes: hovering a Service of
// examples/cluster-dns lights kube-system's kube-dns Service, its endpoints and
// the CoreDNS Pods (neither up- nor downstream of the Service in the graph),
// and the links among them; without the cluster DNS in the set nothing extra lights.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { buildTopologyGraph, explainNode, questionsForNode } from '../../../src/core/topology';
import { indexGraph } from '../../../src/view-model';

function drawn(files: string[]) {
  const analysis = new Analysis();
  for (const f of files) analysis.setFile(f, readFileSync(f, 'utf8'));
  const index = analysis.index();
  const graph = buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'test' });
  return { index, graph };
}

const dir = 'examples/cluster-dns';
const all = readdirSync(dir).map((f) => join(dir, f));

describe('topology: the lookup lit in the inspector', () => {
  it("hovering billing's api Service lights kube-dns and the CoreDNS Pods with the links between them", () => {
    const d = drawn(all);
    const gi = indexGraph(d.graph);
    const api = d.graph.nodes.find((n) => n.kind === 'service' && n.namespace === 'billing' && n.label === 'api')!;
    const dns = d.graph.nodes.find((n) => n.kind === 'service' && n.namespace === 'kube-system' && n.label === 'kube-dns')!;
    assert.ok(api && dns, 'both Services are drawn');
    const view = explainNode(d, gi, api.id, questionsForNode(d, gi, api.id) ?? [], { proxyMode: 'iptables' })!;
    assert.ok(view.fromEngine);
    assert.ok(view.nodeIds.includes(dns.id), 'kube-dns lights up');
    const coredns = d.graph.nodes.filter((n) => n.namespace === 'kube-system' && (n.kind === 'workload' || n.kind === 'pod') && /coredns/.test(n.label));
    assert.ok(coredns.length > 0 && coredns.some((n) => view.nodeIds.includes(n.id)), 'a CoreDNS workload or Pod lights up');
    const dnsEdges = d.graph.edges.filter((e) => e.from === dns.id);
    assert.ok(dnsEdges.length > 0 && dnsEdges.every((e) => view.edgeIds.includes(e.id)), "kube-dns's links light up");
    const lookupHop = view.hops.find((h) => h.nodeIds.includes(dns.id));
    assert.ok(lookupHop, 'the side panel ties the lookup hop to kube-dns');
    // A Pod of unknown labels: the condition reads as a sentence.
    assert.match(view.reason, /the labels of a Pod in namespace billing \(labels unknown\) do not match billing\/worker-egress's podSelector app=worker/);
    assert.doesNotMatch(view.reason, /\)'s labels/);
  });

  it('lights nothing of kube-system without the cluster DNS in the set', () => {
    const d = drawn(all.filter((f) => !f.includes('kube-system')));
    const gi = indexGraph(d.graph);
    const api = d.graph.nodes.find((n) => n.kind === 'service' && n.label === 'api')!;
    const view = explainNode(d, gi, api.id, questionsForNode(d, gi, api.id) ?? [], { proxyMode: 'iptables' })!;
    assert.ok(view.nodeIds.every((id) => d.graph.nodes.find((n) => n.id === id)?.namespace !== 'kube-system'));
  });
});
