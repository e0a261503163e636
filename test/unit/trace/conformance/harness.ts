// The conformance cases' world, set up as kube-proxy's own tests set theirs
// (pkg/proxy/{iptables,nftables}/proxier_test.go NewFakeProxier): the node
// "test-node" at 192.168.0.2 (also 192.168.1.2 and the external IP
// 192.168.99.11), Pod IPs in 10.0.0.0/8 (the local-traffic CIDR), ClusterIPs
// in 172.30.0.0/16, external clients 203.0.113.0/24. A case holds the objects
// as model objects (endpoints with their conditions, as upstream's
// EndpointSlices), the question and the expectation as upstream writes it.
import type { EndpointAddress, EndpointSlice, NetworkModel, Protocol, Service } from '../../../../src/core/model/types';
import { endpointSlice, model, service } from '../../../fixtures/trace/build';

export const TEST_NODE = 'test-node';
export const TEST_NODE_IP = '192.168.0.2';
export const TEST_NODE_IPS = [TEST_NODE_IP, '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2'];
export const POD_CIDR = '10.0.0.0/8';
export const EXTERNAL_CLIENT = '203.0.113.2';
export const EXTERNAL_CLIENT_BLOCKED = '203.0.113.130';

export type Mode = 'iptables' | 'nftables' | 'ipvs';

interface PortSpec {
  name?: string;
  port: number;
  protocol?: Protocol;
  nodePort?: number;
  targetPort?: number;
}

export interface SvcSpec {
  type?: Service['type'];
  clusterIP: string;
  ports: PortSpec[];
  externalTrafficPolicy?: 'Local' | 'Cluster';
  internalTrafficPolicy?: 'Local' | 'Cluster';
  externalIPs?: string[];
  loadBalancerIPs?: string[];
  loadBalancerSourceRanges?: string[];
  affinitySeconds?: number;
  healthCheckNodePort?: number;
  ipFamilies?: string[];
  clusterIPs?: string[];
}

/** makeTestService: a Service with no selector (its endpoints are the EndpointSlices given). */
export function svc(namespace: string, name: string, s: SvcSpec): Service {
  return service(
    namespace,
    name,
    undefined,
    s.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', nodePort: p.nodePort, targetPort: p.targetPort })),
    {
      type: s.type ?? 'ClusterIP',
      clusterIP: s.clusterIP,
      clusterIPs: s.clusterIPs ?? [s.clusterIP],
      externalTrafficPolicy: s.externalTrafficPolicy,
      internalTrafficPolicy: s.internalTrafficPolicy,
      externalIPs: s.externalIPs ?? [],
      loadBalancerIPs: s.loadBalancerIPs ?? [],
      loadBalancerSourceRanges: s.loadBalancerSourceRanges?.map((r) => r.trim()),
      sessionAffinity: s.affinitySeconds !== undefined ? 'ClientIP' : 'None',
      sessionAffinityTimeoutSeconds: s.affinitySeconds,
      healthCheckNodePort: s.healthCheckNodePort,
      ipFamilies: s.ipFamilies ?? [],
    },
  );
}

export interface EpSpec {
  ip: string;
  node?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  zone?: string;
  hints?: string[];
}

/** makeTestEndpointSlice: conditions as kube-proxy reads them (ready unset = ready, serving unset = serving). */
export function eps(namespace: string, serviceName: string, endpoints: EpSpec[], ports: PortSpec[], addressType: EndpointSlice['addressType'] = 'IPv4'): EndpointSlice {
  const slice = endpointSlice(
    namespace,
    serviceName,
    ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints.map((e): EndpointAddress => {
      const a: EndpointAddress = { addresses: [e.ip], ready: e.ready ?? true, serving: e.serving ?? true, terminating: e.terminating ?? false };
      if (e.node) a.nodeName = e.node;
      if (e.zone) a.zone = e.zone;
      if (e.hints) a.zoneHints = e.hints;
      return a;
    }),
  );
  slice.addressType = addressType;
  return slice;
}

export function world(services: Service[], slices: EndpointSlice[]): NetworkModel {
  return model({ source: 'cluster', services, endpointSlices: slices });
}

interface CaseBase {
  /** Upstream file and test function (and subtest) the case is ported from. */
  upstream: string;
  name: string;
  mode: Mode;
  model: NetworkModel;
}

/** The rules kube-proxy writes for one Service port, against upstream's expected dump. */
export interface DumpCase extends CaseBase {
  kind: 'dump';
  service: { namespace: string; name: string; port?: string; protocol?: Protocol };
  family?: 4 | 6;
  node?: { name?: string; zone?: string; ip?: string };
  /** Upstream's expected lines for this Service port, as upstream writes them. */
  expected: string[];
}

/** One packet (runPacketFlowTests): source, destination, and where it ends up. */
export interface FlowCase extends CaseBase {
  kind: 'flow';
  sourceIP: string;
  destIP: string;
  destPort: number;
  protocol?: Protocol;
  /** "10.180.0.1:80, 10.180.2.1:80", "REJECT", "DROP" or "" (not caught). */
  output: string;
  masq?: boolean;
  nodePortAddresses?: string[];
}

/** IPVS virtual servers and their real servers. */
export interface IpvsCase extends CaseBase {
  kind: 'ipvs';
  service: { namespace: string; name: string; port?: string; protocol?: Protocol };
  nodeIPs: string[];
  node?: string;
  /** The proxier's family (default IPv4). */
  family?: 4 | 6;
  /** "PROTO ip:port [persistent N]" -> real servers "ip:port". */
  expected: Record<string, string[]>;
}

export type Case = DumpCase | FlowCase | IpvsCase;

/**
 * The six Services (and their endpoints) of TestOverallIPTablesRules, which
 * TestOverallNFTablesRules sets up the same (pkg/proxy/{iptables,nftables}/proxier_test.go).
 */
const p80 = [{ name: 'p80', port: 80 }];
export const OVERALL_WORLD = world(
  [
    svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80 }),
    svc('ns2', 'svc2', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      clusterIP: '172.30.0.42',
      ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
      loadBalancerIPs: ['1.2.3.4'],
      externalIPs: ['192.168.99.22'],
      healthCheckNodePort: 30000,
    }),
    svc('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', ports: [{ name: 'p80', port: 80, nodePort: 3003 }] }),
    svc('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: [{ name: 'p80', port: 80, targetPort: 80 }] }),
    svc('ns5', 'svc5', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      clusterIP: '172.30.0.45',
      ports: [{ name: 'p80', port: 80, nodePort: 3002 }],
      loadBalancerIPs: ['5.6.7.8'],
      healthCheckNodePort: 30000,
      loadBalancerSourceRanges: [' 203.0.113.0/25'],
      affinitySeconds: 10800,
    }),
    svc('ns6', 'svc6', { clusterIP: '172.30.0.46', ports: [{ name: 'p80', port: 80, targetPort: 80 }] }),
  ],
  [
    eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], p80),
    eps('ns2', 'svc2', [{ ip: '10.180.0.2' }], p80),
    eps('ns3', 'svc3', [{ ip: '10.180.0.3' }], p80),
    eps('ns4', 'svc4', [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', node: TEST_NODE }], p80),
    eps('ns5', 'svc5', [{ ip: '10.180.0.3' }], p80),
  ],
);
