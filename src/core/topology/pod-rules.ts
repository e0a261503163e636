// The Pod-to-Pod CodeLenses of a NetworkPolicy's rules: above an ingress rule
// whose peers name Pods, "Trace from shop/frontend (Pod to Pod)" from the first
// workload each peer selects to the first one the policy selects; above such an
// egress rule, "Trace to …" the other way. A lens traces the rule's port where
// the receiving Pods declare it, else the port they do declare: that is the
// traffic that meets the rule (a rule on the wrong port then shows as blocked).
// Pure: the VS Code extension and the language server write the lenses.
import type { ModelIndex } from '../model/model-index';
import { uniqueWorkloads } from '../model/model-index';
import { isEmptySelector } from '../model/selectors';
import type { NetworkPolicy, PolicyPeer, PolicyRule, Workload } from '../model/types';
import { markdownCode, markdownText } from '../text/markdown-safe';
import { traceRequest } from '../trace';
import type { TraceOptions, TraceVerdict } from '../trace/types';
import { VERDICT_MARKS, type Mark } from '../editor/marks';
import { podToPodOptions } from './pair-questions';

/** Lenses per rule: one per peer, up to this many. */
const MAX_LENSES_PER_RULE = 4;

export interface PodRuleLens {
  direction: 'ingress' | 'egress';
  ruleIndex: number;
  title: string;
  tooltip: string;
  target: { podToPod: { from: string; to: string; port?: number | string } };
}

/** The workload a policy's lenses and traces stand for: the first one it selects, if it is isolated in that direction. */
export function firstSelected(index: ModelIndex, policy: NetworkPolicy, direction: 'ingress' | 'egress'): Workload | undefined {
  if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) return undefined;
  return uniqueWorkloads(index.workloadsSelectedBy(policy.namespace, policy.podSelector))[0];
}

/** The first workload a peer names (Pods of the policy's namespace, or of the namespaces it selects), other than `not`. */
function peerWorkload(index: ModelIndex, policy: NetworkPolicy, peer: PolicyPeer, not: Workload): Workload | undefined {
  if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return undefined;
  const namespaces = peer.namespaceSelector ? index.namespacesMatching(peer.namespaceSelector).names : [policy.namespace];
  const pods = peer.podSelector;
  for (const ns of namespaces) {
    const found = !pods || isEmptySelector(pods) ? index.workloadsIn(ns) : index.workloadsSelectedBy(ns, pods);
    const other = uniqueWorkloads([...found]).find((w) => w.id !== not.id);
    if (other) return other;
  }
  return undefined;
}

/** The port a lens traces: the rule's that the receiver declares, else the receiver's own first one, else the rule's first. */
function portFor(rule: PolicyRule, receiver: Workload): number | string | undefined {
  const declared = receiver.containers.flatMap((c) => c.ports);
  const declares = (p: number | string) => declared.some((d) => (typeof p === 'number' ? d.containerPort === p : d.name === p));
  const rulePorts = rule.ports.flatMap((p) => (p.port === undefined ? [] : [p.port]));
  return rulePorts.find(declares) ?? declared[0]?.containerPort ?? rulePorts[0];
}

/** The Pod-to-Pod lenses of one rule of a policy. */
export function podRuleLenses(index: ModelIndex, policy: NetworkPolicy, direction: 'ingress' | 'egress', ruleIndex: number): PodRuleLens[] {
  const own = firstSelected(index, policy, direction);
  const rule = (direction === 'ingress' ? policy.ingress : policy.egress)[ruleIndex];
  if (!own || !rule) return [];
  const out: PodRuleLens[] = [];
  const seen = new Set<string>();
  for (const peer of rule.peers) {
    const other = peerWorkload(index, policy, peer, own);
    if (!other || seen.has(other.id)) continue;
    seen.add(other.id);
    const [from, to] = direction === 'ingress' ? [other, own] : [own, other];
    const port = portFor(rule, to);
    const on = port === undefined ? '' : ` port ${port}`;
    const name = (w: Workload) => `${w.namespace}/${w.name}`;
    out.push({
      direction,
      ruleIndex,
      title: direction === 'ingress' ? `Trace from ${name(other)} (Pod to Pod)` : `Trace to ${name(other)} (Pod to Pod)`,
      tooltip: `Trace from a Pod of ${from.kind} ${name(from)} to a Pod of ${to.kind} ${name(to)}${on}, straight to its address, in the Network Inspector`,
      target: { podToPod: { from: from.id, to: to.id, ...(port !== undefined ? { port } : {}) } },
    });
    if (out.length === MAX_LENSES_PER_RULE) break;
  }
  return out;
}

const VERDICT_WORDS: Record<TraceVerdict, string> = { delivered: 'allowed', dropped: 'blocked', 'no-endpoints': 'no endpoints', unresolved: 'depends', redirected: 'redirected' };

/**
 * What the Pod-to-Pod traces of a rule's lenses answer, one Markdown list
 * item each ("✓ from shop/frontend to shop/carts port 8080: allowed: …"):
 * the hover of a NetworkPolicy or admin policy rule naming Pods.
 */
export function podRuleTraceLines(index: ModelIndex, lenses: readonly PodRuleLens[], mark: (m: Mark) => string, options: Pick<TraceOptions, 'clusterDomain'> = {}): string[] {
  return lenses.flatMap((l) => {
    const question = podToPodOptions(index, l.target.podToPod);
    const from = index.byId(l.target.podToPod.from);
    const to = index.byId(l.target.podToPod.to);
    if (!question || !from || !to) return [];
    const r = traceRequest(index.model, index, { ...question, ...options });
    const port = l.target.podToPod.port;
    const pair = `from ${markdownCode(`${from.namespace}/${from.name}`)} to ${markdownCode(`${to.namespace}/${to.name}`)}${port === undefined ? '' : ` port ${markdownText(String(port))}`}`;
    return [`- ${mark(VERDICT_MARKS[r.verdict])} ${pair}: **${VERDICT_WORDS[r.verdict]}**: ${markdownText(r.reason)}`];
  });
}

/** The hover of a NetworkPolicy rule naming Pods: its Pod-to-Pod traces (undefined: it names no workload of the set, or the policy is not isolated that way). */
export function podRuleHover(index: ModelIndex, policy: NetworkPolicy, direction: 'ingress' | 'egress', ruleIndex: number, mark: (m: Mark) => string, options: Pick<TraceOptions, 'clusterDomain'> = {}): string | undefined {
  const lines = podRuleTraceLines(index, podRuleLenses(index, policy, direction, ruleIndex), mark, options);
  if (lines.length === 0) return undefined;
  return `**${direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${ruleIndex}** of NetworkPolicy ${markdownCode(`${policy.namespace}/${policy.name}`)}, traced Pod to Pod:\n\n${lines.join('\n')}`;
}
