// Three-valued logic (Kleene): an answer the set cannot decide is 'unknown',
// never silently 'yes' or 'no'. A namespace whose labels the manifests do not
// show, a client whose address was not given, a Pod whose IP is unknown.
export type Tri = 'yes' | 'no' | 'unknown';

export function triAnd(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'yes';
}

export function triOr(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'no';
}

export function triNot(a: Tri): Tri {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'unknown';
}

export function tri(b: boolean): Tri {
  return b ? 'yes' : 'no';
}
