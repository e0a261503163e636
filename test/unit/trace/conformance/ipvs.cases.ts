// Cases ported from kubernetes/kubernetes pkg/proxy/ipvs/proxier_test.go
// TestNodePortIPv4: the IPVS virtual servers (ClusterIP, one per node IP for
// the NodePort) and their real servers, as the test's expected FakeIPVS holds
// them ("PROTO address:port" -> real servers).
import { TEST_NODE, eps, svc, world, type Case } from './harness';

const FILE = 'pkg/proxy/ipvs/proxier_test.go TestNodePortIPv4';

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
];
