// The editor's index without VS Code: which texts it analyses, which files'
// findings changed, and chunked ingestion that yields to the event loop.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { expandBraces, IndexEngine, looksLikeManifest } from '../../../src/core/workspace/index-engine';

const SERVICE = (sel: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: ${sel}\n  ports:\n    - port: 80\n`;
const DEPLOYMENT = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          ports:\n            - containerPort: 80\n`;

describe('editor index engine', () => {
  it('analyses only texts that may hold Kubernetes objects', () => {
    assert.equal(looksLikeManifest(SERVICE('web')), true);
    assert.equal(looksLikeManifest('{"apiVersion": "v1", "kind": "Service"}'), true);
    assert.equal(looksLikeManifest('- apiVersion: v1\n  kind: List\n'), true);
    assert.equal(looksLikeManifest('name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n'), false);
    assert.equal(looksLikeManifest('{"name": "pkg", "version": "1.0.0"}'), false);
    assert.equal(looksLikeManifest('{ // tsconfig\n "compilerOptions": {} }'), false);
  });

  it('reports the files whose findings changed, across files', () => {
    const engine = new IndexEngine(new Analysis({}));
    engine.setText('svc.yaml', SERVICE('webb'));
    engine.setText('deploy.yaml', DEPLOYMENT);
    engine.setText('ci.yaml', 'jobs: {}\n');
    assert.equal(engine.size, 2, 'the CI file is not analysed');
    let u = engine.update();
    assert.deepEqual(u.changed, ['svc.yaml']);
    assert.deepEqual(u.byFile.get('svc.yaml')?.map((f) => f.rule), ['service-no-matching-pods']);
    // Same text: nothing to redo.
    assert.equal(engine.setText('svc.yaml', SERVICE('webb')), false);
    assert.deepEqual(engine.update().changed, []);
    // The other end changes: the Service's file is the one whose findings change.
    engine.setText('deploy.yaml', DEPLOYMENT.replace(/app: web/g, 'app: webb'));
    u = engine.update();
    assert.deepEqual(u.changed, ['svc.yaml']);
    assert.equal(u.byFile.has('svc.yaml'), false);
    // A text that no longer holds Kubernetes objects leaves the index.
    engine.setText('deploy.yaml', '# emptied\n');
    assert.equal(engine.size, 1);
    assert.deepEqual(engine.update().changed, ['svc.yaml']);
  });

  it("sets an edited file's diagnostics again even when its findings' offsets did not move (their lines may have)", () => {
    const engine = new IndexEngine(new Analysis({}));
    // The same length, one line more: every offset after it stays, every line after it moves.
    engine.setText('svc.yaml', `# ab\n${SERVICE('webb')}`);
    engine.setText('deploy.yaml', DEPLOYMENT);
    engine.setText('other.yaml', SERVICE('webb').replace(/shop/g, 'other'));
    const first = engine.update();
    engine.setText('svc.yaml', `#\n#b\n${SERVICE('webb')}`);
    const u = engine.update();
    assert.deepEqual(u.byFile.get('svc.yaml')?.map((f) => f.loc.start), first.byFile.get('svc.yaml')?.map((f) => f.loc.start));
    assert.deepEqual(u.changed, ['svc.yaml']);
    // Files not touched, whose findings did not change (re-checked or not), are not set again.
    engine.setText('deploy.yaml', `${DEPLOYMENT}# a comment\n`);
    assert.deepEqual(engine.update().changed, []);
  });

  it('ingests many files in chunks, yielding to the event loop, and can be cancelled', async () => {
    const engine = new IndexEngine(new Analysis({}));
    const keys = Array.from({ length: 200 }, (_, i) => `f${i}.yaml`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const stats = await engine.ingest(keys, async (k) => SERVICE(k), { budgetMs: 1, concurrency: 10 });
    clearInterval(timer);
    assert.equal(stats.manifests, 200);
    assert.equal(stats.cancelled, false);
    assert.ok(ticks > 0, 'timers ran while the files were ingested');

    const partial = new IndexEngine(new Analysis({}));
    let read = 0;
    const cancelled = await partial.ingest(keys, async (k) => (read++, SERVICE(k)), { concurrency: 10, isCancelled: () => read >= 50 });
    assert.equal(cancelled.cancelled, true);
    assert.equal(partial.size, 50);
  });
});

describe('editor index engine on bad input', () => {
  it('reports a 20 MB file as too large without analysing it', () => {
    const engine = new IndexEngine(new Analysis({}));
    const big = SERVICE('web') + '---\n' + `# ${'x'.repeat(79)}\n`.repeat(250_000);
    assert.ok(big.length > 20_000_000);
    engine.setText('big.yaml', big);
    engine.setText('deploy.yaml', DEPLOYMENT);
    const u = engine.update();
    assert.deepEqual(u.byFile.get('big.yaml')?.map((f) => f.rule), ['manifest-too-large']);
    assert.equal(u.byFile.has('deploy.yaml'), false);
  });

  it('reports a file its reader refused by size (only its head read) as too large, and analyses it once it shrinks', () => {
    const engine = new IndexEngine(new Analysis({}));
    const head = SERVICE('web');
    assert.equal(engine.setText('big.yaml', head, { bytes: 600 * 1024 * 1024 }), true);
    assert.deepEqual(engine.update().byFile.get('big.yaml')?.map((f) => f.rule), ['manifest-too-large']);
    assert.equal(engine.setText('big.yaml', head, { bytes: 600 * 1024 * 1024 }), false, 'the same reading changes nothing');
    assert.equal(engine.setText('big.yaml', head, { bytes: head.length }), true, 'the same head read whole is another reading');
    assert.deepEqual(engine.update().byFile.get('big.yaml')?.map((f) => f.rule), ['service-no-matching-pods']);
  });

  it('reports an alias bomb and keeps the other documents', () => {
    const engine = new IndexEngine(new Analysis({}));
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  ${levels.join('\n  ')}\n---\n${SERVICE('nothing')}`;
    engine.setText('bomb.yaml', bomb);
    const rules = engine.update().byFile.get('bomb.yaml')?.map((f) => f.rule) ?? [];
    assert.ok(rules.includes('service-no-matching-pods'), `the Service after the bomb is analysed: ${rules.join(', ')}`);
  });
});

describe('files.exclude globs for findFiles', () => {
  it('expands brace groups so they can sit inside one group', () => {
    assert.deepEqual(expandBraces('**/*.{js,map}'), ['**/*.js', '**/*.map']);
    assert.deepEqual(expandBraces('{a,b}/{c,d}'), ['a/c', 'a/d', 'b/c', 'b/d']);
    assert.deepEqual(expandBraces('**/node_modules/**'), ['**/node_modules/**']);
  });
});
