// What a chart folder says about itself before anything runs: its name (the
// first segment of Helm's `# Source:` paths), and whether every dependency is
// vendored under charts/ (helm template never fetches one; we do not let it
// try, and say `helm dependency build` instead).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Loc } from '../../../model/types';
import { keyLines, scalarText } from '../yaml-lines';

export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
  /** `alias`: the name the subchart renders under (its values key, its `# Source:` folder). */
  alias?: string;
  /** The `- name:` line in Chart.yaml / requirements.yaml. */
  loc: Loc;
}

export interface ChartInfo {
  /** Chart.yaml's `name`. */
  name: string;
  chartFile: string;
  chartText: string;
  dependencies: ChartDependency[];
  /** Where dependencies are listed (Chart.yaml, or requirements.yaml for apiVersion v1 charts). */
  dependencyFile: string;
}

/** Reads `<chartDir>/Chart.yaml` (paths as given, '/'-separated); undefined when there is none. */
export function readChart(root: string, chartDir: string): ChartInfo | undefined {
  const chartFile = chartDir === '.' ? 'Chart.yaml' : `${chartDir}/Chart.yaml`;
  let chartText: string;
  try {
    chartText = readFileSync(join(root, chartFile), 'utf8');
  } catch {
    return undefined;
  }
  const lines = keyLines(chartText);
  const name = lines.find((l) => l.path.length === 1 && l.key === 'name');
  let dependencyFile = chartFile;
  let depText = chartText;
  let depLines = lines;
  if (!lines.some((l) => l.path.length === 1 && l.key === 'dependencies')) {
    const requirements = chartDir === '.' ? 'requirements.yaml' : `${chartDir}/requirements.yaml`;
    if (existsSync(join(root, requirements))) {
      dependencyFile = requirements;
      depText = readFileSync(join(root, requirements), 'utf8');
      depLines = keyLines(depText);
    }
  }
  const dependencies: ChartDependency[] = [];
  for (const l of depLines) {
    if (l.path.length !== 3 || l.path[0] !== 'dependencies' || l.path[1] !== '[]' || l.key !== 'name') continue;
    const item = l.items[0];
    const field = (key: string) => {
      const f = depLines.find((o) => o.path.length === 3 && o.path[0] === 'dependencies' && o.items[0] === item && o.key === key);
      return f ? scalarText(depText, f) : '';
    };
    const alias = field('alias');
    dependencies.push({ name: scalarText(depText, l), version: field('version'), repository: field('repository'), ...(alias !== '' ? { alias } : {}), loc: { file: dependencyFile, start: l.valueStart, end: l.valueEnd } });
  }
  return { name: name ? scalarText(chartText, name) : chartDir.split('/').pop() ?? chartDir, chartFile, chartText, dependencies, dependencyFile };
}

/**
 * Dependencies not vendored under charts/: neither a folder whose Chart.yaml
 * names the dependency nor a `<name>-<version>.tgz` (Helm's own check).
 */
export function missingDependencies(root: string, chartDir: string, chart: ChartInfo): ChartDependency[] {
  if (chart.dependencies.length === 0) return [];
  const vendored = new Set<string>();
  const chartsDir = join(root, chartDir, 'charts');
  let entries: string[] = [];
  try {
    entries = readdirSync(chartsDir);
  } catch {
    // No charts/ at all: every dependency is missing.
  }
  for (const e of entries) {
    const path = join(chartsDir, e);
    if (e.endsWith('.tgz')) {
      vendored.add(`tgz:${e}`);
      continue;
    }
    try {
      if (!statSync(path).isDirectory()) continue;
    } catch {
      continue;
    }
    const sub = readChart(root, chartDir === '.' ? `charts/${e}` : `${chartDir}/charts/${e}`);
    if (sub) vendored.add(`dir:${sub.name}`);
  }
  return chart.dependencies.filter((d) => {
    if (vendored.has(`dir:${d.name}`)) return false;
    if ([...vendored].some((v) => v.startsWith(`tgz:${d.name}-`) && (d.version === '' || !/^[\d.]+$/.test(d.version) || v === `tgz:${d.name}-${d.version}.tgz`))) return false;
    return true;
  });
}
