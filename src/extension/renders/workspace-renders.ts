// The renders of the workspace's folders, for the workspace index: one
// FolderRenders per folder on disk (renders run in the folder, with paths
// relative to it), their findings and source texts by the index's file keys,
// the files they hold out of the loose manifests, and the reason renders are
// off (Restricted Mode). Only a trusted workspace renders: a render runs a
// program.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KniConfig } from '../../core/config/types';
import type { Finding } from '../../core/findings/types';
import type { ModelIndex } from '../../core/model/model-index';
import type { Loc, ModelObject } from '../../core/model/types';
import { discoverRenders } from '../../core/source/render/discover';
import type { ToolSettings } from '../../core/source/render/tools';
import { FolderRenders, type RenderEntry } from '../../core/workspace/folder-renders';

export interface FolderRender {
  folder: vscode.WorkspaceFolder;
  entry: RenderEntry;
}

/** The objects a render drew from one source file (a template, a base or patch), with the way back to it. */
export interface RenderView {
  render: FolderRender;
  objects: ModelObject[];
  index: ModelIndex;
  /** A rendered location as an index key and offsets of its source (undefined: not in a rendered document). */
  toSource(loc: Loc | undefined): Loc | undefined;
}

export const RESTRICTED_REASON = 'Helm charts and Kustomize overlays are not rendered in Restricted Mode: rendering runs helm or kustomize, so it needs a trusted workspace. Their files are read as plain files meanwhile (templates are skipped).';

function posix(p: string): string {
  return p.split('\\').join('/');
}

export class WorkspaceRenders implements vscode.Disposable {
  private readonly folders = new Map<number, FolderRenders>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires (coalesced) after any render's state or findings changed. */
  readonly onDidChange = this.emitter.event;
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** Renders discovered while they are off (Restricted Mode): how many, for the status bar. */
  offCount = 0;

  constructor(private readonly register: (uri: vscode.Uri) => string) {}

  /** Whether renders run at all here. */
  get enabled(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The reason renders are off, when they are and some would run. */
  get offReason(): string | undefined {
    return !this.enabled && this.offCount > 0 ? RESTRICTED_REASON : undefined;
  }

  /**
   * A new scan: the renders of each folder on disk, discovered from the
   * folder's listed files (folder-relative, '/'-separated).
   */
  reset(filesByFolder: Map<vscode.WorkspaceFolder, string[]>, configOf: (folder: vscode.WorkspaceFolder) => KniConfig, defaultNamespace: string, settings: ToolSettings, debounceMs: number): void {
    for (const f of this.folders.values()) f.dispose();
    this.folders.clear();
    this.offCount = 0;
    for (const [folder, files] of filesByFolder) {
      if (folder.uri.scheme !== 'file') continue;
      const cwd = folder.uri.fsPath;
      const read = (p: string) => {
        try {
          return readFileSync(join(cwd, p), 'utf8');
        } catch {
          return undefined;
        }
      };
      const exists = (p: string) => existsSync(join(cwd, p));
      const config = configOf(folder);
      if (!this.enabled) {
        this.offCount += discoverRenders({ files, read, exists, configured: config.renders, defaultNamespace, rootName: folder.name }).length;
        continue;
      }
      const renders = new FolderRenders({ cwd, rootName: folder.name, read, exists, config, defaultNamespace, settings, debounceMs: Math.max(debounceMs, 200), onChange: () => this.changed() });
      this.folders.set(folder.index, renders);
      renders.setFiles(files);
    }
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.emitter.fire();
    }, 0);
  }

  private folderOf(uri: vscode.Uri): { folder: vscode.WorkspaceFolder; renders: FolderRenders; rel: string } | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const renders = folder && this.folders.get(folder.index);
    if (!folder || !renders || uri.scheme !== 'file') return undefined;
    const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
    if (!uri.path.startsWith(base)) return undefined;
    return { folder, renders, rel: posix(decodeURIComponent(uri.path.slice(base.length))) };
  }

  private keyOf(folder: vscode.WorkspaceFolder, rel: string): string {
    return this.register(vscode.Uri.joinPath(folder.uri, ...rel.split('/')));
  }

  /** A file was saved or changed on disk: re-render what read it. */
  fileSaved(uri: vscode.Uri): void {
    const at = this.folderOf(uri);
    at?.renders.fileSaved(at.rel);
  }

  /** The folder's files changed (created, deleted): renders are discovered again. */
  filesChanged(uri: vscode.Uri, files: readonly string[]): void {
    const at = this.folderOf(uri);
    if (!at) return;
    at.renders.setFiles(files);
    at.renders.fileSaved(at.rel);
  }

  /** A folder listed again: its renders discovered from the new list. */
  folderFilesChanged(folder: vscode.WorkspaceFolder, files: readonly string[]): void {
    this.folders.get(folder.index)?.setFiles(files);
  }

  /** The folder-relative path of a file of a folder that renders (undefined: none). */
  relativePath(uri: vscode.Uri): string | undefined {
    return this.folderOf(uri)?.rel;
  }

  /** New tool settings: every render runs again with the tools found anew. */
  reconfigure(settings: ToolSettings): void {
    for (const f of this.folders.values()) f.reconfigure({ settings });
  }

  /** New rule severities or default namespace: every render is analysed (and run) again with them. */
  reconfigureAnalysis(configOf: (folder: vscode.WorkspaceFolder) => KniConfig, defaultNamespace: string): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.folders.get(folder.index)?.reconfigure({ config: configOf(folder), defaultNamespace });
  }

  /** Renders every render again. */
  renderAll(): void {
    for (const f of this.folders.values()) f.renderAll();
  }

  list(): FolderRender[] {
    const out: FolderRender[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const entry of this.folders.get(folder.index)?.list() ?? []) out.push({ folder, entry });
    }
    return out;
  }

  find(id: string): FolderRender | undefined {
    return this.list().find((r) => renderKey(r) === id);
  }

  /** Whether an index key (of `uri`) is held out of the loose manifests. */
  heldOutKeys(keysOf: () => Iterable<[string, vscode.Uri]>): Set<string> {
    const out = new Set<string>();
    const prefixes: { folder: vscode.WorkspaceFolder; prefix: string }[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const renders = this.folders.get(folder.index);
      if (!renders) continue;
      const held = renders.heldOut();
      for (const f of held.files) out.add(this.keyOf(folder, f));
      for (const d of held.folders) prefixes.push({ folder, prefix: d === '.' ? '' : `${d}/` });
    }
    if (prefixes.length > 0) {
      for (const [key, uri] of keysOf()) {
        const at = this.folderOf(uri);
        if (at && prefixes.some((p) => p.folder.index === at.folder.index && at.rel.startsWith(p.prefix))) out.add(key);
      }
    }
    return out;
  }

  /** Every render's findings by index key, and the texts their offsets are into. */
  findingsByKey(): { byKey: Map<string, Finding[]>; texts: Map<string, string> } {
    const byKey = new Map<string, Finding[]>();
    const texts = new Map<string, string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const renders = this.folders.get(folder.index);
      if (!renders) continue;
      for (const f of renders.findings()) {
        const key = this.keyOf(folder, f.loc.file);
        const rekey = (l: Loc): Loc => ({ ...l, file: this.keyOf(folder, l.file) });
        const finding: Finding = { ...f, loc: rekey(f.loc), related: f.related.map((r) => ({ ...r, loc: rekey(r.loc) })), fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, loc: rekey(e.loc) })) })) };
        for (const l of [f.loc, ...f.related.map((r) => r.loc), ...f.fixes.flatMap((x) => x.edits.map((e) => e.loc))]) {
          const k = this.keyOf(folder, l.file);
          if (!texts.has(k)) {
            const t = renders.sourceText(l.file) ?? (f.rule === 'render-tool-missing' ? safeRead(join(folder.uri.fsPath, l.file)) : undefined);
            if (t !== undefined) texts.set(k, t);
          }
        }
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        list.push(finding);
      }
    }
    return { byKey, texts };
  }

  /** A rendered document's location taken back to its source, as an index key and offsets. */
  sourceLoc(render: FolderRender, loc: Loc): Loc | undefined {
    const renders = this.folders.get(render.folder.index);
    const mapped = renders?.documentOf(loc.file)?.loc(loc);
    return mapped ? { ...mapped, file: this.keyOf(render.folder, mapped.file) } : undefined;
  }

  /** Whether a file is a template of a chart a render reads (its comments reach Helm's output). */
  isHelmTemplate(uri: vscode.Uri): boolean {
    const at = this.folderOf(uri);
    if (!at || !/\.(ya?ml|tpl)$/i.test(at.rel)) return false;
    return at.renders.list().some((e) => e.spec.kind === 'helm' && e.result?.consumedFiles.includes(at.rel) === true && /(^|\/)templates\//.test(e.spec.chart === '.' ? at.rel : at.rel.slice(e.spec.chart.length + 1)));
  }

  /** The renders that drew objects from a file, one view each (several renders of one chart: several views). */
  viewsOf(uri: vscode.Uri): RenderView[] {
    const at = this.folderOf(uri);
    if (!at) return [];
    const out: RenderView[] = [];
    for (const entry of at.renders.list()) {
      const session = entry.session;
      if (!session || !entry.result) continue;
      const docs = new Set(entry.result.documents.filter((d) => d.sourceFile === at.rel).map((d) => d.virtualFile));
      if (docs.size === 0) continue;
      const m = session.analysis.model();
      const objects: ModelObject[] = [];
      for (const list of [m.namespaces, m.workloads, m.services, m.endpointSlices, m.ingresses, m.ingressClasses, m.routes, m.networkPolicies] as ModelObject[][]) {
        for (const o of list) if (o.origin.file !== undefined && docs.has(o.origin.file)) objects.push(o);
      }
      const render = { folder: at.folder, entry };
      out.push({ render, objects, index: session.analysis.index(), toSource: (loc) => (loc ? this.sourceLoc(render, loc) : undefined) });
    }
    return out;
  }

  /** Resolves when no render is scheduled or running. */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.folders.values()].map((f) => f.whenIdle()));
  }

  toolProblems(): { tool: 'helm' | 'kustomize'; problem: string }[] {
    const seen = new Map<string, { tool: 'helm' | 'kustomize'; problem: string }>();
    for (const f of this.folders.values()) for (const p of f.toolProblems()) if (!seen.has(p.tool)) seen.set(p.tool, p);
    return [...seen.values()];
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const f of this.folders.values()) f.dispose();
    this.folders.clear();
    this.emitter.dispose();
  }
}

/** A render's id across the workspace's folders. */
export function renderKey(r: FolderRender): string {
  return `${r.folder.index}:${r.entry.id}`;
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
