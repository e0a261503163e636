// The trace engine: how one request travels, hop by hop, as data.
//
//   traceRequest(model, index, { from, to, proxyMode, clusterCIDR }) -> TraceResult
//
// Stages: the source (./source), DNS (./dns), the address the client connects
// to (ClusterIP, NodePort, load balancer, externalIPs, or an Ingress first:
// ./ingress-match), endpoint selection (./endpoints), kube-proxy's view of the
// Service port on the node that handles it (./kube-proxy-model: family, order,
// CategorizeEndpoints) and the rules of its mode on the path
// (./kube-proxy-path over ./kube-proxy-iptables, ./kube-proxy-nftables,
// ./kube-proxy-ipvs, with ./chains), NetworkPolicy at the source's
// egress and the destination's ingress (../policy), routing and the reply
// (./routing). A trace that cannot complete says where and why (`unresolved`),
// and manifests (no Pod IPs, no nodes) give symbolic endpoints, said so.
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel, Service, ServicePort } from '../model/types';
import { evaluatePolicies, type PodSubject, type PolicySubject } from '../policy/evaluate';
import { endpointShare, ruleProbability, servicePortName, svcChain, svlChain } from './chains';
import { clusterIpText, cnameService, dnsHop, dnsLookupBlocked, resolveNameDestination, resolverOf, type DnsTarget } from './dns';
import { collectBackends, usableBackends } from './endpoints';
import { matchGateway } from './gateway/match';
import { gatewayRequest, traceThroughGateway } from './gateway/trace';
import { matchIngress, parseUrl } from './ingress-match';
import { cidrContains } from './kube-proxy-iptables';
import { categorize, endpointsMap, familyOf, ignoredHintsReason, type ProxyEndpoint } from './kube-proxy-model';
import { nftNames } from './kube-proxy-nftables';
import { RULE_NOTATION, chooseFamily, clusterIpOf, pathRules, proxyNode, proxyServicePort, serviceFamilies, toProxyEndpoints, type EntryAddress } from './kube-proxy-path';
import { policyHop } from './policy-hop';
import { describeNode, nodeAddress, routeHop, type RouteLeg } from './routing';
import { controllerSource, resolveSource, unknownPodSource, type Source } from './source';
import { isIP } from './dns-names';
import { traceEgress } from './egress';
import { traceLocalhost, tracePodToPod } from './pod-to-pod';
import type { Backend, ProxyMode, TraceDestination, TraceEndpoint, TraceHop, TraceOptions, TraceResult, TraceVerdict } from './types';

export type * from './types';
export { parseUrl, matchIngress, hostMatches, pathMatches } from './ingress-match';
export type { IngressMatch, IngressMatchResult, ParsedUrl } from './ingress-match';
export { matchGateway, requestOf, chooseListeners } from './gateway/match';
export type { GatewayMatchResult, GatewayRequest, RuleChoice, ListenerChoice } from './gateway/match';
export { judgeRoute, attachments } from './gateway/attach';
export type { Attachment, ParentVerdict, ListenerVerdict } from './gateway/attach';
export { hostnameMatches, intersectHostname } from './gateway/hostnames';
export { weighBackends, referenceGrantFor } from './gateway/backends';
export { modifyPath, redirectLocation } from './gateway/filters';
export { routeRuleRequests } from './gateway/urls';
export type { RouteRuleRequest } from './gateway/urls';
export { portProtoHash, servicePortName, svcChain, sepChain, extChain, svlChain, fwChain, ruleProbability, endpointShare, iptablesSaveProbability } from './chains';
export { collectBackends, usableBackends, resolveTargetPort } from './endpoints';
export { PROXY_MODES } from './types';

export function traceRequest(model: NetworkModel, index: ModelIndex, options: TraceOptions): TraceResult {
  const result = traceInner(model, index, options);
  for (const h of result.hops) if (h.objectIds) h.objectIds = dedupe(h.objectIds);
  for (const e of result.endpoints) e.objectIds = dedupe(e.objectIds);
  return result;
}

function traceInner(model: NetworkModel, index: ModelIndex, options: TraceOptions): TraceResult {
  const mode: ProxyMode = options.proxyMode ?? 'iptables';
  const to = options.to;
  if (to.kind === 'url') return traceUrl(model, index, to.url, options, mode, to.inCluster ?? false);
  if (to.kind === 'external') return traceExternal(model, index, to, options);
  if (to.kind === 'pod' || to.kind === 'localhost') {
    const src = options.from ? resolveSource(index, options.from) : unknownPodSource(to.kind === 'pod' ? to.namespace : model.defaultNamespace);
    if (typeof src === 'string') return unresolved(src, []);
    if (to.kind === 'localhost') return traceLocalhost(src, to.port);
    const dest = resolveSource(index, { kind: 'pod', namespace: to.namespace, name: to.name });
    if (typeof dest === 'string') return unresolved(dest, []);
    return tracePodToPod(model, index, src, dest, to.port);
  }
  if (to.kind === 'name') {
    const src = options.from ? resolveSource(index, options.from) : unknownPodSource(model.defaultNamespace);
    if (typeof src === 'string') return unresolved(src, []);
    const target = resolveNameDestination(index, to.name, src, options);
    // A name outside the cluster domain (api.stripe.com:443): the request leaves the cluster, as for a URL.
    if (target.outside && options.dnsType !== 'PTR' && options.dnsType !== 'SRV' && !meantForTheCluster(index, to.name)) {
      if (typeof to.port === 'string') return unresolved(`"${to.name}" is outside the cluster: a port name ("${to.port}") means nothing there; give the number (${to.name}:PORT)`, target.hops);
      return traceExternal(model, index, { kind: 'external', host: to.name.replace(/\.$/, ''), port: to.port, protocol: 'TCP' }, options);
    }
    if (target.outside && typeof target.result === 'string' && !isIP(to.name)) {
      return unresolved(`"${to.name}" reads as a Service name of the cluster, but no Service of the set answers it: ${target.result}`, target.hops);
    }
    if (typeof target.result === 'string') {
      // An address no Service has: a Pod's own, when one of the set has it.
      const pod = isIP(to.name) && options.dnsType !== 'PTR' ? podWithAddress(index, to.name) : undefined;
      if (pod) return tracePodToPod(model, index, src, pod, to.port);
      return unresolved(target.result, target.hops);
    }
    const sp = pickPort(target.result.svc, to.port ?? target.result.portName);
    // The port is asked for in the form the destination was given in.
    if (typeof sp === 'string') return unresolved(sp.replace(/svc\/\S+:PORT/, `${to.name}:PORT`), target.hops);
    return traceService(model, index, target.result.svc, sp, src, mode, [], false, options.clusterCIDR, target.result);
  }

  const services = index.servicesNamed(to.namespace, to.name);
  if (services.length === 0) {
    return unresolved(`no Service ${to.namespace}/${to.name} in the set`, []);
  }
  const svc = services[0];
  const sp = pickPort(svc, to.port);
  if (typeof sp === 'string') return unresolved(sp, []);
  const src = options.from ? resolveSource(index, options.from) : unknownPodSource(svc.namespace);
  if (typeof src === 'string') return unresolved(src, []);
  return traceService(model, index, svc, sp, src, mode, [], false, options.clusterCIDR, { zone: options.clusterDomain, type: options.dnsType });
}

/**
 * An address or host outside the set. An address that is a ClusterIP or an
 * endpoint of the set, or a host the cluster DNS answers for, is traced as
 * that Service instead.
 */
function traceExternal(model: NetworkModel, index: ModelIndex, to: Extract<TraceDestination, { kind: 'external' }>, options: TraceOptions): TraceResult {
  const src = options.from ? resolveSource(index, options.from) : unknownPodSource(model.defaultNamespace);
  if (typeof src === 'string') return unresolved(src, []);
  const asName = (name: string) => traceInner(model, index, { ...options, from: options.from, to: { kind: 'name', name, port: to.port } });
  if (to.ip && src.kind === 'pod' && typeof resolveNameDestination(index, to.ip, src, options).result !== 'string') return asName(to.ip);
  const pod = to.ip ? podWithAddress(index, to.ip) : undefined;
  if (pod) return tracePodToPod(model, index, src, pod, to.port);
  const out = traceEgress(model, index, src, { ip: to.ip, host: to.host, port: to.port, protocol: to.protocol ?? 'TCP' }, options);
  if ('clusterName' in out) return asName(to.host!);
  return out.result;
}

/**
 * A name that went upstream but reads as the cluster's: a Service's own name
 * (which the search path did not reach), or NAME.NS / NAME.NS.svc with a
 * namespace of the set. Traced out of the cluster it would be a confident
 * answer about a typo; it stays "does not resolve".
 */
function meantForTheCluster(index: ModelIndex, name: string): boolean {
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.length === 1) return index.model.services.some((s) => s.name === labels[0]);
  const namespaced = labels.length === 2 || (labels.length === 3 && labels[2] === 'svc');
  return namespaced && index.knownNamespaces().includes(labels[1]);
}

/** The Pod of the set (a live one, or a manifest with status.podIP) whose address this is, as a trace end. */
function podWithAddress(index: ModelIndex, ip: string): Source | undefined {
  for (const w of index.model.workloads) {
    for (const p of w.pods) {
      if (p.ip === ip || p.ips.includes(ip)) {
        const s = resolveSource(index, { kind: 'pod', namespace: p.namespace, name: p.name });
        if (typeof s !== 'string') return s;
      }
    }
  }
  return undefined;
}

function traceUrl(model: NetworkModel, index: ModelIndex, text: string, options: TraceOptions, mode: ProxyMode, inCluster: boolean): TraceResult {
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
      const from = src.kind === 'external' ? controllerSource(proxy) : src;
      return traceThroughGateway(model, index, req, gw, (svc, sp, hops) => traceService(model, index, svc, sp, from, mode, hops, true, options.clusterCIDR), notes);
    }
    if (!match && !fromInside) {
      const why = gw.failure?.reason ?? 'no Gateway listener takes it';
      return { verdict: 'dropped', reason: `${why}; ${reason ?? 'no Ingress matches'}`, hops: [{ kind: 'gateway', detail: why, rules: [] }, { kind: 'ingress', detail: reason ?? '', rules: [] }], endpoints: [] };
    }
  }
  if (fromInside && !ingressTakesHost && !gatewayTakesHost) {
    const port = url.port ?? (url.scheme === 'https' ? 443 : 80);
    const address = isIP(url.host.replace(/^\[|\]$/g, '')) ? { ip: url.host.replace(/^\[|\]$/g, '') } : { host: url.host };
    return traceExternal(model, index, { kind: 'external', ...address, port, protocol: 'TCP' }, { ...options, from: options.from });
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
    ? `rule host ${match.rule.host ?? '(any)'} (${match.hostMatch}), path ${match.path!.path} (${match.path!.pathType})`
    : 'its defaultBackend (no rule path matched)';
  const tls =
    url.scheme === 'https'
      ? match.tls
        ? `; TLS terminated at the controller with secret ${match.tls.secretName ?? '(the controller default certificate)'}, plain HTTP to the backend`
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
  if (b.port === undefined) return unresolved(`the backend of ${ing.namespace}/${ing.name} names no port`, hops);
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
  return traceService(model, index, svc, sp, src.kind === 'external' ? controllerSource() : src, mode, hops, true, options.clusterCIDR);
}

function pickPort(svc: Service, port: number | string | undefined): ServicePort | string {
  const name = `${svc.namespace}/${svc.name}`;
  const list = svc.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
  if (port === undefined) {
    if (svc.ports.length === 1) return svc.ports[0];
    if (svc.ports.length === 0) return svc.type === 'ExternalName' ? { port: 0, protocol: 'TCP' } : `Service ${name} declares no ports`;
    return `Service ${name} has several ports (${list}): say which with svc/${name}:PORT`;
  }
  const found =
    typeof port === 'number' || /^\d+$/.test(port) ? svc.ports.find((p) => p.port === Number(port)) : svc.ports.find((p) => p.name === port);
  if (!found) return svc.type === 'ExternalName' ? { port: Number(port) || 0, protocol: 'TCP' } : `Service ${name} has no port ${port} (ports: ${list || 'none'})`;
  return found;
}

function unresolved(reason: string, hops: TraceHop[], endpoints: TraceEndpoint[] = []): TraceResult {
  return { verdict: 'unresolved', reason, hops, endpoints };
}

type Entry = 'clusterip' | 'nodeport' | 'loadbalancer' | 'externalip' | 'headless';

function traceService(
  model: NetworkModel,
  index: ModelIndex,
  svc: Service,
  sp: ServicePort,
  src: Source,
  mode: ProxyMode,
  hops: TraceHop[],
  viaIngress: boolean,
  clusterCIDR: string | undefined,
  dns: DnsTarget = {},
): TraceResult {
  const name = `${svc.namespace}/${svc.name}`;
  const external = src.kind === 'external';

  // ExternalName: DNS only.
  if (svc.type === 'ExternalName') {
    if (!external) {
      hops.push(dnsHop(index, { svc, sp, ...resolverOf(index, src), sourceLabel: src.label, zone: dns.zone, question: dns }).hop);
      const blocked = dnsLookupBlocked(index, src, hops, []);
      if (blocked) return blocked;
      // A CNAME to a Service of the cluster: CoreDNS answers with that Service's address, and the client connects to it.
      const inner = cnameService(index, svc, dns.zone);
      if (inner) {
        const innerPort = pickPort(inner, sp.port > 0 ? sp.port : undefined);
        if (typeof innerPort === 'string') return unresolved(`${name} is a CNAME for ${inner.namespace}/${inner.name}: ${innerPort}`, hops);
        return traceService(model, index, inner, innerPort, src, mode, hops, viaIngress, clusterCIDR, { zone: dns.zone, literal: true });
      }
    }
    return unresolved(
      `${name} is an ExternalName Service: DNS answers a CNAME for ${svc.externalName ?? '(no externalName)'} and the connection goes to that host, outside the set; kube-proxy does not proxy it`,
      hops,
    );
  }

  const set = collectBackends(index, svc, sp);
  const { usable, fallback } = usableBackends(set.backends);
  const unusable = set.backends.filter((b) => !usable.includes(b));

  // Where the client connects.
  let entry: Entry;
  if (svc.headless || (dns.addresses && !external)) {
    if (external) return { verdict: 'dropped', reason: `${name} is headless: its names resolve only inside the cluster and it has no virtual IP to reach from outside`, hops, endpoints: [] };
    entry = 'headless';
  } else if (external) {
    if (svc.type === 'LoadBalancer') entry = 'loadbalancer';
    else if (svc.type === 'NodePort') entry = 'nodeport';
    else if (svc.externalIPs.length > 0) entry = 'externalip';
    else {
      return {
        verdict: 'dropped',
        reason: `${name} is type ${svc.type} without externalIPs: reachable only from inside the cluster (no NodePort, load balancer or external IP)`,
        hops,
        endpoints: [],
      };
    }
  } else entry = 'clusterip';

  const symbolic = set.source === 'selector';
  const nodes = model.nodes;
  const etpLocal = entry !== 'clusterip' && entry !== 'headless' && svc.externalTrafficPolicy === 'Local';
  const itpLocal = entry === 'clusterip' && svc.internalTrafficPolicy === 'Local';

  // DNS (clients inside the cluster; the ingress controller reads endpoints itself).
  const undecided: string[] = [];
  if (!external && !viaIngress && !dns.literal) {
    const { hop } = dnsHop(index, { svc, sp, ...resolverOf(index, src), sourceLabel: src.label, zone: dns.zone, question: dns });
    if (src.kind === 'node') hop.detail += ' (if the node resolves through the cluster DNS; nodes usually do not)';
    hops.push(hop);
    const blocked = dnsLookupBlocked(index, src, hops, undecided);
    if (blocked) return blocked;
  }

  const notes = [...set.notes];
  const srcWorkload = src.objectIds[0];
  // Hairpin is kube-proxy's doing: a headless client connecting to itself goes straight to its own address.
  if (srcWorkload && entry !== 'headless' && usable.some((b) => b.workload?.id === srcWorkload)) {
    notes.push('the client is itself an endpoint: when kube-proxy picks the calling Pod, KUBE-SEP masquerades the connection (hairpin) and the Pod sees it from its node');
  }
  if (fallback) notes.push('no endpoint is ready: kube-proxy falls back to the serving, terminating ones');
  for (const b of unusable) {
    notes.push(b.note ?? `${b.address} is ${b.terminating ? 'terminating' : 'not ready'}: not used`);
  }

  // Headless: the client connects to a Pod address itself.
  if (entry === 'headless') {
    const published = svc.publishNotReadyAddresses ? set.backends : usable;
    // An endpoint's own name (pod-0.svc...) answers with that endpoint alone.
    const answers = dns.addresses ? set.backends.filter((b) => dns.addresses!.includes(b.address)) : published;
    const portNote =
      set.backends.length > 0 && set.backends[0].port !== undefined && set.backends[0].port !== sp.port
        ? `; the Pod receives on ${sp.port}, not targetPort ${set.backends[0].port}: the port mapping does not apply without a virtual IP (the SRV record advertises ${set.backends[0].port})`
        : '';
    hops.push({
      kind: 'vip',
      detail: `${dns.addresses ? `the client connects to ${dns.literal ? dns.endpoint : `the address of ${dns.endpoint}`} on port ${sp.port} directly` : `no virtual IP: the client picks one DNS answer and connects to it on port ${sp.port} directly`}; kube-proxy is not involved${portNote}`,
      rules: [],
      objectIds: [svc.id],
    });
    if (answers.length === 0) {
      return { verdict: 'no-endpoints', reason: `${name} is headless and has no ready endpoint: DNS returns no address. ${notes.join('; ')}`.trim(), hops, endpoints: [] };
    }
    const targets = answers.map((b) => ({ ...b, port: sp.port }));
    return finish(model, index, svc, sp, src, targets, hops, notes, {
      entry,
      shares: targets.map(() => undefined),
      ruleProbs: targets.map(() => undefined),
      sourceSeen: src.subject,
      symbolic,
      undecided,
    });
  }

  // kube-proxy's view of this Service port on the node that handles the request.
  // The node whose rules apply: the client's own, or the one an external client reaches (when given).
  const entryNodeName: string | undefined = src.nodeName;
  const clientIps = src.subject.kind === 'pod' ? src.subject.ips : src.subject.ip ? [src.subject.ip] : [];
  const family = dns.address ? familyOf(dns.address) : chooseFamily(svc, clientIps);
  const pport = proxyServicePort(svc, sp, family);
  const allEps = endpointsMap(toProxyEndpoints(set.backends), family, entryNodeName);
  const pnode = proxyNode(nodes, entryNodeName);
  const cat = categorize(pport, allEps, pnode);
  const families = serviceFamilies(svc);
  if (families.length > 1) {
    const other = families.find((f) => f !== family)!;
    notes.push(
      `dual-stack Service: this request uses IPv${family} (ClusterIP ${pport.clusterIP}); ${mode === 'ipvs' ? 'IPVS' : mode === 'nftables' ? `table ip${other === 6 ? '6' : ''} kube-proxy` : other === 6 ? 'ip6tables' : 'iptables'} holds the IPv${other} ClusterIP ${clusterIpOf(svc, other)} with the IPv${other} endpoints`,
    );
  }
  const otherFamily = set.backends.filter((b) => !b.symbolic && b.port !== undefined && familyOf(b.address) !== family).length;
  if (otherFamily > 0) notes.push(`${otherFamily} endpoint(s) of the other IP family are not used for IPv${family}`);
  if (cat.topology === 'PreferSameZone') notes.push(`topology-aware routing: only endpoints hinted for zone ${pnode.zone} are used from this node`);
  else {
    const ignored = ignoredHintsReason(allEps, pnode.zone);
    if (ignored) notes.push(`EndpointSlice zone hints: ${ignored}`);
  }

  const symbolicEntry = symbolic || !entryNodeName;
  const localPolicy = itpLocal || etpLocal;
  let candidates: ProxyEndpoint[];
  if (!localPolicy) candidates = cat.cluster;
  else if (!symbolicEntry) candidates = cat.local;
  else {
    // The node is not known: every usable endpoint is a candidate on some node.
    const ready = allEps.filter((ep) => ep.ready);
    candidates = ready.length > 0 ? ready : allEps.filter((ep) => ep.serving && ep.terminating);
  }

  // The address the client connects to.
  let sourceSeen: PolicySubject = src.subject;
  let entryNode: string | undefined = src.nodeName;
  const nodeList = nodes.length > 0 ? nodes.map((n) => nodeAddress(n) ?? n.name).join(', ') : '<any node address>';
  const lbIp = pport.loadBalancerIPs[0] ?? svc.loadBalancerIPs[0] ?? '<load-balancer address>';
  const address: EntryAddress =
    entry === 'clusterip' ? { kind: 'clusterip' } : entry === 'nodeport' ? { kind: 'nodeport' } : entry === 'loadbalancer' ? { kind: 'loadbalancer', ip: lbIp } : { kind: 'externalip', ip: svc.externalIPs[0] };
  // With Local policy on a node not known, the rules shown are those of a node running the candidates.
  const ruleCat = localPolicy && symbolicEntry ? { ...cat, local: candidates, reachable: mergeEndpoints(cat.cluster, candidates) } : cat;
  const nodeAddresses = nodes.length > 0 ? nodes.map((n) => nodeAddress(n)).filter((a): a is string => !!a) : ['<node address>'];
  const path = pathRules({ mode, svc: pport, cat: ruleCat, entry: address, candidates, opts: { clusterCIDR, nodeIP: pnode.ip }, nodeAddresses });
  const cip = pport.clusterIP;

  if (entry === 'clusterip') {
    hops.push({
      kind: 'vip',
      detail: `${src.label} connects to ${cip}:${sp.port}/${sp.protocol}, the ClusterIP of ${name}${sp.name ? ` port ${sp.name}` : ''}: a virtual address no interface holds; kube-proxy's rules on ${src.nodeName ? describeNode(nodes, src.nodeName) : "the client's node"} catch it`,
      rules: [],
      objectIds: [svc.id],
    });
  } else if (entry === 'nodeport') {
    hops.push({
      kind: 'nodeport',
      detail: `the client connects to a node address (${nodeList}) on NodePort ${sp.nodePort ?? '<allocated from 30000-32767>'}/${sp.protocol}; every node listens for ${name}`,
      rules: cat.hasEndpoints ? path.entry : [],
      objectIds: [svc.id],
    });
  } else if (entry === 'loadbalancer') {
    hops.push({
      kind: 'loadbalancer',
      detail: `the client connects to the load balancer ${lbIp}:${sp.port}${svc.loadBalancerIPs.length === 0 ? ' (assigned by the cloud provider once the Service exists)' : ''}; it hands the connection to a node, either on NodePort ${sp.nodePort ?? '<allocated>'} or with the LB address kept (kube-proxy catches both)${etpLocal ? '; with externalTrafficPolicy Local its health checks (healthCheckNodePort) send only to nodes that have a ready local endpoint' : ''}`,
      rules: cat.hasEndpoints ? path.entry : [],
      objectIds: [svc.id],
    });
  } else {
    const xip = svc.externalIPs[0];
    hops.push({
      kind: 'vip',
      detail: `the client connects to external IP ${xip}:${sp.port}; the network must route ${xip} to a node (Kubernetes does not announce externalIPs), where kube-proxy catches it`,
      rules: cat.hasEndpoints ? path.entry : [],
      objectIds: [svc.id],
    });
  }

  // No endpoints at all.
  if (!cat.hasEndpoints) {
    hops.push({
      kind: 'kube-proxy',
      detail: `kube-proxy (${mode}): ${name} has no ready endpoint for port ${sp.port}: ${mode === 'ipvs' ? 'the virtual server has no real server and the connection is refused' : 'the connection is rejected (ICMP port unreachable)'}`,
      rules: path.refused,
      objectIds: [svc.id],
    });
    const why = set.backends.length === 0 ? (set.source === 'none' ? set.notes[0] : `its selector matches no Pods`) : dedupe(notes).join('; ');
    return { proxyMode: mode, verdict: 'no-endpoints', reason: `${name}: no endpoint to send to: ${why}`, hops, endpoints: [] };
  }

  // The firewall of loadBalancerSourceRanges (LB IP only; NodePorts are not subject to it).
  if (entry === 'loadbalancer' && pport.loadBalancerSourceRanges.length > 0 && svc.loadBalancerIPs.length > 0) {
    const ip = src.subject.kind !== 'pod' ? src.subject.ip : undefined;
    const ranges = pport.loadBalancerSourceRanges.join(', ');
    if (ip && !pport.loadBalancerSourceRanges.some((r) => cidrContains(r, ip))) {
      hops.push({ kind: 'kube-proxy', detail: `loadBalancerSourceRanges (${ranges}) do not include ${ip}: the node drops the connection (firewall)`, rules: [], objectIds: [svc.id] });
      return { proxyMode: mode, verdict: 'dropped', reason: `${ip} is not in ${name}'s loadBalancerSourceRanges (${ranges})`, hops, endpoints: [] };
    }
    if (!ip) undecided.push(`only clients in loadBalancerSourceRanges (${ranges}) get through the load balancer IP; the client's address is not given`);
  }

  // Which endpoints this node may use (traffic policies).
  let localNote = '';
  if (localPolicy) {
    const policyName = itpLocal ? 'internalTrafficPolicy' : 'externalTrafficPolicy';
    if (etpLocal && entry === 'loadbalancer' && symbolicEntry) {
      localNote = `${policyName} Local: each node sends only to its own endpoints; the load balancer's health checks keep nodes without one out`;
      entryNode = undefined;
    } else if (!symbolicEntry) {
      localNote = `${policyName} Local: only endpoints on ${describeNode(nodes, entryNodeName)} are used`;
      if (candidates.length === 0) {
        hops.push({
          kind: 'kube-proxy',
          detail: `${policyName} Local and no ready endpoint of ${name} on ${describeNode(nodes, entryNodeName)}: the node drops the connection`,
          rules: path.refused,
          objectIds: [svc.id],
        });
        return { proxyMode: mode, verdict: 'dropped', reason: `${policyName}: Local and ${describeNode(nodes, entryNodeName)} has no ready endpoint of ${name}`, hops, endpoints: [] };
      }
    } else {
      const byNode = new Set(candidates.map((ep) => ep.nodeName).filter((x): x is string => !!x));
      const withEp = nodes.filter((n) => byNode.has(n.name)).map((n) => n.name);
      const without = nodes.filter((n) => !byNode.has(n.name)).map((n) => n.name);
      if (!symbolic && nodes.length > 0 && without.length === 0) {
        localNote = `${policyName} Local: every node has a local endpoint`;
      } else {
        const which = !symbolic && nodes.length > 0 ? ` (nodes with one: ${withEp.join(', ') || 'none'}; without: ${without.join(', ')})` : '';
        localNote = `${policyName} Local: only a node running a ready endpoint of ${name} answers; the others drop the connection${which}`;
        undecided.push(
          itpLocal
            ? `internalTrafficPolicy Local: delivered only if an endpoint of ${name} runs on the client's node, which ${symbolic ? 'manifests do not say' : 'is not known'}`
            : `externalTrafficPolicy Local: delivered only if the node the client reaches runs an endpoint of ${name}${which}`,
        );
      }
    }
  }
  if (cat.clusterFallback || cat.localFallback) notes.push('no endpoint is ready: kube-proxy falls back to the serving, terminating ones');

  // The masquerade decision for a ClusterIP (local-traffic detection by the cluster CIDR) and hairpin.
  let masqText = '';
  if (entry === 'clusterip' && mode !== 'ipvs') {
    const srcIp = clientIps[0];
    if (src.subject.kind === 'node' || (src.subject.kind === 'pod' && src.subject.hostNetwork)) {
      masqText = `; the source ${srcIp ?? "(the node's address)"} is outside the cluster CIDR, so the ClusterIP rule marks it for masquerade (SNAT to the node's address)`;
    } else if (srcIp && clusterCIDR && !cidrContains(clusterCIDR, srcIp)) {
      masqText = `; the source ${srcIp} is outside the cluster CIDR ${clusterCIDR}, so it is marked for masquerade`;
    } else {
      masqText = `; the source is a Pod inside the cluster CIDR${clusterCIDR ? ` ${clusterCIDR}` : ''}: no masquerade`;
    }
    const hairpin = candidates.find((ep) => ep.backend?.pod && src.objectIds.includes(ep.backend.pod.id));
    if (hairpin) masqText += `; if it picks ${hairpin.address} (the caller itself), the endpoint chain's "-s ${hairpin.address}" rule masquerades it (hairpin)`;
  }

  // kube-proxy dispatch.
  const n = candidates.length;
  const localChain = itpLocal || etpLocal;
  const spn = servicePortName(svc.namespace, svc.name, sp.name);
  const illustrative = symbolic ? ` (${mode === 'nftables' ? 'endpoint chain' : 'KUBE-SEP'} names computed from symbolic endpoints: illustrative only)` : '';
  const affinity = pport.affinitySeconds;
  const affinityText = affinity !== undefined ? `; sessionAffinity ClientIP: a client seen within ${affinity}s goes back to the same endpoint, new clients are spread as below` : '';
  const shareKnown = !(etpLocal && (entry === 'loadbalancer' || undecided.length > 0)) && !candidates.some((ep) => ep.backend?.countUnknown);
  const destText = entry === 'clusterip' ? `${cip}:${sp.port}` : entry === 'nodeport' ? `<node address>:${sp.nodePort ?? '<nodePort>'}` : `${address.kind === 'loadbalancer' || address.kind === 'externalip' ? address.ip : ''}:${sp.port}`;
  const targetPortText = typeof sp.targetPort === 'string' ? `; targetPort "${sp.targetPort}" resolved per Pod` : '';
  if (mode === 'iptables') {
    const chain = localChain ? svlChain(spn, sp.protocol) : svcChain(spn, sp.protocol);
    const probs = candidates
      .map((_, i) => ruleProbability(i, n))
      .map((p) => (p === undefined ? 'the last unconditionally' : p.toFixed(5)))
      .join(', ');
    hops.push({
      kind: 'kube-proxy',
      detail: `kube-proxy (iptables): ${entry === 'clusterip' ? 'KUBE-SERVICES matches it and jumps' : 'KUBE-EXT jumps'} to ${chain}, which ${
        n === 1 ? 'sends it to its only endpoint (one unconditional rule)' : `picks one of ${n} endpoints at random (rule probabilities ${probs}: each gets 1/${n})`
      }${localNote ? `; ${localNote}` : ''}${masqText}${affinityText}`,
      rules: entry === 'clusterip' ? [...path.entry, ...path.dispatch] : path.dispatch,
      objectIds: [svc.id, ...set.backends.flatMap((b) => b.objectIds)],
    });
    hops.push({
      kind: 'dnat',
      detail: `the chosen KUBE-SEP chain rewrites the destination ${destText} to the endpoint (DNAT)${targetPortText}${entry !== 'clusterip' ? '; the ClusterIP never appears in the packet' : ''}${illustrative}`,
      rules: path.dnat,
      objectIds: set.backends.flatMap((b) => b.objectIds),
    });
  } else if (mode === 'nftables') {
    const names = nftNames(pport);
    const chain = localChain ? names.local : names.service;
    hops.push({
      kind: 'kube-proxy',
      detail: `kube-proxy (nftables, table ${names.table}): ${entry === 'nodeport' ? 'the services chain looks the NodePort up in map service-nodeports' : 'the services chain looks the destination up in map service-ips'}${entry === 'clusterip' ? '' : ` and goes to ${names.external}`}, then ${chain}, where ${
        n === 1 ? '"numgen random mod 1" sends it to its only endpoint' : `"numgen random mod ${n}" picks one of ${n} endpoint chains (each 1/${n})`
      }${localNote ? `; ${localNote}` : ''}${masqText}${affinityText}`,
      rules: entry === 'clusterip' ? (path.entryAndDispatch ?? [...path.entry, ...path.dispatch]) : path.dispatch,
      objectIds: [svc.id, ...set.backends.flatMap((b) => b.objectIds)],
    });
    hops.push({
      kind: 'dnat',
      detail: `the chosen endpoint chain rewrites the destination ${destText} to the endpoint ("dnat to")${targetPortText}${entry !== 'clusterip' ? '; the ClusterIP never appears in the packet' : ''}${illustrative}`,
      rules: path.dnat,
      objectIds: set.backends.flatMap((b) => b.objectIds),
    });
  } else {
    const servers = path.virtualServers ?? [];
    hops.push({
      kind: 'kube-proxy',
      detail: `kube-proxy (IPVS): virtual server ${servers.join(', ') || '(none)'}${entry === 'clusterip' ? ' (bound to kube-ipvs0)' : ''} with ${n} real server(s), scheduler rr (round robin: each gets 1/${n} in turn)${affinity !== undefined ? `; sessionAffinity ClientIP: persistent ${affinity}s` : ''}${localNote ? `; ${localNote}` : ''}`,
      rules: path.dispatch,
      objectIds: [svc.id, ...set.backends.flatMap((b) => b.objectIds)],
    });
    hops.push({
      kind: 'dnat',
      detail: `IPVS (masquerade mode) rewrites the destination to the chosen real server${targetPortText}`,
      rules: [],
      objectIds: set.backends.flatMap((b) => b.objectIds),
    });
  }

  // Source NAT for external traffic.
  if (entry !== 'clusterip') {
    if (etpLocal) {
      hops.push({
        kind: 'route',
        detail: `externalTrafficPolicy Local: no SNAT, the Pod sees the client's own address; the endpoint is on the node that received the connection`,
        rules: [],
        objectIds: [svc.id],
      });
    } else {
      hops.push({
        kind: 'route',
        detail: `externalTrafficPolicy Cluster: ${mode === 'nftables' ? `${nftNames(pport).external} jumped to mark-for-masquerade` : 'KUBE-EXT marked the connection'} and POSTROUTING masquerades it: the source becomes the receiving node's address (the second NAT); the Pod never sees the client's address, and the endpoint may be on another node (a second hop)`,
        rules: path.masquerade,
        objectIds: [svc.id],
      });
      sourceSeen = {
        kind: 'node',
        name: 'the receiving node (after SNAT)',
        ip: undefined,
        family: 4,
        nodeName: undefined,
        objectIds: [],
      };
    }
  }

  const targets = candidates.map((ep) => ({ ...ep.backend!, port: ep.port }));
  const shares = candidates.map((_, i) => (shareKnown ? (mode === 'iptables' ? endpointShare(i, n) : 1 / n) : undefined));
  const ruleProbs = candidates.map((_, i) => (mode === 'iptables' ? ruleProbability(i, n) : undefined));
  const result = finish(model, index, svc, sp, src, targets, hops, notes, { entry, shares, ruleProbs, sourceSeen, symbolic, undecided, entryNode, vip: cip });
  result.proxyMode = mode;
  result.ruleNotation = RULE_NOTATION[mode];
  return result;
}

interface FinishOptions {
  entry: Entry;
  shares: (number | undefined)[];
  ruleProbs: (number | undefined)[];
  sourceSeen: PolicySubject;
  symbolic: boolean;
  undecided: string[];
  entryNode?: string;
  /** The ClusterIP of the request's family. */
  vip?: string;
}

/** Policies, routing, delivery and the reply, then the verdict. */
function finish(
  model: NetworkModel,
  index: ModelIndex,
  svc: Service,
  sp: ServicePort,
  src: Source,
  targets: Backend[],
  hops: TraceHop[],
  notes: string[],
  o: FinishOptions,
): TraceResult {
  const nodes = model.nodes;
  // Policy verdicts per destination group (workload, or live Pod).
  const groups = new Map<string, { backends: Backend[]; subject: PodSubject }>();
  for (const b of targets) {
    // One verdict per workload and port (its Pods share labels and containers).
    const key = `${b.workload ? b.workload.id : b.address}:${b.port}`;
    let g = groups.get(key);
    if (!g) {
      g = { backends: [], subject: destinationSubject(b) };
      groups.set(key, g);
    }
    g.backends.push(b);
    if (!b.symbolic && !g.subject.ips.includes(b.address)) g.subject.ips.push(b.address);
  }
  const allowedBy = new Map<Backend, 'yes' | 'no' | 'unknown'>();
  const conditions = new Set<string>();
  const denials: string[] = [];
  const egressHops: TraceHop[] = [];
  const ingressHops: TraceHop[] = [];
  const seenExplanations = new Set<string>();
  for (const g of groups.values()) {
    const port = g.backends[0].port!;
    const v = evaluatePolicies(index, { source: o.sourceSeen, destination: g.subject, protocol: sp.protocol, port });
    for (const b of g.backends) allowedBy.set(b, v.allowed);
    for (const side of [v.egress, v.ingress]) {
      if (!side.enforced && side.direction === 'egress') continue;
      if (seenExplanations.has(side.explanation)) continue;
      seenExplanations.add(side.explanation);
      const hop = policyHop(side);
      (side.direction === 'egress' ? egressHops : ingressHops).push(hop);
      if (side.allowed === 'no') denials.push(side.explanation);
      for (const c of side.conditions) conditions.add(c);
    }
  }

  // Routing legs.
  const legs: RouteLeg[] = targets.map((b) => ({
    fromNode: o.entry === 'clusterip' || o.entry === 'headless' ? src.nodeName : o.entryNode,
    toNode: b.nodeName,
    target: b.address,
    ...((b.pod?.hostNetwork ?? b.workload?.hostNetwork) ? { hostNetwork: true } : {}),
  }));
  const fromPod = o.entry === 'clusterip' || o.entry === 'headless';
  const fromHostNetwork = src.subject.kind === 'pod' && src.subject.hostNetwork;
  const fromLabel = fromPod ? `${src.label}${fromHostNetwork ? " (hostNetwork: from its node's own address)" : ''}` : 'the receiving node';
  hops.push(...egressHops);
  hops.push(routeHop(nodes, legs, fromLabel, targets.flatMap((b) => b.objectIds), fromPod && fromHostNetwork));
  hops.push(...ingressHops);

  // Delivery.
  const delivered = new Set<string>();
  for (const g of groups.values()) {
    const b = g.backends[0];
    const port = b.port!;
    const containers = b.pod && b.pod.containers.length > 0 ? b.pod.containers : (b.workload?.containers ?? []);
    const c = containers.find((x) => x.ports.some((p) => p.containerPort === port && p.protocol === sp.protocol));
    const named = c?.ports.find((p) => p.containerPort === port)?.name;
    const where = g.backends.length > 1 ? `${g.backends.length} endpoints of ${g.subject.name}` : b.address;
    const verdict = allowedBy.get(b);
    const text = verdict === 'no'
      ? `not delivered to ${where}: NetworkPolicy drops it first`
      : c
        ? `${verdict === 'unknown' ? 'if allowed, delivered' : 'delivered'} to ${where}: container ${c.name} port ${port}${named ? ` (${named})` : ''}/${sp.protocol}`
        : `${verdict === 'unknown' ? 'if allowed, delivered' : 'delivered'} to ${where} on port ${port}/${sp.protocol}: no container declares it (containerPort is informational; the process must listen on it)`;
    if (!delivered.has(text)) {
      delivered.add(text);
      hops.push({ kind: 'pod', detail: text, rules: [], objectIds: b.objectIds });
    }
  }

  // Reply (when some request gets through).
  if (targets.some((b) => allowedBy.get(b) !== 'no')) {
    hops.push({ kind: 'reply', detail: replyText(svc, sp, o, src), rules: [], objectIds: [svc.id] });
  }

  const endpoints: TraceEndpoint[] = targets.map((b, i) => {
    const e: TraceEndpoint = {
      target: b.address,
      port: b.port!,
      symbolic: b.symbolic,
      ready: b.ready,
      terminating: b.terminating,
      allowed: allowedBy.get(b),
      objectIds: b.objectIds,
    };
    if (o.shares[i] !== undefined) e.probability = round(o.shares[i]!);
    if (o.ruleProbs[i] !== undefined) e.ruleProbability = round(o.ruleProbs[i]!);
    if (b.nodeName) e.nodeName = b.nodeName;
    return e;
  });

  // Verdict.
  const vals = targets.map((b) => allowedBy.get(b) ?? 'yes');
  const yes = vals.filter((v) => v === 'yes').length;
  const no = vals.filter((v) => v === 'no').length;
  const unknown = vals.length - yes - no;
  const name = `${svc.namespace}/${svc.name}`;
  const noteText = notes.length > 0 ? ` Notes: ${dedupe(notes).join('; ')}.` : '';
  if (no > 0 && yes === 0 && unknown === 0) {
    return { verdict: 'dropped', reason: `NetworkPolicy drops it: ${dedupe(denials).join('; ')}`, hops, endpoints };
  }
  if (no > 0 && yes > 0 && unknown === 0) {
    const lost = endpoints.filter((e) => e.allowed === 'no').reduce((s, e) => s + (e.probability ?? 0), 0);
    return {
      verdict: 'dropped',
      reason: `only ${yes} of ${vals.length} endpoints accept it${lost > 0 ? `: a new connection is dropped with probability ${lost.toFixed(5)}` : ''}: ${dedupe(denials).join('; ')}`,
      hops,
      endpoints,
    };
  }
  if (unknown > 0 || o.undecided.length > 0) {
    const why = [...o.undecided, ...(unknown > 0 ? [`NetworkPolicy allows it only if ${[...conditions].join('; or ')}`] : [])];
    return { verdict: 'unresolved', reason: `${why.join('. ')}.${noteText}`, hops, endpoints };
  }
  const symbolicNote = o.symbolic ? ' (endpoints are symbolic: manifests carry no Pod IPs or nodes)' : '';
  return {
    verdict: 'delivered',
    reason: `reaches ${name} port ${sp.port} -> ${targets.length} endpoint(s) on port ${[...new Set(targets.map((t) => t.port))].join('/')}${symbolicNote}.${noteText}`,
    hops,
    endpoints,
  };
}

function replyText(svc: Service, sp: ServicePort, o: FinishOptions, src: Source): string {
  const cip = o.vip ?? clusterIpText(svc);
  switch (o.entry) {
    case 'headless':
      return `the reply goes from the Pod straight back to ${src.label}; no NAT was done, none to undo`;
    case 'clusterip':
      return `the reply leaves the Pod addressed to ${src.label}; conntrack recognises the connection and rewrites its source back to ${cip}:${sp.port} (reverse DNAT), so the client sees the Service address it called`;
    default: {
      const addr = o.entry === 'nodeport' ? `<node address>:${sp.nodePort ?? '<nodePort>'}` : o.entry === 'loadbalancer' ? `${svc.loadBalancerIPs[0] ?? '<load-balancer address>'}:${sp.port}` : `${svc.externalIPs[0]}:${sp.port}`;
      return svc.externalTrafficPolicy === 'Local'
        ? `the reply leaves the Pod for the client's address directly from the receiving node; conntrack undoes the DNAT so it comes from ${addr}`
        : `the reply goes back to the receiving node (it was SNATed to it); conntrack undoes both NATs there (destination back to the client, source back to ${addr}) and sends it out`;
    }
  }
}

function destinationSubject(b: Backend): PodSubject {
  const w = b.workload;
  const containers = b.pod && b.pod.containers.length > 0 ? b.pod.containers : w?.containers;
  return {
    kind: 'pod',
    name: w ? `${w.namespace}/${w.kind}/${w.name}` : b.pod ? `${b.pod.namespace}/${b.pod.name}` : b.address,
    namespace: b.pod?.namespace ?? w?.namespace,
    labels: w?.podLabels ?? b.pod?.labels,
    ips: b.symbolic ? [] : [b.address],
    nodeName: b.nodeName,
    hostNetwork: w?.hostNetwork ?? false,
    containers,
    objectIds: b.objectIds,
  };
}

function mergeEndpoints(a: readonly ProxyEndpoint[], b: readonly ProxyEndpoint[]): ProxyEndpoint[] {
  const out = [...a];
  for (const ep of b) if (!out.includes(ep)) out.push(ep);
  return out;
}

function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
