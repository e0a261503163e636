// The examples/shop manifests through the real pipeline (parser, analysis,
// topology), for the webview tests: the graph the extension would post.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopologyGraph } from '../../src/protocol';
import { Analysis } from '../../src/core/analysis';
import { buildTopologyGraph } from '../../src/core/topology';
import type { ModelIndex } from '../../src/core/model/model-index';

export interface ShopGraph {
  graph: TopologyGraph;
  index: ModelIndex;
  analysis: Analysis;
}

export function shopGraph(root = process.cwd()): ShopGraph {
  const dir = join(root, 'examples', 'shop');
  const analysis = new Analysis();
  for (const f of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    analysis.setFile(`examples/shop/${f}`, readFileSync(join(dir, f), 'utf8'));
  }
  const index = analysis.index();
  const graph = buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'examples/shop' });
  return { graph, index, analysis };
}

export function nodeIdOf(graph: TopologyGraph, kind: string, label: string): string {
  const n = graph.nodes.find((x) => x.kind === kind && x.label === label);
  if (!n) throw new Error(`no ${kind} node labelled ${label} in the shop graph`);
  return n.id;
}
