// The inspector's graph built from the model, and the questions its nodes ask
// of the trace engine. Simplifying, laying out and overlaying traces on the
// graph is the view model's (src/view-model), which the webview shares.
export { buildTopologyGraph, buildTopologyGraphInSlices, INTERNET_ID, portMapping } from './build-graph';
export type { GraphOptions } from './build-graph';
export { traceOptionsForNode, traceQuestionsForNode, traceQuestionsForRequest, ingressNodeUrl, nodeForTarget } from './trace-target';
export type { TraceQuestion, TraceTarget } from './trace-target';
export { traceQuestionsForPair, sampleAddress } from './pair-questions';
export { egressView, OUTSIDE_ID, outsideNodeId, destinationOfNode } from './egress';
export type { EgressView } from './egress';
export { egressRuleHover, egressRuleLenses, egressRuleTraces, egressSource } from './egress-rules';
export type { EgressMark, EgressRuleLens, EgressRuleTrace } from './egress-rules';
export { podRuleLenses } from './pod-rules';
export type { PodRuleLens } from './pod-rules';
export { explainNode, questionsForNode, questionsForTarget, runTrace } from './explain';
export type { DrawnGraph, TraceSettings } from './explain';
export { clusterSourceLabel, emptyClusterModel, filesSourceLabel } from './source-label';
