// The DNS stage of a Service trace: the client looks the Service's name up
// (./dns: the search path, the answer as dig prints it), and the lookup makes
// its own trip to the cluster DNS first (./dns-lookup). An ExternalName Service is DNS
// alone: a CNAME, followed into the cluster when it names a Service there.
import type { ModelIndex } from '../model/model-index';
import type { Service, ServicePort } from '../model/types';
import { cnameService, dnsHop, resolverOf, type DnsTarget } from './dns';
import { traceLookup, type ServiceTracer } from './dns-lookup';
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
    const blocked = traceLookup(index, src, answer, tracer, hops, []);
    if (blocked) return { result: blocked };
    // A CNAME to a Service of the cluster: CoreDNS answers with that Service's address, and the client connects to it.
    const inner = cnameService(index, svc, dns.zone);
    if (inner) {
      const innerPort = pickServicePort(inner, sp.port > 0 ? sp.port : undefined);
      if (typeof innerPort === 'string') return { result: unresolved(`${name} is a CNAME for ${inner.namespace}/${inner.name}: ${innerPort}`, hops) };
      return { follow: { svc: inner, sp: innerPort, dns: { zone: dns.zone, literal: true } } };
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
  return traceLookup(index, src, hop, tracer, hops, undecided);
}
