// Addresses and CIDR blocks as NetworkPolicy ipBlock reads them (Go's
// net.ParseIP / net.ParseCIDR): a malformed block matches nothing, the network
// address is masked, IPv4 and IPv6 never match each other.
import assert from 'node:assert/strict';
import { cidrContains, coversEverything, formatIpBlock, ipBlockContains, parseCidr, parseIp } from '../../../src/core/policy';

const v4 = (a: number, b: number, c: number, d: number) => BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);

describe('policy: IP addresses and CIDR blocks', () => {
  it('parses IPv4 addresses, and refuses what is not one', () => {
    assert.deepEqual(parseIp('10.1.2.3'), { family: 4, value: v4(10, 1, 2, 3) });
    assert.deepEqual(parseIp('255.255.255.255'), { family: 4, value: v4(255, 255, 255, 255) });
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '1.2.3.4x', ' 1.2.3.4', '', '1234.1.1.1']) assert.equal(parseIp(bad), undefined, bad);
  });

  it('parses IPv6 addresses: ::, leading and trailing zeros elided, an IPv4 tail', () => {
    assert.deepEqual(parseIp('::'), { family: 6, value: 0n });
    assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
    assert.deepEqual(parseIp('fd00::'), { family: 6, value: 0xfd00n << 112n });
    assert.deepEqual(parseIp('2001:db8::8:800:200c:417a'), { family: 6, value: 0x20010db8000000000008_0800200c417an });
    assert.deepEqual(parseIp('1:2:3:4:5:6:7:8'), { family: 6, value: 0x0001_0002_0003_0004_0005_0006_0007_0008n });
    assert.deepEqual(parseIp('::ffff:10.0.0.1'), { family: 6, value: (0xffffn << 32n) | v4(10, 0, 0, 1) });
    assert.deepEqual(parseIp('FD00::A'), { family: 6, value: (0xfd00n << 112n) | 0xan }, 'hex digits in either case');
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', '12345::', 'fd00::g', '1:2:3:4:5:6:7::8', '::ffff:300.0.0.1']) assert.equal(parseIp(bad), undefined, bad);
  });

  it('parses CIDR blocks: the network address is masked, the prefix bounded by the family', () => {
    assert.deepEqual(parseCidr('10.1.2.3/8'), { family: 4, base: v4(10, 0, 0, 0), prefix: 8 });
    assert.deepEqual(parseCidr('10.1.2.3'), { family: 4, base: v4(10, 1, 2, 3), prefix: 32 }, 'a bare address is a /32');
    assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 4, base: 0n, prefix: 0 });
    assert.deepEqual(parseCidr('10.1.2.3/32'), { family: 4, base: v4(10, 1, 2, 3), prefix: 32 });
    assert.deepEqual(parseCidr('fd00::1/64'), { family: 6, base: 0xfd00n << 112n, prefix: 64 });
    assert.deepEqual(parseCidr('fd00::1/128'), { family: 6, base: (0xfd00n << 112n) | 1n, prefix: 128 });
    assert.deepEqual(parseCidr('fd00::1'), { family: 6, base: (0xfd00n << 112n) | 1n, prefix: 128 });
    for (const bad of ['10.0.0.0/33', '999.1.1.1/99', '10.0.0.0/', '10.0.0.0/8x', '10.0.0.0/-1', '10.0.0.0/1000', 'fd00::/129', '/8', 'x/8']) assert.equal(parseCidr(bad), undefined, bad);
  });

  it('contains: same family and the same leading prefix bits', () => {
    const c = parseCidr('10.1.0.0/16')!;
    assert.equal(cidrContains(c, '10.1.0.0'), true);
    assert.equal(cidrContains(c, '10.1.255.255'), true);
    assert.equal(cidrContains(c, '10.2.0.0'), false);
    assert.equal(cidrContains(c, '10.0.255.255'), false);
    assert.equal(cidrContains(c, '::ffff:10.1.0.1'), false, 'an IPv6 address never matches an IPv4 block');
    assert.equal(cidrContains(c, 'not-an-ip'), false);
    assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, '203.0.113.9'), true);
    assert.equal(cidrContains(parseCidr('fd00::/8')!, 'fdff::1'), true);
    assert.equal(cidrContains(parseCidr('fd00::/8')!, 'fe00::1'), false);
    assert.equal(cidrContains(parseCidr('10.0.0.1')!, '10.0.0.1'), true);
    assert.equal(cidrContains(parseCidr('10.0.0.1')!, '10.0.0.2'), false);
  });

  it('ipBlock: inside cidr and outside every except; a malformed block matches nothing', () => {
    const block = { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.4'] };
    assert.equal(ipBlockContains(block, '10.9.9.9'), true);
    assert.equal(ipBlockContains(block, '10.1.2.3'), false);
    assert.equal(ipBlockContains(block, '10.2.3.4'), false);
    assert.equal(ipBlockContains(block, '10.2.3.5'), true);
    assert.equal(ipBlockContains(block, '11.0.0.1'), false);
    assert.equal(ipBlockContains({ cidr: '999.1.1.1/99', except: [] }, '10.0.0.1'), false);
    assert.equal(ipBlockContains({ cidr: '10.0.0.0/8', except: ['garbage'] }, '10.0.0.1'), true, 'a malformed except excludes nothing');
    assert.equal(coversEverything({ cidr: '0.0.0.0/0', except: [] }), true);
    assert.equal(coversEverything({ cidr: '::/0', except: [] }), true);
    assert.equal(coversEverything({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }), false);
    assert.equal(coversEverything({ cidr: '0.0.0.0/1', except: [] }), false);
    assert.equal(coversEverything({ cidr: 'bad', except: [] }), false);
    assert.equal(formatIpBlock(block), '10.0.0.0/8 except 10.1.0.0/16, 10.2.3.4');
    assert.equal(formatIpBlock({ cidr: '0.0.0.0/0', except: [] }), '0.0.0.0/0');
  });
});
