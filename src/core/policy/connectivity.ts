// Which ports NetworkPolicies allow between every ordered pair of workloads,
// from an external client, and from each workload to the world outside
// ("external": an address not known in advance; and each address range an
// egress ipBlock names, as its own destination), with the semantics of ./evaluate.
//
// Built for thousands of workloads and hundreds of policies:
// - per policy, the workloads it selects come from the ModelIndex's inverted
//   label index (never policy x workload);
// - per policy peer, the workloads it matches likewise (its namespaces, then
//   the podSelector within each);
// - workloads that look the same to every policy (the same selecting policies,
//   the same matched peers, the same named ports) form one class, and each
//   (source class, destination class) pair is computed once.
// Nothing of size workloads x workloads is held: rows (one source class
// against every destination class, as interned answer ids) are computed one at
// a time and kept in a cache of bounded size.
// The answer for a pair is the ports allowed for certain and, only where the set
// cannot decide (namespace labels not in the set, an ipBlock against Pods or an
// unknown client address, the network plugin's reading of hostNetwork Pods),
// clauses "these ports if these conditions hold" (./guarded-ports).
import { isEmptySelector } from '../model/selectors';
import { uniqueWorkloads, type ModelIndex } from '../model/model-index';
import type { Container, IPBlock, NetworkModel, NetworkPolicy, PolicyPeer, PolicyRule, Workload } from '../model/types';
import { cidrWithin, coversEverything, formatIpBlock, ipBlockMatcher, parseCidr, parseIp, type Cidr, type ParsedIp } from './ip';
import { namespaceMatches } from './evaluate';
import { PortSet, rulePorts } from './ports';
import { GuardedPorts, type PortClause } from './guarded-ports';
import type { Tri } from './tri';
import { adminTiers, type AdminProfile, type AdminTiers, type NetworkPolicyAllow, type TierDecision } from './connectivity-admin';
import { externalSubject } from './evaluate';

export interface ConnectivityEntry {
  /** "NS/KIND/NAME", "external", or a group id ("G1") in grouped output. */
  from: string;
  /** "NS/KIND/NAME", a group id ("G1") in grouped output, "external" or an address range ("10.0.0.0/8") outside the cluster. */
  to: string;
  /** Allowed for certain: "all", or ports like "TCP/8080", "TCP/32000-32768", "UDP/*" (every UDP port); [] none. */
  allowed: 'all' | string[];
  /**
   * More ports, each set allowed if all its conditions hold (absent when the
   * set decides everything). Alternatives: a port is allowed when one of the
   * clauses holding it holds; ports already `allowed` are not repeated.
   */
  conditional?: ConditionalPorts[];
  /**
   * With admin network policies in the set: the admin rules that decided some
   * of the ports, per direction (absent where NetworkPolicy or the default
   * decided every port).
   */
  decidedBy?: TierDecision[];
}

/** "ports if every condition of `if` holds". */
export interface ConditionalPorts {
  ports: 'all' | string[];
  if: string[];
}

export interface ConnectivityStats {
  workloads: number;
  policies: number;
  classes: number;
  /** Class pairs computed so far (a pair computed again after its row left the cache counts again). */
  classPairs: number;
  /** Distinct answers met so far. */
  answers: number;
}

/** Workloads with the same answers against everyone, in both directions. */
export interface ConnectivityGroup {
  /** "G1", "G2", … in the order of their first member; never a workload key, "external" or an address. */
  id: string;
  /** "NS/KIND/NAME", in model order. */
  members: string[];
}

export interface GroupedConnectivity {
  /** Every workload is in exactly one group. */
  readonly groups: readonly ConnectivityGroup[];
  groupOf(workload: string): ConnectivityGroup | undefined;
  /**
   * External to each group, then each group to each group (itself included)
   * and to each external destination, with group ids as from/to: the answer
   * for every member of `from` to every member of `to`.
   */
  connections(): Generator<ConnectivityEntry>;
}

export interface ConnectivityMatrix {
  /** The workloads, deduplicated by namespace/kind/name, in model order. */
  readonly workloads: readonly Workload[];
  /** The destinations outside the cluster: "external", then each address range egress ipBlocks name (their cidr and except blocks), in model order. */
  readonly externalDestinations: readonly string[];
  /** Every ordered pair: external first as a source, then each workload to each workload (itself included) and to each external destination; computed row by row. */
  entries(): Generator<ConnectivityEntry>;
  /** From one workload (or "external") to each workload (and, from a workload, to each external destination); nothing when unknown. */
  from(from: string): Generator<ConnectivityEntry>;
  /** From external and each workload to one workload, or from each workload to one external destination; nothing when unknown. */
  to(to: string): Generator<ConnectivityEntry>;
  /** The workloads grouped by identical answers (computes every class pair once). */
  grouped(): GroupedConnectivity;
  /** One pair by "NS/KIND/NAME" ("external" as the source; "external" or a range of externalDestinations as the destination of a workload); undefined when either is unknown. */
  between(from: string, to: string): ConnectivityEntry | undefined;
  stats(): ConnectivityStats;
}

export const EXTERNAL = 'external';

interface PeerRef {
  policy: NetworkPolicy;
  rule: PolicyRule;
  peer: PolicyPeer;
  id: number;
}

interface Member {
  /** Peer ids matched for certain. */
  yes: Set<number>;
  /** Peer id -> condition under which it matches. */
  unknown: Map<number, string>;
  /**
   * Pods whose addresses the set does not give match every ipBlock peer under
   * the same condition: one map shared by all of them (ipBlock peer id ->
   * condition) instead of an entry per workload and peer.
   */
  podAddressUnknown?: ReadonlyMap<number, string>;
}

interface ClassInfo {
  /** A source's row; a destination's column (external destinations: after the workload classes). */
  index: number;
  hostNetwork: boolean;
  isPod: boolean;
  ingress: NetworkPolicy[];
  egress: NetworkPolicy[];
  member: Member;
  /**
   * A hostNetwork workload as the plugins that match hostNetwork Pods as Pods
   * see it (`member` is as most plugins see it: its node's traffic, no Pod selector matches).
   */
  memberAsPod?: Member;
  containers: readonly Container[];
  /**
   * Live Pods of the workload whose containers name ports differently (a
   * rollout half done): each set of Pods with its containers; absent when they
   * all agree (or there are none), and `containers` then resolves named ports.
   */
  podVariants?: PodVariant[];
  /** How the admin policies see it (with admin policies in the set). */
  admin?: AdminProfile;
}

interface PodVariant {
  containers: readonly Container[];
  /** "the destination Pod is a or b (there "http" is TCP/8080)". */
  condition: string;
}

interface PairResult {
  ports: GuardedPorts;
  decidedBy?: TierDecision[];
}

export function connectivityMatrix(model: NetworkModel, index: ModelIndex): ConnectivityMatrix {
  const workloads = uniqueWorkloads(model.workloads);
  const admin = adminTiers(index);
  const peerIds = new Map<PolicyPeer, number>();
  const peers: PeerRef[] = [];
  for (const policy of model.networkPolicies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers) {
        peerIds.set(peer, peers.length);
        peers.push({ policy, rule, peer, id: peers.length });
      }
    }
  }

  // Selection: policy -> workloads (via the inverted index).
  const ingressOf = new Map<string, NetworkPolicy[]>();
  const egressOf = new Map<string, NetworkPolicy[]>();
  for (const p of model.networkPolicies) {
    for (const w of index.workloadsSelectedBy(p.namespace, p.podSelector)) {
      if (p.policyTypes.includes('Ingress')) push(ingressOf, w.id, p);
      if (p.policyTypes.includes('Egress')) push(egressOf, w.id, p);
    }
  }

  // Membership: peer -> workloads it matches.
  const members = new Map<string, Member>();
  const memberOf = (w: Workload): Member => {
    let m = members.get(w.id);
    if (!m) {
      m = { yes: new Set(), unknown: new Map() };
      members.set(w.id, m);
    }
    return m;
  };
  const asPodMembers = new Map<string, Member>();
  const asPodMemberOf = (w: Workload): Member => {
    let m = asPodMembers.get(w.id);
    if (!m) asPodMembers.set(w.id, (m = { yes: new Set(), unknown: new Map() }));
    return m;
  };
  const namespaces = index.knownNamespaces();
  const ipPeers: PeerRef[] = [];
  for (const ref of peers) {
    const { peer, policy } = ref;
    if (peer.ipBlock) {
      ipPeers.push(ref);
      continue;
    }
    if (!peer.podSelector && !peer.namespaceSelector) continue;
    const nsVerdicts: [string, Tri, string | undefined][] = [];
    if (!peer.namespaceSelector) nsVerdicts.push([policy.namespace, 'yes', undefined]);
    else {
      for (const ns of namespaces) {
        const conds = new Set<string>();
        const t = namespaceMatches(index, peer.namespaceSelector, ns, conds);
        if (t !== 'no') nsVerdicts.push([ns, t, [...conds][0]]);
      }
    }
    const podSel = peer.podSelector ?? { matchLabels: {}, matchExpressions: [] };
    for (const [ns, t, cond] of nsVerdicts) {
      for (const w of isEmptySelector(podSel) ? index.workloadsIn(ns) : index.workloadsSelectedBy(ns, podSel)) {
        const m = w.hostNetwork ? asPodMemberOf(w) : memberOf(w);
        if (t === 'yes') m.yes.add(ref.id);
        else m.unknown.set(ref.id, cond ?? 'an open condition');
      }
    }
  }
  // Parsed and written once per peer, not once per workload.
  const validIpPeers = ipPeers
    .filter((ref) => parseCidr(ref.peer.ipBlock!.cidr))
    .map((ref) => {
      const block = ref.peer.ipBlock!;
      const text = formatIpBlock(block);
      return { ref, text, contains: ipBlockMatcher(block), podCondition: `the network plugin applies ipBlock ${text} to Pod addresses` };
    });
  const podAddressUnknown = new Map(validIpPeers.map((p) => [p.ref.id, p.podCondition]));
  for (const w of workloads) {
    const ips = podIps(w);
    // A hostNetwork workload: as its node (ordinary addresses), and as a Pod for the plugins that see it so.
    const asPod = w.hostNetwork ? asPodMemberOf(w) : memberOf(w);
    if (ips.length === 0 && validIpPeers.length > 0) asPod.podAddressUnknown = podAddressUnknown;
    const parsed = ips.map(parseIp).filter((ip): ip is ParsedIp => ip !== undefined);
    for (const { ref, text, contains, podCondition } of validIpPeers) {
      const inBlock = parsed.some(contains);
      if (w.hostNetwork) {
        if (ips.length > 0) {
          if (inBlock) memberOf(w).yes.add(ref.id);
        } else memberOf(w).unknown.set(ref.id, `the node address of ${key(w)} is in ${text}`);
      }
      if (ips.length === 0 || !inBlock) continue;
      asPod.unknown.set(ref.id, podCondition);
    }
  }
  // The external client: an IPv4 address not otherwise known.
  const external: Member = { yes: new Set(), unknown: new Map() };
  for (const ref of ipPeers) {
    const block = ref.peer.ipBlock!;
    const c = parseCidr(block.cidr);
    if (!c || c.family !== 4) continue;
    if (coversEverything(block)) external.yes.add(ref.id);
    else external.unknown.set(ref.id, `the client address is in ${formatIpBlock(block)}`);
  }

  // Destinations outside the cluster: an address not known in advance, and each range an egress ipBlock names.
  const externalDestination: Member = { yes: new Set(), unknown: new Map() };
  for (const ref of ipPeers) {
    const block = ref.peer.ipBlock!;
    const c = parseCidr(block.cidr);
    if (!c || c.family !== 4) continue;
    if (coversEverything(block)) externalDestination.yes.add(ref.id);
    else externalDestination.unknown.set(ref.id, `the destination address is in ${formatIpBlock(block)}`);
  }
  const rangeNames: string[] = [];
  for (const p of model.networkPolicies) {
    for (const rule of p.egress) {
      for (const peer of rule.peers) {
        if (!peer.ipBlock) continue;
        for (const text of [peer.ipBlock.cidr, ...peer.ipBlock.except]) {
          const t = text.trim();
          if (parseCidr(t) && !rangeNames.includes(t)) rangeNames.push(t);
        }
      }
    }
  }
  const externalMembers: [string, Member][] = [[EXTERNAL, externalDestination]];
  for (const name of rangeNames) {
    const range = parseCidr(name)!;
    const m: Member = { yes: new Set(), unknown: new Map() };
    for (const ref of ipPeers) {
      const t = rangeInBlock(range, ref.peer.ipBlock!);
      if (t === 'yes') m.yes.add(ref.id);
      else if (t === 'unknown') m.unknown.set(ref.id, `the destination address in ${name} is in ${formatIpBlock(ref.peer.ipBlock!)}`);
    }
    externalMembers.push([name, m]);
  }

  // Classes.
  const classes: ClassInfo[] = [];
  const classBySig = new Map<string, ClassInfo>();
  const classOf = new Map<string, ClassInfo>();
  const emptyMember: Member = { yes: new Set(), unknown: new Map() };
  // Conditions by number in the signature: they are long and shared by many workloads.
  const conditionIds = new Map<string, number>();
  const conditionId = (c: string) => {
    let id = conditionIds.get(c);
    if (id === undefined) conditionIds.set(c, (id = conditionIds.size));
    return id;
  };
  for (const w of workloads) {
    const ingress = ingressOf.get(w.id) ?? [];
    const egress = egressOf.get(w.id) ?? [];
    const member = members.get(w.id) ?? emptyMember;
    const memberAsPod = w.hostNetwork ? (asPodMembers.get(w.id) ?? emptyMember) : undefined;
    const adminProfile = admin?.profileOfWorkload(w);
    const variants = podVariants(w);
    const sig = [
      adminProfile ? `a${adminProfile.id}` : '',
      w.hostNetwork ? 'h' : 'p',
      ingress.map((p) => p.id).join(','),
      egress.map((p) => p.id).join(','),
      [...member.yes].sort((a, b) => a - b).join(','),
      [...member.unknown].sort((a, b) => a[0] - b[0]).map(([id, c]) => `${id}:${conditionId(c)}`).join(','),
      member.podAddressUnknown ? 'ip?' : '',
      memberAsPod ? memberSignature(memberAsPod, conditionId) : '',
      namedPortsSignature(w.containers),
      variants ? variants.map((v) => v.condition).join('\u0000') : '',
    ].join('|');
    let c = classBySig.get(sig);
    if (!c) {
      c = { index: classes.length, hostNetwork: w.hostNetwork, isPod: true, ingress, egress, member, memberAsPod, containers: w.containers, admin: adminProfile, ...(variants ? { podVariants: variants } : {}) };
      classes.push(c);
      classBySig.set(sig, c);
    }
    classOf.set(key(w), c);
  }
  const externalClass: ClassInfo = {
    index: classes.length,
    hostNetwork: false,
    isPod: false,
    ingress: [],
    egress: [],
    member: external,
    containers: [],
    admin: admin?.profileOf(externalSubject()),
  };
  // Destinations only: their columns follow the workload classes'.
  const externalDestinations: ClassInfo[] = externalMembers.map(([name, member], e) => ({
    index: classes.length + e,
    hostNetwork: false,
    isPod: false,
    ingress: [],
    egress: [],
    member,
    containers: [],
    admin: admin?.profileOf(
      name === EXTERNAL
        ? { ...externalSubject(), name: 'the destination' }
        : { ...externalSubject(), name: 'the destination', family: parseCidr(name)!.family, range: name },
    ),
  }));
  const externalNames = externalMembers.map(([name]) => name);

  // Answers are interned: a row is an Int32Array of answer ids, one per
  // destination class, computed for one source class at a time. Rows are kept
  // in a cache of bounded size (every row when the classes are few, as usual),
  // so memory stays bounded however many workloads and classes there are.
  const answers = new AnswerTable();
  const allClasses = [...classes, externalClass];
  let pairsComputed = 0;
  const computeAnswer = (s: ClassInfo, d: ClassInfo): number => {
    pairsComputed++;
    return answers.intern(computePair(s, d, peerIds, admin));
  };
  const width = classes.length + externalDestinations.length;
  const rows = new RowCache(width, (s) => {
    const row = new Int32Array(width).fill(-1);
    for (let j = 0; j < classes.length; j++) row[j] = computeAnswer(s, classes[j]);
    // Outside to outside is no connection of the cluster's.
    if (s.isPod) for (const d of externalDestinations) row[d.index] = computeAnswer(s, d);
    return row;
  }, allClasses);
  const answerId = (s: ClassInfo, d: ClassInfo): number => rows.get(s.index)[d.index];
  /** One pair: from the cached row, else computed alone (a column walk must not compute whole rows). */
  const pairAnswer = (s: ClassInfo, d: ClassInfo): number => {
    const cached = rows.peek(s.index);
    return cached ? cached[d.index] : computeAnswer(s, d);
  };
  /** Answers of `between` from a class to a destination outside the cluster, by class × destination. */
  const outsideAnswers = new Map<number, number>();
  const toEntry = (from: string, to: string, id: number): ConnectivityEntry => {
    const a = answers.get(id);
    return entryOf(from, to, a);
  };
  const keys = workloads.map(key);
  const classList = keys.map((k) => classOf.get(k)!);
  const sourceClass = (from: string) => (from === EXTERNAL ? externalClass : classOf.get(from));
  const outsideClass = (to: string) => {
    const e = externalNames.indexOf(to);
    return e < 0 ? undefined : externalDestinations[e];
  };

  return {
    workloads,
    externalDestinations: externalNames,
    *entries() {
      for (let i = -1; i < keys.length; i++) {
        const from = i < 0 ? EXTERNAL : keys[i];
        const row = rows.get(i < 0 ? externalClass.index : classList[i].index);
        for (let j = 0; j < keys.length; j++) yield toEntry(from, keys[j], row[classList[j].index]);
        if (i >= 0) for (let e = 0; e < externalNames.length; e++) yield toEntry(from, externalNames[e], row[externalDestinations[e].index]);
      }
    },
    *from(from: string) {
      const sc = sourceClass(from);
      if (!sc) return;
      const row = rows.get(sc.index);
      for (let j = 0; j < keys.length; j++) yield toEntry(from, keys[j], row[classList[j].index]);
      if (sc.isPod) for (let e = 0; e < externalNames.length; e++) yield toEntry(from, externalNames[e], row[externalDestinations[e].index]);
    },
    *to(to: string) {
      const ext = outsideClass(to);
      if (ext) {
        for (let i = 0; i < keys.length; i++) yield toEntry(keys[i], to, pairAnswer(classList[i], ext));
        return;
      }
      const dc = classOf.get(to);
      if (!dc) return;
      // One answer per source class (not a whole row each): O(classes) memory.
      const bySource = new Map<number, number>();
      const at = (sc: ClassInfo) => {
        let id = bySource.get(sc.index) ?? rows.peek(sc.index)?.[dc.index];
        if (id === undefined) {
          id = computeAnswer(sc, dc);
          bySource.set(sc.index, id);
        }
        return id;
      };
      yield toEntry(EXTERNAL, to, at(externalClass));
      for (let i = 0; i < keys.length; i++) yield toEntry(keys[i], to, at(classList[i]));
    },
    between(from: string, to: string) {
      const sc = sourceClass(from);
      const outside = sc?.isPod ? outsideClass(to) : undefined;
      const dc = classOf.get(to) ?? outside;
      if (!sc || !dc) return undefined;
      if (!outside) return toEntry(from, to, pairAnswer(sc, dc));
      // Workloads of one class share their answers to the world outside (the inspector asks per workload): kept, few of them.
      const k = sc.index * externalDestinations.length + (dc.index - classes.length);
      let id = outsideAnswers.get(k);
      if (id === undefined) outsideAnswers.set(k, (id = pairAnswer(sc, dc)));
      return toEntry(from, to, id);
    },
    grouped() {
      return groupClasses(classes, externalClass, { classes: externalDestinations, names: externalNames }, classList, keys, { row: answerId, pair: pairAnswer, answer: (id) => answers.get(id) });
    },
    stats() {
      return { workloads: workloads.length, policies: model.networkPolicies.length, classes: classes.length, classPairs: pairsComputed, answers: answers.size };
    },
  };
}

type Answer = Pick<ConnectivityEntry, 'allowed' | 'conditional' | 'decidedBy'>;

function entryOf(from: string, to: string, a: Answer): ConnectivityEntry {
  const e: ConnectivityEntry = { from, to, allowed: a.allowed };
  if (a.conditional) e.conditional = a.conditional;
  if (a.decidedBy) e.decidedBy = a.decidedBy;
  return e;
}

/** Distinct answers, each once, by id. */
class AnswerTable {
  private readonly ids = new Map<string, number>();
  private readonly list: Answer[] = [];

  get size(): number {
    return this.list.length;
  }

  intern(r: PairResult): number {
    const a: Answer = { allowed: portsOf(r.ports.allowed) };
    if (r.ports.clauses.length > 0) a.conditional = r.ports.clauses.map((c) => ({ ports: portsOf(c.ports), if: [...c.when] }));
    if (r.decidedBy && r.decidedBy.length > 0) a.decidedBy = r.decidedBy;
    const k = JSON.stringify(a);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(a);
      this.ids.set(k, id);
    }
    return id;
  }

  get(id: number): Answer {
    return this.list[id];
  }
}

function portsOf(set: PortSet): 'all' | string[] {
  return set.isAll() ? 'all' : set.format();
}

/** Every port the entry allows, for certain or under some condition. */
export function possiblePorts(e: Pick<ConnectivityEntry, 'allowed' | 'conditional'>): PortSet {
  const out = PortSet.parse(e.allowed);
  for (const c of e.conditional ?? []) out.addAll(PortSet.parse(c.ports));
  return out;
}

/** At most this many answer ids held in cached rows (4 bytes each). */
const ROW_CACHE_CELLS = 1 << 22;

/** Rows by source class index, least recently used dropped first beyond ROW_CACHE_CELLS. */
class RowCache {
  private readonly rows = new Map<number, Int32Array>();
  private readonly capacity: number;
  private lastIndex = -1;
  private lastRow: Int32Array | undefined;

  constructor(
    width: number,
    private readonly compute: (s: ClassInfo) => Int32Array,
    private readonly classes: readonly ClassInfo[],
  ) {
    this.capacity = Math.max(2, Math.floor(ROW_CACHE_CELLS / Math.max(1, width)));
  }

  get(sourceIndex: number): Int32Array {
    // Most calls ask for the row just asked for (a row is walked cell by cell).
    if (sourceIndex === this.lastIndex) return this.lastRow!;
    let row = this.rows.get(sourceIndex);
    if (row) {
      this.rows.delete(sourceIndex);
      this.rows.set(sourceIndex, row);
      this.lastIndex = sourceIndex;
      this.lastRow = row;
      return row;
    }
    row = this.compute(this.classes[sourceIndex]);
    if (this.rows.size >= this.capacity) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(sourceIndex, row);
    this.lastIndex = sourceIndex;
    this.lastRow = row;
    return row;
  }

  /** The row if cached, without computing it. */
  peek(sourceIndex: number): Int32Array | undefined {
    return this.rows.get(sourceIndex);
  }
}

/**
 * Workloads whose answers are the same as source and as destination against
 * everyone (external included) form one group: the group table then gives
 * every pair's answer, a group to itself included. Classes (same selecting
 * policies, same matched peers) are already alike; classes with equal rows and
 * columns are merged. Rows and columns are hashed in one pass over the rows,
 * then candidates of equal hashes compared exactly, so a hash collision never
 * merges two that differ.
 */
function groupClasses(
  classes: readonly ClassInfo[],
  external: ClassInfo,
  outside: { classes: readonly ClassInfo[]; names: readonly string[] },
  classList: readonly ClassInfo[],
  keys: readonly string[],
  lookup: {
    /** A pair through its source's whole row (cached). */
    row: (s: ClassInfo, d: ClassInfo) => number;
    /** A pair alone when its row is not cached. */
    pair: (s: ClassInfo, d: ClassInfo) => number;
    answer: (id: number) => Answer;
  },
): GroupedConnectivity {
  const { row: answerId, pair: pairAnswer, answer } = lookup;
  const k = classes.length;
  const rowHash = new Int32Array(k);
  const colHash = new Int32Array(k).fill(0x811c9dc5 | 0);
  const mixCol = (d: number, id: number) => {
    colHash[d] = Math.imul(colHash[d] ^ id, 0x01000193);
  };
  for (let j = 0; j < k; j++) mixCol(j, answerId(external, classes[j]));
  for (let i = 0; i < k; i++) {
    let h = 0x811c9dc5 | 0;
    for (let j = 0; j < k; j++) {
      const id = answerId(classes[i], classes[j]);
      h = Math.imul(h ^ id, 0x01000193);
      mixCol(j, id);
    }
    for (const d of outside.classes) h = Math.imul(h ^ answerId(classes[i], d), 0x01000193);
    rowHash[i] = h;
  }
  const same = (a: ClassInfo, b: ClassInfo): boolean => {
    if (answerId(external, a) !== answerId(external, b)) return false;
    for (const d of outside.classes) if (answerId(a, d) !== answerId(b, d)) return false;
    for (const c of classes) {
      if (answerId(a, c) !== answerId(b, c)) return false;
      if (pairAnswer(c, a) !== pairAnswer(c, b)) return false;
    }
    return true;
  };
  // Class -> its group's representative class.
  const groupOfClass = new Int32Array(k);
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < k; i++) {
    const b = `${rowHash[i]}:${colHash[i]}`;
    const reps = buckets.get(b);
    const rep = reps?.find((r) => same(classes[r], classes[i]));
    if (rep !== undefined) groupOfClass[i] = rep;
    else {
      groupOfClass[i] = i;
      if (reps) reps.push(i);
      else buckets.set(b, [i]);
    }
  }
  // Groups numbered in the order of their first member (model order).
  const groupIndexOfRep = new Map<number, number>();
  const groups: ConnectivityGroup[] = [];
  const reps: ClassInfo[] = [];
  for (let w = 0; w < keys.length; w++) {
    const rep = groupOfClass[classList[w].index];
    let g = groupIndexOfRep.get(rep);
    if (g === undefined) {
      g = groups.length;
      groupIndexOfRep.set(rep, g);
      groups.push({ id: `G${g + 1}`, members: [] });
      reps.push(classes[rep]);
    }
    groups[g].members.push(keys[w]);
  }
  const groupOf = new Map<string, ConnectivityGroup>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g);
  return {
    groups,
    groupOf: (workload) => groupOf.get(workload),
    *connections() {
      for (let i = -1; i < reps.length; i++) {
        const s = i < 0 ? external : reps[i];
        const from = i < 0 ? EXTERNAL : groups[i].id;
        for (let j = 0; j < reps.length; j++) {
          const a = answer(answerId(s, reps[j]));
          yield entryOf(from, groups[j].id, a);
        }
        if (i < 0) continue;
        for (let e = 0; e < outside.classes.length; e++) {
          const a = answer(answerId(s, outside.classes[e]));
          yield entryOf(from, outside.names[e], a);
        }
      }
    },
  };
}

function computePair(s: ClassInfo, d: ClassInfo, peerIds: Map<PolicyPeer, number>, admin: AdminTiers | undefined): PairResult {
  if (!d.podVariants) return computePairOn(s, d, d.containers, peerIds, admin);
  // Named ports resolve per destination Pod: each set of Pods answers under "the destination is one of them";
  // what all of them allow is certain. What decided is named once, with the ports it decided on any of them.
  const answers = d.podVariants.map((v) => ({ v, r: computePairOn(s, d, v.containers, peerIds, admin) }));
  let certain = answers[0].r.ports.allowed;
  for (const { r } of answers) certain = certain.intersect(r.ports.allowed);
  const clauses = answers.flatMap(({ v, r }) => r.ports.given(v.condition).clauses);
  const decided = new Map<string, { t: TierDecision; ports: PortSet }>();
  for (const { r } of answers) {
    for (const t of r.decidedBy ?? []) {
      const k = `${t.direction}|${t.tier}|${t.policy}|${t.rule ?? ''}|${t.action}`;
      const at = decided.get(k);
      if (at) at.ports.addAll(PortSet.parse(t.ports));
      else decided.set(k, { t, ports: PortSet.parse(t.ports) });
    }
  }
  const decidedBy = [...decided.values()].map(({ t, ports }) => ({ ...t, ports: portsOf(ports) }));
  return { ports: new GuardedPorts(certain, clauses).normalized(), ...(decidedBy.length > 0 ? { decidedBy } : {}) };
}

function computePairOn(s: ClassInfo, d: ClassInfo, destinationContainers: readonly Container[], peerIds: Map<PolicyPeer, number>, admin: AdminTiers | undefined): PairResult {
  // With admin tiers the NetworkPolicy rules that allow are named too: collected only then.
  const ingressRules: NetworkPolicyAllow[] | undefined = admin ? [] : undefined;
  const egressRules: NetworkPolicyAllow[] | undefined = admin ? [] : undefined;
  let ingress = governedSide(d, d.ingress, 'ingress', s, destinationContainers, peerIds, ingressRules);
  let egress = !s.isPod ? GuardedPorts.certain(PortSet.all()) : governedSide(s, s.egress, 'egress', d, destinationContainers, peerIds, egressRules);
  let decidedBy: TierDecision[] | undefined;
  if (admin && s.admin && d.admin) {
    // The admin tiers decide around NetworkPolicy (./connectivity-admin.ts); hostNetwork Pods and addresses are no subject of theirs.
    const destination = { profile: d.admin, containers: d.isPod ? destinationContainers : undefined };
    const out: TierDecision[] = [];
    if (s.isPod && !s.hostNetwork) {
      const r = admin.decide('egress', { profile: s.admin }, { profile: d.admin }, destination, { ports: egress, isolated: s.egress.length > 0, isolatedBy: s.egress.map(policyName), rules: egressRules! });
      egress = r.ports;
      out.push(...r.decidedBy);
    }
    if (d.isPod && !d.hostNetwork) {
      const r = admin.decide('ingress', { profile: d.admin }, { profile: s.admin }, destination, { ports: ingress, isolated: d.ingress.length > 0, isolatedBy: d.ingress.map(policyName), rules: ingressRules! });
      ingress = r.ports;
      out.push(...r.decidedBy);
    }
    if (out.length > 0) decidedBy = out;
  }
  return { ports: egress.and(ingress), ...(decidedBy ? { decidedBy } : {}) };
}

// The network plugin's part for hostNetwork Pods, as the evaluator words it (./evaluate.ts).
const PLUGIN_SKIPS_HOST_NETWORK = 'the network plugin does not apply NetworkPolicy to hostNetwork Pods (most do not)';
const PLUGIN_SEES_NODE = "the network plugin sees a hostNetwork Pod's traffic as its node's, so Pod selectors do not match it (most do)";
const PLUGIN_SEES_POD = 'the network plugin tells hostNetwork Pods from their node and matches them as Pods';

/**
 * One direction at `self` (a Pod class) toward `peer`. A hostNetwork `self` is
 * allowed everything by the plugins that do not govern it (most): only what
 * its policies allow is certain. A hostNetwork `peer` is matched as its node
 * and as a Pod: certain where both readings allow.
 */
function governedSide(
  self: ClassInfo,
  policies: NetworkPolicy[],
  direction: 'ingress' | 'egress',
  peer: ClassInfo,
  destinationContainers: readonly Container[],
  peerIds: Map<PolicyPeer, number>,
  /** Filled with the rules that allow for certain (as the peer's ordinary reading sees it). */
  rules?: NetworkPolicyAllow[],
): GuardedPorts {
  let out = side(policies, direction, peer.member, destinationContainers, peerIds, rules);
  if (peer.memberAsPod) {
    // Certain where both readings allow; elsewhere under the reading that allows it.
    const asPod = side(policies, direction, peer.memberAsPod, destinationContainers, peerIds);
    const both = out.allowed.intersect(asPod.allowed);
    out = new GuardedPorts(both, [...out.given(PLUGIN_SEES_NODE).clauses, ...asPod.given(PLUGIN_SEES_POD).clauses]).normalized();
  }
  if (!self.hostNetwork) return out;
  return new GuardedPorts(out.allowed, [...out.clauses, { ports: PortSet.all(), when: [PLUGIN_SKIPS_HOST_NETWORK] }]).normalized();
}

function policyName(p: NetworkPolicy): string {
  return `${p.namespace}/${p.name}`;
}

function memberSignature(m: Member, conditionId: (c: string) => number): string {
  return [
    [...m.yes].sort((a, b) => a - b).join(','),
    [...m.unknown].sort((a, b) => a[0] - b[0]).map(([id, c]) => `${id}:${conditionId(c)}`).join(','),
    m.podAddressUnknown ? 'ip?' : '',
  ].join(';');
}

/** One direction at one Pod class: ports allowed toward/from a peer with `member`ship. */
function side(
  policies: NetworkPolicy[],
  direction: 'ingress' | 'egress',
  member: Member,
  destinationContainers: readonly Container[],
  peerIds: Map<PolicyPeer, number>,
  rules?: NetworkPolicyAllow[],
): GuardedPorts {
  if (policies.length === 0) return GuardedPorts.certain(PortSet.all());
  const allowed = PortSet.none();
  const clauses: PortClause[] = [];
  for (const p of policies) {
    const list = direction === 'ingress' ? p.ingress : p.egress;
    for (let ruleIndex = 0; ruleIndex < list.length; ruleIndex++) {
      const rule = list[ruleIndex];
      let t: Tri = rule.peers.length === 0 ? 'yes' : 'no';
      const conds: string[] = [];
      for (const peer of rule.peers) {
        const id = peerIds.get(peer)!;
        if (member.yes.has(id)) {
          t = 'yes';
          break;
        }
        const c = member.unknown.get(id) ?? member.podAddressUnknown?.get(id);
        if (c !== undefined) {
          t = 'unknown';
          conds.push(c);
        }
      }
      if (t === 'no') continue;
      const ports = rulePorts(rule.ports, destinationContainers);
      if (t === 'yes') {
        allowed.addAll(ports);
        if (rules && !ports.isEmpty()) rules.push({ policy: p, ruleIndex, ports });
      }
      // The rule's peers are alternatives: one clause each.
      else for (const c of conds) clauses.push({ ports, when: [c] });
    }
  }
  return new GuardedPorts(allowed, clauses).normalized();
}

/**
 * Whether every address of `range` is in the ipBlock (yes), none is (no), or
 * some are (unknown). CIDR blocks are nested or disjoint.
 */
function rangeInBlock(range: Cidr, block: IPBlock): Tri {
  const cidr = parseCidr(block.cidr);
  if (!cidr || cidr.family !== range.family) return 'no';
  if (!cidrWithin(range, cidr)) return cidrWithin(cidr, range) ? 'unknown' : 'no';
  let out: Tri = 'yes';
  for (const text of block.except) {
    const x = parseCidr(text);
    if (!x || x.family !== range.family) continue;
    if (cidrWithin(range, x)) return 'no';
    if (cidrWithin(x, range)) out = 'unknown';
  }
  return out;
}

/**
 * The workload's live Pods grouped by the ports their containers name, when
 * they differ; the condition names the Pods and what the names resolve to
 * there (only the names that differ).
 */
function podVariants(w: Workload): PodVariant[] | undefined {
  const bySignature = new Map<string, { containers: readonly Container[]; pods: string[] }>();
  for (const p of w.pods) {
    if (p.containers.length === 0) continue;
    const sig = namedPortsSignature(p.containers);
    const at = bySignature.get(sig);
    if (at) at.pods.push(p.name);
    else bySignature.set(sig, { containers: p.containers, pods: [p.name] });
  }
  if (bySignature.size < 2) return undefined;
  const groups = [...bySignature.values()];
  const named = (c: readonly Container[]) => {
    const out = new Map<string, string[]>();
    for (const x of c) for (const port of x.ports) if (port.name) out.set(port.name, [...(out.get(port.name) ?? []), `${port.protocol}/${port.containerPort}`]);
    return out;
  };
  const maps = groups.map((g) => named(g.containers));
  const names = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
  const differing = names.filter((n) => new Set(maps.map((m) => (m.get(n) ?? []).join(','))).size > 1);
  return groups.map((g, i) => {
    const where = differing.map((n) => `"${n}" is ${maps[i].get(n)?.join(', ') ?? 'not declared'}`).join(', ');
    const pods = [...g.pods].sort();
    return { containers: g.containers, condition: `the destination Pod is ${pods.join(' or ')} (there ${where})` };
  });
}

function namedPortsSignature(containers: readonly Container[]): string {
  const parts: string[] = [];
  for (const c of containers) for (const p of c.ports) if (p.name) parts.push(`${p.name}/${p.protocol}=${p.containerPort}`);
  return parts.sort().join(',');
}

function podIps(w: Workload): string[] {
  const out: string[] = [];
  for (const p of w.pods) for (const ip of p.ips.length > 0 ? p.ips : p.ip ? [p.ip] : []) out.push(ip);
  return out;
}

export function workloadKey(w: Workload): string {
  return `${w.namespace}/${w.kind}/${w.name}`;
}
const key = workloadKey;

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
