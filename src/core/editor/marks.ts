// The status marks before a hover's sentences: VS Code draws its theme icons
// (`$(check)`), other editors get plain characters.
import type { TraceVerdict } from '../trace/types';

export type Mark = 'check' | 'warning' | 'error' | 'question' | 'close';

/** The mark before a trace's verdict in a hover (a drop is a closed path, not an error in the file). */
export const VERDICT_MARKS: Record<TraceVerdict, Mark> = { delivered: 'check', dropped: 'close', 'no-endpoints': 'error', unresolved: 'warning', redirected: 'check' };

/** VS Code's theme icons (the hover's MarkdownString has supportThemeIcons). */
export function codiconMark(m: Mark): string {
  return `$(${m})`;
}

const TEXT_MARKS: Record<Mark, string> = { check: '✓', warning: '⚠', error: '✗', question: '?', close: '✗' };

/** Plain characters, for any Markdown renderer. */
export function textMark(m: Mark): string {
  return TEXT_MARKS[m];
}
