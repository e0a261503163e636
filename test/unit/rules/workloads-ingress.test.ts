import assert from 'node:assert/strict';
import type { BackendRef, IngressRule } from '../../../src/core/model/types';
import { hostCovers } from '../../../src/core/rules/ingress';
import { Analysis } from '../../../src/core/analysis';
import { container, ingress, ingressClass, model, port, route, sel, service, svcPort, workload } from './build';
import { lintModel, only } from './lint-helper';

describe('workload-selector-mismatch', () => {
  it('fires when spec.selector does not match the template labels', () => {
    const f = only(lintModel(model([workload('w', { app: 'web' }, { selector: sel({ app: 'website' }) })])), 'workload-selector-mismatch');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /app=website \(the template has app=web\)/);
  });
  it('handles matchExpressions, and not selectors that match', () => {
    assert.equal(only(lintModel(model([workload('w', { app: 'web' }, { selector: sel({}, [{ key: 'app', operator: 'In', values: ['web', 'api'] }]) })])), 'workload-selector-mismatch').length, 0);
    assert.equal(only(lintModel(model([workload('w', { app: 'web' }, { selector: sel({}, [{ key: 'app', operator: 'NotIn', values: ['web'] }]) })])), 'workload-selector-mismatch').length, 1);
    assert.equal(only(lintModel(model([workload('w', { app: 'web', tier: 'x' }, { selector: sel({ app: 'web' }) })])), 'workload-selector-mismatch').length, 0);
  });
});

describe('probe-port-missing', () => {
  const w = (probePort: number | string) =>
    workload('w', { app: 'w' }, { containers: [container('c', [port(8080, 'http')], { probes: [{ probe: 'readiness', handler: 'httpGet', port: probePort }] })] });
  it('named port not declared: error; number not declared: warning; declared: nothing', () => {
    const named = only(lintModel(model([w('health')])), 'probe-port-missing');
    assert.equal(named.length, 1);
    assert.equal(named[0].severity, 'error');
    const num = only(lintModel(model([w(9090)])), 'probe-port-missing');
    assert.equal(num[0].severity, 'warning');
    assert.equal(only(lintModel(model([w('http')])), 'probe-port-missing').length, 0);
    assert.equal(only(lintModel(model([w(8080)])), 'probe-port-missing').length, 0);
  });
  it('a name declared by another container of the pod does not count (probes resolve in their own container)', () => {
    const x = workload('w', { app: 'w' }, {
      containers: [container('a', [], { probes: [{ probe: 'liveness', handler: 'tcpSocket', port: 'http' }] }), container('b', [port(8080, 'http')])],
    });
    assert.equal(only(lintModel(model([x])), 'probe-port-missing').length, 1);
  });
});

describe('container-port-invalid', () => {
  it('range, names and duplicates within a pod', () => {
    const bad = workload('w', { app: 'w' }, {
      containers: [container('a', [port(0), port(8080, 'HTTP'), port(9090, 'metrics')]), container('b', [port(9091, 'metrics')])],
    });
    const f = only(lintModel(model([bad])), 'container-port-invalid');
    assert.equal(f.length, 3);
    assert.ok(f.some((x) => /out of range/.test(x.message)));
    assert.ok(f.some((x) => /"HTTP"/.test(x.message)));
    assert.ok(f.some((x) => /used twice/.test(x.message)));
  });
  it('valid ports pass', () => {
    assert.equal(only(lintModel(model([workload('w', { app: 'w' }, { containers: [container('a', [port(80, 'http'), port(443, 'https')])] })])), 'container-port-invalid').length, 0);
  });
});

function backend(service: string, p?: number | string): BackendRef {
  return { service, port: p };
}
function rule(host: string | undefined, path: string, b: BackendRef): IngressRule {
  return { host, paths: [{ path, pathType: 'Prefix', backend: b }] };
}

describe('ingress backends', () => {
  const svc = service('web', { app: 'web' }, { ports: [svcPort(80, 8080, { name: 'http' })] });
  const w = workload('web', { app: 'web' }, { containers: [container('c', [port(8080)])] });
  it('missing Service (in the Ingress namespace) is an error with a suggestion', () => {
    const f = only(lintModel(model([ingress('i', { rules: [rule('a.com', '/', backend('webb', 80))] }), svc, w])), 'ingress-backend-service-missing');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /did you mean web\?/);
    const other = only(lintModel(model([ingress('i', { ns: 'x', rules: [rule('a.com', '/', backend('web', 80))] }), svc, w])), 'ingress-backend-service-missing');
    assert.equal(other.length, 1);
  });
  it('port by number or name must be a Service port', () => {
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule('a.com', '/', backend('web', 80))] }), svc, w])), 'ingress-backend-port-missing').length, 0);
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule('a.com', '/', backend('web', 'http'))] }), svc, w])), 'ingress-backend-port-missing').length, 0);
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule('a.com', '/', backend('web', 8080))] }), svc, w])), 'ingress-backend-port-missing').length, 1);
    assert.equal(only(lintModel(model([ingress('i', { defaultBackend: backend('web', 'https') }), svc, w])), 'ingress-backend-port-missing').length, 1);
  });
  it('a backend that names a Service but no port at all is a finding that says what is missing', () => {
    const text = (apiVersion: string, backend: string) =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, name: http}]\n---\napiVersion: ${apiVersion}\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n${backend}`;
    const lint = (t: string) => {
      const a = new Analysis();
      a.setFile('i.yaml', t);
      return only(a.findings(), 'ingress-backend-port-missing');
    };
    const v1 = lint(text('networking.k8s.io/v1', '          service:\n            name: web\n'));
    assert.equal(v1.length, 1);
    assert.match(v1[0].message, /^Ingress default\/i sends \*\/ to Service default\/web but names no port \(service\.port\.number or service\.port\.name\); the API server rejects a backend without one\. Add one of the Service's ports \(80 \(http\)\)\.$/);
    const beta = lint(text('extensions/v1beta1', '          serviceName: web\n'));
    assert.equal(beta.length, 1);
    assert.match(beta[0].message, /names no port \(servicePort\)/);
    assert.equal(lint(text('networking.k8s.io/v1', '          service:\n            name: web\n            port: {name: http}\n')).length, 0);
  });
  it('a backend Service without pods is a warning', () => {
    const f = only(lintModel(model([ingress('i', { rules: [rule('a.com', '/', backend('web', 80))] }), svc])), 'ingress-backend-no-endpoints');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule('a.com', '/', backend('web', 80))] }), svc, w])), 'ingress-backend-no-endpoints').length, 0);
  });
  it('resource backends are not Services', () => {
    const b: BackendRef = { service: '', resource: { kind: 'StorageBucket', namespace: 'default', name: 'static' } };
    assert.equal(lintModel(model([ingress('i', { defaultBackend: b })])).length, 0);
  });
});

describe('ingress-tls-host-mismatch', () => {
  it('wildcards cover exactly one label', () => {
    assert.equal(hostCovers('*.example.com', 'a.example.com'), true);
    assert.equal(hostCovers('*.example.com', 'a.b.example.com'), false);
    assert.equal(hostCovers('*.example.com', 'example.com'), false);
    assert.equal(hostCovers('Example.com', 'example.COM'), true);
  });
  it('fires for a TLS host no rule routes; not for wildcard matches or host-less rules', () => {
    const tls = (hosts: string[]) => [{ hosts, hostLocs: [] }];
    const b = backend('web', 80);
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule('a.com', '/', b)], tls: tls(['b.com']) })])), 'ingress-tls-host-mismatch').length, 1);
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule('x.a.com', '/', b)], tls: tls(['*.a.com']) })])), 'ingress-tls-host-mismatch').length, 0);
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule('*.a.com', '/', b)], tls: tls(['x.a.com']) })])), 'ingress-tls-host-mismatch').length, 0);
    assert.equal(only(lintModel(model([ingress('i', { rules: [rule(undefined, '/', b)], tls: tls(['b.com']) })])), 'ingress-tls-host-mismatch').length, 0);
  });
});

describe('ingress-duplicate-route', () => {
  const b = backend('web', 80);
  it('two Ingresses of one class with the same host+path, across namespaces too', () => {
    const f = only(lintModel(model([ingress('a', { className: 'nginx', rules: [rule('a.com', '/', b)] }), ingress('b', { ns: 'x', className: 'nginx', rules: [rule('a.com', '/', b)] })])), 'ingress-duplicate-route');
    assert.equal(f.length, 1);
  });
  it('not for different classes, paths, canaries, or the same Ingress defined twice', () => {
    assert.equal(only(lintModel(model([ingress('a', { className: 'nginx', rules: [rule('a.com', '/', b)] }), ingress('b', { className: 'traefik', rules: [rule('a.com', '/', b)] })])), 'ingress-duplicate-route').length, 0);
    assert.equal(only(lintModel(model([ingress('a', { rules: [rule('a.com', '/', b)] }), ingress('b', { rules: [rule('a.com', '/api', b)] })])), 'ingress-duplicate-route').length, 0);
    const canary = ingress('b', { rules: [rule('a.com', '/', b)], annotations: { 'nginx.ingress.kubernetes.io/canary': 'true' } });
    assert.equal(only(lintModel(model([ingress('a', { rules: [rule('a.com', '/', b)] }), canary])), 'ingress-duplicate-route').length, 0);
    assert.equal(only(lintModel(model([ingress('a', { rules: [rule('a.com', '/', b)] }), ingress('a', { rules: [rule('a.com', '/', b)] })])), 'ingress-duplicate-route').length, 0);
  });
});

describe('ingress-class-missing', () => {
  it('fires for an unknown class when classes exist; silent when none exist', () => {
    assert.equal(only(lintModel(model([ingress('a', { className: 'ngnix' }), ingressClass('nginx')])), 'ingress-class-missing').length, 1);
    assert.equal(only(lintModel(model([ingress('a', { className: 'nginx' }), ingressClass('nginx')])), 'ingress-class-missing').length, 0);
    assert.equal(only(lintModel(model([ingress('a', { className: 'nginx' })])), 'ingress-class-missing').length, 0);
  });
  it('the legacy annotation needs no IngressClass object', () => {
    const ing = ingress('a', { className: 'nginx', annotations: { 'kubernetes.io/ingress.class': 'nginx' } });
    assert.equal(only(lintModel(model([ing, ingressClass('traefik')])), 'ingress-class-missing').length, 0);
  });
  it('more than one default IngressClass (copies of one class count once)', () => {
    assert.equal(only(lintModel(model([ingressClass('a', true), ingressClass('b', true)])), 'ingress-class-missing').length, 2);
    assert.equal(only(lintModel(model([ingressClass('a', true), ingressClass('a', true)])), 'ingress-class-missing').length, 0);
  });
});

describe('route-backend-missing', () => {
  const ref = (name: string, namespace = '', p?: number) => ({ service: name, port: p, weight: 1, namespace, kind: 'Service' });
  it('Service refs resolve in their own namespace (cross-namespace too) and check the port', () => {
    const svc = service('web', { app: 'web' }, { ns: 'apps', ports: [svcPort(80)] });
    const ok = route('r', { ns: 'gw', rules: [{ matches: [], backendRefs: [ref('web', 'apps', 80)] }] });
    assert.equal(only(lintModel(model([svc, ok])), 'route-backend-missing').length, 0);
    const wrongNs = route('r', { ns: 'gw', rules: [{ matches: [], backendRefs: [ref('web', '', 80)] }] });
    assert.equal(only(lintModel(model([svc, wrongNs])), 'route-backend-missing').length, 1);
    const wrongPort = route('r', { ns: 'gw', rules: [{ matches: [], backendRefs: [ref('web', 'apps', 8080)] }] });
    assert.match(only(lintModel(model([svc, wrongPort])), 'route-backend-missing')[0].message, /no such port/);
  });
  it('non-Service backendRefs are not checked', () => {
    const r = route('r', { rules: [{ matches: [], backendRefs: [{ ...ref('bucket'), kind: 'StorageBucket' }] }] });
    assert.equal(only(lintModel(model([r])), 'route-backend-missing').length, 0);
  });
});
