// The fixes an editor offers for one finding under a diagnostic: the core's
// own (the preferred one marked), "Disable <rule> for this line" on a Helm
// template line (templateDisableFix: the core's own is for the rendered
// text), and "Disable <rule> for this document" (YAML only: JSON has no
// comments; loose manifests only: a comment in a template, values file or
// patch does not silence a rendered finding).
import type { Finding, Fix } from '../findings/types';
import { templateDisableFix } from '../workspace/template-fixes';

/** The file the fixes are for, as the index knows it. */
export interface FixedFile {
  /** Its path or key (`.json`: no comments), and the text the finding's offsets are into. */
  path: string;
  text: string;
  /** A template of a chart a render reads. */
  helmTemplate: boolean;
  /** Analysed as a loose manifest (not a render's input). */
  loose: boolean;
}

/** The suppression comments' edits (the adapter passes the suppressions module). */
export interface Suppressions {
  supportsComments(file: string): boolean;
  disableDocumentEdit(text: string, offset: number, rule: string): { start: number; end: number; newText: string } | undefined;
}

export function offeredFixes(f: Finding, file: FixedFile, suppressions: Suppressions): Fix[] {
  const out = [...f.fixes];
  if (file.helmTemplate && !f.fixes.some((x) => x.title.startsWith('Disable '))) {
    const line = templateDisableFix(f, file.text);
    if (line) out.push(line);
  }
  if (file.loose && suppressions.supportsComments(file.path)) {
    const e = suppressions.disableDocumentEdit(file.text, f.loc.start, f.rule);
    if (e) out.push({ title: `Disable ${f.rule} for this document`, edits: [{ loc: { file: f.loc.file, start: e.start, end: e.end }, newText: e.newText }] });
  }
  return out;
}
