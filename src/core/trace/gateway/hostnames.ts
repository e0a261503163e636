// Gateway API hostnames (listener `hostname`, route `hostnames`): a name
// prefixed with the wildcard label "*." is a suffix match over one or more
// labels: "*.example.com" matches "a.example.com" and "a.b.example.com", never
// "example.com" (unlike Ingress, whose wildcard covers exactly one label).
// A listener and a route share the hosts both would accept (their
// intersection); the more specific hostname wins, exact over wildcard, longer
// over shorter.

/** Whether `pattern` (a listener or route hostname) accepts the request's host. */
export function hostnameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  const suffix = p.slice(1);
  return h.endsWith(suffix) && h.length > suffix.length;
}

/**
 * The hostname both a listener (undefined: any) and a route hostname accept,
 * or undefined when they share none. `*.example.com` with `foo.example.com`
 * gives `foo.example.com`; `*.example.com` with `*.foo.example.com` gives the
 * latter.
 */
export function intersectHostname(listener: string | undefined, route: string): string | undefined {
  if (listener === undefined) return route;
  const l = listener.toLowerCase();
  const r = route.toLowerCase();
  if (l === r) return r;
  const lw = l.startsWith('*.');
  const rw = r.startsWith('*.');
  if (lw && !rw) return hostnameMatches(l, r) ? r : undefined;
  if (rw && !lw) return hostnameMatches(r, l) ? l : undefined;
  if (lw && rw) {
    // Both wildcards: the longer one when it lies under the shorter.
    if (r.endsWith(l.slice(1))) return r;
    if (l.endsWith(r.slice(1))) return l;
  }
  return undefined;
}

/**
 * The hostnames a route attached to a listener serves: the intersection of
 * both lists; `undefined` means every host (neither sets any). An empty list
 * means they share none (the route does not attach).
 */
export function effectiveHostnames(listener: string | undefined, routeHostnames: readonly string[]): string[] | undefined {
  if (routeHostnames.length === 0) return listener === undefined ? undefined : [listener];
  const out: string[] = [];
  for (const h of routeHostnames) {
    const i = intersectHostname(listener, h);
    if (i !== undefined && !out.includes(i)) out.push(i);
  }
  return out;
}

/**
 * How specifically a hostname list accepts a host, for precedence: the
 * characters of the matching exact hostname, then of the matching hostname
 * (a wildcard's count its "*." too). Undefined when none matches; [0, 0]
 * for "every host".
 */
export function hostnameSpecificity(hostnames: readonly string[] | undefined, host: string): [number, number] | undefined {
  if (hostnames === undefined) return [0, 0];
  let best: [number, number] | undefined;
  for (const h of hostnames) {
    if (!hostnameMatches(h, host)) continue;
    const score: [number, number] = [h.startsWith('*.') ? 0 : h.length, h.length];
    if (!best || compareScores(score, best) > 0) best = score;
  }
  return best;
}

/** Lexicographic comparison of two equal-length score vectors (positive: a is greater). */
export function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
