// Labels a controller puts on each Pod it creates, which no pod template
// shows: a StatefulSet's `statefulset.kubernetes.io/pod-name: web-0` and
// `apps.kubernetes.io/pod-index: "0"`, a Deployment's `pod-template-hash`, a
// Job's `batch.kubernetes.io/job-name`... A selector may name them (Helm
// charts select one StatefulSet Pod by its pod-name; redis-ha and argo-cd do),
// so matching a selector against a template's labels alone would report a
// Service that selects a real Pod as selecting nothing. Such requirements are
// judged here: against the Pods' own labels where they are known (a cluster),
// else against what the controller would write; a value that cannot be known
// (a template hash) never rules a workload out.
import type { LabelSelector, SelectorRequirement, Workload } from './types';
import { selectorMatches } from './selectors';

/** The keys, and which workload kinds' controllers write them. */
const CONTROLLER_KEYS: Readonly<Record<string, readonly Workload['kind'][]>> = {
  'statefulset.kubernetes.io/pod-name': ['StatefulSet'],
  'apps.kubernetes.io/pod-index': ['StatefulSet'],
  'controller-revision-hash': ['StatefulSet', 'DaemonSet'],
  'pod-template-generation': ['DaemonSet'],
  'pod-template-hash': ['Deployment', 'ReplicaSet'],
  'batch.kubernetes.io/job-name': ['Job', 'CronJob'],
  'job-name': ['Job', 'CronJob'],
  'batch.kubernetes.io/controller-uid': ['Job', 'CronJob'],
  'controller-uid': ['Job', 'CronJob'],
  'batch.kubernetes.io/job-completion-index': ['Job', 'CronJob'],
};

export interface SplitSelector {
  /** The selector without the controller-written keys. */
  rest: LabelSelector;
  /** The requirements on controller-written keys (matchLabels as In with one value). */
  controller: SelectorRequirement[];
}

/** Splits off the requirements on controller-written keys; undefined when the selector has none. */
export function splitControllerRequirements(sel: LabelSelector): SplitSelector | undefined {
  let controller: SelectorRequirement[] | undefined;
  for (const k of Object.keys(sel.matchLabels)) if (k in CONTROLLER_KEYS) (controller ??= []).push({ key: k, operator: 'In', values: [sel.matchLabels[k]] });
  for (const r of sel.matchExpressions) if (r.key in CONTROLLER_KEYS) (controller ??= []).push(r);
  if (!controller) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.matchLabels)) if (!(k in CONTROLLER_KEYS)) matchLabels[k] = v;
  return { rest: { ...sel, matchLabels, matchExpressions: sel.matchExpressions.filter((r) => !(r.key in CONTROLLER_KEYS)) }, controller };
}

/** Whether some Pod of the workload may carry labels meeting every requirement (the rest of the selector already matched). */
export function controllerLabelsAllow(w: Workload, requirements: readonly SelectorRequirement[]): boolean {
  // Pods read from a cluster carry the labels themselves.
  const known = w.pods.filter((p) => requirements.every((r) => r.key in p.labels || r.operator === 'NotIn' || r.operator === 'DoesNotExist'));
  if (w.pods.length > 0 && known.length === w.pods.length) {
    const sel: LabelSelector = { matchLabels: {}, matchExpressions: [...requirements] };
    return w.pods.some((p) => selectorMatches(sel, p.labels));
  }
  return requirements.every((r) => requirementPossible(w, r));
}

function requirementPossible(w: Workload, r: SelectorRequirement): boolean {
  const writes = CONTROLLER_KEYS[r.key]?.includes(w.kind) ?? false;
  if (r.operator === 'DoesNotExist') return !writes;
  if (r.operator === 'NotIn') return true;
  if (!writes) return false;
  if (r.operator === 'Exists') return true;
  const values = possibleValues(w, r.key);
  // undefined: any value is possible (a hash, a uid).
  return values === undefined || r.values.some((v) => values(v));
}

/** A test for the values the controller may write for this workload, or undefined when any value may be written. */
function possibleValues(w: Workload, key: string): ((v: string) => boolean) | undefined {
  const n = w.replicas;
  const ordinal = (v: string) => /^(0|[1-9][0-9]*)$/.test(v) && (n === undefined || Number(v) < n);
  switch (key) {
    case 'statefulset.kubernetes.io/pod-name':
      return (v) => v.startsWith(`${w.name}-`) && ordinal(v.slice(w.name.length + 1));
    case 'apps.kubernetes.io/pod-index':
      return ordinal;
    case 'batch.kubernetes.io/job-name':
    case 'job-name':
      // A CronJob's Jobs are named after it with a suffix; a Job's Pods carry its own name.
      return w.kind === 'Job' ? (v) => v === w.name : (v) => v.startsWith(`${w.name}-`);
    default:
      return undefined;
  }
}
