// `--cluster` flags and the one-shot cluster load used by `kni lint --cluster` and `kni trace --cluster`.
import assert from 'node:assert/strict';
import { loadClusterModel, parseClusterArgs } from '../../../src/cli/cluster-args';
import { runLint } from '../../../src/cli/lint';
import { runTrace } from '../../../src/cli/trace';
import type { TestApiServer } from '../../k8s-api-server/server';
import { shopServer } from './helpers';

describe('cli: --cluster flags', function () {
  it('leaves the arguments alone without --cluster', function () {
    assert.deepEqual(parseClusterArgs(['lint', '--namespace', 'x', 'a.yaml']), { rest: ['lint', '--namespace', 'x', 'a.yaml'] });
  });

  it('takes out --cluster, --context, repeated and comma-separated namespaces, --kubeconfig', function () {
    assert.deepEqual(parseClusterArgs(['--cluster', '--context=prod', '-n', 'shop,pay', '--namespace', 'web', '--kubeconfig', 'k.yaml', '--format', 'json']), {
      cluster: { context: 'prod', namespaces: ['shop', 'pay', 'web'], kubeconfigPath: 'k.yaml' },
      rest: ['--format', 'json'],
    });
    assert.deepEqual(parseClusterArgs(['--cluster', '-n', 'a', '-A']).cluster, { namespaces: [] });
  });

  it('reports a flag without its value and a bad namespace', function () {
    assert.equal(parseClusterArgs(['--cluster', '--context']).error, '--context needs a context name');
    assert.equal(parseClusterArgs(['--cluster', '-n', 'Shop_1']).error, '"Shop_1" is not a namespace name (lowercase letters, digits and -, at most 63 characters)');
  });
});

describe('cli: loadClusterModel', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('syncs once, stops watching and returns the model with named warnings', async function () {
    srv = await shopServer();
    srv.forbid('networkpolicies', 'shop');
    const { model, warnings } = await loadClusterModel({ kubeconfigPath: srv.kubeconfigPath, namespaces: ['shop'], allowExecPlugins: true });
    assert.equal(model.source, 'cluster');
    assert.deepEqual(model.workloads.map((w) => w.name).sort(), ['cart', 'catalog', 'debug', 'frontend', 'redis']);
    assert.deepEqual(warnings, ['no permission to list networkpolicies in shop: policy verdicts unknown']);
    // Stopped: no watch stays open.
    for (let i = 0; i < 100 && srv.openWatches() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(srv.openWatches(), 0);
  });

  it('gives up on an unreachable server after a few attempts with a clear message', async function () {
    srv = await shopServer();
    await srv.stopListening();
    await assert.rejects(
      loadClusterModel({ kubeconfigPath: srv.kubeconfigPath, allowExecPlugins: true, maxAttempts: 3, retry: { initialMs: 5, maxMs: 20 } }),
      /^Error: Cannot reach the Kubernetes API server at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Check that the cluster is running/,
    );
  });

  it('fails with the login hint on 401', async function () {
    srv = await shopServer();
    srv.setUnauthorized(true);
    await assert.rejects(loadClusterModel({ kubeconfigPath: srv.kubeconfigPath, allowExecPlugins: true }), (err: Error) => {
      assert.match(err.message, /401 Unauthorized/);
      assert.ok(!err.message.includes(srv.token));
      return true;
    });
  });
});

describe('cli: kni lint --cluster and kni trace --cluster', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  function io() {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), isTTY: false, cwd: process.cwd() } };
  }

  it('lints the live model and names each finding by its object', async function () {
    srv = await shopServer();
    const { out, io: cliIo } = io();
    const code = await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--format', 'json'], cliIo);
    const report = JSON.parse(out.stdout);
    assert.equal(code, report.summary.errors > 0 ? 1 : 0, out.stderr);
    assert.ok(report.summary.objects > 0);
    assert.ok(report.findings.some((f: { rule: string; file: string }) => f.rule === 'service-blocked-by-policy' && f.file === 'cluster/shop/Service/catalog'), out.stdout);
    for (const f of report.findings) assert.match(f.file, /^cluster\/[a-z0-9-]+\/[A-Za-z]+\/[a-z0-9.-]+$/, JSON.stringify(f));
    assert.ok(!out.stdout.includes(srv.token) && !out.stderr.includes(srv.token));
  });

  it('with a namespace-scoped role: lints the context\'s namespace, one warning saying how to widen it', async function () {
    srv = await shopServer();
    srv.namespaceRole(['shop']);
    const kubeconfigPath = srv.writeKubeconfig({ token: srv.token, namespace: 'shop' }, 'developer');
    const { out, io: cliIo } = io();
    const code = await runLint(['--cluster', '--kubeconfig', kubeconfigPath, '--format', 'json'], cliIo);
    const report = JSON.parse(out.stdout);
    assert.equal(code, report.summary.errors > 0 ? 1 : 0, out.stderr);
    const warnings = out.stderr.split('\n').filter(Boolean);
    assert.equal(warnings.length, 1, out.stderr);
    assert.match(warnings[0], /^kni lint: warning: no permission to list namespaces: reading only namespace shop \(the context's namespace\); other namespaces unknown; .*nodes \(node addresses unknown.*To see more, name the namespaces you may read with --namespace NS, or ask for permission to list namespaces\.$/);
    assert.ok(report.findings.length > 0);
    for (const f of report.findings) assert.match(f.file, /^cluster\/shop\//, JSON.stringify(f));
    assert.ok(report.findings.some((f: { rule: string; file: string }) => f.rule === 'service-blocked-by-policy' && f.file === 'cluster/shop/Service/catalog'), out.stdout);
  });

  it('refuses paths together with --cluster', async function () {
    const { out, io: cliIo } = io();
    assert.equal(await runLint(['--cluster', 'examples'], cliIo), 2);
    assert.match(out.stderr, /--cluster reads the cluster, not files/);
  });

  it('traces with the real Pod IPs and nodes', async function () {
    srv = await shopServer();
    const { out, io: cliIo } = io();
    await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/frontend:80', '--format', 'json'], cliIo);
    const result = JSON.parse(out.stdout);
    const targets = result.endpoints.map((e: { target: string }) => e.target).sort();
    assert.ok(targets.length > 0, out.stdout);
    for (const t of targets) assert.match(t, /^\d+\.\d+\.\d+\.\d+$/, `not a Pod IP: ${t}`);
  });

  it('says why when the cluster cannot be reached (exit 2)', async function () {
    srv = await shopServer();
    srv.setUnauthorized(true);
    const { out, io: cliIo } = io();
    assert.equal(await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath], cliIo), 2);
    assert.match(out.stderr, /^kni lint: .*401 Unauthorized/);
  });
});
