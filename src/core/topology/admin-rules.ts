// What an editor says about an AdminNetworkPolicy, a BaselineAdminNetworkPolicy
// or a ClusterNetworkPolicy: the hover on its subject lists the workloads it
// selects across namespaces and where its tier stands against NetworkPolicy;
// the hover on a rule says what its action does to the request and which
// workloads its peers name; above a rule naming Pods, "Trace from … (Pod to
// Pod)" lenses as for a NetworkPolicy rule (the trace names the tier and rule
// that decided). Pure: the language server and the VS Code extension show them.
import type { ModelIndex } from '../model/model-index';
import { uniqueWorkloads } from '../model/model-index';
import { formatSelector, isEmptySelector } from '../model/selectors';
import type { AdminNetworkPolicy, AdminPodSelection, AdminPolicyPeer, AdminPolicyPort, AdminPolicyRule, Workload } from '../model/types';
import { markdownCode, markdownText } from '../text/markdown-safe';
import { podRuleTraceLines, type PodRuleLens } from './pod-rules';
import type { Mark } from '../editor/marks';
import type { TraceOptions } from '../trace/types';

/** Workloads listed in a hover, at most. */
const MAX_LISTED = 10;
/** Lenses per rule: one per peer, up to this many. */
const MAX_LENSES_PER_RULE = 4;

/** The workloads a subject or a namespaces/pods peer selects, across the set's namespaces (hostNetwork Pods are never selected). */
export function adminSelected(index: ModelIndex, s: AdminPodSelection): Workload[] {
  const namespaces = s.namespaces ?? s.pods?.namespaceSelector;
  if (!namespaces) return [];
  const out: Workload[] = [];
  for (const ns of index.namespacesMatching(namespaces).names) {
    const found = s.pods && !isEmptySelector(s.pods.podSelector) ? index.workloadsSelectedBy(ns, s.pods.podSelector) : index.workloadsIn(ns);
    for (const w of uniqueWorkloads([...found])) if (!w.hostNetwork) out.push(w);
  }
  return out;
}

/** `namespaces {…}` or `pods {namespaceSelector …, podSelector …}`, as written. */
export function formatSelection(s: AdminPodSelection): string {
  if (s.namespaces) return `namespaces ${formatSelector(s.namespaces) || '{}'}`;
  if (s.pods) return `pods in namespaces ${formatSelector(s.pods.namespaceSelector) || '{}'} with ${formatSelector(s.pods.podSelector) || '{}'}`;
  return 'nothing';
}

/** Where the policy's tier decides, against NetworkPolicy. */
export function tierSentence(p: AdminNetworkPolicy): string {
  if (p.tier === 'Baseline') return 'Baseline tier: decides only where no AdminNetworkPolicy and no NetworkPolicy did (a Pod a NetworkPolicy isolates is decided by it)';
  return `Admin tier, priority ${p.priority ?? 0}: decides before any NetworkPolicy (a lower number first)`;
}

/** What the rule's action does to a request it matches. */
export function actionSentence(p: AdminNetworkPolicy, rule: AdminPolicyRule): string {
  switch (rule.action) {
    case 'Allow':
      return p.tier === 'Baseline' ? 'allowed (where no NetworkPolicy isolates the Pod)' : 'allowed: no NetworkPolicy is asked';
    case 'Deny':
      return p.tier === 'Baseline' ? 'dropped (where no NetworkPolicy isolates the Pod)' : 'dropped: no NetworkPolicy can allow it';
    case 'Pass':
      return 'passed on: the rest of the Admin tier is skipped, NetworkPolicy decides (then the Baseline)';
  }
}

function formatPorts(ports: readonly AdminPolicyPort[] | undefined): string {
  if (ports === undefined) return 'every port';
  return ports.map((p) => (p.namedPort !== undefined ? `${p.protocol}/${p.namedPort}` : p.endPort !== undefined && p.endPort !== p.port ? `${p.protocol}/${p.port}-${p.endPort}` : `${p.protocol}/${p.port}`)).join(', ');
}

function peerLine(index: ModelIndex, peer: AdminPolicyPeer, link: (w: Workload) => string): string {
  const parts: string[] = [];
  if (peer.namespaces || peer.pods) {
    const found = adminSelected(index, peer);
    const listed = found.slice(0, MAX_LISTED).map(link).join(', ');
    parts.push(`${markdownText(formatSelection(peer))}: ${found.length === 0 ? 'no workload in the set' : `${listed}${found.length > MAX_LISTED ? `, … and ${found.length - MAX_LISTED} more` : ''}`}`);
  }
  if (peer.nodes) parts.push(`Nodes ${markdownCode(formatSelector(peer.nodes) || '{}')}`);
  if (peer.networks) parts.push(`networks ${peer.networks.map(markdownCode).join(', ')}`);
  if (peer.domainNames) parts.push(`domain names ${peer.domainNames.map(markdownCode).join(', ')}`);
  return parts.join('; ') || 'no peer the API accepts';
}

/** The hover on the subject: what the policy applies to. */
export function adminSubjectHover(index: ModelIndex, p: AdminNetworkPolicy, link: (w: Workload) => string): string {
  const found = adminSelected(index, p.subject);
  const head = `**${markdownText(p.kind)} ${markdownCode(p.name)}** subject ${markdownCode(formatSelection(p.subject))}\n\n${tierSentence(p)}`;
  if (found.length === 0) return `${head}\n\nselects no workload in the set`;
  const lines = found.slice(0, MAX_LISTED).map((w) => `- ${link(w)}`);
  if (found.length > MAX_LISTED) lines.push(`- … and ${found.length - MAX_LISTED} more`);
  return `${head}\n\nselects ${found.length} workload${found.length === 1 ? '' : 's'}:\n\n${lines.join('\n')}`;
}

/** The hover on a rule: its action, ports and peers; with `mark`, what the Pod-to-Pod traces of its lenses answer. */
export function adminRuleHover(index: ModelIndex, p: AdminNetworkPolicy, direction: 'ingress' | 'egress', rule: AdminPolicyRule, link: (w: Workload) => string, mark?: (m: Mark) => string, options: Pick<TraceOptions, 'clusterDomain'> = {}): string {
  const way = direction === 'ingress' ? 'from' : 'to';
  const peers = rule.peers.map((peer) => `- ${way} ${peerLine(index, peer, link)}`);
  const head = `**${direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${markdownCode(rule.name)}**: ${markdownText(rule.actionWritten)} on ${markdownText(formatPorts(rule.ports))}\n\nA request it matches is ${actionSentence(p, rule)}.\n\n${peers.join('\n') || `- ${way} no peer`}`;
  const traced = mark ? podRuleTraceLines(index, adminRuleLenses(index, p, direction, p[direction].indexOf(rule)), mark, options) : [];
  return traced.length > 0 ? `${head}\n\nTraced Pod to Pod:\n\n${traced.join('\n')}` : head;
}

/** The Pod-to-Pod lenses of one rule: from (ingress) or to (egress) the first workload each pods/namespaces peer names, with the policy's first subject workload at the other end. */
export function adminRuleLenses(index: ModelIndex, p: AdminNetworkPolicy, direction: 'ingress' | 'egress', ruleIndex: number): PodRuleLens[] {
  const rule = (direction === 'ingress' ? p.ingress : p.egress)[ruleIndex];
  const own = adminSelected(index, p.subject)[0];
  if (!rule || !own) return [];
  const out: PodRuleLens[] = [];
  const seen = new Set<string>([own.id]);
  for (const peer of rule.peers) {
    const other = adminSelected(index, peer).find((w) => !seen.has(w.id));
    if (!other) continue;
    seen.add(other.id);
    const [from, to] = direction === 'ingress' ? [other, own] : [own, other];
    const port = portFor(rule, to);
    const name = (w: Workload) => `${w.namespace}/${w.name}`;
    out.push({
      direction,
      ruleIndex,
      title: direction === 'ingress' ? `Trace from ${name(other)} (Pod to Pod)` : `Trace to ${name(other)} (Pod to Pod)`,
      tooltip: `Trace from a Pod of ${from.kind} ${name(from)} to a Pod of ${to.kind} ${name(to)}${port === undefined ? '' : ` port ${port}`} through rule ${rule.name} of ${p.kind} ${p.name}, in the Network Inspector`,
      target: { podToPod: { from: from.id, to: to.id, ...(port !== undefined ? { port } : {}) } },
    });
    if (out.length === MAX_LENSES_PER_RULE) break;
  }
  return out;
}

/** The first of the rule's ports the receiver declares (a named port by its name, a range by the declared number in it), else the receiver's first port, else the rule's first number. */
function portFor(rule: AdminPolicyRule, receiver: Workload): number | string | undefined {
  const declared = receiver.containers.flatMap((c) => c.ports);
  for (const p of rule.ports ?? []) {
    if (p.namedPort !== undefined) {
      if (declared.some((d) => d.name === p.namedPort)) return p.namedPort;
      continue;
    }
    const low = p.port;
    if (low === undefined) continue;
    const hit = declared.find((d) => d.protocol === p.protocol && d.containerPort >= low && d.containerPort <= (p.endPort ?? low));
    if (hit) return hit.containerPort;
  }
  return declared[0]?.containerPort ?? rule.ports?.find((p) => p.port !== undefined)?.port;
}
