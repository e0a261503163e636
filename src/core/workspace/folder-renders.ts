// The renders of one workspace folder for the editor, without `vscode`:
// which renders the folder's files hold (the core's discovery), the tools
// that render them (found once, a missing one said once), each render kept
// in its own RenderSession, and re-renders of only the renders an edit
// touches (debounced; the core's RenderController cancels a superseded run
// and never runs two renders of one chart at once).
//
// Helm and Kustomize read the files from disk, so renders follow saved text:
// the adapter calls fileSaved() on a save (and on a change on disk), never on
// a keystroke.
import type { KniConfig } from '../config/types';
import type { Finding } from '../findings/types';
import type { Loc } from '../model/types';
import { effectiveSeverity } from '../rules/context';
import { RenderSession } from '../source/render/analyse';
import { renderFolder, renderId, RenderController, renderOne, rendersAffectedBy } from '../source/render/controller';
import { discoverRenders, KUSTOMIZATION_FILES, kustomizeRoots } from '../source/render/discover';
import { findHelm, findKustomize, type Found, type HelmTool, type KustomizeTool, type ToolSettings } from '../source/render/tools';
import type { RenderResult, RenderSpec } from '../source/render/types';

import type { RenderState } from '../../protocol/lsp';

export type { RenderState };

export interface RenderEntry {
  id: string;
  spec: RenderSpec;
  state: RenderState;
  /** Why it failed, or why its tool is missing (failed, tool-missing). */
  reason?: string;
  result?: RenderResult;
  session?: RenderSession;
  /** How long the last render and its analysis took (ms). */
  lastMs?: number;
}

export interface FolderRendersOptions {
  /** The folder renders run in (absolute). */
  cwd: string;
  /** The folder's name (a chart at its root is named after it). */
  rootName: string;
  /** Reads a folder-relative file from disk (undefined: unreadable). */
  read(path: string): string | undefined;
  exists(path: string): boolean;
  config: KniConfig;
  defaultNamespace: string;
  settings: ToolSettings;
  /** Delay between a save and the re-render it asks for (ms). */
  debounceMs?: number;
  timeoutMs?: number;
  /** Called after any render's state or findings changed. */
  onChange(): void;
  /** Finds the tools (tests pass their own binaries through settings; the default looks on this machine). */
  findTools?: (settings: ToolSettings, kinds: ReadonlySet<RenderSpec['kind']>) => Promise<Tools>;
}

export interface Tools {
  helm?: Found<HelmTool>;
  kustomize?: Found<KustomizeTool>;
}

async function defaultFindTools(settings: ToolSettings, kinds: ReadonlySet<RenderSpec['kind']>): Promise<Tools> {
  return {
    ...(kinds.has('helm') ? { helm: await findHelm(settings) } : {}),
    ...(kinds.has('kustomize') ? { kustomize: findKustomize(settings) } : {}),
  };
}

const DEFAULT_DEBOUNCE_MS = 300;

export class FolderRenders {
  private entries = new Map<string, RenderEntry>();
  private files: readonly string[] = [];
  private tools: Tools | undefined;
  private toolsFor = new Set<RenderSpec['kind']>();
  private toolsLookup: Promise<Tools> | undefined;
  private readonly controller: RenderController;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private disposed = false;
  /** Bumped by reconfigure(): a render's session made under an older configuration is replaced. */
  private configVersion = 0;
  private readonly sessionVersions = new WeakMap<RenderEntry, number>();
  /** Renders in flight, for whenIdle(). */
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly options: FolderRendersOptions) {
    this.controller = new RenderController(async (spec, signal) => {
      const tools = await this.lookupTools();
      return renderOne(spec, tools, { cwd: options.cwd, timeoutMs: options.timeoutMs, signal });
    });
  }

  /** The renders, in discovery order. */
  list(): readonly RenderEntry[] {
    return [...this.entries.values()];
  }

  get(id: string): RenderEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * The folder's files changed (the first scan, a file created or deleted):
   * renders are discovered again; new ones and changed ones render, gone ones
   * are dropped. Returns whether the set of renders changed.
   */
  setFiles(files: readonly string[]): boolean {
    this.files = files;
    const specs = discoverRenders({ files, read: this.options.read, exists: this.options.exists, configured: this.options.config.renders, defaultNamespace: this.options.defaultNamespace, rootName: this.options.rootName });
    const next = new Map<string, RenderEntry>();
    let changed = specs.length !== this.entries.size;
    for (const spec of specs) {
      const id = renderId(spec);
      const old = this.entries.get(id);
      if (old && JSON.stringify(old.spec) === JSON.stringify(spec)) {
        next.set(id, old);
        continue;
      }
      changed = true;
      next.set(id, { id, spec, state: 'waiting' });
    }
    for (const [id, old] of this.entries) {
      if (next.has(id)) continue;
      this.controller.cancel(old.spec);
      const t = this.timers.get(id);
      if (t) clearTimeout(t);
      this.timers.delete(id);
    }
    this.entries = next;
    const kinds = new Set(specs.map((s) => s.kind));
    if ([...kinds].some((k) => !this.toolsFor.has(k))) this.toolsLookup = undefined;
    for (const e of next.values()) if (e.state === 'waiting' && !this.timers.has(e.id)) this.schedule(e.id, 0);
    // A render gone takes its findings and held-out files with it; a new one holds its folder out.
    if (changed) this.options.onChange();
    return changed;
  }

  /**
   * New settings or configuration: every render runs again (new tools are
   * looked up first), each analysed afresh; the last findings stay shown
   * until then.
   */
  reconfigure(changes: Partial<Pick<FolderRendersOptions, 'config' | 'defaultNamespace' | 'settings'>>): void {
    Object.assign(this.options, changes);
    if (changes.settings) {
      this.tools = undefined;
      this.toolsLookup = undefined;
      this.toolsFor.clear();
    }
    this.configVersion++;
    this.setFiles(this.files);
    this.renderAll();
  }

  /** A file was saved or changed on disk: the renders that read it (or whose folder holds it) render again. */
  fileSaved(file: string): void {
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (name === 'Chart.yaml' || KUSTOMIZATION_FILES.includes(name)) {
      // What the set of renders is may have changed (a kustomization that now includes another root).
      this.setFiles(this.files);
    }
    for (const spec of rendersAffectedBy(file, this.list())) this.schedule(renderId(spec), this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  /** Renders every render again now. */
  renderAll(): void {
    for (const id of this.entries.keys()) this.schedule(id, 0);
  }

  private schedule(id: string, delay: number): void {
    const old = this.timers.get(id);
    if (old) clearTimeout(old);
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        const entry = this.entries.get(id);
        if (!entry || this.disposed) return;
        const run = this.render(entry);
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      }, delay),
    );
  }

  private async render(entry: RenderEntry): Promise<void> {
    const started = performance.now();
    const previous = entry.state;
    entry.state = 'rendering';
    if (previous !== 'rendering') this.options.onChange();
    let result: RenderResult | undefined;
    try {
      result = await this.controller.render(entry.spec);
    } catch (err) {
      if (this.entries.get(entry.id) !== entry) return;
      entry.state = 'failed';
      entry.reason = err instanceof Error ? err.message : String(err);
      this.options.onChange();
      return;
    }
    // Superseded by a newer request of the same render (which reports), or dropped.
    if (this.entries.get(entry.id) !== entry || this.disposed) return;
    if (!result) {
      const tools = await this.lookupTools();
      const found = entry.spec.kind === 'helm' ? tools.helm : tools.kustomize;
      if (found?.tool) return; // cancelled, a newer run reports
      entry.state = 'tool-missing';
      entry.reason = found?.problem ?? `${entry.spec.kind === 'helm' ? 'helm' : 'kustomize'} was not found`;
      entry.result = undefined;
      entry.session = undefined;
      this.options.onChange();
      return;
    }
    const current = entry.session && this.sessionVersions.get(entry) === this.configVersion ? entry.session : undefined;
    this.sessionVersions.set(entry, this.configVersion);
    const session = current ?? new RenderSession({ config: this.options.config, defaultNamespace: entry.spec.kind === 'helm' ? entry.spec.namespace : this.options.defaultNamespace });
    session.update(result);
    entry.session = session;
    entry.result = result;
    const failure = result.documents.length === 0 ? result.problems.find((p) => p.severity === 'error' || p.rule === 'helm-dependencies-missing') : undefined;
    entry.state = failure ? 'failed' : 'rendered';
    entry.reason = failure?.message;
    entry.lastMs = performance.now() - started;
    this.options.onChange();
  }

  private lookupTools(): Promise<Tools> {
    if (!this.toolsLookup) {
      const kinds = new Set([...this.entries.values()].map((e) => e.spec.kind));
      this.toolsFor = kinds;
      const lookup = (this.options.findTools ?? defaultFindTools)(this.options.settings, kinds).then((t) => {
        this.tools = t;
        // A tool not found (or `helm version` timing out on a busy machine) is looked for again by the next render, not remembered.
        if (t.helm?.problem !== undefined || t.kustomize?.problem !== undefined) {
          if (this.toolsLookup === lookup) this.toolsLookup = undefined;
        }
        return t;
      });
      this.toolsLookup = lookup;
    }
    return this.toolsLookup;
  }

  /** Resolves when no render is scheduled or running (for tests and the first publish). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.timers.size > 0) await new Promise((done) => setTimeout(done, 10));
      else if (this.running.size > 0) await Promise.all([...this.running]).catch(() => undefined);
      else return;
    }
  }

  /** The tool problems found (at most one per tool), for the one notification. */
  toolProblems(): { tool: 'helm' | 'kustomize'; problem: string }[] {
    const out: { tool: 'helm' | 'kustomize'; problem: string }[] = [];
    if (this.tools?.helm?.problem && this.list().some((e) => e.state === 'tool-missing' && e.spec.kind === 'helm')) out.push({ tool: 'helm', problem: this.tools.helm.problem });
    if (this.tools?.kustomize?.problem && this.list().some((e) => e.state === 'tool-missing' && e.spec.kind === 'kustomize')) out.push({ tool: 'kustomize', problem: this.tools.kustomize.problem });
    return out;
  }

  /**
   * Files held out of the loose manifests: what a render read, and while a
   * render has not finished yet, everything under its folder (so a chart's
   * templates do not flash `manifest-template` before its first render).
   * Renders whose tool is missing hold nothing: their files are read as today.
   */
  heldOut(): { files: Set<string>; folders: string[] } {
    const files = new Set<string>();
    const folders = new Set<string>();
    let kustomizePending = false;
    for (const e of this.entries.values()) {
      if (e.state === 'tool-missing') continue;
      if (e.result) for (const f of e.result.consumedFiles) files.add(f);
      else {
        folders.add(renderFolder(e.spec));
        if (e.spec.kind === 'kustomize') kustomizePending = true;
      }
    }
    // An overlay's bases are Kustomize roots of their own (not rendered alone): held out with it.
    if (kustomizePending) for (const root of kustomizeRoots({ files: this.files, exists: this.options.exists })) folders.add(root);
    return { files, folders: [...folders] };
  }

  /** Every render's findings on the folder's files (folder-relative), and one render-tool-missing per missing tool. */
  findings(): Finding[] {
    const out: Finding[] = [];
    for (const e of this.entries.values()) if (e.session && e.result) out.push(...e.session.findings());
    const severity = effectiveSeverity(this.options.config, 'render-tool-missing');
    if (severity === undefined) return out;
    for (const tool of ['helm', 'kustomize'] as const) {
      const missing = this.list().filter((e) => e.state === 'tool-missing' && e.spec.kind === tool);
      if (missing.length === 0) continue;
      const first = missing[0].spec;
      const file = first.kind === 'helm' ? (first.chart === '.' ? 'Chart.yaml' : `${first.chart}/Chart.yaml`) : (kustomizationOf(first.root, this.options.exists) ?? first.root);
      const text = this.options.read(file) ?? '';
      const names = missing.map((e) => renderFolder(e.spec));
      const what = names.length === 1 ? names[0] : `${names.length} ${tool === 'helm' ? 'charts' : 'Kustomize roots'} (${names.join(', ')})`;
      out.push({
        rule: 'render-tool-missing',
        severity: severity as Finding['severity'],
        message: `${what} not rendered: ${missing[0].reason ?? `${tool} was not found`}. Their files are read as plain files meanwhile.`,
        loc: { file, start: 0, end: Math.max(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')) },
        related: [],
        fixes: [],
      });
    }
    return out;
  }

  /** The text a folder-relative file had when a render read it (what findings' offsets are into). */
  sourceText(file: string): string | undefined {
    for (const e of this.entries.values()) {
      const t = e.result?.sourceTexts.get(file);
      if (t !== undefined) return t;
    }
    return undefined;
  }

  /** The render a virtual file (a rendered document) belongs to, and the document. */
  documentOf(virtualFile: string): { entry: RenderEntry; loc: (l: Loc) => Loc | undefined } | undefined {
    for (const e of this.entries.values()) {
      const session = e.session;
      if (session?.document(virtualFile)) return { entry: e, loc: (l) => session.mapLoc(l)?.loc };
    }
    return undefined;
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.controller.dispose();
  }
}

function kustomizationOf(root: string, exists: (p: string) => boolean): string | undefined {
  for (const n of KUSTOMIZATION_FILES) {
    const p = root === '.' ? n : `${root}/${n}`;
    if (exists(p)) return p;
  }
  return undefined;
}
