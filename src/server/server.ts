// `kni lsp`: the core as a Language Server Protocol server. The workspace
// folders' manifests and `.kni.yaml`, open documents' unsaved text over the
// disk; diagnostics pushed per file (or pulled, when the client asks for
// them), hovers, quick fixes; `kni.*` settings through workspace/configuration
// and file watching through workspace/didChangeWatchedFiles; the inspector's
// graph and traces (inspector.ts) and, in a trusted workspace, the live
// cluster with its drift diagnostics (cluster.ts). No renders yet.
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
import { CONFIG_FILE_GLOB, MANIFEST_GLOB, SETTINGS_SECTION } from '../core/config/facts';
import { quickFixes } from './code-actions';
import { diagnosticsFor, rangeOf } from './diagnostics';
import { describeAt, objectAt, type Mark } from './hover-text';
import { keyOf, ServerWorkspace, uriOf } from './workspace';
import { ServerCluster, trustedFrom } from './cluster';
import { filesModel, InspectorService } from './inspector';
import { settingsFrom } from '../core/config/settings';

const MARKS: Record<Mark, string> = { check: '✓', warning: '⚠', error: '✗' };

/** What this server does not do yet, for clients that look (initialize's `experimental`). */
export const NOT_SERVED = { renders: false, cluster: true, inspector: true, trust: 'reads a kubeconfig and runs its credential plugins only when initializationOptions.trusted is true' } as const;

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
  /** The trust the client declared (initializationOptions.trusted); untrusted until it says so. */
  let trusted = false;
  /** The client's `kni.*` settings as last read. */
  let settings: unknown = null;
  let cluster: ServerCluster | undefined;
  let inspector: InspectorService | undefined;
  /** A file's diagnostics: its findings, and its drift from the connected cluster. */
  const fileDiagnostics = (key: string) => [...diagnosticsFor(workspace(), key), ...(cluster?.driftDiagnostics(key) ?? [])];

  const publish = (changed: readonly string[]) => {
    if (pull) {
      if (refreshSupport) void connection.languages.diagnostics.refresh();
      return;
    }
    for (const key of changed) void connection.sendDiagnostics({ uri: uriOf(key), diagnostics: fileDiagnostics(key) });
  };
  const analysed = (changed: readonly string[]) => {
    publish(changed);
    inspector?.changed('files');
  };

  const readSettings = async () => {
    if (!configurationSupport) return;
    try {
      settings = await connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
      workspace().setSettings(settings);
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
    cluster?.invalidate();
    analysed(workspace().scan().changed);
  });

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      enqueue(() => analysed(workspace().update().changed));
    }, workspace().debounceMs);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [`file://${params.rootPath}`] : []);
    const roots = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    ws = new ServerWorkspace(roots);
    trusted = trustedFrom(params.initializationOptions);
    cluster = new ServerCluster(connection, {
      trusted: () => trusted,
      folders: roots,
      settings: () => settings,
      objectsIn: (key) => workspace().objectsIn(key),
      rangeOf: (loc) => rangeOf(workspace(), loc),
      changed: () => {
        inspector?.changed();
        // Drift is shown in open documents only.
        const changed = cluster?.driftChanged(documents.keys().map(keyOf)) ?? [];
        if (changed.length > 0) publish(changed);
      },
    });
    cluster.register();
    inspector = new InspectorService(connection, {
      model: (scope) => {
        const context = cluster?.context;
        if (scope === 'cluster') return cluster?.inspectorModel();
        return filesModel(workspace().modelIndex(), workspace().allFindings(), context ? { current: 'files', cluster: context } : undefined);
      },
      traceSettings: () => {
        const { proxyMode, clusterDomain } = settingsFrom(settings);
        return { proxyMode, clusterDomain };
      },
      ready: () => ready,
    });
    inspector.register();
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
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: MANIFEST_GLOB }, { globPattern: CONFIG_FILE_GLOB }] });
    }
    if (configRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    rescan();
  });

  // An opened document is analysed at once; edits after a debounce (didOpen also fires a content change: its text is the same, so that update finds nothing new).
  documents.onDidOpen((e) => {
    workspace().setOpen(e.document.uri, e.document.getText());
    enqueue(() => analysed(workspace().update().changed));
  });
  documents.onDidChangeContent((e) => {
    workspace().setOpen(e.document.uri, e.document.getText());
    schedule();
  });
  documents.onDidClose((e) => {
    enqueue(() => {
      workspace().close(e.document.uri);
      analysed(workspace().update().changed);
    });
  });

  // A client that cannot be asked sends its settings with the notification (`{ kni: {...} }`).
  connection.onDidChangeConfiguration((params) => {
    if (!configurationSupport) {
      settings = (params.settings as { kni?: unknown } | null)?.kni ?? null;
      workspace().setSettings(settings);
    }
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
      analysed(workspace().update().changed);
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
    return { kind: DocumentDiagnosticReportKind.Full, items: fileDiagnostics(keyOf(params.textDocument.uri)) };
  });

  connection.languages.diagnostics.onWorkspace(async () => {
    await ready;
    const w = workspace();
    // A file that had diagnostics and has none now gets an empty report, so the client clears it.
    for (const key of w.allFindings().keys()) reported.add(key);
    for (const key of documents.keys().map(keyOf)) if ((cluster?.driftDiagnostics(key).length ?? 0) > 0) reported.add(key);
    const items = [...reported].map((key): WorkspaceDocumentDiagnosticReport => ({ kind: DocumentDiagnosticReportKind.Full, uri: uriOf(key), version: null, items: fileDiagnostics(key) }));
    return { items };
  });

  connection.onShutdown(() => cluster?.dispose());

  documents.listen(connection);
  connection.listen();
}
