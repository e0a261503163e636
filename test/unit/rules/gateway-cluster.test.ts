// route-backend-not-permitted on a live cluster read: a missing ReferenceGrant
// is a verdict only where the grants were read (the resource was not refused,
// there or cluster-wide, and the target namespace was read at all: a Service
// or a workload of it is in the model); elsewhere it is not said.
import assert from 'node:assert/strict';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import type { NetworkModel, UnreadResource } from '../../../src/core/model/types';
import { lintModel } from './lint-helper';

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: infra
spec:
  rules:
    - backendRefs:
        - name: api
          namespace: apps
          port: 80
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: apps
spec:
  selector:
    app: api
  ports:
    - port: 80
`;
const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: apps
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: main
          image: api
`;

function clusterModel(texts: string[], unread: UnreadResource[] = []): NetworkModel {
  const files = texts.map((t, i) => parseManifestFile(`read-${i}.yaml`, t, { defaultNamespace: 'default' }));
  const m = buildModel(files, 'default');
  m.source = 'cluster';
  m.unread = unread;
  return m;
}

const refused = (namespace?: string): UnreadResource => ({ resource: 'referencegrants', namespace, reason: 'forbidden (403)', consequence: 'unknown' });

function notPermitted(m: NetworkModel): string[] {
  return lintModel(m)
    .filter((f) => f.rule === 'route-backend-not-permitted')
    .map((f) => f.message);
}

describe('route-backend-not-permitted on a cluster read', () => {
  it('is said where the target namespace and its grants were read', () => {
    assert.deepEqual(notPermitted(clusterModel([ROUTE, SERVICE])), [
      'HTTPRoute infra/r sends traffic to Service apps/api in another namespace, and no ReferenceGrant in apps lets HTTPRoutes of infra reference it: the reference is refused (RefNotPermitted) and its share of requests gets 500. Add a ReferenceGrant in apps (from HTTPRoute in infra, to Service api).',
    ]);
    // A workload read there is evidence enough that the namespace was read.
    assert.equal(notPermitted(clusterModel([ROUTE, WORKLOAD])).length, 1);
    // Grants refused in another namespace say nothing about apps.
    assert.equal(notPermitted(clusterModel([ROUTE, SERVICE], [refused('other')])).length, 1);
    // Another resource refused there is no reason to doubt the grants.
    assert.equal(notPermitted(clusterModel([ROUTE, SERVICE], [{ ...refused('apps'), resource: 'services' }])).length, 1);
  });

  it('is not said where the grants were refused or the namespace was not read', () => {
    assert.deepEqual(notPermitted(clusterModel([ROUTE, SERVICE], [refused('apps')])), []);
    assert.deepEqual(notPermitted(clusterModel([ROUTE, SERVICE], [refused()])), []);
    assert.deepEqual(notPermitted(clusterModel([ROUTE])), []);
    // Objects read in other namespaces are no evidence that apps was read.
    assert.deepEqual(notPermitted(clusterModel([ROUTE, SERVICE.replace('namespace: apps', 'namespace: web'), WORKLOAD.replace('namespace: apps', 'namespace: web')])), []);
  });
});
