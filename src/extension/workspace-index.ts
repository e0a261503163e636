// The workspace index: every manifest file of the workspace (files.exclude,
// `kni.include`/`kni.exclude` and `.kni.yaml` honoured) plus the unsaved text
// of open editors, which wins over the disk. It feeds the core's incremental
// Analysis and tells listeners which files' findings changed.
//
// Edits are re-analysed per document after a debounce, file events re-read one
// file, and only the first scan (or Refresh) reads the whole workspace, in
// chunks that yield to the event loop, with progress and a Cancel button.
import * as vscode from 'vscode';
import type { Finding } from '../core/findings/types';
import type { ModelIndex } from '../core/model/model-index';
import type { ModelObject, NetworkModel } from '../core/model/types';
import { LineIndex } from '../core/text/lines';
import { listManifestFiles, readLocalFile, type FileText } from '../core/workspace/file-walk';
import { decodeManifestBytes } from '../core/text/decode';
import { expandBraces, IndexEngine, type FindingsUpdate, type IngestStats } from '../core/workspace/index-engine';
import type { Analysis } from '../core/analysis';
import type { KniConfig } from '../core/config';
import { combineFolderConfigs, createAnalysis, isInScope, mergeConfig, withFolderSeverities, type FolderConfig, type WorkspaceConfig } from '../core/workspace/folder-config';
import { WorkspaceRenders } from './renders/workspace-renders';
import { readSettings, readToolSettings, type EditorSettings } from './settings';

const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
const CONFIG_FILE = '.kni.yaml';
/** Always skipped, like the CLI does. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];
/** Above this many files the first scan shows a cancellable notification. */
const NOTIFY_ABOVE_FILES = 300;
/** The first scan's progress is reported at most this often (ms). */
const PROGRESS_EVERY_MS = 250;

export interface IndexUpdate extends FindingsUpdate {
  reason: 'scan' | 'edit' | 'file' | 'config' | 'render';
  /** Where the time went, for the benchmark (performance.now() times of this extension host). */
  timing: UpdateTiming;
}

/** A finished scan: the ingest's figures, its duration and phases (a cancelled one has no phases). */
export type ScanStats = IngestStats & { ms?: number; phases?: ScanPhases };

/** Where the first scan's time went (ms). */
export interface ScanPhases {
  /** Reading `.kni.yaml`. */
  configMs: number;
  /** Listing the workspace's manifest files (node:fs; findFiles on virtual file systems). */
  listMs: number;
  /** Reading and parsing them. */
  readMs: number;
  /** The first findings (model, index, rules). */
  firstFindingsMs: number;
  /** Grouping by file, building the diagnostics and handing them to VS Code. */
  publishMs: number;
  /** CPU time of the extension host process while reading and parsing, and during the first findings: wall time well above it means it waited for the CPU. */
  readCpuMs: number;
  firstFindingsCpuMs: number;
}

/** The path of one update, edit event to diagnostics (Diagnostics fills in the last two). */
export interface UpdateTiming {
  /** The last change event of the edited document (edits only). */
  changedAt?: number;
  /** When the debounce timer fired (edits only). */
  debounceFiredAt?: number;
  /** Start of the re-analysis (setText of the edited text, or the scan's first findings). */
  analysisStartedAt: number;
  /** When the findings by file were ready (after the core's findings() and grouping). */
  analysedAt: number;
  /** When the Diagnostic objects of the changed files were built. */
  builtAt?: number;
  /** When DiagnosticCollection.set returned for all of them. */
  publishedAt?: number;
}

function isManifestPath(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}

/** An editor document the index follows: YAML or JSON, in a real file or an untitled buffer. */
export function isCandidateDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === 'git' || doc.uri.scheme === 'output' || doc.uri.scheme === 'vscode-userdata') return false;
  return doc.languageId === 'yaml' || doc.languageId === 'json' || isManifestPath(doc.uri.path);
}

export class WorkspaceIndex implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<IndexUpdate>();
  readonly onDidUpdate = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  private analysis!: Analysis;
  private engine!: IndexEngine;
  private settings: EditorSettings;
  private readonly keyByUri = new Map<string, string>();
  private readonly uriByKey = new Map<string, vscode.Uri>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The time of each followed document's last change event, for UpdateTiming. */
  private readonly changedAt = new Map<string, number>();
  private byFile: ReadonlyMap<string, readonly Finding[]> = new Map();
  private objectsByFile: Map<string, ModelObject[]> | undefined;
  /** The model objectsByFile was built from (the analysis makes a new one after any change). */
  private objectsModel: NetworkModel | undefined;
  private scan: vscode.CancellationTokenSource | undefined;
  private scanDone: Promise<ScanStats | undefined> = Promise.resolve(undefined);
  /** The signature of each `.kni.yaml`'s findings last published, by file key. */
  private publishedConfigSignatures = new Map<string, string>();
  private disposed = false;
  /** Charts and Kustomize roots rendered with the user's tools (trusted workspaces only). */
  readonly renders: WorkspaceRenders;
  /** Keys of files a render reads (or will): not analysed as loose manifests. */
  private heldOut = new Set<string>();
  /** The renders' findings by key as last published, and the texts their offsets are into. */
  private renderFindings = new Map<string, Finding[]>();
  private renderTexts = new Map<string, string>();
  /** The in-scope files of each folder as listed (folder-relative), for render discovery. */
  private listed = new Map<number, Set<string>>();
  /** Figures for the status bar and the benchmark. */
  lastScan: ScanStats | undefined;
  lastUpdateMs = 0;

  constructor() {
    this.settings = readSettings();
    this.renders = new WorkspaceRenders((uri) => this.register(uri));
    this.reset();
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB);
    // Render inputs that are not manifests: helpers and Kustomize's capitalised file.
    const inputs = vscode.workspace.createFileSystemWatcher('**/{*.tpl,Kustomization}');
    // A folder deleted at once (a chart removed) is one event for the folder, which the globs above do not match.
    const deletes = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.disposables.push(
      watcher,
      inputs,
      deletes,
      deletes.onDidDelete((uri) => this.onFolderDeleted(uri)),
      this.renders,
      this.renders.onDidChange(() => this.onRendersChanged()),
      inputs.onDidCreate((uri) => this.onRenderInputCreatedOrDeleted(uri)),
      inputs.onDidChange((uri) => this.renders.fileSaved(uri)),
      inputs.onDidDelete((uri) => this.onRenderInputCreatedOrDeleted(uri)),
      // Helm and Kustomize read files from disk: renders follow saved text.
      vscode.workspace.onDidSaveTextDocument((doc) => this.renders.fileSaved(doc.uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
      watcher.onDidCreate((uri) => this.onDiskChange(uri)),
      watcher.onDidChange((uri) => this.onDiskChange(uri)),
      watcher.onDidDelete((uri) => this.onDiskDelete(uri)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.onOpen(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.follows(e.document)) {
          this.changedAt.set(e.document.uri.toString(), performance.now());
          this.schedule(e.document, this.settings.debounceMs);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClose(doc)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
    );
  }

  // ------------------------------------------------------------ queries

  /** Resolves when the running scan (if any) has finished. */
  whenScanned(): Promise<ScanStats | undefined> {
    return this.scanDone;
  }

  get fileCount(): number {
    return this.engine.size;
  }

  model(): NetworkModel {
    return this.analysis.model();
  }

  /** The merged configuration (`.kni.yaml` and the `kni.*` settings) the analysis runs with. */
  analysisConfig(): KniConfig {
    return this.workspaceConfig.config;
  }

  modelIndex(): ModelIndex {
    return this.analysis.index();
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    const key = this.keyByUri.get(uri.toString());
    return key === undefined ? [] : (this.byFile.get(key) ?? []);
  }

  allFindings(): Iterable<readonly Finding[]> {
    return this.byFile.values();
  }

  /** The model objects written in a file, in source order. */
  objectsIn(uri: vscode.Uri): readonly ModelObject[] {
    const key = this.keyByUri.get(uri.toString());
    if (key === undefined) return [];
    const m = this.model();
    if (!this.objectsByFile || this.objectsModel !== m) {
      const map = new Map<string, ModelObject[]>();
      for (const list of [m.namespaces, m.workloads, m.services, m.endpointSlices, m.ingresses, m.ingressClasses, m.routes, m.networkPolicies, m.adminNetworkPolicies] as ModelObject[][]) {
        for (const o of list) {
          const file = o.origin.file;
          if (file === undefined) continue;
          let l = map.get(file);
          if (!l) map.set(file, (l = []));
          l.push(o);
        }
      }
      for (const l of map.values()) l.sort((a, b) => (a.origin.loc?.start ?? 0) - (b.origin.loc?.start ?? 0));
      this.objectsByFile = map;
      this.objectsModel = m;
    }
    return this.objectsByFile.get(key) ?? [];
  }

  keyOf(uri: vscode.Uri): string | undefined {
    return this.keyByUri.get(uri.toString());
  }

  uriOf(key: string): vscode.Uri | undefined {
    return this.uriByKey.get(key);
  }

  /** The editor position of an offset into a file the index holds. */
  positionAt(key: string, offset: number): vscode.Position {
    const text = this.engine.text(key) ?? this.renderTexts.get(key) ?? this.folderConfigs.find((c) => c.file === key)?.text ?? '';
    const parsed = this.analysis.parsed(key);
    if (parsed && parsed.lines.text === text) {
      const p = parsed.lines.positionAt(offset);
      return new vscode.Position(p.line - 1, p.column - 1);
    }
    let li = this.lineIndexes.get(key);
    if (!li || li.text !== text) {
      li = new LineIndex(text);
      this.lineIndexes.set(key, li);
    }
    const p = li.positionAt(offset);
    return new vscode.Position(p.line - 1, p.column - 1);
  }

  rangeOf(loc: { file: string; start: number; end: number }): vscode.Range {
    return new vscode.Range(this.positionAt(loc.file, loc.start), this.positionAt(loc.file, loc.end));
  }

  /** Whether a file is analysed as a loose manifest (not a render's input). */
  isLoose(uri: vscode.Uri): boolean {
    const key = this.keyByUri.get(uri.toString());
    return key !== undefined && this.engine.text(key) !== undefined;
  }

  /** Whether the analysed text of this document is its current text (no edit pending). */
  isCurrent(doc: vscode.TextDocument): boolean {
    const key = this.keyByUri.get(doc.uri.toString());
    if (key === undefined) return false;
    const text = this.engine.text(key) ?? this.renderTexts.get(key);
    return text === doc.getText();
  }

  // ------------------------------------------------------------ scanning

  /**
   * Reads the whole workspace again (settings, `.kni.yaml`, every manifest),
   * then the open editors over it. Cancels a scan in progress.
   */
  refresh(): Promise<ScanStats | undefined> {
    this.scan?.cancel();
    this.settings = readSettings();
    const cts = new vscode.CancellationTokenSource();
    this.scan = cts;
    this.scanDone = this.runScan(cts.token).finally(() => {
      if (this.scan === cts) this.scan = undefined;
      cts.dispose();
      // Renders that finished while the scan ran, after its last look.
      if (!this.scan && this.rendersDirty) this.onRendersChanged();
    });
    return this.scanDone;
  }

  private async runScan(token: vscode.CancellationToken): Promise<ScanStats | undefined> {
    const started = performance.now();
    const phases: ScanPhases = { configMs: 0, listMs: 0, readMs: 0, firstFindingsMs: 0, publishMs: 0, readCpuMs: 0, firstFindingsCpuMs: 0 };
    let mark = started;
    let cpuMark = process.cpuUsage();
    const phase = (name: Exclude<keyof ScanPhases, 'readCpuMs' | 'firstFindingsCpuMs'>) => {
      const now = performance.now();
      phases[name] = Math.round((now - mark) * 10) / 10;
      mark = now;
      const cpu = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      if (name === 'readMs') phases.readCpuMs = Math.round((cpu.user + cpu.system) / 100) / 10;
      if (name === 'firstFindingsMs') phases.firstFindingsCpuMs = Math.round((cpu.user + cpu.system) / 100) / 10;
    };
    // Listing the files and reading the .kni.yaml files are round trips of their own: both at once.
    const listing = this.listFiles(token);
    listing.then(undefined, () => undefined); // a scan that ends early does not await it
    await this.loadConfig();
    phase('configMs');
    if (token.isCancellationRequested || this.disposed) return undefined;
    this.reset();
    // Open editors' text wins over the disk. Nothing is published before the
    // scan ends: a Service whose Deployment is not read yet would show a
    // finding that is not true.
    for (const doc of vscode.workspace.textDocuments) if (this.follows(doc)) this.setFromDocument(doc);

    const uris = (await listing).filter((u) => this.inScope(u)).sort((a, b) => a.toString().localeCompare(b.toString()));
    if (token.isCancellationRequested || this.disposed) return undefined;
    phase('listMs');
    const keys = uris.map((u) => this.register(u));
    this.startRenders(uris);
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const toRead = keys.filter((k, i) => !open.has(uris[i].toString()) && !this.heldOut.has(k));

    const ingest = (progress?: vscode.Progress<{ message?: string; increment?: number }>, cancel?: vscode.CancellationToken) => {
      let reported = 0;
      let reportedAt = 0;
      return this.engine.ingest(toRead, (key) => this.readKey(key), {
        isCancelled: () => token.isCancellationRequested || cancel?.isCancellationRequested === true || this.disposed,
        onProgress: (done, total) => {
          // Each report is a message to the workbench and a redraw of the notification: a few a second are enough.
          const now = performance.now();
          if (!progress || (now - reportedAt < PROGRESS_EVERY_MS && done < total)) return;
          reportedAt = now;
          const pct = (done / Math.max(1, total)) * 100;
          progress.report({ message: `${done} of ${total} files`, increment: pct - reported });
          reported = pct;
        },
      });
    };
    const stats =
      toRead.length > NOTIFY_ABOVE_FILES
        ? await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'KNI: indexing Kubernetes manifests', cancellable: true },
            (progress, cancel) => ingest(progress, cancel),
          )
        : await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'KNI: indexing manifests' }, () => ingest());
    if (this.disposed || token.isCancellationRequested) return stats;
    phase('readMs');
    this.applyHeldOut(false);
    const update = await this.engine.updateInSteps();
    if (this.disposed || token.isCancellationRequested) return stats;
    phase('firstFindingsMs');
    this.takeRenderFindings();
    this.publish('scan', update);
    this.renderStateEmitter.fire();
    phase('publishMs');
    const ms = performance.now() - started;
    this.lastScan = { ...stats, longestStretchMs: Math.max(stats.longestStretchMs, update.longestStretchMs ?? update.analysisMs), ms, phases };
    if (stats.cancelled) {
      void vscode.window.showInformationMessage(
        `KNI indexed ${this.engine.size} manifest files before the scan was cancelled; cross-file findings may be incomplete. Run "KNI: Refresh" to index the whole workspace.`,
      );
    }
    return this.lastScan;
  }

  /**
   * Every manifest candidate of the workspace's folders: on disk with
   * node:fs (file-walk.ts), on virtual file systems with findFiles.
   */
  private async listFiles(token: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const lists = await Promise.all(
      (vscode.workspace.workspaceFolders ?? []).map(async (folder) => {
        const exclude = this.excludeGlobs(folder);
        if (folder.uri.scheme !== 'file') {
          return vscode.workspace.findFiles(new vscode.RelativePattern(folder, MANIFEST_GLOB), `{${exclude.flatMap(expandBraces).join(',')}}`, undefined, token);
        }
        const paths = await listManifestFiles(folder.uri.fsPath, { exclude, isCancelled: () => token.isCancellationRequested });
        return paths.map((p) => vscode.Uri.joinPath(folder.uri, ...p.split('/')));
      }),
    );
    return lists.flat();
  }

  /**
   * files.exclude of a folder (the entries set to true) and the always-skipped
   * folders. (Passing any exclude to findFiles replaces files.exclude, so it
   * is added there too.)
   */
  private excludeGlobs(folder: vscode.WorkspaceFolder): string[] {
    const filesExclude = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
    return [...Object.entries(filesExclude).filter(([, v]) => v === true).map(([k]) => k), ...ALWAYS_EXCLUDED];
  }

  /** A manifest path under kni.include/kni.exclude and its folder's .kni.yaml's globs (relative to that folder). */
  private inScope(uri: vscode.Uri): boolean {
    if (!isManifestPath(uri.path)) return false;
    if (uri.scheme === 'untitled') return true;
    const rel = vscode.workspace.asRelativePath(uri, false);
    if (/(^|\/)(node_modules|\.git)\//.test(rel)) return false;
    return isInScope(this.folderConfigOf(uri), rel);
  }

  // ------------------------------------------------------------ config

  /** Each workspace folder's configuration, in folder order. */
  private folderConfigs: FolderConfig[] = [];
  private workspaceConfig!: WorkspaceConfig;
  /** The `.kni.yaml` of each folder, in folder order. */
  private configUris: vscode.Uri[] = [];

  /** The configuration of the folder a file is in (files outside every folder: the first folder's). */
  private folderConfigOf(uri: vscode.Uri | undefined): KniConfig {
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    return (this.folderConfigs[folder?.index ?? 0] ?? this.folderConfigs[0])?.config ?? this.workspaceConfig.config;
  }

  private isConfigFile(uri: vscode.Uri): boolean {
    const id = uri.toString();
    return this.configUris.some((u) => u.toString() === id);
  }

  /** Reads every folder's `.kni.yaml` (at once), with the settings over each. */
  private async loadConfig(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    this.configUris = folders.map((f) => vscode.Uri.joinPath(f.uri, CONFIG_FILE));
    const texts = await Promise.all(
      this.configUris.map(async (uri) => {
        try {
          return uri.scheme === 'file' ? (await readLocalFile(uri.fsPath)).text : decodeManifestBytes(await vscode.workspace.fs.readFile(uri)).text;
        } catch {
          return undefined; // no .kni.yaml: the settings alone apply
        }
      }),
    );
    this.folderConfigs = this.configUris.map((uri, i) => mergeConfig(this.settings, texts[i], this.register(uri)));
  }

  /** The folders' configurations merged again with the current settings (their `.kni.yaml` texts as last read). */
  private remergeConfig(): void {
    this.folderConfigs = this.folderConfigs.map((c) => mergeConfig(this.settings, c.text, c.file));
    this.workspaceConfig = combineFolderConfigs(this.folderConfigs, this.settings);
    this.engine?.setAdjust(this.adjuster());
  }

  /** Per-folder severities of the rules that differ between folders (undefined: nothing to adjust). */
  private adjuster(): ((file: string, list: readonly Finding[]) => readonly Finding[]) | undefined {
    const { varying, config: core } = this.workspaceConfig;
    if (varying.size === 0) return undefined;
    return (file, list) => withFolderSeverities(list, varying, this.folderConfigOf(this.uriByKey.get(file)), core);
  }

  /** A fresh, empty analysis with the current settings and `.kni.yaml` files (a scan fills it). */
  private reset(): void {
    this.remergeConfig();
    this.analysis = createAnalysis(this.workspaceConfig.config);
    this.engine = new IndexEngine(this.analysis, this.adjuster());
    this.objectsByFile = undefined;
  }

  // ------------------------------------------------------------ events

  private register(uri: vscode.Uri): string {
    const id = uri.toString();
    let key = this.keyByUri.get(id);
    if (key !== undefined) return key;
    key = uri.scheme === 'untitled' ? id : vscode.workspace.asRelativePath(uri);
    if (this.uriByKey.has(key)) key = id;
    this.keyByUri.set(id, key);
    this.uriByKey.set(key, uri);
    return key;
  }

  private async readKey(key: string): Promise<FileText | undefined> {
    const uri = this.uriByKey.get(key);
    if (!uri) return undefined;
    // Any scheme but file: through VS Code's file system API, so virtual workspaces work too.
    if (uri.scheme !== 'file') {
      return decodeManifestBytes(await vscode.workspace.fs.readFile(uri));
    }
    // Local files straight from disk: much faster than a round trip per file through vscode.workspace.fs.
    return readLocalFile(uri.fsPath, this.workspaceConfig.config.maxFileSize);
  }

  private setFromDocument(doc: vscode.TextDocument): boolean {
    const key = this.register(doc.uri);
    if (this.heldOut.has(key)) return this.engine.remove(key);
    return this.engine.setText(key, doc.getText());
  }

  private onOpen(doc: vscode.TextDocument): void {
    if (this.follows(doc)) this.schedule(doc, 0);
  }

  /**
   * Whether an editor document is analysed: YAML/JSON, and for a file of the
   * workspace, one under kni.include/kni.exclude and .kni.yaml's globs (as
   * the scan). Untitled buffers and files outside
   * the workspace are analysed with it.
   */
  private follows(doc: vscode.TextDocument): boolean {
    if (!isCandidateDocument(doc)) return false;
    if (doc.uri.scheme === 'untitled' || !vscode.workspace.getWorkspaceFolder(doc.uri)) return true;
    return this.inScope(doc.uri);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const id = doc.uri.toString();
    const old = this.timers.get(id);
    if (old) clearTimeout(old);
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        if (this.disposed || doc.isClosed) return;
        const debounceFiredAt = performance.now();
        const changedAt = this.changedAt.get(id);
        this.changedAt.delete(id);
        // A running scan publishes at its end.
        if (this.setFromDocument(doc) && !this.scan) this.publish('edit', undefined, { changedAt, debounceFiredAt, analysisStartedAt: debounceFiredAt });
      }, delay),
    );
  }

  private onClose(doc: vscode.TextDocument): void {
    if (!isCandidateDocument(doc)) return;
    const id = doc.uri.toString();
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.changedAt.delete(id);
    const key = this.keyByUri.get(id);
    if (key === undefined) return;
    // Back to what is on disk (unsaved edits are gone), or out of the index.
    if (doc.uri.scheme === 'untitled' || !vscode.workspace.getWorkspaceFolder(doc.uri)) {
      if (this.engine.remove(key) && !this.scan) this.publish('file');
      return;
    }
    void this.reloadFromDisk(doc.uri);
  }

  private onDiskChange(uri: vscode.Uri): void {
    if (this.isConfigFile(uri)) {
      void this.refresh(); // its include/exclude may change which files count
      return;
    }
    this.onRenderInput(uri, true);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && !d.isClosed)) return; // the editor's text wins
    if (!this.inScope(uri)) return;
    void this.reloadFromDisk(uri);
  }

  private onDiskDelete(uri: vscode.Uri): void {
    if (this.isConfigFile(uri)) {
      void this.refresh(); // its include/exclude may change which files count
      return;
    }
    this.onRenderInput(uri, false);
    const key = this.keyByUri.get(uri.toString());
    if (key === undefined) return;
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && !d.isClosed)) return;
    if (this.engine.remove(key) && !this.scan) this.publish('file');
  }

  private async reloadFromDisk(uri: vscode.Uri): Promise<void> {
    const key = this.register(uri);
    let read: FileText | undefined;
    try {
      read = await this.readKey(key);
    } catch {
      read = undefined; // gone meanwhile
    }
    if (this.disposed) return;
    const changed = read === undefined || this.heldOut.has(key) ? this.engine.remove(key) : this.engine.setText(key, read.text, read.source);
    if (changed && !this.scan) this.publish('file');
  }

  /**
   * After a settings change: `rescan` reads the workspace again (the set of
   * files changed); otherwise only the rules run again over the texts held,
   * through the analysis's setConfig (no re-parse unless the default
   * namespace changed).
   */
  async reconfigure(rescan: boolean): Promise<void> {
    if (rescan) {
      await this.refresh();
      return;
    }
    this.settings = readSettings();
    this.remergeConfig();
    const { config } = this.workspaceConfig;
    this.analysis.setConfig(config, config.defaultNamespace ?? 'default');
    this.renders.reconfigureAnalysis((folder) => this.folderConfigs[folder.index]?.config ?? config, config.defaultNamespace ?? 'default');
    this.objectsByFile = undefined;
    if (!this.scan) this.publish('config');
  }

  private publish(reason: IndexUpdate['reason'], computed?: FindingsUpdate, timing?: Omit<UpdateTiming, 'analysedAt'>): void {
    const t0 = performance.now();
    this.objectsByFile = undefined;
    const update = computed ?? this.engine.update();
    let byFile = update.byFile;
    const changed = update.changed;
    // The renders' findings (on templates, values, patches): merged in here; after a render, every file they touch is set again.
    if (this.renderFindings.size > 0) {
      const merged = new Map(byFile);
      for (const [key, list] of this.renderFindings) merged.set(key, [...(merged.get(key) ?? []), ...list]);
      byFile = merged;
    }
    if (reason === 'render') {
      const seenKeys = new Set(changed);
      for (const key of [...this.renderFindings.keys(), ...this.renderKeysShown]) {
        if (seenKeys.has(key)) continue;
        seenKeys.add(key);
        changed.push(key);
      }
    }
    this.renderKeysShown = [...this.renderFindings.keys()];
    // The `.kni.yaml` files' own problems are not the analysis's: merged in here, set again when they change.
    const configFindings = this.workspaceConfig.configFindings;
    if (configFindings.some((l) => l.length > 0)) {
      const merged = new Map(byFile);
      this.folderConfigs.forEach((c, i) => {
        if (configFindings[i].length > 0) merged.set(c.file, configFindings[i]);
      });
      byFile = merged;
    }
    const signatures = new Map<string, string>();
    this.folderConfigs.forEach((c, i) => {
      const signature = configFindings[i].map((f) => `${f.loc.start}:${f.severity}:${f.rule}:${f.message}`).join('\n');
      signatures.set(c.file, signature);
      if (signature !== (this.publishedConfigSignatures.get(c.file) ?? '')) changed.push(c.file);
    });
    for (const [file, signature] of this.publishedConfigSignatures) if (!signatures.has(file) && signature !== '') changed.push(file);
    this.publishedConfigSignatures = signatures;
    // After a rescan the engine is new and knows nothing of what was shown before: files that had findings and have none now change too.
    const seen = new Set(changed);
    for (const key of this.byFile.keys()) if (!byFile.has(key) && !seen.has(key)) changed.push(key);
    this.byFile = byFile;
    const analysedAt = performance.now();
    this.lastUpdateMs = analysedAt - t0;
    this.emitter.fire({ ...update, byFile, changed, reason, timing: { analysisStartedAt: t0, ...timing, analysedAt } });
  }

  // ------------------------------------------------------------ renders

  /** Keys that had render findings in the last publish (cleared when they have none). */
  private renderKeysShown: string[] = [];

  /** The scan's renders: discovered from the listed files of each folder, started at once (they run beside the scan). */
  private startRenders(uris: readonly vscode.Uri[]): void {
    const byFolder = new Map<vscode.WorkspaceFolder, string[]>();
    this.listed.clear();
    for (const folder of vscode.workspace.workspaceFolders ?? []) byFolder.set(folder, []);
    for (const uri of uris) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder || uri.scheme !== 'file') continue;
      const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
      if (uri.path.startsWith(base)) byFolder.get(folder)?.push(decodeURIComponent(uri.path.slice(base.length)));
    }
    for (const [folder, files] of byFolder) this.listed.set(folder.index, new Set(files));
    this.renders.reset(byFolder, (folder) => this.folderConfigs[folder.index]?.config ?? this.workspaceConfig.config, this.workspaceConfig.config.defaultNamespace ?? 'default', readToolSettings(), this.settings.debounceMs);
    this.renderFindings = new Map();
    this.renderTexts = new Map();
    this.heldOut = this.renders.heldOutKeys(() => this.knownKeys());
  }

  private *knownKeys(): Iterable<[string, vscode.Uri]> {
    for (const [key, uri] of this.uriByKey) yield [key, uri];
  }

  /** A file created, changed or deleted on disk (a manifest, a helper, a kustomization): the renders it concerns. */
  private onRenderInput(uri: vscode.Uri, exists: boolean): void {
    const rel = this.renders.relativePath(uri);
    if (rel === undefined) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const listed = folder && this.listed.get(folder.index);
    if (listed && this.inScope(uri) && listed.has(rel) !== exists) {
      if (exists) listed.add(rel);
      else listed.delete(rel);
      this.renders.filesChanged(uri, [...listed]);
      // A new chart's files leave the loose manifests before its first render.
      this.applyHeldOut(true);
      // Files written at once into a new folder may reach the watcher only in part: the folder is listed again.
      if (exists && folder) this.relistSoon(folder);
      return;
    }
    this.renders.fileSaved(uri);
  }

  /** A deleted path with listed files under it (a folder): they are gone too, and the renders that read them. */
  private onFolderDeleted(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const listed = folder && this.listed.get(folder.index);
    const rel = this.renders.relativePath(uri);
    if (!folder || !listed || rel === undefined) return;
    const gone = [...listed].filter((p) => p.startsWith(`${rel}/`));
    if (gone.length === 0) return;
    for (const p of gone) listed.delete(p);
    this.renders.folderFilesChanged(folder, [...listed]);
    this.applyHeldOut(false);
    let changed = false;
    for (const p of gone) {
      const key = this.keyByUri.get(vscode.Uri.joinPath(folder.uri, ...p.split('/')).toString());
      if (key !== undefined && this.engine.remove(key)) changed = true;
    }
    if (changed && !this.scan) this.publish('file');
  }

  private readonly relistTimers = new Map<number, ReturnType<typeof setTimeout>>();

  /**
   * Lists a folder again (debounced) after files appeared in it: a new chart
   * or overlay whose files the watcher did not all report is discovered, and
   * its manifests are read.
   */
  private relistSoon(folder: vscode.WorkspaceFolder): void {
    if (folder.uri.scheme !== 'file') return;
    const old = this.relistTimers.get(folder.index);
    if (old) clearTimeout(old);
    this.relistTimers.set(
      folder.index,
      setTimeout(() => {
        this.relistTimers.delete(folder.index);
        void (async () => {
          const paths = await listManifestFiles(folder.uri.fsPath, { exclude: this.excludeGlobs(folder), isCancelled: () => this.disposed });
          const listed = this.listed.get(folder.index);
          if (this.disposed || !listed) return;
          const uris = paths.map((p) => vscode.Uri.joinPath(folder.uri, ...p.split('/'))).filter((u) => this.inScope(u));
          const next = new Set(uris.map((u) => this.renders.relativePath(u) ?? ''));
          const added = uris.filter((u) => !listed.has(this.renders.relativePath(u) ?? ''));
          if (added.length === 0 && next.size === listed.size) return;
          this.listed.set(folder.index, next);
          this.renders.folderFilesChanged(folder, [...next]);
          this.applyHeldOut(true);
          for (const u of added) if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString())) void this.reloadFromDisk(u);
        })();
      }, 500),
    );
  }

  private onRenderInputCreatedOrDeleted(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const listed = folder && this.listed.get(folder.index);
    const rel = this.renders.relativePath(uri);
    if (!listed || rel === undefined) return;
    // Helpers are not listed files; a Kustomization file is (discovery looks for it).
    if (/(^|\/)Kustomization$/.test(rel)) {
      void vscode.workspace.fs.stat(uri).then(
        () => listed.add(rel),
        () => listed.delete(rel),
      ).then(() => this.renders.filesChanged(uri, [...listed]));
      return;
    }
    this.renders.fileSaved(uri);
  }

  /**
   * The files renders hold out of the loose manifests changed: newly held
   * files leave the analysis, released ones (a render gone, its tool
   * missing) come back from their editor or the disk.
   */
  private applyHeldOut(publish: boolean): boolean {
    const next = this.renders.heldOutKeys(() => this.knownKeys());
    let changed = false;
    const released: string[] = [];
    for (const key of this.heldOut) if (!next.has(key)) released.push(key);
    this.heldOut = next;
    for (const key of next) if (this.engine.remove(key)) changed = true;
    for (const key of released) {
      const uri = this.uriByKey.get(key);
      if (!uri) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
      if (doc) {
        if (this.follows(doc) && this.setFromDocument(doc)) changed = true;
      } else if (this.inScope(uri)) void this.reloadFromDisk(uri);
    }
    if (changed && publish && !this.scan) this.publish('file');
    return changed;
  }

  /** A render changed while a scan ran: the scan's end publishes it. */
  private rendersDirty = false;

  private takeRenderFindings(): void {
    this.rendersDirty = false;
    const { byKey, texts } = this.renders.findingsByKey();
    this.renderFindings = byKey;
    this.renderTexts = texts;
  }

  private onRendersChanged(): void {
    if (this.disposed) return;
    if (this.scan) {
      this.rendersDirty = true;
      return;
    }
    this.applyHeldOut(false);
    this.takeRenderFindings();
    this.publish('render');
    this.renderStateEmitter.fire();
  }

  private readonly renderStateEmitter = new vscode.EventEmitter<void>();
  /** Fires after renders changed state or findings (and the diagnostics were published). */
  readonly onDidChangeRenders = this.renderStateEmitter.event;

  /** New tool settings (`kni.helm.path`, `kni.kustomize.path`): every render again. */
  rerender(): void {
    this.renders.reconfigure(readToolSettings());
  }

  /** Resolves when the scan and the renders it started have finished, and their findings are published. */
  async whenRendered(): Promise<void> {
    await this.scanDone;
    await this.renders.whenIdle();
    await new Promise((done) => setTimeout(done, 10));
  }

  dispose(): void {
    this.renderStateEmitter.dispose();
    this.disposed = true;
    this.scan?.cancel();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const t of this.relistTimers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
