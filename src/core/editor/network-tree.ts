// The Network view's tree, for any editor: namespaces → Services, Ingresses,
// Gateways, routes and NetworkPolicies (each group only when it holds
// something), and the cluster-wide admin policies when there are any. Children
// are built when asked, per item, so a 20,000-Pod cluster answers its top
// level without walking its Pods. Each item carries where its object is
// written, what "Trace request" traces and the inspector node that stands for
// it. An item's id is the JSON of the path that finds it again in a later
// model, so a tree view keeps what was expanded across changes.
import type { Finding } from '../findings/types';
import type { ModelIndex } from '../model/model-index';
import type { AdminNetworkPolicy, Gateway, Ingress, Loc, NetworkPolicy, Route, Service } from '../model/types';
import type { FindingBadge, NetworkTreeGroup, NetworkTreeItem } from '../../protocol';
import { findingBadges, toBadge } from '../topology/build-graph';
import { adminPolicyItem, gatewayItem, ingressItems, policyItems, routeItems, serviceItems, type TreeContext } from './network-tree-items';

/** A tree item with its object's place as the core knows it (offsets); the server turns it into a range. */
export type NetworkTreeNode = Omit<NetworkTreeItem, 'location'> & { loc?: Loc };

type Counts = NonNullable<NetworkTreeItem['findings']>;

interface NamespaceObjects {
  services: Service[];
  ingresses: Ingress[];
  gateways: Gateway[];
  routes: Route[];
  networkPolicies: NetworkPolicy[];
}

const GROUPS: { group: NetworkTreeGroup; label: string; one: string; many: string }[] = [
  { group: 'services', label: 'Services', one: 'service', many: 'services' },
  { group: 'ingresses', label: 'Ingresses', one: 'ingress', many: 'ingresses' },
  { group: 'gateways', label: 'Gateways', one: 'gateway', many: 'gateways' },
  { group: 'routes', label: 'Routes', one: 'route', many: 'routes' },
  { group: 'networkPolicies', label: 'NetworkPolicies', one: 'policy', many: 'policies' },
];

export const CLUSTER_POLICIES_ID = JSON.stringify(['cluster']);

/** The tree of one model and its findings; build a new one when either changes. */
export class NetworkTree implements TreeContext {
  private badgeMap: Map<string, FindingBadge> | undefined;
  private namespaceMap: Map<string, NamespaceObjects> | undefined;
  private readonly groupCounts = new Map<string, Counts | undefined>();
  private objectMap: Map<string, Service | Ingress | Gateway | Route | NetworkPolicy | AdminNetworkPolicy> | undefined;

  constructor(
    readonly index: ModelIndex,
    readonly findings: readonly Finding[],
  ) {}

  /** The items under `parent` (an item's id; absent: the top level); undefined when the model holds no such item now. */
  children(parent?: string): NetworkTreeNode[] | undefined {
    if (parent === undefined) return this.top();
    let path: unknown;
    try {
      path = JSON.parse(parent);
    } catch {
      return undefined;
    }
    if (!Array.isArray(path) || !path.every((p) => typeof p === 'string')) return undefined;
    const [kind, a, b] = path as string[];
    switch (kind) {
      case 'cluster':
        return this.adminPolicies().map((p) => adminPolicyItem(this, p));
      case 'ns':
        return this.namespaces().has(a) ? this.groups(a) : undefined;
      case 'group':
        return this.groupChildren(a, b as NetworkTreeGroup);
      default: {
        // An object's item: its id is [kind, objectId, ...where it sits].
        const object = this.object(a);
        if (!object) return undefined;
        return this.objectChildren(path as string[], object);
      }
    }
  }

  /** An object by model id: Services, Ingresses, Gateways, routes and policies (the kinds the tree shows). */
  object(id: string) {
    if (!this.objectMap) {
      const m = this.index.model;
      this.objectMap = new Map();
      for (const list of [m.services, m.ingresses, m.gateways, m.routes, m.networkPolicies, m.adminNetworkPolicies]) for (const o of list) this.objectMap.set(o.id, o);
    }
    return this.objectMap.get(id);
  }

  /** An object's finding badge (findings attributed as the inspector's badges are). */
  badge(objectId: string): FindingBadge | undefined {
    this.badgeMap ??= findingBadges(this.index, this.findings, { pods: false });
    return this.badgeMap.get(objectId);
  }

  /** The findings inside a span of a file (an Ingress path, a rule; kinds the inspector's badges do not attribute). */
  findingsWithin(loc: Loc | undefined): FindingBadge | undefined {
    if (!loc) return undefined;
    const inside = this.findings.filter((f) => f.loc.file === loc.file && loc.start <= f.loc.start && f.loc.end <= loc.end);
    return toBadge(inside);
  }

  private top(): NetworkTreeNode[] {
    const out: NetworkTreeNode[] = [];
    const admin = this.adminPolicies();
    if (admin.length > 0) {
      const counts = sumCounts(admin.map((p) => countsOf(this.findingsWithin(p.origin.loc))));
      out.push({
        id: CLUSTER_POLICIES_ID,
        kind: 'clusterPolicies',
        label: 'Cluster-wide policies',
        description: `${admin.length} admin polic${admin.length === 1 ? 'y' : 'ies'}`,
        tooltip: 'AdminNetworkPolicies (evaluated before NetworkPolicies, by priority) and the BaselineAdminNetworkPolicy (after them)',
        hasChildren: true,
        ...(counts ? { findings: counts } : {}),
      });
    }
    const namespaces = this.namespaces();
    for (const ns of [...namespaces.keys()].sort()) {
      const objects = namespaces.get(ns) as NamespaceObjects;
      const declared = this.index.model.namespaces.find((n) => n.name === ns);
      const parts = GROUPS.filter((g) => objects[g.group].length > 0).map((g) => plural(objects[g.group].length, g.one, g.many));
      const counts = sumCounts(GROUPS.map((g) => this.countsOfGroup(ns, g.group)));
      out.push({
        id: JSON.stringify(['ns', ns]),
        kind: 'namespace',
        label: ns,
        description: parts.join(' · '),
        tooltip: `Namespace ${ns}${declared ? '' : ' (no Namespace object in the set: named by the objects in it)'}\n${parts.join(', ')}`,
        hasChildren: true,
        ...(counts ? { findings: counts } : {}),
        ...(declared?.origin.nameLoc || declared?.origin.loc ? { loc: declared.origin.nameLoc ?? declared.origin.loc } : {}),
      });
    }
    return out;
  }

  private groups(ns: string): NetworkTreeNode[] {
    const objects = this.namespaces().get(ns) as NamespaceObjects;
    return GROUPS.filter((g) => objects[g.group].length > 0).map((g): NetworkTreeNode => {
      const counts = this.countsOfGroup(ns, g.group);
      return {
        id: JSON.stringify(['group', ns, g.group]),
        kind: 'group',
        group: g.group,
        label: g.label,
        description: String(objects[g.group].length),
        hasChildren: true,
        ...(counts ? { findings: counts } : {}),
      };
    });
  }

  private groupChildren(ns: string, group: NetworkTreeGroup): NetworkTreeNode[] | undefined {
    const objects = this.namespaces().get(ns);
    if (!objects || !GROUPS.some((g) => g.group === group)) return undefined;
    switch (group) {
      case 'services':
        return objects.services.map((s) => serviceItems.item(this, s));
      case 'ingresses':
        return objects.ingresses.map((i) => ingressItems.item(this, i));
      case 'gateways':
        return objects.gateways.map((g) => gatewayItem(this, g));
      case 'routes':
        return objects.routes.map((r) => routeItems.item(this, r));
      case 'networkPolicies':
        return objects.networkPolicies.map((p) => policyItems.item(this, p));
    }
  }

  private objectChildren(path: string[], object: NonNullable<ReturnType<NetworkTree['object']>>): NetworkTreeNode[] | undefined {
    // Only an object's own item has children: [kind, id], or [route, id, gateway] under a Gateway.
    const own = path.length === 2;
    switch (object.kind) {
      case 'Service':
        return own && path[0] === 'service' ? serviceItems.children(this, object) : undefined;
      case 'Ingress':
        return own && path[0] === 'ingress' ? ingressItems.children(this, object) : undefined;
      case 'Gateway':
        return own && path[0] === 'gateway' ? routeItems.attachedTo(this, object) : undefined;
      case 'HTTPRoute':
      case 'GRPCRoute':
        return path[0] === 'route' && path.length <= 3 ? routeItems.children(this, object, path[2]) : undefined;
      case 'NetworkPolicy':
        return own && path[0] === 'policy' ? policyItems.children(this, object) : undefined;
      default:
        return undefined;
    }
  }

  /** The findings of a group's objects, summed (a group and its namespace carry them). */
  private countsOfGroup(ns: string, group: NetworkTreeGroup): Counts | undefined {
    const key = `${ns}\n${group}`;
    if (!this.groupCounts.has(key)) {
      const objects = this.namespaces().get(ns)?.[group] ?? [];
      const own = (o: Service | Ingress | Gateway | Route | NetworkPolicy) => (o.kind === 'Gateway' ? this.findingsWithin(o.origin.loc) : this.badge(o.id));
      this.groupCounts.set(key, sumCounts(objects.map((o) => countsOf(own(o)))));
    }
    return this.groupCounts.get(key);
  }

  /** Each namespace's objects of the kinds the tree shows, sorted by name (namespaces with none are left out). */
  private namespaces(): Map<string, NamespaceObjects> {
    if (this.namespaceMap) return this.namespaceMap;
    const m = this.index.model;
    const map = new Map<string, NamespaceObjects>();
    const of = (ns: string) => {
      let o = map.get(ns);
      if (!o) map.set(ns, (o = { services: [], ingresses: [], gateways: [], routes: [], networkPolicies: [] }));
      return o;
    };
    for (const s of m.services) of(s.namespace).services.push(s);
    for (const i of m.ingresses) of(i.namespace).ingresses.push(i);
    for (const g of m.gateways) of(g.namespace).gateways.push(g);
    for (const r of m.routes) of(r.namespace).routes.push(r);
    for (const p of m.networkPolicies) of(p.namespace).networkPolicies.push(p);
    for (const o of map.values()) for (const g of GROUPS) o[g.group].sort(byName);
    this.namespaceMap = map;
    return map;
  }

  /** Admin tier by priority (lower first, as they are evaluated), then the baseline. */
  private adminPolicies(): AdminNetworkPolicy[] {
    return [...this.index.model.adminNetworkPolicies].sort((a, b) => (a.tier === b.tier ? (a.priority ?? 0) - (b.priority ?? 0) || byName(a, b) : a.tier === 'Admin' ? -1 : 1));
  }
}

function byName(a: { name: string; kind?: string }, b: { name: string; kind?: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : (a.kind ?? '') < (b.kind ?? '') ? -1 : (a.kind ?? '') > (b.kind ?? '') ? 1 : 0;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function countsOf(badge: FindingBadge | undefined): Counts | undefined {
  return badge ? { errors: badge.errors, warnings: badge.warnings, infos: badge.infos } : undefined;
}

function sumCounts(list: (Counts | undefined)[]): Counts | undefined {
  const present = list.filter((c): c is Counts => c !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((a, c) => ({ errors: a.errors + c.errors, warnings: a.warnings + c.warnings, infos: a.infos + c.infos }), { errors: 0, warnings: 0, infos: 0 });
}
