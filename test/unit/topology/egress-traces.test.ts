// Requests between two drawn objects and the editor's egress lenses and
// hovers: egress from a workload to the world outside (the DNS-less address
// path: egress verdict naming the rule, the node's masquerade), Pod to Pod
// (no kube-proxy, policy at both ends), and what "Trace egress" above a
// NetworkPolicy rule traces.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import type { NetworkPolicy } from '../../../src/core/model/types';
import { buildTopologyGraph, egressRuleHover, egressRuleLenses, egressRuleTraces, nodeForTarget, OUTSIDE_ID, sampleAddress, traceQuestionsForNode, traceQuestionsForPair } from '../../../src/core/topology';
import { traceRequest } from '../../../src/core/trace';
import type { TopologyGraph } from '../../../src/protocol';
import { isTraceTarget } from '../../../src/protocol';
import { pairTraceView, traceDestinations, traceViewForQuestions } from '../../../src/view-model';
import { egressExample } from './egress-example';
import { describeAt } from '../../../src/core/editor/hover-text';

function setUp(files = egressExample()) {
  const analysis = new Analysis();
  for (const [name, text] of Object.entries(files)) analysis.setFile(name, text);
  const index = analysis.index();
  const graph = buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'test' });
  return { index, graph };
}

const node = (g: TopologyGraph, kind: string, label: string) => {
  const n = g.nodes.find((x) => x.kind === kind && x.label === label);
  assert.ok(n, `no ${kind} ${label}`);
  return n;
};

describe('topology: egress and Pod-to-Pod questions', () => {
  it('traces a workload to the world outside on the port its policy allows, and lights that link', () => {
    const { index, graph } = setUp();
    const api = node(graph, 'workload', 'api');
    const outside = graph.nodes.find((n) => n.id === OUTSIDE_ID)!;
    const [q] = traceQuestionsForPair(api, outside, index);
    assert.deepEqual(q.options.to, { kind: 'external', port: 443, protocol: 'TCP' });
    assert.equal(q.from, 'a Pod of Deployment payments/api, to any address outside the cluster on TCP/443');
    const trace = traceRequest(index.model, index, q.options);
    assert.deepEqual(trace.hops.map((h) => h.kind), ['policy', 'snat', 'external']);
    assert.match(trace.hops[0].detail, /^egress at payments\/Deployment\/api: /);
    assert.match(trace.hops[0].detail, /: depends: allowed only if the destination's address is in 0\.0\.0\.0\/0 except 169\.254\.169\.254\/32, 10\.0\.0\.0\/8$/);
    assert.match(trace.hops[1].detail, /masquerades the connection \(SNAT to the node address/);
    // The address is not known: the except ranges leave it to where it is.
    assert.equal(trace.verdict, 'unresolved');
    const view = pairTraceView(graph, api.id, q.between!, trace);
    assert.ok(view);
    assert.equal(view.toNodeId, OUTSIDE_ID);
    assert.equal(view.title, 'payments/api → Any address outside');
    assert.deepEqual(view.edgeIds, [`${api.id}->${OUTSIDE_ID}`]);
    assert.deepEqual(new Set(view.nodeIds), new Set([api.id, OUTSIDE_ID]));
  });

  it('traces to an address range through one of its addresses, and blocks what an except leaves out', () => {
    const { index, graph } = setUp();
    const worker = node(graph, 'workload', 'worker');
    const db = node(graph, 'external', '10.20.0.0/16');
    const [q] = traceQuestionsForPair(worker, db, index);
    assert.deepEqual(q.options.to, { kind: 'external', ip: '10.20.0.1', port: 5432, protocol: 'TCP' });
    const trace = traceRequest(index.model, index, q.options);
    assert.equal(trace.verdict, 'delivered');
    assert.match(trace.hops[0].detail, /allowed by payments\/worker-egress egress\[1\]/);
    const api = node(graph, 'workload', 'api');
    const metadata = node(graph, 'external', '169.254.169.254/32');
    const [blocked] = traceQuestionsForPair(api, metadata, index);
    assert.deepEqual(blocked.options.to, { kind: 'external', ip: '169.254.169.254', port: 443, protocol: 'TCP' });
    const denied = traceRequest(index.model, index, blocked.options);
    assert.equal(denied.verdict, 'dropped');
    const view = pairTraceView(graph, api.id, blocked.between!, denied)!;
    assert.equal(view.verdict, 'blocked');
    // The inspector's explanation ends at the denial: no masquerade and no "out of the cluster" after it.
    assert.deepEqual(denied.hops.map((h) => h.kind), ['policy']);
    assert.deepEqual(view.hops.map((h) => h.kind), ['policy']);
  });

  it('hovering an outside node traces from a workload allowed there, and from one that is not beside it', () => {
    const { index, graph } = setUp();
    const db = node(graph, 'external', '10.20.0.0/16');
    const questions = traceQuestionsForNode(db, graph, index);
    assert.deepEqual(questions.map((q) => q.from), [
      'a Pod of Deployment payments/worker, to 10.20.0.1, an address of 10.20.0.0/16 on TCP/5432',
      'a Pod of Deployment payments/api, to 10.20.0.1, an address of 10.20.0.0/16 on TCP/443',
    ]);
    const answers = questions.map((question) => ({ question, trace: traceRequest(index.model, index, question.options) }));
    const view = traceViewForQuestions(graph, db.id, answers)!;
    assert.equal(view.nodeId, db.id);
    assert.equal(view.toNodeId, undefined, 'the hovered node is the destination: the answer is for it');
    assert.equal(view.verdict, 'reachable');
    assert.equal(view.alternative?.verdict, 'blocked');
    // Only the traced link is lit, not every workload's.
    assert.deepEqual(view.edgeIds, [`${node(graph, 'workload', 'worker').id}->${db.id}`]);
  });

  it('traces Pod to Pod between two workloads: no kube-proxy, policy at both ends', () => {
    const { index, graph } = setUp();
    const web = node(graph, 'workload', 'web');
    const api = node(graph, 'workload', 'api');
    const [q] = traceQuestionsForPair(web, api, index);
    assert.deepEqual(q.options.to, { kind: 'pod', namespace: 'payments', name: 'api', port: 8080, workloadKind: 'Deployment' });
    const trace = traceRequest(index.model, index, q.options);
    assert.equal(trace.verdict, 'delivered');
    assert.ok(!trace.hops.some((h) => h.kind === 'kube-proxy'), trace.hops.map((h) => h.kind).join(', '));
    // web's egress (not isolated: allowed), the route, api's ingress (not isolated), the container.
    assert.deepEqual(trace.hops.map((h) => h.kind), ['vip', 'policy', 'route', 'policy', 'pod', 'reply']);
    // api is isolated for egress: its egress verdict is a hop of its own.
    const back = traceRequest(index.model, index, traceQuestionsForPair(api, web, index)[0].options);
    assert.equal(back.verdict, 'dropped');
    assert.match(back.hops.find((h) => h.kind === 'policy')!.detail, /^egress at payments\/Deployment\/api/);
  });

  it('offers the outside nodes and the other workloads as destinations of a workload', () => {
    const { graph } = setUp();
    const api = node(graph, 'workload', 'api');
    assert.deepEqual(traceDestinations(graph, api.id).map((n) => n.label), ['Any address outside', '169.254.169.254/32', '10.0.0.0/8', '10.20.0.0/16', 'worker', 'web', 'reports']);
    assert.deepEqual(traceDestinations(graph, OUTSIDE_ID), []);
  });

  it('finds the drawn ends of an egress target from the editor', () => {
    const { index, graph } = setUp();
    const worker = index.model.workloads.find((w) => w.name === 'worker')!;
    const found = nodeForTarget(graph, index, { egress: { from: worker.id, cidr: '10.20.0.0/16', port: 5432, protocol: 'TCP' } });
    assert.equal(found?.nodeId, `workload:${worker.id}`);
    assert.deepEqual(found?.question?.between, { from: `workload:${worker.id}`, to: 'external:cidr:10.20.0.0/16' });
    assert.equal(nodeForTarget(graph, index, { egress: { from: 'nothing' } }), undefined);
  });

  it('picks an address of a range to trace to', () => {
    assert.equal(sampleAddress('10.20.0.0/16'), '10.20.0.1');
    assert.equal(sampleAddress('169.254.169.254/32'), '169.254.169.254');
    assert.equal(sampleAddress('0.0.0.0/0'), undefined);
    assert.equal(sampleAddress('fd00::/64'), 'fd00::1');
  });
});

describe('editor: egress lenses and hovers', () => {
  const policy = (index: ReturnType<typeof setUp>['index'], name: string) => index.model.networkPolicies.find((p) => p.name === name) as NetworkPolicy;

  it('puts a lens per destination and port outside the cluster on each egress rule', () => {
    const { index } = setUp();
    const api = policy(index, 'api-egress');
    // Rule 0 names the cluster DNS only: nothing outside.
    assert.deepEqual(egressRuleLenses(index, api, 0), []);
    const lenses = egressRuleLenses(index, api, 1);
    assert.deepEqual(lenses.map((l) => l.title), ['Trace egress to any address (0.0.0.0/0 except 2 ranges) TCP/443']);
    assert.equal(lenses[0].tooltip, 'Trace egress from a Pod of Deployment payments/api to any address (0.0.0.0/0 except 2 ranges) TCP/443 in the Network Inspector');
    assert.ok(isTraceTarget(lenses[0].target));
    const worker = policy(index, 'worker-egress');
    assert.deepEqual(egressRuleLenses(index, worker, 1).map((l) => l.title), ['Trace egress to 10.20.0.0/16 TCP/5432']);
  });

  it("traces a rule's except ranges for the hover only", () => {
    const { index } = setUp();
    const traces = egressRuleTraces(index, policy(index, 'api-egress'), 1);
    assert.deepEqual(traces.map((t) => [t.destination, t.except ?? false]), [
      ['any address (0.0.0.0/0 except 2 ranges) TCP/443', false],
      ['169.254.169.254/32 (except) TCP/443', true],
      ['10.0.0.0/8 (except) TCP/443', true],
    ]);
  });

  it('a rule allowing everything outside traces to any address on every port', () => {
    const files = egressExample();
    files['open.yaml'] = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-out\n  namespace: payments\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - {}\n';
    const { index } = setUp(files);
    const open = policy(index, 'web-out');
    assert.deepEqual(egressRuleLenses(index, open, 0).map((l) => [l.title, l.target]), [['Trace egress to any address every port', { egress: { from: index.model.workloads.find((w) => w.name === 'web')!.id } }]]);
    assert.match(egressRuleHover(index, open, 0, (m) => `[${m}]`)!, /- \[check\] any address every port: \*\*allowed\*\*: leaves the cluster toward an address outside the cluster on every TCP port/);
  });

  it('the hover says what each trace says', () => {
    const { index } = setUp();
    const text = egressRuleHover(index, policy(index, 'api-egress'), 1, (m) => `[${m}]`)!;
    const lines = text.split('\n');
    assert.equal(lines[0], '**Egress rule 1** of NetworkPolicy `payments/api-egress`, traced from a Pod of Deployment `payments/api`:');
    assert.equal(lines[2], "- [warning] any address \\(0.0.0.0/0 except 2 ranges\\) TCP/443: **depends**: egress allows it only if the destination's address is in 0.0.0.0/0 except 169.254.169.254/32, 10.0.0.0/8.");
    assert.match(lines[3], /^- \[error\] 169\.254\.169\.254\/32 \\\(except\\\) TCP\/443: \*\*blocked\*\*: NetworkPolicy drops it at the source/);
    assert.match(lines[4], /^- \[error\] 10\.0\.0\.0\/8 \\\(except\\\) TCP\/443: \*\*blocked\*\*/);
    assert.equal(egressRuleHover(index, policy(index, 'api-egress'), 0, (m) => m), undefined);
  });

  it("the language server's hover on an egress rule says the same", () => {
    const files = egressExample();
    const analysis = new Analysis();
    for (const [name, text] of Object.entries(files)) analysis.setFile(name, text);
    const index = analysis.index();
    const np = policy(index, 'worker-egress');
    const text = files['examples/egress/20-egress-policies.yaml'];
    const offset = text.indexOf('cidr: 10.20.0.0/16');
    const hover = describeAt(np, offset, index, { link: (_, label) => label, mark: (m) => `(${m})` });
    assert.equal(hover?.text, egressRuleHover(index, np, 1, (m) => `(${m})`));
    assert.match(hover!.text, /- \(check\) 10\.20\.0\.0\/16 TCP\/5432: \*\*allowed\*\*/);
  });
});
