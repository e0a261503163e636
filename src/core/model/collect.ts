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
    gateways: [],
    gatewayClasses: [],
    referenceGrants: [],
    networkPolicies: [],
    adminNetworkPolicies: [],
    notSteadyState: [],
  };
}

/** Puts an object into its kind's list. A live Pod is not a model object of its own (it sits in its Workload). */
export function addObject(model: NetworkModel, o: ModelObject): void {
  if (o.origin.notSteadyState !== undefined) {
    (model.notSteadyState ??= []).push(o);
    return;
  }
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
    case 'Gateway':
      model.gateways.push(o);
      break;
    case 'GatewayClass':
      model.gatewayClasses.push(o);
      break;
    case 'ReferenceGrant':
      model.referenceGrants.push(o);
      break;
    case 'NetworkPolicy':
      model.networkPolicies.push(o);
      break;
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'ClusterNetworkPolicy':
      model.adminNetworkPolicies.push(o);
      break;
    default:
      // Workload kinds; a manifest's bare Pod is a Workload (kind 'Pod') too.
      if ('podLabels' in o) model.workloads.push(o);
      break;
  }
}

/** The model's object lists (every key of NetworkModel whose value is a list). */
const LISTS = ['namespaces', 'nodes', 'workloads', 'services', 'endpointSlices', 'ingresses', 'ingressClasses', 'routes', 'gateways', 'gatewayClasses', 'referenceGrants', 'networkPolicies', 'adminNetworkPolicies', 'notSteadyState'] as const satisfies readonly (keyof NetworkModel)[];

/**
 * A manifest model whose lists hold the files' objects in file order (sorted
 * paths, as buildModel makes it), with one file's objects replaced by
 * `objects` (none: the file is gone; a file not in the model yet goes in its
 * place in that order). Lists the file has no objects in, before or after,
 * stay the same arrays; the model passed in is not changed.
 */
export function withFileObjects(model: NetworkModel, file: string, objects: readonly ModelObject[]): NetworkModel {
  const added = emptyModel(model.source, model.defaultNamespace);
  for (const o of objects) addObject(added, o);
  const out: NetworkModel = { ...model };
  for (const key of LISTS) {
    const list: readonly ModelObject[] = model[key] ?? [];
    const lo = firstFrom(list, file, false);
    const hi = firstFrom(list, file, true);
    const replacement: readonly ModelObject[] = added[key] ?? [];
    if (lo === hi && replacement.length === 0) continue;
    // One copy into an array of the final size (two slices spread into a third made three of a list of thousands).
    const next = new Array<ModelObject>(list.length - (hi - lo) + replacement.length);
    let n = 0;
    for (let i = 0; i < lo; i++) next[n++] = list[i];
    for (const o of replacement) next[n++] = o;
    for (let i = hi; i < list.length; i++) next[n++] = list[i];
    (out as unknown as Record<string, ModelObject[]>)[key] = next;
  }
  return out;
}

/** The first index whose object's file is >= `file` (> with `after`), in a list sorted by file (from `lo` on). */
export function firstFrom(list: readonly ModelObject[], file: string, after: boolean, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const f = list[mid].origin.file ?? '';
    if (f < file || (after && f === file)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
