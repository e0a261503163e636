// The Gateway API route rules: route-not-accepted (why, per parentRef, only
// about Gateways of the set), route-backend-not-permitted (cross-namespace
// references without a ReferenceGrant) and route-weights-zero.
import assert from 'node:assert/strict';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { lintModel, only } from './lint-helper';

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: example
  listeners:
    - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
    - {name: internal, port: 8080, protocol: HTTP, hostname: internal.example.com}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web, ports: [{containerPort: 80}]}]}}
`;

function lint(yaml: string, rule: string) {
  const text = [GATEWAY, SERVICE, yaml].join('---\n');
  return only(lintModel(buildModel([parseManifestFile('gw.yaml', text, { defaultNamespace: 'default' })], 'default')), rule);
}

const route = (parent: string, extra = '', ns = 'apps') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: ${ns}}
spec:
  parentRefs: [${parent}]
${extra}  rules: [{backendRefs: [{name: web, port: 80, namespace: apps}]}]
`;

describe('route-not-accepted', () => {
  it('accepted routes give nothing', () => {
    assert.deepEqual(lint(route('{name: gw, namespace: infra}', '  hostnames: [shop.example.com]\n'), 'route-not-accepted'), []);
    assert.deepEqual(lint(route('{name: gw, namespace: infra, sectionName: http}'), 'route-not-accepted'), []);
  });
  it('hostname: the route hostnames share no host with the listener', () => {
    const [f] = lint(route('{name: gw, namespace: infra, sectionName: http}', '  hostnames: [example.com]\n'), 'route-not-accepted');
    assert.match(f.message, /listener http's hostname \*\.example\.com shares no host with the route's hostnames example\.com/);
    assert.match(f.message, /Make the route's hostnames meet/);
    assert.equal(f.severity, 'warning');
  });
  it('namespace: from Same refuses a route of another namespace', () => {
    const [f] = lint(route('{name: gw, namespace: infra, sectionName: internal}'), 'route-not-accepted');
    assert.match(f.message, /takes routes from namespace infra only .* the route is in apps/);
  });
  it('sectionName: a listener the Gateway does not have', () => {
    const [f] = lint(route('{name: gw, namespace: infra, sectionName: https}'), 'route-not-accepted');
    assert.match(f.message, /has no listener named https \(it has http, internal\)/);
  });
  it('port: no listener on the parentRef port', () => {
    const [f] = lint(route('{name: gw, namespace: infra, port: 443}'), 'route-not-accepted');
    assert.match(f.message, /parentRef port 443 is not listener http's port 80/);
  });
  it('kind: a GRPCRoute on a listener whose kinds exclude it', () => {
    const grpc = route('{name: gw, namespace: infra, sectionName: http}').replace('kind: HTTPRoute', 'kind: GRPCRoute').replace('/v1\n', '/v1\n');
    const yaml = GATEWAY.replace('allowedRoutes: {namespaces: {from: All}}', 'allowedRoutes: {namespaces: {from: All}, kinds: [{kind: HTTPRoute}]}');
    const text = [yaml, SERVICE, grpc].join('---\n');
    const found = only(lintModel(buildModel([parseManifestFile('gw.yaml', text, { defaultNamespace: 'default' })], 'default')), 'route-not-accepted');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /takes HTTPRoute, not GRPCRoute/);
  });
  it('never about a Gateway outside the set, nor a namespace selector it cannot decide', () => {
    assert.deepEqual(lint(route('{name: elsewhere, namespace: infra}'), 'route-not-accepted'), []);
    const sel = GATEWAY.replace('{from: All}', '{from: Selector, selector: {matchLabels: {team: web}}}');
    const text = [sel, SERVICE, route('{name: gw, namespace: infra, sectionName: http}', '', 'undeclared')].join('---\n');
    assert.deepEqual(only(lintModel(buildModel([parseManifestFile('gw.yaml', text, { defaultNamespace: 'default' })], 'default')), 'route-not-accepted'), []);
  });
});

describe('route-backend-not-permitted', () => {
  const cross = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cross, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  rules:
    - backendRefs: [{name: web, namespace: apps, port: 80}]
      filters: [{type: RequestMirror, requestMirror: {backendRef: {name: web, namespace: apps, port: 80}}}]
`;
  it('a cross-namespace backendRef and mirror without a ReferenceGrant', () => {
    const found = lint(cross, 'route-backend-not-permitted');
    assert.equal(found.length, 2);
    assert.match(found[0].message, /sends traffic to Service apps\/web in another namespace, and no ReferenceGrant in apps/);
    assert.match(found[1].message, /mirrors requests to Service apps\/web/);
    assert.equal(found[0].severity, 'error');
  });
  it('a ReferenceGrant in the backend namespace silences it', () => {
    const grant = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: infra-routes, namespace: apps}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
  to: [{group: "", kind: Service}]
`;
    assert.deepEqual(lint(`${cross}---\n${grant}`, 'route-backend-not-permitted'), []);
  });
  it('on a live cluster, only where the backend namespace and its ReferenceGrants were read', () => {
    const model = buildModel([parseManifestFile('gw.yaml', [GATEWAY, SERVICE, cross].join('---\n'), { defaultNamespace: 'default' })], 'default');
    const cluster = { ...model, source: 'cluster' as const };
    assert.equal(only(lintModel(cluster), 'route-backend-not-permitted').length, 2, 'apps was read (its Service is there)');
    const unreadGrants = { ...cluster, unread: [{ resource: 'referencegrants', namespace: 'apps', reason: 'forbidden (403)', consequence: 'x' }] };
    assert.deepEqual(only(lintModel(unreadGrants), 'route-backend-not-permitted'), []);
    const notRead = { ...cluster, services: [], workloads: [] };
    assert.deepEqual(only(lintModel(notRead), 'route-backend-not-permitted'), []);
  });
  it('same-namespace references need none', () => {
    assert.deepEqual(lint(route('{name: gw, namespace: infra}'), 'route-backend-not-permitted'), []);
  });
});

describe('route-weights-zero', () => {
  it('every backendRef weight 0 in a rule', () => {
    const yaml = route('{name: gw, namespace: infra}').replace('{name: web, port: 80, namespace: apps}', '{name: web, port: 80, weight: 0}');
    const [f] = lint(yaml, 'route-weights-zero');
    assert.match(f.message, /Rule 0 of HTTPRoute apps\/web gives every backendRef weight 0/);
  });
  it('one backend above 0 is a drain, not a mistake', () => {
    const yaml = route('{name: gw, namespace: infra}').replace('[{name: web, port: 80, namespace: apps}]', '[{name: web, port: 80, weight: 0}, {name: web, port: 80, weight: 1}]');
    assert.deepEqual(lint(yaml, 'route-weights-zero'), []);
  });
});
