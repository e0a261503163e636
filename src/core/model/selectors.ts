// Label selectors with Kubernetes semantics (k8s.io/apimachinery labels.Selector):
// every matchLabels pair AND every matchExpressions requirement must hold.
//   In            the key is present and its value is one of the values
//   NotIn         the key is absent, or its value is none of the values
//   Exists        the key is present (any value)
//   DoesNotExist  the key is absent
// An empty selector (no pairs, no requirements) matches everything; whether
// "everything" or "nothing" is meant is up to the caller (a Service with an
// empty selector has no selector at all; a NetworkPolicy's selects all Pods).
import type { LabelSelector, Labels, SelectorRequirement } from './types';

export function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  for (const key in sel.matchLabels) {
    if (!Object.prototype.hasOwnProperty.call(sel.matchLabels, key)) continue;
    if (!hasLabel(labels, key) || labels[key] !== sel.matchLabels[key]) return false;
  }
  for (const req of sel.matchExpressions) {
    if (!requirementMatches(req, labels)) return false;
  }
  return true;
}

export function requirementMatches(req: SelectorRequirement, labels: Labels): boolean {
  const present = hasLabel(labels, req.key);
  switch (req.operator) {
    case 'In':
      return present && req.values.includes(labels[req.key]);
    case 'NotIn':
      return !present || !req.values.includes(labels[req.key]);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      // An operator the API does not know never matches (the API server rejects it).
      return false;
  }
}

export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  if (!sel) return true;
  for (const key in sel.matchLabels) {
    if (Object.prototype.hasOwnProperty.call(sel.matchLabels, key)) return false;
  }
  return sel.matchExpressions.length === 0;
}

/** "app=cart, tier in (a,b), !debug"; an empty selector is "(everything)". */
export function formatSelector(sel: LabelSelector): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels)) parts.push(`${k}=${v}`);
  for (const req of sel.matchExpressions) parts.push(formatRequirement(req));
  return parts.length === 0 ? '(everything)' : parts.join(', ');
}

export function formatRequirement(req: SelectorRequirement): string {
  switch (req.operator) {
    case 'In':
      return `${req.key} in (${req.values.join(',')})`;
    case 'NotIn':
      return `${req.key} notin (${req.values.join(',')})`;
    case 'Exists':
      return req.key;
    case 'DoesNotExist':
      return `!${req.key}`;
    default:
      return `${req.key} ${String(req.operator)} (${req.values.join(',')})`;
  }
}

/** "app=carts, name=carts" (sorted by key), or "(no labels)". */
export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '(no labels)';
  return keys.map((k) => `${k}=${labels[k]}`).join(', ');
}

/** A selector from a plain map (a Service selector, an RC's spec.selector). */
export function selectorFromMap(map: Labels): LabelSelector {
  return { matchLabels: map, matchExpressions: [] };
}

/** The selector without requirements on the given label keys (config `ignoreLabelKeys`). */
export function withoutKeys(sel: LabelSelector, keys: ReadonlySet<string>): LabelSelector {
  if (keys.size === 0) return sel;
  let touched = false;
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.matchLabels)) {
    if (keys.has(k)) touched = true;
    else matchLabels[k] = v;
  }
  const matchExpressions = sel.matchExpressions.filter((r) => !keys.has(r.key));
  if (matchExpressions.length !== sel.matchExpressions.length) touched = true;
  return touched ? { ...sel, matchLabels, matchExpressions } : sel;
}

/** The labels without the given keys. */
export function labelsWithoutKeys(labels: Labels, keys: ReadonlySet<string>): Labels {
  if (keys.size === 0) return labels;
  let touched = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (keys.has(k)) touched = true;
    else out[k] = v;
  }
  return touched ? out : labels;
}

function hasLabel(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}
