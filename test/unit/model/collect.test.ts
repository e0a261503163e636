// Which list of the model each kind lands in, the object count the CLI and the
// inspector print, and the incremental edit of one file's objects (what a
// keystroke re-analysis does): the same model as building it anew.
import assert from 'node:assert/strict';
import { addObject, emptyModel, firstFrom, withFileObjects } from '../../../src/core/model/collect';
import { effectiveTargetPort } from '../../../src/core/model/service-ports';
import { objectCount } from '../../../src/core/model/object-count';
import type { ModelObject, NetworkModel } from '../../../src/core/model/types';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';
import { pod } from '../../fixtures/trace/build';

const doc = (kind: string, apiVersion: string, name: string, spec = '{}') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}, namespace: shop}\nspec: ${spec}\n`;

const KINDS: [kind: string, apiVersion: string, list: keyof NetworkModel, spec?: string][] = [
  ['Namespace', 'v1', 'namespaces'],
  ['Node', 'v1', 'nodes'],
  ['Service', 'v1', 'services', '{selector: {app: web}, ports: [{port: 80}]}'],
  ['EndpointSlice', 'discovery.k8s.io/v1', 'endpointSlices'],
  ['Endpoints', 'v1', 'endpointSlices'],
  ['Ingress', 'networking.k8s.io/v1', 'ingresses'],
  ['IngressClass', 'networking.k8s.io/v1', 'ingressClasses'],
  ['HTTPRoute', 'gateway.networking.k8s.io/v1', 'routes'],
  ['GRPCRoute', 'gateway.networking.k8s.io/v1', 'routes'],
  ['Gateway', 'gateway.networking.k8s.io/v1', 'gateways', '{gatewayClassName: x, listeners: [{name: http, port: 80, protocol: HTTP}]}'],
  ['GatewayClass', 'gateway.networking.k8s.io/v1', 'gatewayClasses', '{controllerName: example.com/x}'],
  ['ReferenceGrant', 'gateway.networking.k8s.io/v1beta1', 'referenceGrants'],
  ['NetworkPolicy', 'networking.k8s.io/v1', 'networkPolicies', '{podSelector: {}}'],
  ['AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1', 'adminNetworkPolicies', '{priority: 10, subject: {namespaces: {}}}'],
  ['BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1', 'adminNetworkPolicies', '{subject: {namespaces: {}}}'],
  ['ClusterNetworkPolicy', 'policy.networking.k8s.io/v1alpha2', 'adminNetworkPolicies', '{tier: Admin, priority: 10, subject: {namespaces: {}}}'],
  ['Deployment', 'apps/v1', 'workloads', '{selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}}'],
  ['Pod', 'v1', 'workloads', '{containers: [{name: web, image: nginx}]}'],
];

const LIST_KEYS = [...new Set(KINDS.map(([, , list]) => list)), 'notSteadyState'] as (keyof NetworkModel)[];

function listsOf(m: NetworkModel): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of LIST_KEYS) out[key] = ((m[key] as ModelObject[] | undefined) ?? []).map((o) => `${o.origin.file}:${o.kind}/${o.name}`);
  return out;
}

const parse = (file: string, text: string) => parseManifestFile(file, text, { defaultNamespace: 'default' });

describe('model: the lists objects land in', () => {
  it('an empty model holds nothing', () => {
    const m = emptyModel('manifests', 'default');
    assert.equal(m.source, 'manifests');
    assert.equal(m.defaultNamespace, 'default');
    for (const [key, value] of Object.entries(m)) if (Array.isArray(value)) assert.deepEqual(value, [], key);
    assert.equal(objectCount(m), 0);
  });

  it('each kind goes into its own list, and each one counts as an object', () => {
    for (const [kind, apiVersion, list, spec] of KINDS) {
      const parsed = parse('m.yaml', doc(kind, apiVersion, 'x', spec));
      assert.equal(parsed.objects.length, 1, `${kind}: ${parsed.findings.map((f) => f.message).join('; ')}`);
      const m = emptyModel('manifests', 'default');
      addObject(m, parsed.objects[0]);
      const where = LIST_KEYS.filter((k) => ((m[k] as unknown[] | undefined) ?? []).length > 0);
      assert.deepEqual(where, [list], kind);
      assert.equal(objectCount(m), 1, `${kind} counted`);
    }
  });

  it("a chart's hook or test object is kept apart from the steady state", () => {
    const [svc] = parse('m.yaml', doc('Service', 'v1', 'x', '{selector: {app: web}, ports: [{port: 80}]}')).objects;
    const m = emptyModel('manifests', 'default');
    addObject(m, { ...svc, origin: { ...svc.origin, notSteadyState: 'helm.sh/hook: test' } } as ModelObject);
    assert.deepEqual(m.services, []);
    assert.deepEqual(m.notSteadyState?.map((o) => o.name), ['x']);
    delete (m as { notSteadyState?: unknown }).notSteadyState;
    addObject(m, { ...svc, origin: { ...svc.origin, notSteadyState: 'helm.sh/hook: test' } } as ModelObject);
    assert.equal(m.notSteadyState?.length, 1, 'a model made without the list gets one');
  });

  it("a workload's live Pods are counted as objects of their own; a Pod that is the workload itself once", () => {
    const m = buildModel([parse('m.yaml', doc('Deployment', 'apps/v1', 'web', KINDS[16][3]) + '---\n' + doc('Pod', 'v1', 'solo', KINDS[17][3]))], 'default');
    assert.equal(objectCount(m), 2);
    const [web, solo] = m.workloads;
    assert.equal(solo.kind, 'Pod');
    const live = (namespace: string, name: string) => pod(namespace, name, '10.244.0.9', 'node-a');
    const withPods: NetworkModel = { ...m, workloads: [{ ...web, pods: [live('shop', 'web-1'), live('shop', 'web-2')] }, { ...solo, pods: [live('shop', 'solo')] }] };
    assert.equal(objectCount(withPods), 4, "two workloads and web's two Pods; solo is its own Pod");
    // A Pod with the workload's own name and namespace is the workload itself; the same name elsewhere is another Pod.
    assert.equal(objectCount({ ...m, workloads: [{ ...web, pods: [live('shop', 'web')] }] }), 1);
    assert.equal(objectCount({ ...m, workloads: [{ ...web, pods: [live('other', 'web')] }] }), 2);
  });
});

describe('model: one file replaced (withFileObjects)', () => {
  const FILES: Record<string, string> = {
    'a.yaml': doc('Service', 'v1', 'a', '{selector: {app: a}, ports: [{port: 80}]}') + '---\n' + doc('NetworkPolicy', 'networking.k8s.io/v1', 'a', '{podSelector: {}}'),
    'c.yaml': doc('Service', 'v1', 'c1', '{selector: {app: c}, ports: [{port: 80}]}') + '---\n' + doc('Service', 'v1', 'c2', '{selector: {app: c}, ports: [{port: 81}]}'),
    'e.yaml': doc('Service', 'v1', 'e', '{selector: {app: e}, ports: [{port: 80}]}') + '---\n' + doc('Namespace', 'v1', 'e'),
  };
  const build = (files: Record<string, string>) =>
    buildModel(
      Object.keys(files)
        .sort()
        .map((f) => parse(f, files[f])),
      'default',
    );
  const before = build(FILES);

  const cases: [what: string, file: string, text: string | undefined][] = [
    ['a file changed in the middle', 'c.yaml', doc('Service', 'v1', 'c3', '{selector: {app: c}, ports: [{port: 80}]}')],
    ['the first file changed', 'a.yaml', doc('Service', 'v1', 'a2', '{selector: {app: a}, ports: [{port: 80}]}')],
    ['the last file changed, gaining a kind', 'e.yaml', FILES['e.yaml'] + '---\n' + doc('NetworkPolicy', 'networking.k8s.io/v1', 'e', '{podSelector: {}}')],
    ['a file removed', 'c.yaml', undefined],
    ['a new file between two', 'b.yaml', doc('Service', 'v1', 'b', '{selector: {app: b}, ports: [{port: 80}]}')],
    ['a new file before all', '0.yaml', doc('Node', 'v1', 'n')],
    ['a new file after all', 'z.yaml', doc('Service', 'v1', 'z', '{selector: {app: z}, ports: [{port: 80}]}')],
    ['a file emptied of one kind', 'a.yaml', doc('Service', 'v1', 'a', '{selector: {app: a}, ports: [{port: 80}]}')],
  ];

  for (const [what, file, text] of cases) {
    it(`${what}: the same lists as building the files anew`, () => {
      const files = { ...FILES };
      if (text === undefined) delete files[file];
      else files[file] = text;
      const after = withFileObjects(before, file, text === undefined ? [] : parse(file, text).objects);
      assert.deepEqual(listsOf(after), listsOf(build(files)));
      assert.deepEqual(listsOf(before), listsOf(build(FILES)), 'the model passed in is not changed');
    });
  }

  it('lists the file has nothing in, before or after, stay the same arrays', () => {
    const after = withFileObjects(before, 'c.yaml', parse('c.yaml', doc('Service', 'v1', 'c9', '{selector: {app: c}, ports: [{port: 80}]}')).objects);
    assert.notEqual(after.services, before.services);
    assert.equal(after.networkPolicies, before.networkPolicies);
    assert.equal(after.namespaces, before.namespaces);
  });

  it('firstFrom: where a file starts and ends in a list sorted by file', () => {
    const list = before.services; // a.yaml, c.yaml, c.yaml, e.yaml
    assert.deepEqual(
      ['0.yaml', 'a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml', 'z.yaml'].map((f) => [firstFrom(list, f, false), firstFrom(list, f, true)]),
      [
        [0, 0],
        [0, 1],
        [1, 1],
        [1, 3],
        [3, 3],
        [3, 4],
        [4, 4],
      ],
    );
    assert.equal(firstFrom(list, 'c.yaml', true, 2), 3, 'from a later start');
    assert.equal(firstFrom(list, 'a.yaml', false, 2), 2, 'never before the start');
  });
});

describe('model: a Service port and its target', () => {
  it('an absent, zero or empty targetPort means the port itself (the API server defaults it)', () => {
    assert.equal(effectiveTargetPort(80, undefined), 80);
    assert.equal(effectiveTargetPort(80, 0), 80);
    assert.equal(effectiveTargetPort(80, ''), 80);
    assert.equal(effectiveTargetPort(80, 8080), 8080);
    assert.equal(effectiveTargetPort(80, 'http'), 'http');
  });
});
