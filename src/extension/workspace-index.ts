// The workspace index: every manifest file of the workspace (files.exclude,
// `kni.include`/`kni.exclude` and `.kni.yaml` honoured) plus the unsaved text
// of open editors, which wins over the disk. It feeds the core's incremental
// Analysis and tells listeners which files' findings changed.
//
// Edits are re-analysed per document after a debounce, file events re-read one
// file, and only the first scan (or Refresh) reads the whole workspace, in
// chunks that yield to the event loop, with progress and a Cancel button.
//
// What it decides (folder configs, loose vs rendered files, renders, merged
// findings) is the core's ManifestIndex, which the language server drives
// too; this class is the VS Code side: URIs and keys, editors, watchers,
// progress, positions.
import * as vscode from 'vscode';
import type { Finding } from '../core/findings/types';
import type { ModelIndex } from '../core/model/model-index';
import type { ModelObject, NetworkModel } from '../core/model/types';
import { LineIndex } from '../core/text/lines';
import { ALWAYS_EXCLUDED, listManifestFiles, readLocalFile, type FileText } from '../core/workspace/file-walk';
import { decodeManifestBytes } from '../core/text/decode';
import { expandBraces, type FindingsUpdate, type IngestStats } from '../core/workspace/index-engine';
import type { KniConfig } from '../core/config';
import { CONFIG_FILE_NAME, isManifestPath, MANIFEST_GLOB } from '../core/config/facts';
import { ManifestIndex, type IndexFolder } from '../core/workspace/manifest-index';
import type { RenderView, WorkspaceRenders } from '../core/workspace/workspace-renders';
import { readSettings, readToolSettings } from './settings';

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

/** An editor document the index follows: YAML or JSON, in a real file or an untitled buffer. */
export function isCandidateDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === 'git' || doc.uri.scheme === 'output' || doc.uri.scheme === 'vscode-userdata') return false;
  return doc.languageId === 'yaml' || doc.languageId === 'json' || isManifestPath(doc.uri.path);
}

export class WorkspaceIndex implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<IndexUpdate>();
  readonly onDidUpdate = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  /** The index itself: configs, loose manifests, renders, merged findings. */
  private readonly core: ManifestIndex;
  private readonly keyByUri = new Map<string, string>();
  private readonly uriByKey = new Map<string, vscode.Uri>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The time of each followed document's last change event, for UpdateTiming. */
  private readonly changedAt = new Map<string, number>();
  private scan: vscode.CancellationTokenSource | undefined;
  private scanDone: Promise<ScanStats | undefined> = Promise.resolve(undefined);
  private disposed = false;
  /** Figures for the status bar and the benchmark. */
  lastScan: ScanStats | undefined;
  lastUpdateMs = 0;

  constructor() {
    this.core = new ManifestIndex({ keyOf: (folder, rel) => this.keyIn(folder, rel), locate: (key) => this.locate(key), onRendersChanged: () => this.onRendersChanged() }, readSettings(), 'in Restricted Mode');
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
      { dispose: () => this.core.dispose() },
      inputs.onDidCreate((uri) => this.onRenderInputCreatedOrDeleted(uri)),
      inputs.onDidChange((uri) => this.renders.fileSaved(this.register(uri))),
      inputs.onDidDelete((uri) => this.onRenderInputCreatedOrDeleted(uri)),
      // Helm and Kustomize read files from disk: renders follow saved text.
      vscode.workspace.onDidSaveTextDocument((doc) => this.renders.fileSaved(this.register(doc.uri))),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
      watcher.onDidCreate((uri) => this.onDiskChange(uri)),
      watcher.onDidChange((uri) => this.onDiskChange(uri)),
      watcher.onDidDelete((uri) => this.onDiskDelete(uri)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.onOpen(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.follows(e.document)) {
          this.changedAt.set(e.document.uri.toString(), performance.now());
          this.schedule(e.document, this.core.debounceMs);
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
    return this.core.engine.size;
  }

  /** Charts and Kustomize roots rendered with the user's tools (trusted workspaces only). */
  get renders(): WorkspaceRenders {
    return this.core.renders;
  }

  model(): NetworkModel {
    return this.core.model();
  }

  /** The merged configuration (`.kni.yaml` and the `kni.*` settings) the analysis runs with. */
  analysisConfig(): KniConfig {
    return this.core.analysisConfig;
  }

  modelIndex(): ModelIndex {
    return this.core.modelIndex();
  }

  findingsFor(uri: vscode.Uri): readonly Finding[] {
    const key = this.keyByUri.get(uri.toString());
    return key === undefined ? [] : this.core.findingsFor(key);
  }

  allFindings(): Iterable<readonly Finding[]> {
    return this.core.allFindings().values();
  }

  /** The model objects written in a file, in source order. */
  objectsIn(uri: vscode.Uri): readonly ModelObject[] {
    const key = this.keyByUri.get(uri.toString());
    return key === undefined ? [] : this.core.objectsIn(key);
  }

  keyOf(uri: vscode.Uri): string | undefined {
    return this.keyByUri.get(uri.toString());
  }

  /** The key of a file in a workspace folder on disk (registered), for the renders' queries (undefined: not such a file). */
  private renderKeyOf(uri: vscode.Uri): string | undefined {
    return uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(uri) ? this.register(uri) : undefined;
  }

  /** The renders that drew objects from a file, one view each. */
  renderViewsOf(uri: vscode.Uri): RenderView[] {
    const key = this.renderKeyOf(uri);
    return key === undefined ? [] : this.renders.viewsOf(key);
  }

  /** Whether a file is a template of a chart a render reads (its comments reach Helm's output). */
  isHelmTemplate(uri: vscode.Uri): boolean {
    const key = this.renderKeyOf(uri);
    return key !== undefined && this.renders.isHelmTemplate(key);
  }

  uriOf(key: string): vscode.Uri | undefined {
    return this.uriByKey.get(key);
  }

  /** The editor position of an offset into a file the index holds. */
  positionAt(key: string, offset: number): vscode.Position {
    const text = this.core.textOf(key) ?? '';
    const parsed = this.core.analysis.parsed(key);
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
    return key !== undefined && this.core.isLoose(key);
  }

  /** Whether the analysed text of this document is its current text (no edit pending). */
  isCurrent(doc: vscode.TextDocument): boolean {
    const key = this.keyByUri.get(doc.uri.toString());
    return key !== undefined && this.core.isCurrent(key, doc.getText());
  }

  // ------------------------------------------------------------ scanning

  /**
   * Reads the whole workspace again (settings, `.kni.yaml`, every manifest),
   * then the open editors over it. Cancels a scan in progress.
   */
  refresh(): Promise<ScanStats | undefined> {
    this.scan?.cancel();
    this.core.setSettings(readSettings());
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
    this.core.reset();
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
    const toRead = keys.filter((k, i) => !open.has(uris[i].toString()) && !this.core.isHeldOut(k));

    const ingest = (progress?: vscode.Progress<{ message?: string; increment?: number }>, cancel?: vscode.CancellationToken) => {
      let reported = 0;
      let reportedAt = 0;
      return this.core.engine.ingest(toRead, (key) => this.readKey(key), {
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
    const update = await this.core.engine.updateInSteps();
    if (this.disposed || token.isCancellationRequested) return stats;
    phase('firstFindingsMs');
    this.rendersDirty = false;
    this.core.takeRenderFindings();
    this.publish('scan', update);
    this.renderStateEmitter.fire();
    phase('publishMs');
    const ms = performance.now() - started;
    this.lastScan = { ...stats, longestStretchMs: Math.max(stats.longestStretchMs, update.longestStretchMs ?? update.analysisMs), ms, phases };
    if (stats.cancelled) {
      void vscode.window.showInformationMessage(
        `KNI indexed ${this.core.engine.size} manifest files before the scan was cancelled; cross-file findings may be incomplete. Run "KNI: Refresh" to index the whole workspace.`,
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
    return this.core.inScope(this.register(uri));
  }

  // ------------------------------------------------------------ config

  /** The `.kni.yaml` of each folder, in folder order. */
  private configUris: vscode.Uri[] = [];

  private isConfigFile(uri: vscode.Uri): boolean {
    const id = uri.toString();
    return this.configUris.some((u) => u.toString() === id);
  }

  /** The workspace's folders as the core sees them. */
  private indexFolders(): IndexFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => ({ index: f.index, name: f.name, ...(f.uri.scheme === 'file' ? { path: f.uri.fsPath } : {}), configKey: this.register(vscode.Uri.joinPath(f.uri, CONFIG_FILE_NAME)) }));
  }

  /** Reads every folder's `.kni.yaml` (at once), with the settings over each. */
  private async loadConfig(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    this.configUris = folders.map((f) => vscode.Uri.joinPath(f.uri, CONFIG_FILE_NAME));
    const texts = await Promise.all(
      this.configUris.map(async (uri) => {
        try {
          return uri.scheme === 'file' ? (await readLocalFile(uri.fsPath)).text : decodeManifestBytes(await vscode.workspace.fs.readFile(uri)).text;
        } catch {
          return undefined; // no .kni.yaml: the settings alone apply
        }
      }),
    );
    this.core.loadConfigs(this.indexFolders(), texts);
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

  /** The key of a file of a folder (by the core's folder index and a folder-relative path). */
  private keyIn(folder: IndexFolder, rel: string): string {
    const f = vscode.workspace.workspaceFolders?.[folder.index];
    return f ? this.register(vscode.Uri.joinPath(f.uri, ...rel.split('/'))) : rel;
  }

  /** The folder of a key and its folder-relative path ('/'-separated). */
  private locate(key: string): { folder: IndexFolder; rel: string } | undefined {
    const uri = this.uriByKey.get(key);
    const f = uri && uri.scheme !== 'untitled' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    if (!uri || !f) return undefined;
    const base = f.uri.path.endsWith('/') ? f.uri.path : `${f.uri.path}/`;
    if (!uri.path.startsWith(base)) return undefined;
    return { folder: { index: f.index, name: f.name, ...(f.uri.scheme === 'file' ? { path: f.uri.fsPath } : {}), configKey: '' }, rel: uri.path.slice(base.length) };
  }

  private async readKey(key: string): Promise<FileText | undefined> {
    const uri = this.uriByKey.get(key);
    if (!uri) return undefined;
    // Any scheme but file: through VS Code's file system API, so virtual workspaces work too.
    if (uri.scheme !== 'file') {
      return decodeManifestBytes(await vscode.workspace.fs.readFile(uri));
    }
    // Local files straight from disk: much faster than a round trip per file through vscode.workspace.fs.
    return readLocalFile(uri.fsPath, this.core.analysisConfig.maxFileSize);
  }

  private setFromDocument(doc: vscode.TextDocument): boolean {
    return this.core.setText(this.register(doc.uri), doc.getText());
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
      if (this.core.engine.remove(key) && !this.scan) this.publish('file');
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
    if (this.core.engine.remove(key) && !this.scan) this.publish('file');
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
    const changed = read === undefined ? this.core.engine.remove(key) : this.core.setText(key, read.text, read.source);
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
    this.core.setSettings(readSettings());
    this.core.reconfigure();
    if (!this.scan) this.publish('config');
  }

  private publish(reason: IndexUpdate['reason'], computed?: FindingsUpdate, timing?: Omit<UpdateTiming, 'analysedAt'>): void {
    const t0 = performance.now();
    const merged = this.core.merge(reason, computed);
    const analysedAt = performance.now();
    this.lastUpdateMs = analysedAt - t0;
    this.emitter.fire({ ...merged, reason, timing: { analysisStartedAt: t0, ...timing, analysedAt } });
  }

  // ------------------------------------------------------------ renders

  /** The scan's renders: discovered from the listed files of each folder, started at once (they run beside the scan). */
  private startRenders(uris: readonly vscode.Uri[]): void {
    const folders = this.indexFolders();
    const byFolder = new Map<IndexFolder, string[]>(folders.map((f) => [f, []]));
    for (const uri of uris) {
      const at = this.locate(this.register(uri));
      const folder = at && folders[at.folder.index];
      if (folder && uri.scheme === 'file') byFolder.get(folder)?.push(at.rel);
    }
    this.core.startRenders(byFolder, readToolSettings(), vscode.workspace.isTrusted, () => this.uriByKey.keys());
  }

  /** A file created, changed or deleted on disk (a manifest, a helper, a kustomization): the renders it concerns. */
  private onRenderInput(uri: vscode.Uri, exists: boolean): void {
    if (uri.scheme !== 'file') return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    if (this.core.renderInput(this.register(uri), exists, this.inScope(uri))) {
      // A new chart's files leave the loose manifests before its first render.
      this.applyHeldOut(true);
      // Files written at once into a new folder may reach the watcher only in part: the folder is listed again.
      if (exists) this.relistSoon(folder);
    }
  }

  /** A deleted path with listed files under it (a folder): they are gone too, and the renders that read them. */
  private onFolderDeleted(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return;
    const gone = this.core.folderDeleted(this.register(uri));
    if (gone.length === 0) return;
    this.applyHeldOut(false);
    let changed = false;
    for (const key of gone) if (this.core.engine.remove(key)) changed = true;
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
          const at = this.indexFolders()[folder.index];
          if (this.disposed || !at) return;
          const uris = paths.map((p) => vscode.Uri.joinPath(folder.uri, ...p.split('/'))).filter((u) => this.inScope(u));
          const { changed, added } = this.core.folderListed(at, uris.map((u) => this.locate(this.register(u))?.rel ?? ''));
          if (!changed) return;
          this.applyHeldOut(true);
          for (const rel of added) {
            const u = vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
            if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString())) void this.reloadFromDisk(u);
          }
        })();
      }, 500),
    );
  }

  private onRenderInputCreatedOrDeleted(uri: vscode.Uri): void {
    const key = this.renderKeyOf(uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const at = key !== undefined ? this.locate(key) : undefined;
    const listed = folder && this.core.listedFiles(this.indexFolders()[folder.index]);
    if (key === undefined || !at || !listed) return;
    // Helpers are not listed files; a Kustomization file is (discovery looks for it).
    if (/(^|\/)Kustomization$/.test(at.rel)) {
      void vscode.workspace.fs.stat(uri).then(
        () => listed.add(at.rel),
        () => listed.delete(at.rel),
      ).then(() => this.renders.filesChanged(key, [...listed]));
      return;
    }
    this.renders.fileSaved(key);
  }

  /**
   * The files renders hold out of the loose manifests changed: newly held
   * files leave the analysis, released ones (a render gone, its tool
   * missing) come back from their editor or the disk.
   */
  private applyHeldOut(publish: boolean): boolean {
    const held = this.core.applyHeldOut(() => this.uriByKey.keys());
    let changed = held.changed;
    const released = held.released;
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

  private onRendersChanged(): void {
    if (this.disposed) return;
    if (this.scan) {
      this.rendersDirty = true;
      return;
    }
    this.applyHeldOut(false);
    this.rendersDirty = false;
    this.core.takeRenderFindings();
    this.publish('render');
    this.renderStateEmitter.fire();
  }

  private readonly renderStateEmitter = new vscode.EventEmitter<void>();
  /** Fires after renders changed state or findings (and the diagnostics were published). */
  readonly onDidChangeRenders = this.renderStateEmitter.event;

  /** New tool settings (`kni.helm.path`, `kni.kustomize.path`): every render again. */
  rerender(): void {
    this.core.renders.reconfigure(readToolSettings());
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
