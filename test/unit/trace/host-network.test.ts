// hostNetwork Pods in traces: their address is their node's, and what
// NetworkPolicy does with them is the network plugin's choice (the Kubernetes
// documentation: most plugins neither govern them nor tell their traffic from
// the node's; some treat them as Pods). The policy hop says so wherever the
// two readings give different answers, and is certain where they agree.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions } from '../../../src/core/trace';
import { container, model, namespace, node, pod, policy, rule, sel, service, servicePort, workload } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions) {
  return traceRequest(m, new ModelIndex(m), o);
}

/** A node-exporter-like DaemonSet on the node network, an api Deployment, their Services. */
function cluster(policies: NetworkModel['networkPolicies']): NetworkModel {
  const agent = workload('mon', 'agent', { app: 'agent' }, { kind: 'DaemonSet', hostNetwork: true, containers: [container('agent', [[9100, 'metrics']])] });
  const api = workload('shop', 'api', { app: 'api' }, { ports: [[8080, 'http']] });
  return model({
    namespaces: [namespace('mon'), namespace('shop')],
    workloads: [agent, api],
    services: [service('mon', 'agent', { app: 'agent' }, [servicePort(9100, 9100)]), service('shop', 'api', { app: 'api' }, [servicePort(80, 8080)])],
    networkPolicies: policies,
  });
}

const denyAll = (ns: string) => policy(ns, 'deny-all', sel(), { policyTypes: ['Ingress'] });
const fromApi = { kind: 'workload' as const, namespace: 'shop', workloadKind: 'Deployment', name: 'api' };
const fromAgent = { kind: 'workload' as const, namespace: 'mon', workloadKind: 'DaemonSet', name: 'agent' };

describe('trace: hostNetwork Pods', () => {
  it('as the endpoint behind a deny-all: the policy hop depends on the network plugin; the route reaches the node address', () => {
    const r = trace(cluster([denyAll('mon')]), { from: fromApi, to: { kind: 'service', namespace: 'mon', name: 'agent' } });
    assert.equal(r.verdict, 'unresolved');
    const ingress = r.hops.find((h) => h.kind === 'policy' && h.policy?.direction === 'ingress')!;
    assert.equal(ingress.policy?.allowed, 'unknown');
    assert.match(ingress.detail, /^ingress at mon\/DaemonSet\/agent: depends on the network plugin: a hostNetwork Pod, which most plugins do not apply NetworkPolicy to \(then allowed\); a plugin that does: DENIED: isolated by mon\/deny-all/);
    assert.deepEqual(ingress.policy?.conditions, ['the network plugin does not apply NetworkPolicy to hostNetwork Pods (most do not)']);
    assert.match(r.hops.find((h) => h.kind === 'route')!.detail, /the endpoint, a hostNetwork Pod at its node's own address/);
    assert.match(r.reason, /uses hostNetwork: each endpoint's address is its node's/);
  });
  it('as the endpoint with a policy that admits the client: allowed under both readings, so certain', () => {
    const admit = policy('mon', 'agent-from-shop', sel({ app: 'agent' }), { ingress: [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'shop' }) }])] });
    const r = trace(cluster([admit]), { from: fromApi, to: { kind: 'service', namespace: 'mon', name: 'agent' } });
    assert.equal(r.verdict, 'delivered', r.reason);
  });
  it('as the client: a Pod selector naming it matches only where the plugin tells it from its node', () => {
    const fromAgentSel = policy('shop', 'api-from-agent', sel({ app: 'api' }), { ingress: [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'mon' }), podSelector: sel({ app: 'agent' }) }])] });
    const r = trace(cluster([fromAgentSel]), { from: fromAgent, to: { kind: 'service', namespace: 'shop', name: 'api' } });
    assert.equal(r.verdict, 'unresolved');
    const ingress = r.hops.find((h) => h.kind === 'policy' && h.policy?.direction === 'ingress')!;
    assert.match(ingress.detail, /depends on the network plugin: mon\/DaemonSet\/agent is a hostNetwork Pod; seen as its node \(most plugins\): DENIED: .*; seen as a Pod: allowed by shop\/api-from-agent ingress\[0\]/);
    assert.deepEqual(ingress.policy?.conditions, ['the network plugin tells hostNetwork Pods from their node and matches them as Pods']);
    assert.match(r.hops.find((h) => h.kind === 'route')!.detail, /\(hostNetwork: from its node's own address\) -> the endpoint: on the same node the node's network namespace -> veth/);
  });
  it('as the client from a live cluster: an ipBlock of the node network admits it as its node; as a Pod it would hang on the plugin too', () => {
    const m = cluster([policy('shop', 'api-from-nodes', sel({ app: 'api' }), { ingress: [rule([{ ipBlock: { cidr: '192.168.1.0/24', except: [] } }])] })]);
    m.nodes = [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')];
    const agentPod = { ...pod('mon', 'agent-x1', '192.168.1.11', 'n1', { labels: { app: 'agent' } }), hostNetwork: true };
    m.workloads[0].pods = [agentPod];
    m.workloads[1].pods = [pod('shop', 'api-1', '10.244.2.5', 'n2', { labels: { app: 'api' } })];
    const r = trace(m, { from: { kind: 'pod', namespace: 'mon', name: 'agent-x1' }, to: { kind: 'pod', namespace: 'shop', name: 'api-1', port: 8080 } });
    const ingress = r.hops.find((h) => h.kind === 'policy' && h.policy?.direction === 'ingress')!;
    assert.equal(ingress.policy?.allowed, 'unknown');
    assert.match(ingress.detail, /seen as its node \(most plugins\): allowed by shop\/api-from-nodes ingress\[0\]/);
    assert.match(ingress.policy!.conditions[0], /^the network plugin sees a hostNetwork Pod's traffic as its node's/);
  });
  it('Pod to Pod to a hostNetwork Pod across nodes: the node address, no veth at that end', () => {
    const m = cluster([]);
    m.nodes = [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')];
    m.workloads[0].pods = [{ ...pod('mon', 'agent-x2', '192.168.1.12', 'n2', { labels: { app: 'agent' } }), hostNetwork: true }];
    m.workloads[1].pods = [pod('shop', 'api-1', '10.244.1.5', 'n1', { labels: { app: 'api' } })];
    const r = trace(m, { from: { kind: 'pod', namespace: 'shop', name: 'api-1' }, to: { kind: 'pod', namespace: 'mon', name: 'agent-x2', port: 9100 } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.match(r.hops.find((h) => h.kind === 'route')!.detail, /to 192\.168\.1\.12 across nodes: n1 \(192\.168\.1\.11\) -> n2 \(192\.168\.1\.12\), the node's own address \(a hostNetwork Pod: no Pod CIDR, no veth at that end\)/);
  });
});
