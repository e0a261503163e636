// A name given with a port name (api.billing:http) finds the port as a client
// resolving a named port does: the SRV record _http._tcp.<service>, shown in
// the DNS hop as dig prints it. A name with several ports and none given is
// not traced on one picked silently: the hop lists the Service's SRV records
// and the verdict asks which. A PTR lookup of a ClusterIP does the same.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { runTrace } from '../../../src/cli/trace';
import { container, model, namespace, service, servicePort, workload } from '../../fixtures/trace/build';

function set(): NetworkModel {
  const api = workload('billing', 'api', { app: 'api' }, { containers: [container('api', [[8080, 'http'], [9090, 'metrics'], { containerPort: 5353, protocol: 'UDP', name: 'disco' }])] });
  return model({
    namespaces: [namespace('billing')],
    workloads: [api, workload('billing', 'web', { app: 'web' })],
    services: [
      service('billing', 'api', { app: 'api' }, [servicePort(80, 'http', 'http'), servicePort(9090, 'metrics', 'metrics'), servicePort(5353, 'disco', 'disco', { protocol: 'UDP' })], { clusterIP: '10.96.0.50' }),
    ],
  });
}
const fromWeb = { kind: 'workload' as const, namespace: 'billing', workloadKind: 'Deployment', name: 'web' };
function trace(to: TraceOptions['to'], dnsType?: TraceOptions['dnsType']): TraceResult {
  const m = set();
  return traceRequest(m, new ModelIndex(m), { from: fromWeb, to, ...(dnsType ? { dnsType } : {}) });
}
const dnsHop = (r: TraceResult) => r.hops.find((h) => h.kind === 'dns')!;

describe('trace: a named port found as SRV finds it', () => {
  it('api.billing:http asks _http._tcp.api.billing.svc.cluster.local SRV and goes to the port it answers', () => {
    const r = trace({ kind: 'name', name: 'api.billing', port: 'http' });
    assert.equal(r.verdict, 'delivered', r.reason);
    const hop = dnsHop(r);
    assert.deepEqual(hop.dns?.queries.find((q) => q.type === 'SRV'), { name: '_http._tcp.api.billing.svc.cluster.local.', type: 'SRV', rcode: 'NOERROR', answers: 1 });
    assert.ok(hop.rules.includes('_http._tcp.api.billing.svc.cluster.local.\t5\tIN\tSRV\t0 100 80 api.billing.svc.cluster.local.'), hop.rules.join('\n'));
    assert.match(hop.detail, /the port named "http" is found as SRV finds it: _http\._tcp\.api\.billing\.svc\.cluster\.local\. SRV answers port 80$/);
    assert.match(r.hops.find((h) => h.kind === 'vip')!.detail, /10\.96\.0\.50:80\/TCP, the ClusterIP of billing\/api port http/);
  });
  it('a UDP port name is asked under _udp', () => {
    const r = trace({ kind: 'name', name: 'api.billing', port: 'disco' });
    assert.equal(dnsHop(r).dns?.queries.find((q) => q.type === 'SRV')?.name, '_disco._udp.api.billing.svc.cluster.local.');
  });
  it('a port name the Service does not have: NXDOMAIN for its SRV name, and the ports there are', () => {
    const r = trace({ kind: 'name', name: 'api.billing', port: 'grpc' });
    assert.equal(r.verdict, 'unresolved');
    assert.deepEqual(dnsHop(r).dns?.queries.find((q) => q.type === 'SRV'), { name: '_grpc._tcp.api.billing.svc.cluster.local.', type: 'SRV', rcode: 'NXDOMAIN', answers: 0 });
    assert.match(dnsHop(r).detail, /_grpc\._tcp\.api\.billing\.svc\.cluster\.local\. is NXDOMAIN: billing\/api has no TCP port of that name/);
    assert.match(r.reason, /has no port grpc \(ports: 80 \(http\), 9090 \(metrics\), 5353 \(disco\)\)/);
  });
  it('several ports and none given: the SRV records list them and the verdict asks which, none picked', () => {
    const r = trace({ kind: 'name', name: 'api.billing' });
    assert.equal(r.verdict, 'unresolved');
    assert.ok(!r.hops.some((h) => h.kind === 'vip' || h.kind === 'kube-proxy'), 'no port was picked');
    const hop = dnsHop(r);
    assert.deepEqual(hop.rules.filter((l) => l.includes('\tSRV\t')).map((l) => l.split('\t')[4]), [
      '0 33 80 api.billing.svc.cluster.local.',
      '0 33 9090 api.billing.svc.cluster.local.',
      '0 33 5353 api.billing.svc.cluster.local.',
    ]);
    assert.match(hop.detail, /billing\/api has 3 ports \(its SRV records: 80\/TCP \(http\), 9090\/TCP \(metrics\), 5353\/UDP \(disco\)\): the request needs one of them$/);
    assert.match(r.reason, /has several ports \(80 \(http\), 9090 \(metrics\), 5353 \(disco\)\): say which with api\.billing:PORT/);
  });
  it('PTR: a ClusterIP with a port name finds the port by SRV; without a port, the ports are listed', () => {
    const named = trace({ kind: 'name', name: '10.96.0.50', port: 'metrics' }, 'PTR');
    assert.equal(named.verdict, 'delivered', named.reason);
    assert.equal(dnsHop(named).dns?.queries.find((q) => q.type === 'SRV')?.name, '_metrics._tcp.api.billing.svc.cluster.local.');
    assert.match(named.reason, /reaches billing\/api port 9090/);
    const none = trace({ kind: 'name', name: '10.96.0.50' }, 'PTR');
    assert.equal(none.verdict, 'unresolved');
    assert.match(dnsHop(none).detail, /the reverse name of Service billing\/api; billing\/api has 3 ports/);
  });
  it('a number given: no SRV question', () => {
    const r = trace({ kind: 'name', name: 'api.billing', port: 80 });
    assert.equal(r.verdict, 'delivered');
    assert.ok(!dnsHop(r).dns?.queries.some((q) => q.type === 'SRV'));
  });
  it('kni trace --to api.billing:http: the SRV question in text and JSON', async () => {
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: () => {}, isTTY: false, cwd: process.cwd() };
    assert.equal(await runTrace(['examples/cluster-dns', '--from', 'workload/billing/Deployment/api', '--to', 'api.billing:http'], io), 0, out);
    assert.match(out, /_http\._tcp\.api\.billing\.svc\.cluster\.local\.\t5\tIN\tSRV\t0 100 80 api\.billing\.svc\.cluster\.local\./);
    out = '';
    await runTrace(['examples/cluster-dns', '--from', 'workload/billing/Deployment/api', '--to', 'api.billing:http', '--format', 'json'], io);
    const hops = (JSON.parse(out) as { hops: { kind: string; lookup?: boolean; dns?: { queries: { name: string; type: string }[] } }[] }).hops;
    const answer = hops.find((h) => h.kind === 'dns' && h.dns)!;
    assert.ok(answer.dns!.queries.some((q) => q.type === 'SRV' && q.name === '_http._tcp.api.billing.svc.cluster.local.'));
  });
});
