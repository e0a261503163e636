// The trace's DNS hop: the name the client types, the queries its resolver
// sends (./dns-search: the Pod's search path, ndots:5), and what the cluster
// DNS answers (./dns-zone: CoreDNS's kubernetes plugin), printed as dig prints
// the answer and additional sections.
import type { ModelIndex } from '../model/model-index';
import type { PodDnsSettings, Service, ServicePort, Workload } from '../model/types';
import { addressText, fqdn, isIP, isReverseName, recordLine, type DnsRecord, type RecordType } from './dns-names';
import { lookup, lookupTogether, outcome, resolverConf, type Lookup } from './dns-search';
import { ClusterDns, DEFAULT_CLUSTER_DOMAIN } from './dns-zone';
import { clientResolver, clusterDnsAddresses, outsideAnswer } from './dns-resolver';
import type { Source } from './source';
import type { DnsHopData, TraceHop } from './types';

export { DEFAULT_CLUSTER_DOMAIN };

export function clusterIpText(svc: Service): string {
  return svc.clusterIPs[0] ?? (svc.clusterIP && svc.clusterIP !== 'None' ? svc.clusterIP : '<ClusterIP>');
}

export interface DnsQuestion {
  /** The name as the client gives it; default: the Service's shortest name from the client's namespace. */
  name?: string;
  /** Default: A and AAAA (what getaddrinfo asks), and SRV for a named port. */
  type?: RecordType;
  /** With `name`: the port the destination gave with it (a number, or a Service port's name: looked up as SRV). */
  port?: number | string;
}

export interface DnsHopInput {
  svc?: Service;
  sp?: ServicePort;
  /** The client's namespace (its search path); undefined for a node. */
  namespace?: string;
  sourceLabel: string;
  /** A hostNetwork Pod resolves with its node's resolv.conf unless its dnsPolicy says otherwise. */
  hostNetwork?: boolean;
  /** The client Pod's dnsPolicy and dnsConfig. */
  podDns?: PodDnsSettings;
  zone?: string;
  question?: DnsQuestion;
}

export interface DnsHopResult {
  hop: TraceHop;
  /** The lookups made, the first being the one for the name given (or A). */
  lookups: Lookup[];
}

/** The name a client in `namespace` would write for the Service. */
export function shortestName(svc: Service, namespace: string | undefined, zone: string): string {
  if (namespace === svc.namespace) return svc.name;
  if (namespace) return `${svc.name}.${svc.namespace}`;
  return `${svc.name}.${svc.namespace}.svc.${zone}.`;
}

export function dnsHop(index: ModelIndex, input: DnsHopInput): DnsHopResult {
  const dns = new ClusterDns(index, input.zone ?? DEFAULT_CLUSTER_DOMAIN);
  const q = input.question ?? {};
  const sp = input.sp;
  const short = input.svc ? shortestName(input.svc, input.namespace, dns.zone) : '';
  // SRV for the Service's own port names that port (_http._tcp.web), as a client looking for it would.
  const name = q.name ?? (q.type === 'SRV' && sp?.name ? `_${sp.name}._${sp.protocol.toLowerCase()}.${short}` : short);
  const types: RecordType[] = q.type ? [q.type] : ['A', 'AAAA'];
  const conf = resolverConf(input.namespace, dns.zone, input.podDns, input.hostNetwork ?? false);
  const lookups = lookupTogether(dns, name, types, conf);
  if (!q.type && !q.name && sp?.name && input.svc && input.svc.type !== 'ExternalName') {
    lookups.push(lookup(dns, `_${sp.name}._${sp.protocol.toLowerCase()}.${name}`, 'SRV', conf));
  }
  // What CoreDNS would forward, a client that does not ask it sends to its own resolver.
  const resolver = clientResolver(input.namespace !== undefined, input.hostNetwork ?? false, input.podDns, clusterDnsAddresses(index));
  if (resolver.kind !== 'cluster') {
    for (const l of lookups) {
      for (const a of l.queries) {
        if (a.upstream) a.upstream = isReverseName(a.name) ? `a reverse name, ${outsideAnswer(resolver, dns.zone).replace(/^outside [^,]*, /, '')}` : outsideAnswer(resolver, dns.zone);
      }
    }
  }
  const lines: string[] = [];
  const records: DnsHopData['records'] = [];
  const add = (r: DnsRecord, section: 'answer' | 'additional') => {
    const line = recordLine(r);
    if (lines.includes(line)) return;
    lines.push(line);
    records.push({ section, name: r.name, ttl: r.ttl, class: 'IN', type: r.type, data: r.data });
  };
  for (const l of lookups) {
    const a = l.answered;
    if (!a) continue;
    for (const r of a.answer) add(r, 'answer');
    for (const r of a.additional) add(r, 'additional');
  }
  // A headless Service's endpoints with a hostname have names of their own (a StatefulSet's pod-0.svc...),
  // shown when the cluster DNS answered the lookup (a node's resolver's answer is not in the set).
  const answeredHere = lookups[0].answered !== undefined && !lookups[0].answered.upstream;
  if (!q.type && !q.name && input.svc?.headless && answeredHere) {
    const seen = new Set<string>();
    for (const ep of dns.endpointsOf(input.svc)) {
      if (!ep.named || seen.has(ep.hostname)) continue;
      seen.add(ep.hostname);
      for (const t of types) {
        for (const r of dns.answer(`${ep.hostname}.${dns.serviceName(input.svc)}`, t).answer) add(r, 'answer');
      }
    }
  }
  const first = lookups[0];
  const svc = first.answered?.service ?? input.svc;
  const note = conf.note ? ` (${conf.note})` : '';
  const detail = `${describeSearch(first, input.sourceLabel, q.type !== undefined, conf.note !== undefined)}${describeAnswer(dns, lookups, svc)}${note}`;
  // An endpoint's own name (or its PTR) lights that endpoint's objects too.
  const endpoint = first.answered?.endpoint;
  const endpointIds = svc && endpoint ? dns.endpointsOf(svc).filter((e) => e.hostname === endpoint).flatMap((e) => e.objectIds) : [];
  const queries: DnsHopData['queries'] = lookups.flatMap((l) =>
    l.queries.map((q) => ({ name: q.name, type: q.type, rcode: q.upstream ? ('upstream' as const) : q.rcode, answers: q.answer.length })),
  );
  const data: DnsHopData = { queries, records };
  if (resolver.kind !== 'cluster') data.server = { assumed: false, resolver: resolver.kind, ...(resolver.nameservers ? { nameservers: resolver.nameservers } : {}), detail: `${resolver.server}: ${resolver.why}` };
  const hop: TraceHop = { kind: 'dns', detail, rules: lines, objectIds: svc ? [svc.id, ...endpointIds] : [], dns: data };
  // A name given as the destination: its port, as the SRV records say it (an SRV name says it itself).
  const srvName = /^_[^.]+\._[^.]+\./.test(first.answered?.name ?? '');
  if (q.name !== undefined && q.type !== 'SRV' && !srvName && svc && svc.type !== 'ExternalName' && first.answered && !first.answered.upstream) portBySrv(dns, hop, svc, q.port);
  return { hop, lookups };
}

/** `Pod shop/x asks "web" (search ..., ndots:5): web.shop.svc.cluster.local. answers`, the misses before it. */
function describeSearch(l: Lookup, sourceLabel: string, typed: boolean, notShown: boolean): string {
  const reverse = l.type === 'PTR' && l.queries.length === 1 && l.queries[0].name !== fqdn(l.given);
  const where = reverse
    ? 'its reverse name'
    : l.searchList.length > 0
      ? `search ${l.searchList.join(' ')}${notShown ? ' and what the note says' : ''}, ndots:${l.ndots}`
      : notShown
        ? 'a resolv.conf the set does not show'
        : 'no cluster search domains: the name as written';
  const answeredAt = l.answered ? l.queries.indexOf(l.answered) : -1;
  const before = l.answered && !l.answered.upstream ? l.queries.slice(0, answeredAt) : l.queries.filter((q) => !q.upstream);
  const misses = before.map((q) =>
    q.upstream ? `${q.name} to the upstream resolvers first (what follows holds if they answer NXDOMAIN)` : `${q.name} ${q.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'NODATA'}`,
  );
  const tried = misses.length > 0 ? `${misses.join(', ')}; ` : '';
  // glibc tries the node's own search domains (from its resolv.conf) after the cluster's, before the name as written.
  const nodeDomains = l.answered?.upstream && l.searchList.length > 0 && l.queries.length > l.searchList.length ? " (after the node's own search domains, which the set does not show)" : '';
  const hit = l.answered ? (l.answered.upstream ? `${l.answered.name} is ${l.answered.upstream}${nodeDomains}` : `${l.answered.name} answers`) : outcome(l);
  return `${sourceLabel} asks ${typed ? `${l.type} ` : ''}"${l.given}" (${where}): ${tried}${hit}`;
}

function describeAnswer(dns: ClusterDns, lookups: Lookup[], svc: Service | undefined): string {
  const first = lookups[0];
  const a = first.answered;
  if (svc?.headless && dns.endpointsOf(svc).length === 0) {
    return `; headless Service ${svc.namespace}/${svc.name} has no ready endpoint, so its name is NXDOMAIN`;
  }
  if (a?.upstream) return '';
  if (!a) {
    const any = lookups.find((l) => l.answered);
    if (any?.answered && svc) return ` (${svc.namespace}/${svc.name} has ${any.type} records: ${any.answered.name})`;
    return first.queries.some((q) => q.rcode === 'NOERROR') ? ': the name exists but has no record of this type' : ': no such name in the cluster domain';
  }
  if (!svc) return '';
  const name = `${svc.namespace}/${svc.name}`;
  if (a.type === 'PTR') return `: the reverse name of ${a.endpoint ? `endpoint ${a.endpoint} of ` : ''}Service ${name}`;
  if (svc.type === 'ExternalName') {
    if (a.upstreamTarget) return `: ExternalName: a CNAME to ${a.upstreamTarget}, which the upstream resolvers answer; no virtual IP and no proxying`;
    const cname = a.answer.find((r) => r.type === 'CNAME');
    return `: ExternalName: a CNAME to ${cname?.data ?? svc.externalName}, a name of the cluster, which CoreDNS follows`;
  }
  if (a.endpoint) return `: the endpoint ${a.endpoint} of ${svc.headless ? 'headless ' : ''}Service ${name}, its own address${svc.headless ? '' : ' (not the ClusterIP: kube-proxy is bypassed)'}`;
  if (svc.headless) {
    const n = new Set(dns.endpointsOf(svc).map((e) => e.address)).size;
    return `: headless Service ${name} (clusterIP: None): one record per ready endpoint (${n}${svc.publishNotReadyAddresses ? ', ready or not: publishNotReadyAddresses' : ''}), no virtual IP`;
  }
  const ips = dns.clusterIps(svc);
  const assigned = ips.some((ip) => ip.startsWith('<')) ? ' (assigned by the API server when the Service is created)' : '';
  return `: the ClusterIP${ips.length > 1 ? 's' : ''} of ${name}, ${ips.join(' and ')}${assigned}`;
}

/**
 * The Service an ExternalName leads to when its CNAME (chain: at most 10, as
 * CoreDNS follows them) names a Service of the cluster; undefined when it
 * leaves the cluster or ends nowhere.
 */
export function cnameService(index: ModelIndex, svc: Service, zone: string | undefined): Service | undefined {
  const dns = new ClusterDns(index, zone ?? DEFAULT_CLUSTER_DOMAIN);
  let cur = svc;
  for (let i = 0; i < 10 && cur.type === 'ExternalName'; i++) {
    const ext = cur.externalName;
    if (!ext || isReverseName(ext) || !dns.isAuthoritative(ext)) return undefined;
    const a = dns.answer(ext, 'A');
    if (!a.service || a.endpoint || a.service.id === cur.id) return undefined;
    cur = a.service;
  }
  return cur.type === 'ExternalName' ? undefined : cur;
}

/** How the source looks names up: its namespace, hostNetwork, and its Pod's (or template's) dnsPolicy and dnsConfig. */
export function resolverOf(index: ModelIndex, src: Source): Pick<DnsHopInput, 'namespace' | 'hostNetwork' | 'podDns'> {
  const hostNetwork = src.subject.kind === 'pod' && src.subject.hostNetwork;
  const w = src.objectIds[0] ? index.byId(src.objectIds[0]) : undefined;
  const workload = w && 'pods' in w ? (w as Workload) : undefined;
  const pod = workload?.pods.find((p) => p.id === src.objectIds[1]);
  return { namespace: src.namespace, hostNetwork, podDns: pod?.dns ?? workload?.dns };
}

/** An address given as the destination: no lookup; the Service whose ClusterIP it is, or whose endpoint. */
function addressTarget(index: ModelIndex, ip: string, zone: string): (DnsTarget & { svc: Service }) | string {
  const same = (x: string) => addressText(x) === addressText(ip);
  const dns = new ClusterDns(index, zone);
  for (const svc of index.model.services) {
    if (svc.type !== 'ExternalName' && !svc.headless && dns.clusterIps(svc).some(same)) return { svc, zone, literal: true, address: ip };
  }
  for (const svc of index.model.services) {
    if (svc.type === 'ExternalName') continue;
    const ep = dns.endpointsOf(svc).find((e) => !e.symbolic && same(e.address));
    if (ep) return { svc, zone, literal: true, endpoint: ip, addresses: [ep.address] };
  }
  return `no Service of the set has the ClusterIP ${ip}, and no ready endpoint has that address`;
}

/** What a name destination resolved to, for the rest of the trace. */
export interface DnsTarget extends DnsQuestion {
  zone?: string;
  /** An address was given: the client looks nothing up. */
  literal?: boolean;
  /** The ClusterIP given (its family is the one kube-proxy's rules are shown for). */
  address?: string;
  /** The port an SRV name names. */
  portName?: string;
  /** An endpoint's own name: its hostname and the addresses it answers with (the only ones the client can reach). */
  endpoint?: string;
  addresses?: string[];
  /** What the lookup already made (an ExternalName's CNAME, followed) depends on: the answer holds only if these do. */
  lookupConditions?: string[];
}

/**
 * A name given as the destination: resolved through the source's search
 * path; the Service it names (and the endpoint, for an endpoint's own name or
 * a PTR), or why the trace stops at DNS.
 */
export function resolveNameDestination(
  index: ModelIndex,
  name: string,
  src: Source,
  options: { clusterDomain?: string; dnsType?: RecordType; /** The port as the destination gave it (a number, or a Service port's name). */ port?: number | string },
): { result: (DnsTarget & { svc: Service }) | string; hops: TraceHop[]; /** The name is outside the cluster domain: the upstream resolvers answer it. */ outside?: boolean } {
  if (src.kind === 'external') {
    return { result: `"${name}" is a cluster DNS name: only clients inside the cluster resolve it through the cluster DNS (give --from, or trace the Service's external address)`, hops: [] };
  }
  const zone = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  if (isIP(name) && options.dnsType !== 'PTR') return { result: addressTarget(index, name, zone), hops: [] };
  const question: DnsQuestion = { name, type: options.dnsType, ...(options.port !== undefined ? { port: options.port } : {}) };
  const { hop, lookups } = dnsHop(index, { ...resolverOf(index, src), sourceLabel: src.label, zone, question });
  const l = lookups.find((x) => x.answered && x.answered.answer.length > 0) ?? lookups[0];
  const a = l.answered;
  if (!a || a.upstream || !a.service) {
    const what = outcome(l);
    const reason =
      what === 'upstream'
        ? `"${name}" is not a name of the cluster: ${a!.name} is ${a!.upstream}`
        : what === 'answer'
          ? `"${name}" does not name a Service of the set`
          : `"${name}" does not resolve from ${src.label}: ${what === 'NXDOMAIN' ? 'NXDOMAIN for every name tried' : `NODATA (the name exists, with no ${l.type} record)`} (${l.queries.map((q) => q.name).join(', ')})`;
    return { result: reason, hops: [hop], ...(what === 'upstream' ? { outside: true } : {}) };
  }
  const svc = a.service;
  const target: DnsTarget & { svc: Service } = { svc, name, type: options.dnsType, zone };
  // An SRV name says which port: _http._tcp.web is web's port "http".
  const srvPort = /^_([^.]+)\._[^.]+\./.exec(a.name)?.[1];
  if (srvPort) target.portName = srvPort;
  if (a.endpoint) {
    const dns = new ClusterDns(index, zone);
    target.endpoint = `${a.endpoint}.${svc.name}.${svc.namespace}.svc.${dns.zone}.`;
    target.addresses = dns.endpointsOf(svc).filter((e) => e.hostname.toLowerCase() === a.endpoint!.toLowerCase()).map((e) => e.address);
  }
  if (options.port !== undefined) target.port = options.port;
  return { result: target, hops: [hop] };
}

/**
 * The port of a name, as the SRV records say it: a port given by name is
 * looked up as _NAME._PROTO.<service> (what a client resolving a named port
 * asks); no port given and several ports: the Service's SRV records list
 * them, and the hop says the request needs one. Added to the DNS hop.
 */
function portBySrv(dns: ClusterDns, hop: TraceHop, svc: Service, port: number | string | undefined): void {
  const named = typeof port === 'string' && !/^\d+$/.test(port) ? port : undefined;
  if (!named && (port !== undefined || svc.ports.length < 2)) return;
  const protocol = (named ? svc.ports.find((p) => p.name === named)?.protocol : undefined) ?? 'TCP';
  const asked = named ? `_${named}._${protocol.toLowerCase()}.${dns.serviceName(svc)}` : dns.serviceName(svc);
  const answer = dns.answer(asked, 'SRV');
  const srv = answer.answer.filter((r) => r.type === 'SRV');
  for (const r of answer.answer) addRecord(hop, r, 'answer');
  for (const r of answer.additional) addRecord(hop, r, 'additional');
  hop.dns?.queries.push({ name: answer.name, type: 'SRV', rcode: answer.rcode, answers: answer.answer.length });
  const ports = [...new Set(srv.map((r) => Number(r.data.split(' ')[2])))];
  if (named) {
    hop.detail +=
      ports.length > 0
        ? `; the port named "${named}" is found as SRV finds it: ${asked} SRV answers port ${ports.join(', ')}`
        : `; the port named "${named}" is looked up as SRV would: ${asked} is ${answer.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'NODATA'}: ${svc.namespace}/${svc.name} has no ${protocol} port of that name`;
    return;
  }
  const list = svc.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ');
  hop.detail += `; ${svc.namespace}/${svc.name} has ${svc.ports.length} ports (its SRV records: ${list}): the request needs one of them`;
}

function addRecord(hop: TraceHop, r: DnsRecord, section: 'answer' | 'additional'): void {
  const line = recordLine(r);
  if (hop.rules.includes(line)) return;
  hop.rules.push(line);
  hop.dns?.records.push({ section, name: r.name, ttl: r.ttl, class: 'IN', type: r.type, data: r.data });
}
