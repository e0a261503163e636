// The first scan's file listing on disk: files.exclude globs (directories are
// not entered), the always-skipped folders, symbolic links followed once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listManifestFiles } from '../../../src/extension/file-walk';

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
