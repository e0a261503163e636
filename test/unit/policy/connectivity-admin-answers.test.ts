// `kni connectivity` through the admin tiers, answers compared whole: which
// workloads the admin policies tell apart (namespace, labels, addresses,
// hostNetwork, named ports), the order the deciding rules are named in, and
// NetworkPolicy's open answers passed through a Pass as they were.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { connectivityMatrix, evaluatePolicies, workloadSubject, type ConnectivityEntry } from '../../../src/core/policy';
import type { AdminNetworkPolicy, NetworkModel, NetworkPolicy, Workload } from '../../../src/core/model/types';
import { model, namespace, pod, policy, rule, sel, tcp, workload } from '../../fixtures/trace/build';
import { anp, banp, r } from '../../fixtures/admin-build';

const shopOnly = { namespaces: sel({ 'kubernetes.io/metadata.name': 'shop' }) };
const fromShop = [{ namespaces: sel({ 'kubernetes.io/metadata.name': 'shop' }) }];
const key = (w: Workload) => `${w.namespace}/${w.kind}/${w.name}`;

function matrix(workloads: Workload[], admins: AdminNetworkPolicy[], networkPolicies: NetworkPolicy[] = []) {
  const m: NetworkModel = model({ namespaces: [namespace('shop')], workloads, networkPolicies, adminNetworkPolicies: admins });
  return connectivityMatrix(m, new ModelIndex(m));
}
const answer = (e: ConnectivityEntry | undefined) => e && { allowed: e.allowed, conditional: e.conditional, decidedBy: e.decidedBy?.map((d) => `${d.direction} ${d.tier}${d.policy !== undefined ? ` ${d.policy}` : ''}${d.rule !== undefined ? `[${d.rule}]` : ''} ${d.action} ${d.ports === 'all' ? 'all' : d.ports.join(',')}`) };

describe('connectivity and admin tiers: what tells workloads apart', () => {
  it('a hostNetwork workload with the labels of a subject is no subject', () => {
    const client = workload('shop', 'client', { app: 'client' });
    const web = workload('shop', 'web', { app: 'web' });
    const hostWeb = workload('shop', 'web-host', { app: 'web' }, { hostNetwork: true });
    const deny = anp('deny', { priority: 1, subject: { pods: { namespaceSelector: sel(), podSelector: sel({ app: 'web' }) } }, ingress: [r('deny-shop', 'Deny', fromShop)] });
    const mx = matrix([client, web, hostWeb], [deny]);
    assert.deepEqual(answer(mx.between(key(client), key(web))), { allowed: [], conditional: undefined, decidedBy: ['egress default Allow all', 'ingress AdminNetworkPolicy deny[0] Deny all'] });
    assert.deepEqual(answer(mx.between(key(client), key(hostWeb))), { allowed: 'all', conditional: undefined, decidedBy: ['egress default Allow all'] });
  });

  it('two workloads alike but for their Pods\' addresses: a networks rule tells them apart', () => {
    const client = workload('shop', 'client', { app: 'client' });
    const near = workload('shop', 'db', { app: 'db' }, { pods: [pod('shop', 'db-1', '10.1.0.5', 'n1')] });
    const far = workload('shop', 'db-2', { app: 'db' }, { pods: [pod('shop', 'db-2-1', '10.2.0.5', 'n1')] });
    const out = anp('out', { priority: 1, subject: shopOnly, egress: [r('deny-10-1', 'Deny', [{ networks: ['10.1.0.0/16'] }])] });
    const mx = matrix([client, near, far], [out]);
    assert.deepEqual(answer(mx.between(key(client), key(near))), { allowed: [], conditional: undefined, decidedBy: ['egress AdminNetworkPolicy out[0] Deny all', 'ingress default Allow all'] });
    assert.deepEqual(answer(mx.between(key(client), key(far))), { allowed: 'all', conditional: undefined, decidedBy: ['egress default Allow all', 'ingress default Allow all'] });
  });

  it('two workloads alike but for their labels (in any order): a Pod selector tells them apart', () => {
    const client = workload('shop', 'client', { app: 'client' });
    const a = workload('shop', 'a', { tier: 'x', app: 'web' });
    const b = workload('shop', 'b', { app: 'web', tier: 'y' });
    const c = workload('shop', 'c', { app: 'web', tier: 'x' });
    const deny = anp('deny', { priority: 1, subject: { pods: { namespaceSelector: sel(), podSelector: sel({ tier: 'x' }) } }, ingress: [r('deny-shop', 'Deny', fromShop)] });
    const mx = matrix([client, a, b, c], [deny]);
    assert.deepEqual([a, b, c].map((w) => mx.between(key(client), key(w))!.allowed), [[], 'all', []]);
  });

  it('two workloads alike but for the port their containers name: a namedPort rule resolves on each', () => {
    const client = workload('shop', 'client', { app: 'client' });
    const oldWeb = workload('shop', 'web', { app: 'web' }, { ports: [[80, 'http']] });
    const newWeb = workload('shop', 'web-next', { app: 'web' }, { ports: [[8080, 'http']] });
    const udp = workload('shop', 'web-udp', { app: 'web' }, { ports: [{ containerPort: 8443, name: 'http', protocol: 'UDP' }] });
    const only = anp('only-http', { priority: 1, subject: shopOnly, ingress: [r('allow-http', 'Allow', fromShop, [{ protocol: 'TCP', namedPort: 'http' }]), r('deny-rest', 'Deny', fromShop)] });
    const mx = matrix([client, oldWeb, newWeb, udp], [only]);
    assert.deepEqual(answer(mx.between(key(client), key(oldWeb))), {
      allowed: ['TCP/80'],
      conditional: undefined,
      decidedBy: ['egress default Allow all', 'ingress AdminNetworkPolicy only-http[0] Allow TCP/80', 'ingress AdminNetworkPolicy only-http[1] Deny TCP/1-79,TCP/81-65535,UDP/*,SCTP/*'],
    });
    assert.deepEqual(mx.between(key(client), key(newWeb))!.allowed, ['TCP/8080']);
    // The name is of a UDP port there: the rule's named port holds it (a named port has no protocol of its own).
    assert.deepEqual(mx.between(key(client), key(udp))!.allowed, ['UDP/8443']);
    const index = new ModelIndex(model({ namespaces: [namespace('shop')], workloads: [client, udp], adminNetworkPolicies: [only] }));
    assert.equal(evaluatePolicies(index, { source: workloadSubject(client), destination: workloadSubject(udp), protocol: 'UDP', port: 8443 }).allowed, 'yes');
  });
});

describe('connectivity and admin tiers: the deciding rules, in the order the API consults them', () => {
  it('admin rules by priority, then NetworkPolicy\'s rules and isolation, then the baseline', () => {
    const client = workload('shop', 'client', { app: 'client' });
    const web = workload('shop', 'web', { app: 'web' });
    const late = anp('late', { priority: 20, subject: shopOnly, ingress: [r('deny-22', 'Deny', fromShop, [{ protocol: 'TCP', port: 22 }])] });
    const early = anp('early', { priority: 5, subject: shopOnly, ingress: [r('allow-443', 'Allow', fromShop, [{ protocol: 'TCP', port: 443 }]), r('pass-80s', 'Pass', fromShop, [{ protocol: 'TCP', port: 80, endPort: 89 }])] });
    const base = banp({ subject: shopOnly, ingress: [r('deny-udp', 'Deny', fromShop, [{ protocol: 'UDP', port: 1, endPort: 65535 }])] });
    const np = policy('shop', 'web', sel({ app: 'web' }), { ingress: [rule([{ podSelector: sel({ app: 'client' }) }], [tcp(80)])] });
    const mx = matrix([client, web], [base, late, early], [np]);
    assert.deepEqual(answer(mx.between(key(client), key(web))), {
      allowed: ['TCP/80', 'TCP/443'],
      conditional: undefined,
      decidedBy: [
        'egress default Allow all',
        'ingress AdminNetworkPolicy early[0] Allow TCP/443',
        'ingress AdminNetworkPolicy late[0] Deny TCP/22',
        'ingress NetworkPolicy shop/web[0] Allow TCP/80',
        'ingress NetworkPolicy shop/web Deny TCP/1-21,TCP/23-79,TCP/81-442,TCP/444-65535,UDP/*,SCTP/*',
      ],
    });
    // Not isolated by a NetworkPolicy: the baseline decides UDP.
    const open = matrix([client, web], [base, late, early]);
    assert.deepEqual(answer(open.between(key(client), key(web)))!.decidedBy, [
      'egress default Allow all',
      'ingress AdminNetworkPolicy early[0] Allow TCP/443',
      'ingress AdminNetworkPolicy late[0] Deny TCP/22',
      'ingress BaselineAdminNetworkPolicy default[0] Deny UDP/*',
      'ingress default Allow TCP/1-21,TCP/23-442,TCP/444-65535,SCTP/*',
    ]);
    assert.deepEqual(open.between(key(client), key(web))!.allowed, ['TCP/1-21', 'TCP/23-65535', 'SCTP/*']);
  });

  it('two policies of one priority: by name; one policy\'s rules by index', () => {
    const client = workload('shop', 'client', { app: 'client' });
    const web = workload('shop', 'web', { app: 'web' });
    const b = anp('b', { priority: 5, subject: shopOnly, ingress: [r('b-81', 'Deny', fromShop, [{ protocol: 'TCP', port: 81 }]), r('b-80', 'Deny', fromShop, [{ protocol: 'TCP', port: 80 }])] });
    const a = anp('a', { priority: 5, subject: shopOnly, ingress: [r('a-82', 'Deny', fromShop, [{ protocol: 'TCP', port: 82 }])] });
    const mx = matrix([client, web], [b, a]);
    assert.deepEqual(answer(mx.between(key(client), key(web)))!.decidedBy, [
      'egress default Allow all',
      'ingress AdminNetworkPolicy a[0] Deny TCP/82',
      'ingress AdminNetworkPolicy b[0] Deny TCP/81',
      'ingress AdminNetworkPolicy b[1] Deny TCP/80',
      'ingress default Allow TCP/1-79,TCP/83-65535,UDP/*,SCTP/*',
    ]);
  });
});

describe('connectivity and admin tiers: open answers', () => {
  it('a Pass over a NetworkPolicy answer with two conditions at once: the clause passes through whole', () => {
    // web may send to the hostNetwork agent by its ipBlock: as its node, if the node's address is in it; as a Pod, if ipBlock applies to Pod addresses.
    const web = workload('shop', 'web', { app: 'web' });
    const agent = workload('mon', 'agent', { app: 'agent' }, { hostNetwork: true, kind: 'DaemonSet' });
    const np = policy('shop', 'web-out', sel({ app: 'web' }), { policyTypes: ['Egress'], egress: [rule([{ ipBlock: { cidr: '192.168.0.0/16', except: [] } }], [tcp(9100)])] });
    const pass = anp('pass-nodes', { priority: 1, subject: shopOnly, egress: [r('pass', 'Pass', [{ nodes: sel() }])] });
    const e = matrix([web, agent], [pass], [np]).between(key(web), key(agent))!;
    assert.deepEqual(e.allowed, []);
    assert.deepEqual(e.conditional, [
      { ports: ['TCP/9100'], if: ['the network plugin applies ipBlock 192.168.0.0/16 to Pod addresses', 'the network plugin tells hostNetwork Pods from their node and matches them as Pods'] },
      { ports: ['TCP/9100'], if: ["the network plugin sees a hostNetwork Pod's traffic as its node's, so Pod selectors do not match it (most do)", 'the node address of mon/DaemonSet/agent is in 192.168.0.0/16'] },
    ]);
    // Without the admin policy: the same answer.
    assert.deepEqual(matrix([web, agent], [], [np]).between(key(web), key(agent))!.conditional, e.conditional);
  });

  it('an admin rule whose match is open: its condition, and the ports it would decide', () => {
    const web = workload('shop', 'web', { app: 'web' });
    const job = workload('team', 'job', { app: 'job' });
    const deny = anp('deny-prod', { priority: 1, subject: shopOnly, ingress: [r('deny', 'Deny', [{ namespaces: sel({ env: 'prod' }) }], [{ protocol: 'TCP', port: 80 }])] });
    const e = matrix([web, job], [deny]).between(key(job), key(web))!;
    assert.deepEqual(e.allowed, ['TCP/1-79', 'TCP/81-65535', 'UDP/*', 'SCTP/*']);
    assert.deepEqual(e.conditional, [{ ports: ['TCP/80'], if: ['not: namespace team (its Namespace object is not in the set) carries labels matching env=prod'] }]);
    // No rule decided TCP/80 for certain; the other ports no rule touches are the default's.
    assert.deepEqual(answer(e)!.decidedBy, ['egress default Allow all', 'ingress default Allow TCP/1-79,TCP/81-65535,UDP/*,SCTP/*']);
  });
});
