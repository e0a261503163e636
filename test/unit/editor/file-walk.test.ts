// The first scan's file listing on disk: files.exclude globs (directories are
// not entered), the always-skipped folders, symbolic links followed once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listManifestFiles, readLocalFile } from '../../../src/extension/file-walk';

describe('editor: listing the manifest files of a folder', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kni-walk-'));
    for (const f of ['a.yaml', 'b.YML', 'c.json', 'notes.txt', 'deploy/web.yaml', 'deploy/.hidden/x.yaml', 'node_modules/pkg/chart.yaml', '.git/config.yaml', 'build/out.yaml', 'deploy/testdata/bad.yaml', 'deploy/old.log.yaml']) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), 'x');
    }
    symlinkSync(join(root, 'deploy'), join(root, 'linked'));
    symlinkSync(root, join(root, 'deploy', 'loop'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('honours exclude globs on directories and files, and follows links once', async () => {
    const files = await listManifestFiles(root, { exclude: ['**/node_modules/**', '**/.git/**', 'build', '**/testdata/**', '**/*.log.yaml'] });
    assert.deepEqual(files, ['a.yaml', 'b.YML', 'c.json', 'deploy/.hidden/x.yaml', 'deploy/web.yaml', 'linked/.hidden/x.yaml', 'linked/web.yaml']);
  });

  it('stops when cancelled', async () => {
    assert.deepEqual(await listManifestFiles(root, { exclude: [], isCancelled: () => true }), []);
  });
});

describe('editor: reading a file of the workspace', () => {
  let root: string;
  before(() => (root = mkdtempSync(join(tmpdir(), 'kni-read-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads small and large files as UTF-8 text without a byte order mark', async () => {
    writeFileSync(join(root, 'bom.yaml'), '\uFEFFkind: Service\n');
    writeFileSync(join(root, 'large.yaml'), `# ${'é'.repeat(300_000)}\nkind: Service\n`);
    assert.equal(await readLocalFile(join(root, 'bom.yaml')), 'kind: Service\n');
    const large = await readLocalFile(join(root, 'large.yaml'));
    assert.equal(large.length, 2 + 300_000 + 15);
    assert.ok(large.endsWith('\nkind: Service\n'));
  });

  it('fails for a file that is not there', async () => {
    await assert.rejects(readLocalFile(join(root, 'missing.yaml')), /ENOENT/);
  });
});
