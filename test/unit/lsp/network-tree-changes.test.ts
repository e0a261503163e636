// The Network view's change contract in the server (src/server/network-tree.ts),
// on a stub connection: once a client asked about a scope it hears of every
// later change of that scope's model, whether or not it asked again since;
// announcements and answers carry the scope's version; nothing is said when
// nothing changed, nor about a scope no client asked about.
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver';
import { NetworkTreeService } from '../../../src/server/network-tree';
import { NETWORK_TREE_CHANGED_NOTIFICATION, type GraphScope, type NetworkTreeChangedParams, type NetworkTreeParams, type NetworkTreeResult } from '../../../src/protocol';
import { clusterIndex } from '../../fixtures/cluster-model';

type Model = ReturnType<typeof clusterIndex>;

/** A server's Network view over models the test swaps, with what it announced. */
function server() {
  const models: Record<GraphScope, Model | undefined> = { files: clusterIndex(200), cluster: undefined };
  const announced: NetworkTreeChangedParams[] = [];
  const waiting: ((p: NetworkTreeChangedParams) => void)[] = [];
  /** Resolves when the service's change timer read the models (it reads them just before announcing). */
  let modelRead: (() => void) | undefined;
  let handler: ((params: NetworkTreeParams) => Promise<NetworkTreeResult>) | undefined;
  const connection = {
    onRequest: (method: string, h: typeof handler) => (handler = h),
    sendNotification: (method: string, params: NetworkTreeChangedParams) => {
      assert.equal(method, NETWORK_TREE_CHANGED_NOTIFICATION);
      announced.push(params);
      waiting.shift()?.(params);
    },
  } as unknown as Connection;
  const service = new NetworkTreeService(connection, {
    model: (scope) => {
      modelRead?.();
      return models[scope];
    },
    place: () => undefined,
    ready: () => Promise.resolve(),
  });
  service.register();
  return {
    models,
    announced,
    service,
    ask: (parent?: string, scope: GraphScope = 'files') => handler!({ scope, ...(parent !== undefined ? { parent } : {}) }),
    nextAnnouncement: () => new Promise<NetworkTreeChangedParams>((done) => waiting.push(done)),
    /** Resolves once the change timer has run and every timer due with it (setImmediate runs after the timers phase). */
    timerRan: () => new Promise<void>((done) => (modelRead = () => ((modelRead = undefined), setImmediate(done)))),
  };
}

/** The same objects, analysed again: a new model, as an edit makes one. */
const again = (m: Model): Model => ({ index: m.index, findings: [...m.findings] });

describe('kni lsp: the Network view change contract', () => {
  let s: ReturnType<typeof server>;
  beforeEach(() => (s = server()));
  afterEach(() => s.service.dispose());

  it('answers with the version of the model it answers from: the same while the model is, higher after a change', async () => {
    const first = await s.ask();
    assert.equal((await s.ask(first.items[0].id)).version, first.version);
    s.models.files = again(s.models.files!);
    assert.equal((await s.ask()).version, first.version + 1);
  });

  it('announces every change to a client that asked once, though it did not ask again', async () => {
    const first = await s.ask();
    s.models.files = again(s.models.files!);
    s.service.changed('files');
    assert.deepEqual(await s.nextAnnouncement(), { scope: 'files', version: first.version + 1 });
    // Not asked again (a hidden view asks nothing): the next change is announced all the same.
    s.models.files = again(s.models.files!);
    s.service.changed();
    assert.deepEqual(await s.nextAnnouncement(), { scope: 'files', version: first.version + 2 });
    assert.equal((await s.ask()).version, first.version + 2, 'the answer is of the model announced');
  });

  it('announces a change though the client asked for a part of the new model before the announcement was due', async () => {
    const top = await s.ask();
    s.models.files = again(s.models.files!);
    s.service.changed('files');
    // A row expanded meanwhile is answered from the new model; the top level the view shows is still the old one.
    const part = await s.ask(top.items[0].id);
    assert.equal(part.version, top.version + 1);
    assert.deepEqual(await s.nextAnnouncement(), { scope: 'files', version: top.version + 1 });
  });

  it('says nothing when the model did not change, nor about a scope no client asked about', async () => {
    await s.ask();
    s.service.changed('files');
    const ran = s.timerRan();
    s.models.cluster = clusterIndex(100);
    s.service.changed();
    await ran;
    assert.equal(s.announced.length, 0, 'the same files model; a cluster never asked about');
    // Asked about, the cluster's next change is announced.
    const cluster = await s.ask(undefined, 'cluster');
    s.models.cluster = again(s.models.cluster);
    s.service.changed('cluster');
    assert.deepEqual(await s.nextAnnouncement(), { scope: 'cluster', version: cluster.version + 1 });
    assert.deepEqual(s.announced.map((a) => a.scope), ['cluster']);
  });

  it('announces a scope that lost its model (a cluster disconnected), which then answers why it is empty', async () => {
    s.models.cluster = clusterIndex(100);
    const before = await s.ask(undefined, 'cluster');
    s.models.cluster = undefined;
    s.service.changed('cluster');
    assert.deepEqual(await s.nextAnnouncement(), { scope: 'cluster', version: before.version + 1 });
    assert.deepEqual(await s.ask(undefined, 'cluster'), { scope: 'cluster', version: before.version + 1, items: [], empty: 'No cluster is connected.' });
  });
});
