// Gateway API routes: whether the Gateways they name take them, cross-
// namespace references without a ReferenceGrant, and rules whose every
// backend weighs 0. Only about Gateways and namespaces the set holds: a
// parentRef to a Gateway outside the set is never judged.
import type { Route, RouteBackendRef } from '../model/types';
import { judgeRoute } from '../trace/gateway/attach';
import { referenceGrantFor } from '../trace/gateway/backends';
import { nameOf, objectLoc, refOf, relatedAt, type RuleContext } from './context';
import type { Rule } from './rule';

export const gatewayRouteRules: Rule = {
  ids: ['route-not-accepted', 'route-backend-not-permitted', 'route-weights-zero'],
  scope: 'global',
  run(ctx) {
    for (const route of ctx.model.routes) {
      if (ctx.enabled('route-not-accepted')) notAccepted(ctx, route);
      if (ctx.enabled('route-backend-not-permitted')) notPermitted(ctx, route);
      if (ctx.enabled('route-weights-zero')) weightsZero(ctx, route);
    }
  },
};

function notAccepted(ctx: RuleContext, route: Route): void {
  for (const pv of judgeRoute(ctx.model, route)) {
    const gw = pv.gateway;
    if (!gw || gw.listeners.length === 0) continue;
    if (pv.listeners.some((l) => l.rejected === undefined || l.rejected === 'unknown')) continue;
    // With a sectionName, the other listeners' "another listener" says nothing: judge the named one.
    const named = pv.parentRef.sectionName;
    const relevant = pv.listeners.filter((l) => named === undefined || l.listener.name === named);
    const what = named !== undefined ? `listener ${named} of ${nameOf(gw)}` : `any listener of ${nameOf(gw)}`;
    const rejections = relevant.map((l) => l.rejected as { reason: string; detail: string });
    const why =
      relevant.length === 0 ? `${nameOf(gw)} has no listener named ${named} (it has ${gw.listeners.map((l) => l.name).join(', ')})` : unique(rejections.map((r) => r.detail)).join('; ');
    const kinds = new Set(rejections.map((r) => r.reason));
    const fix =
      relevant.length === 0 || kinds.has('sectionName')
        ? 'Fix the sectionName'
        : kinds.has('hostname')
          ? "Make the route's hostnames meet the listener's hostname, or attach it to a listener that serves them"
          : kinds.has('namespace')
            ? "Widen the listener's allowedRoutes.namespaces, or move the route"
            : kinds.has('kind')
              ? "Add the route's kind to the listener's allowedRoutes.kinds"
              : "Fix the parentRef's port";
    ctx.report({
      rule: 'route-not-accepted',
      message: `${nameOf(route)} is not accepted by ${what}: ${why}. The Gateway ignores it (Accepted False) and its requests get 404. ${fix}.`,
      loc: pv.parentRef.loc ?? objectLoc(route),
      object: refOf(route),
      related: (relevant.length > 0 ? relevant : pv.listeners).flatMap((l) => relatedAt(l.listener.loc, gw, `listener ${l.listener.name} of ${nameOf(gw)}`)).slice(0, 4),
    });
  }
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** A mirror only copies requests: refused, the copies stop; the requests still go to the rule's backends. */
const MIRROR_REFUSED = 'nothing is mirrored there (the requests themselves still go to the rule\'s backends)';

function notPermitted(ctx: RuleContext, route: Route): void {
  const check = (target: { group: string; kind: string; namespace: string; name: string }, loc: RouteBackendRef['loc'], what: string, consequence: string) => {
    if (target.namespace === '' || target.namespace === route.namespace) return;
    if (referenceGrantFor(ctx.model, route, target)) return;
    // A live cluster read without the target namespace's ReferenceGrants (or that namespace at all): no verdict.
    if (ctx.model.source === 'cluster' && !grantsReadIn(ctx, target.namespace)) return;
    ctx.report({
      rule: 'route-backend-not-permitted',
      message: `${nameOf(route)} ${what} ${target.kind} ${target.namespace}/${target.name} in another namespace, and no ReferenceGrant in ${target.namespace} lets ${route.kind}s of ${route.namespace} reference it: the reference is refused (RefNotPermitted) and ${consequence}. Add a ReferenceGrant in ${target.namespace} (from ${route.kind} in ${route.namespace}, to ${target.kind}${target.name ? ` ${target.name}` : ''}).`,
      loc: loc ?? objectLoc(route),
      object: refOf(route),
    });
  };
  for (const rule of route.rules) {
    for (const b of rule.backendRefs) {
      check({ group: b.group ?? '', kind: b.kind, namespace: b.namespace, name: b.resource?.name ?? b.service }, b.namespaceLoc ?? b.loc, 'sends traffic to', 'its share of requests gets 500');
      for (const f of b.filters ?? []) if (f.mirror) check({ group: '', kind: f.mirror.kind, namespace: f.mirror.namespace, name: f.mirror.name }, f.loc, 'mirrors requests to', MIRROR_REFUSED);
    }
    for (const f of rule.filters ?? []) if (f.mirror) check({ group: '', kind: f.mirror.kind, namespace: f.mirror.namespace, name: f.mirror.name }, f.loc, 'mirrors requests to', MIRROR_REFUSED);
  }
}

/**
 * Whether a cluster model holds the ReferenceGrants of a namespace: they were
 * not refused, and the namespace was read (a source limited to some
 * namespaces still lists every Namespace, so the evidence is an object read
 * there: the same namespaces are read for every namespaced kind).
 */
function grantsReadIn(ctx: RuleContext, namespace: string): boolean {
  if (ctx.model.unread?.some((u) => u.resource === 'referencegrants' && (u.namespace === undefined || u.namespace === namespace))) return false;
  return ctx.model.services.some((s) => s.namespace === namespace) || ctx.model.workloads.some((w) => w.namespace === namespace);
}

function weightsZero(ctx: RuleContext, route: Route): void {
  route.rules.forEach((rule, i) => {
    if (rule.backendRefs.length === 0 || rule.backendRefs.some((b) => b.weight > 0)) return;
    ctx.report({
      rule: 'route-weights-zero',
      message: `Rule ${i} of ${nameOf(route)} gives every backendRef weight 0, so no backend gets its requests: the Gateway answers 500. Give at least one backend a weight above 0${rule.backendRefs.length === 1 ? ' (or leave weight out: it defaults to 1)' : ''}.`,
      loc: rule.backendRefs[0].weightLoc ?? rule.loc ?? objectLoc(route),
      object: refOf(route),
    });
  });
}
