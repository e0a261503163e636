// Pull diagnostics (LSP 3.17) without polling. Each file's report carries as
// its resultId the generation of the index update that last changed it, so a
// document pull of an unchanged file is answered "unchanged". A workspace
// pull is held open: it answers at once what the client does not have yet
// (by its previousResultIds), then streams the files each later update
// changes as partial results, until the client cancels it. A client that
// gives no partialResultToken gets one answer per change (a long poll).
import { DocumentDiagnosticReportKind, type CancellationToken, type Diagnostic, type DocumentDiagnosticReport, type ResultProgressReporter, type WorkspaceDiagnosticReport, type WorkspaceDiagnosticReportPartialResult, type WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver';
import { keyOf, uriOf } from './workspace';

interface Listener {
  (keys: readonly string[]): void;
}

export class DiagnosticReports {
  /** Each file that ever had diagnostics (or had them changed): the generation of its last change. */
  private readonly changedIn = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  /** Counts what was sent to the workspace pulls; the count at which each file was last sent. */
  private sent = 0;
  private readonly sentAt = new Map<string, number>();
  /** Closed documents whose report the workspace pull sends again, with the fallback timer. */
  private readonly closed = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly diagnosticsOf: (key: string) => Diagnostic[]) {}

  /** An update of generation `generation` changed these files' diagnostics: the open workspace pulls hear of them. */
  changed(keys: readonly string[], generation: number): void {
    if (keys.length === 0) return;
    for (const key of keys) this.changedIn.set(key, generation);
    this.send(keys);
  }

  private send(keys: readonly string[]): void {
    this.sent++;
    for (const key of keys) this.sentAt.set(key, this.sent);
    for (const listener of [...this.listeners]) listener(keys);
  }

  /**
   * A document was closed. VS Code's client then pulls it once more, stops
   * tracking it and takes it from the workspace pull, skipping what that
   * pull said while it still tracked it: its report comes again just after
   * that last pull is answered (or after a second, when none comes).
   */
  documentClosed(uri: string): void {
    const key = keyOf(uri);
    clearTimeout(this.closed.get(key));
    this.closed.set(key, setTimeout(() => this.resend(key), 1000));
  }

  private resend(key: string): void {
    clearTimeout(this.closed.get(key));
    this.closed.delete(key);
    if (this.changedIn.has(key)) this.send([key]);
  }

  resultIdOf(key: string): string {
    return String(this.changedIn.get(key) ?? 0);
  }

  /** Where the workspace pulls stand, taken when a document pull arrives (see document()). */
  mark(): number {
    return this.sent;
  }

  /**
   * A document pull's answer. VS Code's client skips what the workspace
   * pull says of a document while it tracks that document's own pulls, and
   * stops tracking one whose editor closed after a last pull, without
   * taking that pull's answer: a file sent to the workspace pulls while this
   * pull waited (or a closed one) is sent there again just after the answer.
   */
  document(uri: string, previousResultId: string | undefined, mark: number): DocumentDiagnosticReport {
    const key = keyOf(uri);
    const resultId = this.resultIdOf(key);
    if (this.closed.has(key) || (this.sentAt.get(key) ?? 0) > mark) setTimeout(() => this.resend(key), 50);
    if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: this.diagnosticsOf(key) };
  }

  private reports(keys: Iterable<string>): WorkspaceDocumentDiagnosticReport[] {
    return [...keys].map((key) => ({ kind: DocumentDiagnosticReportKind.Full, uri: uriOf(key), version: null, resultId: this.resultIdOf(key), items: this.diagnosticsOf(key) }));
  }

  workspace(previous: readonly { uri: string; value: string }[], token: CancellationToken, progress: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult> | undefined): Promise<WorkspaceDiagnosticReport> {
    const known = new Map(previous.map((p) => [keyOf(p.uri), p.value]));
    const missing = [...this.changedIn.keys()].filter((key) => known.get(key) !== this.resultIdOf(key));
    if (!progress && missing.length > 0) return Promise.resolve({ items: this.reports(missing) });
    if (progress && missing.length > 0) progress.report({ items: this.reports(missing) });
    return new Promise((resolve) => {
      const end = (items: WorkspaceDocumentDiagnosticReport[]) => {
        this.listeners.delete(listener);
        cancel.dispose();
        resolve({ items });
      };
      const listener: Listener = (keys) => {
        if (progress) progress.report({ items: this.reports(keys) });
        else end(this.reports(keys));
      };
      this.listeners.add(listener);
      const cancel = token.onCancellationRequested(() => end([]));
    });
  }

  /** Ends every held workspace pull (shutdown). */
  dispose(): void {
    for (const timer of this.closed.values()) clearTimeout(timer);
    this.closed.clear();
    for (const listener of [...this.listeners]) this.listeners.delete(listener);
  }
}
