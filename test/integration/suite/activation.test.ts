// Runs first in the main window (the suite's files run in name order): a
// folder with manifests is linted before any YAML editor has been opened, so
// the Problems panel is filled as soon as the folder is.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { kniExtension, until, workspaceFile } from './helpers';

describe('Opening a folder with manifests', function () {
  it('activates on the folder and publishes the findings of files no editor has opened', async () => {
    const ext = kniExtension();
    const events = ext.packageJSON.activationEvents as string[];
    assert.ok(events.includes('workspaceContains:**/*.yaml') && events.includes('workspaceContains:**/*.yml'), events.join(', '));
    const openYaml = vscode.workspace.textDocuments.filter((d) => /\.ya?ml$/.test(d.uri.path)).map((d) => d.uri.path);
    assert.deepEqual(openYaml, [], 'no YAML document is open yet');
    await until('the extension to activate with the folder', () => ext.isActive);
    const file = workspaceFile('editor', 'shop', 'catalogue.yaml');
    await until('the findings of catalogue.yaml, which no editor has opened', () => vscode.languages.getDiagnostics(file).some((d) => d.code !== undefined));
    const codes = vscode.languages.getDiagnostics(file).map((d) => (typeof d.code === 'object' ? d.code.value : d.code));
    assert.ok(codes.includes('service-no-matching-pods'), codes.join(', '));
  });
});
