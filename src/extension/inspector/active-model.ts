// Where the inspector's model comes from. By default, the active manifest
// document on its own; the editor adapter can hand the host a provider of the
// whole workspace's model instead (InspectorHost.setModelProvider).
import * as vscode from 'vscode';
import type { ModelViewChoice } from '../../protocol';
import type { Finding } from '../../core/findings/types';
import type { Loc } from '../../core/model/types';
import { ModelIndex } from '../../core/model/model-index';
import { buildModel, parseManifestFile } from '../../core/source/manifests';
import { Analysis } from '../../core/analysis';

const DEFAULT_NAMESPACE = 'default';

/** One model for the inspector: what it draws and where its objects are written. */
export interface InspectorModel {
  index: ModelIndex;
  findings: readonly Finding[];
  /** For the header: "shop.yaml", "12 files", "cluster kind-dev". */
  sourceLabel: string;
  /** The document a Loc's `file` names (default: the file string parsed as a URI). */
  uriOf?(file: string): vscode.Uri | undefined;
  /** Where an object's location is written when that is not the location itself (a render's objects: their template or patch line). */
  locate?(loc: Loc): Loc | undefined;
  /** While a cluster is connected: which model this is, for the toolbar's "files / cluster" control. */
  view?: ModelViewChoice;
}

export type ModelProvider = () => InspectorModel | undefined;

export function isManifestDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'yaml' || document.languageId === 'json';
}

/** The model of one manifest document with its findings, or undefined when it holds no Kubernetes objects. */
export function modelForDocument(document: vscode.TextDocument): InspectorModel | undefined {
  if (!isManifestDocument(document)) return undefined;
  const file = document.uri.toString();
  const text = document.getText();
  const parsed = parseManifestFile(file, text, { defaultNamespace: DEFAULT_NAMESPACE });
  if (parsed.objects.length === 0) return undefined;
  let index: ModelIndex;
  let findings: readonly Finding[];
  try {
    const analysis = new Analysis({ defaultNamespace: DEFAULT_NAMESPACE });
    analysis.setFile(file, text);
    index = analysis.index();
    findings = analysis.findings();
  } catch (err) {
    // The rules failed on this text: still draw it, with the parser's own findings.
    console.error(`kni: analysis of ${file} failed: ${err instanceof Error ? err.message : String(err)}`);
    index = new ModelIndex(buildModel([parsed], DEFAULT_NAMESPACE));
    findings = parsed.findings;
  }
  return {
    index,
    findings,
    sourceLabel: vscode.workspace.asRelativePath(document.uri),
    uriOf: (f) => (f === file ? document.uri : undefined),
  };
}
