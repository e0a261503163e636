// Label selectors as the API server reads them (k8s.io/apimachinery
// labels.Selector; its selector_test.go cases, written anew): every matchLabels
// pair and every requirement must hold, NotIn and DoesNotExist hold where the
// key is absent, an empty selector matches everything.
import assert from 'node:assert/strict';
import {
  formatLabels,
  formatSelector,
  isEmptySelector,
  labelsWithoutKeys,
  requirementMatches,
  selectorFromMap,
  selectorMatches,
  withoutKeys,
} from '../../../src/core/model/selectors';
import type { LabelSelector, SelectorOperator } from '../../../src/core/model/types';

const sel = (matchLabels: Record<string, string>, ...matchExpressions: [string, SelectorOperator, string[]?][]): LabelSelector => ({
  matchLabels,
  matchExpressions: matchExpressions.map(([key, operator, values = []]) => ({ key, operator, values })),
});

describe('label selectors', () => {
  it('matchLabels: every pair must be present with that value', () => {
    const s = sel({ app: 'web', tier: 'front' });
    assert.equal(selectorMatches(s, { app: 'web', tier: 'front', extra: 'x' }), true);
    assert.equal(selectorMatches(s, { app: 'web' }), false, 'a missing key');
    assert.equal(selectorMatches(s, { app: 'web', tier: 'back' }), false, 'another value');
    assert.equal(selectorMatches(s, { tier: 'front' }), false, 'the first key missing');
    assert.equal(selectorMatches(sel({ app: '' }), { app: '' }), true, 'an empty value is a value');
    assert.equal(selectorMatches(sel({ app: '' }), {}), false, 'an empty value still needs the key');
  });

  it('In, NotIn, Exists, DoesNotExist', () => {
    const cases: [SelectorOperator, string[], Record<string, string>, boolean][] = [
      ['In', ['a', 'b'], { k: 'b' }, true],
      ['In', ['a', 'b'], { k: 'c' }, false],
      ['In', ['a', 'b'], {}, false],
      ['NotIn', ['a', 'b'], { k: 'c' }, true],
      ['NotIn', ['a', 'b'], { k: 'a' }, false],
      ['NotIn', ['a', 'b'], {}, true],
      ['Exists', [], { k: '' }, true],
      ['Exists', [], { other: 'k' }, false],
      ['DoesNotExist', [], {}, true],
      ['DoesNotExist', [], { k: 'x' }, false],
    ];
    for (const [operator, values, labels, expected] of cases) {
      const req = { key: 'k', operator, values };
      assert.equal(requirementMatches(req, labels), expected, `${operator} (${values}) on ${JSON.stringify(labels)}`);
      assert.equal(selectorMatches(sel({}, ['k', operator, values]), labels), expected, `as a selector: ${operator} on ${JSON.stringify(labels)}`);
    }
    // An operator the API does not know selects nothing (the API server rejects it).
    assert.equal(requirementMatches({ key: 'k', operator: 'Gt' as SelectorOperator, values: ['1'] }, { k: '2' }), false);
  });

  it('every requirement must hold, together with matchLabels', () => {
    const s = sel({ app: 'web' }, ['tier', 'In', ['front']], ['debug', 'DoesNotExist']);
    assert.equal(selectorMatches(s, { app: 'web', tier: 'front' }), true);
    assert.equal(selectorMatches(s, { app: 'web', tier: 'front', debug: '1' }), false, 'the last requirement fails');
    assert.equal(selectorMatches(s, { app: 'web', tier: 'back' }), false, 'the first requirement fails');
    assert.equal(selectorMatches(s, { app: 'api', tier: 'front' }), false, 'matchLabels fails, the requirements hold');
  });

  it('an empty selector matches everything; the caller decides whether that is meant', () => {
    assert.equal(selectorMatches(sel({}), {}), true);
    assert.equal(selectorMatches(sel({}), { app: 'x' }), true);
    assert.equal(isEmptySelector(undefined), true);
    assert.equal(isEmptySelector(sel({})), true);
    assert.equal(isEmptySelector(sel({ app: 'x' })), false);
    assert.equal(isEmptySelector(sel({}, ['app', 'Exists'])), false);
  });

  it('label keys that are names of Object.prototype are plain keys', () => {
    // A label "constructor" or "toString" is not present just because every object has one.
    assert.equal(selectorMatches(sel({ constructor: 'x' }), {}), false);
    assert.equal(selectorMatches(sel({}, ['toString', 'Exists']), {}), false);
    assert.equal(selectorMatches(sel({}, ['toString', 'DoesNotExist']), {}), true);
    assert.equal(selectorMatches(sel({}, ['hasOwnProperty', 'NotIn', ['x']]), {}), true);
    // Keys a selector inherits are not requirements.
    const inherited = Object.create({ app: 'inherited' }) as Record<string, string>;
    assert.equal(selectorMatches({ matchLabels: inherited, matchExpressions: [] }, {}), true);
    assert.equal(isEmptySelector({ matchLabels: inherited, matchExpressions: [] }), true);
  });

  it('prints selectors and labels as findings name them', () => {
    assert.equal(formatSelector(sel({ app: 'cart' }, ['tier', 'In', ['a', 'b']], ['env', 'NotIn', ['dev', 'test']], ['canary', 'Exists'], ['debug', 'DoesNotExist'])), 'app=cart, tier in (a,b), env notin (dev,test), canary, !debug');
    assert.equal(formatSelector(sel({})), '(everything)');
    assert.equal(formatSelector(sel({}, ['k', 'Gt' as SelectorOperator, ['1', '2']])), 'k Gt (1,2)');
    assert.equal(formatLabels({ tier: 'front', app: 'web' }), 'app=web, tier=front');
    assert.equal(formatLabels({}), '(no labels)');
    assert.deepEqual(selectorFromMap({ app: 'web' }), { matchLabels: { app: 'web' }, matchExpressions: [] });
  });

  it('ignoreLabelKeys: the selector and the labels without those keys', () => {
    const keys = new Set(['version', 'pod-template-hash']);
    const s = sel({ app: 'web', version: 'v2' }, ['pod-template-hash', 'Exists'], ['tier', 'In', ['front']]);
    const without = withoutKeys(s, keys);
    assert.deepEqual(without.matchLabels, { app: 'web' });
    assert.deepEqual(without.matchExpressions, [{ key: 'tier', operator: 'In', values: ['front'] }]);
    assert.equal(selectorMatches(without, { app: 'web', tier: 'front' }), true, 'no longer requires the ignored keys');
    // Only a requirement on an ignored key: dropped too.
    assert.deepEqual(withoutKeys(sel({ app: 'web' }, ['version', 'In', ['v1']]), keys).matchExpressions, []);
    // Nothing to ignore: the same selector.
    assert.deepEqual(withoutKeys(sel({ app: 'web' }), keys), sel({ app: 'web' }));
    assert.deepEqual(withoutKeys(s, new Set()), s);
    assert.deepEqual(labelsWithoutKeys({ app: 'web', version: 'v2', 'pod-template-hash': 'abc' }, keys), { app: 'web' });
    assert.deepEqual(labelsWithoutKeys({ app: 'web' }, keys), { app: 'web' });
    assert.deepEqual(labelsWithoutKeys({ app: 'web', version: 'v2' }, new Set()), { app: 'web', version: 'v2' });
  });
});
