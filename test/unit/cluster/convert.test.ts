// API objects to model objects, and Pods to Workloads, without a server.
import assert from 'node:assert/strict';
import { toEndpoints, toIngress, toNetworkPolicy, toService, type Raw } from '../../../src/core/source/cluster/convert';
import { WorkloadIndex } from '../../../src/core/source/cluster/workloads';

let uid = 0;
function rawPod(name: string, labels: Record<string, string>, owner?: { kind: string; name: string; uid?: string }, extra: Raw = {}): Raw {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `pod-${++uid}`,
      labels,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid ?? `${owner.kind}-uid`, controller: true }] } : {}),
      managedFields: [{ manager: 'x' }],
    },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], ...((extra.spec as Raw) ?? {}) },
    status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

describe('cluster convert: Pods into Workloads', function () {
  it('during a rollout the Pods of the old and the new ReplicaSet are one Deployment', function () {
    const idx = new WorkloadIndex();
    idx.upsert(rawPod('web-aaa-1', { app: 'web', 'pod-template-hash': 'aaa', version: 'v1' }, { kind: 'ReplicaSet', name: 'web-aaa', uid: 'rs-old' }));
    idx.upsert(rawPod('web-bbb-1', { app: 'web', 'pod-template-hash': 'bbb', version: 'v2' }, { kind: 'ReplicaSet', name: 'web-bbb', uid: 'rs-new' }));
    const ws = idx.workloads();
    assert.deepEqual(ws.map((w) => [w.kind, w.name, w.id, w.pods.length]), [['Deployment', 'web', 'Deployment:ns/web', 2]]);
    assert.deepEqual(ws[0].podLabels, { app: 'web' });
  });

  it('a ReplicaSet without the pod-template-hash shape is its own Workload', function () {
    const idx = new WorkloadIndex();
    idx.upsert(rawPod('rs-abc', { app: 'a' }, { kind: 'ReplicaSet', name: 'standalone', uid: 'rs-1' }));
    idx.upsert(rawPod('x-1', { app: 'b', 'pod-template-hash': 'zzz' }, { kind: 'ReplicaSet', name: 'other-name', uid: 'rs-2' }));
    const ws = idx.workloads();
    assert.deepEqual(ws.map((w) => [w.kind, w.name, w.id]), [
      ['ReplicaSet', 'standalone', 'rs-1'],
      ['ReplicaSet', 'other-name', 'rs-2'],
    ]);
  });

  it('DaemonSet, Job and ReplicationController own their Pods directly; an unknown controller kind leaves bare Pods that name it', function () {
    const idx = new WorkloadIndex();
    idx.upsert(rawPod('ds-1', { app: 'agent', 'controller-revision-hash': 'h1', 'pod-template-generation': '3' }, { kind: 'DaemonSet', name: 'agent' }));
    idx.upsert(rawPod('ds-2', { app: 'agent', 'controller-revision-hash': 'h1', 'pod-template-generation': '3' }, { kind: 'DaemonSet', name: 'agent' }));
    idx.upsert(rawPod('job-1', { 'job-name': 'migrate', 'batch.kubernetes.io/controller-uid': 'u' }, { kind: 'Job', name: 'migrate' }));
    idx.upsert(rawPod('rc-1', { app: 'old' }, { kind: 'ReplicationController', name: 'old' }));
    idx.upsert(rawPod('ro-1', { app: 'roll', 'rollouts-pod-template-hash': 'q' }, { kind: 'Rollout', name: 'roll' }));
    const ws = idx.workloads();
    assert.deepEqual(ws.map((w) => [w.kind, w.name, w.pods.length]), [
      ['DaemonSet', 'agent', 2],
      ['Job', 'migrate', 1],
      ['ReplicationController', 'old', 1],
      ['Pod', 'ro-1', 1],
    ]);
    assert.deepEqual(ws[0].podLabels, { app: 'agent' });
    assert.equal(ws[0].replicas, undefined);
    assert.deepEqual(ws[1].podLabels, { 'job-name': 'migrate' });
    assert.deepEqual(ws[3].pods[0].owner, { kind: 'Rollout', namespace: 'ns', name: 'roll' });
  });

  it('podLabels are the labels every Pod shares; they follow Pods coming and going', function () {
    const idx = new WorkloadIndex();
    const owner = { kind: 'ReplicaSet', name: 'web-h1' };
    const a = rawPod('web-h1-a', { app: 'web', 'pod-template-hash': 'h1', canary: 'yes' }, owner);
    const b = rawPod('web-h1-b', { app: 'web', 'pod-template-hash': 'h1' }, owner);
    idx.upsert(a);
    assert.deepEqual(idx.workloads()[0].podLabels, { app: 'web', canary: 'yes' });
    idx.upsert(b);
    assert.deepEqual(idx.workloads()[0].podLabels, { app: 'web' });
    idx.delete(String((b.metadata as Raw).uid));
    assert.deepEqual(idx.workloads()[0].podLabels, { app: 'web', canary: 'yes' });
    idx.delete(String((a.metadata as Raw).uid));
    assert.deepEqual(idx.workloads(), []);
  });

  it('a Pod whose owner changes moves to the new Workload', function () {
    const idx = new WorkloadIndex();
    const p = rawPod('p', { app: 'x' });
    idx.upsert(p);
    assert.deepEqual(idx.workloads().map((w) => w.kind), ['Pod']);
    (p.metadata as Raw).ownerReferences = [{ kind: 'StatefulSet', name: 'db', uid: 'ss-1', controller: true }];
    idx.upsert(p);
    assert.deepEqual(idx.workloads().map((w) => [w.kind, w.name]), [['StatefulSet', 'db']]);
  });

  it('Pods of one template share equal containers, labels and annotations; a different Pod keeps its own', function () {
    const idx = new WorkloadIndex();
    const owner = { kind: 'ReplicaSet', name: 'web-h1' };
    const labels = { app: 'web', 'pod-template-hash': 'h1' };
    idx.upsert(rawPod('web-h1-a', { ...labels }, owner));
    idx.upsert(rawPod('web-h1-b', { ...labels }, owner));
    const other = { containers: [{ name: 'c', ports: [{ containerPort: 81 }] }] };
    idx.upsert(rawPod('web-h1-c', { ...labels, canary: 'yes' }, owner, { spec: other }));
    const [a, b, c] = idx.workloads()[0].pods;
    assert.equal(b.containers, a.containers);
    assert.equal(b.labels, a.labels);
    assert.equal(b.annotations, a.annotations);
    assert.notEqual(c.containers, a.containers);
    assert.deepEqual(c.containers.map((x) => x.ports.map((p) => p.containerPort)), [[81]]);
    assert.deepEqual(c.labels, { ...labels, canary: 'yes' });
    assert.deepEqual(a.containers.map((x) => x.ports.map((p) => p.containerPort)), [[80]]);
    assert.deepEqual(a.labels, labels);
  });

  it('keeps no managedFields, and skips objects without name or uid', function () {
    const idx = new WorkloadIndex();
    idx.upsert(rawPod('p', { app: 'x' }));
    assert.equal(JSON.stringify(idx.workloads()).includes('managedFields'), false);
    assert.deepEqual(new WorkloadIndex().upsert({ metadata: { name: 'no-uid' } }), []);
  });
});

describe('cluster convert: other kinds', function () {
  const meta = (name: string): Raw => ({ name, namespace: 'ns', uid: `u-${name}` });

  it('a Service with an empty selector has no selector (the endpoints controller ignores it)', function () {
    assert.equal(toService({ metadata: meta('s'), spec: { selector: {}, ports: [{ port: 80 }] } })?.selector, undefined);
    assert.equal(toService({ metadata: meta('s'), spec: { type: 'ExternalName', externalName: 'db.example.com' } })?.externalName, 'db.example.com');
  });

  it('legacy Endpoints: one slice per subset, IPv6 detected', function () {
    const slices = toEndpoints({
      metadata: meta('svc'),
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] },
        { addresses: [{ ip: 'fd00::1' }], ports: [{ port: 443, name: 'https' }] },
      ],
    });
    assert.deepEqual(slices.map((s) => [s.id, s.addressType, s.ports]), [
      ['u-svc', 'IPv4', [{ port: 80, protocol: 'TCP' }]],
      ['u-svc/1', 'IPv6', [{ port: 443, protocol: 'TCP', name: 'https' }]],
    ]);
  });

  it('NetworkPolicy policyTypes default as the API server does', function () {
    assert.deepEqual(toNetworkPolicy({ metadata: meta('p'), spec: { podSelector: {} } })?.policyTypes, ['Ingress']);
    assert.deepEqual(toNetworkPolicy({ metadata: meta('p'), spec: { podSelector: {}, egress: [] } })?.policyTypes, ['Ingress']);
    assert.deepEqual(toNetworkPolicy({ metadata: meta('p'), spec: { podSelector: {}, egress: [{}] } })?.policyTypes, ['Ingress', 'Egress']);
    const p = toNetworkPolicy({ metadata: meta('p'), spec: { podSelector: {}, ingress: [{}], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 5000, endPort: 5010, protocol: 'UDP' }] }] } });
    assert.deepEqual(p?.ingress, [{ peers: [], ports: [] }]);
    assert.deepEqual(p?.egress, [{ peers: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'UDP', port: 5000, endPort: 5010 }] }]);
  });

  it('Ingress: class from the legacy annotation, a resource backend, a path without path', function () {
    const ing = toIngress({
      metadata: { ...meta('i'), annotations: { 'kubernetes.io/ingress.class': 'traefik' } },
      spec: {
        defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } },
        rules: [{ http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    });
    assert.equal(ing?.className, 'traefik');
    assert.deepEqual(ing?.defaultBackend, { service: '', resource: { kind: 'StorageBucket', name: 'static', namespace: 'ns' } });
    assert.deepEqual(ing?.rules, [{ paths: [{ path: '', pathType: 'ImplementationSpecific', backend: { service: 'web', port: 80 } }] }]);
  });
});
