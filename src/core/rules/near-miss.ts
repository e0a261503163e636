// "Did you mean": workloads whose pod labels almost match a selector that
// matches nothing.
//
// A workload in the selector's namespace is a near miss when every selector
// requirement holds except exactly one matchLabels pair, and for that pair
//   'value'   the workload has the key with a similar value (a typo: at most
//             2 edits and fewer than half the length, see similarNames),
//   'key'     the workload lacks the key but has a similar key with the
//             selector's value,
//   'missing' the workload lacks the key altogether while matching at least
//             one other pair of the selector (reported, never fixed).
// Workloads are counted once per namespace/kind/name. A fix is offered only
// for exactly one 'value' near miss: then changing the selector's value to
// the workload's is clearly the edit meant.
import { requirementMatches } from '../model/selectors';
import { uniqueWorkloads, type ModelIndex } from '../model/model-index';
import type { LabelSelector, Workload } from '../model/types';
import { similarNames } from './context';

export interface NearMiss {
  workload: Workload;
  kind: 'value' | 'key' | 'missing';
  /** The selector's key that does not hold. */
  key: string;
  /** The selector's value for it. */
  expected: string;
  /** The workload's key and value instead (for 'value' and 'key'). */
  actualKey?: string;
  actualValue?: string;
}

export function nearMisses(index: ModelIndex, namespace: string, selector: LabelSelector): NearMiss[] {
  const pairs = Object.entries(selector.matchLabels).filter(([k]) => !index.ignoreLabelKeys.has(k));
  if (pairs.length === 0) return [];
  const requirements = selector.matchExpressions.filter((r) => !index.ignoreLabelKeys.has(r.key));
  const out: NearMiss[] = [];
  // Every workload of the namespace is compared (a re-analysis does it for each changed selector that matches nothing): nothing is allocated per workload.
  for (const w of uniqueWorkloads(index.workloadsIn(namespace))) {
    const labels = index.podLabels(w);
    let holds = true;
    for (const r of requirements) {
      if (!requirementMatches(r, labels)) {
        holds = false;
        break;
      }
    }
    if (!holds) continue;
    let key = '';
    let expected = '';
    let misses = 0;
    for (const [k, v] of pairs) {
      if (labels[k] !== v || !Object.prototype.hasOwnProperty.call(labels, k)) {
        misses++;
        key = k;
        expected = v;
      }
    }
    if (misses !== 1) continue;
    if (Object.prototype.hasOwnProperty.call(labels, key)) {
      if (similarNames(expected, labels[key])) out.push({ workload: w, kind: 'value', key, expected, actualKey: key, actualValue: labels[key] });
      continue;
    }
    const similarKey = Object.keys(labels).find((k) => labels[k] === expected && similarNames(k, key));
    if (similarKey !== undefined) out.push({ workload: w, kind: 'key', key, expected, actualKey: similarKey, actualValue: expected });
    else if (pairs.length >= 2) out.push({ workload: w, kind: 'missing', key, expected });
  }
  return out;
}

/** "Deployment shop/carts has app=carts" and the like. */
export function describeNearMiss(n: NearMiss): string {
  const w = `${n.workload.kind} ${n.workload.namespace}/${n.workload.name}`;
  switch (n.kind) {
    case 'value':
      return `${w} has ${n.key}=${n.actualValue}`;
    case 'key':
      return `${w} has ${n.actualKey}=${n.actualValue} (not ${n.key})`;
    case 'missing':
      return `${w} matches except that it has no ${n.key} label`;
  }
}
