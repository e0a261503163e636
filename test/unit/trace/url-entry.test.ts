// A URL from the Ingress or the Gateway to the Service, as `kni trace
// --to URL` reads it: the Ingress hop word for word (host and path matched,
// TLS, the backend), where the trace stops and why, which of a Gateway and
// an Ingress for the same host is traced, and a host nothing routes.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';

const WEB = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}
`;

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: example.com/gateway}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: eg
  listeners:
    - {name: http, port: 80, protocol: HTTP, hostname: '*.example.com'}
`;

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  hostnames: [shop.example.com]
  rules: [{matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: web, port: 80}]}]
`;

function ingress(spec: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
${spec}`;
}

const SHOP_INGRESS = ingress(`  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`);

const fromWeb = { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'web' } as const;

function trace(docs: string[], url: string, options: Partial<TraceOptions> = {}): TraceResult {
  const m = buildModel([parseManifestFile('set.yaml', [WEB, ...docs].join('---\n'), { defaultNamespace: 'shop' })], 'shop');
  return traceRequest(m, new ModelIndex(m), { ...options, to: { kind: 'url', url } });
}

/** The verdict, the reason and the first hops (the Ingress or Gateway hop and the controller's), kind, detail and rules. */
function head(r: TraceResult, hops = 2) {
  return { verdict: r.verdict, reason: r.reason, hops: r.hops.slice(0, hops).map((h) => [h.kind, h.detail, h.rules]) };
}

const SYMBOLIC_DELIVERY =
  'reaches shop/web port 80 -> 2 endpoint(s) on port 8080 (endpoints are symbolic: manifests carry no Pod IPs or nodes). Notes: manifests carry no Pod IPs, nodes or readiness: endpoints are symbolic, assumed ready once running.';
const CONTROLLER_HOP = [
  'vip',
  'the controller proxies to Service shop/web port 80: many controllers (ingress-nginx by default) send straight to the endpoints from the EndpointSlices, others through the ClusterIP; the ClusterIP path is shown',
  [],
];

describe('trace: a URL through an Ingress, word for word', () => {
  it('a wildcard host, a named port, https with a tls entry without a secret: the default certificate terminates it', () => {
    const ing = ingress(`  ingressClassName: nginx
  tls: [{hosts: ['*.example.com']}]
  rules:
    - host: '*.example.com'
      http: {paths: [{path: /api, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
`);
    assert.deepEqual(head(trace([ing], 'https://shop.example.com/api/v1')), {
      verdict: 'delivered',
      reason: SYMBOLIC_DELIVERY,
      hops: [
        [
          'ingress',
          'https://shop.example.com/api/v1 -> Ingress shop/web (class nginx), rule host *.example.com (wildcard), path /api (Prefix) -> Service web:http; TLS terminated at the controller with its default certificate (the tls entry names no secretName), plain HTTP to the backend',
          ['host: *.example.com  path: /api  pathType: Prefix  -> Service web:http'],
        ],
        CONTROLLER_HOP,
      ],
    });
  });
  it('plain http to a host listed under tls: the redirect to HTTPS is named', () => {
    const ing = ingress(`  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}]}
`);
    assert.deepEqual(head(trace([ing], 'http://shop.example.com/')), {
      verdict: 'delivered',
      reason: SYMBOLIC_DELIVERY,
      hops: [
        [
          'ingress',
          'http://shop.example.com/ -> Ingress shop/web, rule host shop.example.com (exact), path / (Exact) -> Service web:80; shop.example.com is listed under tls: many controllers (ingress-nginx by default) redirect plain HTTP to HTTPS',
          ['host: shop.example.com  path: /  pathType: Exact  -> Service web:80'],
        ],
        CONTROLLER_HOP,
      ],
    });
  });
  it('no path matches: the defaultBackend', () => {
    const ing = ingress(`  defaultBackend: {service: {name: web, port: {number: 80}}}
  rules:
    - host: shop.example.com
      http: {paths: [{path: /x, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}]}
`);
    assert.deepEqual(head(trace([ing], 'http://shop.example.com/y')), {
      verdict: 'delivered',
      reason: SYMBOLIC_DELIVERY,
      hops: [
        [
          'ingress',
          'http://shop.example.com/y -> Ingress shop/web, its defaultBackend (no rule path matched) -> Service web:80',
          ['defaultBackend -> Service web:80'],
        ],
        CONTROLLER_HOP,
      ],
    });
  });
  it('a resource backend: the trace stops at the controller', () => {
    const ing = ingress(`  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static}}}]}
`);
    assert.deepEqual(head(trace([ing], 'http://any.example.com/')), {
      verdict: 'unresolved',
      reason: 'the backend is a StorageBucket, not a Service: the trace stops at the controller',
      hops: [
        [
          'ingress',
          'http://any.example.com/ -> Ingress shop/web, the rule without host (any host), path / (Prefix) -> resource StorageBucket/static',
          ['host: *  path: /  pathType: Prefix  -> resource StorageBucket/static'],
        ],
      ],
    });
  });
  it('a port number the Service does not have', () => {
    const ing = ingress(`  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 81}}}}]}
`);
    assert.deepEqual(head(trace([ing], 'http://any.example.com/')), {
      verdict: 'unresolved',
      reason: 'Service shop/web has no port 81',
      hops: [
        [
          'ingress',
          'http://any.example.com/ -> Ingress shop/web, the rule without host (any host), path / (Prefix) -> Service web:81',
          ['host: *  path: /  pathType: Prefix  -> Service web:81'],
        ],
      ],
    });
  });
  it('a port name the Service does not have', () => {
    const ing = ingress(`  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: grpc}}}}]}
`);
    assert.deepEqual(head(trace([ing], 'http://any.example.com/')), {
      verdict: 'unresolved',
      reason: 'Service shop/web has no port named "grpc"',
      hops: [
        [
          'ingress',
          'http://any.example.com/ -> Ingress shop/web, the rule without host (any host), path / (Prefix) -> Service web:grpc',
          ['host: *  path: /  pathType: Prefix  -> Service web:grpc'],
        ],
      ],
    });
  });
  it('a backend without a port', () => {
    const ing = ingress(`  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web}}}]}
`);
    assert.deepEqual(head(trace([ing], 'http://any.example.com/')), {
      verdict: 'unresolved',
      reason: 'the backend of Ingress shop/web names no port',
      hops: [
        [
          'ingress',
          'http://any.example.com/ -> Ingress shop/web, the rule without host (any host), path / (Prefix) -> Service web:(no port)',
          ['host: *  path: /  pathType: Prefix  -> Service web:(no port)'],
        ],
      ],
    });
  });
  it('from a workload of the set: the Ingress and the controller hops, the Ingress and the Service named', () => {
    const r = trace([SHOP_INGRESS], 'http://shop.example.com/', { from: fromWeb });
    assert.deepEqual(head(r), {
      verdict: 'delivered',
      reason: r.reason,
      hops: [
        [
          'ingress',
          "http://shop.example.com/ -> Ingress shop/web, rule host shop.example.com (exact), path / (Prefix) -> Service web:80; a Pod of shop/Deployment/web connects to the Ingress controller, which opens its own connection to the backend: the backend's ingress policies see the proxy's Pod, not the client (the client's egress to the proxy is not traced here)",
          ['host: shop.example.com  path: /  pathType: Prefix  -> Service web:80'],
        ],
        CONTROLLER_HOP,
      ],
    });
    const ids = (kind: string) => r.hops.find((h) => h.kind === kind)!.objectIds!.map((id) => id.replace(/#\d+$/, ''));
    assert.equal(r.hops[0].objectIds!.length, 1);
    assert.equal(r.hops[1].objectIds!.length, 1);
    assert.notEqual(r.hops[0].objectIds![0], r.hops[1].objectIds![0]);
    assert.deepEqual(ids('ingress'), ['set.yaml']);
  });
  it("from a Pod the backend admits by its labels: the backend's policy judges the controller's Pod, not the client", () => {
    const admitWebOnly = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
`;
    // Straight to the Service, the client's own labels are admitted.
    const m = buildModel([parseManifestFile('set.yaml', [WEB, admitWebOnly].join('---\n'), { defaultNamespace: 'shop' })], 'shop');
    assert.equal(traceRequest(m, new ModelIndex(m), { from: fromWeb, to: { kind: 'service', namespace: 'shop', name: 'web' } }).verdict, 'delivered');
    // Through the Ingress, the controller's Pod (labels unknown here) is what the policy sees.
    const r = trace([SHOP_INGRESS, admitWebOnly], 'http://shop.example.com/', { from: fromWeb });
    assert.notEqual(r.verdict, 'delivered');
    const ingressPolicy = r.hops.find((h) => h.kind === 'policy' && h.policy?.direction === 'ingress')!;
    assert.match(ingressPolicy.detail, /the ingress controller's Pod/);
    assert.doesNotMatch(ingressPolicy.detail, /shop\/Deployment\/web \(|a Pod of shop\/Deployment\/web/);
  });
  it("from a Pod through a Gateway: the proxy's Pod is the backend's client, the client's leg said on the Gateway hop", () => {
    const r = trace([GATEWAY, ROUTE], 'http://shop.example.com/', { from: fromWeb });
    assert.equal(r.hops[0].kind, 'gateway');
    assert.match(r.hops[0].detail, /; a Pod of shop\/Deployment\/web connects to the Gateway's proxy, which opens its own connection to the backend/);
    assert.match(r.hops.find((h) => h.kind === 'vip' && /connects to <ClusterIP>/.test(h.detail))!.detail, /^the Gateway's proxy Pod connects to/);
  });
  it('an external client through the Ingress: the controller is the client of the Service', () => {
    const r = trace([SHOP_INGRESS], 'http://shop.example.com/', { from: { kind: 'external', ip: '203.0.113.9' } });
    assert.equal(r.hops[2].detail, "the ingress controller's Pod connects to <ClusterIP>:80/TCP, the ClusterIP of shop/web port http: a virtual address no interface holds; kube-proxy's rules on the client's node catch it");
  });
  it('a Gateway for other hosts: the Ingress hop names no Gateway', () => {
    const other = GATEWAY.replace("hostname: '*.example.com'", "hostname: '*.example.org'");
    assert.equal(trace([other, SHOP_INGRESS], 'http://shop.example.com/').hops[0].detail, 'http://shop.example.com/ -> Ingress shop/web, rule host shop.example.com (exact), path / (Prefix) -> Service web:80');
  });
  it('from inside, a host only a rule without host would take: the request leaves the cluster (DNS decides where it goes)', () => {
    const anyHost = ingress(`  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`);
    assert.match(trace([anyHost], 'http://api.example.net/', { from: fromWeb }).reason, /^leaves the cluster toward api\.example\.net on 80\/TCP/);
  });
  it('from inside, a Gateway listener without a route and an Ingress rule without host: the Ingress is traced, the Gateway named', () => {
    const anyHost = ingress(`  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`);
    const r = trace([GATEWAY, anyHost], 'http://shop.example.com/', { from: fromWeb });
    assert.equal(r.hops[0].kind, 'ingress');
    assert.match(r.hops[0].detail, /; Gateway shop\/edge listens for shop\.example\.com too but no HTTPRoute is attached to listener http of Gateway shop\/edge: the Gateway answers 404; a Pod of shop\/Deployment\/web connects to the Ingress controller/);
  });
  it('a client not in the set: unresolved, after the Ingress hop', () => {
    assert.deepEqual(head(trace([SHOP_INGRESS], 'http://shop.example.com/', { from: { kind: 'pod', namespace: 'shop', name: 'nope' } })), {
      verdict: 'unresolved',
      reason: 'no Pod shop/nope in the set',
      hops: [
        [
          'ingress',
          'http://shop.example.com/ -> Ingress shop/web, rule host shop.example.com (exact), path / (Prefix) -> Service web:80',
          ['host: shop.example.com  path: /  pathType: Prefix  -> Service web:80'],
        ],
        CONTROLLER_HOP,
      ],
    });
  });
  it('not an http(s) URL', () => {
    assert.deepEqual(head(trace([], 'ftp://files.example.com/')), {
      verdict: 'unresolved',
      reason: '"ftp://files.example.com/" is not an http:// or https:// URL',
      hops: [],
    });
  });
});

describe('trace: a URL a Gateway and an Ingress both route, or nothing does', () => {
  it('both route the host: the Gateway is traced and the Ingress named', () => {
    assert.deepEqual(head(trace([GATEWAY, ROUTE, SHOP_INGRESS], 'http://shop.example.com/'), 1), {
      verdict: 'delivered',
      reason: '100% to Service shop/web: delivered',
      hops: [
        [
          'gateway',
          'http://shop.example.com/ -> Gateway shop/edge (class eg, example.com/gateway), listener http (HTTP 80, hostname *.example.com: wildcard); Ingress shop/web routes shop.example.com too: which one answers depends on where DNS sends shop.example.com (the Gateway\'s address or the Ingress controller\'s); the Gateway is traced',
          ['listener http: protocol HTTP port 80 hostname *.example.com allowedRoutes Same'],
        ],
      ],
    });
  });
  it('the Gateway listens for the host but routes nothing: the Ingress is traced and the Gateway named', () => {
    assert.deepEqual(head(trace([GATEWAY, SHOP_INGRESS], 'http://shop.example.com/'), 1), {
      verdict: 'delivered',
      reason: SYMBOLIC_DELIVERY,
      hops: [
        [
          'ingress',
          'http://shop.example.com/ -> Ingress shop/web, rule host shop.example.com (exact), path / (Prefix) -> Service web:80; Gateway shop/edge listens for shop.example.com too but no HTTPRoute is attached to listener http of Gateway shop/edge: the Gateway answers 404',
          ['host: shop.example.com  path: /  pathType: Prefix  -> Service web:80'],
        ],
      ],
    });
  });
  it('a Gateway listener without a route and no Ingress: the Gateway answers 404', () => {
    assert.deepEqual(head(trace([GATEWAY], 'http://shop.example.com/'), 1), {
      verdict: 'dropped',
      reason: 'no HTTPRoute is attached to listener http of Gateway shop/edge: the Gateway answers 404',
      hops: [
        [
          'gateway',
          'http://shop.example.com/ -> Gateway shop/edge (class eg, example.com/gateway), listener http (HTTP 80, hostname *.example.com: wildcard)',
          ['listener http: protocol HTTP port 80 hostname *.example.com allowedRoutes Same'],
        ],
      ],
    });
  });
  it('a host no listener and no Ingress takes, from outside: both say why', () => {
    assert.deepEqual(head(trace([GATEWAY], 'http://nothing.other.org/')), {
      verdict: 'dropped',
      reason: 'no Gateway listener on port 80 accepts host nothing.other.org (hostnames: *.example.com); no Ingress rule matches host nothing.other.org and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself',
      hops: [
        ['gateway', 'no Gateway listener on port 80 accepts host nothing.other.org (hostnames: *.example.com)', []],
        ['ingress', 'no Ingress rule matches host nothing.other.org and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself', []],
      ],
    });
  });
  it('a host nothing routes, from inside: the request leaves the cluster for it', () => {
    const r = trace([GATEWAY, SHOP_INGRESS], 'http://nothing.other.org/', { from: fromWeb });
    assert.equal(r.verdict, 'delivered');
    assert.match(r.reason, /^leaves the cluster toward nothing\.other\.org on 80\/TCP/);
  });
  it('an address nothing routes, from inside: the request leaves the cluster for it, on the URL port', () => {
    const r = trace([SHOP_INGRESS], 'https://10.1.2.3/', { from: fromWeb });
    assert.match(r.reason, /^leaves the cluster toward 10\.1\.2\.3 on 443\/TCP/);
    assert.ok(r.hops.some((h) => h.kind === 'external' && h.detail.startsWith('out of the cluster to 10.1.2.3:443/TCP')), JSON.stringify(r.hops.map((h) => h.detail)));
  });
  it('a Gateway route with a client not in the set: unresolved before any hop', () => {
    assert.deepEqual(head(trace([GATEWAY, ROUTE], 'http://shop.example.com/', { from: { kind: 'pod', namespace: 'shop', name: 'nope' } })), {
      verdict: 'unresolved',
      reason: 'no Pod shop/nope in the set',
      hops: [],
    });
  });
  it('a Gateway route from outside: the Gateway proxy is the client of the Service', () => {
    const r = trace([GATEWAY, ROUTE], 'http://shop.example.com/', { from: { kind: 'external', ip: '203.0.113.9' } });
    assert.equal(r.verdict, 'delivered');
    assert.ok(r.hops.some((h) => h.kind === 'vip' && h.detail.startsWith("the Gateway's proxy Pod connects to <ClusterIP>:80/TCP")), JSON.stringify(r.hops.map((h) => h.detail)));
  });
});

describe('trace: a URL from inside or outside, when nothing or something else routes it', () => {
  const WILD = ingress(`  rules:
    - host: '*.example.com'
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`);
  it('from inside, a host a wildcard rule takes: through the Ingress, not out of the cluster', () => {
    const r = trace([WILD], 'http://x.example.com/', { from: fromWeb });
    assert.equal(r.hops[0].kind, 'ingress');
    assert.equal(r.verdict, 'delivered');
  });
  it('an external client named as such, for a host nothing routes: dropped at the Ingress controller, not sent out', () => {
    assert.deepEqual(head(trace([SHOP_INGRESS], 'http://nothing.other.org/', { from: { kind: 'external', ip: '203.0.113.9' } }), 1), {
      verdict: 'dropped',
      reason: 'no Ingress rule matches host nothing.other.org and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself',
      hops: [['ingress', 'no Ingress rule matches host nothing.other.org and path /, and no Ingress sets a defaultBackend: the controller answers 404 itself', []]],
    });
  });
  it('no client, the URL asked from inside the cluster: it leaves the cluster', () => {
    const m = buildModel([parseManifestFile('set.yaml', [WEB, SHOP_INGRESS].join('---\n'), { defaultNamespace: 'shop' })], 'shop');
    const r = traceRequest(m, new ModelIndex(m), { to: { kind: 'url', url: 'http://nothing.other.org:8080/', inCluster: true } });
    assert.match(r.reason, /^leaves the cluster toward nothing\.other\.org on 8080\/TCP/);
  });
  it('an IPv6 address in brackets: out of the cluster to that address', () => {
    const r = trace([SHOP_INGRESS], 'http://[2001:db8::7]:8080/', { from: fromWeb });
    assert.match(r.reason, /^leaves the cluster toward 2001:db8::7 on 8080\/TCP/);
  });
  it('several defaultBackends compete: unresolved, the controller decides', () => {
    const one = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: one, namespace: shop}
spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
`;
    const two = one.replace('name: one', 'name: two');
    assert.deepEqual(head(trace([one, two], 'http://nothing.other.org/')), {
      verdict: 'unresolved',
      reason: 'no rule matches nothing.other.org/, and 2 Ingresses (shop/one, shop/two) set a defaultBackend: which one answers depends on the controller',
      hops: [['ingress', 'no rule matches nothing.other.org/, and 2 Ingresses (shop/one, shop/two) set a defaultBackend: which one answers depends on the controller', []]],
    });
  });
  it('a Gateway route that matches on the method: the method asked decides', () => {
    const byMethod = ROUTE.replace('matches: [{path: {type: PathPrefix, value: /}}]', 'matches: [{method: POST}]');
    const m = buildModel([parseManifestFile('set.yaml', [WEB, GATEWAY, byMethod].join('---\n'), { defaultNamespace: 'shop' })], 'shop');
    const post = traceRequest(m, new ModelIndex(m), { to: { kind: 'url', url: 'http://shop.example.com/', method: 'POST' } });
    assert.equal(post.verdict, 'delivered', post.reason);
    const get = traceRequest(m, new ModelIndex(m), { to: { kind: 'url', url: 'http://shop.example.com/' } });
    assert.equal(get.verdict, 'dropped', get.reason);
  });
});
