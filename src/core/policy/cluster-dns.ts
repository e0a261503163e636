// The cluster DNS as a policy peer: the Pods a lookup reaches after
// kube-proxy's DNAT of the kube-dns Service address (policies see the Pod,
// never the ClusterIP). They are looked for in the set (kube-system,
// k8s-app=kube-dns, the label CoreDNS carries in kubeadm and the managed
// clusters); when they are not there, their labels are unknown and a verdict
// that depends on them says so.
import type { ModelIndex } from '../model/model-index';
import type { Protocol, Service, Workload } from '../model/types';
import { evaluateDirection, workloadSubject, type AddressSubject, type DirectionResult, type PodSubject, type PolicySubject } from './evaluate';
import { parseIp } from './ip';
import type { Tri } from './tri';

export const CLUSTER_DNS_NAMESPACE = 'kube-system';
const CLUSTER_DNS_LABELS = { 'k8s-app': 'kube-dns' };

export function clusterDnsWorkloads(index: ModelIndex): Workload[] {
  return index.workloadsSelectedBy(CLUSTER_DNS_NAMESPACE, { matchLabels: CLUSTER_DNS_LABELS, matchExpressions: [] });
}

export function clusterDnsSubject(index: ModelIndex): PodSubject {
  const dns = clusterDnsWorkloads(index)[0];
  return dns
    ? workloadSubject(dns, index.podLabels(dns))
    : { kind: 'pod', name: 'the cluster DNS Pods (kube-system, not in the set)', namespace: CLUSTER_DNS_NAMESPACE, labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] };
}

/**
 * NodeLocal DNSCache in the set: a hostNetwork DaemonSet answering on a
 * link-local address (169.254.20.10 in the upstream manifests) on every node;
 * Pods may send their lookups there instead of to CoreDNS.
 */
export function nodeLocalDns(index: ModelIndex): Workload | undefined {
  return index.workloadsSelectedBy(CLUSTER_DNS_NAMESPACE, { matchLabels: { 'k8s-app': 'node-local-dns' }, matchExpressions: [] })[0];
}

export const NODE_LOCAL_DNS_ADDRESS = '169.254.20.10';

/** NodeLocal DNSCache as a policy peer: a process on the client's own node, at its link-local address. */
export function nodeLocalDnsPeer(): AddressSubject {
  return { kind: 'external', name: 'NodeLocal DNSCache', ip: NODE_LOCAL_DNS_ADDRESS, family: 4, objectIds: [] };
}

/**
 * The Service Pods send their lookups to (the kubelet's --cluster-dns is its
 * ClusterIP): kube-system/kube-dns, the name CoreDNS keeps in kubeadm and the
 * managed clusters, else a kube-system Service labelled k8s-app=kube-dns
 * other than NodeLocal DNSCache's kube-dns-upstream (which carries that label
 * too, and is where the cache forwards, not where Pods ask).
 */
export function clusterDnsService(index: ModelIndex): Service | undefined {
  const named = index.servicesNamed(CLUSTER_DNS_NAMESPACE, 'kube-dns').find((s) => s.type !== 'ExternalName');
  return named ?? index.servicesIn(CLUSTER_DNS_NAMESPACE).find((s) => s.type !== 'ExternalName' && s.labels['k8s-app'] === 'kube-dns' && s.name !== NODE_LOCAL_DNS_UPSTREAM);
}

/** The Service NodeLocal DNSCache's upstream manifests create for it (`-upstreamsvc kube-dns-upstream`). */
export const NODE_LOCAL_DNS_UPSTREAM = 'kube-dns-upstream';

export interface LookupEgress {
  /** UDP/53 to the CoreDNS Pods. */
  toDnsPods: DirectionResult;
  /** UDP/53 to NodeLocal DNSCache's address, when the set has the cache. */
  toNodeLocal?: DirectionResult;
  /** 'no' only when every DNS server the Pod may send to is denied. */
  allowed: Tri;
}

/**
 * A Pod's lookups at its own egress, as the rule networkpolicy-egress-blocks-dns
 * and the trace's DNS hop both judge them: UDP/53 to the CoreDNS Pods, and to
 * NodeLocal DNSCache when the set has it (which of the two a Pod's queries
 * reach depends on the cache's setup, so either one allowed is not a
 * certain failure).
 */
export function lookupEgress(index: ModelIndex, self: PodSubject, dnsPods: PodSubject = clusterDnsSubject(index), nodeLocal: Workload | undefined = nodeLocalDns(index)): LookupEgress {
  const toDnsPods = evaluateDirection(index, 'egress', self, dnsPods, 'UDP', 53);
  if (!nodeLocal) return { toDnsPods, allowed: toDnsPods.allowed };
  const toNodeLocal = evaluateDirection(index, 'egress', self, nodeLocalDnsPeer(), 'UDP', 53);
  const allowed: Tri = toDnsPods.allowed === 'yes' || toNodeLocal.allowed === 'yes' ? 'yes' : toDnsPods.allowed === 'no' && toNodeLocal.allowed === 'no' ? 'no' : 'unknown';
  return { toDnsPods, toNodeLocal, allowed };
}

/**
 * A nameserver a Pod names itself (dnsPolicy None, dnsConfig.nameservers) as
 * its egress policies see the query: the kube-dns ClusterIP is the CoreDNS
 * Pods (kube-proxy DNATs the query before any policy sees it), NodeLocal
 * DNSCache's address (with the cache in the set) is the cache on the node,
 * any other address is itself. Undefined: not an IP address (the API server
 * rejects such a nameserver).
 */
export function nameserverPeer(index: ModelIndex, ip: string): PolicySubject | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  const svc = clusterDnsService(index);
  if (svc && (svc.clusterIPs.includes(ip) || svc.clusterIP === ip)) return clusterDnsSubject(index);
  if (ip === NODE_LOCAL_DNS_ADDRESS && nodeLocalDns(index)) return nodeLocalDnsPeer();
  return { kind: 'external', name: 'the nameserver', ip, family: parsed.family, objectIds: [] };
}

export interface ServersEgress {
  /** Port 53 to each server, in the order the resolver tries them. */
  verdicts: DirectionResult[];
  /** 'yes' when one is allowed (the resolver tries the next when one does not answer); 'no' only when every one is denied. */
  allowed: Tri;
}

/**
 * A Pod's lookups at its own egress toward the servers its resolver tries in
 * turn (its dnsConfig nameservers, or the node's resolver): port 53 on
 * `protocol` to each. The trace's DNS hop and the rule
 * networkpolicy-egress-blocks-dns judge a dnsPolicy None Pod with this.
 */
export function serversEgress(index: ModelIndex, self: PodSubject, servers: readonly PolicySubject[], protocol: Protocol = 'UDP'): ServersEgress {
  const verdicts = servers.map((s) => evaluateDirection(index, 'egress', self, s, protocol, 53));
  const allowed: Tri = verdicts.some((v) => v.allowed === 'yes') ? 'yes' : verdicts.length > 0 && verdicts.every((v) => v.allowed === 'no') ? 'no' : 'unknown';
  return { verdicts, allowed };
}
