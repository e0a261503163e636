// Builders for model objects in rule tests: the smallest objects the rules
// read, with locations left out unless a test needs them.
import type {
  Container,
  ContainerPort,
  LabelSelector,
  Labels,
  NetworkModel,
  NetworkPolicy,
  Service,
  ServicePort,
  Workload,
  Namespace,
  Ingress,
  IngressClass,
  Route,
  EndpointSlice,
  Protocol,
} from '../../../src/core/model/types';
import { addObject, emptyModel } from '../../../src/core/model/collect';

let seq = 0;
function id(kind: string, name: string): string {
  return `mem.yaml#${seq++}/${kind}/${name}`;
}

function meta(kind: string, name: string, namespace = 'default') {
  return {
    id: id(kind, name),
    kind,
    apiVersion: 'v1',
    name,
    namespace,
    labels: {} as Labels,
    annotations: {} as Labels,
    origin: { source: 'manifest' as const, file: 'mem.yaml', doc: 0 },
  };
}

export function sel(matchLabels: Labels, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector {
  return { matchLabels, matchExpressions };
}

export function port(containerPort: number, name?: string, protocol: Protocol = 'TCP'): ContainerPort {
  return { containerPort, name, protocol };
}

export function container(name: string, ports: ContainerPort[] = [], extra: Partial<Container> = {}): Container {
  return { name, init: false, ports, probes: [], ...extra };
}

export function workload(
  name: string,
  podLabels: Labels,
  opts: Partial<Workload> & { ns?: string } = {},
): Workload {
  const { ns, ...rest } = opts;
  return {
    ...meta(rest.kind ?? 'Deployment', name, ns),
    kind: 'Deployment',
    podLabels,
    selector: sel(podLabels),
    containers: [container('main')],
    hostNetwork: false,
    pods: [],
    ...rest,
  } as Workload;
}

export function svcPort(p: number, targetPort?: number | string, extra: Partial<ServicePort> = {}): ServicePort {
  return { port: p, targetPort, protocol: 'TCP', ...extra };
}

export function service(name: string, selector: Labels | undefined, opts: Partial<Service> & { ns?: string } = {}): Service {
  const { ns, ...rest } = opts;
  return {
    ...meta('Service', name, ns),
    kind: 'Service',
    type: 'ClusterIP',
    clusterIPs: [],
    headless: false,
    ports: [svcPort(80)],
    selector: selector ? sel(selector) : undefined,
    sessionAffinity: 'None',
    externalIPs: [],
    loadBalancerIPs: [],
    ipFamilies: [],
    publishNotReadyAddresses: false,
    ...rest,
  } as Service;
}

export function namespace(name: string, labels: Labels = {}): Namespace {
  return { ...meta('Namespace', name, ''), kind: 'Namespace', labels } as Namespace;
}

export function policy(name: string, podSelector: LabelSelector, opts: Partial<NetworkPolicy> & { ns?: string } = {}): NetworkPolicy {
  const { ns, ...rest } = opts;
  return {
    ...meta('NetworkPolicy', name, ns),
    kind: 'NetworkPolicy',
    podSelector,
    policyTypes: ['Ingress'],
    ingress: [],
    egress: [],
    ...rest,
  } as NetworkPolicy;
}

export function ingress(name: string, opts: Partial<Ingress> & { ns?: string } = {}): Ingress {
  const { ns, ...rest } = opts;
  return { ...meta('Ingress', name, ns), kind: 'Ingress', rules: [], tls: [], loadBalancerIPs: [], ...rest } as Ingress;
}

export function ingressClass(name: string, isDefault = false): IngressClass {
  return { ...meta('IngressClass', name, ''), kind: 'IngressClass', isDefault } as IngressClass;
}

export function route(name: string, opts: Partial<Route> & { ns?: string } = {}): Route {
  const { ns, ...rest } = opts;
  return { ...meta('HTTPRoute', name, ns), kind: 'HTTPRoute', hostnames: [], parentRefs: [], rules: [], ...rest } as Route;
}

export function endpoints(name: string, ns = 'default'): EndpointSlice {
  return {
    ...meta('Endpoints', name, ns),
    kind: 'Endpoints',
    serviceName: name,
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  } as EndpointSlice;
}

export function model(objects: Array<Workload | Service | Namespace | NetworkPolicy | Ingress | IngressClass | Route | EndpointSlice>): NetworkModel {
  const m = emptyModel('manifests', 'default');
  for (const o of objects) addObject(m, o);
  return m;
}
