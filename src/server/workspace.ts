// The server's workspace: the core's ManifestIndex (the one the VS Code
// extension drives) over the client's root folders on disk. Manifests are
// listed and read as the extension reads them, the unsaved text of open
// documents wins over the disk, each folder's `.kni.yaml` sits under the
// client's `kni.*` settings, and in a trusted workspace each folder's Helm
// charts and Kustomize roots are rendered with the user's tools. File keys
// are file-system paths (the URI string for a document that is not a file).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME, isManifestPath } from '../core/config/facts';
import type { Finding } from '../core/findings/types';
import type { ModelIndex } from '../core/model/model-index';
import type { ModelObject } from '../core/model/types';
import type { ToolSettings } from '../core/source/render/tools';
import { ALWAYS_EXCLUDED, listManifestFiles, readLocalFile } from '../core/workspace/file-walk';
import { ManifestIndex, type IndexFolder, type IndexUpdateReason } from '../core/workspace/manifest-index';
import type { RenderView, WorkspaceRenders } from '../core/workspace/workspace-renders';
import { settingsFrom, type EditorSettings } from '../core/config/settings';
import { objectCount } from '../core/model/object-count';
import { traceTargetList } from '../core/editor/trace-target-list';
import { renderKey } from '../core/workspace/workspace-renders';
import type { ScanPhases, ScanStats, TraceTargetItem } from '../protocol/lsp';

export interface WorkspaceUpdate {
  byFile: ReadonlyMap<string, readonly Finding[]>;
  /** Files whose findings (or text, so their ranges) changed since the last update. */
  changed: string[];
}

/** The file key of a document URI. */
export function keyOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function uriOf(key: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(key) && !/^[a-z]:[\\/]/i.test(key) ? key : pathToFileURL(key).href;
}

export interface ServerWorkspaceOptions {
  /** Whether renders may run (the client said the workspace is trusted). */
  trusted: boolean;
  tools: ToolSettings;
  /** Renders changed state or findings: the server publishes with update('render'). */
  onRendersChanged(): void;
  /** How the client names an untrusted workspace ("in Restricted Mode"), for the renders' off reason. */
  untrustedWords?: string;
  /** A folder is to be listed again: the server runs `relist` as a step of its own and publishes when it found something. */
  onRelist?(relist: () => Promise<boolean>): void;
}

/** A scan's update and its figures. */
export interface ScanResult extends WorkspaceUpdate {
  stats: ScanStats;
}

const GLOB_OPTIONS = { dot: true, matchBase: false, nocomment: true } as const;

export class ServerWorkspace {
  private readonly index: ManifestIndex;
  private readonly folderInfo: IndexFolder[];
  /** Unsaved texts of the documents the client has open, by file key. */
  private readonly open = new Map<string, string>();
  private readonly documents = new Map<string, TextDocument>();
  /** Keys the index has seen (listed or opened): what renders may hold out. */
  private readonly known = new Set<string>();
  private trusted: boolean;
  private tools: ToolSettings;
  private settings: EditorSettings = settingsFrom(undefined);
  /** Each folder's `files.exclude` globs set to true (the client's; folder-relative). */
  private filesExclude: string[][] = [];
  private filesExcludeMatchers: Minimatch[][] = [];

  /** @param folders the workspace folders' file-system paths */
  constructor(
    private readonly folders: readonly string[],
    private readonly options: ServerWorkspaceOptions,
  ) {
    this.trusted = options.trusted;
    this.tools = options.tools;
    this.folderInfo = folders.map((path, index) => ({ index, name: basename(path), path, configKey: join(path, CONFIG_FILE_NAME) }));
    this.index = new ManifestIndex({ keyOf: (folder, rel) => join(folder.path as string, ...rel.split('/')), locate: (key) => this.locate(key), onRendersChanged: () => options.onRendersChanged() }, settingsFrom(undefined), options.untrustedWords);
  }

  get debounceMs(): number {
    return this.index.debounceMs;
  }

  /** `kni.trace.clusterDomain` when the client set it. */
  get clusterDomain(): string | undefined {
    return this.index.clusterDomain;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** The render tools in use (a new workspace of other folders keeps them). */
  get toolSettings(): ToolSettings {
    return this.tools;
  }

  /** Charts and Kustomize roots rendered with the user's tools (trusted workspaces only). */
  get renders(): WorkspaceRenders {
    return this.index.renders;
  }

  /**
   * New `kni.*` settings and each folder's `files.exclude` (absent: left as
   * they were): take effect at the next scan() or reconfigure(). Returns
   * whether the set of files changes (include, exclude, size limit,
   * files.exclude), which takes a scan; otherwise reconfigure() is enough.
   */
  setSettings(value: unknown, filesExclude?: readonly unknown[]): boolean {
    const before = this.scopeSignature();
    this.settings = settingsFrom(value);
    this.index.setSettings(this.settings);
    if (filesExclude) {
      this.filesExclude = this.folders.map((_, i) => excludedGlobs(filesExclude[i]));
      this.filesExcludeMatchers = this.filesExclude.map((globs) => globs.map((g) => new Minimatch(g, GLOB_OPTIONS)));
    }
    return this.scopeSignature() !== before;
  }

  private scopeSignature(): string {
    const { include, exclude, maxFileSize } = this.settings;
    return JSON.stringify([include, exclude, maxFileSize ?? null, this.filesExclude]);
  }

  /** The settings changed the rules or severities only: the texts held are analysed again (no read, no parse unless the default namespace changed). */
  reconfigure(): WorkspaceUpdate {
    this.index.reconfigure();
    return this.index.merge('config');
  }

  /** The client trusted the workspace: the next scan() renders. */
  trust(): void {
    this.trusted = true;
  }

  /** New tool paths: every render runs again with the tools found anew. */
  setTools(tools: ToolSettings): void {
    this.tools = tools;
    this.index.renders.reconfigure(tools);
  }

  /** Reads every folder's `.kni.yaml` and manifests again (open documents keep their text); renders start beside it. */
  async scan(): Promise<ScanResult> {
    const started = performance.now();
    const phases: ScanPhases = { configMs: 0, listMs: 0, readMs: 0, firstFindingsMs: 0, readCpuMs: 0, firstFindingsCpuMs: 0 };
    let mark = started;
    let cpuMark = process.cpuUsage();
    const phase = (name: 'configMs' | 'listMs' | 'readMs' | 'firstFindingsMs', cpu?: 'readCpuMs' | 'firstFindingsCpuMs') => {
      const now = performance.now();
      phases[name] = round(now - mark);
      mark = now;
      const used = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      if (cpu) phases[cpu] = round((used.user + used.system) / 1000);
    };
    const texts = this.folderInfo.map((f) => {
      try {
        return readFileSync(f.configKey, 'utf8');
      } catch {
        return undefined; // no `.kni.yaml`: the defaults
      }
    });
    this.index.loadConfigs(this.folderInfo, texts);
    this.index.reset();
    phase('configMs');
    const listed = new Map<IndexFolder, string[]>();
    const toRead: string[] = [];
    for (const folder of this.folderInfo) {
      const exclude = [...(this.filesExclude[folder.index] ?? []), ...ALWAYS_EXCLUDED];
      const files = (await listManifestFiles(folder.path as string, { exclude })).filter((rel) => this.index.inScope(join(folder.path as string, ...rel.split('/'))));
      listed.set(folder, files);
      for (const rel of files) {
        const key = join(folder.path as string, ...rel.split('/'));
        this.known.add(key);
        if (!this.open.has(key)) toRead.push(key);
      }
    }
    for (const key of this.open.keys()) this.known.add(key);
    phase('listMs');
    this.index.startRenders(listed, this.tools, this.trusted, () => this.known);
    const maxBytes = this.index.analysisConfig.maxFileSize;
    const ingested = await this.index.engine.ingest(
      toRead.filter((k) => !this.index.isHeldOut(k)),
      (key) => readLocalFile(key, maxBytes),
    );
    for (const [key, text] of this.open) if (this.inScope(key)) this.index.setText(key, text);
    phase('readMs', 'readCpuMs');
    // In steps that yield: requests (a hover, a cancellation) are answered meanwhile.
    const computed = await this.index.engine.updateInSteps();
    this.index.takeRenderFindings();
    const update = this.index.merge('scan', computed);
    phase('firstFindingsMs', 'firstFindingsCpuMs');
    return { ...update, stats: { ...ingested, longestStretchMs: round(Math.max(ingested.longestStretchMs, computed.longestStretchMs ?? 0)), ms: round(performance.now() - started), phases } };
  }

  /** The client opened or edited a document: its text wins over the disk. */
  setOpen(uri: string, text: string): void {
    const key = keyOf(uri);
    this.open.set(key, text);
    this.known.add(key);
    if (this.inScope(key)) this.index.setText(key, text);
  }

  /** The client closed a document: the file on disk counts again (or nothing, when there is none). */
  async close(uri: string): Promise<void> {
    const key = keyOf(uri);
    this.open.delete(key);
    await this.reread(key);
  }

  /** The client saved a document: the renders that read it run again (Helm and Kustomize read the disk). */
  saved(uri: string): void {
    this.index.renders.fileSaved(keyOf(uri));
  }

  /** A file changed, appeared or went away on disk (the editor's text wins while the client has it open). */
  async diskChanged(uri: string, exists: boolean): Promise<void> {
    const key = keyOf(uri);
    if (!isFileKey(key)) return;
    const listable = isManifestPath(key) && this.inScope(key);
    if (listable && exists) this.known.add(key);
    if (this.index.renderInput(key, exists, listable)) {
      await this.releaseHeldOut();
      // Files written at once into a new folder (a chart copied in) may reach the watcher only in part.
      const at = exists ? this.locate(key) : undefined;
      if (at) this.relistSoon(at.folder);
    }
    if (!exists) for (const gone of this.index.folderDeleted(key)) this.index.engine.remove(gone);
    if (!this.open.has(key)) await this.reread(key);
  }

  private readonly relistTimers = new Map<number, ReturnType<typeof setTimeout>>();

  private relistSoon(folder: IndexFolder): void {
    clearTimeout(this.relistTimers.get(folder.index));
    this.relistTimers.set(
      folder.index,
      setTimeout(() => {
        this.relistTimers.delete(folder.index);
        this.options.onRelist?.(() => this.relist(folder));
      }, 500),
    );
  }

  /** Lists a folder again: renders discover what the watcher did not report, new manifests are read. Returns whether anything changed. */
  private async relist(folder: IndexFolder): Promise<boolean> {
    const root = folder.path as string;
    const exclude = [...(this.filesExclude[folder.index] ?? []), ...ALWAYS_EXCLUDED];
    const files = (await listManifestFiles(root, { exclude })).filter((rel) => this.inScope(join(root, ...rel.split('/'))));
    const { changed, added } = this.index.folderListed(folder, files);
    if (!changed) return false;
    for (const rel of added) this.known.add(join(root, ...rel.split('/')));
    await this.releaseHeldOut();
    for (const rel of added) {
      const key = join(root, ...rel.split('/'));
      if (!this.open.has(key) && !this.index.isHeldOut(key)) await this.reread(key);
    }
    return true;
  }

  /** Whether a path is one of the folders' `.kni.yaml` (a change means a new scan). */
  isConfigFile(uri: string): boolean {
    return this.index.isConfigKey(keyOf(uri));
  }

  /** The files renders hold out changed: the released ones are read again (from the client's text or the disk). */
  private async releaseHeldOut(): Promise<void> {
    const { released } = this.index.applyHeldOut(() => this.known);
    await Promise.all(
      released.map(async (key) => {
        // A render's input deleted with its chart (a folder removed) leaves with it, even while an editor still holds its text.
        const text = existsSync(key) ? this.open.get(key) : undefined;
        if (text !== undefined) this.index.setText(key, text);
        else await this.reread(key);
      }),
    );
  }

  private async reread(key: string): Promise<void> {
    if (!isFileKey(key) || !this.inScope(key) || !isManifestPath(key)) {
      this.index.engine.remove(key);
      return;
    }
    try {
      const { text, source } = await readLocalFile(key, this.index.analysisConfig.maxFileSize);
      this.index.setText(key, text, source);
    } catch {
      this.index.engine.remove(key); // gone or unreadable meanwhile: nothing to analyse
    }
  }

  /** The folder holding a file and the file's folder-relative path (undefined: outside every folder). */
  private locate(key: string): { folder: IndexFolder; rel: string } | undefined {
    let best = -1;
    this.folders.forEach((f, i) => {
      if ((key === f || key.startsWith(f.endsWith(sep) ? f : f + sep)) && (best === -1 || f.length > this.folders[best].length)) best = i;
    });
    return best === -1 ? undefined : { folder: this.folderInfo[best], rel: relative(this.folders[best], key).split(sep).join('/') };
  }

  /** Under kni.include/kni.exclude, the folder's `.kni.yaml` globs and the client's files.exclude. */
  private inScope(key: string): boolean {
    if (!this.index.inScope(key)) return false;
    const at = this.locate(key);
    const matchers = at && this.filesExcludeMatchers[at.folder.index];
    if (!at || !matchers || matchers.length === 0) return true;
    // A glob may name a folder ("**/build") or the file: every parent folder is tried, as the scan does.
    const parts = at.rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (matchers.some((m) => m.match(rel) || (i < parts.length && m.match(`${rel}/`)))) return false;
    }
    return true;
  }

  /** Manifest files analysed (loose manifests). */
  get fileCount(): number {
    return this.index.engine.size;
  }

  /** Kubernetes objects in the model of the loose manifests. */
  objectCount(): number {
    return objectCount(this.index.model());
  }

  /** The workspace's findings by severity, renders' included. */
  problems(): { error: number; warning: number; info: number } {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const list of this.index.allFindings().values()) for (const f of list) counts[f.severity]++;
    return counts;
  }

  /** What "Trace request" can pick, named by workspace-relative paths. */
  traceTargets(): TraceTargetItem[] {
    const renders = this.index.renders.list().flatMap((r) => {
      const session = r.entry.session;
      return session ? [{ id: renderKey(r), name: r.entry.spec.name, model: session.analysis.model(), index: session.analysis.index() }] : [];
    });
    const multiRoot = this.folders.length > 1;
    const where = (file: string | undefined) => {
      if (file === undefined) return undefined;
      const at = this.locate(file);
      return at ? (multiRoot ? `${at.folder.name}/${at.rel}` : at.rel) : file;
    };
    return traceTargetList(this.index.model(), this.index.modelIndex(), renders, where);
  }

  /** The findings by file and which files changed since the last update. */
  update(reason: IndexUpdateReason = 'edit'): WorkspaceUpdate {
    return this.index.merge(reason);
  }

  /** Renders changed state or findings: files they no longer hold are read as loose manifests again, and their findings taken. */
  async rendersChanged(): Promise<WorkspaceUpdate> {
    await this.releaseHeldOut();
    this.index.takeRenderFindings();
    return this.index.merge('render');
  }

  findingsFor(key: string): readonly Finding[] {
    return this.index.findingsFor(key);
  }

  allFindings(): ReadonlyMap<string, readonly Finding[]> {
    return this.index.allFindings();
  }

  /** The text the findings' offsets are into (the analysed text, a render's source text, or a `.kni.yaml`'s). */
  textOf(key: string): string | undefined {
    return this.index.textOf(key);
  }

  /** Whether the analysis (or a render) holds exactly this text for the document (its offsets apply to it). */
  isCurrent(uri: string, text: string): boolean {
    return this.index.isCurrent(keyOf(uri), text);
  }

  /** Whether a file is analysed as a loose manifest (not a render's input). */
  isLoose(key: string): boolean {
    return this.index.isLoose(key);
  }

  /** A document over the analysed text of a file, for offset <-> position. */
  documentOf(key: string): TextDocument | undefined {
    const text = this.textOf(key);
    if (text === undefined) return undefined;
    const known = this.documents.get(key);
    if (known && known.getText() === text) return known;
    const doc = TextDocument.create(uriOf(key), /\.json$/i.test(key) ? 'json' : 'yaml', 0, text);
    this.documents.set(key, doc);
    return doc;
  }

  modelIndex(): ModelIndex {
    return this.index.modelIndex();
  }

  /** The model's objects written in a file. */
  objectsIn(key: string): readonly ModelObject[] {
    return this.index.objectsIn(key);
  }

  /** The renders that drew objects from a file, one view each. */
  renderViewsOf(key: string): RenderView[] {
    return this.index.renders.viewsOf(key);
  }

  dispose(): void {
    for (const timer of this.relistTimers.values()) clearTimeout(timer);
    this.index.dispose();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The globs of a files.exclude object set to true. */
function excludedGlobs(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([glob, on]) => on === true && glob.trim() !== '')
    .map(([glob]) => glob);
}

function isFileKey(key: string): boolean {
  return uriOf(key).startsWith('file:');
}
