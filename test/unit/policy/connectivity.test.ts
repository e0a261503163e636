// The connectivity matrix: shape, ports and ranges, named ports, conditions.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import { connectivityMatrix, PortSet } from '../../../src/core/policy';
import { model, namespace, policy, rule, sel, tcp, workload } from '../../fixtures/trace/build';

describe('policy: connectivity matrix', () => {
  const api = workload('shop', 'api', { app: 'api' }, { ports: [[8080, 'http']] });
  const web = workload('shop', 'web', { app: 'web' });
  const batch = workload('jobs', 'batch', { app: 'batch' });
  const p = policy('shop', 'api', sel({ app: 'api' }), {
    ingress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp('http'), tcp(9000, 9100)]), rule([{ namespaceSelector: sel({ team: 'jobs' }) }], [tcp(8080)])],
  });
  const m = model({ namespaces: [namespace('shop')], workloads: [api, web, batch], networkPolicies: [p] });
  const matrix = connectivityMatrix(m, new ModelIndex(m));

  it('every ordered pair, external first, self pairs included', () => {
    const all = [...matrix.entries()];
    assert.equal(all.length, 3 + 3 * 3);
    assert.deepEqual(all.slice(0, 3).map((e) => e.from), ['external', 'external', 'external']);
  });
  it('ports: a named port resolved on the destination, a range with endPort', () => {
    assert.deepEqual(matrix.between('shop/Deployment/web', 'shop/Deployment/api')!.allowed, ['TCP/8080', 'TCP/9000-9100']);
    assert.equal(matrix.between('shop/Deployment/api', 'shop/Deployment/web')!.allowed, 'all');
    assert.deepEqual(matrix.between('external', 'shop/Deployment/api')!.allowed, []);
  });
  it('a namespace the set does not declare: allowed only if it carries the labels, said so', () => {
    const e = matrix.between('jobs/Deployment/batch', 'shop/Deployment/api')!;
    assert.deepEqual(e.allowed, []);
    assert.deepEqual(e.conditional, { ports: ['TCP/8080'], conditions: ['namespace jobs (its Namespace object is not in the set) carries labels matching team=jobs'] });
  });
  it('workloads that look alike to every policy share one class', () => {
    const many = Array.from({ length: 50 }, (_, i) => workload('shop', `web-${i}`, { app: 'web' }));
    const m2 = model({ workloads: [api, ...many], networkPolicies: [p] });
    const mx = connectivityMatrix(m2, new ModelIndex(m2));
    assert.equal([...mx.entries()].length, 51 + 51 * 51);
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
    assert.deepEqual(connections.map((e) => `${e.from}>${e.to}`), ['external>G1', 'external>G2', 'G1>G1', 'G1>G2', 'G2>G1', 'G2>G2']);
    assert.deepEqual(connections.find((e) => e.from === 'G2' && e.to === 'G1')!.allowed, ['TCP/8080', 'TCP/9000-9100']);
  });
  it('from/to: one row or one column, in model order', () => {
    assert.deepEqual([...matrix.from('shop/Deployment/web')].map((e) => e.to), ['shop/Deployment/api', 'shop/Deployment/web', 'jobs/Deployment/batch']);
    assert.deepEqual([...matrix.to('shop/Deployment/api')].map((e) => e.from), ['external', 'shop/Deployment/api', 'shop/Deployment/web', 'jobs/Deployment/batch']);
    assert.deepEqual([...matrix.from('shop/Deployment/nope')], []);
  });
  it('PortSet formats and intersects ranges', () => {
    const a = PortSet.none().add('TCP', 80, 90).add('TCP', 91, 100).add('UDP', 1, 65535);
    assert.deepEqual(a.format(), ['TCP/80-100', 'UDP/*']);
    assert.deepEqual(a.intersect(PortSet.none().add('TCP', 95, 200)).format(), ['TCP/95-100']);
    assert.ok(PortSet.all().isAll());
  });
});
