// AdminNetworkPolicy, BaselineAdminNetworkPolicy (policy.networking.k8s.io
// v1alpha1) and ClusterNetworkPolicy (v1alpha2/v1beta1: `tier`, `Accept`,
// `protocols`) from a live cluster, into the shape the manifest reader
// (../manifests/admin-policies) gives. The API server has validated them: an
// action it would reject cannot be here, but one this reader does not know
// (a newer API) leaves its rule out rather than guess what it does.
import type { AdminNetworkPolicy, AdminPodSelection, AdminPolicyAction, AdminPolicyPeer, AdminPolicyPort, AdminPolicyRule, LabelSelector, Protocol } from '../../model/types';
import { arr, labelSelector, meta, obj, str, type Raw } from './convert';

const EMPTY = (): LabelSelector => ({ matchLabels: {}, matchExpressions: [] });
const MAX_PORT = 65535;

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function protocolOf(v: unknown): Protocol {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

export function toAdminNetworkPolicy(raw: Raw, kind: AdminNetworkPolicy['kind'], apiVersion: string): AdminNetworkPolicy | undefined {
  const m = meta(raw, kind, apiVersion);
  if (!m) return undefined;
  const spec = obj(raw.spec) ?? {};
  const cluster = kind === 'ClusterNetworkPolicy';
  const tier: AdminNetworkPolicy['tier'] = kind === 'BaselineAdminNetworkPolicy' || (cluster && str(spec.tier) === 'Baseline') ? 'Baseline' : 'Admin';
  const accept = cluster ? 'Accept' : 'Allow';
  const policy: AdminNetworkPolicy = {
    ...m,
    namespace: '',
    kind,
    tier,
    subject: selection(spec.subject) ?? {},
    ingress: rules(spec.ingress, 'from', tier === 'Baseline', accept),
    egress: rules(spec.egress, 'to', tier === 'Baseline', accept),
  };
  const priority = int(spec.priority);
  if (kind !== 'BaselineAdminNetworkPolicy' && priority !== undefined) policy.priority = priority;
  return policy;
}

function selection(v: unknown): AdminPodSelection | undefined {
  const o = obj(v);
  if (!o) return undefined;
  if (obj(o.namespaces)) return { namespaces: labelSelector(o.namespaces) ?? EMPTY() };
  const pods = obj(o.pods);
  if (pods) return { pods: { namespaceSelector: labelSelector(pods.namespaceSelector) ?? EMPTY(), podSelector: labelSelector(pods.podSelector) ?? EMPTY() } };
  return undefined;
}

function rules(list: unknown, peersKey: 'from' | 'to', baseline: boolean, accept: 'Allow' | 'Accept'): AdminPolicyRule[] {
  const out: AdminPolicyRule[] = [];
  for (const item of arr(list)) {
    const o = obj(item);
    if (!o) continue;
    const written = str(o.action);
    const valid = [accept, 'Deny', ...(baseline ? [] : ['Pass'])];
    if (written === undefined || !valid.includes(written)) continue;
    const action: AdminPolicyAction = written === accept ? 'Allow' : (written as AdminPolicyAction);
    const peers: AdminPolicyPeer[] = [];
    for (const p of arr(o[peersKey])) {
      const peer = readPeer(p);
      if (peer) peers.push(peer);
    }
    const rule: AdminPolicyRule = { name: str(o.name) ?? '', action, actionWritten: written, peers };
    if (Array.isArray(o.ports)) rule.ports = arr(o.ports).flatMap(portOf);
    else if (accept === 'Accept' && Array.isArray(o.protocols)) rule.ports = arr(o.protocols).flatMap(protocolPorts);
    out.push(rule);
  }
  return out;
}

function readPeer(v: unknown): AdminPolicyPeer | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const peer: AdminPolicyPeer = { ...selection(o) };
  if (obj(o.nodes)) peer.nodes = labelSelector(o.nodes) ?? EMPTY();
  if (Array.isArray(o.networks)) peer.networks = arr(o.networks).flatMap((n) => (str(n) !== undefined ? [str(n)!] : []));
  if (Array.isArray(o.domainNames)) peer.domainNames = arr(o.domainNames).flatMap((n) => (str(n) !== undefined ? [str(n)!] : []));
  return peer.namespaces || peer.pods || peer.nodes || peer.networks || peer.domainNames ? peer : undefined;
}

/** v1alpha1: `{portNumber: {protocol, port}}`, `{namedPort}`, `{portRange: {protocol, start, end}}`. */
function portOf(v: unknown): AdminPolicyPort[] {
  const o = obj(v);
  if (!o) return [];
  const named = str(o.namedPort);
  if (named !== undefined) return [{ protocol: 'TCP', namedPort: named }];
  const n = obj(o.portNumber);
  const port = int(n?.port);
  if (n && port !== undefined) return [{ protocol: protocolOf(n.protocol), port }];
  const r = obj(o.portRange);
  const start = int(r?.start);
  const end = int(r?.end);
  if (r && start !== undefined && end !== undefined) return [{ protocol: protocolOf(r.protocol), port: start, endPort: end }];
  return [];
}

/** ClusterNetworkPolicy: `{tcp|udp|sctp: {destinationPort: {number} | {range: {start, end}}}}` or `{destinationNamedPort}`. */
function protocolPorts(v: unknown): AdminPolicyPort[] {
  const o = obj(v);
  if (!o) return [];
  const named = str(o.destinationNamedPort);
  if (named !== undefined) return [{ protocol: 'TCP', namedPort: named }];
  const out: AdminPolicyPort[] = [];
  for (const [key, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
    const p = obj(o[key]);
    if (!p) continue;
    const dest = obj(p.destinationPort);
    if (!dest) {
      out.push({ protocol, port: 1, endPort: MAX_PORT });
      continue;
    }
    const number = int(dest.number);
    if (number !== undefined) out.push({ protocol, port: number });
    const range = obj(dest.range);
    const start = int(range?.start);
    const end = int(range?.end);
    if (start !== undefined && end !== undefined) out.push({ protocol, port: start, endPort: end });
  }
  return out;
}
