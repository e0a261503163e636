// The Network view's tree on plain Node: namespaces → groups → objects for
// examples/shop and examples/gateway, endpoints ready as the trace engine
// counts them, finding badges, places that point at the object's name, trace
// targets the inspector can pin and inspector nodes that exist in its graph;
// a real-world file of the corpus; a 20,000-Pod cluster asked per item; ids
// that say what each row is and stay the same across edits.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import { NetworkTree, type NetworkTreeNode } from '../../../src/core/editor/network-tree';
import { buildTopologyGraph, questionsForTarget } from '../../../src/core/topology';
import { findingBadges } from '../../../src/core/topology/build-graph';
import { isTraceTarget, type TopologyGraph } from '../../../src/protocol';
import { indexGraph } from '../../../src/view-model';
import { CORPUS_DIR, skipWithoutCorpus } from '../../fixtures/corpus';
import { clusterIndex } from '../../fixtures/cluster-model';
import { houses } from '../../fixtures/admin-houses';

function analysed(files: { name: string; text: string }[]): { tree: NetworkTree; graph: TopologyGraph; texts: Map<string, string> } {
  const analysis = new Analysis();
  const texts = new Map<string, string>();
  for (const f of files) {
    analysis.setFile(f.name, f.text);
    texts.set(f.name, f.text);
  }
  const index = analysis.index();
  const findings = analysis.findings();
  return { tree: new NetworkTree(index, findings), graph: buildTopologyGraph(index, { findings, sourceLabel: 'test' }), texts };
}

function exampleFiles(name: string): { name: string; text: string }[] {
  const dir = join('examples', name);
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

function example(name: string) {
  return analysed(exampleFiles(name));
}

/** The example's files with one file's text changed. */
function edited(name: string, file: string, edit: (text: string) => string): { name: string; text: string }[] {
  return exampleFiles(name).map((f) => {
    if (!f.name.endsWith(`/${file}`)) return f;
    const text = edit(f.text);
    assert.notEqual(text, f.text, `the edit changes ${file}`);
    return { ...f, text };
  });
}

/** Every item, depth first, asking each parent for its children as a tree view does. */
function walk(tree: NetworkTree, parent?: string): NetworkTreeNode[] {
  const children = tree.children(parent);
  assert.ok(children, `no children for ${parent}`);
  return children.flatMap((n) => [n, ...(n.hasChildren ? walk(tree, n.id) : [])]);
}

const child = (tree: NetworkTree, parent: string | undefined, label: string): NetworkTreeNode => {
  const found = tree.children(parent)?.find((n) => n.label === label);
  assert.ok(found, `no ${label} under ${parent ?? 'the top'}: ${tree.children(parent)?.map((n) => n.label).join(', ')}`);
  return found;
};

describe('the Network view tree', () => {
  describe('examples/shop', () => {
    const { tree, graph, texts } = example('shop');
    const shop = child(tree, undefined, 'shop');
    const services = child(tree, shop.id, 'Services');

    it('has one namespace, its groups in a fixed order, each object sorted by name', () => {
      assert.deepEqual(tree.children()?.map((n) => n.label), ['shop']);
      assert.equal(shop.description, '4 services · 1 ingress · 5 policies');
      assert.deepEqual(tree.children(shop.id)?.map((n) => `${n.label} ${n.description}`), ['Services 4', 'Ingresses 1', 'NetworkPolicies 5']);
      assert.deepEqual(tree.children(services.id)?.map((n) => n.label), ['cart', 'catalog', 'frontend', 'redis']);
      const policies = child(tree, shop.id, 'NetworkPolicies');
      assert.deepEqual(tree.children(policies.id)?.map((n) => n.label), ['carts-from-frontend', 'catalog-from-frontend', 'default-deny-ingress', 'frontend-from-ingress-controller', 'redis-from-carts']);
    });

    it('counts ready endpoints as the trace does: a probe that always fails, a selector matching nothing, a port no Pod declares', () => {
      const described = Object.fromEntries(tree.children(services.id)!.map((n) => [n.label, n.description]));
      assert.equal(described.frontend, '0/3 ready · 80→http');
      assert.equal(described.cart, 'no endpoints · 80→http');
      assert.match(described.catalog!, /^0\/2 ready · none declares port http-api · 80→http-api, 9102→metrics$/);
      assert.match(described.redis!, /^1\/1 ready · headless · 6379→redis$/);
      const frontend = child(tree, services.id, 'frontend');
      assert.match(frontend.tooltip!, /readiness probe of container web names port "health"/);
      // Two ports: each traced on its own, with its own count.
      const catalog = child(tree, services.id, 'catalog');
      assert.deepEqual(tree.children(catalog.id)?.map((n) => `${n.kind} ${n.label}: ${n.description}`), [
        'servicePort http 80→http-api/TCP: 0/2 ready · none declares port http-api',
        'servicePort metrics 9102→metrics/TCP: 2/2 ready',
        'workload catalog: Deployment · 2 pods',
      ]);
    });

    it("badges each object with its findings, and a group and its namespace with theirs summed", () => {
      const cart = child(tree, services.id, 'cart');
      assert.deepEqual(cart.findings, { errors: 1, warnings: 0, infos: 0 });
      assert.match(cart.tooltip!, /service-no-matching-pods/);
      assert.equal(child(tree, services.id, 'frontend').findings, undefined, 'the probe finding is the Deployment\'s, not the Service\'s');
      assert.deepEqual(services.findings, { errors: 3, warnings: 0, infos: 0 });
      const ingress = child(tree, child(tree, shop.id, 'Ingresses').id, 'shop');
      const paths = tree.children(ingress.id)!;
      assert.deepEqual(paths.map((p) => `${p.label} ${p.description}`), ['shop.example.com/ → frontend:80 · Prefix', 'shop.example.com/api/catalog → catalog:8080 · Prefix']);
      assert.equal(paths[0].findings, undefined);
      assert.deepEqual(paths[1].findings, { errors: 1, warnings: 0, infos: 0 }, 'the backend port finding sits on its path');
      const sum = (key: 'errors' | 'warnings') => tree.children(shop.id)!.reduce((n, g) => n + (g.findings?.[key] ?? 0), 0);
      assert.deepEqual(shop.findings, { errors: sum('errors'), warnings: sum('warnings'), infos: 0 });
    });

    it("places each item at its object's name, or its rule or path", () => {
      for (const n of walk(tree)) {
        if (n.kind === 'group') continue;
        assert.ok(n.loc, `${n.kind} ${n.label} has no place`);
        const text = texts.get(n.loc.file)!.slice(n.loc.start, n.loc.end);
        if (['service', 'ingress', 'networkPolicy', 'workload', 'namespace'].includes(n.kind)) assert.equal(text, n.label, n.id);
        if (n.kind === 'ingressPath') assert.match(text, /path:/, n.id);
      }
    });

    it('traces what the inspector can pin, from nodes its graph draws', () => {
      const graphIndex = indexGraph(graph);
      const nodes = new Set(graph.nodes.map((n) => n.id));
      let traced = 0;
      for (const n of walk(tree)) {
        if (n.inspectorNodeId) assert.ok(nodes.has(n.inspectorNodeId), `${n.label}: ${n.inspectorNodeId} is not drawn`);
        if (!n.trace) continue;
        assert.ok(isTraceTarget(n.trace), JSON.stringify(n.trace));
        const found = questionsForTarget({ index: tree.index, graph }, graphIndex, n.trace);
        assert.ok(!('problem' in found), `${n.label}: ${JSON.stringify(found)}`);
        traced++;
      }
      const frontend = child(tree, services.id, 'frontend');
      assert.deepEqual(frontend.trace, { serviceId: frontend.inspectorNodeId!.slice('service:'.length), port: 80 });
      const ingress = child(tree, child(tree, shop.id, 'Ingresses').id, 'shop');
      assert.deepEqual(tree.children(ingress.id)!.map((p) => p.trace), [{ url: 'https://shop.example.com/' }, { url: 'https://shop.example.com/api/catalog' }]);
      // A policy rule naming Pods is traced Pod to Pod; one naming only another namespace's labels is not.
      const carts = child(tree, child(tree, shop.id, 'NetworkPolicies').id, 'carts-from-frontend');
      const [selected, rule] = tree.children(carts.id)!;
      assert.equal(selected.label, 'carts');
      assert.ok(rule.trace && 'podToPod' in rule.trace, JSON.stringify(rule));
      assert.ok(traced >= 10, `${traced} items traced`);
    });

    it('answers nothing for an id the model no longer holds, or that is not an id', () => {
      assert.equal(tree.children(JSON.stringify(['Service', 'shop', 'gone'])), undefined);
      assert.equal(tree.children(JSON.stringify(['Service', 'elsewhere', 'cart'])), undefined);
      assert.equal(tree.children(JSON.stringify(['NetworkPolicy', 'shop', 'cart'])), undefined, 'a name of another kind');
      assert.equal(tree.children(JSON.stringify(['Namespace', 'nowhere'])), undefined);
      assert.equal(tree.children(JSON.stringify(['Namespace', 'shop', 'nothing'])), undefined);
      assert.equal(tree.children('not json'), undefined);
      assert.equal(tree.children(JSON.stringify({ a: 1 })), undefined);
      // A leaf has no children (the id of a port is not its Service's).
      const catalog = child(tree, services.id, 'catalog');
      assert.equal(tree.children(tree.children(catalog.id)![0].id), undefined);
    });
  });

  describe('ids: what each row is, the same across edits', () => {
    const before = example('shop');
    const idsOf = (tree: NetworkTree) => walk(tree).map((n) => n.id);

    it('names an object by kind, namespace and name, a grouping row by its path, a part by what it is', () => {
      const shop = child(before.tree, undefined, 'shop');
      assert.deepEqual(JSON.parse(shop.id), ['Namespace', 'shop']);
      const services = child(before.tree, shop.id, 'Services');
      assert.deepEqual(JSON.parse(services.id), ['Namespace', 'shop', 'services']);
      const catalog = child(before.tree, services.id, 'catalog');
      assert.deepEqual(JSON.parse(catalog.id), ['Service', 'shop', 'catalog']);
      assert.deepEqual(before.tree.children(catalog.id)!.map((n) => JSON.parse(n.id)), [
        ['Service', 'shop', 'catalog', 'port', '80/TCP'],
        ['Service', 'shop', 'catalog', 'port', '9102/TCP'],
        ['Service', 'shop', 'catalog', 'workload', 'Deployment', 'catalog'],
      ]);
      const ingress = child(before.tree, child(before.tree, shop.id, 'Ingresses').id, 'shop');
      assert.deepEqual(before.tree.children(ingress.id)!.map((n) => JSON.parse(n.id).slice(3)), [
        ['path', 'shop.example.com', '/'],
        ['path', 'shop.example.com', '/api/catalog'],
      ]);
      const carts = child(before.tree, child(before.tree, shop.id, 'NetworkPolicies').id, 'carts-from-frontend');
      assert.deepEqual(before.tree.children(carts.id)!.map((n) => JSON.parse(n.id).slice(3)), [['workload', 'Deployment', 'carts'], ['ingress', '0']]);
      const ids = idsOf(before.tree);
      assert.equal(new Set(ids).size, ids.length, 'unique in the whole tree');
      for (const id of ids) assert.doesNotMatch(id, /\.yaml|#\d/, 'no file, no document index');
    });

    it("keeps every row's id when an edit changes a Service's findings: its badge, its namespace's and its description change", () => {
      const fixed = analysed(edited('shop', '30-cart.yaml', (t) => t.replace(/(# MISTAKE[^\n]*\n\s*app: )cart\b/, '$1carts')));
      const after = idsOf(fixed.tree);
      for (const id of idsOf(before.tree)) assert.ok(after.includes(id), `${id} after the edit`);
      assert.deepEqual(after.filter((id) => !idsOf(before.tree).includes(id)).map((id) => JSON.parse(id)), [['Service', 'shop', 'cart', 'workload', 'Deployment', 'carts']], 'the workload it now selects, added');
      const cartOf = (tree: NetworkTree) => child(tree, child(tree, child(tree, undefined, 'shop').id, 'Services').id, 'cart');
      const [was, now] = [cartOf(before.tree), cartOf(fixed.tree)];
      assert.equal(now.id, was.id);
      assert.deepEqual([was.findings, now.findings], [{ errors: 1, warnings: 0, infos: 0 }, undefined]);
      assert.deepEqual([was.description, now.description], ['no endpoints · 80→http', '2/2 ready · 80→http']);
      assert.deepEqual(child(fixed.tree, undefined, 'shop').findings!.errors, child(before.tree, undefined, 'shop').findings!.errors - 1);
      // The row expanded before the edit is asked for by its old id: the edited model answers it.
      assert.deepEqual(fixed.tree.children(was.id)!.map((n) => n.label), ['carts']);
    });

    it('keeps the ids when a document is inserted above an object, or its file renamed', () => {
      const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {a: b}\n---\n';
      const inserted = analysed(edited('shop', '30-cart.yaml', (t) => configMap + t));
      assert.deepEqual(idsOf(inserted.tree), idsOf(before.tree));
      const renamed = analysed(exampleFiles('shop').map((f) => (f.name.endsWith('30-cart.yaml') ? { ...f, name: f.name.replace('30-cart', '35-cart') } : f)));
      assert.deepEqual(idsOf(renamed.tree), idsOf(before.tree));
    });

    it('tells apart the same object written twice, and a path written twice in one Ingress', () => {
      const catalog = exampleFiles('shop').find((f) => f.name.endsWith('40-catalog.yaml'))!;
      const twice = analysed([...exampleFiles('shop'), { name: 'overlay/40-catalog.yaml', text: catalog.text }]);
      const services = child(twice.tree, child(twice.tree, undefined, 'shop').id, 'Services');
      const catalogs = twice.tree.children(services.id)!.filter((n) => n.label === 'catalog');
      assert.deepEqual(catalogs.map((n) => JSON.parse(n.id).slice(0, 3)), [['Service', 'shop', 'catalog'], ['Service', 'shop', 'catalog']]);
      assert.deepEqual(catalogs.map((n) => JSON.parse(n.id)[3].replace(/#\d+$/, '')), ['@examples/shop/40-catalog.yaml', '@overlay/40-catalog.yaml'], 'each says where it is written');
      for (const c of catalogs) assert.deepEqual(twice.tree.children(c.id)!.map((n) => n.label), ['http 80→http-api/TCP', 'metrics 9102→metrics/TCP', 'catalog'], 'each is found again by its id');
      const ids = idsOf(twice.tree);
      assert.equal(new Set(ids).size, ids.length);
      const doubled = analysed([
        {
          name: 'ingress.yaml',
          text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`,
        },
      ]);
      const ingress = child(doubled.tree, child(doubled.tree, child(doubled.tree, undefined, 'default').id, 'Ingresses').id, 'web');
      assert.deepEqual(doubled.tree.children(ingress.id)!.map((n) => JSON.parse(n.id).slice(3)), [
        ['path', 'a.example.com', '/'],
        ['path', 'a.example.com', '/', '#2'],
      ]);
    });
  });

  describe('examples/gateway', () => {
    const { tree } = example('gateway');

    it('lists a Gateway\'s routes from every namespace, says which no listener takes, and each rule with its request', () => {
      const infra = child(tree, undefined, 'infra');
      const gateway = child(tree, child(tree, infra.id, 'Gateways').id, 'public');
      assert.match(gateway.description!, /^HTTP\/80, HTTPS\/443 \*\.example\.com · 3 routes$/);
      const routes = tree.children(gateway.id)!;
      assert.deepEqual(routes.map((r) => r.label), ['https-redirect', 'store/blog', 'store/store']);
      assert.match(routes[1].description!, /not accepted$/);
      assert.equal(routes[1].trace, undefined, 'no request reaches a route no listener takes');
      const rules = tree.children(routes[2].id)!;
      assert.deepEqual(rules.map((r) => r.label), ['/ [x-canary: always]', '/', '/api/payments']);
      assert.deepEqual(rules[0].trace, { url: 'https://store.example.com/', headers: { 'x-canary': 'always' } });
      assert.equal(rules[1].description, '→ web:80 (90), web-canary:80 (10)');
      assert.equal(rules[2].inspectorNodeId?.endsWith('/2'), true);
      // The same route under its own namespace has other ids (a tree view needs them unique).
      const store = child(tree, child(tree, child(tree, undefined, 'store').id, 'Routes').id, 'store');
      assert.deepEqual(JSON.parse(store.id), ['HTTPRoute', 'store', 'store']);
      assert.deepEqual(JSON.parse(routes[2].id), ['HTTPRoute', 'store', 'store', 'via', 'infra', 'public']);
      assert.deepEqual(JSON.parse(rules[2].id), ['HTTPRoute', 'store', 'store', 'via', 'infra', 'public', 'rule', '2']);
      assert.deepEqual(tree.children(store.id)!.map((r) => r.label), rules.map((r) => r.label));
    });
  });

  describe('admin policies', () => {
    const anp = (name: string, priority: number, action: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: {namespaces: {}}
  ingress:
  - name: from-monitoring
    action: ${action}
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]`;
    const { tree } = analysed([
      {
        name: 'admin.yaml',
        text: [
          anp('pass-monitoring', 20, 'Pass'),
          anp('allow-monitoring', 10, 'Allow'),
          `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - name: deny-all
    action: Deny
    from: [{namespaces: {}}]`,
          houses(),
        ].join('\n---\n'),
      },
    ]);

    it('lists them first, cluster-wide, by priority as they are evaluated, the baseline last', () => {
      const [cluster, ...namespaces] = tree.children()!;
      assert.equal(cluster.label, 'Cluster-wide policies');
      assert.deepEqual(tree.children(cluster.id)!.map((p) => JSON.parse(p.id)), [
        ['AdminNetworkPolicy', '', 'allow-monitoring'],
        ['AdminNetworkPolicy', '', 'pass-monitoring'],
        ['BaselineAdminNetworkPolicy', '', 'default'],
      ]);
      assert.equal(cluster.description, '3 admin policies');
      assert.deepEqual(namespaces.map((n) => n.kind), [], 'the houses hold no Service or policy: no namespace to list');
      assert.deepEqual(tree.children(cluster.id)!.map((p) => `${p.label}: ${p.description}`), [
        'allow-monitoring: AdminNetworkPolicy · priority 10 · ingress Allow',
        'pass-monitoring: AdminNetworkPolicy · priority 20 · ingress Pass',
        'default: BaselineAdminNetworkPolicy · ingress Deny',
      ]);
      for (const p of tree.children(cluster.id)!) assert.ok(p.loc, `${p.label} has its place`);
    });
  });

  describe('a real-world file (Azure-Samples/aks-store-demo)', () => {
    const file = join(CORPUS_DIR, 'Azure-Samples__aks-store-demo', 'aks-store-ingress-quickstart.yaml');

    it('lists its Services with their endpoints and its Ingress with its path', function () {
      skipWithoutCorpus(this, file);
      const { tree } = analysed([{ name: file, text: readFileSync(file, 'utf8') }]);
      const ns = child(tree, undefined, 'default');
      assert.equal(ns.description, '4 services · 1 ingress');
      const services = tree.children(child(tree, ns.id, 'Services').id)!;
      assert.deepEqual(services.map((s) => s.label), ['order-service', 'product-service', 'rabbitmq', 'store-front']);
      assert.deepEqual(services.map((s) => s.description), ['1/1 ready · 3000', '1/1 ready · 3002', '1/1 ready · 5672, 15672', '1/1 ready · 80→8080']);
      const ingress = child(tree, child(tree, ns.id, 'Ingresses').id, 'store-front');
      const [path] = tree.children(ingress.id)!;
      assert.match(path.description!, /^→ store-front:80/);
    });
  });

  describe('a 20,000-Pod cluster', () => {
    const { index, findings } = clusterIndex(20_000);
    const tree = new NetworkTree(index, findings);

    it('answers per item: 20 namespaces, then one namespace\'s Services with their EndpointSlices counted', () => {
      const top = tree.children()!;
      assert.equal(top.length, 20);
      assert.deepEqual(top.slice(0, 3).map((n) => n.label), ['team-0', 'team-1', 'team-10']);
      assert.equal(top[0].description, '100 services · 1 policy');
      const services = tree.children(child(tree, top[0].id, 'Services').id)!;
      assert.equal(services.length, 100);
      for (const s of services) assert.match(s.description!, /^10\/10 ready · 80→http$/, s.label);
      assert.ok(services.every((s) => s.loc === undefined), 'a cluster object is written in no file');
      const [workload] = tree.children(services[0].id)!;
      assert.equal(workload.description, 'Deployment · 10 pods');
    });

    it("badges the objects it shows as the inspector does, without listing the Pods", () => {
      const small = clusterIndex(2_000);
      const all = findingBadges(small.index, small.findings);
      const withoutPods = findingBadges(small.index, small.findings, { pods: false });
      const pods = new Set(small.index.model.workloads.flatMap((w) => w.pods.map((p) => p.id)));
      assert.ok([...all.keys()].some((id) => pods.has(id)) && [...all.keys()].some((id) => !pods.has(id)), 'Pods and policies carry findings');
      assert.deepEqual(new Map([...all].filter(([id]) => !pods.has(id))), withoutPods);
    });
  });
});
