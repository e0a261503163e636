// Which Ingress backend a URL reaches (networking.k8s.io/v1 semantics):
// - Host: an exact host matches itself; "*.example.com" matches exactly one
//   more label ("a.example.com", not "example.com" nor "a.b.example.com"); a
//   rule without host matches any host. Exact hosts win over wildcards, which
//   win over host-less rules.
// - Path: Exact compares the whole path (case-sensitive, trailing slash
//   significant); Prefix compares element by element split on "/", ignoring
//   a trailing slash ("/foo" matches "/foo", "/foo/", "/foo/bar", never
//   "/foobar"); ImplementationSpecific is up to the IngressClass, treated
//   here as Prefix and said so.
// - Among matching paths the longest wins; on a tie Exact beats Prefix.
// - No path matches: the Ingress's defaultBackend, else the controller's own
//   default backend (a 404).
import type { BackendRef, Ingress, IngressPath, IngressRule, NetworkModel } from '../model/types';

export interface IngressMatch {
  ingress: Ingress;
  rule?: IngressRule;
  path?: IngressPath;
  backend: BackendRef;
  /** How the host matched: exact, wildcard, any (rule without host), default (defaultBackend). */
  hostMatch: 'exact' | 'wildcard' | 'any' | 'default';
  tls?: { secretName?: string };
  notes: string[];
}

export interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port?: number;
  path: string;
}

export function parseUrl(text: string): ParsedUrl | undefined {
  // After the host and port, only a path, a query or a fragment ("http://shop:http/" is no URL); an IPv6 host in brackets.
  const m = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[^/:?#[\]]+)(?::(\d+))?(\/[^?#]*)?(?:[?#].*)?$/i.exec(text.trim());
  if (!m) return undefined;
  return { scheme: m[1].toLowerCase() as 'http' | 'https', host: m[2].toLowerCase(), port: m[3] ? Number(m[3]) : undefined, path: m[4] ?? '/' };
}

export function hostMatches(ruleHost: string | undefined, host: string): 'exact' | 'wildcard' | 'any' | undefined {
  if (ruleHost === undefined || ruleHost === '') return 'any';
  const h = ruleHost.toLowerCase();
  if (h.startsWith('*.')) {
    const suffix = h.slice(1); // ".example.com"
    if (!host.endsWith(suffix)) return undefined;
    const head = host.slice(0, host.length - suffix.length);
    return head.length > 0 && !head.includes('.') ? 'wildcard' : undefined;
  }
  return h === host ? 'exact' : undefined;
}

/** Whether `path` (the request) matches an Ingress path; the matched length for precedence, or undefined. */
export function pathMatches(p: IngressPath, path: string): number | undefined {
  if (p.pathType === 'Exact') return p.path === path ? p.path.length : undefined;
  // Prefix (and ImplementationSpecific, treated as Prefix).
  const want = elements(p.path);
  const got = elements(path);
  if (want.length > got.length) return undefined;
  for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) return undefined;
  return p.path.replace(/\/+$/, '').length;
}

function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

export interface IngressMatchResult {
  match?: IngressMatch;
  /** Why there is no match: nothing matches (the controller answers 404), or several defaultBackends compete. */
  failure?: 'not-found' | 'ambiguous';
  reason?: string;
  considered: Ingress[];
}

export function matchIngress(model: NetworkModel, url: ParsedUrl): IngressMatchResult {
  const tiers: ('exact' | 'wildcard' | 'any')[] = ['exact', 'wildcard', 'any'];
  const considered = new Set<Ingress>();
  for (const tier of tiers) {
    let best: { ing: Ingress; rule: IngressRule; path: IngressPath; len: number } | undefined;
    for (const ing of model.ingresses) {
      for (const rule of ing.rules) {
        if (hostMatches(rule.host, url.host) !== tier) continue;
        considered.add(ing);
        for (const p of rule.paths) {
          const len = pathMatches(p, url.path);
          if (len === undefined) continue;
          if (!best || len > best.len || (len === best.len && p.pathType === 'Exact' && best.path.pathType !== 'Exact')) {
            best = { ing, rule, path: p, len };
          }
        }
      }
    }
    if (best) {
      const notes: string[] = [];
      if (best.path.pathType === 'ImplementationSpecific') {
        notes.push(`pathType ImplementationSpecific: its meaning is up to the IngressClass's controller; treated as Prefix`);
      }
      return { match: { ingress: best.ing, rule: best.rule, path: best.path, backend: best.path.backend, hostMatch: tier, tls: tlsFor(best.ing, url.host), notes }, considered: [...considered] };
    }
  }
  // No rule's path matched: a defaultBackend of an Ingress whose hosts matched, else of any Ingress.
  const withDefault = [...considered].filter((i) => i.defaultBackend);
  const anyDefault = withDefault.length > 0 ? withDefault : model.ingresses.filter((i) => i.defaultBackend);
  if (anyDefault.length === 1) {
    const ing = anyDefault[0];
    return { match: { ingress: ing, backend: ing.defaultBackend!, hostMatch: 'default', tls: tlsFor(ing, url.host), notes: [] }, considered: [...considered] };
  }
  if (anyDefault.length > 1) {
    return {
      failure: 'ambiguous',
      reason: `no rule matches ${url.host}${url.path}, and ${anyDefault.length} Ingresses (${anyDefault.map((i) => `${i.namespace}/${i.name}`).join(', ')}) set a defaultBackend: which one answers depends on the controller`,
      considered: [...considered],
    };
  }
  return { failure: 'not-found', reason: `no Ingress rule matches host ${url.host} and path ${url.path}, and no Ingress sets a defaultBackend: the controller answers 404 itself`, considered: [...considered] };
}

function tlsFor(ing: Ingress, host: string): { secretName?: string } | undefined {
  for (const t of ing.tls) {
    if (t.hosts.some((h) => hostMatches(h, host) === 'exact' || hostMatches(h, host) === 'wildcard')) return { secretName: t.secretName };
  }
  return undefined;
}
