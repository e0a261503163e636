// A URL: the Gateway listener and route, or the Ingress rule, that takes its
// host and path, then the backend Service through the controller; a request
// from inside the cluster for a host neither routes leaves the cluster (the
// caller traces that as an external destination).
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel } from '../model/types';
import { isIP } from './dns-names';
import { matchGateway } from './gateway/match';
import { gatewayRequest, traceThroughGateway } from './gateway/trace';
import { matchIngress, parseUrl } from './ingress-match';
import { unresolved } from './result';
import { traceService } from './service';
import { controllerSource, resolveSource } from './source';
import type { ProxyMode, TraceDestination, TraceHop, TraceOptions, TraceResult, TraceVerdict } from './types';

/** The URL's host is routed by nothing in the set and the client is inside: the request goes out to it. */
export interface LeavesCluster {
  leaves: Extract<TraceDestination, { kind: 'external' }>;
}

export function traceUrl(model: NetworkModel, index: ModelIndex, text: string, options: TraceOptions, mode: ProxyMode, inCluster: boolean): TraceResult | LeavesCluster {
  const url = parseUrl(text);
  if (!url) return unresolved(`"${text}" is not an http:// or https:// URL`, []);
  const ingressResult = matchIngress(model, url);
  const { match, reason, failure } = ingressResult;
  // A client inside the cluster asking for a host that no Ingress or Gateway names goes out through its node (or to a Service the name is).
  const fromInside = options.from ? options.from.kind !== 'external' : inCluster;
  const ingressTakesHost = match !== undefined && (match.hostMatch === 'exact' || match.hostMatch === 'wildcard');
  // Gateway API first when a Gateway routes the URL; an Ingress for the same host is named, not traced.
  let gatewayTakesHost = false;
  if (model.gateways.length > 0) {
    const req = gatewayRequest(url, text, options.to.kind === 'url' ? options.to.method : undefined, options.to.kind === 'url' ? options.to.headers : undefined);
    const gw = matchGateway(model, req);
    gatewayTakesHost = gw.listener !== undefined;
    if (gw.listener && (gw.choice || !match)) {
      const notes = match
        ? [`Ingress ${match.ingress.namespace}/${match.ingress.name} routes ${url.host} too: which one answers depends on where DNS sends ${url.host} (the Gateway's address or the Ingress controller's); the Gateway is traced`]
        : [];
      const proxy = "the Gateway's proxy Pod";
      const src = options.from ? resolveSource(index, options.from) : controllerSource(proxy);
      if (typeof src === 'string') return unresolved(src, []);
      if (options.from && src.kind !== 'external') notes.push(clientLeg(src.label, "the Gateway's proxy"));
      return traceThroughGateway(model, index, req, gw, (svc, sp, hops) => traceService(model, index, svc, sp, controllerSource(proxy), mode, hops, true, options.clusterCIDR), notes);
    }
    if (!match && !fromInside) {
      const why = gw.failure?.reason ?? 'no Gateway listener takes it';
      return { verdict: 'dropped', reason: `${why}; ${reason ?? 'no Ingress matches'}`, hops: [{ kind: 'gateway', detail: why, rules: [] }, { kind: 'ingress', detail: reason ?? '', rules: [] }], endpoints: [] };
    }
  }
  if (fromInside && !ingressTakesHost && !gatewayTakesHost) {
    const port = url.port ?? (url.scheme === 'https' ? 443 : 80);
    const address = isIP(url.host.replace(/^\[|\]$/g, '')) ? { ip: url.host.replace(/^\[|\]$/g, '') } : { host: url.host };
    return { leaves: { kind: 'external', ...address, port, protocol: 'TCP' } };
  }
  if (!match) {
    const verdict: TraceVerdict = failure === 'not-found' ? 'dropped' : 'unresolved';
    return { verdict, reason: reason ?? 'no Ingress matches', hops: [{ kind: 'ingress', detail: reason ?? '', rules: [] }], endpoints: [] };
  }
  const ing = match.ingress;
  const b = match.backend;
  if (model.gateways.length > 0) {
    const gw = matchGateway(model, gatewayRequest(url, text));
    if (gw.listener) match.notes.push(`Gateway ${gw.listener.gateway.namespace}/${gw.listener.gateway.name} listens for ${url.host} too but ${gw.failure?.reason ?? 'routes nothing here'}`);
  }
  const where = match.rule
    ? `${match.rule.host ? `rule host ${match.rule.host} (${match.hostMatch})` : 'the rule without host (any host)'}, path ${match.path!.path} (${match.path!.pathType})`
    : 'its defaultBackend (no rule path matched)';
  const tls =
    url.scheme === 'https'
      ? match.tls
        ? `; TLS terminated at the controller ${match.tls.secretName ? `with secret ${match.tls.secretName}` : 'with its default certificate (the tls entry names no secretName)'}, plain HTTP to the backend`
        : `; ${url.host} is not listed under tls: the controller presents its default certificate (clients will not trust it)`
      : match.tls
        ? `; ${url.host} is listed under tls: many controllers (ingress-nginx by default) redirect plain HTTP to HTTPS`
        : '';
  const backendText = b.resource ? `resource ${b.resource.kind}/${b.resource.name}` : `Service ${b.service}:${b.port ?? '(no port)'}`;
  const rules = match.rule
    ? [`host: ${match.rule.host ?? '*'}  path: ${match.path!.path}  pathType: ${match.path!.pathType}  -> ${backendText}`]
    : [`defaultBackend -> ${backendText}`];
  const hops: TraceHop[] = [
    {
      kind: 'ingress',
      detail: `${url.scheme}://${url.host}${url.path} -> Ingress ${ing.namespace}/${ing.name}${ing.className ? ` (class ${ing.className})` : ''}, ${where} -> ${backendText}${tls}`,
      rules,
      objectIds: [ing.id],
    },
  ];
  for (const n of match.notes) hops[0].detail += `; ${n}`;
  if (b.resource) return unresolved(`the backend is a ${b.resource.kind}, not a Service: the trace stops at the controller`, hops);
  const svc = index.servicesNamed(ing.namespace, b.service)[0];
  if (!svc) return unresolved(`the backend Service ${ing.namespace}/${b.service} is not in the set`, hops);
  if (b.port === undefined) return unresolved(`the backend of Ingress ${ing.namespace}/${ing.name} names no port`, hops);
  const sp = typeof b.port === 'number' ? svc.ports.find((p) => p.port === b.port) : svc.ports.find((p) => p.name === b.port);
  if (!sp) return unresolved(`Service ${svc.namespace}/${svc.name} has no port ${typeof b.port === 'number' ? b.port : `named "${b.port}"`}`, hops);
  hops.push({
    kind: 'vip',
    detail: `the controller proxies to Service ${svc.namespace}/${svc.name} port ${sp.port}: many controllers (ingress-nginx by default) send straight to the endpoints from the EndpointSlices, others through the ClusterIP; the ClusterIP path is shown`,
    rules: [],
    objectIds: [svc.id],
  });
  const src = options.from ? resolveSource(index, options.from) : controllerSource();
  if (typeof src === 'string') return unresolved(src, hops);
  if (options.from && src.kind !== 'external') hops[0].detail += `; ${clientLeg(src.label, 'the Ingress controller')}`;
  return traceService(model, index, svc, sp, controllerSource(), mode, hops, true, options.clusterCIDR);
}

/**
 * A client inside the cluster reaches the backend through the proxy: the proxy
 * opens its own connection, so the backend's policies see the proxy's Pod, not
 * the client (whose own egress to the proxy's address is a separate question).
 */
function clientLeg(client: string, proxy: string): string {
  return `${client} connects to ${proxy}, which opens its own connection to the backend: the backend's ingress policies see the proxy's Pod, not the client (the client's egress to the proxy is not traced here)`;
}
