// A headless Service as `kni trace` reads it: no virtual IP, the client
// connects to a DNS answer itself, on the Service port (no targetPort
// mapping without kube-proxy), only ready endpoints unless the Service
// publishes not-ready ones, and nothing to reach from outside.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { NetworkModel } from '../../../src/core/model/types';
import { traceRequest, type TraceOptions, type TraceResult } from '../../../src/core/trace';
import { container, endpointSlice, model, namespace, node, pod, service, servicePort, workload } from '../../fixtures/trace/build';

/** StatefulSet db/pg (pg-0 10.244.1.7 on n1, pg-1 10.244.2.7 on n2) behind headless db/pg port 5433 -> 5432. */
function cluster(opts: { publish?: boolean; ready?: [boolean, boolean]; targetPort?: number } = {}): NetworkModel {
  const ready = opts.ready ?? [true, true];
  const c = [container('pg', [[5432, 'pg']])];
  const pg = workload('db', 'pg', { app: 'pg' }, {
    kind: 'StatefulSet',
    replicas: 2,
    serviceName: 'pg',
    containers: c,
    pods: [pod('db', 'pg-0', '10.244.1.7', 'n1', { labels: { app: 'pg' }, containers: c, ready: ready[0] }), pod('db', 'pg-1', '10.244.2.7', 'n2', { labels: { app: 'pg' }, containers: c, ready: ready[1] })],
  });
  const client = workload('db', 'client', { app: 'client' }, { pods: [pod('db', 'client-1', '10.244.1.9', 'n1', { labels: { app: 'client' } })] });
  const targetPort = opts.targetPort ?? 5432;
  const svc = service('db', 'pg', { app: 'pg' }, [servicePort(5433, targetPort, 'pg')], { clusterIP: 'None', publishNotReadyAddresses: opts.publish ?? false });
  const slice = endpointSlice('db', 'pg', [{ port: targetPort, protocol: 'TCP', name: 'pg' }], [
    { addresses: ['10.244.1.7'], ready: ready[0], serving: ready[0], terminating: false, nodeName: 'n1', hostname: 'pg-0', targetRef: { kind: 'Pod', namespace: 'db', name: 'pg-0' } },
    { addresses: ['10.244.2.7'], ready: ready[1], serving: ready[1], terminating: false, nodeName: 'n2', hostname: 'pg-1', targetRef: { kind: 'Pod', namespace: 'db', name: 'pg-1' } },
  ]);
  return model({
    source: 'cluster',
    namespaces: [namespace('db')],
    nodes: [node('n1', '192.168.1.11', '10.244.1.0/24'), node('n2', '192.168.1.12', '10.244.2.0/24')],
    workloads: [pg, client],
    services: [svc],
    endpointSlices: [slice],
  });
}

const from = { kind: 'pod', namespace: 'db', name: 'client-1' } as const;
const toPg = { kind: 'service', namespace: 'db', name: 'pg' } as const;
const PORT_NOTE = '; the Pod receives on 5433, not targetPort 5432: the port mapping does not apply without a virtual IP (the SRV record advertises 5432)';

function trace(m: NetworkModel, o: TraceOptions): TraceResult {
  return traceRequest(m, new ModelIndex(m), o);
}

function seen(r: TraceResult) {
  return {
    verdict: r.verdict,
    reason: r.reason,
    vip: r.hops.filter((h) => h.kind === 'vip').map((h) => [h.detail, h.rules, h.objectIds?.length]),
    endpoints: r.endpoints.map((e) => [e.target, e.port, e.ready, e.symbolic, e.probability ?? null]),
  };
}

describe('trace: a headless Service', () => {
  it('the Service name: every ready endpoint an answer, on the Service port, kube-proxy not involved', () => {
    assert.deepEqual(seen(trace(cluster(), { from, to: toPg })), {
      verdict: 'delivered',
      reason: 'reaches db/pg port 5433 -> 2 endpoint(s) on port 5433.',
      vip: [[`no virtual IP: the client picks one DNS answer and connects to it on port 5433 directly; kube-proxy is not involved${PORT_NOTE}`, [], 1]],
      endpoints: [
        ['10.244.1.7', 5433, true, false, null],
        ['10.244.2.7', 5433, true, false, null],
      ],
    });
  });
  it('targetPort equal to the port: nothing to say about the mapping', () => {
    const r = trace(cluster({ targetPort: 5433 }), { from, to: toPg });
    assert.equal(r.hops.find((h) => h.kind === 'vip')!.detail, 'no virtual IP: the client picks one DNS answer and connects to it on port 5433 directly; kube-proxy is not involved');
  });
  it("an endpoint's own name: that endpoint alone", () => {
    assert.deepEqual(seen(trace(cluster(), { from, to: { kind: 'name', name: 'pg-0.pg', port: 5433 } })), {
      verdict: 'delivered',
      reason: 'reaches db/pg port 5433 -> 1 endpoint(s) on port 5433.',
      vip: [[`the client connects to the address of pg-0.pg.db.svc.cluster.local. on port 5433 directly; kube-proxy is not involved${PORT_NOTE}`, [], 1]],
      endpoints: [['10.244.1.7', 5433, true, false, null]],
    });
  });
  it('no ready endpoint: DNS answers nothing, and why', () => {
    assert.deepEqual(seen(trace(cluster({ ready: [false, false] }), { from, to: toPg })), {
      verdict: 'no-endpoints',
      reason: 'db/pg is headless and has no ready endpoint: DNS returns no address. 10.244.1.7 is not ready: not used; 10.244.2.7 is not ready: not used',
      vip: [[`no virtual IP: the client picks one DNS answer and connects to it on port 5433 directly; kube-proxy is not involved${PORT_NOTE}`, [], 1]],
      endpoints: [],
    });
  });
  it('publishNotReadyAddresses: the not-ready endpoints are answers too, and not called unused', () => {
    assert.deepEqual(seen(trace(cluster({ publish: true, ready: [false, true] }), { from, to: toPg })), {
      verdict: 'delivered',
      reason: 'reaches db/pg port 5433 -> 2 endpoint(s) on port 5433.',
      vip: [[`no virtual IP: the client picks one DNS answer and connects to it on port 5433 directly; kube-proxy is not involved${PORT_NOTE}`, [], 1]],
      endpoints: [
        ['10.244.1.7', 5433, false, false, null],
        ['10.244.2.7', 5433, true, false, null],
      ],
    });
  });
  it('from outside: no address to reach', () => {
    assert.deepEqual(seen(trace(cluster(), { from: { kind: 'external', ip: '203.0.113.9' }, to: toPg })), {
      verdict: 'dropped',
      reason: 'db/pg is headless: its names resolve only inside the cluster and it has no virtual IP to reach from outside',
      vip: [],
      endpoints: [],
    });
  });
});
