// NetworkPolicy, read with the API server's meaning of absent and empty.
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import type { IPBlock, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../../model/types';
import { keyOf, protocolOf, type DocContext, type Node } from './ast';
import { readLabelSelector, readMeta, type Head } from './meta';

/**
 * A NetworkPolicy.
 * - podSelector absent reads as the empty selector (the API's zero value: all pods).
 * - policyTypes absent or empty: Ingress, plus Egress when there is at least
 *   one egress rule (the API server's defaulting; `egress: []` adds nothing).
 * - `ingress: []` / absent: no rules. `ingress: [{}]`: one rule with empty
 *   peers and ports, i.e. everything. An omitted or empty `from`/`to` is all
 *   peers (empty list); an omitted or empty `ports` is all ports.
 */
export function readNetworkPolicy(ctx: DocContext, head: Head): NetworkPolicy {
  const meta = readMeta(ctx, head);
  const policy: NetworkPolicy = {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'NetworkPolicy',
    podSelector: { matchLabels: {}, matchExpressions: [] },
    policyTypes: [],
    ingress: [],
    egress: [],
  };
  let written: ('Ingress' | 'Egress')[] = [];
  const entries = ctx.entries(head.spec);
  if (entries) {
    for (const m of entries) {
      switch (keyOf(m)) {
        case 'podSelector': {
          const s = readLabelSelector(ctx, m.value);
          if (s) policy.podSelector = s;
          break;
        }
        case 'policyTypes':
          written = readPolicyTypes(ctx, m.value);
          break;
        case 'ingress':
          readRules(ctx, m.value, 'from', policy.ingress);
          break;
        case 'egress':
          readRules(ctx, m.value, 'to', policy.egress);
          break;
      }
    }
  }
  if (written.length > 0) policy.policyTypes = written;
  else policy.policyTypes = policy.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return policy;
}

function readPolicyTypes(ctx: DocContext, node: Node): ('Ingress' | 'Egress')[] {
  const out: ('Ingress' | 'Egress')[] = [];
  for (const item of ctx.items(node) ?? []) {
    const t = ctx.str(item);
    if (t === 'Ingress' || t === 'Egress') {
      if (!out.includes(t)) out.push(t);
    } else if (t !== undefined) {
      const fix = t.toLowerCase() === 'ingress' ? 'Ingress' : t.toLowerCase() === 'egress' ? 'Egress' : undefined;
      ctx.invalid.push({
        loc: ctx.loc(item),
        message: `policyType "${t}" is not one Kubernetes accepts (Ingress or Egress), so the API server rejects this NetworkPolicy; it is left out of the model. ${fix ? `Use ${fix}.` : 'Use Ingress or Egress.'}`,
        fix: fix ? { title: `Use ${fix}`, newText: fix } : undefined,
      });
    }
  }
  return out;
}

function readRules(ctx: DocContext, node: Node, peersKey: 'from' | 'to', out: PolicyRule[]): void {
  const items = ctx.items(node);
  if (!items) return;
  for (const item of items) {
    const entries = ctx.entries(item);
    // A rule written as null (`- `) is an empty rule, like `- {}`.
    if (!entries && ctx.present(item)) continue;
    const rule: PolicyRule = { peers: [], ports: [] };
    if (item) rule.loc = ctx.loc(item);
    if (entries) {
      for (const m of entries) {
        const k = keyOf(m);
        if (k === peersKey) {
          const peers = ctx.items(m.value);
          if (peers) for (const p of peers) readPeer(ctx, p, rule.peers);
        } else if (k === 'ports') {
          const ports = ctx.items(m.value);
          if (ports) for (const p of ports) readPort(ctx, p, rule.ports);
        }
      }
    }
    out.push(rule);
  }
}

function readPeer(ctx: DocContext, node: YAMLNode, out: PolicyPeer[]): void {
  const entries = ctx.entries(node);
  if (!entries) return;
  const peer: PolicyPeer = { loc: ctx.loc(node) };
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'podSelector': {
        const s = readLabelSelector(ctx, m.value);
        if (s) peer.podSelector = s;
        break;
      }
      case 'namespaceSelector': {
        const s = readLabelSelector(ctx, m.value);
        if (s) peer.namespaceSelector = s;
        break;
      }
      case 'ipBlock': {
        const b = readIPBlock(ctx, m.value);
        if (b) peer.ipBlock = b;
        break;
      }
    }
  }
  out.push(peer);
}

function readIPBlock(ctx: DocContext, node: Node): IPBlock | undefined {
  const entries = ctx.entries(node);
  if (!entries) return undefined;
  let cidr: string | undefined;
  let except: string[] = [];
  for (const m of entries) {
    const k = keyOf(m);
    if (k === 'cidr') cidr = ctx.str(m.value);
    else if (k === 'except') except = ctx.strings(m.value);
  }
  return cidr === undefined ? undefined : { cidr, except };
}

/** A policy port; skipped when the protocol is not TCP/UDP/SCTP. */
function readPort(ctx: DocContext, node: YAMLNode, out: PolicyPort[]): void {
  const entries = ctx.entries(node);
  // `- {}` or a null item: all ports, TCP.
  if (!entries && ctx.present(node)) return;
  let protocolNode: Node;
  let port: number | string | undefined;
  let endPort: number | undefined;
  if (entries) {
    for (const m of entries) {
      switch (keyOf(m)) {
        case 'protocol':
          protocolNode = m.value;
          break;
        case 'port':
          port = ctx.intOrString(m.value);
          break;
        case 'endPort':
          endPort = ctx.intField(m.value, 'endPort');
          break;
      }
    }
  }
  const protocol = protocolOf(ctx, protocolNode);
  if (protocol === undefined) return;
  const read: PolicyPort = { protocol };
  if (port !== undefined) read.port = port;
  if (endPort !== undefined) read.endPort = endPort;
  if (node) read.loc = ctx.loc(node);
  out.push(read);
}
