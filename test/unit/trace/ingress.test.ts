// Ingress matching against the tables of the Kubernetes documentation
// (concepts/services-networking/ingress: "Examples", "Hostname wildcards").
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { IngressPath, PathType } from '../../../src/core/model/types';
import { hostMatches, matchIngress, parseUrl, pathMatches, traceRequest } from '../../../src/core/trace';
import { ingress, model, service, servicePort, workload } from '../../fixtures/trace/build';

function p(pathType: PathType, path: string, service = 'svc'): IngressPath {
  return { path, pathType, backend: { service, port: 80 } };
}

describe('trace: Ingress path matching (the documentation table)', () => {
  const cases: [PathType, string, string, boolean][] = [
    ['Prefix', '/', '/anything/at/all', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
  ];
  for (const [type, path, request, want] of cases) {
    it(`${type} ${path} ${want ? 'matches' : 'does not match'} ${request}`, () => {
      assert.equal(pathMatches(p(type, path), request) !== undefined, want);
    });
  }
  it('the longest match wins; on a tie Exact beats Prefix', () => {
    const ing = ingress('web', 'site', {
      rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/', 'root'), p('Prefix', '/aaa', 'aaa'), p('Prefix', '/aaa/bbb', 'bbb'), p('Exact', '/foo', 'exact'), p('Prefix', '/foo', 'prefix')] }],
    });
    const m = model({ ingresses: [ing] });
    const backend = (url: string) => matchIngress(m, parseUrl(url)!).match?.backend.service;
    assert.equal(backend('http://shop.example.com/aaa/bbb'), 'bbb');
    assert.equal(backend('http://shop.example.com/aaa/ccc'), 'aaa');
    assert.equal(backend('http://shop.example.com/ccc'), 'root');
    assert.equal(backend('http://shop.example.com/foo'), 'exact');
    assert.equal(backend('http://shop.example.com/foo/x'), 'prefix');
    // The same with the Prefix path listed first: the order in the manifest does not decide.
    const prefixFirst = model({ ingresses: [ingress('web', 'site', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/foo', 'prefix'), p('Exact', '/foo', 'exact')] }] })] });
    assert.equal(matchIngress(prefixFirst, parseUrl('http://shop.example.com/foo')!).match?.backend.service, 'exact');
    assert.equal(matchIngress(prefixFirst, parseUrl('http://shop.example.com/foo/')!).match?.backend.service, 'prefix');
  });
  it('URLs: scheme and host are case-insensitive, the port and path kept, query and fragment dropped', () => {
    assert.deepEqual(parseUrl('  HTTPS://Shop.Example.COM:8443/a/b?q=1#top '), { scheme: 'https', host: 'shop.example.com', port: 8443, path: '/a/b' });
    assert.deepEqual(parseUrl('http://shop.example.com'), { scheme: 'http', host: 'shop.example.com', port: undefined, path: '/' });
    assert.deepEqual(parseUrl('http://shop.example.com?x=1'), { scheme: 'http', host: 'shop.example.com', port: undefined, path: '/' });
    assert.equal(parseUrl('ftp://shop.example.com/'), undefined);
    assert.equal(parseUrl('shop.example.com/x'), undefined);
    assert.equal(parseUrl('http://shop.example.com:http/'), undefined, 'a port is digits');
  });
});

describe('trace: Ingress host matching', () => {
  it('a wildcard matches exactly one label', () => {
    assert.equal(hostMatches('*.foo.com', 'bar.foo.com'), 'wildcard');
    assert.equal(hostMatches('*.foo.com', 'baz.bar.foo.com'), undefined);
    assert.equal(hostMatches('*.foo.com', 'foo.com'), undefined);
    assert.equal(hostMatches('foo.bar.com', 'foo.bar.com'), 'exact');
    assert.equal(hostMatches(undefined, 'anything.example'), 'any');
    assert.equal(hostMatches('', 'anything.example'), 'any');
    // The suffix must be the whole domain after the first label.
    assert.equal(hostMatches('*.foo.com', 'evilfoo.com'), undefined);
    assert.equal(hostMatches('*.foo.com', 'bar.other.com'), undefined);
    assert.equal(hostMatches('*.Foo.com', 'bar.foo.com'), 'wildcard', 'rule hosts compare case-insensitively');
    assert.equal(hostMatches('foo.bar.com', 'www.foo.bar.com'), undefined);
  });
  it('exact host before wildcard before host-less rules; defaultBackend when no path matches', () => {
    const ing = ingress('web', 'site', {
      rules: [
        { host: 'api.example.com', paths: [p('Prefix', '/v1', 'exact-host')] },
        { host: '*.example.com', paths: [p('Prefix', '/', 'wildcard')] },
        { paths: [p('Prefix', '/', 'any-host')] },
      ],
      defaultBackend: { service: 'fallback', port: 80 },
    });
    const m = model({ ingresses: [ing] });
    const r = (url: string) => matchIngress(m, parseUrl(url)!).match;
    assert.equal(r('http://api.example.com/v1/x')?.backend.service, 'exact-host');
    assert.equal(r('http://api.example.com/v2')?.backend.service, 'wildcard');
    assert.equal(r('http://www.example.com/')?.backend.service, 'wildcard');
    assert.equal(r('http://a.b.example.com/')?.backend.service, 'any-host');
    const only = model({ ingresses: [ingress('web', 'x', { rules: [{ host: 'a.com', paths: [p('Exact', '/x')] }], defaultBackend: { service: 'fallback', port: 80 } })] });
    const d = matchIngress(only, parseUrl('http://a.com/y')!).match!;
    assert.equal(d.backend.service, 'fallback');
    assert.equal(d.hostMatch, 'default');
  });
});

describe('trace: from a URL through the Ingress to the Pod', () => {
  const web = workload('shop', 'web', { app: 'web' }, { replicas: 2, ports: [8080] });
  const svc = service('shop', 'web', { app: 'web' }, [servicePort(80, 8080, 'http')]);
  const ing = ingress('shop', 'web', {
    className: 'nginx',
    rules: [{ host: 'shop.example.com', paths: [p('ImplementationSpecific', '/', 'web')] }],
    tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls', hostLocs: [] }],
  });
  const m = model({ workloads: [web], services: [svc], ingresses: [ing] });
  it('TLS terminated at the controller, ImplementationSpecific said to be treated as Prefix', () => {
    const r = traceRequest(m, new ModelIndex(m), { to: { kind: 'url', url: 'https://shop.example.com/cart' } });
    assert.equal(r.hops[0].kind, 'ingress');
    assert.match(r.hops[0].detail, /TLS terminated at the controller with secret shop-tls/);
    assert.match(r.hops[0].detail, /treated as Prefix/);
    assert.equal(r.endpoints.length, 2);
    assert.equal(r.verdict, 'delivered', r.reason);
  });
  it('https for a host not under tls: the default certificate', () => {
    const m2 = model({ workloads: [web], services: [svc], ingresses: [ingress('shop', 'web', { rules: ing.rules })] });
    const r = traceRequest(m2, new ModelIndex(m2), { to: { kind: 'url', url: 'https://shop.example.com/' } });
    assert.match(r.hops[0].detail, /not listed under tls/);
  });
  it('no rule and no defaultBackend: the controller answers 404', () => {
    const r = traceRequest(m, new ModelIndex(m), { to: { kind: 'url', url: 'http://other.example.com/' } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /404/);
  });
  it('a backend Service missing from the set: unresolved at the Ingress', () => {
    const m3 = model({ ingresses: [ing] });
    const r = traceRequest(m3, new ModelIndex(m3), { to: { kind: 'url', url: 'http://shop.example.com/' } });
    assert.equal(r.verdict, 'unresolved');
    assert.match(r.reason, /backend Service shop\/web is not in the set/);
  });
});
