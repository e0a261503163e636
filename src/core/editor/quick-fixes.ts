// The fixes an editor offers for one finding under a diagnostic: the core's
// own (the preferred one marked), "Disable <rule> for this line" on a Helm
// template line (templateDisableFix: the core's own is for the rendered
// text), and "Disable <rule> for this document" (YAML only: JSON has no
// comments; loose manifests only: a comment in a template, values file or
// patch does not silence a rendered finding).
import { disableDocumentFix } from '../analysis/suppression-edits';
import type { Finding, Fix } from '../findings/types';
import { templateDisableFix } from '../workspace/template-fixes';

/** The file the fixes are for, as the index knows it. */
export interface FixedFile {
  /** The text the finding's offsets are into. */
  text: string;
  /** A template of a chart a render reads. */
  helmTemplate: boolean;
  /** Analysed as a loose manifest (not a render's input). */
  loose: boolean;
}

export function offeredFixes(f: Finding, file: FixedFile): Fix[] {
  const out = [...f.fixes];
  if (file.helmTemplate && !f.fixes.some((x) => x.title.startsWith('Disable '))) {
    const line = templateDisableFix(f, file.text);
    if (line) out.push(line);
  }
  const document = file.loose ? disableDocumentFix(f, file.text) : undefined;
  if (document) out.push(document);
  return out;
}
