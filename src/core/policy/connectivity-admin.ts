// The administrator's tiers in the connectivity matrix (./connectivity.ts).
// The decision itself is the trace's (decideWithAdminTiers in ./admin.ts: the
// API's order, Allow/Deny/Pass, ties, open conditions); what this module adds
// is the matrix's economy:
// - each workload (and the external client and destinations) is matched once
//   against every admin policy's subject and every admin rule's peers (a
//   profile); workloads with the same profile stay in one class;
// - per class pair and direction, the ports are cut into ranges on which the
//   NetworkPolicy tier's answer and every admin rule's ports are constant, and
//   the decision is asked once per range, with the matches already known;
// - the decision depends only on the two profiles, which admin rules hold the
//   range, and NetworkPolicy's answer there: it is cached on that key, so
//   thousands of class pairs share a handful of decisions.
// Conditions are worded by role ("the destination's address is in …"), never
// by a workload's name, so that a class's answer holds for all its members.
import type { ModelIndex } from '../model/model-index';
import type { AdminNetworkPolicy, AdminPolicyRule, Container, NetworkPolicy, Protocol, Workload } from '../model/types';
import { adminPeerMatches, adminSubjectMatches, decideWithAdminTiers, type AdminRuleRef, type TierOutcome } from './admin';
import { workloadSubject, type Direction, type PodSubject, type PolicySubject } from './evaluate';
import { PortSet, PROTOCOLS, resolveNamedPort } from './ports';
import { GuardedPorts, type PortClause } from './guarded-ports';
import { triAnd, triOr, type Tri } from './tri';

/**
 * What decided some ports of a connection, in one direction: an admin rule, a
 * NetworkPolicy rule that allows them, NetworkPolicy's isolation where no
 * rule allows them, or the default (named once the set has admin policies, so
 * that every tier's part is said).
 */
export type TierDecision = PolicyDecision | DefaultDecision;

/**
 * Ports no policy of any tier decided: no admin or baseline rule matched and
 * no NetworkPolicy isolates that end, so Kubernetes' default allows them.
 */
export interface DefaultDecision {
  direction: Direction;
  tier: 'default';
  action: 'Allow';
  ports: 'all' | string[];
  kind?: never;
  policy?: never;
  priority?: never;
  rule?: never;
  ruleName?: never;
}

/** An admin rule, a NetworkPolicy rule that allows, or NetworkPolicy's isolation that denies. */
export interface PolicyDecision {
  direction: Direction;
  tier: 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy';
  /** The object's kind (ClusterNetworkPolicy for the successor API, whichever admin tier). */
  kind: AdminNetworkPolicy['kind'] | 'NetworkPolicy';
  /** The admin policy's name; a NetworkPolicy's "namespace/name" (an isolation: the policies that isolate, comma-separated). */
  policy: string;
  /** An AdminNetworkPolicy's (absent for the other tiers). */
  priority?: number;
  /** The rule's index in the policy's ingress or egress list, and its name ("" for a NetworkPolicy rule); absent for an isolation. */
  rule?: number;
  ruleName: string;
  /** As written: Allow, Deny (Accept for a ClusterNetworkPolicy); a NetworkPolicy rule: Allow; its isolation: Deny. */
  action: string;
  /** The ports it decided: "all" or ["TCP/80", …] (a destination whose Pods resolve a named port apart: on any of them). */
  ports: 'all' | string[];
}

/** A NetworkPolicy rule and the ports it allows for certain at one pair. */
export interface NetworkPolicyAllow {
  policy: NetworkPolicy;
  ruleIndex: number;
  ports: PortSet;
}

/** How the admin policies see one end: the subjects that select it, the peers that match it. */
export interface AdminProfile {
  id: number;
  subject: Tri[];
  subjectConditions: string[][];
  peer: Tri[];
  peerConditions: string[][];
}

/** What NetworkPolicy alone gives one direction, whether (and by which policies) it isolates that end, and the rules that allow. */
export interface DirectionPorts {
  ports: GuardedPorts;
  isolated: boolean;
  /** "namespace/name" of the policies that isolate it. */
  isolatedBy: string[];
  rules: NetworkPolicyAllow[];
}

export interface TierPorts {
  ports: GuardedPorts;
  decidedBy: TierDecision[];
}

export interface AdminTierSide {
  profile: AdminProfile;
  /** The destination's containers resolve named ports; undefined: not a Pod (named ports match nothing). */
  containers?: readonly Container[];
}

interface LiveRule {
  rule: AdminPolicyRule;
  info: RuleInfo;
  /** Subject and peer (the port apart). */
  match: Tri;
  conditions: string[];
  /** undefined: every port. */
  ports: PortSet | undefined;
}

interface RuleInfo {
  policyIndex: number;
  peerIds: number[];
  /** Global rule number (cache keys). */
  n: number;
}

export interface AdminTiers {
  profileOfWorkload(w: Workload): AdminProfile;
  profileOf(subject: PolicySubject): AdminProfile;
  /**
   * One direction at one pair: the ports NetworkPolicy alone gives (`np`, and
   * whether it isolates `self`), decided through the admin tiers.
   */
  decide(direction: Direction, self: AdminTierSide, peer: AdminTierSide, destination: AdminTierSide, np: DirectionPorts): TierPorts;
}

const MAX_PORT = 65535;
/**
 * Entries kept per cache; beyond this a cache starts afresh (memory stays
 * bounded whatever the set; the keys a set has are usually a few hundred).
 */
const CACHE_LIMIT = 20_000;
/** NetworkPolicy answers kept per pair of profiles (and CACHE_LIMIT in all). */
const RESULTS_PER_PAIR = 64;

/** undefined when the set has no admin policies (the matrix then skips all of this). */
export function adminTiers(index: ModelIndex): AdminTiers | undefined {
  const policies = index.model.adminNetworkPolicies ?? [];
  if (policies.length === 0) return undefined;
  const peers: { direction: Direction; peer: AdminPolicyRule['peers'][number] }[] = [];
  const rules = new Map<AdminPolicyRule, RuleInfo>();
  policies.forEach((p, policyIndex) => {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of p[direction]) {
        const peerIds = rule.peers.map((peer) => peers.push({ direction, peer }) - 1);
        rules.set(rule, { policyIndex, peerIds, n: rules.size });
      }
    }
  });

  const profiles = new Map<string, AdminProfile>();
  const profileOf = (subject: PolicySubject): AdminProfile => {
    const subjectTri: Tri[] = [];
    const subjectConditions: string[][] = [];
    for (const p of policies) {
      const c = new Set<string>();
      subjectTri.push(adminSubjectMatches(index, p.subject, subject, c));
      subjectConditions.push([...c]);
    }
    const peerTri: Tri[] = [];
    const peerConditions: string[][] = [];
    for (const { direction, peer } of peers) {
      const c = new Set<string>();
      peerTri.push(adminPeerMatches(index, direction, peer, subject, c));
      peerConditions.push([...c]);
    }
    const sig = JSON.stringify([subjectTri, subjectConditions, peerTri, peerConditions]);
    let profile = profiles.get(sig);
    if (!profile) profiles.set(sig, (profile = { id: profiles.size, subject: subjectTri, subjectConditions, peer: peerTri, peerConditions }));
    return profile;
  };

  // Each rule's ports resolved on one destination's containers (named ports), by containers list.
  const portsByContainers = new Map<readonly Container[] | undefined, (PortSet | undefined)[]>();
  const rulePorts = (rule: AdminPolicyRule, containers: readonly Container[] | undefined): PortSet | undefined => {
    let list = portsByContainers.get(containers);
    if (!list) portsByContainers.set(containers, (list = []));
    const n = rules.get(rule)!.n;
    if (!(n in list)) list[n] = rule.ports === undefined ? undefined : adminRulePorts(rule, containers);
    return list[n];
  };

  const cache = new Map<string, TierOutcome>();
  const byWorkloadLook = new Map<string, AdminProfile>();
  // (self profile, direction) -> peer profile -> containers -> the rules that can match, and decisions by NetworkPolicy's answer.
  const liveRules = new Map<number, Map<number, Map<number, { live: LiveRule[]; results: Map<string, TierPorts> }>>>();
  let liveCount = 0;
  let resultCount = 0;
  // Containers matter only by their named ports: one id per set of named ports.
  const containerIds = new Map<readonly Container[], number>();
  const namedPortIds = new Map<string, number>();
  const containersId = (c: readonly Container[] | undefined): number => {
    if (!c) return -1;
    let id = containerIds.get(c);
    if (id === undefined) {
      const sig = c.flatMap((x) => x.ports.filter((p) => p.name).map((p) => `${p.name}/${p.protocol}=${p.containerPort}`)).sort().join(',');
      id = namedPortIds.get(sig);
      if (id === undefined) namedPortIds.set(sig, (id = namedPortIds.size));
      containerIds.set(c, id);
    }
    return id;
  };
  const placeholder = (name: string): PodSubject => ({ kind: 'pod', name, ips: [], hostNetwork: false, objectIds: [] });

  return {
    profileOf,
    profileOfWorkload: (w) => {
      // What the matching reads of a workload: its namespace, labels, addresses, hostNetwork (named ports apart).
      const subject: PodSubject = { ...workloadSubject(w), name: 'the destination' };
      const key = `${w.namespace}\u0000${w.hostNetwork}\u0000${subject.ips.join(',')}\u0000${Object.entries(w.podLabels).sort().join('\u0000')}`;
      let profile = byWorkloadLook.get(key);
      if (!profile) byWorkloadLook.set(key, (profile = profileOf(subject)));
      return profile;
    },
    decide(direction, self, peer, destination, np) {
      if (liveCount >= CACHE_LIMIT) {
        liveRules.clear();
        liveCount = 0;
        resultCount = 0;
      }
      // By number, not by text: this runs for every class pair.
      const cid = containersId(destination.containers);
      const outer = self.profile.id * 2 + (direction === 'ingress' ? 1 : 0);
      let byPeer = liveRules.get(outer);
      if (!byPeer) liveRules.set(outer, (byPeer = new Map()));
      let byContainers = byPeer.get(peer.profile.id);
      if (!byContainers) byPeer.set(peer.profile.id, (byContainers = new Map()));
      let entry = byContainers.get(cid);
      if (!entry) {
        entry = { live: matchingRules(direction, self.profile, peer.profile, destination.containers), results: new Map() };
        byContainers.set(cid, entry);
        liveCount++;
      }
      // Many class pairs get the same NetworkPolicy answer: decided once.
      const npKey = `${np.isolated}|${np.isolatedBy.join(',')}|${np.ports.key()}|${np.rules.map((r) => `${r.policy.id}#${r.ruleIndex}=${r.ports.key()}`).join(';')}`;
      let result = entry.results.get(npKey);
      if (!result) {
        result = entry.live.length === 0 ? { ports: np.ports, decidedBy: networkPolicyDecisions(direction, np) } : decideRanges(direction, self.profile, peer.profile, entry.live, np);
        if (entry.results.size >= RESULTS_PER_PAIR) entry.results.clear();
        if (++resultCount > CACHE_LIMIT) {
          // Bounded in all: start afresh (this pair's entry is kept).
          for (const p of liveRules.values()) for (const c of p.values()) for (const e of c.values()) if (e !== entry) e.results.clear();
          resultCount = entry.results.size;
        }
        entry.results.set(npKey, result);
      }
      return result;
    },
  };

  /** The rules that can match here at some port, with their match apart from the port. */
  function matchingRules(direction: Direction, self: AdminProfile, peer: AdminProfile, containers: readonly Container[] | undefined): LiveRule[] {
    const live: LiveRule[] = [];
    policies.forEach((p, i) => {
      const subject = self.subject[i];
      if (subject === 'no') return;
      for (const rule of p[direction]) {
        const info = rules.get(rule)!;
        let peerMatch: Tri = 'no';
        const conditions = [...self.subjectConditions[i]];
        for (const id of info.peerIds) {
          const t = peer.peer[id];
          if (t === 'no') continue;
          peerMatch = triOr(peerMatch, t);
          conditions.push(...peer.peerConditions[id]);
        }
        const match = triAnd(subject, peerMatch);
        if (match !== 'no') live.push({ rule, info, match, conditions, ports: rulePorts(rule, containers) });
      }
    });
    return live;
  }

  /** The decision per port range, from NetworkPolicy's answer and the rules that can match. */
  function decideRanges(direction: Direction, self: AdminProfile, peer: AdminProfile, live: LiveRule[], np: DirectionPorts): TierPorts {
    const allowed = PortSet.none();
    const clauses: PortClause[] = [];
    const decided = new Map<string, { ref: AdminRuleRef; tier: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy'; ports: PortSet }>();
    const npAllowed: [NetworkPolicyAllow, PortSet][] = [];
    const npDenied = PortSet.none();
    const byDefault = PortSet.none();
    const npClauses = np.ports.clauses;
    for (const protocol of PROTOCOLS) {
      const cuts = new Set<number>([1, MAX_PORT + 1]);
      for (const set of [np.ports.allowed, ...npClauses.map((c) => c.ports), ...np.rules.map((r) => r.ports), ...live.map((l) => l.ports)]) {
        if (!set) continue;
        for (const [a, b] of set.rangesOf(protocol)) cuts.add(a).add(b + 1);
      }
      const sorted = [...cuts].sort((a, b) => a - b);
      for (let k = 0; k + 1 < sorted.length; k++) {
        const from = sorted[k];
        const to = sorted[k + 1] - 1;
        // NetworkPolicy's answer on this range: certain, or the clauses that hold it (each one alternative).
        const npHolding = np.ports.allowed.has(protocol, from) ? [] : npClauses.filter((c) => c.ports.has(protocol, from));
        const npAt: Tri = np.ports.allowed.has(protocol, from) ? 'yes' : npHolding.length > 0 ? 'unknown' : 'no';
        const npConditions = npHolding.map((c) => c.when.join(' and '));
        const holding = live.filter((l) => !l.ports || l.ports.has(protocol, from));
        const key = `${direction}|${self.id}|${peer.id}|${holding.map((l) => l.info.n).join(',')}|${np.isolated}|${npAt}|${npConditions.join('\u0001')}`;
        let outcome = cache.get(key);
        if (!outcome) {
          const byRule = new Map(holding.map((l) => [l.rule, l]));
          outcome = decideWithAdminTiers(
            {
              index,
              direction,
              self: placeholder(direction === 'ingress' ? 'the destination' : 'the source'),
              peer: placeholder(direction === 'ingress' ? 'the source' : 'the destination'),
              destination: placeholder('the destination'),
              protocol,
              port: from,
              where: direction,
              match: (_policy, rule, c) => {
                const l = byRule.get(rule);
                if (!l) return 'no';
                for (const x of l.conditions) c.add(x);
                return l.match;
              },
            },
            {
              isolated: np.isolated ? 'yes' : 'no',
              outcome: { allowed: npAt, tier: 'NetworkPolicy', conditions: npConditions, explanation: `${direction}: NetworkPolicy` },
            },
          );
          if (cache.size >= CACHE_LIMIT) cache.clear();
          cache.set(key, outcome);
        }
        if (outcome.allowed === 'yes') allowed.add(protocol, from, to);
        if (outcome.allowed === 'unknown') {
          const range = PortSet.none().add(protocol, from, to);
          // NetworkPolicy's own answer passed through: its clauses as they were; else each alternative the tiers name.
          const passed = outcome.conditions.length === npConditions.length && outcome.conditions.every((c, i) => c === npConditions[i]);
          if (passed) for (const c of npHolding) clauses.push({ ports: range, when: c.when });
          else for (const c of outcome.conditions) clauses.push({ ports: range, when: [c] });
        }
        const ref = outcome.adminRule;
        if (ref && outcome.allowed !== 'unknown' && (outcome.tier === 'AdminNetworkPolicy' || outcome.tier === 'BaselineAdminNetworkPolicy')) {
          const k = `${ref.policyId}|${ref.ruleIndex}`;
          let d = decided.get(k);
          if (!d) decided.set(k, (d = { ref, tier: outcome.tier, ports: PortSet.none() }));
          d.ports.add(protocol, from, to);
        }
        // NetworkPolicy's tier decided: the rules that allow the range, or the isolation that denies it.
        if (outcome.tier === 'NetworkPolicy' && outcome.allowed === 'yes') for (const r of np.rules) if (r.ports.has(protocol, from)) npAllowed.push([r, PortSet.none().add(protocol, from, to)]);
        if (outcome.tier === 'NetworkPolicy' && outcome.allowed === 'no' && np.isolated) npDenied.add(protocol, from, to);
        if (outcome.tier === 'default' && outcome.allowed === 'yes') byDefault.add(protocol, from, to);
      }
    }
    // In the order the API consults them: admin tier by priority, then NetworkPolicy, then baseline; rules in order.
    const order = (d: { ref: AdminRuleRef; tier: string }) => [d.tier === 'AdminNetworkPolicy' ? 0 : 2, d.ref.priority ?? 0, d.ref.policy, d.ref.ruleIndex] as const;
    const sorted = [...decided.values()].sort((a, b) => {
      const x = order(a);
      const y = order(b);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    });
    const admin = sorted.map(({ ref, tier, ports }): PolicyDecision => ({
      direction,
      tier,
      kind: ref.kind,
      policy: ref.policy,
      ...(tier === 'AdminNetworkPolicy' ? { priority: ref.priority ?? 0 } : {}),
      rule: ref.ruleIndex,
      ruleName: ref.ruleName,
      action: ref.actionWritten,
      ports: ports.isAll() ? 'all' : ports.format(),
    }));
    const networkPolicy = networkPolicyParts(direction, np, npAllowed, npDenied);
    const decidedBy: TierDecision[] = [...admin.filter((d) => d.tier === 'AdminNetworkPolicy'), ...networkPolicy, ...admin.filter((d) => d.tier !== 'AdminNetworkPolicy'), ...defaultDecision(direction, byDefault)];
    return { ports: new GuardedPorts(allowed, clauses).normalized(), decidedBy };
  }
}

/** Where no admin rule can match: NetworkPolicy's rules allow what they allow for certain, its isolation denies what nothing may allow; nothing isolates: the default allows. */
function networkPolicyDecisions(direction: Direction, np: DirectionPorts): TierDecision[] {
  if (!np.isolated) return defaultDecision(direction, np.ports.allowed);
  const allowed = np.rules.map((r): [NetworkPolicyAllow, PortSet] => [r, r.ports.intersect(np.ports.allowed)]);
  const denied = PortSet.all().minus(np.ports.possible());
  return networkPolicyParts(direction, np, allowed, denied);
}

/** The default's part: the ports allowed because no policy of any tier decided them. */
function defaultDecision(direction: Direction, ports: PortSet): DefaultDecision[] {
  return ports.isEmpty() ? [] : [{ direction, tier: 'default', action: 'Allow', ports: ports.isAll() ? 'all' : ports.format() }];
}

/** One decision per NetworkPolicy rule (its ports merged), then the isolation's denial. */
function networkPolicyParts(direction: Direction, np: DirectionPorts, allowed: [NetworkPolicyAllow, PortSet][], denied: PortSet): PolicyDecision[] {
  const byRule = new Map<NetworkPolicyAllow, PortSet>();
  for (const [r, ports] of allowed) {
    if (ports.isEmpty()) continue;
    const at = byRule.get(r);
    if (at) at.addAll(ports);
    else byRule.set(r, PortSet.none().addAll(ports));
  }
  const out: PolicyDecision[] = [...byRule].map(([r, ports]) => ({
    direction,
    tier: 'NetworkPolicy',
    kind: 'NetworkPolicy',
    policy: `${r.policy.namespace}/${r.policy.name}`,
    rule: r.ruleIndex,
    ruleName: '',
    action: 'Allow',
    ports: ports.isAll() ? 'all' : ports.format(),
  }));
  if (!denied.isEmpty()) {
    out.push({ direction, tier: 'NetworkPolicy', kind: 'NetworkPolicy', policy: np.isolatedBy.join(', '), ruleName: '', action: 'Deny', ports: denied.isAll() ? 'all' : denied.format() });
  }
  return out;
}

/** An admin rule's ports toward a destination with these containers (a named port: every protocol that names it). */
function adminRulePorts(rule: AdminPolicyRule, containers: readonly Container[] | undefined): PortSet {
  const set = PortSet.none();
  for (const p of rule.ports ?? []) {
    if (p.namedPort !== undefined) {
      for (const protocol of PROTOCOLS as readonly Protocol[]) for (const n of resolveNamedPort(p.namedPort, protocol, containers ?? [])) set.add(protocol, n, n);
      continue;
    }
    if (p.port !== undefined) set.add(p.protocol, p.port, p.endPort ?? p.port);
  }
  return set;
}
