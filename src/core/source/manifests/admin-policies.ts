// AdminNetworkPolicy and BaselineAdminNetworkPolicy
// (policy.networking.k8s.io/v1alpha1), and ClusterNetworkPolicy (v1alpha2,
// v1beta1: `tier: Admin | Baseline`, action Accept for Allow), read with the API's defaults: a port's
// protocol is TCP when not written, an omitted `ports` is every port.
// Values the API's validation rejects (an action other than Allow/Deny/Pass,
// Pass in the baseline, a subject or peer naming no selection) are reported
// as manifest-invalid-value and left out, never guessed.
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import type { AdminNetworkPolicy, AdminPodSelection, AdminPolicyAction, AdminPolicyPeer, AdminPolicyPort, AdminPolicyRule, LabelSelector } from '../../model/types';
import { keyOf, protocolOf, type DocContext, type Node } from './ast';
import { readLabelSelector, readMeta, type Head } from './meta';

const EMPTY = (): LabelSelector => ({ matchLabels: {}, matchExpressions: [] });

export function readAdminNetworkPolicy(ctx: DocContext, head: Head): AdminNetworkPolicy {
  const meta = readMeta(ctx, head);
  const kind = head.kind as AdminNetworkPolicy['kind'];
  const policy: AdminNetworkPolicy = {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: '',
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind,
    tier: kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : 'Admin',
    subject: {},
    ingress: [],
    egress: [],
  };
  const cluster = kind === 'ClusterNetworkPolicy';
  const specEntries = ctx.entries(head.spec) ?? [];
  if (cluster) {
    // The tier decides which actions are valid, so it is read first.
    const tier = specEntries.find((m) => keyOf(m) === 'tier');
    if (ctx.str(tier?.value) === 'Baseline') policy.tier = 'Baseline';
  }
  const baseline = policy.tier === 'Baseline';
  const accept = cluster ? 'Accept' : 'Allow';
  for (const m of specEntries) {
    switch (keyOf(m)) {
      case 'priority':
        if (kind !== 'BaselineAdminNetworkPolicy') policy.priority = ctx.intField(m.value, 'priority');
        break;
      case 'subject':
        policy.subject = readSelection(ctx, m.value) ?? {};
        policy.subjectLoc = ctx.loc(m.value);
        break;
      case 'ingress':
        readRules(ctx, m.value, 'from', baseline, accept, policy.ingress);
        break;
      case 'egress':
        readRules(ctx, m.value, 'to', baseline, accept, policy.egress);
        break;
    }
  }
  return policy;
}

/** `{namespaces: …}` or `{pods: {namespaceSelector, podSelector}}`; undefined when neither is written. */
function readSelection(ctx: DocContext, node: Node): AdminPodSelection | undefined {
  let out: AdminPodSelection | undefined;
  for (const m of ctx.entries(node) ?? []) {
    const k = keyOf(m);
    if (k === 'namespaces') {
      out = { namespaces: readLabelSelector(ctx, m.value) ?? EMPTY() };
    } else if (k === 'pods') {
      let namespaceSelector = EMPTY();
      let podSelector = EMPTY();
      for (const p of ctx.entries(m.value) ?? []) {
        const pk = keyOf(p);
        if (pk === 'namespaceSelector') namespaceSelector = readLabelSelector(ctx, p.value) ?? EMPTY();
        else if (pk === 'podSelector') podSelector = readLabelSelector(ctx, p.value) ?? EMPTY();
      }
      out = { pods: { namespaceSelector, podSelector } };
    }
  }
  return out;
}

function readRules(ctx: DocContext, node: Node, peersKey: 'from' | 'to', baseline: boolean, accept: 'Allow' | 'Accept', out: AdminPolicyRule[]): void {
  for (const item of ctx.items(node) ?? []) {
    const entries = ctx.entries(item);
    if (!entries) continue;
    let name = '';
    let action: AdminPolicyAction | undefined;
    let actionWritten = '';
    let actionNode: YAMLNode | undefined;
    const peers: AdminPolicyPeer[] = [];
    let ports: AdminPolicyPort[] | undefined;
    for (const m of entries) {
      switch (keyOf(m)) {
        case 'name':
          name = ctx.str(m.value) ?? '';
          break;
        case 'action': {
          const a = ctx.str(m.value);
          actionNode = m.value ?? undefined;
          const valid = [accept, 'Deny', ...(baseline ? [] : ['Pass'])];
          if (a !== undefined && valid.includes(a)) {
            action = a === accept ? 'Allow' : (a as AdminPolicyAction);
            actionWritten = a;
          } else if (a !== undefined && actionNode) {
            const allowed = baseline ? `${accept} or Deny` : `${accept}, Deny or Pass`;
            const fix = valid.find((x) => x.toLowerCase() === a.toLowerCase());
            ctx.invalid.push({
              loc: ctx.loc(actionNode),
              message: `action "${a}" is not one the API accepts here (${allowed}${baseline && a === 'Pass' ? '; the baseline tier has no tier below it to pass to' : ''}), so the API server rejects this policy; the rule is left out of the model.${fix ? ` Use ${fix}.` : ''}`,
              fix: fix ? { title: `Use ${fix}`, newText: fix } : undefined,
            });
          }
          break;
        }
        case peersKey:
          for (const p of ctx.items(m.value) ?? []) {
            const peer = readPeer(ctx, p);
            if (peer) peers.push(peer);
          }
          break;
        case 'ports':
          ports = [];
          for (const p of ctx.items(m.value) ?? []) readPort(ctx, p, ports);
          break;
        case 'protocols':
          // ClusterNetworkPolicy's form of `ports`.
          if (accept !== 'Accept') break;
          ports = [];
          for (const p of ctx.items(m.value) ?? []) readProtocol(ctx, p, ports);
          break;
      }
    }
    if (action === undefined) continue;
    const rule: AdminPolicyRule = { name, action, actionWritten, peers, loc: ctx.loc(item as YAMLNode) };
    if (ports !== undefined) rule.ports = ports;
    out.push(rule);
  }
}

function readPeer(ctx: DocContext, node: YAMLNode): AdminPolicyPeer | undefined {
  const peer: AdminPolicyPeer = { ...readSelection(ctx, node), loc: ctx.loc(node) };
  for (const m of ctx.entries(node) ?? []) {
    const k = keyOf(m);
    if (k === 'nodes') peer.nodes = readLabelSelector(ctx, m.value) ?? EMPTY();
    else if (k === 'networks') peer.networks = ctx.strings(m.value);
    else if (k === 'domainNames') peer.domainNames = ctx.strings(m.value);
  }
  return peer.namespaces || peer.pods || peer.nodes || peer.networks || peer.domainNames ? peer : undefined;
}

/** `portNumber: {protocol, port}`, `namedPort: name` or `portRange: {protocol, start, end}`. */
function readPort(ctx: DocContext, node: YAMLNode, out: AdminPolicyPort[]): void {
  for (const m of ctx.entries(node) ?? []) {
    const k = keyOf(m);
    if (k === 'namedPort') {
      const name = ctx.str(m.value);
      if (name !== undefined) out.push({ protocol: 'TCP', namedPort: name, loc: ctx.loc(node) });
      continue;
    }
    if (k !== 'portNumber' && k !== 'portRange') continue;
    let protocolNode: Node;
    let port: number | undefined;
    let start: number | undefined;
    let end: number | undefined;
    for (const f of ctx.entries(m.value) ?? []) {
      const fk = keyOf(f);
      if (fk === 'protocol') protocolNode = f.value;
      else if (fk === 'port') port = ctx.intField(f.value, 'port');
      else if (fk === 'start') start = ctx.intField(f.value, 'start');
      else if (fk === 'end') end = ctx.intField(f.value, 'end');
    }
    const protocol = protocolOf(ctx, protocolNode);
    if (protocol === undefined) continue;
    if (k === 'portNumber' && port !== undefined) out.push({ protocol, port, loc: ctx.loc(node) });
    if (k === 'portRange' && start !== undefined && end !== undefined) out.push({ protocol, port: start, endPort: end, loc: ctx.loc(node) });
  }
}

const MAX_PORT = 65535;

/**
 * ClusterNetworkPolicy: `{tcp|udp|sctp: {destinationPort: {number} | {range: {start, end}}}}`
 * (no destinationPort: every port of the protocol) or `{destinationNamedPort: name}`.
 */
function readProtocol(ctx: DocContext, node: YAMLNode, out: AdminPolicyPort[]): void {
  for (const m of ctx.entries(node) ?? []) {
    const k = keyOf(m);
    if (k === 'destinationNamedPort') {
      const name = ctx.str(m.value);
      if (name !== undefined) out.push({ protocol: 'TCP', namedPort: name, loc: ctx.loc(node) });
      continue;
    }
    const protocol = k === 'tcp' ? 'TCP' : k === 'udp' ? 'UDP' : k === 'sctp' ? 'SCTP' : undefined;
    if (!protocol) continue;
    const dest = (ctx.entries(m.value) ?? []).find((f) => keyOf(f) === 'destinationPort');
    if (!dest) {
      out.push({ protocol, port: 1, endPort: MAX_PORT, loc: ctx.loc(node) });
      continue;
    }
    for (const f of ctx.entries(dest.value) ?? []) {
      const fk = keyOf(f);
      if (fk === 'number') {
        const port = ctx.intField(f.value, 'number');
        if (port !== undefined) out.push({ protocol, port, loc: ctx.loc(node) });
      } else if (fk === 'range') {
        let start: number | undefined;
        let end: number | undefined;
        for (const r of ctx.entries(f.value) ?? []) {
          if (keyOf(r) === 'start') start = ctx.intField(r.value, 'start');
          else if (keyOf(r) === 'end') end = ctx.intField(r.value, 'end');
        }
        if (start !== undefined && end !== undefined) out.push({ protocol, port: start, endPort: end, loc: ctx.loc(node) });
      }
    }
  }
}
