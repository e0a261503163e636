// The hover of a NetworkPolicy rule naming Pods says what the Pod-to-Pod
// traces of its lenses answer (allowed, blocked, and why), on
// examples/shop: the carts policy admits the frontend; the redis policy
// names the wrong port, so the carts' traffic to redis is blocked. An egress
// rule naming the world outside keeps its own part.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { hoverAt } from '../../../src/core/editor/hover-text';
import { textMark } from '../../../src/core/editor/marks';

function shop() {
  const analysis = new Analysis();
  const files = readdirSync('examples/shop').map((f) => join('examples/shop', f));
  for (const f of files) analysis.setFile(f, readFileSync(f, 'utf8'));
  return analysis.index();
}
const POLICIES = 'examples/shop/60-network-policies.yaml';
const style = { link: (_: unknown, label: string) => label, mark: textMark };

describe('topology: Pod-to-Pod hovers on NetworkPolicy rules', () => {
  const index = shop();
  const text = readFileSync(POLICIES, 'utf8');
  const objects = index.model.networkPolicies.filter((p) => p.origin.file === POLICIES);
  const ruleOf = (name: string, direction: 'ingress' | 'egress' = 'ingress') => objects.find((p) => p.name === name)![direction][0].loc!;

  it('an ingress rule admitting the frontend: allowed, traced from it straight to a carts Pod', () => {
    const loc = ruleOf('carts-from-frontend');
    const h = hoverAt([{ objects, index, at: (l) => l }], loc.start, style);
    assert.ok(h, text.slice(loc.start, loc.end));
    assert.deepEqual([h.loc.start, h.loc.end], [loc.start, loc.end]);
    assert.match(h.text, /^\*\*Ingress rule 0\*\* of NetworkPolicy `shop\/carts-from-frontend`, traced Pod to Pod:\n\n- ✓ from `shop\/frontend` to `shop\/carts` port 8080: \*\*allowed\*\*: reaches a Pod of shop\/Deployment\/carts/);
  });

  it('a rule on a port redis does not listen on: the traffic it meets is blocked, and the hover says by what', () => {
    const h = hoverAt([{ objects, index, at: (l) => l }], ruleOf('redis-from-carts').start, style);
    assert.match(h!.text, /- ✗ from `shop\/carts` to `shop\/redis` port 6379: \*\*blocked\*\*: NetworkPolicy drops it: ingress at shop\/StatefulSet\/redis: DENIED/);
  });

  it('a peer podSelector keeps its own hover (what it selects)', () => {
    const h = hoverAt([{ objects, index, at: (l) => l }], text.indexOf('app: frontend', ruleOf('carts-from-frontend').start), style);
    assert.match(h!.text, /^\*\*Peer podSelector/);
  });
});
