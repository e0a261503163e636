// The network model: one shape for both sources (manifest files and a live
// cluster). Objects keep where they came from so a finding can point at the
// exact field; positions are character offsets into the source file's text.

/** A span of a source file: [start, end) character offsets into its text. */
export interface Loc {
  file: string;
  start: number;
  end: number;
}

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** A LabelSelector (matchLabels + matchExpressions). A Service selector is matchLabels only. */
export interface LabelSelector {
  matchLabels: Labels;
  matchExpressions: SelectorRequirement[];
  /** Where the selector (the mapping itself) is written. */
  loc?: Loc;
  /** Where each matchLabels value is written, by key (what a fix would edit). */
  valueLocs?: Readonly<Record<string, Loc>>;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Where an object came from. */
export interface Origin {
  source: 'manifest' | 'cluster';
  /** Manifest source: the file and the document index within it (0-based). */
  file?: string;
  doc?: number;
  /** The whole object (manifest source). */
  loc?: Loc;
  /** `metadata.name`'s value (manifest source). */
  nameLoc?: Loc;
  /**
   * Why the object is not part of the steady state a Service sends traffic
   * to (a Helm hook or test, a CRD from a chart's crds/), if so: such objects
   * sit in the model's `notSteadyState` list, not among the workloads.
   */
  notSteadyState?: string;
}

export interface ObjectMeta {
  /** Unique within a model: "<file>#<doc>[/<item>]" for manifests, the UID for a cluster. */
  id: string;
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  /** True when the manifest did not set `metadata.namespace` (the default namespace was applied). */
  namespaceDefaulted?: boolean;
  labels: Labels;
  annotations: Labels;
  origin: Origin;
}

export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

// ---------------------------------------------------------------- cluster-wide

export interface Namespace extends ObjectMeta {
  kind: 'Namespace';
}

export interface NodeAddress {
  type: string; // InternalIP, ExternalIP, Hostname
  address: string;
}

export interface Node extends ObjectMeta {
  kind: 'Node';
  addresses: NodeAddress[];
  podCIDRs: string[];
  ready: boolean;
}

// ---------------------------------------------------------------- workloads

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
  loc?: Loc;
  nameLoc?: Loc;
}

export interface ProbePort {
  probe: 'liveness' | 'readiness' | 'startup';
  handler: 'httpGet' | 'tcpSocket' | 'grpc';
  port: number | string;
  loc?: Loc;
}

export interface Container {
  name: string;
  init: boolean;
  /** An init container with restartPolicy: Always (a native sidecar): it keeps running beside the regular containers. */
  sidecar?: boolean;
  ports: ContainerPort[];
  probes: ProbePort[];
  loc?: Loc;
}

export type WorkloadKind =
  | 'Pod'
  | 'Deployment'
  | 'ReplicaSet'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob'
  | 'ReplicationController'
  | 'DeploymentConfig';

/**
 * Something that makes Pods from one template: a manifest's Deployment,
 * StatefulSet, ... or a bare Pod; with a cluster, the controller that owns
 * live Pods (their common labels) with those Pods in `pods`.
 */
export interface Workload extends ObjectMeta {
  kind: WorkloadKind;
  /** The pod template's labels (a bare Pod: its own labels). */
  podLabels: Labels;
  /** Where the pod template's labels are written. */
  podLabelsLoc?: Loc;
  /** spec.selector (absent for Pod and CronJob; RC's is a plain map). */
  selector?: LabelSelector;
  containers: Container[];
  /** spec.replicas; undefined where the kind has none (DaemonSet: one per node). */
  replicas?: number;
  /** StatefulSet spec.serviceName. */
  serviceName?: string;
  serviceNameLoc?: Loc;
  hostNetwork: boolean;
  /** The pod template's spec.hostname and spec.subdomain (a Pod's DNS name under a headless Service of that name). */
  hostname?: string;
  subdomain?: string;
  /** The pod template's spec.dnsPolicy and spec.dnsConfig (how its resolv.conf is written). */
  dns?: PodDnsSettings;
  /** Live Pods (cluster source); empty for manifests. */
  pods: Pod[];
  /** A bare Pod manifest that carries spec.nodeName or status (an exported Pod): what it says. */
  podStatus?: ManifestPodStatus;
  /** An exported controller's status.readyReplicas (DaemonSet: status.numberReady). */
  statusReadyReplicas?: number;
}

/** What a Pod manifest says about the running Pod (status.podIP(s), the Ready condition, spec.nodeName). */
export interface ManifestPodStatus {
  ips: string[];
  /** The Ready condition; undefined when the manifest has none. */
  ready?: boolean;
  nodeName?: string;
  phase?: PodPhase;
  /** metadata.deletionTimestamp is set. */
  terminating: boolean;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** A live Pod (cluster source). */
export interface Pod extends ObjectMeta {
  kind: 'Pod';
  ip?: string;
  ips: string[];
  nodeName?: string;
  phase: PodPhase;
  ready: boolean;
  terminating: boolean;
  owner?: ObjectRef;
  containers: Container[];
  hostNetwork: boolean;
  /** spec.hostname / spec.subdomain (a StatefulSet's controller sets them to the Pod's name and its serviceName). */
  hostname?: string;
  subdomain?: string;
  dns?: PodDnsSettings;
}

/** spec.dnsPolicy and spec.dnsConfig as written (absent: ClusterFirst, nothing added). */
export interface PodDnsSettings {
  policy?: string;
  searches: string[];
  /** options ndots, when dnsConfig sets it. */
  ndots?: number;
  /** dnsConfig's nameservers (the only servers of a dnsPolicy None Pod). */
  nameservers?: string[];
}

// ---------------------------------------------------------------- services

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServicePort {
  name?: string;
  protocol: Protocol;
  port: number;
  /** As written: a number, a name, or undefined when absent (then it equals `port`). */
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
  loc?: Loc;
  portLoc?: Loc;
  targetPortLoc?: Loc;
  nodePortLoc?: Loc;
  nameLoc?: Loc;
}

export interface Service extends ObjectMeta {
  kind: 'Service';
  type: ServiceType;
  /** As written / assigned; 'None' for headless. */
  clusterIP?: string;
  clusterIPs: string[];
  headless: boolean;
  ports: ServicePort[];
  portsLoc?: Loc;
  /** undefined: no selector at all (Endpoints are managed by hand). */
  selector?: LabelSelector;
  sessionAffinity: 'None' | 'ClientIP';
  sessionAffinityTimeoutSeconds?: number;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  externalTrafficPolicyLoc?: Loc;
  internalTrafficPolicy?: 'Cluster' | 'Local';
  externalName?: string;
  externalIPs: string[];
  loadBalancerIPs: string[]; // status.loadBalancer.ingress[].ip|hostname
  ipFamilies: string[];
  /** SingleStack (the default), PreferDualStack or RequireDualStack. */
  ipFamilyPolicy?: string;
  /** spec.loadBalancerSourceRanges (CIDRs, trimmed as kube-proxy trims them). */
  loadBalancerSourceRanges?: string[];
  /** spec.trafficDistribution (PreferClose, PreferSameZone, PreferSameNode). */
  trafficDistribution?: string;
  /** spec.healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local). */
  healthCheckNodePort?: number;
  publishNotReadyAddresses: boolean;
  typeLoc?: Loc;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface EndpointAddress {
  addresses: string[];
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  zone?: string;
  /** The endpoint's DNS hostname (EndpointSlice `hostname`, Endpoints address `hostname`). */
  hostname?: string;
  /** hints.forZones[].name: the zones whose nodes should use it (topology-aware routing). */
  zoneHints?: string[];
  targetRef?: ObjectRef;
}

/** An EndpointSlice, or a legacy Endpoints object flattened into the same shape. */
export interface EndpointSlice extends ObjectMeta {
  kind: 'EndpointSlice' | 'Endpoints';
  /** The Service it belongs to (label kubernetes.io/service-name, or the Endpoints' own name). */
  serviceName: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: EndpointAddress[];
  ports: EndpointPort[];
}

// ---------------------------------------------------------------- ingress and routes

export interface BackendRef {
  service: string;
  /** Port number or name as written; undefined when missing. */
  port?: number | string;
  loc?: Loc;
  serviceLoc?: Loc;
  portLoc?: Loc;
  /** A non-Service backend (spec.resource / a non-core backendRef kind). */
  resource?: ObjectRef;
}

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface IngressPath {
  path: string;
  pathType: PathType;
  backend: BackendRef;
  loc?: Loc;
}

export interface IngressRule {
  /** undefined: any host. */
  host?: string;
  paths: IngressPath[];
  loc?: Loc;
  hostLoc?: Loc;
}

export interface IngressTLS {
  hosts: string[];
  secretName?: string;
  loc?: Loc;
  hostLocs: Loc[];
}

export interface Ingress extends ObjectMeta {
  kind: 'Ingress';
  /** spec.ingressClassName or the legacy kubernetes.io/ingress.class annotation. */
  className?: string;
  classNameLoc?: Loc;
  rules: IngressRule[];
  defaultBackend?: BackendRef;
  tls: IngressTLS[];
  loadBalancerIPs: string[];
}

export interface IngressClass extends ObjectMeta {
  kind: 'IngressClass';
  controller?: string;
  isDefault: boolean;
}

export type RouteBackendRef = BackendRef & {
  weight: number;
  namespace: string;
  kind: string;
  /** The API group as written ('' is the core group). */
  group?: string;
  /** Filters applied only on the way to this backend. */
  filters?: RouteFilter[];
  weightLoc?: Loc;
  namespaceLoc?: Loc;
};

export interface RouteRule {
  matches: RouteMatch[];
  backendRefs: RouteBackendRef[];
  /** The rule's filters, in order (absent: none read, e.g. from a live cluster). */
  filters?: RouteFilter[];
  /** rules[].name (Gateway API v1.2+). */
  name?: string;
  /** timeouts.request / timeouts.backendRequest as written (Gateway API durations). */
  timeouts?: { request?: string; backendRequest?: string };
  loc?: Loc;
}

/** The Gateway API's group: what a parentRef, an allowed route kind or a ReferenceGrant's `from` means when it names no group. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export interface Route extends ObjectMeta {
  kind: 'HTTPRoute' | 'GRPCRoute';
  hostnames: string[];
  hostnameLocs?: Loc[];
  parentRefs: RouteParentRef[];
  rules: RouteRule[];
}

// ---------------------------------------------------------------- Gateway API
// gateway.networking.k8s.io (v1, v1beta1; GRPCRoute also v1alpha2): Gateways
// and their listeners, ReferenceGrants, and what HTTPRoute/GRPCRoute rules
// match and do. Defaults are applied as the API's CRDs apply them.

/** A route's parentRef: a Gateway (kind and group defaulted), optionally one listener by sectionName and/or port. */
export interface RouteParentRef extends ObjectRef {
  /** '' is not written by manifests: absent means gateway.networking.k8s.io. */
  group?: string;
  sectionName?: string;
  port?: number;
  loc?: Loc;
}

export type HeaderMatchType = 'Exact' | 'RegularExpression';

export interface RouteValueMatch {
  type: HeaderMatchType;
  name: string;
  value: string;
}

export interface RouteMatch {
  /** HTTPRoute: Exact, PathPrefix or RegularExpression (absent: PathPrefix "/"). */
  pathType?: string;
  path?: string;
  method?: string;
  headers?: RouteValueMatch[];
  queryParams?: RouteValueMatch[];
  /** GRPCRoute: method.type (Exact, RegularExpression), method.service, method.method. */
  grpc?: { type: HeaderMatchType; service?: string; method?: string };
  loc?: Loc;
}

export interface HeaderModifier {
  set: { name: string; value: string }[];
  add: { name: string; value: string }[];
  remove: string[];
}

/** A path modifier of RequestRedirect or URLRewrite. */
export interface PathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  value: string;
}

export interface RouteFilter {
  type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestRedirect' | 'URLRewrite' | 'RequestMirror' | 'ExtensionRef' | 'CORS' | string;
  requestHeaders?: HeaderModifier;
  responseHeaders?: HeaderModifier;
  redirect?: { scheme?: string; hostname?: string; path?: PathModifier; port?: number; statusCode: number };
  rewrite?: { hostname?: string; path?: PathModifier };
  mirror?: { kind: string; namespace: string; name: string; port?: number; percent?: number; fraction?: { numerator: number; denominator: number } };
  extensionRef?: { group: string; kind: string; name: string };
  loc?: Loc;
}

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | string;

export interface GatewayListener {
  name: string;
  /** undefined: every host. */
  hostname?: string;
  port: number;
  protocol: ListenerProtocol;
  tls?: { mode: 'Terminate' | 'Passthrough'; certificateRefs: ObjectRef[] };
  allowedRoutes: {
    /** Same (the default), All or Selector. */
    from: 'Same' | 'All' | 'Selector';
    selector?: LabelSelector;
    /** Kinds written under allowedRoutes.kinds; undefined: the protocol's defaults. */
    kinds?: { group: string; kind: string }[];
  };
  loc?: Loc;
  hostnameLoc?: Loc;
}

export interface Gateway extends ObjectMeta {
  kind: 'Gateway';
  gatewayClassName?: string;
  listeners: GatewayListener[];
  /** spec.addresses[].value and status.addresses[].value. */
  addresses: string[];
}

export interface GatewayClass extends ObjectMeta {
  kind: 'GatewayClass';
  controllerName?: string;
}

/** A ReferenceGrant: lets objects of the `from` kinds in the `from` namespaces reference the `to` objects in its own namespace. */
export interface ReferenceGrant extends ObjectMeta {
  kind: 'ReferenceGrant';
  from: { group: string; kind: string; namespace: string }[];
  /** name undefined: every object of that kind. */
  to: { group: string; kind: string; name?: string }[];
}

// ---------------------------------------------------------------- network policy

export interface IPBlock {
  cidr: string;
  except: string[];
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
  loc?: Loc;
}

export interface PolicyPort {
  protocol: Protocol;
  /** undefined: all ports. */
  port?: number | string;
  endPort?: number;
  loc?: Loc;
}

export interface PolicyRule {
  /** Empty list = all peers (an omitted from/to). */
  peers: PolicyPeer[];
  /** Empty list = all ports. */
  ports: PolicyPort[];
  loc?: Loc;
}

export interface NetworkPolicy extends ObjectMeta {
  kind: 'NetworkPolicy';
  podSelector: LabelSelector;
  /** Effective policy types (defaulted as the API server does). */
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

// ---------------------------------------------------------------- admin network policy
// policy.networking.k8s.io (kubernetes-sigs/network-policy-api): the cluster
// administrator's tiers around NetworkPolicy. v1alpha1 AdminNetworkPolicy /
// BaselineAdminNetworkPolicy, and their successor ClusterNetworkPolicy
// (v1alpha2, v1beta1) with `tier: Admin | Baseline`, read into one shape.

export type AdminPolicyAction = 'Allow' | 'Deny' | 'Pass';

/** Pods by their namespace's labels and their own (`pods`), or every Pod of some namespaces (`namespaces`). */
export interface AdminPodSelection {
  /** `namespaces: {...}`: every Pod in the namespaces matching. */
  namespaces?: LabelSelector;
  /** `pods: {namespaceSelector, podSelector}`. */
  pods?: { namespaceSelector: LabelSelector; podSelector: LabelSelector };
}

export interface AdminPolicyPeer extends AdminPodSelection {
  /** Egress only: Nodes by their labels. */
  nodes?: LabelSelector;
  /** Egress only: CIDRs. */
  networks?: string[];
  /** Egress only (ClusterNetworkPolicy, Accept rules): domain names, exact or `*.` for one or more leading labels. */
  domainNames?: string[];
  loc?: Loc;
}

export interface AdminPolicyPort {
  protocol: Protocol;
  /** A single port (`portNumber`), or a range (`portRange`: start-end). */
  port?: number;
  endPort?: number;
  /** `namedPort`: resolved on the destination Pod's containers. */
  namedPort?: string;
  loc?: Loc;
}

export interface AdminPolicyRule {
  name: string;
  /** ClusterNetworkPolicy's `Accept` reads as Allow (`actionWritten` keeps the word for messages). */
  action: AdminPolicyAction;
  actionWritten: string;
  peers: AdminPolicyPeer[];
  /** undefined: every port. */
  ports?: AdminPolicyPort[];
  loc?: Loc;
}

export interface AdminNetworkPolicy extends ObjectMeta {
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  tier: 'Admin' | 'Baseline';
  /** Lower first (a BaselineAdminNetworkPolicy has none: 0). */
  priority?: number;
  subject: AdminPodSelection;
  /** Where `subject:` is written (its value). */
  subjectLoc?: Loc;
  ingress: AdminPolicyRule[];
  egress: AdminPolicyRule[];
}

// ---------------------------------------------------------------- the model

export type ModelObject =
  | Namespace
  | Node
  | Workload
  | Pod
  | Service
  | EndpointSlice
  | Ingress
  | IngressClass
  | Route
  | Gateway
  | GatewayClass
  | ReferenceGrant
  | NetworkPolicy
  | AdminNetworkPolicy;

export interface NetworkModel {
  source: 'manifests' | 'cluster';
  /** The namespace given to manifests without one. */
  defaultNamespace: string;
  namespaces: Namespace[];
  nodes: Node[];
  workloads: Workload[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  ingresses: Ingress[];
  ingressClasses: IngressClass[];
  routes: Route[];
  gateways: Gateway[];
  gatewayClasses: GatewayClass[];
  referenceGrants: ReferenceGrant[];
  networkPolicies: NetworkPolicy[];
  /** AdminNetworkPolicies and the BaselineAdminNetworkPolicy (cluster-scoped). */
  adminNetworkPolicies: AdminNetworkPolicy[];
  /** Rendered objects outside the steady state (Helm hooks and tests), kept so they can be shown and explained; no rule reads them as workloads. */
  notSteadyState?: ModelObject[];
  /**
   * What a live cluster source could not read (a partial model): the lists
   * above hold nothing of these. Absent or empty: everything was read.
   */
  unread?: readonly UnreadResource[];
}

/** A resource type a live cluster could not be read of, where and why. */
export interface UnreadResource {
  /** The plural resource name, e.g. "networkpolicies". */
  resource: string;
  /** The namespace it could not be read in; undefined: in every namespace (or cluster-scoped). */
  namespace?: string;
  /** Why, for people: e.g. "forbidden (403)". */
  reason: string;
  /** What stays unknown, e.g. "policy verdicts unknown". */
  consequence: string;
}
