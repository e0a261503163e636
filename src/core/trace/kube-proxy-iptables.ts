// The nat-table rules kube-proxy (iptables mode) writes for one Service port,
// printed as `iptables-save` prints them. Only the rules on this request's
// path are produced, not the whole table. See ./chains for names and
// probabilities.
import type { Protocol, Service, ServicePort } from '../model/types';
import { comment, extChain, iptablesSaveProbability, ruleProbability, sepChain, svcChain, svlChain } from './chains';

export interface ProxyEndpoint {
  /** "10.244.1.5" or symbolic "<...>". */
  address: string;
  port: number;
  symbolic: boolean;
}

export interface PortContext {
  svc: Service;
  sp: ServicePort;
  /** ServicePortName.String(). */
  spn: string;
  protocol: Protocol;
}

export function endpointString(ep: ProxyEndpoint): string {
  return ep.address.includes(':') && !ep.symbolic ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`;
}

function hostMask(address: string): string {
  return address.includes(':') ? `${address}/128` : `${address}/32`;
}

function match(ctx: PortContext): string {
  const p = ctx.protocol.toLowerCase();
  return `-p ${p}`;
}

/** KUBE-SERVICES -> KUBE-SVC (or KUBE-SVL for internalTrafficPolicy Local) for the ClusterIP. */
export function clusterIpRule(ctx: PortContext, clusterIp: string, local: boolean): string {
  const p = ctx.protocol.toLowerCase();
  const target = local ? svlChain(ctx.spn, ctx.protocol) : svcChain(ctx.spn, ctx.protocol);
  return `-A KUBE-SERVICES -d ${hostMask(clusterIp)} ${match(ctx)} -m comment --comment ${comment(`${ctx.spn} cluster IP`)} -m ${p} --dport ${ctx.sp.port} -j ${target}`;
}

/** KUBE-SERVICES -> KUBE-EXT for a load-balancer or external IP. */
export function externalAddressRule(ctx: PortContext, address: string, what: 'loadbalancer IP' | 'external IP'): string {
  const p = ctx.protocol.toLowerCase();
  return `-A KUBE-SERVICES -d ${hostMask(address)} ${match(ctx)} -m comment --comment ${comment(`${ctx.spn} ${what}`)} -m ${p} --dport ${ctx.sp.port} -j ${extChain(ctx.spn, ctx.protocol)}`;
}

/** The NodePort jump and the KUBE-EXT chain (masquerade for Cluster, KUBE-SVL for Local). */
export function nodePortRules(ctx: PortContext, nodePort: number | undefined, local: boolean): string[] {
  const p = ctx.protocol.toLowerCase();
  const out = [
    `-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
    `-A KUBE-NODEPORTS ${match(ctx)} -m comment --comment ${comment(ctx.spn)} -m ${p} --dport ${nodePort ?? '<nodePort>'} -j ${extChain(ctx.spn, ctx.protocol)}`,
  ];
  return [...out, ...extRules(ctx, local)];
}

export function extRules(ctx: PortContext, local: boolean): string[] {
  const ext = extChain(ctx.spn, ctx.protocol);
  if (!local) {
    return [
      `-A ${ext} -m comment --comment ${comment(`masquerade traffic for ${ctx.spn} external destinations`)} -j KUBE-MARK-MASQ`,
      `-A ${ext} -j ${svcChain(ctx.spn, ctx.protocol)}`,
    ];
  }
  return [
    `-A ${ext} -m comment --comment ${comment(`masquerade LOCAL traffic for ${ctx.spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
    `-A ${ext} -m comment --comment ${comment(`route LOCAL traffic for ${ctx.spn} external destinations`)} -m addrtype --src-type LOCAL -j ${svcChain(ctx.spn, ctx.protocol)}`,
    `-A ${ext} -j ${svlChain(ctx.spn, ctx.protocol)}`,
  ];
}

/** The dispatch chain: one rule per endpoint, endpoint i of n with probability 1/(n-i), the last unconditional. */
export function dispatchRules(ctx: PortContext, chain: string, eps: readonly ProxyEndpoint[], affinitySeconds?: number): string[] {
  const out: string[] = [];
  if (affinitySeconds !== undefined) {
    // Session affinity: first a `recent` check per endpoint sends a known client back.
    for (const ep of eps) {
      const sep = sepChain(ctx.spn, ctx.protocol, endpointString(ep));
      out.push(
        `-A ${chain} -m comment --comment ${comment(`${ctx.spn} -> ${endpointString(ep)}`)} -m recent --rcheck --seconds ${affinitySeconds} --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`,
      );
    }
  }
  eps.forEach((ep, i) => {
    const sep = sepChain(ctx.spn, ctx.protocol, endpointString(ep));
    const prob = ruleProbability(i, eps.length);
    const stat = prob === undefined ? '' : ` -m statistic --mode random --probability ${iptablesSaveProbability(prob)}`;
    out.push(`-A ${chain} -m comment --comment ${comment(`${ctx.spn} -> ${endpointString(ep)}`)}${stat} -j ${sep}`);
  });
  return out;
}

/** KUBE-SEP: hairpin masquerade, then DNAT to the endpoint. */
export function sepRules(ctx: PortContext, ep: ProxyEndpoint, affinity: boolean): string[] {
  const p = ctx.protocol.toLowerCase();
  const sep = sepChain(ctx.spn, ctx.protocol, endpointString(ep));
  const recent = affinity ? ` -m recent --set --name ${sep} --mask 255.255.255.255 --rsource` : '';
  return [
    `-A ${sep} -s ${ep.symbolic ? ep.address : hostMask(ep.address)} -m comment --comment ${comment(ctx.spn)} -j KUBE-MARK-MASQ`,
    `-A ${sep} ${match(ctx)} -m comment --comment ${comment(ctx.spn)}${recent} -m ${p} -j DNAT --to-destination ${endpointString(ep)}`,
  ];
}

/** What the filter table does when there is nothing to DNAT to. */
export function rejectRule(ctx: PortContext, clusterIp: string, why: 'has no endpoints' | 'has no local endpoints'): string {
  const p = ctx.protocol.toLowerCase();
  const target = why === 'has no endpoints' ? 'REJECT --reject-with icmp-port-unreachable' : 'DROP';
  return `-A KUBE-SERVICES -d ${hostMask(clusterIp)} ${match(ctx)} -m comment --comment ${comment(`${ctx.spn} ${why}`)} -m ${p} --dport ${ctx.sp.port} -j ${target}`;
}

export function externalRejectRule(ctx: PortContext, nodePort: number | undefined, why: 'has no endpoints' | 'has no local endpoints'): string {
  const p = ctx.protocol.toLowerCase();
  const target = why === 'has no endpoints' ? 'REJECT --reject-with icmp-port-unreachable' : 'DROP';
  return `-A KUBE-EXTERNAL-SERVICES ${match(ctx)} -m comment --comment ${comment(`${ctx.spn} ${why}`)} -m addrtype --dst-type LOCAL -m ${p} --dport ${nodePort ?? '<nodePort>'} -j ${target}`;
}

export const MASQUERADE_RULE = '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully';
