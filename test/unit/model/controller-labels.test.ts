// Selectors that name the labels controllers write on each Pod (no template
// shows them): a Service per StatefulSet Pod, as redis-ha's chart and argo-cd's
// HA manifests have, selects a real Pod.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { controllerLabelsAllow, splitControllerRequirements } from '../../../src/core/model/controller-labels';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis-ha-server, namespace: db}
spec:
  replicas: 3
  serviceName: redis-ha
  selector: {matchLabels: {app: redis-ha}}
  template:
    metadata: {labels: {app: redis-ha}}
    spec:
      containers: [{name: redis, image: redis, ports: [{containerPort: 6379, name: redis}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: db}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
`;

const service = (name: string, selector: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: db}
spec:
  selector: {${selector}}
  ports: [{port: 6379, targetPort: 6379}]
`;

function noPods(text: string): string[] {
  const a = new Analysis();
  a.setFile('x.yaml', text);
  return a
    .findings()
    .filter((f) => f.rule === 'service-no-matching-pods')
    .map((f) => f.object?.name ?? '');
}

describe('model: labels controllers write on each Pod', () => {
  it('a Service selecting one StatefulSet Pod by its pod-name selects it, within the replicas', () => {
    const text = STS + service('announce-0', 'app: redis-ha, statefulset.kubernetes.io/pod-name: redis-ha-server-0') + service('announce-2', 'statefulset.kubernetes.io/pod-name: redis-ha-server-2');
    assert.deepEqual(noPods(text), []);
  });
  it('a pod-name past the replicas, of another StatefulSet, or on a Deployment selects nothing', () => {
    const text =
      STS +
      service('announce-3', 'app: redis-ha, statefulset.kubernetes.io/pod-name: redis-ha-server-3') +
      service('other', 'statefulset.kubernetes.io/pod-name: redis-0') +
      service('web-0', 'app: web, statefulset.kubernetes.io/pod-name: web-0');
    assert.deepEqual(noPods(text).sort(), ['announce-3', 'other', 'web-0']);
  });
  it('a value no manifest can know (a template hash) never rules a workload out; its key on the wrong kind does', () => {
    assert.deepEqual(noPods(STS + service('hash', 'app: web, pod-template-hash: 5d8c9f7b6')), []);
    assert.deepEqual(noPods(STS + service('hash', 'app: redis-ha, pod-template-hash: 5d8c9f7b6')), ['hash']);
  });
  it('Pods read from a cluster are judged by their own labels', () => {
    const split = splitControllerRequirements({ matchLabels: { app: 'x', 'statefulset.kubernetes.io/pod-name': 'x-1' }, matchExpressions: [] });
    assert.ok(split);
    assert.deepEqual(split.rest.matchLabels, { app: 'x' });
    const pod = (name: string) => ({ labels: { 'statefulset.kubernetes.io/pod-name': name } });
    const w = { kind: 'StatefulSet', name: 'x', replicas: undefined, pods: [pod('x-0'), pod('x-1')] } as never;
    assert.equal(controllerLabelsAllow(w, split.controller), true);
    const one = { kind: 'StatefulSet', name: 'x', replicas: undefined, pods: [pod('x-0')] } as never;
    assert.equal(controllerLabelsAllow(one, split.controller), false);
  });
});
