// Which ports NetworkPolicies allow between every ordered pair of workloads
// (and from an external client), with the semantics of ./evaluate.
//
// Built for thousands of workloads and hundreds of policies:
// - per policy, the workloads it selects come from the ModelIndex's inverted
//   label index (never policy x workload);
// - per policy peer, the workloads it matches likewise (its namespaces, then
//   the podSelector within each);
// - workloads that look the same to every policy (the same selecting policies,
//   the same matched peers, the same named ports) form one class, and each
//   (source class, destination class) pair is computed once.
// The answer for a pair is two port sets: `allowed` (allowed for certain) and
// `possible` (allowed unless an open condition turns out false); they differ
// only where the set cannot decide (namespace labels not in the set, an ipBlock
// against Pods or an unknown client address), and the conditions are listed.
import { isEmptySelector } from '../model/selectors';
import { uniqueWorkloads, type ModelIndex } from '../model/model-index';
import type { Container, NetworkModel, NetworkPolicy, PolicyPeer, PolicyRule, Workload } from '../model/types';
import { coversEverything, formatIpBlock, ipBlockContains, parseCidr } from './ip';
import { namespaceMatches } from './evaluate';
import { PortSet, rulePorts } from './ports';
import type { Tri } from './tri';

export interface ConnectivityEntry {
  /** "NS/KIND/NAME", or "external". */
  from: string;
  to: string;
  /** Allowed for certain: "all", or ports like "TCP/8080", "TCP/32000-32768", "UDP/*" (every UDP port); [] none. */
  allowed: 'all' | string[];
  /** More ports that are allowed if the conditions hold (absent when the set decides everything). */
  conditional?: { ports: 'all' | string[]; conditions: string[] };
}

export interface ConnectivityStats {
  workloads: number;
  policies: number;
  classes: number;
  classPairs: number;
}

export interface ConnectivityMatrix {
  /** The workloads, deduplicated by namespace/kind/name, in model order. */
  readonly workloads: readonly Workload[];
  /** Every ordered pair: external first as a source, then each workload to each workload (itself included). */
  entries(): Generator<ConnectivityEntry>;
  /** One pair by "NS/KIND/NAME" (or "external" as the source); undefined when either is unknown. */
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
}

interface ClassInfo {
  index: number;
  hostNetwork: boolean;
  isPod: boolean;
  ingress: NetworkPolicy[];
  egress: NetworkPolicy[];
  member: Member;
  containers: readonly Container[];
}

interface PairResult {
  allowed: PortSet;
  possible: PortSet;
  conditions: Set<string>;
}

export function connectivityMatrix(model: NetworkModel, index: ModelIndex): ConnectivityMatrix {
  const workloads = uniqueWorkloads(model.workloads);
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
        if (w.hostNetwork) continue;
        const m = memberOf(w);
        if (t === 'yes') m.yes.add(ref.id);
        else m.unknown.set(ref.id, cond ?? 'an open condition');
      }
    }
  }
  for (const w of workloads) {
    const ips = podIps(w);
    for (const ref of ipPeers) {
      const block = ref.peer.ipBlock!;
      if (!parseCidr(block.cidr)) continue;
      const text = formatIpBlock(block);
      if (w.hostNetwork) {
        if (ips.length > 0) {
          if (ips.some((ip) => ipBlockContains(block, ip))) memberOf(w).yes.add(ref.id);
        } else memberOf(w).unknown.set(ref.id, `the node address of ${key(w)} is in ${text}`);
        continue;
      }
      if (ips.length > 0 && !ips.some((ip) => ipBlockContains(block, ip))) continue;
      memberOf(w).unknown.set(ref.id, `the network plugin applies ipBlock ${text} to Pod addresses`);
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

  // Classes.
  const classes: ClassInfo[] = [];
  const classBySig = new Map<string, ClassInfo>();
  const classOf = new Map<string, ClassInfo>();
  const emptyMember: Member = { yes: new Set(), unknown: new Map() };
  for (const w of workloads) {
    const ingress = ingressOf.get(w.id) ?? [];
    const egress = egressOf.get(w.id) ?? [];
    const member = members.get(w.id) ?? emptyMember;
    const sig = [
      w.hostNetwork ? 'h' : 'p',
      ingress.map((p) => p.id).join(','),
      egress.map((p) => p.id).join(','),
      [...member.yes].sort((a, b) => a - b).join(','),
      [...member.unknown].sort((a, b) => a[0] - b[0]).map(([id, c]) => `${id}:${c}`).join(','),
      namedPortsSignature(w.containers),
    ].join('|');
    let c = classBySig.get(sig);
    if (!c) {
      c = { index: classes.length, hostNetwork: w.hostNetwork, isPod: true, ingress, egress, member, containers: w.containers };
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
  };

  // Per class pair, the answer already formatted (shared by every pair of workloads in those classes).
  type Answer = Pick<ConnectivityEntry, 'allowed' | 'conditional'>;
  const memo = new Map<number, Answer>();
  const stride = classes.length + 1;
  const answer = (s: ClassInfo, d: ClassInfo): Answer => {
    const k = s.index * stride + d.index;
    let a = memo.get(k);
    if (!a) {
      const r = computePair(s, d, peerIds);
      a = { allowed: r.allowed.isAll() ? 'all' : r.allowed.format() };
      if (!r.possible.equals(r.allowed)) {
        a.conditional = { ports: r.possible.isAll() ? 'all' : r.possible.format(), conditions: [...r.conditions].sort() };
      }
      memo.set(k, a);
    }
    return a;
  };
  const toEntry = (from: string, to: string, a: Answer): ConnectivityEntry =>
    a.conditional ? { from, to, allowed: a.allowed, conditional: a.conditional } : { from, to, allowed: a.allowed };
  const keys = workloads.map(key);
  const classList = keys.map((k) => classOf.get(k)!);

  return {
    workloads,
    *entries() {
      for (let j = 0; j < keys.length; j++) yield toEntry(EXTERNAL, keys[j], answer(externalClass, classList[j]));
      for (let i = 0; i < keys.length; i++) {
        const sc = classList[i];
        for (let j = 0; j < keys.length; j++) yield toEntry(keys[i], keys[j], answer(sc, classList[j]));
      }
    },
    between(from: string, to: string) {
      const sc = from === EXTERNAL ? externalClass : classOf.get(from);
      const dc = classOf.get(to);
      if (!sc || !dc) return undefined;
      return toEntry(from, to, answer(sc, dc));
    },
    stats() {
      return { workloads: workloads.length, policies: model.networkPolicies.length, classes: classes.length, classPairs: memo.size };
    },
  };
}

function computePair(s: ClassInfo, d: ClassInfo, peerIds: Map<PolicyPeer, number>): PairResult {
  const conditions = new Set<string>();
  const ingress = d.hostNetwork ? both(PortSet.all()) : side(d.ingress, 'ingress', s.member, d.containers, peerIds, conditions);
  const egress = !s.isPod || s.hostNetwork ? both(PortSet.all()) : side(s.egress, 'egress', d.member, d.containers, peerIds, conditions);
  const allowed = ingress.allowed.intersect(egress.allowed);
  const possible = ingress.possible.intersect(egress.possible);
  return { allowed, possible, conditions: possible.equals(allowed) ? new Set() : conditions };
}

function both(p: PortSet): { allowed: PortSet; possible: PortSet } {
  return { allowed: p, possible: p };
}

/** One direction at one Pod class: ports allowed toward/from a peer with `member`ship. */
function side(
  policies: NetworkPolicy[],
  direction: 'ingress' | 'egress',
  member: Member,
  destinationContainers: readonly Container[],
  peerIds: Map<PolicyPeer, number>,
  conditions: Set<string>,
): { allowed: PortSet; possible: PortSet } {
  if (policies.length === 0) return both(PortSet.all());
  const allowed = PortSet.none();
  const possible = PortSet.none();
  for (const p of policies) {
    for (const rule of direction === 'ingress' ? p.ingress : p.egress) {
      let t: Tri = rule.peers.length === 0 ? 'yes' : 'no';
      const conds: string[] = [];
      for (const peer of rule.peers) {
        const id = peerIds.get(peer)!;
        if (member.yes.has(id)) {
          t = 'yes';
          break;
        }
        const c = member.unknown.get(id);
        if (c !== undefined) {
          t = 'unknown';
          conds.push(c);
        }
      }
      if (t === 'no') continue;
      const ports = rulePorts(rule.ports, destinationContainers);
      possible.addAll(ports);
      if (t === 'yes') allowed.addAll(ports);
      else for (const c of conds) conditions.add(c);
    }
  }
  return { allowed, possible };
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
