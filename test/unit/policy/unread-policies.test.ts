// `kni connectivity` on a partial cluster read: where a namespace's
// NetworkPolicies (or the cluster's admin policies) could not be read, what
// the read ones allow needs the unread ones too, said for each side.
import assert from 'node:assert/strict';
import { withUnreadPolicies, type ConnectivityEntry } from '../../../src/core/policy';
import type { UnreadResource } from '../../../src/core/model/types';

const forbidden = (resource: string, namespace?: string): UnreadResource => ({ resource, ...(namespace ? { namespace } : {}), reason: 'forbidden (403)', consequence: 'policy verdicts unknown' });
const entry = (from: string, to: string, allowed: ConnectivityEntry['allowed'] = 'all'): ConnectivityEntry => ({ from, to, allowed });
const NP = (ns: string, how: string) => `the NetworkPolicies in ${ns}, which could not be read (forbidden (403)), allow it ${how}`;

describe('policy: connectivity on a partial read', () => {
  it('nothing unread: the entry as it is', () => {
    const e = entry('shop/Deployment/a', 'shop/Deployment/b');
    assert.equal(withUnreadPolicies({}, e), e);
    assert.equal(withUnreadPolicies({ unread: [] }, e), e);
    assert.equal(withUnreadPolicies({ unread: [forbidden('networkpolicies', 'jobs')] }, e), e, 'another namespace');
  });

  it('the source\'s namespace, the destination\'s, or both (one namespace: one condition)', () => {
    const unread = { unread: [forbidden('networkpolicies', 'shop')] };
    assert.deepEqual(withUnreadPolicies(unread, entry('shop/Deployment/a', 'jobs/Deployment/b')), { from: 'shop/Deployment/a', to: 'jobs/Deployment/b', allowed: [], conditional: [{ ports: 'all', if: [NP('shop', 'out')] }] });
    assert.deepEqual(withUnreadPolicies(unread, entry('jobs/Deployment/b', 'shop/Deployment/a', ['TCP/80'])), { from: 'jobs/Deployment/b', to: 'shop/Deployment/a', allowed: [], conditional: [{ ports: ['TCP/80'], if: [NP('shop', 'in')] }] });
    assert.deepEqual(withUnreadPolicies(unread, entry('shop/Deployment/a', 'shop/Deployment/b')).conditional, [{ ports: 'all', if: [NP('shop', 'out and in')] }]);
    const both = { unread: [forbidden('networkpolicies', 'shop'), forbidden('networkpolicies', 'jobs')] };
    assert.deepEqual(withUnreadPolicies(both, entry('shop/Deployment/a', 'jobs/Deployment/b')).conditional, [{ ports: 'all', if: [`${NP('shop', 'out')} and ${NP('jobs', 'in')}`] }]);
  });

  it('external and address ranges have no namespace; the admin policies are everyone\'s', () => {
    const unread = { unread: [forbidden('networkpolicies')] };
    assert.deepEqual(withUnreadPolicies(unread, entry('external', 'shop/Deployment/a')).conditional, [{ ports: 'all', if: [NP('shop', 'in')] }]);
    assert.deepEqual(withUnreadPolicies(unread, entry('shop/Deployment/a', '10.0.0.0/8')).conditional, [{ ports: 'all', if: [NP('shop', 'out')] }]);
    for (const resource of ['adminnetworkpolicies', 'clusternetworkpolicies', 'baselineadminnetworkpolicies']) {
      const admin = { unread: [forbidden(resource)] };
      assert.deepEqual(withUnreadPolicies(admin, entry('external', '10.0.0.0/8')).conditional, [{ ports: 'all', if: [`the ${resource}, which could not be read (forbidden (403)), allow it`] }]);
    }
    assert.deepEqual(withUnreadPolicies({ unread: [forbidden('services')] }, entry('external', 'shop/Deployment/a')), entry('external', 'shop/Deployment/a'));
    // Denied stays denied: nothing to make conditional.
    assert.deepEqual(withUnreadPolicies(unread, entry('external', 'shop/Deployment/a', [])), { from: 'external', to: 'shop/Deployment/a', allowed: [] });
  });
});
