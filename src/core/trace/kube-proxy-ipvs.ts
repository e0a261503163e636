// kube-proxy in IPVS mode: every Service address (ClusterIP on the kube-ipvs0
// dummy interface, each node address for a NodePort, LB and external IPs) is an
// IPVS virtual server whose real servers are the endpoints, in masquerade
// (NAT) mode, scheduled by the configured scheduler (rr by default);
// sessionAffinity ClientIP becomes IPVS persistence with the affinity timeout.
// The real servers of the ClusterIP are the Cluster-policy endpoints (the
// Local ones with internalTrafficPolicy Local); of a NodePort, LB or external
// IP the Local ones with externalTrafficPolicy Local (pkg/proxy/ipvs/proxier.go).
// Printed as `ipvsadm -Ln` prints them.
import type { Protocol } from '../model/types';
import { endpointKey, externalPolicyLocal, familyOf, type Categorized, type ProxyEndpoint, type ProxyServicePort } from './kube-proxy-model';

/** `ipvsadm -Ln`'s lines for one virtual server. */
export function ipvsListing(vs: IpvsVirtualServer): string[] {
  const vip = vs.address.includes(':') ? `[${vs.address}]:${vs.port}` : `${vs.address}:${vs.port}`;
  const head = `${vs.protocol.padEnd(4)} ${vip} ${vs.scheduler}${vs.persistent !== undefined ? ` persistent ${vs.persistent}` : ''}`;
  return [head, ...vs.realServers.map((rs) => `  -> ${rs.padEnd(28)} Masq    1      0          0`)];
}

/** One IPVS virtual server and its real servers ("IP:port"), as ipvsadm lists them. */
export interface IpvsVirtualServer {
  address: string;
  port: number;
  protocol: Protocol;
  scheduler: string;
  /** Persistence timeout (sessionAffinity ClientIP). */
  persistent?: number;
  realServers: string[];
}

/**
 * The virtual servers the IPVS proxier creates for one Service port: the
 * ClusterIP, each external IP and LB IP, and each node address that accepts
 * NodePorts; real servers are the Cluster endpoints, or the Local ones where
 * that address's traffic policy is Local.
 */
export function ipvsVirtualServers(s: ProxyServicePort, cat: Categorized, nodeAddresses: readonly string[], scheduler = 'rr'): IpvsVirtualServer[] {
  const keys = (eps: readonly ProxyEndpoint[]) => eps.map(endpointKey);
  const internal = keys(s.internalTrafficPolicyLocal ? cat.local : cat.cluster);
  const external = keys(externalPolicyLocal(s) ? cat.local : cat.cluster);
  const vs = (address: string, port: number, realServers: string[]): IpvsVirtualServer => ({
    address,
    port,
    protocol: s.protocol,
    scheduler,
    ...(s.affinitySeconds !== undefined ? { persistent: s.affinitySeconds } : {}),
    realServers,
  });
  const out = [vs(s.clusterIP, s.port, internal)];
  for (const ip of s.externalIPs) out.push(vs(ip, s.port, external));
  for (const ip of s.loadBalancerIPs) out.push(vs(ip, s.port, external));
  if (s.nodePort) for (const ip of nodeAddresses) if (ip.startsWith('<') || familyOf(ip) === s.family) out.push(vs(ip, s.nodePort, external));
  return out;
}
