// Semantics a one-line change of the core could break without another test
// noticing (each was broken by hand and this file failed): how a Service port
// reaches a container port, and which Ingress path wins a tie.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrace } from '../../../src/cli/trace';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { Container, IngressPath, NetworkModel, PathType } from '../../../src/core/model/types';
import { matchIngress, parseUrl, traceRequest } from '../../../src/core/trace';
import { container, ingress, model, pod, service, servicePort, workload } from '../../fixtures/trace/build';

function endpoints(m: NetworkModel, port?: number) {
  const t = traceRequest(m, new ModelIndex(m), { to: { kind: 'service', namespace: 'shop', name: 'api', port } });
  return { verdict: t.verdict, ports: t.endpoints.map((e) => e.port) };
}

/** A Service shop/api on `port` (targetPort as given) over one replica with these containers, from manifests or a cluster. */
function api(ports: Parameters<typeof servicePort>, containers: Container[], live = false): NetworkModel {
  const w = workload('shop', 'api', { app: 'api' }, { containers, pods: live ? [pod('shop', 'api-1', '10.0.0.5', 'node-1', { labels: { app: 'api' }, containers })] : [] });
  return model({ workloads: [w], services: [service('shop', 'api', { app: 'api' }, [servicePort(...ports)], { clusterIP: '10.96.0.10' })], ...(live ? { source: 'cluster' } : {}) });
}

describe('trace: which container port a Service port reaches', () => {
  for (const live of [false, true]) {
    const where = live ? 'cluster Pods' : 'manifests';
    it(`a named targetPort must match the container port's name and protocol (${where})`, () => {
      const dns = [container('dns', [{ containerPort: 5353, name: 'dns', protocol: 'TCP' }])];
      assert.deepEqual(endpoints(api([53, 'dns', 'dns-udp', { protocol: 'UDP' }], dns, live)).verdict, 'no-endpoints', 'UDP does not reach a TCP port of that name');
      assert.deepEqual(endpoints(api([53, 'dns', 'dns-tcp', { protocol: 'TCP' }], dns, live)).ports, [5353]);
    });

    it(`init-container ports are not endpoints (${where})`, () => {
      const init: Container = { ...container('setup', [[8080, 'http']]), init: true };
      assert.equal(endpoints(api([80, 'http'], [init, container('app', [[9090, 'metrics']])], live)).verdict, 'no-endpoints');
      assert.deepEqual(endpoints(api([80, 'http'], [init, container('app', [[8081, 'http']])], live)).ports, [8081], 'the regular container named http serves');
    });

    it(`targetPort 0 or absent means the Service port, never :0 (${where})`, () => {
      const app = [container('app', [80])];
      assert.deepEqual(endpoints(api([80, 0], app, live)).ports, [80]);
      assert.deepEqual(endpoints(api([80, undefined], app, live)).ports, [80]);
      assert.deepEqual(endpoints(api([80, 8080], app, live)).ports, [8080]);
    });
  }

  it('kni trace prints the Service port for targetPort: 0 in its hops and endpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kni-trace-'));
    try {
      writeFileSync(
        join(dir, 'app.yaml'),
        `apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 0}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: app, image: x, ports: [{containerPort: 80}]}]}\n`,
      );
      let out = '';
      const code = await runTrace(['app.yaml', '--to', 'svc/shop/api'], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: dir });
      assert.equal(code, 0, out);
      assert.match(out, /<shop\/Deployment\/api replica 1>:80 /);
      assert.doesNotMatch(out, /:0\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('trace: Ingress path ties', () => {
  const p = (pathType: PathType, path: string, service: string): IngressPath => ({ path, pathType, backend: { service, port: 80 } });
  const backend = (m: NetworkModel, url: string) => matchIngress(m, parseUrl(url)!).match?.backend.service;

  it('Exact beats Prefix on a tie even when the Prefix path is listed first', () => {
    const m = model({ ingresses: [ingress('web', 'site', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/foo', 'prefix'), p('Exact', '/foo', 'exact')] }] })] });
    assert.equal(backend(m, 'http://shop.example.com/foo'), 'exact');
    assert.equal(backend(m, 'http://shop.example.com/foo/bar'), 'prefix');
  });

  it('and when they are in two Ingresses, the Prefix one first', () => {
    const m = model({
      ingresses: [
        ingress('web', 'a-prefix', { rules: [{ host: 'shop.example.com', paths: [p('Prefix', '/foo', 'prefix')] }] }),
        ingress('web', 'b-exact', { rules: [{ host: 'shop.example.com', paths: [p('Exact', '/foo', 'exact')] }] }),
      ],
    });
    assert.equal(backend(m, 'http://shop.example.com/foo'), 'exact');
  });
});
