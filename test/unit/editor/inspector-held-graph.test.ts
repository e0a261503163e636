// The inspector host's books of the graph its panel holds: the server's
// compact graph decoded only when a summary is asked, the patches since
// applied in order (before and after the first summary alike), and a bound
// on the patches kept for a summary nobody asks for.
import assert from 'node:assert/strict';
import { buildTopologyGraph } from '../../../src/core/topology';
import type { TopologyGraph } from '../../../src/protocol';
import { HeldGraph } from '../../../src/extension/inspector/held-graph';
import { diffGraphs, encodeGraph } from '../../../src/view-model';
import { clusterIndex } from '../../fixtures/cluster-model';

/** The graph with one more node at the end and its first node's label changed. */
function changed(g: TopologyGraph, n: number): TopologyGraph {
  const [first, ...rest] = g.nodes;
  return { ...g, nodes: [{ ...first, label: `${first.label}-${n}` }, ...rest, { id: `extra:${n}`, kind: 'external', label: `extra ${n}` }], sourceLabel: `v${n}` };
}

describe('the inspector host: the graph its panel holds', () => {
  const { index, findings } = clusterIndex(200);
  const base = buildTopologyGraph(index, { findings, sourceLabel: 'cluster test' });

  it('decodes the compact graph on the first summary and applies the patches since, then each as it comes', () => {
    const held = new HeldGraph('cluster', 1, encodeGraph(base), { current: 'cluster', cluster: 'kind' });
    const v2 = changed(base, 2);
    const v3 = changed(v2, 3);
    held.patched(2, diffGraphs(base, v2)!, { current: 'cluster', cluster: 'kind' });
    assert.deepStrictEqual(held.topology(), v2);
    held.patched(3, diffGraphs(v2, v3)!, undefined);
    assert.deepStrictEqual(held.topology(), v3);
    assert.equal(held.version, 3);
    assert.equal(held.view, undefined, 'the patch without a view took the files / cluster control away');
  });

  it('keeps a bounded number of unread patches: beyond, no summary until the next whole graph', () => {
    const held = new HeldGraph('files', 1, encodeGraph(base), undefined);
    let g = base;
    for (let v = 2; v <= 258; v++) {
      const next = changed(g, v);
      held.patched(v, diffGraphs(g, next)!, undefined);
      g = next;
    }
    assert.equal(held.version, 258, 'the version still follows the patches');
    assert.equal(held.topology(), undefined);
  });
});
