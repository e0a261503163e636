// Selectors that name the labels controllers write on each Pod (no template
// shows them): a Service per StatefulSet Pod, as redis-ha's chart and argo-cd's
// HA manifests have, selects a real Pod.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { controllerLabelsAllow, splitControllerRequirements } from '../../../src/core/model/controller-labels';
import type { SelectorRequirement } from '../../../src/core/model/types';
import { pod } from '../../fixtures/trace/build';
import { workload } from '../rules/build';

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

describe('controller-written labels, requirement by requirement', () => {
  const req = (key: string, operator: SelectorRequirement['operator'], ...values: string[]): SelectorRequirement => ({ key, operator, values });
  const sts = workload('web', { app: 'web' }, { kind: 'StatefulSet', replicas: 3 });
  const deploy = workload('api', { app: 'api' });
  const job = workload('migrate', { app: 'migrate' }, { kind: 'Job' });
  const cron = workload('backup', { app: 'backup' }, { kind: 'CronJob' });
  const allow = (w: typeof sts, ...r: SelectorRequirement[]) => controllerLabelsAllow(w, r);

  it("a StatefulSet's pod-name and pod-index: an ordinal below replicas, in the controller's own spelling", () => {
    assert.equal(allow(sts, req('statefulset.kubernetes.io/pod-name', 'In', 'web-0')), true);
    assert.equal(allow(sts, req('statefulset.kubernetes.io/pod-name', 'In', 'web-2')), true);
    assert.equal(allow(sts, req('statefulset.kubernetes.io/pod-name', 'In', 'web-3')), false, 'replicas 3: web-0..web-2');
    assert.equal(allow(sts, req('statefulset.kubernetes.io/pod-name', 'In', 'web-01')), false, 'ordinals have no leading zero');
    assert.equal(allow(sts, req('statefulset.kubernetes.io/pod-name', 'In', 'web-x')), false);
    assert.equal(allow(sts, req('statefulset.kubernetes.io/pod-name', 'In', 'db-0')), false, "another StatefulSet's Pod");
    assert.equal(allow(sts, req('statefulset.kubernetes.io/pod-name', 'In', 'web-7', 'web-1')), true, 'In: one possible value is enough');
    assert.equal(allow(workload('web', {}, { kind: 'StatefulSet' }), req('statefulset.kubernetes.io/pod-name', 'In', 'web-40')), true, 'replicas unknown: any ordinal');
    assert.equal(allow(sts, req('apps.kubernetes.io/pod-index', 'In', '2')), true);
    assert.equal(allow(sts, req('apps.kubernetes.io/pod-index', 'In', '3')), false);
    assert.equal(allow(sts, req('apps.kubernetes.io/pod-index', 'In', '01')), false);
    assert.equal(allow(deploy, req('apps.kubernetes.io/pod-index', 'In', '0')), false, 'a Deployment writes no pod index');
  });

  it('hashes and uids: any value of a key the controller writes, none of a key it does not', () => {
    assert.equal(allow(deploy, req('pod-template-hash', 'In', '7c9d8')), true);
    assert.equal(allow(sts, req('pod-template-hash', 'In', '7c9d8')), false, 'StatefulSets write controller-revision-hash instead');
    assert.equal(allow(sts, req('controller-revision-hash', 'In', 'web-5d8')), true);
    assert.equal(allow(deploy, req('pod-template-hash', 'Exists')), true);
    assert.equal(allow(sts, req('pod-template-hash', 'Exists')), false);
    assert.equal(allow(deploy, req('pod-template-hash', 'DoesNotExist')), false, 'every Pod of a Deployment has one');
    assert.equal(allow(sts, req('pod-template-hash', 'DoesNotExist')), true);
    assert.equal(allow(deploy, req('pod-template-hash', 'NotIn', 'x')), true);
    assert.equal(allow(deploy, req('pod-template-hash', 'In', 'a'), req('apps.kubernetes.io/pod-index', 'In', '0')), false, 'every requirement must be possible');
  });

  it("a Job's Pods carry its name; a CronJob's Jobs are named after it with a suffix", () => {
    for (const key of ['batch.kubernetes.io/job-name', 'job-name']) {
      assert.equal(allow(job, req(key, 'In', 'migrate')), true, key);
      assert.equal(allow(job, req(key, 'In', 'migrate-1')), false, key);
      assert.equal(allow(cron, req(key, 'In', 'backup-28930000')), true, key);
      assert.equal(allow(cron, req(key, 'In', 'backup')), false, key);
      assert.equal(allow(deploy, req(key, 'In', 'api')), false, key);
    }
  });

  it("a cluster's Pods decide by their own labels when every Pod has the key", () => {
    const live = (name: string, labels: Record<string, string>) => ({ ...pod('default', name, '10.0.0.1', 'n1'), labels });
    const withPods = { ...sts, pods: [live('web-0', { 'statefulset.kubernetes.io/pod-name': 'web-0' }), live('web-1', { 'statefulset.kubernetes.io/pod-name': 'web-1' })] };
    assert.equal(allow(withPods, req('statefulset.kubernetes.io/pod-name', 'In', 'web-1')), true);
    assert.equal(allow(withPods, req('statefulset.kubernetes.io/pod-name', 'In', 'web-2')), false, 'replicas allow web-2, but no Pod has it');
    // One Pod without the label: its labels are not known, so the controller's rule decides.
    const partly = { ...sts, pods: [withPods.pods[0], live('web-1', {})] };
    assert.equal(allow(partly, req('statefulset.kubernetes.io/pod-name', 'In', 'web-2')), true);
    // NotIn and DoesNotExist are judged on the Pods even where they lack the key.
    assert.equal(allow({ ...sts, pods: [live('web-0', {})] }, req('pod-template-hash', 'DoesNotExist')), true);
    assert.equal(allow({ ...deploy, pods: [live('api-1', { 'pod-template-hash': 'abc' })] }, req('pod-template-hash', 'NotIn', 'abc')), false);
  });

  it('splits a selector into the template part and the controller part', () => {
    assert.equal(splitControllerRequirements({ matchLabels: { app: 'web' }, matchExpressions: [req('tier', 'In', 'a')] }), undefined);
    const split = splitControllerRequirements({
      matchLabels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0' },
      matchExpressions: [req('tier', 'In', 'a'), req('pod-template-hash', 'Exists')],
    });
    assert.deepEqual(split?.rest.matchLabels, { app: 'web' });
    assert.deepEqual(split?.rest.matchExpressions, [req('tier', 'In', 'a')]);
    assert.deepEqual(split?.controller, [req('statefulset.kubernetes.io/pod-name', 'In', 'web-0'), req('pod-template-hash', 'Exists')]);
    assert.deepEqual(splitControllerRequirements({ matchLabels: {}, matchExpressions: [req('job-name', 'In', 'x')] })?.controller, [req('job-name', 'In', 'x')]);
  });
});
