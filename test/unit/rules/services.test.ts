import assert from 'node:assert/strict';
import { container, endpoints, model, port, service, svcPort, workload, namespace } from './build';
import { lintModel, only } from './lint-helper';

describe('service-no-matching-pods', () => {
  it('fires when nothing in the namespace matches, naming the near miss', () => {
    const f = only(lintModel(model([service('cart', { app: 'cart' }, { ns: 'shop' }), workload('carts', { app: 'carts' }, { ns: 'shop' })])), 'service-no-matching-pods');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /Selector app=cart of Service shop\/cart matches no Pod in namespace shop/);
    assert.match(f[0].message, /Deployment shop\/carts has app=carts/);
  });
  it('never matches workloads of another namespace, and says so', () => {
    const f = only(lintModel(model([service('cart', { app: 'cart' }, { ns: 'shop' }), workload('cart', { app: 'cart' }, { ns: 'other' })])), 'service-no-matching-pods');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /It matches Deployment other\/cart, but selectors only reach Pods in their own namespace/);
  });
  it('does not fire when a workload matches (extra pod labels are fine), for ExternalName, or without selector', () => {
    const m = model([
      service('cart', { app: 'cart' }),
      workload('cart', { app: 'cart', tier: 'web' }),
      service('ext', { app: 'nothing' }, { type: 'ExternalName', externalName: 'example.com' }),
      service('manual', undefined),
      endpoints('manual'),
    ]);
    assert.deepEqual(only(lintModel(m), 'service-no-matching-pods'), []);
  });
  it('matches CronJob pod templates and bare Pods', () => {
    const m = model([
      service('batch', { app: 'batch' }),
      workload('batch', { app: 'batch' }, { kind: 'CronJob', selector: undefined }),
      service('pod', { run: 'pod' }),
      workload('pod', { run: 'pod' }, { kind: 'Pod', selector: undefined }),
    ]);
    assert.deepEqual(only(lintModel(m), 'service-no-matching-pods'), []);
  });
  it('ignores configured label keys on both sides', () => {
    const m = model([service('cart', { app: 'cart', version: 'v2' }), workload('cart', { app: 'cart', version: 'v1' })]);
    assert.equal(only(lintModel(m), 'service-no-matching-pods').length, 1);
    assert.equal(only(lintModel(m, { ignoreLabelKeys: ['version'] }), 'service-no-matching-pods').length, 0);
  });
  it('can be turned off or downgraded by config', () => {
    const m = model([service('cart', { app: 'cart' })]);
    assert.equal(only(lintModel(m, { rules: { 'service-no-matching-pods': 'off' } }), 'service-no-matching-pods').length, 0);
    assert.equal(only(lintModel(m, { rules: { 'service-no-matching-pods': 'warning' } }), 'service-no-matching-pods')[0].severity, 'warning');
  });
});

describe('service-no-selector', () => {
  it('is info when no Endpoints/EndpointSlice exist, silent when they do or for ExternalName', () => {
    const f = only(lintModel(model([service('a', undefined), service('b', undefined), endpoints('b'), service('c', undefined, { type: 'ExternalName' })])), 'service-no-selector');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'info');
    assert.equal(f[0].object?.name, 'a');
  });
  it('treats an empty selector like none', () => {
    assert.equal(only(lintModel(model([service('a', {})])), 'service-no-selector').length, 1);
  });
});

describe('service-target-port-missing', () => {
  const web = (ports = [port(8080, 'http')]) => workload('web', { app: 'web' }, { containers: [container('c', ports)] });
  it('absent or 0 targetPort means the port itself', () => {
    assert.equal(only(lintModel(model([service('web', { app: 'web' }, { ports: [svcPort(8080)] }), web()])), 'service-target-port-missing').length, 0);
    assert.equal(only(lintModel(model([service('web', { app: 'web' }, { ports: [svcPort(8080, 0)] }), web()])), 'service-target-port-missing').length, 0);
    const f = only(lintModel(model([service('web', { app: 'web' }, { ports: [svcPort(80)] }), web()])), 'service-target-port-missing');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
  });
  it('a named targetPort no container declares is an error; a declared one is fine', () => {
    assert.equal(only(lintModel(model([service('web', { app: 'web' }, { ports: [svcPort(80, 'http')] }), web()])), 'service-target-port-missing').length, 0);
    const f = only(lintModel(model([service('web', { app: 'web' }, { ports: [svcPort(80, 'http-api')] }), web()])), 'service-target-port-missing');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /names a port no container of Deployment default\/web declares \(it declares 8080 \(http\)\)/);
  });
  it('resolves names across all containers of a multi-container pod (sidecars included)', () => {
    const w = workload('web', { app: 'web' }, { containers: [container('app', [port(8080, 'http')]), container('proxy', [port(15090, 'metrics')])] });
    assert.equal(only(lintModel(model([service('web', { app: 'web' }, { ports: [svcPort(80, 'http'), svcPort(9090, 'metrics')] }), w])), 'service-target-port-missing').length, 0);
    const sidecar = workload('s', { app: 's' }, { containers: [container('app', []), container('sidecar', [port(9000, 'proxy')], { init: true })] });
    assert.equal(only(lintModel(model([service('s', { app: 's' }, { ports: [svcPort(80, 'proxy')] }), sidecar])), 'service-target-port-missing').length, 0);
  });
  it('numbers vs names: a numeric targetPort matches containerPort, not the name', () => {
    const f = only(lintModel(model([service('web', { app: 'web' }, { ports: [svcPort(80, 9090)] }), web()])), 'service-target-port-missing');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
  });
  it('two matched workloads: only the one lacking the port is reported; named is a warning when the other has it', () => {
    const a = workload('a', { app: 'x', v: '1' }, { containers: [container('c', [port(8080, 'http')])] });
    const b = workload('b', { app: 'x', v: '2' }, { containers: [container('c', [port(8081, 'web')])] });
    const f = only(lintModel(model([service('x', { app: 'x' }, { ports: [svcPort(80, 'http')] }), a, b])), 'service-target-port-missing');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /Deployment default\/b/);
    assert.match(f[0].message, /only those of Deployment default\/a do/);
  });
  it('the same workload defined in two files counts as declared when either copy declares it', () => {
    const a1 = workload('a', { app: 'x' }, { containers: [container('c', [])] });
    const a2 = workload('a', { app: 'x' }, { containers: [container('c', [port(8080)])] });
    assert.equal(only(lintModel(model([service('x', { app: 'x' }, { ports: [svcPort(80, 8080)] }), a1, a2])), 'service-target-port-missing').length, 0);
  });
  it('skips workloads without containers (nothing to compare)', () => {
    const w = workload('w', { app: 'w' }, { containers: [] });
    assert.equal(only(lintModel(model([service('w', { app: 'w' }, { ports: [svcPort(80, 'http')] }), w])), 'service-target-port-missing').length, 0);
  });
  it('headless Services without ports are fine', () => {
    const f = lintModel(model([service('h', { app: 'web' }, { headless: true, clusterIP: 'None', ports: [] }), web()]));
    assert.deepEqual(f.filter((x) => x.severity !== 'info'), []);
  });
});

describe('service-protocol-mismatch', () => {
  it('fires when the targeted container port has another protocol', () => {
    const w = workload('dns', { app: 'dns' }, { containers: [container('c', [port(53, 'dns', 'UDP')])] });
    const f = only(lintModel(model([service('dns', { app: 'dns' }, { ports: [svcPort(53, 53)] }), w])), 'service-protocol-mismatch');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /is TCP, but container port 53 of Deployment default\/dns is UDP/);
    assert.equal(only(lintModel(model([service('dns', { app: 'dns' }, { ports: [svcPort(53, 'dns')] }), w])), 'service-protocol-mismatch').length, 1);
  });
  it('does not fire when one of the same-numbered ports has the protocol', () => {
    const w = workload('dns', { app: 'dns' }, { containers: [container('c', [port(53, 'dns', 'UDP'), port(53, 'dns-tcp', 'TCP')])] });
    assert.equal(only(lintModel(model([service('dns', { app: 'dns' }, { ports: [svcPort(53, 53)] }), w])), 'service-protocol-mismatch').length, 0);
  });
});

describe('service-port-invalid', () => {
  const msgs = (ports: Parameters<typeof svcPort>[] | ReturnType<typeof svcPort>[]) =>
    only(lintModel(model([service('s', undefined, { ports: ports as ReturnType<typeof svcPort>[] }), endpoints('s')])), 'service-port-invalid').map((f) => f.message);
  it('port, targetPort and nodePort ranges', () => {
    assert.equal(msgs([svcPort(70000)]).length, 1);
    assert.equal(msgs([svcPort(80, 70000)]).length, 1);
    assert.equal(msgs([svcPort(80, 0)]).length, 0);
    assert.equal(msgs([svcPort(80, 80, { nodePort: 8080 })]).length, 1);
    assert.equal(msgs([svcPort(80, 80, { nodePort: 30080 })]).length, 0);
    assert.equal(msgs([svcPort(80, 80, { nodePort: 32768 })]).length, 1);
  });
  it('the range bounds themselves are valid; one past them is not', () => {
    for (const ok of [1, 65535]) assert.deepEqual(msgs([svcPort(ok)]), [], `port ${ok}`);
    for (const ok of [1, 65535]) assert.deepEqual(msgs([svcPort(80, ok)]), [], `targetPort ${ok}`);
    // nodePort: the default --service-node-port-range is 30000-32767, both ends included; 0 means "allocate one".
    for (const ok of [30000, 32767, 0]) assert.deepEqual(msgs([svcPort(80, 80, { nodePort: ok })]), [], `nodePort ${ok}`);
    assert.deepEqual(msgs([svcPort(65536)]).map((m) => /port 65536 of .* is out of range; a Service port must be 1-65535/.test(m)), [true]);
    assert.deepEqual(msgs([svcPort(80, 65536)]).map((m) => /targetPort 65536 of .* is out of range/.test(m)), [true]);
    const [low] = msgs([svcPort(80, 80, { nodePort: 29999 })]);
    assert.match(low, /nodePort 29999 of .* is outside the default NodePort range 30000-32767/);
  });
  it('says why a named targetPort is not a valid name', () => {
    const why = (name: string) => msgs([svcPort(80, name)])[0] ?? '';
    assert.match(why('http_api'), /targetPort name "http_api" of .* is not a valid port name: it may contain only lowercase letters, digits and '-'/);
    assert.match(why('a-very-long-port-name'), /it is 21 characters long \(at most 15\)/);
    assert.match(why('ht--tp'), /it may not contain '--'/);
    assert.match(why('-http'), /it may not begin or end with '-'/);
    assert.match(why('123-456'), /it must contain at least one letter/);
  });
  it('IANA_SVC_NAME rules for named targetPorts', () => {
    for (const bad of ['http_api', 'HTTP', 'a-very-long-port-name', '-http', 'http-', 'ht--tp', '123-456']) {
      assert.equal(msgs([svcPort(80, bad)]).length, 1, bad);
    }
    for (const good of ['http', 'http-api', 'h2c', 'a1', 'x-15-chars-long']) {
      assert.equal(msgs([svcPort(80, good)]).length, 0, good);
    }
  });
  it('a quoted numeric targetPort is a (bad) name', () => {
    const m = msgs([svcPort(80, '8080')]);
    assert.equal(m.length, 1);
    assert.match(m[0], /is quoted, so Kubernetes reads it as a port name/);
  });
  it('multi-port Services need unique names', () => {
    assert.equal(msgs([svcPort(80, 80, { name: 'http' }), svcPort(443, 443)]).length, 1);
    assert.equal(msgs([svcPort(80, 80, { name: 'http' }), svcPort(443, 443, { name: 'http' })]).length, 1);
    assert.equal(msgs([svcPort(80, 80, { name: 'http' }), svcPort(443, 443, { name: 'https' })]).length, 0);
    assert.equal(msgs([svcPort(80)]).length, 0);
  });
});

describe('service-selects-many-workloads', () => {
  it('is info when two different workloads are selected', () => {
    const f = only(lintModel(model([service('s', { app: 'x' }), workload('a', { app: 'x' }), workload('b', { app: 'x', track: 'canary' })])), 'service-selects-many-workloads');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'info');
  });
  it('the same workload in two files (even as another kind) is one workload', () => {
    const m = model([service('s', { app: 'x' }), workload('a', { app: 'x' }), workload('a', { app: 'x' }), workload('a', { app: 'x' }, { kind: 'StatefulSet' })]);
    assert.equal(only(lintModel(m), 'service-selects-many-workloads').length, 0);
  });
});

describe('service-external-traffic-policy', () => {
  it('fires on ClusterIP without externalIPs and ExternalName, not on NodePort/LoadBalancer or ClusterIP with externalIPs', () => {
    const m = model([
      service('a', undefined, { externalTrafficPolicy: 'Local' }),
      service('b', undefined, { type: 'ExternalName', externalTrafficPolicy: 'Cluster' }),
      service('c', undefined, { type: 'NodePort', externalTrafficPolicy: 'Local' }),
      service('d', undefined, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
      service('e', undefined, { externalIPs: ['1.2.3.4'], externalTrafficPolicy: 'Local' }),
    ]);
    assert.deepEqual(only(lintModel(m), 'service-external-traffic-policy').map((f) => f.object?.name), ['a', 'b']);
  });
});

describe('statefulset-service-missing / statefulset-service-not-headless', () => {
  const sts = (serviceName: string) => workload('db', { app: 'db' }, { kind: 'StatefulSet', serviceName });
  it('missing Service is an error', () => {
    const f = only(lintModel(model([sts('db-headless'), service('db', { app: 'db' }, { headless: true, clusterIP: 'None' })])), 'statefulset-service-missing');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /The headless Service db selects its Pods: set serviceName to db/);
  });
  it('a non-headless governing Service is a warning; headless is fine', () => {
    assert.equal(only(lintModel(model([sts('db'), service('db', { app: 'db' })])), 'statefulset-service-not-headless').length, 1);
    assert.equal(only(lintModel(model([sts('db'), service('db', { app: 'db' }, { headless: true, clusterIP: 'None' })])), 'statefulset-service-not-headless').length, 0);
  });
  it('looks only in the StatefulSet namespace', () => {
    const m = model([workload('db', { app: 'db' }, { kind: 'StatefulSet', serviceName: 'db', ns: 'a' }), service('db', { app: 'db' }, { ns: 'b', headless: true })]);
    assert.equal(only(lintModel(m), 'statefulset-service-missing').length, 1);
  });
  it('no serviceName, no finding', () => {
    assert.equal(lintModel(model([workload('db', { app: 'db' }, { kind: 'StatefulSet' })])).filter((f) => f.rule.startsWith('statefulset')).length, 0);
  });
});

describe('namespace objects', () => {
  it('a declared Namespace does not change matching', () => {
    assert.equal(only(lintModel(model([namespace('shop'), service('s', { app: 'x' }, { ns: 'shop' }), workload('w', { app: 'x' }, { ns: 'shop' })])), 'service-no-matching-pods').length, 0);
  });
});

describe('configured severities', () => {
  const broken = () => model([service('web', { app: 'webb' }), workload('web', { app: 'web' })]);
  it('a rule keeps its catalogue severity, takes the configured one, and says nothing when off', () => {
    assert.deepEqual(only(lintModel(broken()), 'service-no-matching-pods').map((f) => f.severity), ['error']);
    assert.deepEqual(only(lintModel(broken(), { rules: { 'service-no-matching-pods': 'warning' } }), 'service-no-matching-pods').map((f) => f.severity), ['warning']);
    assert.deepEqual(only(lintModel(broken(), { rules: { 'service-no-matching-pods': 'info' } }), 'service-no-matching-pods').map((f) => f.severity), ['info']);
    assert.deepEqual(only(lintModel(broken(), { rules: { 'service-no-matching-pods': 'off' } }), 'service-no-matching-pods'), []);
    assert.ok(only(lintModel(broken(), { rules: { 'service-no-matching-pods': 'off' } }), 'service-selects-many-workloads').length === 0, 'other rules unaffected');
  });
  it('a rule off by default (pod-not-isolated) reports only when turned on', () => {
    const open = model([workload('web', { app: 'web' })]);
    assert.deepEqual(only(lintModel(open), 'pod-not-isolated'), []);
    const on = only(lintModel(open, { rules: { 'pod-not-isolated': 'warning' } }), 'pod-not-isolated');
    assert.equal(on.length, 1);
    assert.equal(on[0].severity, 'warning');
  });
});
