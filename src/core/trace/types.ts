// A trace is data: the verdict, the hops in order (each a one-line
// explanation, the rules involved, and the model objects it touches), and the
// endpoints kube-proxy may pick with their chances.
import type { ProxyMode } from '../config/facts';
import type { Pod, Protocol, Workload } from '../model/types';

/** `redirected`: the Gateway answers a redirect itself (a RequestRedirect filter). */
export type TraceVerdict = 'delivered' | 'dropped' | 'no-endpoints' | 'unresolved' | 'redirected';

export type HopKind = 'dns' | 'vip' | 'nodeport' | 'loadbalancer' | 'ingress' | 'gateway' | 'filter' | 'kube-proxy' | 'dnat' | 'route' | 'policy' | 'pod' | 'reply' | 'snat' | 'external';

export interface PolicyHopData {
  direction: 'ingress' | 'egress';
  /** The policies that select the Pod for this direction. */
  policyIds: string[];
  /** The policy and rule that allows it, when one does. */
  allowedBy?: { policyId: string; policy: string; ruleIndex: number };
  allowed: 'yes' | 'no' | 'unknown';
  conditions: string[];
  /**
   * The tier that decided: an admin tier, NetworkPolicy, or `default` (no
   * policy of any tier decided: Kubernetes allows it); absent where the set
   * cannot say (whether a NetworkPolicy isolates the Pod is open).
   */
  tier?: 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'default';
}

export interface TraceHop {
  kind: HopKind;
  detail: string;
  /** iptables-save lines, ipvsadm lines, DNS records, Ingress rules: whatever this hop applies. */
  rules: string[];
  /** Ids of the model objects involved (for highlighting). */
  objectIds?: string[];
  policy?: PolicyHopData;
  /** The DNS hop as data: the queries sent and the records that came back (`rules` prints them as dig does). */
  dns?: DnsHopData;
  /**
   * A hop of the name lookup's own trip, before the request: to the cluster
   * DNS of the set (NodeLocal DNSCache, the kube-dns Service, kube-proxy's
   * choice of a CoreDNS Pod, the policies on the way) and the answer.
   */
  lookup?: true;
}

export interface DnsHopData {
  /** Each query the resolver sent, in order ('upstream': outside what the cluster DNS answers). */
  queries: { name: string; type: string; rcode: 'NOERROR' | 'NXDOMAIN' | 'upstream'; answers: number }[];
  /** Each record once, in the order `rules` prints them. */
  records: { section: 'answer' | 'additional'; name: string; ttl: number; class: 'IN'; type: string; data: string }[];
  /** The server the client's resolver asked (a Pod whose resolv.conf points at the cluster DNS). */
  server?: DnsServer;
}

export interface DnsServer {
  /** true: the cluster DNS is not in the set; it is assumed at the nameserver the kubelet writes into the Pod's resolv.conf. */
  assumed: boolean;
  /**
   * Absent: the cluster DNS. `node`: the node's own resolver (dnsPolicy Default, or ClusterFirst
   * on a hostNetwork Pod); `dnsConfig`: the Pod's dnsConfig nameservers (dnsPolicy None).
   */
  resolver?: 'node' | 'dnsConfig';
  nameservers?: string[];
  /** The Service Pods ask ("kube-system/kube-dns") and its ClusterIP, when in the set. */
  service?: string;
  address?: string;
  /** NodeLocal DNSCache ("kube-system/DaemonSet/node-local-dns") and the Service it forwards to, when in the set. */
  nodeLocalCache?: string;
  upstream?: string;
  /** One sentence that says it. */
  detail: string;
}

export interface TraceEndpoint {
  /** "10.244.1.5" or a symbolic "<shop/Deployment/cart replica 1>". */
  target: string;
  port: number;
  /**
   * The share of new connections this endpoint gets (iptables: the product of
   * the rule probabilities; IPVS rr: 1/n). Absent when it cannot be known
   * (externalTrafficPolicy Local with the entry node unknown, DNS answers).
   */
  probability?: number;
  /** The `--probability` of its rule in KUBE-SVC-… (absent for the last, unconditional one). */
  ruleProbability?: number;
  symbolic: boolean;
  ready: boolean;
  terminating: boolean;
  nodeName?: string;
  /** Whether NetworkPolicies let the request through to it ('unknown': depends, see the policy hop). */
  allowed?: 'yes' | 'no' | 'unknown';
  /** When not allowed: the kinds of policy that drop it ("NetworkPolicy", "BaselineAdminNetworkPolicy", "AdminNetworkPolicy and NetworkPolicy"). */
  blockedBy?: string;
  objectIds: string[];
}

export interface TraceResult {
  /** The kube-proxy mode the trace explains (absent when kube-proxy is not on the path). */
  proxyMode?: ProxyMode;
  /** How the kube-proxy hops print their rules, where that differs from what kube-proxy writes (said once). */
  ruleNotation?: string;
  verdict: TraceVerdict;
  reason: string;
  hops: TraceHop[];
  endpoints: TraceEndpoint[];
}

export type TraceSource =
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'workload'; namespace: string; workloadKind: string; name: string }
  | { kind: 'external'; ip?: string; /** The node the client's connection reaches (NodePort, LB, external IP), when known. */ viaNode?: string }
  | { kind: 'node'; name: string };

export type TraceDestination =
  | { kind: 'service'; namespace: string; name: string; port?: number | string }
  /**
   * Gateway API matching: the request's method (default GET) and headers.
   * `inCluster`: the client is a Pod when no source is given (`--to URL`: a request from inside, to a host no Ingress or Gateway routes).
   */
  | { kind: 'url'; url: string; method?: string; headers?: Record<string, string>; inCluster?: boolean }
  /** An address (or host) outside the set: the egress path (DNS, egress policy, the node's masquerade). */
  | { kind: 'external'; ip?: string; host?: string; port?: number; protocol?: Protocol }
  /**
   * A Pod by its own address: no kube-proxy; policy at both ends. With
   * `workloadKind`, a Pod of that workload (manifests name no Pods).
   */
  | { kind: 'pod'; namespace: string; name: string; port?: number | string; workloadKind?: string }
  /** A port of the client's own Pod (its containers share one network namespace). */
  | { kind: 'localhost'; port?: number | string }
  /** A DNS name as a client writes it (short, svc.ns, FQDN, an endpoint's own name), resolved through the source's search path. */
  | { kind: 'name'; name: string; port?: number | string };

export { PROXY_MODES } from '../config/facts';
export type { ProxyMode };

export interface TraceOptions {
  /** Default: external for a URL, an unspecified Pod of the Service's namespace for a Service. */
  from?: TraceSource;
  to: TraceDestination;
  proxyMode?: ProxyMode;
  /**
   * The cluster's Pod CIDR, as kube-proxy's local-traffic detection knows it
   * (--cluster-cidr): traffic from outside it to a ClusterIP is masqueraded.
   * Unknown: the rules say <cluster CIDR>.
   */
  clusterCIDR?: string;
  /** The cluster domain (kubelet --cluster-domain; default cluster.local). */
  clusterDomain?: string;
  /** The record type the DNS hop asks (default: A and AAAA, and SRV for a named port). */
  dnsType?: 'A' | 'AAAA' | 'SRV' | 'PTR';
}

/** A resolved endpoint, before kube-proxy (internal). */
export interface Backend {
  address: string;
  symbolic: boolean;
  /** undefined: the named targetPort does not resolve on this Pod. */
  port?: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  workload?: Workload;
  pod?: Pod;
  objectIds: string[];
  /** Why this one is listed but cannot be used. */
  note?: string;
  /** A symbolic stand-in for an unknown number of Pods (a DaemonSet's, one per node). */
  countUnknown?: boolean;
  /** EndpointSlice hints.forZones (or the zone the EndpointSlice controller would hint with trafficDistribution). */
  zoneHints?: string[];
}
