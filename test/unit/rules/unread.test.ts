// A partial cluster read: the findings of rules whose verdict rests on a
// resource type that could not be read are withheld where it was not read
// (an absence that is only ignorance is no "selector matches no Pod"), and
// the outputs list which rules were not applied and because of what.
import assert from 'node:assert/strict';
import type { UnreadResource } from '../../../src/core/model/types';
import { rulesNotChecked, withoutUnreadDependents } from '../../../src/core/rules/unread';
import { model, policy, sel, service, svcPort, workload } from './build';
import { lintModel } from './lint-helper';

const unread = (resource: string, namespace?: string): UnreadResource => ({ resource, namespace, reason: 'forbidden (403)', consequence: 'unknown' });

/** Two namespaces, each with a Service that selects nothing and a Deployment that no NetworkPolicy isolates. */
function twoNamespaces(unreadList: UnreadResource[]) {
  const m = model([
    service('cart', { app: 'cart' }, { ns: 'shop', ports: [svcPort(80, 8080)] }),
    workload('web', { app: 'web' }, { ns: 'shop' }),
    service('pay', { app: 'pay' }, { ns: 'billing', ports: [svcPort(80, 8080)] }),
    workload('ledger', { app: 'ledger' }, { ns: 'billing' }),
    policy('nothing', sel({ app: 'gone' }), { ns: 'billing' }),
  ]);
  const all = lintModel(m, { rules: { 'pod-not-isolated': 'info' } });
  m.unread = unreadList;
  return { all, kept: withoutUnreadDependents(m, all), m };
}

const shown = (list: { rule: string; object?: { namespace?: string; name: string } }[]) =>
  list.map((f) => `${f.rule} ${f.object?.namespace}/${f.object?.name}`).sort();

describe('rules on a partial read', () => {
  it('a complete read withholds nothing (the findings the other cases start from)', () => {
    const { all, kept, m } = twoNamespaces([]);
    assert.equal(kept, all);
    assert.deepEqual(shown(all), [
      'networkpolicy-selects-nothing billing/nothing',
      'pod-not-isolated billing/ledger',
      'pod-not-isolated shop/web',
      'service-no-matching-pods billing/pay',
      'service-no-matching-pods shop/cart',
    ]);
    assert.deepEqual(rulesNotChecked(m), []);
  });

  it('Pods unread in one namespace: only the verdicts about that namespace that read Pods are withheld', () => {
    const { kept } = twoNamespaces([unread('pods', 'shop')]);
    assert.deepEqual(shown(kept), [
      'networkpolicy-selects-nothing billing/nothing',
      'pod-not-isolated billing/ledger',
      'pod-not-isolated shop/web',
      'service-no-matching-pods billing/pay',
    ]);
  });

  it('Pods unread everywhere: no "selects no Pod" anywhere, the rest stands', () => {
    const { kept } = twoNamespaces([unread('pods')]);
    assert.deepEqual(shown(kept), ['pod-not-isolated billing/ledger', 'pod-not-isolated shop/web']);
  });

  it('NetworkPolicies unread in one namespace: "not isolated" is not said there', () => {
    const { kept } = twoNamespaces([unread('networkpolicies', 'billing')]);
    assert.deepEqual(shown(kept), [
      'networkpolicy-selects-nothing billing/nothing',
      'pod-not-isolated shop/web',
      'service-no-matching-pods billing/pay',
      'service-no-matching-pods shop/cart',
    ]);
  });

  it('a type no rule reads withholds nothing', () => {
    const { all, kept } = twoNamespaces([unread('configmaps')]);
    assert.deepEqual(shown(kept), shown(all));
  });

  it('a rule that reads other namespaces is withheld everywhere when its type is unread anywhere', () => {
    const m = model([policy('p', sel({}), { ns: 'shop' })]);
    const peer = { rule: 'networkpolicy-peer-selects-nothing' as const, severity: 'warning' as const, message: '', loc: { file: 'a.yaml', start: 0, end: 1 }, object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'p' }, related: [], fixes: [] };
    m.unread = [unread('namespaces', 'billing')];
    assert.deepEqual(withoutUnreadDependents(m, [peer]), []);
    m.unread = [unread('services', 'billing')];
    assert.deepEqual(withoutUnreadDependents(m, [peer]), [peer]);
    // A finding about no namespaced object: unread anywhere withholds it.
    const classless = { ...peer, rule: 'ingress-class-missing' as const, object: undefined };
    m.unread = [unread('ingressclasses', 'billing')];
    assert.deepEqual(withoutUnreadDependents(m, [classless]), []);
  });

  it('says which rules were not applied and which unread types they need, sorted by rule', () => {
    const m = model([]);
    m.unread = [unread('networkpolicies', 'shop'), unread('pods', 'billing'), unread('adminnetworkpolicies')];
    const notChecked = rulesNotChecked(m);
    assert.deepEqual(
      notChecked.map((n) => `${n.rule}: ${n.because.join(', ')}`),
      [
        'ingress-backend-no-endpoints: pods',
        'networkpolicy-egress-blocks-dns: adminnetworkpolicies',
        'networkpolicy-peer-selects-nothing: pods',
        'networkpolicy-port-missing: pods',
        'networkpolicy-selects-nothing: pods',
        'pod-not-isolated: networkpolicies',
        'service-blocked-by-policy: pods, networkpolicies, adminnetworkpolicies',
        'service-no-matching-pods: pods',
        'service-protocol-mismatch: pods',
        'service-selects-many-workloads: pods',
        'service-target-port-missing: pods',
      ],
    );
    // Rules switched off are not listed: they were not going to be applied anyway.
    assert.deepEqual(
      rulesNotChecked(m, (rule) => rule === 'pod-not-isolated' || rule === 'service-no-selector').map((n) => n.rule),
      ['pod-not-isolated'],
    );
  });
});
