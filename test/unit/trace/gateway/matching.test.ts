// HTTPRoute matching and precedence, cases after the Gateway API conformance
// suite (kubernetes-sigs/gateway-api conformance/tests/*.yaml and *.go),
// written anew for the model: each block names the upstream file and test.
import assert from 'node:assert/strict';
import { backendFor, build, v1, v2, v3 } from './harness';

const route = (name: string, rules: string, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: gateway-conformance-infra}
spec:
  parentRefs: [{name: same-namespace}]
${extra}  rules:
${rules}`;

const to = (svc: string) => `      backendRefs: [{name: ${svc}, port: 8080}]\n`;

describe('gateway: HTTPRoute matching (conformance)', () => {
  // httproute-matching.yaml / HTTPRouteMatching: a rule matches when any of its matches does.
  describe('httproute-matching: OR across matches, AND within one', () => {
    const b = build(
      route(
        'matching',
        `    - matches: [{path: {type: PathPrefix, value: /}}, {headers: [{name: version, value: one}]}]
${to('infra-backend-v1')}    - matches: [{path: {type: PathPrefix, value: /v2}}, {headers: [{name: version, value: two}]}]
${to('infra-backend-v2')}`,
      ),
    );
    const cases: [string, Record<string, string>, string][] = [
      ['/', {}, v1],
      ['/example', {}, v1],
      ['/', { version: 'one' }, v1],
      ['/v2', {}, v2],
      ['/v2/example', {}, v2],
      ['/', { version: 'two' }, v2],
      ['/v2example', {}, v1],
    ];
    for (const [path, headers, want] of cases) {
      it(`${path} ${JSON.stringify(headers)} -> ${want}`, () => assert.equal(backendFor(b, `http://example.com${path}`, { headers }), want));
    }
  });

  // httproute-exact-path-matching.yaml / HTTPRouteExactPathMatching.
  describe('httproute-exact-path-matching: the whole path, case and trailing slash significant', () => {
    const b = build(
      route(
        'exact-path-matching',
        `    - matches: [{path: {type: Exact, value: /one}}]
${to('infra-backend-v1')}    - matches: [{path: {type: Exact, value: /two}}]
${to('infra-backend-v2')}`,
      ),
    );
    const cases: [string, string][] = [
      ['/one', v1],
      ['/two', v2],
      ['/', '404'],
      ['/one/example', '404'],
      ['/two/', '404'],
      ['/One', '404'],
    ];
    for (const [path, want] of cases) it(`${path} -> ${want}`, () => assert.equal(backendFor(b, `http://example.com${path}`), want));
  });

  // httproute-path-match-order.yaml / HTTPRoutePathMatchOrder: Exact beats any prefix; the longest prefix wins; list order does not matter.
  describe('httproute-path-match-order: Exact over the longest PathPrefix', () => {
    const b = build(
      route(
        'path-matching-order',
        `    - matches: [{path: {type: PathPrefix, value: /match}}]
${to('infra-backend-v1')}    - matches: [{path: {type: PathPrefix, value: /match/prefix}}]
${to('infra-backend-v2')}    - matches: [{path: {type: Exact, value: /match/exact}}]
${to('infra-backend-v3')}    - matches: [{path: {type: PathPrefix, value: /match/exact}}]
${to('infra-backend-v1')}`,
      ),
    );
    const cases: [string, string][] = [
      ['/match', v1],
      ['/match/other', v1],
      ['/match/prefix', v2],
      ['/match/prefix/one', v2],
      ['/match/exact', v3],
      ['/match/exact/one', v1],
    ];
    for (const [path, want] of cases) it(`${path} -> ${want}`, () => assert.equal(backendFor(b, `http://example.com${path}`), want));
  });

  // httproute-header-matching.yaml / HTTPRouteHeaderMatching: names case-insensitive, values exact; more header matches win.
  describe('httproute-header-matching', () => {
    const b = build(
      route(
        'header-matching',
        `    - matches: [{headers: [{name: version, value: one}]}]
${to('infra-backend-v1')}    - matches: [{headers: [{name: version, value: two}]}]
${to('infra-backend-v2')}    - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
${to('infra-backend-v1')}    - matches: [{headers: [{name: color, value: blue}]}, {headers: [{name: color, value: green}]}]
${to('infra-backend-v1')}    - matches: [{headers: [{name: color, value: red}]}, {headers: [{name: color, value: yellow}]}]
${to('infra-backend-v2')}`,
      ),
    );
    const cases: [Record<string, string>, string][] = [
      [{ version: 'one' }, v1],
      [{ version: 'two' }, v2],
      [{ version: 'two', color: 'orange' }, v1],
      [{ color: 'blue' }, v1],
      [{ color: 'green' }, v1],
      [{ color: 'red' }, v2],
      [{ color: 'yellow' }, v2],
      [{ color: 'purple' }, '404'],
      [{ VERSION: 'one' }, v1],
      [{ version: 'ONE' }, '404'],
      [{}, '404'],
    ];
    for (const [headers, want] of cases) it(`${JSON.stringify(headers)} -> ${want}`, () => assert.equal(backendFor(b, 'http://example.com/', { headers }), want));
  });

  // httproute-query-param-matching.yaml / HTTPRouteQueryParamMatching: names and values case-sensitive; more query matches win.
  describe('httproute-query-param-matching', () => {
    const b = build(
      route(
        'query-param-matching',
        `    - matches: [{queryParams: [{name: animal, value: whale}]}]
${to('infra-backend-v1')}    - matches: [{queryParams: [{name: animal, value: dolphin}]}]
${to('infra-backend-v2')}    - matches: [{queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]}, {queryParams: [{name: ANIMAL, value: Whale}]}]
${to('infra-backend-v3')}`,
      ),
    );
    const cases: [string, string][] = [
      ['/?animal=whale', v1],
      ['/?animal=dolphin', v2],
      ['/?animal=dolphin&color=blue', v3],
      ['/?ANIMAL=Whale', v3],
      ['/?animal=dolphin&color=yellow', v2],
      ['/?color=blue', '404'],
      ['/?animal=Whale', '404'],
    ];
    for (const [path, want] of cases) it(`${path} -> ${want}`, () => assert.equal(backendFor(b, `http://example.com${path}`), want));
  });

  // httproute-method-matching.yaml / HTTPRouteMethodMatching; precedence: a method match outranks header matches.
  describe('httproute-method-matching', () => {
    const b = build(
      route(
        'method-matching',
        `    - matches: [{method: POST}]
${to('infra-backend-v1')}    - matches: [{method: GET}]
${to('infra-backend-v2')}    - matches: [{path: {type: PathPrefix, value: /path1}, headers: [{name: version, value: one}]}]
${to('infra-backend-v1')}    - matches: [{path: {type: PathPrefix, value: /path1}, method: GET}]
${to('infra-backend-v3')}`,
      ),
    );
    const cases: [string, string, Record<string, string>, string][] = [
      ['POST', '/', {}, v1],
      ['GET', '/', {}, v2],
      ['HEAD', '/', {}, '404'],
      ['GET', '/path1', { version: 'one' }, v3],
      ['POST', '/path1', { version: 'one' }, v1],
    ];
    for (const [method, path, headers, want] of cases) {
      it(`${method} ${path} ${JSON.stringify(headers)} -> ${want}`, () => assert.equal(backendFor(b, `http://example.com${path}`, { method, headers }), want));
    }
  });

  // httproute-matching-across-routes.yaml / HTTPRouteMatchingAcrossRoutes: precedence is across every route on the listener, hostnames first.
  describe('httproute-matching-across-routes', () => {
    const b = build(
      [
        route(
          'matching-part1',
          `    - matches: [{path: {type: PathPrefix, value: /}}]
${to('infra-backend-v1')}    - matches: [{path: {type: PathPrefix, value: /v2}}]
${to('infra-backend-v2')}`,
          '  hostnames: [example.com, example.net]\n',
        ),
        route(
          'matching-part2',
          `    - matches: [{path: {type: PathPrefix, value: /v2}, headers: [{name: version, value: two}]}]
${to('infra-backend-v3')}    - matches: [{path: {type: Exact, value: /exact}}]
${to('infra-backend-v3')}`,
          '  hostnames: [example.com]\n',
        ),
      ].join('---\n'),
    );
    const cases: [string, Record<string, string>, string][] = [
      ['http://example.com/', {}, v1],
      ['http://example.net/', {}, v1],
      ['http://example.com/v2', {}, v2],
      ['http://example.com/v2', { version: 'two' }, v3],
      ['http://example.net/v2', { version: 'two' }, v2],
      ['http://example.com/exact', {}, v3],
      ['http://example.org/', {}, '404'],
    ];
    for (const [url, headers, want] of cases) it(`${url} ${JSON.stringify(headers)} -> ${want}`, () => assert.equal(backendFor(b, url, { headers }), want));
  });

  // The specification's tie-break (HTTPRouteRule "Matching precedence"): equal matches across routes go to the
  // oldest route, then {namespace}/{name} order; manifests carry no creation time, so the name decides.
  it('a tie across routes goes to the route first in namespace/name order, and says so', () => {
    const b = build(
      [route('zebra', `    - matches: [{path: {type: PathPrefix, value: /}}]\n${to('infra-backend-v2')}`), route('alpha', `    - matches: [{path: {type: PathPrefix, value: /}}]\n${to('infra-backend-v1')}`)].join('---\n'),
    );
    assert.equal(backendFor(b, 'http://example.com/x'), v1);
  });

  // HTTPRouteRule "Matching precedence": within one route the first matching rule wins.
  it('a tie within one route goes to the first rule', () => {
    const b = build(route('twice', `    - matches: [{path: {type: PathPrefix, value: /a}}]\n${to('infra-backend-v2')}    - matches: [{path: {type: PathPrefix, value: /a}}]\n${to('infra-backend-v1')}`));
    assert.equal(backendFor(b, 'http://example.com/a/b'), v2);
  });

  // A rule without matches is PathPrefix "/"; a RegularExpression path ranks after every prefix (implementation-specific, said).
  it('RegularExpression paths match whole paths and rank after prefixes', () => {
    const b = build(route('regex', `    - matches: [{path: {type: RegularExpression, value: "/items/[0-9]+"}}]\n${to('infra-backend-v2')}    - matches: [{path: {type: PathPrefix, value: /items}}]\n${to('infra-backend-v1')}`));
    assert.equal(backendFor(b, 'http://example.com/items/42'), v1);
    const only = build(route('regex', `    - matches: [{path: {type: RegularExpression, value: "/items/[0-9]+"}}]\n${to('infra-backend-v2')}`));
    assert.equal(backendFor(only, 'http://example.com/items/42'), v2);
    assert.equal(backendFor(only, 'http://example.com/items/42/x'), '404');
  });
});
