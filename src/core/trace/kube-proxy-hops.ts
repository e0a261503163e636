// The hops kube-proxy adds to a Service request: the masquerade decision, the
// dispatch to an endpoint (the chain or map of its mode with the chances) and
// the DNAT, and the second NAT of external traffic.
import type { Service, ServicePort } from '../model/types';
import type { PolicySubject } from '../policy/evaluate';
import { ruleProbability, servicePortName, svcChain, svlChain } from './chains';
import type { BackendSet } from './endpoints';
import { cidrContains } from './kube-proxy-iptables';
import { nftNames } from './kube-proxy-nftables';
import type { KubeProxyView, ProxiedEntry } from './service-kube-proxy';
import type { Source } from './source';
import type { ProxyMode, TraceHop } from './types';

/** The masquerade decision for a ClusterIP (local-traffic detection by the cluster CIDR) and hairpin, as a clause of the dispatch hop. */
export function masqueradeClause(view: KubeProxyView, entry: ProxiedEntry, mode: ProxyMode, src: Source, clusterCIDR: string | undefined): string {
  if (entry !== 'clusterip' || mode === 'ipvs') return '';
  const srcIp = view.clientIps[0];
  let masqText: string;
  if (src.subject.kind === 'node' || (src.subject.kind === 'pod' && src.subject.hostNetwork)) {
    masqText = `; the source ${srcIp ?? "(the node's address)"} is outside the cluster CIDR, so the ClusterIP rule marks it for masquerade (SNAT to the node's address)`;
  } else if (srcIp && clusterCIDR && !cidrContains(clusterCIDR, srcIp)) {
    masqText = `; the source ${srcIp} is outside the cluster CIDR ${clusterCIDR}, so it is marked for masquerade`;
  } else {
    masqText = `; the source is a Pod inside the cluster CIDR${clusterCIDR ? ` ${clusterCIDR}` : ''}: no masquerade`;
  }
  const hairpin = view.candidates.find((ep) => ep.backend?.pod && src.objectIds.includes(ep.backend.pod.id));
  if (hairpin) masqText += `; if it picks ${hairpin.address} (the caller itself), the endpoint chain's "-s ${hairpin.address}" rule masquerades it (hairpin)`;
  return masqText;
}

export interface DispatchInput {
  view: KubeProxyView;
  svc: Service;
  sp: ServicePort;
  set: BackendSet;
  entry: ProxiedEntry;
  mode: ProxyMode;
  symbolic: boolean;
  localNote: string;
  masqText: string;
}

/** kube-proxy picks an endpoint (the chain or map of its mode, with the chances) and rewrites the destination to it: two hops. */
export function dispatchHops(i: DispatchInput): TraceHop[] {
  const { view, svc, sp, set, entry, mode, localNote, masqText } = i;
  const { candidates, path, pport, address, cip } = view;
  const n = candidates.length;
  const localChain = view.itpLocal || view.etpLocal;
  const spn = servicePortName(svc.namespace, svc.name, sp.name);
  const illustrative = i.symbolic ? ` (${mode === 'nftables' ? 'endpoint chain' : 'KUBE-SEP'} names computed from symbolic endpoints: illustrative only)` : '';
  const affinity = pport.affinitySeconds;
  const affinityText = affinity !== undefined ? `; sessionAffinity ClientIP: a client seen within ${affinity}s goes back to the same endpoint, new clients are spread as below` : '';
  const destText = entry === 'clusterip' ? `${cip}:${sp.port}` : entry === 'nodeport' ? `<node address>:${sp.nodePort ?? '<nodePort>'}` : `${address.kind === 'loadbalancer' || address.kind === 'externalip' ? address.ip : ''}:${sp.port}`;
  const targetPortText = typeof sp.targetPort === 'string' ? `; targetPort "${sp.targetPort}" resolved per Pod` : '';
  const backendIds = set.backends.flatMap((b) => b.objectIds);
  if (mode === 'iptables') {
    const chain = localChain ? svlChain(spn, sp.protocol) : svcChain(spn, sp.protocol);
    const probs = candidates
      .map((_, k) => ruleProbability(k, n))
      .map((p) => (p === undefined ? 'the last unconditionally' : p.toFixed(5)))
      .join(', ');
    return [
      {
        kind: 'kube-proxy',
        detail: `kube-proxy (iptables): ${entry === 'clusterip' ? 'KUBE-SERVICES matches it and jumps' : 'KUBE-EXT jumps'} to ${chain}, which ${
          n === 1 ? 'sends it to its only endpoint (one unconditional rule)' : `picks one of ${n} endpoints at random (rule probabilities ${probs}: each gets 1/${n})`
        }${localNote ? `; ${localNote}` : ''}${masqText}${affinityText}`,
        rules: entry === 'clusterip' ? [...path.entry, ...path.dispatch] : path.dispatch,
        objectIds: [svc.id, ...backendIds],
      },
      {
        kind: 'dnat',
        detail: `the chosen KUBE-SEP chain rewrites the destination ${destText} to the endpoint (DNAT)${targetPortText}${entry !== 'clusterip' ? '; the ClusterIP never appears in the packet' : ''}${illustrative}`,
        rules: path.dnat,
        objectIds: backendIds,
      },
    ];
  }
  if (mode === 'nftables') {
    const names = nftNames(pport);
    const chain = localChain ? names.local : names.service;
    return [
      {
        kind: 'kube-proxy',
        detail: `kube-proxy (nftables, table ${names.table}): ${entry === 'nodeport' ? 'the services chain looks the NodePort up in map service-nodeports' : 'the services chain looks the destination up in map service-ips'}${entry === 'clusterip' ? '' : ` and goes to ${names.external}`}, then ${chain}, where ${
          n === 1 ? '"numgen random mod 1" sends it to its only endpoint' : `"numgen random mod ${n}" picks one of ${n} endpoint chains (each 1/${n})`
        }${localNote ? `; ${localNote}` : ''}${masqText}${affinityText}`,
        rules: entry === 'clusterip' ? (path.entryAndDispatch ?? [...path.entry, ...path.dispatch]) : path.dispatch,
        objectIds: [svc.id, ...backendIds],
      },
      {
        kind: 'dnat',
        detail: `the chosen endpoint chain rewrites the destination ${destText} to the endpoint ("dnat to")${targetPortText}${entry !== 'clusterip' ? '; the ClusterIP never appears in the packet' : ''}${illustrative}`,
        rules: path.dnat,
        objectIds: backendIds,
      },
    ];
  }
  const servers = path.virtualServers ?? [];
  return [
    {
      kind: 'kube-proxy',
      detail: `kube-proxy (IPVS): virtual server ${servers.join(', ') || '(none)'}${entry === 'clusterip' ? ' (bound to kube-ipvs0)' : ''} with ${n} real server(s), scheduler rr (round robin: each gets 1/${n} in turn)${affinity !== undefined ? `; sessionAffinity ClientIP: persistent ${affinity}s` : ''}${localNote ? `; ${localNote}` : ''}`,
      rules: path.dispatch,
      objectIds: [svc.id, ...backendIds],
    },
    {
      kind: 'dnat',
      detail: `IPVS (masquerade mode) rewrites the destination to the chosen real server${targetPortText}`,
      rules: [],
      objectIds: backendIds,
    },
  ];
}

/**
 * Source NAT of external traffic: none with externalTrafficPolicy Local,
 * else the receiving node's address (the second NAT). The source the
 * endpoint's policies then see, when it changes.
 */
export function externalSourceNat(view: KubeProxyView, svc: Service, entry: ProxiedEntry, mode: ProxyMode, hops: TraceHop[]): PolicySubject | undefined {
  if (entry === 'clusterip') return undefined;
  if (view.etpLocal) {
    hops.push({
      kind: 'route',
      detail: `externalTrafficPolicy Local: no SNAT, the Pod sees the client's own address; the endpoint is on the node that received the connection`,
      rules: [],
      objectIds: [svc.id],
    });
    return undefined;
  }
  hops.push({
    kind: 'route',
    detail: `externalTrafficPolicy Cluster: ${masqueradeMarker(view, entry, mode)} and POSTROUTING masquerades it: the source becomes the receiving node's address (the second NAT); the Pod never sees the client's address, and the endpoint may be on another node (a second hop)`,
    rules: view.path.masquerade,
    objectIds: [svc.id],
  });
  return { kind: 'node', name: 'the receiving node (after SNAT)', ip: undefined, family: 4, nodeName: undefined, objectIds: [] };
}

/**
 * What marks external traffic for masquerade in each mode: the Service's
 * KUBE-EXT chain (iptables), its external- chain (nftables), or in IPVS mode
 * the shared chains and ipsets that hold every Service's NodePorts, load
 * balancer and external IPs (pkg/proxy/ipvs: KUBE-NODE-PORT, KUBE-LOAD-BALANCER,
 * KUBE-EXTERNAL-IP).
 */
function masqueradeMarker(view: KubeProxyView, entry: Exclude<ProxiedEntry, 'clusterip'>, mode: ProxyMode): string {
  if (mode === 'nftables') return `${nftNames(view.pport).external} jumped to mark-for-masquerade`;
  if (mode === 'iptables') return 'KUBE-EXT marked the connection';
  if (entry === 'nodeport') return `KUBE-NODE-PORT marked the connection (its port is in ipset KUBE-NODE-PORT-${view.pport.protocol})`;
  if (entry === 'loadbalancer') return 'KUBE-LOAD-BALANCER marked the connection (its address is in ipset KUBE-LOAD-BALANCER)';
  return 'KUBE-SERVICES marked the connection (its address is in ipset KUBE-EXTERNAL-IP)';
}
