// The cluster source when things go wrong: permissions, credentials, an
// unreachable server, exec plugins in an untrusted workspace, and secrets
// kept out of every message.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterSource, credentialPlugin, type ClusterStatus, type ClusterWarning } from '../../../src/core/source/cluster';
import { loginHint } from '../../../src/core/source/cluster/kubeconfig';
import { Backoff } from '../../../src/core/source/cluster/informer';
import { Transport, Redactor, ApiError } from '../../../src/core/source/cluster/transport';
import { testTempDir, type TestApiServer } from '../../k8s-api-server/server';
import { FAST_RETRY, connected, shopServer, source, until } from './helpers';

describe('cluster source: permissions', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('403 on networkpolicies in a namespace: a partial model and one named warning', async function () {
    srv = await shopServer();
    srv.forbid('networkpolicies', 'shop');
    const warnings: ClusterWarning[] = [];
    const src = source(srv, { namespaces: ['shop'] });
    src.on('warning', (w) => warnings.push(w));
    src.start();
    try {
      await src.synced();
      assert.equal(src.status().state, 'synced');
      assert.match(src.status().message, /1 resource type not readable/);
      const m = src.model();
      assert.equal(m.networkPolicies.length, 0);
      assert.ok(m.workloads.length > 0 && m.services.length > 0 && m.endpointSlices.length > 0);
      // The informer keeps retrying (permission may be granted later) without repeating the warning.
      const changes: boolean[] = [];
      const sub = src.on('changed', (c) => changes.push(c.resync));
      await until(src, () => srv.requests.filter((r) => r.path.endsWith('/networkpolicies') && r.status === 403).length >= 4, 'several retries');
      sub.dispose();
      assert.deepEqual(changes, [], 'retries of a forbidden type change nothing');
      assert.deepEqual(warnings.map((w) => w.message), ['no permission to list networkpolicies in shop: policy verdicts unknown']);
      assert.deepEqual(src.warnings(), warnings);
      // Granted later: the policies arrive.
      srv.allow('networkpolicies', 'shop');
      await until(src, () => src.model().networkPolicies.length === 4 && !src.status().message.includes('not readable'), 'policies after the grant');
      assert.deepEqual(src.warnings(), []);
      assert.equal(warnings.length, 1);
    } finally {
      src.stop();
    }
  });

  it('403 on a namespaced type read in all namespaces suggests choosing namespaces', async function () {
    srv = await shopServer();
    srv.forbid('pods');
    const src = await connected(srv);
    try {
      assert.deepEqual(src.warnings().map((w) => w.message), ['no permission to list pods in all namespaces: workloads and pods unknown (choose the namespaces you may read)']);
      assert.equal(src.model().workloads.length, 0);
      assert.ok(src.model().services.length > 0);
    } finally {
      src.stop();
    }
  });

  it('403 on a cluster-scoped type names it and what is unknown', async function () {
    srv = await shopServer();
    srv.forbid('nodes');
    const src = await connected(srv);
    try {
      assert.deepEqual(src.warnings().map((w) => w.message), ['no permission to list nodes: node addresses unknown, NodePort traces incomplete']);
      assert.equal(src.model().nodes.length, 0);
      assert.ok(src.model().workloads.length > 0);
    } finally {
      src.stop();
    }
  });
});

describe('cluster source: a namespace-scoped role (no permission to list namespaces)', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  const names = (src: ClusterSource): string[] => src.model().workloads.map((w) => `${w.namespace}/${w.name}`).sort();

  it('reads the context\'s namespace instead of all, with one warning naming what is unknown and how to widen it', async function () {
    srv = await shopServer();
    srv.namespaceRole(['shop']);
    const kubeconfigPath = srv.writeKubeconfig({ token: srv.token, namespace: 'shop' }, 'developer');
    const warnings: ClusterWarning[] = [];
    const src = source(srv, { kubeconfigPath, chooseNamespacesHint: 'use --namespace' });
    src.on('warning', (w) => warnings.push(w));
    src.start();
    try {
      await src.synced();
      assert.equal(src.status().state, 'synced');
      assert.match(src.status().message, /namespace shop only \(no permission to list namespaces\); 2 resource types not readable/);
      assert.deepEqual(
        warnings.map((w) => w.message),
        [
          "no permission to list namespaces: reading only namespace shop (the context's namespace); other namespaces unknown; namespace labels unknown, namespaceSelector verdicts unknown; also not readable: nodes (node addresses unknown, NodePort traces incomplete), ingressclasses (ingress class defaults unknown). To see more, use --namespace, or ask for permission to list namespaces.",
        ],
      );
      const m = src.model();
      assert.equal(m.nodes.length, 0);
      assert.equal(m.namespaces.length, 0);
      assert.deepEqual(names(src), ['shop/cart', 'shop/catalog', 'shop/debug', 'shop/frontend', 'shop/redis']);
      // No list across all namespaces was tried, and namespaces only once (the probe).
      const lists = srv.requests.filter((r) => !r.watch && r.query.limit !== undefined);
      assert.deepEqual(lists.filter((r) => /^\/api\/v1\/namespaces$/.test(r.path)).map((r) => r.status), [403]);
      for (const r of lists) {
        if (r.status === 403) assert.match(r.path, /\/(namespaces|nodes|ingressclasses)$/, r.path);
        else assert.match(r.path, /\/namespaces\/shop\//, r.path);
      }
      // Retries of the forbidden types (nodes, ingressclasses) warn no more.
      await until(src, () => srv.requests.filter((r) => r.path.endsWith('/nodes') && r.status === 403).length >= 3, 'retries of nodes');
      assert.equal(warnings.length, 1);
      assert.deepEqual(src.warnings(), warnings);
    } finally {
      src.stop();
    }
  });

  it('the partial model is what full permissions give for the same namespace, less the cluster-scoped types', async function () {
    srv = await shopServer();
    srv.namespaceRole(['shop']);
    const kubeconfigPath = srv.writeKubeconfig({ token: srv.token, namespace: 'shop' }, 'developer');
    const partial = await connected(srv, { kubeconfigPath });
    partial.stop();
    srv.namespaceRole(undefined);
    const full = await connected(srv, { namespaces: ['shop'], kubeconfigPath });
    full.stop();
    const p = partial.model();
    const f = full.model();
    assert.ok(f.nodes.length > 0 && f.namespaces.length > 0 && f.ingressClasses.length > 0);
    // The partial model names what it lacks; the full one lacks nothing.
    assert.deepEqual(p.unread?.map((u) => u.resource), ['namespaces', 'nodes', 'ingressclasses']);
    assert.equal(f.unread, undefined);
    const { unread: _unread, ...rest } = p;
    assert.deepEqual({ ...rest, nodes: f.nodes, namespaces: f.namespaces, ingressClasses: f.ingressClasses }, f);
  });

  it('with chosen namespaces: reads those, one warning, no suggestion to choose', async function () {
    srv = await shopServer();
    srv.namespaceRole(['shop', 'ingress-nginx']);
    const src = await connected(srv, { namespaces: ['shop', 'ingress-nginx'] });
    try {
      assert.deepEqual(names(src), ['ingress-nginx/ingress-nginx-controller', 'shop/cart', 'shop/catalog', 'shop/debug', 'shop/frontend', 'shop/redis']);
      assert.deepEqual(
        src.warnings().map((w) => w.message),
        [
          'no permission to list namespaces: reading the chosen namespaces shop, ingress-nginx; namespace labels unknown, namespaceSelector verdicts unknown; also not readable: nodes (node addresses unknown, NodePort traces incomplete), ingressclasses (ingress class defaults unknown). To see more, ask for permission to list namespaces.',
        ],
      );
    } finally {
      src.stop();
    }
  });
});

describe('cluster source: credentials', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('401: an error status saying how to log in again, without the token', async function () {
    srv = await shopServer();
    srv.setUnauthorized(true);
    const statuses: ClusterStatus[] = [];
    const src = source(srv);
    src.on('status', (s) => statuses.push(s));
    src.start();
    try {
      await assert.rejects(src.synced(), /401 Unauthorized/);
      const s = src.status();
      assert.equal(s.state, 'error');
      assert.match(s.message, /bearer token of kubeconfig user "kni-test" was rejected: get a new token/);
      for (const text of [...statuses.map((x) => x.message), ...src.warnings().map((w) => w.message)]) assert.ok(!text.includes(srv.token), text);
      // Retries continue (bounded backoff); the warning is not repeated per retry.
      await until(src, () => srv.requests.filter((r) => r.status === 401).length >= 4, 'retries');
      assert.equal(src.warnings().length, 1);
      // Credentials fixed: it connects by itself.
      srv.setUnauthorized(false);
      await until(src, () => src.status().state === 'synced', 'synced after the fix');
    } finally {
      src.stop();
    }
  });

  it('a failed request error contains no token', async function () {
    srv = await shopServer();
    srv.setUnauthorized(true);
    const t = await Transport.create({ allowExecPlugins: false, kubeconfigPath: srv.kubeconfigPath });
    const err = await t.getJson('/api/v1/pods').then(
      () => assert.fail('expected a 401'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.kind, 'unauthorized');
    assert.equal(err.status, 401);
    assert.ok(!err.message.includes(srv.token));
    assert.ok(!String(err.stack).includes(srv.token));
  });

  it('refuses an exec plugin in an untrusted workspace, before it runs or any request', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-exec-');
    const marker = join(dir, 'ran');
    const plugin = join(dir, 'plugin.js');
    writeFileSync(
      plugin,
      `require('fs').writeFileSync(process.env.MARKER, 'yes');
       process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: process.env.TOKEN } }));`,
    );
    const kubeconfigPath = srv.writeKubeconfig(
      { exec: { command: process.execPath, args: [plugin], env: [{ name: 'MARKER', value: marker }, { name: 'TOKEN', value: srv.token }] } },
      'exec-kubeconfig',
    );
    const refused = new ClusterSource({ allowExecPlugins: false, kubeconfigPath, retry: FAST_RETRY });
    refused.start();
    await assert.rejects(refused.synced(), /credential plugin .* not trusted/);
    assert.equal(refused.status().state, 'error');
    assert.equal(existsSync(marker), false);
    assert.equal(srv.requests.length, 0);

    // Trusted: the plugin runs and its token is used.
    const trusted = new ClusterSource({ allowExecPlugins: true, kubeconfigPath, retry: FAST_RETRY });
    trusted.start();
    try {
      await trusted.synced();
      assert.equal(existsSync(marker), true);
      assert.ok(trusted.model().workloads.length > 0);
    } finally {
      trusted.stop();
    }
  });

  it('refuses an exec plugin from a kubeconfig inside an untrusted folder even when trusted', async function () {
    srv = await shopServer();
    const kubeconfigPath = srv.writeKubeconfig({ exec: { command: 'aws', args: ['eks', 'get-token'] } }, 'workspace-kubeconfig');
    const src = new ClusterSource({ allowExecPlugins: true, kubeconfigPath, untrustedRoots: [join(kubeconfigPath, '..')], retry: FAST_RETRY });
    src.start();
    await assert.rejects(src.synced(), /Plugins run only from your own kubeconfig/);
    assert.equal(srv.requests.length, 0);
  });

  it('an untrusted server certificate: an error naming the kubeconfig setting, retried', async function () {
    srv = await shopServer();
    const kubeconfigPath = srv.writeKubeconfig({ token: srv.token, omitCa: true }, 'no-ca');
    const src = new ClusterSource({ allowExecPlugins: false, kubeconfigPath, retry: FAST_RETRY });
    src.start();
    try {
      await assert.rejects(src.synced(), /presented a certificate that is not trusted \([A-Z_]+\): check certificate-authority of cluster "kni-test"/);
      assert.equal(src.status().state, 'error');
      await until(src, () => (src.status().attempt ?? 0) >= 2, 'retried');
      assert.equal(srv.requests.length, 0);
    } finally {
      src.stop();
    }
  });

  it('an unknown context is an error naming the known ones', async function () {
    srv = await shopServer();
    const src = new ClusterSource({ allowExecPlugins: false, kubeconfigPath: srv.kubeconfigPath, context: 'prod' });
    src.start();
    await assert.rejects(src.synced(), /Context "prod" is not in the kubeconfig .* Known contexts: kni-test/);
  });
});

describe('cluster source: an unreachable API server', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('reports connecting, retries with growing capped delays, and syncs once the server is back', async function () {
    srv = await shopServer();
    await srv.stopListening();
    const src = source(srv, { retry: { initialMs: 10, maxMs: 40 } });
    const seen: ClusterStatus[] = [];
    const poll = setInterval(() => seen.push(src.status()), 5);
    src.start();
    try {
      await until(src, () => (src.status().attempt ?? 0) >= 5, 'five attempts');
      const s = src.status();
      assert.equal(s.state, 'connecting');
      assert.match(s.message, /Cannot reach the Kubernetes API server at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
      const delays = seen.map((x) => x.retryInMs).filter((d): d is number => d !== undefined);
      assert.ok(delays.every((d) => d >= 5 && d <= 40), `delays within [initial/2, cap]: ${delays.join(',')}`);
      await srv.startListening();
      await src.synced();
      assert.equal(src.status().state, 'synced');
    } finally {
      clearInterval(poll);
      src.stop();
    }
  });

  it('degrades (keeping the last model) when a synced source loses the server, and recovers', async function () {
    srv = await shopServer();
    const src = await connected(srv);
    const statuses: string[] = [];
    src.on('status', (s) => statuses.push(s.state + ' ' + s.message));
    try {
      const pods = src.model().workloads.length;
      await srv.stopListening();
      // Every informer fails and retries several times: a status change per
      // distinct cause (connection reset, then refused), not one per informer and retry.
      await until(src, () => (src.status().attempt ?? 0) >= 4, 'several retries');
      assert.ok(statuses.length >= 1 && statuses.length <= 2, statuses.join('\n'));
      assert.ok(statuses.every((s) => s.startsWith('degraded Showing the last known state: Cannot reach the Kubernetes API server')), statuses.join('\n'));
      assert.match(src.status().message, /Showing the last known state/);
      assert.deepEqual(src.warnings(), []);
      assert.equal(src.model().workloads.length, pods);
      await srv.startListening();
      await until(src, () => src.status().state === 'synced', 'synced again');
    } finally {
      src.stop();
    }
  });
});

describe('cluster source: slow answers and expired continue tokens', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('a request slower than the timeout fails, is retried, and syncs once answers are fast again', async function () {
    srv = await shopServer();
    srv.setDelay(400);
    const src = source(srv, { requestTimeoutMs: 100 });
    src.start();
    try {
      await until(src, () => (src.status().attempt ?? 0) >= 2, 'timeouts retried');
      assert.equal(src.status().state, 'connecting');
      assert.match(src.status().message, /^No answer from the Kubernetes API server at 127\.0\.0\.1:\d+ within 100 ms\. Check that the cluster is running/);
      srv.setDelay(0);
      await src.synced();
      assert.equal(src.status().state, 'synced');
    } finally {
      src.stop();
    }
  });

  it('a 410 on a continue token lists again from the start', async function () {
    srv = await shopServer();
    srv.expireNextContinue();
    const src = await connected(srv, { pageSize: 3, namespaces: ['shop'] });
    try {
      const pods = srv.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && !r.watch);
      assert.ok(pods.some((r) => r.status === 410 && r.query.continue));
      // After the 410 a fresh list (resourceVersion=0, no continue) and its pages.
      const after = pods.slice(pods.findIndex((r) => r.status === 410) + 1);
      assert.equal(after[0].query.resourceVersion, '0');
      assert.equal(after[0].query.continue, undefined);
      assert.equal(src.model().workloads.reduce((n, w) => n + w.pods.length, 0), 8);
    } finally {
      src.stop();
    }
  });
});

describe('cluster source: kubeconfig', function () {
  let srv: TestApiServer;
  const saved = process.env.KUBECONFIG;
  afterEach(async function () {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await srv?.close();
  });

  it('reads $KUBECONFIG (a path list; missing files skipped, the first definition wins)', async function () {
    srv = await shopServer();
    const other = srv.writeKubeconfig({ token: 'wrong-token-from-second-file' }, 'second');
    process.env.KUBECONFIG = ['/nonexistent/kubeconfig', srv.kubeconfigPath, other].join(process.platform === 'win32' ? ';' : ':');
    const src = new ClusterSource({ allowExecPlugins: false, retry: FAST_RETRY });
    src.start();
    try {
      await src.synced();
      assert.ok(srv.requests.every((r) => r.authorized));
    } finally {
      src.stop();
    }
  });

  it('no kubeconfig at all: an error saying how to get one', async function () {
    process.env.KUBECONFIG = '/nonexistent/kubeconfig';
    const src = new ClusterSource({ allowExecPlugins: false });
    src.start();
    await assert.rejects(src.synced(), /No kubeconfig found at KUBECONFIG \(\/nonexistent\/kubeconfig\)\. Create one with your cluster's CLI/);
  });

  it('a failing exec plugin: its message without the token it printed', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-exec-');
    const plugin = join(dir, 'fail.js');
    writeFileSync(plugin, `process.stderr.write('refresh failed for Authorization: Bearer sekret-abc-123'); process.exit(1);`);
    const kubeconfigPath = srv.writeKubeconfig({ exec: { command: process.execPath, args: [plugin] } }, 'failing-exec');
    const src = new ClusterSource({ allowExecPlugins: true, kubeconfigPath, retry: FAST_RETRY });
    src.start();
    try {
      await assert.rejects(src.synced(), (err: Error) => {
        assert.match(err.message, /Getting credentials for user "kni-test" failed: refresh failed for Authorization: Bearer \[redacted\]/);
        assert.match(err.message, /Check that `.*` can still log you in/);
        assert.ok(!err.message.includes('sekret-abc-123'));
        return true;
      });
      assert.equal(srv.requests.length, 0);
    } finally {
      src.stop();
    }
  });

  it('an unreadable kubeconfig: an error naming the file and the line, without its contents', async function () {
    const dir = testTempDir('kni-kc-');
    const file = join(dir, 'config');
    writeFileSync(file, 'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: sekret-token-in-broken-file\n   bad: [indent\n');
    const src = new ClusterSource({ allowExecPlugins: false, kubeconfigPath: file });
    src.start();
    await assert.rejects(src.synced(), (err: Error) => {
      assert.ok(err.message.startsWith(`Cannot read kubeconfig ${file}: `), err.message);
      assert.match(err.message, /\(\d+:\d+\)/);
      assert.ok(!err.message.includes('sekret-token-in-broken-file'), err.message);
      return true;
    });
  });

  it('an invalid entry the chosen context does not use is no error (as with kubectl)', async function () {
    srv = await shopServer();
    const cfg = JSON.parse(readFileSync(srv.kubeconfigPath, 'utf8')) as { clusters: unknown[] };
    cfg.clusters.push({ name: 'broken', cluster: {} });
    const file = join(testTempDir('kni-kc-'), 'config');
    writeFileSync(file, JSON.stringify(cfg));
    const src = await connected(srv, { kubeconfigPath: file });
    src.stop();
    assert.ok(srv.requests.length > 0);
  });

  it('login hints name the cloud CLI of the plugin', function () {
    const user = { name: 'u' };
    assert.match(loginHint({ user, plugin: '/usr/local/bin/aws', context: 'c' }), /aws sso login/);
    assert.match(loginHint({ user, plugin: 'gke-gcloud-auth-plugin', context: 'c' }), /gcloud auth login/);
    assert.match(loginHint({ user, plugin: 'kubelogin', context: 'c' }), /az login/);
    assert.match(loginHint({ user: { name: 'u', certFile: '/x.crt' }, context: 'c' }), /client certificate of kubeconfig user "u"/);
    assert.equal(credentialPlugin({ name: 'u', authProvider: { name: 'gcp', config: { 'cmd-path': '/bin/gcloud' } } }), '/bin/gcloud');
    assert.equal(credentialPlugin({ name: 'u', token: 't' }), undefined);
  });
});

describe('cluster source: backoff and redaction', function () {
  it('backoff doubles up to the cap with jitter in [d/2, d)', function () {
    const low = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => low.next()), [50, 100, 200, 400, 500, 500]);
    const high = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0.999);
    const d = [1, 2, 3, 4, 5, 6].map(() => high.next());
    assert.deepEqual(d, [100, 200, 400, 800, 1000, 1000]);
    high.reset();
    assert.equal(high.next(), 100);
  });

  it('redacts known secrets, bearer tokens, JWTs and PEM blocks', function () {
    const r = new Redactor();
    r.add('s3cr3t-token-value');
    const text = r.redact(
      'token s3cr3t-token-value; Authorization: Bearer abc.def-123 jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eHh4eHgifQ.sig -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    );
    assert.equal(text, 'token [redacted]; Authorization: Bearer [redacted] jwt [redacted] [redacted]');
  });
});
