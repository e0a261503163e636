// A request that leaves the cluster: a Pod (or node) to an address or a host
// outside the set.
//
//   the DNS hop (a host: the Pod's search path first, ndots:5, then the
//   upstream resolvers) after the lookup's own trip (./dns-lookup: through
//   the cluster DNS of the set, or its egress check toward the DNS Pods) -> the egress verdict at the source toward the address
//   (NetworkPolicy ipBlock/except and ports; AdminNetworkPolicy `networks`) ->
//   the node's masquerade (SNAT to the node address) -> out of the cluster.
//
// What the set cannot show is said, not guessed: the address a host resolves
// to (so an ipBlock decides only if it covers every address), and whether the
// network plugin masquerades this destination (ip-masq-agent keeps the Pod
// address for its nonMasqueradeCIDRs, by default the private ranges).
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel, Protocol } from '../model/types';
import { evaluateDirection, type AddressSubject } from '../policy/evaluate';
import { cidrContains, ipFamily, parseCidr } from '../policy/ip';
import { dnsHop, resolverOf } from './dns';
import { traceLookup, type ServiceTracer } from './dns-lookup';
import { outcome } from './dns-search';
import { describeNode, nodeAddress } from './routing';
import { droppedBy, policyHop } from './policy-hop';
import { conditionSentences } from './result';
import type { Source } from './source';
import type { TraceHop, TraceResult } from './types';

export interface ExternalTarget {
  /** A host name to look up (from a URL or a name), or undefined for an address. */
  host?: string;
  /** Neither host nor ip: any address outside the cluster, not known in advance (what the inspector's "outside the cluster" node stands for). */
  ip?: string;
  /** undefined: not given (a verdict on every port is given only when nothing restricts egress). */
  port?: number;
  protocol: Protocol;
}

/**
 * The private and special ranges ip-masq-agent leaves unmasqueraded by
 * default (its nonMasqueradeCIDRs when no ConfigMap sets them).
 */
const IP_MASQ_AGENT_DEFAULTS = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '192.0.0.0/24', '192.0.2.0/24',
  '192.88.99.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4',
];

/** The outcome of the DNS hop: the trace goes on outside, or the name is the cluster's after all (the caller traces it as such). */
export type EgressOutcome = { result: TraceResult } | { clusterName: true };

export function traceEgress(
  model: NetworkModel,
  index: ModelIndex,
  src: Source,
  target: ExternalTarget,
  options: { clusterDomain?: string; clusterCIDR?: string },
  tracer: ServiceTracer,
): EgressOutcome {
  const hops: TraceHop[] = [];
  const dest = target.ip ?? target.host ?? 'an address outside the cluster';
  const portText = target.port !== undefined ? `${target.port}/${target.protocol}` : `every ${target.protocol} port`;
  const undecided: string[] = [];

  if (src.kind === 'external') {
    return { result: { verdict: 'unresolved', reason: `${dest} is outside the cluster and so is the client: the request never crosses the cluster (give --from pod/NS/NAME or workload/NS/KIND/NAME)`, hops, endpoints: [] } };
  }

  // DNS: the search path first, then the upstream resolvers.
  if (target.host && src.kind === 'pod') {
    const { hop, lookups } = dnsHop(index, { ...resolverOf(index, src), sourceLabel: src.label, zone: options.clusterDomain, question: { name: target.host } });
    const l = lookups.find((x) => x.answered && x.answered.answer.length > 0) ?? lookups[0];
    const what = outcome(l);
    if (what === 'answer' && l.answered?.service) return { clusterName: true };
    if (what !== 'upstream') {
      // The name does not resolve: the trace ends at the answer (reached through the cluster DNS of the set, when it has one).
      const blocked = traceLookup(index, src, hop, tracer, hops, undecided, { assumedEgressCheck: false });
      if (blocked) return { result: blocked };
      return { result: { verdict: 'unresolved', reason: `"${target.host}" does not resolve from ${src.label}: ${what === 'answer' ? 'it answers inside the cluster domain but names no Service of the set' : `${what} for every name tried`}`, hops, endpoints: [] } };
    }
    hop.detail += `; the address ${target.host} resolves to is the upstream resolvers' answer, not in the set`;
    const blocked = traceLookup(index, src, hop, tracer, hops, undecided);
    if (blocked) return { result: blocked };
  } else if (target.host) {
    hops.push({ kind: 'dns', detail: `${src.label} resolves "${target.host}" with the node's own resolver (its resolv.conf is not in the set)`, rules: [] });
  }

  // Is it outside at all? An address in the Pod CIDR is a Pod's.
  const clusterCidr = options.clusterCIDR ? parseCidr(options.clusterCIDR) : undefined;
  const inPodNetwork = target.ip !== undefined && clusterCidr !== undefined && cidrContains(clusterCidr, target.ip);

  // The egress verdict at the source.
  const subject: AddressSubject = {
    kind: 'external',
    name: target.ip ? 'an external address' : (target.host ?? 'the destination'),
    ip: target.ip,
    ...(target.host !== undefined && target.ip === undefined ? { host: target.host } : {}),
    family: target.ip ? (ipFamily(target.ip) ?? 4) : 4,
    objectIds: [],
  };
  let allowed: 'yes' | 'no' | 'unknown' = 'yes';
  if (src.subject.kind === 'pod') {
    // Without a port only "allowed on every port" can be said; port 0 is in no rule's port list.
    const r = evaluateDirection(index, 'egress', src.subject, subject, target.protocol, target.port ?? 0);
    if (r.enforced && (r.isolated !== 'no' || r.tier !== undefined)) {
      const hop = policyHop(r);
      // Admin tiers may Deny or Pass on some ports only: without a port nothing is certain under them.
      if (target.port === undefined && (r.allowed !== 'yes' || index.model.adminNetworkPolicies.length > 0)) {
        hop.detail += ' (no port given: only a rule that allows every port decides here)';
        hops.push(hop);
        const asked = target.ip?.includes(':') ? `[${target.ip}]` : (target.ip ?? target.host ?? 'IP');
        return { result: { verdict: 'unresolved', reason: `${src.label}'s egress is restricted and ${index.model.adminNetworkPolicies.length > 0 ? 'admin network policies may decide per port' : 'no rule allows every port to ' + dest}: give the port (external:${asked}:PORT) for a verdict`, hops, endpoints: [] } };
      }
      hops.push(hop);
      allowed = r.allowed;
      // Dropped at the source: no masquerade, nothing leaves the node.
      if (r.allowed === 'no') return { result: { verdict: 'dropped', reason: `${droppedBy([r])} it at the source: ${r.explanation}`, hops, endpoints: [] } };
      if (r.allowed === 'unknown') {
        // The set cannot know what a name resolves to: say what the answer hangs on.
        const hangsOn = target.ip || !target.host ? '' : `depends on the address ${target.host} resolves to (the upstream resolvers' answer, not in the set): `;
        undecided.push(`${hangsOn}egress allows it only if ${r.conditions.join('; or ')}`);
      }
    } else {
      hops.push({ kind: 'policy', detail: r.explanation, rules: [], objectIds: [] });
    }
  }

  // The node's masquerade.
  const node = src.nodeName ? model.nodes.find((n) => n.name === src.nodeName) : undefined;
  const nodeIp = nodeAddress(node);
  const hostNetwork = src.kind === 'node' || (src.subject.kind === 'pod' && src.subject.hostNetwork);
  const nodeText = src.nodeName ? `node ${describeNode(model.nodes, src.nodeName)}` : "the Pod's node";
  const seenAs = nodeIp ?? (src.nodeName ? `${src.nodeName}'s address` : "the node's address");
  if (hostNetwork) {
    hops.push({ kind: 'snat', detail: `${src.label} sends from ${nodeText}'s own address: no masquerade; ${dest} sees ${seenAs}`, rules: [], objectIds: src.objectIds });
  } else if (inPodNetwork) {
    hops.push({ kind: 'snat', detail: `${target.ip} is inside the cluster CIDR ${options.clusterCIDR}: a Pod address, routed Pod to Pod without masquerade (no Pod of the set has it)`, rules: [], objectIds: src.objectIds });
  } else {
    const privateRange = target.ip ? IP_MASQ_AGENT_DEFAULTS.find((c) => cidrContains(parseCidr(c)!, target.ip!)) : undefined;
    const masqAgent = privateRange
      ? `; with ip-masq-agent (GKE, some AKS and EKS setups) ${privateRange} is among its default nonMasqueradeCIDRs, and the destination then sees the Pod's own address`
      : target.ip
        ? ''
        : `; if ${target.host ? 'the name resolves to' : 'it is'} a private address and the cluster runs ip-masq-agent, its nonMasqueradeCIDRs (by default the private ranges) keep the Pod's own address`;
    hops.push({
      kind: 'snat',
      detail: `leaving the Pod network, ${nodeText} masquerades the connection (SNAT to the node address, as the network plugin does for destinations outside the cluster CIDR${options.clusterCIDR ? ` ${options.clusterCIDR}` : ''}): ${dest} sees ${seenAs}, not the Pod's address${masqAgent}`,
      rules: [],
      objectIds: src.objectIds,
    });
  }
  const where = target.ip ?? target.host ? `${dest}${target.port !== undefined ? `:${target.port}` : ''}/${target.protocol}` : `${dest} on ${portText}`;
  hops.push({
    kind: 'external',
    // An address of the Pod network stays in the cluster: the CNI plugin routes it like any Pod address.
    detail: inPodNetwork
      ? `to ${where}, an address of the Pod network that no Pod of the set has: routed by the CNI plugin to the node that owns it; what answers there is outside the set`
      : `out of the cluster to ${where} through ${src.nodeName ? `${src.nodeName}'s` : "the node's"} default route; what answers there is outside the set`,
    rules: [],
  });
  if (allowed === 'yes' && undecided.length === 0) {
    hops.push({
      kind: 'reply',
      detail: hostNetwork || inPodNetwork
        ? `the reply comes back to ${hostNetwork ? seenAs : `${src.label}'s own address`}, straight to ${src.label}; no NAT was done, none to undo`
        : `the reply comes back to ${seenAs}; conntrack undoes the masquerade and hands it to ${src.label}`,
      rules: [],
    });
  }

  if (undecided.length > 0) return { result: { verdict: 'unresolved', reason: `${conditionSentences(undecided)}.`, hops, endpoints: [] } };
  const outside = target.ip || !target.host ? 'whether anything answers there is outside the set' : `whether the upstream resolvers answer for ${target.host}, and anything answers there, is outside the set`;
  const leaves = inPodNetwork ? `goes to ${dest} on ${portText}, a Pod address of the cluster CIDR` : `leaves the cluster toward ${dest} on ${portText}${hostNetwork ? '' : `, seen there as ${seenAs}`}`;
  // A single label that is no name of the cluster is most often a mistyped Service: public DNS has no such name, only a private resolver might.
  if (target.host && !target.ip && !target.host.replace(/\.$/, '').includes('.')) {
    return { result: { verdict: 'unresolved', reason: `${target.host} is no name of the cluster, and a single label resolves outside it only if the upstream resolvers know it (public DNS does not): check the name; if they do answer for it, it ${leaves}`, hops, endpoints: [] } };
  }
  return { result: { verdict: 'delivered', reason: `${leaves}; ${outside}`, hops, endpoints: [] } };
}
