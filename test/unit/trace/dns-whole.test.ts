// A name as the destination and the lookup before a Service request,
// compared whole: the DNS hop as `kni trace` prints it (the search path, each
// query and its rcode, the records as dig prints them, who answers by
// dnsPolicy), the lookup's own trip when the cluster DNS is in the set, and
// the rest of the path the answer leads to (kube-proxy's own hops are checked
// against kube-proxy's tests elsewhere).
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { ContainerPort, NetworkModel, PodDnsSettings } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { container, endpointSlice, model, node, pod, service, servicePort, workload } from '../../fixtures/trace/build';

const KUBE_PROXY_HOPS = ['vip', 'nodeport', 'loadbalancer', 'kube-proxy', 'dnat'];
function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}
function whole(r: TraceResult) {
  return {
    verdict: r.verdict,
    reason: r.reason,
    hops: r.hops.filter((h) => !KUBE_PROXY_HOPS.includes(h.kind)).map((h) => `${h.kind}${h.lookup ? ' (lookup)' : ''}: ${h.detail}`),
    dns: r.hops.filter((h) => h.kind === 'dns').map((h) => ({ rules: h.rules, queries: h.dns?.queries.map((q) => `${q.name} ${q.type} ${q.rcode} ${q.answers}`), server: h.dns?.server?.detail })),
  };
}

/**
 * shop's clients (client: ClusterFirst; dflt: dnsPolicy Default; none: dnsPolicy None with the kube-dns ClusterIP as
 * nameserver, ndots 2; host: hostNetwork with ClusterFirst), shop/web (http 8080, grpc 9090), the headless db/pg
 * (StatefulSet pg-0, pg-1 in an EndpointSlice with hostnames), ExternalNames shop/ext (outside) and shop/alias (to
 * web); with `clusterDns`, kube-dns and a CoreDNS Pod.
 */
const udp = (port: number, name?: string): ContainerPort => ({ containerPort: port, protocol: 'UDP', name });
function world(o: { clusterDns?: boolean } = {}): NetworkModel {
  const mk = (name: string, ip: string, dns?: PodDnsSettings, hostNetwork = false) => {
    const w = workload('shop', name, { app: name });
    if (dns) w.dns = dns;
    w.pods = [{ ...pod('shop', `${name}-1`, ip, 'n1', { labels: { app: name } }), hostNetwork, ...(dns ? { dns } : {}) }];
    w.hostNetwork = hostNetwork;
    return w;
  };
  const web = workload('shop', 'web', { app: 'web' }, { containers: [container('web', [[8080, 'http'], [9090, 'grpc']])] });
  web.pods = [pod('shop', 'web-1', '10.244.1.7', 'n1', { labels: { app: 'web' } })];
  const pg = workload('db', 'pg', { app: 'pg' }, { kind: 'StatefulSet', replicas: 2, serviceName: 'pg', containers: [container('pg', [[5432, 'sql']])] });
  pg.pods = [pod('db', 'pg-0', '10.244.2.10', 'n2', { labels: { app: 'pg' } }), pod('db', 'pg-1', '10.244.2.11', 'n2', { labels: { app: 'pg' } })];
  const workloads = [mk('client', '10.244.1.5'), mk('dflt', '10.244.1.6', { policy: 'Default', searches: [] }), mk('none', '10.244.1.8', { policy: 'None', searches: ['shop.svc.cluster.local'], nameservers: ['10.96.0.10'], ndots: 2 }), mk('host', '192.168.1.11', undefined, true), web, pg];
  const services = [
    service('shop', 'web', { app: 'web' }, [servicePort(80, 'http', 'http'), servicePort(9090, 'grpc', 'grpc')], { clusterIP: '10.96.0.30' }),
    service('db', 'pg', { app: 'pg' }, [servicePort(5432, 'sql', 'sql')], { clusterIP: 'None' }),
    service('shop', 'ext', undefined, [servicePort(443)], { type: 'ExternalName', externalName: 'api.example.com' }),
    service('shop', 'alias', undefined, [servicePort(80)], { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }),
  ];
  const slices = [endpointSlice('db', 'pg', [{ name: 'sql', port: 5432, protocol: 'TCP' }], [
    { addresses: ['10.244.2.10'], ready: true, serving: true, terminating: false, hostname: 'pg-0', nodeName: 'n2', targetRef: { kind: 'Pod', name: 'pg-0', namespace: 'db' } as never },
    { addresses: ['10.244.2.11'], ready: true, serving: true, terminating: false, hostname: 'pg-1', nodeName: 'n2', targetRef: { kind: 'Pod', name: 'pg-1', namespace: 'db' } as never },
  ])];
  if (o.clusterDns) {
    const dnsPorts = [servicePort(53, 53, 'dns', { protocol: 'UDP' }), servicePort(53, 53, 'dns-tcp')];
    const coredns = workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { containers: [container('coredns', [udp(53, 'dns'), { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }])] });
    coredns.pods = [pod('kube-system', 'coredns-1', '10.244.2.2', 'n2', { labels: { 'k8s-app': 'kube-dns' } })];
    workloads.push(coredns);
    services.push(service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, dnsPorts, { clusterIP: '10.96.0.10' }));
  }
  return model({ source: 'cluster', nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')], workloads, services, endpointSlices: slices });
}
const from = (name: string) => ({ kind: 'pod' as const, namespace: 'shop', name: `${name}-1` });

describe('trace: names, the lookup and its answer, whole', () => {
  it('a Service name with several ports and none given: its SRV records list them, and the request needs one', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: 'web' } })), {
      verdict: 'unresolved',
      reason: 'Service shop/web has several ports (80 (http), 9090 (grpc)): say which with web:PORT',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30; shop/web has 2 ports (its SRV records: 80/TCP (http), 9090/TCP (grpc)): the request needs one of them',
      ],
      dns: [
        {
          rules: [
            'web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
            'web.shop.svc.cluster.local.	5	IN	SRV	0 50 80 web.shop.svc.cluster.local.',
            'web.shop.svc.cluster.local.	5	IN	SRV	0 50 9090 web.shop.svc.cluster.local.',
          ],
          queries: [
            'web.shop.svc.cluster.local. A NOERROR 1',
            'web.shop.svc.cluster.local. AAAA NOERROR 0',
            'web.shop.svc.cluster.local. SRV NOERROR 2',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('a port by name: found as SRV finds it (_grpc._tcp.web), and the request goes to that port', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: 'web', port: 'grpc' } })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 9090 -> 1 endpoint(s) on port 9090.',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30; the port named "grpc" is found as SRV finds it: _grpc._tcp.web.shop.svc.cluster.local. SRV answers port 9090',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 9090 (grpc)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/client-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:9090 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [
            'web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
            '_grpc._tcp.web.shop.svc.cluster.local.	5	IN	SRV	0 100 9090 web.shop.svc.cluster.local.',
          ],
          queries: [
            'web.shop.svc.cluster.local. A NOERROR 1',
            'web.shop.svc.cluster.local. AAAA NOERROR 0',
            '_grpc._tcp.web.shop.svc.cluster.local. SRV NOERROR 1',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('a port name the Service does not have: its SRV name is NXDOMAIN', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: 'web', port: 'metrics' } })), {
      verdict: 'unresolved',
      reason: 'Service shop/web has no port metrics (ports: 80 (http), 9090 (grpc))',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30; the port named "metrics" is looked up as SRV would: _metrics._tcp.web.shop.svc.cluster.local. is NXDOMAIN: shop/web has no TCP port of that name',
      ],
      dns: [
        {
          rules: [
            'web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
          ],
          queries: [
            'web.shop.svc.cluster.local. A NOERROR 1',
            'web.shop.svc.cluster.local. AAAA NOERROR 0',
            '_metrics._tcp.web.shop.svc.cluster.local. SRV NXDOMAIN 0',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('svc.ns from another search domain: the first domain misses (NXDOMAIN), the second answers; a port in digits is a number', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: 'web.shop', port: '80' } })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "web.shop" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.shop.svc.cluster.local. NXDOMAIN; web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/client-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [
            'web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
          ],
          queries: [
            'web.shop.shop.svc.cluster.local. A NXDOMAIN 0',
            'web.shop.svc.cluster.local. A NOERROR 1',
            'web.shop.shop.svc.cluster.local. AAAA NXDOMAIN 0',
            'web.shop.svc.cluster.local. AAAA NOERROR 0',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('an SRV-style name: its address is the ClusterIP, and its port is the one it names', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: '_grpc._tcp.web' } })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 9090 -> 1 endpoint(s) on port 9090.',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "_grpc._tcp.web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): _grpc._tcp.web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 9090 (grpc)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/client-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:9090 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [
            '_grpc._tcp.web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
          ],
          queries: [
            '_grpc._tcp.web.shop.svc.cluster.local. A NOERROR 1',
            '_grpc._tcp.web.shop.svc.cluster.local. AAAA NOERROR 0',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('an endpoint\'s own name under a headless Service: its address alone, no NAT', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: 'pg-1.pg.db', port: 5432 } })), {
      verdict: 'delivered',
      reason: 'reaches db/pg port 5432 -> 1 endpoint(s) on port 5432.',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "pg-1.pg.db" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): pg-1.pg.db.shop.svc.cluster.local. NXDOMAIN; pg-1.pg.db.svc.cluster.local. answers: the endpoint pg-1 of headless Service db/pg, its own address',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.2.11 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at db/StatefulSet/pg: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.2.11: container pg port 5432 (sql)/TCP',
        'reply: the reply goes from the Pod straight back to Pod shop/client-1 (10.244.1.5); no NAT was done, none to undo',
      ],
      dns: [
        {
          rules: [
            'pg-1.pg.db.svc.cluster.local.	5	IN	A	10.244.2.11',
          ],
          queries: [
            'pg-1.pg.db.shop.svc.cluster.local. A NXDOMAIN 0',
            'pg-1.pg.db.svc.cluster.local. A NOERROR 1',
            'pg-1.pg.db.shop.svc.cluster.local. AAAA NXDOMAIN 0',
            'pg-1.pg.db.svc.cluster.local. AAAA NOERROR 0',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('PTR of an endpoint\'s address: its own name, and the request goes to that endpoint', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: '10.244.2.11' }, dnsType: 'PTR' })), {
      verdict: 'delivered',
      reason: 'reaches db/pg port 5432 -> 1 endpoint(s) on port 5432.',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks PTR "10.244.2.11" (its reverse name): 11.2.244.10.in-addr.arpa. answers: the reverse name of endpoint pg-1 of Service db/pg',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.2.11 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at db/StatefulSet/pg: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.2.11: container pg port 5432 (sql)/TCP',
        'reply: the reply goes from the Pod straight back to Pod shop/client-1 (10.244.1.5); no NAT was done, none to undo',
      ],
      dns: [
        {
          rules: [
            '11.2.244.10.in-addr.arpa.	5	IN	PTR	pg-1.pg.db.svc.cluster.local.',
          ],
          queries: [
            '11.2.244.10.in-addr.arpa. PTR NOERROR 1',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('PTR of a ClusterIP: the Service\'s name', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: '10.96.0.30', port: 80 }, dnsType: 'PTR' })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks PTR "10.96.0.30" (its reverse name): 30.0.96.10.in-addr.arpa. answers: the reverse name of Service shop/web',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/client-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [
            '30.0.96.10.in-addr.arpa.	5	IN	PTR	web.shop.svc.cluster.local.',
          ],
          queries: [
            '30.0.96.10.in-addr.arpa. PTR NOERROR 1',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('a ClusterIP given as the destination: no lookup at all', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: '10.96.0.30', port: 80 } })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/client-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [],
    });
  });
  it('an endpoint\'s address given as the destination: no lookup, that endpoint only', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: '10.244.2.10', port: 5432 } })), {
      verdict: 'delivered',
      reason: 'reaches db/pg port 5432 -> 1 endpoint(s) on port 5432.',
      hops: [
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.2.10 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at db/StatefulSet/pg: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.2.10: container pg port 5432 (sql)/TCP',
        'reply: the reply goes from the Pod straight back to Pod shop/client-1 (10.244.1.5); no NAT was done, none to undo',
      ],
      dns: [],
    });
  });
  it('an address no Service or endpoint has: said so', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: '10.9.9.9', port: 80 } })), {
      verdict: 'unresolved',
      reason: 'no Service of the set has the ClusterIP 10.9.9.9, and no ready endpoint has that address',
      hops: [],
      dns: [],
    });
  });
  it('AAAA of an IPv4-only Service: NODATA there, the search goes on and ends upstream', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'name', name: 'web' }, dnsType: 'AAAA' })), {
      verdict: 'unresolved',
      reason: '"web" reads as a Service name of the cluster, but no Service of the set answers it: "web" is not a name of the cluster: web. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set)',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks AAAA "web" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): web.shop.svc.cluster.local. NODATA, web.svc.cluster.local. NXDOMAIN, web.cluster.local. NXDOMAIN; web. is outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set) (after the node\'s own search domains, which the set does not show)',
      ],
      dns: [
        {
          rules: [],
          queries: [
            'web.shop.svc.cluster.local. AAAA NOERROR 0',
            'web.svc.cluster.local. AAAA NXDOMAIN 0',
            'web.cluster.local. AAAA NXDOMAIN 0',
            'web. AAAA upstream 0',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('an ExternalName Service: a CNAME the upstream resolvers answer; the trace ends at DNS', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'service', namespace: 'shop', name: 'ext' } })), {
      verdict: 'unresolved',
      reason: 'shop/ext is an ExternalName Service: DNS answers a CNAME for api.example.com and the connection goes to that host, outside the set; kube-proxy does not proxy it',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "ext" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): ext.shop.svc.cluster.local. answers: ExternalName: a CNAME to api.example.com., which the upstream resolvers answer; no virtual IP and no proxying',
      ],
      dns: [
        {
          rules: [
            'ext.shop.svc.cluster.local.	5	IN	CNAME	api.example.com.',
          ],
          queries: [
            'ext.shop.svc.cluster.local. A NOERROR 1',
            'ext.shop.svc.cluster.local. AAAA NOERROR 1',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('an ExternalName naming a Service of the cluster: CoreDNS follows the CNAME and the request goes to that Service', () => {
    assert.deepEqual(whole(trace(world(), { from: from('client'), to: { kind: 'service', namespace: 'shop', name: 'alias' } })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'dns: Pod shop/client-1 (10.244.1.5) asks "alias" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): alias.shop.svc.cluster.local. answers: ExternalName: a CNAME to web.shop.svc.cluster.local., a name of the cluster, which CoreDNS follows',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/client-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [
            'alias.shop.svc.cluster.local.	5	IN	CNAME	web.shop.svc.cluster.local.',
            'web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
          ],
          queries: [
            'alias.shop.svc.cluster.local. A NOERROR 2',
            'alias.shop.svc.cluster.local. AAAA NOERROR 0',
          ],
          server: 'assumed: the cluster DNS at the nameserver the kubelet writes into the client\'s resolv.conf (its --cluster-dns, the kube-dns Service\'s ClusterIP); the set has no kube-dns Service in kube-system',
        },
      ],
    });
  });
  it('dnsPolicy Default: the node\'s resolver, not CoreDNS; the rest holds only if it forwards cluster names', () => {
    assert.deepEqual(whole(trace(world(), { from: from('dflt'), to: { kind: 'service', namespace: 'shop', name: 'web', port: 80 } })), {
      verdict: 'unresolved',
      reason: 'the name resolves to shop/web only if the resolver of Pod shop/dflt-1 (10.244.1.6) (dnsPolicy Default: the node\'s resolv.conf: it asks the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set)) sends it to the cluster DNS with the cluster\'s search domains.',
      hops: [
        'dns: Pod shop/dflt-1 (10.244.1.6) asks "web" (a resolv.conf the set does not show): web. is outside cluster.local, answered by the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set); CoreDNS is not asked (dnsPolicy Default: the node\'s resolv.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS)',
        'policy: egress at shop/dflt-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/dflt-1 (10.244.1.6) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/dflt-1 (10.244.1.6); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [],
          queries: [
            'web. A upstream 0',
            'web. AAAA upstream 0',
            '_http._tcp.web. SRV upstream 0',
          ],
          server: 'the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set): dnsPolicy Default: the node\'s resolv.conf',
        },
      ],
    });
  });
  it('dnsPolicy None whose nameserver is the kube-dns ClusterIP: CoreDNS answers, with dnsConfig\'s own search list and ndots', () => {
    assert.deepEqual(whole(trace(world({ clusterDns: true }), { from: from('none'), to: { kind: 'service', namespace: 'shop', name: 'web', port: 80 } })), {
      verdict: 'delivered',
      reason: 'reaches shop/web port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/none-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route (lookup): DNS lookup: Pod shop/none-1 (10.244.1.8) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/none-1 (10.244.1.8) asks "web" (search shop.svc.cluster.local and what the note says, ndots:2): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30 (dnsPolicy None: only the Pod\'s dnsConfig); a CoreDNS Pod answers (a name outside the cluster domain after asking its upstream resolvers: kubeadm\'s Corefile has "forward . /etc/resolv.conf"), and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it)',
        'policy: egress at shop/none-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/none-1 (10.244.1.8) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/none-1 (10.244.1.8); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [
            'web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
            '_http._tcp.web.shop.svc.cluster.local.	5	IN	SRV	0 100 80 web.shop.svc.cluster.local.',
          ],
          queries: [
            'web.shop.svc.cluster.local. A NOERROR 1',
            'web.shop.svc.cluster.local. AAAA NOERROR 0',
            '_http._tcp.web. SRV upstream 0',
            '_http._tcp.web.shop.svc.cluster.local. SRV NOERROR 1',
          ],
          server: 'kube-system/kube-dns at 10.96.0.10:53/UDP',
        },
      ],
    });
  });
  it('a hostNetwork Pod with ClusterFirst: the node\'s resolver; no record of the set is shown as its answer', () => {
    assert.deepEqual(whole(trace(world(), { from: from('host'), to: { kind: 'service', namespace: 'db', name: 'pg' } })), {
      verdict: 'unresolved',
      reason: 'the name resolves to db/pg only if the resolver of Pod shop/host-1 (192.168.1.11) (dnsPolicy ClusterFirst on a hostNetwork Pod falls back to Default (the node\'s resolv.conf); ClusterFirstWithHostNet would ask the cluster DNS: it asks the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set)) sends it to the cluster DNS with the cluster\'s search domains.',
      hops: [
        'dns: Pod shop/host-1 (192.168.1.11) asks "pg.db" (a resolv.conf the set does not show): pg.db. is outside cluster.local, answered by the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set); CoreDNS is not asked (a hostNetwork Pod with dnsPolicy ClusterFirst gets the node\'s resolv.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS; ClusterFirstWithHostNet would give it the cluster\'s)',
        'route: Pod shop/host-1 (192.168.1.11) (hostNetwork: from its node\'s own address) -> to 10.244.2.10 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at db/StatefulSet/pg: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 2 endpoints of db/StatefulSet/pg: container pg port 5432 (sql)/TCP',
        'reply: the reply goes from the Pod straight back to Pod shop/host-1 (192.168.1.11); no NAT was done, none to undo',
      ],
      dns: [
        {
          rules: [],
          queries: [
            'pg.db. A upstream 0',
            'pg.db. AAAA upstream 0',
            '_sql._tcp.pg.db. SRV upstream 0',
          ],
          server: 'the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set): dnsPolicy ClusterFirst on a hostNetwork Pod falls back to Default (the node\'s resolv.conf); ClusterFirstWithHostNet would ask the cluster DNS',
        },
      ],
    });
  });
  it('a node: the fully qualified name, answered only if the node resolves through the cluster DNS', () => {
    assert.deepEqual(whole(trace(world(), { from: { kind: 'node', name: 'n2' }, to: { kind: 'service', namespace: 'shop', name: 'web', port: 80 } })), {
      verdict: 'unresolved',
      reason: 'the name resolves to shop/web only if the resolver of node n2 (192.168.1.12) (the node\'s resolv.conf, not in the set) sends it to the cluster DNS.',
      hops: [
        'dns: node n2 (192.168.1.12) asks "web.shop.svc.cluster.local." (no cluster search domains: the name as written): web.shop.svc.cluster.local. answers: the ClusterIP of shop/web, 10.96.0.30 (if the node resolves through the cluster DNS; nodes usually do not)',
        'route: node n2 (192.168.1.12) -> to 10.244.1.7 across nodes: n2 (192.168.1.12) -> n1 (192.168.1.11) (the node owning 10.244.1.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container web port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to node n2 (192.168.1.12); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
      dns: [
        {
          rules: [
            'web.shop.svc.cluster.local.	5	IN	A	10.96.0.30',
            '_http._tcp.web.shop.svc.cluster.local.	5	IN	SRV	0 100 80 web.shop.svc.cluster.local.',
          ],
          queries: [
            'web.shop.svc.cluster.local. A NOERROR 1',
            'web.shop.svc.cluster.local. AAAA NOERROR 0',
            '_http._tcp.web.shop.svc.cluster.local. SRV NOERROR 1',
          ],
          server: 'the node\'s resolver (the nameservers of the node\'s /etc/resolv.conf, not in the set): a node asks its own resolver',
        },
      ],
    });
  });
  it('with the cluster DNS in the set: the lookup\'s own trip to CoreDNS, then the headless answer and each Pod\'s own name', () => {
    assert.deepEqual(whole(trace(world({ clusterDns: true }), { from: from('client'), to: { kind: 'service', namespace: 'db', name: 'pg' } })), {
      verdict: 'delivered',
      reason: 'reaches db/pg port 5432 -> 2 endpoint(s) on port 5432.',
      hops: [
        'policy (lookup): DNS lookup: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route (lookup): DNS lookup: Pod shop/client-1 (10.244.1.5) -> to 10.244.2.2 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy (lookup): DNS lookup: ingress at kube-system/Deployment/coredns: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod (lookup): DNS lookup: delivered to 10.244.2.2: container coredns port 53 (dns)/UDP',
        'dns (lookup): Pod shop/client-1 (10.244.1.5) asks "pg.db" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): pg.db.shop.svc.cluster.local. NXDOMAIN; pg.db.svc.cluster.local. answers: headless Service db/pg (clusterIP: None): one record per ready endpoint (2), no virtual IP; a CoreDNS Pod answers, and the answer comes back from 10.96.0.10:53 (conntrack undoes the DNAT, so the resolver accepts it)',
        'policy: egress at shop/client-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/client-1 (10.244.1.5) -> to 10.244.2.10 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at db/StatefulSet/pg: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 2 endpoints of db/StatefulSet/pg: container pg port 5432 (sql)/TCP',
        'reply: the reply goes from the Pod straight back to Pod shop/client-1 (10.244.1.5); no NAT was done, none to undo',
      ],
      dns: [
        {
          rules: [
            'pg.db.svc.cluster.local.	5	IN	A	10.244.2.10',
            'pg.db.svc.cluster.local.	5	IN	A	10.244.2.11',
            '_sql._tcp.pg.db.svc.cluster.local.	5	IN	SRV	0 50 5432 pg-0.pg.db.svc.cluster.local.',
            '_sql._tcp.pg.db.svc.cluster.local.	5	IN	SRV	0 50 5432 pg-1.pg.db.svc.cluster.local.',
            'pg-0.pg.db.svc.cluster.local.	5	IN	A	10.244.2.10',
            'pg-1.pg.db.svc.cluster.local.	5	IN	A	10.244.2.11',
          ],
          queries: [
            'pg.db.shop.svc.cluster.local. A NXDOMAIN 0',
            'pg.db.svc.cluster.local. A NOERROR 2',
            'pg.db.shop.svc.cluster.local. AAAA NXDOMAIN 0',
            'pg.db.svc.cluster.local. AAAA NOERROR 0',
            '_sql._tcp.pg.db.shop.svc.cluster.local. SRV NXDOMAIN 0',
            '_sql._tcp.pg.db.svc.cluster.local. SRV NOERROR 2',
          ],
          server: 'kube-system/kube-dns at 10.96.0.10:53/UDP',
        },
      ],
    });
  });
  it('an external client cannot resolve a cluster name', () => {
    assert.deepEqual(whole(trace(world(), { from: { kind: 'external' }, to: { kind: 'name', name: 'web.shop', port: 80 } })), {
      verdict: 'unresolved',
      reason: '"web.shop" is a cluster DNS name: only clients inside the cluster resolve it through the cluster DNS (give --from, or trace the Service\'s external address)',
      hops: [],
      dns: [],
    });
  });
});
