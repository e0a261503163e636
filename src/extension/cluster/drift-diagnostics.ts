// Drift between open manifests and the connected cluster, as Information
// diagnostics (source 'kni', code 'cluster-drift') in the files. Only open
// documents get them (what the user is looking at), recomputed when the
// cluster's model, the index or the set of open documents changes.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../core/config/facts';
import { isCandidateDocument, type WorkspaceIndex } from '../workspace-index';
import type { ClusterController } from './controller';
import { driftOf } from '../../core/cluster/drift';
import { DRIFT_CODE } from '../../protocol';

export class DriftDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kni-cluster-drift');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The documents that hold drift diagnostics: every `clear`/`delete` is a
   * message to the workbench, and without a cluster each keystroke's index
   * update would send one for nothing.
   */
  private readonly holding = new Set<string>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly cluster: ClusterController,
  ) {
    const schedule = () => this.schedule();
    this.disposables.push(
      cluster.onDidChange(schedule),
      index.onDidUpdate(schedule),
      vscode.workspace.onDidOpenTextDocument(schedule),
      vscode.workspace.onDidCloseTextDocument((doc) => this.remove(doc.uri)),
    );
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 50);
  }

  private update(): void {
    const connection = this.cluster.connection();
    const view = connection?.status.state === 'error' ? undefined : this.cluster.clusterView();
    if (!connection || !view) {
      if (this.holding.size > 0) this.collection.clear();
      this.holding.clear();
      return;
    }
    for (const doc of vscode.workspace.textDocuments) {
      if (!isCandidateDocument(doc)) continue;
      const objects = this.index.objectsIn(doc.uri);
      const items = objects.length > 0 ? driftOf(objects, view.index, connection.context) : [];
      if (items.length === 0) {
        this.remove(doc.uri);
        continue;
      }
      this.holding.add(doc.uri.toString());
      this.collection.set(
        doc.uri,
        items.map((item) => {
          const d = new vscode.Diagnostic(this.index.rangeOf(item.loc), item.message, vscode.DiagnosticSeverity.Information);
          d.source = DIAGNOSTIC_SOURCE;
          d.code = DRIFT_CODE;
          return d;
        }),
      );
    }
  }

  private remove(uri: vscode.Uri): void {
    if (this.holding.delete(uri.toString())) this.collection.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
