// Which server a client's lookups go to, from its dnsPolicy (what the kubelet
// writes into its resolv.conf):
// - ClusterFirst (the default) on the Pod network, and ClusterFirstWithHostNet:
//   the cluster DNS (the kube-dns ClusterIP); CoreDNS forwards names outside
//   the cluster domain to its upstream resolvers.
// - Default: the node's resolv.conf: the node's own resolver answers, CoreDNS
//   is never asked.
// - ClusterFirst on a hostNetwork Pod: falls back to Default (the node's
//   resolver), which is why ClusterFirstWithHostNet exists.
// - None: the nameservers of the Pod's dnsConfig, and only those (the API
//   server requires at least one); the cluster DNS when the first of them is
//   its address (the kube-dns ClusterIP, or NodeLocal DNSCache's), as a Pod
//   that sets its own ndots or search domains often writes.
// A node (not a Pod) asks its own resolver.
import type { ModelIndex } from '../model/model-index';
import type { PodDnsSettings } from '../model/types';
import { clusterDnsService, nodeLocalDns, NODE_LOCAL_DNS_ADDRESS } from '../policy/cluster-dns';

export interface ClientResolver {
  kind: 'cluster' | 'node' | 'dnsConfig';
  /** dnsConfig's nameservers (kind dnsConfig). */
  nameservers?: string[];
  /** Who answers: "the node's resolver (…)". */
  server: string;
  /** Why, from the dnsPolicy: "dnsPolicy Default". */
  why: string;
  /** A later dnsConfig nameserver that is the cluster DNS: asked only when those before it do not answer. */
  clusterFallback?: string;
}

const NODE_RESOLVER = "the node's resolver (the nameservers of the node's /etc/resolv.conf, not in the set)";

/** The addresses the set shows the cluster DNS at: the kube-dns ClusterIPs, and NodeLocal DNSCache's when it is in the set. */
export function clusterDnsAddresses(index: ModelIndex): string[] {
  const svc = clusterDnsService(index);
  const ips = svc ? (svc.clusterIPs.length > 0 ? svc.clusterIPs : svc.clusterIP && svc.clusterIP !== 'None' ? [svc.clusterIP] : []) : [];
  return nodeLocalDns(index) ? [...ips, NODE_LOCAL_DNS_ADDRESS] : ips;
}

export function clientResolver(isPod: boolean, hostNetwork: boolean, dns: PodDnsSettings | undefined, clusterAddresses: readonly string[] = []): ClientResolver {
  if (!isPod) return { kind: 'node', server: NODE_RESOLVER, why: 'a node asks its own resolver' };
  const policy = dns?.policy ?? 'ClusterFirst';
  if (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !hostNetwork)) {
    return { kind: 'cluster', server: 'the cluster DNS (CoreDNS)', why: `dnsPolicy ${policy}` };
  }
  if (policy === 'None') {
    const nameservers = dns?.nameservers ?? [];
    if (nameservers[0] !== undefined && clusterAddresses.includes(nameservers[0])) {
      return { kind: 'cluster', server: `the cluster DNS (CoreDNS, at ${nameservers[0]})`, why: `dnsPolicy None whose first dnsConfig nameserver, ${nameservers[0]}, is the cluster DNS` };
    }
    const clusterFallback = nameservers.find((ip) => clusterAddresses.includes(ip));
    return {
      kind: 'dnsConfig',
      nameservers,
      ...(clusterFallback ? { clusterFallback } : {}),
      server: nameservers.length > 0 ? `the Pod's dnsConfig nameserver${nameservers.length > 1 ? 's' : ''} ${nameservers.join(', ')}` : "the Pod's dnsConfig nameservers",
      why: nameservers.length > 0 ? 'dnsPolicy None: only the Pod\'s dnsConfig' : 'dnsPolicy None with no dnsConfig nameserver, which the API server rejects: it requires at least one',
    };
  }
  if (policy === 'Default') return { kind: 'node', server: NODE_RESOLVER, why: "dnsPolicy Default: the node's resolv.conf" };
  return { kind: 'node', server: NODE_RESOLVER, why: `dnsPolicy ${policy} on a hostNetwork Pod falls back to Default (the node's resolv.conf); ClusterFirstWithHostNet would ask the cluster DNS` };
}

/** What a name outside the cluster domain gets from a resolver that is not the cluster DNS. */
export function outsideAnswer(resolver: ClientResolver, zone: string): string {
  const coreDns = resolver.clusterFallback ? `CoreDNS (at ${resolver.clusterFallback}) only if the nameservers before it do not answer` : 'CoreDNS is not asked';
  return `outside ${zone}, answered by ${resolver.server}; ${coreDns}`;
}
