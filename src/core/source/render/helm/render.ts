// Rendering one chart: `helm template RELEASE CHART --namespace NS -f … --set …`
// in the scrubbed environment (no plugins, no repositories, no network), its
// output cut into documents, each with the way back to its template.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAME } from '../../../config/facts';
import type { Loc } from '../../../model/types';
import { renderEnvironment } from '../env';
import { describeFailure, DEFAULT_RENDER_TIMEOUT_MS, runTool } from '../run';
import type { HelmTool } from '../tools';
import type { HelmRenderSpec, RenderedDocument, RenderProblem, RenderResult } from '../types';
import { missingDependencies, readChart } from './chart';
import { DocumentMapper, objectStart, type ChartSources } from './map';
import { hookNote, parseHelmError, parseSchemaViolation, splitRendered } from './output';
import { readTemplate, type Helper, type ReadTemplate } from './templates';
import { readValuesFile, valueSource, type ValuesFile } from './values';

export interface HelmRenderOptions {
  /** The folder paths are relative to (the workspace root / current directory). */
  cwd: string;
  timeoutMs?: number;
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** The parent environment the render's is derived from (only PATH and temp variables are kept). */
  env?: NodeJS.ProcessEnv;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** A values file's name as locations use it: relative to cwd when inside it, else absolute. */
export function valuesFilePath(cwd: string, chart: string, file: string): string {
  const abs = isAbsolute(file) ? file : resolve(cwd, chart, file);
  const rel = toPosix(relative(cwd, abs));
  return rel.startsWith('../') || isAbsolute(rel) ? toPosix(abs) : rel;
}

/** Every file under a folder (posix paths relative to cwd). */
function walk(cwd: string, dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(join(cwd, dir)).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = `${dir}/${n}`;
    let isDir = false;
    try {
      isDir = statSync(join(cwd, p)).isDirectory();
    } catch {
      continue;
    }
    if (isDir) walk(cwd, p, out);
    else out.push(p);
  }
  return out;
}

function offsetOf(text: string, line: number, column = 1): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

function lineLoc(file: string, text: string, line: number, column?: number): Loc {
  const start = offsetOf(text, line, column ?? 1);
  const lineStart = offsetOf(text, line);
  let end = text.indexOf('\n', lineStart);
  if (end < 0) end = text.length;
  if (column === undefined) {
    const indent = text.slice(lineStart, end).length - text.slice(lineStart, end).trimStart().length;
    return { file, start: lineStart + indent, end: Math.max(lineStart + indent, end) };
  }
  return { file, start, end: Math.max(start, end) };
}

export async function renderHelm(spec: HelmRenderSpec, tool: HelmTool, options: HelmRenderOptions): Promise<RenderResult> {
  const cwd = options.cwd;
  const problems: RenderProblem[] = [];
  const sourceTexts = new Map<string, string>();
  const result: RenderResult = { spec, documents: [], problems, consumedFiles: [], sourceTexts };
  const chart = readChart(cwd, spec.chart);
  /** A path in the chart ('/'-separated, relative to cwd; a chart at cwd itself has no "./"). */
  const inChart = (rest: string) => (spec.chart === '.' ? rest : `${spec.chart}/${rest}`);
  const chartPrefix = inChart('');
  const files = walk(cwd, spec.chart).map((f) => (spec.chart === '.' ? f.replace(/^\.\//, '') : f));
  result.consumedFiles = files.slice();
  if (!chart) {
    problems.push({ rule: 'render-failed', severity: 'error', loc: { file: spec.chart, start: 0, end: 0 }, message: `${spec.chart} has no Chart.yaml, so it is not a Helm chart; fix the render's chart folder in ${CONFIG_FILE_NAME}` });
    return result;
  }
  sourceTexts.set(chart.chartFile, chart.chartText);
  const missing = missingDependencies(cwd, spec.chart, chart);
  if (missing.length > 0) {
    const depText = chart.dependencyFile === chart.chartFile ? chart.chartText : readFileSync(join(cwd, chart.dependencyFile), 'utf8');
    sourceTexts.set(chart.dependencyFile, depText);
    const names = missing.map((d) => `${d.name}${d.version ? ` ${d.version}` : ''}${d.repository ? ` (${d.repository})` : ''}`).join(', ');
    problems.push({
      rule: 'helm-dependencies-missing',
      severity: 'warning',
      loc: missing[0].loc,
      message: `chart ${chart.name} depends on ${names}, not vendored in ${inChart('charts/')}, so render ${spec.name} was not run (renders never download anything): run \`helm dependency build ${spec.chart}\` and lint again`,
    });
    return result;
  }

  const valuesFiles = spec.values.map((v) => valuesFilePath(cwd, spec.chart, v));
  for (const v of valuesFiles) if (!result.consumedFiles.includes(v)) result.consumedFiles.push(v);
  const args = ['template', spec.release, resolve(cwd, spec.chart), '--namespace', spec.namespace];
  for (const v of valuesFiles) args.push('--values', resolve(cwd, v));
  // Helm splits --set at commas: a comma of a value is escaped so it stays one value.
  for (const [k, v] of Object.entries(spec.set)) args.push('--set', `${k}=${v.replace(/\\/g, '\\\\').replace(/,/g, '\\,')}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const run = await runTool(tool.command, args, { cwd, env: renderEnvironment(options.env), timeoutMs, maxOutputBytes: options.maxOutputBytes, signal: options.signal });

  // The chart's sources, read once for every document (and for error places).
  const read = (file: string): string | undefined => {
    if (sourceTexts.has(file)) return sourceTexts.get(file);
    try {
      const text = readFileSync(isAbsolute(file) ? file : join(cwd, file), 'utf8');
      sourceTexts.set(file, text);
      return text;
    } catch {
      return undefined;
    }
  };
  const fromSource = (source: string) => inChart(source.slice(source.indexOf('/') + 1));

  /** Templates and helpers of the chart and its subcharts, and the values layers. */
  const chartSources = (): ChartSources => {
    const templates = new Map<string, ReadTemplate>();
    const helpers = new Map<string, Helper>();
    for (const f of files) {
      if (!f.startsWith(chartPrefix) || !/(^|\/)templates\//.test(f.slice(chartPrefix.length)) || !/\.(ya?ml|tpl|txt|json)$/.test(f)) continue;
      const text = read(f);
      if (text === undefined) continue;
      const tpl = readTemplate(f, text);
      templates.set(f, tpl);
      for (const h of tpl.helpers) if (!helpers.has(h.name)) helpers.set(h.name, h);
    }
    const readValues = (file: string): ValuesFile | undefined => {
      const text = read(file);
      return text === undefined ? undefined : readValuesFile(file, text);
    };
    const subchartValues = new Map<string, ValuesFile>();
    for (const f of files) {
      const m = /^((?:.*\/)?charts\/[^/]+)\/values\.yaml$/.exec(f);
      if (m && `${m[1]}/`.startsWith(chartPrefix)) {
        const v = readValues(f);
        if (v) subchartValues.set(m[1].slice(chartPrefix.length), v);
      }
    }
    return {
      helpers,
      templates,
      values: { files: valuesFiles.map(readValues).filter((v): v is ValuesFile => v !== undefined), chartValues: readValues(inChart('values.yaml')), set: spec.set, subchartValues },
    };
  };

  /** The template place of line `line` (1-based) of `source`'s rendered output, from a `--debug` run; undefined when not found. */
  const mapRenderedErrorLine = async (source: string, line: number, file: string): Promise<Loc | undefined> => {
    const again = await runTool(tool.command, [...args, '--debug'], { cwd, env: renderEnvironment(options.env), timeoutMs, maxOutputBytes: options.maxOutputBytes, signal: options.signal });
    const chunk = splitRendered(again.stdout).find((c) => c.source === source);
    if (!chunk) return undefined;
    // The chunk starts with its "# Source:" line; Helm's line 1 is the first non-blank line after it (it trims the output).
    const lines = chunk.text.split('\n');
    const sourceLine = lines.findIndex((l) => l.startsWith('# Source: '));
    if (sourceLine < 0) return undefined;
    let first = sourceLine + 1;
    while (first < lines.length && lines[first].trim() === '') first++;
    const index = first + line - 1;
    if (index >= lines.length) return undefined;
    let offset = 0;
    for (let i = 0; i < index; i++) offset += lines[i].length + 1;
    const offsetEnd = offset + lines[index].length;
    const sources = chartSources();
    const tpl = sources.templates.get(file);
    if (!tpl) return undefined;
    const mapped = new DocumentMapper(chunk.text, tpl, sources, objectStart(tpl, file), undefined).map(offset + lines[index].length - lines[index].trimStart().length, offsetEnd);
    return mapped.exact && mapped.loc.file === file ? mapped.loc : undefined;
  };

  const failure = describeFailure('helm', run, timeoutMs);
  if (failure !== undefined || run.code !== 0) {
    if (run.failure === 'cancelled') return result;
    const err = failure !== undefined ? { message: failure } : parseHelmError(run.stderr, chart.name);
    let loc: Loc = { file: chart.chartFile, start: 0, end: 0 };
    let message = `helm template failed for render ${spec.name}: ${err.message}`;
    if ('source' in err && err.source !== undefined && err.line !== undefined) {
      const file = err.source.startsWith(`${chart.name}/`) ? fromSource(err.source) : valuesFilePath(cwd, '.', err.source);
      const text = read(file);
      if (text !== undefined) {
        loc = lineLoc(file, text, err.line, 'column' in err ? err.column : undefined);
        if ('renderedLine' in err && err.renderedLine) {
          // Helm counts lines of the template's output: render again with --debug (which prints the
          // invalid output) and take that line back to the template like any rendered line.
          const mapped = await mapRenderedErrorLine(err.source, err.line, file);
          if (mapped) loc = mapped;
          else message += ` (line ${err.line} of the template's rendered output; the template line may differ)`;
        }
      }
    }
    // A values.schema.json violation: at the values line that supplies the value.
    const violation = failure === undefined ? parseSchemaViolation(run.stderr) : undefined;
    if (violation) {
      const source = valueSource(chartSources().values, violation.path);
      const schemaFile = inChart('values.schema.json');
      message = `the values of render ${spec.name} do not meet ${schemaFile}: ${violation.path}: ${violation.message}`;
      if (source?.kind === 'file') loc = source.loc;
      else if (source?.kind === 'set') message += ` (set by --set ${source.key}=${source.value})`;
      else if (read(schemaFile) !== undefined) loc = { file: schemaFile, start: 0, end: 0 };
    }
    problems.push({ rule: 'render-failed', severity: 'error', loc, message });
    return result;
  }

  const sources = chartSources();

  const chunks = splitRendered(run.stdout);
  const counts = new Map<string, number>();
  for (const chunk of chunks) {
    // An aliased dependency renders under its alias; its files are in the folder of its name.
    let sourceFile = fromSource(chunk.source);
    const sub = /^charts\/([^/]+)\//.exec(sourceFile.slice(chartPrefix.length));
    const dependency = sub ? chart.dependencies.find((d) => d.alias === sub[1]) : undefined;
    if (sub && dependency && !sources.templates.has(sourceFile)) sourceFile = inChart(`charts/${dependency.name}/${sourceFile.slice(chartPrefix.length + sub[0].length)}`);
    const n = counts.get(sourceFile) ?? 0;
    counts.set(sourceFile, n + 1);
    const tpl = sources.templates.get(sourceFile);
    const subchart = sub ? { folder: `charts/${dependency ? dependency.name : sub[1]}`, name: sub[1] } : undefined;
    // A packaged subchart (a .tgz in charts/) has no template on disk: its dependency line, else Chart.yaml.
    const packaged = sub ? chart.dependencies.find((d) => d.name === sub[1] || d.alias === sub[1]) : undefined;
    const fallback = tpl ? objectStart(tpl, sourceFile) : (packaged?.loc ?? { file: chart.chartFile, start: 0, end: 0 });
    const mapper = new DocumentMapper(chunk.text, tpl, sources, fallback, subchart);
    const note = hookNote(chunk.text);
    const doc: RenderedDocument = {
      virtualFile: `render:${spec.name}/${sourceFile}#${n}`,
      text: chunk.text,
      sourceFile: tpl ? sourceFile : (files.find((f) => packaged !== undefined && f.startsWith(inChart(`charts/${packaged.name}-`)) && f.endsWith('.tgz')) ?? sourceFile),
      map: (start, end) => mapper.map(start, end),
      ...(note !== undefined ? { notSteadyState: note } : {}),
    };
    result.documents.push(doc);
  }
  return result;
}
