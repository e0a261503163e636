// The Network view's items, one builder per kind: what each says beside its
// name (type, ports, endpoints ready as a trace counts them, routes, rules),
// its tooltip, its children, what "Trace request" traces from it and the
// inspector node that stands for it. network-tree.ts decides where they sit.
import type { ModelIndex } from '../model/model-index';
import { hasServiceSelector, uniqueWorkloads } from '../model/model-index';
import { formatSelector, isEmptySelector } from '../model/selectors';
import type { AdminNetworkPolicy, Gateway, Ingress, Loc, ModelObject, NetworkPolicy, PolicyPeer, PolicyRule, Route, Service, ServicePort, Workload } from '../model/types';
import { GATEWAY_GROUP } from '../model/types';
import { countEndpoints, type EndpointCount } from '../trace/endpoints';
import { judgeRoute } from '../trace/gateway/attach';
import { routeRuleRequests } from '../trace/gateway/urls';
import { ingressNodeUrl } from '../topology/trace-target';
import { egressRuleLenses } from '../topology/egress-rules';
import { podRuleLenses } from '../topology/pod-rules';
import type { FindingBadge, NetworkTreeItem, TraceRequestArgument } from '../../protocol';
import { podCount } from './trace-targets';
import type { NetworkTreeNode, TreeObject } from './network-tree';

/** What the builders read of the tree. */
export interface TreeContext {
  readonly index: ModelIndex;
  /** An object's key, the start of its item's id (network-tree.ts, ITEM IDS). */
  key(o: TreeObject): string[];
  badge(objectId: string): FindingBadge | undefined;
  findingsWithin(loc: Loc | undefined): FindingBadge | undefined;
}

/** Finding messages a tooltip lists before "and N more". */
const TOOLTIP_FINDINGS = 5;

const id = (...path: string[]) => JSON.stringify(path);

/** Where an object is revealed: its name (as the inspector reveals it), else the whole object. */
const placeOf = (o: ModelObject): Loc | undefined => o.origin.nameLoc ?? o.origin.loc;

/** The item with its findings: counts for the badge, messages at the end of the tooltip. */
function withFindings(node: NetworkTreeNode, badge: FindingBadge | undefined): NetworkTreeNode {
  if (!badge) return node;
  const shown = badge.messages.slice(0, TOOLTIP_FINDINGS);
  const more = badge.messages.length - shown.length;
  const lines = [...shown, ...(more > 0 ? [`and ${more} more`] : [])];
  return { ...node, findings: { errors: badge.errors, warnings: badge.warnings, infos: badge.infos }, tooltip: [node.tooltip ?? node.label, '', ...lines].join('\n') };
}

function withLoc(node: NetworkTreeNode, loc: Loc | undefined): NetworkTreeNode {
  return loc ? { ...node, loc } : node;
}

// ---------------------------------------------------------------- Services

/** "0/3 ready", "no endpoints", "one per node": a port's endpoints as a trace counts them. */
export function endpointsText(s: Service, c: EndpointCount | undefined, sp: ServicePort | undefined = s.ports[0]): string {
  if (s.type === 'ExternalName') return `→ ${s.externalName ?? '(no externalName)'}`;
  if (!c) return 'no ports';
  if (c.source === 'none') return 'no selector, no endpoints';
  if (c.total === 0) return 'no endpoints';
  if (c.perNode) return c.ready > 0 ? 'one per node' : 'none ready (one per node)';
  const drain = c.draining > 0 ? ` · ${c.draining} terminating` : '';
  const port = c.noPort > 0 ? ` · ${c.noPort === c.total ? 'none declares' : `${c.noPort} without`} port ${sp?.targetPort ?? sp?.port}` : '';
  return `${c.ready}/${c.total} ready${drain}${port}`;
}

function portText(p: ServicePort): string {
  const target = p.targetPort === undefined || p.targetPort === 0 || p.targetPort === p.port ? '' : `→${p.targetPort}`;
  return `${p.port}${target}/${p.protocol}`;
}

function serviceType(s: Service): string {
  if (s.headless) return 'headless';
  if (s.type === 'LoadBalancer' && s.loadBalancerIPs.length > 0) return `LoadBalancer ${s.loadBalancerIPs[0]}`;
  return s.type;
}

/** The workloads a Service sends to (the same workload in two files once). */
function selected(index: ModelIndex, s: Service): Workload[] {
  return s.type !== 'ExternalName' && hasServiceSelector(s) && s.selector ? uniqueWorkloads(index.selectedBy(s.namespace, s.selector)) : [];
}

function workloadItem(path: string[], w: Workload, extra?: string): NetworkTreeNode {
  const pods = podCount(w);
  const podsText = pods === undefined ? (w.kind === 'DaemonSet' ? 'one pod per node' : 'pods while it runs') : `${pods} pod${pods === 1 ? '' : 's'}`;
  return withLoc(
    {
      id: id(...path),
      kind: 'workload',
      label: w.name,
      description: [w.kind, podsText, extra].filter(Boolean).join(' · '),
      tooltip: `${w.kind} ${w.namespace}/${w.name}\npod labels: ${Object.entries(w.podLabels).map(([k, v]) => `${k}=${v}`).join(', ') || '(none)'}`,
      hasChildren: false,
      inspectorNodeId: `workload:${w.id}`,
    },
    placeOf(w),
  );
}

export const serviceItems = {
  item(t: TreeContext, s: Service): NetworkTreeNode {
    const counts = s.type === 'ExternalName' ? [] : s.ports.map((p) => countEndpoints(t.index, s, p));
    const first = counts[0];
    // Short enough for a side bar: ClusterIP and TCP (the defaults) only in the tooltip.
    const description = [endpointsText(s, first), s.type === 'ClusterIP' && !s.headless ? undefined : serviceType(s), s.ports.map((p) => portText(p).replace(/\/TCP$/, '')).join(', ')].filter(Boolean).join(' · ');
    const tooltip = [
      `Service ${s.namespace}/${s.name}`,
      [s.type, s.headless ? 'headless' : s.clusterIP].filter(Boolean).join(' · '),
      s.selector && !isEmptySelector(s.selector) ? `selector ${formatSelector(s.selector)}` : s.type === 'ExternalName' ? undefined : 'no selector: endpoints managed by hand',
      ...s.ports.map((p, i) => `port ${p.name ? `${p.name} ` : ''}${portText(p)}: ${endpointsText(s, counts[i], p)}`),
      ...(first?.notes ?? []),
    ].filter((l): l is string => l !== undefined && l !== '');
    const hasChildren = s.ports.length > 1 || selected(t.index, s).length > 0;
    const node: NetworkTreeNode = {
      id: id(...t.key(s)),
      kind: 'service',
      label: s.name,
      description,
      tooltip: tooltip.join('\n'),
      hasChildren,
      trace: s.ports[0] ? { serviceId: s.id, port: s.ports[0].port } : { serviceId: s.id },
      inspectorNodeId: `service:${s.id}`,
    };
    return withFindings(withLoc(node, placeOf(s)), t.badge(s.id));
  },

  /** Its ports (when more than one: each traced on its own) and the workloads it sends to. */
  children(t: TreeContext, s: Service): NetworkTreeNode[] {
    const out: NetworkTreeNode[] = [];
    if (s.ports.length > 1) {
      s.ports.forEach((p) => {
        const c = s.type === 'ExternalName' ? undefined : countEndpoints(t.index, s, p);
        out.push(
          withLoc(
            {
              id: id(...t.key(s), 'port', `${p.port}/${p.protocol}`),
              kind: 'servicePort',
              label: `${p.name ? `${p.name} ` : ''}${portText(p)}`,
              description: endpointsText(s, c, p),
              tooltip: `Service ${s.namespace}/${s.name} port ${p.port}${p.name ? ` (${p.name})` : ''}${c?.notes.length ? `\n${c.notes.join('\n')}` : ''}`,
              hasChildren: false,
              trace: { serviceId: s.id, port: p.port },
              inspectorNodeId: `service:${s.id}`,
            },
            p.loc,
          ),
        );
      });
    }
    for (const w of selected(t.index, s)) out.push(workloadItem([...t.key(s), 'workload', w.kind, w.name], w));
    return out;
  },
};

// ---------------------------------------------------------------- Ingresses

function backendText(b: { service: string; port?: number | string; resource?: { kind: string; name: string } }): string {
  if (b.resource) return `→ ${b.resource.kind} ${b.resource.name}`;
  return `→ ${b.service}:${b.port ?? '(no port)'}`;
}

export const ingressItems = {
  item(t: TreeContext, ing: Ingress): NetworkTreeNode {
    const hosts = [...new Set(ing.rules.map((r) => r.host ?? '*'))];
    const paths = ing.rules.reduce((n, r) => n + r.paths.length, 0) + (ing.defaultBackend ? 1 : 0);
    const tls = ing.tls.length > 0 ? 'TLS' : undefined;
    const first = firstPath(ing);
    const url = first ? ingressNodeUrl(first, ing) : undefined;
    const node: NetworkTreeNode = {
      id: id(...t.key(ing)),
      kind: 'ingress',
      label: ing.name,
      description: [ing.className ?? 'default class', hosts.join(', '), tls].filter(Boolean).join(' · '),
      tooltip: `Ingress ${ing.namespace}/${ing.name}\nclass ${ing.className ?? '(the default IngressClass)'}\n${paths} path${paths === 1 ? '' : 's'}${ing.tls.length > 0 ? `\nTLS for ${ing.tls.flatMap((x) => x.hosts).join(', ') || '(no hosts)'}` : ''}`,
      hasChildren: paths > 0,
      ...(url ? { trace: { url } } : {}),
      ...(first ? { inspectorNodeId: first } : {}),
    };
    return withFindings(withLoc(node, placeOf(ing)), t.badge(ing.id));
  },

  /** Its paths in the order written (host, then path), and the default backend. */
  children(t: TreeContext, ing: Ingress): NetworkTreeNode[] {
    const out: NetworkTreeNode[] = [];
    ing.rules.forEach((rule, r) => {
      rule.paths.forEach((p, i) => {
        const nodeId = `ingress:${ing.id}/${r}/${i}`;
        const url = ingressNodeUrl(nodeId, ing);
        const node: NetworkTreeNode = {
          id: id(...t.key(ing), 'path', rule.host ?? '*', p.path || '/'),
          kind: 'ingressPath',
          label: `${rule.host ?? '*'}${p.path || '/'}`,
          description: `${backendText(p.backend)} · ${p.pathType}`,
          tooltip: url ? `${url} (${p.pathType})` : `${rule.host ?? 'any host'}${p.path || '/'} (${p.pathType}): no host to trace a URL to`,
          hasChildren: false,
          ...(url ? { trace: { url } } : {}),
          inspectorNodeId: nodeId,
        };
        out.push(withFindings(withLoc(node, p.loc ?? rule.loc), t.findingsWithin(p.loc)));
      });
    });
    if (ing.defaultBackend) {
      const b = ing.defaultBackend;
      out.push(withFindings(withLoc({ id: id(...t.key(ing), 'default backend'), kind: 'ingressPath', label: '* (default backend)', description: backendText(b), tooltip: 'Requests no rule matches', hasChildren: false, inspectorNodeId: `ingress:${ing.id}/default` }, b.loc), t.findingsWithin(b.loc)));
    }
    return out;
  },
};

function firstPath(ing: Ingress): string | undefined {
  const r = ing.rules.findIndex((rule) => rule.paths.length > 0);
  if (r >= 0) return `ingress:${ing.id}/${r}/0`;
  return ing.defaultBackend ? `ingress:${ing.id}/default` : undefined;
}

// ---------------------------------------------------------------- Gateways and routes

export function gatewayItem(t: TreeContext, g: Gateway): NetworkTreeNode {
  const listeners = g.listeners.map((l) => `${l.protocol}/${l.port}${l.hostname ? ` ${l.hostname}` : ''}`);
  const attached = routesOf(t, g).length;
  const node: NetworkTreeNode = {
    id: id(...t.key(g)),
    kind: 'gateway',
    label: g.name,
    description: [listeners.join(', ') || 'no listeners', `${attached} route${attached === 1 ? '' : 's'}`].join(' · '),
    tooltip: [`Gateway ${g.namespace}/${g.name}`, `class ${g.gatewayClassName ?? '(none)'}`, ...g.listeners.map((l) => `listener ${l.name}: ${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''} (routes from ${l.allowedRoutes.from === 'Same' ? 'this namespace' : l.allowedRoutes.from === 'All' ? 'every namespace' : 'selected namespaces'})`), ...(g.addresses.length > 0 ? [`addresses ${g.addresses.join(', ')}`] : [])].join('\n'),
    hasChildren: attached > 0,
    inspectorNodeId: `entry:gateway:${g.namespace}/${g.name}`,
  };
  return withFindings(withLoc(node, placeOf(g)), t.findingsWithin(g.origin.loc));
}

/** The routes whose parentRefs name the Gateway, and whether a listener takes them. */
function routesOf(t: TreeContext, g: Gateway): { route: Route; accepted: boolean | 'unknown' }[] {
  const out: { route: Route; accepted: boolean | 'unknown' }[] = [];
  for (const route of t.index.model.routes) {
    const verdicts = judgeRoute(t.index.model, route).filter((pv) => pv.gateway === g && (pv.parentRef.group ?? GATEWAY_GROUP) === GATEWAY_GROUP);
    if (verdicts.length === 0) continue;
    const listeners = verdicts.flatMap((v) => v.listeners);
    const accepted = listeners.some((l) => l.rejected === undefined) ? true : listeners.some((l) => l.rejected === 'unknown') ? 'unknown' : false;
    out.push({ route, accepted });
  }
  return out.sort((a, b) => (a.route.namespace === b.route.namespace ? (a.route.name < b.route.name ? -1 : 1) : a.route.namespace < b.route.namespace ? -1 : 1));
}

/** How a route's id under a Gateway goes on: the Gateway's namespace and name (and where it is written, if twice). */
function viaPart(t: TreeContext, g: Gateway): string[] {
  return ['via', ...t.key(g).slice(1)];
}

function matchText(route: Route, r: number): string {
  const rule = route.rules[r];
  const parts = rule.matches.map((m) => {
    if (m.grpc) return [m.grpc.service, m.grpc.method].filter(Boolean).join('/') || 'any method';
    const path = m.path ?? '/';
    const type = m.pathType && m.pathType !== 'PathPrefix' ? ` (${m.pathType})` : '';
    const headers = (m.headers ?? []).map((h) => `${h.name}: ${h.value}`);
    return `${m.method ? `${m.method} ` : ''}${path}${type}${headers.length > 0 ? ` [${headers.join(', ')}]` : ''}`;
  });
  return parts.length > 0 ? parts.join(' | ') : '/';
}

export const routeItems = {
  /** A route; under a Gateway (`via`), named with its namespace when it is another, and said when no listener takes it. */
  item(t: TreeContext, route: Route, via?: { gateway: Gateway; accepted: boolean | 'unknown' }): NetworkTreeNode {
    const hosts = route.hostnames.length > 0 ? route.hostnames.join(', ') : '*';
    const parents = route.parentRefs.map((p) => `${p.namespace === route.namespace ? '' : `${p.namespace}/`}${p.name}${p.sectionName ? `/${p.sectionName}` : ''}`);
    const state = via && via.accepted !== true ? (via.accepted === 'unknown' ? 'attachment unknown' : 'not accepted') : undefined;
    const request = routeRuleRequests(t.index.model, route)[0];
    const node: NetworkTreeNode = {
      id: id(...t.key(route), ...(via ? viaPart(t, via.gateway) : [])),
      kind: 'route',
      label: via && route.namespace !== via.gateway.namespace ? `${route.namespace}/${route.name}` : route.name,
      description: [route.kind, hosts, `${route.rules.length} rule${route.rules.length === 1 ? '' : 's'}`, state].filter(Boolean).join(' · '),
      tooltip: `${route.kind} ${route.namespace}/${route.name}\nhostnames ${hosts}\nparents ${parents.join(', ') || '(none)'}`,
      hasChildren: route.rules.length > 0,
      ...(request ? { trace: requestTarget(request) } : {}),
      ...(route.rules.length > 0 ? { inspectorNodeId: `route:${route.id}/0` } : {}),
    };
    return withFindings(withLoc(node, placeOf(route)), t.badge(route.id));
  },

  attachedTo(t: TreeContext, g: Gateway): NetworkTreeNode[] {
    return routesOf(t, g).map(({ route, accepted }) => routeItems.item(t, route, { gateway: g, accepted }));
  },

  /** Its rules, each traced with a request the matcher really sends to it (none when no such request exists). */
  children(t: TreeContext, route: Route, via?: string[]): NetworkTreeNode[] {
    const requests = routeRuleRequests(t.index.model, route);
    return route.rules.map((rule, r) => {
      const request = requests.find((q) => q.ruleIndex === r);
      const backends = rule.backendRefs.map((b) => `${b.namespace !== route.namespace ? `${b.namespace}/` : ''}${b.kind === 'Service' ? '' : `${b.kind} `}${b.service}:${b.port ?? '(no port)'}${rule.backendRefs.length > 1 ? ` (${b.weight})` : ''}`);
      const filters = (rule.filters ?? []).map((f) => f.type);
      const node: NetworkTreeNode = {
        id: id(...t.key(route), ...(via ?? []), 'rule', String(r)),
        kind: 'routeRule',
        label: rule.name ? `${rule.name}: ${matchText(route, r)}` : matchText(route, r),
        description: [backends.length > 0 ? `→ ${backends.join(', ')}` : 'no backend', ...filters].join(' · '),
        tooltip: `${route.kind} ${route.namespace}/${route.name} rule ${r}${request ? `\ntraced as ${request.method ? `${request.method} ` : ''}${request.url}` : '\nno request lands on this rule alone (another rule matches first, or its match cannot be made concrete)'}`,
        hasChildren: false,
        ...(request ? { trace: requestTarget(request) } : {}),
        inspectorNodeId: `route:${route.id}/${r}`,
      };
      return withFindings(withLoc(node, rule.loc), t.findingsWithin(rule.loc));
    });
  },
};

function requestTarget(r: { url: string; method?: string; headers?: Record<string, string> }): TraceRequestArgument {
  return { url: r.url, ...(r.method ? { method: r.method } : {}), ...(r.headers ? { headers: r.headers } : {}) };
}

// ---------------------------------------------------------------- NetworkPolicies

function peerText(p: PolicyPeer): string {
  if (p.ipBlock) return `${p.ipBlock.cidr}${p.ipBlock.except.length > 0 ? ` except ${p.ipBlock.except.join(', ')}` : ''}`;
  const pods = p.podSelector ? (isEmptySelector(p.podSelector) ? 'all pods' : formatSelector(p.podSelector)) : undefined;
  const ns = p.namespaceSelector ? (isEmptySelector(p.namespaceSelector) ? 'all namespaces' : `namespaces ${formatSelector(p.namespaceSelector)}`) : undefined;
  return [pods, ns].filter(Boolean).join(' in ') || 'all pods';
}

function ruleText(rule: PolicyRule, direction: 'ingress' | 'egress'): string {
  const peers = rule.peers.length === 0 ? 'anywhere' : rule.peers.map(peerText).join('; ');
  const ports = rule.ports.length === 0 ? 'all ports' : rule.ports.map((p) => `${p.protocol}/${p.port ?? 'any'}${p.endPort ? `-${p.endPort}` : ''}`).join(', ');
  return `${direction === 'ingress' ? 'from' : 'to'} ${peers} · ${ports}`;
}

/** "ingress: 2 rules", "ingress: deny all": what the policy does per direction it isolates. */
function directionText(p: NetworkPolicy, direction: 'ingress' | 'egress'): string | undefined {
  if (!p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) return undefined;
  const n = p[direction].length;
  return `${direction} ${n === 0 ? 'deny all' : `${n} rule${n === 1 ? '' : 's'}`}`;
}

export const policyItems = {
  item(t: TreeContext, p: NetworkPolicy): NetworkTreeNode {
    const workloads = uniqueWorkloads(t.index.selectedBy(p.namespace, p.podSelector));
    const selects = isEmptySelector(p.podSelector) ? 'all pods' : workloads.length === 0 ? 'selects nothing' : workloads.length === 1 ? workloads[0].name : `${workloads.length} workloads`;
    const node: NetworkTreeNode = {
      id: id(...t.key(p)),
      kind: 'networkPolicy',
      label: p.name,
      description: [directionText(p, 'ingress'), directionText(p, 'egress'), selects].filter(Boolean).join(' · '),
      tooltip: `NetworkPolicy ${p.namespace}/${p.name}\npodSelector ${isEmptySelector(p.podSelector) ? '{} (every pod of the namespace)' : formatSelector(p.podSelector)}\npolicyTypes ${p.policyTypes.join(', ')}`,
      hasChildren: workloads.length > 0 || p.ingress.length > 0 || p.egress.length > 0,
    };
    return withFindings(withLoc(node, placeOf(p)), t.badge(p.id));
  },

  /** The workloads it selects, then its rules (each traced from or to a Pod it names, or to the address range it names). */
  children(t: TreeContext, p: NetworkPolicy): NetworkTreeNode[] {
    const out: NetworkTreeNode[] = uniqueWorkloads(t.index.selectedBy(p.namespace, p.podSelector)).map((w) => workloadItem([...t.key(p), 'workload', w.kind, w.name], w, 'selected'));
    for (const direction of ['ingress', 'egress'] as const) {
      p[direction].forEach((rule, i) => {
        const lens = podRuleLenses(t.index, p, direction, i)[0] ?? (direction === 'egress' ? egressRuleLenses(t.index, p, i)[0] : undefined);
        const node: NetworkTreeNode = {
          id: id(...t.key(p), direction, String(i)),
          kind: 'policyRule',
          label: `${direction}[${i}]`,
          description: ruleText(rule, direction),
          tooltip: `${ruleText(rule, direction)}${lens ? `\n${lens.tooltip}` : ''}`,
          hasChildren: false,
          ...(lens ? { trace: lens.target } : {}),
        };
        out.push(withFindings(withLoc(node, rule.loc), t.findingsWithin(rule.loc)));
      });
    }
    return out;
  },
};

// ---------------------------------------------------------------- admin policies

export function adminPolicyItem(t: TreeContext, p: AdminNetworkPolicy): NetworkTreeNode {
  const actions = (rules: AdminNetworkPolicy['ingress']) => rules.map((r) => r.actionWritten).join(', ');
  const node: NetworkTreeItem & { loc?: Loc } = {
    id: id(...t.key(p)),
    kind: 'adminPolicy',
    label: p.name,
    description: [p.kind === 'ClusterNetworkPolicy' ? `${p.tier} tier` : p.kind, p.tier === 'Admin' ? `priority ${p.priority ?? 0}` : undefined, p.ingress.length > 0 ? `ingress ${actions(p.ingress)}` : undefined, p.egress.length > 0 ? `egress ${actions(p.egress)}` : undefined].filter(Boolean).join(' · '),
    tooltip: `${p.kind} ${p.name}\n${p.tier === 'Admin' ? `priority ${p.priority ?? 0}: before every NetworkPolicy` : 'baseline: after every NetworkPolicy'}\n${[...p.ingress.map((r) => `ingress ${r.name}: ${r.actionWritten}`), ...p.egress.map((r) => `egress ${r.name}: ${r.actionWritten}`)].join('\n')}`,
    hasChildren: false,
  };
  return withFindings(withLoc(node, placeOf(p)), t.findingsWithin(p.origin.loc));
}
