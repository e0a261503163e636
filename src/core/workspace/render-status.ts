// What the status bar and the one-time notices say about renders, without
// `vscode` (unit tests run it on plain Node).
import type { RenderState } from './folder-renders';

export interface RenderStatusInput {
  name: string;
  kind: 'helm' | 'kustomize';
  state: RenderState;
  reason?: string;
  /** Folder name, in a multi-root workspace. */
  folder?: string;
}

export interface RenderStatus {
  /** For the status bar item's text: "2 renders", "1 of 2 renders failed", "" without renders. */
  short: string;
  /** One line per render for the tooltip ("Chart api (values.yaml…): rendered"). */
  lines: string[];
  /** The worst state: for the item's icon and colour. */
  worst: 'ok' | 'busy' | 'failed' | 'tool-missing' | 'off';
}

const STATE_TEXT: Record<RenderState, string> = {
  waiting: 'waiting to render',
  rendering: 'rendering…',
  rendered: 'rendered',
  failed: 'failed',
  'tool-missing': 'not rendered (tool missing)',
};

export function renderStatus(renders: readonly RenderStatusInput[], offReason?: string, offCount = 0): RenderStatus {
  if (offReason !== undefined) {
    return { short: `${offCount} render${offCount === 1 ? '' : 's'} off`, lines: [offReason], worst: 'off' };
  }
  if (renders.length === 0) return { short: '', lines: [], worst: 'ok' };
  const lines = renders.map((r) => {
    const what = `${r.kind === 'helm' ? 'Chart' : 'Kustomize'} ${r.folder ? `${r.folder}: ` : ''}${r.name}`;
    const state = STATE_TEXT[r.state];
    return `${what}: ${state}${r.reason && (r.state === 'failed' || r.state === 'tool-missing') ? ` (${firstLine(r.reason)})` : ''}`;
  });
  const failed = renders.filter((r) => r.state === 'failed').length;
  const missing = renders.filter((r) => r.state === 'tool-missing').length;
  const busy = renders.filter((r) => r.state === 'rendering' || r.state === 'waiting').length;
  const n = renders.length;
  const noun = `render${n === 1 ? '' : 's'}`;
  if (missing > 0) return { short: `${missing} of ${n} ${noun} need a tool`, lines, worst: 'tool-missing' };
  if (failed > 0) return { short: `${failed} of ${n} ${noun} failed`, lines, worst: 'failed' };
  if (busy > 0) return { short: `rendering ${busy} of ${n}`, lines, worst: 'busy' };
  return { short: `${n} ${noun}`, lines, worst: 'ok' };
}

function firstLine(s: string): string {
  const line = s.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** The one notice about a missing tool: what is not rendered, why, and what to do (the reason carries the install hint). */
export function toolMissingNotice(tool: 'helm' | 'kustomize', problem: string): string {
  const what = tool === 'helm' ? 'Helm charts' : 'Kustomize overlays';
  return `KNI: ${what} are not rendered: ${problem}. Their files are read as plain files meanwhile.`;
}
