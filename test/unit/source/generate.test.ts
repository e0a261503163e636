// The benchmark generator: deterministic by seed, exactly the asked number of
// objects, every one of them read by the manifest source without a finding.
import assert from 'node:assert/strict';
import { generateManifests } from '../../fixtures/source/generate';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';

describe('generateManifests (benchmark fixture)', () => {
  it('is deterministic by seed', () => {
    assert.deepEqual(generateManifests({ objects: 200, seed: 7 }), generateManifests({ objects: 200, seed: 7 }));
    assert.notDeepEqual(generateManifests({ objects: 200, seed: 7 }), generateManifests({ objects: 200, seed: 8 }));
  });

  it('writes exactly the asked number of objects, all readable, of every benchmarked kind', () => {
    const files = generateManifests({ objects: 400, seed: 3 });
    const parsed = files.map((f) => parseManifestFile(f.path, f.text, { defaultNamespace: 'default' }));
    assert.deepEqual(
      parsed.flatMap((p) => p.findings),
      [],
    );
    const model = buildModel(parsed, 'default');
    const total =
      model.namespaces.length + model.workloads.length + model.services.length + model.ingresses.length + model.networkPolicies.length;
    assert.equal(total, 400);
    assert.equal(model.namespaces.length, 5);
    assert.ok(model.ingresses.length > 0 && model.networkPolicies.length > 0);
    const targetPorts = model.services.flatMap((s) => s.ports.map((p) => typeof p.targetPort));
    assert.ok(targetPorts.includes('number') && targetPorts.includes('string'), 'named and numeric targetPorts');
    assert.ok(model.workloads.some((w) => w.containers.length > 1));
    assert.ok(model.workloads.some((w) => w.containers.some((c) => c.probes.length > 0)));
  });
});
