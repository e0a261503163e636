// Weighted backends, ReferenceGrants and filters, cases after the Gateway API
// conformance suite (kubernetes-sigs/gateway-api conformance/tests) and the
// HTTPRoute filter specification.
import assert from 'node:assert/strict';
import { modifyPath } from '../../../../src/core/trace';
import { build, trace } from './harness';

const route = (name: string, rules: string, ns = 'gateway-conformance-infra', parentNs = 'gateway-conformance-infra') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${ns}}
spec:
  parentRefs: [{name: same-namespace, namespace: ${parentNs}}]
  rules:
${rules}`;

/** Each endpoint's share by workload name (symbolic endpoints are "<ns/Deployment/name replica n>"). */
function shares(r: ReturnType<typeof trace>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of r.endpoints) {
    const name = /Deployment\/([^ >]+)/.exec(e.target)![1];
    out[name] = Math.round(((out[name] ?? 0) + (e.probability ?? 0)) * 1000) / 1000;
  }
  return out;
}

describe('gateway: backends', () => {
  // httproute-weight.yaml / HTTPRouteWeight: weights 70/30/0 split requests 70%/30%, weight 0 gets none.
  it('httproute-weight: weights become shares of the endpoints', () => {
    const b = build(
      route('weighted-backends', `    - backendRefs:\n        - {name: infra-backend-v1, port: 8080, weight: 70}\n        - {name: infra-backend-v2, port: 8080, weight: 30}\n        - {name: infra-backend-v3, port: 8080, weight: 0}\n`),
    );
    const r = trace(b, 'http://example.com/');
    assert.equal(r.verdict, 'delivered');
    assert.equal(r.proxyMode, 'iptables');
    assert.deepEqual(shares(r), { 'infra-backend-v1': 0.7, 'infra-backend-v2': 0.3 });
    assert.ok(r.hops.some((h) => h.detail.includes('infra-backend-v3:8080: weight 0')));
  });

  it('every weight 0: the Gateway answers 500', () => {
    const b = build(route('zero', `    - backendRefs:\n        - {name: infra-backend-v1, port: 8080, weight: 0}\n        - {name: infra-backend-v2, port: 8080, weight: 0}\n`));
    const r = trace(b, 'http://example.com/');
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /weight 0: the Gateway answers 500/);
  });

  // httproute-invalid-backendref-unknown-kind.yaml / httproute-invalid-backendref-nonexistent.yaml: that share gets 500.
  it('a backend the set lacks keeps its share, answered 500', () => {
    const b = build(route('half-missing', `    - backendRefs:\n        - {name: infra-backend-v1, port: 8080}\n        - {name: nonexistent, port: 8080}\n`));
    const r = trace(b, 'http://example.com/');
    assert.equal(r.verdict, 'delivered');
    assert.deepEqual(shares(r), { 'infra-backend-v1': 0.5 });
    assert.match(r.reason, /50% answered 500/);
  });

  // httproute-reference-grant.yaml / HTTPRouteReferenceGrant, and httproute-invalid-reference-grant.yaml.
  describe('cross-namespace backendRefs need a ReferenceGrant in the backend namespace', () => {
    const cross = route('reference-grant', `    - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]\n`);
    const grant = (from: string, to: string) => `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: reference-grant, namespace: gateway-conformance-web-backend}
spec:
  from: [${from}]
  to: [${to}]
`;
    it('without one: 500 (RefNotPermitted)', () => {
      const r = trace(build(cross), 'http://example.com/');
      assert.equal(r.verdict, 'dropped');
      assert.match(r.reason, /100% answered 500/);
      assert.ok(r.hops.some((h) => h.detail.includes('RefNotPermitted')));
    });
    it('with one naming the Service: delivered, and the grant is named', () => {
      const r = trace(build(`${cross}---\n${grant('{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}', '{group: "", kind: Service, name: web-backend}')}`), 'http://example.com/');
      assert.equal(r.verdict, 'delivered');
      assert.ok(r.hops.some((h) => h.detail.includes('allowed by ReferenceGrant gateway-conformance-web-backend/reference-grant')));
    });
    it('with one for every Service (no name): delivered', () => {
      const r = trace(build(`${cross}---\n${grant('{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}', '{group: "", kind: Service}')}`), 'http://example.com/');
      assert.equal(r.verdict, 'delivered');
    });
    it('with one for another Service, another route kind or another namespace: 500', () => {
      for (const [from, to] of [
        ['{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}', '{group: "", kind: Service, name: not-web-backend}'],
        ['{group: gateway.networking.k8s.io, kind: GRPCRoute, namespace: gateway-conformance-infra}', '{group: "", kind: Service, name: web-backend}'],
        ['{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-app-backend}', '{group: "", kind: Service, name: web-backend}'],
      ]) {
        assert.equal(trace(build(`${cross}---\n${grant(from, to)}`), 'http://example.com/').verdict, 'dropped', `${from} -> ${to}`);
      }
    });
  });
});

describe('gateway: filters', () => {
  const redirect = (path: string, spec: string) => `    - matches: [{path: {type: PathPrefix, value: ${path}}}]\n      filters: [{type: RequestRedirect, requestRedirect: ${spec}}]\n`;
  // httproute-request-redirect-host-and-status.yaml, -scheme.yaml, -port.yaml, -path.yaml / HTTPRouteRedirect*.
  const b = build(
    route(
      'redirect',
      [
        redirect('/hostname-redirect', '{hostname: example.org}'),
        redirect('/status-code-301', '{statusCode: 301}'),
        redirect('/host-and-status', '{hostname: example.org, statusCode: 301}'),
        redirect('/scheme-and-host', '{scheme: https, hostname: example.org}'),
        redirect('/scheme-and-port', '{scheme: https, port: 8443}'),
        redirect('/port', '{port: 8083}'),
        redirect('/port-and-scheme-http', '{scheme: http, port: 80}'),
        redirect('/full', '{path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}}'),
        redirect('/original-prefix', '{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}'),
      ].join(''),
    ),
  );
  const cases: [string, string][] = [
    ['/hostname-redirect', '302 with Location: http://example.org/hostname-redirect'],
    ['/status-code-301', '301 with Location: http://example.com/status-code-301'],
    ['/host-and-status', '301 with Location: http://example.org/host-and-status'],
    ['/scheme-and-host', '302 with Location: https://example.org/scheme-and-host'],
    ['/scheme-and-port', '302 with Location: https://example.com:8443/scheme-and-port'],
    ['/port', '302 with Location: http://example.com:8083/port'],
    ['/port-and-scheme-http', '302 with Location: http://example.com/port-and-scheme-http'],
    ['/full/one', '302 with Location: http://example.com/full-path-replacement'],
    ['/original-prefix/lemon', '302 with Location: http://example.com/replacement-prefix/lemon'],
    ['/original-prefix?x=1', '302 with Location: http://example.com/replacement-prefix?x=1'],
  ];
  for (const [path, want] of cases) {
    it(`redirect ${path} -> ${want}`, () => {
      const r = trace(b, `http://example.com${path}`);
      assert.equal(r.verdict, 'redirected');
      assert.match(r.reason, new RegExp(`answers ${want.replace(/[?.]/g, '\\$&')};`));
      assert.equal(r.endpoints.length, 0);
    });
  }

  // httproute-rewrite-path.yaml / HTTPRouteRewritePath.
  const rewrite: [string, string, string, string][] = [
    ['/prefix/one', 'ReplacePrefixMatch /one', '/prefix/one/two', '/one/two'],
    ['/full/one', 'ReplaceFullPath /one', '/full/one/two', '/one'],
    ['/strip-prefix', 'ReplacePrefixMatch /', '/strip-prefix/three', '/three'],
    ['/strip-prefix', 'ReplacePrefixMatch /', '/strip-prefix', '/'],
    ['/prefix/one/', 'ReplacePrefixMatch /one', '/prefix/one/two', '/one/two'],
    // The table under HTTPPathModifier.replacePrefixMatch in the specification (an empty value written as a trailing space here).
    ['/foo', 'ReplacePrefixMatch /xyz', '/foo/bar', '/xyz/bar'],
    ['/foo', 'ReplacePrefixMatch /xyz/', '/foo/bar', '/xyz/bar'],
    ['/foo/', 'ReplacePrefixMatch /xyz', '/foo/bar', '/xyz/bar'],
    ['/foo/', 'ReplacePrefixMatch /xyz/', '/foo/bar', '/xyz/bar'],
    ['/foo', 'ReplacePrefixMatch /xyz', '/foo', '/xyz'],
    ['/foo', 'ReplacePrefixMatch /xyz', '/foo/', '/xyz/'],
    ['/foo', 'ReplacePrefixMatch ', '/foo/bar', '/bar'],
    ['/foo', 'ReplacePrefixMatch ', '/foo/', '/'],
    ['/foo', 'ReplacePrefixMatch ', '/foo', '/'],
    ['/foo', 'ReplacePrefixMatch /', '/foo/', '/'],
    ['/foo', 'ReplacePrefixMatch /', '/foo', '/'],
    ['/', 'ReplacePrefixMatch /new', '/x', '/new/x'],
    ['/full', 'ReplaceFullPath ', '/full/x', '/'],
  ];
  for (const [prefix, mod, path, want] of rewrite) {
    it(`rewrite (${prefix}, ${mod}) ${path} -> ${want}`, () => {
      const [type, value] = mod.split(' ') as ['ReplacePrefixMatch' | 'ReplaceFullPath', string];
      assert.equal(modifyPath(path, { type, value }, { pathType: 'PathPrefix', path: prefix }), want);
    });
  }

  // httproute-rewrite-host.yaml / HTTPRouteRewriteHost, with httproute-request-header-modifier.yaml and httproute-request-mirror.yaml.
  it('URLRewrite, header modifiers and a mirror are hops; the mirror is not on the response path', () => {
    const b2 = build(
      route(
        'filters',
        `    - matches: [{path: {type: PathPrefix, value: /one}}]
      filters:
        - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}], add: [{name: X-Header-Add, value: header-val-1}], remove: [X-Header-Remove]}}
        - {type: URLRewrite, urlRewrite: {hostname: one.example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}
        - {type: RequestMirror, requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}}
        - {type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Out, value: yes}]}}
      backendRefs: [{name: infra-backend-v1, port: 8080}]
`,
      ),
    );
    const r = trace(b2, 'http://example.com/one/two');
    assert.equal(r.verdict, 'delivered');
    const filters = r.hops.filter((h) => h.kind === 'filter').map((h) => h.detail);
    assert.deepEqual(filters, [
      'RequestHeaderModifier: set X-Header-Set: set-overwrites-values, add X-Header-Add: header-val-1, remove X-Header-Remove',
      'URLRewrite: example.com/one/two -> one.example.org/two (Host header and path the backend sees)',
      'RequestMirror: a copy goes to Service gateway-conformance-infra/infra-backend-v2:8080; its response is discarded, not part of the path',
      'ResponseHeaderModifier (on the way back): set X-Out: yes',
    ]);
    assert.deepEqual(shares(r), { 'infra-backend-v1': 1 });
  });

  // httproute-backend-request-header-modifier.yaml: a backendRef's own filters apply to its share only.
  it("a backendRef's own filters are hops on its share's path", () => {
    const b3 = build(route('backend-filters', `    - backendRefs:\n        - name: infra-backend-v1\n          port: 8080\n          filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Backend, value: v1}]}}]\n`));
    const r = trace(b3, 'http://example.com/');
    assert.ok(r.hops.some((h) => h.kind === 'filter' && h.detail === 'for this backend: RequestHeaderModifier: set X-Backend: v1'));
  });
});

describe('gateway: trace around it', () => {
  it('names the Gateway, listener, route and rule; TLS terminated with the certificate', () => {
    const b = build(
      `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: tls, namespace: gateway-conformance-infra}
spec:
  gatewayClassName: conformance
  listeners:
    - {name: https, port: 443, protocol: HTTPS, hostname: secure.example.com, tls: {certificateRefs: [{name: tls-validity-checks-certificate}]}}
---
${route('secure', '    - backendRefs: [{name: infra-backend-v1, port: 8080}]\n').replace('same-namespace', 'tls')}`,
      false,
    );
    const r = trace(b, 'https://secure.example.com/x');
    assert.equal(r.verdict, 'delivered');
    assert.match(r.hops[0].detail, /Gateway gateway-conformance-infra\/tls \(class conformance\), listener https \(HTTPS 443, hostname secure\.example\.com: exact\); TLS terminated at the Gateway with Secret gateway-conformance-infra\/tls-validity-checks-certificate/);
    assert.match(r.hops[1].detail, /^HTTPRoute gateway-conformance-infra\/secure rule 0: path PathPrefix \//);
  });

  it('an Ingress routing the same host is named, the Gateway traced', () => {
    const b = build(`${route('web', '    - backendRefs: [{name: infra-backend-v1, port: 8080}]\n')}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: legacy, namespace: gateway-conformance-infra}
spec:
  rules: [{host: example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: infra-backend-v2, port: {number: 8080}}}}]}}]
`);
    const r = trace(b, 'http://example.com/');
    assert.equal(r.hops[0].kind, 'gateway');
    assert.match(r.hops[0].detail, /Ingress gateway-conformance-infra\/legacy routes example\.com too/);
    assert.deepEqual(shares(r), { 'infra-backend-v1': 1 });
  });

  it('a rule with timeouts says them on its hop', () => {
    const r = trace(build(route('slow', '    - timeouts: {request: 10s, backendRequest: 2s}\n      backendRefs: [{name: infra-backend-v1, port: 8080}]\n')), 'http://example.com/');
    assert.match(r.hops[1].detail, /; timeouts: request 10s, backendRequest 2s \(a 504 after that\)$/);
  });

  it('no route matching: the Gateway answers 404', () => {
    const r = trace(build(route('only-a', '    - matches: [{path: {type: Exact, value: /a}}]\n      backendRefs: [{name: infra-backend-v1, port: 8080}]\n')), 'http://example.com/b');
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /the Gateway answers 404/);
  });
});
