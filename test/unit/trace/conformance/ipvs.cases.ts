// Cases ported from kubernetes/kubernetes pkg/proxy/ipvs/proxier_test.go
// TestNodePortIPv4, TestNodePortIPv6, TestIPv4Proxier: the IPVS virtual
// servers (ClusterIP, one per node IP of the proxier's family for the
// NodePort) and their real servers, as the test's expected FakeIPVS holds
// them ("PROTO address:port" -> real servers "IP:port").
import { TEST_NODE, eps, svc, world, type Case } from './harness';

const FILE = 'pkg/proxy/ipvs/proxier_test.go TestNodePortIPv4';
const FILE6 = 'pkg/proxy/ipvs/proxier_test.go TestNodePortIPv6';
const FILE_V4 = 'pkg/proxy/ipvs/proxier_test.go TestIPv4Proxier';
const p80 = [{ name: 'p80', port: 80 }];

export const IPVS_CASES: Case[] = [
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE} ("1 service with node port, has 2 endpoints")`,
    name: 'NodePort: the IPv6 endpoint is not a real server of the IPv4 proxier',
    model: world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], [{ name: 'p80', port: 80 }]), eps('ns1', 'svc1', [{ ip: '1002:ab8::2:10' }], [{ name: 'p80', port: 80 }], 'IPv6')],
    ),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80' },
    nodeIPs: ['100.101.102.103', '2001:db8::1:1'],
    expected: { 'TCP 10.20.30.41:80': ['10.180.0.1:80'], 'TCP 100.101.102.103:3001': ['10.180.0.1:80'] },
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE} ("1 UDP service with node port, has endpoints")`,
    name: 'UDP NodePort',
    model: world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: [{ name: 'p80', port: 80, protocol: 'UDP', nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], [{ name: 'p80', port: 80, protocol: 'UDP' }])],
    ),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80', protocol: 'UDP' },
    nodeIPs: ['100.101.102.103'],
    expected: { 'UDP 10.20.30.41:80': ['10.180.0.1:80'], 'UDP 100.101.102.103:3001': ['10.180.0.1:80'] },
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE} ("service has node port but no endpoints")`,
    name: 'no endpoints: virtual servers without real servers',
    model: world([svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })], []),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80' },
    nodeIPs: ['100.101.102.103'],
    expected: { 'TCP 10.20.30.41:80': [], 'TCP 100.101.102.103:3001': [] },
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE} ("node port service with protocol sctp on a node with multiple nodeIPs")`,
    name: 'SCTP NodePort on every IPv4 node address',
    model: world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: [{ name: 'p80', port: 80, protocol: 'SCTP', nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], [{ name: 'p80', port: 80, protocol: 'SCTP' }])],
    ),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80', protocol: 'SCTP' },
    nodeIPs: ['100.101.102.103', '100.101.102.104', '100.101.102.105', '2001:db8::1:1', '2001:db8::1:2', '2001:db8::1:3'],
    expected: {
      'SCTP 10.20.30.41:80': ['10.180.0.1:80'],
      'SCTP 100.101.102.103:3001': ['10.180.0.1:80'],
      'SCTP 100.101.102.104:3001': ['10.180.0.1:80'],
      'SCTP 100.101.102.105:3001': ['10.180.0.1:80'],
    },
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE} ("node port service with protocol sctp and externalTrafficPolicy local")`,
    name: 'externalTrafficPolicy Local: the NodePort has only the local endpoint, the ClusterIP both',
    model: world(
      [svc('ns1', 'svc1', { type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '10.20.30.41', ports: [{ name: 'p80', port: 80, protocol: 'SCTP', nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1', node: TEST_NODE }, { ip: '10.180.1.1', node: 'other-node' }], [{ name: 'p80', port: 80, protocol: 'SCTP' }])],
    ),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80', protocol: 'SCTP' },
    nodeIPs: ['100.101.102.103'],
    node: TEST_NODE,
    expected: { 'SCTP 10.20.30.41:80': ['10.180.0.1:80', '10.180.1.1:80'], 'SCTP 100.101.102.103:3001': ['10.180.0.1:80'] },
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE6} ("1 service with node port, has 2 endpoints")`,
    name: 'IPv6 proxier: the IPv6 ClusterIP and node address, the IPv6 endpoint only',
    model: world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '2020::1', ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], p80), eps('ns1', 'svc1', [{ ip: '1002:ab8::2:10' }], p80, 'IPv6')],
    ),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80' },
    nodeIPs: ['100.101.102.103', '2001:db8::1:1'],
    family: 6,
    expected: { 'TCP 2020::1:80': ['[1002:ab8::2:10]:80'], 'TCP 2001:db8::1:1:3001': ['[1002:ab8::2:10]:80'] },
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE6} ("1 UDP service with node port, has endpoints (no action on IPv6 Proxier)")`,
    name: 'IPv6 proxier: an IPv4-only Service gets no virtual server',
    model: world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: [{ name: 'p80', port: 80, protocol: 'UDP', nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], [{ name: 'p80', port: 80, protocol: 'UDP' }], 'IPv6')],
    ),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80', protocol: 'UDP' },
    nodeIPs: ['100.101.102.103'],
    family: 6,
    expected: {},
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE6} ("service has node port but no endpoints")`,
    name: 'IPv6 proxier, no endpoints: virtual servers without real servers',
    model: world([svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '2020::1', ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })], []),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80' },
    nodeIPs: ['100.101.102.103', '2001:db8::1:1'],
    family: 6,
    expected: { 'TCP 2020::1:80': [], 'TCP 2001:db8::1:1:3001': [] },
  },
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE6} ("node port service with protocol sctp on a node with multiple nodeIPs")`,
    name: 'IPv6 proxier: SCTP NodePort on every IPv6 node address',
    model: world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '2020::1', ports: [{ name: 'p80', port: 80, protocol: 'SCTP', nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '2001::1' }], [{ name: 'p80', port: 80, protocol: 'SCTP' }], 'IPv6')],
    ),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80', protocol: 'SCTP' },
    nodeIPs: ['2001:db8::1:1', '2001:db8::1:2'],
    family: 6,
    expected: { 'SCTP 2020::1:80': ['[2001::1]:80'], 'SCTP 2001:db8::1:1:3001': ['[2001::1]:80'], 'SCTP 2001:db8::1:2:3001': ['[2001::1]:80'] },
  },
  ...(['svc1', 'svc2'] as const).map(
    (name): Case => ({
      kind: 'ipvs',
      mode: 'ipvs',
      upstream: `${FILE_V4} ("2 services with Cluster IP, each with endpoints")`,
      name: name === 'svc1' ? 'IPv4 proxier: the IPv4 ClusterIP Service' : 'IPv4 proxier: the IPv6 ClusterIP Service is not its own',
      model: world(
        [
          svc('ns1', 'svc1', { clusterIP: '10.20.30.41', ports: p80 }),
          svc('ns2', 'svc2', { clusterIP: '1002:ab8::2:1', ports: [{ name: 'p8080', port: 8080 }] }),
        ],
        [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], p80), eps('ns2', 'svc2', [{ ip: '1009:ab8::5:6' }], [{ name: 'p8080', port: 8080 }], 'IPv6')],
      ),
      service: name === 'svc1' ? { namespace: 'ns1', name, port: 'p80' } : { namespace: 'ns2', name, port: 'p8080' },
      nodeIPs: [],
      expected: name === 'svc1' ? { 'TCP 10.20.30.41:80': ['10.180.0.1:80'] } : {},
    }),
  ),
  {
    kind: 'ipvs',
    mode: 'ipvs',
    upstream: `${FILE_V4} ("cluster IP service with no endpoints")`,
    name: 'IPv4 proxier: a ClusterIP without endpoints keeps its virtual server, with no real server',
    model: world([svc('ns1', 'svc1', { clusterIP: '10.20.30.41', ports: p80 })], []),
    service: { namespace: 'ns1', name: 'svc1', port: 'p80' },
    nodeIPs: [],
    expected: { 'TCP 10.20.30.41:80': [] },
  },
];
