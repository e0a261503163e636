// NetworkPolicy verdicts with Kubernetes' semantics:
// - A Pod is isolated for a direction when some policy in its namespace selects
//   it (podSelector) and lists that direction in policyTypes; a Pod that is not
//   isolated allows everything in that direction.
// - Policies are additive: a connection is allowed when it is allowed at the
//   source's egress AND at the destination's ingress, and in each direction
//   when at least one rule of one selecting policy allows it (the union).
// - A rule allows a peer when its peer list is empty (everyone) or one peer
//   matches; inside one peer, namespaceSelector and podSelector are ANDed (the
//   Pods matching podSelector in the namespaces matching namespaceSelector); a
//   podSelector alone means the policy's own namespace; a namespaceSelector
//   alone means every Pod of those namespaces; ipBlock is `cidr` minus `except`.
// - A rule's ports: empty = all; `port` + `endPort` a range; a named port is
//   resolved on the destination Pod's containers.
// - Policies see the packet after kube-proxy's DNAT: the destination is the Pod
//   and its targetPort, never the Service's virtual IP and port.
// - hostNetwork Pods: the Kubernetes documentation leaves NetworkPolicy for
//   them to the network plugin: most neither govern them nor match them with
//   Pod selectors (their traffic is their node's), some treat them as Pods.
//   Where the two readings differ the answer is 'unknown', with the reading
//   that allows it as the condition. A Pod cannot block traffic from its own
//   node (per the documentation).
// - With AdminNetworkPolicies / a BaselineAdminNetworkPolicy in the set, their
//   tiers decide around this one (./admin.ts).
// What the set cannot decide (a namespace whose labels are not in the set, a
// client whose address was not given, whether the network plugin applies
// ipBlock to Pod addresses) comes out as 'unknown' with the condition spelled
// out, never as a guess.
import { formatSelector, isEmptySelector, selectorMatches } from '../model/selectors';
import { NAMESPACE_NAME_LABEL } from '../model/model-index';
import { unreadIn } from '../model/unread';
import type { ModelIndex } from '../model/model-index';
import type { Container, IPBlock, LabelSelector, Labels, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, Protocol, Workload } from '../model/types';
import { coversEverything, formatIpBlock, ipBlockContains, ipFamily, parseCidr } from './ip';
import { resolveNamedPort } from './ports';
import { triAnd, triNot, triOr, type Tri } from './tri';
import { decideWithAdminTiers, type AdminQuery, type AdminRuleRef, type PolicyTier } from './admin';

export type Direction = 'ingress' | 'egress';

/** A Pod (of a workload in the set, a live Pod, or a Pod the set does not describe). */
export interface PodSubject {
  kind: 'pod';
  /** How to name it: "shop/Deployment/cart", "shop/cart-7d9c4-x2k". */
  name: string;
  /** undefined: unknown (e.g. an ingress controller outside the set). */
  namespace?: string;
  /** undefined: unknown labels. */
  labels?: Labels;
  /** Known addresses (cluster source); empty for manifests. */
  ips: string[];
  nodeName?: string;
  hostNetwork: boolean;
  /** undefined: unknown. */
  containers?: readonly Container[];
  /** The model objects it stands for (workload id, Pod id). */
  objectIds: string[];
}

/** A client outside the cluster, or a node (its own address, or SNAT to it). */
export interface AddressSubject {
  kind: 'external' | 'node';
  name: string;
  /** undefined: any address (of `family`). */
  ip?: string;
  /** The address family assumed when `ip` is not given. */
  family: 4 | 6;
  /** A whole range of addresses ("10.0.0.0/8"), as `kni connectivity` takes an ipBlock's range as a destination. */
  range?: string;
  /** The name the client asked for (an egress trace to a host), which ClusterNetworkPolicy `domainNames` match. */
  host?: string;
  nodeName?: string;
  objectIds: string[];
}

export type PolicySubject = PodSubject | AddressSubject;

export interface RuleRef {
  policyId: string;
  /** "namespace/name". */
  policy: string;
  direction: Direction;
  ruleIndex: number;
}

export interface DirectionResult {
  direction: Direction;
  /** false: no policy can apply here (the side is not a Pod, or is a hostNetwork Pod). */
  enforced: boolean;
  isolated: Tri;
  /** yes: allowed, no: denied, unknown: depends on `conditions`. */
  allowed: Tri;
  /** Policies that select the Pod for this direction ('yes' or 'unknown' selection). */
  policies: { id: string; name: string }[];
  allowedBy?: RuleRef;
  conditions: string[];
  explanation: string;
  /** With admin network policies in the set: the tier that decided, and the admin rule when one did. */
  tier?: PolicyTier;
  adminRule?: AdminRuleRef;
}

export interface PolicyVerdict {
  allowed: Tri;
  egress: DirectionResult;
  ingress: DirectionResult;
}

export interface PolicyQuery {
  source: PolicySubject;
  destination: PolicySubject;
  protocol: Protocol;
  /** The destination port as the Pod sees it (after DNAT: the targetPort). */
  port: number;
}

/** The verdict for one connection at the source's egress and the destination's ingress. */
export function evaluatePolicies(index: ModelIndex, q: PolicyQuery): PolicyVerdict {
  const egress =
    q.source.kind === 'pod'
      ? evaluateDirection(index, 'egress', q.source, q.destination, q.protocol, q.port)
      : notEnforced('egress', `egress: ${q.source.name} is not a Pod; no egress policy applies`);
  const ingress =
    q.destination.kind === 'pod'
      ? evaluateDirection(index, 'ingress', q.destination, q.source, q.protocol, q.port)
      : notEnforced('ingress', `ingress: ${q.destination.name} is not a Pod; no ingress policy applies`);
  return { allowed: triAnd(egress.allowed, ingress.allowed), egress, ingress };
}

function notEnforced(direction: Direction, explanation: string): DirectionResult {
  return { direction, enforced: false, isolated: 'no', allowed: 'yes', policies: [], conditions: [], explanation };
}

/**
 * One side: the policies selecting `self` for `direction`, judged against
 * `peer` (the other end). The destination's containers resolve named ports.
 */
export function evaluateDirection(
  index: ModelIndex,
  direction: Direction,
  self: PodSubject,
  peer: PolicySubject,
  protocol: Protocol,
  port: number,
): DirectionResult {
  const where = `${direction} at ${self.name}`;
  if (!self.hostNetwork) return againstPeer(index, direction, self, peer, protocol, port);
  // Most plugins leave a hostNetwork Pod ungoverned; the others govern it like any Pod.
  const governed = againstPeer(index, direction, self, peer, protocol, port);
  const ifGoverned = stripWhere(where, governed.explanation);
  if (governed.allowed === 'yes') {
    return { ...notEnforced(direction, `${where}: hostNetwork Pod: allowed, whether or not the network plugin applies NetworkPolicy to hostNetwork Pods (most do not; one that does: ${ifGoverned})`), policies: governed.policies };
  }
  return {
    direction,
    enforced: true,
    isolated: governed.isolated,
    allowed: 'unknown',
    policies: governed.policies,
    conditions: [PLUGIN_SKIPS_HOST_NETWORK, ...(governed.allowed === 'unknown' ? governed.conditions : [])],
    explanation: `${where}: depends on the network plugin: a hostNetwork Pod, which most plugins do not apply NetworkPolicy to (then allowed); a plugin that does: ${ifGoverned}`,
  };
}

// What the Kubernetes documentation leaves to the network plugin about hostNetwork Pods.
const PLUGIN_SKIPS_HOST_NETWORK = 'the network plugin does not apply NetworkPolicy to hostNetwork Pods (most do not)';
const PLUGIN_SEES_NODE = "the network plugin sees a hostNetwork Pod's traffic as its node's, so Pod selectors do not match it (most do)";
const PLUGIN_SEES_POD = 'the network plugin tells hostNetwork Pods from their node and matches them as Pods';

function stripWhere(where: string, text: string): string {
  return text.startsWith(`${where}: `) ? text.slice(where.length + 2) : text;
}

/**
 * `self`'s policies against the peer; a hostNetwork Pod as the peer is judged
 * both as its node (what most plugins see: no Pod selector matches it) and as
 * a Pod, and the answer is certain only where the two agree.
 */
function againstPeer(index: ModelIndex, direction: Direction, self: PodSubject, peer: PolicySubject, protocol: Protocol, port: number): DirectionResult {
  if (peer.kind !== 'pod' || !peer.hostNetwork) return evaluateSide(index, direction, self, peer, peer, protocol, port);
  const where = `${direction} at ${self.name}`;
  const asNode = evaluateSide(index, direction, self, peer, peer, protocol, port);
  const asPod = evaluateSide(index, direction, self, peer, { ...peer, hostNetwork: false }, protocol, port);
  // The same answer either way (open on the same conditions, e.g. an admin rule's, which never reads hostNetwork Pods as Pods).
  const same = asNode.allowed === asPod.allowed && (asNode.allowed !== 'unknown' || asNode.conditions.join('\n') === asPod.conditions.join('\n'));
  if (same) {
    // Said only where a policy is involved at all.
    if (asNode.isolated === 'no' && asNode.tier === undefined) return asNode;
    return { ...asNode, explanation: `${asNode.explanation} (the same whether the network plugin sees the hostNetwork Pod ${peer.name} as its node, as most do, or as a Pod)` };
  }
  const conditions: string[] = [];
  const branch = (head: string, r: DirectionResult) => {
    if (r.allowed === 'yes') conditions.push(head);
    else if (r.allowed === 'unknown') conditions.push(`${head}, and ${r.conditions.join('; or ')}`);
  };
  branch(PLUGIN_SEES_NODE, asNode);
  branch(PLUGIN_SEES_POD, asPod);
  return {
    ...asNode,
    allowed: 'unknown',
    allowedBy: undefined,
    conditions,
    explanation: `${where}: depends on the network plugin: ${peer.name} is a hostNetwork Pod; seen as its node (most plugins): ${stripWhere(where, asNode.explanation)}; seen as a Pod: ${stripWhere(where, asPod.explanation)}`,
  };
}

/** One side's verdict; `selectorPeer` is the peer as NetworkPolicy's rules see it (a hostNetwork Pod as a Pod, or not). */
function evaluateSide(
  index: ModelIndex,
  direction: Direction,
  self: PodSubject,
  peer: PolicySubject,
  selectorPeer: PolicySubject,
  protocol: Protocol,
  port: number,
): DirectionResult {
  const where = `${direction} at ${self.name}`;
  const destination: PolicySubject = direction === 'ingress' ? self : peer;
  const conditions = new Set<string>();
  const candidates = index.model.networkPolicies.filter(
    (p) => p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && (self.namespace === undefined || p.namespace === self.namespace),
  );
  if (self.namespace === undefined && candidates.length > 0) {
    conditions.add(`the policies of ${self.name}'s namespace (not known) allow it`);
  }
  let notIsolated: Tri = 'yes';
  let someAllow: Tri = 'no';
  let allowedBy: RuleRef | undefined;
  const policies: { id: string; name: string }[] = [];
  // Policies whose podSelector may or may not select the Pod (its labels are
  // not known): each one's rules are judged apart, since "selected, and a rule
  // allows" and "not selected, so not isolated" are different conditions.
  const open: { name: string; selector: string; allows: Tri; conditions: Set<string> }[] = [];
  for (const p of candidates) {
    const name = `${p.namespace}/${p.name}`;
    const sel = self.namespace === undefined ? 'unknown' : selectsPod(p.podSelector, self);
    if (sel === 'no') continue;
    policies.push({ id: p.id, name });
    const labelsOpen = sel === 'unknown' && self.namespace !== undefined;
    const own = labelsOpen ? new Set<string>() : conditions;
    let allows: Tri = 'no';
    const rules = direction === 'ingress' ? p.ingress : p.egress;
    for (let i = 0; i < rules.length; i++) {
      const r = ruleAllows(index, p, rules[i], selectorPeer, destination, protocol, port, own);
      allows = triOr(allows, r);
      if (labelsOpen) continue;
      const both = triAnd(sel, r);
      if (both === 'yes' && !allowedBy) {
        allowedBy = { policyId: p.id, policy: name, direction, ruleIndex: i };
      }
      someAllow = triOr(someAllow, both);
    }
    if (labelsOpen) open.push({ name, selector: formatSelector(p.podSelector), allows, conditions: own });
    else notIsolated = triAnd(notIsolated, triNot(sel));
  }
  let allowed = triOr(notIsolated, someAllow);
  // Given that the Pod is isolated (for the admin tiers' Baseline below NetworkPolicy): the answer of the selecting policies' rules.
  let ifIsolated: { allowed: Tri; conditions: string[] } | undefined;
  if (open.length > 0) {
    // Certain only where every choice of selecting policies gives the same answer: the fewest
    // (the certain ones, or one open policy when none is certain) and the most (all of them).
    const rank = (t: Tri) => (t === 'no' ? 0 : t === 'unknown' ? 1 : 2);
    const weakestOpen = open.reduce<Tri>((m, o) => (rank(o.allows) < rank(m) ? o.allows : m), 'yes');
    const anyOpen = open.reduce<Tri>((m, o) => triOr(m, o.allows), 'no');
    const isolatedForSure = notIsolated === 'no';
    const least = isolatedForSure ? someAllow : weakestOpen;
    const most = isolatedForSure ? triOr(someAllow, anyOpen) : 'yes';
    allowed = least === 'yes' ? 'yes' : most === 'no' ? 'no' : 'unknown';
    const matching = open
      .filter((o) => o.allows !== 'no')
      .map((o) => `the labels of ${self.name} match ${o.name}'s podSelector ${o.selector}${o.allows === 'unknown' ? `, and ${[...o.conditions].join('; or ')}` : ''}`);
    const ruleConditions = [...conditions];
    conditions.clear();
    if (!isolatedForSure) conditions.add(`the labels of ${self.name} do not match ${open.map((o) => `${o.name}'s podSelector ${o.selector}`).join(' nor ')}`);
    for (const c of [...ruleConditions, ...matching]) conditions.add(c);
    if (!isolatedForSure) ifIsolated = { allowed: weakestOpen === 'yes' ? 'yes' : anyOpen === 'no' ? 'no' : 'unknown', conditions: matching };
    notIsolated = isolatedForSure ? 'no' : 'unknown';
  }
  let explanation: string;
  // A Pod cannot block traffic from its own node.
  if (direction === 'ingress' && peer.kind === 'node' && allowed !== 'yes') {
    const same: Tri = peer.nodeName && self.nodeName ? (peer.nodeName === self.nodeName ? 'yes' : 'no') : 'unknown';
    const fromItsNode = `the request comes from ${self.name}'s own node (Pods cannot block traffic from their node)`;
    if (same === 'unknown') conditions.add(fromItsNode);
    if (same === 'yes') {
      return {
        direction, enforced: true, isolated: triNot(notIsolated), allowed: 'yes', policies, conditions: [],
        explanation: `${where}: allowed: the source is the Pod's own node, which NetworkPolicy cannot block`,
      };
    }
    allowed = triOr(allowed, same);
    if (ifIsolated && ifIsolated.allowed !== 'yes') ifIsolated = { allowed: triOr(ifIsolated.allowed, same), conditions: [...ifIsolated.conditions, fromItsNode] };
  }
  const what = `${describeSubject(peer)} on ${protocol}/${port}`;
  const isolatedBy = policies.map((p) => p.name).join(', ');
  // The policies of this namespace could not be read (a partial cluster read):
  // what was read cannot say it is allowed, only an allowing rule could.
  const unread = unreadIn(index.model, 'networkpolicies', self.namespace);
  let networkPolicy: DirectionResult;
  if (unread) {
    const ns = self.namespace ?? `${self.name}'s namespace`;
    conditions.add(`the NetworkPolicies in ${ns}, which could not be read (${unread.reason}), allow it`);
    const known = allowed === 'yes' && allowedBy ? allowedBy : undefined;
    networkPolicy = {
      direction,
      enforced: true,
      isolated: 'unknown',
      allowed: known ? 'yes' : 'unknown',
      policies,
      allowedBy: known,
      conditions: known ? [] : [...conditions],
      explanation: known
        ? `${where}: allowed by ${known.policy} ${direction}[${known.ruleIndex}] (the other NetworkPolicies in ${ns} could not be read)`
        : `${where}: unknown: the NetworkPolicies in ${ns} could not be read (${unread.reason})`,
    };
  } else {
    if (notIsolated === 'yes') {
      explanation = `${where}: not isolated (no NetworkPolicy with policyTypes ${direction === 'ingress' ? 'Ingress' : 'Egress'} selects it): allowed by default`;
    } else if (allowed === 'yes' && allowedBy) {
      explanation = `${where}: allowed by ${allowedBy.policy} ${direction}[${allowedBy.ruleIndex}] (${describeRule(
        findPolicy(index, allowedBy.policyId), direction, allowedBy.ruleIndex)})`;
    } else if (allowed === 'yes') {
      explanation = `${where}: allowed whether or not ${isolatedBy} select${policies.length === 1 ? 's' : ''} it (its labels are not known): a rule of each allows ${what}`;
    } else if (allowed === 'no') {
      explanation = `${where}: DENIED: isolated by ${isolatedBy}; no ${direction} rule allows ${what}`;
    } else {
      explanation = `${where}: depends: allowed only if ${[...conditions].join('; or ')}`;
    }
    networkPolicy = {
      direction,
      enforced: true,
      isolated: triNot(notIsolated),
      allowed,
      policies,
      allowedBy: allowed === 'yes' ? allowedBy : undefined,
      conditions: allowed === 'unknown' ? [...conditions] : [],
      explanation,
    };
  }
  return withAdminTiers(index, { direction, self, peer, destination, protocol, port, where }, networkPolicy, ifIsolated);
}

const ADMIN_RESOURCES = ['adminnetworkpolicies', 'clusternetworkpolicies', 'baselineadminnetworkpolicies'];

/**
 * NetworkPolicy's answer with the administrator's tiers around it (./admin.ts);
 * where a live cluster's admin policies could not be read, nothing they could
 * change is certain.
 */
function withAdminTiers(
  index: ModelIndex,
  q: Omit<AdminQuery, 'index'>,
  networkPolicy: DirectionResult,
  ifIsolated?: { allowed: Tri; conditions: string[] },
): DirectionResult {
  const unread = ADMIN_RESOURCES.map((r) => unreadIn(index.model, r, undefined)).find((u) => u !== undefined);
  if (index.model.adminNetworkPolicies.length === 0 && !unread) return networkPolicy;
  let result = networkPolicy;
  if (index.model.adminNetworkPolicies.length > 0) {
    const decided = decideWithAdminTiers(
      { index, ...q },
      {
        isolated: networkPolicy.isolated,
        outcome: { allowed: networkPolicy.allowed, tier: 'NetworkPolicy', conditions: networkPolicy.conditions, explanation: networkPolicy.explanation },
        ...(ifIsolated
          ? {
              ifIsolated: {
                allowed: ifIsolated.allowed,
                tier: 'NetworkPolicy' as const,
                conditions: ifIsolated.allowed === 'unknown' ? ifIsolated.conditions : [],
                explanation: `${q.where}: ${ifIsolated.allowed === 'yes' ? 'allowed by a rule of each policy that may select it' : ifIsolated.allowed === 'no' ? 'DENIED: no rule of the policies that may select it allows it' : `depends: allowed only if ${ifIsolated.conditions.join('; or ')}`}`,
              },
            }
          : {}),
      },
    );
    result = {
      ...networkPolicy,
      allowed: decided.allowed,
      allowedBy: decided.tier === 'NetworkPolicy' && decided.allowed === 'yes' ? networkPolicy.allowedBy : undefined,
      conditions: decided.allowed === 'unknown' ? decided.conditions : [],
      explanation: decided.explanation,
      tier: decided.tier,
      adminRule: decided.adminRule,
    };
  }
  if (!unread) return result;
  // Only the baseline unread: it cannot change what a tier above it decided.
  const onlyBaseline = ADMIN_RESOURCES.every((r) => r === 'baselineadminnetworkpolicies' || !unreadIn(index.model, r, undefined));
  const decidedAbove = result.tier === 'AdminNetworkPolicy' || result.tier === 'NetworkPolicy' || (result.tier === undefined && result.isolated === 'yes');
  if (onlyBaseline && decidedAbove && result.allowed !== 'unknown') return result;
  const what = `the ${unread.resource}, which could not be read (${unread.reason}), ${result.allowed === 'no' ? 'allow it' : 'do not deny it'}`;
  const body = result.explanation.startsWith(`${q.where}: `) ? result.explanation.slice(q.where.length + 2) : result.explanation;
  return {
    ...result,
    allowed: 'unknown',
    allowedBy: undefined,
    conditions: [...(result.allowed === 'unknown' ? result.conditions : []), what],
    explanation: `${q.where}: unknown: ${unread.resource} could not be read (${unread.reason}); of what was read: ${body}`,
  };
}

function findPolicy(index: ModelIndex, id: string): NetworkPolicy | undefined {
  return index.model.networkPolicies.find((p) => p.id === id);
}

/** Whether a policy's podSelector selects the Pod (its namespace already checked); 'unknown' when its labels are not known. */
function selectsPod(sel: LabelSelector, pod: PodSubject): Tri {
  if (isEmptySelector(sel)) return 'yes';
  if (pod.labels === undefined) return 'unknown';
  return selectorMatches(sel, pod.labels) ? 'yes' : 'no';
}

function ruleAllows(
  index: ModelIndex,
  policy: NetworkPolicy,
  rule: PolicyRule,
  peer: PolicySubject,
  destination: PolicySubject,
  protocol: Protocol,
  port: number,
  conditions: Set<string>,
): Tri {
  const ports = portsAllow(rule.ports, destination, protocol, port, conditions);
  if (ports === 'no') return 'no';
  let peers: Tri = rule.peers.length === 0 ? 'yes' : 'no';
  for (const p of rule.peers) {
    peers = triOr(peers, peerMatches(index, policy.namespace, p, peer, conditions));
    if (peers === 'yes') break;
  }
  return triAnd(peers, ports);
}

export function portsAllow(ports: readonly PolicyPort[], destination: PolicySubject, protocol: Protocol, port: number, conditions: Set<string>): Tri {
  if (ports.length === 0) return 'yes';
  let out: Tri = 'no';
  for (const pp of ports) {
    if ((pp.protocol ?? 'TCP') !== protocol) continue;
    if (pp.port === undefined) return 'yes';
    if (typeof pp.port === 'number') {
      const end = pp.endPort !== undefined && pp.endPort >= pp.port ? pp.endPort : pp.port;
      if (port >= pp.port && port <= end) return 'yes';
      continue;
    }
    if (destination.kind !== 'pod') continue;
    if (destination.containers === undefined) {
      conditions.add(`${destination.name}'s port named "${pp.port}" is ${port}`);
      out = 'unknown';
      continue;
    }
    if (resolveNamedPort(pp.port, protocol, destination.containers).includes(port)) return 'yes';
  }
  return out;
}

/** Whether one peer of a rule of a policy in `policyNamespace` matches the subject. */
export function peerMatches(index: ModelIndex, policyNamespace: string, peer: PolicyPeer, subject: PolicySubject, conditions: Set<string>): Tri {
  if (peer.ipBlock) return ipBlockMatches(peer.ipBlock, subject, conditions);
  if (!peer.podSelector && !peer.namespaceSelector) return 'no'; // an empty peer is rejected by the API server
  // Selectors only ever match Pods on the Pod network (not hostNetwork Pods, not addresses).
  if (subject.kind !== 'pod' || subject.hostNetwork) return 'no';
  let ns: Tri;
  if (subject.namespace === undefined) {
    ns = 'unknown';
    conditions.add(
      peer.namespaceSelector
        ? `${subject.name} runs in a namespace matching ${formatSelector(peer.namespaceSelector)}`
        : `${subject.name} runs in namespace ${policyNamespace}`,
    );
  } else if (!peer.namespaceSelector) {
    ns = subject.namespace === policyNamespace ? 'yes' : 'no';
  } else {
    ns = namespaceMatches(index, peer.namespaceSelector, subject.namespace, conditions);
  }
  if (ns === 'no') return 'no';
  let pod: Tri = 'yes';
  if (peer.podSelector && !isEmptySelector(peer.podSelector)) {
    if (subject.labels === undefined) {
      pod = 'unknown';
      conditions.add(`the labels of ${subject.name} match ${formatSelector(peer.podSelector)}`);
    } else pod = selectorMatches(peer.podSelector, subject.labels) ? 'yes' : 'no';
  }
  return triAnd(ns, pod);
}

/**
 * Whether a namespace's labels match. Definite when the model is a cluster,
 * the Namespace object is in the set, or the selector only reads the
 * `kubernetes.io/metadata.name` label every namespace carries.
 */
export function namespaceMatches(index: ModelIndex, sel: LabelSelector, namespace: string, conditions?: Set<string>): Tri {
  if (isEmptySelector(sel)) return 'yes';
  const labels = index.namespaceLabels(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace };
  const verdict = selectorMatches(sel, labels);
  if (index.model.source === 'cluster' || index.isDeclaredNamespace(namespace) || onlyNameLabel(sel)) return verdict ? 'yes' : 'no';
  conditions?.add(`namespace ${namespace} (its Namespace object is not in the set) carries labels matching ${formatSelector(sel)}`);
  return 'unknown';
}

function onlyNameLabel(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).every((k) => k === NAMESPACE_NAME_LABEL) && sel.matchExpressions.every((r) => r.key === NAMESPACE_NAME_LABEL);
}

function ipBlockMatches(block: IPBlock, subject: PolicySubject, conditions: Set<string>): Tri {
  const cidr = parseCidr(block.cidr);
  if (!cidr) return 'no';
  const text = formatIpBlock(block);
  if (subject.kind === 'pod' && subject.hostNetwork) {
    // A hostNetwork Pod sends from its node's address, an ordinary address.
    if (subject.ips.length > 0) return subject.ips.some((ip) => ipBlockContains(block, ip)) ? 'yes' : 'no';
    conditions.add(`the address of ${subject.name}'s node is in ${text}`);
    return 'unknown';
  }
  if (subject.kind === 'pod') {
    // Whether ipBlock applies to Pod addresses at all is up to the network
    // plugin (the Kubernetes documentation leaves it undefined).
    if (subject.ips.length > 0 && !subject.ips.some((ip) => ipBlockContains(block, ip))) return 'no';
    conditions.add(
      subject.ips.length > 0
        ? `the network plugin applies ipBlock ${text} to Pod addresses`
        : `${subject.name}'s Pod address is in ${text} and the network plugin applies ipBlock to Pod addresses`,
    );
    return 'unknown';
  }
  if (subject.ip !== undefined) return ipBlockContains(block, subject.ip) ? 'yes' : 'no';
  if (cidr.family !== subject.family) return 'no';
  if (coversEverything(block)) return 'yes';
  conditions.add(`${subject.name}'s address is in ${text}`);
  return 'unknown';
}

// ---------------------------------------------------------------- descriptions

export function describeSubject(s: PolicySubject): string {
  if (s.kind === 'pod') return s.name;
  return s.ip ? `${s.name} (${s.ip})` : s.name;
}

export function describePeer(peer: PolicyPeer): string {
  if (peer.ipBlock) return `ipBlock ${formatIpBlock(peer.ipBlock)}`;
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaceSelector {${formatSelector(peer.namespaceSelector)}}`);
  if (peer.podSelector) parts.push(`podSelector {${formatSelector(peer.podSelector)}}`);
  return parts.join(' AND ');
}

export function describePorts(ports: readonly PolicyPort[]): string {
  if (ports.length === 0) return 'all ports';
  return ports
    .map((p) => {
      const proto = p.protocol ?? 'TCP';
      if (p.port === undefined) return `${proto}/*`;
      if (p.endPort !== undefined) return `${proto}/${p.port}-${p.endPort}`;
      return `${proto}/${p.port}`;
    })
    .join(', ');
}

export function describeRule(policy: NetworkPolicy | undefined, direction: Direction, ruleIndex: number): string {
  const rule = policy ? (direction === 'ingress' ? policy.ingress : policy.egress)[ruleIndex] : undefined;
  if (!rule) return '?';
  const word = direction === 'ingress' ? 'from' : 'to';
  const peers = rule.peers.length === 0 ? `${word} anywhere` : `${word} ${rule.peers.map(describePeer).join(' OR ')}`;
  return `${peers}, ${describePorts(rule.ports)}`;
}

// ---------------------------------------------------------------- subjects

/** A workload's Pods as one policy subject (manifests: labels and containers, no addresses). */
export function workloadSubject(w: Workload, labels: Labels = w.podLabels): PodSubject {
  const ips: string[] = [];
  for (const p of w.pods) for (const ip of p.ips.length > 0 ? p.ips : p.ip ? [p.ip] : []) ips.push(ip);
  return {
    kind: 'pod',
    name: `${w.namespace}/${w.kind}/${w.name}`,
    namespace: w.namespace,
    labels,
    ips,
    hostNetwork: w.hostNetwork,
    containers: w.containers,
    objectIds: [w.id],
  };
}

export function externalSubject(ip?: string): AddressSubject {
  return { kind: 'external', name: 'an external client', ip, family: ip ? (ipFamily(ip) ?? 4) : 4, objectIds: [] };
}
