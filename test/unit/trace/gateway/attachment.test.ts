// Listener choice and route attachment, cases after the Gateway API
// conformance suite (kubernetes-sigs/gateway-api conformance/tests) and the
// specification's "Route Attachment" and "Hostnames".
import assert from 'node:assert/strict';
import { parseManifestFile } from '../../../../src/core/source/manifests';
import { hostnameMatches, intersectHostname, judgeRoute } from '../../../../src/core/trace';
import { backendFor, build, trace, v1, v2, v3 } from './harness';

describe('gateway: hostnames', () => {
  // Listener.hostname / HTTPRouteSpec.hostnames: "*.example.com" matches test.example.com and foo.test.example.com, not example.com.
  const cases: [string, string, boolean][] = [
    ['*.example.com', 'test.example.com', true],
    ['*.example.com', 'foo.test.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'testexample.com', false],
    ['example.com', 'EXAMPLE.com', true],
    ['example.com', 'www.example.com', false],
  ];
  for (const [pattern, host, want] of cases) it(`${pattern} ${want ? 'matches' : 'does not match'} ${host}`, () => assert.equal(hostnameMatches(pattern, host), want));
  it('intersects listener and route hostnames as the specification describes', () => {
    assert.equal(intersectHostname('*.example.com', 'foo.example.com'), 'foo.example.com');
    assert.equal(intersectHostname('foo.example.com', '*.example.com'), 'foo.example.com');
    assert.equal(intersectHostname('*.example.com', '*.foo.example.com'), '*.foo.example.com');
    assert.equal(intersectHostname('*.foo.example.com', '*.example.com'), '*.foo.example.com');
    assert.equal(intersectHostname(undefined, 'a.b'), 'a.b');
    assert.equal(intersectHostname('*.example.com', 'example.com'), undefined);
    assert.equal(intersectHostname('*.example.com', '*.example.net'), undefined);
  });
});

const gatewayWith = (name: string, listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: gateway-conformance-infra}
spec:
  gatewayClassName: conformance
  listeners:
${listeners}`;

const route = (name: string, spec: string, ns = 'gateway-conformance-infra', kind = 'HTTPRoute') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}`;

describe('gateway: listener choice', () => {
  // httproute-listener-hostname-matching.yaml / HTTPRouteListenerHostnameMatching: the most specific listener hostname takes the request.
  const b = build(
    [
      gatewayWith(
        'httproute-listener-hostname-matching',
        `    - {name: listener-1, port: 80, protocol: HTTP, hostname: bar.com}
    - {name: listener-2, port: 80, protocol: HTTP, hostname: foo.bar.com}
    - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.bar.com"}
    - {name: listener-4, port: 80, protocol: HTTP, hostname: "*.foo.com"}
`,
      ),
      route('backend-v1', '  parentRefs: [{name: httproute-listener-hostname-matching, sectionName: listener-1}]\n  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n'),
      route('backend-v2', '  parentRefs: [{name: httproute-listener-hostname-matching, sectionName: listener-2}]\n  rules: [{backendRefs: [{name: infra-backend-v2, port: 8080}]}]\n'),
      route(
        'backend-v3',
        '  parentRefs: [{name: httproute-listener-hostname-matching, sectionName: listener-3}, {name: httproute-listener-hostname-matching, sectionName: listener-4}]\n  rules: [{backendRefs: [{name: infra-backend-v3, port: 8080}]}]\n',
      ),
    ].join('---\n'),
    false,
  );
  const cases: [string, string][] = [
    ['bar.com', v1],
    ['foo.bar.com', v2],
    ['baz.bar.com', v3],
    ['boo.bar.com', v3],
    ['multiple.prefixes.bar.com', v3],
    ['multiple.prefixes.foo.com', v3],
    ['foo.com', 'no-listener'],
    ['no.matching.host', 'no-listener'],
  ];
  for (const [host, want] of cases) it(`${host} -> ${want}`, () => assert.equal(backendFor(b, `http://${host}/`), want));

  it("two Gateways for one host: the first in namespace/name order is traced and the other named; a URL to a Gateway's address picks it", () => {
    const two = build(
      [
        `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: b-gw, namespace: gateway-conformance-infra}\nspec:\n  gatewayClassName: x\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n  addresses: [{type: IPAddress, value: 192.0.2.20}]\n`,
        `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: a-gw, namespace: gateway-conformance-infra}\nspec:\n  gatewayClassName: x\n  listeners: [{name: http, port: 80, protocol: HTTP}]\nstatus:\n  addresses: [{type: IPAddress, value: 192.0.2.10}]\n`,
        route('via-a', '  parentRefs: [{name: a-gw}]\n  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n'),
        route('via-b', '  parentRefs: [{name: b-gw}]\n  rules: [{backendRefs: [{name: infra-backend-v2, port: 8080}]}]\n'),
      ].join('---\n'),
      false,
    );
    assert.equal(backendFor(two, 'http://shop.example.com/'), v1);
    assert.equal(backendFor(two, 'http://192.0.2.20/'), v2);
    assert.equal(backendFor(two, 'http://192.0.2.10/'), v1);
    const r = trace(two, 'http://shop.example.com/');
    assert.match(r.hops[0].detail, /Gateway gateway-conformance-infra\/b-gw also listens for this host and port: which one answers depends on where DNS sends shop\.example\.com/);
  });

  it('https needs an HTTPS listener on the port; plain HTTP does not take it', () => {
    assert.equal(backendFor(b, 'https://bar.com/'), 'no-listener');
    assert.equal(backendFor(b, 'http://bar.com:8080/'), 'no-listener');
  });
});

describe('gateway: route attachment', () => {
  // httproute-hostname-intersection.yaml / HTTPRouteHostnameIntersection.
  describe('httproute-hostname-intersection', () => {
    const b = build(
      [
        gatewayWith(
          'httproute-hostname-intersection',
          `    - {name: listener-1, port: 80, protocol: HTTP, hostname: very.specific.com}
    - {name: listener-2, port: 80, protocol: HTTP, hostname: "*.wildcard.io"}
    - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.anotherwildcard.io"}
`,
        ),
        route('specific-host-matches-listener-specific-host', '  parentRefs: [{name: httproute-hostname-intersection}]\n  hostnames: [non.matching.com, "*.nonmatchingwildcard.io", very.specific.com]\n  rules: [{matches: [{path: {type: PathPrefix, value: /s1}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n'),
        route('specific-host-matches-listener-wildcard-host', '  parentRefs: [{name: httproute-hostname-intersection}]\n  hostnames: [non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io, foo.bar.wildcard.io]\n  rules: [{matches: [{path: {type: PathPrefix, value: /s2}}], backendRefs: [{name: infra-backend-v2, port: 8080}]}]\n'),
        route('wildcard-host-matches-listener-specific-host', '  parentRefs: [{name: httproute-hostname-intersection}]\n  hostnames: [non.matching.com, "*.specific.com"]\n  rules: [{matches: [{path: {type: PathPrefix, value: /s3}}], backendRefs: [{name: infra-backend-v3, port: 8080}]}]\n'),
        route('wildcard-host-matches-listener-wildcard-host', '  parentRefs: [{name: httproute-hostname-intersection}]\n  hostnames: ["*.anotherwildcard.io"]\n  rules: [{matches: [{path: {type: PathPrefix, value: /s4}}], backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n'),
        route('no-intersecting-hosts', '  parentRefs: [{name: httproute-hostname-intersection}]\n  hostnames: [specific.but.wrong.com, wildcard.io]\n  rules: [{backendRefs: [{name: infra-backend-v2, port: 8080}]}]\n'),
      ].join('---\n'),
      false,
    );
    const cases: [string, string][] = [
      ['http://very.specific.com/s1', v1],
      ['http://non.matching.com/s1', 'no-listener'],
      ['http://foo.nonmatchingwildcard.io/s1', 'no-listener'],
      ['http://foo.wildcard.io/s2', v2],
      ['http://bar.wildcard.io/s2', v2],
      ['http://foo.bar.wildcard.io/s2', v2],
      ['http://wildcard.io/s2', 'no-listener'],
      ['http://very.specific.com/s3', v3],
      ['http://foo.anotherwildcard.io/s4', v1],
      ['http://foo.wildcard.io/s1', '404'],
    ];
    for (const [url, want] of cases) it(`${url} -> ${want}`, () => assert.equal(backendFor(b, url), want));
    it('a route whose hostnames meet no listener is rejected for its hostnames', () => {
      const rt = b.model.routes.find((r) => r.name === 'no-intersecting-hosts')!;
      const [pv] = judgeRoute(b.model, rt);
      assert.deepEqual(
        pv.listeners.map((l) => (l.rejected as { reason: string }).reason),
        ['hostname', 'hostname', 'hostname'],
      );
    });
  });

  // http-listener-isolation.yaml / HTTPListenerIsolation: a request goes to the most specific listener only;
  // routes attached to a less specific one never see it, even when their paths would match.
  describe('http-listener-isolation', () => {
    const paths = ['empty-hostname', 'wildcard-example-com', 'wildcard-foo-example-com', 'abc-foo-example-com'];
    const b = build(
      [
        gatewayWith(
          'http-listener-isolation',
          `    - {name: empty-hostname, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
    - {name: wildcard-example-com, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
    - {name: wildcard-foo-example-com, port: 80, protocol: HTTP, hostname: "*.foo.example.com", allowedRoutes: {namespaces: {from: All}}}
    - {name: abc-foo-example-com, port: 80, protocol: HTTP, hostname: abc.foo.example.com, allowedRoutes: {namespaces: {from: All}}}
`,
        ),
        ...paths.map((p, i) =>
          route(
            `attaches-to-${p}`,
            `  parentRefs: [{name: http-listener-isolation, sectionName: ${p}}]\n  hostnames: [bar.com, "*.example.com", "*.foo.example.com", abc.foo.example.com]\n  rules: [{matches: [{path: {type: PathPrefix, value: /${p}}}], backendRefs: [{name: infra-backend-v${(i % 3) + 1}, port: 8080}]}]\n`,
          ),
        ),
      ].join('---\n'),
      false,
    );
    const hosts: [string, string][] = [
      ['bar.com', 'empty-hostname'],
      ['foo.example.com', 'wildcard-example-com'],
      ['foo.foo.example.com', 'wildcard-foo-example-com'],
      ['abc.foo.example.com', 'abc-foo-example-com'],
    ];
    for (const [host, own] of hosts) {
      it(`${host}: only /${own} is routed`, () => {
        for (const p of paths) {
          const got = backendFor(b, `http://${host}/${p}`);
          if (p === own) assert.notEqual(got, '404', `${host}/${p}`);
          else assert.equal(got, '404', `${host}/${p}`);
        }
      });
    }
  });

  // gateway-with-attached-routes / HTTPRouteInvalidCrossNamespaceParentRef: from Same refuses other namespaces; from All and Selector admit them.
  it('allowedRoutes.namespaces: Same, All, Selector', () => {
    const b = build(
      [
        gatewayWith(
          'mixed',
          `    - {name: same, port: 80, protocol: HTTP, hostname: same.example.com}
    - {name: all, port: 80, protocol: HTTP, hostname: all.example.com, allowedRoutes: {namespaces: {from: All}}}
    - {name: selected, port: 80, protocol: HTTP, hostname: selected.example.com, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: gateway-conformance-web-backend}}}}}
`,
        ),
        route('web', '  parentRefs: [{name: mixed, namespace: gateway-conformance-infra}]\n  rules: [{backendRefs: [{name: web-backend, port: 8080}]}]\n', 'gateway-conformance-web-backend'),
        route('app', '  parentRefs: [{name: mixed, namespace: gateway-conformance-infra}]\n  rules: [{backendRefs: [{name: app-backend-v1, port: 8080}]}]\n', 'gateway-conformance-app-backend'),
      ].join('---\n'),
      false,
    );
    assert.equal(backendFor(b, 'http://same.example.com/'), '404');
    assert.equal(backendFor(b, 'http://all.example.com/'), 'gateway-conformance-app-backend/app-backend-v1');
    assert.equal(backendFor(b, 'http://selected.example.com/'), 'gateway-conformance-web-backend/web-backend');
    const app = judgeRoute(b.model, b.model.routes.find((r) => r.name === 'app')!)[0];
    assert.deepEqual(
      app.listeners.map((l) => (l.rejected === undefined ? 'ok' : (l.rejected as { reason: string }).reason)),
      ['namespace', 'ok', 'namespace'],
    );
  });

  it('a namespace Selector over labels of a namespace the set does not declare is undecided, not refused', () => {
    const b = build(
      [
        gatewayWith('sel', `    - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: web}}}}}\n`),
        route('elsewhere', '  parentRefs: [{name: sel, namespace: gateway-conformance-infra}]\n  rules: [{backendRefs: [{name: x, port: 80}]}]\n', 'undeclared'),
      ].join('---\n'),
      false,
    );
    assert.equal(judgeRoute(b.model, b.model.routes[0])[0].listeners[0].rejected, 'unknown');
  });

  // httproute-invalid-parentref-not-matching-section-name.yaml and -listener-port.yaml.
  it('parentRef sectionName and port pick listeners', () => {
    const b = build(
      [
        gatewayWith('two', `    - {name: web, port: 80, protocol: HTTP}\n    - {name: admin, port: 8080, protocol: HTTP}\n`),
        route('by-section', '  parentRefs: [{name: two, sectionName: admin}]\n  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n'),
        route('by-port', '  parentRefs: [{name: two, port: 80}]\n  rules: [{backendRefs: [{name: infra-backend-v2, port: 8080}]}]\n'),
        route('no-such-section', '  parentRefs: [{name: two, sectionName: nope}]\n  rules: [{backendRefs: [{name: infra-backend-v3, port: 8080}]}]\n'),
      ].join('---\n'),
      false,
    );
    assert.equal(backendFor(b, 'http://x.example/'), v2);
    assert.equal(backendFor(b, 'http://x.example:8080/'), v1);
    const none = judgeRoute(b.model, b.model.routes.find((r) => r.name === 'no-such-section')!)[0];
    assert.ok(none.listeners.every((l) => l.rejected !== undefined && l.rejected !== 'unknown' && l.rejected.reason === 'sectionName'));
  });

  // httproute-disallowed-kind.yaml / HTTPRouteDisallowedKind: allowedRoutes.kinds without HTTPRoute refuses it.
  it('allowedRoutes.kinds without HTTPRoute refuses it; a TLS listener takes no HTTPRoute by default', () => {
    const b = build(
      [
        gatewayWith('kinds', `    - {name: grpc-only, port: 80, protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}\n    - {name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}\n`),
        route('disallowed-kind', '  parentRefs: [{name: kinds}]\n  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n'),
      ].join('---\n'),
      false,
    );
    const pv = judgeRoute(b.model, b.model.routes[0])[0];
    assert.deepEqual(
      pv.listeners.map((l) => (l.rejected as { reason: string }).reason),
      ['kind', 'kind'],
    );
    assert.equal(backendFor(b, 'http://x.example/'), '404');
  });

  it("a parentRef to a Gateway outside the set is not judged; Istio's networking.istio.io Gateway is not read as one", () => {
    const b = build(
      [
        `apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: istio-gw, namespace: gateway-conformance-infra}\nspec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}\n`,
        route('elsewhere', '  parentRefs: [{name: istio-gw}]\n  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]\n'),
      ].join('---\n'),
      false,
    );
    assert.equal(b.model.gateways.length, 0);
    assert.equal(judgeRoute(b.model, b.model.routes[0])[0].gateway, undefined);
  });
});

describe('gateway: malformed objects', () => {
  it('reads what it can, says what the API server rejects, and never throws', () => {
    const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bad, namespace: x}
spec:
  parentRefs: "gw"
  hostnames: [1, null, {a: b}]
  rules:
    - null
    - matches: [{path: "x"}, null, {headers: "h"}, {queryParams: [{}]}]
      filters: [{}, {type: RequestRedirect}, {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch}}}, {type: RequestMirror}]
      backendRefs: [null, {name: web, weight: "90"}, {}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: x}
spec:
  listeners: [null, {name: a}, {name: b, port: "80"}, {name: c, port: 80, allowedRoutes: {namespaces: {from: Selector}}, tls: {certificateRefs: [null]}}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: g, namespace: x}
spec: {from: [null], to: "x"}
`;
    const parsed = parseManifestFile('bad.yaml', text, { defaultNamespace: 'x' });
    assert.deepEqual(
      parsed.findings.map((f) => f.rule),
      ['manifest-invalid-value', 'manifest-invalid-value'],
    );
    const b = build(text, false);
    const gw = b.model.gateways.find((g) => g.name === 'gw')!;
    assert.deepEqual(
      gw.listeners.map((l) => l.name),
      ['c'],
    );
    const route = b.model.routes.find((r) => r.name === 'bad')!;
    assert.equal(route.parentRefs.length, 0);
    assert.equal(route.rules.length, 1);
    assert.equal(route.rules[0].filters?.find((f) => f.type === 'RequestRedirect')?.redirect?.statusCode, 302);
    assert.equal(trace(b, 'http://a.b/x').verdict, 'dropped');
  });
});
