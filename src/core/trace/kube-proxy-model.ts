// What kube-proxy knows about one Service port on one node, in every mode
// (pkg/proxy: servicePortInfo, endpointslicecache.go, topology.go):
// - the endpoints of the proxier's IP family, one per "IP:port", sorted by
//   that string (which is why KUBE-SEP chains and numgen slots come in that
//   order, not in the order of the EndpointSlice);
// - CategorizeEndpoints: the endpoints Cluster and Local traffic policy use
//   (ready ones, topology hints applied, falling back to serving-terminating
//   ones separately for each when none is ready), and whether the Service has
//   any usable endpoint anywhere (hasEndpoints).
// The iptables, nftables and IPVS renderers all start from this.
import type { Protocol } from '../model/types';
import type { Backend } from './types';

export type IpFamily = 4 | 6;

export function familyOf(address: string): IpFamily {
  return address.includes(':') ? 6 : 4;
}

export interface ProxyEndpoint {
  /** An IP, or a symbolic "<...>" when manifests do not say. */
  address: string;
  port: number;
  symbolic: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  /** hints.forZones of the EndpointSlice endpoint. */
  zoneHints?: readonly string[];
  backend?: Backend;
}

/** servicePortInfo: the fields of a Service port kube-proxy programs. */
export interface ProxyServicePort {
  namespace: string;
  name: string;
  portName?: string;
  protocol: Protocol;
  port: number;
  nodePort?: number;
  /** The ClusterIP of this proxier's family (a placeholder when unknown). */
  clusterIP: string;
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  externalTrafficPolicyLocal: boolean;
  internalTrafficPolicyLocal: boolean;
  /** sessionAffinity ClientIP: its timeout (StickyMaxAgeSeconds). */
  affinitySeconds?: number;
  healthCheckNodePort?: number;
  family: IpFamily;
}

/** The node kube-proxy runs on, as far as it is known. */
export interface ProxyNode {
  name?: string;
  /** Its topology.kubernetes.io/zone label. */
  zone?: string;
  /** Its primary address (for loadBalancerSourceRanges that contain it). */
  ip?: string;
}

export function externallyAccessible(s: ProxyServicePort): boolean {
  return (s.nodePort ?? 0) !== 0 || s.loadBalancerIPs.length > 0 || s.externalIPs.length > 0;
}

/** ExternalPolicyLocal(): Local only counts when something external reaches the Service. */
export function externalPolicyLocal(s: ProxyServicePort): boolean {
  return externallyAccessible(s) && s.externalTrafficPolicyLocal;
}

/**
 * UsesClusterEndpoints(): Cluster traffic policy, or any external address at
 * all: even with both policies Local, KUBE-EXT / external- short-circuits Pod
 * and node traffic to the Cluster chain, which must then exist.
 */
export function usesClusterEndpoints(s: ProxyServicePort): boolean {
  return !s.internalTrafficPolicyLocal || externallyAccessible(s);
}

export function usesLocalEndpoints(s: ProxyServicePort): boolean {
  return s.internalTrafficPolicyLocal || externalPolicyLocal(s);
}

/** Endpoint.String(): net.JoinHostPort(ip, port). */
export function endpointKey(ep: { address: string; port: number; symbolic: boolean }): string {
  return !ep.symbolic && ep.address.includes(':') ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`;
}

/**
 * The endpoints map of one Service port: the proxier's family only, one per
 * IP:port (a duplicate on this node wins, as in the cache), sorted by IP:port
 * as a string (Go's byte order, which is JavaScript's for these ASCII strings).
 */
export function endpointsMap(eps: readonly ProxyEndpoint[], family: IpFamily, nodeName: string | undefined): ProxyEndpoint[] {
  const byKey = new Map<string, ProxyEndpoint>();
  for (const ep of eps) {
    if (!ep.symbolic && familyOf(ep.address) !== family) continue;
    const key = endpointKey(ep);
    const isLocal = nodeName !== undefined && ep.nodeName === nodeName;
    if (!byKey.has(key) || isLocal) byKey.set(key, ep);
  }
  return [...byKey.values()].sort((a, b) => compareKeys(endpointKey(a), endpointKey(b)));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type TopologyMode = '' | 'PreferSameZone';

export interface Categorized {
  /** Endpoints for Cluster traffic policy (empty when the Service never uses it). */
  cluster: ProxyEndpoint[];
  /** Endpoints for Local traffic policy, on this node (empty when the Service never uses it). */
  local: ProxyEndpoint[];
  /** Every endpoint this node may send to: the KUBE-SEP / endpoint- chains it writes. */
  reachable: ProxyEndpoint[];
  /** Some usable endpoint exists somewhere in the cluster. */
  hasEndpoints: boolean;
  topology: TopologyMode;
  /** Serving-terminating endpoints stand in because none is ready. */
  clusterFallback: boolean;
  localFallback: boolean;
}

function isLocal(ep: ProxyEndpoint, node: ProxyNode): boolean {
  return node.name !== undefined && ep.nodeName === node.name;
}

/** CategorizeEndpoints (pkg/proxy/topology.go), on endpoints already in endpointsMap order. */
export function categorize(s: ProxyServicePort, eps: readonly ProxyEndpoint[], node: ProxyNode): Categorized {
  let cluster: ProxyEndpoint[] = [];
  let local: ProxyEndpoint[] = [];
  let hasEndpoints = false;
  let topology: TopologyMode = '';
  let clusterFallback = false;
  let localFallback = false;

  if (usesClusterEndpoints(s)) {
    topology = topologyModeFromHints(eps, node.zone);
    cluster = eps.filter((ep) => ep.ready && (topology === '' || (ep.zoneHints ?? []).includes(node.zone!)));
    if (cluster.length === 0) {
      cluster = eps.filter((ep) => ep.serving && ep.terminating);
      clusterFallback = cluster.length > 0;
    }
    if (cluster.length > 0) hasEndpoints = true;
  }
  if (!usesLocalEndpoints(s)) return { cluster, local, reachable: cluster, hasEndpoints, topology, clusterFallback, localFallback };

  let localReady = false;
  let localServingTerminating = false;
  for (const ep of eps) {
    if (ep.ready) {
      hasEndpoints = true;
      if (isLocal(ep, node)) localReady = true;
    } else if (ep.serving && ep.terminating) {
      hasEndpoints = true;
      if (isLocal(ep, node)) localServingTerminating = true;
    }
  }
  if (localReady) local = eps.filter((ep) => isLocal(ep, node) && ep.ready);
  else if (localServingTerminating) {
    local = eps.filter((ep) => isLocal(ep, node) && ep.serving && ep.terminating);
    localFallback = true;
  }
  if (!usesClusterEndpoints(s)) return { cluster, local, reachable: local, hasEndpoints, topology, clusterFallback, localFallback };
  if (topology === '' && !localFallback) return { cluster, local, reachable: cluster, hasEndpoints, topology, clusterFallback, localFallback };
  const merged = new Map<string, ProxyEndpoint>();
  for (const ep of [...cluster, ...local]) merged.set(endpointKey(ep), ep);
  const reachable = [...merged.values()].sort((a, b) => compareKeys(endpointKey(a), endpointKey(b)));
  return { cluster, local, reachable, hasEndpoints, topology, clusterFallback, localFallback };
}

/**
 * Zone hints apply when every ready endpoint has one and some endpoint is
 * hinted for this node's zone; otherwise they are ignored (no node zone, a
 * missing hint, or no endpoint for the zone).
 */
export function topologyModeFromHints(eps: readonly ProxyEndpoint[], zone: string | undefined): TopologyMode {
  let all = true;
  let forZone = false;
  for (const ep of eps) {
    if (!ep.ready) continue;
    const hints = ep.zoneHints ?? [];
    if (hints.length === 0) all = false;
    else if (zone !== undefined && hints.includes(zone)) forZone = true;
  }
  return all && forZone ? 'PreferSameZone' : '';
}

/** Why the zone hints are ignored (for the explanation), or undefined when they are used or absent. */
export function ignoredHintsReason(eps: readonly ProxyEndpoint[], zone: string | undefined): string | undefined {
  const ready = eps.filter((ep) => ep.ready);
  const hinted = ready.filter((ep) => (ep.zoneHints ?? []).length > 0);
  if (hinted.length === 0) return undefined;
  if (hinted.length < ready.length) return 'one or more ready endpoints has no zone hint, so kube-proxy ignores the hints';
  if (zone === undefined) return "the node's zone (label topology.kubernetes.io/zone) is not known, so kube-proxy ignores the hints";
  if (!hinted.some((ep) => ep.zoneHints!.includes(zone))) return `no endpoint is hinted for zone ${zone}, so kube-proxy ignores the hints`;
  return undefined;
}
