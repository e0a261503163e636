// What the editor needs to keep renders current while the user types:
// - renderOne: one render with the tools found, by kind;
// - RenderController: a new request for a render cancels that render's run
//   in flight (its process is killed) or queued, and runs of one chart or
//   Kustomize root are serialised, so never two run at once on it (several
//   renders of one chart, with other values, wait for each other rather
//   than cancel each other);
// - rendersAffectedBy: which renders an edited file belongs to (a template,
//   values file, patch or kustomization it read, or a new file in its folder).
import { renderEnvironment } from './env';
import { renderHelm } from './helm/render';
import { renderKustomize } from './kustomize';
import type { Found, HelmTool, KustomizeTool } from './tools';
import type { RenderResult, RenderSpec } from './types';

export interface RenderOneOptions {
  cwd: string;
  timeoutMs?: number;
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

/** One render; undefined when its tool is missing (the caller says so once). */
export async function renderOne(spec: RenderSpec, tools: { helm?: Found<HelmTool>; kustomize?: Found<KustomizeTool> }, options: RenderOneOptions): Promise<RenderResult | undefined> {
  if (spec.kind === 'helm') {
    const tool = tools.helm?.tool;
    return tool ? renderHelm(spec, tool, options) : undefined;
  }
  const tool = tools.kustomize?.tool;
  return tool ? renderKustomize(spec, tool, { ...options, env: renderEnvironment() }) : undefined;
}

/** The folder a render runs on: one run at a time per folder. */
export function renderFolder(spec: RenderSpec): string {
  return spec.kind === 'helm' ? spec.chart : spec.root;
}

/** Identifies a render (several renders of one chart differ by name). */
export function renderId(spec: RenderSpec): string {
  return `${spec.kind}:${renderFolder(spec)}:${spec.name}`;
}

export class RenderController {
  /** Per folder: the end of the chain of runs on it. */
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Per render: the latest request's abort controller. */
  private readonly latest = new Map<string, AbortController>();
  private disposed = false;

  constructor(private readonly run: (spec: RenderSpec, signal: AbortSignal) => Promise<RenderResult | undefined>) {}

  /**
   * Renders `spec` after any run on its folder has ended. Resolves undefined
   * when a newer request for the same render (or dispose) superseded it.
   */
  render(spec: RenderSpec): Promise<RenderResult | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const id = renderId(spec);
    this.latest.get(id)?.abort();
    const abort = new AbortController();
    this.latest.set(id, abort);
    const folder = renderFolder(spec);
    const previous = this.tails.get(folder) ?? Promise.resolve();
    const mine = previous.then(async () => {
      if (abort.signal.aborted) return undefined;
      const result = await this.run(spec, abort.signal);
      return abort.signal.aborted ? undefined : result;
    });
    const tail = mine.catch(() => undefined);
    this.tails.set(folder, tail);
    void tail.then(() => {
      if (this.tails.get(folder) === tail) this.tails.delete(folder);
      if (this.latest.get(id) === abort) this.latest.delete(id);
    });
    return mine;
  }

  /** Cancels a render's run (in flight or queued). */
  cancel(spec: RenderSpec): void {
    this.latest.get(renderId(spec))?.abort();
  }

  /** Cancels everything; later requests resolve undefined. */
  dispose(): void {
    this.disposed = true;
    for (const a of this.latest.values()) a.abort();
    this.latest.clear();
  }

  /** Whether a run is in flight or queued on the folder. */
  busy(folder: string): boolean {
    return this.tails.has(folder);
  }
}

/** The renders an edit of `file` ('/'-separated, relative to cwd) must re-run: those that read it, or whose folder holds it. */
export function rendersAffectedBy(file: string, renders: readonly { spec: RenderSpec; result?: RenderResult }[]): RenderSpec[] {
  return renders
    .filter(({ spec, result }) => {
      if (result?.consumedFiles.includes(file)) return true;
      const folder = renderFolder(spec);
      return folder === '.' || file.startsWith(`${folder}/`);
    })
    .map((r) => r.spec);
}
