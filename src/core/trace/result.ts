// The small pieces every path builds its result from.
import type { TraceEndpoint, TraceHop, TraceResult } from './types';

/** A trace that stops before the end: where and why. */
export function unresolved(reason: string, hops: TraceHop[], endpoints: TraceEndpoint[] = []): TraceResult {
  return { verdict: 'unresolved', reason, hops, endpoints };
}

/** Probabilities to ten places: enough for kube-proxy's, and stable in JSON. */
export function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

export function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** Conditions as sentences of one reason: the first as written (reasons start in lower case), the others capitalised. */
export function conditionSentences(conditions: string[]): string {
  return conditions.map((c, i) => (i === 0 ? c : c.charAt(0).toUpperCase() + c.slice(1))).join('. ');
}
