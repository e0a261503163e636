import assert from 'node:assert/strict';
import { formatSelector, isEmptySelector, selectorMatches } from '../../../src/core/model/selectors';
import { ModelIndex } from '../../../src/core/model/model-index';
import { model, namespace, policy, sel, service, workload, endpoints } from './build';

describe('selectorMatches', () => {
  it('requires every matchLabels pair', () => {
    assert.equal(selectorMatches(sel({ app: 'cart' }), { app: 'cart', tier: 'web' }), true);
    assert.equal(selectorMatches(sel({ app: 'cart', tier: 'db' }), { app: 'cart', tier: 'web' }), false);
    assert.equal(selectorMatches(sel({ app: 'cart' }), {}), false);
  });
  it('In needs the key present with one of the values', () => {
    const s = sel({}, [{ key: 'tier', operator: 'In', values: ['a', 'b'] }]);
    assert.equal(selectorMatches(s, { tier: 'b' }), true);
    assert.equal(selectorMatches(s, { tier: 'c' }), false);
    assert.equal(selectorMatches(s, {}), false);
  });
  it('NotIn matches when the key is absent', () => {
    const s = sel({}, [{ key: 'tier', operator: 'NotIn', values: ['a'] }]);
    assert.equal(selectorMatches(s, {}), true);
    assert.equal(selectorMatches(s, { tier: 'b' }), true);
    assert.equal(selectorMatches(s, { tier: 'a' }), false);
  });
  it('Exists and DoesNotExist look at the key only', () => {
    assert.equal(selectorMatches(sel({}, [{ key: 'debug', operator: 'Exists', values: [] }]), { debug: '' }), true);
    assert.equal(selectorMatches(sel({}, [{ key: 'debug', operator: 'Exists', values: [] }]), {}), false);
    assert.equal(selectorMatches(sel({}, [{ key: 'debug', operator: 'DoesNotExist', values: [] }]), {}), true);
    assert.equal(selectorMatches(sel({}, [{ key: 'debug', operator: 'DoesNotExist', values: [] }]), { debug: 'x' }), false);
  });
  it('ANDs matchLabels with matchExpressions; empty matches all', () => {
    const s = sel({ app: 'cart' }, [{ key: 'debug', operator: 'DoesNotExist', values: [] }]);
    assert.equal(selectorMatches(s, { app: 'cart' }), true);
    assert.equal(selectorMatches(s, { app: 'cart', debug: '1' }), false);
    assert.equal(selectorMatches(sel({}), { anything: 'x' }), true);
    assert.equal(isEmptySelector(sel({})), true);
    assert.equal(isEmptySelector(s), false);
    assert.equal(isEmptySelector(undefined), true);
  });
  it('formats like kubectl', () => {
    const s = sel({ app: 'cart' }, [
      { key: 'tier', operator: 'In', values: ['a', 'b'] },
      { key: 'debug', operator: 'DoesNotExist', values: [] },
    ]);
    assert.equal(formatSelector(s), 'app=cart, tier in (a,b), !debug');
    assert.equal(formatSelector(sel({})), '(everything)');
  });
});

describe('ModelIndex', () => {
  const cart = workload('carts', { app: 'carts', tier: 'web' }, { ns: 'shop' });
  const cart2 = workload('carts-canary', { app: 'carts', track: 'canary' }, { ns: 'shop' });
  const other = workload('carts', { app: 'carts' }, { ns: 'other' });
  const svc = service('carts', { app: 'carts' }, { ns: 'shop' });
  const empty = service('manual', {}, { ns: 'shop' });
  const np = policy('deny', sel({ tier: 'web' }), { ns: 'shop' });
  const m = model([cart, cart2, other, svc, empty, np, namespace('shop', { team: 'a' }), endpoints('manual', 'shop')]);
  // Built in each test, not while the file loads: a test is then what reaches the index code it checks.
  const idx = () => new ModelIndex(m);

  it('selects within one namespace only', () => {
    assert.deepEqual(idx().workloadsSelectedBy('shop', sel({ app: 'carts' })).map((w) => w.name).sort(), ['carts', 'carts-canary']);
    assert.deepEqual(idx().workloadsSelectedBy('other', sel({ app: 'carts' })), [other]);
    assert.deepEqual(idx().workloadsSelectedBy('nowhere', sel({ app: 'carts' })), []);
  });
  it('an empty selector selects all in the namespace', () => {
    assert.equal(idx().workloadsSelectedBy('shop', sel({})).length, 2);
  });
  it('matchExpressions through the index', () => {
    assert.deepEqual(idx().workloadsSelectedBy('shop', sel({}, [{ key: 'track', operator: 'Exists', values: [] }])), [cart2]);
    assert.deepEqual(idx().workloadsSelectedBy('shop', sel({}, [{ key: 'track', operator: 'NotIn', values: ['canary'] }])), [cart]);
    assert.deepEqual(idx().workloadsSelectedBy('shop', sel({}, [{ key: 'tier', operator: 'In', values: ['x', 'web'] }])), [cart]);
  });
  it('reverse lookups', () => {
    assert.deepEqual(idx().servicesSelecting(cart), [svc]);
    assert.deepEqual(idx().servicesSelecting(other), []);
    assert.deepEqual(idx().policiesSelecting(cart), [np]);
    assert.deepEqual(idx().policiesSelecting(cart2), []);
    assert.deepEqual(idx().servicesNamed('shop', 'carts'), [svc]);
    assert.equal(idx().endpointSlicesFor(empty).length, 1);
    assert.equal(idx().byId(cart.id), cart);
  });
  it('namespace labels: declared and implicit', () => {
    assert.deepEqual(idx().namespaceLabels('shop'), { team: 'a', 'kubernetes.io/metadata.name': 'shop' });
    assert.deepEqual(idx().namespaceLabels('other'), { 'kubernetes.io/metadata.name': 'other' });
    assert.equal(idx().namespaceLabels('nowhere'), undefined);
    assert.deepEqual(idx().namespacesMatching(sel({ team: 'a' })), { names: ['shop'], complete: false });
    assert.deepEqual(idx().namespacesMatching(sel({ 'kubernetes.io/metadata.name': 'other' })), { names: ['other'], complete: true });
    assert.deepEqual(idx().namespacesMatching(sel({ 'kubernetes.io/metadata.name': 'elsewhere' })), { names: [], complete: false });
  });
  it('ignores configured label keys on both sides', () => {
    const i2 = new ModelIndex(m, { ignoreLabelKeys: ['track'] });
    assert.deepEqual(i2.workloadsSelectedBy('shop', sel({ track: 'canary' })).length, 2);
  });
});
