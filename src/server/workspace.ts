// The server's workspace: the manifests under the client's root folders, read
// from disk as `kni lint` reads them, with the unsaved text of open documents
// winning over the disk; each folder's `.kni.yaml` under the client's `kni.*`
// settings (merged as the VS Code extension merges them); one incremental
// Analysis for the whole set. File keys are file-system paths (the URI string
// for a document that is not a file).
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../core/analysis';
import { CONFIG_FILE_NAME } from '../core/config';
import type { Finding } from '../core/findings/types';
import type { ModelIndex } from '../core/model/model-index';
import type { ModelObject, NetworkModel } from '../core/model/types';
import { DEFAULT_MAX_BYTES } from '../core/source/manifests';
import { collectFiles, readManifestFile } from '../cli/files';
import { combineFolderConfigs, createAnalysis, isInScope, mergeConfig, withFolderSeverities, type FolderConfig, type WorkspaceConfig } from '../core/workspace/folder-config';
import { IndexEngine } from '../core/workspace/index-engine';
import type { EditorSettings } from '../core/workspace/settings';
import { settingsFrom } from './settings';

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

export class ServerWorkspace {
  private settings: EditorSettings = settingsFrom(undefined);
  private folderConfigs: FolderConfig[] = [];
  private workspaceConfig!: WorkspaceConfig;
  private analysis!: Analysis;
  private engine!: IndexEngine;
  /** Unsaved texts of the documents the client has open, by file key. */
  private readonly open = new Map<string, string>();
  private byFile: ReadonlyMap<string, readonly Finding[]> = new Map();
  private readonly documents = new Map<string, TextDocument>();
  private objectsByFile: Map<string, ModelObject[]> | undefined;
  private objectsModel: NetworkModel | undefined;

  /** @param folders the workspace folders' file-system paths */
  constructor(private readonly folders: readonly string[]) {
    this.reset();
  }

  get debounceMs(): number {
    return this.settings.debounceMs;
  }

  /** New `kni.*` settings: takes effect at the next scan(). */
  setSettings(value: unknown): void {
    this.settings = settingsFrom(value);
  }

  /** Reads every folder's `.kni.yaml` and manifests again (open documents keep their text). */
  scan(): WorkspaceUpdate {
    this.folderConfigs = this.folders.map((folder) => {
      const file = join(folder, CONFIG_FILE_NAME);
      let text: string | undefined;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = undefined; // no `.kni.yaml`: the defaults
      }
      return mergeConfig(this.settings, text, file);
    });
    this.reset();
    const maxBytes = this.workspaceConfig.config.maxFileSize ?? DEFAULT_MAX_BYTES;
    this.folders.forEach((folder) => {
      for (const display of collectFiles(folder, ['.']).files) {
        const abs = join(folder, display);
        if (this.open.has(abs) || !this.inScope(abs)) continue;
        this.readFromDisk(abs, display, maxBytes);
      }
    });
    for (const [key, text] of this.open) if (this.inScope(key)) this.engine.setText(key, text);
    return this.update(true);
  }

  /** The client opened or edited a document: its text wins over the disk. */
  setOpen(uri: string, text: string): void {
    const key = keyOf(uri);
    this.open.set(key, text);
    if (this.inScope(key)) this.engine.setText(key, text);
  }

  /** The client closed a document: the file on disk counts again (or nothing, when there is none). */
  close(uri: string): void {
    const key = keyOf(uri);
    this.open.delete(key);
    this.reread(key);
  }

  /** A file changed or appeared on disk (ignored while the client has it open). */
  diskChanged(uri: string): void {
    const key = keyOf(uri);
    if (!this.open.has(key)) this.reread(key);
  }

  /** Whether a path is one of the folders' `.kni.yaml` (a change means a new scan). */
  isConfigFile(uri: string): boolean {
    const key = keyOf(uri);
    return this.folders.some((f) => join(f, CONFIG_FILE_NAME) === key);
  }

  private reread(key: string): void {
    if (!isFileKey(key) || !this.inScope(key) || !/\.(ya?ml|json)$/i.test(key)) {
      this.engine.remove(key);
      return;
    }
    this.readFromDisk(key, key, this.workspaceConfig.config.maxFileSize ?? DEFAULT_MAX_BYTES);
  }

  private readFromDisk(abs: string, display: string, maxBytes: number): void {
    try {
      const { text, source } = readManifestFile(display, abs, maxBytes);
      this.engine.setText(abs, text, source);
    } catch {
      this.engine.remove(abs); // gone or unreadable meanwhile: nothing to analyse
    }
  }

  /** The folder holding a file (undefined: outside every folder). */
  private folderIndexOf(key: string): number {
    let best = -1;
    this.folders.forEach((f, i) => {
      if ((key === f || key.startsWith(f.endsWith(sep) ? f : f + sep)) && (best === -1 || f.length > this.folders[best].length)) best = i;
    });
    return best;
  }

  private inScope(key: string): boolean {
    const i = this.folderIndexOf(key);
    // A document outside every folder is analysed with the first folder's settings (as an editor's loose file).
    if (i === -1) return true;
    return isInScope(this.folderConfigs[i]?.config ?? this.workspaceConfig.config, relative(this.folders[i], key).split(sep).join('/'));
  }

  /** A fresh analysis under the current settings and `.kni.yaml` texts. */
  private reset(): void {
    this.folderConfigs = this.folderConfigs.map((c) => mergeConfig(this.settings, c.text, c.file));
    this.workspaceConfig = combineFolderConfigs(this.folderConfigs, this.settings);
    this.analysis = createAnalysis(this.workspaceConfig.config);
    this.engine = new IndexEngine(this.analysis, this.adjuster());
    this.objectsByFile = undefined;
  }

  /** Per-folder severities of the rules whose severity differs between folders. */
  private adjuster(): ((file: string, list: readonly Finding[]) => readonly Finding[]) | undefined {
    const { varying, config: core } = this.workspaceConfig;
    if (varying.size === 0) return undefined;
    return (file, list) => withFolderSeverities(list, varying, (this.folderConfigs[this.folderIndexOf(file)] ?? this.folderConfigs[0]).config, core);
  }

  /**
   * The findings by file and which files changed. `everything`: after a scan
   * the engine is new, so every file shown before counts as changed.
   */
  update(everything = false): WorkspaceUpdate {
    const update = this.engine.update();
    const byFile = new Map(update.byFile);
    const changed = new Set(update.changed);
    // The `.kni.yaml` files' own problems are not the analysis's: they are merged in here.
    this.folderConfigs.forEach((c, i) => {
      const list = this.workspaceConfig.configFindings[i] ?? [];
      if (list.length > 0) byFile.set(c.file, list);
    });
    if (everything) {
      for (const key of [...this.byFile.keys(), ...byFile.keys()]) changed.add(key);
      for (const c of this.folderConfigs) changed.add(c.file);
    }
    for (const key of this.byFile.keys()) if (!byFile.has(key)) changed.add(key);
    this.byFile = byFile;
    this.objectsByFile = undefined;
    return { byFile, changed: [...changed] };
  }

  findingsFor(key: string): readonly Finding[] {
    return this.byFile.get(key) ?? [];
  }

  allFindings(): ReadonlyMap<string, readonly Finding[]> {
    return this.byFile;
  }

  /** The text the findings' offsets are into (the analysed text, or a `.kni.yaml`'s). */
  textOf(key: string): string | undefined {
    return this.engine.text(key) ?? this.folderConfigs.find((c) => c.file === key)?.text;
  }

  /** Whether the analysis holds exactly this text for the document (its offsets apply to it). */
  isCurrent(uri: string, text: string): boolean {
    return this.engine.text(keyOf(uri)) === text;
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
    return this.analysis.index();
  }

  /** The model's objects written in a file. */
  objectsIn(key: string): readonly ModelObject[] {
    const m = this.analysis.model();
    if (!this.objectsByFile || this.objectsModel !== m) {
      const map = new Map<string, ModelObject[]>();
      for (const list of [m.namespaces, m.workloads, m.services, m.endpointSlices, m.ingresses, m.ingressClasses, m.routes, m.networkPolicies, m.adminNetworkPolicies] as ModelObject[][]) {
        for (const o of list) {
          if (o.origin.file === undefined) continue;
          let l = map.get(o.origin.file);
          if (!l) map.set(o.origin.file, (l = []));
          l.push(o);
        }
      }
      this.objectsByFile = map;
      this.objectsModel = m;
    }
    return this.objectsByFile.get(key) ?? [];
  }
}

function isFileKey(key: string): boolean {
  return uriOf(key).startsWith('file:');
}
