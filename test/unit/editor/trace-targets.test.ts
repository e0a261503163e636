// What the CodeLenses and hovers say: Ingress URLs, Service summaries, HTTPRoute attachment and shares.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Analysis } from '../../../src/core/analysis';
import type { Ingress, Service } from '../../../src/core/model/types';
import { backendRefLine, ingressUrls, parentRefLines, serviceSummary } from '../../../src/core/editor/trace-targets';

function analyse(files: Record<string, string>) {
  const a = new Analysis({});
  for (const [k, v] of Object.entries(files)) a.setFile(k, v);
  return a;
}

const deployment = (name: string, app: string, replicas?: number, kind = 'Deployment') =>
  `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n${replicas === undefined ? '' : `  replicas: ${replicas}\n`}  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: c\n          image: x\n`;
const service = (sel: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\nspec:\n  selector:\n    app: ${sel}\n  ports:\n    - port: 80\n`;

describe('trace targets', () => {
  it('summarises what a Service reaches', () => {
    const a = analyse({ 's.yaml': service('web'), 'a.yaml': deployment('a', 'web', 2), 'b.yaml': deployment('b', 'web') });
    assert.equal(serviceSummary(a.index(), a.model().services[0] as Service), '3 pods · 2 workloads');
    const none = analyse({ 's.yaml': service('nothing'), 'a.yaml': deployment('a', 'web', 2) });
    assert.equal(serviceSummary(none.index(), none.model().services[0] as Service), 'no pods match');
    const ds = analyse({ 's.yaml': service('web'), 'a.yaml': deployment('a', 'web', undefined, 'DaemonSet') });
    assert.equal(serviceSummary(ds.index(), ds.model().services[0] as Service), 'pods per node · 1 workload');
    // The same Deployment in two files is one workload.
    const dup = analyse({ 's.yaml': service('web'), 'a.yaml': deployment('a', 'web', 2), 'a-copy.yaml': deployment('a', 'web', 2) });
    assert.equal(serviceSummary(dup.index(), dup.model().services[0] as Service), '2 pods · 1 workload');
  });

  it('lists an Ingress rule path as a URL, https when TLS covers the host', () => {
    const ing = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  namespace: shop\nspec:\n  tls:\n    - hosts: ["*.example.com"]\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /cart\n            pathType: Prefix\n            backend:\n              service:\n                name: s\n                port:\n                  number: 80\n    - host: a.b.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: s\n                port:\n                  number: 80\n    - http:\n        paths:\n          - path: /any\n            pathType: Prefix\n            backend:\n              service:\n                name: s\n                port:\n                  number: 80\n`;
    const a = analyse({ 'i.yaml': ing });
    const urls = ingressUrls(a.model().ingresses[0] as Ingress).map((u) => u.url);
    // The wildcard covers one label only; a rule for any host has no address to trace until the Ingress has one.
    assert.deepEqual(urls, ['https://shop.example.com/cart', 'http://a.b.example.com/']);
  });
});

describe('trace targets: HTTPRoute hovers (examples/gateway)', () => {
  const a = new Analysis({});
  for (const f of readdirSync('examples/gateway').sort()) a.setFile(`examples/gateway/${f}`, readFileSync(`examples/gateway/${f}`, 'utf8'));
  const model = a.model();
  const route = (name: string) => model.routes.find((r) => r.name === name)!;
  it('a parentRef lists each listener: attached with its hosts, or why not', () => {
    assert.deepEqual(parentRefLines(model, route('store'), route('store').parentRefs[0]), [
      '$(close) listener `http` (HTTP 80): sectionName https names another listener than http',
      '$(check) listener `https` (HTTPS 443 \\*.example.com): attached, serving store.example.com',
    ]);
    assert.match(parentRefLines(model, route('blog'), route('blog').parentRefs[0])[1], /^\$\(close\) listener `https` .*shares no host with the route's hostnames blog\.example\.org/);
  });
  it('a backendRef shows its share and the ReferenceGrant that allows it', () => {
    const store = route('store');
    assert.equal(backendRefLine(model, a.index(), store, store.rules[1].backendRefs[1]), "10% of the rule's requests (weight 10) to Service `store/web-canary` port 80");
    assert.equal(backendRefLine(model, a.index(), store, store.rules[2].backendRefs[0]), "100% of the rule's requests (weight 1) to Service `payments/payments` port 8080 (allowed by ReferenceGrant `payments/store-routes`)");
  });
});
