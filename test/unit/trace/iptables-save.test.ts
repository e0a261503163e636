// A rule as kube-proxy writes it (iptables-restore input) and as
// `iptables-save` prints it back: addresses first with their mask, match
// modules in the order given with options in the kernel's order, comments
// quoted as libxtables quotes them, `recent` with its mask and --rsource,
// REJECT with its default --reject-with, the probability the kernel keeps.
// The printed forms are those of real iptables-save dumps of kube-proxy's
// chains (and pkg/proxy/iptables' own expectations, for the written forms).
import assert from 'node:assert/strict';
import { saveString, splitRule, toIptablesSave } from '../../../src/core/trace/iptables-save';
import { comment } from '../../../src/core/trace/chains';
import { base32, utf8 } from '../../../src/core/trace/sha256';

describe('iptables-save: the printed form of what kube-proxy writes', () => {
  const cases: [string, string, string, 4 | 6][] = [
    [
      'a comment of one word stays bare; a Service port name is quoted',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ',
      4,
    ],
    [
      'a negated source before the destination; the protocol after them; the match module keeps its options',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
      4,
    ],
    [
      'REJECT names its default --reject-with (IPv4)',
      '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT',
      '-A KUBE-SERVICES -d 172.30.0.46/32 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
      4,
    ],
    [
      'REJECT names its default --reject-with (IPv6), addresses get /128',
      '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d fd00::46 --dport 80 -j REJECT',
      '-A KUBE-SERVICES -d fd00::46/128 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp6-port-unreachable',
      6,
    ],
    [
      'a REJECT given its own --reject-with keeps it',
      '-A KUBE-SERVICES -d 172.30.0.46 -j REJECT --reject-with tcp-reset',
      '-A KUBE-SERVICES -d 172.30.0.46/32 -j REJECT --reject-with tcp-reset',
      4,
    ],
    [
      'recent --rcheck: the mode first, --seconds, --reap, the name, the mask and --rsource',
      '-A KUBE-SVC-X -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-Y --rcheck --seconds 10800 --reap -j KUBE-SEP-Y',
      '-A KUBE-SVC-X -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-Y --mask 255.255.255.255 --rsource -j KUBE-SEP-Y',
      4,
    ],
    [
      'recent --set on IPv6: the 128-bit mask',
      '-A KUBE-SEP-Y -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-Y --set -m tcp -p tcp -j DNAT --to-destination [fd00::3]:80',
      '-A KUBE-SEP-Y -p tcp -m comment --comment "ns5/svc5:p80" -m recent --set --name KUBE-SEP-Y --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -m tcp -j DNAT --to-destination [fd00::3]:80',
      6,
    ],
    [
      'recent --update and --remove are modes too',
      '-A C -m recent --name N --update --seconds 5 -m recent --name N --remove -j ACCEPT',
      '-A C -m recent --update --seconds 5 --name N --mask 255.255.255.255 --rsource -m recent --remove --name N --mask 255.255.255.255 --rsource -j ACCEPT',
      4,
    ],
    [
      'statistic: the probability as the kernel keeps it',
      '-A KUBE-SVC-X -m comment --comment "ns/svc -> 10.0.0.1:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-A',
      '-A KUBE-SVC-X -m comment --comment "ns/svc -> 10.0.0.1:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A',
      4,
    ],
    [
      'an inserted rule stays -I; a negated module option keeps its "!"',
      '-I KUBE-FORWARD -m conntrack ! --ctstate INVALID -j ACCEPT',
      '-I KUBE-FORWARD -m conntrack ! --ctstate INVALID -j ACCEPT',
      4,
    ],
    [
      'a source that is a CIDR keeps its mask; an IPv4 address on the IPv6 proxier gets /128 only if it has a colon',
      '-A KUBE-FW-X -m comment --comment "ns/svc loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-X',
      '-A KUBE-FW-X -s 203.0.113.0/25 -m comment --comment "ns/svc loadbalancer IP" -j KUBE-EXT-X',
      4,
    ],
    [
      'a rule without target (KUBE-FW\'s last)',
      '-A KUBE-FW-X -m comment --comment "other traffic to ns/svc will be dropped by KUBE-PROXY-FIREWALL"',
      '-A KUBE-FW-X -m comment --comment "other traffic to ns/svc will be dropped by KUBE-PROXY-FIREWALL"',
      4,
    ],
    [
      'a symbolic endpoint stays one quoted argument',
      '-A KUBE-SEP-Z -m comment --comment shop/web -s "<shop/Deployment/web replica 1>" -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-Z -s "<shop/Deployment/web replica 1>" -m comment --comment "shop/web" -j KUBE-MARK-MASQ',
      4,
    ],
    [
      'an option value with a space or an empty one is quoted',
      '-A C -m set --match-set "a b" dst -m foo --bar "" -j RETURN',
      '-A C -m set --match-set "a b" dst -m foo --bar "" -j RETURN',
      4,
    ],
  ];
  for (const [name, written, saved, family] of cases) {
    it(name, () => assert.equal(toIptablesSave(written, family), saved));
  }
  it('comments are quoted as libxtables quotes them: only letters, digits, "_" and "-" stay bare', () => {
    assert.equal(saveString('KUBE-SVC_1'), 'KUBE-SVC_1');
    assert.equal(saveString('default/kubernetes:https'), '"default/kubernetes:https"');
    assert.equal(saveString('a "b" \\ \'c\''), '"a \\"b\\" \\\\ \\\'c\\\'"');
    assert.equal(saveString(''), '""');
  });
  it('kube-proxy writes a comment with spaces or quotes between quotes, anything else bare', () => {
    assert.equal(comment('ns1/svc1:p80'), 'ns1/svc1:p80');
    assert.equal(comment('ns1/svc1:p80 cluster IP'), '"ns1/svc1:p80 cluster IP"');
    assert.equal(comment('say "hi"'), '"say \\"hi\\""');
    assert.equal(comment('tab\there'), '"tab\there"');
  });
  it('splitting a rule keeps a quoted argument whole, with its escaped quotes', () => {
    assert.deepEqual(splitRule('-A X -m comment --comment "a \\"b\\" c" -j Y'), ['-A', 'X', '-m', 'comment', '--comment', 'a "b" c', '-j', 'Y']);
    assert.deepEqual(splitRule(''), []);
  });
});

describe('base32 (RFC 4648 test vectors, the encoding of kube-proxy chain hashes)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];
  for (const [text, encoded] of vectors) it(`"${text}" -> "${encoded}"`, () => assert.equal(base32(utf8(text)), encoded));
});
