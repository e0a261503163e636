// From the model to kube-proxy's view of one Service port on one node, and
// the rules of the chosen mode that a request to one address passes through.
import type { ModelIndex } from '../model/model-index';
import type { Node, Service, ServicePort } from '../model/types';
import { collectBackends } from './endpoints';
import { MASQUERADE_RULE, NODEPORTS_JUMP_RULE, chainsFor, iptablesRules, type IptablesOptions } from './kube-proxy-iptables';
import { toIptablesSave } from './iptables-save';
import { categorize, endpointsMap, externalPolicyLocal, familyOf, type Categorized, type IpFamily, type ProxyEndpoint, type ProxyNode, type ProxyServicePort } from './kube-proxy-model';
import { ipvsListing, ipvsVirtualServers } from './kube-proxy-ipvs';
import { nftBaseRules, nftListing, nftNames, nftStatements, type NftStatement } from './kube-proxy-nftables';
import type { Backend, ProxyMode } from './types';

/** kube-proxy's default sessionAffinity timeout (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The Service's IP families in order: spec.ipFamilies, else the families of its ClusterIPs, else IPv4. */
export function serviceFamilies(svc: Service): IpFamily[] {
  const out: IpFamily[] = [];
  for (const f of svc.ipFamilies) {
    const fam: IpFamily | undefined = f === 'IPv6' ? 6 : f === 'IPv4' ? 4 : undefined;
    if (fam && !out.includes(fam)) out.push(fam);
  }
  for (const ip of svc.clusterIPs) {
    if (ip === 'None' || ip === '') continue;
    const fam = familyOf(ip);
    if (!out.includes(fam)) out.push(fam);
  }
  return out.length > 0 ? out : [4];
}

/** The family a client uses: its own when the Service has a ClusterIP of it, else the Service's primary. */
export function chooseFamily(svc: Service, clientIps: readonly string[]): IpFamily {
  const fams = serviceFamilies(svc);
  for (const ip of clientIps) if (fams.includes(familyOf(ip))) return familyOf(ip);
  return fams[0];
}

export function clusterIpOf(svc: Service, family: IpFamily): string {
  const ip = svc.clusterIPs.find((x) => x !== 'None' && familyOf(x) === family);
  if (ip) return ip;
  if (svc.clusterIP && svc.clusterIP !== 'None' && familyOf(svc.clusterIP) === family) return svc.clusterIP;
  return family === 6 ? '<IPv6-ClusterIP>' : '<ClusterIP>';
}

export function proxyServicePort(svc: Service, sp: ServicePort, family: IpFamily): ProxyServicePort {
  const same = (ip: string) => familyOf(ip) === family || !/^[0-9a-fA-F:.]+$/.test(ip);
  return {
    namespace: svc.namespace,
    name: svc.name,
    portName: sp.name,
    protocol: sp.protocol,
    port: sp.port,
    nodePort: svc.type === 'NodePort' || svc.type === 'LoadBalancer' ? (sp.nodePort ?? 0) || undefined : undefined,
    clusterIP: clusterIpOf(svc, family),
    externalIPs: svc.externalIPs.filter(same),
    loadBalancerIPs: svc.type === 'LoadBalancer' ? svc.loadBalancerIPs.filter((ip) => /^[0-9a-fA-F:.]+$/.test(ip) && familyOf(ip) === family) : [],
    loadBalancerSourceRanges: (svc.loadBalancerSourceRanges ?? []).filter((r) => familyOf(r) === family),
    externalTrafficPolicyLocal: svc.externalTrafficPolicy === 'Local',
    internalTrafficPolicyLocal: svc.internalTrafficPolicy === 'Local',
    affinitySeconds: svc.sessionAffinity === 'ClientIP' ? (svc.sessionAffinityTimeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : undefined,
    healthCheckNodePort: svc.healthCheckNodePort,
    family,
  };
}

export function toProxyEndpoints(backends: readonly Backend[]): ProxyEndpoint[] {
  const out: ProxyEndpoint[] = [];
  for (const b of backends) {
    if (b.port === undefined) continue;
    out.push({
      address: b.address,
      port: b.port,
      symbolic: b.symbolic,
      ready: b.ready,
      serving: b.serving,
      terminating: b.terminating,
      nodeName: b.nodeName,
      zoneHints: b.zoneHints,
      backend: b,
    });
  }
  return out;
}

export function proxyNode(nodes: readonly Node[], name: string | undefined): ProxyNode {
  if (!name) return {};
  const n = nodes.find((x) => x.name === name);
  const ip = n?.addresses.find((a) => a.type === 'InternalIP')?.address;
  return { name, zone: n?.labels[ZONE_LABEL], ip };
}

export type EntryAddress = { kind: 'clusterip' } | { kind: 'nodeport' } | { kind: 'loadbalancer'; ip: string } | { kind: 'externalip'; ip: string };

export interface PathRules {
  /** Capture: KUBE-SERVICES / KUBE-NODEPORTS / the firewall, and the chain it jumps to. */
  entry: string[];
  /** The dispatch chain (KUBE-SVC/KUBE-SVL, or service-/local- chain). */
  dispatch: string[];
  /** The endpoint chains of the candidates (KUBE-SEP / endpoint-). */
  dnat: string[];
  /** When nothing is programmed for this address: the reject/drop. */
  refused: string[];
  /** The SNAT the masquerade mark leads to. */
  masquerade: string[];
  /** IPVS: the virtual servers ("address:port") the request may hit. */
  virtualServers?: string[];
  /** The capture and the dispatch as one listing (nftables prints one table). */
  entryAndDispatch?: string[];
}

export interface PathInput {
  mode: ProxyMode;
  svc: ProxyServicePort;
  cat: Categorized;
  entry: EntryAddress;
  candidates: readonly ProxyEndpoint[];
  opts: IptablesOptions;
  /** The nodes' addresses (IPVS makes a NodePort virtual server on each). */
  nodeAddresses: readonly string[];
}

export function pathRules(input: PathInput): PathRules {
  if (input.mode === 'nftables') return nftPath(input);
  if (input.mode === 'iptables') return iptablesPath(input);
  return ipvsPath(input);
}

/** The virtual servers of the address asked about, with their real servers (none: the connection is refused). */
function ipvsPath({ svc, cat, entry, nodeAddresses }: PathInput): PathRules {
  const servers = ipvsVirtualServers(svc, cat, nodeAddresses).filter((vs) =>
    entry.kind === 'clusterip'
      ? vs.address === svc.clusterIP && vs.port === svc.port
      : entry.kind === 'nodeport'
        ? vs.port === svc.nodePort && !svc.externalIPs.includes(vs.address) && !svc.loadBalancerIPs.includes(vs.address) && vs.address !== svc.clusterIP
        : vs.address === entry.ip && vs.port === svc.port,
  );
  const lines = servers.flatMap(ipvsListing);
  const virtualServers = servers.map((vs) => (vs.address.includes(':') ? `[${vs.address}]:${vs.port}` : `${vs.address}:${vs.port}`));
  return { entry: [], dispatch: lines, dnat: [], refused: lines, masquerade: [], virtualServers };
}

function entryKey(s: ProxyServicePort, e: EntryAddress): string {
  return e.kind === 'clusterip' ? s.clusterIP : e.kind === 'nodeport' ? 'nodeport' : e.ip;
}

function iptablesPath({ svc, cat, entry, candidates, opts }: PathInput): PathRules {
  const c = chainsFor(svc);
  const all = iptablesRules(svc, cat, opts, c);
  const key = entryKey(svc, entry);
  const inChain = (chain: string) => all.filter((r) => r.chain === chain).map((r) => r.text);
  const refused = all.filter((r) => r.table === 'filter' && r.matches === key && r.chain !== 'KUBE-PROXY-FIREWALL').map((r) => r.text);
  const out: PathRules = { entry: [], dispatch: [], dnat: [], refused, masquerade: [] };
  const localPolicy = entry.kind === 'clusterip' ? svc.internalTrafficPolicyLocal : externalPolicyLocal(svc);
  const policyChain = localPolicy ? c.svl : c.svc;
  if (entry.kind === 'nodeport') out.entry.push(toIptablesSave(NODEPORTS_JUMP_RULE, svc.family));
  out.entry.push(...all.filter((r) => r.table === 'nat' && r.matches === key).map((r) => r.text));
  if (entry.kind === 'loadbalancer' && all.some((r) => r.chain === c.fw)) {
    out.entry.push(...inChain(c.fw), ...all.filter((r) => r.chain === 'KUBE-PROXY-FIREWALL' && r.matches === key).map((r) => r.text));
  }
  if (entry.kind !== 'clusterip') {
    out.entry.push(...inChain(c.ext));
    out.masquerade.push(MASQUERADE_RULE);
  }
  out.dispatch.push(...inChain(policyChain));
  for (const ep of candidates) out.dnat.push(...inChain(c.sep(ep)));
  return out;
}

function nftPath({ svc, cat, entry, candidates, opts }: PathInput): PathRules {
  const statements = nftStatements(svc, cat, opts);
  const n = nftNames(svc);
  const base = nftBaseRules(svc.family);
  const key = entryKey(svc, entry);
  const rulesOf = (chain: string) => statements.filter((s): s is Extract<NftStatement, { kind: 'rule' }> => s.kind === 'rule' && s.chain === chain).map((s) => s.rule);
  const elementsOf = (map: string) =>
    statements.filter((s): s is Extract<NftStatement, { kind: 'element' }> => s.kind === 'element' && s.map === map && (key === 'nodeport' ? !/ \. .* \. /.test(s.key) : s.key.startsWith(`${key} . `))).map((s) => s.element);
  const localPolicy = entry.kind === 'clusterip' ? svc.internalTrafficPolicyLocal : externalPolicyLocal(svc);
  const policyChain = localPolicy ? n.local : n.service;
  const out: PathRules = { entry: [], dispatch: [], dnat: [], refused: [], masquerade: [] };

  const refusedMap = entry.kind === 'nodeport' ? 'no-endpoint-nodeports' : 'no-endpoint-services';
  const refusedElements = elementsOf(refusedMap);
  if (refusedElements.length > 0) {
    out.refused = nftListing(n.table, [{ map: refusedMap, elements: refusedElements }], [
      { chain: entry.kind === 'nodeport' ? 'nodeport-endpoints-check' : 'service-endpoints-check', rules: entry.kind === 'nodeport' ? [`${svc.family === 6 ? 'ip6' : 'ip'} daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports`] : base.noEndpoints },
      ...(refusedElements.some((e) => e.includes('reject-chain')) ? [{ chain: 'reject-chain', rules: ['reject'] }] : []),
    ]);
  }
  const map = entry.kind === 'nodeport' ? 'service-nodeports' : 'service-ips';
  const chains: { chain: string; rules: string[] }[] = [{ chain: 'services', rules: entry.kind === 'nodeport' ? base.nodeports : base.services }];
  const maps = [{ map, elements: elementsOf(map) }];
  if (entry.kind === 'loadbalancer' && rulesOf(n.firewall).length > 0) {
    maps.unshift({ map: 'firewall-ips', elements: elementsOf('firewall-ips') });
    chains.unshift({ chain: 'firewall-check', rules: base.firewall }, { chain: n.firewall, rules: rulesOf(n.firewall) });
  }
  if (entry.kind !== 'clusterip' && rulesOf(n.external).length > 0) {
    chains.push({ chain: n.external, rules: rulesOf(n.external) });
    out.masquerade = nftListing(n.table, [], [{ chain: 'masquerading', rules: base.masquerade }]);
  }
  if (maps[maps.length - 1].elements.length > 0) out.entry = nftListing(n.table, maps, chains);
  const dispatch = rulesOf(policyChain);
  if (dispatch.length > 0) {
    out.dispatch = nftListing(n.table, [], [{ chain: policyChain, rules: dispatch }]);
    if (out.entry.length > 0) out.entryAndDispatch = nftListing(n.table, maps, [...chains, { chain: policyChain, rules: dispatch }]);
  }
  const epChains = candidates.map((ep) => ({ chain: n.endpoint(ep), rules: rulesOf(n.endpoint(ep)) })).filter((c) => c.rules.length > 0);
  if (epChains.length > 0) out.dnat = nftListing(n.table, [], epChains);
  return out;
}

/** How each mode's rules are printed, and where that differs from kube-proxy's own text. */
export const RULE_NOTATION: Record<ProxyMode, string> = {
  iptables:
    'iptables rules as iptables-save prints them, not as kube-proxy passes them to iptables-restore (source and destination first with /32 or /128, --probability as the kernel keeps it, recent with its mask, REJECT with its --reject-with); only the rules of this Service port on the path; <...> stands for what manifests do not say',
  nftables:
    'nftables rules in the text kube-proxy writes into table kube-proxy, grouped by map and chain as nft list ruleset groups them (nft may print some expressions differently); only this Service port\'s elements and chains on the path; <...> stands for what manifests do not say',
  ipvs: 'IPVS virtual and real servers as ipvsadm -Ln prints them; <...> stands for what manifests do not say',
};

/** kube-proxy's view of one Service port on one node, read from the model (EndpointSlices, Pods or manifests). */
export function proxyView(
  index: ModelIndex,
  svc: Service,
  sp: ServicePort,
  family: IpFamily,
  node: ProxyNode,
): { port: ProxyServicePort; endpoints: ProxyEndpoint[]; categorized: Categorized; servesFamily: boolean } {
  const port = proxyServicePort(svc, sp, family);
  const endpoints = endpointsMap(toProxyEndpoints(collectBackends(index, svc, sp).backends), family, node.name);
  // The proxier of one family ignores a Service that has no ClusterIP of that family.
  const servesFamily = svc.clusterIPs.some((ip) => ip !== 'None' && familyOf(ip) === family);
  return { port, endpoints, categorized: categorize(port, endpoints, node), servesFamily };
}
