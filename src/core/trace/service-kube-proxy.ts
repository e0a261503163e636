// kube-proxy on the path of a Service request: its view of the Service port on
// the node that handles it (./kube-proxy-model: family, order,
// CategorizeEndpoints), the rules of its mode on the path (./kube-proxy-path),
// and the endpoints the traffic policies leave it. The hops it makes of them
// are ./kube-proxy-hops.
import type { NetworkModel, Node, Service, ServicePort } from '../model/types';
import type { DnsTarget } from './dns';
import type { BackendSet } from './endpoints';
import { categorize, endpointsMap, familyOf, ignoredHintsReason, type Categorized, type IpFamily, type ProxyEndpoint, type ProxyNode, type ProxyServicePort } from './kube-proxy-model';
import { chooseFamily, clusterIpOf, pathRules, proxyNode, proxyServicePort, serviceFamilies, toProxyEndpoints, type EntryAddress, type PathRules } from './kube-proxy-path';
import { describeNode, nodeAddress } from './routing';
import { entryAddress, type Entry } from './service-entry';
import type { Source } from './source';
import type { ProxyMode, TraceHop, TraceResult } from './types';

export type ProxiedEntry = Exclude<Entry, 'headless'>;

/** kube-proxy's view of the Service port on the node that handles the request, and the rules on the path. */
export interface KubeProxyView {
  clientIps: string[];
  family: IpFamily;
  pport: ProxyServicePort;
  allEps: ProxyEndpoint[];
  pnode: ProxyNode;
  cat: Categorized;
  /** The node whose rules apply is not known (manifests, or no node given). */
  symbolicEntry: boolean;
  itpLocal: boolean;
  etpLocal: boolean;
  /** The endpoints kube-proxy may pick from here. */
  candidates: ProxyEndpoint[];
  address: EntryAddress;
  lbIp: string;
  path: PathRules;
  /** The ClusterIP of the request's family. */
  cip: string;
}

export function kubeProxyView(
  model: NetworkModel,
  svc: Service,
  sp: ServicePort,
  src: Source,
  set: BackendSet,
  entry: ProxiedEntry,
  dns: DnsTarget,
  mode: ProxyMode,
  clusterCIDR: string | undefined,
  notes: string[],
): KubeProxyView {
  const nodes = model.nodes;
  const symbolic = set.source === 'selector';
  const etpLocal = entry !== 'clusterip' && svc.externalTrafficPolicy === 'Local';
  const itpLocal = entry === 'clusterip' && svc.internalTrafficPolicy === 'Local';
  // The node whose rules apply: the client's own, or the one an external client reaches (when given).
  const entryNodeName: string | undefined = src.nodeName;
  const clientIps = src.subject.kind === 'pod' ? src.subject.ips : src.subject.ip ? [src.subject.ip] : [];
  const family = dns.address ? familyOf(dns.address) : chooseFamily(svc, clientIps);
  const pport = proxyServicePort(svc, sp, family);
  const allEps = endpointsMap(toProxyEndpoints(set.backends), family, entryNodeName);
  const pnode = proxyNode(nodes, entryNodeName);
  const cat = categorize(pport, allEps, pnode);
  const families = serviceFamilies(svc);
  if (families.length > 1) {
    const other = families.find((f) => f !== family)!;
    notes.push(
      `dual-stack Service: this request uses IPv${family} (ClusterIP ${pport.clusterIP}); ${mode === 'ipvs' ? 'IPVS' : mode === 'nftables' ? `table ip${other === 6 ? '6' : ''} kube-proxy` : other === 6 ? 'ip6tables' : 'iptables'} holds the IPv${other} ClusterIP ${clusterIpOf(svc, other)} with the IPv${other} endpoints`,
    );
  }
  const otherFamily = set.backends.filter((b) => !b.symbolic && b.port !== undefined && familyOf(b.address) !== family).length;
  if (otherFamily > 0) notes.push(`${otherFamily} endpoint(s) of the other IP family are not used for IPv${family}`);
  if (cat.topology === 'PreferSameZone') notes.push(`topology-aware routing: only endpoints hinted for zone ${pnode.zone} are used from this node`);
  else {
    const ignored = ignoredHintsReason(allEps, pnode.zone);
    if (ignored) notes.push(`EndpointSlice zone hints: ${ignored}`);
  }

  const symbolicEntry = symbolic || !entryNodeName;
  const localPolicy = itpLocal || etpLocal;
  let candidates: ProxyEndpoint[];
  if (!localPolicy) candidates = cat.cluster;
  else if (!symbolicEntry) candidates = cat.local;
  else {
    // The node is not known: every usable endpoint is a candidate on some node.
    const ready = allEps.filter((ep) => ep.ready);
    candidates = ready.length > 0 ? ready : allEps.filter((ep) => ep.serving && ep.terminating);
  }

  const lbIp = pport.loadBalancerIPs[0] ?? svc.loadBalancerIPs[0] ?? '<load-balancer address>';
  const address = entryAddress(entry, svc, lbIp);
  // With Local policy on a node not known, the rules shown are those of a node running the candidates.
  const ruleCat = localPolicy && symbolicEntry ? { ...cat, local: candidates, reachable: mergeEndpoints(cat.cluster, candidates) } : cat;
  const nodeAddresses = nodes.length > 0 ? nodes.map((n) => nodeAddress(n)).filter((a): a is string => !!a) : ['<node address>'];
  const path = pathRules({ mode, svc: pport, cat: ruleCat, entry: address, candidates, opts: { clusterCIDR, nodeIP: pnode.ip }, nodeAddresses });
  return { clientIps, family, pport, allEps, pnode, cat, symbolicEntry, itpLocal, etpLocal, candidates, address, lbIp, path, cip: pport.clusterIP };
}

function mergeEndpoints(a: readonly ProxyEndpoint[], b: readonly ProxyEndpoint[]): ProxyEndpoint[] {
  const out = [...a];
  for (const ep of b) if (!out.includes(ep)) out.push(ep);
  return out;
}

/** No endpoint for this port: kube-proxy rejects the connection. */
export function noEndpoints(view: KubeProxyView, svc: Service, sp: ServicePort, set: BackendSet, notes: string[], mode: ProxyMode, hops: TraceHop[]): TraceResult {
  const name = `${svc.namespace}/${svc.name}`;
  hops.push({
    kind: 'kube-proxy',
    detail: `kube-proxy (${mode}): ${name} has no ready endpoint for port ${sp.port}: ${mode === 'ipvs' ? 'the virtual server has no real server and the connection is refused' : 'the connection is rejected (ICMP port unreachable)'}`,
    rules: view.path.refused,
    objectIds: [svc.id],
  });
  const why = set.backends.length === 0 ? (set.source === 'none' ? set.notes[0] : `its selector matches no Pods`) : [...new Set(notes)].join('; ');
  return { proxyMode: mode, verdict: 'no-endpoints', reason: `${name}: no endpoint to send to: ${why}`, hops, endpoints: [] };
}

/**
 * internalTrafficPolicy / externalTrafficPolicy Local: which endpoints this
 * node may use. The note for the dispatch hop and the node the request enters
 * on (unknown behind a load balancer), or the drop of a node without one.
 */
export function localEndpoints(
  view: KubeProxyView,
  svc: Service,
  nodes: readonly Node[],
  src: Source,
  entry: ProxiedEntry,
  symbolic: boolean,
  mode: ProxyMode,
  hops: TraceHop[],
  undecided: string[],
): { localNote: string; entryNode: string | undefined } | { result: TraceResult } {
  const { itpLocal, etpLocal, symbolicEntry, candidates } = view;
  const name = `${svc.namespace}/${svc.name}`;
  const entryNodeName = src.nodeName;
  if (!itpLocal && !etpLocal) return { localNote: '', entryNode: src.nodeName };
  const policyName = itpLocal ? 'internalTrafficPolicy' : 'externalTrafficPolicy';
  if (etpLocal && entry === 'loadbalancer' && symbolicEntry) {
    return { localNote: `${policyName} Local: each node sends only to its own endpoints; the load balancer's health checks keep nodes without one out`, entryNode: undefined };
  }
  if (!symbolicEntry) {
    if (candidates.length === 0) {
      hops.push({
        kind: 'kube-proxy',
        detail: `${policyName} Local and no ready endpoint of ${name} on ${describeNode(nodes, entryNodeName)}: the node drops the connection`,
        rules: view.path.refused,
        objectIds: [svc.id],
      });
      return { result: { proxyMode: mode, verdict: 'dropped', reason: `${policyName}: Local and ${describeNode(nodes, entryNodeName)} has no ready endpoint of ${name}`, hops, endpoints: [] } };
    }
    return { localNote: `${policyName} Local: only endpoints on ${describeNode(nodes, entryNodeName)} are used`, entryNode: src.nodeName };
  }
  const byNode = new Set(candidates.map((ep) => ep.nodeName).filter((x): x is string => !!x));
  const withEp = nodes.filter((n) => byNode.has(n.name)).map((n) => n.name);
  const without = nodes.filter((n) => !byNode.has(n.name)).map((n) => n.name);
  if (!symbolic && nodes.length > 0 && without.length === 0) {
    return { localNote: `${policyName} Local: every node has a local endpoint`, entryNode: src.nodeName };
  }
  const which = !symbolic && nodes.length > 0 ? ` (nodes with one: ${withEp.join(', ') || 'none'}; without: ${without.join(', ')})` : '';
  undecided.push(
    itpLocal
      ? `internalTrafficPolicy Local: delivered only if an endpoint of ${name} runs on the client's node, which ${symbolic ? 'manifests do not say' : 'is not known'}`
      : `externalTrafficPolicy Local: delivered only if the node the client reaches runs an endpoint of ${name}${which}`,
  );
  return { localNote: `${policyName} Local: only a node running a ready endpoint of ${name} answers; the others drop the connection${which}`, entryNode: src.nodeName };
}
