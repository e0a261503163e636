// The inspector's graph: built from the model, simplified for the view, laid
// out in columns, and overlaid with traces.
export { buildTopologyGraph, buildTopologyGraphInSlices, INTERNET_ID, portMapping } from './build-graph';
export type { GraphOptions } from './build-graph';
export type { SliceOptions } from './slices';
export { visibleGraph, hasFindings } from './simplify';
export type { ViewOptions, VisibleEdge, VisibleGraph, VisibleNode } from './simplify';
export { layoutGraph, COLUMN_TITLES, NODE_WIDTH, NODE_HEIGHT, COLUMN_GAP, ROW_GAP } from './layout';
export type { Layout, Placement } from './layout';
export { indexGraph, indexGraphInSlices, reach, traceViewFor } from './trace-view';
export type { GraphIndex, TraceLike } from './trace-view';
export { applyGraphPatch, diffGraphs, diffGraphsInSlices, isEmptyPatch } from './graph-diff';
export { traceOptionsForNode, ingressNodeUrl, nodeForTarget } from './trace-target';
export type { TraceTarget } from './trace-target';
