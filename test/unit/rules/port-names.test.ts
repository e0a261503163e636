// invalidPortName's fast path (one pass, no regular expressions) must accept
// exactly what the API server's IANA_SVC_NAME rule accepts, which the
// reasons below spell out one by one.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { invalidPortName } from '../../../src/core/rules';

function reference(name: string): boolean {
  return name.length >= 1 && name.length <= 15 && /^[a-z0-9-]+$/.test(name) && /[a-z]/.test(name) && !name.includes('--') && !name.startsWith('-') && !name.endsWith('-');
}

describe('invalidPortName', () => {
  it('is undefined exactly for valid IANA service names, with a reason otherwise', () => {
    const char = fc.constantFrom('a', 'z', 'q', '0', '9', '-', 'A', '_', '.', ' ', 'é');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 17 }).map((cs) => cs.join('')), (name) => {
        const why = invalidPortName(name);
        assert.equal(why === undefined, reference(name), `${JSON.stringify(name)}: ${why}`);
      }),
      { numRuns: 3000, seed: 11 },
    );
    for (const ok of ['http', 'h2c', 'a-b', 'x1', 'abcdefghijklmno']) assert.equal(invalidPortName(ok), undefined, ok);
    for (const bad of ['', '80', '-a', 'a-', 'a--b', 'HTTP', 'abcdefghijklmnop', 'web_ui']) assert.notEqual(invalidPortName(bad), undefined, bad);
  });

  it('names the first rule a name breaks, in the order the API server checks them', () => {
    const reasons: [string, string][] = [
      ['', 'it is empty'],
      ['abcdefghijklmnop', 'it is 16 characters long (at most 15)'],
      ['a--b-c-d-e-f-g-h', 'it is 16 characters long (at most 15)'],
      ['HTTP', "it may contain only lowercase letters, digits and '-'"],
      ['web_ui', "it may contain only lowercase letters, digits and '-'"],
      ['80', 'it must contain at least one letter'],
      ['8-0', 'it must contain at least one letter'],
      ['a--b', "it may not contain '--'"],
      ['--a', "it may not contain '--'"],
      ['-a', "it may not begin or end with '-'"],
      ['a-', "it may not begin or end with '-'"],
    ];
    for (const [name, why] of reasons) assert.equal(invalidPortName(name), why, JSON.stringify(name));
  });
});
