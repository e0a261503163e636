// Between the drawing and the trace engine: which request a graph node stands
// for (a Service, the URL of an Ingress path, a LoadBalancer from outside), and
// which node a trace target from the editor ("Trace request") starts at.
import type { ModelIndex } from '../model/model-index';
import type { Ingress, Route, Service } from '../model/types';
import { matchGateway, requestOf } from '../trace/gateway/match';
import { routeRuleRequests } from '../trace/gateway/urls';
import { matchIngress, parseUrl } from '../trace/ingress-match';
import type { TraceOptions } from '../trace/types';
import type { TopologyGraph, TopologyNode } from '../../protocol';

/** A Service port, or a URL (with the method and headers a Gateway API route rule matches on). */
export type TraceTarget = { serviceId: string; port?: number } | { url: string; method?: string; headers?: Record<string, string> };

/** The trace engine's question for a node, or undefined when the node is not the start of one request. */
export function traceOptionsForNode(node: TopologyNode, index: ModelIndex): TraceOptions | undefined {
  const object = node.objectId ? index.byId(node.objectId) : undefined;
  switch (node.kind) {
    case 'service':
      return object?.kind === 'Service' ? { to: serviceDestination(object) } : undefined;
    case 'endpoints': {
      const service = object?.kind === 'Service' ? object : object?.kind === 'EndpointSlice' || object?.kind === 'Endpoints' ? index.servicesNamed(object.namespace, object.serviceName)[0] : undefined;
      return service ? { to: serviceDestination(service) } : undefined;
    }
    case 'entry':
      // A LoadBalancer entry: the Service, from outside the cluster.
      if (node.entry === 'loadbalancer' && object?.kind === 'Service') return { from: { kind: 'external' }, to: serviceDestination(object) };
      return undefined;
    case 'ingress': {
      if (object?.kind === 'HTTPRoute' || object?.kind === 'GRPCRoute') {
        const req = routeNodeRequest(node.id, object, index);
        return req ? { from: { kind: 'external' }, to: { kind: 'url', url: req.url, method: req.method, headers: req.headers } } : undefined;
      }
      if (object?.kind !== 'Ingress') return undefined;
      const url = ingressNodeUrl(node.id, object);
      return url ? { from: { kind: 'external' }, to: { kind: 'url', url } } : undefined;
    }
    default:
      return undefined;
  }
}

/** A Service as a destination: its first port (the engine asks which one when there are several; hovering cannot answer). */
function serviceDestination(s: Service): TraceOptions['to'] {
  return { kind: 'service', namespace: s.namespace, name: s.name, port: s.ports[0]?.port };
}

/** The URL an Ingress path node routes (https when TLS covers its host), or undefined for a rule with no host we can name. */
export function ingressNodeUrl(nodeId: string, ingress: Ingress): string | undefined {
  const m = /\/(\d+)\/(\d+)$/.exec(nodeId);
  if (!m) return undefined;
  const rule = ingress.rules[Number(m[1])];
  const path = rule?.paths[Number(m[2])];
  if (!rule || !path) return undefined;
  const host = rule.host ?? ingress.loadBalancerIPs[0];
  if (!host || host.includes('*')) return undefined;
  const tls = rule.host !== undefined && ingress.tls.some((t) => t.hosts.includes(rule.host!));
  const p = path.path && path.path.startsWith('/') ? path.path : `/${path.path ?? ''}`;
  return `${tls ? 'https' : 'http'}://${host}${p}`;
}

/** The request that reaches an HTTPRoute rule node ("route:<id>/<rule>"), when one does. */
function routeNodeRequest(nodeId: string, route: Route, index: ModelIndex) {
  const rule = Number(/\/(\d+)$/.exec(nodeId)?.[1]);
  return routeRuleRequests(index.model, route).find((r) => r.ruleIndex === rule);
}

/** The graph node a "Trace request" target starts at, with the engine's question for it. */
export function nodeForTarget(graph: TopologyGraph, index: ModelIndex, target: TraceTarget): { nodeId?: string; options: TraceOptions } | undefined {
  if ('serviceId' in target) {
    const service = index.byId(target.serviceId) as Service | undefined;
    if (!service || service.kind !== 'Service') return undefined;
    const nodeId = `service:${service.id}`;
    return {
      nodeId: graph.nodes.some((n) => n.id === nodeId) ? nodeId : undefined,
      options: { to: { kind: 'service', namespace: service.namespace, name: service.name, port: target.port } },
    };
  }
  const options: TraceOptions = { from: { kind: 'external' }, to: { kind: 'url', url: target.url, method: target.method, headers: target.headers } };
  const parsed = parseUrl(target.url);
  const gateway = parsed && index.model.gateways.length > 0 ? matchGateway(index.model, requestOf(parsed, target.url, target.method, target.headers)).choice : undefined;
  if (gateway) {
    const nodeId = `route:${gateway.route.id}/${gateway.ruleIndex}`;
    return { nodeId: graph.nodes.some((n) => n.id === nodeId) ? nodeId : undefined, options };
  }
  const match = parsed ? matchIngress(index.model, parsed).match : undefined;
  if (!match) return { options };
  const ing = match.ingress;
  let suffix = 'default';
  if (match.rule && match.path) {
    const r = ing.rules.indexOf(match.rule);
    const i = match.rule.paths.indexOf(match.path);
    if (r >= 0 && i >= 0) suffix = `${r}/${i}`;
  }
  const nodeId = `ingress:${ing.id}/${suffix}`;
  return { nodeId: graph.nodes.some((n) => n.id === nodeId) ? nodeId : undefined, options };
}
