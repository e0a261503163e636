// Whole answers of Gateway traces (verdict, reason, every hop's text, each
// endpoint's share), for requests that go through many of the Gateway API's
// features at once, after the conformance suite (kubernetes-sigs/gateway-api
// conformance/tests: httproute-request-header-modifier, httproute-rewrite-path,
// httproute-rewrite-host, httproute-request-redirect, httproute-request-mirror,
// httproute-weight, httproute-reference-grant, httproute-invalid-backendref-*,
// gateway-with-attached-routes, grpcroute-*) and the HTTPRoute specification.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../../src/core/model/model-index';
import type { NetworkModel } from '../../../../src/core/model/types';
import { routeRuleRequests } from '../../../../src/core/trace';
import { build, trace, type Ask, type Built } from './harness';

const NS = 'gateway-conformance-infra';

function answer(b: Built, url: string, ask: Ask = {}) {
  const r = trace(b, url, ask);
  return {
    verdict: r.verdict,
    reason: r.reason,
    // A hop's text, then the rules it shows (the listener, the route rule with its backends).
    hops: r.hops.filter((h) => h.kind === 'gateway' || h.kind === 'filter').map((h) => [h.detail, ...h.rules].join(' || ')),
    endpoints: r.endpoints.map((e) => `${e.target} ${e.probability ?? '?'}`),
  };
}

function check(b: Built, url: string, ask: Ask, want: ReturnType<typeof answer>) {
  assert.deepEqual(answer(b, url, ask), want);
}

const HTTPS_GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: conformance}
spec: {controllerName: example.net/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: tls, namespace: ${NS}}
spec:
  gatewayClassName: conformance
  listeners:
    - name: https
      port: 8443
      protocol: HTTPS
      hostname: "*.example.org"
      allowedRoutes: {namespaces: {from: Same}}
      tls: {certificateRefs: [{name: tls-validity-checks-certificate}, {kind: Secret, name: other-cert, namespace: gateway-conformance-web-backend}]}
`;

describe('gateway: whole answers', () => {
  it('HTTPS listener, class, named rule with timeouts, every filter kind, weighted backends with their own filters', () => {
    const b = build(`${HTTPS_GATEWAY}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: everything, namespace: ${NS}}
spec:
  parentRefs: [{name: tls}]
  hostnames: [shop.example.org]
  rules:
    - name: api
      matches:
        - path: {type: PathPrefix, value: /api}
          method: GET
          headers: [{name: version, value: two}, {type: RegularExpression, name: tier, value: "gold|silver"}]
          queryParams: [{name: debug, value: "1"}, {type: RegularExpression, name: user, value: "a.*"}]
      timeouts: {request: 10s, backendRequest: 2s}
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier: {set: [{name: X-Set, value: one}], add: [{name: version, value: three}], remove: [x-remove]}
        - type: ResponseHeaderModifier
          responseHeaderModifier: {add: [{name: X-Back, value: b}]}
        - type: URLRewrite
          urlRewrite: {hostname: internal.example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
        - type: RequestMirror
          requestMirror: {backendRef: {name: infra-backend-v3, port: 8080}, fraction: {numerator: 1, denominator: 4}}
        - type: ExtensionRef
          extensionRef: {group: example.net, kind: Limiter, name: slow}
      backendRefs:
        - name: infra-backend-v1
          port: 8080
          weight: 3
          filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Backend, value: v1}]}}]
        - {name: infra-backend-v2, port: 8080, weight: 1}
`);
    check(b, 'https://shop.example.org:8443/api/items?debug=1&user=ann', { method: 'GET', headers: { version: 'two', tier: 'gold', 'x-remove': 'x' } }, {
      verdict: 'delivered',
      reason: '75% to Service gateway-conformance-infra/infra-backend-v1: delivered; 25% to Service gateway-conformance-infra/infra-backend-v2: delivered',
      hops: [
        'https://shop.example.org:8443/api/items -> Gateway gateway-conformance-infra/tls (class conformance, example.net/gateway-controller), listener https (HTTPS 8443, hostname *.example.org: wildcard); TLS terminated at the Gateway with Secret gateway-conformance-infra/tls-validity-checks-certificate, Secret gateway-conformance-web-backend/other-cert, plain HTTP to the backend || listener https: protocol HTTPS port 8443 hostname *.example.org allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/everything rule 0 (api): path PathPrefix /api, method GET, header version = two, header tier ~ gold|silver, query debug = 1, query user ~ a.*; timeouts: request 10s, backendRequest 2s (a 504 after that) || hostnames: shop.example.org  match: path PathPrefix /api, method GET, header version = two, header tier ~ gold|silver, query debug = 1, query user ~ a.*  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 3, Service gateway-conformance-infra/infra-backend-v2:8080 weight 1',
        'RequestHeaderModifier: set X-Set: one, add version: three, remove x-remove',
        'ResponseHeaderModifier (on the way back): add X-Back: b',
        'URLRewrite: shop.example.org/api/items -> internal.example.org/v2/items (Host header and path the backend sees)',
        'RequestMirror: a copy goes to Service gateway-conformance-infra/infra-backend-v3:8080 (1/4 of requests); its response is discarded, not part of the path',
        'ExtensionRef example.net/Limiter slow: implementation-defined, not evaluated',
        'for this backend: RequestHeaderModifier: set X-Backend: v1',
        'backend 75% (weight 3): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
        'backend 25% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v2 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 0.75',
        '<gateway-conformance-infra/Deployment/infra-backend-v2 replica 1> 0.25',
      ],
    });
  });

  it('redirects: scheme change drops the port, an explicit port is kept, ReplaceFullPath, the query is kept', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: redirect, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /scheme}}]
      filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
    - matches: [{path: {type: PathPrefix, value: /port}}]
      filters: [{type: RequestRedirect, requestRedirect: {port: 8083, hostname: example.org}}]
    - matches: [{path: {type: PathPrefix, value: /full}}]
      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /landing}}}]
    - matches: [{path: {type: PathPrefix, value: /prefix}}]
      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /other}, scheme: http, port: 80}}]
    - matches: [{path: {type: Exact, value: /nothing}}]
`);
    check(b, 'http://example.com/scheme/x?a=b%20c&d=e', {}, {
      verdict: 'redirected',
      reason: 'the Gateway answers 301 with Location: https://example.com/scheme/x?a=b%20c&d=e; the request reaches no backend',
      hops: [
        'http://example.com/scheme/x -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/redirect rule 0: path PathPrefix /scheme || hostnames: (any)  match: path PathPrefix /scheme  -> (no backendRefs)',
        'RequestRedirect: the Gateway answers 301 with Location: https://example.com/scheme/x?a=b%20c&d=e',
      ],
      endpoints: [],
    });
    check(b, 'http://example.com/port', {}, {
      verdict: 'redirected',
      reason: 'the Gateway answers 302 with Location: http://example.org:8083/port; the request reaches no backend',
      hops: [
        'http://example.com/port -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/redirect rule 1: path PathPrefix /port || hostnames: (any)  match: path PathPrefix /port  -> (no backendRefs)',
        'RequestRedirect: the Gateway answers 302 with Location: http://example.org:8083/port',
      ],
      endpoints: [],
    });
    check(b, 'http://example.com/full/deep/path', {}, {
      verdict: 'redirected',
      reason: 'the Gateway answers 302 with Location: http://example.com/landing; the request reaches no backend',
      hops: [
        'http://example.com/full/deep/path -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/redirect rule 2: path PathPrefix /full || hostnames: (any)  match: path PathPrefix /full  -> (no backendRefs)',
        'RequestRedirect: the Gateway answers 302 with Location: http://example.com/landing',
      ],
      endpoints: [],
    });
    check(b, 'http://example.com/prefix/rest', {}, {
      verdict: 'redirected',
      reason: 'the Gateway answers 302 with Location: http://example.com/other/rest; the request reaches no backend',
      hops: [
        'http://example.com/prefix/rest -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/redirect rule 3: path PathPrefix /prefix || hostnames: (any)  match: path PathPrefix /prefix  -> (no backendRefs)',
        'RequestRedirect: the Gateway answers 302 with Location: http://example.com/other/rest',
      ],
      endpoints: [],
    });
    check(b, 'http://example.com/nothing', {}, {
      verdict: 'dropped',
      reason: 'rule 4 of HTTPRoute gateway-conformance-infra/redirect has no backendRefs and no redirect: the Gateway answers 500',
      hops: [
        'http://example.com/nothing -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/redirect rule 4: path Exact /nothing || hostnames: (any)  match: path Exact /nothing  -> (no backendRefs)',
      ],
      endpoints: [],
    });
  });

  it('backends that cannot be used each keep their share, answered 500', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: broken, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
    - backendRefs:
        - {name: infra-backend-v1, port: 8080, weight: 2}
        - {name: infra-backend-v2, weight: 1}
        - {name: infra-backend-v3, port: 9999, weight: 1}
        - {group: example.net, kind: Bucket, name: static, weight: 1}
        - {name: missing, port: 8080, weight: 1}
        - {name: web-backend, namespace: gateway-conformance-web-backend, port: 8080, weight: 1}
        - {name: app-backend-v1, namespace: gateway-conformance-app-backend, port: 8080, weight: 0}
`);
    check(b, 'http://example.com/', {}, {
      verdict: 'delivered',
      reason: '28.6% to Service gateway-conformance-infra/infra-backend-v1: delivered; 14.3% answered 500 (Service gateway-conformance-infra/infra-backend-v2); 14.3% answered 500 (Service gateway-conformance-infra/infra-backend-v3:9999); 14.3% answered 500 (Bucket gateway-conformance-infra/static); 14.3% answered 500 (Service gateway-conformance-infra/missing:8080); 14.3% answered 500 (Service gateway-conformance-web-backend/web-backend:8080)',
      hops: [
        'http://example.com/ -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/broken rule 0: path PathPrefix / || hostnames: (any)  match: path PathPrefix /  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 2, Service gateway-conformance-infra/infra-backend-v2 weight 1, Service gateway-conformance-infra/infra-backend-v3:9999 weight 1, Bucket gateway-conformance-infra/static weight 1, Service gateway-conformance-infra/missing:8080 weight 1, Service gateway-conformance-web-backend/web-backend:8080 weight 1, Service gateway-conformance-app-backend/app-backend-v1:8080 weight 0',
        'backend 28.6% (weight 2): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
        'backend Service gateway-conformance-infra/infra-backend-v2 (14.3%): the backendRef to Service gateway-conformance-infra/infra-backend-v2 names no port, which a Service backend requires; this share is answered 500',
        'backend Service gateway-conformance-infra/infra-backend-v3:9999 (14.3%): Service gateway-conformance-infra/infra-backend-v3 has no port 9999; this share is answered 500',
        'backend Bucket gateway-conformance-infra/static (14.3%): the backend is a Bucket (example.net), not a Service: what the implementation does with it is up to it; this share is answered 500',
        'backend Service gateway-conformance-infra/missing:8080 (14.3%): Service gateway-conformance-infra/missing is not in the set (ResolvedRefs False, BackendNotFound); this share is answered 500',
        'backend Service gateway-conformance-web-backend/web-backend:8080 (14.3%): Service gateway-conformance-web-backend/web-backend is in another namespace than HTTPRoute gateway-conformance-infra/broken, and no ReferenceGrant in gateway-conformance-web-backend allows it (ResolvedRefs False, RefNotPermitted); this share is answered 500',
        'backend Service gateway-conformance-app-backend/app-backend-v1:8080: weight 0, gets no requests',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 0.285714',
      ],
    });
  });

  it('two Gateways on one host and port, and GRPCRoutes beside an HTTP request', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: second, namespace: ${NS}}
spec:
  gatewayClassName: missing-class
  listeners: [{name: web, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: third, namespace: ${NS}}
spec:
  gatewayClassName: conformance
  listeners: [{name: web, port: 80, protocol: HTTP, hostname: example.com}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: plain, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}, {name: third}]
  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}, {name: third}]
  rules: [{matches: [{method: {service: grpcbin.Echo, method: Say}}], backendRefs: [{name: infra-backend-v2, port: 8080}]}]
`);
    check(b, 'http://example.com/', {}, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/ -> Gateway gateway-conformance-infra/third (class conformance), listener web (HTTP 80, hostname example.com: exact); Gateways gateway-conformance-infra/same-namespace, gateway-conformance-infra/second also listen for this host and port: which one answers depends on where DNS sends example.com; GRPCRoutes gateway-conformance-infra/grpc are attached too (they take gRPC requests: content-type application/grpc) || listener web: protocol HTTP port 80 hostname example.com allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/plain rule 0: path PathPrefix / || hostnames: example.com  match: path PathPrefix /  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/grpcbin.Echo/Say', { method: 'POST', headers: { 'content-type': 'application/grpc' } }, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v2: delivered',
      hops: [
        'http://example.com/grpcbin.Echo/Say -> Gateway gateway-conformance-infra/third (class conformance), listener web (HTTP 80, hostname example.com: exact); Gateways gateway-conformance-infra/same-namespace, gateway-conformance-infra/second also listen for this host and port: which one answers depends on where DNS sends example.com || listener web: protocol HTTP port 80 hostname example.com allowedRoutes Same',
        'GRPCRoute gateway-conformance-infra/grpc rule 0: gRPC grpcbin.Echo/Say || hostnames: example.com  match: gRPC grpcbin.Echo/Say  -> Service gateway-conformance-infra/infra-backend-v2:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v2 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v2 replica 1> 1',
      ],
    });
  });
});

const httpRoute = (name: string, spec: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
${spec}`;

describe('gateway: whole answers of listener and rule choice', () => {
  it('no listener: none on the port, none carrying the scheme, none accepting the host; a TLS passthrough listener', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: hosts, namespace: ${NS}}
spec:
  gatewayClassName: conformance
  listeners:
    - {name: foo, port: 8080, protocol: HTTP, hostname: foo.example.com}
    - {name: any-bar, port: 8080, protocol: HTTP, hostname: "*.bar.example.com"}
    - {name: pass, port: 443, protocol: TLS, hostname: tls.example.com, tls: {mode: Passthrough}}
`);
    check(b, 'http://example.com:9090/', {}, {
      verdict: 'dropped',
      reason: 'no Gateway listener on port 9090; no Ingress rule matches host example.com and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself',
      hops: [
        'no Gateway listener on port 9090',
      ],
      endpoints: [],
    });
    check(b, 'https://example.com:80/', {}, {
      verdict: 'dropped',
      reason: 'the Gateway listeners on port 80 (same-namespace/http HTTP) do not carry https; no Ingress rule matches host example.com and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself',
      hops: [
        'the Gateway listeners on port 80 (same-namespace/http HTTP) do not carry https',
      ],
      endpoints: [],
    });
    check(b, 'http://baz.example.com:8080/', {}, {
      verdict: 'dropped',
      reason: 'no Gateway listener on port 8080 accepts host baz.example.com (hostnames: foo.example.com, *.bar.example.com); no Ingress rule matches host baz.example.com and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself',
      hops: [
        'no Gateway listener on port 8080 accepts host baz.example.com (hostnames: foo.example.com, *.bar.example.com)',
      ],
      endpoints: [],
    });
    check(b, 'http://bar.example.com:8080/', {}, {
      verdict: 'dropped',
      reason: 'no Gateway listener on port 8080 accepts host bar.example.com (hostnames: foo.example.com, *.bar.example.com); no Ingress rule matches host bar.example.com and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself',
      hops: [
        'no Gateway listener on port 8080 accepts host bar.example.com (hostnames: foo.example.com, *.bar.example.com)',
      ],
      endpoints: [],
    });
    check(b, 'https://tls.example.com/', {}, {
      verdict: 'dropped',
      reason: "listener pass of Gateway gateway-conformance-infra/hosts is TLS Passthrough: TLSRoutes carry it, not HTTPRoutes, and the set's TLSRoutes are not read",
      hops: [
        'https://tls.example.com/ -> Gateway gateway-conformance-infra/hosts (class conformance), listener pass (TLS 443, hostname tls.example.com: exact) || listener pass: protocol TLS port 443 hostname tls.example.com allowedRoutes Same',
      ],
      endpoints: [],
    });
  });

  it('no rule matches: the routes named, the query said', () => {
    const b = build(`${httpRoute('only', '  rules: [{matches: [{path: {type: Exact, value: /only}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n')}---
${httpRoute('also', '  rules: [{matches: [{path: {type: PathPrefix, value: /also}, method: POST}], backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n')}`);
    check(b, 'http://example.com/other?x=1', {}, {
      verdict: 'dropped',
      reason: 'no rule of the HTTPRoutes attached to listener http (gateway-conformance-infra/only, gateway-conformance-infra/also) matches GET example.com/other with its query: the Gateway answers 404',
      hops: [
        'http://example.com/other -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
      ],
      endpoints: [],
    });
    check(b, 'http://example.com/also', {}, {
      verdict: 'dropped',
      reason: 'no rule of the HTTPRoutes attached to listener http (gateway-conformance-infra/only, gateway-conformance-infra/also) matches GET example.com/also: the Gateway answers 404',
      hops: [
        'http://example.com/also -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
      ],
      endpoints: [],
    });
    check(b, 'http://example.com/only', { headers: { 'content-type': 'application/grpc' } }, {
      verdict: 'dropped',
      reason: 'no GRPCRoute is attached to listener http of Gateway gateway-conformance-infra/same-namespace: the Gateway answers 404',
      hops: [
        'http://example.com/only -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
      ],
      endpoints: [],
    });
  });

  it('precedence notes: each criterion, ties across and within routes, a RegularExpression path', () => {
    const rules = (path: string, extra = '') => `{matches: [{path: {type: ${path}}${extra}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}`;
    const b = build(`${httpRoute('a-exact', `  rules: [${rules('Exact, value: /foo')}]\n`)}---
${httpRoute('b-prefix', `  rules: [${rules('PathPrefix, value: /foo', ', method: GET, headers: [{name: x, value: "1"}]')}, ${rules('PathPrefix, value: /')}]\n`)}---
${httpRoute('c-regex', `  rules: [${rules('RegularExpression, value: "/f.*"')}]\n`)}---
${httpRoute('d-same', `  rules: [{matches: [{path: {type: PathPrefix, value: /bar}}, {path: {type: PathPrefix, value: /bar}, method: GET}], backendRefs: [{name: infra-backend-v2, port: 8080}]}, ${rules('PathPrefix, value: /bar', ', method: GET')}]\n`)}---
${httpRoute('e-same', `  rules: [${rules('PathPrefix, value: /bar', ', method: GET')}]\n`)}---
${httpRoute('f-host', `  hostnames: [exact.example.com]\n  rules: [${rules('PathPrefix, value: /')}]\n`)}---
${httpRoute('g-wild', `  hostnames: ["*.example.com"]\n  rules: [${rules('PathPrefix, value: /bar', ', queryParams: [{name: q, value: "1"}], headers: [{name: x, value: "1"}]')}]\n`)}`);
    check(b, 'http://example.com/foo', { headers: { x: '1' } }, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/foo -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/a-exact rule 0: path Exact /foo; beats gateway-conformance-infra/b-prefix rule 0 by its path match type (Exact over PathPrefix over RegularExpression); beats gateway-conformance-infra/b-prefix rule 1 by its path match type (Exact over PathPrefix over RegularExpression); beats gateway-conformance-infra/c-regex rule 0 by its path match type (Exact over PathPrefix over RegularExpression); RegularExpression path precedence is implementation-specific: ranked after PathPrefix here || hostnames: (any)  match: path Exact /foo  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/bar?q=1', { headers: { x: '1' } }, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v2: delivered',
      hops: [
        'http://example.com/bar -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        "HTTPRoute gateway-conformance-infra/d-same rule 0: path PathPrefix /bar, method GET; ties with gateway-conformance-infra/d-same rule 1: the first matching rule in list order wins; ties with gateway-conformance-infra/e-same rule 0: manifests carry no creation time, so the route first in {namespace}/{name} order wins (the specification's second tie-break); beats gateway-conformance-infra/d-same rule 0 match 0 by a method match; beats gateway-conformance-infra/b-prefix rule 1 by a longer path || hostnames: (any)  match: path PathPrefix /bar, method GET  -> Service gateway-conformance-infra/infra-backend-v2:8080 weight 1",
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v2 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v2 replica 1> 1',
      ],
    });
    check(b, 'http://exact.example.com/bar?q=1', { headers: { x: '1' } }, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://exact.example.com/bar -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/f-host rule 0: path PathPrefix /; beats gateway-conformance-infra/g-wild rule 0 by a more specific exact hostname; beats gateway-conformance-infra/d-same rule 0 match 1 by a more specific exact hostname; beats gateway-conformance-infra/d-same rule 1 by a more specific exact hostname; beats gateway-conformance-infra/e-same rule 0 by a more specific exact hostname; beats gateway-conformance-infra/d-same rule 0 match 0 by a more specific exact hostname; beats gateway-conformance-infra/b-prefix rule 1 by a more specific exact hostname || hostnames: exact.example.com  match: path PathPrefix /  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://w.example.com/bar?q=1', { headers: { x: '1' } }, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://w.example.com/bar -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/g-wild rule 0: path PathPrefix /bar, header x = 1, query q = 1; beats gateway-conformance-infra/d-same rule 0 match 1 by a more specific hostname; beats gateway-conformance-infra/d-same rule 1 by a more specific hostname; beats gateway-conformance-infra/e-same rule 0 by a more specific hostname; beats gateway-conformance-infra/d-same rule 0 match 0 by a more specific hostname; beats gateway-conformance-infra/b-prefix rule 1 by a more specific hostname || hostnames: *.example.com  match: path PathPrefix /bar, header x = 1, query q = 1  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/fa', {}, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/fa -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/b-prefix rule 1: path PathPrefix /; beats gateway-conformance-infra/c-regex rule 0 by its path match type (Exact over PathPrefix over RegularExpression); RegularExpression path precedence is implementation-specific: ranked after PathPrefix here || hostnames: (any)  match: path PathPrefix /  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
  });

  it('GRPCRoute precedence and what counts as a gRPC request', () => {
    const grpc = (name: string, matches: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: ${name}, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules: [{matches: ${matches}, backendRefs: [{name: infra-backend-v2, port: 8080}]}]
`;
    const b = build(`${grpc('service', '[{method: {service: grpcbin.Echo}}]')}---
${grpc('method', '[{method: {service: grpcbin.Echo, method: Say}}, {headers: [{name: x, value: "1"}]}]')}---
${grpc('any', '[]')}---
${httpRoute('web', '  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n')}`);
    const call = (ct: string) => ({ method: 'POST', headers: { 'content-type': ct, x: '1' } });
    check(b, 'http://example.com/grpcbin.Echo/Say', call('application/grpc+proto'), {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v2: delivered',
      hops: [
        'http://example.com/grpcbin.Echo/Say -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'GRPCRoute gateway-conformance-infra/method rule 0: gRPC grpcbin.Echo/Say; beats gateway-conformance-infra/service rule 0 by a longer method match; beats gateway-conformance-infra/method rule 0 match 1 by a longer service match; beats gateway-conformance-infra/any rule 0 by a longer service match || hostnames: (any)  match: gRPC grpcbin.Echo/Say  -> Service gateway-conformance-infra/infra-backend-v2:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v2 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v2 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/grpcbin.Echo/Other', call('application/grpc; charset=utf-8'), {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v2: delivered',
      hops: [
        'http://example.com/grpcbin.Echo/Other -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'GRPCRoute gateway-conformance-infra/service rule 0: gRPC grpcbin.Echo/*; beats gateway-conformance-infra/method rule 0 match 1 by a longer service match; beats gateway-conformance-infra/any rule 0 by a longer service match || hostnames: (any)  match: gRPC grpcbin.Echo/*  -> Service gateway-conformance-infra/infra-backend-v2:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v2 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v2 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/a/b/c', call('application/grpc'), {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v2: delivered',
      hops: [
        'http://example.com/a/b/c -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'GRPCRoute gateway-conformance-infra/method rule 0: gRPC */*, header x = 1; beats gateway-conformance-infra/any rule 0 by more header matches || hostnames: (any)  match: gRPC */*, header x = 1  -> Service gateway-conformance-infra/infra-backend-v2:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v2 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v2 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/grpcbin.Echo/Say', call('text/application/grpc'), {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/grpcbin.Echo/Say -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any); GRPCRoutes gateway-conformance-infra/service, gateway-conformance-infra/method, gateway-conformance-infra/any are attached too (they take gRPC requests: content-type application/grpc) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/web rule 0: path PathPrefix / || hostnames: (any)  match: path PathPrefix /  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/grpcbin.Echo/Say', call('application/grpcx'), {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/grpcbin.Echo/Say -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any); GRPCRoutes gateway-conformance-infra/service, gateway-conformance-infra/method, gateway-conformance-infra/any are attached too (they take gRPC requests: content-type application/grpc) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/web rule 0: path PathPrefix / || hostnames: (any)  match: path PathPrefix /  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
  });
});

describe('gateway: whole answers of cross-namespace backends', () => {
  const grant = (from: string, to: string) => `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: grant, namespace: gateway-conformance-web-backend}
spec:
  from: [${from}]
  to: [${to}]
`;
  const cross = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cross, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [cross.example.com]
  rules: [{backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]}]
`;
  const fromRoute = '{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}';
  it('a grant to the core group written "core", and grants that do not fit', () => {
    check(build(`${cross}---\n${grant(fromRoute, '{group: core, kind: Service, name: web-backend}')}`), 'http://cross.example.com/', {}, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-web-backend/web-backend: delivered',
      hops: [
        'http://cross.example.com/ -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/cross rule 0: path PathPrefix / || hostnames: cross.example.com  match: path PathPrefix /  -> Service gateway-conformance-web-backend/web-backend:8080 weight 1',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-web-backend/web-backend port 8080 (allowed by ReferenceGrant gateway-conformance-web-backend/grant); many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-web-backend/Deployment/web-backend replica 1> 1',
      ],
    });
    for (const [from, to] of [
      ['{group: gateway.networking.k8s.io, kind: GRPCRoute, namespace: gateway-conformance-infra}', '{group: "", kind: Service}'],
      ['{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}', '{group: "", kind: Service}'],
      ['{group: other.example.net, kind: HTTPRoute, namespace: gateway-conformance-infra}', '{group: "", kind: Service}'],
      [fromRoute, '{group: apps, kind: Service}'],
      [fromRoute, '{group: "", kind: Pod}'],
      [fromRoute, '{group: "", kind: Service, name: other}'],
    ]) {
      const r = trace(build(`${cross}---\n${grant(from, to)}`), 'http://cross.example.com/');
      assert.equal(r.reason, '100% answered 500 (Service gateway-conformance-web-backend/web-backend:8080)', `${from} ${to}`);
    }
  });
  it('ReferenceGrants that could not be read: one may exist', () => {
    const b = build(cross);
    for (const unread of [{ namespace: 'gateway-conformance-web-backend' }, {}]) {
      const model: NetworkModel = { ...b.model, unread: [{ resource: 'networkpolicies', reason: 'forbidden (403)', consequence: 'policy verdicts unknown' }, { resource: 'referencegrants', reason: 'forbidden (403)', consequence: 'cross-namespace references unknown', ...unread }] };
      check({ model, index: new ModelIndex(model) }, 'http://cross.example.com/', {}, {
        verdict: 'dropped',
        reason: '100% answered 500 (Service gateway-conformance-web-backend/web-backend:8080)',
        hops: [
          'http://cross.example.com/ -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
          'HTTPRoute gateway-conformance-infra/cross rule 0: path PathPrefix / || hostnames: cross.example.com  match: path PathPrefix /  -> Service gateway-conformance-web-backend/web-backend:8080 weight 1',
          'backend Service gateway-conformance-web-backend/web-backend:8080 (100%): Service gateway-conformance-web-backend/web-backend is in another namespace than HTTPRoute gateway-conformance-infra/cross, and no ReferenceGrant in gateway-conformance-web-backend allows it (ResolvedRefs False, RefNotPermitted); the ReferenceGrants of gateway-conformance-web-backend could not be read, so one may exist; this share is answered 500',
        ],
        endpoints: [],
      });
    }
    const other: NetworkModel = { ...b.model, unread: [{ resource: 'referencegrants', namespace: 'default', reason: 'forbidden (403)', consequence: 'cross-namespace references unknown' }] };
    check({ model: other, index: new ModelIndex(other) }, 'http://cross.example.com/', {}, {
      verdict: 'dropped',
      reason: '100% answered 500 (Service gateway-conformance-web-backend/web-backend:8080)',
      hops: [
        'http://cross.example.com/ -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/cross rule 0: path PathPrefix / || hostnames: cross.example.com  match: path PathPrefix /  -> Service gateway-conformance-web-backend/web-backend:8080 weight 1',
        'backend Service gateway-conformance-web-backend/web-backend:8080 (100%): Service gateway-conformance-web-backend/web-backend is in another namespace than HTTPRoute gateway-conformance-infra/cross, and no ReferenceGrant in gateway-conformance-web-backend allows it (ResolvedRefs False, RefNotPermitted); this share is answered 500',
      ],
      endpoints: [],
    });
  });
});

describe('gateway: whole answers of filters written sparsely', () => {
  it('empty header modifiers, a mirror by percent, an ExtensionRef in the core group, a filter the trace does not know, rewrites of host or path alone, a redirect ends the filters', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: sparse, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /host}}]
      filters:
        - {type: RequestHeaderModifier}
        - {type: ResponseHeaderModifier, responseHeaderModifier: {}}
        - {type: RequestMirror, requestMirror: {backendRef: {name: infra-backend-v3}, percent: 25}}
        - {type: RequestMirror, requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}}
        - {type: ExtensionRef, extensionRef: {kind: Limiter, name: slow}}
        - {type: CORS, cors: {allowOrigins: ["*"]}}
        - {type: URLRewrite, urlRewrite: {hostname: elsewhere.example.com}}
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /path/}}]
      filters:
        - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /away}}]
      filters:
        - {type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}
        - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: never, value: shown}]}}
`);
    check(b, 'http://example.com/host/a', {}, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/host/a -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/sparse rule 0: path PathPrefix /host || hostnames: (any)  match: path PathPrefix /host  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'RequestHeaderModifier: no changes',
        'ResponseHeaderModifier (on the way back): no changes',
        'RequestMirror: a copy goes to Service gateway-conformance-infra/infra-backend-v3 (25% of requests); its response is discarded, not part of the path',
        'RequestMirror: a copy goes to Service gateway-conformance-infra/infra-backend-v2:8080; its response is discarded, not part of the path',
        'ExtensionRef Limiter slow: implementation-defined, not evaluated',
        'CORS filter: not evaluated (an implementation that does not support it answers 500)',
        'URLRewrite: example.com/host/a -> elsewhere.example.com/host/a (Host header and path the backend sees)',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/path/a/b?x=1', {}, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/path/a/b -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/sparse rule 1: path PathPrefix /path/ || hostnames: (any)  match: path PathPrefix /path/  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'URLRewrite: example.com/path/a/b -> example.com/a/b (Host header and path the backend sees)',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/path', {}, {
      verdict: 'delivered',
      reason: '100% to Service gateway-conformance-infra/infra-backend-v1: delivered',
      hops: [
        'http://example.com/path -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/sparse rule 1: path PathPrefix /path/ || hostnames: (any)  match: path PathPrefix /path/  -> Service gateway-conformance-infra/infra-backend-v1:8080 weight 1',
        'URLRewrite: example.com/path -> example.com/ (Host header and path the backend sees)',
        'backend 100% (weight 1): the Gateway proxies to Service gateway-conformance-infra/infra-backend-v1 port 8080; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown',
      ],
      endpoints: [
        '<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1> 1',
      ],
    });
    check(b, 'http://example.com/away?x=1', {}, {
      verdict: 'redirected',
      reason: 'the Gateway answers 301 with Location: https://example.com/away?x=1; the request reaches no backend',
      hops: [
        'http://example.com/away -> Gateway gateway-conformance-infra/same-namespace (class conformance), listener http (HTTP 80, hostname (any): any) || listener http: protocol HTTP port 80 allowedRoutes Same',
        'HTTPRoute gateway-conformance-infra/sparse rule 2: path PathPrefix /away || hostnames: (any)  match: path PathPrefix /away  -> (no backendRefs)',
        'RequestRedirect: the Gateway answers 301 with Location: https://example.com/away?x=1',
      ],
      endpoints: [],
    });
  });
});

describe('gateway: requests offered per rule', () => {
  it('host from the hostnames (a wildcard gets www), the listener port, Exact query and headers; skipped when not concrete', () => {
    const b = build(`${HTTPS_GATEWAY}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: offered, namespace: ${NS}}
spec:
  parentRefs: [{name: tls}, {name: same-namespace}]
  hostnames: ["*.example.org"]
  rules:
    - matches: [{path: {type: Exact, value: /a}, method: PUT, queryParams: [{name: "k&", value: "v="}], headers: [{name: X-One, value: "1"}]}]
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{path: {type: RegularExpression, value: /r.*}}]
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /q}, queryParams: [{type: RegularExpression, name: k, value: ".*"}]}]
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /h}, headers: [{type: RegularExpression, name: k, value: ".*"}]}]
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - backendRefs: [{name: infra-backend-v2, port: 8080}]
`);
    const route = b.model.routes.find((r) => r.name === 'offered')!;
    const got = routeRuleRequests(b.model, route);
    assert.deepEqual(got, [
      {
        ruleIndex: 0,
        url: 'https://www.example.org:8443/a?k%26=v%3D',
        method: 'PUT',
        headers: {
          'X-One': '1',
        },
      },
      {
        ruleIndex: 4,
        url: 'https://www.example.org:8443/',
      },
    ]);
  });

  it('GRPCRoute: an Exact service and method become a POST with content-type application/grpc', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [grpc.example.com]
  rules:
    - matches: [{method: {service: grpcbin.Echo, method: Say}, headers: [{name: x-tenant, value: a}]}]
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{method: {service: grpcbin.Echo}}]
      backendRefs: [{name: infra-backend-v2, port: 8080}]
    - matches: [{method: {type: RegularExpression, service: "grpcbin\\\\..*", method: Say}}]
      backendRefs: [{name: infra-backend-v3, port: 8080}]
`);
    const route = b.model.routes.find((r) => r.name === 'grpc')!;
    const got = routeRuleRequests(b.model, route);
    assert.deepEqual(got, [{ ruleIndex: 0, url: 'http://grpc.example.com/grpcbin.Echo/Say', method: 'POST', headers: { 'content-type': 'application/grpc', 'x-tenant': 'a' } }]);
  });
});

describe('gateway: requests offered per rule, when another rule would take them', () => {
  it('a rule whose first request another route takes is offered through its next listener, or not at all', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: second, namespace: ${NS}}
spec:
  gatewayClassName: conformance
  listeners: [{name: http, port: 8080, protocol: HTTP}, {name: tls, port: 8443, protocol: TLS, tls: {mode: Passthrough}, allowedRoutes: {kinds: [{kind: HTTPRoute}]}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: greedy, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules: [{matches: [{path: {type: Exact, value: /shared}}], backendRefs: [{name: infra-backend-v2, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: modest, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}, {name: second, sectionName: tls}, {name: second, sectionName: http}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /shared}}]
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /shared}}]
      backendRefs: [{name: infra-backend-v3, port: 8080}]
`);
    const modest = b.model.routes.find((r) => r.name === 'modest')!;
    // Rule 0 on port 80 would be taken by greedy's Exact match; the TLS listener carries no HTTPRoute; port 8080 lands on it.
    // Rule 1 always loses to rule 0 of its own route (first in list order).
    assert.deepEqual(routeRuleRequests(b.model, modest), [{ ruleIndex: 0, url: 'http://example.com:8080/shared' }]);
  });
});

describe('gateway: backends whose own trace is not delivered', () => {
  const empty = `apiVersion: v1
kind: Service
metadata: {name: no-pods, namespace: ${NS}}
spec:
  selector: {app: nothing}
  ports: [{port: 8080, targetPort: 3000}]
`;
  const rule = (refs: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: half, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules: [{backendRefs: [${refs}]}]
`;
  it('one backend delivered, one without endpoints: delivered, the other share named with its reason', () => {
    const r = trace(build(`${empty}---\n${rule('{name: no-pods, port: 8080}, {name: infra-backend-v1, port: 8080}')}`), 'http://example.com/');
    assert.equal(r.verdict, 'delivered');
    assert.equal(
      r.reason,
      '50% to Service gateway-conformance-infra/no-pods: no-endpoints (gateway-conformance-infra/no-pods: no endpoint to send to: its selector matches no Pods); 50% to Service gateway-conformance-infra/infra-backend-v1: delivered',
    );
    assert.deepEqual(
      r.endpoints.map((e) => [e.target, e.port, e.probability]),
      [['<gateway-conformance-infra/Deployment/infra-backend-v1 replica 1>', 3000, 0.5]],
    );
  });
  it('only a backend without endpoints: its verdict', () => {
    const r = trace(build(`${empty}---\n${rule('{name: no-pods, port: 8080}')}`), 'http://example.com/');
    assert.deepEqual(
      [r.verdict, r.reason, r.endpoints, r.proxyMode],
      ['no-endpoints', '100% to Service gateway-conformance-infra/no-pods: no-endpoints (gateway-conformance-infra/no-pods: no endpoint to send to: its selector matches no Pods)', [], 'iptables'],
    );
  });
});

describe('gateway: redirects from an HTTPS listener on 443', () => {
  // httproute-request-redirect (HTTPS variant): the listener's port 443 is https's own, so it is left out of the Location.
  it('hostname only keeps https and drops :443; scheme http goes to port 80, left out too', () => {
    const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: secure, namespace: ${NS}}
spec:
  gatewayClassName: conformance
  listeners: [{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: moves, namespace: ${NS}}
spec:
  parentRefs: [{name: secure}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /host}}]
      filters: [{type: RequestRedirect, requestRedirect: {hostname: new.example.org}}]
    - matches: [{path: {type: PathPrefix, value: /plain}}]
      filters: [{type: RequestRedirect, requestRedirect: {scheme: http}}]
`);
    assert.equal(trace(b, 'https://example.com/host/x').reason, 'the Gateway answers 302 with Location: https://new.example.org/host/x; the request reaches no backend');
    assert.equal(trace(b, 'https://example.com/plain').reason, 'the Gateway answers 302 with Location: http://example.com/plain; the request reaches no backend');
  });
});

describe('gateway: values matched as written', () => {
  const b = build(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: literal, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /v}, headers: [{name: version, value: v1.0}]}]
      timeouts: {backendRequest: 2s}
      backendRefs: [{name: infra-backend-v1, port: 8080}]
    - matches: [{path: {type: PathPrefix, value: /q}, queryParams: [{name: flag, value: ""}, {name: name, value: "a b"}]}]
      timeouts: {request: 5s}
      backendRefs: [{name: infra-backend-v2, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc-regex, namespace: ${NS}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
    - matches: [{method: {type: RegularExpression, service: "grpcbin\\\\..*", method: Say}}]
      backendRefs: [{name: infra-backend-v3, port: 8080}]
`);
  const ruleHop = (url: string, ask: Ask = {}) => {
    const r = trace(b, url, ask);
    return r.hops.find((h) => /Route .* rule \d/.test(h.detail))?.detail ?? r.reason;
  };
  it('an Exact header value is no regular expression; a timeout alone is named alone', () => {
    assert.equal(ruleHop('http://example.com/v', { headers: { version: 'v1.0' } }), 'HTTPRoute gateway-conformance-infra/literal rule 0: path PathPrefix /v, header version = v1.0; timeouts: backendRequest 2s (a 504 after that)');
    assert.equal(ruleHop('http://example.com/v', { headers: { version: 'v1x0' } }), 'no rule of the HTTPRoutes attached to listener http (gateway-conformance-infra/literal) matches GET example.com/v: the Gateway answers 404');
  });
  it('a query parameter without "=" has the empty value; "+" is a space', () => {
    assert.equal(ruleHop('http://example.com/q?flag&name=a+b'), 'HTTPRoute gateway-conformance-infra/literal rule 1: path PathPrefix /q, query flag = , query name = a b; timeouts: request 5s (a 504 after that)');
    assert.match(ruleHop('http://example.com/q?flag=x&name=a+b'), /^no rule of the HTTPRoutes .* with its query: the Gateway answers 404$/);
  });
  it('a RegularExpression GRPCRoute match is named so; a path with more than /service/method is no call', () => {
    const call = { method: 'POST', headers: { 'content-type': 'application/grpc' } };
    assert.equal(ruleHop('http://example.com/grpcbin.Echo/Say', call), 'GRPCRoute gateway-conformance-infra/grpc-regex rule 0: gRPC regex grpcbin\\..*/Say');
    assert.equal(ruleHop('http://example.com/x/grpcbin.Echo/Say', call), 'no rule of the GRPCRoutes attached to listener http (gateway-conformance-infra/grpc-regex) matches POST example.com/x/grpcbin.Echo/Say: the Gateway answers 404');
    assert.equal(ruleHop('http://example.com/grpcbin.Echo/Say/x', call), 'no rule of the GRPCRoutes attached to listener http (gateway-conformance-infra/grpc-regex) matches POST example.com/grpcbin.Echo/Say/x: the Gateway answers 404');
  });
});
