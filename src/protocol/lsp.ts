// The language server's own messages beyond LSP, shared by `kni lsp` and its
// clients (the VS Code extension, a Neovim configuration): what a client says
// at initialize, the notifications that change it later, and the command a
// code lens asks the client to run. Not in the protocol's index: the webview
// does not speak LSP.
import type { TraceTarget } from './trace-targets';

/**
 * `initializationOptions` of `kni lsp`. Omitted fields mean: untrusted, and
 * the render tools found on PATH (or where VS Code's Kubernetes extension
 * records them). Tool paths come only from here, never from
 * workspace/configuration: clients answer that from project files
 * (`.vscode/settings.json`, a project's Neovim config), and a repository
 * must not choose the program kni runs.
 */
export interface KniInitializationOptions {
  /** The workspace is trusted: renders run helm or kustomize. */
  trusted?: boolean;
  /** `kni.helm.path` from the user's own settings. */
  helmPath?: string;
  /** `kni.kustomize.path` from the user's own settings (a kustomize or a kubectl binary). */
  kustomizePath?: string;
}

/** Client → server: the user trusted the workspace after initialize (VS Code's onDidGrantWorkspaceTrust). Trust is never taken back within a session: VS Code reloads the window for that. */
export const DID_GRANT_TRUST = 'kni/didGrantWorkspaceTrust';

/** Client → server: the user's tool paths changed (the same fields as at initialize; a field left out goes back to PATH). */
export const DID_CHANGE_TOOL_PATHS = 'kni/didChangeToolPaths';
export type ToolPathsParams = Pick<KniInitializationOptions, 'helmPath' | 'kustomizePath'>;

/** The command of a "Trace request" code lens, for the client to run (the VS Code extension registers it). */
export const TRACE_REQUEST_COMMAND = 'kni.traceRequest';

/** The one argument of TRACE_REQUEST_COMMAND: what to trace, and the render it is traced in for an object a render drew. */
export type TraceRequestArgument = TraceTarget & {
  /** The render's id (`<folder index>:<render id>`): the trace runs in the rendered release. */
  render?: string;
};

/** Client → server request, no params: the workspace's renders and their states (for a status bar, a picker). */
export const RENDERS_REQUEST = 'kni/renders';
/** Server → client, no params: the renders changed state; ask RENDERS_REQUEST again. */
export const DID_CHANGE_RENDERS = 'kni/didChangeRenders';

export type RenderState = 'waiting' | 'rendering' | 'rendered' | 'failed' | 'tool-missing';

/** One chart or Kustomize root of the workspace. */
export interface RenderInfo {
  /** The render's id across folders (TraceRequestArgument's `render`). */
  id: string;
  /** The workspace folder's name. */
  folder: string;
  kind: 'helm' | 'kustomize';
  name: string;
  state: RenderState;
  /** Why it failed, or why its tool is missing. */
  reason?: string;
}

export interface RendersResult {
  renders: RenderInfo[];
  /** Why none runs (an untrusted workspace), when some would. */
  off?: string;
  /** How many would run. */
  offCount?: number;
}

export function isKniInitializationOptions(v: unknown): v is KniInitializationOptions {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (o.trusted === undefined || typeof o.trusted === 'boolean') && (o.helmPath === undefined || typeof o.helmPath === 'string') && (o.kustomizePath === undefined || typeof o.kustomizePath === 'string');
}
