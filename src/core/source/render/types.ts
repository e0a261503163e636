// Renders: a Helm chart or a Kustomize root turned into plain manifests by the
// user's own tool, with a way back from every rendered offset to the line of
// the template, values file, base or patch that produced it.
//
// The pipeline:
//   discover (which renders a set of files holds; `.kni.yaml` `renders`)
//   -> run the tool (run.ts: no shell, a timeout, an output bound, no network)
//   -> split the output into documents, each with a SourceMap
//   -> analyse the documents as virtual files (the ordinary Analysis)
//   -> map every finding's locations (loc, related, fix edits) back to source
//      files through the documents' maps; fixes whose edits do not land on a
//      plain line of a source file are dropped.
import type { Severity } from '../../findings/types';
import type { Loc } from '../../model/types';
import type { RuleId } from '../../rules/catalogue';

/** What to render; several renders of one chart are separate sets. */
export type RenderSpec = HelmRenderSpec | KustomizeRenderSpec;

export interface HelmRenderSpec {
  kind: 'helm';
  /** The chart folder (relative to the workspace root / current directory, '/'-separated). */
  chart: string;
  release: string;
  namespace: string;
  /** Values files, relative to the chart folder unless absolute; the chart's own values.yaml is always read by Helm itself. */
  values: string[];
  /** `--set key=value` pairs, in order. */
  set: Record<string, string>;
  /** Said in messages: "api (values-prod.yaml)". */
  name: string;
}

export interface KustomizeRenderSpec {
  kind: 'kustomize';
  /** The Kustomize root folder (holding kustomization.yaml|yml|Kustomization). */
  root: string;
  /** Said in messages: "overlays/prod". */
  name: string;
}

/** Where a rendered span came from. */
export interface MappedLoc {
  /** A span of a source file (template, values, base resource, patch). */
  loc: Loc;
  /**
   * True when the span is the field itself; false when the field could not be
   * found and `loc` is the object's first line (messages then say the position
   * is approximate).
   */
  exact: boolean;
  /** Other places that supplied the value (the values.yaml line behind `{{ .Values.x }}`). */
  related?: { loc: Loc; message: string }[];
  /** True when the span is plain YAML text that an edit may replace (no template action, not generated). */
  editable: boolean;
  /**
   * Where an edit of the span goes when that is not `loc`: a template value
   * written as `{{ .Values.x }}` is edited on the values line that supplies
   * it (the finding stays on the template line). Set only with `editable`.
   */
  edit?: Loc;
}

/** One rendered document and the way back to its sources. */
export interface RenderedDocument {
  /** Virtual file name the document is analysed under (unique in its render, never a real path). */
  virtualFile: string;
  /** The rendered YAML of the document. */
  text: string;
  /** The source file most of the document came from (template, base resource file). */
  sourceFile: string;
  /** Map a [start, end) range of `text` back to the sources. */
  map(start: number, end: number): MappedLoc;
  /** Why the object is not part of the steady state (a Helm hook, a CRD from crds/, a generated ConfigMap/Secret), if so. */
  notSteadyState?: string;
}

/** A problem of the render itself, at a source file's line (Helm's `template: x.yaml:12:3: …`). */
export interface RenderProblem {
  rule: RuleId;
  severity: Severity;
  loc: Loc;
  message: string;
}

export interface RenderResult {
  spec: RenderSpec;
  documents: RenderedDocument[];
  problems: RenderProblem[];
  /** Source files the render read (templates, values, bases, patches, kustomization files): not linted again as loose manifests. */
  consumedFiles: string[];
  /** Texts of the source files that locations point into (to turn offsets into lines). */
  sourceTexts: Map<string, string>;
}
