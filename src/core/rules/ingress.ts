// Ingress and Gateway API route rules.
import { hasServiceSelector } from '../model/model-index';
import type { Fix } from '../findings/types';
import type { BackendRef, Ingress, IngressPath, IngressRule, Route, Service } from '../model/types';
import { listing, nameOf, objectLoc, refOf, relatedAt, replacementScalar, similarNames, type RuleContext } from './context';
import type { Rule } from './rule';

const CANARY = 'nginx.ingress.kubernetes.io/canary';
const LEGACY_CLASS = 'kubernetes.io/ingress.class';

interface Backend {
  ref: BackendRef;
  /** "host/path" or "the default backend" */
  route: string;
}

function backendsOf(ing: Ingress): Backend[] {
  const out: Backend[] = [];
  if (ing.defaultBackend) out.push({ ref: ing.defaultBackend, route: 'the default backend' });
  for (const r of ing.rules) {
    for (const p of r.paths) out.push({ ref: p.backend, route: `${r.host ?? '*'}${p.path || '/'}` });
  }
  return out;
}

function hasPort(services: Service[], port: number | string): boolean {
  return services.some((s) => s.ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port)));
}

function describeServicePorts(s: Service): string {
  if (s.ports.length === 0) return 'no ports';
  return s.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
}

export const ingressBackendRules: Rule = {
  ids: ['ingress-backend-service-missing', 'ingress-backend-port-missing', 'ingress-backend-no-endpoints', 'ingress-tls-host-mismatch'],
  scope: 'namespace',
  run(ctx) {
    for (const ing of ctx.scoped(ctx.model.ingresses, (ns) => ctx.index.ingressesIn(ns))) {
      ctx.cached('ingress', ing, () => backendDependencies(ctx, ing), () => {
        for (const b of backendsOf(ing)) checkBackend(ctx, ing, b);
        checkTls(ctx, ing);
      });
    }
  },
};

/**
 * What checkBackend reads besides the Ingress: per Service backend the
 * Services of that name (how many, then each), the namespace's label view
 * (whose workloads' pod labels hasMatch reads) and, for a name no Service
 * has, the namespace's Service list (the "did you mean" names).
 */
function backendDependencies(ctx: RuleContext, ing: Ingress): unknown[] {
  const deps = ctx.scratchDependencies();
  deps.push(ctx.index.labelViewToken(ing.namespace));
  const add = (ref: BackendRef) => {
    if (ref.resource || !ref.service) return;
    const services = ctx.index.servicesNamed(ing.namespace, ref.service);
    deps.push(services.length);
    for (const s of services) deps.push(s);
    if (services.length === 0) deps.push(ctx.index.servicesIn(ing.namespace));
  };
  if (ing.defaultBackend) add(ing.defaultBackend);
  for (const r of ing.rules) for (const p of r.paths) add(p.backend);
  return deps;
}

function checkBackend(ctx: RuleContext, ing: Ingress, b: Backend): void {
  const ref = b.ref;
  if (ref.resource || !ref.service) return;
  const at = ref.serviceLoc ?? ref.loc ?? objectLoc(ing);
  const services = ctx.index.servicesNamed(ing.namespace, ref.service);
  if (services.length === 0) {
    const similar = [...new Set(ctx.index.servicesIn(ing.namespace).filter((s) => similarNames(s.name, ref.service)).map((s) => s.name))];
    const fixes: Fix[] =
      similar.length === 1 && ref.serviceLoc
        ? [{ title: `Change the Service name to ${similar[0]}`, edits: [{ loc: ref.serviceLoc, newText: replacementScalar(ctx, ref.serviceLoc, similar[0]) }], preferred: true }]
        : [];
    ctx.report({
      rule: 'ingress-backend-service-missing',
      message: `${nameOf(ing)} sends ${b.route} to Service ${ref.service}, which is not in namespace ${ing.namespace} of the set${similar.length > 0 ? ` (did you mean ${listing(similar)}?)` : ''}. Add the Service or fix the name; an Ingress can only use Services in its own namespace.`,
      loc: at,
      object: refOf(ing),
      fixes,
    });
    return;
  }
  const svc = services[0];
  if (ref.port === undefined) {
    // Both Ingress versions require the port (service.port.number or .name; v1beta1 servicePort).
    const field = ing.apiVersion.startsWith('networking.k8s.io/v1') && ing.apiVersion !== 'networking.k8s.io/v1beta1' ? 'service.port.number or service.port.name' : 'servicePort';
    ctx.report({
      rule: 'ingress-backend-port-missing',
      message: `${nameOf(ing)} sends ${b.route} to ${nameOf(svc)} but names no port (${field}); the API server rejects a backend without one. Add one of the Service's ports (${describeServicePorts(svc)}).`,
      loc: at,
      object: refOf(ing),
      related: relatedAt(svc.portsLoc, svc, `ports of ${nameOf(svc)}`),
    });
  } else if (!hasPort(services, ref.port)) {
    const fixes: Fix[] = [];
    const only = svc.ports.length === 1 && services.every((s) => s.ports.length === 1 && s.ports[0].port === svc.ports[0].port) ? svc.ports[0] : undefined;
    if (only && ref.portLoc) {
      const value = typeof ref.port === 'number' ? only.port : only.name;
      if (value !== undefined) {
        fixes.push({ title: `Use port ${value}, the Service's only port`, edits: [{ loc: ref.portLoc, newText: replacementScalar(ctx, ref.portLoc, value) }], preferred: true });
      }
    }
    ctx.report({
      rule: 'ingress-backend-port-missing',
      message: `${nameOf(ing)} sends ${b.route} to port ${typeof ref.port === 'number' ? ref.port : `"${ref.port}"`} of ${nameOf(svc)}, which has no such port (it has ${describeServicePorts(svc)}). Use one of the Service's ports.`,
      loc: ref.portLoc ?? at,
      object: refOf(ing),
      related: relatedAt(svc.portsLoc, svc, `ports of ${nameOf(svc)}`),
      fixes,
    });
  }
  // No endpoints: every definition of the Service selects, and none matches a workload.
  const selecting = services.filter((s) => s.type !== 'ExternalName' && hasServiceSelector(s));
  if (selecting.length === services.length && selecting.every((s) => !ctx.index.hasMatch(s.namespace, s.selector!))) {
    ctx.report({
      rule: 'ingress-backend-no-endpoints',
      message: `${nameOf(ing)} sends ${b.route} to ${nameOf(svc)}, whose selector matches no workload, so these requests fail (503). Fix the Service's selector or deploy its Pods.`,
      loc: at,
      object: refOf(ing),
      related: relatedAt(svc.selector?.loc, svc, `selector of ${nameOf(svc)}`),
    });
  }
}

/** Whether a host pattern covers a host: equal, or "*.a.b" and exactly one more label ("x.a.b"). */
export function hostCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".a.b"
    if (!h.endsWith(suffix)) return false;
    const first = h.slice(0, h.length - suffix.length);
    return first.length > 0 && !first.includes('.') && first !== '*';
  }
  return false;
}

function checkTls(ctx: RuleContext, ing: Ingress): void {
  if (ing.tls.length === 0) return;
  // A rule without host (or only a default backend) serves every host.
  if (ing.rules.length === 0 || ing.rules.some((r) => r.host === undefined || r.host === '')) return;
  const ruleHosts = ing.rules.map((r) => r.host as string);
  for (const t of ing.tls) {
    t.hosts.forEach((host, i) => {
      if (ruleHosts.some((rh) => hostCovers(rh, host) || hostCovers(host, rh))) return;
      ctx.report({
        rule: 'ingress-tls-host-mismatch',
        message: `TLS host ${host} of ${nameOf(ing)} is covered by no rule host (${listing([...new Set(ruleHosts)])}), so ${t.secretName ? `certificate ${t.secretName}` : 'its certificate'} is never used for a route. Add a rule for ${host} or fix the host name.`,
        loc: t.hostLocs[i] ?? t.loc ?? objectLoc(ing),
        object: refOf(ing),
      });
    });
  }
}

function isCanary(ing: Ingress): boolean {
  return (ing.annotations[CANARY] ?? '').toLowerCase() === 'true';
}

// Global: Ingresses of one class conflict across namespaces, and IngressClasses are cluster-scoped.
export const ingressClassRules: Rule = {
  ids: ['ingress-duplicate-route', 'ingress-class-missing'],
  scope: 'global',
  run(ctx) {
    const classes = uniqueByName(ctx.model.ingressClasses);
    const defaults = classes.filter((c) => c.isDefault);

    if (ctx.enabled('ingress-class-missing')) {
      if (defaults.length > 1) {
        for (const c of defaults) {
          ctx.report({
            rule: 'ingress-class-missing',
            message: `${listing(defaults.map((d) => `IngressClass ${d.name}`))} are ${defaults.length === 2 ? 'both' : 'all'} marked default; with more than one default the API server rejects Ingresses that name no class. Keep one default.`,
            loc: objectLoc(c),
            object: refOf(c),
          });
        }
      }
      if (classes.length > 0) {
        for (const ing of ctx.model.ingresses) {
          if (!ing.className) continue;
          // The legacy annotation names a controller's class, which needs no IngressClass object.
          if (ing.annotations[LEGACY_CLASS] === ing.className) continue;
          if (classes.some((c) => c.name === ing.className)) continue;
          const similar = classes.filter((c) => similarNames(c.name, ing.className as string));
          const fixes: Fix[] =
            similar.length === 1 && ing.classNameLoc
              ? [{ title: `Use IngressClass ${similar[0].name}`, edits: [{ loc: ing.classNameLoc, newText: replacementScalar(ctx, ing.classNameLoc, similar[0].name) }], preferred: true }]
              : [];
          ctx.report({
            rule: 'ingress-class-missing',
            message: `ingressClassName ${ing.className} of ${nameOf(ing)} names no IngressClass in the set (it has ${listing(classes.map((c) => c.name))}), so no controller may serve it. Use one of those classes or add the IngressClass.`,
            loc: ing.classNameLoc ?? objectLoc(ing),
            object: refOf(ing),
            fixes,
          });
        }
      }
    }

    if (ctx.enabled('ingress-duplicate-route')) {
      const table = routeTable(ctx, defaults.length === 1 ? defaults[0].name : '');
      for (const key of table.duplicated) {
        const holders = table.holders.get(key) as Holder[];
        const first = holders[0];
        for (let i = 1; i < holders.length; i++) {
          const { ing, rule: r, path: p } = holders[i];
          // The same Ingress defined twice (alternative files) is one Ingress.
          if (first.ing.namespace === ing.namespace && first.ing.name === ing.name) continue;
          const cls = ing.className || table.defaultClass;
          ctx.report({
            rule: 'ingress-duplicate-route',
            message: `${nameOf(ing)} routes ${r.host ?? '*'}${p.path} (${p.pathType}) like ${nameOf(first.ing)}${cls ? ` (both class ${cls})` : ''}; which backend gets the requests depends on the controller. Remove one route, or give them different hosts or paths.`,
            loc: p.loc ?? r.loc ?? objectLoc(ing),
            object: refOf(ing),
            related: relatedAt(first.path.loc ?? first.rule.loc, first.ing, `the same route in ${nameOf(first.ing)}`),
          });
        }
      }
    }
  },
};

/** A path of an Ingress, under its route key. */
interface Holder {
  ing: Ingress;
  rule: IngressRule;
  path: IngressPath;
}

/**
 * Every route key's paths in model order (the first one is the route's
 * owner), and the keys held more than once. Kept from one run of an
 * incremental analysis to the next (SubjectCache.state): a change of a few
 * files moves only their Ingresses' paths, found by comparing the previous
 * and the new list of Ingresses (unchanged objects are the same objects).
 */
interface RouteTable {
  ingresses: readonly Ingress[];
  readonly defaultClass: string;
  readonly holders: Map<string, Holder[]>;
  readonly duplicated: Set<string>;
}

/** Up to this many Ingresses changed, the previous table is updated; more, it is built again. */
const ROUTE_TABLE_UPDATE_LIMIT = 64;

function routeTable(ctx: RuleContext, defaultClass: string): RouteTable {
  const list = ctx.model.ingresses;
  const state = ctx.cache?.state;
  const previous = state?.get('ingress-routes') as RouteTable | undefined;
  // Updated in place: dropped first, so a failed update leaves nothing half done.
  state?.delete('ingress-routes');
  const table = (previous && ctx.model.source === 'manifests' && previous.defaultClass === defaultClass && updateRouteTable(previous, list)) || newRouteTable(list, defaultClass);
  state?.set('ingress-routes', table);
  return table;
}

function newRouteTable(list: readonly Ingress[], defaultClass: string): RouteTable {
  const table: RouteTable = { ingresses: list, defaultClass, holders: new Map(), duplicated: new Set() };
  for (const ing of list) {
    forEachRoute(ing, defaultClass, (key, h) => {
      const holders = table.holders.get(key);
      if (!holders) table.holders.set(key, [h]);
      else {
        holders.push(h);
        table.duplicated.add(key);
      }
    });
  }
  return table;
}

/**
 * Moves the table to `list`: the Ingresses between the common start and end
 * of the previous and the new list are taken out and the new ones put in,
 * in model order (a manifest model's lists are in file order, and each
 * file's objects in text order). False when too many changed or an Ingress
 * has no position.
 */
function updateRouteTable(table: RouteTable, list: readonly Ingress[]): RouteTable | false {
  const old = table.ingresses;
  let start = 0;
  while (start < old.length && start < list.length && old[start] === list[start]) start++;
  let end = 0;
  while (end < old.length - start && end < list.length - start && old[old.length - 1 - end] === list[list.length - 1 - end]) end++;
  const removed = old.slice(start, old.length - end);
  const added = list.slice(start, list.length - end);
  if (removed.length + added.length > ROUTE_TABLE_UPDATE_LIMIT) return false;
  if (added.some((ing) => ing.origin.file === undefined || ing.origin.loc === undefined)) return false;
  const { holders } = table;
  const touched = new Set<string>();
  for (const ing of removed) {
    forEachRoute(ing, table.defaultClass, (key) => {
      if (touched.has(key)) return;
      touched.add(key);
      const kept = (holders.get(key) ?? []).filter((h) => !removed.includes(h.ing));
      if (kept.length > 0) holders.set(key, kept);
      else holders.delete(key);
    });
  }
  for (const ing of added) {
    forEachRoute(ing, table.defaultClass, (key, h) => {
      touched.add(key);
      const same = holders.get(key);
      if (!same) {
        holders.set(key, [h]);
        return;
      }
      let i = same.length;
      while (i > 0 && before(ing, same[i - 1].ing)) i--;
      same.splice(i, 0, h);
    });
  }
  for (const key of touched) {
    if ((holders.get(key)?.length ?? 0) > 1) table.duplicated.add(key);
    else table.duplicated.delete(key);
  }
  table.ingresses = list;
  return table;
}

/** Whether Ingress a comes before b in a manifest model (file, then position in it). */
function before(a: Ingress, b: Ingress): boolean {
  const fa = a.origin.file ?? '';
  const fb = b.origin.file ?? '';
  if (fa !== fb) return fa < fb;
  return (a.origin.loc?.start ?? 0) < (b.origin.loc?.start ?? 0);
}

/** Each path of a (non-canary) Ingress with its route key, in order. */
function forEachRoute(ing: Ingress, defaultClass: string, each: (key: string, h: Holder) => void): void {
  if (isCanary(ing)) return;
  const keys = routeKeys(ing, ing.className || defaultClass);
  let k = 0;
  for (const rule of ing.rules) for (const path of rule.paths) each(keys[k++], { ing, rule, path });
}

/** "class, host, path, pathType" per path of an Ingress, in order (kept per Ingress object: they never change). */
const ROUTE_KEYS = new WeakMap<Ingress, { cls: string; keys: string[] }>();
function routeKeys(ing: Ingress, cls: string): string[] {
  const hit = ROUTE_KEYS.get(ing);
  if (hit && hit.cls === cls) return hit.keys;
  const keys: string[] = [];
  for (const r of ing.rules) {
    for (const p of r.paths) keys.push(`${cls}\u0000${(r.host ?? '').toLowerCase()}\u0000${p.path}\u0000${p.pathType}`);
  }
  ROUTE_KEYS.set(ing, { cls, keys });
  return keys;
}

function uniqueByName<T extends { name: string }>(list: readonly T[]): T[] {
  const seen = new Set<string>();
  return list.filter((x) => (seen.has(x.name) ? false : (seen.add(x.name), true)));
}

// Global: a backendRef may point into another namespace.
export const routeRules: Rule = {
  ids: ['route-backend-missing'],
  scope: 'global',
  run(ctx) {
    if (!ctx.enabled('route-backend-missing')) return;
    for (const rt of ctx.model.routes) checkRoute(ctx, rt);
  },
};

function checkRoute(ctx: RuleContext, rt: Route): void {
  for (const rule of rt.rules) {
    for (const ref of rule.backendRefs) {
      if (ref.resource || (ref.kind && ref.kind !== 'Service') || !ref.service) continue;
      const ns = ref.namespace || rt.namespace;
      const services = ctx.index.servicesNamed(ns, ref.service);
      const at = ref.serviceLoc ?? ref.loc ?? rule.loc ?? objectLoc(rt);
      if (services.length === 0) {
        ctx.report({
          rule: 'route-backend-missing',
          message: `${nameOf(rt)} sends traffic to Service ${ns}/${ref.service}, which is not in the set. Add the Service or fix the backendRef's name${ns !== rt.namespace ? ' and namespace' : ''}.`,
          loc: at,
          object: refOf(rt),
        });
      } else if (ref.port !== undefined && !hasPort(services, ref.port)) {
        const svc = services[0];
        ctx.report({
          rule: 'route-backend-missing',
          message: `${nameOf(rt)} sends traffic to port ${ref.port} of ${nameOf(svc)}, which has no such port (it has ${describeServicePorts(svc)}). Use one of the Service's ports.`,
          loc: ref.portLoc ?? at,
          object: refOf(rt),
          related: relatedAt(svc.portsLoc, svc, `ports of ${nameOf(svc)}`),
        });
      }
    }
  }
}
