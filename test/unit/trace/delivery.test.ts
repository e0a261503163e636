// The end of a Service request, compared whole: the policy verdict at each
// end (egress at the source before the routing leg, ingress at the endpoints
// after it), the route, delivery to the container that declares the port, the
// reply with the NAT it undoes (reverse DNAT for a ClusterIP, both NATs at the
// receiving node for externalTrafficPolicy Cluster, none for a headless
// Service), and the verdict with the share of connections lost when only some
// endpoints accept. Every hop's text is what `kni trace` prints.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { container, endpointSlice, model, node, pod, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}

/** kube-proxy's hops (the virtual IP, its chains, the DNAT) are checked against kube-proxy's own tests elsewhere. */
const KUBE_PROXY_HOPS = ['vip', 'nodeport', 'loadbalancer', 'kube-proxy', 'dnat'];

/** The verdict, the reason and each hop as `kind: detail` (the kinds asked for, else all but kube-proxy's). */
function whole(r: TraceResult, kinds?: string[]) {
  const shown = r.hops.filter((h) => (kinds ? kinds.includes(h.kind) : !KUBE_PROXY_HOPS.includes(h.kind)));
  return { verdict: r.verdict, reason: r.reason, hops: shown.map((h) => `${h.kind}${h.lookup ? ' (lookup)' : ''}: ${h.detail}`) };
}

/**
 * A live cluster: web-1 on n1 calls shop/api (port 80 -> http 8080; port 81 -> 9999, which no container declares),
 * whose selector app=api matches api (api-1 on n1, api-2 on n2; containers api and sidecar) and admin (admin-1 on n2,
 * its containers only in the template); admin network policies as YAML when given.
 */
function shop(policies: ReturnType<typeof policy>[] = [], svcExtra: Parameters<typeof service>[4] = {}, adminYaml = ''): NetworkModel {
  const adminPolicies = adminYaml ? buildModel([parseManifestFile('admin.yaml', adminYaml, { defaultNamespace: 'default' })], 'default').adminNetworkPolicies : [];
  const web = workload('shop', 'web', { app: 'web' });
  web.pods = [pod('shop', 'web-1', '10.244.1.5', 'n1', { labels: { app: 'web' } })];
  const api = workload('shop', 'api', { app: 'api' }, { containers: [container('api', [[8080, 'http']]), container('sidecar', [[9090, 'metrics']])] });
  api.pods = [pod('shop', 'api-1', '10.244.1.7', 'n1', { labels: { app: 'api' } }), pod('shop', 'api-2', '10.244.2.7', 'n2', { labels: { app: 'api' } })];
  const admin = workload('shop', 'admin', { app: 'api', tier: 'admin' }, { ports: [8080] });
  admin.pods = [pod('shop', 'admin-1', '10.244.2.9', 'n2', { labels: { app: 'api', tier: 'admin' }, containers: [] })];
  return model({
    source: 'cluster',
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')],
    workloads: [web, api, admin],
    services: [service('shop', 'api', { app: 'api' }, [servicePort(80, 8080, 'http', { nodePort: 30080 }), servicePort(81, 9999, 'other')], { clusterIP: '10.96.0.30', ...svcExtra })],
    networkPolicies: policies,
    adminNetworkPolicies: adminPolicies,
  });
}
function manifestShop(): NetworkModel {
  return model({
    workloads: [workload('shop', 'api', { app: 'api' }, { ports: [[8080, 'http']], replicas: 2 }), workload('shop', 'web', { app: 'web' })],
    services: [service('shop', 'api', { app: 'api' }, [servicePort(80, 'http')], { clusterIP: '10.96.0.30' })],
  });
}
const fromWeb = { kind: 'pod' as const, namespace: 'shop', name: 'web-1' };
const toApi = { kind: 'service' as const, namespace: 'shop', name: 'api', port: 80 };
const fromOutside = { kind: 'external' as const, ip: '203.0.113.9' };
const webOnlyToAdmin = policy('shop', 'web-out', sel({ app: 'web' }), { policyTypes: ['Egress'], egress: [rule([{ podSelector: sel({ tier: 'admin' }) }], [tcp(8080)]), rule([], [{ protocol: 'UDP', port: 53 }])] });
const apiFromWeb = policy('shop', 'api-in', sel({ app: 'api' }), { ingress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)])] });

const anpDenyAdmin = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard-admin}
spec:
  priority: 5
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {tier: admin}}}}
  ingress:
  - name: no-web
    action: Deny
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}]
`;
const banpDeny = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - name: deny-all
    action: Deny
    from: [{namespaces: {}}]
`;

describe('trace: the end of a Service request, whole', () => {
  it('a ClusterIP from a Pod, all allowed: every hop in order, one delivery line per workload, the reverse DNAT on the way back', () => {
    const r = trace(shop(), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 3 endpoint(s) on port 8080.',
      hops: [
        'dns: Pod shop/web-1 (10.244.1.5) asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'policy: ingress at shop/Deployment/admin: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'pod: delivered to 10.244.2.9: container admin port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('egress allows one workload only: the lookup\'s own check, a denial and an allowance at the source, a route to the one it reaches, "not sent" to the others', () => {
    const r = trace(shop([webOnlyToAdmin]), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'dropped',
      reason: 'only 1 of 3 endpoints can be reached: a new connection is dropped with probability 0.66667: egress at shop/web-1: DENIED: isolated by shop/web-out; no egress rule allows shop/Deployment/api on TCP/8080',
      hops: [
        'dns: Pod shop/web-1 (10.244.1.5) asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: the name lookup first: egress at shop/web-1: allowed by shop/web-out egress[1] (to anywhere, UDP/53) (toward the cluster DNS Pods (kube-system, not in the set), UDP/53)',
        'policy: egress at shop/web-1: DENIED: isolated by shop/web-out; no egress rule allows shop/Deployment/api on TCP/8080',
        'policy: egress at shop/web-1: allowed by shop/web-out egress[0] (to podSelector {tier=admin}, TCP/8080)',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.2.9 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/admin: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: not sent to 2 endpoints of shop/Deployment/api: NetworkPolicy drops it at Pod shop/web-1 (10.244.1.5)\'s egress',
        'pod: delivered to 10.244.2.9: container admin port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('no --from: a Pod of the namespace with unknown labels; ingress depends on them, and the delivery says "if allowed"', () => {
    const r = trace(shop([apiFromWeb]), { to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'unresolved',
      reason: 'NetworkPolicy allows it only if the labels of a Pod in namespace shop (labels unknown) match app=web.',
      hops: [
        'dns: a Pod in namespace shop asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: egress at a Pod in namespace shop (labels unknown): not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: a Pod in namespace shop -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at shop/Deployment/api: depends: allowed only if the labels of a Pod in namespace shop (labels unknown) match app=web',
        'policy: ingress at shop/Deployment/admin: depends: allowed only if the labels of a Pod in namespace shop (labels unknown) match app=web',
        'pod: if allowed, delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'pod: if allowed, delivered to 10.244.2.9: container admin port 8080/TCP',
        'reply: the reply leaves the Pod addressed to a Pod in namespace shop; conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('manifests: symbolic endpoints, the route the set cannot place, the note in the verdict', () => {
    const r = trace(manifestShop(), { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'web' }, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 2 endpoint(s) on port 8080 (endpoints are symbolic: manifests carry no Pod IPs or nodes). Notes: manifests carry no Pod IPs, nodes or readiness: endpoints are symbolic, assumed ready once running.',
      hops: [
        'dns: a Pod of shop/Deployment/web asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: egress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: a Pod of shop/Deployment/web -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to a Pod of shop/Deployment/web; conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('a port no container declares: delivered on it, and said that the process must listen there', () => {
    const r = trace(shop(), { from: fromWeb, to: { ...toApi, port: 81 } });
    assert.deepEqual(whole(r, ['pod']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 81 -> 3 endpoint(s) on port 9999.',
      hops: [
        'pod: delivered to 2 endpoints of shop/Deployment/api on port 9999/TCP: no container declares it (containerPort is informational; the process must listen on it)',
        'pod: delivered to 10.244.2.9 on port 9999/TCP: no container declares it (containerPort is informational; the process must listen on it)',
      ],
    });
  });
  it('one workload of three endpoints denies at ingress: routed to all, "not delivered" there, a third of new connections lost', () => {
    const r = trace(shop([policy('shop', 'admin-in', sel({ tier: 'admin' }), { ingress: [] })]), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r, ['route', 'policy', 'pod', 'reply']), {
      verdict: 'dropped',
      reason: 'only 2 of 3 endpoints accept it: a new connection is dropped with probability 0.33333: ingress at shop/Deployment/admin: DENIED: isolated by shop/admin-in; no ingress rule allows shop/web-1 on TCP/8080',
      hops: [
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'policy: ingress at shop/Deployment/admin: DENIED: isolated by shop/admin-in; no ingress rule allows shop/web-1 on TCP/8080',
        'pod: delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'pod: not delivered to 10.244.2.9: NetworkPolicy drops it first',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.allowed, e.blockedBy]), [['10.244.1.7', 'yes', undefined], ['10.244.2.7', 'yes', undefined], ['10.244.2.9', 'no', 'NetworkPolicy']]);
  });
  it('every endpoint denies at ingress: dropped, each denial once in the reason, no reply', () => {
    const r = trace(shop([policy('shop', 'deny', sel({}), { ingress: [] })]), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r, ['route', 'policy', 'pod', 'reply']), {
      verdict: 'dropped',
      reason: 'NetworkPolicy drops it: ingress at shop/Deployment/api: DENIED: isolated by shop/deny; no ingress rule allows shop/web-1 on TCP/8080; ingress at shop/Deployment/admin: DENIED: isolated by shop/deny; no ingress rule allows shop/web-1 on TCP/8080',
      hops: [
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: DENIED: isolated by shop/deny; no ingress rule allows shop/web-1 on TCP/8080',
        'policy: ingress at shop/Deployment/admin: DENIED: isolated by shop/deny; no ingress rule allows shop/web-1 on TCP/8080',
        'pod: not delivered to 2 endpoints of shop/Deployment/api: NetworkPolicy drops it first',
        'pod: not delivered to 10.244.2.9: NetworkPolicy drops it first',
      ],
    });
  });
  it('headless: no NAT at all, the reply goes straight back', () => {
    const r = trace(shop([], { clusterIP: 'None', headless: true, clusterIPs: [] }), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r, ['pod', 'reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 3 endpoint(s) on port 80.',
      hops: [
        'pod: delivered to 2 endpoints of shop/Deployment/api on port 80/TCP: no container declares it (containerPort is informational; the process must listen on it)',
        'pod: delivered to 10.244.2.9 on port 80/TCP: no container declares it (containerPort is informational; the process must listen on it)',
        'reply: the reply goes from the Pod straight back to Pod shop/web-1 (10.244.1.5); no NAT was done, none to undo',
      ],
    });
  });
  it('NodePort, externalTrafficPolicy Cluster: both NATs are undone at the receiving node', () => {
    const r = trace(shop([], { type: 'NodePort' }), { from: fromOutside, to: toApi });
    assert.deepEqual(whole(r, ['reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 3 endpoint(s) on port 8080.',
      hops: [
        'reply: the reply goes back to the receiving node (it was SNATed to it); conntrack undoes both NATs there (destination back to the client, source back to <node address>:30080) and sends it out',
      ],
    });
  });
  it('NodePort, externalTrafficPolicy Local: only the receiving node\'s endpoint, the reply leaves from there', () => {
    const r = trace(shop([], { type: 'NodePort', externalTrafficPolicy: 'Local' }), { from: { ...fromOutside, viaNode: 'n1' }, to: toApi });
    assert.deepEqual(whole(r, ['route', 'pod', 'reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 1 endpoint(s) on port 8080.',
      hops: [
        'route: externalTrafficPolicy Local: no SNAT, the Pod sees the client\'s own address; the endpoint is on the node that received the connection',
        'route: the receiving node -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth',
        'pod: delivered to 10.244.1.7: container api port 8080 (http)/TCP',
        'reply: the reply leaves the Pod for the client\'s address directly from the receiving node; conntrack undoes the DNAT so it comes from <node address>:30080',
      ],
    });
  });
  it('LoadBalancer: the reply\'s source is the load balancer\'s address, or a placeholder before the cloud assigns one', () => {
    const r = trace(shop([], { type: 'LoadBalancer', loadBalancerIPs: ['52.1.1.1'] }), { from: fromOutside, to: toApi });
    assert.deepEqual(whole(r, ['reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 3 endpoint(s) on port 8080.',
      hops: [
        'reply: the reply goes back to the receiving node (it was SNATed to it); conntrack undoes both NATs there (destination back to the client, source back to 52.1.1.1:80) and sends it out',
      ],
    });
    const unassigned = trace(shop([], { type: 'LoadBalancer' }), { from: fromOutside, to: toApi });
    assert.equal(unassigned.hops[unassigned.hops.length - 1].detail, 'the reply goes back to the receiving node (it was SNATed to it); conntrack undoes both NATs there (destination back to the client, source back to <load-balancer address>:80) and sends it out');
  });
  it('an external IP: its address is the one conntrack restores', () => {
    const r = trace(shop([], { externalIPs: ['198.51.100.7'] }), { from: fromOutside, to: toApi });
    assert.deepEqual(whole(r, ['reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 3 endpoint(s) on port 8080.',
      hops: [
        'reply: the reply goes back to the receiving node (it was SNATed to it); conntrack undoes both NATs there (destination back to the client, source back to 198.51.100.7:80) and sends it out',
      ],
    });
  });
  it('a policy port by name is looked up in each endpoint\'s containers (the template\'s when the Pod lists none): api declares http, admin does not', () => {
    const r = trace(shop([policy('shop', 'api-in', sel({ app: 'api' }), { ingress: [rule([], [{ protocol: 'TCP', port: 'http' }])] })]), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'dropped',
      reason: 'only 2 of 3 endpoints accept it: a new connection is dropped with probability 0.33333: ingress at shop/Deployment/admin: DENIED: isolated by shop/api-in; no ingress rule allows shop/web-1 on TCP/8080',
      hops: [
        'dns: Pod shop/web-1 (10.244.1.5) asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: allowed by shop/api-in ingress[0] (from anywhere, TCP/http)',
        'policy: ingress at shop/Deployment/admin: DENIED: isolated by shop/api-in; no ingress rule allows shop/web-1 on TCP/8080',
        'pod: delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'pod: not delivered to 10.244.2.9: NetworkPolicy drops it first',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
    assert.deepEqual(r.endpoints.map((e) => `${e.target} ${e.allowed} ${e.blockedBy ?? ''}`.trim()), [
      '10.244.1.7 yes',
      '10.244.2.7 yes',
      '10.244.2.9 no NetworkPolicy',
    ]);
  });
  it('an ipBlock covering some Pods of a workload: each address judged; the one outside is denied whatever the plugin does, the verdict says so', () => {
    const r = trace(shop([policy('shop', 'web-out', sel({ app: 'web' }), { policyTypes: ['Egress'], egress: [rule([{ ipBlock: { cidr: '10.244.2.0/24', except: [] } }]), rule([], [{ protocol: 'UDP', port: 53 }])] })]), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'unresolved',
      reason: 'NetworkPolicy allows it only if the network plugin applies ipBlock 10.244.2.0/24 to Pod addresses. 1 of 3 endpoints are denied in any case: egress at shop/web-1: DENIED: isolated by shop/web-out; no egress rule allows shop/Deployment/api on TCP/8080.',
      hops: [
        'dns: Pod shop/web-1 (10.244.1.5) asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: the name lookup first: egress at shop/web-1: allowed by shop/web-out egress[1] (to anywhere, UDP/53) (toward the cluster DNS Pods (kube-system, not in the set), UDP/53)',
        'policy: egress at shop/web-1: DENIED: isolated by shop/web-out; no egress rule allows shop/Deployment/api on TCP/8080',
        'policy: egress at shop/web-1: depends: allowed only if the network plugin applies ipBlock 10.244.2.0/24 to Pod addresses',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'policy: ingress at shop/Deployment/admin: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: not sent to 10.244.1.7: NetworkPolicy drops it at Pod shop/web-1 (10.244.1.5)\'s egress',
        'pod: if allowed, delivered to 10.244.2.7: container api port 8080 (http)/TCP',
        'pod: if allowed, delivered to 10.244.2.9: container admin port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
    assert.deepEqual(r.endpoints.map((e) => `${e.target} ${e.allowed} ${e.blockedBy ?? ''}`.trim()), [
      '10.244.1.7 no NetworkPolicy',
      '10.244.2.7 unknown',
      '10.244.2.9 unknown',
    ]);
  });
  it('an AdminNetworkPolicy Deny at one workload\'s ingress: named as what drops it', () => {
    const r = trace(shop([], {}, anpDenyAdmin), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'dropped',
      reason: 'only 2 of 3 endpoints accept it: a new connection is dropped with probability 0.33333: ingress at shop/Deployment/admin: DENIED by AdminNetworkPolicy guard-admin (priority 5) ingress[0] "no-web" (action Deny; NetworkPolicies cannot allow it)',
      hops: [
        'dns: Pod shop/web-1 (10.244.1.5) asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it, and no admin policy rule decides): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it, and no admin policy rule decides): allowed by default',
        'policy: ingress at shop/Deployment/admin: DENIED by AdminNetworkPolicy guard-admin (priority 5) ingress[0] "no-web" (action Deny; NetworkPolicies cannot allow it)',
        'pod: delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'pod: not delivered to 10.244.2.9: AdminNetworkPolicy drops it first',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
    assert.deepEqual(r.endpoints.map((e) => `${e.target} ${e.allowed} ${e.blockedBy ?? ''}`.trim()), [
      '10.244.1.7 yes',
      '10.244.2.7 yes',
      '10.244.2.9 no AdminNetworkPolicy',
    ]);
  });
  it('a NetworkPolicy and an AdminNetworkPolicy each deny some endpoints: both named, in the order met', () => {
    const r = trace(shop([policy('shop', 'api-deny', sel({ app: 'api' }), { ingress: [] })], {}, anpDenyAdmin), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'dropped',
      reason: 'NetworkPolicy and AdminNetworkPolicy drop it: ingress at shop/Deployment/api: DENIED: isolated by shop/api-deny; no ingress rule allows shop/web-1 on TCP/8080; ingress at shop/Deployment/admin: DENIED by AdminNetworkPolicy guard-admin (priority 5) ingress[0] "no-web" (action Deny; NetworkPolicies cannot allow it)',
      hops: [
        'dns: Pod shop/web-1 (10.244.1.5) asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it, and no admin policy rule decides): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: DENIED: isolated by shop/api-deny; no ingress rule allows shop/web-1 on TCP/8080',
        'policy: ingress at shop/Deployment/admin: DENIED by AdminNetworkPolicy guard-admin (priority 5) ingress[0] "no-web" (action Deny; NetworkPolicies cannot allow it)',
        'pod: not delivered to 2 endpoints of shop/Deployment/api: NetworkPolicy drops it first',
        'pod: not delivered to 10.244.2.9: AdminNetworkPolicy drops it first',
      ],
    });
    assert.deepEqual(r.endpoints.map((e) => `${e.target} ${e.allowed} ${e.blockedBy ?? ''}`.trim()), [
      '10.244.1.7 no NetworkPolicy',
      '10.244.2.7 no NetworkPolicy',
      '10.244.2.9 no AdminNetworkPolicy',
    ]);
  });
  it('a BaselineAdminNetworkPolicy Deny where no NetworkPolicy isolates', () => {
    const r = trace(shop([], {}, banpDeny), { from: fromWeb, to: toApi });
    assert.deepEqual(whole(r), {
      verdict: 'dropped',
      reason: 'BaselineAdminNetworkPolicy drops it: ingress at shop/Deployment/api: not isolated by any NetworkPolicy; DENIED by BaselineAdminNetworkPolicy default ingress[0] "deny-all" (action Deny); ingress at shop/Deployment/admin: not isolated by any NetworkPolicy; DENIED by BaselineAdminNetworkPolicy default ingress[0] "deny-all" (action Deny)',
      hops: [
        'dns: Pod shop/web-1 (10.244.1.5) asks "api" (search shop.svc.cluster.local svc.cluster.local cluster.local, ndots:5): api.shop.svc.cluster.local. answers: the ClusterIP of shop/api, 10.96.0.30',
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it, and no admin policy rule decides): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated by any NetworkPolicy; DENIED by BaselineAdminNetworkPolicy default ingress[0] "deny-all" (action Deny)',
        'policy: ingress at shop/Deployment/admin: not isolated by any NetworkPolicy; DENIED by BaselineAdminNetworkPolicy default ingress[0] "deny-all" (action Deny)',
        'pod: not delivered to 2 endpoints of shop/Deployment/api: BaselineAdminNetworkPolicy drops it first',
        'pod: not delivered to 10.244.2.9: BaselineAdminNetworkPolicy drops it first',
      ],
    });
    assert.deepEqual(r.endpoints.map((e) => `${e.target} ${e.allowed} ${e.blockedBy ?? ''}`.trim()), [
      '10.244.1.7 no BaselineAdminNetworkPolicy',
      '10.244.2.7 no BaselineAdminNetworkPolicy',
      '10.244.2.9 no BaselineAdminNetworkPolicy',
    ]);
  });
});

/** Each hop after kube-proxy's: its kind, the objects it lights (by kind and name) and its rules. */
function lit(m: NetworkModel, r: TraceResult) {
  const names = new Map<string, string>();
  for (const w of m.workloads) {
    names.set(w.id, `${w.kind}/${w.name}`);
    for (const p of w.pods) names.set(p.id, `Pod/${p.name}`);
  }
  for (const s of m.services) names.set(s.id, `Service/${s.name}`);
  for (const p of m.networkPolicies) names.set(p.id, `NetworkPolicy/${p.name}`);
  return r.hops.filter((h) => !KUBE_PROXY_HOPS.includes(h.kind) && h.kind !== 'dns').map((h) => ({ kind: h.kind, objects: (h.objectIds ?? []).map((id) => names.get(id) ?? id), rules: h.rules.length }));
}

describe('trace: the end of a Service request lights what each hop is about', () => {
  it('the route its endpoints, each delivery its endpoint\'s Pod, the reply the Service, a policy hop its policies', () => {
    const m = shop([policy('shop', 'admin-in', sel({ tier: 'admin' }), { ingress: [] })]);
    const r = trace(m, { from: fromWeb, to: toApi });
    assert.deepEqual(lit(m, r), [
      { kind: 'policy', objects: [], rules: 0 },
      { kind: 'route', objects: ['Deployment/api', 'Pod/api-1', 'Pod/api-2', 'Deployment/admin', 'Pod/admin-1'], rules: 2 },
      { kind: 'policy', objects: [], rules: 0 },
      { kind: 'policy', objects: ['NetworkPolicy/admin-in'], rules: 0 },
      { kind: 'pod', objects: ['Deployment/api', 'Pod/api-1'], rules: 0 },
      { kind: 'pod', objects: ['Deployment/admin', 'Pod/admin-1'], rules: 0 },
      { kind: 'reply', objects: ['Service/api'], rules: 0 },
    ]);
    assert.deepEqual(
      r.endpoints.map((e) => [e.target, e.nodeName, e.ready, e.terminating, e.symbolic, e.probability, e.ruleProbability]),
      [
        ['10.244.1.7', 'n1', true, false, false, 0.3333333333, 0.3333333333],
        ['10.244.2.7', 'n2', true, false, false, 0.3333333333, 0.5],
        ['10.244.2.9', 'n2', true, false, false, 0.3333333333, undefined],
      ],
    );
  });
  it('manifests: endpoints without a node carry none', () => {
    const r = trace(manifestShop(), { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'web' }, to: toApi });
    assert.deepEqual(r.endpoints.map((e) => ['nodeName' in e, e.symbolic, e.port]), [[false, true, 8080], [false, true, 8080]]);
  });
});

function udpOnlyContainer(): NetworkModel {
  const m = shop();
  m.workloads[1].containers = [container('api', [{ containerPort: 8080, protocol: 'UDP', name: 'http' }])];
  return m;
}
function portsPerPod(): NetworkModel {
  const m = shop();
  m.workloads[1].pods[1].containers = [container('api', [[9090, 'http']])];
  m.services[0].ports = [servicePort(80, 'http', 'http')];
  return m;
}
function hostNetworkDaemonSet(): NetworkModel {
  return model({
    workloads: [workload('shop', 'api', { app: 'api' }, { kind: 'DaemonSet', hostNetwork: true, ports: [[8080, 'http']] }), workload('shop', 'web', { app: 'web' })],
    services: [service('shop', 'api', { app: 'api' }, [servicePort(80, 'http')], { clusterIP: '10.96.0.30' })],
  });
}

describe('trace: delivery, ports and the verdict\'s words', () => {
  it('a container that declares the port for UDP only does not listen on the TCP Service port', () => {
    assert.deepEqual(whole(trace(udpOnlyContainer(), { from: fromWeb, to: toApi }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 3 endpoint(s) on port 8080.',
      hops: [
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'policy: ingress at shop/Deployment/admin: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 2 endpoints of shop/Deployment/api on port 8080/TCP: no container declares it (containerPort is informational; the process must listen on it)',
        'pod: delivered to 10.244.2.9: container admin port 8080/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('no --from and a port no rule lists: every endpoint denies, whatever the client\'s labels', () => {
    assert.deepEqual(whole(trace(shop([apiFromWeb]), { to: { ...toApi, port: 81 } }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'dropped',
      reason: 'NetworkPolicy drops it: ingress at shop/Deployment/api: DENIED: isolated by shop/api-in; no ingress rule allows a Pod in namespace shop (labels unknown) on TCP/9999; ingress at shop/Deployment/admin: DENIED: isolated by shop/api-in; no ingress rule allows a Pod in namespace shop (labels unknown) on TCP/9999',
      hops: [
        'policy: egress at a Pod in namespace shop (labels unknown): not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: a Pod in namespace shop -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at shop/Deployment/api: DENIED: isolated by shop/api-in; no ingress rule allows a Pod in namespace shop (labels unknown) on TCP/9999',
        'policy: ingress at shop/Deployment/admin: DENIED: isolated by shop/api-in; no ingress rule allows a Pod in namespace shop (labels unknown) on TCP/9999',
        'pod: not delivered to 2 endpoints of shop/Deployment/api: NetworkPolicy drops it first',
        'pod: not delivered to 10.244.2.9: NetworkPolicy drops it first',
      ],
    });
  });
  it('headless, one workload denying: no share of connections to give (the client picks an address), only the count', () => {
    assert.deepEqual(whole(trace(shop([policy('shop', 'admin-in', sel({ tier: 'admin' }), { ingress: [] })], { clusterIP: 'None', headless: true, clusterIPs: [] }), { from: fromWeb, to: toApi }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'dropped',
      reason: 'only 2 of 3 endpoints accept it: ingress at shop/Deployment/admin: DENIED: isolated by shop/admin-in; no ingress rule allows shop/web-1 on TCP/80',
      hops: [
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'policy: ingress at shop/Deployment/admin: DENIED: isolated by shop/admin-in; no ingress rule allows shop/web-1 on TCP/80',
        'pod: delivered to 2 endpoints of shop/Deployment/api on port 80/TCP: no container declares it (containerPort is informational; the process must listen on it)',
        'pod: not delivered to 10.244.2.9: NetworkPolicy drops it first',
        'reply: the reply goes from the Pod straight back to Pod shop/web-1 (10.244.1.5); no NAT was done, none to undo',
      ],
    });
  });
  it('two open conditions at two endpoints\' ingress: both, as alternatives', () => {
    assert.deepEqual(whole(trace(shop([apiFromWeb, policy('shop', 'admin-ops', sel({ tier: 'admin' }), { ingress: [rule([{ podSelector: sel({ role: 'ops' }) }], [tcp(8080)])] })]), { to: toApi }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'unresolved',
      reason: 'NetworkPolicy allows it only if the labels of a Pod in namespace shop (labels unknown) match app=web; or the labels of a Pod in namespace shop (labels unknown) match role=ops.',
      hops: [
        'policy: egress at a Pod in namespace shop (labels unknown): not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: a Pod in namespace shop -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at shop/Deployment/api: depends: allowed only if the labels of a Pod in namespace shop (labels unknown) match app=web',
        'policy: ingress at shop/Deployment/admin: depends: allowed only if the labels of a Pod in namespace shop (labels unknown) match app=web; or the labels of a Pod in namespace shop (labels unknown) match role=ops',
        'pod: if allowed, delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'pod: if allowed, delivered to 10.244.2.9: container admin port 8080/TCP',
        'reply: the reply leaves the Pod addressed to a Pod in namespace shop; conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('a named targetPort resolved per Pod: each Pod\'s port, the Pod that lacks the name left out and said', () => {
    assert.deepEqual(whole(trace(portsPerPod(), { from: fromWeb, to: toApi }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 2 endpoint(s) on port 8080/9090. Notes: no container of admin-1 declares a port named "http".',
      hops: [
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: delivered to 10.244.1.7: container api port 8080 (http)/TCP',
        'pod: delivered to 10.244.2.7: container api port 9090 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('a hostNetwork DaemonSet of manifests: each note said once, in order', () => {
    assert.deepEqual(whole(trace(hostNetworkDaemonSet(), { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'web' }, to: toApi }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 1 endpoint(s) on port 8080 (endpoints are symbolic: manifests carry no Pod IPs or nodes). Notes: shop/DaemonSet/api uses hostNetwork: each endpoint\'s address is its node\'s, in the node\'s own network namespace; shop/DaemonSet/api runs one Pod per node: as many endpoints as nodes, which manifests do not say; manifests carry no Pod IPs, nodes or readiness: endpoints are symbolic, assumed ready once running.',
      hops: [
        'policy: egress at shop/Deployment/web: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: a Pod of shop/Deployment/web -> the endpoint, a hostNetwork Pod at its node\'s own address: on the same node no veth at that end; across nodes over the node network; the set does not say where the Pods run',
        'policy: ingress at shop/DaemonSet/api: hostNetwork Pod: allowed, whether or not the network plugin applies NetworkPolicy to hostNetwork Pods (most do not; one that does: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default)',
        'pod: delivered to <shop/DaemonSet/api on each node>: container api port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to a Pod of shop/Deployment/web; conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
});

function namedPolicyPortPerPod(): NetworkModel {
  const m = portsPerPod();
  m.networkPolicies = [policy('shop', 'api-in', sel({ app: 'api' }), { ingress: [rule([], [{ protocol: 'TCP', port: 'http' }])] })];
  return m;
}
function ipBlockToManifests(): NetworkModel {
  const m = manifestShop();
  m.networkPolicies = [policy('shop', 'web-out', sel({ app: 'web' }), { policyTypes: ['Egress'], egress: [rule([{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }]), rule([], [{ protocol: 'UDP', port: 53 }])] })];
  return m;
}
/** A selector-less Service whose EndpointSlice (written by hand) names an address no Pod of the set has. */
function sliceWithoutPod(): NetworkModel {
  return model({
    source: 'cluster',
    workloads: [shop().workloads[0]],
    services: [service('shop', 'ext', undefined, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.40' })],
    endpointSlices: [endpointSlice('shop', 'ext', [{ name: 'http', port: 8080, protocol: 'TCP' }], [{ addresses: ['10.244.3.3'], ready: true, serving: true, terminating: false }])],
    networkPolicies: [policy('shop', 'deny-in', sel({}), { ingress: [] })],
  });
}

describe('trace: policy at the endpoints, Pod by Pod', () => {
  it('a policy port by name, where each Pod declares that name on its own port: judged with each Pod\'s containers', () => {
    assert.deepEqual(whole(trace(namedPolicyPortPerPod(), { from: fromWeb, to: toApi }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'delivered',
      reason: 'reaches shop/api port 80 -> 2 endpoint(s) on port 8080/9090. Notes: no container of admin-1 declares a port named "http".',
      hops: [
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> to 10.244.1.7 on the same node n1 (192.168.1.11): veth -> bridge -> veth; to 10.244.2.7 across nodes: n1 (192.168.1.11) -> n2 (192.168.1.12) (the node owning 10.244.2.0/24), routed by the CNI plugin over the node network',
        'policy: ingress at shop/Deployment/api: allowed by shop/api-in ingress[0] (from anywhere, TCP/http)',
        'pod: delivered to 10.244.1.7: container api port 8080 (http)/TCP',
        'pod: delivered to 10.244.2.7: container api port 9090 (http)/TCP',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('an ipBlock and endpoints of manifests: their addresses are unknown, so the verdict depends on them', () => {
    assert.deepEqual(whole(trace(ipBlockToManifests(), { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'web' }, to: toApi }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'unresolved',
      reason: 'NetworkPolicy allows it only if shop/Deployment/api\'s Pod address is in 10.0.0.0/8 and the network plugin applies ipBlock to Pod addresses. Notes: manifests carry no Pod IPs, nodes or readiness: endpoints are symbolic, assumed ready once running.',
      hops: [
        'policy: the name lookup first: egress at shop/Deployment/web: allowed by shop/web-out egress[1] (to anywhere, UDP/53) (toward the cluster DNS Pods (kube-system, not in the set), UDP/53)',
        'policy: egress at shop/Deployment/web: depends: allowed only if shop/Deployment/api\'s Pod address is in 10.0.0.0/8 and the network plugin applies ipBlock to Pod addresses',
        'route: a Pod of shop/Deployment/web -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at shop/Deployment/api: not isolated (no NetworkPolicy with policyTypes Ingress selects it): allowed by default',
        'pod: if allowed, delivered to 2 endpoints of shop/Deployment/api: container api port 8080 (http)/TCP',
        'reply: the reply leaves the Pod addressed to a Pod of shop/Deployment/web; conntrack recognises the connection and rewrites its source back to 10.96.0.30:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
  it('an EndpointSlice endpoint the set has no Pod for: its namespace and policies unknown, never taken for a hostNetwork Pod', () => {
    assert.deepEqual(whole(trace(sliceWithoutPod(), { from: fromWeb, to: { kind: 'service', namespace: 'shop', name: 'ext', port: 80 } }), ['route', 'policy', 'pod', 'reply']), {
      verdict: 'unresolved',
      reason: 'NetworkPolicy allows it only if the policies of 10.244.3.3\'s namespace (not known) allow it.',
      hops: [
        'policy: egress at shop/web-1: not isolated (no NetworkPolicy with policyTypes Egress selects it): allowed by default',
        'route: Pod shop/web-1 (10.244.1.5) -> the endpoint: on the same node veth -> bridge -> veth; across nodes via the nodes\' addresses (the CNI plugin\'s routes or tunnel); the set does not say where the Pods run',
        'policy: ingress at 10.244.3.3: depends: allowed only if the policies of 10.244.3.3\'s namespace (not known) allow it',
        'pod: if allowed, delivered to 10.244.3.3 on port 8080/TCP: no container declares it (containerPort is informational; the process must listen on it)',
        'reply: the reply leaves the Pod addressed to Pod shop/web-1 (10.244.1.5); conntrack recognises the connection and rewrites its source back to 10.96.0.40:80 (reverse DNAT), so the client sees the Service address it called',
      ],
    });
  });
});
