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
// Global: the verdict reads kube-system (the DNS Pods, its labels) and the
// cluster-scoped admin policies as well as the workload's own namespace.
import { uniqueWorkloads } from '../model/model-index';
import type { NetworkPolicy, Workload } from '../model/types';
import { clusterDnsSubject, lookupEgress, nodeLocalDns, NODE_LOCAL_DNS_ADDRESS } from '../policy/cluster-dns';
import { evaluateDirection, workloadSubject, type PodSubject } from '../policy/evaluate';
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
      // dnsPolicy None or Default: the resolver is not the cluster DNS (or not one the set shows).
      const policy = w.dns?.policy ?? 'ClusterFirst';
      if (policy !== 'ClusterFirst' && policy !== 'ClusterFirstWithHostNet') continue;
      const egress = ctx.index.policiesSelecting(w).filter((p) => p.policyTypes.includes('Egress'));
      // A workload denied every egress is meant to talk to nobody; the mistake is one that reaches out but cannot look a name up.
      if (egress.length === 0 || egress.every((p) => p.egress.length === 0)) continue;
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
