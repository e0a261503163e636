// The live cluster over the language server, against the test API server:
// untrusted, nothing is read (contexts and connect refused, saying why);
// trusted, no credential plugin of a kubeconfig in the workspace (a folder added
// after start-up too), the kubeconfig's contexts, a connection's status notifications
// (connecting, synced, a partial read with what is unread), the cluster's
// graph and its patches after a watch event, drift diagnostics in an open
// manifest, and a disconnect that clears them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CLUSTER_STATUS_NOTIFICATION,
  CLUSTER_VIEW_NOTIFICATION,
  CLUSTER_WARNING_NOTIFICATION,
  CONNECT_REQUEST,
  DISCONNECT_REQUEST,
  DRIFT_CODE,
  GRAPH_CHANGED_NOTIFICATION,
  GRAPH_REQUEST,
  INDEX_STATE_NOTIFICATION,
  LIST_CONTEXTS_REQUEST,
  TRACE_REQUEST,
  type ClusterStatusParams,
  type ClusterViewParams,
  type ClusterWarningParams,
  type CompactGraph,
  type ContextsResult,
  type GraphChangedParams,
  type GraphResult,
  type IndexStateParams,
  type TraceResult,
} from '../../../src/protocol';
import { RULES } from '../../../src/core/rules/catalogue';
import { UNTRUSTED_MESSAGE } from '../../../src/server/cluster';
import { applyGraphPatch, decodeGraph } from '../../../src/view-model';
import { testTempDir, type TestApiServer } from '../../k8s-api-server/server';
import { startClient, type Client } from '../../fixtures/lsp/scripted-client';
import { pod, shopServer } from '../cluster/helpers';

const CART = resolve('examples/shop/30-cart.yaml');
const CART_URI = pathToFileURL(CART).href;

describe('kni lsp: the live cluster', function () {
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

  it('reads no kubeconfig in an untrusted workspace and says why', async () => {
    srv = await shopServer({ control: true });
    process.env.KUBECONFIG = srv.kubeconfigPath;
    for (const initializationOptions of [undefined, {}, { trusted: 'yes' }]) {
      c = await startClient({ initializationOptions });
      await assert.rejects(c.rpc.sendRequest(LIST_CONTEXTS_REQUEST), (e: Error) => e.message === UNTRUSTED_MESSAGE);
      await assert.rejects(c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test' }), (e: Error) => e.message === UNTRUSTED_MESSAGE);
      await c.close();
    }
    c = undefined;
    assert.deepEqual(srv.requests, [], 'the API server was never contacted');
  });

  it('lists the contexts, connects, draws the cluster and follows it, with drift in an open manifest', async () => {
    srv = await shopServer();
    process.env.KUBECONFIG = srv.kubeconfigPath;
    c = await startClient({ initializationOptions: { trusted: true } });
    const contexts = await c.rpc.sendRequest<ContextsResult>(LIST_CONTEXTS_REQUEST);
    assert.deepEqual(contexts, { files: [srv.kubeconfigPath], contexts: [{ name: 'kni-test', cluster: 'kni-test', namespace: 'default' }], current: 'kni-test', problems: [] });

    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: CART_URI, languageId: 'yaml', version: 1, text: readFileSync(CART, 'utf8') } });
    await c.waitFor(CART_URI, (d) => d.length > 0);
    await assert.rejects(c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test', namespaces: ['Shop!'] }), /not a namespace name \(lowercase letters, digits and -, at most 63 characters\): Shop!/);
    const answered = await c.rpc.sendRequest<ClusterStatusParams>(CONNECT_REQUEST, { context: 'kni-test' });
    assert.equal(answered.state, 'connecting');
    assert.equal(answered.message, 'Reading the kubeconfig for context "kni-test"…');
    assert.equal(answered.context, 'kni-test');
    const synced = await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (s) => s.state === 'synced' && s.counts !== undefined, 0, 'a synced status');
    assert.deepEqual([synced.partial, synced.unread, synced.namespaces], [false, [], []]);
    assert.ok(synced.counts && synced.counts.error + synced.counts.warning + synced.counts.info > 0, "the cluster's findings are counted");

    // Drift: the file's cart Service against the cluster's.
    const drift = await c.waitFor(CART_URI, (d) => d.some((x) => x.code === DRIFT_CODE));
    const item = drift.find((x) => x.code === DRIFT_CODE);
    assert.equal(item?.message, 'In cluster kni-test, Service shop/cart has ports api 8080→8080 (this file: http 80→http).');
    assert.equal(item?.severity, 3);
    assert.ok(drift.some((x) => x.code === 'service-no-matching-pods'), "the file's own findings stay beside the drift");

    // The cluster's graph, and the files' with the files / cluster control.
    const g = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'cluster', subscribe: true });
    assert.deepEqual(g.view, { current: 'cluster', cluster: 'kni-test' });
    const graph = decodeGraph(g.graph as CompactGraph);
    assert.equal(graph.sourceLabel, '⎈ kni-test');
    assert.ok(graph.nodes.some((n) => n.kind === 'pod'), 'Pods are drawn');
    const files = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' });
    assert.deepEqual(files.view, { current: 'files', cluster: 'kni-test' });

    // A watch event: a new Pod of the frontend comes as a patch of the graph held.
    const since = c.notifications(GRAPH_CHANGED_NOTIFICATION).length;
    srv.add(pod('frontend-7d4b9c-new', { app: 'frontend', hash: '7d4b9c', ip: '10.244.1.99', node: 'node-a' }));
    const change = await c.waitForNotification<GraphChangedParams>(GRAPH_CHANGED_NOTIFICATION, (p) => p.scope === 'cluster', since, 'the cluster graph after a watch event');
    assert.ok('patch' in change);
    assert.equal(change.baseVersion, g.version);
    const patched = applyGraphPatch(graph, change.patch);
    assert.ok(patched.nodes.some((n) => n.kind === 'pod' && n.label === 'frontend-7d4b9c-new'));
    const trace = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'cluster', target: { url: 'http://shop.example.com/' } });
    assert.ok(trace.trace?.fromEngine, trace.problem);

    // Disconnected: no cluster graph, no drift.
    const off = await c.rpc.sendRequest<ClusterStatusParams>(DISCONNECT_REQUEST);
    assert.equal(off.state, 'disconnected');
    await c.waitFor(CART_URI, (d) => d.length > 0 && !d.some((x) => x.code === DRIFT_CODE));
    assert.deepEqual(await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'cluster' }), { scope: 'cluster', version: 0, graph: null });
  });

  it("numbers its statuses and times each view on the epoch's clock", async () => {
    srv = await shopServer();
    process.env.KUBECONFIG = srv.kubeconfigPath;
    c = await startClient({ initializationOptions: { trusted: true } });
    const askedAt = performance.timeOrigin + performance.now();
    const answered = await c.rpc.sendRequest<ClusterStatusParams>(CONNECT_REQUEST, { context: 'kni-test' });
    const synced = await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (s) => s.state === 'synced' && s.counts !== undefined, 0, 'a synced status');
    const statuses = c.notifications(CLUSTER_STATUS_NOTIFICATION) as ClusterStatusParams[];
    const versions = [answered.version, ...statuses.map((s) => s.version)].sort((a, b) => a - b);
    assert.equal(new Set(versions).size, versions.length, `each status has its own version: ${versions.join(', ')}`);
    assert.ok(synced.version > answered.version, 'the synced status is newer than the answer to connect');

    const first = await c.waitForNotification<ClusterViewParams>(CLUSTER_VIEW_NOTIFICATION, (t) => t.resync, 0, "the first sync's view");
    assert.deepEqual([first.context, first.pods], ['kni-test', 9], "the shop fixture's Pods");
    assert.equal(first.findings, synced.counts ? synced.counts.error + synced.counts.warning + synced.counts.info : NaN);
    const now = performance.timeOrigin + performance.now();
    assert.ok(askedAt <= first.changedAt && first.changedAt <= first.viewAt && first.viewAt <= now, `times on the epoch's clock, in order: ${askedAt} ≤ ${first.changedAt} ≤ ${first.viewAt} ≤ ${now}`);

    // A watch event: its view says when the event arrived.
    const since = c.notifications(CLUSTER_VIEW_NOTIFICATION).length;
    srv.add(pod('frontend-7d4b9c-new', { app: 'frontend', hash: '7d4b9c', ip: '10.244.1.99', node: 'node-a' }));
    const event = await c.waitForNotification<ClusterViewParams>(CLUSTER_VIEW_NOTIFICATION, () => true, since, "a watch event's view");
    assert.equal(event.resync, false);
    assert.equal(event.pods, 10);
    assert.ok(event.receivedAt !== undefined && event.receivedAt <= event.changedAt && event.changedAt <= event.viewAt, JSON.stringify(event));

  });

  it("names where the client's user chooses namespaces, for a role that may not list them", async () => {
    srv = await shopServer();
    srv.namespaceRole(['default']);
    process.env.KUBECONFIG = srv.kubeconfigPath;
    c = await startClient({ initializationOptions: { trusted: true } });
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test', namespacesHint: 'choose them in the picker' });
    const w = await c.waitForNotification<ClusterWarningParams>(CLUSTER_WARNING_NOTIFICATION, (p) => /no permission to list namespaces/.test(p.message), 0, 'the namespace warning');
    assert.match(w.message, /To see more, choose them in the picker, or ask for permission to list namespaces\.$/);
  });

  it("gives a files subscriber the files / cluster control as an empty patch when a cluster connects, and takes it away on disconnect", async () => {
    srv = await shopServer();
    process.env.KUBECONFIG = srv.kubeconfigPath;
    c = await startClient({ initializationOptions: { trusted: true } });
    const files = await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files', subscribe: true });
    assert.equal(files.view, undefined);
    const since = c.notifications(GRAPH_CHANGED_NOTIFICATION).length;
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test' });
    const on = await c.waitForNotification<GraphChangedParams>(GRAPH_CHANGED_NOTIFICATION, (p) => p.scope === 'files' && p.view !== undefined, since, 'the files graph with the control');
    assert.ok('patch' in on && on.baseVersion === files.version, 'a patch of the graph held');
    assert.deepEqual(on.view, { current: 'files', cluster: 'kni-test' });
    assert.deepEqual([on.patch.nodes, on.patch.removedNodes, on.patch.edges, on.patch.removedEdges], [[], [], [], []], 'the files did not change');
    const after = c.notifications(GRAPH_CHANGED_NOTIFICATION).length;
    await c.rpc.sendRequest(DISCONNECT_REQUEST);
    const off = await c.waitForNotification<GraphChangedParams>(GRAPH_CHANGED_NOTIFICATION, (p) => p.scope === 'files', after, 'the files graph without the control');
    assert.ok('patch' in off && off.baseVersion === on.version);
    assert.equal(off.view, undefined);
  });

  it('says a partial read once, in the status and a warning', async () => {
    srv = await shopServer();
    srv.forbid('networkpolicies');
    process.env.KUBECONFIG = srv.kubeconfigPath;
    c = await startClient({ initializationOptions: { trusted: true } });
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test', namespaces: ['shop'] });
    const s = await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (p) => p.state === 'synced' && p.partial, 0, 'a partial synced status');
    assert.deepEqual(s.namespaces, ['shop']);
    assert.deepEqual(s.unread.map((u) => [u.resource, u.namespace]), [['networkpolicies', 'shop']]);
    const w = await c.waitForNotification<ClusterWarningParams>(CLUSTER_WARNING_NOTIFICATION, () => true, 0, 'a warning');
    assert.match(w.message, /networkpolicies/);
    const g = decodeGraph((await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'cluster' })).graph as CompactGraph);
    assert.equal(g.sourceLabel, '⎈ kni-test · shop (partial: networkpolicies not readable)');
  });

  it("never runs a credential plugin of a kubeconfig inside the workspace's folders, even trusted", async () => {
    srv = await shopServer();
    const workspace = testTempDir('kni-lsp-ws-');
    const marker = join(workspace, 'plugin-ran');
    const plugin = join(workspace, 'plugin.js');
    writeFileSync(plugin, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); process.exit(1);`);
    const kubeconfigPath = join(workspace, 'kubeconfig');
    writeFileSync(kubeconfigPath, readFileSync(srv.writeKubeconfig({ exec: { command: process.execPath, args: [plugin] } }, 'ws-exec'), 'utf8'));
    process.env.KUBECONFIG = kubeconfigPath;
    c = await startClient({ root: workspace, initializationOptions: { trusted: true } });
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test' });
    const s = await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (p) => p.state === 'error', 0, 'an error status');
    assert.match(s.message, /Plugins run only from your own kubeconfig/);
    assert.equal(existsSync(marker), false, 'the plugin did not run');
    assert.deepEqual(srv.requests, []);
  });

  it('takes a workspace folder added after start-up as its own: a kubeconfig in it runs no plugin', async () => {
    srv = await shopServer();
    const first = testTempDir('kni-lsp-ws-');
    const added = testTempDir('kni-lsp-added-');
    const marker = join(added, 'plugin-ran');
    const plugin = join(added, 'plugin.js');
    writeFileSync(plugin, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); process.exit(1);`);
    const kubeconfigPath = join(added, 'kubeconfig');
    writeFileSync(kubeconfigPath, readFileSync(srv.writeKubeconfig({ exec: { command: process.execPath, args: [plugin] } }, 'added-exec'), 'utf8'));
    process.env.KUBECONFIG = kubeconfigPath;
    c = await startClient({ root: first, initializationOptions: { trusted: true }, capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } } });
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (p) => p.reason === 'scan', 0, 'the first scan');
    const since = c.notifications(INDEX_STATE_NOTIFICATION).length;
    await c.rpc.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: pathToFileURL(added).href, name: 'added' }], removed: [] } });
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (p) => p.reason === 'scan', since, 'the scan of the folders as they are now');
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test' });
    const s = await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (p) => p.state === 'error', 0, 'an error status');
    assert.match(s.message, /Plugins run only from your own kubeconfig/);
    assert.equal(existsSync(marker), false, 'the plugin did not run');
    assert.deepEqual(srv.requests, []);
  });

  it("checks the cluster with the rules of the folders' .kni.yaml as the folders are now", async () => {
    srv = await shopServer();
    process.env.KUBECONFIG = srv.kubeconfigPath;
    const first = testTempDir('kni-lsp-ws-');
    const next = testTempDir('kni-lsp-next-');
    writeFileSync(join(next, '.kni.yaml'), `rules:\n${RULES.map((r) => `  ${r.id}: off`).join('\n')}\n`);
    c = await startClient({ root: first, initializationOptions: { trusted: true }, capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } } });
    await c.waitForNotification<IndexStateParams>(INDEX_STATE_NOTIFICATION, (p) => p.reason === 'scan', 0, 'the first scan');
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'kni-test' });
    const total = (s: ClusterStatusParams) => (s.counts ? s.counts.error + s.counts.warning + s.counts.info : NaN);
    const synced = await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (s) => s.state === 'synced' && s.counts !== undefined, 0, 'a synced status');
    assert.ok(total(synced) > 0, 'the first folder has no .kni.yaml: every rule on');
    const since = c.notifications(CLUSTER_STATUS_NOTIFICATION).length;
    await c.rpc.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: pathToFileURL(next).href, name: 'next' }], removed: [{ uri: pathToFileURL(first).href, name: 'root' }] } });
    await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (s) => s.state === 'synced' && total(s) === 0, since, "a status after the new folder's .kni.yaml turned every rule off");
  });

  it('reports a context the kubeconfig does not have as an error status', async () => {
    srv = await shopServer();
    process.env.KUBECONFIG = srv.kubeconfigPath;
    c = await startClient({ initializationOptions: { trusted: true } });
    await c.rpc.sendRequest(CONNECT_REQUEST, { context: 'no-such-context' });
    const s = await c.waitForNotification<ClusterStatusParams>(CLUSTER_STATUS_NOTIFICATION, (p) => p.state === 'error', 0, 'an error status');
    assert.match(s.message, /no-such-context/);
  });
});
