// The trace engine: how one request travels, hop by hop, as data.
//
//   traceRequest(model, index, { from, to, proxyMode }) -> TraceResult
//
// Stages: the source (./source), DNS (./dns), the address the client connects
// to (ClusterIP, NodePort, load balancer, externalIPs, or an Ingress first:
// ./ingress-match), kube-proxy (./kube-proxy-iptables, ./kube-proxy-ipvs with
// ./chains), endpoint selection (./endpoints), NetworkPolicy at the source's
// egress and the destination's ingress (../policy), routing and the reply
// (./routing). A trace that cannot complete says where and why (`unresolved`),
// and manifests (no Pod IPs, no nodes) give symbolic endpoints, said so.
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel, Service, ServicePort } from '../model/types';
import { evaluatePolicies, type PodSubject, type PolicySubject } from '../policy/evaluate';
import { endpointShare, ruleProbability, servicePortName, svcChain, svlChain } from './chains';
import { clusterIpText, dnsEgressCheck, dnsHop } from './dns';
import { collectBackends, usableBackends } from './endpoints';
import { matchIngress, parseUrl } from './ingress-match';
import {
  clusterIpRule,
  dispatchRules,
  externalAddressRule,
  externalRejectRule,
  extRules,
  MASQUERADE_RULE,
  nodePortRules,
  rejectRule,
  sepRules,
  type PortContext,
  type ProxyEndpoint,
} from './kube-proxy-iptables';
import { ipvsLines } from './kube-proxy-ipvs';
import { describeNode, nodeAddress, routeHop, type RouteLeg } from './routing';
import { controllerSource, resolveSource, unknownPodSource, type Source } from './source';
import type { Backend, ProxyMode, TraceEndpoint, TraceHop, TraceOptions, TraceResult, TraceVerdict } from './types';

export type * from './types';
export { parseUrl, matchIngress, hostMatches, pathMatches } from './ingress-match';
export type { IngressMatch, IngressMatchResult, ParsedUrl } from './ingress-match';
export { portProtoHash, servicePortName, svcChain, sepChain, extChain, svlChain, fwChain, ruleProbability, endpointShare, iptablesSaveProbability } from './chains';
export { collectBackends, usableBackends, resolveTargetPort } from './endpoints';

/** kube-proxy's default sessionAffinity timeout (3 hours). */
const DEFAULT_AFFINITY_SECONDS = 10800;

export function traceRequest(model: NetworkModel, index: ModelIndex, options: TraceOptions): TraceResult {
  const result = traceInner(model, index, options);
  for (const h of result.hops) if (h.objectIds) h.objectIds = dedupe(h.objectIds);
  for (const e of result.endpoints) e.objectIds = dedupe(e.objectIds);
  return result;
}

function traceInner(model: NetworkModel, index: ModelIndex, options: TraceOptions): TraceResult {
  const mode: ProxyMode = options.proxyMode ?? 'iptables';
  const to = options.to;
  if (to.kind === 'url') return traceUrl(model, index, to.url, options, mode);

  const services = index.servicesNamed(to.namespace, to.name);
  if (services.length === 0) {
    return unresolved(`no Service ${to.namespace}/${to.name} in the set`, []);
  }
  const svc = services[0];
  const sp = pickPort(svc, to.port);
  if (typeof sp === 'string') return unresolved(sp, []);
  const src = options.from ? resolveSource(index, options.from) : unknownPodSource(svc.namespace);
  if (typeof src === 'string') return unresolved(src, []);
  return traceService(model, index, svc, sp, src, mode, [], false);
}

function traceUrl(model: NetworkModel, index: ModelIndex, text: string, options: TraceOptions, mode: ProxyMode): TraceResult {
  const url = parseUrl(text);
  if (!url) return unresolved(`"${text}" is not an http:// or https:// URL`, []);
  const { match, reason, failure } = matchIngress(model, url);
  if (!match) {
    const verdict: TraceVerdict = failure === 'not-found' ? 'dropped' : 'unresolved';
    return { verdict, reason: reason ?? 'no Ingress matches', hops: [{ kind: 'ingress', detail: reason ?? '', rules: [] }], endpoints: [] };
  }
  const ing = match.ingress;
  const b = match.backend;
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
  return traceService(model, index, svc, sp, src.kind === 'external' ? controllerSource() : src, mode, hops, true);
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
): TraceResult {
  const name = `${svc.namespace}/${svc.name}`;
  const external = src.kind === 'external';

  // ExternalName: DNS only.
  if (svc.type === 'ExternalName') {
    if (!external) {
      hops.push(dnsHop(svc, sp, src.namespace, src.label, []));
      const blocked = dnsLookupBlocked(index, src, hops, []);
      if (blocked) return blocked;
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
  if (svc.headless) {
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

  const spn = servicePortName(svc.namespace, svc.name, sp.name);
  const ctx: PortContext = { svc, sp, spn, protocol: sp.protocol };
  const cip = clusterIpText(svc);
  const symbolic = set.source === 'selector';
  const affinity = svc.sessionAffinity === 'ClientIP' ? (svc.sessionAffinityTimeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : undefined;
  const nodes = model.nodes;
  const etpLocal = entry !== 'clusterip' && entry !== 'headless' && svc.externalTrafficPolicy === 'Local';
  const itpLocal = entry === 'clusterip' && svc.internalTrafficPolicy === 'Local';

  // DNS (clients inside the cluster; the ingress controller reads endpoints itself).
  const undecided: string[] = [];
  if (!external && !viaIngress) {
    const dnsAnswers = svc.headless ? (svc.publishNotReadyAddresses ? set.backends : usable) : [];
    const hop = dnsHop(svc, sp, src.namespace, src.label, dnsAnswers);
    if (src.kind === 'node') hop.detail += ' (if the node resolves through the cluster DNS; nodes usually do not)';
    hops.push(hop);
    const blocked = dnsLookupBlocked(index, src, hops, undecided);
    if (blocked) return blocked;
  }

  const notes = [...set.notes];
  const srcWorkload = src.objectIds[0];
  if (srcWorkload && usable.some((b) => b.workload?.id === srcWorkload)) {
    notes.push('the client is itself an endpoint: when kube-proxy picks the calling Pod, KUBE-SEP masquerades the connection (hairpin) and the Pod sees it from its node');
  }
  if (fallback) notes.push('no endpoint is ready: kube-proxy falls back to the serving, terminating ones');
  for (const b of unusable) {
    notes.push(b.note ?? `${b.address} is ${b.terminating ? 'terminating' : 'not ready'}: not used`);
  }

  // Headless: the client connects to a Pod address itself.
  if (entry === 'headless') {
    const answers = svc.publishNotReadyAddresses ? set.backends : usable;
    const portNote =
      set.backends.length > 0 && set.backends[0].port !== undefined && set.backends[0].port !== sp.port
        ? `; the Pod receives on ${sp.port}, not targetPort ${set.backends[0].port}: the port mapping does not apply without a virtual IP (the SRV record advertises ${set.backends[0].port})`
        : '';
    hops.push({
      kind: 'vip',
      detail: `no virtual IP: the client picks one DNS answer and connects to it on port ${sp.port} directly; kube-proxy is not involved${portNote}`,
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

  // The address the client connects to.
  const eps: ProxyEndpoint[] = usable.map((b) => ({ address: b.address, port: b.port!, symbolic: b.symbolic }));
  let sourceSeen: PolicySubject = src.subject;
  let entryNode: string | undefined = src.nodeName;
  const nodeList = nodes.length > 0 ? nodes.map((n) => nodeAddress(n) ?? n.name).join(', ') : '<any node address>';

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
      rules: mode === 'iptables' ? nodePortRules(ctx, sp.nodePort, etpLocal) : [],
      objectIds: [svc.id],
    });
  } else if (entry === 'loadbalancer') {
    const lb = svc.loadBalancerIPs[0] ?? '<load-balancer address>';
    hops.push({
      kind: 'loadbalancer',
      detail: `the client connects to the load balancer ${lb}:${sp.port}${svc.loadBalancerIPs.length === 0 ? ' (assigned by the cloud provider once the Service exists)' : ''}; it hands the connection to a node, either on NodePort ${sp.nodePort ?? '<allocated>'} or with the LB address kept (kube-proxy catches both)${etpLocal ? '; with externalTrafficPolicy Local its health checks (healthCheckNodePort) send only to nodes that have a ready local endpoint' : ''}`,
      rules: mode === 'iptables' ? [externalAddressRule(ctx, lb, 'loadbalancer IP'), ...nodePortRules(ctx, sp.nodePort, etpLocal)] : [],
      objectIds: [svc.id],
    });
  } else {
    const xip = svc.externalIPs[0];
    hops.push({
      kind: 'vip',
      detail: `the client connects to external IP ${xip}:${sp.port}; the network must route ${xip} to a node (Kubernetes does not announce externalIPs), where kube-proxy catches it`,
      rules: mode === 'iptables' ? [externalAddressRule(ctx, xip, 'external IP'), ...extRules(ctx, etpLocal)] : [],
      objectIds: [svc.id],
    });
  }

  // No endpoints at all.
  if (eps.length === 0) {
    const rule = entry === 'clusterip' ? rejectRule(ctx, cip, 'has no endpoints') : externalRejectRule(ctx, sp.nodePort, 'has no endpoints');
    hops.push({
      kind: 'kube-proxy',
      detail: `${name} has no ready endpoint for port ${sp.port}: kube-proxy rejects the connection (ICMP port unreachable)`,
      rules: mode === 'iptables' ? [rule] : ipvsLines(sp.protocol, entry === 'clusterip' ? cip : '<node address>', entry === 'nodeport' ? (sp.nodePort ?? '<nodePort>') : sp.port, []),
      objectIds: [svc.id],
    });
    const why = set.backends.length === 0 ? (set.source === 'none' ? set.notes[0] : `its selector matches no Pods`) : [...new Set(notes)].join('; '); // several endpoints give the same note
    return { verdict: 'no-endpoints', reason: `${name}: no endpoint to send to: ${why}`, hops, endpoints: [] };
  }

  // Which endpoints this node may use (traffic policies).
  let candidates = usable;
  let localNote = '';
  if (itpLocal || etpLocal) {
    const policyName = itpLocal ? 'internalTrafficPolicy' : 'externalTrafficPolicy';
    if (etpLocal && entry === 'loadbalancer') {
      localNote = `${policyName} Local: each node sends only to its own endpoints; the load balancer's health checks keep nodes without one out`;
      entryNode = undefined;
    } else if (entryNode && !symbolic) {
      candidates = usable.filter((b) => b.nodeName === entryNode);
      localNote = `${policyName} Local: only endpoints on ${describeNode(nodes, entryNode)} are used`;
      if (candidates.length === 0) {
        hops.push({
          kind: 'kube-proxy',
          detail: `${policyName} Local and no ready endpoint of ${name} on ${describeNode(nodes, entryNode)}: the node drops the connection`,
          rules: mode === 'iptables' ? [itpLocal ? rejectRule(ctx, cip, 'has no local endpoints') : externalRejectRule(ctx, sp.nodePort, 'has no local endpoints')] : [],
          objectIds: [svc.id],
        });
        return { verdict: 'dropped', reason: `${policyName}: Local and ${describeNode(nodes, entryNode)} has no ready endpoint of ${name}`, hops, endpoints: [] };
      }
    } else {
      const byNode = new Map<string, number>();
      for (const b of usable) if (b.nodeName) byNode.set(b.nodeName, (byNode.get(b.nodeName) ?? 0) + 1);
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

  // kube-proxy dispatch.
  const candEps: ProxyEndpoint[] = candidates.map((b) => ({ address: b.address, port: b.port!, symbolic: b.symbolic }));
  const n = candEps.length;
  const localChain = itpLocal || etpLocal;
  const chain = localChain ? svlChain(spn, sp.protocol) : svcChain(spn, sp.protocol);
  const illustrative = symbolic ? ' (KUBE-SEP names computed from symbolic endpoints: illustrative only)' : '';
  const affinityText = affinity !== undefined ? `; sessionAffinity ClientIP: a client seen within ${affinity}s goes back to the same endpoint, new clients are spread as below` : '';
  const shareKnown = !(etpLocal && (entry === 'loadbalancer' || undecided.length > 0)) && !candidates.some((b) => b.countUnknown);
  if (mode === 'iptables') {
    const rules: string[] = [];
    if (entry === 'clusterip') rules.push(clusterIpRule(ctx, cip, itpLocal));
    rules.push(...dispatchRules(ctx, chain, candEps, affinity));
    const probs = candEps
      .map((_, i) => ruleProbability(i, n))
      .map((p) => (p === undefined ? 'the last unconditionally' : p.toFixed(5)))
      .join(', ');
    hops.push({
      kind: 'kube-proxy',
      detail: `kube-proxy (iptables): ${entry === 'clusterip' ? 'KUBE-SERVICES matches it and jumps' : 'KUBE-EXT jumps'} to ${chain}, which ${
        n === 1 ? 'sends it to its only endpoint (one unconditional rule)' : `picks one of ${n} endpoints at random (rule probabilities ${probs}: each gets 1/${n})`
      }${localNote ? `; ${localNote}` : ''}${affinityText}`,
      rules,
      objectIds: [svc.id, ...set.backends.flatMap((b) => b.objectIds)],
    });
    hops.push({
      kind: 'dnat',
      detail: `the chosen KUBE-SEP chain rewrites the destination ${entry === 'clusterip' ? `${cip}:${sp.port}` : entry === 'nodeport' ? `<node address>:${sp.nodePort ?? '<nodePort>'}` : `${entry === 'loadbalancer' ? (svc.loadBalancerIPs[0] ?? '<load-balancer address>') : svc.externalIPs[0]}:${sp.port}`} to the endpoint (DNAT)${typeof sp.targetPort === 'string' ? `; targetPort "${sp.targetPort}" resolved per Pod` : ''}${entry !== 'clusterip' ? '; the ClusterIP never appears in the packet' : ''}${illustrative}`,
      rules: candEps.flatMap((ep) => sepRules(ctx, ep, affinity !== undefined)),
      objectIds: set.backends.flatMap((b) => b.objectIds),
    });
  } else {
    const addresses =
      entry === 'clusterip'
        ? [[cip, sp.port] as const]
        : entry === 'nodeport'
          ? (nodes.length > 0 ? nodes.map((nd) => nodeAddress(nd) ?? nd.name) : ['<node address>']).map((a) => [a, sp.nodePort ?? '<nodePort>'] as const)
          : [[entry === 'loadbalancer' ? (svc.loadBalancerIPs[0] ?? '<load-balancer address>') : svc.externalIPs[0], sp.port] as const];
    hops.push({
      kind: 'kube-proxy',
      detail: `kube-proxy (IPVS): virtual server ${addresses.map(([a, p]) => `${a}:${p}`).join(', ')}${entry === 'clusterip' ? ' (bound to kube-ipvs0)' : ''} with ${n} real server(s), scheduler rr (round robin: each gets 1/${n} in turn)${affinity !== undefined ? `; sessionAffinity ClientIP: persistent ${affinity}s` : ''}${localNote ? `; ${localNote}` : ''}`,
      rules: addresses.flatMap(([a, p]) => ipvsLines(sp.protocol, a, p, candEps, 'rr', affinity)),
      objectIds: [svc.id, ...set.backends.flatMap((b) => b.objectIds)],
    });
    hops.push({
      kind: 'dnat',
      detail: `IPVS (masquerade mode) rewrites the destination to the chosen real server${typeof sp.targetPort === 'string' ? `; targetPort "${sp.targetPort}" resolved per Pod` : ''}`,
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
        detail: `externalTrafficPolicy Cluster: KUBE-EXT marked the connection and POSTROUTING masquerades it: the source becomes the receiving node's address (the second NAT); the Pod never sees the client's address, and the endpoint may be on another node (a second hop)`,
        rules: mode === 'iptables' ? [MASQUERADE_RULE] : [],
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

  const shares = candidates.map((_, i) => (shareKnown ? (mode === 'iptables' ? endpointShare(i, n) : 1 / n) : undefined));
  const ruleProbs = candidates.map((_, i) => (mode === 'iptables' ? ruleProbability(i, n) : undefined));
  return finish(model, index, svc, sp, src, candidates, hops, notes, { entry, shares, ruleProbs, sourceSeen, symbolic, undecided, entryNode });
}

/** The lookup's own egress check: a dropped result when it is denied, else the hop (and any open condition). */
function dnsLookupBlocked(index: ModelIndex, src: Source, hops: TraceHop[], undecided: string[]): TraceResult | undefined {
  if (src.subject.kind !== 'pod') return undefined;
  const check = dnsEgressCheck(index, src.subject);
  if (!check) return undefined;
  hops.push(check.hop);
  if (check.allowed === 'no') {
    return {
      verdict: 'dropped',
      reason: `the name never resolves: ${src.label}'s egress is isolated and no rule allows UDP/53 to the cluster DNS (${check.hop.detail}); allow egress to the DNS Pods on UDP and TCP 53`,
      hops,
      endpoints: [],
    };
  }
  if (check.allowed === 'unknown') undecided.push(`the name resolves only if ${check.hop.policy!.conditions.join('; or ')}`);
  return undefined;
}

interface FinishOptions {
  entry: Entry;
  shares: (number | undefined)[];
  ruleProbs: (number | undefined)[];
  sourceSeen: PolicySubject;
  symbolic: boolean;
  undecided: string[];
  entryNode?: string;
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
      const hop: TraceHop = {
        kind: 'policy',
        detail: side.explanation,
        rules: [],
        objectIds: side.policies.map((p) => p.id),
        policy: {
          direction: side.direction,
          policyIds: side.policies.map((p) => p.id),
          allowedBy: side.allowedBy ? { policyId: side.allowedBy.policyId, policy: side.allowedBy.policy, ruleIndex: side.allowedBy.ruleIndex } : undefined,
          allowed: side.allowed,
          conditions: side.conditions,
        },
      };
      (side.direction === 'egress' ? egressHops : ingressHops).push(hop);
      if (side.allowed === 'no') denials.push(side.explanation);
      for (const c of side.conditions) conditions.add(c);
    }
  }

  // Routing legs.
  const legs: RouteLeg[] = targets.map((b) => ({ fromNode: o.entry === 'clusterip' || o.entry === 'headless' ? src.nodeName : o.entryNode, toNode: b.nodeName, target: b.address }));
  const fromLabel = o.entry === 'clusterip' || o.entry === 'headless' ? src.label : 'the receiving node';
  hops.push(...egressHops);
  hops.push(routeHop(nodes, legs, fromLabel, targets.flatMap((b) => b.objectIds)));
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
  const cip = clusterIpText(svc);
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

function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
