// The compact graph message: decoding gives back exactly the graph encoded
// (every field of every node and edge, the order included) for the examples'
// graphs, a synthetic cluster's, and the odd cases the builder never makes but
// a graph may hold (an edge to no node, an id of another form, broken: false);
// a message that is not one is refused with a reason, never half decoded.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { buildTopologyGraph } from '../../../src/core/topology';
import type { CompactGraph, TopologyGraph } from '../../../src/protocol';
import { decodeGraph, encodeGraph } from '../../../src/view-model';
import { clusterIndex } from '../../fixtures/cluster-model';

function examplesGraph(folder: string): TopologyGraph {
  const analysis = new Analysis({ defaultNamespace: 'default' });
  const dir = join('examples', folder);
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) analysis.setFile(join(dir, f), readFileSync(join(dir, f), 'utf8'));
  return buildTopologyGraph(analysis.index(), { findings: analysis.findings(), sourceLabel: `examples/${folder}` });
}

/** Through JSON, as it crosses the wire. */
const roundTrip = (g: TopologyGraph) => decodeGraph(JSON.parse(JSON.stringify(encodeGraph(g))) as CompactGraph);

describe('compact graph', () => {
  for (const folder of ['shop', 'gateway']) {
    it(`gives back the ${folder} example's graph exactly`, () => {
      const graph = examplesGraph(folder);
      assert.ok(graph.nodes.some((n) => n.findings) && graph.edges.some((e) => e.broken || e.label), 'the example has badges and labelled links');
      assert.deepStrictEqual(roundTrip(graph), graph);
      assert.equal(JSON.stringify(roundTrip(graph).nodes.map((n) => n.id)), JSON.stringify(graph.nodes.map((n) => n.id)));
    });
  }

  it("gives back a cluster's graph exactly, in about a third of the JSON", () => {
    const { index, findings } = clusterIndex(2_000);
    const graph = buildTopologyGraph(index, { findings, sourceLabel: 'cluster test' });
    assert.ok(graph.nodes.some((n) => n.policies && n.policyFindings), 'Pods carry policies and their findings');
    const compact = encodeGraph(graph);
    assert.deepStrictEqual(decodeGraph(JSON.parse(JSON.stringify(compact)) as CompactGraph), graph);
    const ratio = JSON.stringify(compact).length / JSON.stringify(graph).length;
    assert.ok(ratio < 0.36, `compact / plain JSON = ${ratio.toFixed(2)}`);
  });

  it('keeps what the builder never makes: dangling ends, other ids, broken: false, zero counts, no objects count', () => {
    const graph: TopologyGraph = {
      nodes: [
        { id: 'service:abc', kind: 'service', label: 'cart', objectId: 'abc', namespace: 'shop', count: 0, findings: { errors: 1, warnings: 0, infos: 2, messages: ['a', 'b'] } },
        { id: 'abc', kind: 'missing', label: '', objectId: 'abc' },
        { id: 'x', kind: 'entry', entry: 'internet', label: 'Internet', policies: [], policyFindings: { errors: 0, warnings: 0, infos: 0, messages: [] } },
      ],
      edges: [
        { id: 'x->service:abc', from: 'x', to: 'service:abc', broken: false },
        { id: 'custom', from: 'x', to: 'nowhere', label: '' },
        { id: 'abc->gone', from: 'abc', to: 'gone', broken: true },
      ],
      sourceLabel: '',
    };
    assert.deepStrictEqual(roundTrip(graph), graph);
    assert.deepStrictEqual(roundTrip({ ...graph, objects: 0 }), { ...graph, objects: 0 });
    assert.deepStrictEqual(roundTrip({ nodes: [], edges: [], sourceLabel: 'none' }), { nodes: [], edges: [], sourceLabel: 'none' });
  });

  it('refuses a message that is not a compact graph, saying why', () => {
    const good = encodeGraph(examplesGraph('shop'));
    assert.throws(() => decodeGraph({ ...good, format: 2 as 1 }), /format 2/);
    assert.throws(() => decodeGraph({ ...good, nodes: good.nodes.slice(0, 2) }), /cut short/);
    assert.throws(() => decodeGraph({ ...good, strings: [] }), /no string/);
    assert.throws(() => decodeGraph({ ...good, texts: good.texts.slice(0, 5) }), /texts are cut short/);
    assert.throws(() => decodeGraph({ ...good, texts: [...good.texts, 'extra'] }), /texts left over/);
    assert.throws(() => decodeGraph({ ...good, edges: [0, 99_999, 0] }), /no node 99999/);
    assert.throws(() => decodeGraph({ ...good, badges: [] }), /no badge/);
  });
});
