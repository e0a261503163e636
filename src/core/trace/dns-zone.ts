// What the cluster DNS answers to one question, as CoreDNS's `kubernetes`
// plugin does with the Corefile kubeadm writes (`kubernetes cluster.local
// in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa }`):
//
// - Names under the zone are read right to left (the plugin's parse.go):
//   svc|pod, namespace, service, then one label (an endpoint's hostname) or
//   two (_port._protocol); anything longer is NXDOMAIN.
// - A ClusterIP Service answers A/AAAA with one record per clusterIPs entry of
//   that family, SRV per port (priority 0, weight 100 shared equally) pointing
//   at the Service's own name. A headless one answers with its ready
//   endpoints: A/AAAA per address, SRV per endpoint and port pointing at
//   <hostname>.<service>..., and no endpoint at all is NXDOMAIN. Any Service
//   answers <hostname>.<service>... for its endpoints.
// - ExternalName: a CNAME, followed inside the zone, left to the upstream
//   resolvers outside it; no SRV.
// - PTR: a ClusterIP names its Service; an endpoint address names
//   <hostname>.<service>...; an address nobody has falls through upstream.
// - A name that exists with no record of the type asked is NODATA (NOERROR,
//   empty answer); one that does not exist is NXDOMAIN.
import { DEFAULT_CLUSTER_DOMAIN } from '../config/facts';
import type { ModelIndex } from '../model/model-index';
import type { Service } from '../model/types';
import { dnsEndpoints, type DnsEndpoint } from './dns-endpoints';
import { clusterIpOf } from './kube-proxy-path';
import {
  addressFromDashed,
  addressFromReverse,
  addressText,
  canonicalIPv6,
  DEFAULT_TTL,
  fqdn,
  isIP,
  isReverseName,
  labelsOf,
  sameName,
  type DnsRecord,
  type RecordType,
} from './dns-names';


/** Who answers a name outside the cluster domain when the cluster DNS is asked. */
export const COREDNS_FORWARDS = 'forwarded by CoreDNS to the upstream resolvers (not in the set)';
export { DEFAULT_CLUSTER_DOMAIN };

/** CNAMEs CoreDNS follows inside its zone before it gives up. */
const MAX_CNAME_CHAIN = 10;

/** The DNS schema version the specification's TXT record carries. */
const SCHEMA_VERSION = '1.1.0';

export type Rcode = 'NOERROR' | 'NXDOMAIN';

export interface DnsAnswer {
  name: string;
  type: RecordType;
  rcode: Rcode;
  answer: DnsRecord[];
  additional: DnsRecord[];
  /** Not the cluster's to answer, and why: CoreDNS forwards it (outside the zone, or a PTR nobody in the set has). */
  upstream?: string;
  /** The Service the name belongs to, and for an endpoint's own name its hostname. */
  service?: Service;
  endpoint?: string;
  /** An ExternalName target CoreDNS hands to the upstream resolvers. */
  upstreamTarget?: string;
}

interface Request {
  podOrSvc: 'svc' | 'pod';
  namespace: string;
  service: string;
  endpoint: string;
  port: string;
  protocol: string;
}

type Parsed = { kind: 'outside' } | { kind: 'invalid' } | { kind: 'apex' } | { kind: 'request'; r: Request };

function parse(name: string, zone: string): Parsed {
  const labels = labelsOf(name.toLowerCase());
  const z = labelsOf(zone.toLowerCase());
  if (labels.length < z.length || labels.slice(labels.length - z.length).join('.') !== z.join('.')) return { kind: 'outside' };
  const segs = labels.slice(0, labels.length - z.length);
  if (segs.length === 0 || (segs.length === 1 && (segs[0] === 'svc' || segs[0] === 'pod'))) return { kind: 'apex' };
  const last = segs[segs.length - 1];
  if (last !== 'svc' && last !== 'pod') return { kind: 'invalid' };
  const r: Request = { podOrSvc: last, namespace: segs[segs.length - 2], service: segs[segs.length - 3] ?? '', endpoint: '', port: '', protocol: '' };
  const rest = segs.length - 3;
  if (rest === 1) r.endpoint = segs[0];
  else if (rest === 2) {
    r.port = segs[0].replace(/^_/, '');
    r.protocol = segs[1].replace(/^_/, '');
  } else if (rest > 2) return { kind: 'invalid' };
  return { kind: 'request', r };
}

/** One answer: an address or a name (ExternalName), the port, and the name it is known by. */
interface Hit {
  host: string;
  /** -1: no port (a slice without ports); such hits make no SRV record. */
  port: number;
  /** The owner of the address record an SRV points at. */
  target: string;
}

interface Found {
  hits: Hit[];
  nxdomain: boolean;
  service?: Service;
}

export class ClusterDns {
  readonly zone: string;
  private readonly endpointCache = new Map<string, DnsEndpoint[]>();

  constructor(
    private readonly index: ModelIndex,
    zone: string = DEFAULT_CLUSTER_DOMAIN,
  ) {
    this.zone = fqdn(zone.toLowerCase()).slice(0, -1);
  }

  endpointsOf(svc: Service): DnsEndpoint[] {
    let e = this.endpointCache.get(svc.id);
    if (!e) {
      e = dnsEndpoints(this.index, svc);
      this.endpointCache.set(svc.id, e);
    }
    return e;
  }

  /** `<service>.<ns>.svc.<zone>.`; `zone` as the question wrote it (CoreDNS keeps the case of the query's zone). */
  serviceName(svc: Service, zone: string = this.zone): string {
    return `${svc.name}.${svc.namespace}.svc.${zone}.`;
  }

  /** Whether CoreDNS answers this name itself (the cluster zone, or the reverse zones). */
  isAuthoritative(name: string): boolean {
    return isReverseName(name) || parse(fqdn(name), this.zone).kind !== 'outside';
  }

  answer(name: string, type: RecordType): DnsAnswer {
    return this.answerAt(name, type, 0);
  }

  /** `depth`: CNAMEs followed so far (CoreDNS stops after 10, so two ExternalNames naming each other end). */
  private answerAt(name: string, type: RecordType, depth: number): DnsAnswer {
    const qname = fqdn(name);
    const base: DnsAnswer = { name: qname, type, rcode: 'NOERROR', answer: [], additional: [] };
    if (isReverseName(qname)) return this.reverse(base);
    const p = parse(qname, this.zone);
    if (p.kind === 'outside') return { ...base, upstream: `outside ${this.zone}, ${COREDNS_FORWARDS}` };
    if (type === 'TXT' && sameName(qname, `dns-version.${this.zone}`)) {
      return { ...base, answer: [{ name: qname, ttl: 28800, type: 'TXT', data: `"${SCHEMA_VERSION}"` }] };
    }
    if (p.kind === 'invalid') return { ...base, rcode: 'NXDOMAIN' };
    // TXT exists only where some record does: an apex or a namespace has none of its own.
    if (p.kind === 'apex') return type === 'TXT' ? { ...base, rcode: 'NXDOMAIN' } : base;
    const zoneAsAsked = labelsOf(qname).slice(-labelsOf(this.zone).length).join('.');
    const found = this.find(p.r, zoneAsAsked);
    const withService = { ...base, service: found.service, endpoint: p.r.endpoint || undefined };
    if (found.nxdomain) return { ...withService, rcode: 'NXDOMAIN' };
    switch (type) {
      case 'A':
      case 'AAAA':
        return this.addresses(withService, found.hits, type, depth);
      case 'SRV':
        return this.srv(withService, found.hits);
      case 'CNAME': {
        const first = found.hits[0];
        return first && !isIP(first.host) ? { ...withService, answer: [{ name: qname, ttl: DEFAULT_TTL, type: 'CNAME', data: fqdn(first.host) }] } : withService;
      }
      case 'TXT':
        return found.hits.length > 0 ? withService : { ...withService, rcode: 'NXDOMAIN' };
      default:
        // PTR on a forward name: the name exists (NODATA).
        return withService;
    }
  }

  /** The plugin's findServices / findPods: what the name stands for (nxdomain: it does not exist). */
  private find(r: Request, zone: string): Found {
    if (!this.namespaceKnown(r.namespace)) return { hits: [], nxdomain: true };
    if (r.service === '') return { hits: [], nxdomain: false };
    if (r.podOrSvc === 'pod') {
      // pods insecure: any well-formed dashed address answers with itself (labels left of it are not looked at).
      const ip = addressFromDashed(r.service);
      return ip ? { hits: [{ host: ip, port: -1, target: '' }], nxdomain: false } : { hits: [], nxdomain: true };
    }
    // Names are compared case-insensitively (the specification's 2.1); Kubernetes names are lower case.
    const svc = this.index.servicesNamed(r.namespace, r.service)[0];
    if (!svc) return { hits: [], nxdomain: true };
    const hits: Hit[] = [];
    if (svc.type === 'ExternalName') {
      const ext = svc.externalName;
      // A subdomain or an SRV name of an ExternalName does not exist; nor does a CNAME to an address.
      if (r.endpoint || r.port || r.protocol || !ext || isIP(ext)) return { hits: [], nxdomain: true, service: svc };
      return { hits: [{ host: ext, port: 0, target: this.serviceName(svc, zone) }], nxdomain: false, service: svc };
    }
    if (svc.headless || r.endpoint) {
      for (const ep of this.endpointsOf(svc)) {
        if (r.endpoint && ep.hostname.toLowerCase() !== r.endpoint) continue;
        const target = `${ep.hostname}.${this.serviceName(svc, zone)}`;
        const ports = ep.ports.length > 0 ? ep.ports : [{ name: '', port: -1, protocol: '' }];
        for (const p of ports) {
          if (!portMatches(r, p.name, p.protocol)) continue;
          hits.push({ host: ep.address, port: p.port, target });
        }
      }
      return { hits, nxdomain: hits.length === 0, service: svc };
    }
    for (const p of svc.ports) {
      if (!portMatches(r, p.name ?? '', p.protocol)) continue;
      for (const ip of this.clusterIps(svc)) hits.push({ host: ip, port: p.port, target: this.serviceName(svc, zone) });
    }
    // No port matching the _port._protocol asked (or none at all): the name does not exist.
    return { hits, nxdomain: hits.length === 0, service: svc };
  }

  /** The Service's virtual IPs; in manifests, placeholders per family (the API server assigns them). */
  clusterIps(svc: Service): string[] {
    const written = svc.clusterIPs.filter((ip) => ip && ip !== 'None');
    if (written.length > 0) return written;
    if (svc.clusterIP && svc.clusterIP !== 'None') return [svc.clusterIP];
    const families = svc.ipFamilies.length > 0 ? svc.ipFamilies : ['IPv4'];
    // The placeholders kube-proxy's hop uses too.
    return families.map((f) => clusterIpOf(svc, f === 'IPv6' ? 6 : 4));
  }

  private namespaceKnown(ns: string): boolean {
    // The namespaces every cluster has, and those the set declares or puts objects in.
    if (['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(ns)) return true;
    return this.index.isDeclaredNamespace(ns) || this.index.servicesIn(ns).length > 0 || this.index.workloadsIn(ns).length > 0;
  }

  private addresses(a: DnsAnswer, hits: Hit[], type: 'A' | 'AAAA', depth: number): DnsAnswer {
    const seen = new Set<string>();
    for (const h of hits) {
      const family = familyOf(h.host);
      if (family === 'name') {
        if (sameName(h.host, a.name) || depth >= MAX_CNAME_CHAIN) continue;
        const cname: DnsRecord = { name: a.name, ttl: DEFAULT_TTL, type: 'CNAME', data: fqdn(h.host) };
        if (this.isAuthoritative(h.host) && !isReverseName(h.host)) {
          const next = this.answerAt(h.host, type, depth + 1);
          if (next.answer.length > 0) a.answer.push(cname, ...next.answer);
        } else {
          a.answer.push(cname);
          a.upstreamTarget = fqdn(h.host);
        }
        continue;
      }
      if (family !== type || seen.has(h.host)) continue;
      seen.add(h.host);
      a.answer.push({ name: a.name, ttl: DEFAULT_TTL, type, data: addressText(h.host) });
    }
    return a;
  }

  private srv(a: DnsAnswer, all: Hit[]): DnsAnswer {
    // ExternalName answers are not SRV material.
    const hits = all.filter((h) => familyOf(h.host) !== 'name');
    // Every answer counts toward the weight, duplicates included (the plugin
    // computes the weights before it drops repeated targets).
    const weight = Math.max(1, Math.floor(100 / hits.length));
    const seenSrv = new Set<string>();
    const seenAddr = new Set<string>();
    for (const h of hits) {
      if (h.port === -1) continue;
      const key = `${h.target.toLowerCase()} ${h.port}`;
      if (!seenSrv.has(key)) {
        seenSrv.add(key);
        a.answer.push({ name: a.name, ttl: DEFAULT_TTL, type: 'SRV', data: `0 ${weight} ${h.port} ${h.target}` });
      }
      const addrKey = `${h.target.toLowerCase()} ${h.host}`;
      if (!seenAddr.has(addrKey)) {
        seenAddr.add(addrKey);
        const family = familyOf(h.host);
        a.additional.push({ name: h.target, ttl: DEFAULT_TTL, type: family === 'AAAA' ? 'AAAA' : 'A', data: addressText(h.host) });
      }
    }
    return a;
  }

  private reverse(a: DnsAnswer): DnsAnswer {
    const ip = addressFromReverse(a.name);
    if (!ip) return { ...a, rcode: 'NXDOMAIN' };
    if (a.type !== 'PTR') return { ...a, rcode: 'NXDOMAIN' };
    const same = (x: string) => (x.includes(':') ? canonicalIPv6(x) === ip : x === ip);
    for (const svc of this.index.model.services) {
      if (svc.type === 'ExternalName' || svc.headless) continue;
      if (svc.clusterIPs.some(same) || (svc.clusterIP !== undefined && same(svc.clusterIP))) {
        return { ...a, service: svc, answer: [{ name: a.name, ttl: DEFAULT_TTL, type: 'PTR', data: this.serviceName(svc) }] };
      }
    }
    for (const svc of this.index.model.services) {
      if (svc.type === 'ExternalName') continue;
      for (const ep of this.endpointsOf(svc)) {
        if (ep.symbolic || !same(ep.address)) continue;
        const data = `${ep.hostname}.${svc.name}.${svc.namespace}.svc.${this.zone}.`;
        // One address in two slices of the same Service (during a slice's replacement) is one name.
        if (a.answer.some((r) => r.data === data)) continue;
        a.answer.push({ name: a.name, ttl: DEFAULT_TTL, type: 'PTR', data });
        a.service ??= svc;
        a.endpoint ??= ep.hostname;
      }
    }
    if (a.answer.length > 0) return a;
    return {
      ...a,
      rcode: 'NXDOMAIN',
      upstream: `NXDOMAIN in the cluster (no Service or endpoint has ${ip}), passed to the upstream resolvers by the kubeadm Corefile's fallthrough in-addr.arpa ip6.arpa`,
    };
  }
}

function portMatches(r: Request, name: string, protocol: string): boolean {
  return (r.port === '' || r.port === name.toLowerCase()) && (r.protocol === '' || r.protocol === protocol.toLowerCase());
}

function familyOf(host: string): 'A' | 'AAAA' | 'name' {
  if (host.startsWith('<')) return host.includes('IPv6') ? 'AAAA' : 'A';
  if (host.includes(':')) return 'AAAA';
  if (isIP(host)) return 'A';
  return 'name';
}
