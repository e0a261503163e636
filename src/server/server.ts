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
  FileChangeType,
  MessageType,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type CodeLens,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../package.json';
import { CONFIG_FILE_GLOB, MANIFEST_GLOB, SETTINGS_SECTION } from '../core/config/facts';
import { codeLenses, type LensSource } from '../core/editor/code-lenses';
import { hoverAt, type HoverSource } from '../core/editor/hover-text';
import { codiconMark, textMark } from '../core/editor/marks';
import type { ToolSettings } from '../core/source/render/tools';
import { toolMissingNotice } from '../core/workspace/render-status';
import { renderKey } from '../core/workspace/workspace-renders';
import {
  DID_CHANGE_RENDERS,
  DID_CHANGE_TOOL_PATHS,
  DID_GRANT_TRUST,
  INDEX_STATE_NOTIFICATION,
  isKniInitializationOptions,
  NOTICE_NOTIFICATION,
  renderIdOf,
  RENDERS_REQUEST,
  SCAN_REQUEST,
  SHOW_WORKLOADS_COMMAND,
  TRACE_REQUEST_COMMAND,
  TRACE_TARGETS_REQUEST,
  type IndexStateParams,
  type IndexUpdateReason,
  type KniInitializationOptions,
  type NoticeParams,
  type RendersParams,
  type RendersResult,
  type ScanStats,
  type ToolPathsParams,
  type TraceTargetsResult,
} from '../protocol/lsp';
import { DiagnosticReports } from './diagnostic-reports';
import { quickFixes } from './code-actions';
import { diagnosticsFor, rangeOf } from './diagnostics';
import { keyOf, ServerWorkspace, uriOf } from './workspace';
import { ServerCluster } from './cluster';
import { filesModel, InspectorService, renderModel, type ScopeModel } from './inspector';
import { NetworkTreeService } from './network-tree';
import { settingsFrom } from '../core/config/settings';

/** What this server does not do yet, for clients that look (initialize's `experimental`). */
export const NOT_SERVED = { renders: true, cluster: true, inspector: true, trust: 'renders, reads a kubeconfig and runs its credential plugins only when the client says the workspace is trusted' } as const;

/** Said once when the client did not say the workspace is trusted. */
export const UNTRUSTED_NOTICE = 'kni: the workspace is not trusted, so kni runs no program: Helm charts and Kustomize overlays are not rendered (and no kubeconfig or cluster is read). A client that trusts it passes initializationOptions { trusted = true }.';

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The user's tool paths from initializationOptions (blank ones left out: the Kubernetes extension's, then PATH). */
export function toolsFrom(o: ToolPathsParams | undefined): ToolSettings {
  const path = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const helmPath = path(o?.helmPath);
  const kustomizePath = path(o?.kustomizePath);
  const names = { helmPathName: 'initializationOptions.helmPath', kustomizePathName: 'initializationOptions.kustomizePath' };
  const k8s = o?.kubernetesExtension;
  const kubernetesExtension = k8s !== null && typeof k8s === 'object' && !Array.isArray(k8s) ? k8s : undefined;
  return { ...(helmPath ? { helmPath } : {}), ...(kustomizePath ? { kustomizePath } : {}), ...(kubernetesExtension ? { kubernetesExtension } : {}), ...names };
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let ws: ServerWorkspace | undefined;
  let pull = false;
  let refreshSupport = false;
  let configurationSupport = false;
  let watchRegistration = false;
  let configRegistration = false;
  let workspaceFolderChanges = false;
  let codeLensRefresh = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** What was said once (the untrusted notice, a missing tool). */
  const said = new Set<string>();
  let ready: Promise<void> = Promise.resolve();
  /** Document pulls waiting for the debounce or the queue, by file key. */
  const waitingPulls = new Map<string, number>();
  /** Counts the index's updates (IndexStateParams.generation). */
  let generation = 0;
  /** When the last document change arrived (performance.now()), for an edit's sinceChangeMs. */
  let lastChangeAt: number | undefined;
  /** The client shows kni/notice itself. */
  let noticesByClient = false;
  /** Hovers and lenses mark with theme icons (the client draws them). */
  let themeIcons = false;
  /** The client runs SHOW_WORKLOADS_COMMAND. */
  let showWorkloads = false;

  const workspace = (): ServerWorkspace => ws as ServerWorkspace;
  /** The client's `kni.*` settings as last read. */
  let settings: unknown = null;
  let cluster: ServerCluster | undefined;
  let inspector: InspectorService | undefined;
  let networkTree: NetworkTreeService | undefined;
  /** A file's diagnostics: its findings, and its drift from the connected cluster. */
  const fileDiagnostics = (key: string) => [...diagnosticsFor(workspace(), key), ...(cluster?.driftDiagnostics(key) ?? [])];
  const reports = new DiagnosticReports(fileDiagnostics);

  /**
   * An update's diagnostics go out: first the index's state (counts, what
   * the update cost), then the diagnostics pushed, or (pull) the changed
   * files streamed to the held workspace pull and the client asked to pull
   * its open documents again.
   */
  const publish = (changed: readonly string[], reason: IndexUpdateReason, cost: { analysisMs: number; sinceChangeMs?: number; scan?: ScanStats } = { analysisMs: 0 }) => {
    generation++;
    const w = workspace();
    const state: IndexStateParams = { generation, reason, files: w.fileCount, objects: w.objectCount(), problems: w.problems(), ...cost };
    void connection.sendNotification(INDEX_STATE_NOTIFICATION, state);
    if (pull) {
      reports.changed(changed, generation);
      // Files not open come by the workspace pull; an open one whose pull waits gets this update as its answer.
      const open = new Set(documents.keys().map(keyOf));
      if (refreshSupport && changed.some((k) => open.has(k) && !waitingPulls.has(k))) void connection.languages.diagnostics.refresh();
      return;
    }
    for (const key of changed) void connection.sendDiagnostics({ uri: uriOf(key), diagnostics: fileDiagnostics(key) });
  };
  const analysed = (changed: readonly string[], reason: IndexUpdateReason, cost?: { analysisMs: number; sinceChangeMs?: number; scan?: ScanStats }) => {
    publish(changed, reason, cost);
    inspector?.workspaceChanged();
    networkTree?.changed('files');
  };
  /** Re-analyses what changed (an edit, a file) and publishes it, with what it cost. */
  const updateNow = (reason: 'edit' | 'file') => {
    const t0 = performance.now();
    const { changed } = workspace().update(reason);
    const now = performance.now();
    const sinceChange = reason === 'edit' && lastChangeAt !== undefined ? { sinceChangeMs: round(now - lastChangeAt) } : {};
    analysed(changed, reason, { analysisMs: round(now - t0), ...sinceChange });
  };

  /** The client's workspace folders on disk (file: URIs), whose files.exclude is read. */
  let folderUris: string[] = [];
  /** Every workspace folder the client named (any scheme). */
  let allFolders: string[] = [];
  let untrustedWords: string | undefined;
  /** The workspace of these folders, with the documents the client has open. */
  const makeWorkspace = (folders: readonly string[], trusted: boolean, tools: ToolSettings): ServerWorkspace => {
    allFolders = [...folders];
    // Folders of other schemes (a virtual file system) are not read: their documents are analysed when the client opens them.
    folderUris = folders.filter((u) => u.startsWith('file:'));
    for (const u of folders) if (!u.startsWith('file:')) connection.console.info(`kni: the workspace folder ${u} is not on disk: its files are analysed as they are opened, not scanned`);
    const made = new ServerWorkspace(folderUris.map((u) => fileURLToPath(u)), {
      trusted,
      tools,
      onRendersChanged: rendersChanged,
      onRelist: (relist) =>
        enqueue(async () => {
          if (await relist()) updateNow('file');
        }),
      ...(untrustedWords !== undefined ? { untrustedWords } : {}),
    });
    for (const d of documents.all()) made.setOpen(d.uri, d.getText());
    return made;
  };
  /** The settings as last read (JSON), to tell a notification that changed nothing (VS Code sends one when it registers). */
  let settingsRead: string | undefined;
  /** Reads `kni.*` and each folder's files.exclude: 'scope' when the set of files changed (a scan is needed), 'rules' when only the analysis did. */
  const readSettings = async (): Promise<'scope' | 'rules' | 'none'> => {
    if (!configurationSupport) return 'none';
    try {
      const [kni, ...excludes] = await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }, ...folderUris.map((scopeUri) => ({ scopeUri, section: 'files.exclude' }))]);
      const read = JSON.stringify([kni, excludes]);
      if (read === settingsRead) return 'none';
      settingsRead = read;
      settings = kni;
      return workspace().setSettings(settings, excludes) ? 'scope' : 'rules';
    } catch (e) {
      connection.console.warn(`kni: cannot read the kni.* settings (${e instanceof Error ? e.message : String(e)}); using the defaults`);
      return 'none';
    }
  };

  /**
   * Runs a step after the ones before it (requests wait for `ready`) and
   * resolves with its result. A step that fails is reported in the client's
   * log (and rejects its own promise); the next ones still run.
   */
  const run = <T>(step: () => T | Promise<T>): Promise<T> => {
    const result = ready.then(step);
    ready = result.then(
      () => undefined,
      (e: unknown) => connection.console.error(`kni: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    );
    return result;
  };
  const enqueue = (step: () => void | Promise<void>) => void run(step).catch(() => undefined);

  /** Says once why renders are off, or that a tool is missing (the client shows it; the log keeps it). */
  const notices = () => {
    const w = workspace();
    const say = (key: NoticeParams['key'], type: MessageType, message: string) => {
      if (said.has(key)) return;
      said.add(key);
      if (noticesByClient) void connection.sendNotification(NOTICE_NOTIFICATION, { key, message } satisfies NoticeParams);
      else void connection.sendNotification('window/showMessage', { type, message });
    };
    const off = w.renders.offReason;
    if (off !== undefined) say('untrusted', MessageType.Info, noticesByClient ? `KNI: ${off}` : UNTRUSTED_NOTICE);
    for (const { tool, problem } of w.renders.toolProblems()) say(tool, MessageType.Warning, toolMissingNotice(tool, problem));
  };

  const publishAll = (changed: readonly string[], reason: IndexUpdateReason, cost?: { analysisMs: number; scan?: ScanStats }) => {
    analysed(changed, reason, cost);
    if (codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  };

  /** Reads the whole workspace again; resolves with the scan's figures once its diagnostics are out. */
  const scanNow = async (alsoChanged: readonly string[] = []): Promise<ScanStats> => {
    cluster?.invalidate();
    const { changed, stats } = await workspace().scan();
    publishAll([...new Set([...changed, ...alsoChanged])], 'scan', { analysisMs: stats.phases.firstFindingsMs, scan: stats });
    notices();
    return stats;
  };
  const rescan = (): Promise<ScanStats> =>
    run(async () => {
      await readSettings();
      return scanNow();
    });

  /** The settings changed: a scan when the set of files did, else the rules run again over the texts held. */
  const settingsChanged = (given?: unknown) =>
    enqueue(async () => {
      const change = configurationSupport ? await readSettings() : workspace().setSettings(given) ? 'scope' : 'rules';
      if (change === 'none') return;
      if (change === 'scope') {
        await scanNow();
        return;
      }
      cluster?.invalidate();
      const t0 = performance.now();
      const { changed } = workspace().reconfigure();
      publishAll(changed, 'config', { analysisMs: round(performance.now() - t0) });
    });

  /** Resolves when the debounce that waits now has fired and its update is published (document pulls wait for it). */
  let debounced: { promise: Promise<void>; resolve: () => void } | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    if (!debounced) {
      let resolve = () => {};
      const promise = new Promise<void>((done) => (resolve = done));
      debounced = { promise, resolve };
    }
    timer = setTimeout(() => {
      timer = undefined;
      const waiting = debounced;
      debounced = undefined;
      enqueue(() => {
        try {
          updateNow('edit');
        } finally {
          waiting?.resolve();
        }
      });
    }, workspace().debounceMs);
  };

  /** Renders changed state or findings: their files' diagnostics and the lenses again. */
  const rendersChanged = () =>
    enqueue(async () => {
      const t0 = performance.now();
      const { changed } = await workspace().rendersChanged();
      publishAll(changed, 'render', { analysisMs: round(performance.now() - t0) });
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
    noticesByClient = options.notices === true;
    themeIcons = options.themeIcons === true;
    showWorkloads = options.commands?.includes(SHOW_WORKLOADS_COMMAND) === true;
    untrustedWords = options.untrustedWords;
    ws = makeWorkspace(folders, options.trusted === true, toolsFrom(options));
    if (options.trusted !== true) connection.console.info(UNTRUSTED_NOTICE);
    cluster = new ServerCluster(connection, {
      trusted: () => workspace().isTrusted,
      // Read each time: workspace folders come and go (onDidChangeWorkspaceFolders below).
      folders: () => folderUris.map((u) => fileURLToPath(u)),
      settings: () => settings,
      objectsIn: (key) => workspace().objectsIn(key),
      rangeOf: (loc) => rangeOf(workspace(), loc),
      changed: () => {
        inspector?.changed();
        networkTree?.changed();
        // Drift is shown in open documents only.
        const changed = cluster?.driftChanged(documents.keys().map(keyOf)) ?? [];
        if (changed.length > 0) publish(changed, 'cluster');
      },
    });
    cluster.register();
    const scopeModel = (scope: 'files' | 'cluster'): ScopeModel | undefined => {
      const context = cluster?.context;
      if (scope === 'cluster') return cluster?.inspectorModel();
      return filesModel(workspace().modelIndex(), workspace().allFindings(), context ? { current: 'files', cluster: context } : undefined);
    };
    inspector = new InspectorService(connection, {
      model: (scope) => {
        const render = renderIdOf(scope);
        if (render === undefined) return scopeModel(scope as 'files' | 'cluster');
        const context = cluster?.context;
        return renderModel(workspace().renders, render, context ? { current: 'files' as const, cluster: context } : undefined);
      },
      location: (loc) => {
        const range = rangeOf(workspace(), loc);
        return range && { uri: uriOf(loc.file), range };
      },
      traceSettings: () => {
        const { proxyMode, clusterDomain } = settingsFrom(settings);
        return { proxyMode, clusterDomain };
      },
      ready: () => ready,
      rendersIdle: () => workspace().renders.whenIdle(),
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
    workspaceFolderChanges = caps.workspace?.workspaceFolders === true;
    return {
      serverInfo: { name: 'kni', version },
      capabilities: {
        // Saves: Helm and Kustomize read the disk, so renders follow saved text.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        ...(pull ? { diagnosticProvider: { identifier: 'kni', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        ...(workspaceFolderChanges ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
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
    // files.exclude too: it decides which files are scanned.
    if (configRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: [SETTINGS_SECTION, 'files.exclude'] });
    if (workspaceFolderChanges) {
      // Folders added or removed: a workspace of the new folders (trust and tools kept), scanned.
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        enqueue(async () => {
          const removed = new Set(e.removed.map((f) => f.uri));
          const folders = [...allFolders.filter((u) => !removed.has(u)), ...e.added.map((f) => f.uri).filter((u) => !allFolders.includes(u))];
          const old = workspace();
          // The old folders' files are cleared unless the new workspace has them too.
          const shown = [...old.allFindings().keys()];
          ws = makeWorkspace(folders, old.isTrusted, old.toolSettings);
          old.dispose();
          cluster?.foldersChanged();
          settingsRead = undefined;
          await readSettings();
          await scanNow(shown);
        });
      });
    }
    void rescan().catch(() => undefined);
  });

  // An opened document is analysed at once; edits after a debounce (didOpen also fires a content change: its text is the same, so that update finds nothing new).
  documents.onDidOpen((e) => {
    workspace().setOpen(e.document.uri, e.document.getText());
    enqueue(() => updateNow('file'));
  });
  documents.onDidChangeContent((e) => {
    lastChangeAt = performance.now();
    workspace().setOpen(e.document.uri, e.document.getText());
    schedule();
  });
  documents.onDidClose((e) => {
    // A pulling client takes a closed document's diagnostics from the workspace pull from now on.
    if (pull) reports.documentClosed(e.document.uri);
    enqueue(async () => {
      await workspace().close(e.document.uri);
      updateNow('file');
    });
  });
  documents.onDidSave((e) => workspace().saved(e.document.uri));

  // The client trusted the workspace: a new scan, which renders.
  connection.onNotification(DID_GRANT_TRUST, () => {
    if (workspace().isTrusted) return;
    workspace().trust();
    void rescan().catch(() => undefined);
  });
  connection.onNotification(DID_CHANGE_TOOL_PATHS, (params: ToolPathsParams | undefined) => {
    said.delete('helm');
    said.delete('kustomize');
    workspace().setTools(toolsFrom(params));
  });

  // A client that cannot be asked sends its settings with the notification (`{ kni: {...} }`).
  connection.onDidChangeConfiguration((params) => {
    if (configurationSupport) {
      settingsChanged();
      return;
    }
    settings = (params.settings as { kni?: unknown } | null)?.kni ?? null;
    settingsChanged(settings);
  });

  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((c) => workspace().isConfigFile(c.uri))) {
      void rescan().catch(() => undefined);
      return;
    }
    enqueue(async () => {
      // A deleted file leaves the analysis (and the renders that read it run again); an open one keeps its editor's text.
      for (const c of params.changes) await workspace().diskChanged(c.uri, c.type !== FileChangeType.Deleted);
      updateNow('file');
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
      mark: themeIcons ? codiconMark : textMark,
      clusterDomain: w.clusterDomain,
      link: (loc, label) => {
        const range = loc && rangeOf(w, loc);
        return loc && range ? `[${label}](${uriOf(loc.file)}#L${range.start.line + 1})` : label;
      },
    });
    if (!found) return null;
    return { contents: { kind: 'markdown', value: found.text }, range: rangeOf(w, found.loc) };
  });

  connection.onRequest(RENDERS_REQUEST, async (params?: RendersParams): Promise<RendersResult> => {
    await ready;
    if (params?.whenIdle === true) {
      await workspace().renders.whenIdle();
      // The renders' change is reported on a timer of its own, then published as a step of the queue.
      await new Promise((done) => setTimeout(done, 10));
      await ready;
    }
    return workspace().renders.summary();
  });

  connection.onRequest(SCAN_REQUEST, (): Promise<ScanStats> => rescan());

  connection.onRequest(TRACE_TARGETS_REQUEST, async (): Promise<TraceTargetsResult> => {
    await ready;
    return { targets: workspace().traceTargets() };
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
      if (lens.kind === 'reach') {
        // A click lists the workloads, for a client that can (LSP has no common command to list locations).
        const locations = lens.workloads.flatMap((loc) => {
          const at = rangeOf(w, loc);
          return at ? [{ uri: uriOf(loc.file), range: at }] : [];
        });
        if (showWorkloads && locations.length > 0) return [{ range, command: { title: lens.title, command: SHOW_WORKLOADS_COMMAND, arguments: [params.textDocument.uri, range.start, locations] } }];
        return [{ range, command: { title: lens.title, command: '' } }];
      }
      return [{ range, command: { title: themeIcons ? `$(debug-start) ${lens.title}` : lens.title, command: TRACE_REQUEST_COMMAND, arguments: [lens.argument] } }];
    });
  });

  connection.onCodeAction(async (params) => {
    await ready;
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    return quickFixes(workspace(), doc.uri, doc.getText(), params.context.diagnostics);
  });

  connection.languages.diagnostics.on(async (params) => {
    const mark = reports.mark();
    const key = keyOf(params.textDocument.uri);
    // VS Code's client pulls as soon as it sent a change: the answer waits for the debounce (kni.diagnostics.debounceMs) and is the edit's.
    waitingPulls.set(key, (waitingPulls.get(key) ?? 0) + 1);
    try {
      if (debounced) await debounced.promise;
      await ready;
    } finally {
      const n = (waitingPulls.get(key) ?? 1) - 1;
      if (n > 0) waitingPulls.set(key, n);
      else waitingPulls.delete(key);
    }
    return reports.document(params.textDocument.uri, params.previousResultId, mark);
  });

  connection.languages.diagnostics.onWorkspace(async (params, token, _workDone, resultProgress) => {
    await ready;
    return reports.workspace(params.previousResultIds, token, resultProgress);
  });

  connection.onShutdown(() => {
    reports.dispose();
    cluster?.dispose();
    networkTree?.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
