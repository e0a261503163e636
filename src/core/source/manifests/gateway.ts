// Gateway API (gateway.networking.k8s.io v1, v1beta1; GRPCRoute also
// v1alpha2): Gateway, GatewayClass, ReferenceGrant, HTTPRoute and GRPCRoute.
// Fields the CRDs default are defaulted here as the API server would
// (parentRef kind Gateway in the route's namespace, backendRef kind Service
// with weight 1, allowedRoutes from Same, redirect status 302), so the
// consumers never guess.
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import type {
  Gateway,
  GatewayClass,
  GatewayListener,
  HeaderMatchType,
  HeaderModifier,
  Loc,
  PathModifier,
  ReferenceGrant,
  Route,
  RouteBackendRef,
  RouteFilter,
  RouteMatch,
  RouteParentRef,
  RouteRule,
  RouteValueMatch,
} from '../../model/types';
import { GATEWAY_GROUP } from '../../model/types';
import { keyOf, type DocContext, type Node } from './ast';
import { readLabelSelector, readMeta, type Head } from './meta';


/** A mapping's values by key (the last one wins, as the API server reads duplicate keys). */
function fields(ctx: DocContext, node: Node): Map<string, YAMLNode | null> {
  const out = new Map<string, YAMLNode | null>();
  for (const m of ctx.entries(node) ?? []) {
    const k = keyOf(m);
    if (k !== undefined) out.set(k, m.value);
  }
  return out;
}

function locOf(ctx: DocContext, node: Node): Loc | undefined {
  return node ? ctx.loc(node) : undefined;
}

// ---------------------------------------------------------------- Gateway

export function readGateway(ctx: DocContext, head: Head): Gateway {
  const meta = readMeta(ctx, head);
  const gw: Gateway = { ...meta, kind: 'Gateway', listeners: [], addresses: [] };
  const spec = fields(ctx, head.spec);
  gw.gatewayClassName = ctx.str(spec.get('gatewayClassName'));
  for (const item of ctx.items(spec.get('listeners')) ?? []) {
    const l = readListener(ctx, item);
    if (l) gw.listeners.push(l);
  }
  for (const part of [spec.get('addresses'), fields(ctx, head.status).get('addresses')]) {
    for (const a of ctx.items(part) ?? []) {
      const v = ctx.str(fields(ctx, a).get('value'));
      if (v !== undefined && !gw.addresses.includes(v)) gw.addresses.push(v);
    }
  }
  return gw;
}

function readListener(ctx: DocContext, node: YAMLNode): GatewayListener | undefined {
  const f = fields(ctx, node);
  const port = ctx.intField(f.get('port'), 'listener port');
  if (port === undefined) return undefined;
  const listener: GatewayListener = {
    name: ctx.str(f.get('name')) ?? '',
    port,
    protocol: ctx.str(f.get('protocol')) ?? 'HTTP',
    allowedRoutes: { from: 'Same' },
    loc: ctx.loc(node),
  };
  const host = ctx.str(f.get('hostname'));
  if (host !== undefined && host !== '') {
    listener.hostname = host.toLowerCase();
    listener.hostnameLoc = locOf(ctx, f.get('hostname'));
  }
  if (f.has('tls')) {
    const tls = fields(ctx, f.get('tls'));
    const mode = ctx.str(tls.get('mode')) === 'Passthrough' ? 'Passthrough' : 'Terminate';
    const certificateRefs = (ctx.items(tls.get('certificateRefs')) ?? []).map((c) => {
      const cf = fields(ctx, c);
      return { kind: ctx.str(cf.get('kind')) ?? 'Secret', name: ctx.str(cf.get('name')) ?? '', namespace: ctx.str(cf.get('namespace')) ?? '' };
    });
    listener.tls = { mode, certificateRefs };
  }
  const allowed = fields(ctx, f.get('allowedRoutes'));
  const ns = fields(ctx, allowed.get('namespaces'));
  const from = ctx.str(ns.get('from'));
  if (from === 'All' || from === 'Selector') listener.allowedRoutes.from = from;
  if (from === 'Selector') listener.allowedRoutes.selector = readLabelSelector(ctx, ns.get('selector'));
  if (allowed.has('kinds')) {
    listener.allowedRoutes.kinds = (ctx.items(allowed.get('kinds')) ?? []).map((k) => {
      const kf = fields(ctx, k);
      return { group: ctx.str(kf.get('group')) ?? GATEWAY_GROUP, kind: ctx.str(kf.get('kind')) ?? '' };
    });
  }
  return listener;
}

export function readGatewayClass(ctx: DocContext, head: Head): GatewayClass {
  const meta = readMeta(ctx, head);
  return { ...meta, kind: 'GatewayClass', controllerName: ctx.str(fields(ctx, head.spec).get('controllerName')) };
}

export function readReferenceGrant(ctx: DocContext, head: Head): ReferenceGrant {
  const meta = readMeta(ctx, head);
  const spec = fields(ctx, head.spec);
  const grant: ReferenceGrant = { ...meta, kind: 'ReferenceGrant', from: [], to: [] };
  for (const item of ctx.items(spec.get('from')) ?? []) {
    const f = fields(ctx, item);
    grant.from.push({ group: ctx.str(f.get('group')) ?? '', kind: ctx.str(f.get('kind')) ?? '', namespace: ctx.str(f.get('namespace')) ?? '' });
  }
  for (const item of ctx.items(spec.get('to')) ?? []) {
    const f = fields(ctx, item);
    const name = ctx.str(f.get('name'));
    grant.to.push({ group: ctx.str(f.get('group')) ?? '', kind: ctx.str(f.get('kind')) ?? '', ...(name ? { name } : {}) });
  }
  return grant;
}

// ---------------------------------------------------------------- routes

/**
 * An HTTPRoute or GRPCRoute. A backendRef to anything other than a core
 * Service has service "" and `resource` set.
 */
export function readRoute(ctx: DocContext, head: Head, kind: 'HTTPRoute' | 'GRPCRoute'): Route {
  const meta = readMeta(ctx, head);
  const route: Route = { ...meta, kind, hostnames: [], parentRefs: [], rules: [] };
  const spec = fields(ctx, head.spec);
  const hostnames = spec.get('hostnames');
  for (const item of ctx.items(hostnames) ?? []) {
    const h = ctx.str(item);
    if (h === undefined) continue;
    route.hostnames.push(h.toLowerCase());
    (route.hostnameLocs ??= []).push(ctx.loc(item));
  }
  for (const item of ctx.items(spec.get('parentRefs')) ?? []) {
    const ref = readParentRef(ctx, item, meta.namespace);
    if (ref) route.parentRefs.push(ref);
  }
  for (const item of ctx.items(spec.get('rules')) ?? []) {
    const rule = readRouteRule(ctx, item, meta.namespace, kind);
    if (rule) route.rules.push(rule);
  }
  return route;
}

function readParentRef(ctx: DocContext, node: YAMLNode, namespace: string): RouteParentRef | undefined {
  const f = fields(ctx, node);
  if (!ctx.isMap(node)) return undefined;
  const ref: RouteParentRef = {
    group: ctx.str(f.get('group')) ?? GATEWAY_GROUP,
    kind: ctx.str(f.get('kind')) ?? 'Gateway',
    namespace: ctx.str(f.get('namespace')) ?? namespace,
    name: ctx.str(f.get('name')) ?? '',
    loc: ctx.loc(node),
  };
  const section = ctx.str(f.get('sectionName'));
  if (section !== undefined) ref.sectionName = section;
  const port = ctx.intField(f.get('port'), 'parentRef port');
  if (port !== undefined) ref.port = port;
  return ref;
}

function readRouteRule(ctx: DocContext, node: YAMLNode, namespace: string, kind: Route['kind']): RouteRule | undefined {
  if (!ctx.isMap(node)) return undefined;
  const f = fields(ctx, node);
  const rule: RouteRule = { matches: [], backendRefs: [], filters: [], loc: ctx.loc(node) };
  const name = ctx.str(f.get('name'));
  if (name !== undefined) rule.name = name;
  for (const item of ctx.items(f.get('matches')) ?? []) rule.matches.push(readMatch(ctx, item, kind));
  for (const item of ctx.items(f.get('filters')) ?? []) {
    const filter = readFilter(ctx, item, namespace);
    if (filter) rule.filters!.push(filter);
  }
  for (const item of ctx.items(f.get('backendRefs')) ?? []) {
    const b = readBackendRef(ctx, item, namespace);
    if (b) rule.backendRefs.push(b);
  }
  if (f.has('timeouts')) {
    const t = fields(ctx, f.get('timeouts'));
    rule.timeouts = { request: ctx.str(t.get('request')), backendRequest: ctx.str(t.get('backendRequest')) };
  }
  return rule;
}

function readMatch(ctx: DocContext, node: YAMLNode | null, kind: Route['kind']): RouteMatch {
  // A null match (`- `) matches everything, like `- {}`.
  const match: RouteMatch = {};
  if (node) match.loc = ctx.loc(node);
  const f = fields(ctx, node);
  if (f.has('path')) {
    const p = fields(ctx, f.get('path'));
    match.pathType = ctx.str(p.get('type')) ?? 'PathPrefix';
    match.path = ctx.str(p.get('value')) ?? '/';
  }
  const method = f.get('method');
  if (kind === 'GRPCRoute' && method && ctx.isMap(method)) {
    const m = fields(ctx, method);
    match.grpc = { type: ctx.str(m.get('type')) === 'RegularExpression' ? 'RegularExpression' : 'Exact', service: ctx.str(m.get('service')), method: ctx.str(m.get('method')) };
  } else {
    const m = ctx.str(method);
    if (m !== undefined) match.method = m.toUpperCase();
  }
  if (f.has('headers')) match.headers = readValueMatches(ctx, f.get('headers'));
  if (f.has('queryParams')) match.queryParams = readValueMatches(ctx, f.get('queryParams'));
  return match;
}

function readValueMatches(ctx: DocContext, node: Node): RouteValueMatch[] {
  const out: RouteValueMatch[] = [];
  for (const item of ctx.items(node) ?? []) {
    const f = fields(ctx, item);
    const name = ctx.str(f.get('name'));
    if (name === undefined) continue;
    const type: HeaderMatchType = ctx.str(f.get('type')) === 'RegularExpression' ? 'RegularExpression' : 'Exact';
    out.push({ type, name, value: ctx.str(f.get('value')) ?? '' });
  }
  return out;
}

function readHeaderModifier(ctx: DocContext, node: Node): HeaderModifier {
  const f = fields(ctx, node);
  const pairs = (n: Node) =>
    (ctx.items(n) ?? []).flatMap((item) => {
      const p = fields(ctx, item);
      const name = ctx.str(p.get('name'));
      return name === undefined ? [] : [{ name, value: ctx.str(p.get('value')) ?? '' }];
    });
  return { set: pairs(f.get('set')), add: pairs(f.get('add')), remove: ctx.strings(f.get('remove')) };
}

function readPathModifier(ctx: DocContext, node: Node): PathModifier | undefined {
  if (!ctx.isMap(node)) return undefined;
  const f = fields(ctx, node);
  if (ctx.str(f.get('type')) === 'ReplacePrefixMatch') return { type: 'ReplacePrefixMatch', value: ctx.str(f.get('replacePrefixMatch')) ?? '/' };
  return { type: 'ReplaceFullPath', value: ctx.str(f.get('replaceFullPath')) ?? '/' };
}

function readFilter(ctx: DocContext, node: YAMLNode, namespace: string): RouteFilter | undefined {
  if (!ctx.isMap(node)) return undefined;
  const f = fields(ctx, node);
  const type = ctx.str(f.get('type')) ?? '';
  const filter: RouteFilter = { type, loc: ctx.loc(node) };
  switch (type) {
    case 'RequestHeaderModifier':
      filter.requestHeaders = readHeaderModifier(ctx, f.get('requestHeaderModifier'));
      break;
    case 'ResponseHeaderModifier':
      filter.responseHeaders = readHeaderModifier(ctx, f.get('responseHeaderModifier'));
      break;
    case 'RequestRedirect': {
      const r = fields(ctx, f.get('requestRedirect'));
      filter.redirect = {
        scheme: ctx.str(r.get('scheme')),
        hostname: ctx.str(r.get('hostname')),
        path: readPathModifier(ctx, r.get('path')),
        port: ctx.intField(r.get('port'), 'requestRedirect port'),
        statusCode: ctx.intField(r.get('statusCode'), 'requestRedirect statusCode') ?? 302,
      };
      break;
    }
    case 'URLRewrite': {
      const r = fields(ctx, f.get('urlRewrite'));
      filter.rewrite = { hostname: ctx.str(r.get('hostname')), path: readPathModifier(ctx, r.get('path')) };
      break;
    }
    case 'RequestMirror': {
      const r = fields(ctx, f.get('requestMirror'));
      const b = fields(ctx, r.get('backendRef'));
      filter.mirror = { kind: ctx.str(b.get('kind')) ?? 'Service', namespace: ctx.str(b.get('namespace')) ?? namespace, name: ctx.str(b.get('name')) ?? '', port: ctx.intField(b.get('port'), 'requestMirror backendRef port') };
      const percent = ctx.intField(r.get('percent'), 'requestMirror percent');
      if (percent !== undefined) filter.mirror.percent = percent;
      if (r.has('fraction')) {
        const fr = fields(ctx, r.get('fraction'));
        filter.mirror.fraction = { numerator: ctx.int(fr.get('numerator')) ?? 0, denominator: ctx.int(fr.get('denominator')) ?? 100 };
      }
      break;
    }
    case 'ExtensionRef': {
      const r = fields(ctx, f.get('extensionRef'));
      filter.extensionRef = { group: ctx.str(r.get('group')) ?? '', kind: ctx.str(r.get('kind')) ?? '', name: ctx.str(r.get('name')) ?? '' };
      break;
    }
  }
  return filter;
}

function readBackendRef(ctx: DocContext, node: YAMLNode, namespace: string): RouteBackendRef | undefined {
  if (!ctx.isMap(node)) return undefined;
  const f = fields(ctx, node);
  const group = ctx.str(f.get('group')) ?? '';
  const kind = ctx.str(f.get('kind')) ?? 'Service';
  const name = ctx.str(f.get('name')) ?? '';
  const ns = ctx.str(f.get('namespace')) ?? namespace;
  const isService = kind === 'Service' && (group === '' || group === 'core');
  const b: RouteBackendRef = { service: isService ? name : '', weight: ctx.intField(f.get('weight'), 'backendRef weight') ?? 1, namespace: ns, kind, group, loc: ctx.loc(node) };
  if (isService && f.get('name')) b.serviceLoc = ctx.loc(f.get('name')!);
  if (f.get('weight')) b.weightLoc = ctx.loc(f.get('weight')!);
  if (f.get('namespace')) b.namespaceLoc = ctx.loc(f.get('namespace')!);
  const port = ctx.intField(f.get('port'), 'backendRef port');
  if (port !== undefined) {
    b.port = port;
    b.portLoc = locOf(ctx, f.get('port'));
  }
  if (!isService) b.resource = { kind, namespace: ns, name };
  const filters = (ctx.items(f.get('filters')) ?? []).flatMap((item) => readFilter(ctx, item, namespace) ?? []);
  if (filters.length > 0) b.filters = filters;
  return b;
}
