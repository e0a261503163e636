// The kubeconfig contexts the editor's picker offers: merged over the files
// as kubectl merges them, a bad file said and skipped, nothing run.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { listContexts } from '../../../src/core/source/cluster/contexts';
import { testTempDir } from '../../k8s-api-server/server';

function kubeconfig(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `apiVersion: v1\nkind: Config\n${body}`);
  return file;
}

describe('kubeconfig contexts', () => {
  const dir = testTempDir('kni-contexts-');
  const marker = join(dir, 'plugin-ran');
  const plugin = join(dir, 'plugin.js');
  writeFileSync(plugin, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`);
  const first = kubeconfig(
    dir,
    'first',
    `current-context: dev
clusters:
- name: dev-cluster
  cluster: { server: 'https://dev.example:6443' }
contexts:
- name: dev
  context: { cluster: dev-cluster, user: dev-user, namespace: shop }
- name: prod
  context: { cluster: prod-cluster, user: sso }
users:
- name: dev-user
  user: { token: secret-token }
- name: sso
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: node, args: [${JSON.stringify(plugin)}], interactiveMode: Never }
`,
  );
  const second = kubeconfig(
    dir,
    'second',
    `current-context: staging
contexts:
- name: prod
  context: { cluster: other-cluster, user: other }
- name: staging
  context: { cluster: staging-cluster, user: other }
`,
  );
  const broken = kubeconfig(dir, 'broken', 'contexts: [unterminated\n');

  it('lists every context once, the first file that names one winning, with its cluster and namespace', async () => {
    const found = await listContexts([first, second]);
    assert.deepEqual(found.files, [first, second]);
    assert.deepEqual(found.contexts, [
      { name: 'dev', cluster: 'dev-cluster', namespace: 'shop' },
      { name: 'prod', cluster: 'prod-cluster' },
      { name: 'staging', cluster: 'staging-cluster' },
    ]);
    assert.equal(found.current, 'dev');
    assert.deepEqual(found.problems, []);
    assert.equal(existsSync(marker), false, 'listing runs no credential plugin');
  });

  it('takes current-context from the first file that sets one', async () => {
    const noCurrent = kubeconfig(dir, 'no-current', 'contexts:\n- name: a\n  context: { cluster: c, user: u }\n');
    const found = await listContexts([noCurrent, second]);
    assert.equal(found.current, 'staging');
    assert.deepEqual(
      found.contexts.map((c) => c.name),
      ['a', 'prod', 'staging'],
    );
  });

  it('says which file could not be read, without its content, and lists the others', async () => {
    const found = await listContexts([broken, second]);
    assert.equal(found.problems.length, 1);
    assert.match(found.problems[0], new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    assert.doesNotMatch(found.problems[0], /\n/);
    assert.deepEqual(
      found.contexts.map((c) => c.name),
      ['prod', 'staging'],
    );
  });

  it('reads the files kubectl reads: $KUBECONFIG in order, missing entries skipped; none is an empty list', async () => {
    const saved = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = [second, join(dir, 'missing'), first].join(delimiter);
      const found = await listContexts();
      assert.deepEqual(found.files, [second, first]);
      assert.equal(found.current, 'staging');
      assert.deepEqual(found.contexts[0], { name: 'prod', cluster: 'other-cluster' });
      process.env.KUBECONFIG = join(dir, 'missing');
      assert.deepEqual(await listContexts(), { files: [], contexts: [], problems: [] });
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });
});
