// What `activate` returns: the extension's public surface, used by the
// integration tests to observe the inspector without reaching into its DOM.
import type { RenderedMessage, ReadyMessage, TraceView } from '../protocol';

export interface InspectorObserver {
  /** Whether an inspector panel is open. */
  isOpen(): boolean;
  /** Resolves with the open panel's `ready` handshake (rejects after `timeoutMs`). */
  whenReady(timeoutMs?: number): Promise<ReadyMessage>;
  /** Resolves with the next `rendered` report from the panel (rejects after `timeoutMs`). */
  nextRendered(timeoutMs?: number): Promise<RenderedMessage>;
  /** The last `rendered` report, if any. */
  lastRendered(): RenderedMessage | undefined;
  /** The trace last pinned in the panel (by a click, Enter, or "Trace request" from the editor). */
  lastPinnedTrace(): TraceView | undefined;
}

/** The editor side (workspace index, diagnostics), for tests and the benchmark. */
export interface EditorObserver {
  /** Time spent in `activate()` (ms). */
  activationMs: number;
  /** Resolves when the running workspace scan has finished (undefined when it was superseded or cancelled). */
  whenIndexed(): Promise<{ files: number; manifests: number; cancelled: boolean; longestStretchMs: number; ms?: number } | undefined>;
  /** Manifest files in the index. */
  fileCount(): number;
  /** Time the last re-analysis took, from text to findings by file (ms). */
  lastUpdateMs(): number;
}

export interface KniExtensionApi {
  inspector: InspectorObserver;
  editor: EditorObserver;
}

export const EXTENSION_ID = 'kni.kubernetes-network-inspector';
