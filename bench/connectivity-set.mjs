// The synthetic set of bench/connectivity-cli.bench.mjs as manifest files:
// deterministic (seeded PRNG), Deployments in 40 namespaces (one file per
// namespace), NetworkPolicies as in connectivity.bench.mjs (a default deny per
// namespace, the rest selecting by tier or app, with podSelector,
// namespaceSelector, both, In expressions and ipBlock peers, numbered, named and
// ranged ports, a fifth with egress rules).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from './support.mjs';

export function writeConnectivitySet(dir, workloads, { policies: POLICIES = 500, apps: APPS = 300 } = {}) {
  const rand = seededRandom(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const NAMESPACES = Array.from({ length: 40 }, (_, i) => `team-${i}`);
  const TIERS = ['web', 'api', 'db', 'cache', 'worker'];
  const files = new Map(NAMESPACES.map((ns, i) => [ns, [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {team: ${ns}, env: ${i % 2 ? 'prod' : 'dev'}}\n`]]));
  for (let i = 0; i < workloads; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length];
    const tier = pick(TIERS);
    const app = `app-${i % APPS}`;
    const port = tier === 'db' ? 5432 : tier === 'cache' ? 6379 : 8080;
    files.get(ns).push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: w-${i}, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${app}, tier: ${tier}}}
  template:
    metadata: {labels: {app: ${app}, tier: ${tier}, version: v${i % 3}}}
    spec:
      containers:
        - name: c
          image: example/app:1
          ports: [{containerPort: ${port}, name: http}, {containerPort: 9090, name: metrics}]
`);
  }
  const yamlSel = (labels) => `{matchLabels: {${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')}}}`;
  const peer = () => {
    const r = rand();
    if (r < 0.4) return `{podSelector: ${yamlSel({ tier: pick(TIERS) })}}`;
    if (r < 0.6) return `{namespaceSelector: ${yamlSel({ team: pick(NAMESPACES) })}}`;
    if (r < 0.8) return `{namespaceSelector: ${yamlSel({ env: pick(['prod', 'dev']) })}, podSelector: ${yamlSel({ tier: pick(TIERS) })}}`;
    if (r < 0.9) return `{podSelector: {matchExpressions: [{key: app, operator: In, values: [app-${Math.floor(rand() * APPS)}, app-${Math.floor(rand() * APPS)}]}]}}`;
    return '{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}';
  };
  const ports = () => {
    const r = rand();
    if (r < 0.3) return '';
    if (r < 0.6) return `, ports: [{protocol: TCP, port: ${pick([8080, 5432, 6379])}}]`;
    if (r < 0.8) return ', ports: [{protocol: TCP, port: http}]';
    return ', ports: [{protocol: TCP, port: 30000, endPort: 32767}, {protocol: UDP, port: 53}]';
  };
  for (let i = 0; i < POLICIES; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length];
    if (i < NAMESPACES.length) {
      files.get(ns).push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-${i}, namespace: ${ns}}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`);
      continue;
    }
    const egress = rand() < 0.2;
    const rules = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `    - {from: [${Array.from({ length: 1 + Math.floor(rand() * 2) }, peer).join(', ')}]${ports()}}`);
    const podSelector = rand() < 0.5 ? yamlSel({ tier: pick(TIERS) }) : yamlSel({ app: `app-${Math.floor(rand() * APPS)}` });
    let doc = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p-${i}, namespace: ${ns}}\nspec:\n  podSelector: ${podSelector}\n  policyTypes: [${egress ? 'Ingress, Egress' : 'Ingress'}]\n  ingress:\n${rules.join('\n')}\n`;
    if (egress) doc += `  egress:\n    - {to: [${peer()}]${ports()}}\n`;
    files.get(ns).push(doc);
  }
  for (const [ns, docs] of files) writeFileSync(join(dir, `${ns}.yaml`), docs.join('---\n'));
}
