// The Network view over the language server: the tree asked per item, each
// object's place as a range of its file, a change notification after each edit
// (asked for or not) and the tree it then answers, the
// cluster scope without a cluster, and bad requests refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLUSTER_STATUS_NOTIFICATION, CONNECT_REQUEST, NETWORK_TREE_CHANGED_NOTIFICATION, NETWORK_TREE_REQUEST, type ClusterStatusParams, type NetworkTreeChangedParams, type NetworkTreeItem, type NetworkTreeResult } from '../../../src/protocol';
import type { TestApiServer } from '../../k8s-api-server/server';
import { startClient, type Client } from '../../fixtures/lsp/scripted-client';
import { pod, shopServer } from '../cluster/helpers';

const SHOP = resolve('examples/shop');
const CART = join(SHOP, '30-cart.yaml');
const CART_URI = pathToFileURL(CART).href;

describe('kni lsp: the Network view', function () {
  this.timeout(30_000);
  let c: Client | undefined;
  let srv: TestApiServer | undefined;
  const kubeconfig = process.env.KUBECONFIG;
  afterEach(async () => {
    await c?.close();
    c = undefined;
    await srv?.close();
    srv = undefined;
    if (kubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = kubeconfig;
  });

  const ask = (parent?: string, scope = 'files') => (c as Client).rpc.sendRequest<NetworkTreeResult>(NETWORK_TREE_REQUEST, { scope, ...(parent !== undefined ? { parent } : {}) });
  const named = (items: NetworkTreeItem[], label: string) => {
    const found = items.find((i) => i.label === label);
    assert.ok(found, `no ${label} in ${items.map((i) => i.label).join(', ')}`);
    return found;
  };
  const services = async (scope = 'files') => {
    const shop = named((await ask(undefined, scope)).items, 'shop');
    return (await ask(named((await ask(shop.id, scope)).items, 'Services').id, scope)).items;
  };

  it('answers the tree per item, each object at its name in its file', async () => {
    c = await startClient();
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const top = await ask();
    assert.equal(top.scope, 'files');
    assert.deepEqual(top.items.map((i) => [i.kind, i.label, i.description]), [['namespace', 'shop', '4 services · 1 ingress · 5 policies']]);
    const list = await services();
    const cart = named(list, 'cart');
    assert.equal(cart.description, 'no endpoints · 80→http');
    assert.deepEqual(cart.findings, { errors: 1, warnings: 0, infos: 0 });
    assert.equal(cart.location?.uri, CART_URI);
    const lines = readFileSync(CART, 'utf8').split('\n');
    const { start, end } = cart.location!.range;
    assert.equal(lines[start.line].slice(start.character, end.character), 'cart');
    assert.ok(cart.trace && 'serviceId' in cart.trace && cart.trace.port === 80);
    assert.equal(cart.inspectorNodeId, `service:${(cart.trace as { serviceId: string }).serviceId}`);
    // The frontend's readiness probe always fails: none of its 3 endpoints is ready.
    assert.match(named(list, 'frontend').description!, /^0\/3 ready/);
  });

  it('says the tree changed after an edit and answers the edited model, and again after the next edit', async () => {
    c = await startClient();
    await c.waitFor(CART_URI, (d) => d.length > 0);
    assert.equal(named(await services(), 'cart').description, 'no endpoints · 80→http');
    const text = readFileSync(CART, 'utf8');
    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: CART_URI, languageId: 'yaml', version: 1, text } });
    const fixed = text.replace(/(# MISTAKE[^\n]*\n\s*app: )cart\b/, '$1carts');
    assert.notEqual(fixed, text);
    const since = c.notifications(NETWORK_TREE_CHANGED_NOTIFICATION).length;
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 2 }, contentChanges: [{ text: fixed }] });
    const change = await c.waitForNotification<NetworkTreeChangedParams>(NETWORK_TREE_CHANGED_NOTIFICATION, (p) => p.scope === 'files', since, 'a tree change after the edit');
    assert.equal(change.scope, 'files');
    const answered = await ask();
    assert.ok(answered.version >= change.version, `answered version ${answered.version}, announced ${change.version}`);
    const cart = named(await services(), 'cart');
    assert.equal(cart.description, '2/2 ready · 80→http');
    assert.equal(cart.findings, undefined, 'the fixed selector has no finding');
    // Two more edits, the client asking nothing between them (a hidden view): each is said, the last one's version higher.
    const after = c.notifications(NETWORK_TREE_CHANGED_NOTIFICATION).length;
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 3 }, contentChanges: [{ text }] });
    const second = await c.waitForNotification<NetworkTreeChangedParams>(NETWORK_TREE_CHANGED_NOTIFICATION, () => true, after, 'a second tree change');
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: CART_URI, version: 4 }, contentChanges: [{ text: fixed }] });
    const third = await c.waitForNotification<NetworkTreeChangedParams>(NETWORK_TREE_CHANGED_NOTIFICATION, (p) => p.version > second.version, after, 'a third tree change, not asked for');
    assert.equal((await ask()).version, third.version);
    assert.equal(named(await services(), 'cart').description, '2/2 ready · 80→http');
  });

  it('says an item the model no longer holds is unknown, and why a scope is empty', async () => {
    c = await startClient();
    await c.waitFor(CART_URI, (d) => d.length > 0);
    const gone = await ask(JSON.stringify(['Service', 'shop', 'gone']));
    assert.deepEqual([gone.scope, gone.items, gone.unknownParent], ['files', [], true]);
    assert.deepEqual(await ask(undefined, 'cluster'), { scope: 'cluster', version: 0, items: [], empty: 'No cluster is connected.' });
    await assert.rejects(ask(undefined, 'everything'), /scope must be one of files, cluster/);
    await assert.rejects(c.rpc.sendRequest(NETWORK_TREE_REQUEST, { scope: 'files', parent: 7 }), /parent is an item's id/);
  });

  it('says a workspace without Kubernetes objects has nothing to show', async () => {
    c = await startClient({ root: resolve('test/fixtures/lsp') });
    const top = await ask();
    assert.deepEqual(top.items, []);
    assert.match(top.empty ?? '', /no Kubernetes Service, Ingress, Gateway, route or NetworkPolicy/);
  });

  it("answers a connected cluster's tree, its objects in no file, and says when a watch event changed it", async () => {
    srv = await shopServer();
    process.env.KUBECONFIG = srv.kubeconfigPath;
    c = await startClient({ initializationOptions: { trusted: true } });
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test' });
    await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (s) => s.state === 'synced', 0, 'a synced status');
    const frontend = named(await services('cluster'), 'frontend');
    assert.equal(frontend.location, undefined, 'a cluster object is written in no file');
    // Counted from the cluster's EndpointSlices, as kube-proxy reads them (one of cart's endpoints is not ready).
    assert.deepEqual((await services('cluster')).map((s) => [s.label, s.description]), [
      ['cart', '1/2 ready · 8080'],
      ['catalog', '1/2 ready · 80→http'],
      ['frontend', '2/2 ready · NodePort · 80→http'],
      ['redis', '1/1 ready · headless · 6379'],
    ]);
    assert.deepEqual((await ask(frontend.id, 'cluster')).items.map((i) => [i.label, i.description]), [['frontend', 'Deployment · 2 pods']]);
    const since = c.notifications(NETWORK_TREE_CHANGED_NOTIFICATION).length;
    srv.add(pod('frontend-7d4b9c-new', { app: 'frontend', hash: '7d4b9c', ip: '10.244.1.99', node: 'node-a' }));
    await c.waitForNotification(NETWORK_TREE_CHANGED_NOTIFICATION, (p: { scope: string }) => p.scope === 'cluster', since, 'a tree change after the watch event');
    const [workload] = (await ask(named(await services('cluster'), 'frontend').id, 'cluster')).items;
    assert.equal(workload.description, 'Deployment · 3 pods');
    // Its EndpointSlice does not list the new Pod yet: kube-proxy does not send to it.
    assert.equal(named(await services('cluster'), 'frontend').description, '2/2 ready · NodePort · 80→http');
  });
});
