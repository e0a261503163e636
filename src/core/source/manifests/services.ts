// Services and their endpoints (Endpoints, EndpointSlice).
import type { YAMLNode } from '@stoplight/yaml-ast-parser';
import type {
  EndpointAddress,
  EndpointPort,
  EndpointSlice,
  ObjectRef,
  Service,
  ServicePort,
  ServiceType,
} from '../../model/types';
import { keyOf, protocolOf, type DocContext, type Node } from './ast';
import { readMapSelector, readMeta, type Head } from './meta';

/**
 * A Service. Values the API would reject for an enum field (type,
 * sessionAffinity, traffic policies) are read as the field's default / left
 * undefined; a port item without an integer `port` or with an unknown protocol
 * is skipped. targetPort is kept as written: a plain number is a number, any
 * other scalar (a quoted "8080" too: the API's IntOrString keeps it a string)
 * is a string.
 */
export function readService(ctx: DocContext, head: Head): Service {
  const meta = readMeta(ctx, head);
  const service: Service = {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'Service',
    type: 'ClusterIP',
    clusterIPs: [],
    headless: false,
    ports: [],
    sessionAffinity: 'None',
    externalIPs: [],
    loadBalancerIPs: [],
    ipFamilies: [],
    publishNotReadyAddresses: false,
  };
  const entries = ctx.entries(head.spec);
  if (entries) {
    for (const m of entries) {
      switch (keyOf(m)) {
        case 'type': {
          const t = ctx.str(m.value);
          if (t === 'ClusterIP' || t === 'NodePort' || t === 'LoadBalancer' || t === 'ExternalName') {
            service.type = t as ServiceType;
            service.typeLoc = ctx.loc(m.value as YAMLNode);
          } else if (t !== undefined) {
            const loc = ctx.loc(m.value as YAMLNode);
            const fix = SERVICE_TYPES.find((x) => x.toLowerCase() === t.toLowerCase());
            ctx.invalid.push({
              loc,
              message: `Service type "${t}" is not one Kubernetes accepts (ClusterIP, NodePort, LoadBalancer, ExternalName), so the API server rejects this Service; it is read as ClusterIP. ${fix ? `Use ${fix}.` : 'Use one of those four.'}`,
              fix: fix ? { title: `Use ${fix}`, newText: fix } : undefined,
            });
            service.typeLoc = loc;
          }
          break;
        }
        case 'clusterIP': {
          // "" asks the API server to allocate one: as good as not written.
          const ip = ctx.str(m.value);
          if (ip !== undefined && ip !== '') service.clusterIP = ip;
          break;
        }
        case 'clusterIPs':
          service.clusterIPs = ctx.strings(m.value);
          break;
        case 'ports': {
          const items = ctx.items(m.value);
          if (!items) break;
          service.portsLoc = ctx.loc(m.value as YAMLNode);
          for (const item of items) {
            const port = readServicePort(ctx, item);
            if (port) service.ports.push(port);
          }
          break;
        }
        case 'selector': {
          const selector = readMapSelector(ctx, m.value);
          if (selector) service.selector = selector;
          break;
        }
        case 'sessionAffinity':
          if (ctx.str(m.value) === 'ClientIP') service.sessionAffinity = 'ClientIP';
          break;
        case 'sessionAffinityConfig': {
          const timeout = readAffinityTimeout(ctx, m.value);
          if (timeout !== undefined) service.sessionAffinityTimeoutSeconds = timeout;
          break;
        }
        case 'externalTrafficPolicy': {
          const p = trafficPolicy(ctx.str(m.value));
          if (p) {
            service.externalTrafficPolicy = p;
            service.externalTrafficPolicyLoc = ctx.loc(m.value as YAMLNode);
          }
          break;
        }
        case 'internalTrafficPolicy': {
          const p = trafficPolicy(ctx.str(m.value));
          if (p) service.internalTrafficPolicy = p;
          break;
        }
        case 'externalName': {
          const n = ctx.str(m.value);
          if (n !== undefined) service.externalName = n;
          break;
        }
        case 'externalIPs':
          service.externalIPs = ctx.strings(m.value);
          break;
        case 'ipFamilies':
          service.ipFamilies = ctx.strings(m.value);
          break;
        case 'publishNotReadyAddresses':
          service.publishNotReadyAddresses = ctx.bool(m.value) === true;
          break;
        case 'ipFamilyPolicy': {
          const v = ctx.str(m.value);
          if (v !== undefined) service.ipFamilyPolicy = v;
          break;
        }
        case 'loadBalancerSourceRanges':
          // kube-proxy trims each range before parsing it.
          service.loadBalancerSourceRanges = ctx.strings(m.value).map((r) => r.trim()).filter((r) => r !== '');
          break;
        case 'trafficDistribution': {
          const v = ctx.str(m.value);
          if (v !== undefined) service.trafficDistribution = v;
          break;
        }
        case 'healthCheckNodePort': {
          const v = ctx.int(m.value);
          if (v !== undefined) service.healthCheckNodePort = v;
          break;
        }
      }
    }
  }
  if (service.clusterIP !== undefined && service.clusterIPs.length === 0) service.clusterIPs = [service.clusterIP];
  service.headless = (service.clusterIP ?? service.clusterIPs[0]) === 'None';
  service.loadBalancerIPs = readLoadBalancerIngress(ctx, head.status);
  return service;
}

const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

function trafficPolicy(v: string | undefined): 'Cluster' | 'Local' | undefined {
  return v === 'Cluster' || v === 'Local' ? v : undefined;
}

function readServicePort(ctx: DocContext, node: YAMLNode): ServicePort | undefined {
  const entries = ctx.entries(node);
  if (!entries) return undefined;
  let port: number | undefined;
  let portNode: YAMLNode | undefined;
  let protocolNode: Node;
  let targetPortNode: YAMLNode | undefined;
  let nodePortNode: YAMLNode | undefined;
  let nameNode: YAMLNode | undefined;
  let appProtocol: string | undefined;
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'port':
        port = ctx.intField(m.value, 'port');
        portNode = port === undefined ? undefined : m.value;
        break;
      case 'targetPort':
        targetPortNode = m.value;
        break;
      case 'nodePort':
        nodePortNode = m.value;
        break;
      case 'name':
        nameNode = m.value;
        break;
      case 'appProtocol':
        appProtocol = ctx.str(m.value);
        break;
      case 'protocol':
        protocolNode = m.value;
        break;
    }
  }
  const protocol = protocolOf(ctx, protocolNode);
  if (port === undefined || portNode === undefined || protocol === undefined) return undefined;
  const out: ServicePort = { protocol, port, loc: ctx.loc(node), portLoc: ctx.loc(portNode) };
  const name = ctx.str(nameNode);
  if (name !== undefined) {
    out.name = name;
    out.nameLoc = ctx.loc(nameNode as YAMLNode);
  }
  const targetPort = ctx.intOrString(targetPortNode, 'targetPort');
  if (targetPort !== undefined) {
    out.targetPort = targetPort;
    out.targetPortLoc = ctx.loc(targetPortNode as YAMLNode);
  }
  const nodePort = ctx.intField(nodePortNode, 'nodePort');
  if (nodePort !== undefined) {
    out.nodePort = nodePort;
    out.nodePortLoc = ctx.loc(nodePortNode as YAMLNode);
  }
  if (appProtocol !== undefined) out.appProtocol = appProtocol;
  return out;
}

function readAffinityTimeout(ctx: DocContext, node: Node): number | undefined {
  const entries = ctx.entries(node);
  if (!entries) return undefined;
  for (const m of entries) {
    if (keyOf(m) !== 'clientIP') continue;
    const inner = ctx.entries(m.value);
    if (!inner) return undefined;
    for (const c of inner) if (keyOf(c) === 'timeoutSeconds') return ctx.int(c.value);
  }
  return undefined;
}

/** status.loadBalancer.ingress[].ip|hostname (Service and Ingress). */
export function readLoadBalancerIngress(ctx: DocContext, status: Node): string[] {
  const out: string[] = [];
  const entries = ctx.entries(status);
  if (!entries) return out;
  for (const m of entries) {
    if (keyOf(m) !== 'loadBalancer') continue;
    const lb = ctx.entries(m.value);
    if (!lb) continue;
    for (const l of lb) {
      if (keyOf(l) !== 'ingress') continue;
      const items = ctx.items(l.value);
      if (!items) continue;
      for (const item of items) {
        const fields = ctx.entries(item);
        if (!fields) continue;
        let ip: string | undefined;
        let hostname: string | undefined;
        for (const f of fields) {
          const k = keyOf(f);
          if (k === 'ip') ip = ctx.str(f.value);
          else if (k === 'hostname') hostname = ctx.str(f.value);
        }
        const address = ip ?? hostname;
        if (address !== undefined) out.push(address);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- endpoints

/**
 * A legacy Endpoints object in the EndpointSlice shape. Each subset pairs its
 * own addresses with its own ports: when every subset has the same ports they
 * are flattened into one object with the Endpoints' id; when they differ,
 * each subset becomes an object with id "<id>/subsets/<i>" (flattening those
 * would pair addresses with ports they do not serve).
 */
export function readEndpoints(ctx: DocContext, head: Head): EndpointSlice[] {
  const meta = readMeta(ctx, head);
  const subsets: { endpoints: EndpointAddress[]; ports: EndpointPort[] }[] = [];
  const entries = ctx.entries(head.node);
  if (entries) {
    for (const m of entries) {
      if (keyOf(m) !== 'subsets') continue;
      const items = ctx.items(m.value);
      if (!items) continue;
      for (const item of items) subsets.push(readSubset(ctx, item, meta.namespace));
    }
  }
  const make = (id: string, endpoints: EndpointAddress[], ports: EndpointPort[]): EndpointSlice => ({
    id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'Endpoints',
    serviceName: meta.name,
    addressType: addressTypeOf(endpoints),
    endpoints,
    ports,
  });
  const signature = (ports: EndpointPort[]) =>
    ports
      .map((p) => `${p.name ?? ''}/${p.port}/${p.protocol}`)
      .sort()
      .join(',');
  const first = subsets.length > 0 ? signature(subsets[0].ports) : '';
  if (subsets.every((s) => signature(s.ports) === first)) {
    return [make(meta.id, subsets.flatMap((s) => s.endpoints), subsets[0]?.ports ?? [])];
  }
  return subsets.map((s, i) => make(`${meta.id}/subsets/${i}`, s.endpoints, s.ports));
}

function addressTypeOf(endpoints: EndpointAddress[]): 'IPv4' | 'IPv6' {
  return endpoints.length > 0 && endpoints.every((e) => e.addresses.every((a) => a.includes(':'))) ? 'IPv6' : 'IPv4';
}

function readSubset(ctx: DocContext, node: YAMLNode, namespace: string): { endpoints: EndpointAddress[]; ports: EndpointPort[] } {
  const endpoints: EndpointAddress[] = [];
  const ports: EndpointPort[] = [];
  const entries = ctx.entries(node);
  if (!entries) return { endpoints, ports };
  for (const m of entries) {
    const k = keyOf(m);
    if (k === 'addresses' || k === 'notReadyAddresses') {
      const ready = k === 'addresses';
      const items = ctx.items(m.value);
      if (!items) continue;
      for (const item of items) {
        const fields = ctx.entries(item);
        if (!fields) continue;
        let ip: string | undefined;
        let nodeName: string | undefined;
        let hostname: string | undefined;
        let targetRef: ObjectRef | undefined;
        for (const f of fields) {
          switch (keyOf(f)) {
            case 'ip':
              ip = ctx.str(f.value);
              break;
            case 'hostname':
              hostname = ctx.str(f.value);
              break;
            case 'nodeName':
              nodeName = ctx.str(f.value);
              break;
            case 'targetRef':
              targetRef = readObjectRef(ctx, f.value, namespace);
              break;
          }
        }
        if (ip === undefined) continue;
        const address: EndpointAddress = { addresses: [ip], ready, serving: ready, terminating: false };
        if (nodeName !== undefined) address.nodeName = nodeName;
        if (hostname !== undefined) address.hostname = hostname;
        if (targetRef) address.targetRef = targetRef;
        endpoints.push(address);
      }
    } else if (k === 'ports') {
      readEndpointPorts(ctx, m.value, ports);
    }
  }
  return { endpoints, ports };
}

function readEndpointPorts(ctx: DocContext, node: Node, out: EndpointPort[]): void {
  const items = ctx.items(node);
  if (!items) return;
  for (const item of items) {
    const fields = ctx.entries(item);
    if (!fields) continue;
    let port: number | undefined;
    let name: string | undefined;
    let protocolNode: Node;
    for (const f of fields) {
      switch (keyOf(f)) {
        case 'port':
          port = ctx.int(f.value);
          break;
        case 'name':
          name = ctx.str(f.value);
          break;
        case 'protocol':
          protocolNode = f.value;
          break;
      }
    }
    const protocol = protocolOf(ctx, protocolNode);
    if (port === undefined || protocol === undefined) continue;
    const p: EndpointPort = { port, protocol };
    if (name !== undefined) p.name = name;
    out.push(p);
  }
}

function readObjectRef(ctx: DocContext, node: Node, defaultNamespace: string): ObjectRef | undefined {
  const fields = ctx.entries(node);
  if (!fields) return undefined;
  let kind = '';
  let name = '';
  let namespace = defaultNamespace;
  for (const f of fields) {
    switch (keyOf(f)) {
      case 'kind':
        kind = ctx.str(f.value) ?? '';
        break;
      case 'name':
        name = ctx.str(f.value) ?? '';
        break;
      case 'namespace':
        namespace = ctx.str(f.value) ?? defaultNamespace;
        break;
    }
  }
  return { kind, namespace, name };
}

/** A discovery.k8s.io EndpointSlice. Conditions default as the API documents (ready unset = ready; serving follows ready). */
export function readEndpointSlice(ctx: DocContext, head: Head): EndpointSlice {
  const meta = readMeta(ctx, head);
  const slice: EndpointSlice = {
    id: meta.id,
    apiVersion: meta.apiVersion,
    name: meta.name,
    namespace: meta.namespace,
    namespaceDefaulted: meta.namespaceDefaulted,
    labels: meta.labels,
    annotations: meta.annotations,
    origin: meta.origin,
    kind: 'EndpointSlice',
    serviceName: meta.labels['kubernetes.io/service-name'] ?? '',
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  };
  const entries = ctx.entries(head.node);
  if (!entries) return slice;
  for (const m of entries) {
    switch (keyOf(m)) {
      case 'addressType': {
        const t = ctx.str(m.value);
        if (t === 'IPv4' || t === 'IPv6' || t === 'FQDN') slice.addressType = t;
        break;
      }
      case 'ports':
        readEndpointPorts(ctx, m.value, slice.ports);
        break;
      case 'endpoints': {
        const items = ctx.items(m.value);
        if (!items) break;
        for (const item of items) {
          const e = readSliceEndpoint(ctx, item, meta.namespace);
          if (e) slice.endpoints.push(e);
        }
        break;
      }
    }
  }
  return slice;
}

function readSliceEndpoint(ctx: DocContext, node: YAMLNode, namespace: string): EndpointAddress | undefined {
  const fields = ctx.entries(node);
  if (!fields) return undefined;
  let addresses: string[] = [];
  let ready: boolean | undefined;
  let serving: boolean | undefined;
  let terminating: boolean | undefined;
  let nodeName: string | undefined;
  let zone: string | undefined;
  let hostname: string | undefined;
  let zoneHints: string[] | undefined;
  let targetRef: ObjectRef | undefined;
  for (const f of fields) {
    switch (keyOf(f)) {
      case 'addresses':
        addresses = ctx.strings(f.value);
        break;
      case 'conditions': {
        const conds = ctx.entries(f.value);
        if (!conds) break;
        for (const c of conds) {
          const k = keyOf(c);
          if (k === 'ready') ready = ctx.bool(c.value);
          else if (k === 'serving') serving = ctx.bool(c.value);
          else if (k === 'terminating') terminating = ctx.bool(c.value);
        }
        break;
      }
      case 'nodeName':
        nodeName = ctx.str(f.value);
        break;
      case 'zone':
        zone = ctx.str(f.value);
        break;
      case 'hostname':
        hostname = ctx.str(f.value);
        break;
      case 'hints':
        zoneHints = readZoneHints(ctx, f.value);
        break;
      case 'targetRef':
        targetRef = readObjectRef(ctx, f.value, namespace);
        break;
    }
  }
  const isReady = ready ?? true;
  const e: EndpointAddress = { addresses, ready: isReady, serving: serving ?? isReady, terminating: terminating ?? false };
  if (nodeName !== undefined) e.nodeName = nodeName;
  if (zone !== undefined) e.zone = zone;
  if (hostname !== undefined) e.hostname = hostname;
  if (zoneHints && zoneHints.length > 0) e.zoneHints = zoneHints;
  if (targetRef) e.targetRef = targetRef;
  return e;
}

/** hints.forZones[].name. */
function readZoneHints(ctx: DocContext, node: Node): string[] | undefined {
  const entries = ctx.entries(node);
  if (!entries) return undefined;
  const out: string[] = [];
  for (const m of entries) {
    if (keyOf(m) !== 'forZones') continue;
    for (const item of ctx.items(m.value) ?? []) {
      for (const f of ctx.entries(item) ?? []) {
        if (keyOf(f) !== 'name') continue;
        const name = ctx.str(f.value);
        if (name !== undefined) out.push(name);
      }
    }
  }
  return out;
}
