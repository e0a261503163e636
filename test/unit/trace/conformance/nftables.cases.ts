// Cases ported from kubernetes/kubernetes pkg/proxy/nftables/proxier_test.go.
// Dump cases: the lines of TestOverallNFTablesRules' expected transaction
// under each "# svcN" heading (the chains, rules, sets and map elements of one
// Service port), compared line for line as a set. Flow cases:
// runPacketFlowTests entries.
import { EXTERNAL_CLIENT, OVERALL_WORLD, TEST_NODE, TEST_NODE_IP, eps, svc, world, type Case } from './harness';

const FILE = 'pkg/proxy/nftables/proxier_test.go';
const p80 = [{ name: 'p80', port: 80 }];

// TestOverallNFTablesRules: the same six Services as the iptables test.
const overall = OVERALL_WORLD;

const dump = (ns: string, name: string, expected: string[]): Case => ({
  kind: 'dump',
  mode: 'nftables',
  upstream: `${FILE} TestOverallNFTablesRules (# ${name})`,
  name: `${ns}/${name}:p80: its chains, sets and map elements`,
  model: overall,
  service: { namespace: ns, name, port: 'p80' },
  node: { name: TEST_NODE, ip: TEST_NODE_IP },
  expected,
});

export const NFTABLES_CASES: Case[] = [
  dump('ns1', 'svc1', [
    'add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80',
    'add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
    'add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }',
    'add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80',
    'add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade',
    'add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80',
    'add element ip kube-proxy cluster-ips { 172.30.0.41 }',
    'add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }',
  ]),
  dump('ns2', 'svc2', [
    'add chain ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80',
    'add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 ip daddr 172.30.0.42 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
    'add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 }',
    'add chain ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80',
    'add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 ip saddr 10.0.0.0/8 goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit pod traffic"',
    'add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
    'add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit local traffic"',
    'add chain ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80',
    'add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 ip saddr 10.180.0.2 jump mark-for-masquerade',
    'add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 meta l4proto tcp dnat to 10.180.0.2:80',
    'add element ip kube-proxy cluster-ips { 172.30.0.42 }',
    'add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 80 : goto service-42NFTM6N-ns2/svc2/tcp/p80 }',
    'add element ip kube-proxy service-ips { 192.168.99.22 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }',
    'add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }',
    'add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }',
    'add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns2/svc2:p80" : drop }',
    'add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }',
    'add element ip kube-proxy no-endpoint-services { 192.168.99.22 . tcp . 80 comment "ns2/svc2:p80" : drop }',
  ]),
  dump('ns3', 'svc3', [
    'add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80',
    'add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
    'add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 }',
    'add chain ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80',
    'add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 jump mark-for-masquerade',
    'add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 goto service-4AT6LBPK-ns3/svc3/tcp/p80',
    'add chain ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80',
    'add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade',
    'add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80',
    'add element ip kube-proxy cluster-ips { 172.30.0.43 }',
    'add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }',
    'add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }',
  ]),
  dump('ns4', 'svc4', [
    'add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80',
    'add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
    'add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 , 1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }',
    'add chain ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80',
    'add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 jump mark-for-masquerade',
    'add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 goto service-LAUZTJTB-ns4/svc4/tcp/p80',
    'add chain ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80',
    'add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 ip saddr 10.180.0.5 jump mark-for-masquerade',
    'add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 meta l4proto tcp dnat to 10.180.0.5:80',
    'add chain ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80',
    'add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 ip saddr 10.180.0.4 jump mark-for-masquerade',
    'add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 meta l4proto tcp dnat to 10.180.0.4:80',
    'add element ip kube-proxy cluster-ips { 172.30.0.44 }',
    'add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }',
    'add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-LAUZTJTB-ns4/svc4/tcp/p80 }',
  ]),
  dump('ns5', 'svc5', [
    'add set ip kube-proxy affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }',
    'add chain ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80',
    'add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip daddr 172.30.0.45 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
    'add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
    'add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 }',
    'add chain ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80',
    'add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 jump mark-for-masquerade',
    'add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 goto service-HVFWP5L3-ns5/svc5/tcp/p80',
    'add chain ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
    'add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade',
    'add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 update @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { ip saddr }',
    'add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80',
    'add chain ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80',
    'add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 203.0.113.0/25 } drop',
    'add element ip kube-proxy cluster-ips { 172.30.0.45 }',
    'add element ip kube-proxy service-ips { 172.30.0.45 . tcp . 80 : goto service-HVFWP5L3-ns5/svc5/tcp/p80 }',
    'add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }',
    'add element ip kube-proxy service-nodeports { tcp . 3002 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }',
    'add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }',
  ]),
  dump('ns6', 'svc6', [
    'add element ip kube-proxy cluster-ips { 172.30.0.46 }',
    'add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }',
  ]),
  ...flows(),
];

function flows(): Case[] {
  const out: Case[] = [];
  const add = (test: string, m: Case['model'], list: [name: string, src: string, dst: string, port: number, output: string, masq?: boolean, protocol?: 'TCP' | 'UDP' | 'SCTP'][]) => {
    for (const [name, sourceIP, destIP, destPort, output, masq, protocol] of list) {
      out.push({ kind: 'flow', mode: 'nftables', upstream: `${FILE} ${test}`, name, model: m, sourceIP, destIP, destPort, output, masq, protocol, nodePortAddresses: [TEST_NODE_IP] });
    }
  };
  const lbService = (etp: 'Local' | 'Cluster') =>
    world(
      [
        svc('ns1', 'svc1', {
          type: 'LoadBalancer',
          externalTrafficPolicy: etp,
          clusterIP: '172.30.0.41',
          externalIPs: ['192.168.99.11'],
          ports: [{ name: 'p80', port: 80, nodePort: 3001, targetPort: 80 }],
          healthCheckNodePort: etp === 'Local' ? 30000 : undefined,
          loadBalancerIPs: ['1.2.3.4'],
        }),
      ],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: TEST_NODE }], p80)],
    );
  const both = '10.180.0.1:80, 10.180.2.1:80';
  add('TestExternalTrafficPolicyLocal', lbService('Local'), [
    ['pod to cluster IP hits both endpoints, unmasqueraded', '10.0.0.2', '172.30.0.41', 80, both, false],
    ['pod to external IP hits both endpoints, unmasqueraded', '10.0.0.2', '192.168.99.11', 80, both, false],
    ['external to external IP hits only local endpoint, unmasqueraded', EXTERNAL_CLIENT, '192.168.99.11', 80, '10.180.2.1:80', false],
    ['pod to LB IP hits only both endpoints, unmasqueraded', '10.0.0.2', '1.2.3.4', 80, both, false],
    ['external to LB IP hits only local endpoint, unmasqueraded', EXTERNAL_CLIENT, '1.2.3.4', 80, '10.180.2.1:80', false],
    ['pod to NodePort hits both endpoints, unmasqueraded', '10.0.0.2', TEST_NODE_IP, 3001, both, false],
    ['external to NodePort hits only local endpoint, unmasqueraded', EXTERNAL_CLIENT, TEST_NODE_IP, 3001, '10.180.2.1:80', false],
  ]);
  add('TestExternalTrafficPolicyCluster', lbService('Cluster'), [
    ['pod to cluster IP hits both endpoints, unmasqueraded', '10.0.0.2', '172.30.0.41', 80, both, false],
    ['pod to external IP hits both endpoints, masqueraded', '10.0.0.2', '192.168.99.11', 80, both, true],
    ['external to external IP hits both endpoints, masqueraded', EXTERNAL_CLIENT, '192.168.99.11', 80, both, true],
    ['pod to LB IP hits both endpoints, masqueraded', '10.0.0.2', '1.2.3.4', 80, both, true],
    ['external to LB IP hits both endpoints, masqueraded', EXTERNAL_CLIENT, '1.2.3.4', 80, both, true],
    ['pod to NodePort hits both endpoints, masqueraded', '10.0.0.2', TEST_NODE_IP, 3001, both, true],
    ['external to NodePort hits both endpoints, masqueraded', EXTERNAL_CLIENT, TEST_NODE_IP, 3001, both, true],
  ]);
  const general = world(
    [
      svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [{ name: 'http', port: 80 }] }),
      svc('ns2', 'svc2', { clusterIP: '172.30.0.42', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, targetPort: 8443 }] }),
    ],
    [
      eps('ns1', 'svc1', [{ ip: '10.180.0.1', node: TEST_NODE }], [{ name: 'http', port: 80 }]),
      eps('ns2', 'svc2', [{ ip: '10.180.0.1', node: TEST_NODE }, { ip: '10.180.2.1', node: 'node2' }], [{ name: 'http', port: 80 }, { name: 'https', port: 8443 }]),
    ],
  );
  add('TestClusterIPGeneral', general, [
    ['simple clusterIP', '10.180.0.2', '172.30.0.41', 80, '10.180.0.1:80', false],
    ['hairpin to cluster IP', '10.180.0.1', '172.30.0.41', 80, '10.180.0.1:80', true],
    ['TCP-only port does not match UDP traffic', '10.180.0.2', '172.30.0.42', 80, 'REJECT', undefined, 'UDP'],
    ["svc1 does not accept svc2's ports", '10.180.0.2', '172.30.0.41', 443, 'REJECT'],
  ]);
  // TestInternalTrafficPolicy: Cluster, then Local with one, several and no local endpoints.
  const itp = (policy: 'Cluster' | 'Local', nodes: string[]) =>
    world(
      [svc('ns1', 'svc1', { clusterIP: '172.30.1.1', internalTrafficPolicy: policy, ports: [{ port: 80 }] })],
      [eps('ns1', 'svc1', nodes.map((node, i) => ({ ip: `10.0.1.${i + 1}`, node })), [{ port: 80 }])],
    );
  add('TestInternalTrafficPolicy ("internalTrafficPolicy is cluster")', itp('Cluster', [TEST_NODE, 'node1', 'node2']), [
    ['pod to ClusterIP hits all endpoints', '10.0.0.2', '172.30.1.1', 80, '10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80', false],
  ]);
  add('TestInternalTrafficPolicy ("internalTrafficPolicy is local and there is one local endpoint")', itp('Local', [TEST_NODE, 'node1', 'node2']), [
    ['pod to ClusterIP hits only local endpoint', '10.0.0.2', '172.30.1.1', 80, '10.0.1.1:80', false],
  ]);
  add('TestInternalTrafficPolicy ("internalTrafficPolicy is local and there are multiple local endpoints")', itp('Local', [TEST_NODE, TEST_NODE, 'node2']), [
    ['pod to ClusterIP hits all local endpoints', '10.0.0.2', '172.30.1.1', 80, '10.0.1.1:80, 10.0.1.2:80', false],
  ]);
  add('TestInternalTrafficPolicy ("internalTrafficPolicy is local and there are no local endpoints")', itp('Local', ['node0', 'node1', 'node2']), [
    ['no endpoints', '10.0.0.2', '172.30.1.1', 80, 'DROP'],
  ]);
  add('TestInternalTrafficPolicy (endpoints deleted)', itp('Local', []), [['endpoints deleted', '10.0.0.2', '172.30.1.1', 80, 'REJECT']]);

  // TestTerminatingEndpointsTrafficPolicyLocal / ...Cluster: ready, serving and terminating endpoints, local and remote.
  const terminating = (etp: 'Local' | 'Cluster', endpoints: Parameters<typeof eps>[2]) =>
    world(
      [svc('ns1', 'svc1', { type: 'LoadBalancer', externalTrafficPolicy: etp, clusterIP: '172.30.1.1', ports: [{ port: 80, targetPort: 80 }], healthCheckNodePort: 30000, loadBalancerIPs: ['1.2.3.4'] })],
      [eps('ns1', 'svc1', endpoints, [{ port: 80 }])],
    );
  const ready = { ready: true, serving: true, terminating: false };
  const servingTerminating = { ready: false, serving: true, terminating: true };
  const gone = { ready: false, serving: false, terminating: true };
  add(
    'TestTerminatingEndpointsTrafficPolicyLocal ("ready endpoints exist")',
    terminating('Local', [
      { ip: '10.0.1.1', node: TEST_NODE, ...ready },
      { ip: '10.0.1.2', node: TEST_NODE, ...ready },
      { ip: '10.0.1.3', node: TEST_NODE, ...servingTerminating },
      { ip: '10.0.1.4', node: TEST_NODE, ...gone },
      { ip: '10.0.1.5', node: 'node-1', ...ready },
    ]),
    [
      ['pod to clusterIP', '10.0.0.2', '172.30.1.1', 80, '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', false],
      ['external to LB', EXTERNAL_CLIENT, '1.2.3.4', 80, '10.0.1.1:80, 10.0.1.2:80', false],
    ],
  );
  add(
    'TestTerminatingEndpointsTrafficPolicyLocal ("only terminating endpoints exist")',
    terminating('Local', [
      { ip: '10.0.1.2', node: TEST_NODE, ...servingTerminating },
      { ip: '10.0.1.3', node: TEST_NODE, ...servingTerminating },
      { ip: '10.0.1.4', node: TEST_NODE, ...gone },
      { ip: '10.0.1.5', node: 'node-1', ...ready },
    ]),
    [
      ['pod to clusterIP', '10.0.0.2', '172.30.1.1', 80, '10.0.1.5:80', false],
      ['external to LB', EXTERNAL_CLIENT, '1.2.3.4', 80, '10.0.1.2:80, 10.0.1.3:80', false],
    ],
  );
  add('TestTerminatingEndpointsTrafficPolicyLocal ("terminating endpoints on remote node")', terminating('Local', [{ ip: '10.0.1.5', node: 'node-1', ...servingTerminating }]), [
    ['pod to clusterIP', '10.0.0.2', '172.30.1.1', 80, '10.0.1.5:80'],
    ['external to LB, no locally-usable endpoints', EXTERNAL_CLIENT, '1.2.3.4', 80, 'DROP'],
  ]);
  add(
    'TestTerminatingEndpointsTrafficPolicyLocal ("no usable endpoints on any node")',
    terminating('Local', [
      { ip: '10.0.1.5', node: TEST_NODE, ...gone },
      { ip: '10.0.1.5', node: 'node-1', ...gone },
    ]),
    [
      ['pod to clusterIP, no usable endpoints', '10.0.0.2', '172.30.1.1', 80, 'REJECT'],
      ['external to LB, no usable endpoints', EXTERNAL_CLIENT, '1.2.3.4', 80, 'REJECT'],
    ],
  );
  add(
    'TestTerminatingEndpointsTrafficPolicyCluster ("ready endpoints exist")',
    terminating('Cluster', [
      { ip: '10.0.1.1', node: TEST_NODE, ...ready },
      { ip: '10.0.1.2', node: TEST_NODE, ...ready },
      { ip: '10.0.1.3', node: 'another-node', ...servingTerminating },
      { ip: '10.0.1.4', node: 'another-node', ...gone },
      { ip: '10.0.1.5', node: 'another-node', ...ready },
    ]),
    [
      ['pod to clusterIP', '10.0.0.2', '172.30.1.1', 80, '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', false],
      ['external to LB', EXTERNAL_CLIENT, '1.2.3.4', 80, '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', true],
    ],
  );
  add(
    'TestTerminatingEndpointsTrafficPolicyCluster ("only terminating endpoints exist")',
    terminating('Cluster', [
      { ip: '10.0.1.2', node: TEST_NODE, ...servingTerminating },
      { ip: '10.0.1.3', node: TEST_NODE, ...servingTerminating },
      { ip: '10.0.1.4', node: 'another-node', ...gone },
      { ip: '10.0.1.5', node: 'another-node', ...servingTerminating },
    ]),
    [
      ['pod to clusterIP', '10.0.0.2', '172.30.1.1', 80, '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80', false],
      ['external to LB', EXTERNAL_CLIENT, '1.2.3.4', 80, '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80', true],
    ],
  );
  add(
    'TestNodePorts (ipv4)',
    world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: TEST_NODE }], p80)],
    ),
    [
      ['pod to cluster IP', '10.0.0.2', '172.30.0.41', 80, both, false],
      ['external to nodePort', EXTERNAL_CLIENT, TEST_NODE_IP, 3001, both, true],
      ['node to nodePort', TEST_NODE_IP, TEST_NODE_IP, 3001, both, true],
      ['secondary nodeIP ignores NodePorts', EXTERNAL_CLIENT, '192.168.1.2', 3001, ''],
    ],
  );
  add(
    'TestNodePorts (ipv6)',
    world(
      [svc('ns1', 'svc1', { type: 'NodePort', clusterIP: 'fd00:172:30::41', ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })],
      [eps('ns1', 'svc1', [{ ip: 'fd00:10:180::1' }, { ip: 'fd00:10:180::2:1', node: TEST_NODE }], p80, 'IPv6')],
    ),
    [['pod to cluster IP', 'fd00:10::2', 'fd00:172:30::41', 80, '[fd00:10:180::1]:80, [fd00:10:180::2:1]:80', false]],
  );
  return out;
}
