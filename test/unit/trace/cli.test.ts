// `kni trace` in-process: JSON shape, text, exit codes (connectivity: test/unit/cli/connectivity.test.ts).
import assert from 'node:assert/strict';
import { runConnectivity } from '../../../src/cli/connectivity';
import { runTrace } from '../../../src/cli/trace';

const SHOP = 'test/fixtures/trace/shop';

async function run(fn: typeof runTrace, argv: string[]) {
  let out = '';
  let err = '';
  const code = await fn(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('cli: kni trace', () => {
  it('JSON has the documented shape; delivered exits 0', async () => {
    const r = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'svc/shop/api:http', '--format', 'json']);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out);
    assert.equal(j.verdict, 'delivered');
    assert.equal(typeof j.reason, 'string');
    const kinds = ['dns', 'vip', 'nodeport', 'loadbalancer', 'ingress', 'kube-proxy', 'dnat', 'route', 'policy', 'pod', 'reply'];
    for (const h of j.hops) {
      assert.ok(kinds.includes(h.kind), h.kind);
      assert.equal(typeof h.detail, 'string');
      assert.ok(Array.isArray(h.rules));
    }
    assert.deepEqual(
      j.endpoints.map((e: { target: string; port: number; probability: number }) => [e.target, e.port, e.probability]),
      [1, 2, 3].map((k) => [`<shop/Deployment/api replica ${k}>`, 8080, 0.3333333333]),
    );
  });
  it('names the proxy mode in text and JSON, says once how rules are printed, and takes --cluster-cidr', async () => {
    const argv = [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'svc/shop/api:http', '--cluster-cidr', '10.244.0.0/16'];
    const j = JSON.parse((await run(runTrace, [...argv, '--proxy-mode', 'nftables', '--format', 'json'])).out);
    assert.equal(j.proxyMode, 'nftables');
    assert.match(j.ruleNotation, /nft list ruleset/);
    const t = await run(runTrace, argv);
    assert.match(t.out, /^trace workload\/shop\/Deployment\/web -> svc\/shop\/api:http \(kube-proxy mode: iptables\)\n/);
    assert.equal(t.out.match(/^rules: iptables rules as iptables-save prints them/gm)?.length, 1);
    assert.match(t.out, /! -s 10\.244\.0\.0\/16 -d <ClusterIP>\/32 -p tcp/);
    const via = await run(runTrace, [SHOP, '--from', 'external:203.0.113.9@node-9', '--to', 'svc/shop/web']);
    assert.match(via.out, /^trace external:203\.0\.113\.9@node-9 -> svc\/shop\/web/);
    const bad = await run(runTrace, [...argv.slice(0, -1), 'ten']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--cluster-cidr "ten": expected a CIDR/);
  });
  it('text: numbered hops with their rules, then endpoints and the verdict; dropped exits 1', async () => {
    const r = await run(runTrace, [SHOP, '--from', 'external', '--to', 'svc/shop/api']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^trace external -> svc\/shop\/api\n/);
    assert.match(r.out, /verdict: dropped: shop\/api is type ClusterIP/);
    const t = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/api', '--to', 'svc/shop/api']);
    assert.equal(t.code, 1, 'api may not call itself: only web is allowed');
    assert.match(t.out, / 1\. dns +a Pod of shop\/Deployment\/api asks "api" \(search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local, ndots:5\): api\.shop\.svc\.cluster\.local\. answers/);
    assert.match(t.out, /^ +api\.shop\.svc\.cluster\.local\.\t5\tIN\tA\t<ClusterIP>$/m);
    assert.match(t.out, /^ +-A KUBE-SERVICES -d <ClusterIP>\/32 -p tcp/m);
    assert.match(t.out, /\nendpoints:\n {2}<shop\/Deployment\/api replica 1>:8080 {2}33\.3% {2}\(blocked by NetworkPolicy\)/);
  });
  it('a URL through the Ingress, NodePort from outside, IPVS mode', async () => {
    const u = await run(runTrace, [SHOP, '--url', 'http://shop.example.com/cart', '--format', 'json']);
    assert.equal(JSON.parse(u.out).hops[0].kind, 'ingress');
    const n = await run(runTrace, [SHOP, '--from', 'external:203.0.113.9', '--to', 'svc/shop/web', '--proxy-mode', 'ipvs']);
    assert.equal(n.code, 0, n.out);
    assert.match(n.out, /TCP  <node address>:30080 rr/);
  });
  it('usage and I/O problems exit 2 with a message naming the flag or path', async () => {
    const cases: [string[], RegExp][] = [
      [[SHOP], /--to svc\/NS\/NAME\[:PORT\], .* or --url URL/],
      [[SHOP, '--to', 'shop/api'], /--to "shop\/api": expected svc\/NAMESPACE\/NAME/],
      [[SHOP, '--to', 'svc/shop/api', '--from', 'pod/x'], /--from "pod\/x": expected/],
      [[SHOP, '--to', 'svc/shop/api', '--proxy-mode', 'nft'], /--proxy-mode "nft": use iptables, nftables or ipvs/],
      [[SHOP, '--to', 'svc/shop/api', '--format', 'yaml'], /--format "yaml"/],
      [[SHOP, '--to', 'svc/shop/api', '--bogus'], /unknown option --bogus\n/],
      [[SHOP, '--to', 'svc/shop/api', '--proxymode', 'ipvs'], /unknown option --proxymode \(did you mean --proxy-mode\?\)/],
      [['no/such/dir', '--to', 'svc/shop/api'], /no\/such\/dir: no such file or directory/],
    ];
    for (const [argv, msg] of cases) {
      const r = await run(runTrace, argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, msg);
    }
    const h = await run(runTrace, ['--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /^Usage: kni trace/);
  });
  it('--max-file-size: a file over the limit is left out with a warning naming the flag; raised, the set is whole', async () => {
    const small = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'svc/shop/api:http', '--max-file-size', '100', '--format', 'json']);
    assert.match(small.err, /kni trace: warning: .*is larger than 100 bytes.*`--max-file-size` for kni/);
    assert.match(small.err, /no Service shop\/api in the set/);
    assert.equal(small.code, 2);
    const whole = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'svc/shop/api:http', '--max-file-size', '1MB', '--format', 'json']);
    assert.equal(whole.err, '');
    assert.equal(JSON.parse(whole.out).verdict, 'delivered');
    const conn = await run(runConnectivity, [SHOP, '--max-file-size', '100']);
    assert.equal(conn.code, 0);
    assert.match(conn.err, /kni connectivity: warning: .*is larger than 100 bytes/);
    assert.equal((await run(runConnectivity, [SHOP, '--max-file-size', 'big'])).code, 2);
  });
  it('an unknown Service is a usage problem (exit 2), with the Service meant when one is close', async () => {
    const r = await run(runTrace, [SHOP, '--to', 'svc/shop/nope', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, 'kni trace: --to svc/shop/nope: no Service shop/nope in the set\n');
    const typo = await run(runTrace, [SHOP, '--to', 'svc/shop/apo']);
    assert.equal(typo.code, 2);
    assert.equal(typo.err, 'kni trace: --to svc/shop/apo: no Service shop/apo in the set (did you mean svc/shop/api?)\n');
  });
  it('a URL without its scheme is a usage problem, not a verdict', async () => {
    const r = await run(runTrace, [SHOP, '--url', 'shop.example.com/cart']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^kni trace: --url "shop\.example\.com\/cart": give an http:\/\/ or https:\/\/ URL \(e\.g\. https:\/\/shop\.example\.com\/cart\)\n/);
    const ftp = await run(runTrace, [SHOP, '--url', 'ftp://shop.example.com/']);
    assert.equal(ftp.code, 2);
    assert.match(ftp.err, /--url "ftp:\/\/shop\.example\.com\/": give an http:\/\/ or https:\/\/ URL\n/);
  });
});

describe('cli: kni trace to external destinations', () => {
  it('--to external:IP:PORT/PROTO and --to URL trace the egress path, text and JSON', async () => {
    const t = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'external:54.187.174.169:443/tcp']);
    assert.match(t.out, /^trace workload\/shop\/Deployment\/web -> external:54\.187\.174\.169:443\/TCP\n/);
    assert.match(t.out, /\n {1,2}\d\. snat +leaving the Pod network, .*masquerades the connection/);
    const j = JSON.parse((await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'https://api.stripe.com/v1', '--format', 'json'])).out);
    assert.equal(j.hops[0].kind, 'dns');
    assert.ok(j.hops.some((h: { kind: string }) => h.kind === 'external'));
    const v6 = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'external:[2001:db8::1]:443']);
    assert.match(v6.out, /-> external:\[2001:db8::1\]:443\n/);
  });
  it('a malformed external destination is a usage error naming the flag', async () => {
    for (const [to, msg] of [
      ['external:1.2.3.4:99/XYZ', /protocol "XYZ": use TCP, UDP or SCTP/],
      ['external:1.2.3.400:80', /"1\.2\.3\.400" is not an IP address/],
      ['external:1.2.3.4:70000', /port 70000 is outside 1-65535/],
      ['external:', /expected external:IP\[:PORT\]/],
    ] as const) {
      const r = await run(runTrace, [SHOP, '--to', to]);
      assert.equal(r.code, 2, to);
      assert.match(r.err, msg, to);
    }
  });
});

describe('cli: kni trace to a Pod and to localhost', () => {
  it('--to pod/NS/NAME:PORT and --to localhost:PORT parse; a missing Pod is unresolved, exit 1', async () => {
    const local = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'localhost:8080']);
    assert.match(local.out, /^trace workload\/shop\/Deployment\/web -> localhost:8080\n/);
    assert.match(local.out, /no kube-proxy and no NetworkPolicy apply/);
    const pod = await run(runTrace, [SHOP, '--from', 'workload/shop/Deployment/web', '--to', 'pod/shop/nope:80']);
    assert.equal(pod.code, 1);
    assert.match(pod.out, /-> pod\/shop\/nope:80\n[\s\S]*verdict: unresolved: no Pod shop\/nope in the set/);
    const bad = await run(runTrace, [SHOP, '--to', 'pod/shop']);
    assert.equal(bad.code, 2);
  });
});
