// A request that reaches a given HTTPRoute rule, for "Trace" from the editor
// and the inspector: the first listener the route is attached to (its scheme
// and port), a host both accept, the rule's first match made concrete (path,
// method, Exact headers and query params). It is offered only when the
// matcher, run on it, really lands on that rule: another route's more
// specific match must not be traced under this rule's name. A GRPCRoute rule
// gets a gRPC call (POST, content-type application/grpc) to its Exact
// service and method.
import type { NetworkModel, Route } from '../../model/types';
import { attachments, type Attachment } from './attach';
import { matchGateway, requestOf } from './match';

export interface RouteRuleRequest {
  ruleIndex: number;
  url: string;
  method?: string;
  headers?: Record<string, string>;
}

/** `all`: the set's attachments, when already computed (one pass over many routes computes them once). */
export function routeRuleRequests(model: NetworkModel, route: Route, all: readonly Attachment[] = attachments(model)): RouteRuleRequest[] {
  const grpc = route.kind === 'GRPCRoute';
  const atts = all.filter((a) => a.route === route && (a.listener.protocol === 'HTTP' || a.listener.protocol === 'HTTPS'));
  const out: RouteRuleRequest[] = [];
  route.rules.forEach((rule, ruleIndex) => {
    for (const att of atts) {
      const scheme = att.listener.protocol === 'HTTPS' ? 'https' : 'http';
      const wanted = att.hostnames ?? [];
      const host = wanted.find((h) => !h.startsWith('*.')) ?? (wanted[0] ? `www${wanted[0].slice(1)}` : (att.gateway.addresses[0] ?? 'example.com'));
      const m = rule.matches[0] ?? {};
      if (m.pathType === 'RegularExpression') continue;
      // A gRPC call needs a concrete /service/method: only an Exact match naming both gives one.
      if (grpc && (m.grpc?.type !== 'Exact' || !m.grpc.service || !m.grpc.method)) continue;
      const path = grpc ? `/${m.grpc!.service}/${m.grpc!.method}` : (m.path ?? '/');
      const query = (m.queryParams ?? []).filter((q) => q.type === 'Exact').map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(q.value)}`);
      if ((m.queryParams ?? []).some((q) => q.type !== 'Exact') || (m.headers ?? []).some((h) => h.type !== 'Exact')) continue;
      const port = att.listener.port === (scheme === 'https' ? 443 : 80) ? '' : `:${att.listener.port}`;
      const url = `${scheme}://${host}${port}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
      const written = m.headers && m.headers.length > 0 ? Object.fromEntries(m.headers.map((h) => [h.name, h.value])) : undefined;
      const headers = grpc ? { 'content-type': 'application/grpc', ...written } : written;
      const method = grpc ? 'POST' : m.method;
      const req = requestOf({ scheme, host, port: att.listener.port, path }, url, method, headers);
      const hit = matchGateway(model, req, all).choice;
      if (!hit || hit.route !== route || hit.ruleIndex !== ruleIndex) continue;
      out.push({ ruleIndex, url, ...(method ? { method } : {}), ...(headers ? { headers } : {}) });
      break;
    }
  });
  return out;
}
