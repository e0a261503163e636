// The graph built in slices (what the extension host does, so it never blocks
// for the whole build) is the graph built in one go, pauses between slices,
// and stops when a newer build makes it stale.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { buildTopologyGraph, buildTopologyGraphInSlices } from '../../../src/core/topology';

function shop() {
  const dir = join(process.cwd(), 'examples', 'shop');
  const analysis = new Analysis();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) analysis.setFile(`examples/shop/${f}`, readFileSync(join(dir, f), 'utf8'));
  return { index: analysis.index(), options: { findings: analysis.findings(), sourceLabel: 'shop' } };
}

describe('topology graph built in slices', () => {
  it('is the same graph as one build, with a pause between every step when slices are empty', async () => {
    const { index, options } = shop();
    assert.ok(options.findings.length > 0, 'the shop has findings: their attribution is sliced too');
    let pauses = 0;
    const sliced = await buildTopologyGraphInSlices(index, options, {
      sliceMs: 0,
      pause: async () => {
        pauses++;
      },
    });
    assert.deepEqual(sliced, buildTopologyGraph(index, options));
    // Findings, Ingresses, Services and workloads each end a step.
    const m = index.model;
    assert.ok(pauses >= options.findings.length + m.ingresses.length + m.services.length + m.workloads.length, `only ${pauses} pauses`);
  });

  it('resolves undefined once cancelled, without finishing the build', async () => {
    const { index, options } = shop();
    let pauses = 0;
    const result = await buildTopologyGraphInSlices(index, options, {
      sliceMs: 0,
      pause: async () => {
        pauses++;
      },
      cancelled: () => pauses >= 3,
    });
    assert.equal(result, undefined);
    assert.equal(pauses, 3);
  });
});
