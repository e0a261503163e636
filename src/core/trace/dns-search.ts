// How a Pod's resolver turns the name it is given into queries: the
// resolv.conf the kubelet writes for dnsPolicy ClusterFirst
// (search <ns>.svc.<zone> svc.<zone> <zone>, then the node's own domains;
// options ndots:5) read as glibc reads it: a name with fewer dots than ndots
// tries the search domains first, in order, then itself; one with as many or
// more tries itself first; a trailing dot means only itself. NXDOMAIN and
// NODATA move on to the next candidate; the first answer with records ends it.
import type { RecordType } from './dns-names';
import { fqdn, isIP, isReverseName, reverseName } from './dns-names';
import type { ClusterDns, DnsAnswer } from './dns-zone';

/** The kubelet writes options ndots:5 into every ClusterFirst Pod's resolv.conf. */
export const POD_NDOTS = 5;

export interface Lookup {
  /** The name as given. */
  given: string;
  type: RecordType;
  searchList: string[];
  ndots: number;
  /** Every query sent, in order, up to the one that answered. */
  queries: DnsAnswer[];
  /** The query that answered with records, or the one forwarded upstream (answer unknown). */
  answered?: DnsAnswer;
}

/** The cluster search domains of a Pod in `namespace` (undefined: not a Pod: no cluster search domains). */
export function podSearchList(namespace: string | undefined, zone: string): string[] {
  return namespace ? [`${namespace}.svc.${zone}`, `svc.${zone}`, zone] : [];
}

export function candidates(name: string, searchList: readonly string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = searchList.map((d) => `${name}.${d}.`);
  return dots >= ndots ? [`${name}.`, ...searched] : [...searched, `${name}.`];
}

export function lookup(dns: ClusterDns, given: string, type: RecordType, namespace: string | undefined): Lookup {
  return lookupTogether(dns, given, [type], namespace)[0];
}

/**
 * Several types asked together, as getaddrinfo asks A and AAAA: each
 * candidate gets every type, and the first candidate where one of them has
 * records ends the search for all (the others may be NODATA there).
 */
export function lookupTogether(dns: ClusterDns, given: string, types: readonly RecordType[], namespace: string | undefined): Lookup[] {
  const searchList = podSearchList(namespace, dns.zone);
  const ndots = namespace ? POD_NDOTS : 1;
  // A PTR question about an address asks its reverse name (dig -x).
  const ptr = types.length === 1 && types[0] === 'PTR';
  const reverse = ptr && isIP(given) ? reverseName(given) : undefined;
  const names = reverse ? [reverse] : ptr && isReverseName(given) ? [fqdn(given)] : candidates(given, searchList, ndots);
  const out: Lookup[] = types.map((type) => ({ given, type, searchList, ndots, queries: [] }));
  for (const n of names) {
    const answers = types.map((t) => dns.answer(n, t));
    answers.forEach((a, i) => out[i].queries.push(a));
    if (answers.some((a) => a.answer.length > 0 || a.upstream)) {
      answers.forEach((a, i) => (out[i].answered = a));
      break;
    }
  }
  return out;
}

/** The outcome as the resolver reports it: an answer, forwarded upstream, NODATA (some name exists) or NXDOMAIN. */
export function outcome(l: Lookup): 'answer' | 'upstream' | 'NODATA' | 'NXDOMAIN' {
  if (l.answered?.upstream) return 'upstream';
  if (l.answered && l.answered.answer.length > 0) return 'answer';
  return l.queries.some((q) => q.rcode === 'NOERROR') ? 'NODATA' : 'NXDOMAIN';
}
