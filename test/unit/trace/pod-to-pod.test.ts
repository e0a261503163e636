// Straight to a Pod (no kube-proxy, policy at both ends, same-node or
// cross-node routing) and to localhost inside the client's own Pod.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions } from '../../../src/core/trace';
import { container, model, node, pod, policy, rule, sel, tcp, workload } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions) {
  return traceRequest(m, new ModelIndex(m), o);
}

function cluster(): NetworkModel {
  const db = workload('db', 'pg', { app: 'pg' }, { containers: [container('pg', [[5432, 'postgres']]), container('exporter', [[9187, 'metrics']])] });
  db.pods = [pod('db', 'pg-0', '10.244.2.7', 'n2', { labels: { app: 'pg' } })];
  const api = workload('shop', 'api', { app: 'api' }, { containers: [container('api', [[8080, 'http']]), container('envoy', [[15001, 'proxy']])] });
  api.pods = [pod('shop', 'api-1', '10.244.1.5', 'n1', { labels: { app: 'api' } })];
  return model({
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')],
    workloads: [db, api],
    networkPolicies: [policy('db', 'pg-from-shop', sel({ app: 'pg' }), { ingress: [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'shop' }) }], [tcp('postgres')])] })],
  });
}
const fromApi = { kind: 'pod' as const, namespace: 'shop', name: 'api-1' };

describe('trace: Pod to Pod', () => {
  it('by the Pod address: no kube-proxy, the ingress rule named, across nodes, the container that listens', () => {
    const r = trace(cluster(), { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0', port: 'postgres' } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.deepEqual(r.hops.map((h) => h.kind), ['vip', 'policy', 'route', 'policy', 'pod', 'reply']);
    assert.match(r.hops[0].detail, /connects to the Pod's own address 10\.244\.2\.7:5432\/TCP: no Service, no virtual IP; kube-proxy is not on the path/);
    assert.match(r.hops[1].detail, /^egress at shop\/api-1: not isolated .*: allowed by default$/);
    // The tier that decided each end, as kni connectivity's decidedBy names it: the default at api's egress, NetworkPolicy at pg's ingress.
    assert.deepEqual([r.hops[1].policy?.tier, r.hops[3].policy?.tier], ['default', 'NetworkPolicy']);
    assert.match(r.hops[2].detail, /across nodes: n1 \(192\.168\.1\.11\) -> n2 \(192\.168\.1\.12\) \(the node owning 10\.244\.2\.0\/24\)/);
    assert.match(r.hops[3].detail, /ingress at db\/pg-0: allowed by db\/pg-from-shop ingress\[0\]/);
    assert.match(r.hops[4].detail, /container pg port 5432\/TCP/);
    assert.ok(!r.hops.some((h) => h.kind === 'kube-proxy' || h.kind === 'dnat'));
  });
  it('a port no rule allows is dropped at the destination; several ports and none given asks which', () => {
    const r = trace(cluster(), { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0', port: 9187 } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /ingress at db\/pg-0: DENIED/);
    const which = trace(cluster(), { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0' } });
    assert.equal(which.verdict, 'unresolved');
    assert.match(which.reason, /declares several ports \(5432 \(postgres\)\/TCP, 9187 \(metrics\)\/TCP\): say which with :PORT/);
    assert.match(trace(cluster(), { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'nope', port: 1 } }).reason, /no Pod db\/nope in the set/);
  });
  it('the port: a number (written as digits too), a name, or the only one declared', () => {
    const to = (port?: number | string) => trace(cluster(), { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0', port } });
    const byNumber = to('5432');
    assert.equal(byNumber.verdict, 'delivered', byNumber.reason);
    assert.match(byNumber.hops[4].detail, /container pg port 5432\/TCP/);
    assert.deepEqual(byNumber.endpoints.map((e) => [e.target, e.port, e.symbolic]), [['10.244.2.7', 5432, false]]);
    assert.match(to('metrics').reason, /ingress at db\/pg-0: DENIED/, 'a name resolves on the destination (9187), which the policy does not allow');
    const unknown = to('mysql');
    assert.equal(unknown.verdict, 'unresolved');
    assert.equal(unknown.reason, 'Pod db/pg-0 has no container port named "mysql"');
    assert.deepEqual(unknown.hops, []);
    // A number no container declares still gets there (containerPort is informational), and says so.
    const m = cluster();
    m.networkPolicies = [];
    const undeclared = trace(m, { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0', port: 6000 } });
    assert.equal(undeclared.verdict, 'delivered');
    assert.match(undeclared.hops.at(-2)!.detail, /on port 6000\/TCP: no container declares it \(containerPort is informational; the process must listen on it\)/);
    // One declared port: used when none is given; none declared: asks for one.
    const single = cluster();
    single.workloads[0].containers = [container('pg', [[5432, 'postgres']])];
    const picked = trace(single, { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0' } });
    assert.equal(picked.verdict, 'delivered', picked.reason);
    assert.match(picked.hops[0].detail, /10\.244\.2\.7:5432\/TCP/);
    single.workloads[0].containers = [container('pg', [])];
    assert.match(trace(single, { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0' } }).reason, /^Pod db\/pg-0 declares no container port: give one \(pod\/NS\/NAME:PORT\)$/);
  });
  it("a workload's Pod by its address: named as one in the verdict; a workload's name as a Pod's gets the form to use", () => {
    const m = cluster();
    const r = trace(m, { from: fromApi, to: { kind: 'pod', namespace: 'db', workloadKind: 'Deployment', name: 'pg', port: 'postgres' } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.match(r.reason, /^reaches Pod db\/pg-0 \(10\.244\.2\.7; the first of 1 of Deployment pg\) at 10\.244\.2\.7:5432\/TCP directly\.$/);
    const wrong = trace(m, { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg', port: 'postgres' } });
    assert.equal(wrong.reason, 'no Pod db/pg in the set; db/pg is a Deployment: one of its Pods is workload/db/Deployment/pg');
  });
  it('a drop at the destination says so in the last hop', () => {
    const r = trace(cluster(), { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0', port: 9187 } });
    assert.match(r.hops.at(-1)!.detail, /not delivered to db\/pg-0: NetworkPolicy drops it first/);
  });
  it('same node: veth -> bridge -> veth', () => {
    const m = cluster();
    m.workloads[0].pods[0].nodeName = 'n1';
    const r = trace(m, { from: fromApi, to: { kind: 'pod', namespace: 'db', name: 'pg-0', port: 5432 } });
    assert.match(r.hops.find((h) => h.kind === 'route')!.detail, /on the same node n1 \(192\.168\.1\.11\): veth -> bridge -> veth/);
  });
});

describe('trace: localhost inside a Pod', () => {
  it('the container that declares the port answers; no policy', () => {
    const r = trace(cluster(), { from: fromApi, to: { kind: 'localhost', port: 15001 } });
    assert.equal(r.verdict, 'delivered');
    assert.match(r.hops[0].detail, /127\.0\.0\.1:15001\/TCP inside the Pod's network namespace, which its containers share \(one loopback\): the packet never leaves it; no kube-proxy and no NetworkPolicy apply/);
    assert.match(r.hops[1].detail, /container envoy port 15001\/TCP/);
  });
  it('a port no container declares is unresolved, saying why', () => {
    const r = trace(cluster(), { from: fromApi, to: { kind: 'localhost', port: 9999 } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /no container of Pod shop\/api-1 \(10\.244\.1\.5\) declares port 9999\/TCP/);
    assert.match(trace(cluster(), { from: { kind: 'external' }, to: { kind: 'localhost', port: 80 } }).reason, /a Pod's own loopback/);
  });
});

describe('trace: a Pod by its address', () => {
  it('an address no Service has but a Pod does is traced Pod to Pod (as a name or as external:IP)', () => {
    for (const to of [{ kind: 'name' as const, name: '10.244.2.7', port: 5432 }, { kind: 'external' as const, ip: '10.244.2.7', port: 5432 }]) {
      const r = trace(cluster(), { from: fromApi, to });
      assert.equal(r.verdict, 'delivered', `${to.kind}: ${r.reason}`);
      assert.match(r.hops[0].detail, /the Pod's own address 10\.244\.2\.7:5432\/TCP/);
    }
  });
});
