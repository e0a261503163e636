// Route attachment (Gateway API "Route Attachment"): a route attaches to a
// listener when one of its parentRefs names the Gateway (and, when given,
// the listener's sectionName and port), the listener's allowedRoutes admits
// the route's namespace (Same, All, or a namespace label Selector) and kind
// (allowedRoutes.kinds, else the kinds the protocol carries), and the
// listener's hostname and the route's hostnames intersect. A parentRef to a
// Gateway outside the set is neither accepted nor rejected here: nothing is
// known about it.
import { selectorMatches } from '../../model/selectors';
import type { Gateway, GatewayListener, NetworkModel, Route, RouteParentRef } from '../../model/types';
import { GATEWAY_GROUP } from '../../model/types';
import { effectiveHostnames } from './hostnames';


/** Why a listener does not take a route (the lint rule's words). */
export type RejectReason = 'sectionName' | 'port' | 'namespace' | 'kind' | 'hostname';

export interface ListenerVerdict {
  listener: GatewayListener;
  /** Undefined: attached. 'unknown' (namespace selector over labels the set does not show): undecidable. */
  rejected?: { reason: RejectReason; detail: string } | 'unknown';
  /** The hostnames it serves on this listener (undefined: every host). */
  hostnames?: string[];
}

export interface ParentVerdict {
  parentRef: RouteParentRef;
  /** Undefined: not a Gateway of the set (another kind, or a Gateway the set does not hold). */
  gateway?: Gateway;
  listeners: ListenerVerdict[];
}

export interface Attachment {
  route: Route;
  parentRef: RouteParentRef;
  gateway: Gateway;
  listener: GatewayListener;
  hostnames?: string[];
}

/** The route kinds a listener of this protocol carries when allowedRoutes.kinds is not written. */
export function defaultKinds(protocol: string): string[] {
  switch (protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS':
      return ['TLSRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'UDP':
      return ['UDPRoute'];
    default:
      return [];
  }
}

export function gatewaysNamed(model: NetworkModel, namespace: string, name: string): Gateway | undefined {
  return model.gateways.find((g) => g.namespace === namespace && g.name === name);
}

/** Every parentRef of a route, judged against each listener of its Gateway. */
export function judgeRoute(model: NetworkModel, route: Route): ParentVerdict[] {
  return route.parentRefs.map((parentRef) => {
    const isGateway = (parentRef.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && parentRef.kind === 'Gateway';
    const gateway = isGateway ? gatewaysNamed(model, parentRef.namespace, parentRef.name) : undefined;
    if (!gateway) return { parentRef, listeners: [] };
    return { parentRef, gateway, listeners: gateway.listeners.map((l) => judgeListener(model, route, parentRef, gateway, l)) };
  });
}

function judgeListener(model: NetworkModel, route: Route, ref: RouteParentRef, gw: Gateway, l: GatewayListener): ListenerVerdict {
  if (ref.sectionName !== undefined && ref.sectionName !== l.name) {
    return { listener: l, rejected: { reason: 'sectionName', detail: `sectionName ${ref.sectionName} names another listener than ${l.name}` } };
  }
  if (ref.port !== undefined && ref.port !== l.port) {
    return { listener: l, rejected: { reason: 'port', detail: `parentRef port ${ref.port} is not listener ${l.name}'s port ${l.port}` } };
  }
  const kinds = l.allowedRoutes.kinds ? l.allowedRoutes.kinds.filter((k) => k.group === GATEWAY_GROUP).map((k) => k.kind) : defaultKinds(l.protocol);
  if (!kinds.includes(route.kind)) {
    return { listener: l, rejected: { reason: 'kind', detail: `listener ${l.name} (${l.protocol}) takes ${kinds.length > 0 ? kinds.join(', ') : 'no route kind'}, not ${route.kind}` } };
  }
  const ns = namespaceAdmitted(model, gw, l, route.namespace);
  if (ns === 'unknown') return { listener: l, rejected: 'unknown' };
  if (!ns) {
    const from = l.allowedRoutes.from;
    const detail =
      from === 'Same'
        ? `listener ${l.name} takes routes from namespace ${gw.namespace} only (allowedRoutes.namespaces.from Same, the default), and the route is in ${route.namespace}`
        : `listener ${l.name}'s allowedRoutes namespace selector does not select namespace ${route.namespace}`;
    return { listener: l, rejected: { reason: 'namespace', detail } };
  }
  const hostnames = effectiveHostnames(l.hostname, route.hostnames);
  if (hostnames !== undefined && hostnames.length === 0) {
    return {
      listener: l,
      rejected: { reason: 'hostname', detail: `listener ${l.name}'s hostname ${l.hostname} shares no host with the route's hostnames ${route.hostnames.join(', ')}` },
    };
  }
  return { listener: l, hostnames };
}

/** true, false, or 'unknown' when a Selector needs labels of a namespace the set does not declare. */
function namespaceAdmitted(model: NetworkModel, gw: Gateway, l: GatewayListener, namespace: string): boolean | 'unknown' {
  const from = l.allowedRoutes.from;
  if (from === 'All') return true;
  if (from === 'Same') return namespace === gw.namespace;
  const sel = l.allowedRoutes.selector;
  if (!sel) return false;
  const declared = model.namespaces.find((n) => n.name === namespace);
  // The API server labels every namespace with its name, declared or not.
  const labels = { ...(declared?.labels ?? {}), 'kubernetes.io/metadata.name': namespace };
  if (selectorMatches(sel, labels)) return true;
  if (declared || model.source === 'cluster') return false;
  const keys = [...Object.keys(sel.matchLabels), ...sel.matchExpressions.map((e) => e.key)];
  return keys.every((k) => k === 'kubernetes.io/metadata.name') ? false : 'unknown';
}

/** Every attachment in the set: the (route, listener) pairs that carry traffic. */
export function attachments(model: NetworkModel): Attachment[] {
  const out: Attachment[] = [];
  for (const route of model.routes) {
    for (const pv of judgeRoute(model, route)) {
      if (!pv.gateway) continue;
      for (const lv of pv.listeners) {
        if (lv.rejected === undefined) out.push({ route, parentRef: pv.parentRef, gateway: pv.gateway, listener: lv.listener, hostnames: lv.hostnames });
      }
    }
  }
  return out;
}
