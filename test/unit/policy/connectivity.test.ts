// The connectivity matrix: shape, ports and ranges, named ports, conditions.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { connectivityMatrix, PortSet, withUnreadPolicies } from '../../../src/core/policy';
import { container, model, namespace, pod, policy, rule, sel, tcp, workload } from '../../fixtures/trace/build';

describe('policy: connectivity matrix', () => {
  const api = workload('shop', 'api', { app: 'api' }, { ports: [[8080, 'http']] });
  const web = workload('shop', 'web', { app: 'web' });
  const batch = workload('jobs', 'batch', { app: 'batch' });
  const p = policy('shop', 'api', sel({ app: 'api' }), {
    ingress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp('http'), tcp(9000, 9100)]), rule([{ namespaceSelector: sel({ team: 'jobs' }) }], [tcp(8080)])],
  });
  const m = model({ namespaces: [namespace('shop')], workloads: [api, web, batch], networkPolicies: [p] });
  // Computed in each test, not once while the file loads: a test is then what reaches the code it checks.
  const matrix = () => connectivityMatrix(m, new ModelIndex(m));

  it('every ordered pair, external first, self pairs included', () => {
    const all = [...matrix().entries()];
    assert.equal(all.length, 3 + 3 * 3 + 3);
    assert.deepEqual(all.slice(0, 3).map((e) => e.from), ['external', 'external', 'external']);
  });
  it('ports: a named port resolved on the destination, a range with endPort', () => {
    assert.deepEqual(matrix().between('shop/Deployment/web', 'shop/Deployment/api')!.allowed, ['TCP/8080', 'TCP/9000-9100']);
    assert.equal(matrix().between('shop/Deployment/api', 'shop/Deployment/web')!.allowed, 'all');
    assert.deepEqual(matrix().between('external', 'shop/Deployment/api')!.allowed, []);
  });
  it('a namespace the set does not declare: allowed only if it carries the labels, said so', () => {
    const e = matrix().between('jobs/Deployment/batch', 'shop/Deployment/api')!;
    assert.deepEqual(e.allowed, []);
    assert.deepEqual(e.conditional, [{ ports: ['TCP/8080'], if: ['namespace jobs (its Namespace object is not in the set) carries labels matching team=jobs'] }]);
  });
  it('workloads that look alike to every policy share one class', () => {
    const many = Array.from({ length: 50 }, (_, i) => workload('shop', `web-${i}`, { app: 'web' }));
    const m2 = model({ workloads: [api, ...many], networkPolicies: [p] });
    const mx = connectivityMatrix(m2, new ModelIndex(m2));
    assert.equal([...mx.entries()].length, 51 + 51 * 51 + 51);
    assert.equal(mx.stats().classes, 2);
  });
  it('groups: workloads with the same answers against everyone share a group even when policies see them apart', () => {
    const webs = Array.from({ length: 3 }, (_, i) => workload('shop', `web-${i}`, { app: 'web', v: String(i) }));
    // Matches web-0 only, in a policy that selects no Pod: web-0's class differs, its answers do not.
    const idle = policy('shop', 'idle', sel({ app: 'nothing' }), { ingress: [rule([{ podSelector: sel({ v: '0' }) }], [tcp(80)])] });
    const m2 = model({ namespaces: [namespace('shop')], workloads: [api, ...webs], networkPolicies: [p, idle] });
    const mx = connectivityMatrix(m2, new ModelIndex(m2));
    assert.equal(mx.stats().classes, 3);
    const g = mx.grouped();
    assert.deepEqual(
      g.groups.map((x) => x.members),
      [['shop/Deployment/api'], ['shop/Deployment/web-0', 'shop/Deployment/web-1', 'shop/Deployment/web-2']],
    );
    const connections = [...g.connections()];
    assert.deepEqual(connections.map((e) => `${e.from}>${e.to}`), ['external>G1', 'external>G2', 'G1>G1', 'G1>G2', 'G1>external', 'G2>G1', 'G2>G2', 'G2>external']);
    assert.deepEqual(connections.find((e) => e.from === 'G2' && e.to === 'G1')!.allowed, ['TCP/8080', 'TCP/9000-9100']);
  });
  it('from/to: one row or one column, in model order', () => {
    assert.deepEqual([...matrix().from('shop/Deployment/web')].map((e) => e.to), ['shop/Deployment/api', 'shop/Deployment/web', 'jobs/Deployment/batch', 'external']);
    assert.deepEqual([...matrix().to('shop/Deployment/api')].map((e) => e.from), ['external', 'shop/Deployment/api', 'shop/Deployment/web', 'jobs/Deployment/batch']);
    assert.deepEqual([...matrix().from('shop/Deployment/nope')], []);
  });
  it('egress to outside the cluster: external, and each range an egress ipBlock names as its own destination', () => {
    const egress = policy('shop', 'web-out', sel({ app: 'web' }), {
      policyTypes: ['Egress'],
      egress: [rule([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], [tcp(443)]), rule([{ ipBlock: { cidr: '10.20.0.0/16', except: [] } }], [tcp(5432)])],
    });
    const m2 = model({ namespaces: [namespace('shop')], workloads: [api, web], networkPolicies: [p, egress] });
    const mx = connectivityMatrix(m2, new ModelIndex(m2));
    assert.deepEqual(mx.externalDestinations, ['external', '0.0.0.0/0', '10.0.0.0/8', '10.20.0.0/16']);
    const at = (to: string) => mx.between('shop/Deployment/web', to)!;
    // An address not known in advance: 443 only if it is outside 10.0.0.0/8, 5432 only if inside 10.20.0.0/16.
    assert.deepEqual(at('external').allowed, []);
    // Each range with its own ports: 443 is not allowed inside 10.20.0.0/16, nor 5432 outside it.
    assert.deepEqual(at('external').conditional, [
      { ports: ['TCP/443'], if: ['the destination address is in 0.0.0.0/0 except 10.0.0.0/8'] },
      { ports: ['TCP/5432'], if: ['the destination address is in 10.20.0.0/16'] },
    ]);
    // 10.0.0.0/8 is excepted from the first rule; part of it (10.20.0.0/16) is allowed by the second.
    assert.deepEqual(at('10.0.0.0/8').allowed, []);
    assert.deepEqual(at('10.0.0.0/8').conditional, [{ ports: ['TCP/5432'], if: ['the destination address in 10.0.0.0/8 is in 10.20.0.0/16'] }]);
    assert.deepEqual(at('10.20.0.0/16').allowed, ['TCP/5432']);
    assert.equal(at('10.20.0.0/16').conditional, undefined);
    // Not isolated for egress: everything, to every destination outside.
    assert.equal(mx.between('shop/Deployment/api', '10.20.0.0/16')!.allowed, 'all');
    assert.deepEqual([...mx.to('10.20.0.0/16')].map((e) => `${e.from}:${e.allowed}`), ['shop/Deployment/api:all', 'shop/Deployment/web:TCP/5432']);
    // Outside to outside is not a pair of the cluster's.
    assert.equal(mx.between('external', 'external'), undefined);
  });
  describe('ports per condition, never merged', () => {
    const JOBS = 'namespace jobs (its Namespace object is not in the set) carries labels matching team=jobs';
    const BATCH = 'namespace jobs (its Namespace object is not in the set) carries labels matching kind=batch';
    it('"TCP/8080 if one label" and "every port if another" stay two answers', () => {
      const open = policy('shop', 'api-open', sel({ app: 'api' }), { ingress: [rule([{ namespaceSelector: sel({ kind: 'batch' }) }])] });
      const m2 = model({ namespaces: [namespace('shop')], workloads: [api, web, batch], networkPolicies: [p, open] });
      const e = connectivityMatrix(m2, new ModelIndex(m2)).between('jobs/Deployment/batch', 'shop/Deployment/api')!;
      assert.deepEqual(e.allowed, []);
      assert.deepEqual(e.conditional, [
        { ports: 'all', if: [BATCH] },
        { ports: ['TCP/8080'], if: [JOBS] },
      ]);
    });
    it('two port sets under two conditions: each its own, not their union under either', () => {
      const other = policy('shop', 'api-udp', sel({ app: 'api' }), {
        ingress: [rule([{ namespaceSelector: sel({ kind: 'batch' }) }], [{ protocol: 'UDP', port: 5000, endPort: 5010 }, { protocol: 'SCTP', port: 9003 }])],
      });
      const m2 = model({ namespaces: [namespace('shop')], workloads: [api, web, batch], networkPolicies: [p, other] });
      const e = connectivityMatrix(m2, new ModelIndex(m2)).between('jobs/Deployment/batch', 'shop/Deployment/api')!;
      assert.deepEqual(e.conditional, [
        { ports: ['UDP/5000-5010', 'SCTP/9003'], if: [BATCH] },
        { ports: ['TCP/8080'], if: [JOBS] },
      ]);
    });
    it('conditions at both ends must hold together: one clause with both', () => {
      // batch may send to api only if namespace shop (undeclared here) carries env=prod; api takes it only if jobs carries team=jobs.
      const out = policy('jobs', 'batch-out', sel({ app: 'batch' }), {
        policyTypes: ['Egress'],
        egress: [rule([{ namespaceSelector: sel({ env: 'prod' }) }], [tcp(8080), tcp(9000, 9100)])],
      });
      const m2 = model({ workloads: [api, web, batch], networkPolicies: [p, out] });
      const e = connectivityMatrix(m2, new ModelIndex(m2)).between('jobs/Deployment/batch', 'shop/Deployment/api')!;
      assert.deepEqual(e.allowed, []);
      assert.deepEqual(e.conditional, [
        { ports: ['TCP/8080'], if: [JOBS, 'namespace shop (its Namespace object is not in the set) carries labels matching env=prod'] },
      ]);
    });
    it('a certain part and a conditional part of one pair: the conditional ports exclude the certain ones', () => {
      const open = policy('shop', 'api-batch', sel({ app: 'api' }), { ingress: [rule([{ namespaceSelector: sel({ kubernetes: 'x' }) }, { podSelector: sel({ app: 'web' }) }], [tcp(7000)])] });
      const wide = policy('shop', 'api-web', sel({ app: 'api' }), { ingress: [rule([{ namespaceSelector: sel({ kind: 'batch' }) }], [tcp(7000, 7010)])] });
      const m2 = model({ namespaces: [namespace('shop')], workloads: [api, web, batch], networkPolicies: [p, open, wide] });
      const mx = connectivityMatrix(m2, new ModelIndex(m2));
      assert.deepEqual(mx.between('shop/Deployment/web', 'shop/Deployment/api')!.allowed, ['TCP/7000', 'TCP/8080', 'TCP/9000-9100']);
      assert.deepEqual(mx.between('jobs/Deployment/batch', 'shop/Deployment/api')!.conditional, [
        { ports: ['TCP/7000-7010'], if: [BATCH] },
        { ports: ['TCP/7000'], if: ['namespace jobs (its Namespace object is not in the set) carries labels matching kubernetes=x'] },
        { ports: ['TCP/8080'], if: [JOBS] },
      ]);
    });
    it('groups: two sources with the same ports and conditions, paired the other way round, are not one group', () => {
      // From namespace jobs (labels unknown): a gets 8080 under team=jobs and everything under kind=batch; b the reverse.
      const peer = (ns: Record<string, string>, app: string) => ({ namespaceSelector: sel(ns), podSelector: sel({ app }) });
      const crossed = policy('shop', 'api-crossed', sel({ app: 'api' }), {
        ingress: [
          rule([peer({ team: 'jobs' }, 'a')], [tcp(8080)]),
          rule([peer({ team: 'jobs' }, 'b')]),
          rule([peer({ kind: 'batch' }, 'a')]),
          rule([peer({ kind: 'batch' }, 'b')], [tcp(8080)]),
        ],
      });
      const a = workload('jobs', 'a', { app: 'a' });
      const b = workload('jobs', 'b', { app: 'b' });
      const m2 = model({ namespaces: [namespace('shop')], workloads: [api, a, b], networkPolicies: [crossed] });
      const mx = connectivityMatrix(m2, new ModelIndex(m2));
      assert.deepEqual(mx.between('jobs/Deployment/a', 'shop/Deployment/api')!.conditional, [
        { ports: 'all', if: [BATCH] },
        { ports: ['TCP/8080'], if: [JOBS] },
      ]);
      assert.deepEqual(mx.between('jobs/Deployment/b', 'shop/Deployment/api')!.conditional, [
        { ports: ['TCP/8080'], if: [BATCH] },
        { ports: 'all', if: [JOBS] },
      ]);
      assert.deepEqual(mx.grouped().groups.map((g) => g.members), [['shop/Deployment/api'], ['jobs/Deployment/a'], ['jobs/Deployment/b']]);
    });
    it('a named port resolved per destination Pod where a rollout left them apart', () => {
      const c = (port: number) => [container('api', [[port, 'http'], [9090, 'metrics']])];
      const live = workload('shop', 'api', { app: 'api' }, {
        ports: [[8080, 'http']],
        pods: [pod('shop', 'api-new-1', '10.0.0.1', 'n1', { containers: c(8081) }), pod('shop', 'api-old-1', '10.0.0.2', 'n1', { containers: c(8080) }), pod('shop', 'api-old-2', '10.0.0.3', 'n2', { containers: c(8080) })],
      });
      const m2 = model({ namespaces: [namespace('shop')], workloads: [live, web], networkPolicies: [p] });
      const e = connectivityMatrix(m2, new ModelIndex(m2)).between('shop/Deployment/web', 'shop/Deployment/api')!;
      // 9000-9100 is every Pod's; "http" is 8081 on the new Pod, 8080 on the old ones.
      assert.deepEqual(e.allowed, ['TCP/9000-9100']);
      assert.deepEqual(e.conditional, [
        { ports: ['TCP/8081'], if: ['the destination Pod is api-new-1 (there "http" is TCP/8081)'] },
        { ports: ['TCP/8080'], if: ['the destination Pod is api-old-1 or api-old-2 (there "http" is TCP/8080)'] },
      ]);
      // Pods that agree: one answer, no Pod named.
      const same = workload('shop', 'api', { app: 'api' }, { ports: [[8080, 'http']], pods: [pod('shop', 'api-1', '10.0.0.1', 'n1', { containers: c(8080) }), pod('shop', 'api-2', '10.0.0.2', 'n1', { containers: c(8080) })] });
      const m3 = model({ namespaces: [namespace('shop')], workloads: [same, web], networkPolicies: [p] });
      const f = connectivityMatrix(m3, new ModelIndex(m3)).between('shop/Deployment/web', 'shop/Deployment/api')!;
      assert.deepEqual([f.allowed, f.conditional], [['TCP/8080', 'TCP/9000-9100'], undefined]);
    });
  });
  it('a partial read: what the read policies allow, certain or under their own conditions, needs the unread ones too', () => {
    const unread = { unread: [{ resource: 'networkpolicies', namespace: 'shop', reason: 'forbidden (403)', consequence: 'policy verdicts unknown' }] };
    const U = 'the NetworkPolicies in shop, which could not be read (forbidden (403)), allow it in';
    const e = withUnreadPolicies(unread, { from: 'jobs/Deployment/batch', to: 'shop/Deployment/api', allowed: ['TCP/80'], conditional: [{ ports: ['TCP/80', 'TCP/90'], if: ['A'] }] });
    // TCP/80 needs only the unread policies; TCP/90 needs A as well.
    assert.deepEqual(e, { from: 'jobs/Deployment/batch', to: 'shop/Deployment/api', allowed: [], conditional: [{ ports: ['TCP/80'], if: [U] }, { ports: ['TCP/90'], if: ['A', U] }] });
    assert.deepEqual(withUnreadPolicies(unread, { from: 'jobs/Deployment/batch', to: 'shop/Deployment/api', allowed: [] }), { from: 'jobs/Deployment/batch', to: 'shop/Deployment/api', allowed: [] });
  });
  it('PortSet formats and intersects ranges', () => {
    const a = PortSet.none().add('TCP', 80, 90).add('TCP', 91, 100).add('UDP', 1, 65535);
    assert.deepEqual(a.format(), ['TCP/80-100', 'UDP/*']);
    assert.deepEqual(a.intersect(PortSet.none().add('TCP', 95, 200)).format(), ['TCP/95-100']);
    assert.ok(PortSet.all().isAll());
    assert.equal(PortSet.parse(['TCP/80', 'TCP/443', 'TCP/8000-8100', 'UDP/53', 'SCTP/*']).formatCompact(), 'TCP/80,443,8000-8100 UDP/53 SCTP/*');
    assert.equal(PortSet.all().minus(PortSet.none().add('UDP', 53, 53)).formatCompact(), 'TCP/* UDP/1-52,54-65535 SCTP/*');
    assert.equal(PortSet.none().formatCompact(), 'none');
    assert.equal(PortSet.parse('all').formatCompact(), 'all');
  });
});
