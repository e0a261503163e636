// An empty model and the one place that knows which list each kind of object
// belongs in: the manifest source and the tests' model builders share it.
import type { ModelObject, NetworkModel } from './types';

export function emptyModel(source: NetworkModel['source'], defaultNamespace: string): NetworkModel {
  return {
    source,
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
}

/** Puts an object into its kind's list. A live Pod is not a model object of its own (it sits in its Workload). */
export function addObject(model: NetworkModel, o: ModelObject): void {
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
