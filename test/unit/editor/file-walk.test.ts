// The first scan's file listing on disk: files.exclude globs (directories are
// not entered), the always-skipped folders, symbolic links followed once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listManifestFiles, readLocalFile } from '../../../src/core/workspace/file-walk';

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
    const bom = await readLocalFile(join(root, 'bom.yaml'));
    assert.equal(bom.text, 'kind: Service\n');
    assert.deepEqual(bom.source, { bytes: 17, encoding: 'utf-8', bom: true, invalidAt: [] });
    const large = (await readLocalFile(join(root, 'large.yaml'))).text;
    assert.equal(large.length, 2 + 300_000 + 15);
    assert.ok(large.endsWith('\nkind: Service\n'));
  });

  it('decodes UTF-16 and keeps where bytes were not UTF-8, for the core to report', async () => {
    writeFileSync(join(root, 'utf16.yaml'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('kind: Service\n', 'utf16le').swap16()]));
    const utf16 = await readLocalFile(join(root, 'utf16.yaml'));
    assert.equal(utf16.text, 'kind: Service\n');
    assert.equal(utf16.source.encoding, 'utf-16be');
    writeFileSync(join(root, 'latin1.yaml'), Buffer.from('kind: Service # caf\u00e9\n', 'latin1'));
    const latin1 = await readLocalFile(join(root, 'latin1.yaml'));
    assert.equal(latin1.text, 'kind: Service # caf\ufffd\n');
    assert.deepEqual(latin1.source.invalidAt, [19]);
  });

  it('of a file over the size limit reads only the head (enough to tell a manifest), with its size', async () => {
    writeFileSync(join(root, 'huge.yaml'), `kind: Service\n${'#'.repeat(200_000)}\n`);
    const huge = await readLocalFile(join(root, 'huge.yaml'), 100_000);
    assert.equal(huge.source.bytes, 200_015);
    assert.ok(huge.text.startsWith('kind: Service\n') && huge.text.length === 64 * 1024, `${huge.text.length} characters read`);
  });

  it('refuses what is not a regular file (a pipe would block the extension host)', async () => {
    await assert.rejects(readLocalFile('/dev/zero'), /not a regular file/);
  });

  it('fails for a file that is not there', async () => {
    await assert.rejects(readLocalFile(join(root, 'missing.yaml')), /ENOENT/);
  });
});
