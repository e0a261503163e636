// Helm's output read back: the rendered stream cut into documents by `---`
// (each names its template in `# Source: chart/templates/x.yaml`), and Helm's
// error text turned into a file and line of the chart.
import { keyLines, scalarText } from '../yaml-lines';

export interface RenderedChunk {
  /** The path after `# Source: ` ("api/templates/service.yaml"; subcharts: "api/charts/redis/templates/x.yaml"). */
  source: string;
  text: string;
}

export function splitRendered(stdout: string): RenderedChunk[] {
  const out: RenderedChunk[] = [];
  for (const piece of stdout.split(/^---[ \t]*\r?$\n?/m)) {
    const source = /^# Source: (.+?)\s*$/m.exec(piece)?.[1];
    if (source === undefined) continue;
    // Nothing but comments and blanks: a template that rendered to nothing.
    if (!piece.split('\n').some((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))) continue;
    out.push({ source, text: piece });
  }
  return out;
}

/** Why a rendered object is not part of the release's steady state (a hook), if so. */
export function hookNote(text: string): string | undefined {
  if (!text.includes('helm.sh/hook')) return undefined;
  // Only the object's own annotation makes a hook (not one in a pod template).
  const line = keyLines(text).find((l) => l.path.length === 3 && l.path[0] === 'metadata' && l.path[1] === 'annotations' && l.key === 'helm.sh/hook');
  if (!line) return undefined;
  const events = scalarText(text, line).trim();
  if (/(^|,)\s*test(-success)?\s*(,|$)/.test(events)) return `a Helm test (helm.sh/hook: ${events}): \`helm test\` runs it; it is not part of the release's steady state and no Service traffic goes to it`;
  return `a Helm hook (helm.sh/hook: ${events}): Helm runs it around install/upgrade/delete; it is not part of the release's steady state and no Service traffic goes to it`;
}

export interface HelmError {
  /** The path as Helm prints it ("api/templates/deployment.yaml"), or a values file path. */
  source?: string;
  line?: number;
  column?: number;
  /** True when the line is of the rendered output, not of the template (YAML errors). */
  renderedLine?: boolean;
  message: string;
}

/** The first error of Helm's stderr, with its place when it names one. */
export function parseHelmError(stderr: string, chartName: string): HelmError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errorLine = lines.find((l) => l.startsWith('Error:')) ?? lines.find((l) => !l.startsWith('WARNING') && !l.startsWith('walk.go')) ?? lines[0] ?? 'helm failed without a message';
  const message = errorLine.replace(/^Error:\s*/, '');
  const esc = chartName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const yamlError = new RegExp(`YAML parse error on (${esc}/[^:\\s]+):.*?\\bline (\\d+)`).exec(message);
  if (yamlError) return { source: yamlError[1], line: Number(yamlError[2]), renderedLine: true, message };
  const at = new RegExp(`(${esc}/[^:\\s()]+):(\\d+)(?::(\\d+))?`).exec(message);
  if (at) return { source: at[1], line: Number(at[2]), ...(at[3] !== undefined ? { column: Number(at[3]) } : {}), message };
  const valuesError = /(?:failed to parse|cannot load|unable to parse)\s+(\S+?):?\s.*?\bline (\d+)/.exec(message);
  if (valuesError) return { source: valuesError[1], line: Number(valuesError[2]), message };
  return { message };
}

export interface SchemaViolation {
  /** The values path ("service.port", "ports[0].name"). */
  path: string;
  message: string;
}

/**
 * The first values.schema.json violation of Helm's error, if that is the
 * error: Helm 3 lists "- service.port: Invalid type…", Helm 4
 * "- at '/service/port': got string, want integer".
 */
export function parseSchemaViolation(stderr: string): SchemaViolation | undefined {
  if (!/values don't meet the specifications of the schema/.test(stderr)) return undefined;
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    const pointer = /^- at '(\/[^']*)':\s*(.*)$/.exec(line);
    if (pointer) {
      const path = pointer[1]
        .split('/')
        .slice(1)
        .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`), '');
      return { path, message: pointer[2] };
    }
    const dotted = /^- ([A-Za-z_][\w.-]*(?:\.\d+[\w.-]*)*):\s*(.*)$/.exec(line);
    if (dotted && dotted[1] !== '(root)') return { path: dotted[1].replace(/\.(\d+)(?=\.|$)/g, '[$1]'), message: dotted[2] };
  }
  return undefined;
}
