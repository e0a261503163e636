// Between the drawing and the trace engine: which request a graph node stands
// for (a Service, the URL of an Ingress path, a LoadBalancer from outside), and
// which node a trace target from the editor ("Trace request") starts at.
import type { ModelIndex } from '../model/model-index';
import type { Ingress, Route, Service } from '../model/types';
import { matchGateway, requestOf } from '../trace/gateway/match';
import { routeRuleRequests } from '../trace/gateway/urls';
import { matchIngress, parseUrl } from '../trace/ingress-match';
import type { TraceOptions } from '../trace/types';
import type { TopologyGraph, TopologyNode, TraceTarget } from '../../protocol';
import { egressTarget, localhostTarget, outsideQuestionForNode, podToPodTarget } from './pair-questions';

export type { TraceTarget };

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

/** One request the panel explains: the engine's question and who sends it, in the panel's words. */
export interface TraceQuestion {
  options: TraceOptions;
  from: string;
  /** Whether the paths into the node (who can reach it) light up with it: only when they are this request's. */
  upstream: boolean;
  /** A request between two drawn objects (egress, Pod to Pod): the nodes of its ends, and only they and the links between them light up. */
  between?: { from: string; to: string };
}

/**
 * The requests a node's hover explains, the one whose path is lit first. A
 * Service that the graph reaches from outside (an Ingress path, a
 * LoadBalancer) is lit from the Internet: its first question is that request
 * (through an Ingress, the URL: the policy verdict at the Pods is then the
 * Ingress controller's), and the second a client Pod of the Service's own
 * namespace, which lights only the Service and what it sends to. Other
 * nodes: traceOptionsForNode's one question.
 */
export function traceQuestionsForNode(node: TopologyNode, graph: TopologyGraph, index: ModelIndex): TraceQuestion[] {
  if (node.kind === 'external') return outsideQuestionForNode(node, graph, index);
  const own = traceOptionsForNode(node, index);
  if (!own) return [];
  // A Service's endpoints are lit with the paths into their Service: the same questions.
  const service = node.kind === 'service' ? node : node.kind === 'endpoints' ? serviceBefore(node, graph) : undefined;
  if (!service || own.to.kind !== 'service') return [{ options: own, from: fromWords(own), upstream: true }];
  const fromOutside = outsideQuestion(service, graph, index);
  const inner: TraceQuestion = { options: own, from: `${fromWords(own)}${portChoice(index, own)}`, upstream: fromOutside === undefined };
  return fromOutside ? [fromOutside, inner] : [inner];
}

/**
 * The questions of a request the editor asked for ("Trace request" on a
 * Service, with its port): that request first, lighting only its own path,
 * then the one from outside that reaches the Service, if any.
 */
export function traceQuestionsForRequest(node: TopologyNode | undefined, graph: TopologyGraph, index: ModelIndex, asked: TraceOptions): TraceQuestion[] {
  if (!node || node.kind !== 'service' || asked.from !== undefined) return [{ options: asked, from: fromWords(asked), upstream: true }];
  const fromOutside = outsideQuestion(node, graph, index);
  return [{ options: asked, from: fromWords(asked), upstream: fromOutside === undefined }, ...(fromOutside ? [fromOutside] : [])];
}

function serviceBefore(endpoints: TopologyNode, graph: TopologyGraph): TopologyNode | undefined {
  const link = graph.edges.find((e) => e.to === endpoints.id);
  return link ? graph.nodes.find((n) => n.id === link.from && n.kind === 'service') : undefined;
}

/** The request from outside the cluster that the graph draws into a Service: through its first Ingress path, else a LoadBalancer. */
function outsideQuestion(node: TopologyNode, graph: TopologyGraph, index: ModelIndex): TraceQuestion | undefined {
  let viaBalancer: TraceQuestion | undefined;
  for (const e of graph.edges) {
    if (e.to !== node.id || e.broken) continue;
    const from = graph.nodes.find((n) => n.id === e.from);
    if (!from) continue;
    if (from.kind === 'ingress') {
      const ingress = from.objectId ? index.byId(from.objectId) : undefined;
      const url = ingress?.kind === 'Ingress' ? ingressNodeUrl(from.id, ingress) : undefined;
      if (url) return { options: { from: { kind: 'external' }, to: { kind: 'url', url } }, from: `the Ingress controller (${url})`, upstream: true };
    } else if (from.kind === 'entry' && from.entry === 'loadbalancer') {
      const options = traceOptionsForNode(from, index);
      if (options && !viaBalancer) viaBalancer = { options, from: 'a client outside the cluster, through the LoadBalancer', upstream: true };
    }
  }
  return viaBalancer;
}

/** Who sends the request, in the panel's words. */
function fromWords(o: TraceOptions): string {
  if (o.to.kind === 'url') return `a client outside the cluster, through the Ingress controller (${o.to.url})`;
  switch (o.from?.kind) {
    case 'external':
      return 'a client outside the cluster';
    case 'pod':
      return `Pod ${o.from.namespace}/${o.from.name}`;
    case 'workload':
      return `a Pod of ${o.from.workloadKind} ${o.from.namespace}/${o.from.name}`;
    case 'node':
      return `node ${o.from.name}`;
    default:
      return o.to.kind === 'service' ? `a Pod in namespace ${o.to.namespace}` : 'a client';
  }
}

/**
 * ", on port 80 (http), the first of 2 (80 (http), 9090 (metrics))": said when a hover traces
 * a Service of several ports on its first, so that the choice is not silent.
 */
function portChoice(index: ModelIndex, o: TraceOptions): string {
  const to = o.to;
  if (to.kind !== 'service') return '';
  const svc = index.servicesNamed(to.namespace, to.name)[0];
  if (!svc || svc.ports.length < 2) return '';
  const word = (p: Service['ports'][number]) => `${p.port}${p.name ? ` (${p.name})` : ''}`;
  const chosen = svc.ports.find((p) => p.port === to.port);
  return chosen ? `, on port ${word(chosen)}, the first of ${svc.ports.length} (${svc.ports.map(word).join(', ')})` : '';
}

/** A Service as a destination: its first port (the engine asks which one when there are several; hovering cannot answer, and the question says so). */
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
export function nodeForTarget(graph: TopologyGraph, index: ModelIndex, target: TraceTarget): { nodeId?: string; options: TraceOptions; question?: TraceQuestion } | undefined {
  if ('egress' in target) return egressTarget(graph, index, target.egress);
  if ('podToPod' in target) return podToPodTarget(graph, index, target.podToPod);
  if ('localhost' in target) return localhostTarget(graph, index, target.localhost);
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
