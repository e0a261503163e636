// A multi-root workspace (test/integration/fixtures/restricted: folders shop
// and billing, opened by the runner's restricted run): each folder's
// .kni.yaml applies to that folder's files, as `kni lint` run in that folder
// applies it, and its own problems show at their lines.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { kniExtension, until } from './helpers';

const kniDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kni');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? '(none)' : String(d.code));
const SEVERITY = ['error', 'warning', 'info', 'hint'];
const describeDiag = (d: vscode.Diagnostic) => `${codeOf(d)} ${SEVERITY[d.severity]} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

/** Waits (on diagnostics events, with a timeout) until a file's kni diagnostics are `expected`. */
async function diagnosticsAre(uri: vscode.Uri, expected: string[], timeoutMs = 20_000): Promise<void> {
  const now = () => kniDiagnostics(uri).map(describeDiag).sort();
  const matches = () => JSON.stringify(now()) === JSON.stringify([...expected].sort());
  if (matches()) return;
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => {
      sub.dispose();
      fail(new Error(`${vscode.workspace.asRelativePath(uri)}: expected [${expected.join(', ')}] within ${timeoutMs} ms, it has [${now().join(', ')}]`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || !matches()) return;
      clearTimeout(timer);
      sub.dispose();
      done();
    });
  });
}

if (process.env.KNI_INTEGRATION_RUN === 'restricted') {
  describe("Multi-root workspace: each folder's .kni.yaml", function () {
    let api: KniExtensionApi;
    let shop: vscode.Uri;
    let billing: vscode.Uri;

    before(async () => {
      const folders = vscode.workspace.workspaceFolders ?? [];
      assert.deepEqual(
        folders.map((f) => f.name),
        ['shop', 'billing'],
      );
      [shop, billing] = folders.map((f) => f.uri);
      const ext = kniExtension();
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(shop, 'web.yaml')), { preview: false });
      await until('the extension to activate', () => ext.isActive, 30_000);
      api = ext.exports;
      const stats = await api.editor.whenIndexed();
      assert.ok(stats && !stats.cancelled, 'the workspace was not indexed');
    });

    after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

    it("gives a rule each folder's severity in that folder's files", async () => {
      // shop/.kni.yaml makes a selector that matches nothing a warning, billing/.kni.yaml an error.
      await diagnosticsAre(vscode.Uri.joinPath(shop, 'web.yaml'), ['service-no-matching-pods warning 44:4-44:14']);
      await diagnosticsAre(vscode.Uri.joinPath(billing, 'api.yaml'), ['service-no-matching-pods error 9:4-9:16']);
    });

    it("leaves out the files a folder's .kni.yaml excludes, and only in that folder", async () => {
      // shop/drafts/draft.yaml (excluded by shop's drafts/**) has a selector that matches nothing: no diagnostic, not in the index.
      await diagnosticsAre(vscode.Uri.joinPath(shop, 'drafts', 'draft.yaml'), []);
      assert.equal(api.editor.fileCount(), 2, 'shop/web.yaml and billing/api.yaml are the analysed files');
    });

    it('reports the problems of a .kni.yaml at their lines, each under its catalogued rule', async () => {
      const config = vscode.Uri.joinPath(billing, '.kni.yaml');
      await diagnosticsAre(config, [
        // `service-no-such-rule: off`: no such rule.
        'unknown-rule-id warning 5:2-5:27',
        // `retries: 3`: not a setting.
        'config-invalid error 6:0-6:10',
      ]);
      const [unknownKey] = kniDiagnostics(config).filter((d) => typeof d.code === 'object' && d.code.value === 'config-invalid');
      assert.match(unknownKey.message, /unknown key "retries"/);
      await diagnosticsAre(vscode.Uri.joinPath(shop, '.kni.yaml'), []);
    });
  });
}
