// The objects kube-proxy's nftables proxier (GA in Kubernetes 1.33; see
// pkg/proxy/nftables/proxier.go) writes for one Service port in its table
// `ip kube-proxy` (`ip6 kube-proxy` for IPv6): elements of the shared maps
// (service-ips, service-nodeports, firewall-ips, no-endpoint-services,
// no-endpoint-nodeports) and set cluster-ips, the per-service chains
// service-HASH-ns/name/proto/port, external-…, firewall-…, endpoint-HASH-…
// (HASH: the first 8 base32 characters of the sha256 of the name that
// follows it), affinity sets, and the `numgen random mod N vmap` choice.
//
// They are produced as kube-proxy's transaction writes them ("add rule ip
// kube-proxy CHAIN RULE", what its tests compare), and printed for a trace as
// `nft list ruleset` groups them: by map and chain inside the table.
import { base32, sha256, utf8 } from './sha256';
import { endpointKey, externallyAccessible, externalPolicyLocal, usesClusterEndpoints, usesLocalEndpoints, type Categorized, type ProxyEndpoint, type ProxyServicePort } from './kube-proxy-model';
import { cidrContains, CLUSTER_CIDR_PLACEHOLDER } from './kube-proxy-iptables';
import { servicePortName } from './chains';

/** nftables chain names are at most 256 bytes; kube-proxy keeps the base under 240. */
const CHAIN_NAME_BASE_MAX = 240;

function hashAndTruncate(name: string): string {
  const full = `${base32(sha256(utf8(name))).slice(0, 8)}-${name}`;
  return full.length > CHAIN_NAME_BASE_MAX ? `${full.slice(0, CHAIN_NAME_BASE_MAX - 3)}...` : full;
}

/** "ULMVA6XW-ns1/svc1/tcp/p80" (an unnamed port leaves the last part empty). */
export function nftServiceBase(s: Pick<ProxyServicePort, 'namespace' | 'name' | 'portName' | 'protocol'>): string {
  return hashAndTruncate(`${s.namespace}/${s.name}/${s.protocol.toLowerCase()}/${s.portName ?? ''}`);
}

/** "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80" (an IPv6 address with its colons as dots). */
export function nftEndpointBase(s: Pick<ProxyServicePort, 'namespace' | 'name' | 'portName' | 'protocol'>, ep: Pick<ProxyEndpoint, 'address' | 'port' | 'symbolic'>): string {
  const ip = ep.symbolic ? ep.address : ep.address.replace(/:/g, '.');
  return hashAndTruncate(`${s.namespace}/${s.name}/${s.protocol.toLowerCase()}/${s.portName ?? ''}__${ip}/${ep.port}`);
}

export interface NftNames {
  table: string;
  service: string;
  /** Local traffic policy's chain. */
  local: string;
  external: string;
  firewall: string;
  endpoint: (ep: ProxyEndpoint) => string;
  affinity: (ep: ProxyEndpoint) => string;
}

export function nftNames(s: ProxyServicePort): NftNames {
  const base = nftServiceBase(s);
  return {
    table: `${s.family === 6 ? 'ip6' : 'ip'} kube-proxy`,
    service: `service-${base}`,
    local: `local-${base}`,
    external: `external-${base}`,
    firewall: `firewall-${base}`,
    endpoint: (ep) => `endpoint-${nftEndpointBase(s, ep)}`,
    affinity: (ep) => `affinity-${nftEndpointBase(s, ep)}`,
  };
}

/** One object of the transaction. */
export type NftStatement =
  | { kind: 'rule'; chain: string; rule: string }
  | { kind: 'chain'; chain: string }
  | { kind: 'element'; map: string; element: string; key: string }
  | { kind: 'set'; set: string; spec: string };

export interface NftOptions {
  clusterCIDR?: string;
  nodeIP?: string;
}

export function nftStatements(s: ProxyServicePort, cat: Categorized, opts: NftOptions = {}): NftStatement[] {
  const n = nftNames(s);
  const out: NftStatement[] = [];
  const ipX = s.family === 6 ? 'ip6' : 'ip';
  const p = s.protocol.toLowerCase();
  const spn = servicePortName(s.namespace, s.name, s.portName);
  const cidr = opts.clusterCIDR ?? CLUSTER_CIDR_PLACEHOLDER;
  const rule = (chain: string, text: string) => out.push({ kind: 'rule', chain, rule: text });
  const element = (map: string, key: string, value: string, comment?: string) =>
    out.push({ kind: 'element', map, key, element: `{ ${key}${comment ? ` comment "${comment}"` : ''} : ${value} }` });
  const { hasEndpoints } = cat;

  const usesCluster = cat.cluster.length > 0 && usesClusterEndpoints(s);
  const usesLocal = cat.local.length > 0 && usesLocalEndpoints(s);
  const clusterPolicyChain = n.service;
  const localPolicyChain = n.local;
  const internalPolicyChain = s.internalTrafficPolicyLocal ? localPolicyChain : clusterPolicyChain;
  const hasInternal = hasEndpoints && !(s.internalTrafficPolicyLocal && cat.local.length === 0);
  const epl = externalPolicyLocal(s);
  const externalPolicyChain = epl ? localPolicyChain : clusterPolicyChain;
  const hasExternal = hasEndpoints && !(epl && cat.local.length === 0);
  const usesExt = hasEndpoints && externallyAccessible(s);
  const usesFw = s.loadBalancerIPs.length > 0 && s.loadBalancerSourceRanges.length > 0;

  let internalVerdict = 'goto reject-chain';
  let externalVerdict = 'goto reject-chain';
  if (hasEndpoints) {
    if (!hasInternal) internalVerdict = 'drop';
    if (!hasExternal) externalVerdict = 'drop';
  }

  if (s.affinitySeconds !== undefined) {
    for (const ep of cat.reachable) {
      out.push({ kind: 'set', set: n.affinity(ep), spec: `{ type ${s.family === 6 ? 'ipv6_addr' : 'ipv4_addr'} ; flags dynamic,timeout ; timeout ${s.affinitySeconds}s ; }` });
    }
  }
  if (usesCluster) out.push({ kind: 'chain', chain: clusterPolicyChain });
  if (usesLocal) out.push({ kind: 'chain', chain: localPolicyChain });
  if (hasInternal) rule(internalPolicyChain, `${ipX} daddr ${s.clusterIP} ${ipX} saddr != ${cidr} jump mark-for-masquerade`);
  if (usesCluster) dispatch(s, n, clusterPolicyChain, cat.cluster, rule);
  if (usesLocal) dispatch(s, n, localPolicyChain, cat.local, rule);
  if (usesExt) {
    out.push({ kind: 'chain', chain: n.external });
    if (!epl) {
      rule(n.external, 'jump mark-for-masquerade');
    } else {
      rule(n.external, `${ipX} saddr ${cidr} goto ${clusterPolicyChain} comment "short-circuit pod traffic"`);
      rule(n.external, 'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"');
      rule(n.external, `fib saddr type local goto ${clusterPolicyChain} comment "short-circuit local traffic"`);
    }
    if (hasExternal) rule(n.external, `goto ${externalPolicyChain}`);
  }
  for (const ep of cat.reachable) {
    const chain = n.endpoint(ep);
    out.push({ kind: 'chain', chain });
    rule(chain, `${ipX} saddr ${ep.address} jump mark-for-masquerade`);
    if (s.affinitySeconds !== undefined) rule(chain, `update @${n.affinity(ep)} { ${ipX} saddr }`);
    rule(chain, `meta l4proto ${p} dnat to ${endpointKey(ep)}`);
  }
  if (usesFw) {
    out.push({ kind: 'chain', chain: n.firewall });
    const sources = [...s.loadBalancerSourceRanges];
    if (opts.nodeIP && s.loadBalancerSourceRanges.some((r) => cidrContains(r, opts.nodeIP!))) sources.push(...s.loadBalancerIPs);
    rule(n.firewall, `${ipX} saddr != { ${sources.join(' , ')} } drop`);
  }

  out.push({ kind: 'element', map: 'cluster-ips', key: s.clusterIP, element: `{ ${s.clusterIP} }` });
  const key = (ip: string) => `${ip} . ${p} . ${s.port}`;
  if (hasInternal) element('service-ips', key(s.clusterIP), `goto ${internalPolicyChain}`);
  else element('no-endpoint-services', key(s.clusterIP), internalVerdict, spn);
  for (const ip of s.externalIPs) {
    if (hasEndpoints) element('service-ips', key(ip), `goto ${n.external}`);
    if (!hasExternal) element('no-endpoint-services', key(ip), externalVerdict, spn);
  }
  for (const ip of s.loadBalancerIPs) {
    if (hasEndpoints) element('service-ips', key(ip), `goto ${n.external}`);
    if (usesFw) element('firewall-ips', key(ip), `goto ${n.firewall}`);
  }
  if (!hasExternal) for (const ip of s.loadBalancerIPs) element('no-endpoint-services', key(ip), externalVerdict, spn);
  if (s.nodePort) {
    if (hasEndpoints) element('service-nodeports', `${p} . ${s.nodePort}`, `goto ${n.external}`);
    if (!hasExternal) element('no-endpoint-nodeports', `${p} . ${s.nodePort}`, externalVerdict, spn);
  }
  return out;
}

function dispatch(s: ProxyServicePort, n: NftNames, chain: string, eps: readonly ProxyEndpoint[], rule: (chain: string, text: string) => void): void {
  const ipX = s.family === 6 ? 'ip6' : 'ip';
  if (s.affinitySeconds !== undefined) for (const ep of eps) rule(chain, `${ipX} saddr @${n.affinity(ep)} goto ${n.endpoint(ep)}`);
  const slots = eps.map((ep, i) => `${i} : goto ${n.endpoint(ep)}`).join(' , ');
  rule(chain, `numgen random mod ${eps.length} vmap { ${slots} }`);
}

/** The transaction lines, as kube-proxy's tests write them. */
export function nftTransaction(table: string, statements: readonly NftStatement[]): string[] {
  return statements.map((st) => {
    switch (st.kind) {
      case 'rule':
        return `add rule ${table} ${st.chain} ${st.rule}`;
      case 'chain':
        return `add chain ${table} ${st.chain}`;
      case 'element':
        return `add element ${table} ${st.map} ${st.element}`;
      case 'set':
        return `add set ${table} ${st.set} ${st.spec}`;
    }
  });
}

/** The shared rules of the table a request passes through, as kube-proxy writes them. */
export function nftBaseRules(family: 4 | 6): Record<'services' | 'nodeports' | 'firewall' | 'noEndpoints' | 'masquerade', string[]> {
  const ipX = family === 6 ? 'ip6' : 'ip';
  return {
    services: [`${ipX} daddr . meta l4proto . th dport vmap @service-ips`],
    nodeports: [`${ipX} daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports`],
    firewall: [`${ipX} daddr . meta l4proto . th dport vmap @firewall-ips`],
    noEndpoints: [`${ipX} daddr . meta l4proto . th dport vmap @no-endpoint-services`],
    masquerade: ['mark and 0x4000 == 0 return', 'mark set mark xor 0x4000', 'masquerade fully-random'],
  };
}

/**
 * `nft list ruleset` form of some chains' rules and some maps' elements:
 * the table, then each map with its elements and each chain with its rules,
 * one tab per level (elements are listed one per line for reading).
 */
export function nftListing(table: string, maps: readonly { map: string; elements: string[] }[], chains: readonly { chain: string; rules: string[] }[]): string[] {
  const out = [`table ${table} {`];
  for (const m of maps) {
    if (m.elements.length === 0) continue;
    out.push(`\tmap ${m.map} {`, `\t\telements = { ${m.elements.map((e) => e.replace(/^\{ | \}$/g, '')).join(',\n\t\t\t     ')} }`, '\t}');
  }
  for (const c of chains) {
    out.push(`\tchain ${c.chain} {`, ...c.rules.map((r) => `\t\t${r}`), '\t}');
  }
  out.push('}');
  return out;
}
