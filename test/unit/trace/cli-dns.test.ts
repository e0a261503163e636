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
    assert.deepEqual(parseDestination('workload/shop/Deployment/api:http'), { kind: 'pod', namespace: 'shop', workloadKind: 'Deployment', name: 'api', port: 'http' });
    assert.throws(() => parseDestination('api shop'), /expected svc\/NAMESPACE\/NAME\[:PORT\] or a DNS name/);
    assert.throws(() => parseDestination('-api'), /a DNS name/);
    assert.throws(() => parseDestination('api.shop:0'), /port 0 is outside 1-65535/);
  });
  it("--to workload/NS/KIND/NAME: a workload's Pod by its address, titled as written", async () => {
    const r = await run([SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'workload/shop/Deployment/api:8080']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /^trace workload\/shop\/Deployment\/web -> workload\/shop\/Deployment\/api:8080\n/);
    assert.match(r.out, /verdict: delivered: reaches a Pod of shop\/Deployment\/api at /);
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
      // The set has no cluster DNS: where the queries went is assumed, and said so.
      server: { assumed: true, detail: j.hops[0].dns.server.detail },
    });
    assert.match(j.hops[0].dns.server.detail, /^assumed: the cluster DNS at the nameserver the kubelet writes into the client's resolv\.conf/);
  });
  it('a name the cluster does not have says which names were tried, then leaves the cluster as itself', async () => {
    const r = await run([SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'payments:443']);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /payments\.shop\.svc\.cluster\.local\. NXDOMAIN, payments\.svc\.cluster\.local\. NXDOMAIN, payments\.cluster\.local\. NXDOMAIN; payments\. is outside cluster\.local/);
    // A single label no Service has: most likely a typo, so no "delivered"; what it would do if the upstream knew it is said.
    assert.match(r.out, /verdict: unresolved: payments is no name of the cluster, and a single label resolves outside it only if the upstream resolvers know it \(public DNS does not\): check the name; if they do answer for it, it leaves the cluster toward payments on 443\/TCP/);
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
  it('with the cluster DNS in the set: the lookup\'s hops before the answer in text and JSON, and a blocked lookup exits 1 naming the policy', async () => {
    const DNS = 'test/fixtures/trace/cluster-dns';
    const ok = await run([DNS, '--from', 'workload/billing/Deployment/web', '--to', 'api:http']);
    assert.equal(ok.code, 0, ok.err + ok.out);
    assert.match(ok.out, /^ 1\. vip +DNS lookup: a Pod of billing\/Deployment\/web connects to 10\.96\.0\.10:53\/UDP, the ClusterIP of kube-system\/kube-dns port dns/m);
    assert.match(ok.out, /^ 7\. pod +DNS lookup: delivered to 2 endpoints of kube-system\/Deployment\/coredns: container coredns port 53 \(dns\)\/UDP$/m);
    assert.match(ok.out, /^ 8\. dns +a Pod of billing\/Deployment\/web asks "api" /m);
    assert.doesNotMatch(ok.out, /dns server:/);
    const json = JSON.parse((await run([DNS, '--from', 'workload/billing/Deployment/web', '--to', 'api:http', '--format', 'json'])).out);
    assert.deepEqual(json.hops.filter((h: { lookup?: boolean }) => h.lookup).map((h: { kind: string }) => h.kind), ['vip', 'kube-proxy', 'dnat', 'policy', 'route', 'policy', 'pod', 'dns']);
    assert.deepEqual(json.hops[7].dns.server, { assumed: false, service: 'kube-system/kube-dns', address: '10.96.0.10', detail: 'kube-system/kube-dns at 10.96.0.10:53/UDP' });
    const blocked = await run([DNS, '--from', 'workload/billing/Deployment/worker', '--to', 'api:http']);
    assert.equal(blocked.code, 1);
    assert.match(blocked.out, /verdict: dropped: the name never resolves: the DNS query to kube-system\/kube-dns \(10\.96\.0\.10:53\/UDP\): NetworkPolicy drops it: egress at billing\/Deployment\/worker: DENIED: isolated by billing\/worker-egress;/);
  });
  it('without it, the text says once where the DNS server is assumed', async () => {
    const r = await run([SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'api:http']);
    assert.equal(r.out.match(/^dns server: assumed: the cluster DNS at the nameserver the kubelet writes into the client's resolv\.conf/gm)?.length, 1);
  });
});
