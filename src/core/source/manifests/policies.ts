// NetworkPolicy, read with the API server's meaning of absent and empty.
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import type { IPBlock, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../../model/types';
import { keyOf, protocolOf, type DocContext, type Node } from './ast';
import { readLabelSelector, readMeta, type Head } from './meta';
import { parseCidr } from '../../policy/ip';

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
    if (k === 'cidr') {
      cidr = ctx.str(m.value);
      if (cidr !== undefined) checkCidr(ctx, m.value as YAMLNode, 'ipBlock cidr', cidr);
    } else if (k === 'except') {
      except = ctx.strings(m.value);
      for (const item of ctx.items(m.value) ?? []) {
        const text = ctx.str(item);
        if (text !== undefined) checkCidr(ctx, item, 'ipBlock except', text);
      }
    }
  }
  return cidr === undefined ? undefined : { cidr, except };
}

/** The API server validates ipBlock blocks as CIDRs (net.ParseCIDR): an address and a prefix length, both in range. */
function checkCidr(ctx: DocContext, node: YAMLNode, what: string, text: string): void {
  if (text.includes('/') && parseCidr(text)) return;
  ctx.invalid.push({
    loc: ctx.loc(node),
    message: `${what} "${text}" is not a CIDR block (an IPv4 or IPv6 address, "/" and a prefix length up to 32 or 128, as in 10.0.0.0/8), so the API server rejects this NetworkPolicy; it is left out of the model. Fix the address.`,
  });
  ctx.objectRejected = true;
}

/** A policy port; skipped when the protocol is not TCP/UDP/SCTP. */
function readPort(ctx: DocContext, node: YAMLNode, out: PolicyPort[]): void {
  const entries = ctx.entries(node);
  // `- {}` or a null item: all ports, TCP.
  if (!entries && ctx.present(node)) return;
  let protocolNode: Node;
  let port: number | string | undefined;
  let endPort: number | undefined;
  let portNode: YAMLNode | undefined;
  let endPortNode: YAMLNode | undefined;
  const invalidBefore = ctx.invalid.length;
  if (entries) {
    for (const m of entries) {
      switch (keyOf(m)) {
        case 'protocol':
          protocolNode = m.value;
          break;
        case 'port':
          port = ctx.intOrString(m.value, 'NetworkPolicy port');
          portNode = m.value ?? undefined;
          break;
        case 'endPort':
          endPort = ctx.intField(m.value, 'endPort');
          endPortNode = m.value ?? undefined;
          break;
      }
    }
  }
  const problem = portProblem(port, endPort);
  if (problem) ctx.invalid.push({ loc: ctx.loc((problem.at === 'port' ? portNode : endPortNode) as YAMLNode), message: problem.message });
  // Leaving out only this port would widen the rule (no ports: all ports); the API server refuses the whole policy.
  if (ctx.invalid.length > invalidBefore) {
    ctx.objectRejected = true;
    return;
  }
  const protocol = protocolOf(ctx, protocolNode);
  if (protocol === undefined) return;
  const read: PolicyPort = { protocol };
  if (port !== undefined) read.port = port;
  if (endPort !== undefined) read.endPort = endPort;
  if (node) read.loc = ctx.loc(node);
  out.push(read);
}

/** What the API server's validation says of a port range (1-65535; endPort only after a numeric port, not below it). */
function portProblem(port: number | string | undefined, endPort: number | undefined): { at: 'port' | 'endPort'; message: string } | undefined {
  const rejects = 'so the API server rejects this NetworkPolicy; it is left out of the model';
  if (typeof port === 'number' && (port < 1 || port > 65535)) return { at: 'port', message: `NetworkPolicy port ${port} is out of range, ${rejects}. A port is 1-65535.` };
  if (endPort === undefined) return undefined;
  if (endPort < 1 || endPort > 65535) return { at: 'endPort', message: `endPort ${endPort} is out of range, ${rejects}. A port is 1-65535.` };
  if (typeof port !== 'number') return { at: 'endPort', message: `endPort needs a numeric port to start the range (port is ${port === undefined ? 'not set' : `the name "${port}"`}), ${rejects}. Set port to the first port of the range.` };
  if (endPort < port) return { at: 'endPort', message: `endPort ${endPort} is below port ${port}, ${rejects}. The range is port to endPort.` };
  return undefined;
}
