// Pod to Pod and localhost, as `kni trace` prints them: the verdict, the
// reason, the hops this path makes (the connection, the listener, the reply)
// word for word, and the endpoint with its policy answer. The policy hops'
// own words belong to the policy tests; here only where they stand.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel, NetworkPolicy } from '../../../src/core/model/types';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { container, model, namespace, node, pod, policy, sel, workload } from '../../fixtures/trace/build';

function cluster(policies: NetworkPolicy[] = []): NetworkModel {
  const db = workload('db', 'pg', { app: 'pg' }, { containers: [container('pg', [[5432, 'postgres']]), container('exporter', [[9187, 'metrics']])] });
  db.pods = [pod('db', 'pg-0', '10.244.2.7', 'n2', { labels: { app: 'pg' }, containers: db.containers })];
  const api = workload('shop', 'api', { app: 'api' }, { containers: [container('api', [[8080, 'http']]), container('envoy', [[15001, 'proxy']])] });
  api.pods = [pod('shop', 'api-1', '10.244.1.5', 'n1', { labels: { app: 'api' }, containers: api.containers })];
  return model({
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')],
    namespaces: [namespace('shop'), namespace('db')],
    workloads: [db, api],
    networkPolicies: policies,
  });
}

const fromApi = { kind: 'pod' as const, namespace: 'shop', name: 'api-1' };
const toPg = (port?: number | string) => ({ kind: 'pod' as const, namespace: 'db', name: 'pg-0', port });
const CONNECT = (port: number) => `Pod shop/api-1 (10.244.1.5) connects to the Pod's own address 10.244.2.7:${port}/TCP: no Service, no virtual IP; kube-proxy is not on the path`;
const REPLY = 'the reply goes from db/pg-0 straight back to Pod shop/api-1 (10.244.1.5); no NAT was done, none to undo';

function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}

/** What the user reads; the policy and routing hops (other stages' words) by their kind only. */
function seen(r: TraceResult, collapse: string[] = ['policy', 'route']) {
  return {
    verdict: r.verdict,
    reason: r.reason,
    // Only the route may print rules (the routing stage's); no kube-proxy on the path.
    hops: r.hops.map((h) => (collapse.includes(h.kind) ? h.kind : `${h.kind}: ${h.detail}${h.rules.length > 0 ? ` ${JSON.stringify(h.rules)}` : ''}`)),
    endpoints: r.endpoints.map(({ objectIds: _ids, ...e }) => e),
  };
}

describe('trace: Pod to Pod, word for word', () => {
  it('delivered across nodes to the container that declares the port', () => {
    const m = cluster();
    const r = trace(m, { from: fromApi, to: toPg('postgres') });
    assert.deepEqual(seen(r), {
      verdict: 'delivered',
      reason: 'reaches Pod db/pg-0 (10.244.2.7) at 10.244.2.7:5432/TCP directly.',
      hops: [`vip: ${CONNECT(5432)}`, 'policy', 'route', 'policy', 'pod: delivered to db/pg-0: container pg port 5432/TCP', `reply: ${REPLY}`],
      endpoints: [{ target: '10.244.2.7', port: 5432, symbolic: false, ready: true, terminating: false, allowed: 'yes', nodeName: 'n2' }],
    });
    const [pg] = m.workloads;
    assert.deepEqual(r.endpoints[0].objectIds, [pg.id, pg.pods[0].id]);
    assert.deepEqual(r.hops[0].objectIds, [pg.id, pg.pods[0].id]);
  });
  it('a port no container declares: delivered if a process listens, said so', () => {
    assert.deepEqual(seen(trace(cluster(), { from: fromApi, to: toPg(6000) })).hops[4], 'pod: delivered to db/pg-0 on port 6000/TCP: no container declares it (containerPort is informational; the process must listen on it)');
  });
  it('egress denied at the source: never routed, the destination never asked', () => {
    const deny = policy('shop', 'deny-egress', sel({ app: 'api' }), { egress: [], policyTypes: ['Egress'] });
    assert.deepEqual(seen(trace(cluster([deny]), { from: fromApi, to: toPg(5432) })), {
      verdict: 'dropped',
      reason: 'NetworkPolicy drops it at the source: egress at shop/api-1: DENIED: isolated by shop/deny-egress; no egress rule allows db/pg-0 on TCP/5432',
      hops: [`vip: ${CONNECT(5432)}`, 'policy'],
      endpoints: [{ target: '10.244.2.7', port: 5432, symbolic: false, ready: true, terminating: false, allowed: 'no', blockedBy: 'NetworkPolicy', nodeName: 'n2' }],
    });
  });
  it('ingress denied at the destination: routed, then not delivered', () => {
    const deny = policy('db', 'deny', sel({ app: 'pg' }), { ingress: [] });
    assert.deepEqual(seen(trace(cluster([deny]), { from: fromApi, to: toPg(5432) })), {
      verdict: 'dropped',
      reason: 'NetworkPolicy drops it: ingress at db/pg-0: DENIED: isolated by db/deny; no ingress rule allows shop/api-1 on TCP/5432',
      hops: [`vip: ${CONNECT(5432)}`, 'policy', 'route', 'policy', 'pod: not delivered to db/pg-0: NetworkPolicy drops it first'],
      endpoints: [{ target: '10.244.2.7', port: 5432, symbolic: false, ready: true, terminating: false, allowed: 'no', blockedBy: 'NetworkPolicy', nodeName: 'n2' }],
    });
  });
  it('manifests: no Pod address, an answer that depends on labels not in the set, the conditions as the reason', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: mon}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: c, image: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-ops, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}]}]
`;
    const m = buildModel([parseManifestFile('set.yaml', yaml, { defaultNamespace: 'shop' })], 'shop');
    const r = trace(m, { from: { kind: 'workload', namespace: 'mon', workloadKind: 'Deployment', name: 'client' }, to: { kind: 'pod', namespace: 'shop', name: 'web', workloadKind: 'Deployment', port: 'http' } });
    assert.deepEqual(seen(r), {
      verdict: 'unresolved',
      reason: 'NetworkPolicy allows it only if namespace mon (its Namespace object is not in the set) carries labels matching team=ops.',
      hops: [
        "vip: a Pod of mon/Deployment/client connects to the Pod's own address <the address of shop/Deployment/web>:8080/TCP: no Service, no virtual IP; kube-proxy is not on the path (manifests carry no Pod IPs)",
        'policy',
        'route',
        'policy',
        'pod: if allowed, delivered to shop/Deployment/web: container web port 8080/TCP',
        'reply: the reply goes from shop/Deployment/web straight back to a Pod of mon/Deployment/client; no NAT was done, none to undo',
      ],
      endpoints: [{ target: '<the address of shop/Deployment/web>', port: 8080, symbolic: true, ready: true, terminating: false, allowed: 'unknown' }],
    });
  });
  it('no port given and no port declared: the form to give one', () => {
    const m = cluster();
    m.workloads[0].containers = m.workloads[0].pods[0].containers = [container('pg')];
    assert.deepEqual(seen(trace(m, { from: fromApi, to: toPg() })), { verdict: 'unresolved', reason: 'Pod db/pg-0 declares no container port: give one (pod/NS/NAME:PORT)', hops: [], endpoints: [] });
  });
});

describe('trace: localhost, word for word', () => {
  const route = (port: number) =>
    `route: Pod shop/api-1 (10.244.1.5) connects to 127.0.0.1:${port}/TCP inside the Pod's network namespace, which its containers share (one loopback): the packet never leaves it; no kube-proxy and no NetworkPolicy apply`;
  it('the container that declares the port', () => {
    assert.deepEqual(seen(trace(cluster(), { from: fromApi, to: { kind: 'localhost', port: 15001 } }), []), {
      verdict: 'delivered',
      reason: 'container envoy of Pod shop/api-1 (10.244.1.5) on localhost:15001/TCP.',
      hops: [route(15001), 'pod: delivered on localhost: container envoy port 15001/TCP'],
      endpoints: [],
    });
  });
  it('a port no container declares: reached only if a process listens', () => {
    assert.deepEqual(seen(trace(cluster(), { from: fromApi, to: { kind: 'localhost', port: '9999' } }), []), {
      verdict: 'unresolved',
      reason: 'no container of Pod shop/api-1 (10.244.1.5) declares port 9999/TCP: it is reached only if a process listens there',
      hops: [route(9999), 'pod: delivered on localhost on port 9999/TCP: no container declares it (containerPort is informational; the process must listen on it)'],
      endpoints: [],
    });
  });
  it('several ports and none given; none declared', () => {
    assert.deepEqual(seen(trace(cluster(), { from: fromApi, to: { kind: 'localhost' } })), {
      verdict: 'unresolved',
      reason: 'Pod shop/api-1 (10.244.1.5) (localhost) declares several ports (8080 (http)/TCP, 15001 (proxy)/TCP): say which with :PORT',
      hops: [],
      endpoints: [],
    });
    const m = cluster();
    m.workloads[1].containers = m.workloads[1].pods[0].containers = [container('api')];
    assert.equal(trace(m, { from: fromApi, to: { kind: 'localhost' } }).reason, 'Pod shop/api-1 (10.244.1.5) (localhost) declares no container port: give one (localhost:PORT)');
  });
  it("a hostNetwork Pod's localhost is the node's", () => {
    const m = cluster();
    const agent = workload('mon', 'agent', { app: 'agent' }, { kind: 'DaemonSet', hostNetwork: true, containers: [container('agent', [9100])] });
    agent.pods = [{ ...pod('mon', 'agent-x', '192.168.1.11', 'n1', { labels: { app: 'agent' }, containers: agent.containers }), hostNetwork: true }];
    m.workloads.push(agent);
    const r = trace(m, { from: { kind: 'pod', namespace: 'mon', name: 'agent-x' }, to: { kind: 'localhost' } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.match(r.hops[0].detail, /inside the node's own network namespace \(hostNetwork: the node's loopback, shared with every process of the node\): the packet never leaves it/);
  });
  it('from a node, or a Pod whose containers are not in the set: which client to give', () => {
    assert.deepEqual(seen(trace(cluster(), { from: { kind: 'node', name: 'n1' }, to: { kind: 'localhost', port: 1 } })), {
      verdict: 'unresolved',
      reason: "localhost is a Pod's own loopback: give --from pod/NS/NAME or workload/NS/KIND/NAME",
      hops: [],
      endpoints: [],
    });
  });
});

describe('trace: Pod to Pod under an AdminNetworkPolicy', () => {
  const yaml = (direction: 'egress' | 'ingress') => `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: db, labels: {kubernetes.io/metadata.name: db}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: pg, namespace: db}
spec:
  selector: {matchLabels: {app: pg}}
  template:
    metadata: {labels: {app: pg}}
    spec: {containers: [{name: pg, image: pg, ports: [{containerPort: 5432}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-db}
spec:
  priority: 10
${
  direction === 'egress'
    ? `  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  egress: [{name: no-db, action: Deny, to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: db}}}]}]`
    : `  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: db}}}
  ingress: [{name: no-db, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}]}]`
}
`;
  const run = (direction: 'egress' | 'ingress') => {
    const m = buildModel([parseManifestFile('set.yaml', yaml(direction), { defaultNamespace: 'shop' })], 'shop');
    return trace(m, { from: { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', name: 'api' }, to: { kind: 'pod', namespace: 'db', name: 'pg', workloadKind: 'Deployment', port: 5432 } });
  };
  const connect = "vip: a Pod of shop/Deployment/api connects to the Pod's own address <the address of db/Deployment/pg>:5432/TCP: no Service, no virtual IP; kube-proxy is not on the path (manifests carry no Pod IPs)";
  const blocked = { target: '<the address of db/Deployment/pg>', port: 5432, symbolic: true, ready: true, terminating: false, allowed: 'no', blockedBy: 'AdminNetworkPolicy' };
  it('denied at the source: the admin tier named as what drops it, on the endpoint too', () => {
    assert.deepEqual(seen(run('egress')), {
      verdict: 'dropped',
      reason: 'AdminNetworkPolicy drops it at the source: egress at shop/Deployment/api: DENIED by AdminNetworkPolicy no-db (priority 10) egress[0] "no-db" (action Deny; NetworkPolicies cannot allow it)',
      hops: [connect, 'policy'],
      endpoints: [blocked],
    });
  });
  it('denied at the destination: the same, after the route', () => {
    assert.deepEqual(seen(run('ingress')), {
      verdict: 'dropped',
      reason: 'AdminNetworkPolicy drops it: ingress at db/Deployment/pg: DENIED by AdminNetworkPolicy no-db (priority 10) ingress[0] "no-db" (action Deny; NetworkPolicies cannot allow it)',
      hops: [connect, 'policy', 'route', 'policy', 'pod: not delivered to db/Deployment/pg: AdminNetworkPolicy drops it first'],
      endpoints: [blocked],
    });
  });
});
