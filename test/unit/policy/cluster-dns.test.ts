// The cluster DNS as a policy peer: the kube-dns Service Pods send their
// lookups to, the CoreDNS Pods behind it (kube-system, k8s-app=kube-dns), and
// NodeLocal DNSCache's link-local address when the set has the cache.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { clusterDnsService, clusterDnsSubject, lookupEgress, nodeLocalDns, nodeLocalDnsPeer } from '../../../src/core/policy/cluster-dns';
import { workloadSubject } from '../../../src/core/policy';
import type { NetworkModel } from '../../../src/core/model/types';
import { model, policy, rule, sel, service, servicePort, workload } from '../../fixtures/trace/build';

const coredns = () => workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }] });
const cache = () => workload('kube-system', 'node-local-dns', { 'k8s-app': 'node-local-dns' }, { kind: 'DaemonSet', hostNetwork: true });
const index = (m: Partial<NetworkModel>) => new ModelIndex(model(m));

describe('policy: the cluster DNS', () => {
  it('the kube-dns Service: by name, else a kube-system Service labelled k8s-app=kube-dns that is not the cache\'s upstream', () => {
    const named = service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [servicePort(53)]);
    const external = service('kube-system', 'kube-dns', undefined, [], { type: 'ExternalName' });
    const labelled = { ...service('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [servicePort(53)]), labels: { 'k8s-app': 'kube-dns' } };
    const upstream = { ...service('kube-system', 'kube-dns-upstream', { 'k8s-app': 'kube-dns' }, [servicePort(53)]), labels: { 'k8s-app': 'kube-dns' } };
    const elsewhere = { ...service('default', 'kube-dns', { 'k8s-app': 'kube-dns' }, [servicePort(53)]), labels: { 'k8s-app': 'kube-dns' } };
    const unlabelled = service('kube-system', 'metrics', { app: 'm' }, [servicePort(443)]);
    const externalLabelled = { ...service('kube-system', 'dns-alias', undefined, [], { type: 'ExternalName' }), labels: { 'k8s-app': 'kube-dns' } };
    assert.equal(clusterDnsService(index({ services: [labelled, named] }))?.name, 'kube-dns');
    assert.equal(clusterDnsService(index({ services: [external, upstream, unlabelled, externalLabelled, labelled] }))?.name, 'coredns');
    assert.equal(clusterDnsService(index({ services: [external, upstream, elsewhere, unlabelled, externalLabelled] })), undefined);
  });

  it('the DNS Pods: the CoreDNS workload as it is, or Pods the set does not describe', () => {
    const dns = coredns();
    assert.deepEqual(clusterDnsSubject(index({ workloads: [dns] })), workloadSubject(dns));
    assert.deepEqual(clusterDnsSubject(index({})), {
      kind: 'pod',
      name: 'the cluster DNS Pods (kube-system, not in the set)',
      namespace: 'kube-system',
      labels: undefined,
      ips: [],
      hostNetwork: false,
      containers: undefined,
      objectIds: [],
    });
    assert.equal(nodeLocalDns(index({ workloads: [dns, cache()] }))?.name, 'node-local-dns');
    assert.equal(nodeLocalDns(index({ workloads: [dns] })), undefined);
    assert.deepEqual(nodeLocalDnsPeer(), { kind: 'external', name: 'NodeLocal DNSCache', ip: '169.254.20.10', family: 4, objectIds: [] });
  });

  it('a Pod\'s lookups: UDP/53 to the DNS Pods, and to the cache when there is one; denied only when every server is', () => {
    const app = workload('shop', 'app', { app: 'shop' });
    const toDns = rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], [{ protocol: 'UDP', port: 53 }]);
    const toCache = rule([{ ipBlock: { cidr: '169.254.20.10/32', except: [] } }], [{ protocol: 'UDP', port: 53 }]);
    const egress = (...rules: ReturnType<typeof rule>[]) => policy('shop', 'out', sel(), { policyTypes: ['Egress'], egress: rules });
    const ask = (rules: ReturnType<typeof rule>[], withCache: boolean) => {
      const ix = index({ workloads: [app, coredns(), ...(withCache ? [cache()] : [])], networkPolicies: [egress(...rules)] });
      return lookupEgress(ix, workloadSubject(app));
    };
    const plain = ask([toDns], false);
    assert.equal(plain.allowed, 'yes');
    assert.equal(plain.toNodeLocal, undefined);
    assert.equal(plain.toDnsPods.direction, 'egress');
    assert.equal(
      plain.toDnsPods.explanation,
      'egress at shop/Deployment/app: allowed by shop/out egress[0] (to namespaceSelector {kubernetes.io/metadata.name=kube-system} AND podSelector {k8s-app=kube-dns}, UDP/53)',
    );
    assert.equal(ask([], false).allowed, 'no');
    assert.equal(ask([], false).toDnsPods.explanation, 'egress at shop/Deployment/app: DENIED: isolated by shop/out; no egress rule allows kube-system/Deployment/coredns on UDP/53');
    const both = (rules: ReturnType<typeof rule>[]) => {
      const r = ask(rules, true);
      return [r.toDnsPods.allowed, r.toNodeLocal?.allowed, r.allowed];
    };
    assert.deepEqual(both([toDns, toCache]), ['yes', 'yes', 'yes']);
    assert.deepEqual(both([toDns]), ['yes', 'no', 'yes']);
    // The CoreDNS Pods' addresses are not in the set: whether 169.254.20.10/32 holds them is open (it does not, in fact).
    assert.deepEqual(both([toCache]), ['unknown', 'yes', 'yes']);
    assert.deepEqual(both([]), ['no', 'no', 'no']);
    // The DNS Pods not in the set: their labels are open, so is the answer.
    const ix = index({ workloads: [app, cache()], networkPolicies: [egress(toDns)] });
    const open = lookupEgress(ix, workloadSubject(app));
    assert.deepEqual([open.toDnsPods.allowed, open.toNodeLocal?.allowed, open.allowed], ['unknown', 'no', 'unknown']);
    assert.equal(lookupEgress(index({ workloads: [app, cache()] }), workloadSubject(app)).allowed, 'yes');
  });
});
