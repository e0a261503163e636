// The live model: converted objects by UID, per model list, updated one object
// at a time. `model()` rebuilds only the lists that changed since the last
// call (and Workloads only for the Pods that changed); unchanged lists and
// objects are shared between successive models, changed ones are new objects
// (a model handed out earlier never changes under its holder).
import type { ModelObject, NetworkModel, UnreadResource } from '../../model/types';
import {
  obj,
  str,
  toEndpointSlice,
  toEndpoints,
  toIngress,
  toIngressClass,
  toNamespace,
  toNetworkPolicy,
  toNode,
  toService,
  type Raw,
} from './convert';
import { toAdminNetworkPolicy } from './admin-policies';
import { toFullRoute, toGateway, toGatewayClass, toReferenceGrant } from './gateway';
import { apiVersionOf, type ResourceType } from './informer';
import { WorkloadIndex } from './workloads';

export type ListName = 'namespaces' | 'nodes' | 'services' | 'endpointSlices' | 'ingresses' | 'ingressClasses' | 'routes' | 'gateways' | 'gatewayClasses' | 'referenceGrants' | 'networkPolicies' | 'adminNetworkPolicies';

/** One changed object: what a 'changed' listener learns. */
export interface ObjectChange {
  type: 'added' | 'modified' | 'deleted';
  kind: string;
  namespace: string;
  name: string;
  id: string;
}

/** Where a resource type's objects go and how they are converted (Pods: to Workloads). */
export function listOf(r: ResourceType): ListName | 'workloads' | undefined {
  switch (r.kind) {
    case 'Namespace':
      return 'namespaces';
    case 'Node':
      return 'nodes';
    case 'Pod':
      return 'workloads';
    case 'Service':
      return 'services';
    case 'EndpointSlice':
    case 'Endpoints':
      return 'endpointSlices';
    case 'Ingress':
      return 'ingresses';
    case 'IngressClass':
      return 'ingressClasses';
    case 'HTTPRoute':
    case 'GRPCRoute':
      return 'routes';
    case 'Gateway':
      return 'gateways';
    case 'GatewayClass':
      return 'gatewayClasses';
    case 'ReferenceGrant':
      return 'referenceGrants';
    case 'NetworkPolicy':
      return 'networkPolicies';
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'ClusterNetworkPolicy':
      return 'adminNetworkPolicies';
    default:
      return undefined;
  }
}

function convert(r: ResourceType, raw: Raw): ModelObject[] {
  let one: ModelObject | undefined;
  switch (r.kind) {
    case 'Namespace':
      one = toNamespace(raw);
      break;
    case 'Node':
      one = toNode(raw);
      break;
    case 'Service':
      one = toService(raw);
      break;
    case 'EndpointSlice':
      one = toEndpointSlice(raw);
      break;
    case 'Endpoints':
      return toEndpoints(raw);
    case 'Ingress':
      one = toIngress(raw);
      break;
    case 'IngressClass':
      one = toIngressClass(raw);
      break;
    case 'HTTPRoute':
    case 'GRPCRoute':
      one = toFullRoute(raw, apiVersionOf(r), r.kind);
      break;
    case 'Gateway':
      one = toGateway(raw, apiVersionOf(r));
      break;
    case 'GatewayClass':
      one = toGatewayClass(raw, apiVersionOf(r));
      break;
    case 'ReferenceGrant':
      one = toReferenceGrant(raw, apiVersionOf(r));
      break;
    case 'NetworkPolicy':
      one = toNetworkPolicy(raw);
      break;
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'ClusterNetworkPolicy':
      one = toAdminNetworkPolicy(raw, r.kind, apiVersionOf(r));
      break;
  }
  return one ? [one] : [];
}

function uidOf(raw: Raw): string | undefined {
  return str(obj(raw.metadata)?.uid);
}

function refOf(raw: Raw, kind: string, type: ObjectChange['type']): ObjectChange {
  const m = obj(raw.metadata);
  return { type, kind, namespace: str(m?.namespace) ?? '', name: str(m?.name) ?? '', id: uidOf(raw) ?? '' };
}

export class ModelStore {
  private readonly lists = new Map<ListName, Map<string, ModelObject[]>>();
  private readonly built = new Map<ListName, ModelObject[]>();
  private readonly workloadIndex = new WorkloadIndex();
  /** UIDs each informer (resource + namespace) contributed: a relist deletes the rest. */
  private readonly owned = new Map<string, Set<string>>();
  private current: NetworkModel | undefined;
  /** UIDs seen so far by each list in progress. */
  private readonly listing = new Map<string, Set<string>>();

  constructor(private readonly defaultNamespace: string) {}

  /** Applies one watch event; returns what changed (nothing for an unknown kind). */
  apply(informerKey: string, r: ResourceType, type: 'ADDED' | 'MODIFIED' | 'DELETED', raw: Raw): ObjectChange[] {
    const uid = uidOf(raw);
    if (!uid) return [];
    const owned = this.ownedBy(informerKey);
    const list = listOf(r);
    if (!list) return [];
    this.current = undefined;
    if (list === 'workloads') {
      if (type === 'DELETED') {
        owned.delete(uid);
        this.workloadIndex.delete(uid);
      } else {
        owned.add(uid);
        this.workloadIndex.upsert(raw);
      }
      return [refOf(raw, r.kind, type === 'ADDED' ? 'added' : type === 'MODIFIED' ? 'modified' : 'deleted')];
    }
    const map = this.listMap(list);
    this.built.delete(list);
    if (type === 'DELETED') {
      owned.delete(uid);
      map.delete(uid);
      return [refOf(raw, r.kind, 'deleted')];
    }
    const had = map.has(uid);
    const objs = convert(r, raw);
    if (objs.length > 0) map.set(uid, objs);
    else map.delete(uid);
    owned.add(uid);
    return [refOf(raw, r.kind, had ? 'modified' : 'added')];
  }

  /** A list for one informer begins (see replacePage, endReplace). */
  beginReplace(informerKey: string): void {
    this.listing.set(informerKey, new Set());
  }

  /** Adds or replaces the objects of one list page. */
  replacePage(informerKey: string, r: ResourceType, items: Raw[]): void {
    const before = this.ownedBy(informerKey);
    const now = this.listing.get(informerKey) ?? new Set<string>();
    for (const raw of items) {
      const uid = uidOf(raw);
      if (!uid) continue;
      now.add(uid);
      this.apply(informerKey, r, before.has(uid) ? 'MODIFIED' : 'ADDED', raw);
    }
    this.listing.set(informerKey, now);
  }

  /** The list is complete: deletes what this informer gave before and the list did not have. Returns how many. */
  endReplace(informerKey: string, r: ResourceType): number {
    const now = this.listing.get(informerKey) ?? new Set<string>();
    this.listing.delete(informerKey);
    const before = this.ownedBy(informerKey);
    let gone = 0;
    for (const uid of before) {
      if (now.has(uid)) continue;
      gone++;
      this.apply(informerKey, r, 'DELETED', { metadata: { uid } });
    }
    this.owned.set(informerKey, now);
    this.current = undefined;
    return gone;
  }

  /** A whole list at once (beginReplace + replacePage + endReplace). */
  replace(informerKey: string, r: ResourceType, items: Raw[]): number {
    this.beginReplace(informerKey);
    this.replacePage(informerKey, r, items);
    return this.endReplace(informerKey, r);
  }

  private unread: readonly UnreadResource[] = [];

  /** What could not be read (carried by the model); a new model only when it changed. */
  setUnread(unread: readonly UnreadResource[]): boolean {
    if (JSON.stringify(unread) === JSON.stringify(this.unread)) return false;
    this.unread = unread;
    this.current = undefined;
    return true;
  }

  /** The current model (cheap when little changed since the last call). */
  model(): NetworkModel {
    if (this.current) return this.current;
    this.current = {
      source: 'cluster',
      defaultNamespace: this.defaultNamespace,
      namespaces: this.listArray('namespaces') as NetworkModel['namespaces'],
      nodes: this.listArray('nodes') as NetworkModel['nodes'],
      workloads: this.workloadIndex.workloads(),
      services: this.listArray('services') as NetworkModel['services'],
      endpointSlices: this.listArray('endpointSlices') as NetworkModel['endpointSlices'],
      ingresses: this.listArray('ingresses') as NetworkModel['ingresses'],
      ingressClasses: this.listArray('ingressClasses') as NetworkModel['ingressClasses'],
      routes: this.listArray('routes') as NetworkModel['routes'],
      gateways: this.listArray('gateways') as NetworkModel['gateways'],
      gatewayClasses: this.listArray('gatewayClasses') as NetworkModel['gatewayClasses'],
      referenceGrants: this.listArray('referenceGrants') as NetworkModel['referenceGrants'],
      networkPolicies: this.listArray('networkPolicies') as NetworkModel['networkPolicies'],
      adminNetworkPolicies: this.listArray('adminNetworkPolicies') as NetworkModel['adminNetworkPolicies'],
      ...(this.unread.length > 0 ? { unread: this.unread } : {}),
    };
    return this.current;
  }

  private ownedBy(key: string): Set<string> {
    let s = this.owned.get(key);
    if (!s) this.owned.set(key, (s = new Set()));
    return s;
  }

  private listMap(list: ListName): Map<string, ModelObject[]> {
    let m = this.lists.get(list);
    if (!m) this.lists.set(list, (m = new Map()));
    return m;
  }

  private listArray(list: ListName): ModelObject[] {
    let a = this.built.get(list);
    if (a) return a;
    a = [];
    for (const objs of this.listMap(list).values()) for (const o of objs) a.push(o);
    this.built.set(list, a);
    return a;
  }
}
