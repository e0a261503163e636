// Credentials over a run: an exec plugin's credential kept for the run (one
// plugin run, not one per request), honouring expirationTimestamp; a 401
// refreshes once (the plugin runs again, a token file is read again) before it
// ends the run; a relative plugin command resolved against the kubeconfig's
// folder as kubectl does; insecure-skip-tls-verify warned about; the
// untrusted-location check on real paths.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runLint } from '../../../src/cli/lint';
import { clusterModelForCli } from '../../../src/cli/cluster-args';
import { ClusterSource } from '../../../src/core/source/cluster';
import { execConfig, isInsideReal } from '../../../src/core/source/cluster/kubeconfig';
import { parseExecCredential } from '../../../src/core/source/cluster/credentials';
import { Transport } from '../../../src/core/source/cluster/transport';
import { testTempDir, type TestApiServer } from '../../k8s-api-server/server';
import { FAST_RETRY, shopServer } from './helpers';

/** A plugin that appends a line to `runs` each time it runs and prints `token` (read from a file, so a test can rotate it). */
function countingPlugin(dir: string, opts: { expiresInMs?: number } = {}): { script: string; runsFile: string; tokenFile: string; runs: () => number } {
  const script = join(dir, 'plugin.js');
  const runsFile = join(dir, 'runs');
  const tokenFile = join(dir, 'token');
  const expiry = opts.expiresInMs !== undefined ? `, expirationTimestamp: new Date(Date.now() + ${opts.expiresInMs}).toISOString()` : '';
  writeFileSync(
    script,
    `const fs = require('fs');
     fs.appendFileSync(${JSON.stringify(runsFile)}, 'run\\n');
     const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
     if (info.kind !== 'ExecCredential' || info.spec.interactive !== false) process.exit(3);
     process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: fs.readFileSync(${JSON.stringify(tokenFile)}, 'utf8')${expiry} } }));`,
  );
  return { script, runsFile, tokenFile, runs: () => (existsSync(runsFile) ? readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).length : 0) };
}

function cli() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), isTTY: false, cwd: process.cwd() } };
}

describe('cluster credentials: exec plugins over a run', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('a plugin without expirationTimestamp runs once for a whole lint, paged lists included', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-exec-');
    const p = countingPlugin(dir);
    writeFileSync(p.tokenFile, srv.token);
    const kubeconfigPath = srv.writeKubeconfig({ exec: { command: process.execPath, args: [p.script] } }, 'exec-once');
    const { out, io } = cli();
    const code = await runLint(['--cluster', '--kubeconfig', kubeconfigPath, '--format', 'json'], io);
    assert.ok(code === 0 || code === 1, out.stderr);
    assert.ok(srv.requests.length >= 15, `${srv.requests.length} requests`);
    assert.equal(p.runs(), 1);
    // Two items a page: dozens of requests, still one run.
    const before = srv.requests.length;
    const loaded = await clusterModelForCli('lint', { namespaces: [], kubeconfigPath }, () => undefined, { load: { pageSize: 2 } });
    assert.ok(loaded);
    assert.ok(srv.requests.length - before > 25, `${srv.requests.length - before} requests`);
    assert.ok(srv.requests.every((r) => r.authorized));
    assert.equal(p.runs(), 2);
  });

  it('honours expirationTimestamp: a credential about to expire is renewed', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-exec-');
    // Expires within the renewal margin: every request gets a fresh one.
    const p = countingPlugin(dir, { expiresInMs: 5_000 });
    writeFileSync(p.tokenFile, srv.token);
    const kubeconfigPath = srv.writeKubeconfig({ exec: { command: process.execPath, args: [p.script] } }, 'exec-expiring');
    const t = await Transport.create({ allowExecPlugins: true, kubeconfigPath });
    await t.getJson('/api/v1/namespaces/shop/pods');
    await t.getJson('/api/v1/namespaces/shop/services');
    assert.equal(p.runs(), 2);
    t.close();
    // Valid for an hour: kept.
    const q = countingPlugin(testTempDir('kni-exec-'), { expiresInMs: 3_600_000 });
    writeFileSync(q.tokenFile, srv.token);
    const kept = await Transport.create({ allowExecPlugins: true, kubeconfigPath: srv.writeKubeconfig({ exec: { command: process.execPath, args: [q.script] } }, 'exec-hour') });
    await kept.getJson('/api/v1/namespaces/shop/pods');
    await kept.getJson('/api/v1/namespaces/shop/services');
    assert.equal(q.runs(), 1);
    kept.close();
  });

  it('401 then OK: the plugin runs again once and the lint goes on', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-exec-');
    const p = countingPlugin(dir);
    writeFileSync(p.tokenFile, srv.token);
    const kubeconfigPath = srv.writeKubeconfig({ exec: { command: process.execPath, args: [p.script] } }, 'exec-401-once');
    srv.unauthorizedNext(1);
    const { out, io } = cli();
    const code = await runLint(['--cluster', '--kubeconfig', kubeconfigPath, '--format', 'json'], io);
    assert.ok(code === 0 || code === 1, out.stderr);
    assert.equal(srv.requests.filter((r) => r.status === 401).length, 1);
    assert.equal(p.runs(), 2);
    assert.ok(JSON.parse(out.stdout).summary.objects > 0);
  });

  it('401 that stays: one refresh, then the run ends saying how to log in again', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-exec-');
    const p = countingPlugin(dir);
    writeFileSync(p.tokenFile, 'a-token-the-server-does-not-know');
    const kubeconfigPath = srv.writeKubeconfig({ exec: { command: process.execPath, args: [p.script] } }, 'exec-401');
    const { out, io } = cli();
    assert.equal(await runLint(['--cluster', '--kubeconfig', kubeconfigPath], io), 2);
    assert.match(out.stderr, /401 Unauthorized\)\. Check that `.*node.*` can still log you in/);
    assert.equal(p.runs(), 2);
    assert.ok(!out.stderr.includes('a-token-the-server-does-not-know'));
  });

  it('a rotated token file is read again after a 401', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-token-');
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${srv.token}\n`);
    const kubeconfigPath = srv.writeKubeconfig({ tokenFile: 'token' }, 'token-file');
    // The kubeconfig sits in the server's folder; its tokenFile is relative to it.
    writeFileSync(join(kubeconfigPath, '..', 'token'), `${srv.token}\n`);
    const t = await Transport.create({ allowExecPlugins: false, kubeconfigPath });
    await t.getJson('/api/v1/namespaces/shop/pods');
    srv.setToken('rotated-token-0123456789');
    writeFileSync(join(kubeconfigPath, '..', 'token'), 'rotated-token-0123456789\n');
    const list = await t.getJson('/api/v1/namespaces/shop/pods');
    assert.ok(Array.isArray(list.items));
    const statuses = srv.requests.map((r) => r.status);
    assert.deepEqual(statuses, [200, 401, 200]);
    // Rotated again under many requests at once: one reload serves them all, each repeated once.
    srv.setToken('rotated-again-0123456789');
    writeFileSync(join(kubeconfigPath, '..', 'token'), 'rotated-again-0123456789\n');
    const paths = ['pods', 'services', 'endpoints', 'configmaps', 'secrets', 'pods', 'services', 'endpoints'].map((r) => `/api/v1/namespaces/shop/${r}`);
    const lists = await Promise.all(paths.map((path) => t.getJson(path)));
    assert.ok(lists.every((l) => Array.isArray(l.items)));
    const after = srv.requests.slice(3).map((r) => r.status);
    assert.equal(after.filter((x) => x === 200).length, 8, after.join(','));
    assert.ok(after.filter((x) => x === 401).length <= 8, after.join(','));
    t.close();
  });
});

describe('cluster credentials: the kubeconfig', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('a relative exec command with a path separator runs from the kubeconfig\'s folder (kubectl\'s rule); a bare name goes through PATH', async function () {
    srv = await shopServer();
    const dir = testTempDir('kni-kc-');
    mkdirSync(join(dir, 'bin'));
    const p = countingPlugin(dir);
    writeFileSync(p.tokenFile, srv.token);
    const wrapper = join(dir, 'bin', 'kni-test-login');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(p.script)}\n`);
    chmodSync(wrapper, 0o755);
    const cfg = JSON.parse(readFileSync(srv.writeKubeconfig({ exec: { command: 'bin/kni-test-login' } }, 'relative'), 'utf8'));
    const kubeconfigPath = join(dir, 'config');
    writeFileSync(kubeconfigPath, JSON.stringify(cfg));
    // The working directory is the repository, not the kubeconfig's folder.
    const src = new ClusterSource({ allowExecPlugins: true, kubeconfigPath, retry: FAST_RETRY });
    src.start();
    try {
      await src.synced();
      assert.equal(p.runs(), 1);
    } finally {
      src.stop();
    }
    assert.equal(execConfig({ name: 'u', exec: { command: './login' } }, '/home/me/.kube/config')?.command, '/home/me/.kube/login');
    assert.equal(execConfig({ name: 'u', exec: { command: 'aws' } }, '/home/me/.kube/config')?.command, 'aws');
    assert.equal(execConfig({ name: 'u', exec: { command: '/usr/bin/aws' } }, '/home/me/.kube/config')?.command, '/usr/bin/aws');

    // A bare name not on PATH: its install hint is shown.
    const missing = srv.writeKubeconfig({ exec: { command: 'kni-no-such-plugin', installHint: 'Install it with: brew install kni-login' } }, 'missing');
    const m = new ClusterSource({ allowExecPlugins: true, kubeconfigPath: missing, retry: FAST_RETRY });
    m.start();
    try {
      await assert.rejects(m.synced(), /Getting credentials for user "kni-test" failed: the credential plugin `kni-no-such-plugin` was not found\. Install it with: brew install kni-login/);
    } finally {
      m.stop();
    }
  });

  it('insecure-skip-tls-verify: a warning saying what it exposes', async function () {
    srv = await shopServer();
    const kubeconfigPath = srv.writeKubeconfig({ token: srv.token, insecure: true }, 'insecure');
    const src = new ClusterSource({ allowExecPlugins: false, kubeconfigPath, retry: FAST_RETRY });
    src.start();
    try {
      await src.synced();
      assert.deepEqual(
        src.warnings().map((w) => w.cause),
        ['tls-insecure'],
      );
      assert.match(src.warnings()[0].message, /^cluster "kni-test" of context "kni-test" sets insecure-skip-tls-verify: the API server's certificate is not checked, so anyone on the way to https:\/\/127\.0\.0\.1:\d+ can read your credentials/);
    } finally {
      src.stop();
    }
    const { out, io } = cli();
    await runLint(['--cluster', '--kubeconfig', kubeconfigPath], io);
    assert.match(out.stderr, /kni lint: warning: cluster "kni-test" of context "kni-test" sets insecure-skip-tls-verify/);
  });

  it('the untrusted-location check compares real paths: a symlink into the workspace is inside it', async function () {
    srv = await shopServer();
    const workspace = testTempDir('kni-ws-');
    const kubeconfigPath = join(workspace, 'kubeconfig');
    writeFileSync(kubeconfigPath, readFileSync(srv.writeKubeconfig({ exec: { command: 'aws', args: ['eks', 'get-token'] } }, 'ws-exec'), 'utf8'));
    const outside = testTempDir('kni-link-');
    const linkToFile = join(outside, 'config');
    symlinkSync(kubeconfigPath, linkToFile);
    const linkToWorkspace = join(outside, 'ws');
    symlinkSync(workspace, linkToWorkspace);
    for (const [file, root] of [
      [linkToFile, workspace],
      [kubeconfigPath, linkToWorkspace],
    ]) {
      const src = new ClusterSource({ allowExecPlugins: true, kubeconfigPath: file, untrustedRoots: [root], retry: FAST_RETRY });
      src.start();
      await assert.rejects(src.synced(), /Plugins run only from your own kubeconfig/, `${file} in ${root}`);
      src.stop();
    }
    assert.equal(srv.requests.length, 0);
    // Case-insensitive file systems (macOS, Windows): compared without case.
    assert.equal(isInsideReal('/Users/Me/Work/Shop/kubeconfig', '/users/me/work/shop', true), true);
    assert.equal(isInsideReal('/Users/Me/Work/Shop/kubeconfig', '/users/me/work/shop', false), false);
    assert.equal(isInsideReal('/Users/Me/Work/Shopping/kubeconfig', '/users/me/work/shop', true), false);
  });

  it('ExecCredential output is checked', function () {
    const v1 = 'client.authentication.k8s.io/v1';
    assert.deepEqual(parseExecCredential(JSON.stringify({ apiVersion: v1, kind: 'ExecCredential', status: { token: 't', expirationTimestamp: '2030-01-01T00:00:00Z' } }), v1), {
      token: 't',
      expiresAt: Date.parse('2030-01-01T00:00:00Z'),
    });
    assert.throws(() => parseExecCredential('not json', v1), /not JSON/);
    assert.throws(() => parseExecCredential(JSON.stringify({ apiVersion: v1, kind: 'ExecCredential', status: {} }), v1), /without a token or a client certificate and key/);
    assert.throws(() => parseExecCredential(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 't' } }), v1), /answered apiVersion/);
  });
});
