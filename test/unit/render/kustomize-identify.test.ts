// Objects are told apart by their names through the tree's prefixes,
// suffixes and namespaces, instead of asking Kustomize's (slow) origin
// tracking: on every overlay here the answer must be Kustomize's own, read
// from the origin annotation of a build through the wrapper.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { identifyOrigins } from '../../../src/core/source/render/kustomize/identify';
import { readOutput } from '../../../src/core/source/render/kustomize/output';
import { runTool } from '../../../src/core/source/render/run';
import { SourceFiles } from '../../../src/core/source/render/kustomize/sources';
import { readTree } from '../../../src/core/source/render/kustomize/tree';
import { withWrapper } from '../../../src/core/source/render/kustomize/wrapper';
import { FIXTURES, kubectl } from '../../fixtures/kustomize-render';

const ROOTS = ['shop/overlays/prod', 'boutique', 'greet/stages/prod', 'more-fields', 'replaced', 'list', 'shifted', '../../../examples/kustomize/overlays/prod']; // the example too;

describe('Kustomize render: objects identified by name agree with Kustomize’s origin annotations', function () {
  this.timeout(120_000);

  for (const root of ROOTS) {
    it(root, async function () {
      const tool = kubectl(this);
      const base = realpathSync(FIXTURES);
      const rootAbs = realpathSync(resolve(base, root));
      const env = { PATH: '' };
      const plain = await runTool(tool.command, ['kustomize', rootAbs], { cwd: base, env });
      assert.equal(plain.code, 0, plain.stderr);
      const sources = new SourceFiles(base);
      const byName = readOutput(plain.stdout, rootAbs);
      assert.equal(identifyOrigins(byName, readTree(rootAbs, sources, root), sources), true, 'every object identified');
      const annotated = await withWrapper(rootAbs, async (dir) => {
        const run = await runTool(tool.command, ['kustomize', dir], { cwd: base, env });
        assert.equal(run.code, 0, run.stderr);
        return readOutput(run.stdout, dir);
      });
      assert.ok(annotated.every((o) => o.origin.path !== undefined || o.origin.configuredIn !== undefined), 'Kustomize annotated every object');
      assert.deepEqual(
        byName.map((o) => `${o.kind}/${o.name} ${JSON.stringify(o.origin)}`),
        annotated.map((o) => `${o.kind}/${o.name} ${JSON.stringify(o.origin)}`),
      );
    });
  }
});
