// "Did you mean": what a selector that matches nothing says about the
// workloads that almost match (a typo in a value, a key, a missing label, the
// same labels in another namespace), the listing of many workloads, and the
// fixes' text: a value YAML would read as a boolean stays a string, the
// existing quote style is kept, and JSON files get JSON strings.
import assert from 'node:assert/strict';
import { applyEdits, findingsOf, fixed, seen } from './seen';

const NEAR_MISSES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: flag
  namespace: a
spec:
  selector:
    matchLabels:
      enabled: "true"
  template:
    metadata:
      labels:
        enabled: "true"
        app: flag
    spec:
      containers:
        - name: c
---
apiVersion: v1
kind: Service
metadata:
  name: flag
  namespace: a
spec:
  selector:
    enabled: 'trve'
---
apiVersion: v1
kind: Service
metadata:
  name: keyed
  namespace: a
spec:
  selector:
    ap: flag
    enabled: "true"
---
apiVersion: v1
kind: Service
metadata:
  name: tiered
  namespace: a
spec:
  selector:
    app: flag
    tier: web
---
apiVersion: v1
kind: Service
metadata:
  name: elsewhere
  namespace: b
spec:
  selector:
    app: flag
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w1
  namespace: a
spec:
  selector:
    matchLabels: {app: many, i: "1"}
  template:
    metadata:
      labels: {app: many, i: "1"}
    spec:
      containers: [{name: c}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w2
  namespace: a
spec:
  selector:
    matchLabels: {app: many, i: "2"}
  template:
    metadata:
      labels: {app: many, i: "2"}
    spec:
      containers: [{name: c}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w3
  namespace: a
spec:
  selector:
    matchLabels: {app: many, i: "3"}
  template:
    metadata:
      labels: {app: many, i: "3"}
    spec:
      containers: [{name: c}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w4
  namespace: a
spec:
  selector:
    matchLabels: {app: many, i: "4"}
  template:
    metadata:
      labels: {app: many, i: "4"}
    spec:
      containers: [{name: c}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w5
  namespace: a
spec:
  selector:
    matchLabels: {app: many, i: "5"}
  template:
    metadata:
      labels: {app: many, i: "5"}
    spec:
      containers: [{name: c}]
---
apiVersion: v1
kind: Service
metadata:
  name: many
  namespace: a
spec:
  selector:
    app: many
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: typo
  namespace: a
spec:
  defaultBackend:
    service:
      name: flg
      port:
        number: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: answer
  namespace: a
spec:
  selector:
    matchLabels: {ok: "yes"}
  template:
    metadata:
      labels: {ok: "yes"}
    spec:
      containers: [{name: c}]
---
apiVersion: v1
kind: Service
metadata:
  name: answer
  namespace: a
spec:
  selector:
    ok: ye
`;

describe('what a user reads: near misses and their fixes', () => {
  it('every finding, in order, as shown', () => {
    assert.deepEqual(seen(NEAR_MISSES), [
      {
        "rule": "service-no-matching-pods",
        "severity": "error",
        "at": "26 enabled: 'trve'",
        "message": "Selector enabled=trve of Service a/flag matches no Pod in namespace a, so it has no endpoints. Deployment a/flag has enabled=true. Change the selector to enabled=true or fix the labels.",
        "related": [
          "13 enabled: \"true\": Deployment a/flag has enabled=true"
        ],
        "fixes": [
          "Change the selector to enabled=true (preferred): 26 'trve' -> 'true'"
        ]
      },
      {
        "rule": "service-no-matching-pods",
        "severity": "error",
        "at": "35 ap: flag",
        "message": "Selector ap=flag, enabled=true of Service a/keyed matches no Pod in namespace a, so it has no endpoints. Deployment a/flag has app=flag (not ap). Fix the selector or the pod labels.",
        "related": [
          "13 enabled: \"true\": Deployment a/flag has app=flag (not ap)"
        ]
      },
      {
        "rule": "service-no-matching-pods",
        "severity": "error",
        "at": "45 app: flag",
        "message": "Selector app=flag, tier=web of Service a/tiered matches no Pod in namespace a, so it has no endpoints. Deployment a/flag matches except that it has no tier label. Fix the selector or the pod labels.",
        "related": [
          "13 enabled: \"true\": Deployment a/flag matches except that it has no tier label"
        ]
      },
      {
        "rule": "service-no-matching-pods",
        "severity": "error",
        "at": "55 app: flag",
        "message": "Selector app=flag of Service b/elsewhere matches no Pod in namespace b, so it has no endpoints. It matches Deployment a/flag, but selectors only reach Pods in their own namespace; move one of them or fix the selector."
      },
      {
        "rule": "service-selects-many-workloads",
        "severity": "info",
        "at": "134 app: many",
        "message": "Selector app=many of Service a/many matches the pods of 5 workloads: Deployment a/w1, Deployment a/w2, Deployment a/w3, Deployment a/w4 and 1 more. If only one should receive its traffic, add a label that tells them apart.",
        "related": [
          "67 {app: many, i: \"1\"}: Deployment a/w1 is selected",
          "81 {app: many, i: \"2\"}: Deployment a/w2 is selected",
          "95 {app: many, i: \"3\"}: Deployment a/w3 is selected",
          "109 {app: many, i: \"4\"}: Deployment a/w4 is selected",
          "123 {app: many, i: \"5\"}: Deployment a/w5 is selected"
        ]
      },
      {
        "rule": "ingress-backend-service-missing",
        "severity": "error",
        "at": "144 flg",
        "message": "Ingress a/typo sends the default backend to Service flg, which is not in namespace a of the set (did you mean flag?). Add the Service or fix the name; an Ingress can only use Services in its own namespace.",
        "fixes": [
          "Change the Service name to flag (preferred): 144 flg -> flag"
        ]
      },
      {
        "rule": "service-no-matching-pods",
        "severity": "error",
        "at": "169 ok: ye",
        "message": "Selector ok=ye of Service a/answer matches no Pod in namespace a, so it has no endpoints. Deployment a/answer has ok=yes. Change the selector to ok=yes or fix the labels.",
        "related": [
          "158 {ok: \"yes\"}: Deployment a/answer has ok=yes"
        ],
        "fixes": [
          "Change the selector to ok=yes (preferred): 169 ye -> \"yes\""
        ]
      }
    ]);
  });

  it('each preferred fix, applied, leaves a selector that matches (and YAML still reads a string)', () => {
    const flag = fixed(NEAR_MISSES, 'service-no-matching-pods', 'Service a/flag ');
    assert.match(flag, /\n {4}enabled: 'true'\n/);
    const answer = fixed(NEAR_MISSES, 'service-no-matching-pods', 'Service a/answer ');
    assert.match(answer, /\n {4}ok: "yes"\n/);
    const typo = fixed(NEAR_MISSES, 'ingress-backend-service-missing');
    assert.match(typo, /\n {6}name: flag\n/);
    for (const text of [flag, answer]) assert.equal(findingsOf(text).filter((f) => f.rule === 'service-no-matching-pods').length, 4, 'one of five fixed');
    assert.ok(!findingsOf(typo).some((f) => f.rule === 'ingress-backend-service-missing'));
  });

  it('a JSON file gets a JSON string', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'carts' }, spec: { selector: { matchLabels: { app: 'carts' } }, template: { metadata: { labels: { app: 'carts' } }, spec: { containers: [{ name: 'c' }] } } } };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart' }, spec: { selector: { app: 'cart' }, ports: [{ port: 80 }] } };
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment, svc] }, null, 2);
    const f = findingsOf(text, 'app.json').find((x) => x.rule === 'service-no-matching-pods');
    assert.ok(f, 'the selector app=cart matches nothing');
    const fix = f.fixes.find((x) => x.preferred);
    assert.ok(fix, 'one clear fix');
    assert.equal(fix.title, 'Change the selector to app=carts');
    assert.deepEqual(fix.edits.map((e) => e.newText), ['"carts"']);
    const after = applyEdits(text, fix.edits);
    assert.equal(JSON.parse(after).items[1].spec.selector.app, 'carts');
    assert.ok(!findingsOf(after, 'app.json').some((x) => x.rule === 'service-no-matching-pods'));
  });
});
