// What the inspector draws: the model a provider hands the host
// (InspectorHost.setModelProvider): the workspace's, a render's or the
// connected cluster's.
import type * as vscode from 'vscode';
import type { ModelViewChoice } from '../../protocol';
import type { Finding } from '../../core/findings/types';
import type { Loc } from '../../core/model/types';
import type { ModelIndex } from '../../core/model/model-index';

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
