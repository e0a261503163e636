// `--cluster` flags and the one-shot cluster load used by `kni lint --cluster` and `kni trace --cluster`.
import assert from 'node:assert/strict';
import { loadClusterModel, parseClusterArgs } from '../../../src/cli/cluster-args';
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
    assert.equal(parseClusterArgs(['--cluster', '-n', 'Shop_1']).error, '"Shop_1" is not a namespace name');
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
