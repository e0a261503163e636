// "Disable <rule> for this line" on a Helm template line. Helm copies a
// template's comments into its output, so a `# kni-disable-next-line` comment
// above a line that starts with a literal key lands right above the rendered
// line and silences the rendered finding. Not offered where that does not
// hold: a line that starts with a template action (its `{{-` would trim the
// comment's line break, or it renders several lines), a position the render
// could only guess, values files and Kustomize files (Kustomize drops
// comments; values are not in the output). No `vscode` here: unit tests run it.
import { disableFix } from '../analysis';
import type { Finding, Fix } from '../findings/types';
import { LineIndex } from '../text/lines';

const LITERAL_KEY_LINE = /^[ \t]*(?:-[ \t]+)?(?:"[^"{}]*"|'[^'{}]*'|[A-Za-z0-9_./-]+)[ \t]*:(?:[ \t]|$)/;

export function templateDisableFix(finding: Finding, templateText: string): Fix | undefined {
  if (/position approximate/.test(finding.message)) return undefined;
  const lines = new LineIndex(templateText);
  const { line } = lines.positionAt(finding.loc.start);
  const content = templateText.slice(lines.offsetAt(line, 1), lines.lineEnd(line));
  if (!LITERAL_KEY_LINE.test(content)) return undefined;
  return disableFix(finding, templateText, lines);
}
