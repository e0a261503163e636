// The renders of one set of files, end to end: which renders there are,
// which tools render them (found once per set, a missing one said once), the
// renders (two at a time), each analysed in its own RenderSession, and which
// files the renders consumed (those are not read again as loose manifests).
import { basename } from 'node:path';
import type { KniConfig } from '../../config/types';
import type { Finding } from '../../findings/types';
import { effectiveSeverity } from '../../rules/context';
import { RenderSession } from './analyse';
import { discoverRenders } from './discover';
import { renderOne } from './controller';
import { findHelm, findKustomize, type Found, type HelmTool, type KustomizeTool, type ToolSettings } from './tools';
import type { RenderResult, RenderSpec } from './types';

export interface RenderTools {
  helm?: Found<HelmTool>;
  kustomize?: Found<KustomizeTool>;
}

export interface RenderSetInput {
  /** The folder paths are relative to. */
  cwd: string;
  /** The set's files ('/'-separated, relative to cwd). */
  files: readonly string[];
  read(path: string): string | undefined;
  exists(path: string): boolean;
  config: KniConfig;
  /** `.kni.yaml` renders with paths relative to cwd (undefined: none). */
  configured?: KniConfig['renders'];
  defaultNamespace: string;
  settings: ToolSettings;
  /** Replaces discovery (the CLI's --values/--set/--release for one chart). */
  specs?: RenderSpec[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RenderSetOutput {
  renders: { spec: RenderSpec; result?: RenderResult; session?: RenderSession }[];
  /** Render problems, tool-missing findings and every render's mapped findings. */
  findings: Finding[];
  /** Files (relative to cwd) a render read: not linted as loose manifests. */
  consumed: Set<string>;
  /** Texts of the source files findings point into. */
  sourceTexts: Map<string, string>;
  tools: RenderTools;
}

const CONCURRENCY = 2;

export async function renderSet(input: RenderSetInput): Promise<RenderSetOutput> {
  const specs = input.specs ?? discoverRenders({ files: input.files, read: input.read, exists: input.exists, configured: input.configured, defaultNamespace: input.defaultNamespace, rootName: basename(input.cwd) });
  const out: RenderSetOutput = { renders: specs.map((spec) => ({ spec })), findings: [], consumed: new Set(), sourceTexts: new Map(), tools: {} };
  if (specs.length === 0) return out;
  if (specs.some((s) => s.kind === 'helm')) out.tools.helm = await findHelm(input.settings, undefined, input.signal);
  if (specs.some((s) => s.kind === 'kustomize')) out.tools.kustomize = findKustomize(input.settings);

  const missing = new Map<'helm' | 'kustomize', RenderSpec[]>();
  let next = 0;
  const worker = async () => {
    while (next < out.renders.length) {
      const entry = out.renders[next++];
      const spec = entry.spec;
      const result = await renderOne(spec, out.tools, { cwd: input.cwd, timeoutMs: input.timeoutMs, signal: input.signal });
      if (!result) {
        missing.set(spec.kind, [...(missing.get(spec.kind) ?? []), spec]);
        continue;
      }
      const session = new RenderSession({ config: input.config, defaultNamespace: spec.kind === 'helm' ? spec.namespace : input.defaultNamespace });
      session.update(result);
      entry.result = result;
      entry.session = session;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, out.renders.length) }, worker));

  for (const entry of out.renders) {
    if (!entry.result || !entry.session) continue;
    for (const f of entry.result.consumedFiles) out.consumed.add(f);
    for (const [f, t] of entry.result.sourceTexts) out.sourceTexts.set(f, t);
    out.findings.push(...entry.session.findings());
  }
  const toolMissingSeverity = effectiveSeverity(input.config, 'render-tool-missing');
  for (const [tool, list] of toolMissingSeverity === undefined ? [] : missing) {
    const found = tool === 'helm' ? out.tools.helm : out.tools.kustomize;
    const first = list[0];
    const file = first.kind === 'helm' ? `${first.chart}/Chart.yaml` : kustomizationOf(first.root, input);
    const text = input.read(file) ?? '';
    out.sourceTexts.set(file, text);
    const names = list.map((s) => (s.kind === 'helm' ? s.chart : s.root));
    out.findings.push({
      rule: 'render-tool-missing',
      severity: toolMissingSeverity as Finding['severity'],
      message: `${names.length === 1 ? names[0] : `${names.length} ${tool === 'helm' ? 'charts' : 'Kustomize roots'} (${names.join(', ')})`} not rendered: ${found?.problem ?? `${tool} was not found`}. Their files are read as plain files meanwhile.`,
      loc: { file, start: 0, end: Math.min(text.length, Math.max(0, text.indexOf('\n'))) },
      related: [],
      fixes: [],
    });
  }
  return out;
}

function kustomizationOf(root: string, input: Pick<RenderSetInput, 'exists'>): string {
  for (const n of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const p = root === '.' ? n : `${root}/${n}`;
    if (input.exists(p)) return p;
  }
  return root;
}
