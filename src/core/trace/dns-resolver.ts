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
//   server requires at least one).
// A node (not a Pod) asks its own resolver.
import type { PodDnsSettings } from '../model/types';

export interface ClientResolver {
  kind: 'cluster' | 'node' | 'dnsConfig';
  /** dnsConfig's nameservers (kind dnsConfig). */
  nameservers?: string[];
  /** Who answers: "the node's resolver (…)". */
  server: string;
  /** Why, from the dnsPolicy: "dnsPolicy Default". */
  why: string;
}

const NODE_RESOLVER = "the node's resolver (the nameservers of the node's /etc/resolv.conf, not in the set)";

export function clientResolver(isPod: boolean, hostNetwork: boolean, dns: PodDnsSettings | undefined): ClientResolver {
  if (!isPod) return { kind: 'node', server: NODE_RESOLVER, why: 'a node asks its own resolver' };
  const policy = dns?.policy ?? 'ClusterFirst';
  if (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !hostNetwork)) {
    return { kind: 'cluster', server: 'the cluster DNS (CoreDNS)', why: `dnsPolicy ${policy}` };
  }
  if (policy === 'None') {
    const nameservers = dns?.nameservers ?? [];
    return {
      kind: 'dnsConfig',
      nameservers,
      server: nameservers.length > 0 ? `the Pod's dnsConfig nameserver${nameservers.length > 1 ? 's' : ''} ${nameservers.join(', ')}` : "the Pod's dnsConfig nameservers",
      why: nameservers.length > 0 ? 'dnsPolicy None: only the Pod\'s dnsConfig' : 'dnsPolicy None with no dnsConfig nameserver, which the API server rejects: it requires at least one',
    };
  }
  if (policy === 'Default') return { kind: 'node', server: NODE_RESOLVER, why: "dnsPolicy Default: the node's resolv.conf" };
  return { kind: 'node', server: NODE_RESOLVER, why: `dnsPolicy ${policy} on a hostNetwork Pod falls back to Default (the node's resolv.conf); ClusterFirstWithHostNet would ask the cluster DNS` };
}

/** What a name outside the cluster domain gets from a resolver that is not the cluster DNS. */
export function outsideAnswer(resolver: ClientResolver, zone: string): string {
  return `outside ${zone}, answered by ${resolver.server}; CoreDNS is not asked`;
}
