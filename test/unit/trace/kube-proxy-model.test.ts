// kube-proxy's view of one Service port: which endpoints Cluster and Local
// traffic policy use (CategorizeEndpoints, ported case by case from
// kubernetes pkg/proxy/topology_test.go TestCategorizeEndpoints with
// terminating endpoints always on, as kube-proxy has them since 1.28), the
// endpoints map (one per IP:port, sorted as strings), why zone hints are
// ignored, and the Service fields each proxier programs (families, ClusterIP,
// NodePort, external and LB addresses, source ranges, affinity, the node).
import assert from 'node:assert/strict';
import type { Service } from '../../../src/core/model/types';
import { categorize, endpointsMap, ignoredHintsReason, topologyModeFromHints, type ProxyEndpoint, type ProxyServicePort } from '../../../src/core/trace/kube-proxy-model';
import { chooseFamily, clusterIpOf, proxyNode, proxyServicePort, serviceFamilies } from '../../../src/core/trace/kube-proxy-path';
import { iptablesRules } from '../../../src/core/trace/kube-proxy-iptables';
import { nftStatements, nftTransaction } from '../../../src/core/trace/kube-proxy-nftables';
import { node, service, servicePort } from '../../fixtures/trace/build';

const NODE = 'test-node';

interface Ep {
  ep: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  local?: boolean;
  hints?: string[];
}

/** BaseEndpointInfo as upstream's cases write it: ready unset is false there, serving follows ready unless given. */
function ep(e: Ep): ProxyEndpoint {
  const i = e.ep.lastIndexOf(':');
  const ready = e.ready ?? false;
  return {
    address: e.ep.slice(0, i),
    port: Number(e.ep.slice(i + 1)),
    symbolic: false,
    ready,
    serving: e.serving ?? ready,
    terminating: e.terminating ?? false,
    nodeName: e.local ? NODE : 'other-node',
    ...(e.hints ? { zoneHints: e.hints } : {}),
  };
}

function port(p: { internalPolicyLocal?: boolean; externalPolicyLocal?: boolean; nodePort?: number } = {}): ProxyServicePort {
  return {
    namespace: 'ns',
    name: 'svc',
    protocol: 'TCP',
    port: 80,
    nodePort: p.nodePort,
    clusterIP: '172.30.0.1',
    externalIPs: [],
    loadBalancerIPs: [],
    loadBalancerSourceRanges: [],
    externalTrafficPolicyLocal: p.externalPolicyLocal ?? false,
    internalTrafficPolicyLocal: p.internalPolicyLocal ?? false,
    family: 4,
  };
}

interface CategorizeCase {
  name: string;
  zone?: string;
  svc: ProxyServicePort;
  endpoints: Ep[];
  cluster: string[];
  local: string[];
  /** allEndpoints: what the node may send to (defaults to whichever of cluster and local is used). */
  all?: string[];
  /** hasAnyEndpoints although nothing is reachable from this node. */
  onlyRemote?: boolean;
}

const a = (ep: string, hints: string[], extra: Partial<Ep> = {}): Ep => ({ ep, hints, ready: true, ...extra });

const CASES: CategorizeCase[] = [
  {
    name: 'hints: only the endpoints hinted for the node zone',
    zone: 'zone-a',
    svc: port(),
    endpoints: [a('10.1.2.3:80', ['zone-a']), a('10.1.2.4:80', ['zone-b']), a('10.1.2.5:80', ['zone-c']), a('10.1.2.6:80', ['zone-a'])],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'],
    local: [],
  },
  {
    name: 'externalTrafficPolicy: Local, topology ignored for Local endpoints',
    zone: 'zone-a',
    svc: port({ externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [a('10.1.2.3:80', ['zone-a'], { local: true }), a('10.1.2.4:80', ['zone-b'], { local: true }), a('10.1.2.5:80', ['zone-c']), a('10.1.2.6:80', ['zone-a'])],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'],
    local: ['10.1.2.3:80', '10.1.2.4:80'],
    all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
  },
  {
    name: 'internalTrafficPolicy: Local, topology ignored for Local endpoints',
    zone: 'zone-a',
    svc: port({ internalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [a('10.1.2.3:80', ['zone-a'], { local: true }), a('10.1.2.4:80', ['zone-b'], { local: true }), a('10.1.2.5:80', ['zone-c']), a('10.1.2.6:80', ['zone-a'])],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'],
    local: ['10.1.2.3:80', '10.1.2.4:80'],
    all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
  },
  { name: 'empty node labels', svc: port(), endpoints: [a('10.1.2.3:80', ['zone-a'])], cluster: ['10.1.2.3:80'], local: [] },
  { name: 'node in different zone, no endpoint filtering', zone: 'zone-b', svc: port(), endpoints: [a('10.1.2.3:80', ['zone-a'])], cluster: ['10.1.2.3:80'], local: [] },
  {
    name: 'unready endpoint',
    zone: 'zone-a',
    svc: port(),
    endpoints: [a('10.1.2.3:80', ['zone-a']), a('10.1.2.4:80', ['zone-b']), a('10.1.2.5:80', ['zone-c']), a('10.1.2.6:80', ['zone-a'], { ready: false })],
    cluster: ['10.1.2.3:80'],
    local: [],
  },
  {
    name: 'only unready endpoints in same zone (should not filter)',
    zone: 'zone-a',
    svc: port(),
    endpoints: [a('10.1.2.3:80', ['zone-a'], { ready: false }), a('10.1.2.4:80', ['zone-b']), a('10.1.2.5:80', ['zone-c']), a('10.1.2.6:80', ['zone-a'], { ready: false })],
    cluster: ['10.1.2.4:80', '10.1.2.5:80'],
    local: [],
  },
  {
    name: 'missing hints, no filtering applied',
    zone: 'zone-a',
    svc: port(),
    endpoints: [a('10.1.2.3:80', ['zone-a']), a('10.1.2.4:80', ['zone-b']), { ep: '10.1.2.5:80', ready: true }, a('10.1.2.6:80', ['zone-a'])],
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.5:80', '10.1.2.6:80'],
    local: [],
  },
  {
    name: 'multiple hints per endpoint, filtering includes any endpoint with zone included',
    zone: 'zone-c',
    svc: port(),
    endpoints: [a('10.1.2.3:80', ['zone-a', 'zone-b', 'zone-c']), a('10.1.2.4:80', ['zone-b', 'zone-c']), a('10.1.2.5:80', ['zone-b', 'zone-d']), a('10.1.2.6:80', ['zone-c'])],
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
    local: [],
  },
  {
    name: 'conflicting topology and localness require merging allEndpoints',
    zone: 'zone-a',
    svc: port({ externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [a('10.0.0.0:80', ['zone-a'], { local: true }), a('10.0.0.1:80', ['zone-b'], { local: true }), a('10.0.0.2:80', ['zone-a']), a('10.0.0.3:80', ['zone-b'])],
    cluster: ['10.0.0.0:80', '10.0.0.2:80'],
    local: ['10.0.0.0:80', '10.0.0.1:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80', '10.0.0.2:80'],
  },
  { name: 'internalTrafficPolicy: Local, with empty endpoints', svc: port({ internalPolicyLocal: true }), endpoints: [], cluster: [], local: [] },
  {
    name: 'internalTrafficPolicy: Local, but all endpoints are remote',
    svc: port({ internalPolicyLocal: true }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true }, { ep: '10.0.0.1:80', ready: true }],
    cluster: [],
    local: [],
    onlyRemote: true,
  },
  {
    name: 'internalTrafficPolicy: Local, all endpoints are local',
    svc: port({ internalPolicyLocal: true }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true, local: true }, { ep: '10.0.0.1:80', ready: true, local: true }],
    cluster: [],
    local: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'internalTrafficPolicy: Local, some endpoints are local',
    svc: port({ internalPolicyLocal: true }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true, local: true }, { ep: '10.0.0.1:80', ready: true }],
    cluster: [],
    local: ['10.0.0.0:80'],
  },
  { name: 'Cluster traffic policy, endpoints not Ready', svc: port(), endpoints: [{ ep: '10.0.0.0:80' }, { ep: '10.0.0.1:80' }], cluster: [], local: [] },
  { name: 'Cluster traffic policy, some endpoints are Ready', svc: port(), endpoints: [{ ep: '10.0.0.0:80' }, { ep: '10.0.0.1:80', ready: true }], cluster: ['10.0.0.1:80'], local: [] },
  {
    name: 'Cluster traffic policy, all endpoints are terminating',
    svc: port(),
    endpoints: [{ ep: '10.0.0.0:80', serving: true, terminating: true, local: true }, { ep: '10.0.0.1:80', serving: true, terminating: true }],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: [],
  },
  {
    name: 'iTP: Local, eTP: Cluster, some endpoints local',
    svc: port({ internalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true, local: true }, { ep: '10.0.0.1:80', ready: true }],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.0:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'iTP: Cluster, eTP: Local, some endpoints local',
    svc: port({ externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true, local: true }, { ep: '10.0.0.1:80', ready: true }],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.0:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'iTP: Local, eTP: Local, some endpoints local',
    svc: port({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true, local: true }, { ep: '10.0.0.1:80', ready: true }],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.0:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'iTP: Local, eTP: Local, all endpoints remote',
    svc: port({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true }, { ep: '10.0.0.1:80', ready: true }],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: [],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'iTP: Local, eTP: Local, all endpoints remote and terminating',
    svc: port({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [{ ep: '10.0.0.0:80', serving: true, terminating: true }, { ep: '10.0.0.1:80', serving: true, terminating: true }],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: [],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
    onlyRemote: true,
  },
  {
    name: 'iTP: Cluster, eTP: Local, with terminating endpoints',
    svc: port({ externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [
      { ep: '10.0.0.0:80', ready: true },
      { ep: '10.0.0.1:80', serving: false, local: true },
      { ep: '10.0.0.2:80', serving: true, terminating: true, local: true },
      { ep: '10.0.0.3:80', serving: true, terminating: true },
    ],
    cluster: ['10.0.0.0:80'],
    local: ['10.0.0.2:80'],
    all: ['10.0.0.0:80', '10.0.0.2:80'],
  },
  {
    name: 'externalTrafficPolicy ignored if not externally accessible',
    svc: port({ externalPolicyLocal: true }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true }, { ep: '10.0.0.1:80', ready: true, local: true }],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: [],
  },
  {
    name: 'no cluster endpoints for iTP:Local internal-only service',
    svc: port({ internalPolicyLocal: true }),
    endpoints: [{ ep: '10.0.0.0:80', ready: true }, { ep: '10.0.0.1:80', ready: true, local: true }],
    cluster: [],
    local: ['10.0.0.1:80'],
  },
];

const keys = (eps: readonly ProxyEndpoint[]) => eps.map((e) => `${e.address}:${e.port}`);

describe('kube-proxy: CategorizeEndpoints (pkg/proxy/topology_test.go)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const eps = endpointsMap(c.endpoints.map(ep), 4, NODE);
      const got = categorize(c.svc, eps, { name: NODE, zone: c.zone });
      const all = c.all ?? (c.local.length > 0 ? c.local : c.cluster);
      assert.deepEqual(
        { cluster: keys(got.cluster), local: keys(got.local), all: keys(got.reachable), hasEndpoints: got.hasEndpoints },
        { cluster: c.cluster, local: c.local, all, hasEndpoints: all.length > 0 || c.onlyRemote === true },
      );
    });
  }
  it('the fallback to serving-terminating endpoints is said for each policy', () => {
    const terminating = [{ ep: '10.0.0.1:80', serving: true, terminating: true, local: true }].map(ep);
    const both = categorize(port({ externalPolicyLocal: true, nodePort: 8080 }), terminating, { name: NODE });
    assert.deepEqual([both.clusterFallback, both.localFallback, keys(both.reachable)], [true, true, ['10.0.0.1:80']]);
    const ready = categorize(port({ externalPolicyLocal: true, nodePort: 8080 }), [{ ep: '10.0.0.1:80', ready: true, local: true }].map(ep), { name: NODE });
    assert.deepEqual([ready.clusterFallback, ready.localFallback], [false, false]);
  });
  it('the zone hints in use are reported as PreferSameZone', () => {
    const hinted = [a('10.1.2.3:80', ['zone-a']), a('10.1.2.4:80', ['zone-b'])].map(ep);
    assert.equal(categorize(port(), hinted, { name: NODE, zone: 'zone-a' }).topology, 'PreferSameZone');
    assert.equal(categorize(port(), hinted, { name: NODE, zone: 'zone-c' }).topology, '');
    // A Local-only Service never looks at the hints.
    assert.equal(categorize(port({ internalPolicyLocal: true }), hinted, { name: NODE, zone: 'zone-a' }).topology, '');
    // Endpoints that are not ready need no hint.
    assert.equal(topologyModeFromHints([...hinted, ep({ ep: '10.1.2.9:80' })], 'zone-a'), 'PreferSameZone');
  });
});

describe('kube-proxy: why the zone hints are ignored (said in the trace)', () => {
  const hinted = (...zones: (string[] | undefined)[]) => zones.map((z, i) => ep({ ep: `10.1.2.${i + 1}:80`, ready: true, hints: z }));
  it('no hints: nothing to say', () => {
    assert.equal(ignoredHintsReason(hinted(undefined, undefined), 'zone-a'), undefined);
    assert.equal(ignoredHintsReason(hinted([], []), 'zone-a'), undefined);
  });
  it('a ready endpoint without a hint', () => {
    assert.equal(ignoredHintsReason(hinted(['zone-a'], undefined), 'zone-a'), 'one or more ready endpoints has no zone hint, so kube-proxy ignores the hints');
  });
  it("the node's zone unknown", () => {
    assert.equal(ignoredHintsReason(hinted(['zone-a'], ['zone-b']), undefined), "the node's zone (label topology.kubernetes.io/zone) is not known, so kube-proxy ignores the hints");
  });
  it('no endpoint for the zone', () => {
    assert.equal(ignoredHintsReason(hinted(['zone-a'], ['zone-b']), 'zone-c'), 'no endpoint is hinted for zone zone-c, so kube-proxy ignores the hints');
  });
  it('hints in use: nothing to say; endpoints that are not ready do not count', () => {
    assert.equal(ignoredHintsReason(hinted(['zone-a'], ['zone-b']), 'zone-b'), undefined);
    const notReady = ep({ ep: '10.1.2.9:80' });
    assert.equal(ignoredHintsReason([...hinted(['zone-a']), notReady], 'zone-a'), undefined);
  });
});

describe('kube-proxy: the endpoints map of one Service port', () => {
  it('sorted by "IP:port" as a string, as the KUBE-SEP chains and numgen slots come', () => {
    const eps = ['10.0.0.2:80', '10.0.0.10:80', '10.0.0.1:8080', '10.0.0.1:443'].map((e) => ep({ ep: e, ready: true }));
    assert.deepEqual(keys(endpointsMap(eps, 4, NODE)), ['10.0.0.10:80', '10.0.0.1:443', '10.0.0.1:8080', '10.0.0.2:80']);
  });
  it('one per IP:port; the copy on this node wins; the other family left out', () => {
    const remote = { ...ep({ ep: '10.0.0.1:80', ready: false }), nodeName: 'other-node' };
    const local = { ...ep({ ep: '10.0.0.1:80', ready: true }), nodeName: NODE };
    const v6 = { ...ep({ ep: '10.0.0.9:80', ready: true }), address: 'fd00::9' };
    const map = endpointsMap([local, remote, v6], 4, NODE);
    assert.deepEqual(map, [local]);
    assert.deepEqual(endpointsMap([remote, local], 4, NODE), [local]);
    // With no node known, the first copy stays.
    assert.deepEqual(endpointsMap([remote, local], 4, undefined), [remote]);
    assert.deepEqual(keys(endpointsMap([local, v6], 6, NODE)), ['fd00::9:80']);
  });
  it('IPv6 endpoints are keyed [IP]:port', () => {
    const v6 = { ...ep({ ep: '1.1.1.1:80', ready: true }), address: 'fd00::2' };
    const v6b = { ...ep({ ep: '1.1.1.1:80', ready: true }), address: 'fd00::10' };
    assert.deepEqual(endpointsMap([v6, v6b], 6, NODE), [v6b, v6]);
  });
});

function svc(extra: Partial<Service>): Service {
  return service('ns', 'svc', undefined, [servicePort(80, 8080, 'http', { nodePort: 30080 })], extra);
}

describe('kube-proxy: the Service fields a proxier programs', () => {
  it('families: spec.ipFamilies in order, else those of the ClusterIPs (None and empty skipped), else IPv4', () => {
    assert.deepEqual(serviceFamilies(svc({ ipFamilies: ['IPv6', 'IPv4', 'IPv6'], clusterIPs: ['fd00::1', '10.0.0.1'] })), [6, 4]);
    assert.deepEqual(serviceFamilies(svc({ ipFamilies: ['Bogus'], clusterIPs: ['fd00::1', '', 'None', '10.0.0.1', 'fd00::2'] })), [6, 4]);
    assert.deepEqual(serviceFamilies(svc({ clusterIPs: ['None'] })), [4]);
    assert.deepEqual(serviceFamilies(svc({ ipFamilies: ['IPv4'], clusterIPs: ['fd00::1'] })), [4, 6]);
  });
  it("the client's family when the Service has it, else the Service's first", () => {
    const dual = svc({ ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.0.0.1', 'fd00::1'] });
    assert.equal(chooseFamily(dual, ['fd00:244::3']), 6);
    assert.equal(chooseFamily(dual, ['10.244.0.3', 'fd00:244::3']), 4);
    assert.equal(chooseFamily(svc({ clusterIPs: ['fd00::1'] }), ['10.244.0.3']), 6);
    assert.equal(chooseFamily(dual, []), 4);
  });
  it('the ClusterIP of a family: from clusterIPs, else clusterIP, else a placeholder', () => {
    assert.equal(clusterIpOf(svc({ clusterIPs: ['None', '10.0.0.1', 'fd00::1'] }), 6), 'fd00::1');
    assert.equal(clusterIpOf(svc({ clusterIPs: [], clusterIP: '10.0.0.7' }), 4), '10.0.0.7');
    assert.equal(clusterIpOf(svc({ clusterIPs: [], clusterIP: '10.0.0.7' }), 6), '<IPv6-ClusterIP>');
    assert.equal(clusterIpOf(svc({ clusterIPs: [], clusterIP: 'None' }), 4), '<ClusterIP>');
    assert.equal(clusterIpOf(svc({ clusterIPs: ['None'] }), 4), '<ClusterIP>');
  });
  it('a NodePort only for NodePort and LoadBalancer types; LB addresses only for LoadBalancer, of the family, as addresses', () => {
    const lb = svc({
      type: 'LoadBalancer',
      clusterIPs: ['10.0.0.1'],
      loadBalancerIPs: ['52.1.2.3', 'lb.example.com', '2001:db8::5'],
      externalIPs: ['192.168.99.22', '2001:db8::22', 'ext.example.com'],
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
      externalTrafficPolicy: 'Local',
      internalTrafficPolicy: 'Local',
      healthCheckNodePort: 30000,
    });
    const http = lb.ports[0];
    assert.deepEqual(proxyServicePort(lb, http, 4), {
      namespace: 'ns',
      name: 'svc',
      portName: 'http',
      protocol: 'TCP',
      port: 80,
      nodePort: 30080,
      clusterIP: '10.0.0.1',
      // A name that is no address stays (its family is not known), as the manifests wrote it.
      externalIPs: ['192.168.99.22', 'ext.example.com'],
      loadBalancerIPs: ['52.1.2.3'],
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      externalTrafficPolicyLocal: true,
      internalTrafficPolicyLocal: true,
      affinitySeconds: undefined,
      healthCheckNodePort: 30000,
      family: 4,
    });
    const v6 = proxyServicePort(lb, http, 6);
    assert.deepEqual([v6.externalIPs, v6.loadBalancerIPs, v6.loadBalancerSourceRanges, v6.clusterIP], [['2001:db8::22', 'ext.example.com'], ['2001:db8::5'], ['2001:db8::/32'], '<IPv6-ClusterIP>']);
    const np = proxyServicePort(svc({ type: 'NodePort', loadBalancerIPs: ['52.1.2.3'] }), http, 4);
    assert.deepEqual([np.nodePort, np.loadBalancerIPs, np.externalTrafficPolicyLocal], [30080, [], false]);
    assert.equal(proxyServicePort(svc({ type: 'ClusterIP' }), http, 4).nodePort, undefined);
    // A NodePort Service whose port has no nodePort yet (manifests: the API server allocates it).
    assert.equal(proxyServicePort(svc({ type: 'NodePort' }), servicePort(80, 8080), 4).nodePort, undefined);
  });
  it('sessionAffinity ClientIP: its timeout, 10800 s unless set', () => {
    const http = svc({}).ports[0];
    assert.equal(proxyServicePort(svc({ sessionAffinity: 'ClientIP' }), http, 4).affinitySeconds, 10800);
    assert.equal(proxyServicePort(svc({ sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 60 }), http, 4).affinitySeconds, 60);
    assert.equal(proxyServicePort(svc({ sessionAffinityTimeoutSeconds: 60 }), http, 4).affinitySeconds, undefined);
  });
  it("the node: its InternalIP and zone label when the set has it, its name alone otherwise", () => {
    const n = node('node-1', '192.168.1.10');
    n.addresses = [{ type: 'ExternalIP', address: '34.1.2.3' }, { type: 'InternalIP', address: '192.168.1.10' }];
    n.labels = { 'topology.kubernetes.io/zone': 'zone-a' };
    const other = node('node-2', '192.168.1.11');
    assert.deepEqual(proxyNode([other, n], 'node-1'), { name: 'node-1', zone: 'zone-a', ip: '192.168.1.10' });
    assert.deepEqual(proxyNode([other], 'node-1'), { name: 'node-1', zone: undefined, ip: undefined });
    assert.deepEqual(proxyNode([n], undefined), {});
    assert.deepEqual(proxyNode([n], ''), {});
  });
});

describe('kube-proxy: every chain a rule jumps to is written', () => {
  // The bug this guards: with both traffic policies Local, KUBE-EXT sends Pod
  // traffic to KUBE-SVC (short-circuit), which must hold the Cluster endpoints.
  const combos: { name: string; svc: ProxyServicePort; endpoints: Ep[] }[] = [];
  for (const itp of [false, true])
    for (const etp of [false, true])
      for (const nodePort of [undefined, 30080])
        for (const affinity of [undefined, 60])
          for (const eps of [[], [{ ep: '10.0.0.1:80', ready: true, local: true }], [{ ep: '10.0.0.2:80', ready: true }], [{ ep: '10.0.0.1:80', ready: true, local: true }, { ep: '10.0.0.2:80', ready: true }]] as Ep[][]) {
            const s = { ...port({ internalPolicyLocal: itp, externalPolicyLocal: etp, nodePort }), affinitySeconds: affinity };
            combos.push({ name: `iTP ${itp ? 'Local' : 'Cluster'}, eTP ${etp ? 'Local' : 'Cluster'}, NodePort ${nodePort ?? 'none'}, affinity ${affinity ?? 'none'}, ${eps.length} endpoint(s)`, svc: s, endpoints: eps });
          }
  it(`iptables: ${combos.length} combinations of traffic policies, NodePort, affinity and local or remote endpoints`, () => {
    for (const c of combos) {
      const rules = iptablesRules(c.svc, categorize(c.svc, endpointsMap(c.endpoints.map(ep), 4, NODE), { name: NODE }), { clusterCIDR: '10.0.0.0/8' });
      const written = new Set(rules.map((r) => r.chain));
      for (const r of rules) {
        const target = /-j (KUBE-(?:SVC|SVL|EXT|FW|SEP)-\w+)/.exec(r.text)?.[1];
        if (target) assert.ok(written.has(target), `${c.name}: ${r.text} jumps to ${target}, which has no rule`);
      }
    }
  });
  it(`nftables: the same ${combos.length} combinations`, () => {
    for (const c of combos) {
      const st = nftStatements(c.svc, categorize(c.svc, endpointsMap(c.endpoints.map(ep), 4, NODE), { name: NODE }), { clusterCIDR: '10.0.0.0/8' });
      const chains = new Set(st.filter((s) => s.kind === 'chain').map((s) => (s as { chain: string }).chain));
      const text = nftTransaction('ip kube-proxy', st).join('\n');
      for (const m of text.matchAll(/(?:goto|jump) ((?:service|local|external|firewall|endpoint)-\S+)/g)) {
        assert.ok(chains.has(m[1]), `${c.name}: ${m[0]} names a chain that is not added`);
      }
    }
  });
});
