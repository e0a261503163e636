// What `kni trace` says about kube-proxy, hop by hop and word for word: the
// address the client connects to, the dispatch (chains, maps or virtual
// servers, with the chances), the DNAT and the second NAT of external
// traffic, in each mode. Rules are compared as iptables-save / nft list
// ruleset / ipvsadm -Ln print them; chain names are kube-proxy's hashes
// (checked against upstream's own test data in chains.test.ts and the
// conformance cases): "default/backend" tcp -> KUBE-SVC-NU7AD2CJVNXKF2GF, its
// endpoint 10.244.1.5:8080 -> KUBE-SEP-EC6FXDQYP7OGCQUT; nftables
// service-WYZYRSG3-default/backend/tcp/.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { EndpointAddress, NetworkModel, Service } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { endpointSlice, model, namespace, node, pod, service, servicePort, workload } from '../../fixtures/trace/build';

const toSvc = { kind: 'service', namespace: 'default', name: 'backend' } as const;
const fromClient = { kind: 'pod', namespace: 'default', name: 'client-1' } as const;
const external = { kind: 'external', ip: '203.0.113.9' } as const;

/**
 * Two nodes (node-1 192.168.1.10 with 10.244.1.0/24, node-2 192.168.1.11 with
 * 10.244.2.0/24), the client Pod 10.244.1.3 on node-1, Service
 * default/backend 10.96.0.20:80 -> 8080 (NodePort 30080 when its type has
 * one), endpoints from an EndpointSlice on the nodes given.
 */
function cluster(endpoints: [string, string][], svc: Partial<Service> = {}, client: { ip?: string; node?: string } = {}): NetworkModel {
  const clientPod = pod('default', 'client-1', client.ip ?? '10.244.1.3', client.node ?? 'node-1', { labels: { app: 'client' } });
  const backend = service('default', 'backend', { app: 'backend' }, [servicePort(80, 8080, undefined, { nodePort: 30080 })], { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ...svc });
  const slice = endpointSlice(
    'default',
    'backend',
    [{ port: 8080, protocol: 'TCP' }],
    endpoints.map(([ip, nodeName]): EndpointAddress => ({
      addresses: [ip],
      ready: true,
      serving: true,
      terminating: false,
      nodeName,
      ...(ip === clientPod.ip ? { targetRef: { kind: 'Pod', namespace: 'default', name: 'client-1' } } : {}),
    })),
  );
  return model({
    source: 'cluster',
    namespaces: [namespace('default')],
    nodes: [node('node-1', '192.168.1.10', '10.244.1.0/24'), node('node-2', '192.168.1.11', '10.244.2.0/24')],
    workloads: [workload('default', 'client', { app: 'client' }, { pods: [clientPod] })],
    services: [backend],
    endpointSlices: [slice],
  });
}

const TWO: [string, string][] = [
  ['10.244.1.5', 'node-1'],
  ['10.244.2.8', 'node-2'],
];

function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}

/** The hops kube-proxy's part of the trace is made of (the others belong to DNS, policy, routing and delivery). */
function kubeProxyHops(r: TraceResult): [string, string, string[]][] {
  return r.hops
    .filter((h) => ['vip', 'nodeport', 'loadbalancer', 'kube-proxy', 'dnat'].includes(h.kind) || (h.kind === 'route' && h.detail.startsWith('externalTrafficPolicy')))
    .map((h) => [h.kind, h.detail, h.rules]);
}

interface Seen {
  verdict: string;
  reason: string;
  hops: [string, string, string[]][];
  /** Target, port, share of requests, the rule's --probability (null: not known / no statistic match). */
  endpoints: [string, number | undefined, number | null, number | null][];
}

function seen(r: TraceResult): Seen {
  return { verdict: r.verdict, reason: r.reason, hops: kubeProxyHops(r), endpoints: r.endpoints.map((e) => [e.target, e.port, e.probability ?? null, e.ruleProbability ?? null]) };
}

function expectTrace(r: TraceResult, expected: Seen): void {
  assert.deepEqual(seen(r), expected);
}

describe('trace: kube-proxy hops from outside the cluster', () => {
  it('NodePort, externalTrafficPolicy Cluster (iptables): KUBE-NODEPORTS -> KUBE-EXT (masquerade mark) -> KUBE-SVC, then the second NAT', () => {
    expectTrace(trace(cluster(TWO, { type: 'NodePort' }), { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
            '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/backend" -m tcp --dport 30080 -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade traffic for default/backend external destinations" -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVC-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVC-NU7AD2CJVNXKF2GF, which picks one of 2 endpoints at random (rule probabilities 0.50000, the last unconditionally: each gets 1/2)',
          [
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-EC6FXDQYP7OGCQUT',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.8:8080" -j KUBE-SEP-PIL37XSRXSRMZSXI',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination <node address>:30080 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -s 10.244.2.8/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.2.8:8080',
          ],
        ],
        [
          'route',
          'externalTrafficPolicy Cluster: KUBE-EXT marked the connection and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)',
          [
            '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, 0.5], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('NodePort, externalTrafficPolicy Cluster (nftables): map service-nodeports -> external- chain -> service- chain', () => {
    expectTrace(trace(cluster(TWO, { type: 'NodePort' }), { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16', proxyMode: 'nftables' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            'table ip kube-proxy {',
            '\tmap service-nodeports {',
            '\t\telements = { tcp . 30080 : goto external-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tchain services {',
            '\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
            '\t}',
            '\tchain external-WYZYRSG3-default/backend/tcp/ {',
            '\t\tjump mark-for-masquerade',
            '\t\tgoto service-WYZYRSG3-default/backend/tcp/',
            '\t}',
            '}',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (nftables, table ip kube-proxy): the services chain looks the NodePort up in map service-nodeports and goes to external-WYZYRSG3-default/backend/tcp/, then service-WYZYRSG3-default/backend/tcp/, where "numgen random mod 2" picks one of 2 endpoint chains (each 1/2)',
          [
            'table ip kube-proxy {',
            '\tchain service-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip daddr 10.96.0.20 ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
            '\t\tnumgen random mod 2 vmap { 0 : goto endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 , 1 : goto endpoint-CXRLK6YI-default/backend/tcp/__10.244.2.8/8080 }',
            '\t}',
            '}',
          ],
        ],
        [
          'dnat',
          'the chosen endpoint chain rewrites the destination <node address>:30080 to the endpoint ("dnat to"); the ClusterIP never appears in the packet',
          [
            'table ip kube-proxy {',
            '\tchain endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 {',
            '\t\tip saddr 10.244.1.5 jump mark-for-masquerade',
            '\t\tmeta l4proto tcp dnat to 10.244.1.5:8080',
            '\t}',
            '\tchain endpoint-CXRLK6YI-default/backend/tcp/__10.244.2.8/8080 {',
            '\t\tip saddr 10.244.2.8 jump mark-for-masquerade',
            '\t\tmeta l4proto tcp dnat to 10.244.2.8:8080',
            '\t}',
            '}',
          ],
        ],
        [
          'route',
          'externalTrafficPolicy Cluster: external-WYZYRSG3-default/backend/tcp/ jumped to mark-for-masquerade and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)',
          [
            'table ip kube-proxy {',
            '\tchain masquerading {',
            '\t\tmark and 0x4000 == 0 return',
            '\t\tmark set mark xor 0x4000',
            '\t\tmasquerade fully-random',
            '\t}',
            '}',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, null], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('NodePort, externalTrafficPolicy Cluster (IPVS): a virtual server on every node address; KUBE-NODE-PORT marks it', () => {
    expectTrace(trace(cluster(TWO, { type: 'NodePort' }), { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16', proxyMode: 'ipvs' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        ['nodeport', 'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend', []],
        [
          'kube-proxy',
          'kube-proxy (IPVS): virtual server 192.168.1.10:30080, 192.168.1.11:30080 with 2 real server(s), scheduler rr (round robin: each gets 1/2 in turn)',
          [
            'TCP  192.168.1.10:30080 rr',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
            '  -> 10.244.2.8:8080              Masq    1      0          0',
            'TCP  192.168.1.11:30080 rr',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
            '  -> 10.244.2.8:8080              Masq    1      0          0',
          ],
        ],
        ['dnat', 'IPVS (masquerade mode) rewrites the destination to the chosen real server', []],
        ['route', 'externalTrafficPolicy Cluster: KUBE-NODE-PORT marked the connection (its port is in ipset KUBE-NODE-PORT-TCP) and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)', []],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, null], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('LoadBalancer, externalTrafficPolicy Local, the node not known: KUBE-EXT -> KUBE-SVL, no SNAT, shares unknown', () => {
    expectTrace(trace(cluster(TWO, { type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerIPs: ['52.1.2.3'] }), { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        [
          'loadbalancer',
          'the client connects to the load balancer 52.1.2.3:80; it hands the connection to a node, either on NodePort 30080 or with the LB address kept (kube-proxy catches both); with externalTrafficPolicy Local its health checks (healthCheckNodePort) send only to nodes that have a ready local endpoint',
          [
            '-A KUBE-SERVICES -d 52.1.2.3/32 -p tcp -m comment --comment "default/backend loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -s 10.244.0.0/16 -m comment --comment "pod traffic for default/backend external destinations" -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "route LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVL-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVL-NU7AD2CJVNXKF2GF, which picks one of 2 endpoints at random (rule probabilities 0.50000, the last unconditionally: each gets 1/2); externalTrafficPolicy Local: each node sends only to its own endpoints; the load balancer\'s health checks keep nodes without one out',
          [
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-EC6FXDQYP7OGCQUT',
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.8:8080" -j KUBE-SEP-PIL37XSRXSRMZSXI',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination 52.1.2.3:80 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -s 10.244.2.8/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.2.8:8080',
          ],
        ],
        ['route', 'externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection', []],
      ],
      endpoints: [['10.244.1.5', 8080, null, 0.5], ['10.244.2.8', 8080, null, null]],
    });
  });
  it('LoadBalancer (IPVS): the LB address is a virtual server; KUBE-LOAD-BALANCER marks it', () => {
    expectTrace(trace(cluster(TWO, { type: 'LoadBalancer', loadBalancerIPs: ['52.1.2.3'] }), { from: external, to: toSvc, proxyMode: 'ipvs' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        ['loadbalancer', 'the client connects to the load balancer 52.1.2.3:80; it hands the connection to a node, either on NodePort 30080 or with the LB address kept (kube-proxy catches both)', []],
        [
          'kube-proxy',
          'kube-proxy (IPVS): virtual server 52.1.2.3:80 with 2 real server(s), scheduler rr (round robin: each gets 1/2 in turn)',
          [
            'TCP  52.1.2.3:80 rr',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
            '  -> 10.244.2.8:8080              Masq    1      0          0',
          ],
        ],
        ['dnat', 'IPVS (masquerade mode) rewrites the destination to the chosen real server', []],
        ['route', 'externalTrafficPolicy Cluster: KUBE-LOAD-BALANCER marked the connection (its address is in ipset KUBE-LOAD-BALANCER) and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)', []],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, null], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('NodePort, externalTrafficPolicy Local, reaching node-2: only its own endpoint', () => {
    const m = cluster([...TWO, ['10.244.2.9', 'node-2']], { type: 'NodePort', externalTrafficPolicy: 'Local' });
    expectTrace(trace(m, { from: { ...external, viaNode: 'node-2' }, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
            '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/backend" -m tcp --dport 30080 -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -s 10.244.0.0/16 -m comment --comment "pod traffic for default/backend external destinations" -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "route LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVL-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVL-NU7AD2CJVNXKF2GF, which picks one of 2 endpoints at random (rule probabilities 0.50000, the last unconditionally: each gets 1/2); externalTrafficPolicy Local: only endpoints on node-2 (192.168.1.11) are used',
          [
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.8:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-PIL37XSRXSRMZSXI',
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.9:8080" -j KUBE-SEP-2PHNMRCYHLIDVRX4',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination <node address>:30080 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -s 10.244.2.8/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.2.8:8080',
            '-A KUBE-SEP-2PHNMRCYHLIDVRX4 -s 10.244.2.9/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-2PHNMRCYHLIDVRX4 -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.2.9:8080',
          ],
        ],
        ['route', 'externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection', []],
      ],
      endpoints: [['10.244.2.8', 8080, 0.5, 0.5], ['10.244.2.9', 8080, 0.5, null]],
    });
  });
  it('NodePort, externalTrafficPolicy Local, reaching node-1 (nftables): external- chain short-circuits Pods and the node, then local-', () => {
    expectTrace(trace(cluster(TWO, { type: 'NodePort', externalTrafficPolicy: 'Local' }), { from: { ...external, viaNode: 'node-1' }, to: toSvc, clusterCIDR: '10.244.0.0/16', proxyMode: 'nftables' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            'table ip kube-proxy {',
            '\tmap service-nodeports {',
            '\t\telements = { tcp . 30080 : goto external-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tchain services {',
            '\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
            '\t}',
            '\tchain external-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip saddr 10.244.0.0/16 goto service-WYZYRSG3-default/backend/tcp/ comment "short-circuit pod traffic"',
            '\t\tfib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
            '\t\tfib saddr type local goto service-WYZYRSG3-default/backend/tcp/ comment "short-circuit local traffic"',
            '\t\tgoto local-WYZYRSG3-default/backend/tcp/',
            '\t}',
            '}',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (nftables, table ip kube-proxy): the services chain looks the NodePort up in map service-nodeports and goes to external-WYZYRSG3-default/backend/tcp/, then local-WYZYRSG3-default/backend/tcp/, where "numgen random mod 1" sends it to its only endpoint; externalTrafficPolicy Local: only endpoints on node-1 (192.168.1.10) are used',
          [
            'table ip kube-proxy {',
            '\tchain local-WYZYRSG3-default/backend/tcp/ {',
            '\t\tnumgen random mod 1 vmap { 0 : goto endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 }',
            '\t}',
            '}',
          ],
        ],
        [
          'dnat',
          'the chosen endpoint chain rewrites the destination <node address>:30080 to the endpoint ("dnat to"); the ClusterIP never appears in the packet',
          [
            'table ip kube-proxy {',
            '\tchain endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 {',
            '\t\tip saddr 10.244.1.5 jump mark-for-masquerade',
            '\t\tmeta l4proto tcp dnat to 10.244.1.5:8080',
            '\t}',
            '}',
          ],
        ],
        ['route', 'externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection', []],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('NodePort, externalTrafficPolicy Local, reaching a node without an endpoint: dropped there', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { type: 'NodePort', externalTrafficPolicy: 'Local' });
    expectTrace(trace(m, { from: { ...external, viaNode: 'node-2' }, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'dropped',
      reason: 'externalTrafficPolicy: Local and node-2 (192.168.1.11) has no ready endpoint of default/backend',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
            '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/backend" -m tcp --dport 30080 -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -s 10.244.0.0/16 -m comment --comment "pod traffic for default/backend external destinations" -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "route LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'externalTrafficPolicy Local and no ready endpoint of default/backend on node-2 (192.168.1.11): the node drops the connection',
          [
            '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/backend has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP',
          ],
        ],
      ],
      endpoints: [],
    });
  });
  it('NodePort, externalTrafficPolicy Local, the node not known: delivered only on a node with an endpoint (which ones, said)', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { type: 'NodePort', externalTrafficPolicy: 'Local' });
    expectTrace(trace(m, { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'unresolved',
      reason: 'externalTrafficPolicy Local: delivered only if the node the client reaches runs an endpoint of default/backend (nodes with one: node-1; without: node-2).',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
            '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/backend" -m tcp --dport 30080 -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -s 10.244.0.0/16 -m comment --comment "pod traffic for default/backend external destinations" -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "route LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVL-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVL-NU7AD2CJVNXKF2GF, which sends it to its only endpoint (one unconditional rule); externalTrafficPolicy Local: only a node running a ready endpoint of default/backend answers; the others drop the connection (nodes with one: node-1; without: node-2)',
          [
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -j KUBE-SEP-EC6FXDQYP7OGCQUT',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination <node address>:30080 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
          ],
        ],
        ['route', 'externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection', []],
      ],
      endpoints: [['10.244.1.5', 8080, null, null]],
    });
  });
  it('NodePort, externalTrafficPolicy Local, an endpoint on every node', () => {
    expectTrace(trace(cluster(TWO, { type: 'NodePort', externalTrafficPolicy: 'Local' }), { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
            '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/backend" -m tcp --dport 30080 -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -s 10.244.0.0/16 -m comment --comment "pod traffic for default/backend external destinations" -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "route LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVL-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVL-NU7AD2CJVNXKF2GF, which picks one of 2 endpoints at random (rule probabilities 0.50000, the last unconditionally: each gets 1/2); externalTrafficPolicy Local: every node has a local endpoint',
          [
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-EC6FXDQYP7OGCQUT',
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.8:8080" -j KUBE-SEP-PIL37XSRXSRMZSXI',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination <node address>:30080 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -s 10.244.2.8/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.2.8:8080',
          ],
        ],
        ['route', 'externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection', []],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, 0.5], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('an external IP: KUBE-SERVICES catches it and jumps to KUBE-EXT', () => {
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], { externalIPs: ['192.168.99.22'] }), { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        [
          'vip',
          'the client connects to external IP 192.168.99.22:80; the network must route 192.168.99.22 to a node (Kubernetes does not announce externalIPs), where kube-proxy catches it',
          [
            '-A KUBE-SERVICES -d 192.168.99.22/32 -p tcp -m comment --comment "default/backend external IP" -m tcp --dport 80 -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade traffic for default/backend external destinations" -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVC-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVC-NU7AD2CJVNXKF2GF, which sends it to its only endpoint (one unconditional rule)',
          [
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -j KUBE-SEP-EC6FXDQYP7OGCQUT',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination 192.168.99.22:80 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
          ],
        ],
        [
          'route',
          'externalTrafficPolicy Cluster: KUBE-EXT marked the connection and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)',
          [
            '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('an external IP (IPVS): KUBE-SERVICES marks it through ipset KUBE-EXTERNAL-IP', () => {
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], { externalIPs: ['192.168.99.22'] }), { from: external, to: toSvc, proxyMode: 'ipvs' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        ['vip', 'the client connects to external IP 192.168.99.22:80; the network must route 192.168.99.22 to a node (Kubernetes does not announce externalIPs), where kube-proxy catches it', []],
        [
          'kube-proxy',
          'kube-proxy (IPVS): virtual server 192.168.99.22:80 with 1 real server(s), scheduler rr (round robin: each gets 1/1 in turn)',
          [
            'TCP  192.168.99.22:80 rr',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
          ],
        ],
        ['dnat', 'IPVS (masquerade mode) rewrites the destination to the chosen real server', []],
        ['route', 'externalTrafficPolicy Cluster: KUBE-SERVICES marked the connection (its address is in ipset KUBE-EXTERNAL-IP) and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)', []],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('a ClusterIP Service from outside: no way in', () => {
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']]), { from: external, to: toSvc }), {
      verdict: 'dropped',
      reason: 'default/backend is type ClusterIP without externalIPs: reachable only from inside the cluster (no NodePort, load balancer or external IP)',
      hops: [
      ],
      endpoints: [],
    });
  });
  it('loadBalancerSourceRanges without the client: KUBE-FW, KUBE-PROXY-FIREWALL, dropped', () => {
    const lb = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['198.51.100.0/24'] };
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], lb), { from: external, to: toSvc }), {
      verdict: 'dropped',
      reason: '203.0.113.9 is not in default/backend\'s loadBalancerSourceRanges (198.51.100.0/24)',
      hops: [
        [
          'loadbalancer',
          'the client connects to the load balancer 52.1.2.3:80; it hands the connection to a node, either on NodePort 30080 or with the LB address kept (kube-proxy catches both)',
          [
            '-A KUBE-SERVICES -d 52.1.2.3/32 -p tcp -m comment --comment "default/backend loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-NU7AD2CJVNXKF2GF',
            '-A KUBE-FW-NU7AD2CJVNXKF2GF -s 198.51.100.0/24 -m comment --comment "default/backend loadbalancer IP" -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-FW-NU7AD2CJVNXKF2GF -m comment --comment "other traffic to default/backend will be dropped by KUBE-PROXY-FIREWALL"',
            '-A KUBE-PROXY-FIREWALL -d 52.1.2.3/32 -p tcp -m comment --comment "default/backend traffic not accepted by KUBE-FW-NU7AD2CJVNXKF2GF" -m tcp --dport 80 -j DROP',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade traffic for default/backend external destinations" -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVC-NU7AD2CJVNXKF2GF',
          ],
        ],
        ['kube-proxy', 'loadBalancerSourceRanges (198.51.100.0/24) do not include 203.0.113.9: the node drops the connection (firewall)', []],
      ],
      endpoints: [],
    });
  });
  it('loadBalancerSourceRanges and a client address not given (nftables): firewall-ips and the condition', () => {
    const lb = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['198.51.100.0/24'] };
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], lb), { from: { kind: 'external' }, to: toSvc, proxyMode: 'nftables' }), {
      verdict: 'unresolved',
      reason: 'only clients in loadBalancerSourceRanges (198.51.100.0/24) get through the load balancer IP; the client\'s address is not given.',
      hops: [
        [
          'loadbalancer',
          'the client connects to the load balancer 52.1.2.3:80; it hands the connection to a node, either on NodePort 30080 or with the LB address kept (kube-proxy catches both)',
          [
            'table ip kube-proxy {',
            '\tmap firewall-ips {',
            '\t\telements = { 52.1.2.3 . tcp . 80 : goto firewall-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tmap service-ips {',
            '\t\telements = { 52.1.2.3 . tcp . 80 : goto external-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tchain firewall-check {',
            '\t\tip daddr . meta l4proto . th dport vmap @firewall-ips',
            '\t}',
            '\tchain firewall-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip saddr != { 198.51.100.0/24 } drop',
            '\t}',
            '\tchain services {',
            '\t\tip daddr . meta l4proto . th dport vmap @service-ips',
            '\t}',
            '\tchain external-WYZYRSG3-default/backend/tcp/ {',
            '\t\tjump mark-for-masquerade',
            '\t\tgoto service-WYZYRSG3-default/backend/tcp/',
            '\t}',
            '}',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (nftables, table ip kube-proxy): the services chain looks the destination up in map service-ips and goes to external-WYZYRSG3-default/backend/tcp/, then service-WYZYRSG3-default/backend/tcp/, where "numgen random mod 1" sends it to its only endpoint',
          [
            'table ip kube-proxy {',
            '\tchain service-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip daddr 10.96.0.20 ip saddr != <cluster CIDR> jump mark-for-masquerade',
            '\t\tnumgen random mod 1 vmap { 0 : goto endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 }',
            '\t}',
            '}',
          ],
        ],
        [
          'dnat',
          'the chosen endpoint chain rewrites the destination 52.1.2.3:80 to the endpoint ("dnat to"); the ClusterIP never appears in the packet',
          [
            'table ip kube-proxy {',
            '\tchain endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 {',
            '\t\tip saddr 10.244.1.5 jump mark-for-masquerade',
            '\t\tmeta l4proto tcp dnat to 10.244.1.5:8080',
            '\t}',
            '}',
          ],
        ],
        [
          'route',
          'externalTrafficPolicy Cluster: external-WYZYRSG3-default/backend/tcp/ jumped to mark-for-masquerade and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)',
          [
            'table ip kube-proxy {',
            '\tchain masquerading {',
            '\t\tmark and 0x4000 == 0 return',
            '\t\tmark set mark xor 0x4000',
            '\t\tmasquerade fully-random',
            '\t}',
            '}',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('a LoadBalancer without an address yet: the cloud assigns it', () => {
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], { type: 'LoadBalancer' }), { from: external, to: toSvc }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        [
          'loadbalancer',
          'the client connects to the load balancer <load-balancer address>:80 (assigned by the cloud provider once the Service exists); it hands the connection to a node, either on NodePort 30080 or with the LB address kept (kube-proxy catches both)',
          [
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade traffic for default/backend external destinations" -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVC-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVC-NU7AD2CJVNXKF2GF, which sends it to its only endpoint (one unconditional rule)',
          [
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s "<cluster CIDR>" -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -j KUBE-SEP-EC6FXDQYP7OGCQUT',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination <load-balancer address>:80 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
          ],
        ],
        [
          'route',
          'externalTrafficPolicy Cluster: KUBE-EXT marked the connection and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)',
          [
            '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('NodePort without endpoints (nftables): no-endpoint-nodeports and the reject chain', () => {
    expectTrace(trace(cluster([], { type: 'NodePort' }), { from: external, to: toSvc, proxyMode: 'nftables' }), {
      verdict: 'no-endpoints',
      reason: 'default/backend: no endpoint to send to: its selector matches no Pods',
      hops: [
        ['nodeport', 'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend', []],
        [
          'kube-proxy',
          'kube-proxy (nftables): default/backend has no ready endpoint for port 80: the connection is rejected (ICMP port unreachable)',
          [
            'table ip kube-proxy {',
            '\tmap no-endpoint-nodeports {',
            '\t\telements = { tcp . 30080 comment "default/backend" : goto reject-chain }',
            '\t}',
            '\tchain nodeport-endpoints-check {',
            '\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports',
            '\t}',
            '\tchain reject-chain {',
            '\t\treject',
            '\t}',
            '}',
          ],
        ],
      ],
      endpoints: [],
    });
  });
});

describe('trace: kube-proxy hops from inside the cluster', () => {
  it('internalTrafficPolicy Local and no endpoint on the client node: KUBE-SERVICES drops it', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { internalTrafficPolicy: 'Local' }, { ip: '10.244.2.3', node: 'node-2' });
    expectTrace(trace(m, { from: fromClient, to: toSvc }), {
      verdict: 'dropped',
      reason: 'internalTrafficPolicy: Local and node-2 (192.168.1.11) has no ready endpoint of default/backend',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.2.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-2 (192.168.1.11) catch it', []],
        [
          'kube-proxy',
          'internalTrafficPolicy Local and no ready endpoint of default/backend on node-2 (192.168.1.11): the node drops the connection',
          [
            '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend has no local endpoints" -m tcp --dport 80 -j DROP',
          ],
        ],
      ],
      endpoints: [],
    });
  });
  it('internalTrafficPolicy Local (nftables): the local- chain with the endpoint on the client node', () => {
    expectTrace(trace(cluster(TWO, { internalTrafficPolicy: 'Local' }), { from: fromClient, to: toSvc, proxyMode: 'nftables' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (nftables, table ip kube-proxy): the services chain looks the destination up in map service-ips, then local-WYZYRSG3-default/backend/tcp/, where "numgen random mod 1" sends it to its only endpoint; internalTrafficPolicy Local: only endpoints on node-1 (192.168.1.10) are used; the source is a Pod inside the cluster CIDR: no masquerade',
          [
            'table ip kube-proxy {',
            '\tmap service-ips {',
            '\t\telements = { 10.96.0.20 . tcp . 80 : goto local-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tchain services {',
            '\t\tip daddr . meta l4proto . th dport vmap @service-ips',
            '\t}',
            '\tchain local-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip daddr 10.96.0.20 ip saddr != <cluster CIDR> jump mark-for-masquerade',
            '\t\tnumgen random mod 1 vmap { 0 : goto endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 }',
            '\t}',
            '}',
          ],
        ],
        [
          'dnat',
          'the chosen endpoint chain rewrites the destination 10.96.0.20:80 to the endpoint ("dnat to")',
          [
            'table ip kube-proxy {',
            '\tchain endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 {',
            '\t\tip saddr 10.244.1.5 jump mark-for-masquerade',
            '\t\tmeta l4proto tcp dnat to 10.244.1.5:8080',
            '\t}',
            '}',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('sessionAffinity ClientIP (iptables): a recent check per endpoint first, recent --set in each KUBE-SEP', () => {
    expectTrace(trace(cluster(TWO, { sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 600 }), { from: fromClient, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-SERVICES matches it and jumps to KUBE-SVC-NU7AD2CJVNXKF2GF, which picks one of 2 endpoints at random (rule probabilities 0.50000, the last unconditionally: each gets 1/2); the source is a Pod inside the cluster CIDR 10.244.0.0/16: no masquerade; sessionAffinity ClientIP: a client seen within 600s goes back to the same endpoint, new clients are spread as below',
          [
            '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -m recent --rcheck --seconds 600 --reap --name KUBE-SEP-EC6FXDQYP7OGCQUT --mask 255.255.255.255 --rsource -j KUBE-SEP-EC6FXDQYP7OGCQUT',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.8:8080" -m recent --rcheck --seconds 600 --reap --name KUBE-SEP-PIL37XSRXSRMZSXI --mask 255.255.255.255 --rsource -j KUBE-SEP-PIL37XSRXSRMZSXI',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-EC6FXDQYP7OGCQUT',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.8:8080" -j KUBE-SEP-PIL37XSRXSRMZSXI',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination 10.96.0.20:80 to the endpoint (DNAT)',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m recent --set --name KUBE-SEP-EC6FXDQYP7OGCQUT --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.1.5:8080',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -s 10.244.2.8/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -p tcp -m comment --comment "default/backend" -m recent --set --name KUBE-SEP-PIL37XSRXSRMZSXI --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.2.8:8080',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, 0.5], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('sessionAffinity ClientIP (nftables): affinity sets looked up before numgen, updated in the endpoint chains', () => {
    expectTrace(trace(cluster(TWO, { sessionAffinity: 'ClientIP' }), { from: fromClient, to: toSvc, clusterCIDR: '10.244.0.0/16', proxyMode: 'nftables' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (nftables, table ip kube-proxy): the services chain looks the destination up in map service-ips, then service-WYZYRSG3-default/backend/tcp/, where "numgen random mod 2" picks one of 2 endpoint chains (each 1/2); the source is a Pod inside the cluster CIDR 10.244.0.0/16: no masquerade; sessionAffinity ClientIP: a client seen within 10800s goes back to the same endpoint, new clients are spread as below',
          [
            'table ip kube-proxy {',
            '\tmap service-ips {',
            '\t\telements = { 10.96.0.20 . tcp . 80 : goto service-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tchain services {',
            '\t\tip daddr . meta l4proto . th dport vmap @service-ips',
            '\t}',
            '\tchain service-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip daddr 10.96.0.20 ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
            '\t\tip saddr @affinity-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 goto endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080',
            '\t\tip saddr @affinity-CXRLK6YI-default/backend/tcp/__10.244.2.8/8080 goto endpoint-CXRLK6YI-default/backend/tcp/__10.244.2.8/8080',
            '\t\tnumgen random mod 2 vmap { 0 : goto endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 , 1 : goto endpoint-CXRLK6YI-default/backend/tcp/__10.244.2.8/8080 }',
            '\t}',
            '}',
          ],
        ],
        [
          'dnat',
          'the chosen endpoint chain rewrites the destination 10.96.0.20:80 to the endpoint ("dnat to")',
          [
            'table ip kube-proxy {',
            '\tchain endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 {',
            '\t\tip saddr 10.244.1.5 jump mark-for-masquerade',
            '\t\tupdate @affinity-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 { ip saddr }',
            '\t\tmeta l4proto tcp dnat to 10.244.1.5:8080',
            '\t}',
            '\tchain endpoint-CXRLK6YI-default/backend/tcp/__10.244.2.8/8080 {',
            '\t\tip saddr 10.244.2.8 jump mark-for-masquerade',
            '\t\tupdate @affinity-CXRLK6YI-default/backend/tcp/__10.244.2.8/8080 { ip saddr }',
            '\t\tmeta l4proto tcp dnat to 10.244.2.8:8080',
            '\t}',
            '}',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, null], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('sessionAffinity ClientIP (IPVS): persistence with the default timeout of 3 hours', () => {
    expectTrace(trace(cluster(TWO, { sessionAffinity: 'ClientIP' }), { from: fromClient, to: toSvc, proxyMode: 'ipvs' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080.',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (IPVS): virtual server 10.96.0.20:80 (bound to kube-ipvs0) with 2 real server(s), scheduler rr (round robin: each gets 1/2 in turn); sessionAffinity ClientIP: persistent 10800s',
          [
            'TCP  10.96.0.20:80 rr persistent 10800',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
            '  -> 10.244.2.8:8080              Masq    1      0          0',
          ],
        ],
        ['dnat', 'IPVS (masquerade mode) rewrites the destination to the chosen real server', []],
      ],
      endpoints: [['10.244.1.5', 8080, 0.5, null], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
  it('no endpoints (iptables): KUBE-SERVICES rejects', () => {
    expectTrace(trace(cluster([]), { from: fromClient, to: toSvc }), {
      verdict: 'no-endpoints',
      reason: 'default/backend: no endpoint to send to: its selector matches no Pods',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (iptables): default/backend has no ready endpoint for port 80: the connection is rejected (ICMP port unreachable)',
          [
            '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
          ],
        ],
      ],
      endpoints: [],
    });
  });
  it('no endpoints (IPVS): the virtual server without real servers', () => {
    expectTrace(trace(cluster([]), { from: fromClient, to: toSvc, proxyMode: 'ipvs' }), {
      verdict: 'no-endpoints',
      reason: 'default/backend: no endpoint to send to: its selector matches no Pods',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (ipvs): default/backend has no ready endpoint for port 80: the virtual server has no real server and the connection is refused',
          [
            'TCP  10.96.0.20:80 rr',
          ],
        ],
      ],
      endpoints: [],
    });
  });
  it('from a node: outside the cluster CIDR, marked for masquerade', () => {
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']]), { from: { kind: 'node', name: 'node-2' }, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'unresolved',
      reason: 'the name resolves to default/backend only if the resolver of node node-2 (192.168.1.11) (the node\'s resolv.conf, not in the set) sends it to the cluster DNS.',
      hops: [
        ['vip', 'node node-2 (192.168.1.11) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-2 (192.168.1.11) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-SERVICES matches it and jumps to KUBE-SVC-NU7AD2CJVNXKF2GF, which sends it to its only endpoint (one unconditional rule); the source 192.168.1.11 is outside the cluster CIDR, so the ClusterIP rule marks it for masquerade (SNAT to the node\'s address)',
          [
            '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -j KUBE-SEP-EC6FXDQYP7OGCQUT',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination 10.96.0.20:80 to the endpoint (DNAT)',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('a Pod outside the cluster CIDR: marked for masquerade', () => {
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], {}, { ip: '10.9.1.3' }), { from: fromClient, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        ['vip', 'Pod default/client-1 (10.9.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-SERVICES matches it and jumps to KUBE-SVC-NU7AD2CJVNXKF2GF, which sends it to its only endpoint (one unconditional rule); the source 10.9.1.3 is outside the cluster CIDR 10.244.0.0/16, so it is marked for masquerade',
          [
            '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -j KUBE-SEP-EC6FXDQYP7OGCQUT',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination 10.96.0.20:80 to the endpoint (DNAT)',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
          ],
        ],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('the client is an endpoint itself: the hairpin masquerade of its KUBE-SEP chain', () => {
    expectTrace(trace(cluster([['10.244.1.3', 'node-1'], ['10.244.2.8', 'node-2']]), { from: fromClient, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 2 endpoint(s) on port 8080. Notes: the client is itself an endpoint: when kube-proxy picks the calling Pod, KUBE-SEP masquerades the connection (hairpin) and the Pod sees it from its node.',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-SERVICES matches it and jumps to KUBE-SVC-NU7AD2CJVNXKF2GF, which picks one of 2 endpoints at random (rule probabilities 0.50000, the last unconditionally: each gets 1/2); the source is a Pod inside the cluster CIDR 10.244.0.0/16: no masquerade; if it picks 10.244.1.3 (the caller itself), the endpoint chain\'s "-s 10.244.1.3" rule masquerades it (hairpin)',
          [
            '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.3:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-VZQHFJ35TMNYSQRI',
            '-A KUBE-SVC-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.2.8:8080" -j KUBE-SEP-PIL37XSRXSRMZSXI',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination 10.96.0.20:80 to the endpoint (DNAT)',
          [
            '-A KUBE-SEP-VZQHFJ35TMNYSQRI -s 10.244.1.3/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-VZQHFJ35TMNYSQRI -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.3:8080',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -s 10.244.2.8/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-PIL37XSRXSRMZSXI -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.2.8:8080',
          ],
        ],
      ],
      endpoints: [['10.244.1.3', 8080, 0.5, 0.5], ['10.244.2.8', 8080, 0.5, null]],
    });
  });
});

describe('trace: kube-proxy hops for dual-stack Services and what a node cannot know', () => {
  const dual = { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack', clusterIPs: ['10.96.0.20', 'fd00:96::20'] };
  function dualCluster(clientIp = '10.244.1.3'): NetworkModel {
    const m = cluster([['10.244.1.5', 'node-1']], dual, { ip: clientIp });
    const v6 = endpointSlice('default', 'backend', [{ port: 8080, protocol: 'TCP' }], [{ addresses: ['fd00:244:1::5'], ready: true, serving: true, terminating: false, nodeName: 'node-1' }]);
    v6.addressType = 'IPv6';
    m.endpointSlices.push(v6);
    return m;
  }
  it('an IPv4 client in nftables mode: table ip6 kube-proxy holds the other family', () => {
    const r = trace(dualCluster(), { from: fromClient, to: toSvc, proxyMode: 'nftables' });
    assert.equal(
      r.reason,
      'reaches default/backend port 80 -> 1 endpoint(s) on port 8080. Notes: dual-stack Service: this request uses IPv4 (ClusterIP 10.96.0.20); table ip6 kube-proxy holds the IPv6 ClusterIP fd00:96::20 with the IPv6 endpoints; 1 endpoint(s) of the other IP family are not used for IPv4.',
    );
  });
  it('an IPv6 client in nftables mode: table ip kube-proxy holds the other family', () => {
    const m = dualCluster('fd00:244:1::3');
    assert.match(trace(m, { from: fromClient, to: toSvc, proxyMode: 'nftables' }).reason, /this request uses IPv6 \(ClusterIP fd00:96::20\); table ip kube-proxy holds the IPv4 ClusterIP 10\.96\.0\.20 with the IPv4 endpoints; 1 endpoint\(s\) of the other IP family are not used for IPv6\.$/);
  });
  it('IPVS: the same kube-ipvs0 holds both; an IPv6 client under iptables: iptables holds IPv4', () => {
    assert.match(trace(dualCluster(), { from: fromClient, to: toSvc, proxyMode: 'ipvs' }).reason, /uses IPv4 \(ClusterIP 10\.96\.0\.20\); IPVS holds the IPv6 ClusterIP fd00:96::20 with the IPv6 endpoints/);
    assert.match(trace(dualCluster('fd00:244:1::3'), { from: fromClient, to: toSvc }).reason, /uses IPv6 \(ClusterIP fd00:96::20\); iptables holds the IPv4 ClusterIP 10\.96\.0\.20 with the IPv4 endpoints/);
  });
  it('internalTrafficPolicy Local from manifests: which node the client runs on is not said', () => {
    const yaml = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  internalTrafficPolicy: Local
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
`;
    const m = buildModel([parseManifestFile('set.yaml', yaml, { defaultNamespace: 'shop' })], 'shop');
    const r = trace(m, { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'web' }, to: { kind: 'service', namespace: 'shop', name: 'api' } });
    assert.equal(r.verdict, 'unresolved');
    assert.equal(r.reason.split('. ')[0], 'internalTrafficPolicy Local: delivered only if an endpoint of shop/api runs on the client\'s node, which manifests do not say');
    const kp = r.hops.find((h) => h.kind === 'kube-proxy')!;
    assert.match(kp.detail, /; internalTrafficPolicy Local: only a node running a ready endpoint of shop\/api answers; the others drop the connection;/);
    assert.deepEqual(kp.rules.slice(0, 1), ['-A KUBE-SERVICES -d <ClusterIP>/32 -p tcp -m comment --comment "shop/api cluster IP" -m tcp --dport 80 -j KUBE-SVL-YI7FANR2652WTB3A']);
  });
  it('externalTrafficPolicy Local, the node not known, only terminating endpoints: they stand in, on their nodes', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { type: 'NodePort', externalTrafficPolicy: 'Local' });
    m.endpointSlices[0].endpoints[0] = { ...m.endpointSlices[0].endpoints[0], ready: false, serving: true, terminating: true };
    const r = trace(m, { from: external, to: toSvc, clusterCIDR: '10.244.0.0/16' });
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.terminating]), [['10.244.1.5', true]]);
    assert.match(r.reason, /no endpoint is ready: kube-proxy falls back to the serving, terminating ones/);
  });
  it('a Service whose nodes have no address: the NodePort entry names the nodes', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { type: 'NodePort' });
    m.nodes.forEach((n) => (n.addresses = []));
    const r = trace(m, { from: external, to: toSvc, proxyMode: 'ipvs' });
    assert.equal(r.hops[0].detail, 'the client connects to a node address (node-1, node-2) on NodePort 30080/TCP; every node listens for default/backend');
    assert.deepEqual(r.hops.find((h) => h.kind === 'kube-proxy')!.rules, []);
  });
});

describe('trace: kube-proxy hops, only the address asked about', () => {
  const all = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], externalIPs: ['192.168.99.22'] };
  it('IPVS from a Pod: the ClusterIP virtual server only', () => {
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], all), { from: fromClient, to: toSvc, proxyMode: 'ipvs' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.1.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-1 (192.168.1.10) catch it', []],
        [
          'kube-proxy',
          'kube-proxy (IPVS): virtual server 10.96.0.20:80 (bound to kube-ipvs0) with 1 real server(s), scheduler rr (round robin: each gets 1/1 in turn)',
          [
            'TCP  10.96.0.20:80 rr',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
          ],
        ],
        ['dnat', 'IPVS (masquerade mode) rewrites the destination to the chosen real server', []],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('IPVS through the NodePort: the node addresses only, not the ClusterIP, LB or external IP', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { ...all, type: 'NodePort', loadBalancerIPs: [] });
    expectTrace(trace(m, { from: external, to: toSvc, proxyMode: 'ipvs' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        ['nodeport', 'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend', []],
        [
          'kube-proxy',
          'kube-proxy (IPVS): virtual server 192.168.1.10:30080, 192.168.1.11:30080 with 1 real server(s), scheduler rr (round robin: each gets 1/1 in turn)',
          [
            'TCP  192.168.1.10:30080 rr',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
            'TCP  192.168.1.11:30080 rr',
            '  -> 10.244.1.5:8080              Masq    1      0          0',
          ],
        ],
        ['dnat', 'IPVS (masquerade mode) rewrites the destination to the chosen real server', []],
        ['route', 'externalTrafficPolicy Cluster: KUBE-NODE-PORT marked the connection (its port is in ipset KUBE-NODE-PORT-TCP) and POSTROUTING masquerades it: the source becomes the receiving node\'s address (the second NAT); the Pod never sees the client\'s address, and the endpoint may be on another node (a second hop)', []],
      ],
      endpoints: [['10.244.1.5', 8080, 1, null]],
    });
  });
  it('nftables, internalTrafficPolicy Local and no endpoint on the client node: no-endpoint-services drops it', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { internalTrafficPolicy: 'Local' }, { ip: '10.244.2.3', node: 'node-2' });
    expectTrace(trace(m, { from: fromClient, to: toSvc, proxyMode: 'nftables' }), {
      verdict: 'dropped',
      reason: 'internalTrafficPolicy: Local and node-2 (192.168.1.11) has no ready endpoint of default/backend',
      hops: [
        ['vip', 'Pod default/client-1 (10.244.2.3) connects to 10.96.0.20:80/TCP, the ClusterIP of default/backend: a virtual address no interface holds; kube-proxy\'s rules on node-2 (192.168.1.11) catch it', []],
        [
          'kube-proxy',
          'internalTrafficPolicy Local and no ready endpoint of default/backend on node-2 (192.168.1.11): the node drops the connection',
          [
            'table ip kube-proxy {',
            '\tmap no-endpoint-services {',
            '\t\telements = { 10.96.0.20 . tcp . 80 comment "default/backend" : drop }',
            '\t}',
            '\tchain service-endpoints-check {',
            '\t\tip daddr . meta l4proto . th dport vmap @no-endpoint-services',
            '\t}',
            '}',
          ],
        ],
      ],
      endpoints: [],
    });
  });
  it('nftables, externalTrafficPolicy Local through a node without an endpoint: no-endpoint-nodeports drops it', () => {
    const m = cluster([['10.244.1.5', 'node-1']], { type: 'NodePort', externalTrafficPolicy: 'Local' });
    expectTrace(trace(m, { from: { ...external, viaNode: 'node-2' }, to: toSvc, proxyMode: 'nftables', clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'dropped',
      reason: 'externalTrafficPolicy: Local and node-2 (192.168.1.11) has no ready endpoint of default/backend',
      hops: [
        [
          'nodeport',
          'the client connects to a node address (192.168.1.10, 192.168.1.11) on NodePort 30080/TCP; every node listens for default/backend',
          [
            'table ip kube-proxy {',
            '\tmap service-nodeports {',
            '\t\telements = { tcp . 30080 : goto external-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tchain services {',
            '\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
            '\t}',
            '\tchain external-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip saddr 10.244.0.0/16 goto service-WYZYRSG3-default/backend/tcp/ comment "short-circuit pod traffic"',
            '\t\tfib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
            '\t\tfib saddr type local goto service-WYZYRSG3-default/backend/tcp/ comment "short-circuit local traffic"',
            '\t}',
            '}',
          ],
        ],
        [
          'kube-proxy',
          'externalTrafficPolicy Local and no ready endpoint of default/backend on node-2 (192.168.1.11): the node drops the connection',
          [
            'table ip kube-proxy {',
            '\tmap no-endpoint-nodeports {',
            '\t\telements = { tcp . 30080 comment "default/backend" : drop }',
            '\t}',
            '\tchain nodeport-endpoints-check {',
            '\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports',
            '\t}',
            '}',
          ],
        ],
      ],
      endpoints: [],
    });
  });
  it('nftables, a load balancer whose source ranges admit the client: the firewall chain on the way', () => {
    const lb = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['203.0.113.0/24'], externalTrafficPolicy: 'Local' as const };
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], lb), { from: { ...external, viaNode: 'node-1' }, to: toSvc, proxyMode: 'nftables', clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        [
          'loadbalancer',
          'the client connects to the load balancer 52.1.2.3:80; it hands the connection to a node, either on NodePort 30080 or with the LB address kept (kube-proxy catches both); with externalTrafficPolicy Local its health checks (healthCheckNodePort) send only to nodes that have a ready local endpoint',
          [
            'table ip kube-proxy {',
            '\tmap firewall-ips {',
            '\t\telements = { 52.1.2.3 . tcp . 80 : goto firewall-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tmap service-ips {',
            '\t\telements = { 52.1.2.3 . tcp . 80 : goto external-WYZYRSG3-default/backend/tcp/ }',
            '\t}',
            '\tchain firewall-check {',
            '\t\tip daddr . meta l4proto . th dport vmap @firewall-ips',
            '\t}',
            '\tchain firewall-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip saddr != { 203.0.113.0/24 } drop',
            '\t}',
            '\tchain services {',
            '\t\tip daddr . meta l4proto . th dport vmap @service-ips',
            '\t}',
            '\tchain external-WYZYRSG3-default/backend/tcp/ {',
            '\t\tip saddr 10.244.0.0/16 goto service-WYZYRSG3-default/backend/tcp/ comment "short-circuit pod traffic"',
            '\t\tfib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
            '\t\tfib saddr type local goto service-WYZYRSG3-default/backend/tcp/ comment "short-circuit local traffic"',
            '\t\tgoto local-WYZYRSG3-default/backend/tcp/',
            '\t}',
            '}',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (nftables, table ip kube-proxy): the services chain looks the destination up in map service-ips and goes to external-WYZYRSG3-default/backend/tcp/, then local-WYZYRSG3-default/backend/tcp/, where "numgen random mod 1" sends it to its only endpoint; externalTrafficPolicy Local: only endpoints on node-1 (192.168.1.10) are used',
          [
            'table ip kube-proxy {',
            '\tchain local-WYZYRSG3-default/backend/tcp/ {',
            '\t\tnumgen random mod 1 vmap { 0 : goto endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 }',
            '\t}',
            '}',
          ],
        ],
        [
          'dnat',
          'the chosen endpoint chain rewrites the destination 52.1.2.3:80 to the endpoint ("dnat to"); the ClusterIP never appears in the packet',
          [
            'table ip kube-proxy {',
            '\tchain endpoint-MEJYRQ54-default/backend/tcp/__10.244.1.5/8080 {',
            '\t\tip saddr 10.244.1.5 jump mark-for-masquerade',
            '\t\tmeta l4proto tcp dnat to 10.244.1.5:8080',
            '\t}',
            '}',
          ],
        ],
        ['route', 'externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection', []],
      ],
      endpoints: [['10.244.1.5', 8080, null, null]],
    });
  });
  it('iptables, the same: KUBE-FW admits the range, KUBE-PROXY-FIREWALL drops the rest', () => {
    const lb = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['203.0.113.0/24'], externalTrafficPolicy: 'Local' as const };
    expectTrace(trace(cluster([['10.244.1.5', 'node-1']], lb), { from: { ...external, viaNode: 'node-1' }, to: toSvc, clusterCIDR: '10.244.0.0/16' }), {
      verdict: 'delivered',
      reason: 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        [
          'loadbalancer',
          'the client connects to the load balancer 52.1.2.3:80; it hands the connection to a node, either on NodePort 30080 or with the LB address kept (kube-proxy catches both); with externalTrafficPolicy Local its health checks (healthCheckNodePort) send only to nodes that have a ready local endpoint',
          [
            '-A KUBE-SERVICES -d 52.1.2.3/32 -p tcp -m comment --comment "default/backend loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-NU7AD2CJVNXKF2GF',
            '-A KUBE-FW-NU7AD2CJVNXKF2GF -s 203.0.113.0/24 -m comment --comment "default/backend loadbalancer IP" -j KUBE-EXT-NU7AD2CJVNXKF2GF',
            '-A KUBE-FW-NU7AD2CJVNXKF2GF -m comment --comment "other traffic to default/backend will be dropped by KUBE-PROXY-FIREWALL"',
            '-A KUBE-PROXY-FIREWALL -d 52.1.2.3/32 -p tcp -m comment --comment "default/backend traffic not accepted by KUBE-FW-NU7AD2CJVNXKF2GF" -m tcp --dport 80 -j DROP',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -s 10.244.0.0/16 -m comment --comment "pod traffic for default/backend external destinations" -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "masquerade LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -m comment --comment "route LOCAL traffic for default/backend external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-NU7AD2CJVNXKF2GF',
            '-A KUBE-EXT-NU7AD2CJVNXKF2GF -j KUBE-SVL-NU7AD2CJVNXKF2GF',
          ],
        ],
        [
          'kube-proxy',
          'kube-proxy (iptables): KUBE-EXT jumps to KUBE-SVL-NU7AD2CJVNXKF2GF, which sends it to its only endpoint (one unconditional rule); externalTrafficPolicy Local: only endpoints on node-1 (192.168.1.10) are used',
          [
            '-A KUBE-SVL-NU7AD2CJVNXKF2GF -m comment --comment "default/backend -> 10.244.1.5:8080" -j KUBE-SEP-EC6FXDQYP7OGCQUT',
          ],
        ],
        [
          'dnat',
          'the chosen KUBE-SEP chain rewrites the destination 52.1.2.3:80 to the endpoint (DNAT); the ClusterIP never appears in the packet',
          [
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -s 10.244.1.5/32 -m comment --comment "default/backend" -j KUBE-MARK-MASQ',
            '-A KUBE-SEP-EC6FXDQYP7OGCQUT -p tcp -m comment --comment "default/backend" -m tcp -j DNAT --to-destination 10.244.1.5:8080',
          ],
        ],
        ['route', 'externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection', []],
      ],
      endpoints: [['10.244.1.5', 8080, null, null]],
    });
  });
});

describe('trace: kube-proxy hops name their objects (what the inspector lights)', () => {
  it('the entry, dispatch and SNAT hops name the Service; the dispatch and DNAT its endpoints', () => {
    for (const proxyMode of ['iptables', 'nftables', 'ipvs'] as const) {
      const m = cluster(TWO, { type: 'NodePort' });
      const svcId = m.services[0].id;
      const r = trace(m, { from: external, to: toSvc, proxyMode });
      const ids = (kind: string) => r.hops.filter((h) => h.kind === kind).map((h) => h.objectIds ?? []);
      const endpointIds = [...new Set(r.endpoints.flatMap((e) => e.objectIds))];
      assert.ok(endpointIds.length > 0, proxyMode);
      assert.deepEqual(ids('nodeport'), [[svcId]], proxyMode);
      assert.deepEqual(ids('kube-proxy'), [[svcId, ...endpointIds]], proxyMode);
      assert.deepEqual(ids('dnat'), [endpointIds], proxyMode);
      assert.deepEqual(r.hops.filter((h) => h.detail.startsWith('externalTrafficPolicy Cluster')).map((h) => h.objectIds), [[svcId]], proxyMode);
    }
  });
  it('the ClusterIP, an external IP, a load balancer, a drop', () => {
    const lb = cluster([['10.244.1.5', 'node-1']], { type: 'LoadBalancer', loadBalancerIPs: ['52.1.2.3'], externalTrafficPolicy: 'Local' });
    const svcId = lb.services[0].id;
    assert.deepEqual(trace(lb, { from: external, to: toSvc }).hops.filter((h) => h.kind === 'loadbalancer' || h.detail.startsWith('externalTrafficPolicy Local')).map((h) => h.objectIds), [[svcId], [svcId]]);
    assert.deepEqual(trace(lb, { from: fromClient, to: toSvc }).hops.find((h) => h.kind === 'vip')!.objectIds, [svcId]);
    const xip = cluster([['10.244.1.5', 'node-1']], { externalIPs: ['192.168.99.22'] });
    assert.deepEqual(trace(xip, { from: external, to: toSvc }).hops[0].objectIds, [xip.services[0].id]);
    const none = cluster([]);
    assert.deepEqual(trace(none, { from: fromClient, to: toSvc }).hops.find((h) => h.kind === 'kube-proxy')!.objectIds, [none.services[0].id]);
    const local = cluster([['10.244.1.5', 'node-1']], { internalTrafficPolicy: 'Local' }, { ip: '10.244.2.3', node: 'node-2' });
    assert.deepEqual(trace(local, { from: fromClient, to: toSvc }).hops.find((h) => h.kind === 'kube-proxy')!.objectIds, [local.services[0].id]);
    const ranges = cluster([['10.244.1.5', 'node-1']], { type: 'LoadBalancer', loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['198.51.100.0/24'] });
    assert.deepEqual(trace(ranges, { from: external, to: toSvc }).hops.find((h) => h.kind === 'kube-proxy')!.objectIds, [ranges.services[0].id]);
  });
});

describe('trace: kube-proxy hops from manifests and other clients', () => {
  const yaml = (svc: string) => `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
${svc}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{containerPort: 8080, name: http}]}]}
`;
  const manifests = (svc: string) => buildModel([parseManifestFile('set.yaml', yaml(svc), { defaultNamespace: 'shop' })], 'shop');
  const toApi = { kind: 'service', namespace: 'shop', name: 'api' } as const;
  it('a NodePort the API server has not allocated yet, a named targetPort, symbolic endpoints in nftables', () => {
    const m = manifests('  type: NodePort\n  ports: [{port: 80, targetPort: http}]\n');
    const r = trace(m, { from: external, to: toApi, proxyMode: 'nftables' });
    assert.equal(r.hops[0].detail, 'the client connects to a node address (<any node address>) on NodePort <allocated from 30000-32767>/TCP; every node listens for shop/api');
    assert.equal(
      r.hops.find((h) => h.kind === 'dnat')!.detail,
      'the chosen endpoint chain rewrites the destination <node address>:<nodePort> to the endpoint ("dnat to"); targetPort "http" resolved per Pod; the ClusterIP never appears in the packet (endpoint chain names computed from symbolic endpoints: illustrative only)',
    );
  });
  it('symbolic endpoints in iptables: KUBE-SEP names illustrative; a load balancer without its port allocated', () => {
    const m = manifests('  type: LoadBalancer\n  ports: [{port: 80, targetPort: 8080}]\n');
    const r = trace(m, { from: external, to: toApi });
    assert.match(r.hops[0].detail, /^the client connects to the load balancer <load-balancer address>:80 \(assigned by the cloud provider once the Service exists\); it hands the connection to a node, either on NodePort <allocated> or/);
    assert.match(r.hops.find((h) => h.kind === 'dnat')!.detail, / \(KUBE-SEP names computed from symbolic endpoints: illustrative only\)$/);
  });
  it('a hostNetwork Pod as the client: its node address, outside the cluster CIDR, masqueraded', () => {
    const m = cluster([['10.244.2.8', 'node-2']]);
    const agent = workload('mon', 'agent', { app: 'agent' }, { kind: 'DaemonSet', hostNetwork: true });
    agent.pods = [{ ...pod('mon', 'agent-1', '192.168.1.10', 'node-1', { labels: { app: 'agent' } }), hostNetwork: true }];
    m.workloads.push(agent);
    m.namespaces.push(namespace('mon'));
    const r = trace(m, { from: { kind: 'pod', namespace: 'mon', name: 'agent-1' }, to: toSvc, clusterCIDR: '10.244.0.0/16' });
    assert.match(
      r.hops.find((h) => h.kind === 'kube-proxy')!.detail,
      /; the source 192\.168\.1\.10 is outside the cluster CIDR, so the ClusterIP rule marks it for masquerade \(SNAT to the node's address\)$/,
    );
  });
  it("a node whose address is not known: the node's address, said so", () => {
    const m = cluster([['10.244.2.8', 'node-2']]);
    m.nodes[1].addresses = [];
    const r = trace(m, { from: { kind: 'node', name: 'node-2' }, to: toSvc });
    assert.match(r.hops.find((h) => h.kind === 'kube-proxy')!.detail, /; the source \(the node's address\) is outside the cluster CIDR, so the ClusterIP rule marks it for masquerade/);
  });
});

describe('trace: Local traffic policies when the node is not known, and endpoints that are not ready', () => {
  const ep = (ip: string, nodeName: string | undefined, conditions: Partial<EndpointAddress> = {}): EndpointAddress => ({
    addresses: [ip],
    ready: true,
    serving: true,
    terminating: false,
    ...(nodeName ? { nodeName } : {}),
    ...conditions,
  });
  function withEndpoints(endpoints: EndpointAddress[], svc: Partial<Service>, nodes = true): NetworkModel {
    const m = cluster([], svc);
    m.endpointSlices[0].endpoints = endpoints;
    if (!nodes) m.nodes = [];
    return m;
  }
  const kubeProxyDetail = (r: TraceResult) => r.hops.find((h) => h.kind === 'kube-proxy')!.detail;
  const LOCAL_NP = { type: 'NodePort' as const, externalTrafficPolicy: 'Local' as const };
  it('externalTrafficPolicy Local and no nodes in the set: delivered only on a node with an endpoint, no list of nodes', () => {
    const r = trace(withEndpoints([ep('10.244.1.5', 'node-1')], LOCAL_NP, false), { from: external, to: toSvc });
    assert.deepEqual([r.verdict, r.reason], ['unresolved', 'externalTrafficPolicy Local: delivered only if the node the client reaches runs an endpoint of default/backend.']);
    assert.match(kubeProxyDetail(r), /; externalTrafficPolicy Local: only a node running a ready endpoint of default\/backend answers; the others drop the connection$/);
  });
  it('externalTrafficPolicy Local, endpoints without a node name: no node known to have one', () => {
    const r = trace(withEndpoints([ep('10.244.1.5', undefined), ep('10.244.2.8', undefined)], LOCAL_NP), { from: external, to: toSvc });
    assert.equal(r.reason, 'externalTrafficPolicy Local: delivered only if the node the client reaches runs an endpoint of default/backend (nodes with one: none; without: node-1, node-2).');
  });
  it("internalTrafficPolicy Local and a client Pod whose node is not known", () => {
    const m = withEndpoints([ep('10.244.1.5', 'node-1')], { internalTrafficPolicy: 'Local' });
    delete (m.workloads[0].pods[0] as { nodeName?: string }).nodeName;
    const r = trace(m, { from: fromClient, to: toSvc });
    assert.deepEqual([r.verdict, r.reason], ['unresolved', "internalTrafficPolicy Local: delivered only if an endpoint of default/backend runs on the client's node, which is not known."]);
  });
  it('no endpoint ready: the serving, terminating ones stand in; the others are named as not used', () => {
    const r = trace(withEndpoints([ep('10.244.1.5', 'node-1', { ready: false, terminating: true }), ep('10.244.2.8', 'node-2', { ready: false, serving: false, terminating: true })], {}), { from: fromClient, to: toSvc });
    assert.equal(r.reason, 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080. Notes: no endpoint is ready: kube-proxy falls back to the serving, terminating ones; 10.244.2.8 is terminating: not used.');
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.ready, e.terminating]), [['10.244.1.5', false, true]]);
  });
  it('some ready: the terminating and the not-ready ones are not used, and said so', () => {
    const r = trace(
      withEndpoints([ep('10.244.1.5', 'node-1'), ep('10.244.2.8', 'node-2', { ready: false, terminating: true }), ep('10.244.2.9', 'node-2', { ready: false, serving: false })], {}),
      { from: fromClient, to: toSvc },
    );
    assert.equal(r.reason, 'reaches default/backend port 80 -> 1 endpoint(s) on port 8080. Notes: 10.244.2.8 is terminating: not used; 10.244.2.9 is not ready: not used.');
  });
  it('externalTrafficPolicy Local, the node not known, only terminating endpoints: the serving ones stand in on their nodes', () => {
    const r = trace(withEndpoints([ep('10.244.1.5', 'node-1', { ready: false, terminating: true }), ep('10.244.2.8', 'node-2', { ready: false, serving: false, terminating: true })], LOCAL_NP), { from: external, to: toSvc });
    assert.equal(
      r.reason,
      'externalTrafficPolicy Local: delivered only if the node the client reaches runs an endpoint of default/backend (nodes with one: node-1; without: node-2). Notes: no endpoint is ready: kube-proxy falls back to the serving, terminating ones; 10.244.2.8 is terminating: not used.',
    );
    assert.deepEqual(r.endpoints.map((e) => e.target), ['10.244.1.5']);
  });
});

describe('trace: loadBalancerSourceRanges with several ranges', () => {
  it('a client in any one of them gets through', () => {
    const lb = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['198.51.100.0/24', '203.0.113.0/24'] };
    const r = trace(cluster([['10.244.1.5', 'node-1']], lb), { from: external, to: toSvc });
    assert.equal(r.verdict, 'delivered', r.reason);
    const blocked = trace(cluster([['10.244.1.5', 'node-1']], lb), { from: { kind: 'external', ip: '192.0.2.1' }, to: toSvc });
    assert.deepEqual([blocked.verdict, blocked.reason], ['dropped', "192.0.2.1 is not in default/backend's loadBalancerSourceRanges (198.51.100.0/24, 203.0.113.0/24)"]);
  });
});

describe('trace: a refused connection shows the rule that refuses it, not the others of the port', () => {
  const np = { type: 'NodePort' as const, externalIPs: ['192.168.99.22'] };
  it('no endpoints, from a Pod: the ClusterIP REJECT only', () => {
    const r = trace(cluster([], np), { from: fromClient, to: toSvc });
    assert.deepEqual(r.hops.find((h) => h.kind === 'kube-proxy')!.rules, [
      '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/backend has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });
  it('no endpoints, through the NodePort: its REJECT only', () => {
    const r = trace(cluster([], np), { from: external, to: toSvc });
    assert.deepEqual(r.hops.find((h) => h.kind === 'kube-proxy')!.rules, [
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/backend has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });
  it('externalTrafficPolicy Local through a node without an endpoint, behind a firewall: the DROP for that address, not the firewall', () => {
    const lb = { type: 'LoadBalancer' as const, loadBalancerIPs: ['52.1.2.3'], loadBalancerSourceRanges: ['203.0.113.0/24'], externalTrafficPolicy: 'Local' as const };
    const r = trace(cluster([['10.244.1.5', 'node-1']], lb), { from: { ...external, viaNode: 'node-2' }, to: toSvc });
    assert.equal(r.verdict, 'dropped');
    assert.deepEqual(r.hops.find((h) => h.kind === 'kube-proxy')!.rules, [
      '-A KUBE-EXTERNAL-SERVICES -d 52.1.2.3/32 -p tcp -m comment --comment "default/backend has no local endpoints" -m tcp --dport 80 -j DROP',
    ]);
    const entry = r.hops.find((h) => h.kind === 'loadbalancer')!.rules;
    assert.ok(entry.some((l) => l.startsWith('-A KUBE-PROXY-FIREWALL -d 52.1.2.3/32 ')), entry.join('\n'));
  });
});
