// The cluster source against the test API server, through @kubernetes/client-node's
// kubeconfig loading and authentication: sync, watch events, resume, relist.
import assert from 'node:assert/strict';
import type { ClusterSource } from '../../../src/core/source/cluster';
import type { EndpointSlice, Workload } from '../../../src/core/model/types';
import type { TestApiServer } from '../../k8s-api-server/server';
import { ModelIndex } from '../../../src/core/model/model-index';
import { traceRequest } from '../../../src/core/trace';
import { connected, pod, shopServer, until } from './helpers';

function workload(src: ClusterSource, name: string): Workload | undefined {
  return src.model().workloads.find((w) => w.name === name);
}

function slice(src: ClusterSource, name: string): EndpointSlice {
  const s = src.model().endpointSlices.find((e) => e.name === name);
  assert.ok(s, `EndpointSlice ${name}`);
  return s;
}

describe('cluster source: initial sync', function () {
  let srv: TestApiServer;
  let src: ClusterSource;
  before(async function () {
    srv = await shopServer();
    src = await connected(srv);
  });
  after(async function () {
    src?.stop();
    await srv?.close();
  });

  it('reports synced and reads every resource type the server has', function () {
    assert.equal(src.status().state, 'synced');
    assert.deepEqual(
      src.resourceTypes().map((r) => r.plural),
      ['namespaces', 'nodes', 'pods', 'services', 'endpointslices', 'ingresses', 'ingressclasses', 'networkpolicies'],
    );
    assert.deepEqual(src.warnings(), []);
  });

  it('reads nodes with addresses, pod CIDRs and readiness', function () {
    const m = src.model();
    assert.equal(m.source, 'cluster');
    assert.equal(m.defaultNamespace, 'default');
    const a = m.nodes.find((n) => n.name === 'node-a');
    assert.ok(a);
    assert.deepEqual(a.addresses, [
      { type: 'InternalIP', address: '10.0.0.11' },
      { type: 'Hostname', address: 'node-a' },
    ]);
    assert.deepEqual(a.podCIDRs, ['10.244.0.0/24']);
    assert.equal(a.ready, true);
    assert.equal(a.origin.source, 'cluster');
    assert.equal(a.id, srv.get('Node', '', 'node-a')?.metadata?.uid);
  });

  it('groups Pods into their Deployment (ReplicaSet name minus pod-template-hash), on their nodes with their IPs', function () {
    const fe = workload(src, 'frontend');
    assert.ok(fe);
    assert.equal(fe.kind, 'Deployment');
    assert.equal(fe.namespace, 'shop');
    assert.deepEqual(fe.podLabels, { app: 'frontend', tier: 'web' });
    assert.deepEqual(
      fe.pods.map((p) => [p.name, p.ip, p.nodeName, p.ready, p.phase]),
      [
        ['frontend-7c9d8-abcde', '10.244.0.10', 'node-a', true, 'Running'],
        ['frontend-7c9d8-fghij', '10.244.1.10', 'node-b', true, 'Running'],
      ],
    );
    assert.deepEqual(fe.pods[0].owner, { kind: 'Deployment', namespace: 'shop', name: 'frontend' });
    assert.deepEqual(fe.containers[0].ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(fe.containers[0].probes, [{ probe: 'readiness', handler: 'httpGet', port: 'http' }]);
    // Pod ids are UIDs.
    assert.equal(fe.pods[0].id, srv.get('Pod', 'shop', 'frontend-7c9d8-abcde')?.metadata?.uid);
  });

  it('reads readiness and termination of Pods', function () {
    const cart = workload(src, 'cart');
    assert.deepEqual(cart?.pods.map((p) => [p.name, p.ready, p.terminating]), [
      ['cart-5f6b7-aaaaa', true, false],
      ['cart-5f6b7-bbbbb', false, false],
    ]);
    const catalog = workload(src, 'catalog');
    assert.deepEqual(catalog?.pods.map((p) => [p.name, p.ready, p.terminating]), [
      ['catalog-66d4f-ccccc', true, false],
      ['catalog-66d4f-ddddd', false, true],
    ]);
  });

  it('keeps StatefulSet Pods together, without per-Pod labels, with serviceName from spec.subdomain', function () {
    const redis = workload(src, 'redis');
    assert.ok(redis);
    assert.equal(redis.kind, 'StatefulSet');
    assert.equal(redis.id, '11111111-0000-4000-a000-000000000004');
    assert.deepEqual(redis.podLabels, { app: 'redis' });
    assert.equal(redis.serviceName, 'redis');
  });

  it('makes a bare Pod its own Workload of kind Pod', function () {
    const debug = workload(src, 'debug');
    assert.ok(debug);
    assert.equal(debug.kind, 'Pod');
    assert.deepEqual(debug.podLabels, { run: 'debug' });
    assert.equal(debug.pods.length, 1);
    assert.equal(debug.pods[0].owner, undefined);
  });

  it('reads endpoint conditions: ready, not ready, terminating but serving', function () {
    assert.deepEqual(
      slice(src, 'cart-x2').endpoints.map((e) => [e.addresses[0], e.ready, e.serving, e.terminating, e.nodeName]),
      [
        ['10.244.0.20', true, true, false, 'node-a'],
        ['10.244.1.20', false, false, false, 'node-b'],
      ],
    );
    assert.deepEqual(
      slice(src, 'catalog-x3').endpoints.map((e) => [e.addresses[0], e.ready, e.serving, e.terminating]),
      [
        ['10.244.0.30', true, true, false],
        ['10.244.1.30', false, true, true],
      ],
    );
    // Only `ready: true` written: serving follows ready, terminating is false (kube-proxy's reading).
    const redis = slice(src, 'redis-x4').endpoints[0];
    assert.deepEqual([redis.ready, redis.serving, redis.terminating], [true, true, false]);
    assert.equal(slice(src, 'cart-x2').serviceName, 'cart');
    assert.deepEqual(slice(src, 'cart-x2').ports, [{ name: 'api', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(slice(src, 'cart-x2').endpoints[0].targetRef, { kind: 'Pod', namespace: 'shop', name: 'cart-5f6b7-aaaaa' });
  });

  it('reads Services, the Ingress, the IngressClass and NetworkPolicies', function () {
    const m = src.model();
    const fe = m.services.find((s) => s.name === 'frontend');
    assert.ok(fe);
    assert.equal(fe.type, 'NodePort');
    assert.equal(fe.clusterIP, '10.96.10.1');
    assert.deepEqual(fe.selector, { matchLabels: { app: 'frontend' }, matchExpressions: [] });
    assert.deepEqual(fe.ports, [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }]);
    const cart = m.services.find((s) => s.name === 'cart');
    assert.equal(cart?.sessionAffinity, 'ClientIP');
    assert.equal(cart?.sessionAffinityTimeoutSeconds, 10800);
    const redis = m.services.find((s) => s.name === 'redis');
    assert.equal(redis?.headless, true);
    const lb = m.services.find((s) => s.name === 'ingress-nginx-controller');
    assert.deepEqual(lb?.loadBalancerIPs, ['203.0.113.10']);
    assert.equal(lb?.externalTrafficPolicy, 'Local');

    const ing = m.ingresses[0];
    assert.equal(ing.className, 'nginx');
    assert.deepEqual(
      ing.rules[0].paths.map((p) => [p.path, p.pathType, p.backend.service, p.backend.port]),
      [
        ['/', 'Prefix', 'frontend', 80],
        ['/api/cart', 'Prefix', 'cart', 'api'],
      ],
    );
    assert.deepEqual(ing.tls, [{ hosts: ['shop.example.com'], hostLocs: [], secretName: 'shop-tls' }]);
    assert.deepEqual(m.ingressClasses.map((c) => [c.name, c.controller, c.isDefault]), [['nginx', 'k8s.io/ingress-nginx', true]]);

    assert.deepEqual(m.networkPolicies.map((p) => p.name).sort(), ['cart-from-frontend', 'default-deny', 'frontend-from-ingress', 'redis-from-cart']);
    const redisPol = m.networkPolicies.find((p) => p.name === 'redis-from-cart');
    assert.deepEqual(redisPol?.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(redisPol?.ingress[0].peers[0].podSelector?.matchExpressions, [{ key: 'app', operator: 'In', values: ['cart'] }]);
    assert.deepEqual(redisPol?.ingress[0].ports, [{ protocol: 'TCP', port: 6379 }]);
    assert.deepEqual(redisPol?.egress, []);
    assert.deepEqual(m.namespaces.find((n) => n.name === 'shop')?.labels, { 'kubernetes.io/metadata.name': 'shop', team: 'shop' });
  });

  it('never requests Secrets, and every request carries the token', function () {
    assert.ok(srv.requests.length > 0);
    assert.deepEqual(srv.requests.filter((r) => r.path.includes('secrets')), []);
    assert.ok(srv.requests.every((r) => r.authorized));
    assert.ok(srv.requests.some((r) => r.path === '/api/v1/pods' && r.query.resourceVersion === '0' && r.query.limit === '250'));
  });
});

describe('cluster source: paging and namespaces', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('follows continue tokens (no resourceVersion beside continue)', async function () {
    srv = await shopServer();
    const src = await connected(srv, { pageSize: 2 });
    try {
      const pages = srv.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch);
      assert.equal(pages.length, 5); // 9 Pods, 2 a page
      assert.equal(pages[0].query.resourceVersion, '0');
      for (const p of pages.slice(1)) {
        assert.ok(p.query.continue);
        assert.equal(p.query.resourceVersion, undefined);
      }
      assert.equal(src.model().workloads.reduce((n, w) => n + w.pods.length, 0), 9);
    } finally {
      src.stop();
    }
  });

  it('reads only the chosen namespaces (cluster-scoped types still whole)', async function () {
    srv = await shopServer();
    const src = await connected(srv, { namespaces: ['ingress-nginx'] });
    try {
      const m = src.model();
      assert.deepEqual(m.workloads.map((w) => w.name), ['ingress-nginx-controller']);
      assert.deepEqual(m.services.map((s) => s.name), ['ingress-nginx-controller']);
      assert.equal(m.networkPolicies.length, 0);
      assert.equal(m.nodes.length, 2);
      assert.ok(srv.requests.some((r) => r.path === '/api/v1/namespaces/ingress-nginx/pods'));
      assert.ok(!srv.requests.some((r) => r.path === '/api/v1/pods'));
    } finally {
      src.stop();
    }
  });

  it('reads legacy Endpoints when the server has no discovery.k8s.io/v1', async function () {
    srv = await shopServer({ disabledGroups: ['discovery.k8s.io'] }, [
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'cart', namespace: 'shop' },
        subsets: [{ addresses: [{ ip: '10.244.0.20', nodeName: 'node-a' }], notReadyAddresses: [{ ip: '10.244.1.20' }], ports: [{ name: 'api', port: 8080 }] }],
      },
    ]);
    const src = await connected(srv);
    try {
      assert.ok(src.resourceTypes().some((r) => r.plural === 'endpoints'));
      const [ep] = src.model().endpointSlices;
      assert.equal(ep.kind, 'Endpoints');
      assert.equal(ep.serviceName, 'cart');
      assert.deepEqual(ep.endpoints.map((e) => [e.addresses[0], e.ready, e.serving, e.terminating]), [
        ['10.244.0.20', true, true, false],
        ['10.244.1.20', false, false, false],
      ]);
    } finally {
      src.stop();
    }
  });

  it('reads Gateways and ReferenceGrants, and a URL traced on the cluster goes through the Gateway', async function () {
    srv = await shopServer({}, [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' }, spec: { gatewayClassName: 'x', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] } },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'edge', namespace: 'infra' },
        spec: { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-edge', value: '1' }] } }], backendRefs: [{ name: 'frontend', namespace: 'shop', port: 80 }] }] },
      },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ReferenceGrant', metadata: { name: 'from-infra', namespace: 'shop' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }], to: [{ group: '', kind: 'Service' }] } },
    ]);
    const src = await connected(srv);
    try {
      const model = src.model();
      assert.deepEqual(
        model.gateways.map((g) => [g.name, g.listeners.map((l) => `${l.name} ${l.protocol} ${l.port} ${l.allowedRoutes.from}`)]),
        [['gw', ['http HTTP 80 All']]],
      );
      assert.deepEqual(model.referenceGrants.map((g) => `${g.namespace}/${g.name}`), ['shop/from-infra']);
      const route = model.routes.find((r) => r.name === 'edge')!;
      assert.deepEqual(route.parentRefs[0], { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'infra', sectionName: 'http' });
      assert.equal(route.rules[0].filters?.[0].requestHeaders?.set[0].name, 'x-edge');
      const svc = model.services.find((s) => s.namespace === 'shop' && s.name === 'frontend');
      assert.ok(svc, 'the shop fixture has Service shop/frontend');
      const r = traceRequest(model, new ModelIndex(model), { to: { kind: 'url', url: 'http://shop.example.com/' } });
      assert.equal(r.hops[0].kind, 'gateway');
      assert.ok(r.hops.some((h) => h.detail.includes('allowed by ReferenceGrant shop/from-infra')), r.hops.map((h) => h.detail).join('\n'));
    } finally {
      src.stop();
    }
  });

  it('reads HTTPRoutes where the Gateway API CRD is served', async function () {
    srv = await shopServer({}, [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'shop', namespace: 'shop' },
        spec: {
          parentRefs: [{ name: 'gw', namespace: 'infra' }],
          hostnames: ['shop.example.com'],
          rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/cart' } }], backendRefs: [{ name: 'cart', port: 8080, weight: 90 }, { name: 'cart-canary', port: 8080, weight: 10 }] }],
        },
      },
    ]);
    const src = await connected(srv);
    try {
      const [route] = src.model().routes;
      assert.equal(route.kind, 'HTTPRoute');
      assert.deepEqual(route.parentRefs, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'infra' }]);
      assert.deepEqual(route.rules[0].matches, [{ pathType: 'PathPrefix', path: '/cart' }]);
      assert.deepEqual(route.rules[0].backendRefs.map((b) => [b.service, b.port, b.weight, b.namespace, b.kind]), [
        ['cart', 8080, 90, 'shop', 'Service'],
        ['cart-canary', 8080, 10, 'shop', 'Service'],
      ]);
    } finally {
      src.stop();
    }
  });

  it('does not read HTTPRoutes where the CRD is absent', async function () {
    srv = await shopServer();
    const src = await connected(srv);
    try {
      assert.ok(!src.resourceTypes().some((r) => r.plural === 'httproutes'));
      assert.ok(!srv.requests.some((r) => r.path.includes('httproutes')));
    } finally {
      src.stop();
    }
  });
});

describe('cluster source: watch events', function () {
  let srv: TestApiServer;
  let src: ClusterSource;
  beforeEach(async function () {
    srv = await shopServer();
    src = await connected(srv);
    await until(src, () => srv.openWatches() === src.resourceTypes().length, 'all watches open');
  });
  afterEach(async function () {
    src?.stop();
    await srv?.close();
    // Whatever happened (resumes, relists), Secrets were never asked for.
    assert.deepEqual(srv.requests.filter((r) => r.path.includes('secrets')), []);
  });

  it('adds a Pod to its Workload', async function () {
    const before = src.model();
    srv.add(pod('frontend-7c9d8-zzzzz', { app: 'frontend', hash: '7c9d8', ip: '10.244.0.11', node: 'node-a' }));
    await until(src, () => workload(src, 'frontend')?.pods.length === 3, 'third frontend Pod');
    assert.deepEqual(workload(src, 'frontend')?.pods.map((p) => p.ip), ['10.244.0.10', '10.244.1.10', '10.244.0.11']);
    // A model handed out earlier does not change.
    assert.equal(before.workloads.find((w) => w.name === 'frontend')?.pods.length, 2);
    // Unchanged lists are shared between models.
    assert.equal(src.model().services, before.services);
  });

  it('updates a Pod that became ready, and reports what changed', async function () {
    const changes: string[] = [];
    const sub = src.on('changed', (c) => changes.push(...c.objects.map((o) => `${o.type} ${o.kind} ${o.namespace}/${o.name}`)));
    srv.update('Pod', 'shop', 'cart-5f6b7-bbbbb', (o) => {
      (o.status as { conditions: unknown[] }).conditions = [{ type: 'Ready', status: 'True' }];
    });
    await until(src, () => workload(src, 'cart')?.pods[1].ready === true, 'cart Pod ready');
    sub.dispose();
    assert.deepEqual(changes, ['modified Pod shop/cart-5f6b7-bbbbb']);
  });

  it('with batchMs, reports the first event of a burst at once and gathers the rest into one change', async function () {
    // The windows end when the test ends them (no waiting for 400 ms to pass, no race with a slow machine).
    const windows: { end: () => void; ms: number; cancelled: boolean }[] = [];
    const endWindow = () => {
      const w = windows.shift();
      assert.ok(w && !w.cancelled, 'a window is open');
      w.end();
    };
    src.stop();
    src = await connected(srv, {
      batchMs: 400,
      scheduleBatchEnd: (end, ms) => {
        const w = { end, ms, cancelled: false };
        windows.push(w);
        return { cancel: () => void (w.cancelled = true) };
      },
    });
    await until(src, () => srv.openWatches() >= src.resourceTypes().length, 'all watches open');
    const batches: string[][] = [];
    const received: number[] = [];
    src.on('changed', (c) => {
      batches.push(c.objects.map((o) => `${o.type} ${o.name}`));
      received.push(c.receivedAt ?? NaN);
    });
    const burstPods = () => src.model().workloads.flatMap((w) => w.pods).filter((p) => p.name.startsWith('burst-')).length;
    const sent = performance.now();
    for (let i = 0; i < 5; i++) srv.add(pod(`burst-${i}`, { app: 'burst', ip: `10.244.0.${200 + i}`, node: 'node-a' }));
    // The model has every Pod at once; 'changed' has said only the first, the rest wait for the window's end.
    await until(src, () => burstPods() === 5, 'every event received');
    assert.deepEqual(batches, [['added burst-0']]);
    assert.deepEqual(windows.map((w) => w.ms), [400]);
    endWindow();
    assert.deepEqual(batches, [['added burst-0'], ['added burst-1', 'added burst-2', 'added burst-3', 'added burst-4']]);
    assert.ok(received.every((t) => t >= sent && t <= performance.now()), 'receivedAt: when the first event of each change arrived');
    assert.ok(received[1] >= received[0], 'the gathered change is stamped with its own first event');
    // Events kept coming, so a next window opened; it ends quiet, without a change.
    assert.equal(windows.length, 1);
    endWindow();
    assert.equal(batches.length, 2);
    assert.equal(windows.length, 0);
    // After the quiet window, the next event is reported at once again (and opens a window).
    srv.add(pod('after', { app: 'burst', ip: '10.244.0.210', node: 'node-a' }));
    await until(src, () => batches.length === 3, 'the next event');
    assert.deepEqual(batches[2], ['added after']);
    assert.equal(windows.length, 1);
    src.stop();
    assert.equal(windows[0].cancelled, true, 'stop() ends the open window');
  });

  it('removes deleted Pods, and the Workload with its last Pod', async function () {
    srv.remove('Pod', 'shop', 'catalog-66d4f-ddddd');
    await until(src, () => workload(src, 'catalog')?.pods.length === 1, 'terminating catalog Pod gone');
    srv.remove('Pod', 'shop', 'catalog-66d4f-ccccc');
    await until(src, () => workload(src, 'catalog') === undefined, 'catalog Workload gone');
    assert.ok(workload(src, 'frontend'));
  });

  it('updates Services, EndpointSlices and NetworkPolicies', async function () {
    srv.update('EndpointSlice', 'shop', 'cart-x2', (o) => {
      (o.endpoints as { conditions: Record<string, boolean> }[])[1].conditions = { ready: true, serving: true, terminating: false };
    });
    srv.add({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'search', namespace: 'shop' }, spec: { selector: { app: 'search' }, ports: [{ port: 80 }] } });
    srv.remove('NetworkPolicy', 'shop', 'default-deny');
    await until(
      src,
      () => {
        const m = src.model();
        return (
          m.endpointSlices.find((e) => e.name === 'cart-x2')?.endpoints[1].ready === true &&
          m.services.some((s) => s.name === 'search') &&
          !m.networkPolicies.some((p) => p.name === 'default-deny')
        );
      },
      'slice ready, service added, policy deleted',
    );
    const search = src.model().services.find((s) => s.name === 'search');
    assert.deepEqual(search?.ports, [{ protocol: 'TCP', port: 80 }]);
  });

  it('resumes a closed watch from its resourceVersion, without listing again', async function () {
    const listsBefore = srv.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch).length;
    const rvBefore = srv.resourceVersion();
    assert.ok(srv.closeWatches() > 0);
    srv.add(pod('cart-5f6b7-ccccc', { app: 'cart', hash: '5f6b7', ip: '10.244.0.21', node: 'node-a' }));
    await until(src, () => workload(src, 'cart')?.pods.length === 3, 'Pod added while the watch was closed');
    const podWatches = srv.requests.filter((r) => r.path === '/api/v1/pods' && r.watch);
    assert.ok(podWatches.length >= 2);
    assert.equal(podWatches[podWatches.length - 1].query.resourceVersion, String(rvBefore));
    assert.equal(srv.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch).length, listsBefore);
    assert.equal(src.status().state, 'synced');
  });

  it('re-opens a quiet watch the server ended at its timeoutSeconds, without relisting', async function () {
    this.timeout(20_000); // the server's shortest watch timeout is a whole second
    src.stop();
    src = await connected(srv, { watchTimeoutSeconds: [1, 1], namespaces: ['shop'] });
    const stats = (): { lists: number; watches: number } => src.stats().find((x) => x.resource === 'networkpolicies') ?? { lists: 0, watches: 0 };
    await until(src, () => stats().watches >= 3, 'the watch reopened twice', 15_000);
    assert.equal(stats().lists, 1);
    const watches = srv.requests.filter((r) => r.path === '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies' && r.watch);
    assert.ok(watches.every((r) => r.query.timeoutSeconds === '1'));
  });

  it('resumes from the resourceVersion of the last BOOKMARK', async function () {
    await srv.close();
    src.stop();
    srv = await shopServer({ bookmarkIntervalMs: 20 });
    src = await connected(srv);
    await until(src, () => srv.openWatches() === src.resourceTypes().length, 'all watches open');
    // Other types change: the Pod watch sees no event, only bookmarks with the newer resourceVersion.
    srv.remove('NetworkPolicy', 'shop', 'default-deny');
    const rv = srv.resourceVersion();
    const bookmarks = (): number => src.stats().find((x) => x.resource === 'pods')?.bookmarks ?? 0;
    const seen = bookmarks();
    await until(src, () => bookmarks() >= seen + 3, 'bookmarks sent after the change');
    srv.closeWatches();
    await until(src, () => srv.requests.filter((r) => r.path === '/api/v1/pods' && r.watch).length >= 2, 'Pod watch reopened');
    const podWatches = srv.requests.filter((r) => r.path === '/api/v1/pods' && r.watch);
    assert.equal(podWatches[1].query.resourceVersion, String(rv));
  });

  it('lists again after 410 Gone, dropping what was deleted meanwhile', async function () {
    const listsBefore = srv.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch).length;
    await srv.stopListening();
    srv.remove('Pod', 'shop', 'debug');
    srv.add(pod('frontend-7c9d8-yyyyy', { app: 'frontend', hash: '7c9d8', ip: '10.244.1.11', node: 'node-b' }));
    srv.compact();
    await srv.startListening();
    await until(src, () => workload(src, 'debug') === undefined && workload(src, 'frontend')?.pods.length === 3, 'relisted model');
    assert.ok(srv.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch).length > listsBefore);
    await until(src, () => src.status().state === 'synced', 'synced again');
  });
});
