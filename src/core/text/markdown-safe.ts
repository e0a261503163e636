// Text from manifests inside Markdown (VS Code hovers and tooltips): first
// made terminal-safe (control characters and bidi overrides visible, see
// src/view-model/terminal-safe), then kept from being read as Markdown: a name must not
// become a link, emphasis, HTML or a theme icon ($(…)) when it is shown.
import { terminalSafe } from '../../view-model/terminal-safe';

/** Inline Markdown characters (and "$" of theme icons); our values never start a line. */
const MARKDOWN_INLINE = /[\\`*_[\]()<>&~$|#!]/g;

/** A value as plain text inside Markdown. */
export function markdownText(text: string): string {
  return terminalSafe(text).replace(MARKDOWN_INLINE, (ch) => `\\${ch}`);
}

/** A value as an inline code span: fenced with more backticks than any run inside it. */
export function markdownCode(text: string): string {
  const safe = terminalSafe(text);
  let longest = 0;
  for (const run of safe.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space inside the fence (CommonMark strips one).
  const pad = safe.startsWith('`') || safe.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}
