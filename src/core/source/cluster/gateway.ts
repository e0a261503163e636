// Gateway API objects from a live cluster (JSON as the API server returns it,
// defaults already applied by the CRDs' schema, applied again here for older
// servers): Gateway, GatewayClass, ReferenceGrant, and HTTPRoute/GRPCRoute in
// full. The manifest reader (../manifests/gateway) reads the same shapes from
// YAML with source positions.
import type {
  Gateway,
  GatewayClass,
  GatewayListener,
  HeaderModifier,
  PathModifier,
  ReferenceGrant,
  Route,
  RouteBackendRef,
  RouteFilter,
  RouteMatch,
  RouteRule,
  RouteValueMatch,
} from '../../model/types';
import { GATEWAY_GROUP } from '../../model/types';
import { arr, labelSelector, meta, obj, str, type Raw } from './convert';


function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function toGateway(raw: Raw, apiVersion: string): Gateway | undefined {
  const m = meta(raw, 'Gateway', apiVersion);
  if (!m) return undefined;
  const spec = obj(raw.spec) ?? {};
  const listeners: GatewayListener[] = [];
  for (const l of arr(spec.listeners)) {
    const o = obj(l);
    const port = int(o?.port);
    if (!o || port === undefined) continue;
    const allowed = obj(o.allowedRoutes) ?? {};
    const ns = obj(allowed.namespaces) ?? {};
    const from = str(ns.from);
    const listener: GatewayListener = { name: str(o.name) ?? '', port, protocol: str(o.protocol) ?? 'HTTP', allowedRoutes: { from: from === 'All' || from === 'Selector' ? from : 'Same' } };
    const host = str(o.hostname);
    if (host) listener.hostname = host.toLowerCase();
    if (listener.allowedRoutes.from === 'Selector') listener.allowedRoutes.selector = labelSelector(ns.selector);
    if (allowed.kinds !== undefined) listener.allowedRoutes.kinds = arr(allowed.kinds).map((k) => ({ group: str(obj(k)?.group) ?? GATEWAY_GROUP, kind: str(obj(k)?.kind) ?? '' }));
    const tls = obj(o.tls);
    if (tls) {
      listener.tls = {
        mode: str(tls.mode) === 'Passthrough' ? 'Passthrough' : 'Terminate',
        certificateRefs: arr(tls.certificateRefs).map((c) => ({ kind: str(obj(c)?.kind) ?? 'Secret', name: str(obj(c)?.name) ?? '', namespace: str(obj(c)?.namespace) ?? '' })),
      };
    }
    listeners.push(listener);
  }
  const addresses = [...arr(spec.addresses), ...arr(obj(raw.status)?.addresses)].flatMap((a) => (str(obj(a)?.value) ? [str(obj(a)?.value) as string] : []));
  return { ...m, kind: 'Gateway', gatewayClassName: str(spec.gatewayClassName), listeners, addresses: [...new Set(addresses)] };
}

export function toGatewayClass(raw: Raw, apiVersion: string): GatewayClass | undefined {
  const m = meta(raw, 'GatewayClass', apiVersion);
  return m ? { ...m, kind: 'GatewayClass', controllerName: str(obj(raw.spec)?.controllerName) } : undefined;
}

export function toReferenceGrant(raw: Raw, apiVersion: string): ReferenceGrant | undefined {
  const m = meta(raw, 'ReferenceGrant', apiVersion);
  if (!m) return undefined;
  const spec = obj(raw.spec) ?? {};
  return {
    ...m,
    kind: 'ReferenceGrant',
    from: arr(spec.from).map((f) => ({ group: str(obj(f)?.group) ?? '', kind: str(obj(f)?.kind) ?? '', namespace: str(obj(f)?.namespace) ?? '' })),
    to: arr(spec.to).map((t) => {
      const name = str(obj(t)?.name);
      return { group: str(obj(t)?.group) ?? '', kind: str(obj(t)?.kind) ?? '', ...(name ? { name } : {}) };
    }),
  };
}

function valueMatches(v: unknown): RouteValueMatch[] {
  return arr(v).flatMap((x) => {
    const o = obj(x);
    const name = str(o?.name);
    return o && name ? [{ type: str(o.type) === 'RegularExpression' ? 'RegularExpression' : 'Exact', name, value: str(o.value) ?? '' } as RouteValueMatch] : [];
  });
}

function headerModifier(v: unknown): HeaderModifier {
  const o = obj(v) ?? {};
  const pairs = (x: unknown) => arr(x).flatMap((p) => (str(obj(p)?.name) ? [{ name: str(obj(p)?.name) as string, value: str(obj(p)?.value) ?? '' }] : []));
  return { set: pairs(o.set), add: pairs(o.add), remove: arr(o.remove).flatMap((r) => (str(r) ? [str(r) as string] : [])) };
}

function pathModifier(v: unknown): PathModifier | undefined {
  const o = obj(v);
  if (!o) return undefined;
  return str(o.type) === 'ReplacePrefixMatch' ? { type: 'ReplacePrefixMatch', value: str(o.replacePrefixMatch) ?? '/' } : { type: 'ReplaceFullPath', value: str(o.replaceFullPath) ?? '/' };
}

function filters(v: unknown, namespace: string): RouteFilter[] {
  return arr(v).flatMap((x) => {
    const o = obj(x);
    if (!o) return [];
    const f: RouteFilter = { type: str(o.type) ?? '' };
    switch (f.type) {
      case 'RequestHeaderModifier':
        f.requestHeaders = headerModifier(o.requestHeaderModifier);
        break;
      case 'ResponseHeaderModifier':
        f.responseHeaders = headerModifier(o.responseHeaderModifier);
        break;
      case 'RequestRedirect': {
        const r = obj(o.requestRedirect) ?? {};
        f.redirect = { scheme: str(r.scheme), hostname: str(r.hostname), path: pathModifier(r.path), port: int(r.port), statusCode: int(r.statusCode) ?? 302 };
        break;
      }
      case 'URLRewrite': {
        const r = obj(o.urlRewrite) ?? {};
        f.rewrite = { hostname: str(r.hostname), path: pathModifier(r.path) };
        break;
      }
      case 'RequestMirror': {
        const r = obj(o.requestMirror) ?? {};
        const b = obj(r.backendRef) ?? {};
        f.mirror = { kind: str(b.kind) ?? 'Service', namespace: str(b.namespace) ?? namespace, name: str(b.name) ?? '', port: int(b.port) };
        if (int(r.percent) !== undefined) f.mirror.percent = int(r.percent);
        const fr = obj(r.fraction);
        if (fr) f.mirror.fraction = { numerator: int(fr.numerator) ?? 0, denominator: int(fr.denominator) ?? 100 };
        break;
      }
      case 'ExtensionRef': {
        const r = obj(o.extensionRef) ?? {};
        f.extensionRef = { group: str(r.group) ?? '', kind: str(r.kind) ?? '', name: str(r.name) ?? '' };
        break;
      }
    }
    return [f];
  });
}

export function toFullRoute(raw: Raw, apiVersion: string, kind: Route['kind']): Route | undefined {
  const m = meta(raw, kind, apiVersion);
  if (!m) return undefined;
  const spec = obj(raw.spec) ?? {};
  const rules: RouteRule[] = arr(spec.rules).flatMap((r) => {
    const o = obj(r);
    if (!o) return [];
    const matches: RouteMatch[] = arr(o.matches).map((x) => {
      const mo = obj(x) ?? {};
      const match: RouteMatch = {};
      const path = obj(mo.path);
      if (path) {
        match.pathType = str(path.type) ?? 'PathPrefix';
        match.path = str(path.value) ?? '/';
      }
      const method = mo.method;
      if (kind === 'GRPCRoute' && obj(method)) {
        const gm = obj(method)!;
        match.grpc = { type: str(gm.type) === 'RegularExpression' ? 'RegularExpression' : 'Exact', service: str(gm.service), method: str(gm.method) };
      } else if (str(method)) match.method = (str(method) as string).toUpperCase();
      if (mo.headers !== undefined) match.headers = valueMatches(mo.headers);
      if (mo.queryParams !== undefined) match.queryParams = valueMatches(mo.queryParams);
      return match;
    });
    const backendRefs: RouteBackendRef[] = arr(o.backendRefs).flatMap((b) => {
      const bo = obj(b);
      const name = str(bo?.name);
      if (!bo || !name) return [];
      const bkind = str(bo.kind) ?? 'Service';
      const group = str(bo.group) ?? '';
      const namespace = str(bo.namespace) ?? m.namespace;
      const core = bkind === 'Service' && (group === '' || group === 'core');
      const ref: RouteBackendRef = { service: core ? name : '', weight: int(bo.weight) ?? 1, namespace, kind: bkind, group };
      if (int(bo.port) !== undefined) ref.port = int(bo.port);
      if (!core) ref.resource = { kind: bkind, name, namespace };
      const own = filters(bo.filters, m.namespace);
      if (own.length > 0) ref.filters = own;
      return [ref];
    });
    const rule: RouteRule = { matches, backendRefs, filters: filters(o.filters, m.namespace) };
    if (str(o.name)) rule.name = str(o.name);
    return [rule];
  });
  return {
    ...m,
    kind,
    hostnames: arr(spec.hostnames).flatMap((h) => (str(h) ? [(str(h) as string).toLowerCase()] : [])),
    parentRefs: arr(spec.parentRefs).flatMap((p) => {
      const o = obj(p);
      const name = str(o?.name);
      if (!o || !name) return [];
      return [{ group: str(o.group) ?? GATEWAY_GROUP, kind: str(o.kind) ?? 'Gateway', name, namespace: str(o.namespace) ?? m.namespace, ...(str(o.sectionName) ? { sectionName: str(o.sectionName) } : {}), ...(int(o.port) !== undefined ? { port: int(o.port) } : {}) }];
    }),
    rules,
  };
}
