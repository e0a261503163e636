// The model of one open document, for the inspector. (The workspace-wide
// index replaces this once the editor adapter indexes every manifest.)
import * as vscode from 'vscode';
import type { TopologyGraph } from '../../protocol';
import { ModelIndex } from '../../core/model/model-index';
import { buildModel, parseManifestFile } from '../../core/source/manifests';
import { buildTopologyGraph } from '../../core/topology';

const DEFAULT_NAMESPACE = 'default';

function isManifestDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'yaml' || document.languageId === 'json';
}

/** The graph of a manifest document, or undefined when it holds no Kubernetes objects. */
export function graphForDocument(document: vscode.TextDocument): TopologyGraph | undefined {
  if (!isManifestDocument(document)) return undefined;
  const parsed = parseManifestFile(document.uri.toString(), document.getText(), { defaultNamespace: DEFAULT_NAMESPACE });
  if (parsed.objects.length === 0) return undefined;
  const index = new ModelIndex(buildModel([parsed], DEFAULT_NAMESPACE));
  return buildTopologyGraph(index, { findings: parsed.findings, sourceLabel: vscode.workspace.asRelativePath(document.uri) });
}

/** Shows the object's YAML in the editor, selecting its exact range. */
export async function revealObject(document: vscode.TextDocument, objectId: string): Promise<void> {
  const parsed = parseManifestFile(document.uri.toString(), document.getText(), { defaultNamespace: DEFAULT_NAMESPACE });
  const object = parsed.objects.find((o) => o.id === objectId);
  const loc = object?.origin.nameLoc ?? object?.origin.loc;
  if (!loc) return;
  const range = new vscode.Range(document.positionAt(loc.start), document.positionAt(loc.end));
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
