// Which Gateway listener and which HTTPRoute rule a request reaches.
//
// Listener: the Gateway listeners on the URL's port whose protocol carries
// the scheme (http: HTTP; https: HTTPS, or TLS passthrough which HTTPRoutes
// never see) and whose hostname accepts the host; the most specific hostname
// wins (exact, then the longest wildcard, then none).
//
// Rule ("Matching precedence" of HTTPRouteRule), across every route attached
// to that listener: the route hostname that matches most specifically
// (characters of a matching exact hostname, then of a matching hostname),
// then an Exact path, then the longest PathPrefix, then a RegularExpression
// path (its rank is implementation-specific: placed last here, and said), a
// method match, the most header matches, the most query param matches. Ties
// across routes go to the oldest route, then "{namespace}/{name}" in
// alphabetical order; manifests carry no creation time, so the alphabetical
// order decides and the trace says so. Within a route the first rule and
// match in list order win.
import type { Gateway, GatewayListener, NetworkModel, Route, RouteMatch, RouteRule } from '../../model/types';
import { pathMatches } from '../ingress-match';
import { attachments, type Attachment } from './attach';
import { compareScores, hostnameMatches, hostnameSpecificity } from './hostnames';

export interface GatewayRequest {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  /** Query parameters in order of appearance (names are case-sensitive). */
  query: [string, string][];
  method: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
}

export interface ListenerChoice {
  gateway: Gateway;
  listener: GatewayListener;
  /** How the listener hostname matched: exact, wildcard, or any (no hostname). */
  hostMatch: 'exact' | 'wildcard' | 'any';
}

export interface RuleChoice {
  attachment: Attachment;
  route: Route;
  ruleIndex: number;
  rule: RouteRule;
  matchIndex: number;
  /** The match as applied (a rule without matches: PathPrefix "/"). */
  match: RouteMatch;
  /** Why this rule won over the others that matched too (empty when it alone matched). */
  precedence: string[];
}

export interface GatewayMatchResult {
  listener?: ListenerChoice;
  /** Other Gateways with a listener for this host and port: which one answers depends on DNS. */
  otherGateways: Gateway[];
  choice?: RuleChoice;
  /** GRPCRoutes attached to the listener (not matched against a URL). */
  grpcRoutes: Route[];
  /** Why nothing matched. */
  failure?: { status: 404 | 'no-listener'; reason: string };
}

const DEFAULT_MATCH: RouteMatch = { pathType: 'PathPrefix', path: '/' };

/** The request a URL makes (method GET, no headers unless given). */
export function requestOf(url: { scheme: 'http' | 'https'; host: string; port?: number; path: string }, raw: string, method?: string, headers?: Record<string, string>): GatewayRequest {
  const q = /\?([^#]*)/.exec(raw)?.[1] ?? '';
  const query: [string, string][] = q
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const dec = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return eq < 0 ? [dec(p), ''] : [dec(p.slice(0, eq)), dec(p.slice(eq + 1))];
    });
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) lower[k.toLowerCase()] = v;
  return { scheme: url.scheme, host: url.host, port: url.port ?? (url.scheme === 'https' ? 443 : 80), path: url.path, query, method: (method ?? 'GET').toUpperCase(), headers: lower };
}

function carries(protocol: string, scheme: 'http' | 'https'): boolean {
  return scheme === 'http' ? protocol === 'HTTP' : protocol === 'HTTPS' || protocol === 'TLS';
}

function listenerScore(l: GatewayListener, host: string): [number, number] | undefined {
  if (l.hostname === undefined) return [0, 0];
  if (!hostnameMatches(l.hostname, host)) return undefined;
  return l.hostname.startsWith('*.') ? [1, l.hostname.length] : [2, l.hostname.length];
}

/** The listener of each Gateway that takes the request, the best first (Gateways in namespace/name order). */
export function chooseListeners(model: NetworkModel, req: GatewayRequest): ListenerChoice[] {
  const byAddress = model.gateways.filter((g) => g.addresses.includes(req.host));
  const gateways = (byAddress.length > 0 ? byAddress : model.gateways).slice().sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const out: { choice: ListenerChoice; score: [number, number] }[] = [];
  for (const gateway of gateways) {
    let best: { choice: ListenerChoice; score: [number, number] } | undefined;
    for (const listener of gateway.listeners) {
      if (listener.port !== req.port || !carries(listener.protocol, req.scheme)) continue;
      const score = listenerScore(listener, req.host);
      if (!score) continue;
      if (!best || compareScores(score, best.score) > 0) {
        best = { choice: { gateway, listener, hostMatch: score[0] === 2 ? 'exact' : score[0] === 1 ? 'wildcard' : 'any' }, score };
      }
    }
    if (best) out.push(best);
  }
  // Stable: equally specific listeners keep the Gateways' alphabetical order.
  return out.sort((a, b) => compareScores(b.score, a.score)).map((x) => x.choice);
}

function headerMatches(m: RouteMatch, req: GatewayRequest): boolean {
  for (const h of m.headers ?? []) {
    const v = req.headers[h.name.toLowerCase()];
    if (v === undefined || !valueMatches(h.type, h.value, v)) return false;
  }
  return true;
}

function queryMatches(m: RouteMatch, req: GatewayRequest): boolean {
  for (const q of m.queryParams ?? []) {
    // Several values for one name: the first one counts (as the specification lets implementations do).
    const v = req.query.find(([k]) => k === q.name)?.[1];
    if (v === undefined || !valueMatches(q.type, q.value, v)) return false;
  }
  return true;
}

function valueMatches(type: 'Exact' | 'RegularExpression', want: string, got: string): boolean {
  if (type === 'Exact') return want === got;
  try {
    return new RegExp(`^(?:${want})$`).test(got);
  } catch {
    return false;
  }
}

/** The match's path score (tier, length), or undefined when the path does not match. */
function pathScore(m: RouteMatch, path: string): [number, number] | undefined {
  const type = m.pathType ?? 'PathPrefix';
  const value = m.path ?? '/';
  if (type === 'Exact') return value === path ? [3, value.length] : undefined;
  if (type === 'PathPrefix') {
    return pathMatches({ path: value, pathType: 'Prefix', backend: { service: '' } }, path) !== undefined ? [2, value.length] : undefined;
  }
  if (type === 'RegularExpression') return valueMatches('RegularExpression', value, path) ? [1, value.length] : undefined;
  return undefined;
}

interface Candidate {
  choice: RuleChoice;
  score: number[];
  routeKey: string;
}

/** The listener, and the rule of an attached HTTPRoute, a request reaches (`attached`: the set's attachments, when already computed). */
export function matchGateway(model: NetworkModel, req: GatewayRequest, attached: readonly Attachment[] = attachments(model)): GatewayMatchResult {
  const listeners = chooseListeners(model, req);
  if (listeners.length === 0) {
    return { otherGateways: [], grpcRoutes: [], failure: { status: 'no-listener', reason: noListenerReason(model, req) } };
  }
  const listener = listeners[0];
  const otherGateways = listeners.slice(1).map((l) => l.gateway);
  const onListener = attached.filter((a) => a.gateway === listener.gateway && a.listener === listener.listener);
  const grpcRoutes = onListener.filter((a) => a.route.kind === 'GRPCRoute').map((a) => a.route);
  const result: GatewayMatchResult = { listener, otherGateways, grpcRoutes };
  if (listener.listener.protocol === 'TLS') {
    result.failure = { status: 404, reason: `listener ${listener.listener.name} of Gateway ${listener.gateway.namespace}/${listener.gateway.name} is TLS ${listener.listener.tls?.mode ?? 'Passthrough'}: TLSRoutes carry it, not HTTPRoutes, and the set's TLSRoutes are not read` };
    return result;
  }
  const grpc = isGrpc(req);
  const kind = grpc ? 'GRPCRoute' : 'HTTPRoute';
  const candidates: Candidate[] = [];
  for (const att of onListener) {
    if (att.route.kind !== kind) continue;
    const host = hostnameSpecificity(att.hostnames, req.host);
    if (!host) continue;
    att.route.rules.forEach((rule, ruleIndex) => {
      const matches = rule.matches.length > 0 ? rule.matches : [grpc ? {} : DEFAULT_MATCH];
      matches.forEach((m, matchIndex) => {
        if (grpc) {
          const score = grpcScore(m, req);
          if (!score || !headerMatches(m, req)) return;
          candidates.push({ choice: { attachment: att, route: att.route, ruleIndex, rule, matchIndex, match: m, precedence: [] }, score: [...host, ...score, 0, m.headers?.length ?? 0, 0], routeKey: `${att.route.namespace}/${att.route.name}` });
          return;
        }
        const path = pathScore(m, req.path);
        if (!path) return;
        if (m.method !== undefined && m.method !== req.method) return;
        if (!headerMatches(m, req) || !queryMatches(m, req)) return;
        const score = [...host, ...path, m.method !== undefined ? 1 : 0, m.headers?.length ?? 0, m.queryParams?.length ?? 0];
        candidates.push({ choice: { attachment: att, route: att.route, ruleIndex, rule, matchIndex, match: m, precedence: [] }, score, routeKey: `${att.route.namespace}/${att.route.name}` });
      });
    });
  }
  if (candidates.length === 0) {
    const routes = onListener.filter((a) => a.route.kind === kind);
    result.failure = {
      status: 404,
      reason:
        routes.length === 0
          ? `no ${kind} is attached to listener ${listener.listener.name} of Gateway ${listener.gateway.namespace}/${listener.gateway.name}: the Gateway answers 404`
          : `no rule of the ${kind}s attached to listener ${listener.listener.name} (${routes.map((a) => `${a.route.namespace}/${a.route.name}`).join(', ')}) matches ${req.method} ${req.host}${req.path}${req.query.length > 0 ? ` with its query` : ''}: the Gateway answers 404`,
    };
    return result;
  }
  candidates.sort((a, b) => compareScores(b.score, a.score) || a.routeKey.localeCompare(b.routeKey) || a.choice.ruleIndex - b.choice.ruleIndex || a.choice.matchIndex - b.choice.matchIndex);
  const best = candidates[0];
  best.choice.precedence = precedenceNotes(best, candidates.slice(1));
  result.choice = best.choice;
  return result;
}

const CRITERIA = ['a more specific exact hostname', 'a more specific hostname', 'its path match type (Exact over PathPrefix over RegularExpression)', 'a longer path', 'a method match', 'more header matches', 'more query param matches'];
// GRPCRoute ("Matching precedence" of GRPCRouteRule): hostnames, then the longest service, then the longest method, then header matches.
const GRPC_CRITERIA = ['a more specific exact hostname', 'a more specific hostname', 'a longer service match', 'a longer method match', '', 'more header matches', ''];

function precedenceNotes(best: Candidate, rest: Candidate[]): string[] {
  const notes: string[] = [];
  for (const other of rest) {
    const name = `${other.routeKey} rule ${other.choice.ruleIndex}${other.choice.rule.matches.length > 1 ? ` match ${other.choice.matchIndex}` : ''}`;
    const i = best.score.findIndex((s, k) => s !== other.score[k]);
    if (i >= 0) notes.push(`beats ${name} by ${(best.choice.route.kind === 'GRPCRoute' ? GRPC_CRITERIA : CRITERIA)[i]}`);
    else if (other.routeKey !== best.routeKey) notes.push(`ties with ${name}: manifests carry no creation time, so the route first in {namespace}/{name} order wins (the specification's second tie-break)`);
    else notes.push(`ties with ${name}: the first matching rule in list order wins`);
  }
  if (best.choice.match.pathType === 'RegularExpression' || rest.some((c) => c.choice.match.pathType === 'RegularExpression')) {
    notes.push('RegularExpression path precedence is implementation-specific: ranked after PathPrefix here');
  }
  return notes.slice(0, 6);
}

/** A gRPC request: content-type application/grpc (what gRPC clients send), matched against GRPCRoutes. */
export function isGrpc(req: GatewayRequest): boolean {
  return /^application\/grpc(\+|;|$)/i.test(req.headers['content-type'] ?? '');
}

/**
 * A GRPCRoute match against the request path "/<service>/<method>": the
 * characters of the matching service and method (precedence), or undefined.
 * A match without method matches every call.
 */
function grpcScore(m: RouteMatch, req: GatewayRequest): [number, number] | undefined {
  const parts = /^\/([^/]+)\/([^/]+)$/.exec(req.path);
  if (!m.grpc) return [0, 0];
  if (!parts) return undefined;
  const [, service, method] = parts;
  const test = (want: string | undefined, got: string) => want === undefined || valueMatches(m.grpc!.type, want, got);
  if (!test(m.grpc.service, service) || !test(m.grpc.method, method)) return undefined;
  return [m.grpc.service !== undefined ? m.grpc.service.length : 0, m.grpc.method !== undefined ? m.grpc.method.length : 0];
}

function noListenerReason(model: NetworkModel, req: GatewayRequest): string {
  const onPort = model.gateways.flatMap((g) => g.listeners.filter((l) => l.port === req.port).map((l) => ({ g, l })));
  if (onPort.length === 0) return `no Gateway listener on port ${req.port}`;
  const proto = onPort.filter(({ l }) => carries(l.protocol, req.scheme));
  if (proto.length === 0) return `the Gateway listeners on port ${req.port} (${onPort.map(({ g, l }) => `${g.name}/${l.name} ${l.protocol}`).join(', ')}) do not carry ${req.scheme}`;
  return `no Gateway listener on port ${req.port} accepts host ${req.host} (hostnames: ${proto.map(({ l }) => l.hostname ?? '(any)').join(', ')})`;
}
