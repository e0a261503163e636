// A URL through the Gateway API: the listener, the route rule, its filters
// as hops, then each weighted backend's Service trace (kube-proxy, policy,
// endpoints) with the endpoints' shares scaled by the backend's weight.
import type { ModelIndex } from '../../model/model-index';
import type { NetworkModel, Route, RouteMatch, Service, ServicePort } from '../../model/types';
import type { ParsedUrl } from '../ingress-match';
import type { TraceEndpoint, TraceHop, TraceResult } from '../types';
import { weighBackends } from './backends';
import { applyFilters } from './filters';
import { isGrpc, requestOf, type GatewayMatchResult, type GatewayRequest } from './match';

/** Traces one backend Service from the Gateway's data plane; hops are appended to `hops`. */
export type TraceBackend = (svc: Service, sp: ServicePort, hops: TraceHop[]) => TraceResult;

export function describeMatch(m: RouteMatch, kind: Route['kind'] = 'HTTPRoute'): string {
  const parts =
    kind === 'GRPCRoute'
      ? [`gRPC ${m.grpc?.type === 'RegularExpression' ? 'regex ' : ''}${m.grpc?.service ?? '*'}/${m.grpc?.method ?? '*'}`]
      : [`path ${m.pathType ?? 'PathPrefix'} ${m.path ?? '/'}`];
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of m.headers ?? []) parts.push(`header ${h.name} ${h.type === 'Exact' ? '=' : '~'} ${h.value}`);
  for (const q of m.queryParams ?? []) parts.push(`query ${q.name} ${q.type === 'Exact' ? '=' : '~'} ${q.value}`);
  return parts.join(', ');
}

export function gatewayRequest(url: ParsedUrl, raw: string, method?: string, headers?: Record<string, string>): GatewayRequest {
  return requestOf(url, raw, method, headers);
}

/** The trace of a request the Gateway match result routes (`result.listener` set). */
export function traceThroughGateway(model: NetworkModel, index: ModelIndex, req: GatewayRequest, result: GatewayMatchResult, traceBackend: TraceBackend, notes: string[]): TraceResult {
  const { gateway, listener, hostMatch } = result.listener!;
  const cls = gateway.gatewayClassName ? model.gatewayClasses.find((c) => c.name === gateway.gatewayClassName) : undefined;
  const clsText = gateway.gatewayClassName ? ` (class ${gateway.gatewayClassName}${cls?.controllerName ? `, ${cls.controllerName}` : ''})` : '';
  const tls =
    listener.protocol === 'HTTPS'
      ? `; TLS terminated at the Gateway with ${listener.tls?.certificateRefs.map((c) => `${c.kind} ${c.namespace || gateway.namespace}/${c.name}`).join(', ') || 'no certificateRefs'}, plain HTTP to the backend`
      : '';
  const others = result.otherGateways.length > 0 ? `; Gateway${result.otherGateways.length > 1 ? 's' : ''} ${result.otherGateways.map((g) => `${g.namespace}/${g.name}`).join(', ')} also listen${result.otherGateways.length > 1 ? '' : 's'} for this host and port: which one answers depends on where DNS sends ${req.host}` : '';
  const hops: TraceHop[] = [
    {
      kind: 'gateway',
      detail: `${req.scheme}://${req.host}${req.port === (req.scheme === 'https' ? 443 : 80) ? '' : `:${req.port}`}${req.path} -> Gateway ${gateway.namespace}/${gateway.name}${clsText}, listener ${listener.name} (${listener.protocol} ${listener.port}, hostname ${listener.hostname ?? '(any)'}: ${hostMatch})${tls}${others}`,
      rules: [`listener ${listener.name}: protocol ${listener.protocol} port ${listener.port}${listener.hostname ? ` hostname ${listener.hostname}` : ''} allowedRoutes ${listener.allowedRoutes.from}`],
      objectIds: [gateway.id],
    },
  ];
  for (const n of notes) hops[0].detail += `; ${n}`;
  if (result.grpcRoutes.length > 0 && !isGrpc(req)) hops[0].detail += `; GRPCRoutes ${result.grpcRoutes.map((r) => `${r.namespace}/${r.name}`).join(', ')} are attached too (they take gRPC requests: content-type application/grpc)`;
  const choice = result.choice;
  if (!choice) {
    return { verdict: 'dropped', reason: result.failure?.reason ?? 'no route matches', hops, endpoints: [] };
  }
  const { route, rule, ruleIndex, match } = choice;
  hops.push({
    kind: 'gateway',
    detail: `${route.kind} ${route.namespace}/${route.name} rule ${ruleIndex}${rule.name ? ` (${rule.name})` : ''}: ${describeMatch(match, route.kind)}${choice.precedence.length > 0 ? `; ${choice.precedence.join('; ')}` : ''}`,
    rules: [`hostnames: ${choice.attachment.hostnames?.join(', ') ?? '(any)'}  match: ${describeMatch(match, route.kind)}  -> ${rule.backendRefs.map((b) => `${b.kind} ${b.namespace}/${b.resource?.name ?? b.service}${b.port !== undefined ? `:${b.port}` : ''} weight ${b.weight}`).join(', ') || '(no backendRefs)'}`],
    objectIds: [route.id],
  });
  const t = rule.timeouts;
  if (t && (t.request || t.backendRequest)) hops[hops.length - 1].detail += `; timeouts: ${[t.request ? `request ${t.request}` : '', t.backendRequest ? `backendRequest ${t.backendRequest}` : ''].filter(Boolean).join(', ')} (a 504 after that)`;
  const request: GatewayRequest = { ...req, headers: { ...req.headers } };
  for (const effect of applyFilters(rule.filters ?? [], request, listener.port, match)) {
    hops.push({ kind: 'filter', detail: effect.detail, rules: [], objectIds: [route.id] });
    if (effect.redirect) {
      return { verdict: 'redirected', reason: `the Gateway answers ${effect.redirect.status} with Location: ${effect.redirect.location}; the request reaches no backend`, hops, endpoints: [] };
    }
  }
  if (rule.backendRefs.length === 0) {
    return { verdict: 'dropped', reason: `rule ${ruleIndex} of HTTPRoute ${route.namespace}/${route.name} has no backendRefs and no redirect: the Gateway answers 500`, hops, endpoints: [] };
  }
  const backends = weighBackends(model, index, route, rule.backendRefs);
  if (backends.every((b) => b.share === 0)) {
    return { verdict: 'dropped', reason: `every backendRef of rule ${ruleIndex} of HTTPRoute ${route.namespace}/${route.name} has weight 0: the Gateway answers 500`, hops, endpoints: [] };
  }
  const endpoints: TraceEndpoint[] = [];
  const summary: string[] = [];
  let delivered = false;
  let firstOther: TraceResult | undefined;
  let firstTraced: TraceResult | undefined;
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;
  for (const b of backends) {
    const name = `${b.ref.kind} ${b.ref.namespace}/${b.ref.resource?.name ?? b.ref.service}${b.ref.port !== undefined ? `:${b.ref.port}` : ''}`;
    if (b.share === 0) {
      hops.push({ kind: 'gateway', detail: `backend ${name}: weight 0, gets no requests`, rules: [], objectIds: [route.id] });
      continue;
    }
    if (b.invalid || !b.service || !b.port) {
      hops.push({ kind: 'gateway', detail: `backend ${name} (${pct(b.share)}): ${b.invalid}; this share is answered 500`, rules: [], objectIds: [route.id, ...(b.service ? [b.service.id] : [])] });
      summary.push(`${pct(b.share)} answered 500 (${name})`);
      continue;
    }
    const grant = b.grant ? ` (allowed by ReferenceGrant ${b.grant.namespace}/${b.grant.name})` : '';
    const own: TraceHop[] = [];
    for (const effect of applyFilters(b.ref.filters ?? [], { ...request, headers: { ...request.headers } }, listener.port, match)) {
      own.push({ kind: 'filter', detail: `for this backend: ${effect.detail}`, rules: [], objectIds: [route.id] });
    }
    own.push({
      kind: 'gateway',
      detail: `backend ${pct(b.share)} (weight ${b.ref.weight}): the Gateway proxies to Service ${b.service.namespace}/${b.service.name} port ${b.port.port}${grant}; many implementations send straight to the endpoints, others through the ClusterIP: the ClusterIP path is shown`,
      rules: [],
      objectIds: [b.service.id],
    });
    const r = traceBackend(b.service, b.port, own);
    firstTraced ??= r;
    hops.push(...r.hops);
    for (const e of r.endpoints) endpoints.push({ ...e, ...(e.probability !== undefined ? { probability: Math.round(e.probability * b.share * 1e6) / 1e6 } : {}) });
    summary.push(`${pct(b.share)} to Service ${b.service.namespace}/${b.service.name}: ${r.verdict}${r.verdict === 'delivered' ? '' : ` (${r.reason})`}`);
    if (r.verdict === 'delivered') delivered = true;
    else firstOther ??= r;
  }
  const verdict = delivered ? 'delivered' : (firstOther?.verdict ?? 'dropped');
  // Every backend is traced in the same kube-proxy mode: the first one says which, and how its rules print.
  return {
    ...(firstTraced?.proxyMode ? { proxyMode: firstTraced.proxyMode } : {}),
    ...(firstTraced?.ruleNotation ? { ruleNotation: firstTraced.ruleNotation } : {}),
    verdict,
    reason: summary.join('; '),
    hops,
    endpoints,
  };
}
