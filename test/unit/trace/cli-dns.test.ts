// `kni trace --to NAME`, --type and --cluster-domain: the forms accepted, the
// messages for the ones refused, and what text and JSON say of the records.
import assert from 'node:assert/strict';
import { parseDestination, runTrace } from '../../../src/cli/trace';

const SHOP = 'test/fixtures/trace/shop';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runTrace(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('cli: kni trace --to NAME', () => {
  it('parses the DNS forms, with a port, and keeps svc/NS/NAME', () => {
    assert.deepEqual(parseDestination('api'), { kind: 'name', name: 'api', port: undefined });
    assert.deepEqual(parseDestination('api.shop:http'), { kind: 'name', name: 'api.shop', port: 'http' });
    assert.deepEqual(parseDestination('api.shop.svc.cluster.local.:80'), { kind: 'name', name: 'api.shop.svc.cluster.local.', port: 80 });
    assert.deepEqual(parseDestination('pg-0.pg.db.svc.cluster.local'), { kind: 'name', name: 'pg-0.pg.db.svc.cluster.local', port: undefined });
    assert.deepEqual(parseDestination('_http._tcp.api.shop'), { kind: 'name', name: '_http._tcp.api.shop', port: undefined });
    assert.deepEqual(parseDestination('[fd00::1]:443'), { kind: 'name', name: 'fd00::1', port: 443 });
    assert.deepEqual(parseDestination('fd00::1'), { kind: 'name', name: 'fd00::1' });
    assert.deepEqual(parseDestination('svc/shop/api:80'), { kind: 'service', namespace: 'shop', name: 'api', port: 80 });
    assert.throws(() => parseDestination('api shop'), /expected svc\/NAMESPACE\/NAME\[:PORT\] or a DNS name/);
    assert.throws(() => parseDestination('-api'), /a DNS name/);
    assert.throws(() => parseDestination('api.shop:0'), /port 0 is outside 1-65535/);
  });
  it('a short name from a Pod of the namespace: text names the queries and prints the records as dig does', async () => {
    const r = await run([SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'api:http']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /^trace workload\/shop\/Deployment\/web -> api:http[ \n]/);
    assert.match(r.out, / 1\. dns +a Pod of shop\/Deployment\/web asks "api" \(search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local, ndots:5\): api\.shop\.svc\.cluster\.local\. answers: the ClusterIP of shop\/api, <ClusterIP>/);
    assert.match(r.out, /^ +api\.shop\.svc\.cluster\.local\.\t5\tIN\tA\t<ClusterIP>$/m);
  });
  it('JSON: the DNS hop lists the records; --type SRV and --cluster-domain change what is asked', async () => {
    const r = await run([SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'api.shop.svc.k8s.example.:http', '--type', 'srv', '--cluster-domain', 'k8s.example', '--format', 'json']);
    const j = JSON.parse(r.out);
    assert.equal(j.hops[0].kind, 'dns');
    assert.deepEqual(j.hops[0].rules, ['api.shop.svc.k8s.example.\t5\tIN\tSRV\t0 100 80 api.shop.svc.k8s.example.', 'api.shop.svc.k8s.example.\t5\tIN\tA\t<ClusterIP>']);
    // The same as data: the one query sent (the name has a trailing dot) and the records by section.
    assert.deepEqual(j.hops[0].dns, {
      queries: [{ name: 'api.shop.svc.k8s.example.', type: 'SRV', rcode: 'NOERROR', answers: 1 }],
      records: [
        { section: 'answer', name: 'api.shop.svc.k8s.example.', ttl: 5, class: 'IN', type: 'SRV', data: '0 100 80 api.shop.svc.k8s.example.' },
        { section: 'additional', name: 'api.shop.svc.k8s.example.', ttl: 5, class: 'IN', type: 'A', data: '<ClusterIP>' },
      ],
    });
  });
  it('a name the cluster does not have says which names were tried, then leaves the cluster as itself', async () => {
    const r = await run([SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'payments:443']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /payments\.shop\.svc\.cluster\.local\. NXDOMAIN, payments\.svc\.cluster\.local\. NXDOMAIN, payments\.cluster\.local\. NXDOMAIN; payments\. is outside cluster\.local/);
    assert.match(r.out, /verdict: delivered: leaves the cluster toward payments on 443\/TCP, seen there as .*; whether the upstream resolvers answer for payments, and anything answers there, is outside the set/);
    // NAME.NS with a namespace of the set reads as the cluster's: no Service there, the trace stops at DNS.
    const typo = await run([SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'paymnts.shop']);
    assert.equal(typo.code, 1);
    assert.match(typo.out, /verdict: unresolved: "paymnts\.shop" reads as a Service name of the cluster, but no Service of the set answers it: "paymnts\.shop" is not a name of the cluster/);
  });
  it('refuses a bad --type or --cluster-domain with the flag named (exit 2)', async () => {
    const t = await run([SHOP, '--to', 'api', '--type', 'MX']);
    assert.equal(t.code, 2);
    assert.match(t.err, /--type "MX": use A, AAAA, SRV or PTR/);
    const d = await run([SHOP, '--to', 'api', '--cluster-domain', 'bad domain']);
    assert.equal(d.code, 2);
    assert.match(d.err, /--cluster-domain "bad domain": expected a domain such as cluster\.local/);
  });
});
