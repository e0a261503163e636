// The administrator's tiers around NetworkPolicy
// (policy.networking.k8s.io/v1alpha1, kubernetes-sigs/network-policy-api), in
// the order the API defines for one direction of one connection:
//   1. AdminNetworkPolicies, lowest `priority` first, each one's rules in
//      order: the first rule that matches decides: Allow (allowed, nothing
//      below is consulted), Deny (denied), Pass (skip the remaining admin rules
//      and go to tier 2);
//   2. NetworkPolicy: when one isolates the Pod for the direction, it decides;
//   3. the BaselineAdminNetworkPolicy's rules in order: the first that matches
//      decides (Allow or Deny);
//   4. nothing matched: allowed.
// Two AdminNetworkPolicies with the same priority have no defined order: when
// the order changes the answer, the answer is 'unknown' and says why.
// A match the set cannot decide (namespace labels it does not show, an address
// it does not know) makes the answer 'unknown' only where the two outcomes
// differ, with the condition spelled out.
import type { ModelIndex } from '../model/model-index';
import type { AdminNetworkPolicy, AdminPodSelection, AdminPolicyPeer, AdminPolicyPort, AdminPolicyRule, LabelSelector, Protocol } from '../model/types';
import { formatSelector, isEmptySelector, selectorMatches } from '../model/selectors';
import { cidrWithin, coversEverything, ipBlockContains, parseCidr } from './ip';
import { resolveNamedPort } from './ports';
import { triAnd, triOr, type Tri } from './tri';
import type { Direction, PodSubject, PolicySubject } from './evaluate';
import { namespaceMatches } from './evaluate';

export type PolicyTier = 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'default';

/** The admin rule that decided a direction. */
export interface AdminRuleRef {
  policyId: string;
  kind: AdminNetworkPolicy['kind'];
  policy: string;
  priority?: number;
  direction: Direction;
  ruleIndex: number;
  ruleName: string;
  action: AdminPolicyRule['action'];
  actionWritten: string;
}

/** One tier's answer for the direction. */
export interface TierOutcome {
  allowed: Tri;
  /** The tier that decided (for 'unknown': the first tier whose match was open). */
  tier: PolicyTier;
  adminRule?: AdminRuleRef;
  /** What must hold for the connection to be allowed, when `allowed` is 'unknown'. */
  conditions: string[];
  explanation: string;
}

export interface AdminQuery {
  index: ModelIndex;
  direction: Direction;
  self: PodSubject;
  peer: PolicySubject;
  /** The side whose containers name ports (the destination). */
  destination: PolicySubject;
  protocol: Protocol;
  port: number;
  where: string;
  /**
   * Whether a rule of a policy matches here (subject, peer and port), when the
   * caller knows it already: `kni connectivity` judges whole classes of
   * workloads once and asks for the decision per port range. Default: matched
   * against `self`, `peer` and `port` by the functions below.
   */
  match?: (policy: AdminNetworkPolicy, rule: AdminPolicyRule, conditions: Set<string>) => Tri;
}

/**
 * The whole decision for one direction, given the NetworkPolicy tier's own
 * answer (`networkPolicy`: its verdict when it isolates the Pod; `isolated`:
 * whether it does; `ifIsolated`: where that is open, its verdict given that it
 * does).
 */
export function decideWithAdminTiers(q: AdminQuery, networkPolicy: { isolated: Tri; outcome: TierOutcome; ifIsolated?: TierOutcome }): TierOutcome {
  const all = q.index.model.adminNetworkPolicies;
  const admins = all.filter((p) => p.tier === 'Admin').sort(byPriorityThenName);
  const baselines = all.filter((p) => p.tier === 'Baseline').sort(byPriorityThenName);

  const networkPolicyTier = memo((): TierOutcome => {
    const { isolated, outcome } = networkPolicy;
    if (isolated === 'yes') return outcome;
    const below = chain(q, baselines, 0, defaultAllow(q), 'BaselineAdminNetworkPolicy');
    const baseline =
      below.tier === 'default'
        ? below
        : { ...below, explanation: `${q.where}: not isolated by any NetworkPolicy; ${stripWhere(q, below.explanation)}` };
    if (isolated === 'no') return baseline;
    // Isolated or not is open: under "isolated", NetworkPolicy's rules alone decide (`ifIsolated`, when the caller knows them apart).
    return either(q, `${q.self.name} is isolated by a NetworkPolicy for ${q.direction}`, networkPolicy.ifIsolated ?? outcome, baseline);
  });

  const first = chain(q, admins, 0, networkPolicyTier, 'AdminNetworkPolicy');
  const tied = tiedPolicies(admins);
  if (tied.length === 0) return first;
  // Same priority, no defined order: in any order the first of the group with
  // a matching rule decides, so trying each tied policy first covers them all.
  const outcomes = tied.map((p) => chain(q, firstInItsGroup(admins, p), 0, networkPolicyTier, 'AdminNetworkPolicy'));
  const names = describeTies(admins);
  if (outcomes.every((o) => o.allowed === first.allowed && sameDecider(o, first))) return first;
  if (outcomes.every((o) => o.allowed === first.allowed)) {
    return { ...first, explanation: `${first.explanation} (AdminNetworkPolicies ${names} share a priority, so which decides is up to the network plugin; the answer is the same either way)` };
  }
  const deciders = [...new Set([first, ...outcomes].map((o) => (o.adminRule ? o.adminRule.policy : o.tier)))];
  return {
    allowed: 'unknown',
    tier: 'AdminNetworkPolicy',
    conditions: [`the network plugin evaluates the AdminNetworkPolicies ${names} in an order where the one that allows it comes first`],
    explanation: `${q.where}: depends: AdminNetworkPolicies ${names} share a priority and decide differently (${deciders.join(' / ')}); their order is up to the network plugin`,
  };
}

/** The AdminNetworkPolicies that share their priority with another. */
function tiedPolicies(sorted: AdminNetworkPolicy[]): AdminNetworkPolicy[] {
  const count = new Map<number, number>();
  for (const p of sorted) count.set(p.priority ?? 0, (count.get(p.priority ?? 0) ?? 0) + 1);
  return sorted.filter((p) => (count.get(p.priority ?? 0) ?? 0) > 1);
}

/** The priority order with `p` first among the policies of its priority. */
function firstInItsGroup(sorted: AdminNetworkPolicy[], p: AdminNetworkPolicy): AdminNetworkPolicy[] {
  const rest = sorted.filter((x) => x !== p);
  const at = rest.findIndex((x) => (x.priority ?? 0) >= (p.priority ?? 0));
  return at < 0 ? [...rest, p] : [...rest.slice(0, at), p, ...rest.slice(at)];
}

/** "a and b (priority 10); c and d (priority 20)". */
function describeTies(sorted: AdminNetworkPolicy[]): string {
  const groups = new Map<number, string[]>();
  for (const p of tiedPolicies(sorted)) {
    const g = groups.get(p.priority ?? 0) ?? [];
    g.push(p.name);
    groups.set(p.priority ?? 0, g);
  }
  return [...groups].map(([prio, ns]) => `${ns.slice(0, -1).join(', ')} and ${ns[ns.length - 1]} (priority ${prio})`).join('; ');
}

function sameDecider(a: TierOutcome, b: TierOutcome): boolean {
  return a.tier === b.tier && a.adminRule?.policyId === b.adminRule?.policyId && a.adminRule?.ruleIndex === b.adminRule?.ruleIndex;
}

function byPriorityThenName(a: AdminNetworkPolicy, b: AdminNetworkPolicy): number {
  const p = (a.priority ?? 0) - (b.priority ?? 0);
  if (p !== 0) return p;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function memo<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

function defaultAllow(q: AdminQuery): () => TierOutcome {
  return () => ({
    allowed: 'yes',
    tier: 'default',
    conditions: [],
    explanation: `${q.where}: not isolated (no NetworkPolicy with policyTypes ${q.direction === 'ingress' ? 'Ingress' : 'Egress'} selects it, and no admin policy rule decides): allowed by default`,
  });
}

function stripWhere(q: AdminQuery, text: string): string {
  return text.startsWith(`${q.where}: `) ? text.slice(q.where.length + 2) : text;
}

/** If `condition` holds, `then`, else `otherwise`; definite where both agree. */
function either(q: AdminQuery, condition: string, then: TierOutcome, otherwise: TierOutcome): TierOutcome {
  if (then.allowed === otherwise.allowed && then.allowed !== 'unknown') {
    return { ...then, explanation: `${then.explanation} (and ${stripWhere(q, otherwise.explanation)} otherwise)` };
  }
  // A branch's open conditions are alternatives: one that is this branch's own
  // assumption holds already ("X, and X" is X); one that contradicts it cannot
  // hold there (under "not: X" an answer that needs X is no answer).
  const and = (head: string, more: string[], contradicts: string): string | undefined => {
    if (more.length === 0 || more.includes(head)) return head;
    const rest = more.filter((c) => c !== contradicts);
    return rest.length === 0 ? undefined : `${head}, and ${rest.join('; or ')}`;
  };
  const notCondition = `not: ${condition}`;
  const conditions: string[] = [];
  const push = (c: string | undefined) => c !== undefined && conditions.push(c);
  if (then.allowed !== 'no') push(then.allowed === 'yes' ? condition : and(condition, then.conditions, notCondition));
  if (otherwise.allowed !== 'no') push(otherwise.allowed === 'yes' ? notCondition : and(notCondition, otherwise.conditions, condition));
  return {
    allowed: conditions.length === 0 ? 'no' : 'unknown',
    tier: then.tier,
    adminRule: then.adminRule,
    conditions,
    explanation:
      conditions.length === 0
        ? `${q.where}: DENIED whether or not ${condition}`
        : `${q.where}: depends: if ${condition}, ${stripWhere(q, then.explanation)}; otherwise ${stripWhere(q, otherwise.explanation)}`,
  };
}

/** The rules of `policies` from the i-th policy on, first match deciding; `below` when none matches (or on Pass). */
function chain(q: AdminQuery, policies: AdminNetworkPolicy[], i: number, below: () => TierOutcome, tier: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy'): TierOutcome {
  const steps: { policy: AdminNetworkPolicy; rule: AdminPolicyRule; ruleIndex: number }[] = [];
  for (let k = i; k < policies.length; k++) {
    const rules = q.direction === 'ingress' ? policies[k].ingress : policies[k].egress;
    rules.forEach((rule, ruleIndex) => steps.push({ policy: policies[k], rule, ruleIndex }));
  }
  const walk = (s: number): TierOutcome => {
    for (; s < steps.length; s++) {
      const { policy, rule, ruleIndex } = steps[s];
      const conditions = new Set<string>();
      const m = q.match
        ? q.match(policy, rule, conditions)
        : triAnd(adminSubjectMatches(q.index, policy.subject, q.self, conditions), ruleMatches(q, rule, conditions));
      if (m === 'no') continue;
      const ref: AdminRuleRef = {
        policyId: policy.id,
        kind: policy.kind,
        policy: policy.name,
        priority: policy.priority,
        direction: q.direction,
        ruleIndex,
        ruleName: rule.name,
        action: rule.action,
        actionWritten: rule.actionWritten,
      };
      const hit = act(q, ref, below, tier);
      if (m === 'yes') return hit;
      return either(q, [...conditions].join(' and '), hit, walk(s + 1));
    }
    return below();
  };
  return walk(0);
}

function describeRuleRef(r: AdminRuleRef): string {
  const prio = r.kind === 'BaselineAdminNetworkPolicy' ? '' : ` (priority ${r.priority ?? 0})`;
  return `${r.kind} ${r.policy}${prio} ${r.direction}[${r.ruleIndex}]${r.ruleName ? ` "${r.ruleName}"` : ''}`;
}

function act(q: AdminQuery, ref: AdminRuleRef, below: () => TierOutcome, tier: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy'): TierOutcome {
  const what = describeRuleRef(ref);
  if (ref.action === 'Allow') {
    const rest = tier === 'AdminNetworkPolicy' ? '; NetworkPolicies are not consulted' : '';
    return { allowed: 'yes', tier, adminRule: ref, conditions: [], explanation: `${q.where}: allowed by ${what} (action ${ref.actionWritten}${rest})` };
  }
  if (ref.action === 'Deny') {
    const rest = tier === 'AdminNetworkPolicy' ? '; NetworkPolicies cannot allow it' : '';
    return { allowed: 'no', tier, adminRule: ref, conditions: [], explanation: `${q.where}: DENIED by ${what} (action Deny${rest})` };
  }
  const next = below();
  return { ...next, explanation: `${q.where}: passed on by ${what} (action Pass) to NetworkPolicy: ${stripWhere(q, next.explanation)}` };
}

// ---------------------------------------------------------------- matching

function nsMatches(index: ModelIndex, sel: LabelSelector, pod: PodSubject, conditions: Set<string>): Tri {
  if (pod.namespace === undefined) {
    if (isEmptySelector(sel)) return 'yes';
    conditions.add(`${pod.name} runs in a namespace matching ${formatSelector(sel)}`);
    return 'unknown';
  }
  return namespaceMatches(index, sel, pod.namespace, conditions);
}

function podMatches(sel: LabelSelector, pod: PodSubject, conditions: Set<string>): Tri {
  if (isEmptySelector(sel)) return 'yes';
  if (pod.labels === undefined) {
    conditions.add(`the labels of ${pod.name} match ${formatSelector(sel)}`);
    return 'unknown';
  }
  return selectorMatches(sel, pod.labels) ? 'yes' : 'no';
}

/** Whether a subject or a namespaces/pods peer selects the Pod (never a hostNetwork Pod or an address). */
export function adminSubjectMatches(index: ModelIndex, s: AdminPodSelection, subject: PolicySubject, conditions: Set<string>): Tri {
  if (subject.kind !== 'pod' || subject.hostNetwork) return 'no';
  if (s.namespaces) return nsMatches(index, s.namespaces, subject, conditions);
  if (s.pods) return triAnd(nsMatches(index, s.pods.namespaceSelector, subject, conditions), podMatches(s.pods.podSelector, subject, conditions));
  return 'no';
}

function ruleMatches(q: AdminQuery, rule: AdminPolicyRule, conditions: Set<string>): Tri {
  const ports = rule.ports === undefined ? 'yes' : portsMatch(q, rule.ports, conditions);
  if (ports === 'no') return 'no';
  let peers: Tri = 'no';
  for (const p of rule.peers) {
    peers = triOr(peers, adminPeerMatches(q.index, q.direction, p, q.peer, conditions));
    if (peers === 'yes') break;
  }
  return triAnd(peers, ports);
}

/** Whether one peer of a rule for `direction` matches the other end `s`. */
export function adminPeerMatches(index: ModelIndex, direction: Direction, peer: AdminPolicyPeer, s: PolicySubject, conditions: Set<string>): Tri {
  let out: Tri = 'no';
  if (peer.namespaces || peer.pods) out = triOr(out, adminSubjectMatches(index, peer, s, conditions));
  if (peer.nodes && direction === 'egress') out = triOr(out, nodeMatches(index, peer.nodes, s, conditions));
  if (peer.networks && direction === 'egress') out = triOr(out, networksMatch(peer.networks, s, conditions));
  if (peer.domainNames && direction === 'egress') out = triOr(out, domainNamesMatch(peer.domainNames, s, conditions));
  return out;
}

/** A Node by its labels: the node itself, or a hostNetwork Pod (which has its node's address). */
function nodeMatches(index: ModelIndex, sel: LabelSelector, s: PolicySubject, conditions: Set<string>): Tri {
  const nodeName = s.kind === 'node' ? (s.nodeName ?? s.name) : s.kind === 'pod' && s.hostNetwork ? s.nodeName : undefined;
  if (s.kind === 'external' || (s.kind === 'pod' && !s.hostNetwork)) return 'no';
  const node = nodeName === undefined ? undefined : index.model.nodes.find((n) => n.name === nodeName);
  if (!node) {
    if (isEmptySelector(sel)) return 'yes';
    conditions.add(`the node of ${s.name} carries labels matching ${formatSelector(sel)}`);
    return 'unknown';
  }
  return selectorMatches(sel, node.labels) ? 'yes' : 'no';
}

function networksMatch(networks: readonly string[], s: PolicySubject, conditions: Set<string>): Tri {
  const blocks = networks.filter((c) => parseCidr(c)).map((cidr) => ({ cidr, except: [] as string[] }));
  if (blocks.length === 0) return 'no';
  if (s.kind !== 'pod' && s.range !== undefined) return rangeInNetworks(s.range, networks, s.name, conditions);
  const ips = s.kind === 'pod' ? s.ips : s.ip !== undefined ? [s.ip] : [];
  if (ips.length > 0) return blocks.some((b) => ips.some((ip) => ipBlockContains(b, ip))) ? 'yes' : 'no';
  const everything = (family: 4 | 6) => blocks.some((b) => coversEverything(b) && parseCidr(b.cidr)?.family === family);
  if (s.kind === 'external' && everything(s.family)) return 'yes';
  // An address not known is still some address: 0.0.0.0/0 with ::/0 holds them all.
  if (everything(4) && everything(6)) return 'yes';
  // One family's everything (0.0.0.0/0 alone) leaves only the address family open: say so, or "not: in 0.0.0.0/0" reads as a riddle.
  const whole = ([4, 6] as const).find((f) => everything(f));
  const family = whole ? ` (every IPv${whole} address: it holds unless the address is IPv${whole === 4 ? 6 : 4})` : '';
  conditions.add(`${s.kind === 'pod' ? `${s.name}'s Pod address` : `${s.name}'s address`} is in ${networks.join(', ')}${family}`);
  return 'unknown';
}

/** An address range as a destination: in a network for every address (yes), for none (no), or for some (unknown). */
function rangeInNetworks(range: string, networks: readonly string[], name: string, conditions: Set<string>): Tri {
  const r = parseCidr(range);
  if (!r) return 'no';
  let out: Tri = 'no';
  for (const n of networks) {
    const c = parseCidr(n);
    if (!c) continue;
    if (cidrWithin(r, c)) return 'yes';
    if (cidrWithin(c, r)) out = 'unknown';
  }
  if (out === 'unknown') conditions.add(`${name}'s address in ${range} is in ${networks.join(', ')}`);
  return out;
}

/**
 * ClusterNetworkPolicy `domainNames`: the name the client asked for, exact or
 * under `*.` (one or more whole labels). An address outside the cluster
 * asked for by address is one of those names only if they resolve to it,
 * which the set cannot know; Pods and nodes are no domain.
 */
function domainNamesMatch(domains: readonly string[], s: PolicySubject, conditions: Set<string>): Tri {
  if (s.kind !== 'external') return 'no';
  const norm = (d: string) => d.toLowerCase().replace(/\.$/, '');
  if (s.host !== undefined) {
    const host = norm(s.host);
    return domains.some((d) => {
      const n = norm(d);
      return n.startsWith('*.') ? host.endsWith(n.slice(1)) && host.length > n.length - 1 : host === n;
    })
      ? 'yes'
      : 'no';
  }
  conditions.add(`${s.name} is an address that ${domains.join(', ')} resolve${domains.length === 1 ? 's' : ''} to (as the network plugin learns from DNS)`);
  return 'unknown';
}

function portsMatch(q: AdminQuery, ports: readonly AdminPolicyPort[], conditions: Set<string>): Tri {
  let out: Tri = 'no';
  for (const p of ports) {
    if (p.namedPort !== undefined) {
      const d = q.destination;
      if (d.kind !== 'pod') continue;
      if (d.containers === undefined) {
        conditions.add(`${d.name}'s port named "${p.namedPort}" is ${q.port}`);
        out = 'unknown';
        continue;
      }
      if (resolveNamedPort(p.namedPort, q.protocol, d.containers).includes(q.port)) return 'yes';
      continue;
    }
    if (p.protocol !== q.protocol || p.port === undefined) continue;
    const end = p.endPort ?? p.port;
    if (q.port >= p.port && q.port <= end) return 'yes';
  }
  return out;
}
