// Hovers and Pod-to-Pod lenses on AdminNetworkPolicy and
// BaselineAdminNetworkPolicy: what the subject selects across namespaces,
// what a rule's action does, and a lens whose trace names the admin rule that
// decided (the Admin tier's Deny wins over the NetworkPolicy that allows).
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { codeLenses } from '../../../src/core/editor/code-lenses';
import { hoverAt } from '../../../src/core/editor/hover-text';
import type { AdminNetworkPolicy } from '../../../src/core/model/types';
import { buildTopologyGraph, nodeForTarget } from '../../../src/core/topology';
import { adminRuleLenses, adminSelected } from '../../../src/core/topology/admin-rules';
import { traceRequest } from '../../../src/core/trace';

const workload = (ns: string, name: string, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: x, ports: [{name: http, containerPort: ${port}}]}]}`;
const namespace = (name: string, tier: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {tier: ${tier}}}`;

const ADMIN = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: protect-payments}
spec:
  priority: 5
  subject:
    namespaces: {matchLabels: {tier: payments}}
  ingress:
  - name: deny-from-web
    action: Deny
    from:
    - namespaces: {matchLabels: {tier: web}}
    ports:
    - portNumber: {protocol: TCP, port: 8443}
  - name: pass-monitoring
    action: Pass
    from:
    - pods:
        namespaceSelector: {}
        podSelector: {matchLabels: {app: prometheus}}
`;
const BASELINE = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject:
    namespaces: {}
  ingress:
  - name: deny-all
    action: Deny
    from:
    - namespaces: {}
`;
const ALLOW_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all, namespace: payments}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{}]`;

function set() {
  const analysis = new Analysis();
  const files: Record<string, string> = {
    'ns.yaml': [namespace('payments', 'payments'), namespace('web', 'web'), namespace('monitoring', 'ops')].join('\n---\n'),
    'workloads.yaml': [workload('payments', 'api', 8443), workload('web', 'frontend', 8080), workload('monitoring', 'prometheus', 9090)].join('\n---\n'),
    'admin.yaml': `${ADMIN}---\n${BASELINE}`,
    'np.yaml': ALLOW_ALL,
  };
  for (const [f, t] of Object.entries(files)) analysis.setFile(f, t);
  const index = analysis.index();
  const admin = (name: string) => index.model.adminNetworkPolicies.find((p) => p.name === name) as AdminNetworkPolicy;
  return { analysis, index, admin, text: files['admin.yaml'] };
}

const style = { link: (_: unknown, label: string) => label, mark: (m: string) => `(${m})` };

describe('topology: admin policy hovers and lenses', () => {
  it('selects across namespaces by namespace and Pod labels, never a hostNetwork Pod', () => {
    const { index, admin } = set();
    assert.deepEqual(adminSelected(index, admin('protect-payments').subject).map((w) => `${w.namespace}/${w.name}`), ['payments/api']);
    assert.deepEqual(adminSelected(index, admin('protect-payments').ingress[1].peers[0]).map((w) => `${w.namespace}/${w.name}`), ['monitoring/prometheus']);
    assert.deepEqual(adminSelected(index, admin('default').subject).map((w) => w.name).sort(), ['api', 'frontend', 'prometheus']);
  });

  it('hovers the subject with what it selects and where its tier decides', () => {
    const { index, admin, analysis, text } = set();
    const objects = index.model.adminNetworkPolicies.filter((p) => p.origin.file === 'admin.yaml');
    const at = text.indexOf('namespaces: {matchLabels: {tier: payments}}');
    const hover = hoverAt([{ objects, index, at: (l) => l }], at, style);
    assert.ok(hover, 'a hover on the subject');
    assert.match(hover.text, /AdminNetworkPolicy `protect-payments`\*\* subject/);
    assert.match(hover.text, /Admin tier, priority 5: decides before any NetworkPolicy/);
    assert.match(hover.text, /selects 1 workload:\n\n- Deployment payments\/api/);
    const baseline = hoverAt([{ objects, index, at: (l) => l }], text.indexOf('namespaces: {}'), style);
    assert.match(baseline!.text, /Baseline tier: decides only where no AdminNetworkPolicy and no NetworkPolicy did/);
    assert.match(baseline!.text, /selects 3 workloads/);
    assert.equal(analysis.findings().filter((f) => f.loc.file === 'admin.yaml').length, 0, 'no finding on a valid policy');
    void admin;
  });

  it("hovers a rule with its action, ports and the workloads its peers name", () => {
    const { index, text } = set();
    const objects = index.model.adminNetworkPolicies.filter((p) => p.origin.file === 'admin.yaml');
    const deny = hoverAt([{ objects, index, at: (l) => l }], text.indexOf('name: deny-from-web'), style);
    assert.match(deny!.text, /\*\*Ingress rule `deny-from-web`\*\*: Deny on TCP\/8443/);
    assert.match(deny!.text, /dropped: no NetworkPolicy can allow it/);
    assert.match(deny!.text, /- from namespaces tier=web: Deployment web\/frontend/);
    const pass = hoverAt([{ objects, index, at: (l) => l }], text.indexOf('name: pass-monitoring'), style);
    assert.match(pass!.text, /Pass on every port/);
    assert.match(pass!.text, /NetworkPolicy decides \(then the Baseline\)/);
  });

  it('a rule naming Pods says what its Pod-to-Pod traces answer, as its lenses trace them', () => {
    const { index, text } = set();
    const objects = index.model.adminNetworkPolicies.filter((p) => p.origin.file === 'admin.yaml');
    const deny = hoverAt([{ objects, index, at: (l) => l }], text.indexOf('name: deny-from-web'), style);
    assert.match(deny!.text, /\n\nTraced Pod to Pod:\n\n- \(close\) from `web\/frontend` to `payments\/api` port 8443: \*\*blocked\*\*: AdminNetworkPolicy drops it/);
    // Passed on to NetworkPolicy, which allows everything into payments.
    const pass = hoverAt([{ objects, index, at: (l) => l }], text.indexOf('name: pass-monitoring'), style);
    assert.match(pass!.text, /- \(check\) from `monitoring\/prometheus` to `payments\/api` port 8443: \*\*allowed\*\*/);
  });

  it("puts a Pod-to-Pod lens above a rule naming Pods; its trace is dropped by the admin rule although a NetworkPolicy allows", () => {
    const { index, admin, analysis } = set();
    const lenses = adminRuleLenses(index, admin('protect-payments'), 'ingress', 0);
    assert.deepEqual(lenses.map((l) => [l.title, l.target.podToPod.port]), [['Trace from web/frontend (Pod to Pod)', 8443]]);
    const graph = buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'test' });
    const found = nodeForTarget(graph, index, lenses[0].target);
    assert.ok(found);
    const trace = traceRequest(index.model, index, found.options);
    assert.equal(trace.verdict, 'dropped', trace.reason);
    assert.match(trace.reason, /protect-payments/);
    assert.match(trace.reason, /deny-from-web/);
    // The file's lenses: one above each admin rule that names a workload (the Pass rule's peer is prometheus; the
    // Baseline's subject is every namespace, its first workload monitoring/prometheus, so its peer is the next one).
    const all = codeLenses([{ objects: index.model.adminNetworkPolicies, index, at: (l) => l }]).filter((l) => l.kind === 'trace');
    assert.deepEqual(all.map((l) => l.kind === 'trace' && l.title), ['Trace from web/frontend (Pod to Pod)', 'Trace from monitoring/prometheus (Pod to Pod)', 'Trace from payments/api (Pod to Pod)']);
    const baseline = adminRuleLenses(index, admin('default'), 'ingress', 0)[0];
    const toPrometheus = traceRequest(index.model, index, nodeForTarget(graph, index, baseline.target)!.options);
    assert.equal(toPrometheus.verdict, 'dropped', 'no NetworkPolicy isolates prometheus, so the Baseline decides');
    assert.match(toPrometheus.reason, /BaselineAdminNetworkPolicy|Baseline/);
  });
});
