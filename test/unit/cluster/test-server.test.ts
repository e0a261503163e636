// The test API server speaks enough Kubernetes for client-node's own typed
// API and Watch (not only for our cluster source).
import assert from 'node:assert/strict';
import * as https from 'node:https';
import { readFileSync } from 'node:fs';
import type { TestApiServer } from '../../k8s-api-server/server';
import { pod, shopServer } from './helpers';

function rawGet(srv: TestApiServer, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, srv.url), { ca: readFileSync(srv.caFile), headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('test API server', function () {
  let srv: TestApiServer;
  before(async function () {
    srv = await shopServer();
  });
  after(async function () {
    await srv?.close();
  });

  it('answers 401 with a Status without the token, and serves discovery with it', async function () {
    const denied = await rawGet(srv, '/api/v1/pods');
    assert.equal(denied.status, 401);
    assert.equal(JSON.parse(denied.body).reason, 'Unauthorized');
    const apis = JSON.parse((await rawGet(srv, '/apis', srv.token)).body);
    assert.ok(apis.groups.some((g: { name: string }) => g.name === 'discovery.k8s.io'));
    const core = JSON.parse((await rawGet(srv, '/api/v1', srv.token)).body);
    assert.ok(core.resources.some((r: { name: string; namespaced: boolean }) => r.name === 'pods' && r.namespaced));
  });

  it('works with client-node CoreV1Api: lists, pages, single objects', async function () {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const all = await api.listPodForAllNamespaces();
    assert.equal(all.items.length, 9);
    const page = await api.listNamespacedPod({ namespace: 'shop', limit: 3 });
    assert.equal(page.items.length, 3);
    assert.ok(page.metadata?._continue);
    assert.equal(page.metadata?.remainingItemCount, 5);
    const rest = await api.listNamespacedPod({ namespace: 'shop', limit: 10, _continue: page.metadata?._continue });
    assert.equal(rest.items.length, 5);
    const one = await api.readNamespacedService({ namespace: 'shop', name: 'cart' });
    assert.equal(one.spec?.clusterIP, '10.96.10.2');
  });

  it('works with client-node Watch: events after a resourceVersion', async function () {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
    const rv = String(srv.resourceVersion());
    const seen: string[] = [];
    let abort: AbortController | undefined;
    const done = new Promise<void>((resolve, reject) => {
      new k8s.Watch(kc)
        .watch(
          '/api/v1/namespaces/shop/pods',
          { resourceVersion: rv },
          (type, obj: { metadata: { name: string } }) => {
            seen.push(`${type} ${obj.metadata.name}`);
            if (seen.length === 2) resolve();
          },
          (err) => (err ? reject(err) : undefined),
        )
        .then((c) => {
          abort = c;
          srv.add(pod('cart-5f6b7-watch', { app: 'cart', hash: '5f6b7', ip: '10.244.0.77', node: 'node-a' }));
          srv.remove('Pod', 'shop', 'cart-5f6b7-watch');
        }, reject);
    });
    await done;
    abort?.abort();
    assert.deepEqual(seen, ['ADDED cart-5f6b7-watch', 'DELETED cart-5f6b7-watch']);
  });
});

describe('test API server: control API', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  function control(body: object): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = https.request(new URL('/_kni/control', srv.url), { method: 'POST', ca: readFileSync(srv.caFile), headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  it('patches an object with a JSON merge patch (null deletes, arrays replace) and bumps its resourceVersion', async function () {
    srv = await shopServer({ control: true });
    const before = srv.get('Pod', 'shop', 'cart-5f6b7-aaaaa') as { metadata: { resourceVersion: string } };
    const status = await control({
      op: 'patch',
      kind: 'Pod',
      namespace: 'shop',
      name: 'cart-5f6b7-aaaaa',
      patch: { metadata: { labels: { tier: null, extra: 'yes' } }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    });
    assert.equal(status, 200);
    const after = srv.get('Pod', 'shop', 'cart-5f6b7-aaaaa') as { metadata: { labels: Record<string, string>; resourceVersion: string; name: string }; status: { conditions: unknown[]; podIP: string } };
    assert.deepEqual(after.metadata.labels, { app: 'cart', 'pod-template-hash': '5f6b7', extra: 'yes' });
    assert.deepEqual(after.status.conditions, [{ type: 'Ready', status: 'False' }]);
    assert.equal(after.status.podIP, '10.244.0.20');
    assert.ok(Number(after.metadata.resourceVersion) > Number(before.metadata.resourceVersion));
    assert.equal(await control({ op: 'patch', kind: 'Pod', namespace: 'shop', name: 'nope', patch: {} }), 404);
  });

  it('plays a namespace-scoped role: 403 at the cluster scope and in other namespaces', async function () {
    srv = await shopServer({ control: true });
    assert.equal(await control({ op: 'namespaceRole', namespaces: ['shop'] }), 200);
    assert.equal((await rawGet(srv, '/api/v1/namespaces/shop/pods', srv.token)).status, 200);
    assert.equal((await rawGet(srv, '/api/v1/pods', srv.token)).status, 403);
    assert.equal((await rawGet(srv, '/api/v1/namespaces/ingress-nginx/pods', srv.token)).status, 403);
    assert.equal((await rawGet(srv, '/api/v1/nodes', srv.token)).status, 403);
    assert.equal((await rawGet(srv, '/apis', srv.token)).status, 200, 'discovery stays open');
    assert.equal(await control({ op: 'namespaceRole', namespaces: null }), 200);
    assert.equal((await rawGet(srv, '/api/v1/pods', srv.token)).status, 200);
  });
});
