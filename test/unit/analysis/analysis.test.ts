import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Analysis } from '../../../src/core/analysis';
import type { Finding, TextEdit } from '../../../src/core/findings/types';

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.loc.start - a.loc.start)) out = out.slice(0, e.loc.start) + e.newText + out.slice(e.loc.end);
  return out;
}

const SHOP = `apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    app: cart
  ports:
    - port: 80
      targetPort: "8080"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: carts
  namespace: shop
spec:
  selector:
    matchLabels:
      app: carts
  template:
    metadata:
      labels:
        app: carts
    spec:
      containers:
        - name: app
          image: carts
          ports:
            - containerPort: 8080
`;

function analyse(files: Record<string, string>): Analysis {
  const a = new Analysis();
  for (const [p, t] of Object.entries(files)) a.setFile(p, t);
  return a;
}

describe('Analysis: fixes as text edits', () => {
  it('changes the selector value to the near miss, and that clears the finding', () => {
    const a = analyse({ 'shop.yaml': SHOP });
    const f = a.findings().find((x) => x.rule === 'service-no-matching-pods') as Finding;
    assert.ok(f);
    const fix = f.fixes.find((x) => x.preferred);
    assert.ok(fix, 'a preferred fix');
    assert.equal(fix.title, 'Change the selector to app=carts');
    const fixed = applyEdits(SHOP, fix.edits);
    assert.match(fixed, /selector:\n {4}app: carts\n/);
    a.setFile('shop.yaml', fixed);
    assert.equal(a.findings().filter((x) => x.rule === 'service-no-matching-pods').length, 0);
  });
  it('writes a quoted numeric targetPort as a number', () => {
    const a = analyse({ 'shop.yaml': SHOP });
    const f = a.findings().find((x) => x.rule === 'service-port-invalid') as Finding;
    assert.ok(f, 'quoted "8080" is reported');
    const fixed = applyEdits(SHOP, (f.fixes.find((x) => x.preferred) as Finding['fixes'][number]).edits);
    assert.match(fixed, /targetPort: 8080\n/);
  });
  it('every finding in a YAML file can be disabled for its line, with the line indentation', () => {
    const a = analyse({ 'shop.yaml': SHOP });
    const f = a.findings().find((x) => x.rule === 'service-no-matching-pods') as Finding;
    const disable = f.fixes.find((x) => x.title === 'Disable service-no-matching-pods for this line');
    assert.ok(disable);
    const text = applyEdits(SHOP, disable.edits);
    assert.match(text, /\n {2}selector:\n {4}# kni-disable-next-line service-no-matching-pods\n {4}app: cart\n/);
    a.setFile('shop.yaml', text);
    assert.equal(a.findings().filter((x) => x.rule === 'service-no-matching-pods').length, 0);
    assert.equal(a.findings().filter((x) => x.rule === 'service-port-invalid').length, 1, 'other rules still report');
  });
  it('JSON files get no comment fix', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } }, null, 2);
    const a = analyse({ 's.json': json });
    const f = a.findings().find((x) => x.rule === 'service-no-matching-pods') as Finding;
    assert.ok(f);
    assert.equal(f.fixes.filter((x) => x.title.startsWith('Disable')).length, 0);
  });
});

describe('Analysis: suppression comments', () => {
  it('kni-disable at the top of a document silences the rule in that document only', () => {
    const text = `# kni-disable service-no-matching-pods
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {selector: {app: a}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {selector: {app: b}, ports: [{port: 80}]}
`;
    const names = analyse({ 'x.yaml': text }).findings().filter((f) => f.rule === 'service-no-matching-pods').map((f) => f.object?.name);
    assert.deepEqual(names, ['b']);
  });
  it('kni-disable after content does nothing; unknown ids are reported at the id', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: a}
# kni-disable service-no-matching-pods
# kni-disable-next-line service-no-matchng-pods
spec: {selector: {app: a}, ports: [{port: 80}]}
`;
    const fs = analyse({ 'x.yaml': text }).findings();
    assert.equal(fs.filter((f) => f.rule === 'service-no-matching-pods').length, 1);
    const unknown = fs.filter((f) => f.rule === 'unknown-rule-id');
    assert.equal(unknown.length, 1);
    assert.equal(unknown[0].severity, 'warning');
    assert.equal(text.slice(unknown[0].loc.start, unknown[0].loc.end), 'service-no-matchng-pods');
    assert.match(unknown[0].message, /Did you mean service-no-matching-pods\?/);
  });
  it('disable-next-line takes several ids and stacks over comments', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: a}
spec:
  # kni-disable-next-line service-no-matching-pods, service-port-invalid
  # another comment
  selector: {app: a}
  ports: [{port: 80}]
`;
    assert.equal(analyse({ 'x.yaml': text }).findings().length, 0);
  });
});

describe('Analysis: namespaces', () => {
  it('manifests without a namespace get the configured default', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: x}, ports: [{port: 80}]}\n';
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec: {selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: i}]}}}\n';
    const a = new Analysis();
    a.setFile('s.yaml', svc);
    a.setFile('d.yaml', dep);
    assert.equal(a.findings().filter((f) => f.rule === 'service-no-matching-pods').length, 1);
    const b = new Analysis({ defaultNamespace: 'shop' });
    b.setFile('s.yaml', svc);
    b.setFile('d.yaml', dep);
    assert.equal(b.findings().filter((f) => f.rule === 'service-no-matching-pods').length, 0);
  });
});

// ------------------------------------------------------------ incremental == from scratch

const NAMESPACES = ['a', 'b', ''];
const APPS = ['web', 'api', 'db'];
const doc = fc.oneof(
  fc.record({ kind: fc.constant('svc'), ns: fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...APPS), port: fc.constantFrom(80, 8080), target: fc.constantFrom('http', '8080', 'none') }),
  fc.record({ kind: fc.constant('dep'), ns: fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...APPS), port: fc.constantFrom(80, 8080), named: fc.boolean() }),
  fc.record({ kind: fc.constant('np'), ns: fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...APPS, ''), from: fc.constantFrom(...APPS), fromNs: fc.constantFrom(...NAMESPACES), port: fc.constantFrom(80, 8080) }),
  fc.record({ kind: fc.constant('ing'), ns: fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...APPS), host: fc.constantFrom('a.com', 'b.com') }),
  fc.record({ kind: fc.constant('nsobj'), ns: fc.constantFrom('a', 'b'), team: fc.constantFrom('x', 'y') }),
);
type Doc = ReturnType<typeof doc.generate>['value'];

function render(d: Doc, i: number): string {
  const ns = 'ns' in d && d.ns ? `, namespace: ${d.ns}` : '';
  switch (d.kind) {
    case 'svc': {
      const t = d.target === 'none' ? '' : d.target === 'http' ? ', targetPort: http' : ', targetPort: 8080';
      return `apiVersion: v1\nkind: Service\nmetadata: {name: ${d.app}${ns}}\nspec:\n  selector: {app: ${d.app}}\n  ports: [{port: ${d.port}${t}}]\n`;
    }
    case 'dep':
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${d.app}-${i}${ns}}\nspec:\n  selector: {matchLabels: {app: ${d.app}}}\n  template:\n    metadata: {labels: {app: ${d.app}}}\n    spec:\n      containers:\n        - name: c\n          image: x\n          ports: [{containerPort: ${d.port}${d.named ? ', name: http' : ''}}]\n`;
    case 'np': {
      const sel = d.app ? `{matchLabels: {app: ${d.app}}}` : '{}';
      const nsSel = d.fromNs ? `, namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${d.fromNs}}}` : '';
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np-${i}${ns}}\nspec:\n  podSelector: ${sel}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: ${d.from}}}${nsSel}}]\n      ports: [{port: ${d.port}}]\n`;
    }
    case 'ing':
      return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing-${i}${ns}}\nspec:\n  rules:\n    - host: ${d.host}\n      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: ${d.app}, port: {number: 80}}}}]}\n`;
    case 'nsobj':
      return `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${d.ns}, labels: {team: ${d.team}}}\n`;
  }
}

const op = fc.record({ file: fc.integer({ min: 0, max: 5 }), docs: fc.array(doc, { minLength: 0, maxLength: 3 }), remove: fc.boolean() });

function snapshot(findings: Finding[]): string {
  return JSON.stringify(findings);
}

describe('Analysis: incremental equals from scratch', () => {
  it('after any sequence of edits and removals', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const inc = new Analysis();
        const files = new Map<string, string>();
        for (const o of ops) {
          const path = `f${o.file}.yaml`;
          if (o.remove) {
            inc.removeFile(path);
            files.delete(path);
          } else {
            const text = o.docs.map((d, i) => render(d, o.file * 10 + i)).join('---\n');
            inc.setFile(path, text);
            files.set(path, text);
          }
          inc.findings();
        }
        const scratch = new Analysis();
        for (const [p, t] of [...files].reverse()) scratch.setFile(p, t);
        assert.equal(snapshot(inc.findings()), snapshot(scratch.findings()));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
