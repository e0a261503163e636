// Watch and list faults: 410 Gone on every continue token or watch (a relist
// backoff, not a hot loop), a hung API server (what really happens, and
// --timeout), progress on slow lists. No sleeps: events, bounded polls, and
// injected clocks.
import assert from 'node:assert/strict';
import { clusterModelForCli, parseClusterArgs, parseDuration, ProgressReporter } from '../../../src/cli/cluster-args';
import { runLint } from '../../../src/cli/lint';
import type { ClusterStatus } from '../../../src/core/source/cluster';
import { RelistBackoff } from '../../../src/core/source/cluster/informer';
import type { TestApiServer } from '../../k8s-api-server/server';
import { connected, shopServer, source, until } from './helpers';

describe('cluster faults: 410 Gone', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('every continue token expired: backs off once, then lists in one piece and syncs (no relist loop)', async function () {
    srv = await shopServer();
    srv.expireContinues(true);
    const retries: ClusterStatus[] = [];
    const src = source(srv, { pageSize: 3, namespaces: ['shop'], relist: { initialMs: 20, maxMs: 80, resetAfterMs: 60_000 }, random: () => 0 });
    src.on('retrying', (s) => retries.push(s));
    src.start();
    try {
      await src.synced();
      const pods = srv.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && !r.watch);
      // The first page, its continue token (410), then everything in one answer.
      assert.deepEqual(
        pods.map((r) => [r.status, r.query.limit ?? 'all', r.query.continue ? 'continue' : r.query.resourceVersion]),
        [
          [200, '3', '0'],
          [410, '3', 'continue'],
          [200, 'all', '0'],
        ],
      );
      const podRetry = retries.find((s) => s.message.startsWith('Reading pods in shop'));
      assert.ok(podRetry, retries.map((s) => s.message).join('\n'));
      assert.equal(podRetry.message, 'Reading pods in shop: the continue token expired while paging (410 Gone); the next list asks for all pods in one answer.');
      assert.equal(podRetry.retryInMs, 20);
      assert.equal(src.model().workloads.reduce((n, w) => n + w.pods.length, 0), 8);
    } finally {
      src.stop();
    }
  });

  it('the CLI says so on stderr, with the delay and the attempt', async function () {
    srv = await shopServer();
    srv.expireContinues(true);
    const lines: string[] = [];
    const loaded = await clusterModelForCli('lint', { namespaces: ['shop'], kubeconfigPath: srv.kubeconfigPath }, (t) => lines.push(t), {
      load: { pageSize: 3, relist: { initialMs: 20, maxMs: 80, resetAfterMs: 60_000 } },
    });
    assert.ok(loaded);
    const pods = lines.filter((l) => l.includes('Reading pods in shop'));
    assert.equal(pods.length, 1, lines.join(''));
    assert.match(pods[0], /^kni lint: Reading pods in shop: the continue token expired while paging \(410 Gone\); the next list asks for all pods in one answer\. Retrying in \d+ ms \(attempt 1 of 4; giving up after 2 min in all, see --timeout\)\.\n$/);
  });

  it('every watch expired: relists with growing delays and says so, keeping the last model', async function () {
    srv = await shopServer();
    const src = await connected(srv, { namespaces: ['shop'], relist: { initialMs: 50, maxMs: 400, resetAfterMs: 60_000 }, random: () => 0.5 });
    const degraded: ClusterStatus[] = [];
    src.on('status', (s) => {
      if (s.state === 'degraded') degraded.push(s);
    });
    try {
      const podLists = () => srv.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && !r.watch).length;
      const before = podLists();
      srv.expireWatches(true);
      srv.closeWatches();
      const pods = src.stats().find((s) => s.resource === 'pods');
      assert.ok(pods);
      await until(src, () => (src.stats().find((s) => s.resource === 'pods')?.lists ?? 0) >= (pods.lists ?? 0) + 5, 'five relists of pods', 10_000);
      // One list per relist: no request storm behind the backoff.
      const relists = (src.stats().find((s) => s.resource === 'pods')?.lists ?? 0) - pods.lists;
      assert.ok(podLists() - before <= relists + 1, `${podLists() - before} lists for ${relists} relists`);
      // From the third relist in a row the status says what happens, with delays doubling to the cap: [d, 2d) at random 0.5.
      const forPods = degraded.filter((s) => s.message.includes('listing pods in shop again'));
      assert.deepEqual(
        forPods.slice(0, 3).map((s) => [s.attempt, s.retryInMs]),
        [
          [3, 300],
          [4, 600],
          [5, 600],
        ],
      );
      assert.match(forPods[0].message, /^Showing the last known state: the server answered 410 Gone \(.*\); listing pods in shop again in 300 ms \(attempt 3\)\.$/);
      assert.ok(src.model().workloads.length > 0);
      // Watches work again: synced.
      srv.expireWatches(false);
      await until(src, () => src.status().state === 'synced', 'synced again', 10_000);
    } finally {
      src.stop();
    }
  });

  it('the relist backoff: client-go\'s shape (doubling to the cap, jitter [d, 2d)), reset only after a quiet spell', function () {
    let now = 0;
    const low = new RelistBackoff({ initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000 }, () => 0, () => now);
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map(() => low.next());
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
    const high = new RelistBackoff({ initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000 }, () => 0.999, () => now);
    assert.equal(high.next(), 1599);
    // A list that succeeded does not reset it; two quiet minutes do.
    now += 60_000;
    assert.equal(low.next(), 30_000);
    now += 120_001;
    assert.equal(low.next(), 800);
  });
});

describe('cluster faults: a hung API server and --timeout', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    srv?.setHang(false);
    await srv?.close();
  });

  function cli() {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), isTTY: false, cwd: process.cwd() } };
  }

  it('says what really happens: each request\'s timeout, the retries, then that it gave up at --timeout (exit 2)', async function () {
    srv = await shopServer();
    srv.setHang(true);
    const { out, io } = cli();
    const code = await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--timeout', '600ms'], io);
    assert.equal(code, 2);
    assert.equal(out.stdout, '');
    const lines = out.stderr.trimEnd().split('\n');
    assert.ok(srv.requests.length > 0, 'the requests reached the server');
    // A retry line first: the per-request limit (half of --timeout), the delay, the attempt, the deadline.
    assert.match(lines[0], /^kni lint: No answer from the Kubernetes API server at 127\.0\.0\.1:\d+ within 300 ms\. Check that the cluster is running and that you can reach it \(VPN, proxy\)\. Retrying in \d+ ms \(attempt 1 of 4; giving up after 600 ms in all, see --timeout\)\.$/, out.stderr);
    // The last line says it gave up, and why; it promises no retry.
    assert.match(lines[lines.length - 1], /^kni lint: The cluster was not read in full within 600 ms \(--timeout\): No answer from the Kubernetes API server at 127\.0\.0\.1:\d+ within 300 ms\. .* Gave up\.$/);
    assert.ok(!lines[lines.length - 1].includes('Retrying'), lines[lines.length - 1]);
  });

  it('--timeout takes durations; it applies to --cluster only', function () {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('90'), 90_000);
    assert.equal(parseDuration('soon'), undefined);
    assert.equal(parseDuration('5x'), undefined);
    assert.equal(parseClusterArgs(['--cluster', '--timeout', '45s']).cluster?.timeoutMs, 45_000);
    assert.match(parseClusterArgs(['--cluster', '--timeout', 'later']).error ?? '', /--timeout "later": expected a duration such as 30s, 2m or 1m30s/);
    assert.match(parseClusterArgs(['--timeout', '30s', 'x.yaml']).error ?? '', /--timeout applies to --cluster/);
  });
});

describe('cluster faults: progress on slow lists', function () {
  it('at a bounded rate: nothing in the first interval, then at most one line per interval', function () {
    let now = 1000;
    const lines: string[] = [];
    const p = new ProgressReporter('lint', (t) => lines.push(t), 2000, () => now);
    for (let items = 250; items <= 20_000; items += 250) {
      p.progress({ resource: 'pods', items });
      now += 100; // a page every 100 ms: 80 pages in 8 s
    }
    assert.deepEqual(lines, ['kni lint: reading pods: 5,250 so far…\n', 'kni lint: reading pods: 10,250 so far…\n', 'kni lint: reading pods: 15,250 so far…\n']);
  });

  it('on stderr while the first sync is under way', async function () {
    const srv = await shopServer();
    try {
      const lines: string[] = [];
      const loaded = await clusterModelForCli('lint', { namespaces: ['shop'], kubeconfigPath: srv.kubeconfigPath }, (t) => lines.push(t), { progressIntervalMs: 0, load: { pageSize: 2 } });
      assert.ok(loaded);
      const pods = lines.filter((l) => l.startsWith('kni lint: reading pods in shop: '));
      assert.deepEqual(pods, ['kni lint: reading pods in shop: 2 so far…\n', 'kni lint: reading pods in shop: 4 so far…\n', 'kni lint: reading pods in shop: 6 so far…\n', 'kni lint: reading pods in shop: 8 so far…\n']);
    } finally {
      await srv.close();
    }
  });
});
