// Findings -> the Problems panel. Only files whose findings changed are set
// again; files that are not open get their diagnostics too (the index holds
// their text, so offsets become ranges without opening them).
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../core/config/facts';
import type { Finding, Severity } from '../core/findings/types';
import { ruleAnchor } from '../core/rules/catalogue';
import type { PublishTiming } from './api';
import type { IndexUpdate, WorkspaceIndex } from './workspace-index';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export { DIAGNOSTIC_SOURCE };

/**
 * The most diagnostics handed to one DiagnosticCollection.set([...]) call.
 * VS Code's extension host (1.90 to 1.139 at least) forwards the entries of
 * one call to the workbench only until their diagnostics exceed 1,100, and
 * drops the remaining files without a word; a file of more than 1,000 is cut
 * to 1,000 on its own.
 */
const BATCH_DIAGNOSTICS = 1_000;

export class Diagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly emitter = new vscode.EventEmitter<PublishTiming>();
  /** Fires after the Problems panel was updated, with where the time went. */
  readonly onDidPublish = this.emitter.event;
  counts = { error: 0, warning: 0, info: 0 };

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly readme: vscode.Uri,
  ) {
    this.disposables.push(this.emitter, index.onDidUpdate((u) => this.publish(u)));
  }

  private publish(update: IndexUpdate): void {
    const entries: [vscode.Uri, vscode.Diagnostic[] | undefined][] = [];
    for (const key of update.changed) {
      const uri = this.index.uriOf(key);
      if (!uri) continue;
      const list = update.byFile.get(key);
      entries.push([uri, list && list.length > 0 ? list.map((f) => this.toDiagnostic(f)) : undefined]);
    }
    const builtAt = performance.now();
    this.setInBatches(entries);
    const publishedAt = performance.now();
    const counts = { error: 0, warning: 0, info: 0 };
    for (const list of update.byFile.values()) for (const f of list) counts[f.severity]++;
    this.counts = counts;
    this.emitter.fire({ ...update.timing, builtAt, publishedAt, reason: update.reason });
  }

  /**
   * Hands the changed files' diagnostics to VS Code in few calls: every
   * set(uri, …) is a message to the workbench of its own, which after the
   * first scan means thousands. A batch is cut before it exceeds
   * BATCH_DIAGNOSTICS: VS Code forwards at most 1,100 diagnostics of one
   * set([...]) call to the Problems panel and silently drops the rest.
   */
  private setInBatches(entries: [vscode.Uri, vscode.Diagnostic[] | undefined][]): void {
    let batch: [vscode.Uri, vscode.Diagnostic[] | undefined][] = [];
    let size = 0;
    const flush = () => {
      if (batch.length > 0) this.collection.set(batch);
      batch = [];
      size = 0;
    };
    for (const entry of entries) {
      // An entry without diagnostics clears the file's (and counts for nothing).
      const n = entry[1]?.length ?? 0;
      if (size + n > BATCH_DIAGNOSTICS) flush();
      batch.push(entry);
      size += n;
    }
    flush();
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
