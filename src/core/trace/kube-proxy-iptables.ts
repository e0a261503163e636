// The rules kube-proxy's iptables proxier writes for one Service port
// (pkg/proxy/iptables/proxier.go syncProxyRules and
// writeServiceToEndpointRules), composed as kube-proxy writes them and
// printed as `iptables-save` prints them (./iptables-save). Every rule of the
// Service port is produced; the trace picks those on the request's path.
//
// Left out on purpose: the rules shared by every Service (KUBE-MARK-MASQ,
// KUBE-POSTROUTING, KUBE-FORWARD, KUBE-FIREWALL) except where a hop needs
// them, and the localhost NodePort accounting rule (`-d 127.0.0.0/8 ... -m
// nfacct`), which kube-proxy adds only when its nfacct counter exists.
import { comment, extChain, fwChain, kubeProxyProbability, ruleProbability, sepChain, servicePortName, svcChain, svlChain } from './chains';
import { toIptablesSave } from './iptables-save';
import {
  endpointKey,
  externallyAccessible,
  externalPolicyLocal,
  usesClusterEndpoints,
  usesLocalEndpoints,
  type Categorized,
  type ProxyEndpoint,
  type ProxyServicePort,
} from './kube-proxy-model';

export interface IptablesOptions {
  /** The cluster's Pod CIDR (kube-proxy's --cluster-cidr local detection); a placeholder when unknown. */
  clusterCIDR?: string;
  /** The node's address (a loadBalancerSourceRange that contains it admits the LB IPs as sources). */
  nodeIP?: string;
}

export const CLUSTER_CIDR_PLACEHOLDER = '<cluster CIDR>';

export interface IptablesRule {
  table: 'nat' | 'filter';
  chain: string;
  /** As `iptables-save` prints it. */
  text: string;
  /** As kube-proxy writes it (iptables-restore input). */
  written: string;
  /** The address (or "nodeport") a KUBE-SERVICES-like rule matches. */
  matches?: string;
}

export interface IptablesChains {
  spn: string;
  svc: string;
  svl: string;
  ext: string;
  fw: string;
  sep: (ep: ProxyEndpoint) => string;
}

export function chainsFor(s: ProxyServicePort): IptablesChains {
  const spn = servicePortName(s.namespace, s.name, s.portName);
  const seps = new Map<string, string>();
  return {
    spn,
    svc: svcChain(spn, s.protocol),
    svl: svlChain(spn, s.protocol),
    ext: extChain(spn, s.protocol),
    fw: fwChain(spn, s.protocol),
    sep: (ep) => {
      // Each endpoint's chain name is asked for several times (dispatch, affinity, its own rules): hash once.
      const key = endpointKey(ep);
      let name = seps.get(key);
      if (name === undefined) seps.set(key, (name = sepChain(spn, s.protocol, key)));
      return name;
    },
  };
}

export function iptablesRules(s: ProxyServicePort, cat: Categorized, opts: IptablesOptions = {}, chains: IptablesChains = chainsFor(s)): IptablesRule[] {
  const out: IptablesRule[] = [];
  const add = (table: IptablesRule['table'], written: string, matches?: string) => {
    const chain = /^-A (\S+)/.exec(written)![1];
    out.push({ table, chain, written, text: toIptablesSave(written, s.family), matches });
  };
  const c = chains;
  const spn = c.spn;
  const p = s.protocol.toLowerCase();
  const q = (text: string) => comment(text);
  const cidr = word(opts.clusterCIDR ?? CLUSTER_CIDR_PLACEHOLDER);
  const { hasEndpoints } = cat;

  const internalPolicyChain = s.internalTrafficPolicyLocal ? c.svl : c.svc;
  const hasInternal = hasEndpoints && !(s.internalTrafficPolicyLocal && cat.local.length === 0);
  const epl = externalPolicyLocal(s);
  const externalPolicyChain = epl ? c.svl : c.svc;
  const hasExternal = hasEndpoints && !(epl && cat.local.length === 0);
  const usesExt = hasEndpoints && externallyAccessible(s);
  const usesFw = hasEndpoints && s.loadBalancerIPs.length > 0 && s.loadBalancerSourceRanges.length > 0;
  const lbChain = usesFw ? c.fw : c.ext;

  let internalTarget = 'REJECT';
  let internalComment = q(`${spn} has no endpoints`);
  let externalTarget = 'REJECT';
  let externalComment = internalComment;
  if (hasEndpoints) {
    if (!hasInternal) {
      internalTarget = 'DROP';
      internalComment = q(`${spn} has no local endpoints`);
    }
    if (!hasExternal) {
      externalTarget = 'DROP';
      externalComment = q(`${spn} has no local endpoints`);
    }
  }
  const dst = (ip: string, port: number) => `-m ${p} -p ${p} -d ${ip} --dport ${port}`;

  if (hasInternal) add('nat', `-A KUBE-SERVICES -m comment --comment ${q(`${spn} cluster IP`)} ${dst(s.clusterIP, s.port)} -j ${internalPolicyChain}`, s.clusterIP);
  else add('filter', `-A KUBE-SERVICES -m comment --comment ${internalComment} ${dst(s.clusterIP, s.port)} -j ${internalTarget}`, s.clusterIP);

  for (const ip of s.externalIPs) {
    if (hasEndpoints) add('nat', `-A KUBE-SERVICES -m comment --comment ${q(`${spn} external IP`)} ${dst(ip, s.port)} -j ${c.ext}`, ip);
    if (!hasExternal) add('filter', `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} ${dst(ip, s.port)} -j ${externalTarget}`, ip);
  }
  for (const ip of s.loadBalancerIPs) {
    if (hasEndpoints) add('nat', `-A KUBE-SERVICES -m comment --comment ${q(`${spn} loadbalancer IP`)} ${dst(ip, s.port)} -j ${lbChain}`, ip);
    if (usesFw) add('filter', `-A KUBE-PROXY-FIREWALL -m comment --comment ${q(`${spn} traffic not accepted by ${c.fw}`)} ${dst(ip, s.port)} -j DROP`, ip);
  }
  if (!hasExternal) {
    for (const ip of s.loadBalancerIPs) add('filter', `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} ${dst(ip, s.port)} -j ${externalTarget}`, ip);
  }
  if (s.nodePort) {
    if (hasEndpoints) add('nat', `-A KUBE-NODEPORTS -m comment --comment ${q(spn)} -m ${p} -p ${p} --dport ${s.nodePort} -j ${c.ext}`, 'nodeport');
    if (!hasExternal) {
      add('filter', `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} -m addrtype --dst-type LOCAL -m ${p} -p ${p} --dport ${s.nodePort} -j ${externalTarget}`, 'nodeport');
    }
  }
  if (s.healthCheckNodePort) {
    add('filter', `-A KUBE-NODEPORTS -m comment --comment ${q(`${spn} health check node port`)} -m tcp -p tcp --dport ${s.healthCheckNodePort} -j ACCEPT`, 'healthcheck');
  }

  if (hasInternal) {
    add('nat', `-A ${internalPolicyChain} -m comment --comment ${q(`${spn} cluster IP`)} ${dst(s.clusterIP, s.port)} ! -s ${cidr} -j KUBE-MARK-MASQ`);
  }
  if (usesExt) {
    if (!epl) {
      add('nat', `-A ${c.ext} -m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
    } else {
      add('nat', `-A ${c.ext} -m comment --comment ${q(`pod traffic for ${spn} external destinations`)} -s ${cidr} -j ${c.svc}`);
      add('nat', `-A ${c.ext} -m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
      add('nat', `-A ${c.ext} -m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${c.svc}`);
    }
    if (hasExternal) add('nat', `-A ${c.ext} -j ${externalPolicyChain}`);
  }
  if (usesFw) {
    const head = `-A ${c.fw} -m comment --comment ${q(`${spn} loadbalancer IP`)}`;
    let allowFromNode = false;
    for (const range of s.loadBalancerSourceRanges) {
      add('nat', `${head} -s ${range} -j ${c.ext}`);
      if (opts.nodeIP && cidrContains(range, opts.nodeIP)) allowFromNode = true;
    }
    if (allowFromNode) for (const ip of s.loadBalancerIPs) add('nat', `${head} -s ${ip} -j ${c.ext}`);
    add('nat', `-A ${c.fw} -m comment --comment ${q(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)}`);
  }
  if (cat.cluster.length > 0 && usesClusterEndpoints(s)) for (const w of dispatch(s, c, c.svc, cat.cluster)) add('nat', w);
  if (cat.local.length > 0 && usesLocalEndpoints(s)) for (const w of dispatch(s, c, c.svl, cat.local)) add('nat', w);
  for (const ep of cat.reachable) {
    const sep = c.sep(ep);
    add('nat', `-A ${sep} -m comment --comment ${q(spn)} -s ${word(ep.address)} -j KUBE-MARK-MASQ`);
    const recent = s.affinitySeconds !== undefined ? ` -m recent --name ${sep} --set` : '';
    add('nat', `-A ${sep} -m comment --comment ${q(spn)}${recent} -m ${p} -p ${p} -j DNAT --to-destination ${word(endpointKey(ep))}`);
  }
  return out;
}

/** A symbolic endpoint ("<shop/Deployment/cart replica 1>") stays one argument. */
function word(text: string): string {
  return /\s/.test(text) ? `"${text}"` : text;
}

/** writeServiceToEndpointRules: affinity checks first, then one rule per endpoint with probability 1/(n-i). */
function dispatch(s: ProxyServicePort, c: IptablesChains, chain: string, eps: readonly ProxyEndpoint[]): string[] {
  const out: string[] = [];
  if (s.affinitySeconds !== undefined) {
    for (const ep of eps) {
      const sep = c.sep(ep);
      out.push(`-A ${chain} -m comment --comment ${comment(`${c.spn} -> ${endpointKey(ep)}`)} -m recent --name ${sep} --rcheck --seconds ${s.affinitySeconds} --reap -j ${sep}`);
    }
  }
  eps.forEach((ep, i) => {
    const prob = ruleProbability(i, eps.length);
    const stat = prob === undefined ? '' : ` -m statistic --mode random --probability ${kubeProxyProbability(prob)}`;
    out.push(`-A ${chain} -m comment --comment ${comment(`${c.spn} -> ${endpointKey(ep)}`)}${stat} -j ${c.sep(ep)}`);
  });
  return out;
}

export const MASQUERADE_RULE = '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully';
export const NODEPORTS_JUMP_RULE = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS';

/** Whether an IPv4 or IPv6 CIDR contains an address (false when either does not parse). */
export function cidrContains(cidr: string, address: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const a = ipBits(net);
  const b = ipBits(address);
  if (!a || !b || a.length !== b.length) return false;
  const bits = bitsText === undefined ? a.length : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length) return false;
  for (let i = 0; i < bits; i++) if (a[i] !== b[i]) return false;
  return true;
}

function ipBits(ip: string): number[] | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const parts = ip.split('.').map(Number);
    if (parts.some((x) => x > 255)) return undefined;
    return parts.flatMap((x) => [...x.toString(2).padStart(8, '0')].map(Number));
  }
  if (!ip.includes(':')) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const [head, tail] = halves;
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  if (tail === undefined && h.length !== 8) return undefined;
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.flatMap((g) => [...parseInt(g, 16).toString(2).padStart(16, '0')].map(Number));
}
