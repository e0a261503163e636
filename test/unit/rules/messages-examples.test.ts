// What a user reads for the deliberate mistakes of the plain-YAML examples:
// each finding's exact message, severity and place (file, line and the text
// underlined), its related locations, and its fix applied to the file. The
// examples test checks that each marked mistake is found; this one checks what
// is said about it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Analysis } from '../../../src/core/analysis';
import type { Finding, Fix, TextEdit } from '../../../src/core/findings/types';
import type { Loc } from '../../../src/core/model/types';
import { LineIndex } from '../../../src/core/text/lines';

interface Example {
  texts: Record<string, string>;
  findings: Finding[];
}

function example(dir: string): Example {
  const a = new Analysis();
  const texts: Record<string, string> = {};
  for (const n of readdirSync(`examples/${dir}`).sort()) {
    const p = `examples/${dir}/${n}`;
    texts[p] = readFileSync(p, 'utf8');
    a.setFile(p, texts[p]);
  }
  return { texts, findings: a.findings() };
}

/** "30-cart.yaml:35 app: cart": where a location is, as the editor shows it (file name, line, the text underlined). */
function place(ex: Example, loc: Loc): string {
  const text = ex.texts[loc.file];
  assert.ok(text !== undefined, `a location in a file of the example: ${loc.file}`);
  return `${loc.file.split('/').pop()}:${new LineIndex(text).positionAt(loc.start).line} ${text.slice(loc.start, loc.end)}`;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.loc.start - a.loc.start)) out = out.slice(0, e.loc.start) + e.newText + out.slice(e.loc.end);
  return out;
}

function one(ex: Example, rule: string): Finding {
  const list = ex.findings.filter((f) => f.rule === rule);
  assert.equal(list.length, 1, `one ${rule} finding`);
  return list[0];
}

/** The fixes other than the disable comments every finding in a YAML file gets. */
const repairs = (f: Finding): Fix[] => f.fixes.filter((x) => !x.title.startsWith('Disable '));

// Each test lints its example itself: a finding computed while the file loads
// would be outside every test (mutation runs attribute coverage per test).
describe('what a user reads about the examples: shop', () => {

  it('reports exactly the marked mistakes', () => {
    const shop = example('shop');
    assert.deepEqual(shop.findings.map((f) => `${f.severity} ${f.rule}`).sort(), [
      'error ingress-backend-port-missing',
      'error probe-port-missing',
      'error service-blocked-by-policy',
      'error service-no-matching-pods',
      'error service-target-port-missing',
      'warning networkpolicy-port-missing',
    ]);
  });

  it('service-no-matching-pods: names the near miss, points at it, and its fix makes the selector match', () => {
    const shop = example('shop');
    const f = one(shop, 'service-no-matching-pods');
    assert.equal(
      f.message,
      'Selector app=cart of Service shop/cart matches no Pod in namespace shop, so it has no endpoints. Deployment shop/carts has app=carts. Change the selector to app=carts or fix the labels.',
    );
    assert.equal(place(shop, f.loc), '30-cart.yaml:35 app: cart');
    assert.deepEqual(f.object, { kind: 'Service', namespace: 'shop', name: 'cart' });
    assert.deepEqual(
      f.related.map((r) => [place(shop, r.loc), r.message]),
      [['30-cart.yaml:14 app: carts\n        tier: backend', 'Deployment shop/carts has app=carts']],
    );
    const fixes = repairs(f);
    assert.deepEqual(fixes.map((x) => [x.title, x.preferred]), [['Change the selector to app=carts', true]]);
    const file = 'examples/shop/30-cart.yaml';
    const fixed = applyEdits(shop.texts[file], fixes[0].edits);
    assert.equal(fixed.split('\n')[34], '    app: carts');
    const again = new Analysis();
    for (const [p, t] of Object.entries(shop.texts)) again.setFile(p, p === file ? fixed : t);
    assert.deepEqual(again.findings().filter((x) => x.rule === 'service-no-matching-pods'), [], 'the fixed selector matches the Deployment');
  });

  it('service-target-port-missing: the missing name, what the workload declares, and where', () => {
    const shop = example('shop');
    const f = one(shop, 'service-target-port-missing');
    assert.equal(f.severity, 'error');
    assert.equal(
      f.message,
      'targetPort http-api of Service shop/catalog names a port no container of Deployment shop/catalog declares (it declares 8080 (http), 9102 (metrics)), so port 80 (http) has no endpoints. Name the container port http-api or change targetPort.',
    );
    assert.equal(place(shop, f.loc), '40-catalog.yaml:38 http-api');
    assert.deepEqual(
      f.related.map((r) => [place(shop, r.loc).split('\n')[0], r.message]),
      [['40-catalog.yaml:18 name: catalog', 'Deployment shop/catalog declares 8080 (http), 9102 (metrics)']],
    );
    // Two TCP ports declared: no one clear fix.
    assert.deepEqual(repairs(f), []);
  });

  it('ingress-backend-port-missing: the route, the port and the ports the Service has', () => {
    const shop = example('shop');
    const f = one(shop, 'ingress-backend-port-missing');
    assert.equal(
      f.message,
      "Ingress shop/shop sends shop.example.com/api/catalog to port 8080 of Service shop/catalog, which has no such port (it has 80 (http), 9102 (metrics)). Use one of the Service's ports.",
    );
    assert.equal(place(shop, f.loc), '10-ingress.yaml:39 8080');
    assert.deepEqual(
      f.related.map((r) => [place(shop, r.loc).split('\n')[0], r.message]),
      [['40-catalog.yaml:35 - name: http', 'ports of Service shop/catalog']],
    );
  });

  it('probe-port-missing: a named probe port the container does not declare is an error', () => {
    const shop = example('shop');
    const f = one(shop, 'probe-port-missing');
    assert.equal(f.severity, 'error');
    assert.equal(
      f.message,
      'The readiness probe (httpGet) of container web in Deployment shop/frontend uses port health, which the container does not declare (it declares 8080 (http)), so the probe always fails. Name the container port health or use its number.',
    );
    assert.equal(place(shop, f.loc), '20-frontend.yaml:27 health');
    assert.deepEqual(
      f.related.map((r) => [place(shop, r.loc).split('\n')[0], r.message]),
      [['20-frontend.yaml:18 name: web', 'container web']],
    );
  });

  it('service-blocked-by-policy: the isolating policies, each pointed at', () => {
    const shop = example('shop');
    const f = one(shop, 'service-blocked-by-policy');
    assert.equal(
      f.message,
      'Service shop/redis port 6379 can never be reached: its Pods (StatefulSet shop/redis) are isolated for ingress by NetworkPolicy shop/default-deny-ingress and NetworkPolicy shop/redis-from-carts, and no ingress rule admits any peer on target port redis (6379)/TCP. Add an ingress rule allowing that port.',
    );
    assert.equal(place(shop, f.loc).split('\n')[0], '50-redis.yaml:12 name: redis');
    assert.deepEqual(
      f.related.map((r) => [place(shop, r.loc), r.message]),
      [
        ['60-network-policies.yaml:5 default-deny-ingress', 'NetworkPolicy shop/default-deny-ingress isolates the Pods'],
        ['60-network-policies.yaml:82 redis-from-carts', 'NetworkPolicy shop/redis-from-carts isolates the Pods'],
      ],
    );
  });

  it('networkpolicy-port-missing: the port allowed and the ports the selected Pods declare', () => {
    const shop = example('shop');
    const f = one(shop, 'networkpolicy-port-missing');
    assert.equal(f.severity, 'warning');
    assert.equal(
      f.message,
      'NetworkPolicy shop/redis-from-carts allows ingress on port 6380/TCP, which none of the Pods it selects declares (StatefulSet shop/redis: 6379 (redis)). Fix the port, or declare it on the containers.',
    );
    assert.equal(place(shop, f.loc), '60-network-policies.yaml:97 protocol: TCP\n          port: 6380');
  });
});

describe('what a user reads about the examples: DNS egress and Gateway', () => {
  it('networkpolicy-egress-blocks-dns names the policy, the DNS Pods it blocks and the rule to add', () => {
    const dns = example('cluster-dns');
    const f = one(dns, 'networkpolicy-egress-blocks-dns');
    assert.equal(f.severity, 'warning');
    assert.equal(
      f.message,
      'Deployment billing/worker is isolated for egress by NetworkPolicy billing/worker-egress, and no rule allows UDP/53 or TCP/53 to the cluster DNS (kube-system/Deployment/coredns): every name lookup fails, so it can reach its destinations by address only. Add an egress rule to namespace kube-system, Pods k8s-app=kube-dns, on UDP and TCP port 53.',
    );
    assert.equal(place(dns, f.loc), '10-billing.yaml:70 worker');
    assert.deepEqual(
      f.related.map((r) => [place(dns, r.loc), r.message]),
      [['10-billing.yaml:89 worker-egress', 'NetworkPolicy billing/worker-egress isolates its egress']],
    );
  });

  it('route-not-accepted says which listener refuses the route, why, and points at the listener', () => {
    const gw = example('gateway');
    const f = one(gw, 'route-not-accepted');
    assert.equal(f.severity, 'warning');
    assert.equal(
      f.message,
      "HTTPRoute store/blog is not accepted by listener https of Gateway infra/public: listener https's hostname *.example.com shares no host with the route's hostnames blog.example.org. The Gateway ignores it (Accepted False) and its requests get 404. Make the route's hostnames meet the listener's hostname, or attach it to a listener that serves them.",
    );
    assert.equal(place(gw, f.loc), '20-store.yaml:60 name: public\n      namespace: infra\n      sectionName: https');
    assert.deepEqual(
      f.related.map((r) => [place(gw, r.loc).split('\n')[0], r.message]),
      [['10-gateway.yaml:22 name: https', 'listener https of Gateway infra/public']],
    );
  });
});
