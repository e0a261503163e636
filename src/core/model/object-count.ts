// How many Kubernetes objects a model holds: the one count the inspector's
// header, the status bar and `kni lint` print, for files and a cluster alike.
// Objects the model reads, not what the inspector draws (the Internet, an
// endpoints box or a "no pods" end are no objects; a cluster's Pods are
// counted with their workloads, as its objects).
import type { NetworkModel } from './types';

export function objectCount(m: NetworkModel): number {
  let pods = 0;
  // A workload's live Pods are objects of their own; a bare Pod is its own workload.
  for (const w of m.workloads) if (w.kind !== 'Pod') pods += w.pods.filter((p) => p.name !== w.name || p.namespace !== w.namespace).length;
  return m.namespaces.length + m.nodes.length + m.workloads.length + pods + m.services.length + m.endpointSlices.length + m.ingresses.length + m.ingressClasses.length + m.routes.length + m.gateways.length + m.gatewayClasses.length + m.referenceGrants.length + m.networkPolicies.length + (m.adminNetworkPolicies?.length ?? 0); // absent from models made by hand (tests, benchmarks)
}
