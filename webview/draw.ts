// A first drawing of the topology: one column per node kind, left to right in
// the order a request travels, straight links between them. Every string from
// a manifest goes through d3's .text(), never through HTML.
import * as d3 from 'd3';
import type { TopologyGraph, TopologyNode, TopologyNodeKind } from '../src/protocol';

const COLUMN_ORDER: TopologyNodeKind[] = ['entry', 'ingress', 'service', 'endpoints', 'workload', 'missing', 'pod', 'node'];
const NODE_WIDTH = 200;
const NODE_HEIGHT = 44;
const COLUMN_GAP = 120;
const ROW_GAP = 16;
const MARGIN = 24;

interface Placed extends TopologyNode {
  x: number;
  y: number;
}

export function drawGraph(root: HTMLElement, graph: TopologyGraph): { nodes: number; edges: number } {
  const columns = new Map<number, TopologyNode[]>();
  for (const node of graph.nodes) {
    // 'missing' shares the workloads' column: it stands where the Pods should be.
    const kind = node.kind === 'missing' ? 'workload' : node.kind;
    const column = COLUMN_ORDER.indexOf(kind);
    (columns.get(column) ?? columns.set(column, []).get(column)!).push(node);
  }
  const used = [...columns.keys()].sort((a, b) => a - b);
  const placed = new Map<string, Placed>();
  used.forEach((column, i) => {
    columns.get(column)!.forEach((node, row) => {
      placed.set(node.id, { ...node, x: MARGIN + i * (NODE_WIDTH + COLUMN_GAP), y: MARGIN + 28 + row * (NODE_HEIGHT + ROW_GAP) });
    });
  });
  const edges = graph.edges.filter((e) => placed.has(e.from) && placed.has(e.to));
  const rows = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const width = MARGIN * 2 + Math.max(1, used.length) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP;
  const height = MARGIN * 2 + 28 + rows * (NODE_HEIGHT + ROW_GAP);

  const container = d3.select(root);
  container.selectAll('*').remove();
  container.append('div').attr('class', 'source').text(graph.sourceLabel);
  if (graph.nodes.length === 0) {
    container.append('p').attr('class', 'empty').text('No Services or workloads in this file.');
  }
  const svg = container
    .append('svg')
    .attr('class', 'topology')
    .attr('role', 'img')
    .attr('aria-label', `Network topology: ${graph.nodes.length} objects`)
    .attr('width', width)
    .attr('height', height);

  const edgeGroup = svg.append('g').attr('class', 'edges');
  const edgeSel = edgeGroup
    .selectAll('g.edge-group')
    .data(edges)
    .join('g')
    .attr('class', 'edge-group');
  edgeSel
    .append('path')
    .attr('class', (e) => (e.broken ? 'edge broken' : 'edge'))
    .attr('data-id', (e) => e.id)
    .attr('d', (e) => {
      const a = placed.get(e.from)!;
      const b = placed.get(e.to)!;
      const x1 = a.x + NODE_WIDTH;
      const y1 = a.y + NODE_HEIGHT / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_HEIGHT / 2;
      const mid = (x1 + x2) / 2;
      return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
    });
  edgeSel
    .filter((e) => Boolean(e.label))
    .append('text')
    .attr('class', 'edge-label')
    .attr('x', (e) => (placed.get(e.from)!.x + NODE_WIDTH + placed.get(e.to)!.x) / 2)
    .attr('y', (e) => (placed.get(e.from)!.y + placed.get(e.to)!.y + NODE_HEIGHT) / 2 - 6)
    .attr('text-anchor', 'middle')
    .text((e) => e.label ?? '');

  const nodeSel = svg
    .append('g')
    .attr('class', 'nodes')
    .selectAll('g.node')
    .data([...placed.values()])
    .join('g')
    .attr('class', (n) => `node ${n.kind}`)
    .attr('data-id', (n) => n.id)
    .attr('data-kind', (n) => n.kind)
    .attr('transform', (n) => `translate(${n.x},${n.y})`);
  nodeSel.append('rect').attr('width', NODE_WIDTH).attr('height', NODE_HEIGHT).attr('rx', 4);
  nodeSel.append('text').attr('class', 'label').attr('x', 10).attr('y', 18).text((n) => n.label);
  nodeSel
    .append('text')
    .attr('class', 'detail')
    .attr('x', 10)
    .attr('y', 34)
    .text((n) => n.detail ?? '');
  nodeSel.append('title').text((n) => [`${n.kind} ${n.namespace ? n.namespace + '/' : ''}${n.label}`, ...(n.findings?.messages ?? [])].join('\n'));

  return { nodes: placed.size, edges: edges.length };
}
