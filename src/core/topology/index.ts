// The inspector's graph: built from the model, simplified for the view, laid
// out in columns, and overlaid with traces.
export { buildTopologyGraph, buildTopologyGraphInSlices, INTERNET_ID, portMapping } from './build-graph';
export type { GraphOptions } from './build-graph';
export type { SliceOptions } from './slices';
export { visibleGraph, hasFindings } from './simplify';
export type { ViewOptions, VisibleEdge, VisibleGraph, VisibleNode } from './simplify';
export { layoutGraph, COLUMN_TITLES, NODE_WIDTH, NODE_HEIGHT, COLUMN_GAP, ROW_GAP, DOWN_RANK_GAP, DOWN_ROW_GAP } from './layout';
export type { Layout, LayoutDirection, LayoutOptions, Placement } from './layout';
export { indexGraph, indexGraphInSlices, reach, traceViewFor, traceViewForQuestions, withoutRepeats } from './trace-view';
export type { GraphIndex, TraceLike, TraceViewOptions } from './trace-view';
export { applyGraphPatch, diffGraphs, diffGraphsInSlices, isEmptyPatch } from './graph-diff';
export { traceOptionsForNode, traceQuestionsForNode, traceQuestionsForRequest, ingressNodeUrl, nodeForTarget } from './trace-target';
export type { TraceQuestion, TraceTarget } from './trace-target';
