// One packet through one node's kube-proxy rules: which Service address it
// hits (ClusterIP, external IP, load-balancer IP, or a NodePort on an address
// that accepts NodePorts), which endpoints it may be DNATed to, whether it is
// marked for masquerade, or whether it is rejected (no endpoints) or dropped
// (Local policy without a local endpoint, loadBalancerSourceRanges). The same
// decisions as the rules ./kube-proxy-iptables and ./kube-proxy-nftables
// print, in the terms of kube-proxy's own packet-flow tests.
import type { ModelIndex } from '../model/model-index';
import type { Protocol } from '../model/types';
import { collectBackends } from './endpoints';
import { cidrContains } from './kube-proxy-iptables';
import { categorize, endpointKey, endpointsMap, externalPolicyLocal, familyOf, type ProxyNode } from './kube-proxy-model';
import { proxyServicePort, toProxyEndpoints } from './kube-proxy-path';

export interface FlowNode extends ProxyNode {
  /** Every address of the node (what `fib saddr type local` / `--src-type LOCAL` match). */
  addresses: string[];
  /** The addresses that accept NodePorts (--nodeport-addresses); default: all of the node's. */
  nodePortAddresses?: string[];
}

export interface FlowQuestion {
  sourceIP: string;
  destIP: string;
  destPort: number;
  protocol?: Protocol;
}

export interface FlowAnswer {
  /** The endpoints it may reach ("IP:port", in kube-proxy's order), or what stops it; empty: no kube-proxy rule catches it. */
  output: string[] | 'REJECT' | 'DROP';
  masquerade: boolean;
  /** "ns/name:port" of the Service port that caught it. */
  servicePort?: string;
}

/**
 * `mode` matters only for a packet no Service port catches: nftables rejects
 * one to a known ClusterIP's other ports (cluster-ips-check), iptables lets it
 * through untouched.
 */
export function packetFlow(index: ModelIndex, node: FlowNode, q: FlowQuestion, clusterCIDR: string, mode: 'iptables' | 'nftables' = 'iptables'): FlowAnswer {
  const family = familyOf(q.destIP);
  const protocol = q.protocol ?? 'TCP';
  const inCluster = cidrContains(clusterCIDR, q.sourceIP);
  for (const svc of index.model.services) {
    if (svc.headless || svc.type === 'ExternalName') continue;
    for (const sp of svc.ports) {
      if (sp.protocol !== protocol) continue;
      const s = proxyServicePort(svc, sp, family);
      const at =
        q.destIP === s.clusterIP && q.destPort === s.port
          ? 'clusterip'
          : s.externalIPs.includes(q.destIP) && q.destPort === s.port
            ? 'externalip'
            : s.loadBalancerIPs.includes(q.destIP) && q.destPort === s.port
              ? 'loadbalancer'
              : s.nodePort !== undefined && q.destPort === s.nodePort && (node.nodePortAddresses ?? node.addresses).includes(q.destIP)
                ? 'nodeport'
                : undefined;
      if (!at) continue;
      const name = `${svc.namespace}/${svc.name}${sp.name ? `:${sp.name}` : ''}`;
      const eps = endpointsMap(toProxyEndpoints(collectBackends(index, svc, sp).backends), family, node.name);
      const cat = categorize(s, eps, node);
      if (!cat.hasEndpoints) return { output: 'REJECT', masquerade: false, servicePort: name };
      const reach = (list: typeof eps, masq: boolean): FlowAnswer =>
        list.length === 0
          ? { output: 'DROP', masquerade: false, servicePort: name }
          : { output: list.map(endpointKey), masquerade: masq || list.some((ep) => ep.address === q.sourceIP), servicePort: name };
      if (at === 'clusterip') return reach(s.internalTrafficPolicyLocal ? cat.local : cat.cluster, !inCluster);
      if (at === 'loadbalancer' && s.loadBalancerSourceRanges.length > 0) {
        const fromNode = node.ip !== undefined && s.loadBalancerSourceRanges.some((r) => cidrContains(r, node.ip!));
        const allowed = s.loadBalancerSourceRanges.some((r) => cidrContains(r, q.sourceIP)) || (fromNode && s.loadBalancerIPs.includes(q.sourceIP));
        if (!allowed) return { output: 'DROP', masquerade: false, servicePort: name };
      }
      if (!externalPolicyLocal(s)) return reach(cat.cluster, true);
      // Local: Pods and the node itself short-circuit to the Cluster endpoints.
      if (inCluster) return reach(cat.cluster, false);
      if (node.addresses.includes(q.sourceIP)) return reach(cat.cluster, true);
      return reach(cat.local, false);
    }
  }
  if (mode === 'nftables' && index.model.services.some((svc) => !svc.headless && svc.clusterIPs.includes(q.destIP))) return { output: 'REJECT', masquerade: false };
  return { output: [], masquerade: false };
}
