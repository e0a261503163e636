// The DNS stage of a Service trace: the client looks the Service's name up
// (./dns: the search path, the answer as dig prints it), and the lookup makes
// its own trip to the cluster DNS first (./dns-lookup). An ExternalName Service is DNS
// alone: a CNAME, followed into the cluster when it names a Service there.
import { DEFAULT_CLUSTER_DOMAIN } from '../config/facts';
import type { ModelIndex } from '../model/model-index';
import type { Service, ServicePort } from '../model/types';
import { cnameService, dnsHop, resolverOf, type DnsTarget } from './dns';
import { asksClusterDns, resolverWhy, traceLookup, type ServiceTracer } from './dns-lookup';
import { unresolved } from './result';
import { pickServicePort } from './service-port';
import type { Source } from './source';
import type { TraceHop, TraceResult } from './types';

/** The trace ends here, or goes on to the Service the CNAME names (no second lookup: CoreDNS answered with its address). */
export type ExternalNameOutcome = { result: TraceResult } | { follow: { svc: Service; sp: ServicePort; dns: DnsTarget } };

export function externalNameStage(index: ModelIndex, svc: Service, sp: ServicePort, src: Source, hops: TraceHop[], dns: DnsTarget, tracer: ServiceTracer): ExternalNameOutcome {
  const name = `${svc.namespace}/${svc.name}`;
  if (src.kind !== 'external') {
    const answer = dnsHop(index, { svc, sp, ...resolverOf(index, src), sourceLabel: src.label, zone: dns.zone, question: dns }).hop;
    const undecided: string[] = [];
    const blocked = traceLookup(index, src, answer, tracer, hops, undecided);
    if (blocked) return { result: blocked };
    // A CNAME to a Service of the cluster: CoreDNS answers with that Service's address, and the client connects to it.
    const inner = cnameService(index, svc, dns.zone);
    if (inner) {
      const innerPort = pickServicePort(inner, sp.port > 0 ? sp.port : undefined);
      if (typeof innerPort === 'string') return { result: unresolved(`${name} is a CNAME for ${inner.namespace}/${inner.name}: ${innerPort}`, hops) };
      // The lookup's own open conditions go with the answer to the Service it leads to.
      return { follow: { svc: inner, sp: innerPort, dns: { zone: dns.zone, literal: true, ...(undecided.length > 0 ? { lookupConditions: undecided } : {}) } } };
    }
  }
  return {
    result: unresolved(
      `${name} is an ExternalName Service: DNS answers a CNAME for ${svc.externalName ?? '(no externalName)'} and the connection goes to that host, outside the set; kube-proxy does not proxy it`,
      hops,
    ),
  };
}

/**
 * The client's lookup of the Service's name (clients inside the cluster; an
 * ingress controller reads the endpoints itself): a dropped result when the
 * lookup cannot get out, else undefined (an open condition goes to `undecided`).
 */
export function lookupStage(index: ModelIndex, svc: Service, sp: ServicePort, src: Source, hops: TraceHop[], dns: DnsTarget, undecided: string[], tracer: ServiceTracer): TraceResult | undefined {
  const { hop } = dnsHop(index, { svc, sp, ...resolverOf(index, src), sourceLabel: src.label, zone: dns.zone, question: dns });
  if (src.kind === 'node') hop.detail += ' (if the node resolves through the cluster DNS; nodes usually do not)';
  // A resolver other than the cluster DNS (a node, a hostNetwork Pod with ClusterFirst, dnsPolicy Default or None):
  // the hops after this one hold only if it still reaches the Service's name, which the verdict must say.
  if (src.kind === 'node' || (src.kind === 'pod' && !asksClusterDns(index, src))) {
    // The first name sent: under the node's resolv.conf, the name as written (its search domains are unknown).
    const asked = hop.dns?.queries[0]?.name ?? '';
    // Written in full, or found through the search domains its dnsConfig gives it: only the server is open.
    const fullyQualified = asked.endsWith(`.svc.${dns.zone ?? DEFAULT_CLUSTER_DOMAIN}.`) || (hop.dns?.queries.some((q) => q.rcode === 'NOERROR' && q.answers > 0) ?? false);
    undecided.push(`the name resolves to ${svc.namespace}/${svc.name} only if the resolver of ${src.label} (${src.kind === 'node' ? "the node's resolv.conf, not in the set" : resolverWhy(index, src)}) sends it to the cluster DNS${fullyQualified ? '' : " with the cluster's search domains"}`);
  }
  return traceLookup(index, src, hop, tracer, hops, undecided);
}
