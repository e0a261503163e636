// The workspace index without an editor (what the VS Code extension and the
// language server both drive): two folders with their own `.kni.yaml`, a
// rule off in one folder only, include globs per folder, the merged findings
// and the keys that changed, a file that loses its findings said again.
import assert from 'node:assert/strict';
import { ManifestIndex, type IndexFolder } from '../../../src/core/workspace/manifest-index';
import type { EditorSettings } from '../../../src/core/config/settings';

const settings: EditorSettings = { rules: {}, defaultNamespace: undefined, include: [], exclude: [], proxyMode: 'iptables', debounceMs: 150, maxFileSize: undefined };
const FOLDERS: IndexFolder[] = [
  { index: 0, name: 'a', configKey: 'a/.kni.yaml' },
  { index: 1, name: 'b', configKey: 'b/.kni.yaml' },
];
const SERVICE = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n`;

function make(): ManifestIndex {
  return new ManifestIndex(
    {
      keyOf: (folder, rel) => `${folder.name}/${rel}`,
      locate: (key) => {
        const folder = FOLDERS.find((f) => key.startsWith(`${f.name}/`));
        return folder && { folder, rel: key.slice(folder.name.length + 1) };
      },
      onRendersChanged: () => undefined,
    },
    settings,
  );
}

describe('the workspace index without an editor (ManifestIndex)', () => {
  it("applies each folder's .kni.yaml to its own files, and says which keys changed", () => {
    const index = make();
    index.loadConfigs(FOLDERS, [undefined, 'rules:\n  service-no-matching-pods: off\ninclude: ["deploy/**"]\n']);
    index.reset();
    assert.equal(index.inScope('a/x.yaml'), true);
    assert.equal(index.inScope('b/deploy/x.yaml'), true);
    assert.equal(index.inScope('b/other/x.yaml'), false, "outside b's include");
    assert.equal(index.inScope('elsewhere.yaml'), true, 'a file outside every folder is analysed');
    index.setText('a/svc.yaml', SERVICE('one'));
    index.setText('b/deploy/svc.yaml', SERVICE('two'));
    const first = index.merge('scan');
    assert.deepEqual(first.byFile.get('a/svc.yaml')?.map((f) => f.rule), ['service-no-matching-pods']);
    assert.equal(first.byFile.get('b/deploy/svc.yaml'), undefined, "off in b's .kni.yaml");
    // After a scan every folder's .kni.yaml is said (with none), so a client clears what it showed.
    assert.deepEqual([...first.changed].sort(), ['a/.kni.yaml', 'a/svc.yaml', 'b/.kni.yaml']);

    // The Service loses its finding: its key changes, with no findings.
    index.setText('a/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: one}\nspec:\n  selector: {matchLabels: {app: one}}\n  template:\n    metadata: {labels: {app: one}}\n    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}\n');
    const next = index.merge('edit');
    assert.ok(next.changed.includes('a/svc.yaml'));
    assert.deepEqual(index.findingsFor('a/svc.yaml'), []);
    assert.deepEqual(index.objectsIn('a/deploy.yaml').map((o) => o.kind), ['Deployment']);
    assert.equal(index.isLoose('a/deploy.yaml'), true);
    assert.equal(index.isCurrent('a/svc.yaml', SERVICE('one')), true);
  });

  it("puts a .kni.yaml's own problems on its lines, and renders nothing when untrusted (how many would run counted)", () => {
    const index = make();
    index.loadConfigs(FOLDERS, ['rules:\n  no-such-rule: off\n', undefined]);
    index.reset();
    index.startRenders(new Map(), {}, false, () => []);
    const merged = index.merge('scan');
    assert.deepEqual(merged.byFile.get('a/.kni.yaml')?.map((f) => f.rule), ['unknown-rule-id']);
    assert.equal(index.textOf('a/.kni.yaml'), 'rules:\n  no-such-rule: off\n');
    assert.equal(index.renders.enabled, false);
    assert.equal(index.renders.offReason, undefined, 'no render would run: nothing to say');
  });
});
