// The rules of one Service port in the cases the conformance dumps do not
// hold, written as kube-proxy's proxiers write them (pkg/proxy/iptables,
// pkg/proxy/nftables, pkg/proxy/ipvs): loadBalancerSourceRanges that contain
// the node (the LB addresses admitted as sources), a firewalled load balancer
// without endpoints, internalTrafficPolicy Local without a local endpoint,
// the table each rule lives in, chain names too long for nftables, and
// ipvsadm's listing.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { extChain, fwChain, sepChain, svcChain } from '../../../src/core/trace/chains';
import { cidrContains, iptablesRules } from '../../../src/core/trace/kube-proxy-iptables';
import { packetFlow } from '../../../src/core/trace/kube-proxy-flow';
import { ipvsListing, ipvsVirtualServers } from '../../../src/core/trace/kube-proxy-ipvs';
import { nftNames, nftServiceBase, nftStatements, nftTransaction } from '../../../src/core/trace/kube-proxy-nftables';
import { proxyView } from '../../../src/core/trace/kube-proxy-path';
import { POD_CIDR, TEST_NODE, TEST_NODE_IP, eps, svc, world, type EpSpec, type SvcSpec } from './conformance/harness';

const p80 = [{ name: 'p80', port: 80 }];

/** kube-proxy's view of ns7/svc7:p80 on test-node (192.168.0.2). */
function view(spec: SvcSpec, endpoints: EpSpec[], family: 4 | 6 = 4) {
  const m = world([svc('ns7', 'svc7', spec)], [eps('ns7', 'svc7', endpoints, p80, family === 6 ? 'IPv6' : 'IPv4')]);
  const s = m.services[0];
  return proxyView(new ModelIndex(m), s, s.ports[0], family, { name: TEST_NODE, ip: TEST_NODE_IP });
}

const LB: SvcSpec = { type: 'LoadBalancer', clusterIP: '172.30.0.47', ports: [{ name: 'p80', port: 80, nodePort: 3007 }], loadBalancerIPs: ['5.6.7.8'] };
const SPN = 'ns7/svc7:p80';
const SVC = svcChain(SPN, 'TCP');
const EXT = extChain(SPN, 'TCP');
const FW = fwChain(SPN, 'TCP');
const SEP = sepChain(SPN, 'TCP', '10.180.0.7:80');

function iptables(spec: SvcSpec, endpoints: EpSpec[]): string[] {
  const v = view(spec, endpoints);
  return iptablesRules(v.port, v.categorized, { clusterCIDR: POD_CIDR, nodeIP: TEST_NODE_IP }).map((r) => `${r.table}: ${r.written}`);
}

function nft(spec: SvcSpec, endpoints: EpSpec[]): string[] {
  const v = view(spec, endpoints);
  return nftTransaction(nftNames(v.port).table, nftStatements(v.port, v.categorized, { clusterCIDR: POD_CIDR, nodeIP: TEST_NODE_IP }));
}

describe('kube-proxy rules: loadBalancerSourceRanges', () => {
  const ranges = { ...LB, loadBalancerSourceRanges: ['192.168.0.0/16', '203.0.113.0/25'] };
  it('iptables: a range containing the node admits the LB address as a source too (a request from the node loops back from it)', () => {
    assert.deepEqual(iptables(ranges, [{ ip: '10.180.0.7' }]), [
      `nat: -A KUBE-SERVICES -m comment --comment "${SPN} cluster IP" -m tcp -p tcp -d 172.30.0.47 --dport 80 -j ${SVC}`,
      `nat: -A KUBE-SERVICES -m comment --comment "${SPN} loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j ${FW}`,
      `filter: -A KUBE-PROXY-FIREWALL -m comment --comment "${SPN} traffic not accepted by ${FW}" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP`,
      `nat: -A KUBE-NODEPORTS -m comment --comment ${SPN} -m tcp -p tcp --dport 3007 -j ${EXT}`,
      `nat: -A ${SVC} -m comment --comment "${SPN} cluster IP" -m tcp -p tcp -d 172.30.0.47 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `nat: -A ${EXT} -m comment --comment "masquerade traffic for ${SPN} external destinations" -j KUBE-MARK-MASQ`,
      `nat: -A ${EXT} -j ${SVC}`,
      `nat: -A ${FW} -m comment --comment "${SPN} loadbalancer IP" -s 192.168.0.0/16 -j ${EXT}`,
      `nat: -A ${FW} -m comment --comment "${SPN} loadbalancer IP" -s 203.0.113.0/25 -j ${EXT}`,
      `nat: -A ${FW} -m comment --comment "${SPN} loadbalancer IP" -s 5.6.7.8 -j ${EXT}`,
      `nat: -A ${FW} -m comment --comment "other traffic to ${SPN} will be dropped by KUBE-PROXY-FIREWALL"`,
      `nat: -A ${SVC} -m comment --comment "${SPN} -> 10.180.0.7:80" -j ${SEP}`,
      `nat: -A ${SEP} -m comment --comment ${SPN} -s 10.180.0.7 -j KUBE-MARK-MASQ`,
      `nat: -A ${SEP} -m comment --comment ${SPN} -m tcp -p tcp -j DNAT --to-destination 10.180.0.7:80`,
    ]);
  });
  it('nftables: the same sources in the firewall chain', () => {
    const n = nftNames(view(ranges, [{ ip: '10.180.0.7' }]).port);
    assert.ok(nft(ranges, [{ ip: '10.180.0.7' }]).includes(`add rule ip kube-proxy ${n.firewall} ip saddr != { 192.168.0.0/16 , 203.0.113.0/25 , 5.6.7.8 } drop`));
    const away = { ...LB, loadBalancerSourceRanges: ['203.0.113.0/25'] };
    assert.ok(nft(away, [{ ip: '10.180.0.7' }]).includes(`add rule ip kube-proxy ${n.firewall} ip saddr != { 203.0.113.0/25 } drop`));
  });
  it('iptables: a firewalled load balancer without endpoints rejects, with no firewall chain', () => {
    assert.deepEqual(iptables({ ...LB, loadBalancerSourceRanges: ['203.0.113.0/25'] }, []), [
      `filter: -A KUBE-SERVICES -m comment --comment "${SPN} has no endpoints" -m tcp -p tcp -d 172.30.0.47 --dport 80 -j REJECT`,
      `filter: -A KUBE-EXTERNAL-SERVICES -m comment --comment "${SPN} has no endpoints" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j REJECT`,
      `filter: -A KUBE-EXTERNAL-SERVICES -m comment --comment "${SPN} has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3007 -j REJECT`,
    ]);
  });
  it('nftables: a load balancer without endpoints goes to the reject chain, for its LB address and its NodePort', () => {
    const lines = nft(LB, []);
    assert.deepEqual(
      lines.filter((l) => l.includes('no-endpoint')),
      [
        `add element ip kube-proxy no-endpoint-services { 172.30.0.47 . tcp . 80 comment "${SPN}" : goto reject-chain }`,
        `add element ip kube-proxy no-endpoint-services { 5.6.7.8 . tcp . 80 comment "${SPN}" : goto reject-chain }`,
        `add element ip kube-proxy no-endpoint-nodeports { tcp . 3007 comment "${SPN}" : goto reject-chain }`,
      ],
    );
    assert.ok(!lines.some((l) => / (service|external|endpoint)-/.test(l)), lines.join('\n'));
  });
});

describe('kube-proxy rules: internalTrafficPolicy Local without a local endpoint', () => {
  const itp: SvcSpec = { clusterIP: '172.30.0.48', ports: p80, internalTrafficPolicy: 'Local' };
  it('iptables: KUBE-SERVICES drops it ("has no local endpoints")', () => {
    assert.deepEqual(iptables(itp, [{ ip: '10.180.0.8', node: 'other-node' }]), [
      `filter: -A KUBE-SERVICES -m comment --comment "${SPN} has no local endpoints" -m tcp -p tcp -d 172.30.0.48 --dport 80 -j DROP`,
    ]);
  });
  it('nftables: no-endpoint-services drops it', () => {
    assert.deepEqual(nft(itp, [{ ip: '10.180.0.8', node: 'other-node' }]), [
      'add element ip kube-proxy cluster-ips { 172.30.0.48 }',
      `add element ip kube-proxy no-endpoint-services { 172.30.0.48 . tcp . 80 comment "${SPN}" : drop }`,
    ]);
  });
  it('with a local endpoint: the local chain only (iptables KUBE-SVL, nftables local-)', () => {
    const local = [{ ip: '10.180.0.7', node: TEST_NODE }, { ip: '10.180.0.8', node: 'other-node' }];
    const ipt = iptables(itp, local);
    assert.ok(ipt.some((l) => l.startsWith(`nat: -A KUBE-SERVICES -m comment --comment "${SPN} cluster IP" -m tcp -p tcp -d 172.30.0.48 --dport 80 -j KUBE-SVL-`)), ipt.join('\n'));
    assert.ok(!ipt.some((l) => l.includes('KUBE-SVC-')), ipt.join('\n'));
    const n = nftNames(view(itp, local).port);
    const lines = nft(itp, local);
    assert.ok(lines.includes(`add chain ip kube-proxy ${n.local}`) && !lines.includes(`add chain ip kube-proxy ${n.service}`), lines.join('\n'));
    assert.ok(lines.includes(`add element ip kube-proxy service-ips { 172.30.0.48 . tcp . 80 : goto ${n.local} }`), lines.join('\n'));
  });
});

describe('kube-proxy rules: the tables', () => {
  it('REJECT, DROP and ACCEPT rules are in the filter table, every other rule in nat', () => {
    const specs: SvcSpec[] = [
      { ...LB, loadBalancerSourceRanges: ['192.168.0.0/16'], externalIPs: ['192.168.99.77'], healthCheckNodePort: 30007, externalTrafficPolicy: 'Local' },
      { ...LB, externalIPs: ['192.168.99.77'], internalTrafficPolicy: 'Local', affinitySeconds: 60 },
    ];
    for (const spec of specs) {
      for (const endpoints of [[], [{ ip: '10.180.0.7', node: TEST_NODE }], [{ ip: '10.180.0.8', node: 'other-node' }]] as EpSpec[][]) {
        for (const line of iptables(spec, endpoints)) {
          const filter = / -j (REJECT|DROP|ACCEPT)$/.test(line);
          assert.equal(line.startsWith('filter: '), filter, line);
        }
      }
    }
  });
});

describe('kube-proxy rules: nftables chain names', () => {
  it('"HASH-namespace/name/protocol/port": an unnamed port leaves the last part empty', () => {
    assert.match(nftServiceBase({ namespace: 'ns1', name: 'svc1', protocol: 'TCP' }), /^[A-Z2-7]{8}-ns1\/svc1\/tcp\/$/);
    assert.match(nftServiceBase({ namespace: 'ns1', name: 'svc1', protocol: 'UDP', portName: 'dns' }), /^[A-Z2-7]{8}-ns1\/svc1\/udp\/dns$/);
  });
  it('a base longer than 240 characters is cut to 237 and "..." (nftables names stop at 256, prefixes take up to 16)', () => {
    // Longer than the API allows (names of 63, port names of 15): the cut is kube-proxy's safety net.
    const long = { namespace: 'n'.repeat(100), name: 's'.repeat(100), protocol: 'TCP' as const, portName: 'p'.repeat(100) };
    const base = nftServiceBase(long);
    assert.equal(base.length, 240);
    assert.equal(base.slice(8), `-${'n'.repeat(100)}/${'s'.repeat(100)}/tcp/${'p'.repeat(237 - 9 - 100 - 1 - 100 - 5)}...`);
    const exact = { ...long, portName: 'p'.repeat(240 - 9 - 100 - 1 - 100 - 5) };
    assert.equal(nftServiceBase(exact).slice(8), `-${'n'.repeat(100)}/${'s'.repeat(100)}/tcp/${exact.portName}`);
  });
});

describe('kube-proxy rules: IPVS', () => {
  it('ipvsadm -Ln: IPv6 addresses in brackets, persistence with the affinity timeout', () => {
    assert.deepEqual(ipvsListing({ address: 'fd00::47', port: 80, protocol: 'TCP', scheduler: 'rr', persistent: 600, realServers: ['[fd00:10::7]:80'] }), [
      'TCP  [fd00::47]:80 rr persistent 600',
      '  -> [fd00:10::7]:80              Masq    1      0          0',
    ]);
    assert.deepEqual(ipvsListing({ address: '172.30.0.47', port: 53, protocol: 'UDP', scheduler: 'rr', realServers: [] }), ['UDP  172.30.0.47:53 rr']);
  });
  it("a NodePort virtual server on each node address of the proxier's family, and on a placeholder", () => {
    const v = view({ ...LB, affinitySeconds: 60 }, [{ ip: '10.180.0.7' }]);
    const servers = ipvsVirtualServers(v.port, v.categorized, ['192.168.0.2', '2001:db8::1', '<node address>']);
    assert.deepEqual(
      servers.map((s) => `${s.address}:${s.port} ${s.persistent} ${s.realServers.join(',')}`),
      ['172.30.0.47:80 60 10.180.0.7:80', '5.6.7.8:80 60 10.180.0.7:80', '192.168.0.2:3007 60 10.180.0.7:80', '<node address>:3007 60 10.180.0.7:80'],
    );
    const plain = view({ clusterIP: '172.30.0.47', ports: p80 }, [{ ip: '10.180.0.7' }]);
    assert.deepEqual(ipvsVirtualServers(plain.port, plain.categorized, ['192.168.0.2']).map((s) => [s.address, s.port, 'persistent' in s]), [['172.30.0.47', 80, false]]);
  });
});

describe('kube-proxy rules: whether a CIDR contains an address', () => {
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.0.0/16', '192.168.0.2', true],
    ['203.0.113.0/25', '203.0.113.130', false],
    ['203.0.113.0/25', '203.0.113.127', true],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.3', '10.1.2.4', false],
    ['10.1.2.3/32', '10.1.2.3', true],
    ['10.0.0.0/33', '10.0.0.1', false],
    ['10.0.0.0/-1', '10.0.0.1', false],
    ['10.0.0.0/x', '10.0.0.1', false],
    ['300.0.0.0/8', '300.0.0.1', false],
    ['10.0.0.0/8', '10.0.0.256', false],
    ['10.0.0/8', '10.0.0.1', false],
    ['10.0.0.0/8', 'fd00::1', false],
    ['fd00::/8', '10.0.0.1', false],
    ['fd00::/8', 'fd12:3456::1', true],
    ['fd00::/16', 'fd01::1', false],
    ['2001:db8::/32', '2001:db8:0:0:0:0:0:1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::/0', '2001:db8::1', true],
    ['::1/128', '::1', true],
    ['::1/128', '::2', false],
    ['2001:db8:0:0:0:0:0:0/64', '2001:db8::ffff', true],
    ['2001:db8::/32', '2001:db8:1', false],
    ['2001:db8::/32', '2001:db8::1::2', false],
    ['2001:db8::/32', '2001:db8::g', false],
    ['2001:db8::/32', '2001:db8::12345', false],
    ['2001:db8::/129', '2001:db8::1', false],
    ['a/8', 'b', false],
  ];
  for (const [cidr, ip, want] of cases) it(`${cidr} ${want ? 'contains' : 'does not contain'} ${ip}`, () => assert.equal(cidrContains(cidr, ip), want));
});

describe('kube-proxy rules: one packet through them (runPacketFlowTests, the cases upstream leaves implicit)', () => {
  const lbLocal = world(
    [
      svc('ns1', 'svc1', {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        clusterIP: '172.30.0.41',
        externalIPs: ['192.168.99.11'],
        loadBalancerIPs: ['1.2.3.4'],
        ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
      }),
    ],
    [eps('ns1', 'svc1', [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: TEST_NODE }], p80)],
  );
  const node = { name: TEST_NODE, ip: TEST_NODE_IP, addresses: ['192.168.0.2', '192.168.1.2'] };
  const flow = (q: { sourceIP: string; destIP: string; destPort: number }, n: typeof node & { nodePortAddresses?: string[] } = node, m = lbLocal, mode: 'iptables' | 'nftables' = 'iptables') =>
    packetFlow(new ModelIndex(m), n, q, POD_CIDR, mode);
  it('the node itself to the LB IP with externalTrafficPolicy Local: every endpoint, masqueraded (short-circuit of LOCAL traffic)', () => {
    assert.deepEqual(flow({ sourceIP: '192.168.1.2', destIP: '1.2.3.4', destPort: 80 }), { output: ['10.180.0.1:80', '10.180.2.1:80'], masquerade: true, servicePort: 'ns1/svc1:p80' });
  });
  it('an external client to the external IP: the local endpoint only, not masqueraded', () => {
    assert.deepEqual(flow({ sourceIP: '203.0.113.2', destIP: '192.168.99.11', destPort: 80 }), { output: ['10.180.2.1:80'], masquerade: false, servicePort: 'ns1/svc1:p80' });
  });
  it('the endpoint itself to its ClusterIP: hairpin, masqueraded', () => {
    assert.deepEqual(flow({ sourceIP: '10.180.2.1', destIP: '172.30.0.41', destPort: 80 }), { output: ['10.180.0.1:80', '10.180.2.1:80'], masquerade: true, servicePort: 'ns1/svc1:p80' });
  });
  it('a port the Service does not have, on each of its addresses: nothing catches it', () => {
    for (const destIP of ['172.30.0.41', '192.168.99.11', '1.2.3.4']) assert.deepEqual(flow({ sourceIP: '203.0.113.2', destIP, destPort: 81 }), { output: [], masquerade: false }, destIP);
    assert.deepEqual(flow({ sourceIP: '203.0.113.2', destIP: '192.168.0.2', destPort: 3002 }), { output: [], masquerade: false });
  });
  it('a NodePort only on the addresses of --nodeport-addresses', () => {
    const restricted = { ...node, nodePortAddresses: ['192.168.1.2'] };
    assert.deepEqual(flow({ sourceIP: '203.0.113.2', destIP: '192.168.0.2', destPort: 3001 }, restricted).output, []);
    assert.deepEqual(flow({ sourceIP: '203.0.113.2', destIP: '192.168.1.2', destPort: 3001 }, restricted).output, ['10.180.2.1:80']);
  });
  it('nftables rejects another port of a known ClusterIP (cluster-ips-check); iptables lets it through; a headless Service has none', () => {
    assert.deepEqual(flow({ sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 81 }, node, lbLocal, 'nftables'), { output: 'REJECT', masquerade: false });
    const headless = world([svc('ns2', 'db', { clusterIP: 'None', clusterIPs: ['None'], ports: p80 })], [eps('ns2', 'db', [{ ip: '10.180.0.9' }], p80)]);
    assert.deepEqual(flow({ sourceIP: '10.0.0.2', destIP: '10.180.0.9', destPort: 80 }, node, headless, 'nftables'), { output: [], masquerade: false });
  });
  it('an unnamed port is named by its Service alone; a firewalled LB with no node address known drops the node', () => {
    const fw = world(
      [svc('ns3', 'web', { type: 'LoadBalancer', clusterIP: '172.30.0.43', loadBalancerIPs: ['5.6.7.8'], loadBalancerSourceRanges: ['192.168.0.0/16'], ports: [{ port: 80, nodePort: 3003 }] })],
      [eps('ns3', 'web', [{ ip: '10.180.0.3' }], [{ port: 80 }])],
    );
    assert.deepEqual(flow({ sourceIP: '192.168.0.9', destIP: '5.6.7.8', destPort: 80 }, node, fw), { output: ['10.180.0.3:80'], masquerade: true, servicePort: 'ns3/web' });
    // The LB address as the source is admitted only when the node's own address is in a range.
    assert.equal(flow({ sourceIP: '5.6.7.8', destIP: '5.6.7.8', destPort: 80 }, { ...node, ip: undefined } as unknown as typeof node, fw).output, 'DROP');
    assert.deepEqual(flow({ sourceIP: '5.6.7.8', destIP: '5.6.7.8', destPort: 80 }, node, fw).output, ['10.180.0.3:80']);
  });
});
