// kube-proxy's chain names and probabilities, checked against values published
// in kube-proxy's own tests and in iptables-save output of real clusters.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  endpointShare,
  iptablesSaveProbability,
  kubeProxyProbability,
  ruleProbability,
  sepChain,
  servicePortName,
  svcChain,
} from '../../../src/core/trace/chains';
import { base32, sha256, utf8 } from '../../../src/core/trace/sha256';

describe('trace: kube-proxy chain names', () => {
  it('sha256 and base32 match the standard test vectors', () => {
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    assert.equal(hex(sha256(utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(hex(sha256(utf8(''))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(hex(sha256(utf8('a'.repeat(1000)))), '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
    assert.equal(base32(utf8('foobar')), 'MZXW6YTBOI======');
  });
  it('KUBE-SVC-/KUBE-SEP- as in kube-proxy proxier_test.go ("ns1/svc1:p80", tcp, 10.180.0.1:80)', () => {
    const spn = servicePortName('ns1', 'svc1', 'p80');
    assert.equal(spn, 'ns1/svc1:p80');
    assert.equal(svcChain(spn, 'TCP'), 'KUBE-SVC-XPGD46QRK7WJZT7O');
    assert.equal(sepChain(spn, 'TCP', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
  });
  it('the well-known chains of every cluster: default/kubernetes:https and kube-dns', () => {
    assert.equal(svcChain(servicePortName('default', 'kubernetes', 'https'), 'TCP'), 'KUBE-SVC-NPX46M4PTMTKRN6Y');
    assert.equal(svcChain(servicePortName('kube-system', 'kube-dns', 'dns'), 'UDP'), 'KUBE-SVC-TCOU7JCQXEZGVUNU');
  });
  it('an unnamed port has no ":" suffix', () => {
    assert.equal(servicePortName('shop', 'cart'), 'shop/cart');
  });
});

describe('trace: kube-proxy probabilities', () => {
  it('three endpoints: 1/3, 1/2, then unconditional, as iptables-save prints them', () => {
    assert.deepEqual([0, 1, 2].map((i) => ruleProbability(i, 3)), [1 / 3, 1 / 2, undefined]);
    assert.equal(kubeProxyProbability(1 / 3), '0.3333333333');
    assert.equal(iptablesSaveProbability(1 / 3), '0.33333333349');
    assert.equal(iptablesSaveProbability(1 / 2), '0.50000000000');
    assert.equal(iptablesSaveProbability(1 / 5), '0.20000000019');
  });
  it('property: every endpoint of n gets 1/n (product of the rule probabilities)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        let total = 0;
        for (let i = 0; i < n; i++) {
          const share = endpointShare(i, n);
          assert.ok(Math.abs(share - 1 / n) < 1e-12, `endpoint ${i} of ${n}: ${share}`);
          total += share;
        }
        assert.ok(Math.abs(total - 1) < 1e-9);
      }),
    );
  });
});
