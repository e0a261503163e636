// The Sock Shop policies as published (microservices-demo/deploy/kubernetes:
// manifests/ + manifests-policy/). Reads the real-world corpus at
// ../shared/corpus (relative to the repository); skipped when it is absent.
//
// What is true there: cortex-access has an empty podSelector, so it selects
// every Pod of sock-shop and isolates them all for ingress (allowing only
// name=cortex, which no workload has). The namespace's DefaultDeny annotation
// is the long-removed beta mechanism and does nothing. cart-access selects
// name=cart and carts-db-access allows from name=cart, but the Pods are
// labelled name=carts: so carts is reachable from nobody (front-end and orders
// included), and carts-db from nobody; front-end takes TCP 8079 from anyone,
// external clients included.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { CORPUS_DIR, skipWithoutCorpus } from '../../fixtures/corpus';
import { connectivityMatrix } from '../../../src/core/policy';
import { traceRequest } from '../../../src/core/trace';

const ROOT = join(CORPUS_DIR, 'microservices-demo__microservices-demo', 'deploy', 'kubernetes');

function load(): Analysis {
  const a = new Analysis();
  for (const dir of ['manifests', 'manifests-policy']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) {
      if (/\.ya?ml$/.test(f)) a.setFile(`${dir}/${f}`, readFileSync(join(ROOT, dir, f), 'utf8'));
    }
  }
  return a;
}

describe('policy: Sock Shop (corpus: ../shared/corpus)', function () {
  let analysis: Analysis;
  before(function () {
    skipWithoutCorpus(this, ROOT);
    analysis = load();
  });
  const W = (name: string) => `sock-shop/Deployment/${name}`;

  it('connectivity: carts and carts-db take nothing from anyone; the declared paths hold', () => {
    const matrix = connectivityMatrix(analysis.model(), analysis.index());
    const at = (from: string, to: string) => matrix.between(from, to)!;
    for (const from of ['external', W('front-end'), W('orders'), W('carts')]) {
      assert.deepEqual(at(from, W('carts')).allowed, [], `${from} -> carts`);
      assert.deepEqual(at(from, W('carts-db')).allowed, [], `${from} -> carts-db`);
    }
    assert.deepEqual(at('external', W('front-end')).allowed, ['TCP/8079']);
    assert.deepEqual(at(W('front-end'), W('catalogue')).allowed, ['TCP/80']);
    assert.deepEqual(at(W('front-end'), W('orders')).allowed, ['TCP/80']);
    assert.deepEqual(at(W('front-end'), W('user')).allowed, ['TCP/80']);
    assert.deepEqual(at(W('orders'), W('payment')).allowed, ['TCP/80']);
    assert.deepEqual(at(W('orders'), W('shipping')).allowed, ['TCP/80']);
    assert.deepEqual(at(W('shipping'), W('rabbitmq')).allowed, ['TCP/5672']);
    assert.deepEqual(at(W('queue-master'), W('rabbitmq')).allowed, ['TCP/5672']);
    assert.deepEqual(at(W('user'), W('user-db')).allowed, ['TCP/27017']);
    assert.deepEqual(at(W('front-end'), W('session-db')).allowed, [], 'session-db is selected only by cortex-access');
    assert.deepEqual(at(W('front-end'), W('payment')).allowed, []);
    // Egress is never restricted: no entry is conditional.
    for (const e of matrix.entries()) assert.equal(e.conditional, undefined, JSON.stringify(e));
  });

  it('trace: front-end -> carts is dropped at carts, naming cortex-access as the isolating policy', () => {
    const r = traceRequest(analysis.model(), analysis.index(), {
      from: { kind: 'workload', namespace: 'sock-shop', workloadKind: 'Deployment', name: 'front-end' },
      to: { kind: 'service', namespace: 'sock-shop', name: 'carts' },
    });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /ingress at sock-shop\/Deployment\/carts: DENIED: isolated by sock-shop\/cortex-access; no ingress rule allows .* on TCP\/80/);
  });

  it('trace: an external client reaches front-end through NodePort 30001, allowed by front-end-access', () => {
    const r = traceRequest(analysis.model(), analysis.index(), { from: { kind: 'external' }, to: { kind: 'service', namespace: 'sock-shop', name: 'front-end' } });
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.ok(r.hops.some((h) => h.kind === 'nodeport' && /NodePort 30001/.test(h.detail)));
    const ing = r.hops.find((h) => h.kind === 'policy' && h.policy?.direction === 'ingress')!;
    assert.equal(ing.policy!.allowedBy!.policy, 'sock-shop/front-end-access');
    assert.deepEqual(r.endpoints.map((e) => [e.target, e.port]), [['<sock-shop/Deployment/front-end replica 1>', 8079]]);
  });
});
