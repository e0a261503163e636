// The status marks before a hover's sentences: VS Code draws its theme icons
// (`$(check)`), other editors get plain characters.
export type Mark = 'check' | 'warning' | 'error' | 'question' | 'close';

/** VS Code's theme icons (the hover's MarkdownString has supportThemeIcons). */
export function codiconMark(m: Mark): string {
  return `$(${m})`;
}

const TEXT_MARKS: Record<Mark, string> = { check: '✓', warning: '⚠', error: '✗', question: '?', close: '✗' };

/** Plain characters, for any Markdown renderer. */
export function textMark(m: Mark): string {
  return TEXT_MARKS[m];
}
