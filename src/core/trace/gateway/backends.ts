// A route rule's backendRefs as the Gateway API weighs them: each gets
// weight / (sum of weights) of the requests (weight 0: none; every weight 0:
// the Gateway answers 500). A backendRef that cannot be used (a Service the
// set does not hold, a port it lacks, another namespace without a
// ReferenceGrant there) keeps its share, and that share is answered 500, as
// the specification requires.
import type { ModelIndex } from '../../model/model-index';
import type { NetworkModel, ReferenceGrant, Route, RouteBackendRef, Service, ServicePort } from '../../model/types';
import { GATEWAY_GROUP } from '../../model/types';

export interface WeighedBackend {
  ref: RouteBackendRef;
  /** The share of requests (0..1). */
  share: number;
  service?: Service;
  port?: ServicePort;
  /** Why this share is answered 500 (or cannot be followed: a non-Service backend). */
  invalid?: string;
  /** The ReferenceGrant that allows a cross-namespace reference. */
  grant?: ReferenceGrant;
}

/** The ReferenceGrant in the target's namespace that lets `route` reference it, if any. */
export function referenceGrantFor(model: NetworkModel, route: Route, target: { group: string; kind: string; namespace: string; name: string }): ReferenceGrant | undefined {
  return model.referenceGrants.find(
    (g) =>
      g.namespace === target.namespace &&
      g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === route.kind && f.namespace === route.namespace) &&
      g.to.some((t) => normalGroup(t.group) === normalGroup(target.group) && t.kind === target.kind && (t.name === undefined || t.name === target.name)),
  );
}

function normalGroup(g: string): string {
  return g === 'core' ? '' : g;
}

export function weighBackends(model: NetworkModel, index: ModelIndex, route: Route, refs: readonly RouteBackendRef[]): WeighedBackend[] {
  const total = refs.reduce((s, r) => s + Math.max(0, r.weight), 0);
  return refs.map((ref) => {
    const share = total > 0 ? Math.max(0, ref.weight) / total : 0;
    const b: WeighedBackend = { ref, share };
    const target = { group: ref.group ?? '', kind: ref.kind, namespace: ref.namespace, name: ref.resource?.name ?? ref.service };
    if (ref.namespace !== route.namespace) {
      b.grant = referenceGrantFor(model, route, target);
      if (!b.grant) {
        const unread = model.unread?.some((u) => u.resource === 'referencegrants' && (u.namespace === undefined || u.namespace === ref.namespace));
        b.invalid = `${ref.kind} ${ref.namespace}/${target.name} is in another namespace than ${route.kind} ${route.namespace}/${route.name}, and no ReferenceGrant in ${ref.namespace} allows it (ResolvedRefs False, RefNotPermitted)${unread ? `; the ReferenceGrants of ${ref.namespace} could not be read, so one may exist` : ''}`;
        return b;
      }
    }
    if (ref.resource) {
      b.invalid = `the backend is a ${ref.kind}${ref.group ? ` (${ref.group})` : ''}, not a Service: what the implementation does with it is up to it`;
      return b;
    }
    const svc = index.servicesNamed(ref.namespace, ref.service)[0];
    if (!svc) {
      b.invalid = `Service ${ref.namespace}/${ref.service} is not in the set (ResolvedRefs False, BackendNotFound)`;
      return b;
    }
    b.service = svc;
    if (ref.port === undefined) {
      b.invalid = `the backendRef to Service ${svc.namespace}/${svc.name} names no port, which a Service backend requires`;
      return b;
    }
    const sp = svc.ports.find((p) => p.port === ref.port);
    if (!sp) {
      b.invalid = `Service ${svc.namespace}/${svc.name} has no port ${ref.port}`;
      return b;
    }
    b.port = sp;
    return b;
  });
}
