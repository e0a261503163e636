// `kni connectivity`'s answers compared whole on what the Kubernetes
// documentation leaves to the network plugin (hostNetwork Pods, ipBlock
// against Pod addresses), address ranges with `except`, IPv6 blocks, and the
// ways of asking (one row, one column, one pair).
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { connectivityMatrix, type ConnectivityEntry } from '../../../src/core/policy';
import type { NetworkModel } from '../../../src/core/model/types';
import { model, namespace, pod, policy, rule, sel, tcp, workload } from '../../fixtures/trace/build';

const SKIPS = 'the network plugin does not apply NetworkPolicy to hostNetwork Pods (most do not)';
const AS_NODE = "the network plugin sees a hostNetwork Pod's traffic as its node's, so Pod selectors do not match it (most do)";
const AS_POD = 'the network plugin tells hostNetwork Pods from their node and matches them as Pods';

const matrixOf = (m: NetworkModel) => connectivityMatrix(m, new ModelIndex(m));
const answer = (e: ConnectivityEntry | undefined) => (e ? { allowed: e.allowed, ...(e.conditional ? { conditional: e.conditional } : {}) } : undefined);

describe('connectivity: hostNetwork workloads', () => {
  it('a hostNetwork destination: what its policies allow is certain, everything else only where the plugin does not govern it', () => {
    const agent = workload('mon', 'agent', { app: 'agent' }, { hostNetwork: true, kind: 'DaemonSet' });
    const web = workload('mon', 'web', { app: 'web' });
    const p = policy('mon', 'agent', sel({ app: 'agent' }), { ingress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp(9100)])] });
    const mx = matrixOf(model({ namespaces: [namespace('mon')], workloads: [agent, web], networkPolicies: [p] }));
    assert.deepEqual(answer(mx.between('mon/Deployment/web', 'mon/DaemonSet/agent')), {
      allowed: ['TCP/9100'],
      conditional: [{ ports: ['TCP/1-9099', 'TCP/9101-65535', 'UDP/*', 'SCTP/*'], if: [SKIPS] }],
    });
  });

  it('a hostNetwork source: a Pod selector matches it only as a Pod; an ipBlock holds its node\'s address', () => {
    const agent = workload('mon', 'agent', { app: 'agent' }, { hostNetwork: true, kind: 'DaemonSet' });
    const db = workload('mon', 'db', { app: 'db' });
    const p = policy('mon', 'db', sel({ app: 'db' }), {
      ingress: [rule([{ podSelector: sel({ app: 'agent' }) }], [tcp(5432)]), rule([{ ipBlock: { cidr: '192.168.0.0/16', except: [] } }], [tcp(9187)])],
    });
    const m = model({ namespaces: [namespace('mon')], workloads: [agent, db], networkPolicies: [p] });
    assert.deepEqual(answer(matrixOf(m).between('mon/DaemonSet/agent', 'mon/Deployment/db')), {
      allowed: [],
      conditional: [
        { ports: ['TCP/5432'], if: [AS_POD] },
        { ports: ['TCP/9187'], if: ['the network plugin applies ipBlock 192.168.0.0/16 to Pod addresses', AS_POD] },
        { ports: ['TCP/9187'], if: [AS_NODE, 'the node address of mon/DaemonSet/agent is in 192.168.0.0/16'] },
      ],
    });
    // Its Pods' addresses known: the node's address decides the ipBlock; as a Pod, an ipBlock matches Pod addresses only if the plugin applies it so.
    const at = (ip: string) => workload('mon', 'agent', { app: 'agent' }, { hostNetwork: true, kind: 'DaemonSet', pods: [pod('mon', 'agent-x', ip, 'n1')] });
    const inside = matrixOf(model({ namespaces: [namespace('mon')], workloads: [at('192.168.3.4'), db], networkPolicies: [p] }));
    assert.deepEqual(answer(inside.between('mon/DaemonSet/agent', 'mon/Deployment/db')), {
      allowed: [],
      conditional: [
        { ports: ['TCP/9187'], if: [AS_NODE] },
        { ports: ['TCP/5432'], if: [AS_POD] },
        { ports: ['TCP/9187'], if: ['the network plugin applies ipBlock 192.168.0.0/16 to Pod addresses', AS_POD] },
      ],
    });
    const outside = matrixOf(model({ namespaces: [namespace('mon')], workloads: [at('10.0.0.4'), db], networkPolicies: [p] }));
    assert.deepEqual(answer(outside.between('mon/DaemonSet/agent', 'mon/Deployment/db')), { allowed: [], conditional: [{ ports: ['TCP/5432'], if: [AS_POD] }] });
  });
});

describe('connectivity: ipBlock and addresses', () => {
  it('Pods with known addresses: outside a block never, inside only if the plugin applies ipBlock to Pods; unknown addresses: the same condition', () => {
    const web = (ip?: string) => workload('shop', 'web', { app: 'web' }, ip ? { pods: [pod('shop', 'web-1', ip, 'n1')] } : {});
    const db = workload('shop', 'db', { app: 'db' });
    const p = policy('shop', 'db', sel({ app: 'db' }), { ingress: [rule([{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.9.0/24'] } }], [tcp(5432)])] });
    const ask = (w: ReturnType<typeof web>) => answer(matrixOf(model({ namespaces: [namespace('shop')], workloads: [w, db], networkPolicies: [p] })).between('shop/Deployment/web', 'shop/Deployment/db'));
    const PLUGIN = 'the network plugin applies ipBlock 10.244.0.0/16 except 10.244.9.0/24 to Pod addresses';
    assert.deepEqual(ask(web('10.244.1.5')), { allowed: [], conditional: [{ ports: ['TCP/5432'], if: [PLUGIN] }] });
    assert.deepEqual(ask(web('10.244.9.5')), { allowed: [] }, 'excepted');
    assert.deepEqual(ask(web('10.245.1.5')), { allowed: [] });
    assert.deepEqual(ask(web()), { allowed: [], conditional: [{ ports: ['TCP/5432'], if: [PLUGIN] }] });
  });

  it('the external client: an IPv4 address not known; IPv6 blocks and invalid ones do not hold it; 0.0.0.0/0 holds it for certain', () => {
    const db = workload('shop', 'db', { app: 'db' });
    const p = policy('shop', 'db', sel({ app: 'db' }), {
      ingress: [
        rule([{ ipBlock: { cidr: '::/0', except: [] } }], [tcp(1)]),
        rule([{ ipBlock: { cidr: 'bogus', except: [] } }], [tcp(2)]),
        rule([{ ipBlock: { cidr: '203.0.113.0/24', except: [] } }], [tcp(3)]),
        rule([{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], [tcp(4)]),
      ],
    });
    const mx = matrixOf(model({ namespaces: [namespace('shop')], workloads: [db], networkPolicies: [p] }));
    assert.deepEqual(answer(mx.between('external', 'shop/Deployment/db')), {
      allowed: ['TCP/4'],
      conditional: [{ ports: ['TCP/3'], if: ['the client address is in 203.0.113.0/24'] }],
    });
  });

  it('egress ranges: each cidr and except named once, IPv6 ones too; a range inside an except is denied, one holding an except is open', () => {
    const web = workload('shop', 'web', { app: 'web' });
    const out = policy('shop', 'out', sel({ app: 'web' }), {
      policyTypes: ['Egress'],
      egress: [
        rule([{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], [tcp(443)]),
        rule([{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }, { ipBlock: { cidr: 'fd00::/8', except: [] } }], [tcp(53)]),
      ],
    });
    const mx = matrixOf(model({ namespaces: [namespace('shop')], workloads: [web], networkPolicies: [out] }));
    assert.deepEqual(mx.externalDestinations, ['external', '10.0.0.0/8', '10.1.0.0/16', 'fd00::/8']);
    const to = (d: string) => answer(mx.between('shop/Deployment/web', d));
    assert.deepEqual(to('10.0.0.0/8'), {
      allowed: ['TCP/53'],
      conditional: [{ ports: ['TCP/443'], if: ['the destination address in 10.0.0.0/8 is in 10.0.0.0/8 except 10.1.0.0/16'] }],
    });
    assert.deepEqual(to('10.1.0.0/16'), { allowed: ['TCP/53'] }, 'inside the except: 443 denied; 53 allowed by the other rule');
    assert.deepEqual(to('fd00::/8'), { allowed: ['TCP/53'] });
    assert.deepEqual(to('external'), {
      allowed: [],
      conditional: [
        { ports: ['TCP/53'], if: ['the destination address is in 10.0.0.0/8'] },
        { ports: ['TCP/443'], if: ['the destination address is in 10.0.0.0/8 except 10.1.0.0/16'] },
      ],
    });
    assert.equal(mx.between('shop/Deployment/web', '192.168.0.0/16'), undefined, 'not a range of the set');
  });
});

describe('connectivity: rows, columns, pairs', () => {
  const fixture = () => {
    const api = workload('shop', 'api', { app: 'api' });
    const web = workload('shop', 'web', { app: 'web' });
    const job = workload('jobs', 'job', { app: 'job' });
    const p = policy('shop', 'api', sel({ app: 'api' }), { ingress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)])] });
    const out = policy('shop', 'web-out', sel({ app: 'web' }), { policyTypes: ['Egress'], egress: [rule([{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }], [tcp(443)]), rule([{ podSelector: sel() }])] });
    return model({ namespaces: [namespace('shop'), namespace('jobs')], workloads: [api, web, job], networkPolicies: [p, out] });
  };
  const line = (e: ConnectivityEntry) => `${e.from}>${e.to}:${e.allowed === 'all' ? 'all' : e.allowed.join(',')}${e.conditional ? '?' : ''}`;

  it('entries: external first, then each workload to every workload and every destination outside', () => {
    assert.deepEqual([...matrixOf(fixture()).entries()].map(line), [
      'external>shop/Deployment/api:',
      'external>shop/Deployment/web:all',
      'external>jobs/Deployment/job:all',
      'shop/Deployment/api>shop/Deployment/api:',
      'shop/Deployment/api>shop/Deployment/web:all',
      'shop/Deployment/api>jobs/Deployment/job:all',
      'shop/Deployment/api>external:all',
      'shop/Deployment/api>10.0.0.0/8:all',
      'shop/Deployment/web>shop/Deployment/api:TCP/8080',
      'shop/Deployment/web>shop/Deployment/web:all',
      'shop/Deployment/web>jobs/Deployment/job:?',
      'shop/Deployment/web>external:?',
      'shop/Deployment/web>10.0.0.0/8:TCP/443',
      'jobs/Deployment/job>shop/Deployment/api:',
      'jobs/Deployment/job>shop/Deployment/web:all',
      'jobs/Deployment/job>jobs/Deployment/job:all',
      'jobs/Deployment/job>external:all',
      'jobs/Deployment/job>10.0.0.0/8:all',
    ]);
  });

  it('from and to: external has no row to the outside; a column to a range lists the workloads; unknown names give nothing', () => {
    const mx = matrixOf(fixture());
    assert.deepEqual([...mx.from('external')].map(line), ['external>shop/Deployment/api:', 'external>shop/Deployment/web:all', 'external>jobs/Deployment/job:all']);
    assert.deepEqual([...mx.to('10.0.0.0/8')].map(line), ['shop/Deployment/api>10.0.0.0/8:all', 'shop/Deployment/web>10.0.0.0/8:TCP/443', 'jobs/Deployment/job>10.0.0.0/8:all']);
    assert.deepEqual([...mx.to('shop/Deployment/web')].map(line), ['external>shop/Deployment/web:all', 'shop/Deployment/api>shop/Deployment/web:all', 'shop/Deployment/web>shop/Deployment/web:all', 'jobs/Deployment/job>shop/Deployment/web:all']);
    assert.deepEqual([...mx.to('nowhere/Deployment/x')], []);
    assert.equal(mx.between('nowhere/Deployment/x', 'shop/Deployment/web'), undefined);
    assert.equal(mx.between('shop/Deployment/web', 'nowhere/Deployment/x'), undefined);
    assert.equal(mx.between('external', '10.0.0.0/8'), undefined);
    // Asked in any order, the same answers.
    const fresh = matrixOf(fixture());
    assert.deepEqual(answer(fresh.between('shop/Deployment/web', '10.0.0.0/8')), { allowed: ['TCP/443'] });
    assert.deepEqual(answer(fresh.between('shop/Deployment/api', '10.0.0.0/8')), { allowed: 'all' });
    assert.deepEqual(answer(fresh.between('shop/Deployment/web', '10.0.0.0/8')), { allowed: ['TCP/443'] });
    assert.deepEqual([...fresh.to('shop/Deployment/api')].map(line), ['external>shop/Deployment/api:', 'shop/Deployment/api>shop/Deployment/api:', 'shop/Deployment/web>shop/Deployment/api:TCP/8080', 'jobs/Deployment/job>shop/Deployment/api:']);
  });

  it('stats: workloads, policies, classes, and each class pair computed once while its row is kept', () => {
    const mx = matrixOf(fixture());
    assert.deepEqual(mx.stats(), { workloads: 3, policies: 2, classes: 3, classPairs: 0, answers: 0 });
    const all = [...mx.entries()];
    assert.equal(all.length, 3 + 3 * 5);
    // external -> 3 classes, 3 classes -> 3 classes and 2 destinations outside.
    const s = mx.stats();
    assert.equal(s.classPairs, 3 + 3 * 5);
    assert.equal(s.answers, 6, 'none, all, TCP/8080, TCP/443 and two conditional ones (to job: if ipBlock applies to Pods; to external: if the address is in 10.0.0.0/8)');
    assert.equal([...mx.entries()].length, all.length);
    assert.equal(mx.stats().classPairs, 18, 'rows kept: nothing computed again');
  });

  it('the same workload in two files counts once', () => {
    const a = workload('shop', 'api', { app: 'api' });
    const copy = { ...workload('shop', 'api', { app: 'api' }), origin: { source: 'manifest' as const, file: 'other.yaml' } };
    const mx = matrixOf(model({ workloads: [a, copy] }));
    assert.deepEqual(mx.workloads.map((w) => w.name), ['api']);
    assert.equal([...mx.entries()].length, 1 + 1 + 1);
  });
});
