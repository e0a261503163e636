// Ingress (v1 and the v1beta1 shapes) and IngressClass (Gateway API: ./gateway).
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import type {
  BackendRef,
  Ingress,
  IngressClass,
  IngressPath,
  IngressRule,
  IngressTLS,
  PathType,
} from '../../model/types';
import { keyOf, type DocContext, type Node } from './ast';
import { annotation, readMeta, type Head } from './meta';
import { readLoadBalancerIngress } from './services';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/**
 * An Ingress. Both backend shapes are read whatever the apiVersion says
 * (v1 `service: {name, port: {number|name}}`, v1beta1 `serviceName` /
 * `servicePort`; v1beta1's `backend` is the default backend). A path without
 * pathType is ImplementationSpecific (the v1beta1 default); a path without
 * `path` is "" (matches every path).
 */
export function readIngress(ctx: DocContext, head: Head): Ingress {
  const meta = readMeta(ctx, head);
  const ingress: Ingress = {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'Ingress',
    rules: [],
    tls: [],
    loadBalancerIPs: [],
  };
  const entries = ctx.entries(head.spec);
  if (entries) {
    for (const m of entries) {
      switch (keyOf(m)) {
        case 'ingressClassName': {
          const c = ctx.str(m.value);
          if (c !== undefined) {
            ingress.className = c;
            ingress.classNameLoc = ctx.loc(m.value as YAMLNode);
          }
          break;
        }
        case 'defaultBackend':
        case 'backend': {
          const b = readIngressBackend(ctx, m.value, meta.namespace);
          if (b) ingress.defaultBackend = b;
          break;
        }
        case 'rules': {
          const items = ctx.items(m.value);
          if (items) for (const item of items) readIngressRule(ctx, item, meta.namespace, ingress.rules);
          break;
        }
        case 'tls': {
          const items = ctx.items(m.value);
          if (items) for (const item of items) readTLS(ctx, item, ingress.tls);
          break;
        }
      }
    }
  }
  if (ingress.className === undefined) {
    const c = annotation(ingress, CLASS_ANNOTATION);
    if (c !== undefined) {
      ingress.className = c;
      const loc = head.annotationLocs?.[CLASS_ANNOTATION];
      if (loc) ingress.classNameLoc = loc;
    }
  }
  ingress.loadBalancerIPs = readLoadBalancerIngress(ctx, head.status);
  return ingress;
}

function readIngressRule(ctx: DocContext, node: YAMLNode, namespace: string, out: IngressRule[]): void {
  const entries = ctx.entries(node);
  if (!entries) return;
  const rule: IngressRule = { paths: [], loc: ctx.loc(node) };
  for (const m of entries) {
    const k = keyOf(m);
    if (k === 'host') {
      const h = ctx.str(m.value);
      if (h !== undefined) {
        rule.host = h;
        rule.hostLoc = ctx.loc(m.value as YAMLNode);
      }
    } else if (k === 'http') {
      const http = ctx.entries(m.value);
      if (!http) continue;
      for (const h of http) {
        if (keyOf(h) !== 'paths') continue;
        const items = ctx.items(h.value);
        if (!items) continue;
        for (const item of items) {
          const p = readIngressPath(ctx, item, namespace);
          if (p) rule.paths.push(p);
        }
      }
    }
  }
  out.push(rule);
}

function readIngressPath(ctx: DocContext, node: YAMLNode, namespace: string): IngressPath | undefined {
  const entries = ctx.entries(node);
  if (!entries) return undefined;
  let path = '';
  let pathType: PathType = 'ImplementationSpecific';
  let backend: BackendRef | undefined;
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'path':
        path = ctx.str(m.value) ?? '';
        break;
      case 'pathType': {
        const t = ctx.str(m.value);
        if (t === 'Exact' || t === 'Prefix' || t === 'ImplementationSpecific') pathType = t;
        break;
      }
      case 'backend':
        backend = readIngressBackend(ctx, m.value, namespace);
        break;
    }
  }
  if (!backend) return undefined;
  return { path, pathType, backend, loc: ctx.loc(node) };
}

/** An Ingress backend, v1 or v1beta1 shape; a `resource` backend has service "" and `resource` set. */
function readIngressBackend(ctx: DocContext, node: Node, namespace: string): BackendRef | undefined {
  const entries = ctx.entries(node);
  if (!entries) return undefined;
  const ref: BackendRef = { service: '', loc: ctx.loc(node as YAMLNode) };
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'service': {
        const svc = ctx.entries(m.value);
        if (!svc) break;
        for (const s of svc) {
          const k = keyOf(s);
          if (k === 'name') {
            const name = ctx.str(s.value);
            if (name !== undefined) {
              ref.service = name;
              ref.serviceLoc = ctx.loc(s.value as YAMLNode);
            }
          } else if (k === 'port') {
            const port = ctx.entries(s.value);
            if (!port) continue;
            for (const p of port) {
              const pk = keyOf(p);
              const v = pk === 'number' ? ctx.intField(p.value, 'backend port number') : pk === 'name' ? ctx.str(p.value) : undefined;
              if (v !== undefined) {
                ref.port = v;
                ref.portLoc = ctx.loc(p.value as YAMLNode);
              }
            }
          }
        }
        break;
      }
      case 'serviceName': {
        const name = ctx.str(m.value);
        if (name !== undefined) {
          ref.service = name;
          ref.serviceLoc = ctx.loc(m.value as YAMLNode);
        }
        break;
      }
      case 'servicePort': {
        const port = ctx.intOrString(m.value, 'backend servicePort');
        if (port !== undefined) {
          ref.port = port;
          ref.portLoc = ctx.loc(m.value as YAMLNode);
        }
        break;
      }
      case 'resource': {
        const res = ctx.entries(m.value);
        if (!res) break;
        let kind = '';
        let name = '';
        for (const r of res) {
          const k = keyOf(r);
          if (k === 'kind') kind = ctx.str(r.value) ?? '';
          else if (k === 'name') name = ctx.str(r.value) ?? '';
        }
        ref.resource = { kind, namespace, name };
        break;
      }
    }
  }
  return ref;
}

function readTLS(ctx: DocContext, node: YAMLNode, out: IngressTLS[]): void {
  const entries = ctx.entries(node);
  if (!entries) return;
  const tls: IngressTLS = { hosts: [], hostLocs: [], loc: ctx.loc(node) };
  for (const m of entries) {
    const k = keyOf(m);
    if (k === 'hosts') {
      const items = ctx.items(m.value);
      if (!items) continue;
      for (const item of items) {
        const h = ctx.str(item);
        if (h === undefined) continue;
        tls.hosts.push(h);
        tls.hostLocs.push(ctx.loc(item));
      }
    } else if (k === 'secretName') {
      const s = ctx.str(m.value);
      if (s !== undefined) tls.secretName = s;
    }
  }
  out.push(tls);
}

/** An IngressClass; the default one is marked by the is-default-class annotation set to "true". */
export function readIngressClass(ctx: DocContext, head: Head): IngressClass {
  const meta = readMeta(ctx, head);
  const cls: IngressClass = {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'IngressClass',
    isDefault: annotation(meta, DEFAULT_CLASS_ANNOTATION) === 'true',
  };
  const entries = ctx.entries(head.spec);
  if (entries) {
    for (const m of entries) {
      if (keyOf(m) === 'controller') {
        const c = ctx.str(m.value);
        if (c !== undefined) cls.controller = c;
      }
    }
  }
  return cls;
}
