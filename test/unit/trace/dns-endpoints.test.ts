// The endpoints a Service's DNS names answer with. From EndpointSlices: every
// address of a ready endpoint (the controller has already made not-ready ones
// ready under publishNotReadyAddresses), named by its hostname or its dashed
// address; a legacy Endpoints object only when no slice exists; FQDN slices
// never. Without slices, what the EndpointSlice controller would write: ready
// Pods (all of them with publishNotReadyAddresses), a Pod's hostname only when
// its subdomain is this Service (a StatefulSet's Pods under its serviceName).
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { EndpointSlice, NetworkModel } from '../../../src/core/model/types';
import { dnsEndpoints } from '../../../src/core/trace/dns-endpoints';
import { container, endpointSlice, model, pod, service, servicePort, workload } from '../../fixtures/trace/build';

const ep = (ip: string, o: Partial<EndpointSlice['endpoints'][number]> = {}): EndpointSlice['endpoints'][number] => ({ addresses: [ip], ready: true, serving: true, terminating: false, ...o });
const brief = (m: NetworkModel, ns: string, name: string) =>
  dnsEndpoints(new ModelIndex(m), m.services.find((s) => s.namespace === ns && s.name === name)!).map((e) => ({ address: e.address, hostname: e.hostname, named: e.named, symbolic: e.symbolic, ports: e.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`) }));

describe('DNS endpoints from EndpointSlices', () => {
  it('ready endpoints only, each address, hostname or dashed address, the slice\'s ports', () => {
    const slice = endpointSlice('db', 'pg', [{ name: 'pg', port: 5432, protocol: 'TCP' }, { port: 9187, protocol: 'TCP' }], [
      ep('10.0.0.1', { hostname: 'pg-0' }),
      ep('10.0.0.2', { ready: false, serving: true, terminating: true }),
      { ...ep('10.0.0.3'), addresses: ['10.0.0.3', '10.0.0.4'] },
    ]);
    const m = model({ services: [service('db', 'pg', { app: 'pg' }, [servicePort(5432)], { clusterIP: 'None' })], endpointSlices: [slice] });
    assert.deepEqual(brief(m, 'db', 'pg'), [
      { address: '10.0.0.1', hostname: 'pg-0', named: true, symbolic: false, ports: ['pg:5432/TCP', ':9187/TCP'] },
      { address: '10.0.0.3', hostname: '10-0-0-3', named: false, symbolic: false, ports: ['pg:5432/TCP', ':9187/TCP'] },
      { address: '10.0.0.4', hostname: '10-0-0-4', named: false, symbolic: false, ports: ['pg:5432/TCP', ':9187/TCP'] },
    ]);
    assert.deepEqual(dnsEndpoints(new ModelIndex(m), m.services[0])[0].objectIds, [slice.id]);
  });
  it('a legacy Endpoints object counts only when the Service has no EndpointSlice; FQDN slices never', () => {
    const legacy: EndpointSlice = { ...endpointSlice('db', 'pg', [], [ep('10.0.0.9')]), kind: 'Endpoints', name: 'pg' };
    const fqdn: EndpointSlice = { ...endpointSlice('db', 'pg', [], [ep('db.example.com')]), addressType: 'FQDN' };
    const svc = service('db', 'pg', undefined, [servicePort(5432)], { clusterIP: 'None' });
    assert.deepEqual(brief(model({ services: [svc], endpointSlices: [legacy, fqdn] }), 'db', 'pg').map((e) => e.address), ['10.0.0.9']);
    const slice = endpointSlice('db', 'pg', [], [ep('10.0.0.1')]);
    assert.deepEqual(brief(model({ services: [svc], endpointSlices: [legacy, slice, fqdn] }), 'db', 'pg').map((e) => e.address), ['10.0.0.1']);
    assert.deepEqual(brief(model({ services: [svc], endpointSlices: [fqdn] }), 'db', 'pg'), [], 'no selector and no usable slice: no endpoint');
  });
});

describe('DNS endpoints without EndpointSlices', () => {
  it('live Pods: ready ones; a hostname only when the Pod\'s subdomain is this Service; every address of a dual-stack Pod', () => {
    const w = workload('db', 'pg', { app: 'pg' }, { ports: [[5432, 'pg']] });
    w.pods = [
      { ...pod('db', 'pg-a', '10.0.0.1', 'n1'), hostname: 'alpha', subdomain: 'pg' },
      { ...pod('db', 'pg-b', '10.0.0.2', 'n1'), hostname: 'beta', subdomain: 'other' },
      { ...pod('db', 'pg-c', '10.0.0.3', 'n1'), ips: ['10.0.0.3', 'fd00::3'] },
      pod('db', 'pg-d', '10.0.0.4', 'n1', { ready: false }),
      pod('db', 'pg-e', '10.0.0.5', 'n1', { terminating: true }),
    ];
    const m = model({ source: 'cluster', workloads: [w], services: [service('db', 'pg', { app: 'pg' }, [servicePort(5432, 'pg', 'sql')], { clusterIP: 'None' })] });
    assert.deepEqual(brief(m, 'db', 'pg'), [
      { address: '10.0.0.1', hostname: 'alpha', named: true, symbolic: false, ports: ['sql:5432/TCP'] },
      { address: '10.0.0.2', hostname: '10-0-0-2', named: false, symbolic: false, ports: ['sql:5432/TCP'] },
      { address: '10.0.0.3', hostname: '10-0-0-3', named: false, symbolic: false, ports: ['sql:5432/TCP'] },
      { address: 'fd00::3', hostname: 'fd00--3', named: false, symbolic: false, ports: ['sql:5432/TCP'] },
    ]);
    // publishNotReadyAddresses: the not-ready and terminating ones too.
    m.services[0].publishNotReadyAddresses = true;
    assert.deepEqual(brief(m, 'db', 'pg').map((e) => e.address), ['10.0.0.1', '10.0.0.2', '10.0.0.3', 'fd00::3', '10.0.0.4', '10.0.0.5']);
  });
  it('one endpoint per address across the Service\'s ports, each port resolved per Pod; no ports: the endpoint without SRV', () => {
    const w = workload('shop', 'web', { app: 'web' }, { ports: [[8080, 'http'], [9090, 'metrics']] });
    w.pods = [pod('shop', 'web-1', '10.0.1.1', 'n1')];
    const svc = service('shop', 'web', { app: 'web' }, [servicePort(80, 'http', 'http'), servicePort(9090, 'metrics', 'metrics'), servicePort(81, 'nope', 'nope')], { clusterIP: 'None' });
    const m = model({ source: 'cluster', workloads: [w], services: [svc] });
    assert.deepEqual(brief(m, 'shop', 'web'), [{ address: '10.0.1.1', hostname: '10-0-1-1', named: false, symbolic: false, ports: ['http:8080/TCP', 'metrics:9090/TCP'] }]);
    const noPorts = model({ source: 'cluster', workloads: [w], services: [service('shop', 'web', { app: 'web' }, [], { clusterIP: 'None' })] });
    assert.deepEqual(brief(noPorts, 'shop', 'web'), [{ address: '10.0.1.1', hostname: '10-0-1-1', named: false, symbolic: false, ports: [] }]);
    const noSelector = model({ source: 'cluster', workloads: [w], services: [service('shop', 'web', undefined, [servicePort(80)], { clusterIP: 'None' })] });
    assert.deepEqual(brief(noSelector, 'shop', 'web'), []);
  });
  it('manifests: a StatefulSet\'s Pods by name under its serviceName only; other workloads by a symbolic dashed address', () => {
    const c = [container('pg', [[5432, 'pg']])];
    const sts = workload('db', 'pg', { app: 'pg' }, { kind: 'StatefulSet', replicas: 2, serviceName: 'pg', containers: c });
    const m = model({
      workloads: [sts],
      services: [service('db', 'pg', { app: 'pg' }, [servicePort(5432, 'pg', 'pg')], { clusterIP: 'None' }), service('db', 'pg-read', { app: 'pg' }, [servicePort(5432, 'pg', 'pg')], { clusterIP: 'None' })],
    });
    assert.deepEqual(brief(m, 'db', 'pg'), [
      { address: '<db/Pod/pg-0>', hostname: 'pg-0', named: true, symbolic: true, ports: ['pg:5432/TCP'] },
      { address: '<db/Pod/pg-1>', hostname: 'pg-1', named: true, symbolic: true, ports: ['pg:5432/TCP'] },
    ]);
    assert.deepEqual(brief(m, 'db', 'pg-read').map((e) => [e.hostname, e.named]), [
      ['<db/Pod/pg-0: IP with dashes>', false],
      ['<db/Pod/pg-1: IP with dashes>', false],
    ]);
    const dep = workload('web', 'api', { app: 'api' }, { replicas: 1 });
    dep.hostname = 'api';
    dep.subdomain = 'api';
    const other = workload('web', 'batch', { app: 'api' }, { replicas: 1 });
    other.hostname = 'batch';
    other.subdomain = 'elsewhere';
    const m2 = model({ workloads: [dep, other], services: [service('web', 'api', { app: 'api' }, [servicePort(80)], { clusterIP: 'None' })] });
    assert.deepEqual(brief(m2, 'web', 'api').map((e) => [e.address, e.hostname, e.named]), [
      ['<web/Deployment/api replica 1>', 'api', true],
      ['<web/Deployment/batch replica 1>', '<web/Deployment/batch replica 1: IP with dashes>', false],
    ]);
  });
});
