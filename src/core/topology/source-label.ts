// The inspector's header: where the graph comes from, in the same words in
// the editor and the language server.
import type { NetworkModel, UnreadResource } from '../model/types';
import type { ClusterState } from '../source/cluster';

export function filesSourceLabel(files: number): string {
  return `workspace · ${files} file${files === 1 ? '' : 's'}`;
}

/** "⎈ kind-dev · shop (partial: networkpolicies not readable)", "⎈ kind-dev (connecting)". */
export function clusterSourceLabel(context: string, namespaces: readonly string[], state: ClusterState, unread: readonly UnreadResource[]): string {
  const where = namespaces.length > 0 ? ` · ${namespaces.join(', ')}` : '';
  const status = state === 'synced' ? (unread.length > 0 ? ` (partial: ${[...new Set(unread.map((u) => u.resource))].join(', ')} not readable)` : '') : ` (${state})`;
  return `⎈ ${context}${where}${status}`;
}

/** A cluster's model before its first sync: drawn empty, its state in the header. */
export function emptyClusterModel(): NetworkModel {
  return { source: 'cluster', defaultNamespace: 'default', namespaces: [], nodes: [], workloads: [], services: [], endpointSlices: [], ingresses: [], ingressClasses: [], routes: [], gateways: [], gatewayClasses: [], referenceGrants: [], networkPolicies: [], adminNetworkPolicies: [] };
}
