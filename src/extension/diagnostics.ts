// Findings -> the Problems panel. Only files whose findings changed are set
// again; files that are not open get their diagnostics too (the index holds
// their text, so offsets become ranges without opening them).
import * as vscode from 'vscode';
import type { Finding, Severity } from '../core/findings/types';
import { ruleAnchor } from '../core/rules/catalogue';
import type { IndexUpdate, WorkspaceIndex } from './workspace-index';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'kni';

export class Diagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires after the Problems panel was updated. */
  readonly onDidPublish = this.emitter.event;
  counts = { error: 0, warning: 0, info: 0 };

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly readme: vscode.Uri,
  ) {
    this.disposables.push(this.emitter, index.onDidUpdate((u) => this.publish(u)));
  }

  private publish(update: IndexUpdate): void {
    for (const key of update.changed) {
      const uri = this.index.uriOf(key);
      if (!uri) continue;
      const list = update.byFile.get(key);
      if (!list || list.length === 0) this.collection.delete(uri);
      else this.collection.set(uri, list.map((f) => this.toDiagnostic(f)));
    }
    const counts = { error: 0, warning: 0, info: 0 };
    for (const list of update.byFile.values()) for (const f of list) counts[f.severity]++;
    this.counts = counts;
    this.emitter.fire();
  }

  toDiagnostic(f: Finding): vscode.Diagnostic {
    const d = new vscode.Diagnostic(this.index.rangeOf(f.loc), f.message, SEVERITY[f.severity]);
    d.source = DIAGNOSTIC_SOURCE;
    if (f.rule) d.code = { value: f.rule, target: this.readme.with({ fragment: ruleAnchor(f.rule) }) };
    const related: vscode.DiagnosticRelatedInformation[] = [];
    for (const r of f.related) {
      const uri = this.index.uriOf(r.loc.file);
      if (uri) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, this.index.rangeOf(r.loc)), r.message));
    }
    if (related.length > 0) d.relatedInformation = related;
    return d;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The rule id of one of our diagnostics. */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = d.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return typeof code === 'string' ? code : undefined;
}
