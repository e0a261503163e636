// Where the client connects to a Service: its ClusterIP from inside, a
// NodePort, the load balancer or an external IP from outside, or (headless) a
// Pod address from its DNS answer; and the load balancer's firewall
// (loadBalancerSourceRanges) on the way in.
import type { Node, Service, ServicePort } from '../model/types';
import { cidrContains } from './kube-proxy-iptables';
import type { ProxyServicePort } from './kube-proxy-model';
import type { EntryAddress } from './kube-proxy-path';
import type { DnsTarget } from './dns';
import { describeNode, nodeAddress } from './routing';
import type { Source } from './source';
import type { ProxyMode, TraceHop, TraceResult } from './types';

export type Entry = 'clusterip' | 'nodeport' | 'loadbalancer' | 'externalip' | 'headless';

/** The way in for this client, or why an external client has none. */
export function chooseEntry(svc: Service, src: Source, dns: DnsTarget): { entry: Entry } | { dropped: string } {
  const name = `${svc.namespace}/${svc.name}`;
  const external = src.kind === 'external';
  if (svc.headless || (dns.addresses && !external)) {
    if (external) return { dropped: `${name} is headless: its names resolve only inside the cluster and it has no virtual IP to reach from outside` };
    return { entry: 'headless' };
  }
  if (!external) return { entry: 'clusterip' };
  if (svc.type === 'LoadBalancer') return { entry: 'loadbalancer' };
  if (svc.type === 'NodePort') return { entry: 'nodeport' };
  if (svc.externalIPs.length > 0) return { entry: 'externalip' };
  return { dropped: `${name} is type ${svc.type} without externalIPs: reachable only from inside the cluster (no NodePort, load balancer or external IP)` };
}

/** The address kube-proxy's rules are looked up for. */
export function entryAddress(entry: Exclude<Entry, 'headless'>, svc: Service, lbIp: string): EntryAddress {
  return entry === 'clusterip' ? { kind: 'clusterip' } : entry === 'nodeport' ? { kind: 'nodeport' } : entry === 'loadbalancer' ? { kind: 'loadbalancer', ip: lbIp } : { kind: 'externalip', ip: svc.externalIPs[0] };
}

export interface EntryHopInput {
  entry: Exclude<Entry, 'headless'>;
  svc: Service;
  sp: ServicePort;
  src: Source;
  nodes: readonly Node[];
  /** The ClusterIP of the request's family. */
  cip: string;
  lbIp: string;
  etpLocal: boolean;
  hasEndpoints: boolean;
  /** The rules that catch the address (shown when the Service has endpoints). */
  entryRules: string[];
}

/** The hop where the client connects: the address, and whose rules catch it. */
export function entryHop(i: EntryHopInput): TraceHop {
  const { svc, sp, src, nodes } = i;
  const name = `${svc.namespace}/${svc.name}`;
  const rules = i.hasEndpoints ? i.entryRules : [];
  if (i.entry === 'clusterip') {
    return {
      kind: 'vip',
      detail: `${src.label} connects to ${i.cip}:${sp.port}/${sp.protocol}, the ClusterIP of ${name}${sp.name ? ` port ${sp.name}` : ''}: a virtual address no interface holds; kube-proxy's rules on ${src.nodeName ? describeNode(nodes, src.nodeName) : "the client's node"} catch it`,
      rules: [],
      objectIds: [svc.id],
    };
  }
  if (i.entry === 'nodeport') {
    const nodeList = nodes.length > 0 ? nodes.map((n) => nodeAddress(n) ?? n.name).join(', ') : '<any node address>';
    return {
      kind: 'nodeport',
      detail: `the client connects to a node address (${nodeList}) on NodePort ${sp.nodePort ?? '<allocated from 30000-32767>'}/${sp.protocol}; every node listens for ${name}`,
      rules,
      objectIds: [svc.id],
    };
  }
  if (i.entry === 'loadbalancer') {
    return {
      kind: 'loadbalancer',
      detail: `the client connects to the load balancer ${i.lbIp}:${sp.port}${svc.loadBalancerIPs.length === 0 ? ' (assigned by the cloud provider once the Service exists)' : ''}; it hands the connection to a node, either on NodePort ${sp.nodePort ?? '<allocated>'} or with the LB address kept (kube-proxy catches both)${i.etpLocal ? '; with externalTrafficPolicy Local its health checks (healthCheckNodePort) send only to nodes that have a ready local endpoint' : ''}`,
      rules,
      objectIds: [svc.id],
    };
  }
  const xip = svc.externalIPs[0];
  return {
    kind: 'vip',
    detail: `the client connects to external IP ${xip}:${sp.port}; the network must route ${xip} to a node (Kubernetes does not announce externalIPs), where kube-proxy catches it`,
    rules,
    objectIds: [svc.id],
  };
}

/** The firewall of loadBalancerSourceRanges (the LB IP only; NodePorts are not subject to it): a dropped result, or an open condition. */
export function sourceRangesCheck(entry: Entry, pport: ProxyServicePort, svc: Service, src: Source, mode: ProxyMode, hops: TraceHop[], undecided: string[]): TraceResult | undefined {
  if (entry !== 'loadbalancer' || pport.loadBalancerSourceRanges.length === 0 || svc.loadBalancerIPs.length === 0) return undefined;
  const name = `${svc.namespace}/${svc.name}`;
  const ip = src.subject.kind !== 'pod' ? src.subject.ip : undefined;
  const ranges = pport.loadBalancerSourceRanges.join(', ');
  if (ip && !pport.loadBalancerSourceRanges.some((r) => cidrContains(r, ip))) {
    hops.push({ kind: 'kube-proxy', detail: `loadBalancerSourceRanges (${ranges}) do not include ${ip}: the node drops the connection (firewall)`, rules: [], objectIds: [svc.id] });
    return { proxyMode: mode, verdict: 'dropped', reason: `${ip} is not in ${name}'s loadBalancerSourceRanges (${ranges})`, hops, endpoints: [] };
  }
  if (!ip) undecided.push(`only clients in loadBalancerSourceRanges (${ranges}) get through the load balancer IP; the client's address is not given`);
  return undefined;
}
