// Kustomize renders: `kustomize build DIR` (or `kubectl kustomize DIR`), and
// a way back from every rendered field to the base resource, patch or
// kustomization line that produced it.
//
//   read the tree (tree.ts: kustomizations, patches, refusals, before running)
//   -> build the root, split the output (output.ts)
//   -> tell which source document each object is by its names (identify.ts),
//      or, where names cannot tell, build again through a temporary wrapper
//      kustomization that asks for origin annotations (wrapper.ts), which are
//      read and stripped (output.ts)
//   -> per object, on its first question: its base document and the writers
//      that changed it (object-sources.ts, writers.ts), a span's line (map.ts)
//   -> or Kustomize's error at a file and line (errors.ts)
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeFailure, runTool } from '../run';
import type { KustomizeRenderSpec, RenderedDocument, RenderResult } from '../types';
import { kustomizeErrors } from './errors';
import { mapperFor } from './map';
import { generatorField, objectSources } from './object-sources';
import { identifyOrigins } from './identify';
import { readOutput, type OutputObject } from './output';
import { SourceFiles } from './sources';
import { findKustomizationFile, locOf, readTree, RENDER_FAILED } from './tree';
import { pairOf, scalarText } from './yaml-paths';
import { withWrapper } from './wrapper';

export { RENDER_FAILED } from './tree';

/** The binary that renders: `kustomize build DIR`, or `kubectl kustomize DIR` where only kubectl is present. */
export interface KustomizeTool {
  command: string;
  kind: 'kustomize' | 'kubectl';
}

export interface KustomizeRenderOptions {
  /** The folder `spec.root` is relative to; locations name files relative to it. */
  cwd: string;
  /** The tool's whole environment (scrubbed by the caller). */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export async function renderKustomize(spec: KustomizeRenderSpec, tool: KustomizeTool, options: KustomizeRenderOptions): Promise<RenderResult> {
  const cwd = real(options.cwd);
  const rootAbs = real(resolve(cwd, spec.root));
  const sources = new SourceFiles(cwd);
  const result: RenderResult = { spec, documents: [], problems: [], consumedFiles: [], sourceTexts: sources.texts };
  const finish = () => {
    result.consumedFiles = [...sources.texts.keys()];
    return result;
  };
  if (!findKustomizationFile(rootAbs)) {
    result.problems.push({ rule: RENDER_FAILED, severity: 'error', loc: { file: spec.root, start: 0, end: 0 }, message: `Kustomize render ${spec.name}: ${spec.root} has no kustomization.yaml, kustomization.yml or Kustomization file.` });
    return finish();
  }
  const tree = readTree(rootAbs, sources, spec.name);
  if (tree.problems.length > 0) {
    result.problems.push(...tree.problems);
    return finish();
  }
  const rootFile = tree.root!.source.file;
  const kind = pairOf(tree.root!.root, 'kind');
  if (scalarText(kind?.value) === 'Component') {
    // Its files are consumed all the same: a component's patches and policies read alone say nothing true.
    result.problems.push({
      rule: RENDER_FAILED,
      severity: 'info',
      loc: locOf(tree.root!.source, kind),
      message: `Kustomize render ${spec.name}: ${rootFile} is a Component; Kustomize builds it only inside a kustomization that lists it under components:, so it is not rendered on its own.`,
    });
    return finish();
  }
  const toolName = tool.kind === 'kubectl' ? 'kubectl kustomize' : 'kustomize build';
  /** One build of `dir`: its objects, or its problems added to the result. */
  const build = async (dir: string): Promise<OutputObject[] | undefined> => {
    const args = tool.kind === 'kubectl' ? ['kustomize', dir] : ['build', dir];
    const run = await runTool(tool.command, args, { cwd, env: options.env, timeoutMs: options.timeoutMs, maxOutputBytes: options.maxOutputBytes, signal: options.signal });
    const failure = describeFailure(toolName, run, options.timeoutMs);
    if (failure) {
      result.problems.push({ rule: RENDER_FAILED, severity: 'error', loc: { file: rootFile, start: 0, end: 0 }, message: `Kustomize render ${spec.name} failed: ${failure}.` });
      return undefined;
    }
    if (run.code !== 0) {
      result.problems.push(...kustomizeErrors(run.stderr, dir, rootAbs, tree, sources, spec.name));
      return undefined;
    }
    return readOutput(run.stdout, dir);
  };
  let objects = await build(rootAbs);
  // Names tell objects apart nearly always; where they cannot, Kustomize's origin tracking (slow) says it.
  if (objects && !identifyOrigins(objects, tree, sources)) objects = await withWrapper(rootAbs, build);
  (objects ?? []).forEach((object, i) => {
    const origin = object.origin.path ?? object.origin.configuredIn;
    const sourceFile = origin !== undefined ? sources.display(origin) : rootFile;
    // The way back is worked out on the first question: most objects have no finding.
    let map: RenderedDocument['map'] | undefined;
    const document: RenderedDocument = {
      virtualFile: `kustomize:${spec.name}/${i}_${object.kind}_${object.name}.yaml`,
      text: object.text,
      sourceFile,
      map: (start, end) => (map ??= mapperFor(object, objectSources(object, tree, sources), { file: sourceFile, start: 0, end: 0 }))(start, end),
    };
    if (object.origin.configuredIn) document.notSteadyState = `generated by ${generatorField(object.origin.configuredBy)} in ${sources.display(object.origin.configuredIn)}`;
    result.documents.push(document);
  });
  return finish();
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
