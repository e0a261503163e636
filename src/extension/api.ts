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

export interface KniExtensionApi {
  inspector: InspectorObserver;
}

export const EXTENSION_ID = 'kni.kubernetes-network-inspector';
