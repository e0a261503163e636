// The workspace index without an editor: each folder's `.kni.yaml` under the
// editor's `kni.*` settings, one incremental Analysis of the loose manifests
// of all folders (the IndexEngine), the Helm charts and Kustomize roots each
// folder renders (trusted workspaces only) and the files they hold out of the
// loose manifests, and the findings of all three merged per file with the
// files whose findings changed. The VS Code extension and the language server
// drive the same object: they list and read files, follow editors and file
// events, and turn keys and offsets into their own ranges.
//
// File keys are the host's (a workspace-relative path in VS Code, an absolute
// path in the server); `locate` tells which folder a key is in.
import type { Analysis } from '../analysis';
import type { KniConfig } from '../config';
import { DEFAULT_NAMESPACE } from '../config/facts';
import type { Finding } from '../findings/types';
import type { ModelIndex } from '../model/model-index';
import type { ModelObject, NetworkModel } from '../model/types';
import type { ToolSettings } from '../source/render/tools';
import { combineFolderConfigs, createAnalysis, isInScope, mergeConfig, withFolderSeverities, type FolderConfig, type WorkspaceConfig } from './folder-config';
import { IndexEngine, type FindingsUpdate } from './index-engine';
import type { EditorSettings } from '../config/settings';
import { WorkspaceRenders, type RenderFolder } from './workspace-renders';

/** A workspace folder as the index sees it. */
export interface IndexFolder {
  /** Its position among the workspace's folders. */
  index: number;
  name: string;
  /** Absolute path when the folder is on disk (only such folders render). */
  path?: string;
  /** The key of its `.kni.yaml` (whether or not there is one). */
  configKey: string;
}

export interface ManifestIndexHost {
  /** The index's key of a folder-relative file ('/'-separated). */
  keyOf(folder: IndexFolder, rel: string): string;
  /** The folder of a key and the key's folder-relative path (undefined: outside every folder). */
  locate(key: string): { folder: IndexFolder; rel: string } | undefined;
  /** Renders changed state or findings (coalesced): the host calls rendersChanged() when it is ready to publish. */
  onRendersChanged(): void;
}

export type IndexUpdateReason = 'scan' | 'edit' | 'file' | 'config' | 'render';

/** What the host publishes: the findings by key, and the keys whose findings (or text) changed since the last publish. */
export interface MergedFindings extends FindingsUpdate {
  byFile: ReadonlyMap<string, readonly Finding[]>;
  changed: string[];
}

/** The model's objects written in each file, in source order. */
function objectsByFile(m: NetworkModel): Map<string, ModelObject[]> {
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
  return map;
}

export class ManifestIndex {
  private settings: EditorSettings;
  private folders: IndexFolder[] = [];
  /** Each folder's configuration, in folder order. */
  private folderConfigs: FolderConfig[] = [];
  private workspaceConfig!: WorkspaceConfig;
  private analysisOf!: Analysis;
  private engineOf!: IndexEngine;
  private byFile: ReadonlyMap<string, readonly Finding[]> = new Map();
  private objects: Map<string, ModelObject[]> | undefined;
  /** The model `objects` was built from (the analysis makes a new one after any change). */
  private objectsModel: NetworkModel | undefined;
  /** The signature of each `.kni.yaml`'s findings last published, by key. */
  private publishedConfigSignatures = new Map<string, string>();
  /** Charts and Kustomize roots rendered with the user's tools (trusted workspaces only). */
  readonly renders: WorkspaceRenders;
  /** Keys of files a render reads (or will): not analysed as loose manifests. */
  private heldOut = new Set<string>();
  /** The renders' findings by key as last taken, and the texts their offsets are into. */
  private renderFindings = new Map<string, Finding[]>();
  private renderTexts = new Map<string, string>();
  /** Keys that had render findings in the last publish (cleared when they have none). */
  private renderKeysShown: string[] = [];
  /** The in-scope files of each folder as listed (folder-relative), for render discovery. */
  private readonly listed = new Map<number, Set<string>>();

  /** @param offWords how the client names an untrusted workspace, for the renders' off reason */
  constructor(
    private readonly host: ManifestIndexHost,
    settings: EditorSettings,
    offWords?: string,
  ) {
    this.settings = settings;
    this.renders = new WorkspaceRenders(
      {
        keyOf: (folder, rel) => this.host.keyOf(this.folderAt(folder.index) as IndexFolder, rel),
        locate: (key) => {
          const at = this.host.locate(key);
          return at && at.folder.path !== undefined ? { folder: renderFolder(at.folder), rel: at.rel } : undefined;
        },
        onChange: () => this.host.onRendersChanged(),
      },
      offWords,
    );
    this.reset();
  }

  private folderAt(index: number): IndexFolder | undefined {
    return this.folders.find((f) => f.index === index);
  }

  // ------------------------------------------------------------ configuration

  get debounceMs(): number {
    return this.settings.debounceMs;
  }

  /** `kni.trace.clusterDomain` when set (traces a hover runs resolve names under it). */
  get clusterDomain(): string | undefined {
    return this.settings.clusterDomain;
  }

  /** The settings the next loadConfigs()/reconfigure() merges. */
  setSettings(settings: EditorSettings): void {
    this.settings = settings;
  }

  /** The folders and the texts of their `.kni.yaml` (undefined: none), read by the host; then reset() for a scan. */
  loadConfigs(folders: readonly IndexFolder[], texts: readonly (string | undefined)[]): void {
    this.folders = [...folders];
    this.folderConfigs = folders.map((f, i) => mergeConfig(this.settings, texts[i], f.configKey));
  }

  /** The merged configuration (`.kni.yaml` and the `kni.*` settings) the analysis runs with. */
  get analysisConfig(): KniConfig {
    return this.workspaceConfig.config;
  }

  /** The configuration of a folder (outside every folder: the first folder's, as an editor's loose file). */
  folderConfig(folder: IndexFolder | undefined): KniConfig {
    const i = folder ? this.folders.indexOf(this.folderAt(folder.index) as IndexFolder) : 0;
    return (this.folderConfigs[i] ?? this.folderConfigs[0])?.config ?? this.workspaceConfig.config;
  }

  /** Whether a key is analysed under its folder's include/exclude globs (a file outside every folder: yes). */
  inScope(key: string): boolean {
    const at = this.host.locate(key);
    if (!at) return true;
    if (/(^|\/)(node_modules|\.git)\//.test(at.rel)) return false;
    return isInScope(this.folderConfig(at.folder), at.rel);
  }

  isConfigKey(key: string): boolean {
    return this.folders.some((f) => f.configKey === key);
  }

  /** A fresh, empty analysis under the current settings and `.kni.yaml` texts (a scan fills it). */
  reset(): void {
    this.remerge();
    this.analysisOf = createAnalysis(this.workspaceConfig.config);
    this.engineOf = new IndexEngine(this.analysisOf, this.adjuster());
    this.objects = undefined;
  }

  /**
   * New settings over the texts held (rules, default namespace): the rules
   * run again through the analysis's setConfig, and every render is analysed
   * again.
   */
  reconfigure(): void {
    this.remerge();
    const { config } = this.workspaceConfig;
    this.analysisOf.setConfig(config, config.defaultNamespace ?? DEFAULT_NAMESPACE);
    this.renders.reconfigureAnalysis((folder) => this.folderConfig(this.folderAt(folder.index)), config.defaultNamespace ?? DEFAULT_NAMESPACE);
    this.objects = undefined;
  }

  private remerge(): void {
    this.folderConfigs = this.folderConfigs.map((c) => mergeConfig(this.settings, c.text, c.file));
    this.workspaceConfig = combineFolderConfigs(this.folderConfigs, this.settings);
    this.engineOf?.setAdjust(this.adjuster());
  }

  /** Per-folder severities of the rules that differ between folders (undefined: nothing to adjust). */
  private adjuster(): ((file: string, list: readonly Finding[]) => readonly Finding[]) | undefined {
    const { varying, config: core } = this.workspaceConfig;
    if (varying.size === 0) return undefined;
    return (file, list) => withFolderSeverities(list, varying, this.folderConfig(this.host.locate(file)?.folder), core);
  }

  // ------------------------------------------------------------ loose manifests

  /** The engine holding the loose manifests' texts (the host ingests, sets and removes through it). */
  get engine(): IndexEngine {
    return this.engineOf;
  }

  get analysis(): Analysis {
    return this.analysisOf;
  }

  /** Whether a render reads the file (or will): it is not a loose manifest. */
  isHeldOut(key: string): boolean {
    return this.heldOut.has(key);
  }

  /** Sets a loose manifest's text, unless a render holds the file; returns whether the analysis saw a change. */
  setText(key: string, text: string, source?: Parameters<IndexEngine['setText']>[2]): boolean {
    return this.heldOut.has(key) ? this.engineOf.remove(key) : this.engineOf.setText(key, text, source);
  }

  // ------------------------------------------------------------ renders

  /**
   * The scan's renders: discovered from the listed files of each folder on
   * disk (folder-relative), started at once (they run beside the scan) when
   * the workspace is trusted.
   */
  startRenders(listedByFolder: ReadonlyMap<IndexFolder, readonly string[]>, tools: ToolSettings, trusted: boolean, knownKeys: () => Iterable<string>): void {
    this.listed.clear();
    const byFolder = new Map<RenderFolder, string[]>();
    for (const [folder, files] of listedByFolder) {
      this.listed.set(folder.index, new Set(files));
      if (folder.path !== undefined) byFolder.set(renderFolder(folder), [...files]);
    }
    this.renders.enabled = trusted;
    this.renders.reset(byFolder, (folder) => this.folderConfig(this.folderAt(folder.index)), this.workspaceConfig.config.defaultNamespace ?? DEFAULT_NAMESPACE, tools, this.settings.debounceMs);
    this.renderFindings = new Map();
    this.renderTexts = new Map();
    this.heldOut = this.renders.heldOutKeys(knownKeys);
  }

  /**
   * A file created, changed or deleted on disk (a manifest, a helper, a
   * kustomization): the renders it concerns. `listable`: a manifest in
   * scope, which discovery lists. Returns whether the folder's listed files
   * changed (the host then calls applyHeldOut(), and may list the folder
   * again).
   */
  renderInput(key: string, exists: boolean, listable: boolean): boolean {
    const at = this.host.locate(key);
    const listed = at && this.listed.get(at.folder.index);
    if (!at || this.renders.relativePath(key) === undefined) return false;
    if (listed && listable && listed.has(at.rel) !== exists) {
      if (exists) listed.add(at.rel);
      else listed.delete(at.rel);
      this.renders.filesChanged(key, [...listed]);
      return true;
    }
    this.renders.fileSaved(key);
    return false;
  }

  /** A deleted path with listed files under it (a folder): the keys of the files gone with it, dropped from the renders' discovery. */
  folderDeleted(key: string): string[] {
    const at = this.host.locate(key);
    const listed = at && this.listed.get(at.folder.index);
    if (!at || !listed) return [];
    const gone = [...listed].filter((p) => p.startsWith(`${at.rel}/`));
    if (gone.length === 0) return [];
    for (const p of gone) listed.delete(p);
    this.renders.folderFilesChanged(renderFolder(at.folder), [...listed]);
    return gone.map((p) => this.host.keyOf(at.folder, p));
  }

  /**
   * A folder listed again: whether its list changed (the renders' discovery
   * then saw the new list) and the newly listed (folder-relative) files.
   */
  folderListed(folder: IndexFolder, files: readonly string[]): { changed: boolean; added: string[] } {
    const listed = this.listed.get(folder.index);
    if (!listed || folder.path === undefined) return { changed: false, added: [] };
    const next = new Set(files);
    const added = files.filter((p) => !listed.has(p));
    if (added.length === 0 && next.size === listed.size) return { changed: false, added };
    this.listed.set(folder.index, next);
    this.renders.folderFilesChanged(renderFolder(folder), [...next]);
    return { changed: true, added };
  }

  /** The listed files of a folder (folder-relative), undefined before the first scan. */
  listedFiles(folder: IndexFolder): Set<string> | undefined {
    return this.listed.get(folder.index);
  }

  /**
   * The files renders hold out of the loose manifests changed: newly held
   * files leave the analysis; the released ones (a render gone, its tool
   * missing) are returned for the host to read again from its editor or the
   * disk.
   */
  applyHeldOut(knownKeys: () => Iterable<string>): { changed: boolean; released: string[] } {
    const next = this.renders.heldOutKeys(knownKeys);
    let changed = false;
    const released: string[] = [];
    for (const key of this.heldOut) if (!next.has(key)) released.push(key);
    this.heldOut = next;
    for (const key of next) if (this.engineOf.remove(key)) changed = true;
    return { changed, released };
  }

  /** Takes the renders' current findings (and their texts) for the next merge. */
  takeRenderFindings(): void {
    const { byKey, texts } = this.renders.findingsByKey();
    this.renderFindings = byKey;
    this.renderTexts = texts;
  }

  // ------------------------------------------------------------ findings

  /**
   * The findings to publish: the loose manifests' (`computed`, or the
   * engine's update now), the renders' and the `.kni.yaml` files' own, by
   * key, and which keys changed since the last merge (a file that had
   * findings and has none now among them).
   */
  merge(reason: IndexUpdateReason, computed?: FindingsUpdate): MergedFindings {
    this.objects = undefined;
    const update = computed ?? this.engineOf.update();
    let byFile = update.byFile;
    const changed = [...update.changed];
    // The renders' findings (on templates, values, patches); after a render, every file they touch is set again.
    if (this.renderFindings.size > 0) {
      const merged = new Map(byFile);
      for (const [key, list] of this.renderFindings) merged.set(key, [...(merged.get(key) ?? []), ...list]);
      byFile = merged;
    }
    if (reason === 'render' || reason === 'scan') {
      const seen = new Set(changed);
      for (const key of [...this.renderFindings.keys(), ...this.renderKeysShown]) {
        if (seen.has(key)) continue;
        seen.add(key);
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
      // After a scan every folder's `.kni.yaml` is said, with none when it has none.
      if (reason === 'scan' || signature !== (this.publishedConfigSignatures.get(c.file) ?? '')) changed.push(c.file);
    });
    for (const [file, signature] of this.publishedConfigSignatures) if (!signatures.has(file) && signature !== '') changed.push(file);
    this.publishedConfigSignatures = signatures;
    // After a rescan the engine is new and knows nothing of what was shown before: files that had findings and have none now change too.
    const seen = new Set(changed);
    for (const key of this.byFile.keys()) if (!byFile.has(key) && !seen.has(key)) changed.push(key);
    this.byFile = byFile;
    return { ...update, byFile, changed };
  }

  findingsFor(key: string): readonly Finding[] {
    return this.byFile.get(key) ?? [];
  }

  allFindings(): ReadonlyMap<string, readonly Finding[]> {
    return this.byFile;
  }

  // ------------------------------------------------------------ queries

  model(): NetworkModel {
    return this.analysisOf.model();
  }

  modelIndex(): ModelIndex {
    return this.analysisOf.index();
  }

  /** The text the findings' offsets into a file are into: the analysed text, a render's source text, or a `.kni.yaml`'s. */
  textOf(key: string): string | undefined {
    return this.engineOf.text(key) ?? this.renderTexts.get(key) ?? this.folderConfigs.find((c) => c.file === key)?.text;
  }

  /** Whether a file is analysed as a loose manifest (not a render's input). */
  isLoose(key: string): boolean {
    return this.engineOf.text(key) !== undefined;
  }

  /** Whether the analysis (or a render) holds exactly this text for the file: offsets apply to it. */
  isCurrent(key: string, text: string): boolean {
    return (this.engineOf.text(key) ?? this.renderTexts.get(key)) === text;
  }

  /** The model objects written in a file, in source order. */
  objectsIn(key: string): readonly ModelObject[] {
    const m = this.model();
    if (!this.objects || this.objectsModel !== m) {
      this.objects = objectsByFile(m);
      this.objectsModel = m;
    }
    return this.objects.get(key) ?? [];
  }

  dispose(): void {
    this.renders.dispose();
  }
}

function renderFolder(f: IndexFolder): RenderFolder {
  return { index: f.index, name: f.name, path: f.path as string };
}
