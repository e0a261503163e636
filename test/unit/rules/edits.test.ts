// What each rule says after files are edited one at a time, as the editor
// re-lints: the findings (with their locations, related locations and fixes)
// must be those a fresh lint of the same files gives, at every step, and the
// steps must change what the user reads. Each scenario makes one rule's
// inputs change in another file than the finding's (a Service added, a Pod's
// labels, a namespace a peer names), over at least three re-analyses, since
// a re-analysis keeps a subject's findings while its inputs stay the same.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import type { Finding } from '../../../src/core/findings/types';

function render(f: Finding): string {
  const fixes = f.fixes.filter((x) => !x.title.startsWith('Disable ')).map((x) => `${x.title}: ${x.edits.map((e) => `${e.loc.start}-${e.loc.end} ${e.newText}`).join('; ')}`);
  const related = f.related.map((r) => `${r.loc.file}@${r.loc.start}: ${r.message}`);
  return `${f.rule} ${f.severity} ${f.loc.file}@${f.loc.start}-${f.loc.end}: ${f.message}${related.length ? ` [${related.join(' | ')}]` : ''}${fixes.length ? ` {${fixes.join(' | ')}}` : ''}`;
}

/** An editor session over some files: each step edits one file and checks the findings against a fresh lint. */
class Session {
  private readonly texts = new Map<string, string>();
  private readonly analysis = new Analysis();

  constructor(files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) {
      this.texts.set(path, text);
      this.analysis.setFile(path, text);
    }
  }

  /** Sets (or, with undefined, removes) a file and returns the findings of `rules`, checked against a fresh lint. */
  edit(path: string, text: string | undefined, rules: string[]): string[] {
    if (text === undefined) {
      this.texts.delete(path);
      this.analysis.removeFile(path);
    } else {
      this.texts.set(path, text);
      this.analysis.setFile(path, text);
    }
    return this.findings(rules);
  }

  findings(rules: string[]): string[] {
    const scratch = new Analysis();
    for (const [p, t] of this.texts) scratch.setFile(p, t);
    const pick = (a: Analysis) => a.findings().filter((f) => rules.includes(f.rule)).map(render);
    const fresh = pick(scratch);
    assert.deepEqual(pick(this.analysis), fresh);
    return fresh;
  }
}

const messages = (lines: string[]) => lines.map((l) => l.replace(/^\S+ \S+ [^:]+: /, '').split(' [')[0].split(' {')[0]);

function deployment(ns: string, name: string, labels: Record<string, string>, ports = ''): string {
  const l = Object.entries(labels).map(([k, v]) => `        ${k}: ${v}`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
${l.replace(/^ {4}/gm, '')}
  template:
    metadata:
      labels:
${l}
    spec:
      containers:
        - name: main
          image: app${ports}
`;
}

function service(ns: string, name: string, selector?: Record<string, string>, port = 80): string {
  const sel = selector ? `  selector:\n${Object.entries(selector).map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n` : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${sel}  ports:
    - port: ${port}
`;
}

describe('findings after edits, as a fresh lint gives them', () => {
  it('Ingress backends: a Service added, its Pods deployed, a similar name, the default backend', () => {
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: front
  namespace: web
spec:
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: site
                port:
                  number: 80
`;
    const rules = ['ingress-backend-service-missing', 'ingress-backend-no-endpoints'];
    const s = new Session({ 'ingress.yaml': ingress });
    assert.deepEqual(messages(s.findings(rules)), [
      'Ingress web/front sends the default backend to Service fallback, which is not in namespace web of the set. Add the Service or fix the name; an Ingress can only use Services in its own namespace.',
      'Ingress web/front sends shop.example.com/ to Service site, which is not in namespace web of the set. Add the Service or fix the name; an Ingress can only use Services in its own namespace.',
    ]);
    // The Service comes: its selector matches nothing yet.
    assert.deepEqual(messages(s.edit('site.yaml', service('web', 'site', { app: 'site' }), rules)).slice(1), [
      "Ingress web/front sends shop.example.com/ to Service web/site, whose selector matches no workload, so these requests fail (503). Fix the Service's selector or deploy its Pods.",
    ]);
    // Its Pods come in another file.
    assert.equal(s.edit('deploy.yaml', deployment('web', 'site', { app: 'site' }), rules).length, 1);
    // A Service with a name one letter off: the default backend's finding offers it.
    assert.match(s.edit('other.yaml', service('web', 'fallbak'), rules)[0], /did you mean fallbak\?/);
    // The default backend's Service comes: nothing left.
    assert.deepEqual(s.edit('fallback.yaml', service('web', 'fallback'), rules), []);
    // And goes again.
    assert.equal(s.edit('fallback.yaml', undefined, rules).length, 1);
  });

  it('ingress-backend-service-missing: a Service with a name one letter off comes and goes', () => {
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: lone
  namespace: web
spec:
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
`;
    const rules = ['ingress-backend-service-missing'];
    const s = new Session({ 'ingress.yaml': ingress });
    assert.doesNotMatch(s.edit('deploy.yaml', deployment('web', 'site', { app: 'site' }), rules)[0], /did you mean/);
    assert.match(s.edit('other.yaml', service('web', 'fallbak'), rules)[0], /did you mean fallbak\?/);
    assert.doesNotMatch(s.edit('other.yaml', service('web', 'unrelated'), rules)[0], /did you mean/);
  });

  it('ingress-duplicate-route: a route added before its holders, two Ingresses of one file, a new default class', () => {
    const ing = (name: string, path: string, cls?: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: web
spec:
${cls ? `  ingressClassName: ${cls}\n` : ''}  rules:
    - http:
        paths:
          - path: ${path}
            pathType: Prefix
            backend:
              service:
                name: site
                port:
                  number: 80
`;
    const rules = ['ingress-duplicate-route'];
    const s = new Session({ 'b.yaml': ing('b', '/', 'nginx'), 'c.yaml': ing('c', '/', 'nginx'), 'a.yaml': ing('a', '/admin', 'nginx') });
    assert.deepEqual(messages(s.findings(rules)), [
      'Ingress web/c routes */ (Prefix) like Ingress web/b (both class nginx); which backend gets the requests depends on the controller. Remove one route, or give them different hosts or paths.',
    ]);
    s.edit('a.yaml', ing('a', '/admin', 'nginx') + '#\n', rules);
    // a.yaml sorts first: its route is now the first holder, b and c its duplicates.
    assert.deepEqual(
      messages(s.edit('a.yaml', ing('a', '/', 'nginx'), rules)).map((m) => m.split(' (both')[0]),
      ['Ingress web/b routes */ (Prefix) like Ingress web/a', 'Ingress web/c routes */ (Prefix) like Ingress web/a'],
    );
    // Two Ingresses in one file take the route: the earlier one in the text holds it.
    assert.deepEqual(
      messages(s.edit('a.yaml', `${ing('a', '/', 'nginx')}---\n${ing('a2', '/', 'nginx')}`, rules)).map((m) => m.split(' (both')[0]),
      ['Ingress web/a2 routes */ (Prefix) like Ingress web/a', 'Ingress web/b routes */ (Prefix) like Ingress web/a', 'Ingress web/c routes */ (Prefix) like Ingress web/a'],
    );
    // An Ingress without class shares the route only once a default IngressClass says which class it has.
    assert.equal(s.edit('d.yaml', ing('d', '/', undefined), rules).length, 3);
    const nginxDefault = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
`;
    assert.match(s.edit('class.yaml', nginxDefault, rules)[3], /^ingress-duplicate-route warning d\.yaml.*Ingress web\/d routes \*\/ \(Prefix\) like Ingress web\/a \(both class nginx\)/);
    assert.equal(s.edit('class.yaml', nginxDefault.replace('"true"', '"false"'), rules).length, 3);
  });

  it('networkpolicy-peer-selects-nothing: Pods come in the namespaces the peers name', () => {
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow
  namespace: a
spec:
  podSelector: {}
  ingress:
    - from:
        - ipBlock:
            cidr: 10.0.0.0/8
        - podSelector:
            matchLabels:
              app: local
        - namespaceSelector:
            matchExpressions:
              - key: kubernetes.io/metadata.name
                operator: In
                values: [b, c]
          podSelector:
            matchLabels:
              app: remote
`;
    const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
    const rules = ['networkpolicy-peer-selects-nothing'];
    const s = new Session({ 'policy.yaml': policy, 'ns.yaml': `${ns('a')}---\n${ns('b')}---\n${ns('c')}` });
    assert.deepEqual(messages(s.findings(rules)), [
      "The from peer podSelector app=local of NetworkPolicy a/allow matches no workload in namespace a (without a namespaceSelector a peer is in the policy's own namespace), so it admits nothing. Fix the labels, or add a namespaceSelector if the Pods live elsewhere.",
      'The from peer podSelector app=remote of NetworkPolicy a/allow matches no workload in namespaces b and c (chosen by its namespaceSelector), so it admits nothing. Fix the labels or the namespaceSelector.',
    ]);
    s.edit('x.yaml', deployment('c', 'x', { app: 'other' }), rules);
    assert.equal(s.edit('local.yaml', deployment('a', 'local', { app: 'local' }), rules).length, 1);
    assert.deepEqual(s.edit('remote.yaml', deployment('b', 'remote', { app: 'remote' }), rules), []);
    assert.equal(s.edit('remote.yaml', deployment('b', 'remote', { app: 'gone' }), rules).length, 1);
    assert.deepEqual(s.edit('x.yaml', deployment('c', 'x', { app: 'remote' }), rules), []);
    assert.equal(s.edit('local.yaml', undefined, rules).length, 1);
  });

  it('service-no-selector: an EndpointSlice for the Service comes and goes', () => {
    const slice = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext-1
  namespace: web
  labels:
    kubernetes.io/service-name: ext
addressType: IPv4
endpoints:
  - addresses: [10.1.2.3]
ports:
  - port: 80
`;
    const rules = ['service-no-selector', 'service-no-matching-pods'];
    const s = new Session({ 'svc.yaml': service('web', 'ext'), 'site.yaml': service('web', 'site', { app: 'site' }) });
    assert.deepEqual(
      s.findings(rules).map((l) => l.split(':')[0]),
      ['service-no-matching-pods error site.yaml@91-100', 'service-no-selector info svc.yaml@47-50'],
    );
    assert.equal(s.edit('slice.yaml', slice, rules).length, 1);
    assert.equal(s.edit('deploy.yaml', deployment('web', 'site', { app: 'site' }), rules).length, 0);
    assert.equal(s.edit('slice.yaml', undefined, rules).length, 1);
    assert.equal(s.edit('slice.yaml', slice, rules).length, 0);
  });
});
