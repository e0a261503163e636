// The client's side of a lookup: the resolv.conf the kubelet writes for each
// dnsPolicy (kubelet's pkg/kubelet/network/dns: ClusterFirst searches
// <ns>.svc.<zone> svc.<zone> <zone> with options ndots:5; Default and a
// hostNetwork Pod with ClusterFirst get the node's; None gets dnsConfig's
// alone), and glibc's walk of the search list: NXDOMAIN and NODATA move on,
// the first answer with records ends it, a forwarded name counts only if
// nothing later answers.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { candidates, lookup, lookupTogether, outcome, podSearchList, resolverConf } from '../../../src/core/trace/dns-search';
import { ClusterDns } from '../../../src/core/trace/dns-zone';
import { addressFromDashed, addressFromReverse, addressText, canonicalIPv6, dashedAddress, fqdn, ipv6Groups, isIP, isIPv4, isReverseName, labelsOf, recordLine, reverseName, sameName } from '../../../src/core/trace/dns-names';
import { model, namespace, service, servicePort } from '../../fixtures/trace/build';

const CLUSTER = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

function shop(): NetworkModel {
  return model({
    namespaces: [namespace('shop')],
    services: [
      service('shop', 'web', { app: 'web' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.20' }),
      service('shop', 'v6only', { app: 'web' }, [servicePort(80, 8080, 'http')], { clusterIP: 'fd00::20', clusterIPs: ['fd00::20'] }),
    ],
  });
}
const names = (l: { queries: { name: string }[] }) => l.queries.map((q) => q.name);

describe('resolv.conf by dnsPolicy', () => {
  it('ClusterFirst (the default): the cluster domains, then dnsConfig\'s own searches not already listed; ndots 5 unless dnsConfig sets it', () => {
    assert.deepEqual(resolverConf('shop', 'cluster.local', undefined, false), { searchList: CLUSTER, ndots: 5 });
    assert.deepEqual(resolverConf('shop', 'cluster.local', { policy: 'ClusterFirst', searches: ['corp.example', 'svc.cluster.local'], ndots: 2 }, false), { searchList: [...CLUSTER, 'corp.example'], ndots: 2 });
    assert.deepEqual(resolverConf('shop', 'k8s.example', { policy: 'ClusterFirstWithHostNet', searches: [] }, true), { searchList: ['shop.svc.k8s.example', 'svc.k8s.example', 'k8s.example'], ndots: 5 });
    assert.deepEqual(podSearchList('shop', 'cluster.local'), CLUSTER);
    assert.deepEqual(podSearchList(undefined, 'cluster.local'), []);
  });
  it('None: dnsConfig alone, ndots 1 unless set; Default and hostNetwork ClusterFirst: the node\'s resolv.conf, said so', () => {
    assert.deepEqual(resolverConf('shop', 'cluster.local', { policy: 'None', searches: ['a.example'] }, false), { searchList: ['a.example'], ndots: 1, note: "dnsPolicy None: only the Pod's dnsConfig" });
    assert.deepEqual(resolverConf('shop', 'cluster.local', { policy: 'None', searches: [], ndots: 3 }, false).ndots, 3);
    const node = "the node's resolv.conf, which the set does not show: cluster names resolve only if it points at the cluster DNS";
    assert.deepEqual(resolverConf('shop', 'cluster.local', { policy: 'Default', searches: ['b.example'], ndots: 4 }, false), { searchList: ['b.example'], ndots: 4, note: `dnsPolicy Default: ${node}` });
    assert.deepEqual(resolverConf('shop', 'cluster.local', { policy: 'Default', searches: [] }, false).ndots, 1);
    assert.deepEqual(resolverConf('shop', 'cluster.local', undefined, true), {
      searchList: [],
      ndots: 1,
      note: `a hostNetwork Pod with dnsPolicy ClusterFirst gets ${node}; ClusterFirstWithHostNet would give it the cluster's`,
    });
    assert.deepEqual(resolverConf('shop', 'cluster.local', { policy: 'ClusterFirst', searches: ['c.example'], ndots: 2 }, true).searchList, ['c.example']);
    assert.deepEqual(resolverConf('shop', 'cluster.local', { policy: 'ClusterFirst', searches: [], ndots: 2 }, true).ndots, 2);
    // Not a Pod (a node): the name as written.
    assert.deepEqual(resolverConf(undefined, 'cluster.local', { policy: 'None', searches: ['x'] }, false), { searchList: [], ndots: 1 });
  });
  it('candidates: exactly ndots dots goes as written first; a name with a trailing dot is never searched', () => {
    assert.deepEqual(candidates('a.b', CLUSTER, 1), ['a.b.', ...CLUSTER.map((d) => `a.b.${d}.`)]);
    assert.deepEqual(candidates('a.b', CLUSTER, 2), [...CLUSTER.map((d) => `a.b.${d}.`), 'a.b.']);
    assert.deepEqual(candidates('web', [], 5), ['web.']);
    assert.deepEqual(candidates('web.', CLUSTER, 0), ['web.']);
  });
});

describe('the search walk', () => {
  it('misses move on (NXDOMAIN); the first answer ends it; every query sent is listed', () => {
    const dns = new ClusterDns(new ModelIndex(shop()));
    const l = lookup(dns, 'web.shop', 'A', 'default');
    assert.deepEqual(names(l), ['web.shop.default.svc.cluster.local.', 'web.shop.svc.cluster.local.']);
    assert.deepEqual(l.queries.map((q) => q.rcode), ['NXDOMAIN', 'NOERROR']);
    assert.equal(l.answered, l.queries[1]);
    assert.deepEqual([l.given, l.type, l.ndots, l.searchList], ['web.shop', 'A', 5, ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local']]);
    assert.equal(outcome(l), 'answer');
  });
  it('NODATA moves on like NXDOMAIN, and the outcome is NODATA when some name existed', () => {
    const dns = new ClusterDns(new ModelIndex(shop()));
    const l = lookup(dns, 'web', 'AAAA', 'shop');
    assert.deepEqual(names(l), ['web.shop.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
    assert.deepEqual(l.queries.map((q) => q.rcode), ['NOERROR', 'NXDOMAIN', 'NXDOMAIN', 'NOERROR']);
    // The last candidate, web., is outside the zone: forwarded, and that is the answer the walk ends with.
    assert.equal(l.answered, l.queries[3]);
    assert.equal(outcome(l), 'upstream');
    const fq = lookup(dns, 'web.shop.svc.cluster.local.', 'AAAA', 'shop');
    assert.deepEqual([fq.answered, outcome(fq)], [undefined, 'NODATA']);
    // One name existed (NODATA) and the others did not (NXDOMAIN), none forwarded: NODATA.
    const mixed = lookup(dns, 'web.shop.svc.cluster.local', 'AAAA', { searchList: ['shop.svc.cluster.local'], ndots: 1 });
    assert.deepEqual([mixed.queries.map((q) => q.rcode), outcome(mixed)], [['NOERROR', 'NXDOMAIN'], 'NODATA']);
  });
  it('a name that leaves the zone is forwarded: the answer is upstream only when no later candidate answers', () => {
    const dns = new ClusterDns(new ModelIndex(shop()));
    // 5 dots or more: as written first (forwarded), then the search list, where it is NXDOMAIN.
    const l = lookup(dns, 'a.b.c.d.e.example', 'A', 'shop');
    assert.equal(names(l)[0], 'a.b.c.d.e.example.');
    assert.equal(l.queries.length, 4);
    assert.equal(l.answered, l.queries[0]);
    assert.equal(outcome(l), 'upstream');
    // Fully qualified and in the cluster: nothing else is tried.
    const fq = lookup(dns, 'web.shop.svc.cluster.local.', 'A', 'shop');
    assert.deepEqual(names(fq), ['web.shop.svc.cluster.local.']);
  });
  it('NXDOMAIN for every candidate in the zone and none outside: NXDOMAIN', () => {
    const dns = new ClusterDns(new ModelIndex(shop()));
    const l = lookup(dns, 'nope.shop.svc.cluster.local.', 'A', 'shop');
    assert.deepEqual([outcome(l), l.answered], ['NXDOMAIN', undefined]);
    // A namespace string and a resolver conf of the same namespace are the same client.
    const viaConf = lookup(dns, 'web', 'A', resolverConf('shop', 'cluster.local', undefined, false));
    assert.deepEqual(names(viaConf), ['web.shop.svc.cluster.local.']);
    // No namespace: a node, the name as written (ndots 1).
    assert.deepEqual(names(lookup(dns, 'web.shop.svc.cluster.local', 'A', undefined)), ['web.shop.svc.cluster.local.']);
  });
  it('A and AAAA together (getaddrinfo): the first candidate where either answers ends both', () => {
    const dns = new ClusterDns(new ModelIndex(shop()));
    const [a, aaaa] = lookupTogether(dns, 'v6only', ['A', 'AAAA'], 'shop');
    assert.deepEqual([names(a), names(aaaa)], [['v6only.shop.svc.cluster.local.'], ['v6only.shop.svc.cluster.local.']]);
    assert.deepEqual([a.answered?.answer.length, aaaa.answered?.answer.map(recordLine)], [0, ['v6only.shop.svc.cluster.local.\t5\tIN\tAAAA\tfd00::20']]);
    // The A side is answered (with no record): NODATA is not what it reports, the search is over.
    assert.equal(outcome(a), 'NODATA');
    assert.equal(outcome(aaaa), 'answer');
  });
  it('PTR: an address asks its reverse name (dig -x), a reverse name is asked as it is, anything else walks the search list', () => {
    const dns = new ClusterDns(new ModelIndex(shop()));
    const byIp = lookup(dns, '10.96.0.20', 'PTR', 'shop');
    assert.deepEqual(names(byIp), ['20.0.96.10.in-addr.arpa.']);
    assert.equal(byIp.answered?.answer[0].data, 'web.shop.svc.cluster.local.');
    assert.deepEqual(names(lookup(dns, '20.0.96.10.in-addr.arpa', 'PTR', 'shop')), ['20.0.96.10.in-addr.arpa.']);
    assert.deepEqual(names(lookup(dns, 'web', 'PTR', 'shop')), ['web.shop.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
    // Asked with another type, an address is just a name to search.
    assert.deepEqual(names(lookup(dns, '10.96.0.20', 'A', 'shop'))[0], '10.96.0.20.shop.svc.cluster.local.');
    // Several types asked together never take the reverse path.
    assert.deepEqual(names(lookupTogether(dns, '10.96.0.20', ['PTR', 'A'], 'shop')[0])[0], '10.96.0.20.shop.svc.cluster.local.');
    // A reverse name nobody has is asked once, never through the search list.
    assert.deepEqual(names(lookup(dns, '3.2.1.10.in-addr.arpa', 'PTR', 'shop')), ['3.2.1.10.in-addr.arpa.']);
    // An address nobody has: NXDOMAIN in the cluster, handed upstream.
    const nobody = lookup(dns, '10.1.2.3', 'PTR', 'shop');
    assert.deepEqual([outcome(nobody), nobody.queries.length], ['upstream', 1]);
  });
});

describe('DNS names and addresses', () => {
  it('IPv4: four decimal parts up to 255', () => {
    assert.deepEqual(['10.0.0.1', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1.2.3.a', '1.2.3.1234', '01.2.3.4'].map(isIPv4), [true, true, false, false, false, false, false, true]);
    assert.deepEqual(['fd00::1', 'web', '::', 'g::1', '1:2:3:4:5:6:7:8'].map(isIP), [true, false, true, false, true]);
  });
  it('IPv6 groups: "::" fills at least one group; eight groups without it; hex of 1 to 4 digits', () => {
    assert.deepEqual(ipv6Groups('1:2:3:4:5:6:7:8'), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(ipv6Groups('1:2:3:4:5:6::7'), [1, 2, 3, 4, 5, 6, 0, 7], '"::" for a single group is valid input (RFC 4291), only not the canonical output');
    assert.deepEqual(ipv6Groups('::1'), [0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(ipv6Groups('fd00::'), [0xfd00, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(ipv6Groups('1:2:3:4::5:6:7:8'), undefined, '"::" standing for no group');
    assert.equal(ipv6Groups('1:2:3:4:5:6:7:8:9'), undefined);
    assert.equal(ipv6Groups('10.0.0.1'), undefined);
    assert.equal(ipv6Groups('1:2:3:4:5:6:7:'), undefined);
    assert.equal(ipv6Groups('x1::'), undefined);
  });
  it('RFC 5952: the longest zero run, the first of equal runs, a single zero group kept', () => {
    assert.equal(canonicalIPv6('1:0:0:2:0:0:0:3'), '1:0:0:2::3');
    assert.equal(canonicalIPv6('1:0:0:2:0:0:3:4'), '1::2:0:0:3:4');
    assert.equal(canonicalIPv6('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7');
    assert.equal(canonicalIPv6('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalIPv6('FD00:0:0:0:0:0:0:0'), 'fd00::');
    assert.equal(canonicalIPv6('not-an-address'), 'not-an-address');
    assert.equal(addressText('FD00:0::1'), 'fd00::1');
    assert.equal(addressText('10.0.0.1'), '10.0.0.1');
  });
  it('reverse names: IPv4 and IPv6 both ways, upper case read, anything incomplete refused', () => {
    assert.equal(reverseName('web'), undefined);
    assert.equal(reverseName('::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.');
    assert.equal(addressFromReverse('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.IP6.ARPA'), '::1');
    assert.equal(addressFromReverse('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.ip6.arpa.'), 'c000::1');
    assert.equal(addressFromReverse('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.'), undefined, '31 nibbles');
    assert.equal(addressFromReverse('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.x.ip6.arpa.'), undefined);
    assert.equal(addressFromReverse('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.10.ip6.arpa.'), undefined);
    assert.equal(addressFromReverse('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.example.'), undefined);
    assert.equal(addressFromReverse('4.3.2.1.in-addr.example.'), undefined);
    assert.equal(addressFromReverse('4.3.2.1.x.arpa.'), undefined);
    assert.equal(addressFromReverse('4.3.2.1.in-addr.arpa.'), '1.2.3.4');
    // A reverse name followed by more labels is a name under it, not an address.
    assert.equal(addressFromReverse('4.3.2.1.in-addr.arpa.example.'), undefined);
    const nibbles = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0';
    assert.equal(addressFromReverse(`${nibbles}.ip6.arpa.example.`), undefined);
    assert.equal(addressFromReverse(`${nibbles}.ip7.arpa.`), undefined);
    assert.equal(isReverseName('4.3.2.1.in-addr.arpa.example'), false);
    assert.deepEqual(['1.0.0.10.in-addr.arpa', '1.0.0.10.IN-ADDR.ARPA.', 'x.ip6.arpa.', 'in-addr.arpa.example.', 'myin-addr.arpa', 'arpa.'].map(isReverseName), [true, true, true, false, false, false]);
  });
  it('dashed addresses: IPv4 with dashes, IPv6 with dashes and a trailing dash closed with 0', () => {
    assert.equal(dashedAddress('fd00::'), 'fd00--0');
    assert.equal(dashedAddress('::1'), '--1');
    assert.equal(addressFromDashed('fd00--0'), 'fd00::0');
    assert.equal(addressFromDashed('1-2-3-4'), '1.2.3.4');
    assert.equal(addressFromDashed('1-2--3'), '1:2::3');
    assert.equal(addressFromDashed('1-2-3-999'), undefined);
    assert.equal(addressFromDashed('1-2-3'), undefined);
    assert.equal(addressFromDashed('1-2-3-4-5-6-7-8'), '1:2:3:4:5:6:7:8');
  });
  it('names: one trailing dot, labels without the root, compared without case', () => {
    assert.deepEqual([fqdn('a.b'), fqdn('a.b.')], ['a.b.', 'a.b.']);
    assert.deepEqual([labelsOf('a.b.'), labelsOf('a.b'), labelsOf('.'), labelsOf('')], [['a', 'b'], ['a', 'b'], [], []]);
    assert.deepEqual([sameName('Web.Shop.', 'web.shop'), sameName('web.shop', 'web.shop2')], [true, false]);
    assert.equal(recordLine({ name: 'a.', ttl: 5, type: 'A', data: '1.2.3.4' }), 'a.\t5\tIN\tA\t1.2.3.4');
  });
});
