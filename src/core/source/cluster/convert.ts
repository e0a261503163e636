// API objects (parsed JSON as the API server sends it) to model objects.
// Only the fields the model uses are read; everything else (managedFields,
// status noise, big annotations) is dropped here, as early as possible.
// Defaults follow what the API server and kube-proxy assume for absent
// fields, so a model built from a cluster reads like one built from files.
import type {
  BackendRef,
  Container,
  ContainerPort,
  EndpointAddress,
  EndpointPort,
  EndpointSlice,
  IPBlock,
  Ingress,
  IngressClass,
  IngressPath,
  IngressRule,
  Labels,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  Node,
  ObjectMeta,
  ObjectRef,
  PathType,
  Pod,
  PodDnsSettings,
  PodPhase,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  ProbePort,
  Protocol,
  SelectorOperator,
  SelectorRequirement,
  Service,
  ServicePort,
  ServiceType,
} from '../../model/types';

/** A JSON object from the API (unknown shape: every field is checked before use). */
export type Raw = Record<string, unknown>;

/** Annotations that are large and never used by the model. */
const DROPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export function obj(v: unknown): Raw | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function strings(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string');
}

function stringMap(v: unknown, drop?: Set<string>): Labels {
  const o = obj(v);
  if (!o) return EMPTY;
  let out: Record<string, string> | undefined;
  for (const k in o) {
    const val = o[k];
    if (typeof val !== 'string' || drop?.has(k)) continue;
    (out ??= {})[k] = val;
  }
  return out ?? EMPTY;
}

const EMPTY: Labels = Object.freeze({});

function protocol(v: unknown): Protocol {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

function intOrString(v: unknown): number | string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v !== '') return /^\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

/** metadata of an API object; `kind`/`apiVersion` are given by the caller (list items carry none). */
export function meta(raw: Raw, kind: string, apiVersion: string): ObjectMeta | undefined {
  const m = obj(raw.metadata);
  const name = str(m?.name);
  const uid = str(m?.uid);
  if (!m || !name || !uid) return undefined;
  return {
    id: uid,
    kind,
    apiVersion,
    name,
    namespace: str(m.namespace) ?? '',
    labels: stringMap(m.labels),
    annotations: stringMap(m.annotations, DROPPED_ANNOTATIONS),
    origin: { source: 'cluster' },
  };
}

export function labelSelector(v: unknown): LabelSelector | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const matchExpressions: SelectorRequirement[] = [];
  for (const e of arr(o.matchExpressions)) {
    const r = obj(e);
    const key = str(r?.key);
    const operator = str(r?.operator);
    if (!r || !key || !operator) continue;
    matchExpressions.push({ key, operator: operator as SelectorOperator, values: strings(r.values) });
  }
  return { matchLabels: stringMap(o.matchLabels), matchExpressions };
}

// ---------------------------------------------------------------- cluster-wide

export function toNamespace(raw: Raw): Namespace | undefined {
  const m = meta(raw, 'Namespace', 'v1');
  return m && { ...m, kind: 'Namespace' };
}

export function toNode(raw: Raw): Node | undefined {
  const m = meta(raw, 'Node', 'v1');
  if (!m) return undefined;
  const spec = obj(raw.spec);
  const status = obj(raw.status);
  const addresses = arr(status?.addresses).flatMap((a) => {
    const o = obj(a);
    const type = str(o?.type);
    const address = str(o?.address);
    return type && address ? [{ type, address }] : [];
  });
  let podCIDRs = strings(spec?.podCIDRs);
  const podCIDR = str(spec?.podCIDR);
  if (podCIDRs.length === 0 && podCIDR) podCIDRs = [podCIDR];
  return { ...m, kind: 'Node', addresses, podCIDRs, ready: conditionTrue(status, 'Ready') };
}

function conditionTrue(status: Raw | undefined, type: string): boolean {
  for (const c of arr(status?.conditions)) {
    const o = obj(c);
    if (o?.type === type) return o.status === 'True';
  }
  return false;
}

// ---------------------------------------------------------------- pods

const PHASES = new Set(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

/** The controller owner reference (`controller: true`) of an object, as written. */
export interface ControllerRef {
  kind: string;
  name: string;
  uid: string;
  apiVersion: string;
}

export function controllerRef(raw: Raw): ControllerRef | undefined {
  for (const r of arr(obj(raw.metadata)?.ownerReferences)) {
    const o = obj(r);
    if (!o || o.controller !== true) continue;
    const kind = str(o.kind);
    const name = str(o.name);
    if (kind && name) return { kind, name, uid: str(o.uid) ?? '', apiVersion: str(o.apiVersion) ?? '' };
  }
  return undefined;
}

function containers(list: unknown, init: boolean): Container[] {
  const out: Container[] = [];
  for (const c of arr(list)) {
    const o = obj(c);
    const name = str(o?.name);
    if (!o || !name) continue;
    const ports: ContainerPort[] = [];
    for (const p of arr(o.ports)) {
      const po = obj(p);
      const containerPort = num(po?.containerPort);
      if (!po || containerPort === undefined) continue;
      const port: ContainerPort = { containerPort, protocol: protocol(po.protocol) };
      const pname = str(po.name);
      if (pname) port.name = pname;
      ports.push(port);
    }
    const probes: ProbePort[] = [];
    probe(o.livenessProbe, 'liveness', probes);
    probe(o.readinessProbe, 'readiness', probes);
    probe(o.startupProbe, 'startup', probes);
    out.push({ name, init, ...(init && o.restartPolicy === 'Always' ? { sidecar: true } : {}), ports, probes });
  }
  return out;
}

function probe(v: unknown, kind: ProbePort['probe'], out: ProbePort[]): void {
  const p = obj(v);
  if (!p) return;
  for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
    const h = obj(p[handler]);
    const port = intOrString(h?.port);
    if (port !== undefined) out.push({ probe: kind, handler, port });
  }
}

export function toPod(raw: Raw): Pod | undefined {
  const m = meta(raw, 'Pod', 'v1');
  if (!m) return undefined;
  const spec = obj(raw.spec);
  const status = obj(raw.status);
  const phase = str(status?.phase);
  const ips = arr(status?.podIPs).flatMap((x) => {
    const ip = str(obj(x)?.ip);
    return ip ? [ip] : [];
  });
  const ip = str(status?.podIP);
  if (ips.length === 0 && ip) ips.push(ip);
  const pod: Pod = {
    ...m,
    kind: 'Pod',
    ips,
    phase: phase && PHASES.has(phase) ? (phase as PodPhase) : 'Unknown',
    ready: conditionTrue(status, 'Ready'),
    terminating: str(obj(raw.metadata)?.deletionTimestamp) !== undefined,
    // Containers first, then init containers (the manifest source's order).
    containers: [...containers(spec?.containers, false), ...containers(spec?.initContainers, true)],
    hostNetwork: bool(spec?.hostNetwork) ?? false,
  };
  if (ip) pod.ip = ip;
  const hostname = str(spec?.hostname);
  if (hostname) pod.hostname = hostname;
  const subdomain = str(spec?.subdomain);
  if (subdomain) pod.subdomain = subdomain;
  const dns = podDns(spec);
  if (dns) pod.dns = dns;
  const nodeName = str(spec?.nodeName);
  if (nodeName) pod.nodeName = nodeName;
  return pod;
}

/** spec.dnsPolicy and dnsConfig's searches, nameservers and ndots, when the Pod sets either. */
function podDns(spec: Raw | undefined): PodDnsSettings | undefined {
  const policy = str(spec?.dnsPolicy);
  const config = obj(spec?.dnsConfig);
  if (!config && (policy === undefined || policy === 'ClusterFirst')) return undefined;
  const dns: PodDnsSettings = { searches: strings(config?.searches) };
  if (policy !== undefined) dns.policy = policy;
  const nameservers = strings(config?.nameservers);
  if (nameservers.length > 0) dns.nameservers = nameservers;
  for (const o of arr(config?.options)) {
    const opt = obj(o);
    const value = str(opt?.value);
    if (str(opt?.name) === 'ndots' && value !== undefined && /^\d+$/.test(value)) dns.ndots = Number(value);
  }
  return dns;
}

/** spec.subdomain of a Pod: a StatefulSet sets it to its spec.serviceName. */
export function podSubdomain(raw: Raw): string | undefined {
  return str(obj(raw.spec)?.subdomain);
}

// ---------------------------------------------------------------- services

const SERVICE_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);

function lbIngress(status: Raw | undefined): string[] {
  return arr(obj(status?.loadBalancer)?.ingress).flatMap((x) => {
    const o = obj(x);
    const a = str(o?.ip) ?? str(o?.hostname);
    return a ? [a] : [];
  });
}

export function toService(raw: Raw): Service | undefined {
  const m = meta(raw, 'Service', 'v1');
  if (!m) return undefined;
  const spec = obj(raw.spec) ?? {};
  const type = str(spec.type);
  const clusterIP = str(spec.clusterIP);
  let clusterIPs = strings(spec.clusterIPs);
  // As the manifest source does (and the API server since 1.20): clusterIPs mirrors clusterIP, "None" included.
  if (clusterIPs.length === 0 && clusterIP) clusterIPs = [clusterIP];
  const ports: ServicePort[] = [];
  for (const p of arr(spec.ports)) {
    const o = obj(p);
    const port = num(o?.port);
    if (!o || port === undefined) continue;
    const sp: ServicePort = { protocol: protocol(o.protocol), port };
    const name = str(o.name);
    if (name) sp.name = name;
    const targetPort = intOrString(o.targetPort);
    if (targetPort !== undefined) sp.targetPort = targetPort;
    const nodePort = num(o.nodePort);
    if (nodePort !== undefined) sp.nodePort = nodePort;
    const appProtocol = str(o.appProtocol);
    if (appProtocol) sp.appProtocol = appProtocol;
    ports.push(sp);
  }
  // The endpoints controller ignores an empty selector: the same as none.
  const sel = obj(spec.selector);
  const selector = sel && Object.keys(sel).length > 0 ? { matchLabels: stringMap(sel), matchExpressions: [] } : undefined;
  const svc: Service = {
    ...m,
    kind: 'Service',
    type: type && SERVICE_TYPES.has(type) ? (type as ServiceType) : 'ClusterIP',
    clusterIPs,
    headless: (clusterIP ?? clusterIPs[0]) === 'None',
    ports,
    sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
    externalIPs: strings(spec.externalIPs),
    loadBalancerIPs: lbIngress(obj(raw.status)),
    ipFamilies: strings(spec.ipFamilies),
    publishNotReadyAddresses: bool(spec.publishNotReadyAddresses) ?? false,
  };
  if (clusterIP) svc.clusterIP = clusterIP;
  if (selector) svc.selector = selector;
  const timeout = num(obj(obj(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds);
  if (svc.sessionAffinity === 'ClientIP' && timeout !== undefined) svc.sessionAffinityTimeoutSeconds = timeout;
  const etp = str(spec.externalTrafficPolicy);
  if (etp === 'Cluster' || etp === 'Local') svc.externalTrafficPolicy = etp;
  const itp = str(spec.internalTrafficPolicy);
  if (itp === 'Cluster' || itp === 'Local') svc.internalTrafficPolicy = itp;
  const externalName = str(spec.externalName);
  if (externalName) svc.externalName = externalName;
  return svc;
}

function endpointPorts(list: unknown): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const p of arr(list)) {
    const o = obj(p);
    const port = num(o?.port);
    if (!o || port === undefined) continue;
    const ep: EndpointPort = { port, protocol: protocol(o.protocol) };
    const name = str(o.name);
    if (name) ep.name = name;
    out.push(ep);
  }
  return out;
}

function objectRef(v: unknown, defaultNamespace: string): ObjectRef | undefined {
  const o = obj(v);
  const kind = str(o?.kind);
  const name = str(o?.name);
  return o && kind && name ? { kind, name, namespace: str(o.namespace) ?? defaultNamespace } : undefined;
}

/**
 * discovery.k8s.io/v1 EndpointSlice. Absent conditions are read as kube-proxy
 * reads them: ready and serving when unset, terminating only when set.
 */
export function toEndpointSlice(raw: Raw): EndpointSlice | undefined {
  const m = meta(raw, 'EndpointSlice', 'discovery.k8s.io/v1');
  if (!m) return undefined;
  const at = str(raw.addressType);
  const endpoints: EndpointAddress[] = [];
  for (const e of arr(raw.endpoints)) {
    const o = obj(e);
    if (!o) continue;
    const c = obj(o.conditions);
    const ready = bool(c?.ready) ?? true;
    const ep: EndpointAddress = {
      addresses: strings(o.addresses),
      ready,
      serving: bool(c?.serving) ?? ready,
      terminating: bool(c?.terminating) ?? false,
    };
    const nodeName = str(o.nodeName);
    if (nodeName) ep.nodeName = nodeName;
    const zone = str(o.zone);
    if (zone) ep.zone = zone;
    const hostname = str(o.hostname);
    if (hostname) ep.hostname = hostname;
    const ref = objectRef(o.targetRef, m.namespace);
    if (ref) ep.targetRef = ref;
    endpoints.push(ep);
  }
  return {
    ...m,
    kind: 'EndpointSlice',
    serviceName: m.labels['kubernetes.io/service-name'] ?? '',
    addressType: at === 'IPv6' || at === 'FQDN' ? at : 'IPv4',
    endpoints,
    ports: endpointPorts(raw.ports),
  };
}

/**
 * A legacy v1 Endpoints object, flattened into EndpointSlice shapes: one per
 * subset (each subset has its own ports); ids are "<uid>" for the first
 * subset and "<uid>/<n>" after. Not-ready addresses are neither ready nor serving.
 */
export function toEndpoints(raw: Raw): EndpointSlice[] {
  const m = meta(raw, 'Endpoints', 'v1');
  if (!m) return [];
  const out: EndpointSlice[] = [];
  arr(raw.subsets).forEach((s, i) => {
    const o = obj(s);
    if (!o) return;
    const endpoints: EndpointAddress[] = [];
    for (const [list, ready] of [[o.addresses, true], [o.notReadyAddresses, false]] as const) {
      for (const a of arr(list)) {
        const ao = obj(a);
        const ip = str(ao?.ip);
        if (!ao || !ip) continue;
        const ep: EndpointAddress = { addresses: [ip], ready, serving: ready, terminating: false };
        const nodeName = str(ao.nodeName);
        if (nodeName) ep.nodeName = nodeName;
        const hostname = str(ao.hostname);
        if (hostname) ep.hostname = hostname;
        const ref = objectRef(ao.targetRef, m.namespace);
        if (ref) ep.targetRef = ref;
        endpoints.push(ep);
      }
    }
    const v6 = endpoints.length > 0 && endpoints.every((e) => e.addresses[0].includes(':'));
    out.push({
      ...m,
      id: i === 0 ? m.id : `${m.id}/${i}`,
      kind: 'Endpoints',
      serviceName: m.name,
      addressType: v6 ? 'IPv6' : 'IPv4',
      endpoints,
      ports: endpointPorts(o.ports),
    });
  });
  return out;
}

// ---------------------------------------------------------------- ingress and routes

const PATH_TYPES = new Set(['Exact', 'Prefix', 'ImplementationSpecific']);

function ingressBackend(v: unknown, namespace: string): BackendRef | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const svc = obj(o.service);
  if (svc) {
    const port = obj(svc.port);
    const b: BackendRef = { service: str(svc.name) ?? '' };
    const p = num(port?.number) ?? str(port?.name);
    if (p !== undefined && p !== '') b.port = p;
    return b;
  }
  const res = obj(o.resource);
  if (res) {
    const kind = str(res.kind);
    const name = str(res.name);
    if (kind && name) return { service: '', resource: { kind, name, namespace } };
  }
  return undefined;
}

export function toIngress(raw: Raw): Ingress | undefined {
  const m = meta(raw, 'Ingress', 'networking.k8s.io/v1');
  if (!m) return undefined;
  const spec = obj(raw.spec) ?? {};
  const rules: IngressRule[] = [];
  for (const r of arr(spec.rules)) {
    const o = obj(r);
    if (!o) continue;
    const paths: IngressPath[] = [];
    for (const p of arr(obj(o.http)?.paths)) {
      const po = obj(p);
      const backend = ingressBackend(po?.backend, m.namespace);
      if (!po || !backend) continue;
      const pt = str(po.pathType);
      paths.push({
        path: str(po.path) ?? '',
        pathType: pt && PATH_TYPES.has(pt) ? (pt as PathType) : 'ImplementationSpecific',
        backend,
      });
    }
    const rule: IngressRule = { paths };
    const host = str(o.host);
    if (host) rule.host = host;
    rules.push(rule);
  }
  const ing: Ingress = {
    ...m,
    kind: 'Ingress',
    rules,
    tls: arr(spec.tls).flatMap((t) => {
      const o = obj(t);
      if (!o) return [];
      const secretName = str(o.secretName);
      return [{ hosts: strings(o.hosts), hostLocs: [], ...(secretName ? { secretName } : {}) }];
    }),
    loadBalancerIPs: lbIngress(obj(raw.status)),
  };
  const className = str(spec.ingressClassName) ?? m.annotations['kubernetes.io/ingress.class'];
  if (className) ing.className = className;
  const def = ingressBackend(spec.defaultBackend, m.namespace);
  if (def) ing.defaultBackend = def;
  return ing;
}

export function toIngressClass(raw: Raw): IngressClass | undefined {
  const m = meta(raw, 'IngressClass', 'networking.k8s.io/v1');
  if (!m) return undefined;
  const ic: IngressClass = {
    ...m,
    kind: 'IngressClass',
    isDefault: m.annotations['ingressclass.kubernetes.io/is-default-class'] === 'true',
  };
  const controller = str(obj(raw.spec)?.controller);
  if (controller) ic.controller = controller;
  return ic;
}

// Gateway API objects: ./gateway.

// ---------------------------------------------------------------- network policy

function policyRules(list: unknown, peersKey: 'from' | 'to'): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const r of arr(list)) {
    const o = obj(r) ?? {};
    const peers: PolicyPeer[] = [];
    for (const p of arr(o[peersKey])) {
      const po = obj(p);
      if (!po) continue;
      const peer: PolicyPeer = {};
      const ps = labelSelector(po.podSelector);
      if (ps) peer.podSelector = ps;
      const ns = labelSelector(po.namespaceSelector);
      if (ns) peer.namespaceSelector = ns;
      const ib = obj(po.ipBlock);
      const cidr = str(ib?.cidr);
      if (ib && cidr) peer.ipBlock = { cidr, except: strings(ib.except) } satisfies IPBlock;
      peers.push(peer);
    }
    const ports: PolicyPort[] = [];
    for (const p of arr(o.ports)) {
      const po = obj(p);
      if (!po) continue;
      const pp: PolicyPort = { protocol: protocol(po.protocol) };
      const port = intOrString(po.port);
      if (port !== undefined) pp.port = port;
      const endPort = num(po.endPort);
      if (endPort !== undefined) pp.endPort = endPort;
      ports.push(pp);
    }
    out.push({ peers, ports });
  }
  return out;
}

export function toNetworkPolicy(raw: Raw): NetworkPolicy | undefined {
  const m = meta(raw, 'NetworkPolicy', 'networking.k8s.io/v1');
  if (!m) return undefined;
  const spec = obj(raw.spec) ?? {};
  let policyTypes = strings(spec.policyTypes).filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress');
  const egress = policyRules(spec.egress, 'to');
  // The API server defaults policyTypes (Egress only when there are egress rules); an object may still lack it.
  if (policyTypes.length === 0) policyTypes = egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    ...m,
    kind: 'NetworkPolicy',
    podSelector: labelSelector(spec.podSelector) ?? { matchLabels: {}, matchExpressions: [] },
    policyTypes,
    ingress: policyRules(spec.ingress, 'from'),
    egress,
  };
}
