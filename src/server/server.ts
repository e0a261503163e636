// `kni lsp`: the core as a Language Server Protocol server. The workspace
// folders' manifests and `.kni.yaml`, open documents' unsaved text over the
// disk; diagnostics pushed per file (or pulled, when the client asks for
// them), hovers, quick fixes; `kni.*` settings through workspace/configuration
// and file watching through workspace/didChangeWatchedFiles. No renders and
// no cluster yet; the server never runs a program or reads a kubeconfig.
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { quickFixes } from './code-actions';
import { diagnosticsFor, rangeOf } from './diagnostics';
import { describeAt, objectAt, type Mark } from '../core/editor/hover-text';
import { keyOf, ServerWorkspace, uriOf } from './workspace';

const MARKS: Record<Mark, string> = { check: '✓', warning: '⚠', error: '✗' };

/** What this server does not do yet, for clients that look (initialize's `experimental`). */
export const NOT_SERVED = { renders: false, cluster: false, trust: 'never runs a program, never reads a kubeconfig' } as const;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let ws: ServerWorkspace | undefined;
  let pull = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let watchRegistration = false;
  let configRegistration = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ready: Promise<void> = Promise.resolve();
  /** Files a workspace diagnostic report has named (pull mode). */
  const reported = new Set<string>();

  const workspace = (): ServerWorkspace => ws as ServerWorkspace;

  const publish = (changed: readonly string[]) => {
    if (pull) {
      if (refreshSupport) void connection.languages.diagnostics.refresh();
      return;
    }
    for (const key of changed) void connection.sendDiagnostics({ uri: uriOf(key), diagnostics: diagnosticsFor(workspace(), key) });
  };

  const readSettings = async () => {
    if (!configurationSupport) return;
    try {
      workspace().setSettings(await connection.workspace.getConfiguration({ section: 'kni' }));
    } catch (e) {
      connection.console.warn(`kni: cannot read the kni.* settings (${e instanceof Error ? e.message : String(e)}); using the defaults`);
    }
  };

  /**
   * Runs a step after the ones before it (requests wait for `ready`). A step
   * that fails is reported in the client's log and the next ones still run.
   */
  const enqueue = (step: () => void | Promise<void>) => {
    ready = ready.then(step).catch((e: unknown) => connection.console.error(`kni: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  };

  const rescan = () => enqueue(async () => {
    await readSettings();
    publish(workspace().scan().changed);
  });

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      enqueue(() => publish(workspace().update().changed));
    }, workspace().debounceMs);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [`file://${params.rootPath}`] : []);
    ws = new ServerWorkspace(folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)));
    const caps = params.capabilities;
    pull = caps.textDocument?.diagnostic !== undefined;
    refreshSupport = caps.workspace?.diagnostics?.refreshSupport === true;
    configurationSupport = caps.workspace?.configuration === true;
    watchRegistration = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    configRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      serverInfo: { name: 'kni', version },
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        ...(pull ? { diagnosticProvider: { identifier: 'kni', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      },
      experimental: { kni: NOT_SERVED },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/.kni.yaml' }] });
    }
    if (configRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kni' });
    rescan();
  });

  // An opened document is analysed at once; edits after a debounce (didOpen also fires a content change: its text is the same, so that update finds nothing new).
  documents.onDidOpen((e) => {
    workspace().setOpen(e.document.uri, e.document.getText());
    enqueue(() => publish(workspace().update().changed));
  });
  documents.onDidChangeContent((e) => {
    workspace().setOpen(e.document.uri, e.document.getText());
    schedule();
  });
  documents.onDidClose((e) => {
    enqueue(() => {
      workspace().close(e.document.uri);
      publish(workspace().update().changed);
    });
  });

  // A client that cannot be asked sends its settings with the notification (`{ kni: {...} }`).
  connection.onDidChangeConfiguration((params) => {
    if (!configurationSupport) workspace().setSettings((params.settings as { kni?: unknown } | null)?.kni);
    rescan();
  });

  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((c) => workspace().isConfigFile(c.uri))) {
      rescan();
      return;
    }
    enqueue(() => {
      // A deleted file fails to read and leaves the analysis; an open one keeps its editor's text.
      for (const c of params.changes) workspace().diskChanged(c.uri);
      publish(workspace().update().changed);
    });
  });

  connection.onHover(async (params) => {
    await ready;
    const doc = documents.get(params.textDocument.uri);
    const w = workspace();
    if (!doc || !w.isCurrent(doc.uri, doc.getText())) return null;
    const offset = doc.offsetAt(params.position);
    const object = objectAt(w.objectsIn(keyOf(doc.uri)), offset);
    if (!object) return null;
    const found = describeAt(object, offset, w.modelIndex(), {
      mark: (m) => MARKS[m],
      link: (o, label) => {
        const loc = (o as { podLabelsLoc?: typeof o.origin.loc }).podLabelsLoc ?? o.origin.nameLoc ?? o.origin.loc;
        const range = loc && rangeOf(w, loc);
        return range ? `[${label}](${uriOf(loc.file)}#L${range.start.line + 1})` : label;
      },
    });
    if (!found) return null;
    return { contents: { kind: 'markdown', value: found.text }, range: rangeOf(w, found.loc) };
  });

  connection.onCodeAction(async (params) => {
    await ready;
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    return quickFixes(workspace(), doc.uri, doc.getText(), params.context.diagnostics);
  });

  connection.languages.diagnostics.on(async (params) => {
    await ready;
    if (timer) {
      // An edit waits for its debounce: answer with its findings, not the previous ones.
      clearTimeout(timer);
      timer = undefined;
      workspace().update();
    }
    return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsFor(workspace(), keyOf(params.textDocument.uri)) };
  });

  connection.languages.diagnostics.onWorkspace(async () => {
    await ready;
    const w = workspace();
    // A file that had diagnostics and has none now gets an empty report, so the client clears it.
    for (const key of w.allFindings().keys()) reported.add(key);
    const items = [...reported].map((key): WorkspaceDocumentDiagnosticReport => ({ kind: DocumentDiagnosticReportKind.Full, uri: uriOf(key), version: null, items: diagnosticsFor(w, key) }));
    return { items };
  });

  documents.listen(connection);
  connection.listen();
}
