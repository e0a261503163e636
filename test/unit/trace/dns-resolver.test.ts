// Who answers a client's lookup of a name outside the cluster, by its
// dnsPolicy: CoreDNS (forwarding upstream) for ClusterFirst on the Pod network
// and ClusterFirstWithHostNet; the node's own resolver for Default and for
// ClusterFirst on a hostNetwork Pod (which falls back to Default); the
// dnsConfig nameservers for None. A lookup that does not go to CoreDNS is
// neither traced to it nor judged toward it: the client's egress is judged
// toward its own resolver.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { ContainerPort, NetworkModel, PodDnsSettings } from '../../../src/core/model/types';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { traceRequest, type TraceResult } from '../../../src/core/trace';
import { clientResolver } from '../../../src/core/trace/dns-resolver';
import { formatTraceText } from '../../../src/cli/trace';
import { container, model, node, pod, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';

const udp = (port: number, name?: string): ContainerPort => ({ containerPort: port, protocol: 'UDP', name });
const toDnsPods = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }, tcp(53)]);
const toInternet = rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)]);
const fromAgent = { kind: 'workload' as const, namespace: 'mon', workloadKind: 'DaemonSet', name: 'agent' };

/** The cluster DNS in the set (kube-dns and CoreDNS), and mon's agent as the client. */
function cluster(agent: { hostNetwork?: boolean; dns?: PodDnsSettings }, egress?: ReturnType<typeof rule>[]): NetworkModel {
  const a = workload('mon', 'agent', { app: 'agent' }, { kind: 'DaemonSet', hostNetwork: agent.hostNetwork ?? false });
  if (agent.dns) a.dns = agent.dns;
  a.pods = [{ ...pod('mon', 'agent-x1', agent.hostNetwork ? '192.168.1.11' : '10.244.1.5', 'n1', { labels: { app: 'agent' } }), hostNetwork: agent.hostNetwork ?? false, ...(agent.dns ? { dns: agent.dns } : {}) }];
  const dnsContainer = container('coredns', [udp(53, 'dns'), { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }]);
  return model({
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24')],
    workloads: [a, workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { replicas: 2, containers: [dnsContainer] })],
    services: [service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [servicePort(53, 53, 'dns', { protocol: 'UDP' }), servicePort(53, 53, 'dns-tcp')], { clusterIP: '10.96.0.10' })],
    networkPolicies: egress ? [policy('mon', 'agent-egress', sel({ app: 'agent' }), { egress, policyTypes: ['Egress'] })] : [],
  });
}

function toStripe(m: NetworkModel): TraceResult {
  return traceRequest(m, new ModelIndex(m), { from: fromAgent, to: { kind: 'external', host: 'api.stripe.com', port: 443 } });
}
const dnsHop = (r: TraceResult) => r.hops.find((h) => h.kind === 'dns')!;

describe('trace: who answers a lookup, by dnsPolicy', () => {
  it('hostNetwork with ClusterFirst: the node\'s resolver answers (ClusterFirst falls back to Default), not CoreDNS; nothing is traced to CoreDNS', () => {
    const r = toStripe(cluster({ hostNetwork: true }));
    const hop = dnsHop(r);
    assert.match(hop.detail, /api\.stripe\.com\. is outside cluster\.local, answered by the node's resolver \(the nameservers of the node's \/etc\/resolv\.conf, not in the set\); CoreDNS is not asked/);
    assert.doesNotMatch(hop.detail, /CoreDNS (to the upstream|Pod answers)|forwarded by CoreDNS/);
    assert.deepEqual(hop.dns?.server && [hop.dns.server.assumed, hop.dns.server.resolver], [false, 'node']);
    assert.match(hop.dns!.server!.detail, /dnsPolicy ClusterFirst on a hostNetwork Pod falls back to Default/);
    assert.ok(!r.hops.some((h) => h.lookup), 'no trip to kube-dns');
    // It sent from the node's address: no masquerade, so none is undone on the reply.
    assert.match(r.hops.find((h) => h.kind === 'reply')!.detail, /no NAT was done, none to undo/);
    assert.doesNotMatch(r.hops.find((h) => h.kind === 'reply')!.detail, /masquerade/);
  });
  it('hostNetwork with ClusterFirstWithHostNet: CoreDNS answers, after its upstream resolvers, and the trip to it is traced', () => {
    const r = toStripe(cluster({ hostNetwork: true, dns: { policy: 'ClusterFirstWithHostNet', searches: [] } }));
    assert.match(dnsHop(r).detail, /forwarded by CoreDNS to the upstream resolvers/);
    assert.equal(dnsHop(r).dns?.server?.resolver, undefined);
    assert.ok(r.hops.some((h) => h.lookup && h.kind === 'kube-proxy'));
  });
  it('dnsPolicy Default on the Pod network: the node\'s resolver; egress judged toward it, not toward CoreDNS', () => {
    const open = toStripe(cluster({ dns: { policy: 'Default', searches: [] } }));
    assert.match(dnsHop(open).detail, /answered by the node's resolver .*; CoreDNS is not asked/);
    assert.match(dnsHop(open).dns!.server!.detail, /dnsPolicy Default: the node's resolv\.conf$/);
    // Egress allows DNS to the CoreDNS Pods only: a Default Pod's queries go elsewhere and are denied.
    const r = toStripe(cluster({ dns: { policy: 'Default', searches: [] } }, [toDnsPods, toInternet]));
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^the name never resolves: Pod mon\/agent-x1 .* asks the node's resolver .* \(dnsPolicy Default: the node's resolv\.conf\), and its egress does not allow UDP\/53 to it \(egress at mon\/agent-x1: DENIED: .*no egress rule allows the node's nameserver on UDP\/53\)/);
    assert.ok(!r.hops.some((h) => h.lookup), 'nothing traced to kube-dns');
  });
  it('dnsPolicy None: the dnsConfig nameservers answer, and egress is judged toward them', () => {
    const dns: PodDnsSettings = { policy: 'None', searches: [], nameservers: ['1.1.1.1'] };
    const r = toStripe(cluster({ dns }, [rule([{ ipBlock: { cidr: '1.1.1.1/32', except: [] } }], [{ protocol: 'UDP', port: 53 }]), toInternet]));
    assert.match(dnsHop(r).detail, /api\.stripe\.com\. is outside cluster\.local, answered by the Pod's dnsConfig nameserver 1\.1\.1\.1; CoreDNS is not asked/);
    assert.deepEqual(dnsHop(r).dns?.server?.nameservers, ['1.1.1.1']);
    assert.match(r.hops.find((h) => h.kind === 'policy')!.detail, /^the name lookup first, to the Pod's dnsConfig nameserver 1\.1\.1\.1: egress at .*: allowed by mon\/agent-egress egress\[0\]/);
    const denied = toStripe(cluster({ dns }, [toDnsPods, toInternet]));
    assert.equal(denied.verdict, 'dropped');
    assert.match(denied.reason, /asks the Pod's dnsConfig nameserver 1\.1\.1\.1 \(dnsPolicy None: only the Pod's dnsConfig\)/);
  });
  it('dnsPolicy None whose first nameserver is the kube-dns ClusterIP: CoreDNS answers, and the trip to it is traced', () => {
    const r = toStripe(cluster({ dns: { policy: 'None', searches: [], nameservers: ['10.96.0.10'], ndots: 2 } }));
    assert.match(dnsHop(r).detail, /forwarded by CoreDNS to the upstream resolvers/);
    assert.equal(dnsHop(r).dns?.server?.resolver, undefined);
    assert.ok(r.hops.some((h) => h.lookup && h.kind === 'kube-proxy'));
    // Second in the list, it is asked only when the first does not answer: the first one's answer is what the hop says.
    const second = toStripe(cluster({ dns: { policy: 'None', searches: [], nameservers: ['1.1.1.1', '10.96.0.10'] } }));
    assert.match(dnsHop(second).detail, /answered by the Pod's dnsConfig nameservers 1\.1\.1\.1, 10\.96\.0\.10; CoreDNS \(at 10\.96\.0\.10\) only if the nameservers before it do not answer/);
  });
  it('kni trace text says once which resolver a client that does not ask the cluster DNS asks', () => {
    const r = toStripe(cluster({ hostNetwork: true }));
    const text = formatTraceText(r, 'x');
    assert.equal(text.match(/^dns server: the node's resolver \(the nameservers of the node's \/etc\/resolv\.conf, not in the set\): dnsPolicy ClusterFirst on a hostNetwork Pod falls back to Default/gm)?.length, 1);
  });
  it('the decision table, one place for it', () => {
    const kind = (isPod: boolean, host: boolean, policy?: string) => clientResolver(isPod, host, policy ? { policy, searches: [] } : undefined).kind;
    assert.deepEqual(
      [kind(true, false), kind(true, true), kind(true, true, 'ClusterFirstWithHostNet'), kind(true, false, 'ClusterFirstWithHostNet'), kind(true, false, 'Default'), kind(true, true, 'Default'), kind(true, false, 'None'), kind(false, false)],
      ['cluster', 'node', 'cluster', 'cluster', 'node', 'node', 'dnsConfig', 'node'],
    );
    assert.match(clientResolver(true, false, { policy: 'None', searches: [] }).why, /the API server rejects: it requires at least one/);
  });
  it('manifests: dnsConfig nameservers are read', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  dnsPolicy: None
  dnsConfig: {nameservers: [1.1.1.1, 8.8.8.8], searches: [corp.example]}
  containers: [{name: c, image: x}]
`;
    const m = buildModel([parseManifestFile('p.yaml', yaml, { defaultNamespace: 'default' })], 'default');
    assert.deepEqual(m.workloads[0].dns, { policy: 'None', searches: ['corp.example'], nameservers: ['1.1.1.1', '8.8.8.8'] });
  });
});
