// Routing between the two ends once the destination is a Pod address, and the
// way back:
// - same node: Pod eth0 -> veth -> the node's bridge (or the CNI's routes) ->
//   veth -> Pod eth0, no encapsulation;
// - across nodes: out through the node, to the node owning the destination's
//   Pod CIDR (routed or encapsulated by the CNI plugin, between node addresses);
// - the reply: conntrack remembers every NAT of the connection and applies the
//   reverse on the way back (no nat-table rule is consulted for replies).
import type { Node } from '../model/types';
import type { TraceHop } from './types';

export function nodeAddress(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  return (node.addresses.find((a) => a.type === 'InternalIP') ?? node.addresses.find((a) => a.type === 'ExternalIP'))?.address;
}

export function describeNode(nodes: readonly Node[], name: string | undefined): string {
  if (!name) return 'a node';
  const n = nodes.find((x) => x.name === name);
  const a = nodeAddress(n);
  return a ? `${name} (${a})` : name;
}

export interface RouteLeg {
  /** Where the packet leaves from (a node name) if known. */
  fromNode?: string;
  toNode?: string;
  target: string;
  /** The target is a hostNetwork Pod: its address is its node's; no veth at that end. */
  hostNetwork?: boolean;
}

/** One route hop describing each distinct (from node, to node) leg. */
export function routeHop(nodes: readonly Node[], legs: readonly RouteLeg[], fromLabel: string, objectIds: string[], fromHostNetwork = false): TraceHop {
  // A hostNetwork source sends from the node's own network namespace: no veth at its end.
  const sameNode = fromHostNetwork ? "the node's network namespace -> veth" : 'veth -> bridge -> veth';
  const lines: string[] = [];
  const seen = new Set<string>();
  let symbolic = false;
  for (const leg of legs) {
    if (!leg.fromNode || !leg.toNode) {
      symbolic = true;
      continue;
    }
    const key = `${leg.fromNode}>${leg.toNode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (leg.hostNetwork) {
      lines.push(
        leg.fromNode === leg.toNode
          ? `to ${leg.target} on the same node ${describeNode(nodes, leg.toNode)}: a hostNetwork Pod, in the node's own network namespace at the node's address (no veth)`
          : `to ${leg.target} across nodes: ${describeNode(nodes, leg.fromNode)} -> ${describeNode(nodes, leg.toNode)}, the node's own address (a hostNetwork Pod: no Pod CIDR, no veth at that end), over the node network`,
      );
    } else if (leg.fromNode === leg.toNode) lines.push(`to ${leg.target} on the same node ${describeNode(nodes, leg.toNode)}: ${sameNode}`);
    else {
      const to = nodes.find((n) => n.name === leg.toNode);
      const cidr = to?.podCIDRs[0];
      lines.push(
        `to ${leg.target} across nodes: ${describeNode(nodes, leg.fromNode)} -> ${describeNode(nodes, leg.toNode)}${cidr ? ` (the node owning ${cidr})` : ''}, routed by the CNI plugin over the node network`,
      );
    }
  }
  const hostNetwork = legs.some((l) => l.hostNetwork);
  const detail = symbolic
    ? hostNetwork
      ? `${fromLabel} -> the endpoint, a hostNetwork Pod at its node's own address: on the same node no veth at that end; across nodes over the node network; the set does not say where the Pods run`
      : `${fromLabel} -> the endpoint: on the same node ${sameNode}; across nodes via the nodes' addresses (the CNI plugin's routes or tunnel); the set does not say where the Pods run`
    : `${fromLabel} -> ${lines.join('; ')}`;
  return { kind: 'route', detail, rules: symbolic ? [] : lines, objectIds };
}
