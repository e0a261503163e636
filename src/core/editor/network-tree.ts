// The Network view's tree, for any editor: namespaces → Services, Ingresses,
// Gateways, routes and NetworkPolicies (each group only when it holds
// something), and the cluster-wide admin policies when there are any. Children
// are built when asked, per item, so a 20,000-Pod cluster answers its top
// level without walking its Pods. Each item carries where its object is
// written, what "Trace request" traces and the inspector node that stands for
// it. An item's id is the JSON of the path that finds it again in a later
// model: what the row is, not where it is written or what it counts (see
// ITEM IDS below), so a tree view keeps what was expanded and selected across
// edits.
import type { Finding } from '../findings/types';
import type { ModelIndex } from '../model/model-index';
import type { AdminNetworkPolicy, Gateway, Ingress, Loc, NetworkPolicy, Route, Service } from '../model/types';
import type { FindingBadge, NetworkTreeGroup, NetworkTreeItem } from '../../protocol';
import { findingBadges, toBadge } from '../topology/build-graph';
import { adminPolicyItem, gatewayItem, ingressItems, policyItems, routeItems, serviceItems, type TreeContext } from './network-tree-items';

/** A tree item with its object's place as the core knows it (offsets); the server turns it into a range. */
export type NetworkTreeNode = Omit<NetworkTreeItem, 'location'> & { loc?: Loc };

type Counts = NonNullable<NetworkTreeItem['findings']>;

/** The kinds of object the tree shows a row for. */
export type TreeObject = Service | Ingress | Gateway | Route | NetworkPolicy | AdminNetworkPolicy;

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

// ITEM IDS: JSON arrays of strings.
//   ["cluster"]                          the cluster-wide policies
//   ["Namespace", ns]                    a namespace
//   ["Namespace", ns, group]             a group in it ("services", ...)
//   [Kind, ns, name]                     an object ("" as the namespace of a cluster-wide one), then
//                                        "@<where it is written>" when the set holds it twice
//   [...object, part...]                 a part of it: "port", "80/TCP"; "workload", Kind, name;
//                                        "path", host, path; "via", gateway ns, gateway name; "rule", i
// Never its file, document index or UID (a document inserted above, a file renamed, an object
// recreated in a cluster leave the row what it was), never its counts or findings (they change
// with every edit: the row stays, its badge and description change).
export const CLUSTER_POLICIES_ID = JSON.stringify(['cluster']);

/** The tree of one model and its findings; build a new one when either changes. */
export class NetworkTree implements TreeContext {
  private badgeMap: Map<string, FindingBadge> | undefined;
  private keyMaps: { byKey: Map<string, TreeObject>; keyOf: Map<TreeObject, string[]> } | undefined;
  private namespaceMap: Map<string, NamespaceObjects> | undefined;
  private readonly groupCounts = new Map<string, Counts | undefined>();

  constructor(
    readonly index: ModelIndex,
    readonly findings: readonly Finding[],
  ) {}

  /** The items under `parent` (an item's id; absent: the top level); undefined when the model holds no such item now. */
  children(parent?: string): NetworkTreeNode[] | undefined {
    const nodes = this.childrenOf(parent);
    return nodes && distinct(nodes);
  }

  private childrenOf(parent: string | undefined): NetworkTreeNode[] | undefined {
    if (parent === undefined) return this.top();
    let path: unknown;
    try {
      path = JSON.parse(parent);
    } catch {
      return undefined;
    }
    if (!Array.isArray(path) || !path.every((p) => typeof p === 'string')) return undefined;
    const [head, a, b] = path as string[];
    if (head === 'cluster') return path.length === 1 ? this.adminPolicies().map((p) => adminPolicyItem(this, p)) : undefined;
    if (head === 'Namespace') {
      if (path.length === 2) return this.namespaces().has(a) ? this.groups(a) : undefined;
      return path.length === 3 ? this.groupChildren(a, b as NetworkTreeGroup) : undefined;
    }
    const found = this.objectAt(path as string[]);
    return found ? this.objectChildren(found.rest, found.object) : undefined;
  }

  /** An object's key: the start of its item's id and of its parts' (see ITEM IDS). */
  key(o: TreeObject): string[] {
    const key = this.keys().keyOf.get(o);
    if (!key) throw new Error(`${o.kind} ${o.namespace}/${o.name} is not an object of this tree's model`);
    return key;
  }

  /** The object an id starts with, and the rest of the id. */
  private objectAt(path: string[]): { object: TreeObject; rest: string[] } | undefined {
    const length = path[3]?.startsWith('@') ? 4 : 3;
    const object = this.keys().byKey.get(JSON.stringify(path.slice(0, length)));
    return object ? { object, rest: path.slice(length) } : undefined;
  }

  private keys(): { byKey: Map<string, TreeObject>; keyOf: Map<TreeObject, string[]> } {
    if (this.keyMaps) return this.keyMaps;
    const m = this.index.model;
    const all: TreeObject[] = [...m.services, ...m.ingresses, ...m.gateways, ...m.routes, ...m.networkPolicies, ...m.adminNetworkPolicies];
    const cluster = new Set<TreeObject>(m.adminNetworkPolicies);
    const named = (o: TreeObject) => [o.kind, cluster.has(o) ? '' : o.namespace, o.name];
    const seen = new Map<string, number>();
    for (const o of all) {
      const name = JSON.stringify(named(o));
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    const byKey = new Map<string, TreeObject>();
    const keyOf = new Map<TreeObject, string[]>();
    for (const o of all) {
      // The same object in two files (overlays, an environment per folder): each row says where it is written.
      const key = (seen.get(JSON.stringify(named(o))) ?? 0) > 1 ? [...named(o), `@${o.id}`] : named(o);
      byKey.set(JSON.stringify(key), o);
      keyOf.set(o, key);
    }
    this.keyMaps = { byKey, keyOf };
    return this.keyMaps;
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
        id: JSON.stringify(['Namespace', ns]),
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
        id: JSON.stringify(['Namespace', ns, g.group]),
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

  private objectChildren(rest: string[], object: TreeObject): NetworkTreeNode[] | undefined {
    // Only an object's own item has children, and a route's under a Gateway: rest is ["via", ns, name].
    if (rest.length > 0 && !(rest[0] === 'via' && (object.kind === 'HTTPRoute' || object.kind === 'GRPCRoute'))) return undefined;
    switch (object.kind) {
      case 'Service':
        return serviceItems.children(this, object);
      case 'Ingress':
        return ingressItems.children(this, object);
      case 'Gateway':
        return routeItems.attachedTo(this, object);
      case 'HTTPRoute':
      case 'GRPCRoute':
        return routeItems.children(this, object, rest.length > 0 ? rest : undefined);
      case 'NetworkPolicy':
        return policyItems.children(this, object);
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

/**
 * Sibling ids made unique: an Ingress path or a Service port written twice (a finding says so)
 * is two rows, the second's id ending "#2" (a tree view refuses an id twice). Only leaves
 * repeat: objects carry where they are written when the set holds them twice.
 */
function distinct(nodes: NetworkTreeNode[]): NetworkTreeNode[] {
  const seen = new Map<string, number>();
  return nodes.map((n) => {
    const count = (seen.get(n.id) ?? 0) + 1;
    seen.set(n.id, count);
    return count === 1 ? n : { ...n, id: JSON.stringify([...(JSON.parse(n.id) as string[]), `#${count}`]) };
  });
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
