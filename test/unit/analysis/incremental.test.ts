// Incremental re-analysis must give exactly what a fresh Analysis of the same
// files gives: findings (with every related location and fix), the model and
// the index's lookups. Random sequences of edits, adds, deletes and renames
// over a generated workspace (the benchmark's generator, small), including
// edits that change nothing another namespace can see (positions shift, a
// Service selector flips) and edits that do (pod labels, namespaces, namespace
// labels, a pinned namespaceSelector), colliding Ingress routes and
// suppression comments.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Analysis } from '../../../src/core/analysis';
import type { NetworkModel } from '../../../src/core/model/types';
import { generateManifests } from '../../fixtures/source/generate';

const NAMESPACES = ['shop', 'bank', 'platform', 'monitoring', 'edge'];

/** One edit of a file's text; `v` picks the variant. */
const EDITS: ((text: string, v: number) => string)[] = [
  // a Service selector value flips (and back)
  (t) => (t.includes('  selector:\n    app: x') ? t.replace('  selector:\n    app: x', '  selector:\n    app: ') : t.replace('  selector:\n    app: ', '  selector:\n    app: x')),
  // a Service and the pods of another file meet on a shared label (possibly across namespaces)
  (t) => t.replace(/ {2}selector:\n {4}app: [a-z0-9-]+/, '  selector:\n    app: shared'),
  (t) => t.replace(/ {6}labels:\n {8}app: [a-z0-9-]+/, '      labels:\n        app: shared'),
  // positions shift, nothing else changes
  (t, v) => `${'#\n'.repeat(1 + (v % 3))}${t}`,
  // the pod template labels change (the label view of the namespace changes)
  (t, v) => t.replace(/version: v[0-9]/, `version: v${4 + (v % 3)}`),
  (t) => t.replace('      labels:\n        app: ', '      labels:\n        app: z'),
  // the whole file moves to another namespace (or one no other file uses)
  (t, v) => t.replace(/namespace: ([a-z]+)/g, `namespace: ${v % 6 === 5 ? 'nowhere' : NAMESPACES[v % NAMESPACES.length]}`),
  // only the first document (the Deployment) moves: its Service now matches Pods only elsewhere
  (t, v) => t.replace(/namespace: ([a-z]+)/, `namespace: ${v % 6 === 5 ? 'nowhere' : NAMESPACES[v % NAMESPACES.length]}`),
  // a pinned namespaceSelector names another (or an unknown) namespace
  (t, v) => t.replace(/kubernetes\.io\/metadata\.name: [a-z]+/, `kubernetes.io/metadata.name: ${v % 6 === 5 ? 'nowhere' : NAMESPACES[v % NAMESPACES.length]}`),
  // Namespace objects: labels change, one disappears
  (t, v) => t.replace(/team: [a-z]+-team/, `team: t${v % 2}`),
  (t) => t.replace(/apiVersion: v1\nkind: Namespace\nmetadata:\n {2}name: [a-z]+\n(?: {2}labels:\n(?: {4}.*\n)*)?/, ''),
  // a document is cut off (the file keeps its other documents)
  (t) => t.split('---\n').slice(0, -1).join('---\n'),
  // Ingress routes collide (the same host and path in two Ingresses), one becomes a canary, another class
  (t, v) => t.replace(/- host: [a-z0-9.-]+/, `- host: shared-${v % 2}.example.com`),
  (t) => t.replace('  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /', '  annotations:\n    nginx.ingress.kubernetes.io/canary: "true"'),
  (t, v) => t.replace('ingressClassName: nginx', `ingressClassName: nginx-${v % 2}`),
  // suppression comments come (for a document, for a line, with an unknown id) and go
  (t, v) =>
    t.includes('# kni-disable')
      ? t.replace(/^ *# kni-disable.*\n/gm, '')
      : v % 3 === 0
        ? t.replace('---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy', '---\n# kni-disable networkpolicy-peer-selects-nothing\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy')
        : v % 3 === 1
          ? t.replace(/\n( *)- name: http\n( *)port: /, '\n$1# kni-disable-next-line service-blocked-by-policy, no-such-rule\n$1- name: http\n$2port: ')
          : t.replace('  selector:\n    app: ', '  selector:\n    # kni-disable-next-line service-no-matching-pods\n    app: '),
];

const op = fc.record({
  what: fc.constantFrom('edit', 'edit', 'edit', 'add', 'remove', 'rename'),
  file: fc.nat(),
  edit: fc.nat({ max: EDITS.length - 1 }),
  v: fc.nat({ max: 29 }),
  look: fc.constantFrom('findings', 'index', 'none'),
  // findingsInSteps() paused after this many steps before the change (0: none), and what happens to it after
  pause: fc.constantFrom(0, 0, 1, 2, 5),
  paused: fc.constantFrom('resume', 'findings, then resume', 'leave'),
});

function fresh(files: Map<string, string>): Analysis {
  const scratch = new Analysis();
  for (const [p, t] of [...files].reverse()) scratch.setFile(p, t);
  return scratch;
}

function modelSnapshot(m: NetworkModel): string {
  return JSON.stringify(m);
}

function indexSnapshot(a: Analysis): string {
  const index = a.index();
  const m = a.model();
  const out: unknown[] = [index.knownNamespaces()];
  for (const ns of index.knownNamespaces()) {
    out.push(
      ns,
      index.namespaceLabels(ns),
      index.isDeclaredNamespace(ns),
      index.workloadsIn(ns).map((w) => w.id),
      index.servicesIn(ns).map((s) => s.id),
      index.policiesIn(ns).map((p) => p.id),
      index.ingressesIn(ns).map((i) => i.id),
    );
  }
  for (const s of m.services) out.push(index.servicesNamed(s.namespace, s.name).map((x) => x.id), index.endpointSlicesFor(s).map((x) => x.id));
  for (const w of m.workloads) out.push(index.servicesSelecting(w).map((x) => x.id), index.policiesSelecting(w).map((x) => x.id));
  for (const p of m.networkPolicies) out.push(index.hasMatch(p.namespace, p.podSelector), index.workloadsSelectedBy(p.namespace, p.podSelector).map((x) => x.id));
  return JSON.stringify(out);
}

/**
 * Applies each edit (undefined: the file is deleted) to an incremental
 * analysis of `files` and after each compares `pick` of it with that of a
 * fresh analysis of the same files (`check` looks at the fresh one alone).
 */
function assertEditsMatchFresh(files: Map<string, string>, edits: [string, string | undefined][], pick: (a: Analysis) => string, check?: (fresh: string) => void): void {
  const inc = new Analysis();
  for (const [p, t] of files) inc.setFile(p, t);
  inc.findings();
  for (const [path, text] of edits) {
    if (text === undefined) {
      files.delete(path);
      inc.removeFile(path);
    } else {
      files.set(path, text);
      inc.setFile(path, text);
    }
    const scratch = new Analysis();
    for (const [p, t] of files) scratch.setFile(p, t);
    const fresh = pick(scratch);
    check?.(fresh);
    assert.equal(pick(inc), fresh, `after ${path}`);
  }
}

describe('Analysis: incremental equals from scratch on a generated workspace', () => {
  it('after random edits, adds, deletes and renames (findings, model and index)', function () {
    this.timeout(120_000);
    const base = generateManifests({ objects: 160, seed: 3 });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 10 }), (ops) => {
        const files = new Map(base.map((f) => [f.path, f.text]));
        const inc = new Analysis();
        for (const [p, t] of files) inc.setFile(p, t);
        inc.findings();
        let added = 0;
        for (const o of ops) {
          // A stepped run paused before the change (the editor's first findings while an edit arrives).
          let paused: Generator<void, unknown, void> | undefined;
          if (o.pause > 0) {
            paused = inc.findingsInSteps();
            for (let i = 0; i < o.pause && paused; i++) if (paused.next().done) paused = undefined; // nothing to do: it was done
          }
          const paths = [...files.keys()];
          const path = paths[o.file % paths.length];
          const text = files.get(path) as string;
          if (o.what === 'edit') {
            const edited = EDITS[o.edit](text, o.v);
            files.set(path, edited);
            inc.setFile(path, edited);
          } else if (o.what === 'add') {
            const copy = `${NAMESPACES[o.v % NAMESPACES.length]}/added-${added++}.yaml`;
            const edited = EDITS[o.edit](text, o.v);
            files.set(copy, edited);
            inc.setFile(copy, edited);
          } else if (o.what === 'remove') {
            files.delete(path);
            inc.removeFile(path);
          } else {
            const renamed = `${o.v % 2 === 0 ? 'a-' : 'z-'}${path.replace('/', '-')}`;
            files.delete(path);
            inc.removeFile(path);
            files.set(renamed, text);
            inc.setFile(renamed, text);
          }
          if (paused && o.paused !== 'leave') {
            // Resumed, it starts over on the changed files (or finishes on the model a findings() meanwhile answered for).
            if (o.paused === 'findings, then resume') inc.findings();
            let step = paused.next();
            while (!step.done) step = paused.next();
            assert.equal(JSON.stringify(step.value), JSON.stringify(fresh(files).findings()), 'a paused run resumed after a change');
          }
          if (o.look === 'findings') inc.findings();
          else if (o.look === 'index') inc.index();
        }
        const scratch = fresh(files);
        assert.equal(JSON.stringify(inc.findings()), JSON.stringify(scratch.findings()));
        assert.equal(modelSnapshot(inc.model()), modelSnapshot(scratch.model()));
        assert.equal(indexSnapshot(inc), indexSnapshot(scratch));
      }),
      { numRuns: 120, seed: 7 },
    );
  });

  it('an Ingress in a file that does not change: its backends follow the workloads and Services of other files', () => {
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  namespace: one\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: cart\n            port:\n              number: 80\n      - path: /web\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n';
    const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: one\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n`;
    const deployment = (app: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: one\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n      - name: web\n        image: web\n`;
    const files = new Map([
      ['a-ingress.yaml', ingress],
      ['b-web.yaml', service('web')],
      ['c-carts.yaml', service('carts')],
      ['d-deploy.yaml', deployment('web')],
    ]);
    assertEditsMatchFresh(
      files,
      [
        ['f-cart.yaml', service('cart')], // the missing Service comes
        ['d-deploy.yaml', deployment('api')], // the Services match no Pod now: no endpoints
        ['e-card.yaml', service('card')],
        ['f-cart.yaml', undefined], // missing again, with another name like it
        ['d-deploy.yaml', deployment('web')],
        ['c-carts.yaml', undefined],
      ],
      (a) => JSON.stringify(a.findings().filter((f) => f.rule.startsWith('ingress-backend'))),
    );
  });

  it('a Service in a file that does not change: its checks follow the workloads of other files', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: one\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n';
    const deployment = (name: string, port: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: one\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: web\n        ports:\n        - name: ${port}\n          containerPort: 8080\n`;
    const files = new Map([
      ['a-service.yaml', service],
      ['b-web.yaml', deployment('web', 'http')],
    ]);
    assertEditsMatchFresh(
      files,
      [
        ['b-web.yaml', deployment('web', 'web')], // targetPort http names no container port now
        ['c-api.yaml', deployment('api', 'http')], // a second workload behind the Service
        ['b-web.yaml', deployment('web', 'http')],
        ['c-api.yaml', undefined],
      ],
      (a) => JSON.stringify(a.findings().filter((f) => f.rule.startsWith('service-'))),
    );
  });

  it('a route taken by Ingresses of several files: the first in file order keeps it after edits of any of them', () => {
    const ingress = (name: string, ns: string, lead = '') =>
      `${lead}apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n`;
    const files = new Map([
      ['a.yaml', ingress('a', 'one')],
      ['b.yaml', ingress('b', 'two')],
      ['c.yaml', ingress('c', 'three')],
    ]);
    assertEditsMatchFresh(
      files,
      [
        ['a.yaml', ingress('a', 'one', '# moved\n')],
        ['c.yaml', ingress('c', 'three', '# moved\n')],
        ['a.yaml', undefined],
        ['a.yaml', ingress('a2', 'one')],
        ['b.yaml', ingress('b', 'two').replace('shop.example.com', 'other.example.com')],
        ['b.yaml', ingress('b', 'two')],
      ],
      (a) => JSON.stringify(a.findings().filter((f) => f.rule === 'ingress-duplicate-route')),
      (fresh) => assert.ok(fresh.length > 2, 'the route is taken twice'),
    );
  });
});
