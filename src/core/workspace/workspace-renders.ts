// The renders of the workspace's folders, for the workspace index (the VS
// Code extension's and the language server's): one FolderRenders per folder
// on disk (renders run in the folder, with paths relative to it), their
// findings and source texts by the index's file keys, the files they hold out
// of the loose manifests, and the reason renders are off (an untrusted
// workspace). Only a trusted workspace renders: a render runs a program.
// File keys are the index's; `locate` tells which folder a key is in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KniConfig } from '../config/types';
import type { Finding } from '../findings/types';
import type { ModelIndex } from '../model/model-index';
import type { Loc, ModelObject } from '../model/types';
import { discoverRenders } from '../source/render/discover';
import type { ToolSettings } from '../source/render/tools';
import type { RenderInfo, RendersResult } from '../../protocol/lsp';
import { FolderRenders, type RenderEntry } from './folder-renders';

/** A workspace folder on disk, as renders see it. */
export interface RenderFolder {
  /** Its position among the workspace's folders. */
  index: number;
  name: string;
  /** Absolute path. */
  path: string;
}

export interface FolderRender {
  folder: RenderFolder;
  entry: RenderEntry;
}

export interface WorkspaceRendersHost {
  /** The index's key of a folder-relative file ('/'-separated). */
  keyOf(folder: RenderFolder, rel: string): string;
  /** The folder (on disk, among those reset() was given) and folder-relative path of a key (undefined: none). */
  locate(key: string): { folder: RenderFolder; rel: string } | undefined;
  /** Called (coalesced) after any render's state or findings changed. */
  onChange(): void;
}

/** The objects a render drew from one source file (a template, a base or patch), with the way back to it. */
export interface RenderView {
  render: FolderRender;
  objects: ModelObject[];
  index: ModelIndex;
  /** A rendered location as an index key and offsets of its source (undefined: not in a rendered document). */
  toSource(loc: Loc | undefined): Loc | undefined;
}

/** Why renders are off, in the words of the client (VS Code says Restricted Mode). */
export function untrustedReason(where = 'in an untrusted workspace'): string {
  return `Helm charts and Kustomize overlays are not rendered ${where}: rendering runs helm or kustomize, so it needs a trusted workspace. Their files are read as plain files meanwhile (templates are skipped).`;
}

export class WorkspaceRenders {
  private readonly folders = new Map<number, FolderRenders>();
  /** The folders of the last reset(), by index. */
  private folderList: RenderFolder[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** Renders discovered while they are off (an untrusted workspace): how many, for the status bar. */
  offCount = 0;
  /** Whether renders run at all: the workspace is trusted (set before reset()). */
  enabled = false;

  /** @param offWords how the client names an untrusted workspace ("in Restricted Mode") */
  constructor(
    private readonly host: WorkspaceRendersHost,
    private readonly offWords?: string,
  ) {}

  /** The reason renders are off, when they are and some would run. */
  get offReason(): string | undefined {
    return !this.enabled && this.offCount > 0 ? untrustedReason(this.offWords) : undefined;
  }

  /**
   * A new scan: the renders of each folder on disk, discovered from the
   * folder's listed files (folder-relative, '/'-separated).
   */
  reset(filesByFolder: Map<RenderFolder, string[]>, configOf: (folder: RenderFolder) => KniConfig, defaultNamespace: string, settings: ToolSettings, debounceMs: number): void {
    for (const f of this.folders.values()) f.dispose();
    this.folders.clear();
    this.offCount = 0;
    this.folderList = [...filesByFolder.keys()];
    for (const [folder, files] of filesByFolder) {
      const cwd = folder.path;
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
      this.host.onChange();
    }, 0);
  }

  private folderOf(key: string): { folder: RenderFolder; renders: FolderRenders; rel: string } | undefined {
    const at = this.host.locate(key);
    const renders = at && this.folders.get(at.folder.index);
    return at && renders ? { folder: at.folder, renders, rel: at.rel } : undefined;
  }

  private keyOf(folder: RenderFolder, rel: string): string {
    return this.host.keyOf(folder, rel);
  }

  /** A file was saved or changed on disk: re-render what read it. */
  fileSaved(key: string): void {
    const at = this.folderOf(key);
    at?.renders.fileSaved(at.rel);
  }

  /** The folder's files changed (created, deleted): renders are discovered again. */
  filesChanged(key: string, files: readonly string[]): void {
    const at = this.folderOf(key);
    if (!at) return;
    at.renders.setFiles(files);
    at.renders.fileSaved(at.rel);
  }

  /** A folder listed again: its renders discovered from the new list. */
  folderFilesChanged(folder: RenderFolder, files: readonly string[]): void {
    this.folders.get(folder.index)?.setFiles(files);
  }

  /** The folder-relative path of a file of a folder that renders (undefined: none). */
  relativePath(key: string): string | undefined {
    return this.folderOf(key)?.rel;
  }

  /** New tool settings: every render runs again with the tools found anew. */
  reconfigure(settings: ToolSettings): void {
    for (const f of this.folders.values()) f.reconfigure({ settings });
  }

  /** New rule severities or default namespace: every render is analysed (and run) again with them. */
  reconfigureAnalysis(configOf: (folder: RenderFolder) => KniConfig, defaultNamespace: string): void {
    for (const folder of this.folderList) this.folders.get(folder.index)?.reconfigure({ config: configOf(folder), defaultNamespace });
  }

  /** Renders every render again. */
  renderAll(): void {
    for (const f of this.folders.values()) f.renderAll();
  }

  list(): FolderRender[] {
    const out: FolderRender[] = [];
    for (const folder of this.folderList) {
      for (const entry of this.folders.get(folder.index)?.list() ?? []) out.push({ folder, entry });
    }
    return out;
  }

  /** The renders and their states as the protocol says them (and why none runs, when they are off). */
  summary(): RendersResult {
    const renders = this.list().map((r): RenderInfo => ({ id: renderKey(r), folder: r.folder.name, kind: r.entry.spec.kind, name: r.entry.spec.name, state: r.entry.state, ...(r.entry.reason !== undefined ? { reason: r.entry.reason } : {}) }));
    const off = this.offReason;
    return off !== undefined ? { renders, off, offCount: this.offCount } : { renders };
  }

  find(id: string): FolderRender | undefined {
    return this.list().find((r) => renderKey(r) === id);
  }

  /** The index keys held out of the loose manifests: what renders read, and the files (of `keys`) under a render that has not finished. */
  heldOutKeys(keys: () => Iterable<string>): Set<string> {
    const out = new Set<string>();
    const prefixes: { folder: RenderFolder; prefix: string }[] = [];
    for (const folder of this.folderList) {
      const renders = this.folders.get(folder.index);
      if (!renders) continue;
      const held = renders.heldOut();
      for (const f of held.files) out.add(this.keyOf(folder, f));
      for (const d of held.folders) prefixes.push({ folder, prefix: d === '.' ? '' : `${d}/` });
    }
    if (prefixes.length > 0) {
      for (const key of keys()) {
        const at = this.folderOf(key);
        if (at && prefixes.some((p) => p.folder.index === at.folder.index && at.rel.startsWith(p.prefix))) out.add(key);
      }
    }
    return out;
  }

  /** Every render's findings by index key, and the texts their offsets are into. */
  findingsByKey(): { byKey: Map<string, Finding[]>; texts: Map<string, string> } {
    const byKey = new Map<string, Finding[]>();
    const texts = new Map<string, string>();
    for (const folder of this.folderList) {
      const renders = this.folders.get(folder.index);
      if (!renders) continue;
      for (const f of renders.findings()) {
        const key = this.keyOf(folder, f.loc.file);
        const rekey = (l: Loc): Loc => ({ ...l, file: this.keyOf(folder, l.file) });
        const finding: Finding = { ...f, loc: rekey(f.loc), related: f.related.map((r) => ({ ...r, loc: rekey(r.loc) })), fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, loc: rekey(e.loc) })) })) };
        for (const l of [f.loc, ...f.related.map((r) => r.loc), ...f.fixes.flatMap((x) => x.edits.map((e) => e.loc))]) {
          const k = this.keyOf(folder, l.file);
          if (!texts.has(k)) {
            const t = renders.sourceText(l.file) ?? (f.rule === 'render-tool-missing' ? safeRead(join(folder.path, l.file)) : undefined);
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
  isHelmTemplate(key: string): boolean {
    const at = this.folderOf(key);
    if (!at || !/\.(ya?ml|tpl)$/i.test(at.rel)) return false;
    return at.renders.list().some((e) => e.spec.kind === 'helm' && e.result?.consumedFiles.includes(at.rel) === true && /(^|\/)templates\//.test(e.spec.chart === '.' ? at.rel : at.rel.slice(e.spec.chart.length + 1)));
  }

  /** The renders that drew objects from a file, one view each (several renders of one chart: several views). */
  viewsOf(key: string): RenderView[] {
    const at = this.folderOf(key);
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
