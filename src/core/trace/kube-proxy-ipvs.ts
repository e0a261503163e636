// kube-proxy in IPVS mode: every Service address (ClusterIP on the kube-ipvs0
// dummy interface, each node address for a NodePort, LB and external IPs) is an
// IPVS virtual server whose real servers are the endpoints, in masquerade
// (NAT) mode, scheduled by the configured scheduler (rr by default);
// sessionAffinity ClientIP becomes IPVS persistence. Printed as `ipvsadm -Ln`.
import type { Protocol } from '../model/types';
import type { ProxyEndpoint } from './kube-proxy-iptables';
import { endpointString } from './kube-proxy-iptables';

export function ipvsLines(protocol: Protocol, address: string, port: number | string, eps: readonly ProxyEndpoint[], scheduler = 'rr', persistSeconds?: number): string[] {
  const vip = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  const head = `${protocol.padEnd(4)} ${vip} ${scheduler}${persistSeconds !== undefined ? ` persistent ${persistSeconds}` : ''}`;
  return [head, ...eps.map((ep) => `  -> ${endpointString(ep).padEnd(28)} Masq    1      0          0`)];
}
