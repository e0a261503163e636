// Ports allowed under conditions, as `kni connectivity` prints them: certain
// ports, then clauses "these ports if all of these hold", each written once.
import assert from 'node:assert/strict';
import { GuardedPorts, PortSet } from '../../../src/core/policy';

const tcp = (...ports: (number | [number, number])[]) => {
  const s = PortSet.none();
  for (const p of ports) {
    if (Array.isArray(p)) s.add('TCP', p[0], p[1]);
    else s.add('TCP', p, p);
  }
  return s;
};
/** The answer as the CLI prints it. */
const show = (g: GuardedPorts) => ({ allowed: g.allowed.format(), clauses: g.clauses.map((c) => `${c.ports.format().join(' ')} if ${c.when.join(' and ')}`) });

describe('policy: guarded ports', () => {
  it('or: two readings, each clause kept with its own ports; certain ports leave the clauses', () => {
    const a = new GuardedPorts(tcp(80), [{ ports: tcp(8080, 443), when: ['A'] }]);
    const b = new GuardedPorts(tcp(443), [{ ports: tcp(9000), when: ['B'] }]);
    assert.deepEqual(show(a.or(b)), { allowed: ['TCP/80', 'TCP/443'], clauses: ['TCP/8080 if A', 'TCP/9000 if B'] });
    assert.deepEqual(show(a), { allowed: ['TCP/80'], clauses: ['TCP/443 TCP/8080 if A'] }, 'a itself unchanged');
    assert.deepEqual(a.possible().format(), ['TCP/80', 'TCP/443', 'TCP/8080']);
  });

  it('and: both ends\' conditions hold together; certain only where both are certain', () => {
    const egress = new GuardedPorts(tcp(80, 8080), [{ ports: tcp(9000), when: ['E'] }]);
    const ingress = new GuardedPorts(tcp(80), [{ ports: tcp(8080, 9000), when: ['I'] }]);
    assert.deepEqual(show(egress.and(ingress)), { allowed: ['TCP/80'], clauses: ['TCP/8080 if I', 'TCP/9000 if E and I'] });
    // Clauses whose ports do not meet are left out.
    const far = new GuardedPorts(PortSet.none(), [{ ports: tcp(1), when: ['F'] }]);
    assert.deepEqual(show(far.and(ingress)), { allowed: [], clauses: [] });
    assert.deepEqual(show(GuardedPorts.certain(tcp(80)).and(GuardedPorts.certain(tcp(80, 81)))), { allowed: ['TCP/80'], clauses: [] });
  });

  it('given: everything it allows needs the condition too', () => {
    const g = new GuardedPorts(tcp(80), [{ ports: tcp(90), when: ['A'] }]).given('P');
    assert.deepEqual(show(g), { allowed: [], clauses: ['TCP/80 if P', 'TCP/90 if A and P'] });
  });

  it('normalized: the same conditions merged, sorted and distinct; a weaker clause\'s ports left out of a stronger one', () => {
    const g = new GuardedPorts(tcp(22), [
      { ports: tcp(80, 22), when: ['B', 'A'] },
      { ports: tcp(81), when: ['A', 'B', 'A'] },
      { ports: tcp(80, 82), when: ['A'] },
      { ports: tcp(83), when: ['C'] },
      { ports: tcp(80), when: ['C', 'D'] },
      { ports: tcp(22), when: ['Z'] },
    ]).normalized();
    assert.deepEqual(show(g), { allowed: ['TCP/22'], clauses: ['TCP/80 TCP/82 if A', 'TCP/83 if C', 'TCP/81 if A and B', 'TCP/80 if C and D'] });
    // Conditions that share only some of their parts: neither is weaker.
    const h = new GuardedPorts(PortSet.none(), [
      { ports: tcp(80), when: ['A', 'B'] },
      { ports: tcp(80), when: ['A', 'C'] },
    ]).normalized();
    assert.deepEqual(show(h), { allowed: [], clauses: ['TCP/80 if A and B', 'TCP/80 if A and C'] });
    // One clause's conditions are not weaker than themselves, and "A" never reads as "A and B".
    const same = new GuardedPorts(PortSet.none(), [
      { ports: tcp(80), when: ['A'] },
      { ports: tcp(80), when: ['AB'] },
    ]).normalized();
    assert.deepEqual(show(same), { allowed: [], clauses: ['TCP/80 if A', 'TCP/80 if AB'] });
    const joined = new GuardedPorts(PortSet.none(), [
      { ports: tcp(80), when: ['A', 'B'] },
      { ports: tcp(81), when: ['AB'] },
    ]).normalized();
    assert.deepEqual(show(joined), { allowed: [], clauses: ['TCP/81 if AB', 'TCP/80 if A and B'] });
    // Stable: the order given does not matter.
    const r = new GuardedPorts(PortSet.none(), [
      { ports: tcp(2), when: ['b'] },
      { ports: tcp(1), when: ['a'] },
    ]).normalized();
    assert.deepEqual(show(r).clauses, ['TCP/1 if a', 'TCP/2 if b']);
  });

  it('key: equal answers, equal keys; a different split of the same words, a different key', () => {
    const a = new GuardedPorts(tcp(80), [{ ports: tcp(90), when: ['A', 'B'] }]);
    const b = new GuardedPorts(tcp(80), [{ ports: tcp(90), when: ['A', 'B'] }]);
    assert.equal(a.key(), b.key());
    assert.notEqual(a.key(), new GuardedPorts(tcp(80), [{ ports: tcp(90), when: ['AB'] }]).key());
    assert.notEqual(a.key(), new GuardedPorts(tcp(80), [{ ports: tcp(90), when: ['A'] }, { ports: tcp(90), when: ['B'] }]).key());
    assert.notEqual(a.key(), new GuardedPorts(tcp(80, 90), []).key());
  });
});
