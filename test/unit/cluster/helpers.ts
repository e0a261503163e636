// Shared by the cluster-source tests: a test API server with the shop fixture
// and a ClusterSource connected to it through the real client library.
import { join } from 'node:path';
import { ClusterSource, type ClusterSourceOptions } from '../../../src/core/source/cluster';
import { loadFixtures, startTestApiServer, type TestApiServer, type TestApiServerOptions, type KObject } from '../../k8s-api-server/server';

export const SHOP = join('test', 'fixtures', 'cluster', 'shop');

/** Short retry intervals so failure tests finish quickly. */
export const FAST_RETRY = { initialMs: 10, maxMs: 80 };

/** Short relist delays after a 410 Gone (client-go's shape, smaller numbers). */
export const FAST_RELIST = { initialMs: 10, maxMs: 80, resetAfterMs: 120_000 };

export async function shopServer(options: TestApiServerOptions = {}, extra: KObject[] = []): Promise<TestApiServer> {
  if (extra.length === 0) return startTestApiServer(SHOP, options);
  return startTestApiServer([...loadFixtures(SHOP), ...extra], options);
}

export function source(srv: TestApiServer, opts: Partial<ClusterSourceOptions> = {}): ClusterSource {
  return new ClusterSource({ allowExecPlugins: false, kubeconfigPath: srv.kubeconfigPath, retry: FAST_RETRY, relist: FAST_RELIST, ...opts });
}

export async function connected(srv: TestApiServer, opts: Partial<ClusterSourceOptions> = {}): Promise<ClusterSource> {
  const src = source(srv, opts);
  src.start();
  await src.synced();
  return src;
}

/**
 * Waits until `check` holds, re-checking on every change and status event and
 * every 20 ms; fails with `what` after `limitMs` (a bound against hanging, not a timing assertion).
 */
export function until(src: ClusterSource, check: () => boolean, what: string, limitMs = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const subs = [src.on('changed', test), src.on('status', test)];
    const poll = setInterval(test, 20);
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for: ${what} (status: ${src.status().state}: ${src.status().message})`));
    }, limitMs);
    function test(): void {
      if (!check()) return;
      done();
      resolve();
    }
    function done(): void {
      clearInterval(poll);
      clearTimeout(timer);
      for (const s of subs) s.dispose();
    }
  });
}

export function pod(name: string, opts: { app: string; hash?: string; ip: string; node: string; ready?: boolean; namespace?: string }): KObject {
  const ns = opts.namespace ?? 'shop';
  const labels: Record<string, string> = { app: opts.app };
  const meta: Record<string, unknown> = { name, namespace: ns, labels };
  if (opts.hash) {
    labels['pod-template-hash'] = opts.hash;
    meta.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${opts.app}-${opts.hash}`, uid: `rs-${opts.app}`, controller: true }];
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec: { nodeName: opts.node, containers: [{ name: 'main', image: 'x', ports: [{ containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: opts.ip, podIPs: [{ ip: opts.ip }], conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}
