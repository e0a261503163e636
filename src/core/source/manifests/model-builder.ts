// Parsed files -> one NetworkModel. Objects are kept as read, duplicates too:
// manifest folders often hold alternative versions of the same objects (the
// rules decide what a duplicate means).
import type { NetworkModel } from '../../model/types';
import type { ParsedFile } from './parse';

export function buildModel(files: readonly ParsedFile[], defaultNamespace: string): NetworkModel {
  const model: NetworkModel = {
    source: 'manifests',
    defaultNamespace,
    namespaces: [],
    nodes: [],
    workloads: [],
    services: [],
    endpointSlices: [],
    ingresses: [],
    ingressClasses: [],
    routes: [],
    networkPolicies: [],
  };
  for (const file of files) {
    for (const o of file.objects) {
      switch (o.kind) {
        case 'Namespace':
          model.namespaces.push(o);
          break;
        case 'Node':
          model.nodes.push(o);
          break;
        case 'Service':
          model.services.push(o);
          break;
        case 'Endpoints':
        case 'EndpointSlice':
          model.endpointSlices.push(o);
          break;
        case 'Ingress':
          model.ingresses.push(o);
          break;
        case 'IngressClass':
          model.ingressClasses.push(o);
          break;
        case 'HTTPRoute':
        case 'GRPCRoute':
          model.routes.push(o);
          break;
        case 'NetworkPolicy':
          model.networkPolicies.push(o);
          break;
        default:
          // Workload kinds; a manifest's bare Pod is a Workload (kind 'Pod') too.
          if ('podLabels' in o) model.workloads.push(o);
          break;
      }
    }
  }
  return model;
}
