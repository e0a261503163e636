// The cluster DNS as a policy peer: the Pods a lookup reaches after
// kube-proxy's DNAT of the kube-dns Service address (policies see the Pod,
// never the ClusterIP). They are looked for in the set (kube-system,
// k8s-app=kube-dns, the label CoreDNS carries in kubeadm and the managed
// clusters); when they are not there, their labels are unknown and a verdict
// that depends on them says so.
import type { ModelIndex } from '../model/model-index';
import type { Workload } from '../model/types';
import { workloadSubject, type PodSubject } from './evaluate';

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
