// A request its source's egress denies is dropped at the source: the trace
// ends at that denial, with no routing leg, no ingress check at the
// destination, no delivery and no reply after it (kni trace text and JSON, and
// the inspector's explanation, all read these hops).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions } from '../../../src/core/trace';
import { runTrace } from '../../../src/cli/trace';
import { container, model, node, pod, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';

function trace(m: NetworkModel, o: TraceOptions) {
  return traceRequest(m, new ModelIndex(m), o);
}

/** web may send only to db on 5432 and DNS queries anywhere (egress); api takes web on 8080 (ingress). */
function shop(): NetworkModel {
  const web = workload('shop', 'web', { app: 'web' }, { ports: [3000] });
  web.pods = [pod('shop', 'web-1', '10.244.1.5', 'n1', { labels: { app: 'web' } })];
  const api = workload('shop', 'api', { app: 'api' }, { containers: [container('api', [[8080, 'http']])] });
  api.pods = [pod('shop', 'api-1', '10.244.2.7', 'n2', { labels: { app: 'api' } })];
  return model({
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')],
    workloads: [web, api],
    services: [service('shop', 'api', { app: 'api' }, [servicePort(80, 8080, 'http')], { clusterIP: '10.96.0.30' })],
    networkPolicies: [
      policy('shop', 'web-out', sel({ app: 'web' }), { policyTypes: ['Egress'], egress: [rule([{ podSelector: sel({ app: 'db' }) }], [tcp(5432)]), rule([], [{ protocol: 'UDP', port: 53 }, tcp(53)])] }),
      policy('shop', 'api-in', sel({ app: 'api' }), { ingress: [rule([{ podSelector: sel({ app: 'web' }) }], [tcp(8080)])] }),
    ],
  });
}
const fromWeb = { kind: 'pod' as const, namespace: 'shop', name: 'web-1' };

describe('trace: a request denied at the source ends there', () => {
  it('to a Service: kube-proxy picks the endpoint, the egress check denies it, and nothing follows', () => {
    const r = trace(shop(), { from: fromWeb, to: { kind: 'service', namespace: 'shop', name: 'api', port: 80 } });
    assert.equal(r.verdict, 'dropped');
    const last = r.hops[r.hops.length - 1];
    assert.equal(last.kind, 'policy');
    assert.equal(last.policy?.direction, 'egress');
    assert.equal(last.policy?.allowed, 'no');
    assert.match(last.detail, /egress at shop\/web-1: DENIED: isolated by shop\/web-out/);
    // Never routed, never checked at api's ingress, never delivered, no reply.
    assert.ok(!r.hops.some((h) => h.kind === 'route' || h.kind === 'pod' || h.kind === 'reply'), r.hops.map((h) => h.kind).join(','));
    assert.ok(!r.hops.some((h) => h.policy?.direction === 'ingress'), 'api-in is never consulted');
    assert.match(r.reason, /egress at shop\/web-1: DENIED/);
    assert.doesNotMatch(r.reason, /ingress at/);
    assert.equal(r.endpoints[0].allowed, 'no');
    assert.equal(r.endpoints[0].blockedBy, 'NetworkPolicy');
  });
  it('Pod to Pod: the egress denial is the last hop', () => {
    const r = trace(shop(), { from: fromWeb, to: { kind: 'pod', namespace: 'shop', name: 'api-1', port: 8080 } });
    assert.equal(r.verdict, 'dropped');
    assert.deepEqual(r.hops.map((h) => h.kind), ['vip', 'policy']);
    assert.equal(r.hops[1].policy?.direction, 'egress');
    assert.match(r.reason, /^NetworkPolicy drops it at the source: egress at shop\/web-1: DENIED/);
    assert.equal(r.endpoints[0].blockedBy, 'NetworkPolicy');
  });
  it('outside the cluster: no masquerade and no "out of the cluster" hop after the denial', () => {
    const r = trace(shop(), { from: fromWeb, to: { kind: 'external', ip: '54.187.174.169', port: 443 } });
    assert.equal(r.verdict, 'dropped');
    assert.deepEqual(r.hops.map((h) => h.kind), ['policy']);
    assert.match(r.reason, /^NetworkPolicy drops it at the source: egress at shop\/web-1: DENIED/);
  });
  it('allowed at the source, denied at the destination: the request is still routed to it', () => {
    const m = shop();
    m.networkPolicies[0].egress.unshift(rule([{ podSelector: sel({ app: 'api' }) }], [tcp(9090)]));
    m.networkPolicies[1].ingress[0].ports = [tcp(9191)];
    const r = trace(m, { from: fromWeb, to: { kind: 'pod', namespace: 'shop', name: 'api-1', port: 8080 } });
    assert.equal(r.verdict, 'dropped');
    // Egress denies 8080 as well: the source stops it.
    assert.deepEqual(r.hops.map((h) => h.kind), ['vip', 'policy']);
    m.networkPolicies[0].egress[0].ports = [tcp(8080)];
    const atDestination = trace(m, { from: fromWeb, to: { kind: 'pod', namespace: 'shop', name: 'api-1', port: 8080 } });
    assert.deepEqual(atDestination.hops.map((h) => h.kind), ['vip', 'policy', 'route', 'policy', 'pod']);
    assert.match(atDestination.reason, /ingress at shop\/api-1: DENIED/);
  });

  it('a Service whose endpoints the source may reach only in part: routed to those, "not sent" to the others', () => {
    const m = shop();
    const v2 = workload('shop', 'api-v2', { app: 'api', v: '2' }, { containers: [container('api', [[8080, 'http']])] });
    v2.pods = [pod('shop', 'api-v2-1', '10.244.2.8', 'n2', { labels: { app: 'api', v: '2' } })];
    m.workloads.push(v2);
    m.workloads[1].podLabels = { app: 'api', v: '1' };
    m.workloads[1].pods[0].labels = { app: 'api', v: '1' };
    m.networkPolicies[0].egress.push(rule([{ podSelector: sel({ v: '1' }) }], [tcp(8080)]));
    const r = trace(m, { from: fromWeb, to: { kind: 'service', namespace: 'shop', name: 'api', port: 80 } });
    assert.equal(r.verdict, 'dropped');
    assert.match(r.reason, /^only 1 of 2 endpoints can be reached: a new connection is dropped with probability 0\.5/);
    const kinds = r.hops.map((h) => h.kind);
    assert.ok(kinds.includes('route'));
    const pods = r.hops.filter((h) => h.kind === 'pod').map((h) => h.detail);
    assert.ok(pods.some((d) => /^delivered to 10\.244\.2\.7/.test(d)), pods.join('\n'));
    assert.ok(pods.some((d) => /^not sent to 10\.244\.2\.8: NetworkPolicy drops it at Pod shop\/web-1/.test(d)), pods.join('\n'));
    // The route leg goes to the reachable endpoint only.
    assert.doesNotMatch(r.hops.find((h) => h.kind === 'route')!.detail, /10\.244\.2\.8/);
  });

  it('kni trace: text and JSON end at the denial', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kni-denied-'));
    try {
      const shopYaml = readFileSync('test/fixtures/trace/shop/shop.yaml', 'utf8');
      writeFileSync(
        join(dir, 'shop.yaml'),
        `${shopYaml}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-out, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}, {ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]\n`,
      );
      const io = () => {
        const o = { out: '', err: '' };
        return { o, io: { stdout: (s: string) => (o.out += s), stderr: (s: string) => (o.err += s), isTTY: false, cwd: process.cwd() } };
      };
      const argv = [dir, '--from', 'workload/shop/Deployment/web', '--to', 'svc/shop/api:http'];
      const t = io();
      assert.equal(await runTrace(argv, t.io), 1, t.o.err);
      const numbered = t.o.out.split('\n').filter((l) => /^\s+\d+\. /.test(l));
      assert.match(numbered[numbered.length - 1], /^\s+\d+\. policy\s+egress at shop\/Deployment\/web: DENIED: isolated by shop\/web-out/);
      assert.doesNotMatch(t.o.out, /\broute\b|ingress at shop\/Deployment\/api|delivered to/);
      assert.match(t.o.out, /verdict: dropped/);
      const j = io();
      assert.equal(await runTrace([...argv, '--format', 'json'], j.io), 1);
      const hops = (JSON.parse(j.o.out) as { hops: { kind: string; policy?: { direction: string } }[] }).hops;
      assert.deepEqual([hops[hops.length - 1].kind, hops[hops.length - 1].policy?.direction], ['policy', 'egress']);
      assert.ok(!hops.some((h) => h.kind === 'route' || h.kind === 'pod' || h.kind === 'reply'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
