// `kni lsp`: the core as a Language Server Protocol server. The workspace
// folders' manifests and `.kni.yaml`, open documents' unsaved text over the
// disk; diagnostics pushed per file (or pulled, when the client asks for
// them), hovers, quick fixes, code lenses; `kni.*` settings through
// workspace/configuration and file watching through
// workspace/didChangeWatchedFiles; the inspector's graph and traces
// (inspector.ts). In a workspace the client says is trusted
// (initializationOptions `{ trusted: true }`, or kni/didGrantWorkspaceTrust
// later), Helm charts and Kustomize overlays are rendered with the user's
// tools, on save, and the live cluster is read with its drift diagnostics
// (cluster.ts); otherwise the server runs no program and reads no kubeconfig.
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  MessageType,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type CodeLens,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { CONFIG_FILE_GLOB, MANIFEST_GLOB, SETTINGS_SECTION } from '../core/config/facts';
import { codeLenses, type LensSource } from '../core/editor/code-lenses';
import { hoverAt, type HoverSource } from '../core/editor/hover-text';
import { textMark } from '../core/editor/marks';
import type { ToolSettings } from '../core/source/render/tools';
import { toolMissingNotice } from '../core/workspace/render-status';
import { renderKey } from '../core/workspace/workspace-renders';
import { DID_CHANGE_RENDERS, DID_CHANGE_TOOL_PATHS, DID_GRANT_TRUST, isKniInitializationOptions, RENDERS_REQUEST, TRACE_REQUEST_COMMAND, type KniInitializationOptions, type RendersResult, type ToolPathsParams } from '../protocol/lsp';
import { quickFixes } from './code-actions';
import { diagnosticsFor, rangeOf } from './diagnostics';
import { keyOf, ServerWorkspace, uriOf } from './workspace';
import { ServerCluster } from './cluster';
import { filesModel, InspectorService, type ScopeModel } from './inspector';
import { NetworkTreeService } from './network-tree';
import { settingsFrom } from '../core/config/settings';

/** What this server does not do yet, for clients that look (initialize's `experimental`). */
export const NOT_SERVED = { renders: true, cluster: true, inspector: true, trust: 'renders, reads a kubeconfig and runs its credential plugins only when the client says the workspace is trusted' } as const;

/** Said once when the client did not say the workspace is trusted. */
export const UNTRUSTED_NOTICE = 'kni: the workspace is not trusted, so kni runs no program: Helm charts and Kustomize overlays are not rendered (and no kubeconfig or cluster is read). A client that trusts it passes initializationOptions { trusted = true }.';

/** The user's tool paths from initializationOptions (blank ones left out: PATH then). */
function toolsFrom(o: ToolPathsParams | undefined): ToolSettings {
  const path = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const helmPath = path(o?.helmPath);
  const kustomizePath = path(o?.kustomizePath);
  const names = { helmPathName: 'initializationOptions.helmPath', kustomizePathName: 'initializationOptions.kustomizePath' };
  return { ...(helmPath ? { helmPath } : {}), ...(kustomizePath ? { kustomizePath } : {}), ...names };
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let ws: ServerWorkspace | undefined;
  let pull = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let watchRegistration = false;
  let configRegistration = false;
  let codeLensRefresh = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** What was said once (the untrusted notice, a missing tool). */
  const said = new Set<string>();
  let ready: Promise<void> = Promise.resolve();
  /** Files a workspace diagnostic report has named (pull mode). */
  const reported = new Set<string>();

  const workspace = (): ServerWorkspace => ws as ServerWorkspace;
  /** The client's `kni.*` settings as last read. */
  let settings: unknown = null;
  let cluster: ServerCluster | undefined;
  let inspector: InspectorService | undefined;
  let networkTree: NetworkTreeService | undefined;
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
    networkTree?.changed('files');
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

  /** Says once why renders are off, or that a tool is missing (the client shows it; the log keeps it). */
  const notices = () => {
    const w = workspace();
    if (w.renders.offReason !== undefined && !said.has('untrusted')) {
      said.add('untrusted');
      void connection.sendNotification('window/showMessage', { type: MessageType.Info, message: UNTRUSTED_NOTICE });
    }
    for (const { tool, problem } of w.renders.toolProblems()) {
      if (said.has(tool)) continue;
      said.add(tool);
      void connection.sendNotification('window/showMessage', { type: MessageType.Warning, message: toolMissingNotice(tool, problem) });
    }
  };

  const publishAll = (changed: readonly string[]) => {
    analysed(changed);
    if (codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  };

  const rescan = () => enqueue(async () => {
    await readSettings();
    cluster?.invalidate();
    publishAll((await workspace().scan()).changed);
    notices();
  });

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      enqueue(() => analysed(workspace().update().changed));
    }, workspace().debounceMs);
  };

  /** Renders changed state or findings: their files' diagnostics and the lenses again. */
  const rendersChanged = () =>
    enqueue(async () => {
      publishAll((await workspace().rendersChanged()).changed);
      notices();
      void connection.sendNotification(DID_CHANGE_RENDERS);
    });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [`file://${params.rootPath}`] : []);
    const given = params.initializationOptions;
    const options: KniInitializationOptions = isKniInitializationOptions(given) ? given : {};
    if (given !== undefined && given !== null && !isKniInitializationOptions(given)) {
      connection.console.warn(`kni: initializationOptions ignored: expected { trusted?: boolean, helmPath?: string, kustomizePath?: string }, got ${JSON.stringify(given).slice(0, 200)}`);
    }
    const roots = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    ws = new ServerWorkspace(
      roots,
      { trusted: options.trusted === true, tools: toolsFrom(options), onRendersChanged: rendersChanged },
    );
    if (options.trusted !== true) connection.console.info(UNTRUSTED_NOTICE);
    cluster = new ServerCluster(connection, {
      trusted: () => workspace().isTrusted,
      folders: roots,
      settings: () => settings,
      objectsIn: (key) => workspace().objectsIn(key),
      rangeOf: (loc) => rangeOf(workspace(), loc),
      changed: () => {
        inspector?.changed();
        networkTree?.changed();
        // Drift is shown in open documents only.
        const changed = cluster?.driftChanged(documents.keys().map(keyOf)) ?? [];
        if (changed.length > 0) publish(changed);
      },
    });
    cluster.register();
    const scopeModel = (scope: 'files' | 'cluster'): ScopeModel | undefined => {
      const context = cluster?.context;
      if (scope === 'cluster') return cluster?.inspectorModel();
      return filesModel(workspace().modelIndex(), workspace().allFindings(), context ? { current: 'files', cluster: context } : undefined);
    };
    inspector = new InspectorService(connection, {
      model: scopeModel,
      traceSettings: () => {
        const { proxyMode, clusterDomain } = settingsFrom(settings);
        return { proxyMode, clusterDomain };
      },
      ready: () => ready,
    });
    inspector.register();
    networkTree = new NetworkTreeService(connection, {
      model: scopeModel,
      place: (loc) => {
        const range = rangeOf(workspace(), loc);
        return range ? { uri: uriOf(loc.file), range } : undefined;
      },
      ready: () => ready,
    });
    networkTree.register();
    const caps = params.capabilities;
    codeLensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    pull = caps.textDocument?.diagnostic !== undefined;
    refreshSupport = caps.workspace?.diagnostics?.refreshSupport === true;
    configurationSupport = caps.workspace?.configuration === true;
    watchRegistration = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    configRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      serverInfo: { name: 'kni', version },
      capabilities: {
        // Saves: Helm and Kustomize read the disk, so renders follow saved text.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        ...(pull ? { diagnosticProvider: { identifier: 'kni', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      },
      experimental: { kni: NOT_SERVED },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: MANIFEST_GLOB },
          { globPattern: CONFIG_FILE_GLOB },
          // Render inputs that are not manifests: helpers and Kustomize's capitalised file.
          { globPattern: '**/{*.tpl,Kustomization}' },
          // A folder deleted at once (a chart removed) is one event for the folder.
          { globPattern: '**/*', kind: WatchKind.Delete },
        ],
      });
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
    enqueue(async () => {
      await workspace().close(e.document.uri);
      analysed(workspace().update().changed);
    });
  });
  documents.onDidSave((e) => workspace().saved(e.document.uri));

  // The client trusted the workspace: a new scan, which renders.
  connection.onNotification(DID_GRANT_TRUST, () => {
    if (workspace().isTrusted) return;
    workspace().trust();
    rescan();
  });
  connection.onNotification(DID_CHANGE_TOOL_PATHS, (params: ToolPathsParams | undefined) => {
    said.delete('helm');
    said.delete('kustomize');
    workspace().setTools(toolsFrom(params));
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
    enqueue(async () => {
      // A deleted file leaves the analysis (and the renders that read it run again); an open one keeps its editor's text.
      for (const c of params.changes) await workspace().diskChanged(c.uri, c.type !== FileChangeType.Deleted);
      analysed(workspace().update('file').changed);
    });
  });

  connection.onHover(async (params) => {
    await ready;
    const doc = documents.get(params.textDocument.uri);
    const w = workspace();
    if (!doc || !w.isCurrent(doc.uri, doc.getText())) return null;
    const key = keyOf(doc.uri);
    const sources: HoverSource[] = [{ objects: w.objectsIn(key), index: w.modelIndex(), at: (l) => l }];
    for (const v of w.renderViewsOf(key)) sources.push({ objects: v.objects, index: v.index, at: (l) => v.toSource(l), render: v.render.entry.spec.name });
    const found = hoverAt(sources, doc.offsetAt(params.position), {
      mark: textMark,
      clusterDomain: w.clusterDomain,
      link: (loc, label) => {
        const range = loc && rangeOf(w, loc);
        return loc && range ? `[${label}](${uriOf(loc.file)}#L${range.start.line + 1})` : label;
      },
    });
    if (!found) return null;
    return { contents: { kind: 'markdown', value: found.text }, range: rangeOf(w, found.loc) };
  });

  connection.onRequest(RENDERS_REQUEST, async (): Promise<RendersResult> => {
    await ready;
    return workspace().renders.summary();
  });

  connection.onCodeLens(async (params): Promise<CodeLens[]> => {
    await ready;
    const w = workspace();
    const key = keyOf(params.textDocument.uri);
    const views = w.renderViewsOf(key);
    const sources: LensSource[] = [{ objects: w.objectsIn(key), index: w.modelIndex(), at: (l) => l }];
    for (const v of views) sources.push({ objects: v.objects, index: v.index, at: (l) => v.toSource(l), render: { key: renderKey(v.render), ...(views.length > 1 ? { name: v.render.entry.spec.name } : {}) } });
    return codeLenses(sources).flatMap((lens): CodeLens[] => {
      const start = rangeOf(w, lens.loc)?.start;
      if (!start) return [];
      const range = { start: { line: start.line, character: 0 }, end: { line: start.line, character: 0 } };
      // What a Service reaches is shown, not run: a client has no common command to list locations.
      if (lens.kind === 'reach') return [{ range, command: { title: lens.title, command: '' } }];
      return [{ range, command: { title: lens.title, command: TRACE_REQUEST_COMMAND, arguments: [lens.argument] } }];
    });
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

  connection.onShutdown(() => {
    cluster?.dispose();
    networkTree?.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
