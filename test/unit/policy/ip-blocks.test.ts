// More of Go's net.ParseIP / net.ParseCIDR as ipBlock reads them, and the
// block tests the connectivity matrix runs on parsed addresses.
import assert from 'node:assert/strict';
import { parseCidr, parseIp } from '../../../src/core/policy';
import { cidrWithin, ipBlockMatcher, ipFamily } from '../../../src/core/policy/ip';

const ip = (t: string) => parseIp(t)!;
const cidr = (t: string) => parseCidr(t)!;

describe('policy: IP address edge cases', () => {
  it('IPv6: "::" once, eight groups in all, a dotted IPv4 tail only at the end and only a valid one', () => {
    assert.equal(parseIp('1:2:3:4:5:6:7::')?.value, ip('1:2:3:4:5:6:7:0').value, ':: standing for one group');
    assert.equal(parseIp('1:2:3:4:5:6:7:8::'), undefined, ':: standing for none');
    assert.equal(parseIp('1::2::3'), undefined);
    assert.equal(parseIp('1:2:3'), undefined);
    assert.equal(parseIp('::ffff:1.2.3.256'), undefined);
    assert.equal(parseIp('::ffff:1.2.3.4x'), undefined);
    assert.equal(parseIp('::1.2.3.4:5'), undefined, 'the dotted part is the tail');
    assert.equal(parseIp('::ffff:1.2.3.4')?.value, ip('::ffff:102:304').value);
    assert.equal(parseIp('1.2.3.4.5'), undefined);
    assert.equal(ipFamily('fe80::1'), 6);
    assert.equal(ipFamily('nonsense'), undefined);
  });

  it('CIDR: a missing prefix is the whole address; a prefix needs an address', () => {
    assert.deepEqual(parseCidr('10.1.2.3'), cidr('10.1.2.3/32'));
    assert.deepEqual(parseCidr('/8'), undefined);
    assert.deepEqual(parseCidr('0.0.0.0/0')?.prefix, 0);
  });

  it('within: same family, at least as long a prefix, the same leading bits', () => {
    assert.equal(cidrWithin(cidr('10.1.0.0/16'), cidr('10.0.0.0/8')), true);
    assert.equal(cidrWithin(cidr('10.0.0.0/8'), cidr('10.1.0.0/16')), false);
    assert.equal(cidrWithin(cidr('11.1.0.0/16'), cidr('10.0.0.0/8')), false);
    assert.equal(cidrWithin(cidr('10.0.0.0/8'), cidr('10.0.0.0/8')), true);
    assert.equal(cidrWithin(cidr('::/0'), cidr('0.0.0.0/0')), false);
    assert.equal(cidrWithin(cidr('fd00::/16'), cidr('fd00::/8')), true);
    assert.equal(cidrWithin(cidr('fe00::/16'), cidr('fd00::/8')), false);
  });

  it('a parsed block: inside the cidr, outside each except, never the other family; malformed parts match nothing', () => {
    const m = ipBlockMatcher({ cidr: '10.0.0.0/8', except: ['bogus', '10.1.0.0/16', 'fd00::/8'] });
    assert.deepEqual(['10.2.3.4', '10.1.3.4', '11.0.0.1', 'fd00::1', '::a00:1'].map((t) => m(ip(t))), [true, false, false, false, false]);
    const six = ipBlockMatcher({ cidr: 'fd00::/8', except: ['fd01::/16', '10.0.0.0/8'] });
    assert.deepEqual(['fd02::1', 'fd01::1', '10.0.0.1'].map((t) => six(ip(t))), [true, false, false]);
    assert.equal(ipBlockMatcher({ cidr: 'nope', except: [] })(ip('10.0.0.1')), false);
  });
});
