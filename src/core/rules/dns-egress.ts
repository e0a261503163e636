// A workload isolated for egress whose policies allow no lookup to the
// cluster DNS: every name it resolves fails (the classic default-deny-egress
// mistake). Judged with the policy evaluator itself, so only a definite "no"
// fires: a peer that may cover the DNS Pods (their labels or kube-system's
// not in the set, an ipBlock that the network plugin may apply to Pod
// addresses) leaves it open and nothing is said.
//
// A workload with a rule that names port 53 is left alone: its DNS is
// somewhere its author knows (another distribution's DNS namespace, a
// resolver of its own), not necessarily in the set.
//
// dnsPolicy None: the Pod asks only its dnsConfig nameservers, in turn, so
// they are where its lookups go (a rule naming port 53 elsewhere does not
// help): it fires when its egress allows UDP/53 to none of them (one allowed
// is enough: the resolver tries the next). dnsPolicy Default, and a
// hostNetwork Pod's ClusterFirst, ask the node's resolver, whose address the
// set does not show (it may be the node itself, where what a NetworkPolicy
// does is up to the network plugin): nothing is said.
//
// Global: the verdict reads kube-system (the DNS Pods, its labels) and the
// cluster-scoped admin policies as well as the workload's own namespace.
import { uniqueWorkloads } from '../model/model-index';
import type { NetworkPolicy, Workload } from '../model/types';
import { clusterDnsSubject, lookupEgress, nameserverPeer, nodeLocalDns, NODE_LOCAL_DNS_ADDRESS, serversEgress } from '../policy/cluster-dns';
import { evaluateDirection, workloadSubject, type PodSubject, type PolicySubject } from '../policy/evaluate';
import { listing, nameOf, objectLoc, refOf, relatedAt, type RuleContext } from './context';
import type { Rule } from './rule';

const ID = 'networkpolicy-egress-blocks-dns';

export const policyEgressDnsRule: Rule = {
  ids: [ID],
  scope: 'global',
  run(ctx) {
    if (!ctx.enabled(ID)) return;
    if (!ctx.model.networkPolicies.some((p) => p.policyTypes.includes('Egress')) && ctx.model.adminNetworkPolicies.length === 0) return;
    const dns = clusterDnsSubject(ctx.index);
    const nodeLocal = nodeLocalDns(ctx.index);
    for (const w of uniqueWorkloads(ctx.model.workloads)) {
      if (w.hostNetwork || dns.objectIds.includes(w.id) || w.id === nodeLocal?.id) continue;
      // dnsPolicy Default: the node's resolver, at an address the set does not show.
      const policy = w.dns?.policy ?? 'ClusterFirst';
      if (policy !== 'ClusterFirst' && policy !== 'ClusterFirstWithHostNet' && policy !== 'None') continue;
      const egress = ctx.index.policiesSelecting(w).filter((p) => p.policyTypes.includes('Egress'));
      // A workload denied every egress is meant to talk to nobody; the mistake is one that reaches out but cannot look a name up.
      if (egress.length === 0 || egress.every((p) => p.egress.length === 0)) continue;
      if (policy === 'None') {
        checkNameservers(ctx, w, egress, w.dns?.nameservers ?? []);
        continue;
      }
      // A rule naming port 53 means DNS to a server the author knows: another distribution's DNS
      // (OpenShift's openshift-dns) or a resolver of their own, which the set may not show.
      if (egress.some((p) => p.egress.some((r) => r.ports.some((pp) => pp.port === 53 || (pp.port === 'dns' || pp.port === 'dns-tcp'))))) continue;
      check(ctx, w, egress, dns, nodeLocal);
    }
  },
};

function check(ctx: RuleContext, w: Workload, egress: NetworkPolicy[], dnsPods: PodSubject, nodeLocal: Workload | undefined): void {
  const self = workloadSubject(w, ctx.index.podLabels(w));
  const lookup = lookupEgress(ctx.index, self, dnsPods, nodeLocal);
  if (lookup.allowed !== 'no') return;
  const udp = lookup.toDnsPods;
  const tcp = evaluateDirection(ctx.index, 'egress', self, dnsPods, 'TCP', 53);
  const byTier = udp.tier && udp.tier !== 'NetworkPolicy' ? ` (decided by ${udp.explanation})` : '';
  ctx.report({
    rule: ID,
    message: `${nameOf(w)} is isolated for egress by ${listing(egress.map(nameOf))}, and no rule allows UDP/53${tcp.allowed === 'no' ? ' or TCP/53' : ''} to the cluster DNS (${dnsPods.name}${nodeLocal ? ` or NodeLocal DNSCache at ${NODE_LOCAL_DNS_ADDRESS}` : ''})${byTier}: every name lookup fails, so it can reach its destinations by address only. Add an egress rule to namespace kube-system, Pods k8s-app=kube-dns, on UDP and TCP port 53.`,
    loc: objectLoc(w),
    object: refOf(w),
    related: egress.flatMap((np) => relatedAt(undefined, np, `${nameOf(np)} isolates its egress`)),
  });
}

/** dnsPolicy None: every one of the Pod's own nameservers denied on UDP/53 (said only when each verdict is certain). */
function checkNameservers(ctx: RuleContext, w: Workload, egress: NetworkPolicy[], nameservers: readonly string[]): void {
  // None without a nameserver, or with one that is not an address, is rejected by the API server: nothing to judge.
  const servers = nameservers.map((ip) => nameserverPeer(ctx.index, ip));
  if (servers.length === 0 || servers.some((s) => s === undefined)) return;
  const peers = servers as PolicySubject[];
  const self = workloadSubject(w, ctx.index.podLabels(w));
  const udp = serversEgress(ctx.index, self, peers, 'UDP');
  if (udp.allowed !== 'no') return;
  const tcp = serversEgress(ctx.index, self, peers, 'TCP');
  const deciders = [...new Set(udp.verdicts.filter((v) => v.tier && v.tier !== 'NetworkPolicy').map((v) => v.explanation))];
  const byTier = deciders.length > 0 ? ` (decided by ${deciders.join('; ')})` : '';
  const them = nameservers.length === 1 ? 'it' : 'any of them';
  const dnsPods = peers.some((p) => p.kind === 'pod');
  const blocks = nameservers.filter((_, i) => peers[i].kind !== 'pod').map((ip) => `${ip}/${ip.includes(':') ? 128 : 32}`);
  const to = [...(blocks.length > 0 ? [`ipBlock ${listing(blocks)}`] : []), ...(dnsPods ? ['namespace kube-system, Pods k8s-app=kube-dns'] : [])].join(' and ');
  ctx.report({
    rule: ID,
    message: `${nameOf(w)} has dnsPolicy None, so it asks only its dnsConfig nameserver${nameservers.length === 1 ? '' : 's'} ${listing([...nameservers])}; it is isolated for egress by ${listing(egress.map(nameOf))}, and no rule allows UDP/53${tcp.allowed === 'no' ? ' or TCP/53' : ''} to ${them}${byTier}: every name lookup fails, so it can reach its destinations by address only. Add an egress rule to ${to} on UDP and TCP port 53.`,
    loc: objectLoc(w),
    object: refOf(w),
    related: egress.flatMap((np) => relatedAt(undefined, np, `${nameOf(np)} isolates its egress`)),
  });
}
