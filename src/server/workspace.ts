// The server's workspace: the core's ManifestIndex (the one the VS Code
// extension drives) over the client's root folders on disk. Manifests are
// listed and read as the extension reads them, the unsaved text of open
// documents wins over the disk, each folder's `.kni.yaml` sits under the
// client's `kni.*` settings, and in a trusted workspace each folder's Helm
// charts and Kustomize roots are rendered with the user's tools. File keys
// are file-system paths (the URI string for a document that is not a file).
import { readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
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
import { settingsFrom } from '../core/config/settings';

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
}

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

  /** @param folders the workspace folders' file-system paths */
  constructor(
    private readonly folders: readonly string[],
    private readonly options: ServerWorkspaceOptions,
  ) {
    this.trusted = options.trusted;
    this.tools = options.tools;
    this.folderInfo = folders.map((path, index) => ({ index, name: basename(path), path, configKey: join(path, CONFIG_FILE_NAME) }));
    this.index = new ManifestIndex({ keyOf: (folder, rel) => join(folder.path as string, ...rel.split('/')), locate: (key) => this.locate(key), onRendersChanged: () => options.onRendersChanged() }, settingsFrom(undefined));
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

  /** Charts and Kustomize roots rendered with the user's tools (trusted workspaces only). */
  get renders(): WorkspaceRenders {
    return this.index.renders;
  }

  /** New `kni.*` settings: take effect at the next scan(). */
  setSettings(value: unknown): void {
    this.index.setSettings(settingsFrom(value));
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
  async scan(): Promise<WorkspaceUpdate> {
    const texts = this.folderInfo.map((f) => {
      try {
        return readFileSync(f.configKey, 'utf8');
      } catch {
        return undefined; // no `.kni.yaml`: the defaults
      }
    });
    this.index.loadConfigs(this.folderInfo, texts);
    this.index.reset();
    const listed = new Map<IndexFolder, string[]>();
    const toRead: string[] = [];
    for (const folder of this.folderInfo) {
      const files = (await listManifestFiles(folder.path as string, { exclude: ALWAYS_EXCLUDED })).filter((rel) => this.index.inScope(join(folder.path as string, ...rel.split('/'))));
      listed.set(folder, files);
      for (const rel of files) {
        const key = join(folder.path as string, ...rel.split('/'));
        this.known.add(key);
        if (!this.open.has(key)) toRead.push(key);
      }
    }
    for (const key of this.open.keys()) this.known.add(key);
    this.index.startRenders(listed, this.tools, this.trusted, () => this.known);
    const maxBytes = this.index.analysisConfig.maxFileSize;
    await this.index.engine.ingest(
      toRead.filter((k) => !this.index.isHeldOut(k)),
      (key) => readLocalFile(key, maxBytes),
    );
    for (const [key, text] of this.open) if (this.inScope(key)) this.index.setText(key, text);
    this.index.takeRenderFindings();
    return this.index.merge('scan');
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
    if (this.index.renderInput(key, exists, listable)) await this.releaseHeldOut();
    if (!exists) for (const gone of this.index.folderDeleted(key)) this.index.engine.remove(gone);
    if (!this.open.has(key)) await this.reread(key);
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
        const text = this.open.get(key);
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

  private inScope(key: string): boolean {
    return this.index.inScope(key);
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
    this.index.dispose();
  }
}

function isFileKey(key: string): boolean {
  return uriOf(key).startsWith('file:');
}
