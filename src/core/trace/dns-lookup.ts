// The name lookup's own trip, before the request it is for.
//
// With the cluster DNS in the set (the kube-dns Service in kube-system and the
// CoreDNS Pods behind it), a Pod's query is a request to a Service like any
// other and is traced by the same engine: the kube-dns ClusterIP on 53/UDP
// (the nameserver the kubelet writes into the Pod's resolv.conf), kube-proxy's
// choice of a CoreDNS Pod, the egress verdict at the client and the ingress
// verdict at CoreDNS; then the answer. With NodeLocal DNSCache in the set the
// query stops at the cache on the client's node (its link-local address, and
// the kube-dns ClusterIP it also binds in kube-proxy's iptables mode), which
// sends a miss to its upstream Service over TCP: that leg is traced from the
// cache's Pod.
//
// Without the cluster DNS in the set, the server is assumed (said once, in
// the answer's data) and only the client's egress toward the DNS Pods is
// judged, as the rule networkpolicy-egress-blocks-dns judges it
// (../policy/cluster-dns's lookupEgress).
import type { ModelIndex } from '../model/model-index';
import type { Service, ServicePort, Workload } from '../model/types';
import { CLUSTER_DNS_NAMESPACE, NODE_LOCAL_DNS_ADDRESS, NODE_LOCAL_DNS_UPSTREAM, clusterDnsService, clusterDnsSubject, lookupEgress, nameserverPeer, nodeLocalDns, serversEgress } from '../policy/cluster-dns';
import { evaluatePolicies, type PodSubject, type PolicySubject } from '../policy/evaluate';
import type { Tri } from '../policy/tri';
import { clusterIpText, resolverOf } from './dns';
import { clientResolver, clusterDnsAddresses, type ClientResolver } from './dns-resolver';
import { policyHop } from './policy-hop';
import { describeNode } from './routing';
import { COREDNS_FORWARDS } from './dns-zone';
import { resolveSource, type Source } from './source';
import type { DnsServer, TraceHop, TraceResult } from './types';

/** Traces a request to a Service from a source, its address given (no lookup of its own): the engine, for the lookup's legs. */
export type ServiceTracer = (svc: Service, sp: ServicePort, from: Source) => TraceResult;

/** The cluster DNS as the set has it. */
export interface ClusterDnsInSet {
  service: Service;
  /** Its 53/UDP port (named dns in the upstream manifests). */
  port: ServicePort;
  /** NodeLocal DNSCache, and the Service it sends misses to (over TCP). */
  cache?: Workload;
  upstream?: { service: Service; port: ServicePort; inSet: boolean };
}

export function clusterDnsInSet(index: ModelIndex): ClusterDnsInSet | undefined {
  const service = clusterDnsService(index);
  const port = service?.ports.find((p) => p.port === 53 && p.protocol === 'UDP');
  if (!service || !port) return undefined;
  const cache = nodeLocalDns(index);
  if (!cache) return { service, port };
  const named = index.servicesNamed(CLUSTER_DNS_NAMESPACE, NODE_LOCAL_DNS_UPSTREAM)[0];
  const upstreamService = named ?? service;
  const tcp = upstreamService.ports.find((p) => p.port === 53 && p.protocol === 'TCP');
  const udp = upstreamService.ports.find((p) => p.port === 53 && p.protocol === 'UDP');
  const upstreamPort = tcp ?? udp;
  return { service, port, cache, upstream: upstreamPort ? { service: upstreamService, port: upstreamPort, inSet: named !== undefined } : undefined };
}

/** Whether the source's resolver is the cluster DNS: a Pod with dnsPolicy ClusterFirst (not on the host network), or ClusterFirstWithHostNet. */
export function asksClusterDns(index: ModelIndex, src: Source): boolean {
  return src.kind === 'pod' && resolverOfSource(index, src).kind === 'cluster';
}

function resolverOfSource(index: ModelIndex, src: Source): ClientResolver {
  const r = resolverOf(index, src);
  return clientResolver(src.kind === 'pod', r.hostNetwork ?? false, r.podDns, clusterDnsAddresses(index));
}

/** Which resolver a source that does not ask the cluster DNS has instead (see asksClusterDns). */
export function resolverWhy(index: ModelIndex, src: Source): string {
  const r = resolverOfSource(index, src);
  return `${r.why}: it asks ${r.server}`;
}

function assumedServer(index: ModelIndex): DnsServer {
  const service = clusterDnsService(index);
  const why = service ? `the set's ${service.namespace}/${service.name} has no port 53/UDP` : 'the set has no kube-dns Service in kube-system';
  return { assumed: true, detail: `assumed: the cluster DNS at the nameserver the kubelet writes into the client's resolv.conf (its --cluster-dns, the kube-dns Service's ClusterIP); ${why}` };
}

export interface LookupOptions {
  /** Judge the client's egress toward the DNS Pods when the server is assumed (false: the name did not resolve, and the trace has already ended). */
  assumedEgressCheck: boolean;
}

/**
 * The lookup's trip and its answer, added to `hops`: a result when the
 * lookup never gets its answer (the trace ends there), else undefined, with
 * any condition it depends on in `undecided`.
 */
export function traceLookup(index: ModelIndex, src: Source, answer: TraceHop, tracer: ServiceTracer, hops: TraceHop[], undecided: string[], options: LookupOptions = { assumedEgressCheck: true }): TraceResult | undefined {
  const blocked = lookupTrip(index, src, answer, tracer, hops, undecided, options);
  if (!blocked || blocked.verdict !== 'dropped' || !asksClusterDns(index, src)) return blocked;
  return laterNameservers(index, src, answer, blocked, hops, undecided) ?? undefined;
}

/**
 * dnsPolicy None whose first nameserver is the cluster DNS, which policy
 * drops: the resolver waits out its timeout (5 s by default) and asks the
 * Pod's next nameservers in turn. A name outside the cluster domain then
 * resolves if its egress reaches one of them; a cluster name does not (they
 * do not know the cluster's names). Returns the drop (reworded when there is
 * a next nameserver), or null when the lookup goes on through one.
 */
function laterNameservers(index: ModelIndex, src: Source, answer: TraceHop, blocked: TraceResult, hops: TraceHop[], undecided: string[]): TraceResult | null {
  const dns = resolverOf(index, src).podDns;
  const cluster = clusterDnsAddresses(index);
  const later = dns?.policy === 'None' ? (dns.nameservers ?? []).slice(1).filter((ip) => !cluster.includes(ip)) : [];
  const servers = later.flatMap((ip) => nameserverPeer(index, ip) ?? []);
  if (servers.length === 0 || src.subject.kind !== 'pod') return blocked;
  const { verdicts, allowed } = serversEgress(index, src.subject, servers);
  const named = `${later.length > 1 ? 'nameservers' : 'nameserver'} ${later.join(', ')}`;
  const outside = answer.dns?.queries.some((q) => q.rcode === 'upstream') ?? false;
  if (allowed === 'no' || !outside) {
    const why = allowed === 'no' ? `its egress does not allow UDP/53 to its next ${named} either` : `its next ${named} (dnsPolicy None) do${later.length > 1 ? '' : 'es'} not know the cluster's names`;
    return { ...blocked, reason: `${blocked.reason}; ${why}` };
  }
  for (const v of verdicts) hops.push(policyHop(v, `the name lookup again, after the resolver's timeout (5 s by default), to the Pod's next dnsConfig ${named}: ${v.explanation}`, []));
  if (answer.dns) answer.dns.server = { assumed: false, resolver: 'dnsConfig', nameservers: later, detail: `the Pod's dnsConfig ${named}, after the cluster DNS (its first nameserver) was dropped: dnsPolicy None` };
  answer.detail = answer.detail.replace(COREDNS_FORWARDS, `answered by the Pod's next dnsConfig ${named} (CoreDNS never got the query)`);
  if (!hops.includes(answer)) hops.push(answer);
  if (allowed === 'unknown') undecided.push(`the name resolves only if ${[...new Set(verdicts.flatMap((v) => v.conditions))].join('; or ')}`);
  return null;
}

function lookupTrip(index: ModelIndex, src: Source, answer: TraceHop, tracer: ServiceTracer, hops: TraceHop[], undecided: string[], options: LookupOptions): TraceResult | undefined {
  const asks = asksClusterDns(index, src);
  const dns = asks ? clusterDnsInSet(index) : undefined;
  if (!dns) {
    if (asks && answer.dns) answer.dns.server = assumedServer(index);
    hops.push(answer);
    if (!options.assumedEgressCheck) return undefined;
    return asks ? dnsLookupBlocked(index, src, hops, undecided) : ownResolverBlocked(index, src, resolverOfSource(index, src), hops, undecided);
  }
  const cip = clusterIpText(dns.service);
  const serviceName = `${dns.service.namespace}/${dns.service.name}`;
  const cacheName = dns.cache ? `${dns.cache.namespace}/${dns.cache.kind}/${dns.cache.name}` : undefined;
  const upstreamName = dns.upstream ? `${dns.upstream.service.namespace}/${dns.upstream.service.name}` : undefined;
  const server: DnsServer = {
    assumed: false,
    service: serviceName,
    address: cip,
    detail: `${serviceName} at ${cip}:53/UDP${cacheName ? `, through NodeLocal DNSCache ${cacheName} on the client's node (upstream ${upstreamName ?? 'not in the set'})` : ''}`,
  };
  if (cacheName) server.nodeLocalCache = cacheName;
  if (upstreamName) server.upstream = upstreamName;
  const blocked = dns.cache ? throughNodeLocalCache(index, src, dns, dns.cache, tracer, hops, undecided) : toCoreDns(src, dns, tracer, hops, undecided);
  if (blocked) return blocked;
  answer.lookup = true;
  if (answer.dns) answer.dns.server = server;
  const upstreamAsked = answer.dns?.queries.some((q) => q.rcode === 'upstream') ?? false;
  answer.detail += dns.cache
    ? `; NodeLocal DNSCache answers from ${NODE_LOCAL_DNS_ADDRESS} or ${cip}, whichever the query was sent to, from its cache or with CoreDNS's answer${upstreamAsked ? ` (a name outside the cluster domain it asks the node's own resolvers itself)` : ''}`
    : `; a CoreDNS Pod answers${upstreamAsked ? ' (a name outside the cluster domain after asking its upstream resolvers: kubeadm\'s Corefile has "forward . /etc/resolv.conf")' : ''}, and the answer comes back from ${cip}:53 (conntrack undoes the DNAT, so the resolver accepts it)`;
  if (!dns.cache) answer.detail += tcpRetryClause(index, src, dns.service);
  hops.push(answer);
  return undefined;
}

/**
 * An answer too large for one UDP datagram comes back truncated (the TC bit)
 * and the resolver asks again over TCP/53: said when the client's egress or
 * CoreDNS's ingress allows UDP/53 but denies TCP/53 (the usual half-written
 * DNS rule).
 */
function tcpRetryClause(index: ModelIndex, src: Source, service: Service): string {
  const tcpPort = service.ports.find((p) => p.port === 53 && p.protocol === 'TCP');
  if (src.subject.kind !== 'pod' || !tcpPort) return '';
  const dnsPods = clusterDnsSubject(index);
  const v = evaluatePolicies(index, { source: src.subject, destination: dnsPods, protocol: 'TCP', port: 53 });
  const denied = [v.egress, v.ingress].filter((side) => side.allowed === 'no');
  if (denied.length === 0) return '';
  return `; TCP/53 is denied (${denied.map((side) => side.explanation).join('; ')}): an answer too large for UDP comes back truncated and the resolver's retry over TCP fails`;
}

/** The query to the kube-dns ClusterIP, through kube-proxy to a CoreDNS Pod, traced by the engine. */
function toCoreDns(src: Source, dns: ClusterDnsInSet, tracer: ServiceTracer, hops: TraceHop[], undecided: string[]): TraceResult | undefined {
  const r = tracer(dns.service, dns.port, src);
  const path = lookupHops(r, 'DNS lookup: ');
  if (path[0]?.kind === 'vip') path[0].detail += `; it is the nameserver of the Pod's resolv.conf (the kubelet's --cluster-dns)`;
  hops.push(...path);
  return judge(r, `the DNS query to ${dns.service.namespace}/${dns.service.name} (${clusterIpText(dns.service)}:53/UDP)`, src, 'client', hops, undecided);
}

/** The query to NodeLocal DNSCache on the client's node, and the cache's miss to its upstream. */
function throughNodeLocalCache(index: ModelIndex, src: Source, dns: ClusterDnsInSet, cache: Workload, tracer: ServiceTracer, hops: TraceHop[], undecided: string[]): TraceResult | undefined {
  const cip = clusterIpText(dns.service);
  const cacheName = `${cache.namespace}/${cache.kind}/${cache.name}`;
  const node = src.nodeName ? describeNode(index.model.nodes, src.nodeName) : "the client's node";
  const cachePod = src.nodeName ? cache.pods.find((p) => p.nodeName === src.nodeName) : undefined;
  const cacheIds = cachePod ? [cache.id, cachePod.id] : [cache.id];
  hops.push({
    kind: 'dns',
    detail: `DNS lookup: ${src.label} sends its query to ${cip}:53/UDP, the nameserver of its resolv.conf (the kubelet's --cluster-dns); NodeLocal DNSCache (${cacheName}, on the host network of every node) listens on ${NODE_LOCAL_DNS_ADDRESS} and, with kube-proxy in iptables mode, on ${cip} too, with NOTRACK rules that keep kube-proxy from DNATing the query: the cache on ${node} takes it (with kube-proxy in IPVS mode the kubelet must give Pods ${NODE_LOCAL_DNS_ADDRESS} as their nameserver instead)`,
    rules: [],
    objectIds: [dns.service.id, ...cacheIds],
    lookup: true,
  });
  if (src.subject.kind === 'pod') {
    const egress = lookupEgress(index, src.subject);
    const toCache = egress.toNodeLocal!;
    if (toCache.enforced) hops.push({ ...policyHop(toCache, `DNS lookup: ${toCache.explanation} (toward NodeLocal DNSCache at ${NODE_LOCAL_DNS_ADDRESS} on the node, UDP/53)`, cacheIds), lookup: true });
    if (egress.allowed === 'no') {
      return {
        verdict: 'dropped',
        reason: `the name never resolves: ${src.label}'s egress allows UDP/53 neither to NodeLocal DNSCache (${NODE_LOCAL_DNS_ADDRESS}) nor to the CoreDNS Pods (${egress.toDnsPods.explanation}); allow egress to ${NODE_LOCAL_DNS_ADDRESS}/32 and to the DNS Pods (namespace kube-system, k8s-app=kube-dns) on UDP and TCP 53`,
        hops,
        endpoints: [],
      };
    }
    if (toCache.allowed === 'no') {
      undecided.push(
        `the query reaches NodeLocal DNSCache only if the network plugin leaves traffic to its node-local address out of egress policy: the policies allow UDP/53 to the CoreDNS Pods but not to ${NODE_LOCAL_DNS_ADDRESS} (an egress rule with ipBlock ${NODE_LOCAL_DNS_ADDRESS}/32 on port 53 settles it)`,
      );
    } else if (toCache.allowed === 'unknown') {
      undecided.push(`the name resolves only if ${toCache.conditions.join('; or ')}`);
    }
  }
  const listener = cache.containers.find((c) => c.ports.some((p) => p.containerPort === 53 && p.protocol === 'UDP'));
  const upstream = dns.upstream;
  const upstreamText = upstream
    ? `${upstream.service.namespace}/${upstream.service.name}${upstream.inSet ? '' : ` (the ${NODE_LOCAL_DNS_UPSTREAM} Service of the upstream manifests is not in the set: the path to the same CoreDNS Pods is shown through it)`}`
    : 'its upstream Service, which the set does not show,';
  hops.push({
    kind: 'pod',
    detail: `DNS lookup: delivered to NodeLocal DNSCache on ${node}${listener ? `: container ${listener.name} port 53/UDP` : ''}; it answers from its cache, and sends a name of the cluster domain or the reverse zones that it does not hold to ${upstreamText} over TCP (force_tcp in its Corefile), other names to the node's own resolvers`,
    rules: [],
    objectIds: cacheIds,
    lookup: true,
  });
  if (!upstream) return undefined;
  if (upstream.port.protocol !== 'TCP') {
    // The upstream manifests' Corefile forwards with force_tcp: a Service without TCP/53 takes none of it.
    undecided.push(
      `NodeLocal DNSCache's misses reach CoreDNS only if its Corefile does not force TCP (the upstream manifests set force_tcp): ${upstream.service.namespace}/${upstream.service.name} has no TCP/53 port`,
    );
  }
  const from = cacheSource(index, cache, cachePod?.name);
  if (typeof from === 'string') return undefined;
  const r = tracer(upstream.service, upstream.port, from);
  hops.push(...lookupHops(r, "DNS lookup, the cache's miss: "));
  return judge(r, `NodeLocal DNSCache's query to ${upstream.service.namespace}/${upstream.service.name} (${clusterIpText(upstream.service)}:53/${upstream.port.protocol})`, src, 'cache', hops, undecided);
}

/** The cache's Pod on the client's node when known, else one of its DaemonSet. */
function cacheSource(index: ModelIndex, cache: Workload, podName: string | undefined): Source | string {
  if (podName) return resolveSource(index, { kind: 'pod', namespace: cache.namespace, name: podName });
  return resolveSource(index, { kind: 'workload', namespace: cache.namespace, workloadKind: cache.kind, name: cache.name });
}

/** The engine's hops of a lookup's leg, said to be the lookup's; its reply is the answer hop's to tell. */
function lookupHops(r: TraceResult, prefix: string): TraceHop[] {
  return r.hops.filter((h) => h.kind !== 'reply').map((h) => ({ ...h, detail: `${prefix}${h.detail}`, lookup: true as const }));
}

/** A leg's verdict for the lookup: the trace ends when no query gets through; a condition or a partial drop is carried. */
function judge(r: TraceResult, what: string, src: Source, sender: 'client' | 'cache', hops: TraceHop[], undecided: string[]): TraceResult | undefined {
  const reason = r.reason.replace(/\.$/, '');
  if (r.verdict === 'delivered' || r.verdict === 'redirected') return undefined;
  if (r.verdict === 'no-endpoints') return { verdict: 'no-endpoints', reason: `the name never resolves: ${what}: ${reason}`, hops, endpoints: [] };
  if (r.verdict === 'dropped') {
    if (r.endpoints.some((e) => e.allowed !== 'no')) {
      undecided.push(`some lookups fail: ${what}: ${reason}`);
      return undefined;
    }
    const denied = (direction: 'egress' | 'ingress') => r.hops.some((h) => h.policy?.direction === direction && h.policy.allowed === 'no');
    // What to change, when a policy is what drops it (an internalTrafficPolicy Local without a local CoreDNS is not).
    const fixes = [
      ...(denied('egress') ? [`allow egress from ${sender === 'client' ? src.label : 'it'} to the DNS Pods (namespace kube-system, k8s-app=kube-dns) on UDP and TCP 53`] : []),
      ...(denied('ingress') ? [`allow ingress to the CoreDNS Pods on UDP and TCP 53 from ${sender === 'client' ? 'the Pods that resolve names' : "the nodes' addresses (NodeLocal DNSCache sends from the host network)"}`] : []),
    ];
    return { verdict: 'dropped', reason: `the name never resolves: ${what}: ${reason}${fixes.map((f) => `; ${f}`).join('')}`, hops, endpoints: [] };
  }
  const conditions = r.hops.filter((h) => h.policy?.allowed === 'unknown').flatMap((h) => h.policy!.conditions);
  undecided.push(conditions.length > 0 ? `the name resolves only if ${[...new Set(conditions)].join('; or ')}` : `${what}: ${reason}`);
  return undefined;
}

// ---------------------------------------------------------------- the server assumed

/**
 * A Pod whose egress is isolated must be allowed to reach the cluster DNS
 * (UDP 53) or no name resolves, whatever the policies say about the Service.
 * The DNS Pods are looked for in the set (kube-system, k8s-app=kube-dns, the
 * label CoreDNS carries in kubeadm and the managed clusters); when they are not
 * there, their labels are unknown and the verdict says what it depends on.
 */
export function dnsEgressCheck(index: ModelIndex, source: PodSubject): { hop: TraceHop; allowed: Tri; conditions: string[] } | undefined {
  const dns = clusterDnsSubject(index);
  const lookup = lookupEgress(index, source, dns);
  const r = lookup.toDnsPods;
  if (r.isolated === 'no') return undefined;
  // Undecided: what the servers the lookup may reach depend on (NodeLocal DNSCache's address too, when the set has it).
  const conditions = [...new Set([...r.conditions, ...(lookup.toNodeLocal?.conditions ?? [])])];
  return {
    allowed: lookup.allowed,
    conditions,
    // The explanation may name the DNS Pods already (a denial, a condition on their labels): said once.
    hop: policyHop(r, `the name lookup first: ${r.explanation}${r.explanation.includes(dns.name) ? '' : ` (toward ${dns.name}, UDP/53)`}`, dns.objectIds),
  };
}

/**
 * A client that does not ask the cluster DNS sends its query to its own
 * resolver (the node's, or its dnsConfig nameservers): its egress is judged
 * toward that address on UDP/53, never toward CoreDNS.
 */
function ownResolverBlocked(index: ModelIndex, src: Source, resolver: ClientResolver, hops: TraceHop[], undecided: string[]): TraceResult | undefined {
  if (src.subject.kind !== 'pod') return undefined;
  // Policies see the query after kube-proxy's DNAT: a nameserver that is the kube-dns ClusterIP is the CoreDNS Pods to them.
  const named = (resolver.nameservers ?? []).flatMap((ip) => nameserverPeer(index, ip) ?? []);
  const servers: PolicySubject[] = named.length > 0 ? named : [{ kind: 'external', name: "the node's nameserver", family: 4, objectIds: [] }];
  const { verdicts, allowed } = serversEgress(index, src.subject, servers);
  if (verdicts.every((v) => v.isolated === 'no' && v.allowed === 'yes')) return undefined;
  for (const v of verdicts) hops.push(policyHop(v, `the name lookup first, to ${resolver.server}: ${v.explanation}`, []));
  // The resolver tries its nameservers in turn: one that gets through is enough.
  if (allowed === 'yes') return undefined;
  if (allowed === 'no') {
    return {
      verdict: 'dropped',
      reason: `the name never resolves: ${src.label} asks ${resolver.server} (${resolver.why}), and its egress ${servers.length > 1 ? 'allows UDP/53 to none of them' : 'does not allow UDP/53 to it'} (${verdicts.map((v) => v.explanation).join('; ')}); allow egress to that resolver on UDP and TCP 53`,
      hops,
      endpoints: [],
    };
  }
  undecided.push(`the name resolves only if ${[...new Set(verdicts.flatMap((v) => v.conditions))].join('; or ')}`);
  return undefined;
}

/** The lookup's own egress check: a dropped result when it is denied, else the hop (and any open condition). */
export function dnsLookupBlocked(index: ModelIndex, src: Source, hops: TraceHop[], undecided: string[]): TraceResult | undefined {
  if (src.subject.kind !== 'pod') return undefined;
  const check = dnsEgressCheck(index, src.subject);
  if (!check) return undefined;
  hops.push(check.hop);
  if (check.allowed === 'no') {
    return {
      verdict: 'dropped',
      reason: `the name never resolves: the egress of ${src.label} is isolated and no rule allows UDP/53 to the cluster DNS (${check.hop.detail}); allow egress to the DNS Pods on UDP and TCP 53`,
      hops,
      endpoints: [],
    };
  }
  if (check.allowed === 'unknown') undecided.push(`the name resolves only if ${check.conditions.join('; or ')}`);
  return undefined;
}
