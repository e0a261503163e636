// The webview side of the VS Code bridge. `acquireVsCodeApi` may be called
// once per page; everything else goes through this module.
import type { WebviewToHost } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToHost(message: WebviewToHost): void {
  api.postMessage(message);
}

export function getState<T>(): T | undefined {
  return api.getState() as T | undefined;
}

export function setState<T>(state: T): void {
  api.setState(state);
}
