// The trace engine never throws and always answers in its own terms, on random
// models and requests (fast-check): a verdict of the four, hops of the known
// kinds, endpoint shares that never add up to more than 1.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { ServiceType } from '../../../src/core/model/types';
import { traceRequest, type TraceSource } from '../../../src/core/trace';
import { ingress, model, policy, rule, sel, service, servicePort, tcp, workload } from '../../fixtures/trace/build';

const KINDS = new Set(['dns', 'vip', 'nodeport', 'loadbalancer', 'ingress', 'kube-proxy', 'dnat', 'route', 'policy', 'pod', 'reply']);
const VERDICTS = new Set(['delivered', 'dropped', 'no-endpoints', 'unresolved']);

const arbSvc = fc.record({
  name: fc.constantFrom('a', 'b'),
  type: fc.constantFrom<ServiceType>('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
  headless: fc.boolean(),
  app: fc.constantFrom('x', 'y', 'z'),
  target: fc.constantFrom<number | string | undefined>(8080, 'http', 'nope', undefined),
  etp: fc.constantFrom<'Cluster' | 'Local' | undefined>(undefined, 'Cluster', 'Local'),
  itp: fc.constantFrom<'Cluster' | 'Local' | undefined>(undefined, 'Local'),
  affinity: fc.boolean(),
});
const arbWl = fc.record({ name: fc.constantFrom('w1', 'w2', 'w3'), app: fc.constantFrom('x', 'y'), kind: fc.constantFrom('Deployment' as const, 'StatefulSet' as const, 'DaemonSet' as const, 'Pod' as const), replicas: fc.nat(3) });
const arbFrom = fc.constantFrom<TraceSource | undefined>(
  undefined,
  { kind: 'external' },
  { kind: 'external', ip: '10.1.2.3' },
  { kind: 'workload', namespace: 'ns', workloadKind: 'Deployment', name: 'w1' },
  { kind: 'pod', namespace: 'ns', name: 'w2' },
  { kind: 'node', name: 'n1' },
);

describe('trace: fuzz', () => {
  it('never throws, answers in its own terms', () => {
    fc.assert(
      fc.property(
        fc.array(arbSvc, { maxLength: 3 }),
        fc.array(arbWl, { maxLength: 4 }),
        fc.boolean(),
        arbFrom,
        fc.constantFrom('iptables' as const, 'ipvs' as const),
        fc.constantFrom('a', 'b', 'a:80', 'b:http', 'url'),
        (svcs, wls, withPolicy, from, proxyMode, dest) => {
          const services = svcs.map((s) =>
            service('ns', s.name, s.type === 'ExternalName' ? undefined : { app: s.app }, [servicePort(80, s.target, 'http', { nodePort: 30080 })], {
              type: s.type,
              clusterIP: s.headless ? 'None' : undefined,
              externalName: s.type === 'ExternalName' ? 'example.com' : undefined,
              externalTrafficPolicy: s.etp,
              internalTrafficPolicy: s.itp,
              sessionAffinity: s.affinity ? 'ClientIP' : 'None',
            }),
          );
          const workloads = wls.map((w) => workload('ns', w.name, { app: w.app }, { kind: w.kind, replicas: w.replicas, ports: [[8080, 'http']] }));
          const networkPolicies = withPolicy ? [policy('ns', 'p', sel({ app: 'x' }), { ingress: [rule([{ podSelector: sel({ app: 'y' }) }], [tcp('http')])] })] : [];
          const ingresses = [ingress('ns', 'i', { rules: [{ host: 'h.example', paths: [{ path: '/', pathType: 'Prefix', backend: { service: 'a', port: 80 } }] }] })];
          const m = model({ services, workloads, networkPolicies, ingresses });
          const [name, port] = dest.split(':');
          const to =
            dest === 'url'
              ? ({ kind: 'url', url: 'https://h.example/x' } as const)
              : ({ kind: 'service', namespace: 'ns', name, port: port === undefined ? undefined : /^\d+$/.test(port) ? Number(port) : port } as const);
          const r = traceRequest(m, new ModelIndex(m), { from, to, proxyMode });
          assert.ok(VERDICTS.has(r.verdict), r.verdict);
          assert.ok(r.reason.length > 0);
          for (const h of r.hops) {
            assert.ok(KINDS.has(h.kind), h.kind);
            assert.ok(h.detail.length > 0);
          }
          const total = r.endpoints.reduce((s, e) => s + (e.probability ?? 0), 0);
          assert.ok(total <= 1 + 1e-9, `shares add to ${total}`);
          if (r.verdict === 'delivered') assert.ok(r.endpoints.length > 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
