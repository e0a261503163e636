// What the inspector's view is made of, shared by the webview, the editor host
// and the CLI: pure functions of the graph the core builds (src/protocol's
// TopologyGraph), with no import of the core. The webview imports only this
// folder and src/protocol (lint keeps it so).
export type { SliceOptions } from './slices';
export { runInSlices, runToEnd } from './slices';
export { visibleGraph, hasFindings } from './simplify';
export type { ViewOptions, VisibleEdge, VisibleGraph, VisibleNode } from './simplify';
export { layoutGraph, COLUMN_TITLES, NODE_WIDTH, NODE_HEIGHT, COLUMN_GAP, ROW_GAP, DOWN_RANK_GAP, DOWN_ROW_GAP } from './layout';
export type { Layout, LayoutDirection, LayoutOptions, Placement } from './layout';
export { indexGraph, indexGraphInSlices, pairTraceView, reach, traceDestinations, traceViewFor, traceViewForQuestions, withoutRepeats } from './trace-view';
export type { ExplainedQuestion, GraphIndex, TraceLike, TraceViewOptions } from './trace-view';
export { applyGraphPatch, diffGraphs, diffGraphsInSlices, isEmptyPatch } from './graph-diff';
