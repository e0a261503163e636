// A partial model (a live cluster with some resource types unreadable): which
// resource types are unknown where. A check that depends on an unread type
// must not conclude from its absence.
import type { NetworkModel, UnreadResource } from './types';

/** The entry saying `resource` could not be read in `namespace` (or in every namespace), if any. */
export function unreadIn(model: Pick<NetworkModel, 'unread'>, resource: string, namespace: string | undefined): UnreadResource | undefined {
  const list = model.unread;
  if (!list || list.length === 0) return undefined;
  return list.find((u) => u.resource === resource && (u.namespace === undefined || namespace === undefined || u.namespace === namespace));
}

/** Whether `resource` could not be read somewhere. */
export function unreadAnywhere(model: Pick<NetworkModel, 'unread'>, resource: string): boolean {
  return model.unread?.some((u) => u.resource === resource) ?? false;
}

/** "networkpolicies in shop (forbidden (403)): policy verdicts unknown" */
export function describeUnread(u: UnreadResource): string {
  return `${u.resource}${u.namespace ? ` in ${u.namespace}` : ''} (${u.reason}): ${u.consequence}`;
}
