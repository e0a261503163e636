// What the inspector's panel explains for a node or a target: the trace
// engine's answers to the node's questions, overlaid on the drawn graph. The
// extension's inspector host and the language server answer with this one
// function, so a hover reads the same in both.
import type { ModelIndex } from '../model/model-index';
import { traceRequest } from '../trace';
import type { TraceOptions, TraceResult } from '../trace/types';
import type { TopologyGraph, TraceView } from '../../protocol';
import { traceViewFor, traceViewForQuestions, type GraphIndex, type TraceLike } from '../../view-model';
import { INTERNET_ID } from './build-graph';
import { nodeForTarget, traceQuestionsForNode, traceQuestionsForRequest, type TraceQuestion, type TraceTarget } from './trace-target';
import { traceQuestionsForPair } from './pair-questions';

/** The user's settings a trace reads: the kube-proxy mode whose rules it prints, the domain DNS names resolve under. */
export interface TraceSettings {
  proxyMode: TraceOptions['proxyMode'];
  clusterDomain?: string;
}

/** A drawn graph and the model it was built from. */
export interface DrawnGraph {
  index: ModelIndex;
  graph: TopologyGraph;
}

/** The node a target starts at, with its questions (the request asked for first); or why there is none. */
export function questionsForTarget(drawn: DrawnGraph, graphIndex: GraphIndex, target: TraceTarget): { nodeId: string; questions: TraceQuestion[] } | { problem: string } {
  const found = nodeForTarget(drawn.graph, drawn.index, target);
  if (!found) return { problem: `${'serviceId' in target ? 'that Service' : 'url' in target ? target.url : 'that workload'} is not in the inspector's model.` };
  // A request from outside starts at the Internet when its entry is not drawn; one from a workload (egress, Pod to Pod) only at that workload.
  const nodeId = found.nodeId ?? (!found.question && graphIndex.byId.has(INTERNET_ID) ? INTERNET_ID : undefined);
  if (!nodeId) return { problem: 'the inspector does not draw the start of that request.' };
  // The request asked for, lighting its own path; the one from outside beside it when its verdict differs.
  return { nodeId, questions: found.question ? [found.question] : traceQuestionsForRequest(graphIndex.byId.get(nodeId), drawn.graph, drawn.index, found.options) };
}

/**
 * A node's questions (what its hover explains), or those from it to another
 * drawn node (egress to the world outside, Pod to Pod); undefined for a node
 * not in the graph.
 */
export function questionsForNode(drawn: DrawnGraph, graphIndex: GraphIndex, nodeId: string, toId?: string): TraceQuestion[] | undefined {
  const node = graphIndex.byId.get(nodeId);
  if (!node) return undefined;
  if (toId === undefined) return traceQuestionsForNode(node, drawn.graph, drawn.index);
  const to = graphIndex.byId.get(toId);
  return to ? traceQuestionsForPair(node, to, drawn.index) : undefined;
}

/**
 * The panel's trace of a node: the request whose path is lit, and another
 * client's beside it when its verdict differs. A node that starts no request
 * gets the topology's paths alone.
 */
export function explainNode(drawn: DrawnGraph, graphIndex: GraphIndex, nodeId: string, questions: readonly TraceQuestion[], settings: TraceSettings): TraceView | undefined {
  if (questions.length === 0) return traceViewFor(drawn.graph, nodeId, undefined, graphIndex);
  try {
    const answers = questions.map((question) => ({ question, trace: runTrace(drawn.index, question.options, settings) as TraceLike }));
    return traceViewForQuestions(drawn.graph, nodeId, answers, graphIndex);
  } catch {
    // The engine failed on one of them: the first question alone, which says so.
    return explainOne(drawn, graphIndex, nodeId, questions[0].options, settings);
  }
}

/** One request's trace over the drawn graph; when the engine fails, the topology's paths with the reason. */
function explainOne(drawn: DrawnGraph, graphIndex: GraphIndex, nodeId: string, options: TraceOptions, settings: TraceSettings): TraceView | undefined {
  let result: TraceLike;
  try {
    result = runTrace(drawn.index, options, settings);
  } catch (err) {
    // Say so in the panel rather than show a topology-only path as if nothing happened.
    const view = traceViewFor(drawn.graph, nodeId, undefined, graphIndex);
    if (view) view.reason = `The trace engine failed (${err instanceof Error ? err.message : String(err)}); showing the topology only.`;
    return view;
  }
  // The graph's index is built once per graph: building it per trace took as long as the trace at 20,000 Pods.
  return traceViewFor(drawn.graph, nodeId, result, graphIndex);
}

/** The trace engine on a question, with the user's settings. */
export function runTrace(index: ModelIndex, options: TraceOptions, settings: TraceSettings): TraceResult {
  return traceRequest(index.model, index, { ...options, proxyMode: settings.proxyMode, ...(settings.clusterDomain ? { clusterDomain: settings.clusterDomain } : {}) });
}
