// DNS names: reverse names, canonical IPv6, the dashed names CoreDNS gives
// endpoints without a hostname, and the resolver's candidate list.
import assert from 'node:assert/strict';
import { addressFromDashed, addressFromReverse, canonicalIPv6, dashedAddress, ipv6Groups, reverseName } from '../../../src/core/trace/dns-names';
import { candidates } from '../../../src/core/trace/dns-search';

describe('DNS names', () => {
  it('the dashed endpoint name (coredns plugin/kubernetes/kubernetes_test.go TestEndpointHostname)', () => {
    assert.equal(dashedAddress('10.11.12.13'), '10-11-12-13');
    assert.equal(dashedAddress('2001:db8:3333:4444:5555:6666:7777:8888'), '2001-db8-3333-4444-5555-6666-7777-8888');
    assert.equal(dashedAddress('2001:db8:3333:4444:5555:6666::'), '2001-db8-3333-4444-5555-6666--0');
    assert.equal(addressFromDashed('10-240-0-1'), '10.240.0.1');
    assert.equal(addressFromDashed('5678-abcd--1'), '5678:abcd::1');
    assert.equal(addressFromDashed('blah'), undefined);
  });
  it('reverse names both ways (the specification 2.3.3: nibbles of the unabbreviated IPv6 address, reversed)', () => {
    assert.equal(reverseName('10.3.0.1'), '1.0.3.10.in-addr.arpa.');
    assert.equal(reverseName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.');
    assert.equal(addressFromReverse('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.'), '2001:db8::1');
    assert.equal(addressFromReverse('100.0.3.10.in-addr.arpa'), '10.3.0.100');
    assert.equal(addressFromReverse('0.10.in-addr.arpa.'), undefined);
    assert.equal(addressFromReverse('300.0.3.10.in-addr.arpa.'), undefined);
  });
  it('IPv6 text: RFC 5952 form (the longest zero run, lower case), invalid text refused', () => {
    assert.equal(canonicalIPv6('2001:0DB8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(canonicalIPv6('fd00:0:0:1:0:0:0:2'), 'fd00:0:0:1::2');
    assert.equal(canonicalIPv6('1:0:1:0:1:0:1:0'), '1:0:1:0:1:0:1:0');
    assert.equal(canonicalIPv6('::'), '::');
    assert.equal(ipv6Groups('1::2::3'), undefined);
    assert.equal(ipv6Groups('1:2:3:4:5:6:7'), undefined);
    assert.equal(ipv6Groups('12345::'), undefined);
  });
  it('candidates as glibc orders them: fewer dots than ndots search first; a trailing dot only itself', () => {
    const list = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
    assert.deepEqual(candidates('web', list, 5), ['web.shop.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
    assert.deepEqual(candidates('a.b.c.d.e.f', list, 5), ['a.b.c.d.e.f.', 'a.b.c.d.e.f.shop.svc.cluster.local.', 'a.b.c.d.e.f.svc.cluster.local.', 'a.b.c.d.e.f.cluster.local.']);
    assert.deepEqual(candidates('web.shop.svc.cluster.local.', list, 5), ['web.shop.svc.cluster.local.']);
  });
});
