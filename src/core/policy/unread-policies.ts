// Connectivity on a partial cluster read: where the NetworkPolicies of a
// namespace could not be read, nothing about traffic into (ingress) or out of
// (egress) its workloads is certain. What the read policies allow becomes
// allowed only if the unread ones allow it too; nothing is "allowed" for sure.
// The admin policies are cluster-scoped: unread, they leave every pair open.
import { unreadIn } from '../model/unread';
import type { NetworkModel } from '../model/types';
import type { ConditionalPorts, ConnectivityEntry } from './connectivity';
import { GuardedPorts } from './guarded-ports';
import { PortSet } from './ports';

/** "NS/KIND/NAME" -> NS; "external" and address ranges ("10.0.0.0/8") -> undefined. */
function namespaceOfKey(key: string): string | undefined {
  const parts = key.split('/');
  return parts.length === 3 && parts[0] ? parts[0] : undefined;
}

/** The entry as a partial read leaves it (the same entry when its namespaces' policies were read). */
export function withUnreadPolicies(model: Pick<NetworkModel, 'unread'>, e: ConnectivityEntry): ConnectivityEntry {
  if (!model.unread || model.unread.length === 0) return e;
  const unknownSides: string[] = [];
  const fromNs = namespaceOfKey(e.from);
  const toNs = namespaceOfKey(e.to);
  const egress = fromNs !== undefined ? unreadIn(model, 'networkpolicies', fromNs) : undefined;
  const ingress = toNs !== undefined ? unreadIn(model, 'networkpolicies', toNs) : undefined;
  if (egress) unknownSides.push(`the NetworkPolicies in ${fromNs}, which could not be read (${egress.reason}), allow it out`);
  if (ingress && (!egress || toNs !== fromNs)) unknownSides.push(`the NetworkPolicies in ${toNs}, which could not be read (${ingress.reason}), allow it in`);
  else if (ingress) unknownSides[0] = `the NetworkPolicies in ${toNs}, which could not be read (${ingress.reason}), allow it out and in`;
  for (const resource of ['adminnetworkpolicies', 'clusternetworkpolicies', 'baselineadminnetworkpolicies']) {
    const admin = unreadIn(model, resource, undefined);
    if (admin) unknownSides.push(`the ${resource}, which could not be read (${admin.reason}), allow it`);
  }
  if (unknownSides.length === 0) return e;
  const unknown = unknownSides.join(' and ');
  // What the read policies allow (certain or under their own conditions) now needs the unread ones too.
  const read = new GuardedPorts(PortSet.parse(e.allowed), (e.conditional ?? []).map((c) => ({ ports: PortSet.parse(c.ports), when: c.if })));
  const conditional: ConditionalPorts[] = read.given(unknown).clauses.map((c) => ({ ports: c.ports.isAll() ? 'all' : c.ports.format(), if: [...c.when] }));
  return conditional.length === 0 ? { from: e.from, to: e.to, allowed: [] } : { from: e.from, to: e.to, allowed: [], conditional };
}
