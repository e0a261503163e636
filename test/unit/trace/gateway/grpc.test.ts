// GRPCRoute matching, cases after the Gateway API conformance suite
// (conformance/tests/grpcroute-exact-method-matching.yaml, GRPCExactMethodMatching;
// grpcroute-header-matching.yaml, GRPCRouteHeaderMatching) and GRPCRouteRule's
// "Matching precedence": a gRPC call (content-type application/grpc) to
// "/<service>/<method>" is matched against GRPCRoutes only.
import assert from 'node:assert/strict';
import { routeRuleRequests } from '../../../../src/core/trace';
import { backendFor, build, trace, v1, v2, v3 } from './harness';

const SVC = 'gateway_api_conformance.echo_basic.grpcecho.GrpcEcho';
const grpc = { 'content-type': 'application/grpc' };

const route = (name: string, rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: ${name}, namespace: gateway-conformance-infra}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
${rules}`;

const to = (svc: string) => `      backendRefs: [{name: ${svc}, port: 8080}]\n`;

describe('gateway: GRPCRoute matching (conformance)', () => {
  const b = build(
    route(
      'exact-matching',
      `    - matches: [{method: {service: ${SVC}, method: Echo}}]
${to('infra-backend-v1')}    - matches: [{method: {service: ${SVC}, method: EchoTwo}}]
${to('infra-backend-v2')}    - matches: [{method: {type: RegularExpression, service: ".*GrpcEcho", method: "Echo(Three|Four)"}, headers: [{name: version, value: three}]}]
${to('infra-backend-v3')}`,
    ),
  );
  const cases: [string, Record<string, string>, string][] = [
    [`/${SVC}/Echo`, {}, v1],
    [`/${SVC}/EchoTwo`, {}, v2],
    [`/${SVC}/EchoThree`, { version: 'three' }, v3],
    [`/${SVC}/EchoFour`, { version: 'three' }, v3],
    [`/${SVC}/EchoThree`, {}, '404'],
    [`/${SVC}/EchoFive`, { version: 'three' }, '404'],
    [`/other.Service/Echo`, {}, '404'],
  ];
  for (const [path, headers, want] of cases) {
    it(`${path} ${JSON.stringify(headers)} -> ${want}`, () => assert.equal(backendFor(b, `http://grpc.example.com${path}`, { method: 'POST', headers: { ...grpc, ...headers } }), want));
  }

  it('a plain HTTP request is not matched against GRPCRoutes', () => {
    assert.equal(backendFor(b, `http://grpc.example.com/${SVC}/Echo`, { method: 'POST' }), '404');
  });

  it('precedence: a service and method match beats a service-only match; a rule without matches takes every call', () => {
    const p = build(route('precedence', `    - matches: [{method: {service: ${SVC}}}]\n${to('infra-backend-v1')}    - matches: [{method: {service: ${SVC}, method: Echo}}]\n${to('infra-backend-v2')}    - backendRefs: [{name: infra-backend-v3, port: 8080}]\n`));
    assert.equal(backendFor(p, `http://grpc.example.com/${SVC}/Echo`, { method: 'POST', headers: grpc }), v2);
    assert.equal(backendFor(p, `http://grpc.example.com/${SVC}/EchoTwo`, { method: 'POST', headers: grpc }), v1);
    assert.equal(backendFor(p, 'http://grpc.example.com/other.Svc/Call', { method: 'POST', headers: grpc }), v3);
    const r = trace(p, `http://grpc.example.com/${SVC}/Echo`, { method: 'POST', headers: grpc });
    assert.match(r.hops[1].detail, new RegExp(`^GRPCRoute gateway-conformance-infra/precedence rule 1: gRPC ${SVC.replace(/\./g, '\\.')}/Echo; beats .* by a longer method match`));
    assert.equal(r.verdict, 'delivered');
  });
});

describe('gateway: GRPCRoute trace targets', () => {
  it('a rule naming an Exact service and method gets a gRPC call that lands on it; a regex rule gets none', () => {
    const b = build(route('targets', `    - matches: [{method: {service: ${SVC}, method: Echo}}]\n${to('infra-backend-v1')}    - matches: [{method: {type: RegularExpression, service: ".*", method: "E.*"}}]\n${to('infra-backend-v2')}`));
    assert.deepEqual(routeRuleRequests(b.model, b.model.routes[0]), [{ ruleIndex: 0, url: `http://example.com/${SVC}/Echo`, method: 'POST', headers: { 'content-type': 'application/grpc' } }]);
  });
});
