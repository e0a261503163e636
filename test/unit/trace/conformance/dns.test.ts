// The cluster DNS against upstream's own expectations: the Kubernetes DNS
// specification's examples, CoreDNS's kubernetes plugin tests and the
// Kubernetes documentation (cases in ./dns-cases, each naming its source).
import assert from 'node:assert/strict';
import { DNS_CASES } from './dns-cases';
import { runCase } from './dns-runner';

describe('conformance: DNS (specification, CoreDNS kubernetes plugin)', () => {
  it(`${DNS_CASES.length} cases, every one agreed`, () => {
    const disagreements: string[] = [];
    for (const c of DNS_CASES) {
      const r = runCase(c);
      if (!r.ok) disagreements.push(`${c.source}: ${c.question.name} ${c.question.type}: ${r.differences.join('; ')}`);
    }
    const agreed = DNS_CASES.length - disagreements.length;
    console.log(`    DNS conformance: ${DNS_CASES.length} cases, ${agreed} agreed`);
    assert.ok(DNS_CASES.length >= 20);
    assert.deepEqual(disagreements, []);
  });
});
