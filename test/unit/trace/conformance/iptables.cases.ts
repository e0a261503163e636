// Cases ported from kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go.
// Dump cases: the lines of TestOverallIPTablesRules' expected dump that belong
// to one Service port, as upstream writes them (kube-proxy's iptables-restore
// input); the runner compares them with our rules as iptables-save prints
// them. Flow cases: runPacketFlowTests entries (source, destination, the
// endpoints reached or REJECT/DROP, and whether it is masqueraded).
import { EXTERNAL_CLIENT, EXTERNAL_CLIENT_BLOCKED, OVERALL_WORLD, TEST_NODE, TEST_NODE_IP, eps, svc, world, type Case } from './harness';

const FILE = 'pkg/proxy/iptables/proxier_test.go';
const p80 = [{ name: 'p80', port: 80 }];

// TestOverallIPTablesRules: six Services on one node.
const overall = OVERALL_WORLD;

const dump = (ns: string, name: string, expected: string[]): Case => ({
  kind: 'dump',
  mode: 'iptables',
  upstream: `${FILE} TestOverallIPTablesRules (${ns}/${name})`,
  name: `${ns}/${name}:p80: every rule of the Service port`,
  model: overall,
  service: { namespace: ns, name, port: 'p80' },
  node: { name: TEST_NODE, ip: TEST_NODE_IP },
  expected,
});

export const IPTABLES_CASES: Case[] = [
  dump('ns1', 'svc1', [
    '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
    '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
  ]),
  dump('ns2', 'svc2', [
    '-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT',
    '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP',
    '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP',
    '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
    '-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
    '-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
    '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
    '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
    '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    '-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80',
    '-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ',
  ]),
  dump('ns3', 'svc3', [
    '-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK',
    '-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK',
    '-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK',
    '-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK',
    '-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
    '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP',
  ]),
  dump('ns4', 'svc4', [
    '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK',
    '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK',
    '-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK',
    '-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80',
    '-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80',
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
  ]),
  dump('ns5', 'svc5', [
    '-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP',
    '-A KUBE-NODEPORTS -m comment --comment "ns5/svc5:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT',
    '-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    '-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    '-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C',
    '-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C',
    '-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C',
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
    '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
    '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN',
    '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN',
  ]),
  dump('ns6', 'svc6', ['-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT']),
  ...flows(),
];

function flows(): Case[] {
  const out: Case[] = [];
  const add = (test: string, m: Case['model'], list: [name: string, src: string, dst: string, port: number, output: string, masq?: boolean, protocol?: 'TCP' | 'UDP' | 'SCTP'][]) => {
    for (const [name, sourceIP, destIP, destPort, output, masq, protocol] of list) {
      out.push({ kind: 'flow', mode: 'iptables', upstream: `${FILE} ${test}`, name, model: m, sourceIP, destIP, destPort, output, masq, protocol });
    }
  };

  // TestNoEndpointsReject
  add(
    'TestNoEndpointsReject',
    world(
      [svc('ns1', 'svc1', { type: 'LoadBalancer', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'], loadBalancerIPs: ['1.2.3.4'], ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })],
      [],
    ),
    [
      ['pod to cluster IP with no endpoints', '10.0.0.2', '172.30.0.41', 80, 'REJECT'],
      ['external to external IP with no endpoints', EXTERNAL_CLIENT, '192.168.99.11', 80, 'REJECT'],
      ['pod to NodePort with no endpoints', '10.0.0.2', TEST_NODE_IP, 3001, 'REJECT'],
      ['external to NodePort with no endpoints', EXTERNAL_CLIENT, TEST_NODE_IP, 3001, 'REJECT'],
      ['pod to LoadBalancer IP with no endpoints', '10.0.0.2', '1.2.3.4', 80, 'REJECT'],
      ['external to LoadBalancer IP with no endpoints', EXTERNAL_CLIENT, '1.2.3.4', 80, 'REJECT'],
    ],
  );

  // TestClusterIPGeneral
  const general = world(
    [
      svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [{ name: 'http', port: 80 }] }),
      svc('ns2', 'svc2', {
        clusterIP: '172.30.0.42',
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443, targetPort: 8443 },
          { name: 'dns-udp', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: 5353 },
          { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
        ],
      }),
    ],
    [
      eps('ns1', 'svc1', [{ ip: '10.180.0.1', node: TEST_NODE }], [{ name: 'http', port: 80 }]),
      eps('ns2', 'svc2', [{ ip: '10.180.0.1', node: TEST_NODE }, { ip: '10.180.2.1', node: 'node2' }], [
        { name: 'http', port: 80 },
        { name: 'https', port: 8443 },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 5353 },
        { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      ]),
    ],
  );
  add('TestClusterIPGeneral', general, [
    ['simple clusterIP', '10.180.0.2', '172.30.0.41', 80, '10.180.0.1:80', false],
    ['hairpin to cluster IP', '10.180.0.1', '172.30.0.41', 80, '10.180.0.1:80', true],
    ['clusterIP with multiple endpoints', '10.180.0.2', '172.30.0.42', 80, '10.180.0.1:80, 10.180.2.1:80', false],
    ['clusterIP with TargetPort', '10.180.0.2', '172.30.0.42', 443, '10.180.0.1:8443, 10.180.2.1:8443', false],
    ['clusterIP with TCP, UDP, and SCTP on same port (TCP)', '10.180.0.2', '172.30.0.42', 53, '10.180.0.1:5353, 10.180.2.1:5353', false, 'TCP'],
    ['clusterIP with TCP, UDP, and SCTP on same port (UDP)', '10.180.0.2', '172.30.0.42', 53, '10.180.0.1:53, 10.180.2.1:53', false, 'UDP'],
    ['clusterIP with TCP, UDP, and SCTP on same port (SCTP)', '10.180.0.2', '172.30.0.42', 53, '10.180.0.1:53, 10.180.2.1:53', false, 'SCTP'],
    ['TCP-only port does not match UDP traffic', '10.180.0.2', '172.30.0.42', 80, '', undefined, 'UDP'],
    ["svc1 does not accept svc2's ports", '10.180.0.2', '172.30.0.41', 443, ''],
  ]);

  // TestLoadBalancer
  const lb = world(
    [
      svc('ns1', 'svc1', {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.41',
        ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
        loadBalancerIPs: ['1.2.3.4', '5.6.7.8'],
        loadBalancerSourceRanges: ['192.168.0.0/24', ' 203.0.113.0/25'],
      }),
    ],
    [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }], p80)],
  );
  add('TestLoadBalancer', lb, [
    ['pod to cluster IP', '10.0.0.2', '172.30.0.41', 80, '10.180.0.1:80', false],
    ['external to nodePort', EXTERNAL_CLIENT, TEST_NODE_IP, 3001, '10.180.0.1:80', true],
    ['nodePort bypasses LoadBalancerSourceRanges', EXTERNAL_CLIENT_BLOCKED, TEST_NODE_IP, 3001, '10.180.0.1:80', true],
    ['accepted external to LB1', EXTERNAL_CLIENT, '1.2.3.4', 80, '10.180.0.1:80', true],
    ['blocked external to LB2', EXTERNAL_CLIENT_BLOCKED, '5.6.7.8', 80, 'DROP'],
    ['pod to LB1 (blocked by LoadBalancerSourceRanges)', '10.0.0.2', '1.2.3.4', 80, 'DROP'],
    ['node to LB1 (allowed by LoadBalancerSourceRanges)', TEST_NODE_IP, '1.2.3.4', 80, '10.180.0.1:80', true],
    ['same node to LB2, SNATted to LB2 (implicitly allowed)', '5.6.7.8', '5.6.7.8', 80, '10.180.0.1:80', true],
  ]);
  return out;
}
