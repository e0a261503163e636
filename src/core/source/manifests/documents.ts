// One YAML document -> model objects: find apiVersion/kind, dispatch by kind,
// unwrap `kind: List`. Anything the model does not know is skipped quietly.
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import type { ModelObject, WorkloadKind } from '../../model/types';
import { keyOf, MAP, SEQ, type DocContext } from './ast';
import { readNamespace, readNode } from './cluster';
import { readGateway, readGatewayClass, readReferenceGrant, readRoute } from './gateway';
import { readIngress, readIngressClass } from './ingress';
import type { Head } from './meta';
import { readNetworkPolicy } from './policies';
import { readAdminNetworkPolicy } from './admin-policies';
import { readEndpoints, readEndpointSlice, readService } from './services';
import { readWorkload } from './workloads';

type Reader = (ctx: DocContext, head: Head) => ModelObject | ModelObject[];

const workload =
  (kind: WorkloadKind): Reader =>
  (ctx, head) =>
    readWorkload(ctx, head, kind);

/** Readers by kind, each with the API groups the kind is read from ('' is the core group). */
const READERS: Readonly<Record<string, { groups: readonly string[]; read: Reader; clusterScoped?: boolean }>> = {
  Namespace: { groups: [''], read: readNamespace, clusterScoped: true },
  Node: { groups: [''], read: readNode, clusterScoped: true },
  Pod: { groups: [''], read: workload('Pod') },
  ReplicationController: { groups: [''], read: workload('ReplicationController') },
  Deployment: { groups: ['apps', 'extensions'], read: workload('Deployment') },
  ReplicaSet: { groups: ['apps', 'extensions'], read: workload('ReplicaSet') },
  StatefulSet: { groups: ['apps'], read: workload('StatefulSet') },
  DaemonSet: { groups: ['apps', 'extensions'], read: workload('DaemonSet') },
  Job: { groups: ['batch'], read: workload('Job') },
  CronJob: { groups: ['batch'], read: workload('CronJob') },
  // OpenShift 3 also served DeploymentConfig from the legacy core "v1".
  DeploymentConfig: { groups: ['apps.openshift.io', ''], read: workload('DeploymentConfig') },
  Service: { groups: [''], read: readService },
  Endpoints: { groups: [''], read: readEndpoints },
  EndpointSlice: { groups: ['discovery.k8s.io'], read: readEndpointSlice },
  Ingress: { groups: ['networking.k8s.io', 'extensions'], read: readIngress },
  IngressClass: { groups: ['networking.k8s.io'], read: readIngressClass, clusterScoped: true },
  NetworkPolicy: { groups: ['networking.k8s.io', 'extensions'], read: readNetworkPolicy },
  AdminNetworkPolicy: { groups: ['policy.networking.k8s.io'], read: readAdminNetworkPolicy, clusterScoped: true },
  BaselineAdminNetworkPolicy: { groups: ['policy.networking.k8s.io'], read: readAdminNetworkPolicy, clusterScoped: true },
  ClusterNetworkPolicy: { groups: ['policy.networking.k8s.io'], read: readAdminNetworkPolicy, clusterScoped: true },
  HTTPRoute: { groups: ['gateway.networking.k8s.io'], read: (ctx, head) => readRoute(ctx, head, 'HTTPRoute') },
  GRPCRoute: { groups: ['gateway.networking.k8s.io'], read: (ctx, head) => readRoute(ctx, head, 'GRPCRoute') },
  // Only the Gateway API's group: Istio's networking.istio.io Gateway is another kind with the same name.
  Gateway: { groups: ['gateway.networking.k8s.io'], read: readGateway },
  GatewayClass: { groups: ['gateway.networking.k8s.io'], read: readGatewayClass, clusterScoped: true },
  ReferenceGrant: { groups: ['gateway.networking.k8s.io'], read: readReferenceGrant },
};

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

interface Fields {
  apiVersion?: string;
  kind?: string;
  kindNode?: YAMLNode;
  metadata?: YAMLNode;
  spec?: YAMLNode;
  status?: YAMLNode;
  items?: YAMLNode;
}

function topFields(ctx: DocContext, node: YAMLNode): Fields {
  const f: Fields = {};
  const entries = ctx.entries(node);
  if (!entries) return f;
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'apiVersion':
        f.apiVersion = ctx.str(m.value);
        break;
      case 'kind':
        f.kind = ctx.str(m.value);
        f.kindNode = m.value ?? undefined;
        break;
      case 'metadata':
        f.metadata = m.value ?? undefined;
        break;
      case 'spec':
        f.spec = m.value ?? undefined;
        break;
      case 'status':
        f.status = m.value ?? undefined;
        break;
      case 'items':
        f.items = m.value ?? undefined;
        break;
    }
  }
  return f;
}

/** Read one document (its root node) into `out`. */
export function readDocument(ctx: DocContext, root: YAMLNode, doc: number, defaultNamespace: string, out: ModelObject[]): void {
  const node = ctx.deref(root);
  if (node && node.kind === SEQ) return listOfObjects(ctx, node);
  if (!node || node.kind !== MAP) return;
  const fields = topFields(ctx, node);
  if (fields.apiVersion === undefined || fields.kind === undefined) return;
  const id = `${ctx.file}#${doc}`;
  const kind = fields.kind;
  if (kind.endsWith('List') && fields.items !== undefined && !READERS[kind]) {
    // `kind: List` (or a typed list such as ServiceList, whose items may leave out their kind).
    const items = ctx.items(fields.items);
    if (!items) return;
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    for (let i = 0; i < items.length; i++) {
      const item = ctx.deref(items[i]);
      if (!item || item.kind !== MAP) continue;
      const f = topFields(ctx, item);
      const k = f.kind ?? itemKind;
      const v = f.apiVersion ?? (itemKind ? fields.apiVersion : undefined);
      if (k === undefined || v === undefined) continue;
      readObject(ctx, { ...f, kind: k, apiVersion: v }, items[i], `${id}/${i}`, doc, defaultNamespace, out);
    }
    return;
  }
  readObject(ctx, fields, root, id, doc, defaultNamespace, out);
}

function readObject(
  ctx: DocContext,
  fields: Fields,
  node: YAMLNode,
  id: string,
  doc: number,
  defaultNamespace: string,
  out: ModelObject[],
): void {
  const kind = fields.kind as string;
  const apiVersion = fields.apiVersion as string;
  if (!Object.prototype.hasOwnProperty.call(READERS, kind)) return;
  const reader = READERS[kind];
  if (!reader.groups.includes(groupOf(apiVersion))) return;
  const head: Head = {
    kind,
    apiVersion,
    metadata: fields.metadata,
    spec: fields.spec,
    status: fields.status,
    items: fields.items,
    node,
    id,
    doc,
    defaultNamespace,
    clusterScoped: reader.clusterScoped === true,
  };
  ctx.objectRejected = false;
  const read = reader.read(ctx, head);
  const objects = Array.isArray(read) ? read : [read];
  if (objects.some((o) => o.name === '') && !hasGenerateName(ctx, fields.metadata)) {
    ctx.invalid.push({
      loc: ctx.loc(fields.metadata ?? fields.kindNode ?? node),
      message: `This ${kind} has no metadata.name, so the API server rejects it; it is left out of the model. Give it a name.`,
    });
    return;
  }
  if (ctx.objectRejected) return;
  for (const o of objects) out.push(o);
}

/** `metadata.generateName`: `kubectl create` names the object itself (the model keeps it nameless). */
function hasGenerateName(ctx: DocContext, metadata: YAMLNode | undefined): boolean {
  return (ctx.entries(metadata) ?? []).some((m) => keyOf(m) === 'generateName' && (ctx.str(m.value) ?? '') !== '');
}

/**
 * A document that is a list of objects (a JSON array, or YAML "- apiVersion:
 * ..." at the top): kubectl decodes a document as one object and rejects it.
 * Lists of anything else (an Ansible playbook) are not manifests: skipped quietly.
 */
function listOfObjects(ctx: DocContext, node: YAMLNode): void {
  const items = ctx.items(node) ?? [];
  const objects = items.filter((item) => {
    const f = ctx.isMap(item) ? topFields(ctx, ctx.deref(item) as YAMLNode) : undefined;
    return f?.apiVersion !== undefined && f.kind !== undefined;
  });
  if (objects.length === 0) return;
  ctx.invalid.push({
    loc: { ...ctx.loc(node), end: ctx.loc(node).start + 1 },
    message: `This document is a list of ${objects.length} object${objects.length === 1 ? '' : 's'}, but kubectl reads each document as one object and rejects it; ${objects.length === 1 ? 'it is' : 'they are'} left out of the model. Wrap them in a List (apiVersion: v1, kind: List, items: [...]) or write one document per object (--- between them).`,
  });
}
