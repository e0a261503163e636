// Drift between a manifest and the live cluster (src/core/cluster/drift.ts):
// what changes traffic is reported, what the API server or controllers fill in is not.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { ModelObject, NetworkModel, Pod, Workload } from '../../../src/core/model/types';
import { driftOf } from '../../../src/core/cluster/drift';

function analyse(text: string): Analysis {
  const a = new Analysis({});
  a.setFile('f.yaml', text);
  return a;
}

/** The objects of a manifest text, and an index of another text standing in for the cluster. */
function drift(file: string, cluster: string): string[] {
  const f = analyse(file);
  const objects: ModelObject[] = [...f.model().services, ...f.model().networkPolicies, ...f.model().ingresses, ...f.model().workloads, ...f.model().adminNetworkPolicies];
  return driftOf(objects, analyse(cluster).index(), 'kind-dev').map((d) => d.message);
}

const service = (opts: { selector?: string; port?: string; type?: string; extra?: string }) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n${opts.type ? `  type: ${opts.type}\n` : ''}${opts.extra ?? ''}  selector:\n    app: ${opts.selector ?? 'cart'}\n  ports:\n${opts.port ?? '    - name: http\n      port: 80\n      targetPort: 8080\n'}`;

describe('cluster drift', () => {
  it('reports a Service whose selector, type or ports differ, at the field in the file', () => {
    const file = service({});
    assert.deepEqual(drift(file, service({ selector: 'carts' })), ['In cluster kind-dev, Service shop/cart selects app=carts (this file: app=cart).']);
    assert.deepEqual(drift(file, service({ type: 'NodePort' })), ['In cluster kind-dev, Service shop/cart is of type NodePort (this file: ClusterIP).']);
    assert.deepEqual(drift(file, service({ port: '    - name: http\n      port: 80\n      targetPort: http\n' })), [
      'In cluster kind-dev, Service shop/cart has ports http 80→http (this file: http 80→8080).',
    ]);
    // The selector diagnostic sits on the selector, not on the whole object.
    const f = analyse(file);
    const [item] = driftOf(f.model().services, analyse(service({ selector: 'carts' })).index(), 'kind-dev');
    assert.equal(file.slice(item.loc.start, item.loc.end).trim(), 'app: cart');
  });

  it('is silent where the API server fills in what the file leaves out', () => {
    // No targetPort = the port; a nodePort and clusterIP assigned by the cluster; the same selector.
    const file = service({ type: 'NodePort', port: '    - name: http\n      port: 80\n' });
    const live = service({ type: 'NodePort', extra: '  clusterIP: 10.96.0.7\n', port: '    - name: http\n      port: 80\n      targetPort: 80\n      nodePort: 31234\n' });
    assert.deepEqual(drift(file, live), []);
    // Not in the cluster at all: nothing to compare.
    assert.deepEqual(drift(file, service({}).replace('name: cart', 'name: other')), []);
  });

  it('reports a NetworkPolicy podSelector, policyTypes and rule count change', () => {
    const policy = (app: string, ingress: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: ${app}\n  policyTypes: [Ingress]\n  ingress:\n${ingress}`;
    const one = '    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n';
    assert.deepEqual(drift(policy('cart', one), policy('cart', one)), []);
    assert.deepEqual(drift(policy('cart', one), policy('carts', one + one)), [
      'In cluster kind-dev, NetworkPolicy shop/p selects Pods app=carts (this file: app=cart).',
      'In cluster kind-dev, NetworkPolicy shop/p has 2 ingress rules (this file: 1).',
    ]);
  });

  it('reports an admin policy whose priority, subject or rule order differs; silent when only the writing differs', () => {
    const anp = (priority: number, subject: string, rules: string) =>
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: guard\nspec:\n  priority: ${priority}\n  subject:\n    namespaces:\n      matchLabels: {${subject}}\n  ingress:\n${rules}`;
    const deny = '  - name: deny-web\n    action: Deny\n    from: [{namespaces: {matchLabels: {tier: web}}}]\n';
    const allow = '  - name: allow-ops\n    action: Allow\n    from: [{namespaces: {matchLabels: {tier: ops}}}]\n';
    const file = anp(5, 'tier: payments, team: a', deny + allow);
    assert.deepEqual(drift(file, anp(5, 'team: a, tier: payments', deny + allow)), []);
    assert.deepEqual(drift(file, anp(50, 'tier: payments, team: a', allow + deny)), [
      'In cluster kind-dev, AdminNetworkPolicy guard has priority 50 (this file: 5).',
      'In cluster kind-dev, AdminNetworkPolicy guard has ingress rules allow-ops (Allow), deny-web (Deny) (this file: deny-web (Deny), allow-ops (Allow)).',
    ]);
    const f = analyse(file);
    const [item] = driftOf(f.model().adminNetworkPolicies, analyse(anp(5, 'tier: billing', deny + allow)).index(), 'kind-dev');
    assert.equal(item.message, 'In cluster kind-dev, AdminNetworkPolicy guard selects namespaces tier=billing (this file: namespaces team=a, tier=payments).');
    assert.match(file.slice(item.loc.start, item.loc.end), /^namespaces:/, 'on the subject');
  });

  it('reports an Ingress path whose backend differs, and paths only the cluster has', () => {
    const ingress = (paths: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n${paths}`;
    const path = (p: string, svc: string) => `          - path: ${p}\n            pathType: Prefix\n            backend:\n              service:\n                name: ${svc}\n                port:\n                  number: 80\n`;
    assert.deepEqual(drift(ingress(path('/', 'web')), ingress(path('/', 'frontend') + path('/api', 'cart'))), [
      'In cluster kind-dev, Ingress shop/shop routes shop.example.com/ to frontend:80 (this file: web:80).',
      'In cluster kind-dev, Ingress shop/shop also routes shop.example.com/api to cart:80, which this file does not.',
    ]);
  });

  it('compares a Deployment with the live Pods the cluster groups under it', () => {
    const file = analyse(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: cart\n  template:\n    metadata:\n      labels:\n        app: cart\n        tier: api\n    spec:\n      containers:\n        - name: c\n          image: x\n',
    );
    const pod = (name: string, labels: Record<string, string>): Pod => ({
      id: name, kind: 'Pod', apiVersion: 'v1', name, namespace: 'shop', labels, annotations: {}, origin: { source: 'cluster' },
      ips: [], phase: 'Running', ready: true, terminating: false, containers: [], hostNetwork: false,
    });
    const live = (pods: Pod[]): ModelIndex => {
      const w: Workload = {
        id: 'Deployment:shop/cart', kind: 'Deployment', apiVersion: 'apps/v1', name: 'cart', namespace: 'shop', labels: {}, annotations: {}, origin: { source: 'cluster' },
        podLabels: {}, containers: [], hostNetwork: false, pods,
      };
      const model: NetworkModel = { source: 'cluster', defaultNamespace: 'default', namespaces: [], nodes: [], workloads: [w], services: [], endpointSlices: [], ingresses: [], ingressClasses: [], routes: [], gateways: [], gatewayClasses: [], referenceGrants: [], networkPolicies: [], adminNetworkPolicies: [] };
      return new ModelIndex(model);
    };
    const objects = file.model().workloads;
    const messages = (pods: Pod[]) => driftOf(objects, live(pods), 'kind-dev').map((d) => d.message);
    // Extra labels on the Pods (added by the cluster) are no drift.
    assert.deepEqual(messages([pod('a', { app: 'cart', tier: 'api', 'pod-template-hash': 'x', mesh: 'on' })]), []);
    assert.deepEqual(messages([pod('a', { app: 'carts', tier: 'api' }), pod('b', { app: 'carts' })]), [
      'In cluster kind-dev, Deployment shop/cart: its 2 Pods are labelled app=carts (this file: app=cart).',
    ]);
    assert.deepEqual(messages([pod('a', { app: 'cart' })]), ['In cluster kind-dev, Deployment shop/cart: its Pod has no label tier (this file: tier=api).']);
    // A rollout in progress: the Pods disagree, so nothing is claimed; no Pods: nothing known.
    assert.deepEqual(messages([pod('a', { app: 'cart', tier: 'api' }), pod('b', { app: 'carts', tier: 'api' })]), []);
    assert.deepEqual(messages([]), []);
  });
});
