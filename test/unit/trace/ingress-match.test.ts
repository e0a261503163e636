// Which Ingress answers a URL when several could (networking.k8s.io/v1
// semantics, as the Ingress documentation and the ingress-controller
// conformance features "path rules", "host rules" and "default backend"
// describe them): the longest path wins wherever it is listed, hosts by
// tier, the defaultBackend of the Ingress whose host matched, several
// defaultBackends left to the controller, TLS by exact or wildcard host.
import assert from 'node:assert/strict';
import type { Ingress, IngressPath, PathType } from '../../../src/core/model/types';
import { hostMatches, matchIngress, parseUrl } from '../../../src/core/trace';
import { ingress, model } from '../../fixtures/trace/build';

function p(pathType: PathType, path: string, service: string): IngressPath {
  return { path, pathType, backend: { service, port: 80 } };
}

function answer(ingresses: Ingress[], url: string) {
  const r = matchIngress(model({ ingresses }), parseUrl(url)!);
  return {
    backend: r.match?.backend.service,
    ingress: r.match ? `${r.match.ingress.namespace}/${r.match.ingress.name}` : undefined,
    hostMatch: r.match?.hostMatch,
    tls: r.match?.tls,
    failure: r.failure,
    reason: r.reason,
    considered: r.considered.map((i) => i.name),
  };
}

describe('Ingress: the longest matching path wins, wherever it is listed', () => {
  it('a longer Prefix listed after a shorter one, and before', () => {
    const a = ingress('shop', 'a', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/', 'root'), p('Prefix', '/api', 'api'), p('Prefix', '/api/v2', 'v2')] }] });
    assert.equal(answer([a], 'http://shop.example.com/api/v2/items').backend, 'v2');
    const b = ingress('shop', 'b', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/api/v2', 'v2'), p('Prefix', '/api', 'api'), p('Prefix', '/', 'root')] }] });
    assert.equal(answer([b], 'http://shop.example.com/api/v2/items').backend, 'v2');
    assert.equal(answer([b], 'http://shop.example.com/api/v1').backend, 'api');
    assert.equal(answer([b], 'http://shop.example.com/apix').backend, 'root');
  });
  it('across Ingresses of the same host', () => {
    const root = ingress('shop', 'root', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/', 'root')] }] });
    const api = ingress('shop', 'api', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/api', 'api')] }] });
    assert.deepEqual(answer([api, root], 'http://shop.example.com/api/x').backend, 'api');
    assert.deepEqual(answer([root, api], 'http://shop.example.com/api/x').backend, 'api');
  });
});

describe('Ingress: hosts', () => {
  it('a wildcard needs exactly one more, non-empty label', () => {
    assert.equal(hostMatches('*.example.com', 'a.example.com'), 'wildcard');
    assert.equal(hostMatches('*.example.com', '.example.com'), undefined);
    assert.equal(hostMatches('*.example.com', 'example.com'), undefined);
    assert.equal(hostMatches('*.Example.com', 'a.example.com'), 'wildcard');
    assert.equal(hostMatches('Shop.Example.com', 'shop.example.com'), 'exact');
    assert.equal(hostMatches('', 'anything'), 'any');
  });
  it('an exact host before a wildcard before a rule without host, whatever their order', () => {
    const any = ingress('shop', 'any', { rules: [{ paths: [p('Prefix', '/', 'any')] }] });
    const wild = ingress('shop', 'wild', { rules: [{ host: '*.example.com', paths: [p('Prefix', '/', 'wild')] }] });
    const exact = ingress('shop', 'exact', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/', 'exact')] }] });
    assert.deepEqual([answer([any, wild, exact], 'http://shop.example.com/').backend, answer([any, wild, exact], 'http://shop.example.com/').hostMatch], ['exact', 'exact']);
    assert.deepEqual([answer([any, wild], 'http://x.example.com/').backend, answer([any, wild], 'http://x.example.com/').hostMatch], ['wild', 'wildcard']);
    assert.deepEqual([answer([wild, any], 'http://example.org/').backend, answer([wild, any], 'http://example.org/').hostMatch], ['any', 'any']);
  });
});

describe('Ingress: default backends', () => {
  it('no path matches: the defaultBackend of the Ingress whose host matched, not another one', () => {
    const shop = ingress('shop', 'shop', { rules: [{ host: 'shop.example.com', paths: [p('Exact', '/x', 'x')] }], defaultBackend: { service: 'shop-default', port: 80 } });
    const other = ingress('shop', 'other', { rules: [{ host: 'other.example.com', paths: [p('Exact', '/x', 'x')] }], defaultBackend: { service: 'other-default', port: 80 } });
    assert.deepEqual(answer([other, shop], 'http://shop.example.com/y'), {
      backend: 'shop-default',
      ingress: 'shop/shop',
      hostMatch: 'default',
      tls: undefined,
      failure: undefined,
      reason: undefined,
      considered: ['shop'],
    });
  });
  it("no host matched: the one Ingress's defaultBackend that there is", () => {
    const shop = ingress('shop', 'shop', { rules: [{ host: 'shop.example.com', paths: [p('Exact', '/x', 'x')] }] });
    const fallback = ingress('shop', 'fallback', { defaultBackend: { service: 'fallback', port: 80 } });
    assert.deepEqual([answer([shop, fallback], 'http://nothing.example.com/').backend, answer([shop, fallback], 'http://nothing.example.com/').considered], ['fallback', []]);
  });
  it('several Ingresses set one and none is preferred: which answers depends on the controller', () => {
    const one = ingress('shop', 'one', { defaultBackend: { service: 'one', port: 80 } });
    const two = ingress('web', 'two', { defaultBackend: { service: 'two', port: 80 } });
    assert.deepEqual(answer([one, two], 'http://nothing.example.com/a'), {
      backend: undefined,
      ingress: undefined,
      hostMatch: undefined,
      tls: undefined,
      failure: 'ambiguous',
      reason: 'no rule matches nothing.example.com/a, and 2 Ingresses (shop/one, web/two) set a defaultBackend: which one answers depends on the controller',
      considered: [],
    });
  });
  it('nothing at all: the controller answers 404 itself', () => {
    const shop = ingress('shop', 'shop', { rules: [{ host: 'shop.example.com', paths: [p('Exact', '/x', 'x')] }] });
    assert.deepEqual(answer([shop], 'http://shop.example.com/y'), {
      backend: undefined,
      ingress: undefined,
      hostMatch: undefined,
      tls: undefined,
      failure: 'not-found',
      reason: 'no Ingress rule matches host shop.example.com and path /y, and no Ingress sets a defaultBackend: the controller answers 404 itself',
      considered: ['shop'],
    });
  });
});

describe('Ingress: TLS', () => {
  it('a tls entry applies by exact or wildcard host, any of its hosts', () => {
    const ing = ingress('shop', 'shop', {
      rules: [{ paths: [p('Prefix', '/', 'web')] }],
      tls: [
        { hosts: ['other.example.org'], secretName: 'other-tls', hostLocs: [] },
        { hosts: ['x.example.org', '*.example.com'], secretName: 'wild-tls', hostLocs: [] },
      ],
    });
    assert.deepEqual(answer([ing], 'https://shop.example.com/').tls, { secretName: 'wild-tls' });
    assert.deepEqual(answer([ing], 'https://other.example.org/').tls, { secretName: 'other-tls' });
    assert.equal(answer([ing], 'https://example.com/').tls, undefined);
    assert.equal(answer([ing], 'https://nothing.example.net/').tls, undefined);
  });
});

describe('URLs', () => {
  it('only a whole http(s) URL', () => {
    assert.equal(parseUrl('xhttp://shop/'), undefined);
    assert.equal(parseUrl('see http://shop/'), undefined);
    assert.deepEqual(parseUrl('  HTTPS://Shop.Example.com:8443  '), { scheme: 'https', host: 'shop.example.com', port: 8443, path: '/' });
  });
});
