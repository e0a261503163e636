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

/** `edit` changes a file's text before it is read (a variant of the example). */
export function shopGraph(root = process.cwd(), edit: (file: string, text: string) => string = (_, text) => text): ShopGraph {
  const dir = join(root, 'examples', 'shop');
  const analysis = new Analysis();
  for (const f of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    analysis.setFile(`examples/shop/${f}`, edit(f, readFileSync(join(dir, f), 'utf8')));
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

/**
 * The shop with frontend's readiness probe fixed (it names the port the
 * container declares): its Pods become Ready, so a request to frontend is
 * decided by the NetworkPolicy, which admits the Ingress controller only.
 */
export function shopWithReadyFrontend(root = process.cwd()): ShopGraph {
  return shopGraph(root, (file, text) => (file === '20-frontend.yaml' ? text.replace('port: health', 'port: http') : text));
}
