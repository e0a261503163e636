// Cluster-scoped kinds a manifest can carry: Namespace and Node.
import type { Namespace, Node as KubeNode, NodeAddress } from '../../model/types';
import { keyOf, type DocContext } from './ast';
import { readMeta, type Head } from './meta';

export function readNamespace(ctx: DocContext, head: Head): Namespace {
  const meta = readMeta(ctx, head);
  return {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'Namespace',
  };
}

/** A Node: status.addresses, spec.podCIDRs (or podCIDR), ready from the Ready condition. */
export function readNode(ctx: DocContext, head: Head): KubeNode {
  const meta = readMeta(ctx, head);
  const node: KubeNode = {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'Node',
    addresses: [],
    podCIDRs: [],
    ready: false,
  };
  let podCIDR: string | undefined;
  const spec = ctx.entries(head.spec);
  if (spec) {
    for (const m of spec) {
      const k = keyOf(m);
      if (k === 'podCIDRs') node.podCIDRs = ctx.strings(m.value);
      else if (k === 'podCIDR') podCIDR = ctx.str(m.value);
    }
  }
  if (node.podCIDRs.length === 0 && podCIDR !== undefined) node.podCIDRs = [podCIDR];
  const status = ctx.entries(head.status);
  if (status) {
    for (const m of status) {
      const k = keyOf(m);
      if (k === 'addresses') {
        for (const item of ctx.items(m.value) ?? []) {
          const address = readPair(ctx, item, 'type', 'address');
          if (address) node.addresses.push({ type: address[0], address: address[1] } satisfies NodeAddress);
        }
      } else if (k === 'conditions') {
        for (const item of ctx.items(m.value) ?? []) {
          const cond = readPair(ctx, item, 'type', 'status');
          if (cond && cond[0] === 'Ready') node.ready = cond[1] === 'True';
        }
      }
    }
  }
  return node;
}

function readPair(ctx: DocContext, item: Parameters<DocContext['entries']>[0], a: string, b: string): [string, string] | undefined {
  const entries = ctx.entries(item);
  if (!entries) return undefined;
  let va: string | undefined;
  let vb: string | undefined;
  for (const m of entries) {
    const k = keyOf(m);
    if (k === a) va = ctx.str(m.value);
    else if (k === b) vb = ctx.str(m.value);
  }
  return va !== undefined && vb !== undefined ? [va, vb] : undefined;
}
