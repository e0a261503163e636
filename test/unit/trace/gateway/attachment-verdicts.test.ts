// Every parentRef of a route judged against every listener, compared whole
// (Gateway API "Route Attachment"; conformance gateway-with-attached-routes,
// httproute-cross-namespace, httproute-listener-hostname-matching,
// gateway-invalid-route-kind): the listener accepted with its effective
// hostnames, or rejected with the reason a user reads, or unknown.
import assert from 'node:assert/strict';
import { judgeRoute } from '../../../../src/core/trace';
import { build } from './harness';

const NS = 'gateway-conformance-infra';

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: all-kinds, namespace: ${NS}}
spec:
  gatewayClassName: conformance
  listeners:
    - {name: http, port: 80, protocol: HTTP}
    - {name: https, port: 443, protocol: HTTPS, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
    - {name: tls, port: 8443, protocol: TLS, allowedRoutes: {namespaces: {from: All}}}
    - {name: tcp, port: 9000, protocol: TCP, allowedRoutes: {namespaces: {from: All}}}
    - {name: udp, port: 9001, protocol: UDP, allowedRoutes: {namespaces: {from: All}}}
    - {name: odd, port: 9002, protocol: example.net/custom, allowedRoutes: {namespaces: {from: All}}}
    - {name: grpc-only, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: GRPCRoute}, {group: other.example.net, kind: HTTPRoute}]}}
    - {name: no-kinds, port: 8084, protocol: HTTP, allowedRoutes: {namespaces: {from: All}, kinds: [{group: other.example.net, kind: HTTPRoute}]}}
    - {name: by-label, port: 8081, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {env: prod}}}}}
    - {name: by-name, port: 8082, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: gateway-conformance-app-backend}}}}}
    - {name: no-selector, port: 8085, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector}}}
    - {name: other-host, port: 8083, protocol: HTTP, hostname: other.org, allowedRoutes: {namespaces: {from: All}}}
`;

const route = (ns: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: attach, namespace: ${ns}}
spec:
  hostnames: [a.example.com, "*.example.com"]
  parentRefs:
    - {name: all-kinds, namespace: ${NS}}
    - {name: all-kinds, namespace: ${NS}, sectionName: https}
    - {name: all-kinds, namespace: ${NS}, port: 8080}
    - {name: missing, namespace: ${NS}}
    - {group: other.example.net, kind: Gateway, name: all-kinds, namespace: ${NS}}
    - {group: "", kind: Service, name: all-kinds, namespace: ${NS}}
  rules: [{backendRefs: [{name: web-backend, port: 8080}]}]
`;

function verdicts(ns: string): string[] {
  const b = build(`${GATEWAY}---\n${route(ns)}`);
  const r = b.model.routes.find((x) => x.name === 'attach')!;
  return judgeRoute(b.model, r).map(
    (pv) =>
      `${pv.parentRef.kind} ${pv.parentRef.namespace}/${pv.parentRef.name}${pv.parentRef.sectionName ? `#${pv.parentRef.sectionName}` : ''}${pv.parentRef.port ? `:${pv.parentRef.port}` : ''}: ${
        pv.gateway
          ? pv.listeners
              .map((l) => `${l.listener.name} ${l.rejected === undefined ? `accepted (${l.hostnames?.join(' ') ?? 'any host'})` : l.rejected === 'unknown' ? 'unknown' : `${l.rejected.reason}: ${l.rejected.detail}`}`)
              .join(' | ')
          : 'no Gateway in the set'
      }`,
  );
}

describe('gateway: attachment verdicts, whole', () => {
  const common = [
    "https accepted (a.example.com *.example.com)",
    'tls kind: listener tls (TLS) takes TLSRoute, not HTTPRoute',
    'tcp kind: listener tcp (TCP) takes TCPRoute, not HTTPRoute',
    'udp kind: listener udp (UDP) takes UDPRoute, not HTTPRoute',
    'odd kind: listener odd (example.net/custom) takes no route kind, not HTTPRoute',
    'grpc-only kind: listener grpc-only (HTTP) takes GRPCRoute, not HTTPRoute',
    'no-kinds kind: listener no-kinds (HTTP) takes no route kind, not HTTPRoute',
  ];
  it('a route in a declared namespace without labels', () => {
    const ns = 'gateway-conformance-web-backend';
    assert.deepEqual(verdicts(ns), [
      `Gateway ${NS}/all-kinds: ${[
        `http namespace: listener http takes routes from namespace ${NS} only (allowedRoutes.namespaces.from Same, the default), and the route is in ${ns}`,
        ...common,
        `by-label namespace: listener by-label's allowedRoutes namespace selector does not select namespace ${ns}`,
        `by-name namespace: listener by-name's allowedRoutes namespace selector does not select namespace ${ns}`,
        `no-selector namespace: listener no-selector's allowedRoutes namespace selector does not select namespace ${ns}`,
        "other-host hostname: listener other-host's hostname other.org shares no host with the route's hostnames a.example.com, *.example.com",
      ].join(' | ')}`,
      `Gateway ${NS}/all-kinds#https: ${[
        'http sectionName: sectionName https names another listener than http',
        'https accepted (a.example.com *.example.com)',
        ...['tls', 'tcp', 'udp', 'odd', 'grpc-only', 'no-kinds', 'by-label', 'by-name', 'no-selector', 'other-host'].map((l) => `${l} sectionName: sectionName https names another listener than ${l}`),
      ].join(' | ')}`,
      `Gateway ${NS}/all-kinds:8080: ${[
        ['http', 80],
        ['https', 443],
        ['tls', 8443],
        ['tcp', 9000],
        ['udp', 9001],
        ['odd', 9002],
      ]
        .map(([l, p]) => `${l} port: parentRef port 8080 is not listener ${l}'s port ${p}`)
        .concat(
          ['grpc-only kind: listener grpc-only (HTTP) takes GRPCRoute, not HTTPRoute'],
          [
            ['no-kinds', 8084],
            ['by-label', 8081],
            ['by-name', 8082],
            ['no-selector', 8085],
            ['other-host', 8083],
          ].map(([l, p]) => `${l} port: parentRef port 8080 is not listener ${l}'s port ${p}`),
        )
        .join(' | ')}`,
      `Gateway ${NS}/missing: no Gateway in the set`,
      `Gateway ${NS}/all-kinds: no Gateway in the set`,
      `Service ${NS}/all-kinds: no Gateway in the set`,
    ]);
  });

  it('a route in a namespace the set does not declare: a label selector is unknown, a name selector is judged', () => {
    const ns = 'gateway-conformance-app-backend-undeclared';
    const first = verdicts(ns)[0];
    assert.equal(
      first,
      `Gateway ${NS}/all-kinds: ${[
        `http namespace: listener http takes routes from namespace ${NS} only (allowedRoutes.namespaces.from Same, the default), and the route is in ${ns}`,
        ...common,
        'by-label unknown',
        `by-name namespace: listener by-name's allowedRoutes namespace selector does not select namespace ${ns}`,
        `no-selector namespace: listener no-selector's allowedRoutes namespace selector does not select namespace ${ns}`,
        "other-host hostname: listener other-host's hostname other.org shares no host with the route's hostnames a.example.com, *.example.com",
      ].join(' | ')}`,
    );
  });

  it('a route in the namespace a name selector names, and in the Gateway namespace', () => {
    assert.match(verdicts('gateway-conformance-app-backend')[0], /by-name accepted \(a\.example\.com \*\.example\.com\)/);
    assert.match(verdicts(NS)[0], /^Gateway gateway-conformance-infra\/all-kinds: http accepted \(a\.example\.com \*\.example\.com\) \| https accepted/);
  });
});
