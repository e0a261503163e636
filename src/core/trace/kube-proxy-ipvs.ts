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
import { endpointKey, type ProxyEndpoint } from './kube-proxy-model';

export function ipvsLines(protocol: Protocol, address: string, port: number | string, eps: readonly Pick<ProxyEndpoint, 'address' | 'port' | 'symbolic'>[], scheduler = 'rr', persistSeconds?: number): string[] {
  const vip = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  const head = `${protocol.padEnd(4)} ${vip} ${scheduler}${persistSeconds !== undefined ? ` persistent ${persistSeconds}` : ''}`;
  return [head, ...eps.map((ep) => `  -> ${endpointKey(ep).padEnd(28)} Masq    1      0          0`)];
}
