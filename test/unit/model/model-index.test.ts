// The model index, built anew and built from the previous index after a
// change (what a keystroke or a watch event re-indexes): after every kind of
// change each lookup must answer exactly what an index built from scratch on
// the same model answers. The previous index is asked first, so every memo it
// keeps (selector results, label lookups, reverse lookups) is filled before
// the next index decides what to reuse: a cache reused where the namespace
// changed gives a stale answer here.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addObject, emptyModel, withFileObjects } from '../../../src/core/model/collect';
import { ModelIndex, groupWorkloads, hasServiceSelector, pinnedNamespaceNames, uniqueWorkloads } from '../../../src/core/model/model-index';
import type { LabelSelector, ModelIndexOptions, ModelObject, NetworkModel, SelectorRequirement, Workload } from '../../../src/core/model';
import { parseManifestFile } from '../../../src/core/source/manifests';
import { pod, sel } from '../../fixtures/trace/build';

// --- manifests ---------------------------------------------------------------

const labelsYaml = (labels: Record<string, string>, indent: string) =>
  Object.keys(labels).length === 0 ? ' {}\n' : `\n${Object.entries(labels).map(([k, v]) => `${indent}${k}: "${v}"`).join('\n')}\n`;

const deploy = (ns: string, name: string, labels: Record<string, string>, kind = 'Deployment') =>
  `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:${labelsYaml(labels, '      ')}  template:\n    metadata:\n      labels:${labelsYaml(labels, '        ')}    spec:\n      containers:\n      - name: main\n        image: nginx\n`;
const service = (ns: string, name: string, selector?: Record<string, string>) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${selector ? `  selector:${labelsYaml(selector, '    ')}` : ''}  ports:\n  - port: 80\n`;
const netpol = (ns: string, name: string, podSelector: Record<string, string>) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:${labelsYaml(podSelector, '      ')}  policyTypes: [Ingress]\n`;
const ingress = (ns: string, name: string, backend: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${backend}\n            port:\n              number: 80\n`;
const slice = (ns: string, name: string, serviceName: string) =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    kubernetes.io/service-name: ${serviceName}\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.1]\nports:\n- port: 8080\n`;
const namespaceDoc = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:${labelsYaml(labels, '    ')}`;
const docs = (...d: string[]) => d.join('---\n');

// --- the questions -----------------------------------------------------------

const req = (key: string, operator: SelectorRequirement['operator'], values: string[] = []): SelectorRequirement => ({ key, operator, values });

/** Selectors asked in every namespace: the same objects from one index to the next, as a file's unchanged selectors are. */
const SELECTORS: LabelSelector[] = [
  sel({}),
  sel({ app: 'web' }),
  sel({ app: 'web', tier: 'front' }),
  sel({ app: 'api' }),
  sel({ app: 'nope' }),
  sel({ version: 'v1' }),
  sel({ app: 'web', version: 'v2' }),
  sel({}, [req('tier', 'In', ['front'])]),
  sel({}, [req('tier', 'In', ['front', 'back'])]),
  sel({}, [req('tier', 'In', ['none', 'back'])]),
  sel({}, [req('version', 'Exists')]),
  sel({ app: 'web' }, [req('version', 'Exists')]),
  sel({}, [req('app', 'NotIn', ['web'])]),
  sel({}, [req('tier', 'DoesNotExist')]),
  sel({ app: 'db' }, [req('tier', 'DoesNotExist')]),
  sel({ 'statefulset.kubernetes.io/pod-name': 'db-0' }),
  sel({ app: 'web', 'pod-template-hash': 'abc' }),
  sel({ app: 'web' }, [req('pod-template-hash', 'DoesNotExist')]),
  sel({ team: 'pay' }),
  sel({ 'kubernetes.io/metadata.name': 'shop' }),
  sel({}, [req('kubernetes.io/metadata.name', 'In', ['shop', 'bank'])]),
  sel({}, [req('kubernetes.io/metadata.name', 'In', ['shop', 'nowhere'])]),
  sel({}, [req('kubernetes.io/metadata.name', 'NotIn', ['shop'])]),
];

const ref = (o: ModelObject) => `${o.origin.file ?? ''}#${o.id}`;
const refs = (list: readonly ModelObject[]) => list.map(ref);

/** Everything the index answers about `model`, as plain data (object identity as file#id: two copies of one object differ). */
function answers(index: ModelIndex, model: NetworkModel): unknown {
  const out: Record<string, unknown> = {};
  const namespaces = index.knownNamespaces();
  out.known = namespaces;
  for (const ns of [...namespaces, 'nowhere']) {
    const sels: Record<string, unknown> = {};
    SELECTORS.forEach((s, i) => {
      // hasMatch before selectedBy for half of them, after for the others: neither memo may stand in for the other.
      const first = i % 2 === 0 ? index.hasMatch(ns, s) : undefined;
      const selected = refs(index.selectedBy(ns, s));
      assert.deepEqual(refs(index.workloadsSelectedBy(ns, s)), selected);
      sels[i] = [first ?? index.hasMatch(ns, s), selected];
    });
    out[`ns ${ns}`] = {
      labels: index.namespaceLabels(ns),
      declared: index.isDeclaredNamespace(ns),
      workloads: refs(index.workloadsIn(ns)),
      services: refs(index.servicesIn(ns)),
      policies: refs(index.policiesIn(ns)),
      ingresses: refs(index.ingressesIn(ns)),
      viewed: index.labelViewToken(ns) !== null,
      sels,
    };
  }
  out.namespacesMatching = SELECTORS.map((s) => index.namespacesMatching(s));
  out.services = model.services.map((s) => [ref(s), refs(index.servicesNamed(s.namespace, s.name)), refs(index.endpointSlicesFor(s)), s.selector && index.hasMatch(s.namespace, s.selector), s.selector && refs(index.selectedBy(s.namespace, s.selector))]);
  out.workloads = model.workloads.map((w) => [
    ref(w),
    index.podLabels(w),
    refs(index.servicesSelecting(w)),
    refs(index.policiesSelecting(w)),
    SELECTORS.map((s) => index.matches(s, w)),
  ]);
  out.policies = model.networkPolicies.map((p) => [ref(p), index.hasMatch(p.namespace, p.podSelector), refs(index.selectedBy(p.namespace, p.podSelector))]);
  const all = [model.namespaces, model.workloads, model.services, model.endpointSlices, model.ingresses, model.networkPolicies].flat();
  out.byId = all.map((o) => [o.id, index.byId(o.id) && ref(index.byId(o.id) as ModelObject)]);
  out.missingId = index.byId('no/such/id');
  return out;
}

// --- a workspace re-indexed the way the editor and the cluster view do it ----

interface Step {
  /** The file's new text; undefined removes the file. */
  path: string;
  text: string | undefined;
}

/**
 * A set of manifest files, its model and its index. `files` mode: the model is
 * edited one file at a time (withFileObjects) and the index is told the
 * changed files, as the editor's analysis does; `namespaces` mode: the model
 * is built anew and the index is told only the changed namespaces, as the
 * cluster view does. Objects a changed file still holds unchanged (same id,
 * same text at the same place) stay the same objects, as the editor keeps
 * them.
 */
class Workspace {
  private readonly objects = new Map<string, ModelObject[]>();
  model: NetworkModel;
  index: ModelIndex;
  private changed = new Set<string>();
  private changedFiles = new Set<string>();

  constructor(
    files: Record<string, string>,
    private readonly mode: 'files' | 'namespaces',
    private options: ModelIndexOptions = {},
  ) {
    for (const [path, text] of Object.entries(files)) this.objects.set(path, parse(path, text));
    this.model = this.build();
    this.index = new ModelIndex(this.model, this.options);
  }

  apply({ path, text }: Step): void {
    const old = this.objects.get(path) ?? [];
    const now = text === undefined ? [] : keepSame(old, parse(path, text));
    for (const o of [...old, ...now]) {
      this.changed.add(o.namespace);
      if (o.kind === 'Namespace') this.changed.add(o.name);
    }
    this.changedFiles.add(path);
    if (text === undefined) this.objects.delete(path);
    else this.objects.set(path, now);
    this.model = this.mode === 'files' ? withFileObjects(this.model, path, now) : this.build();
  }

  /** The next index, from the previous one. */
  reindex(options = this.options): ModelIndex {
    const reuse = { previous: this.index, changed: this.changed, files: this.mode === 'files' ? this.changedFiles : undefined };
    this.options = options;
    this.index = new ModelIndex(this.model, options, reuse);
    this.changed = new Set();
    this.changedFiles = new Set();
    return this.index;
  }

  fresh(): ModelIndex {
    return new ModelIndex(this.model, this.options);
  }

  private build(): NetworkModel {
    // As buildModel puts a manifest set's objects: file by file, in path order.
    const model = emptyModel('manifests', 'default');
    for (const path of [...this.objects.keys()].sort()) for (const o of this.objects.get(path) ?? []) addObject(model, o);
    return model;
  }
}

function parse(path: string, text: string): ModelObject[] {
  const parsed = parseManifestFile(path, text, { defaultNamespace: 'default' });
  assert.deepEqual(parsed.findings.filter((f) => f.severity === 'error').map((f) => f.message), [], path);
  return parsed.objects;
}

/** The previous object in place of an equal new one (what the editor's re-parse keeps). */
function keepSame(old: readonly ModelObject[], now: ModelObject[]): ModelObject[] {
  return now.map((o) => old.find((p) => p.id === o.id && JSON.stringify(p) === JSON.stringify(o)) ?? o);
}

/**
 * Applies the steps in order; after each (or after each group, for steps
 * given as a list) the re-built index must answer as a fresh one does. With
 * `ask: 'first'` the previous index is asked everything before each change
 * (its memos are full), with 'none' it is asked nothing (the next index
 * builds its lookups itself).
 */
function assertReindexMatchesFresh(ws: Workspace, steps: (Step | Step[])[], ask: 'first' | 'none' = 'first'): void {
  for (const [i, step] of steps.entries()) {
    if (ask === 'first') answers(ws.index, ws.model);
    for (const s of Array.isArray(step) ? step : [step]) ws.apply(s);
    const next = ws.reindex();
    assert.deepEqual(answers(next, ws.model), answers(ws.fresh(), ws.model), `step ${i + 1}`);
  }
}

const both = (name: string, files: () => Record<string, string>, steps: (Step | Step[])[], options?: ModelIndexOptions) => {
  for (const mode of ['files', 'namespaces'] as const) {
    for (const ask of ['first', 'none'] as const) {
      it(`${name} (${mode === 'files' ? 'told the files' : 'told the namespaces'}, ${ask === 'first' ? 'previous index asked first' : 'previous index not asked'})`, () => {
        assertReindexMatchesFresh(new Workspace(files(), mode, options), steps, ask);
      });
    }
  }
};

// --- the workspace -----------------------------------------------------------

const WEB = { app: 'web', tier: 'front', version: 'v1' };
const API = { app: 'api', tier: 'back', version: 'v1' };

const base = (): Record<string, string> => ({
  'bank/db.yaml': docs(deploy('bank', 'db', { app: 'db' }, 'StatefulSet'), service('bank', 'db', { app: 'db' })),
  'bank/namespace.yaml': namespaceDoc('bank', { team: 'pay' }),
  'shop/a-web.yaml': docs(deploy('shop', 'web', WEB), service('shop', 'web', { app: 'web' }), netpol('shop', 'web-in', { app: 'web' })),
  'shop/b-api.yaml': docs(deploy('shop', 'api', API), service('shop', 'api', { app: 'api' }), slice('shop', 'api-1', 'api')),
  'shop/c-edge.yaml': docs(ingress('shop', 'edge', 'web'), netpol('shop', 'all', {}), service('shop', 'manual')),
  'shop/namespace.yaml': namespaceDoc('shop', { team: 'shop' }),
});

describe('ModelIndex: re-built from the previous index after a change, it answers as a fresh one', () => {
  both('a file added to a namespace, in the middle of the file order', base, [
    { path: 'shop/ab-worker.yaml', text: docs(deploy('shop', 'worker', { app: 'web', tier: 'back', version: 'v2' }), netpol('shop', 'worker-in', { tier: 'back' })) },
    { path: 'shop/0-first.yaml', text: docs(service('shop', 'first', { version: 'v2' }), ingress('shop', 'first', 'first')) },
    { path: 'shop/z-last.yaml', text: deploy('shop', 'last', { app: 'api' }) },
  ]);

  both('a file added in a namespace no file used, and one spanning two namespaces', base, [
    { path: 'new/app.yaml', text: docs(deploy('new', 'web', WEB), service('new', 'web', { app: 'web' })) },
    { path: 'mixed.yaml', text: docs(deploy('bank', 'teller', { app: 'web', tier: 'back' }), deploy('shop', 'cart', { app: 'api', tier: 'front' })) },
  ]);

  both('a file changed: pod labels, so selectors of other files match other workloads', base, [
    { path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web', { app: 'web', tier: 'back', version: 'v2' }), service('shop', 'web', { app: 'web' }), netpol('shop', 'web-in', { app: 'web' })) },
    { path: 'shop/b-api.yaml', text: docs(deploy('shop', 'api', { app: 'web', tier: 'front' }), service('shop', 'api', { app: 'api' }), slice('shop', 'api-1', 'api')) },
    { path: 'bank/db.yaml', text: docs(deploy('bank', 'db', { app: 'db', tier: 'data' }, 'StatefulSet'), service('bank', 'db', { app: 'db' })) },
  ]);

  both('a file changed: a Service selector and a policy selector, the workloads stay the same objects', base, [
    { path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web', WEB), service('shop', 'web', { app: 'api' }), netpol('shop', 'web-in', { tier: 'back' })) },
    { path: 'shop/b-api.yaml', text: docs(deploy('shop', 'api', API), service('shop', 'api'), slice('shop', 'api-1', 'web')) },
    { path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web', WEB), service('shop', 'web', { app: 'web' }), netpol('shop', 'web-in', { app: 'web' })) },
  ]);

  both('a file changed: its objects shift (a comment above them), nothing else', base, [
    { path: 'shop/a-web.yaml', text: `# moved\n${base()['shop/a-web.yaml']}` },
    { path: 'bank/namespace.yaml', text: `# moved\n${base()['bank/namespace.yaml']}` },
  ]);

  both('a file removed: one of several in a namespace, then the last of a namespace', base, [
    { path: 'shop/b-api.yaml', text: undefined },
    { path: 'bank/db.yaml', text: undefined },
    { path: 'bank/namespace.yaml', text: undefined },
    { path: 'shop/a-web.yaml', text: undefined },
  ]);

  both('an object moved from one file to another (same namespace, then another namespace)', base, [
    [
      { path: 'shop/a-web.yaml', text: docs(service('shop', 'web', { app: 'web' }), netpol('shop', 'web-in', { app: 'web' })) },
      { path: 'shop/c-edge.yaml', text: docs(ingress('shop', 'edge', 'web'), netpol('shop', 'all', {}), service('shop', 'manual'), deploy('shop', 'web', WEB)) },
    ],
    [
      { path: 'shop/c-edge.yaml', text: docs(ingress('shop', 'edge', 'web'), netpol('shop', 'all', {}), service('shop', 'manual')) },
      { path: 'bank/db.yaml', text: docs(deploy('bank', 'db', { app: 'db' }, 'StatefulSet'), service('bank', 'db', { app: 'db' }), deploy('bank', 'web', WEB)) },
    ],
    { path: 'shop/b-api.yaml', text: docs(deploy('bank', 'api', API), service('shop', 'api', { app: 'api' }), slice('shop', 'api-1', 'api')) },
  ]);

  both('namespaces declared, relabelled and dropped (the namespaces a selector matches change)', base, [
    { path: 'bank/namespace.yaml', text: namespaceDoc('bank', { team: 'shop' }) },
    { path: 'extra/namespace.yaml', text: docs(namespaceDoc('extra', { team: 'pay' }), namespaceDoc('nowhere')) },
    { path: 'shop/namespace.yaml', text: undefined },
    { path: 'extra/namespace.yaml', text: namespaceDoc('extra') },
    { path: 'bank/namespace.yaml', text: undefined },
  ]);

  both('alternatives of one object in two files (the same Deployment, Service and policy twice)', base, [
    { path: 'shop/d-web-alt.yaml', text: docs(deploy('shop', 'web', { app: 'web', tier: 'back' }), service('shop', 'web', { tier: 'back' }), netpol('shop', 'web-in', { tier: 'back' })) },
    { path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web', { app: 'web', tier: 'front', version: 'v2' }), service('shop', 'web', { app: 'web' }), netpol('shop', 'web-in', { app: 'web' })) },
    { path: 'shop/d-web-alt.yaml', text: docs(deploy('shop', 'web', { app: 'web', tier: 'back' }), service('shop', 'web', { app: 'web' }), netpol('shop', 'web-in', { app: 'web' })) },
    { path: 'shop/a-web.yaml', text: undefined },
  ]);

  both(
    'with ignored label keys (the selector without them matches)',
    base,
    [
      { path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web', { app: 'web', tier: 'front', version: 'v2' }), service('shop', 'web', { app: 'web', version: 'v1' }), netpol('shop', 'web-in', { version: 'v3' })) },
      { path: 'shop/e-more.yaml', text: deploy('shop', 'more', { app: 'api', version: 'v9' }) },
    ],
    { ignoreLabelKeys: ['version'] },
  );

  it('nothing changed: the next index answers as the previous', () => {
    const ws = new Workspace(base(), 'files');
    const before = answers(ws.index, ws.model);
    assert.deepEqual(answers(ws.reindex(), ws.model), before);
  });

  it('other ignored label keys: nothing of the previous index is reused', () => {
    for (const [from, to] of [
      [[], ['version']],
      [['version'], []],
      [['version'], ['tier']],
      [['version'], ['version', 'tier']],
    ]) {
      const ws = new Workspace(base(), 'files', { ignoreLabelKeys: from });
      answers(ws.index, ws.model);
      const next = ws.reindex({ ignoreLabelKeys: to });
      assert.deepEqual(answers(next, ws.model), answers(ws.fresh(), ws.model), `${from} -> ${to}`);
    }
  });

  it('the same ignored label keys in another order: the previous work is reused and right', () => {
    const ws = new Workspace(base(), 'files', { ignoreLabelKeys: ['version', 'tier'] });
    answers(ws.index, ws.model);
    ws.apply({ path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web', { app: 'web', tier: 'back', version: 'v2' }), service('shop', 'web', { tier: 'x' })) });
    const next = ws.reindex({ ignoreLabelKeys: ['tier', 'version'] });
    assert.deepEqual(answers(next, ws.model), answers(ws.fresh(), ws.model));
  });

  it('random sequences of edits, adds and removes over small workspaces', () => {
    const NS = ['shop', 'bank', 'edge'];
    const LABELS: Record<string, string>[] = [{ app: 'web' }, { app: 'web', tier: 'front' }, { app: 'api', tier: 'back' }, { tier: 'back', version: 'v1' }, {}];
    const objectDoc = fc.oneof(
      fc.tuple(fc.constantFrom(...NS), fc.constantFrom('a', 'b', 'c'), fc.constantFrom(...LABELS)).map(([ns, name, l]) => deploy(ns, name, l)),
      fc.tuple(fc.constantFrom(...NS), fc.constantFrom('a', 'b'), fc.constantFrom(...LABELS)).map(([ns, name, l]) => service(ns, name, Object.keys(l).length ? l : undefined)),
      fc.tuple(fc.constantFrom(...NS), fc.constantFrom('a', 'b'), fc.constantFrom(...LABELS)).map(([ns, name, l]) => netpol(ns, name, l)),
      fc.tuple(fc.constantFrom(...NS), fc.constantFrom('a', 'b')).map(([ns, name]) => ingress(ns, name, name)),
      fc.tuple(fc.constantFrom(...NS), fc.constantFrom('a', 'b')).map(([ns, name]) => slice(ns, `${name}-1`, name)),
      fc.tuple(fc.constantFrom(...NS), fc.constantFrom(...LABELS)).map(([ns, l]) => namespaceDoc(ns, l)),
    );
    const fileText = fc.array(objectDoc, { minLength: 0, maxLength: 4 }).map((d) => docs(...d));
    const PATHS = ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'];
    const step = fc.record({ path: fc.constantFrom(...PATHS), text: fc.option(fileText, { nil: undefined }) });
    fc.assert(
      fc.property(
        fc.array(fileText, { minLength: 4, maxLength: 4 }),
        fc.array(fc.oneof(step, fc.array(step, { minLength: 2, maxLength: 3 })), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('files', 'namespaces'),
        fc.constantFrom('first', 'none'),
        (texts, steps, mode, ask) => {
          const ws = new Workspace(Object.fromEntries(PATHS.map((p, i) => [p, texts[i]])), mode as 'files' | 'namespaces');
          assertReindexMatchesFresh(ws, steps, ask as 'first' | 'none');
        },
      ),
      { numRuns: 60, seed: 17 },
    );
  });
});

describe('ModelIndex: what a look from another namespace can see', () => {
  it('the token stays the same object exactly while the workloads, their pod labels and the namespace labels stay equal', () => {
    const ws = new Workspace(base(), 'files');
    const token = (ns: string) => ws.index.labelViewToken(ns);
    const check = (step: Step, same: Record<string, boolean>) => {
      const before = Object.fromEntries(Object.keys(same).map((ns) => [ns, token(ns)]));
      ws.apply(step);
      ws.reindex();
      for (const [ns, expected] of Object.entries(same)) assert.equal(token(ns) === before[ns], expected, `${step.path}: ${ns}`);
    };
    assert.equal(ws.index.labelViewToken('nowhere'), null);
    // Positions and non-workload objects do not count.
    check({ path: 'shop/a-web.yaml', text: `# moved\n${base()['shop/a-web.yaml']}` }, { shop: true, bank: true });
    check({ path: 'shop/c-edge.yaml', text: docs(ingress('shop', 'edge', 'api'), service('shop', 'manual')) }, { shop: true, bank: true });
    // Pod labels, a workload's name or kind, the order of the workloads do.
    check({ path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web', { ...WEB, version: 'v2' }), service('shop', 'web', { app: 'web' })) }, { shop: false, bank: true });
    check({ path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web2', { ...WEB, version: 'v2' }), service('shop', 'web', { app: 'web' })) }, { shop: false, bank: true });
    check({ path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web2', { ...WEB, version: 'v2' }, 'StatefulSet'), service('shop', 'web', { app: 'web' })) }, { shop: false, bank: true });
    check({ path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web2', { ...WEB, version: 'v2', extra: 'x' }, 'StatefulSet')) }, { shop: false, bank: true });
    check({ path: 'shop/a-web.yaml', text: docs(deploy('shop', 'web2', { ...WEB, version: 'v2' }, 'StatefulSet')) }, { shop: false, bank: true });
    check({ path: 'shop/z-api.yaml', text: deploy('shop', 'api', API) }, { shop: false });
    check({ path: 'shop/b-api.yaml', text: undefined }, { shop: false });
    // Namespace labels and being declared do.
    check({ path: 'bank/namespace.yaml', text: namespaceDoc('bank', { team: 'pay', tier: 'gold' }) }, { shop: true, bank: false });
    check({ path: 'bank/namespace.yaml', text: namespaceDoc('bank', { team: 'pay' }) }, { shop: true, bank: false });
    check({ path: 'bank/namespace.yaml', text: namespaceDoc('bank', { team: 'gold' }) }, { shop: true, bank: false });
    check({ path: 'bank/namespace.yaml', text: undefined }, { shop: true, bank: false });
    check({ path: 'bank/namespace.yaml', text: namespaceDoc('bank', { team: 'gold' }) }, { shop: true, bank: false });
    check({ path: 'bank/other.yaml', text: namespaceDoc('bank', { team: 'gold' }) }, { bank: true });
    // Declared without labels: the same labels as an undeclared namespace's, but declared now.
    check({ path: 'shop/namespace.yaml', text: undefined }, { shop: false, bank: true });
    check({ path: 'shop/namespace.yaml', text: namespaceDoc('shop') }, { shop: false, bank: true });
    check({ path: 'shop/namespace.yaml', text: undefined }, { shop: false, bank: true });
  });
});

describe('ModelIndex: lookups of one index', () => {
  const ws = () => new Workspace(base(), 'files');

  it('a namespace with Services but no workloads matches nothing, not even with an empty selector', () => {
    const w = new Workspace({ 'x.yaml': docs(service('lonely', 'svc', { app: 'web' }), netpol('lonely', 'p', {})) }, 'files');
    assert.equal(w.index.hasMatch('lonely', sel({})), false);
    assert.deepEqual(w.index.workloadsSelectedBy('lonely', sel({})), []);
    assert.deepEqual(w.index.workloadsIn('lonely'), []);
    assert.equal(w.index.servicesIn('lonely').length, 1);
    assert.deepEqual(w.index.knownNamespaces(), ['lonely']);
  });

  it('a namespace is known through any namespaced object in it, each kind alone', () => {
    const route = (ns: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: ${ns}\nspec:\n  parentRefs:\n  - name: gw\n  rules:\n  - backendRefs:\n    - name: web\n      port: 80\n`;
    const w = new Workspace(
      {
        'a.yaml': deploy('by-workload', 'web', WEB),
        'b.yaml': service('by-service', 'web', { app: 'web' }),
        'c.yaml': netpol('by-policy', 'p', {}),
        'd.yaml': slice('by-slice', 'web-1', 'web'),
        'e.yaml': ingress('by-ingress', 'edge', 'web'),
        'f.yaml': route('by-route'),
      },
      'files',
    );
    const known = ['by-ingress', 'by-policy', 'by-route', 'by-service', 'by-slice', 'by-workload'];
    assert.deepEqual(w.index.knownNamespaces(), known);
    for (const ns of known) {
      assert.deepEqual(w.index.namespaceLabels(ns), { 'kubernetes.io/metadata.name': ns });
      assert.equal(w.index.isDeclaredNamespace(ns), false);
    }
    assert.deepEqual(w.index.namespacesMatching(sel({}, [req('kubernetes.io/metadata.name', 'In', known)])), { names: known, complete: true });
  });

  it('workloadsSelectedBy gives a list of its own: changing it changes no later answer', () => {
    const index = ws().index;
    const s = sel({ app: 'web' });
    const first = index.workloadsSelectedBy('shop', s);
    first.length = 0;
    assert.deepEqual(index.workloadsSelectedBy('shop', s).map((w) => w.name), ['web']);
    assert.deepEqual(index.selectedBy('shop', s).map((w) => w.name), ['web']);
    const all = index.workloadsSelectedBy('shop', sel({}));
    all.pop();
    assert.deepEqual(index.workloadsIn('shop').map((w) => w.name), ['web', 'api']);
  });

  it('objects of a namespace the index does not hold: nothing selects them, nothing is found for them', () => {
    const index = ws().index;
    const other = new Workspace({ 'x.yaml': docs(deploy('elsewhere', 'web', WEB), service('elsewhere', 'web', { app: 'web' })) }, 'files').model;
    assert.deepEqual(index.servicesSelecting(other.workloads[0]), []);
    assert.deepEqual(index.policiesSelecting(other.workloads[0]), []);
    assert.deepEqual(index.endpointSlicesFor(other.services[0]), []);
    assert.deepEqual(index.servicesNamed('elsewhere', 'web'), []);
    assert.equal(index.hasMatch('elsewhere', sel({})), false);
  });

  it('selectors narrowed by their labels find every match (In with several values, Exists, controller-written keys)', () => {
    const index = ws().index;
    const names = (s: LabelSelector, ns = 'shop') => index.workloadsSelectedBy(ns, s).map((w) => w.name);
    assert.deepEqual(names(sel({}, [req('tier', 'In', ['none', 'back'])])), ['api']);
    assert.deepEqual(names(sel({}, [req('tier', 'In', ['front', 'back'])])), ['web', 'api']);
    assert.deepEqual(names(sel({}, [req('tier', 'In', ['front'])])), ['web']);
    assert.deepEqual(names(sel({ app: 'web' }, [req('version', 'Exists')])), ['web']);
    assert.deepEqual(names(sel({}, [req('version', 'Exists')])), ['web', 'api']);
    assert.deepEqual(names(sel({ version: 'v1' }, [req('app', 'In', ['api'])])), ['api']);
    assert.deepEqual(names(sel({ app: 'web', 'pod-template-hash': 'abc' })), ['web']);
    assert.deepEqual(names(sel({ 'pod-template-hash': 'abc' })), ['web', 'api']);
    assert.deepEqual(names(sel({ 'statefulset.kubernetes.io/pod-name': 'db-1' }), 'bank'), ['db']);
    assert.deepEqual(names(sel({ 'statefulset.kubernetes.io/pod-name': 'db-2' }), 'bank'), [], 'two replicas: db-0 and db-1');
    assert.deepEqual(names(sel({ 'statefulset.kubernetes.io/pod-name': 'db-0' })), [], 'a Deployment has no pod-name');
    assert.equal(index.hasMatch('shop', sel({ 'pod-template-hash': 'abc' })), true);
    assert.equal(index.hasMatch('shop', sel({ 'statefulset.kubernetes.io/pod-name': 'db-0' })), false);
    assert.equal(index.hasMatch('bank', sel({ 'statefulset.kubernetes.io/pod-name': 'db-0' })), true);
    assert.equal(index.hasMatch('shop', sel({}, [req('tier', 'In', ['none', 'back'])])), true);
  });

  it('matches one workload: controller-written keys by what the controller writes', () => {
    const index = ws().index;
    const m = index.model;
    const web = m.workloads.find((w) => w.name === 'web') as Workload;
    const db = m.workloads.find((w) => w.name === 'db') as Workload;
    assert.equal(index.matches(sel({ app: 'web' }), web), true);
    assert.equal(index.matches(sel({ app: 'api' }), web), false);
    assert.equal(index.matches(sel({ app: 'web', 'pod-template-hash': 'x' }), web), true);
    assert.equal(index.matches(sel({ app: 'api', 'pod-template-hash': 'x' }), web), false);
    assert.equal(index.matches(sel({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0' }), web), false);
    assert.equal(index.matches(sel({ 'statefulset.kubernetes.io/pod-name': 'db-0' }), db), true);
  });

  it('ignored label keys: dropped from pod labels and from selectors', () => {
    const index = new Workspace(base(), 'files', { ignoreLabelKeys: ['version', 'tier'] }).index;
    const web = index.model.workloads.find((w) => w.name === 'web') as Workload;
    assert.deepEqual(index.podLabels(web), { app: 'web' });
    assert.equal(index.podLabels(web), index.podLabels(web), 'worked out once');
    assert.deepEqual(web.podLabels, WEB, 'the workload is not changed');
    assert.equal(index.matches(sel({ app: 'web', version: 'v9' }), web), true);
    assert.deepEqual(index.workloadsSelectedBy('shop', sel({ version: 'v9' })).length, 2, 'a selector of ignored keys only selects all');
    assert.equal(index.hasMatch('shop', sel({ tier: 'nope' })), true);
    assert.deepEqual(index.workloadsSelectedBy('shop', sel({}, [req('tier', 'Exists')])).length, 2);
    const plain = ws().index;
    assert.equal(plain.podLabels(web), web.podLabels, 'no keys ignored: the workload’s own labels');
  });

  it('namespaces matching a selector: complete only when every pinned name is known, or for a cluster', () => {
    const index = ws().index;
    assert.deepEqual(index.namespacesMatching(sel({ team: 'pay' })), { names: ['bank'], complete: false });
    assert.deepEqual(index.namespacesMatching(sel({})), { names: ['bank', 'shop'], complete: false });
    assert.deepEqual(index.namespacesMatching(sel({ 'kubernetes.io/metadata.name': 'shop' })), { names: ['shop'], complete: true });
    assert.deepEqual(index.namespacesMatching(sel({}, [req('kubernetes.io/metadata.name', 'In', ['shop', 'bank'])])), { names: ['bank', 'shop'], complete: true });
    assert.deepEqual(index.namespacesMatching(sel({}, [req('kubernetes.io/metadata.name', 'In', ['shop', 'nowhere'])])), { names: ['shop'], complete: false });
    assert.deepEqual(index.namespacesMatching(sel({}, [req('kubernetes.io/metadata.name', 'NotIn', ['shop'])])), { names: ['bank'], complete: false });
    const cluster = new ModelIndex({ ...index.model, source: 'cluster' });
    assert.deepEqual(cluster.namespacesMatching(sel({ team: 'pay' })), { names: ['bank'], complete: true });
  });

  it('namespace labels: a declared namespace’s own labels and its name label, which it cannot override', () => {
    const w = new Workspace({ 'ns.yaml': docs(namespaceDoc('a', { team: 'x', 'kubernetes.io/metadata.name': 'b' }), namespaceDoc('a', { team: 'y' })), 'web.yaml': deploy('c', 'web', WEB) }, 'files');
    assert.deepEqual(w.index.namespaceLabels('a'), { team: 'y', 'kubernetes.io/metadata.name': 'a' }, 'the last one wins');
    assert.deepEqual(w.index.namespaceLabels('c'), { 'kubernetes.io/metadata.name': 'c' });
    assert.equal(w.index.isDeclaredNamespace('a'), true);
    assert.equal(w.index.isDeclaredNamespace('c'), false);
    assert.deepEqual(w.index.knownNamespaces(), ['a', 'c']);
    assert.equal(w.index.namespaceLabels('b'), undefined);
  });

  it('objects by id, a live Pod too; the ingress classes are the model’s', () => {
    const m = ws().model;
    const db = m.workloads.find((w) => w.name === 'db') as Workload;
    const live = pod('bank', 'db-0', '10.0.0.5', 'node-1', { labels: { app: 'db' } });
    const withPod: NetworkModel = { ...m, workloads: m.workloads.map((w) => (w === db ? { ...db, pods: [live] } : w)) };
    const index = new ModelIndex(withPod);
    assert.equal(index.byId(live.id), live);
    for (const o of [...m.namespaces, ...m.services, ...m.endpointSlices, ...m.ingresses, ...m.networkPolicies]) assert.equal(index.byId(o.id), o);
    assert.equal(index.byId('nothing'), undefined);
    assert.equal(index.ingressClasses, withPod.ingressClasses);
  });
});

describe('model index helpers', () => {
  // Parsed in each test, not while the file loads (see the ModelIndex tests of the rules).
  const copy = () => parse('b.yaml', deploy('shop', 'web', { app: 'web' })) as Workload[];
  const all = () => [...(parse('a.yaml', docs(deploy('shop', 'web', WEB), deploy('shop', 'api', API), deploy('bank', 'web', WEB), deploy('shop', 'web', WEB, 'StatefulSet'))) as Workload[]), ...copy()];
  const names = (list: readonly Workload[]) => list.map((w) => `${w.origin.file}:${w.namespace}/${w.kind}/${w.name}`);

  it('uniqueWorkloads keeps the first of each namespace, kind and name', () => {
    assert.deepEqual(names(uniqueWorkloads(all())), ['a.yaml:shop/Deployment/web', 'a.yaml:shop/Deployment/api', 'a.yaml:bank/Deployment/web', 'a.yaml:shop/StatefulSet/web']);
  });

  it('groupWorkloads: one group per object, the copy in the preferred file first', () => {
    const workloads = all();
    const groups = (prefer?: string) => groupWorkloads(workloads, prefer).map((g) => [names([g.primary])[0], names(g.copies)]);
    assert.deepEqual(groups(), [
      ['a.yaml:shop/Deployment/web', ['a.yaml:shop/Deployment/web', 'b.yaml:shop/Deployment/web']],
      ['a.yaml:shop/Deployment/api', ['a.yaml:shop/Deployment/api']],
      ['a.yaml:bank/Deployment/web', ['a.yaml:bank/Deployment/web']],
      ['a.yaml:shop/StatefulSet/web', ['a.yaml:shop/StatefulSet/web']],
    ]);
    assert.deepEqual(groups('b.yaml')[0], ['b.yaml:shop/Deployment/web', ['a.yaml:shop/Deployment/web', 'b.yaml:shop/Deployment/web']]);
    assert.deepEqual(groups('a.yaml')[0][0], 'a.yaml:shop/Deployment/web');
    const twice = parse('c.yaml', docs(deploy('shop', 'web', { app: 'first' }), deploy('shop', 'web', { app: 'second' }))) as Workload[];
    const primary = groupWorkloads([...workloads, ...twice], 'c.yaml')[0].primary;
    assert.deepEqual([primary.origin.file, primary.podLabels], ['c.yaml', { app: 'first' }], 'the first copy in the preferred file');
  });

  it('hasServiceSelector: only a selector with requirements', () => {
    const [withSel, without, empty] = parse('s.yaml', docs(service('shop', 'a', { app: 'web' }), service('shop', 'b'), service('shop', 'c', {}))) as Parameters<typeof hasServiceSelector>[0][];
    assert.deepEqual([hasServiceSelector(withSel), hasServiceSelector(without), hasServiceSelector(empty)], [true, false, false]);
  });

  it('pinnedNamespaceNames: the name label by = or In, nothing else', () => {
    assert.deepEqual(pinnedNamespaceNames(sel({ 'kubernetes.io/metadata.name': 'shop', team: 'x' })), ['shop']);
    assert.deepEqual(pinnedNamespaceNames(sel({}, [req('kubernetes.io/metadata.name', 'In', ['a', 'b'])])), ['a', 'b']);
    assert.equal(pinnedNamespaceNames(sel({}, [req('kubernetes.io/metadata.name', 'NotIn', ['a'])])), undefined);
    assert.equal(pinnedNamespaceNames(sel({}, [req('team', 'In', ['a'])])), undefined);
    assert.equal(pinnedNamespaceNames(sel({ team: 'a' })), undefined);
  });
});
