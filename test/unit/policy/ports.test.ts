// Port sets as a NetworkPolicy rule allows them: ranges per protocol, merged,
// intersected, printed as the connectivity output prints them.
import assert from 'node:assert/strict';
import { PortSet } from '../../../src/core/policy';
import { rulePorts } from '../../../src/core/policy/ports';

describe('policy: port sets', () => {
  it('adds, merges touching and overlapping ranges, clamps to 1-65535, ignores an empty range', () => {
    const s = new PortSet().add('TCP', 80, 80).add('TCP', 81, 90).add('TCP', 85, 100).add('TCP', 200, 199).add('UDP', 0, 70000);
    assert.deepEqual(s.format(), ['TCP/80-100', 'UDP/*']);
    assert.deepEqual(new PortSet().add('TCP', 443, 443).add('TCP', 80, 80).format(), ['TCP/80', 'TCP/443'], 'sorted, apart when not touching');
    assert.equal(s.has('TCP', 80), true);
    assert.equal(s.has('TCP', 100), true);
    assert.equal(s.has('TCP', 101), false);
    assert.equal(s.has('TCP', 79), false);
    assert.equal(s.has('SCTP', 80), false);
    assert.equal(new PortSet().add('TCP', 10, 5).isEmpty(), true, 'to below from: nothing');
  });

  it('all, none, isAll, isEmpty, equals', () => {
    assert.deepEqual(PortSet.all().format(), ['TCP/*', 'UDP/*', 'SCTP/*']);
    assert.equal(PortSet.all().isAll(), true);
    assert.equal(PortSet.none().isEmpty(), true);
    assert.equal(PortSet.all().isEmpty(), false);
    assert.equal(new PortSet().add('TCP', 1, 65535).add('UDP', 1, 65535).isAll(), false, 'SCTP missing');
    assert.equal(new PortSet().add('TCP', 1, 65534).add('UDP', 1, 65535).add('SCTP', 1, 65535).isAll(), false);
    assert.equal(new PortSet().add('TCP', 2, 65535).add('UDP', 1, 65535).add('SCTP', 1, 65535).isAll(), false);
    assert.equal(new PortSet().add('TCP', 80, 80).equals(new PortSet().add('TCP', 80, 80)), true);
    assert.equal(new PortSet().add('TCP', 80, 80).equals(new PortSet().add('UDP', 80, 80)), false);
    assert.equal(new PortSet().add('TCP', 80, 81).key(), 'TCP/80-81');
    assert.equal(new PortSet().add('TCP', 80, 80).add('UDP', 53, 53).key(), 'TCP/80,UDP/53');
  });

  it('intersects per protocol', () => {
    const a = new PortSet().add('TCP', 80, 90).add('TCP', 100, 110).add('UDP', 53, 53);
    const b = new PortSet().add('TCP', 85, 105).add('SCTP', 1, 65535);
    assert.deepEqual(a.intersect(b).format(), ['TCP/85-90', 'TCP/100-105']);
    assert.deepEqual(b.intersect(a).format(), ['TCP/85-90', 'TCP/100-105']);
    assert.equal(a.intersect(new PortSet().add('TCP', 91, 99)).isEmpty(), true);
    assert.deepEqual(a.intersect(PortSet.all()).format(), a.format());
    const all = new PortSet().addAll(a).addAll(b);
    assert.deepEqual(all.format(), ['TCP/80-110', 'UDP/53', 'SCTP/*']);
  });

  it("a rule's ports: none listed is every port, a range with endPort, a name per destination", () => {
    assert.equal(rulePorts([], undefined).isAll(), true);
    assert.deepEqual(rulePorts([{ protocol: 'TCP', port: 8000, endPort: 8080 }], undefined).format(), ['TCP/8000-8080']);
    assert.deepEqual(rulePorts([{ protocol: 'TCP', port: 8080, endPort: 8080 }], undefined).format(), ['TCP/8080']);
    assert.deepEqual(rulePorts([{ protocol: 'UDP', port: 53 }], undefined).format(), ['UDP/53']);
    assert.deepEqual(rulePorts([{ protocol: 'TCP' }], undefined).format(), ['TCP/*'], 'a protocol without a port: all its ports');
    const containers = [{ name: 'c', image: 'x', ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' as const }, { containerPort: 9090, name: 'http', protocol: 'UDP' as const }] }];
    assert.deepEqual(rulePorts([{ protocol: 'TCP', port: 'http' }], containers as never).format(), ['TCP/8080'], 'the name and the protocol must match');
    assert.deepEqual(rulePorts([{ protocol: 'TCP', port: 'http' }], undefined).format(), [], 'outside the cluster a name matches nothing');
    assert.deepEqual(rulePorts([{ protocol: 'TCP', port: 'grpc' }], containers as never).format(), []);
  });
});
