// How a Pod's resolver turns the name it is given into queries: the
// resolv.conf the kubelet writes for dnsPolicy ClusterFirst
// (search <ns>.svc.<zone> svc.<zone> <zone>, then the node's own domains;
// options ndots:5) read as glibc reads it: a name with fewer dots than ndots
// tries the search domains first, in order, then itself; one with as many or
// more tries itself first; a trailing dot means only itself. NXDOMAIN and
// NODATA move on to the next candidate; the first answer with records ends it.
import type { PodDnsSettings } from '../model/types';
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

/** What the client's resolv.conf says, as far as the set shows it. */
export interface ResolverConf {
  searchList: string[];
  ndots: number;
  /** What the set does not show (a node's resolv.conf). */
  note?: string;
}

/**
 * The resolv.conf the kubelet writes for a Pod: ClusterFirst (the default,
 * and ClusterFirstWithHostNet) searches the cluster domains, then the node's,
 * then dnsConfig's; ndots 5 unless dnsConfig sets it. A hostNetwork Pod with
 * ClusterFirst, and dnsPolicy Default, get the node's resolv.conf; None gets
 * dnsConfig's alone (ndots 1 unless set). Not a Pod (a node): the name as written.
 */
export function resolverConf(namespace: string | undefined, zone: string, dns: PodDnsSettings | undefined, hostNetwork: boolean): ResolverConf {
  if (!namespace) return { searchList: [], ndots: 1 };
  const policy = dns?.policy ?? 'ClusterFirst';
  const extra = dns?.searches ?? [];
  const nodeNote = "the node's resolv.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS";
  if (policy === 'None') return { searchList: [...extra], ndots: dns?.ndots ?? 1, note: 'dnsPolicy None: only the Pod\'s dnsConfig' };
  if (policy === 'Default') return { searchList: [...extra], ndots: dns?.ndots ?? 1, note: `dnsPolicy Default: ${nodeNote}` };
  if (hostNetwork && policy !== 'ClusterFirstWithHostNet') {
    return { searchList: [...extra], ndots: dns?.ndots ?? 1, note: `a hostNetwork Pod with dnsPolicy ${policy} gets ${nodeNote}; ClusterFirstWithHostNet would give it the cluster's` };
  }
  const cluster = podSearchList(namespace, zone);
  return { searchList: [...cluster, ...extra.filter((d) => !cluster.includes(d))], ndots: dns?.ndots ?? POD_NDOTS };
}

export function candidates(name: string, searchList: readonly string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = searchList.map((d) => `${name}.${d}.`);
  return dots >= ndots ? [`${name}.`, ...searched] : [...searched, `${name}.`];
}

export function lookup(dns: ClusterDns, given: string, type: RecordType, conf: ResolverConf | string | undefined): Lookup {
  return lookupTogether(dns, given, [type], conf)[0];
}

/**
 * Several types asked together, as getaddrinfo asks A and AAAA: each
 * candidate gets every type, and the first candidate where one of them has
 * records ends the search for all (the others may be NODATA there).
 */
export function lookupTogether(dns: ClusterDns, given: string, types: readonly RecordType[], conf: ResolverConf | string | undefined): Lookup[] {
  // A namespace alone: a ClusterFirst Pod of that namespace.
  const { searchList, ndots } = typeof conf === 'object' ? conf : resolverConf(conf, dns.zone, undefined, false);
  // A PTR question about an address asks its reverse name (dig -x).
  const ptr = types.length === 1 && types[0] === 'PTR';
  const reverse = ptr && isIP(given) ? reverseName(given) : undefined;
  const names = reverse ? [reverse] : ptr && isReverseName(given) ? [fqdn(given)] : candidates(given, searchList, ndots);
  const out: Lookup[] = types.map((type) => ({ given, type, searchList, ndots, queries: [] }));
  let forwarded: DnsAnswer[] | undefined;
  for (const n of names) {
    const answers = types.map((t) => dns.answer(n, t));
    answers.forEach((a, i) => out[i].queries.push(a));
    if (answers.some((a) => a.answer.length > 0)) {
      answers.forEach((a, i) => (out[i].answered = a));
      return out;
    }
    // A name the upstream resolvers answer (unknown here): the search goes on only if they say NXDOMAIN.
    if (answers.some((a) => a.upstream)) forwarded ??= answers;
  }
  if (forwarded) forwarded.forEach((a, i) => (out[i].answered = a));
  return out;
}

/** The outcome as the resolver reports it: an answer, forwarded upstream, NODATA (some name exists) or NXDOMAIN. */
export function outcome(l: Lookup): 'answer' | 'upstream' | 'NODATA' | 'NXDOMAIN' {
  if (l.answered?.upstream) return 'upstream';
  if (l.answered && l.answered.answer.length > 0) return 'answer';
  return l.queries.some((q) => q.rcode === 'NOERROR') ? 'NODATA' : 'NXDOMAIN';
}
