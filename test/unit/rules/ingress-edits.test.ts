// Duplicate Ingress routes while files are edited: the findings after each
// change are those a fresh lint of the same files gives (the re-analysis
// updates its route table instead of rebuilding it), and the finding names the
// route's first holder in file order.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { placeIn } from './seen';

function ingressText(name: string, path: string, host?: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: web
spec:
  ingressClassName: nginx
  rules:
    - ${host ? `host: ${host}\n      ` : ''}http:
        paths:
          - path: ${path}
            pathType: Prefix
            backend:
              service:
                name: site
                port:
                  number: 80
`;
}

/** "file line underlined: message" of each duplicate-route finding, and the first related location. */
function duplicates(a: Analysis, texts: Record<string, string>): string[] {
  return a
    .findings()
    .filter((f) => f.rule === 'ingress-duplicate-route')
    .map((f) => `${f.loc.file} ${placeIn(texts[f.loc.file], f.loc, f.loc.file)}: ${f.message} [${f.related.map((r) => `${r.loc.file} ${placeIn(texts[r.loc.file], r.loc, r.loc.file)}: ${r.message}`).join('; ')}]`);
}

function fresh(texts: Record<string, string>): string[] {
  const a = new Analysis();
  for (const [p, t] of Object.entries(texts)) a.setFile(p, t);
  return duplicates(a, texts);
}

describe('ingress-duplicate-route while files change', () => {
  it('appears, moves and goes as the routes are edited, as a fresh lint says', () => {
    const texts: Record<string, string> = { 'a.yaml': ingressText('a', '/'), 'b.yaml': ingressText('b', '/shop') };
    const a = new Analysis();
    for (const [p, t] of Object.entries(texts)) a.setFile(p, t);
    assert.deepEqual(duplicates(a, texts), []);

    // b now routes the same hostless path as a: b is the duplicate, a its first holder.
    texts['b.yaml'] = ingressText('b', '/');
    a.setFile('b.yaml', texts['b.yaml']);
    const both = [
      'b.yaml 11 path: /: Ingress web/b routes */ (Prefix) like Ingress web/a (both class nginx); which backend gets the requests depends on the controller. Remove one route, or give them different hosts or paths. [a.yaml 11 path: /: the same route in Ingress web/a]',
    ];
    assert.deepEqual(duplicates(a, texts), both);
    assert.deepEqual(fresh(texts), both);

    // A third file with the route: named after the first holder too.
    texts['c.yaml'] = ingressText('c', '/');
    a.setFile('c.yaml', texts['c.yaml']);
    assert.deepEqual(duplicates(a, texts), fresh(texts));
    assert.equal(duplicates(a, texts).length, 2);
    assert.ok(duplicates(a, texts).every((d) => d.includes('like Ingress web/a ')));

    // a leaves the route: b is now its first holder, c the duplicate.
    texts['a.yaml'] = ingressText('a', '/admin');
    a.setFile('a.yaml', texts['a.yaml']);
    assert.deepEqual(duplicates(a, texts), fresh(texts));
    assert.deepEqual(
      duplicates(a, texts).map((d) => d.split(' (both')[0]),
      ['c.yaml 11 path: /: Ingress web/c routes */ (Prefix) like Ingress web/b'],
    );

    // With a host: the host is in the message.
    texts['b.yaml'] = ingressText('b', '/', 'shop.example.com');
    texts['c.yaml'] = ingressText('c', '/', 'shop.example.com');
    a.setFile('b.yaml', texts['b.yaml']);
    a.setFile('c.yaml', texts['c.yaml']);
    assert.deepEqual(duplicates(a, texts), fresh(texts));
    assert.deepEqual(
      duplicates(a, texts).map((d) => d.split(' (both')[0]),
      ['c.yaml 12 path: /: Ingress web/c routes shop.example.com/ (Prefix) like Ingress web/b'],
    );

    // Removing a file drops its routes: nothing left to duplicate.
    delete texts['b.yaml'];
    a.removeFile('b.yaml');
    assert.deepEqual(duplicates(a, texts), []);
  });
});
