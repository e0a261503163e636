// Builds the core's Analysis for the editor: `.kni.yaml` (the repository's
// shared policy) merged with the user's `kni.*` settings, which win per rule
// and for the default namespace; include/exclude globs add up. Problems in
// `.kni.yaml` become findings at their line, like any other.
import { Analysis } from '../core/analysis';
import { emptyConfig, isIncluded, parseConfig, type KniConfig } from '../core/config';
import type { Finding } from '../core/findings/types';
import { LineIndex } from '../core/text/lines';
import type { EditorSettings } from './settings';

export interface EditorAnalysis {
  analysis: Analysis;
  config: KniConfig;
  /** Problems found in `.kni.yaml`, located in it. */
  configFindings: Finding[];
}

export function createAnalysis(settings: EditorSettings, configText: string | undefined, configFile: string): EditorAnalysis {
  const { config, configFindings } = mergeConfig(settings, configText, configFile);
  const analysis = new Analysis({ config, defaultNamespace: config.defaultNamespace ?? 'default' });
  return { analysis, config, configFindings };
}

/** `.kni.yaml` (if any) with the user's settings over it, and the file's own problems as findings. */
export function mergeConfig(settings: EditorSettings, configText: string | undefined, configFile: string): Omit<EditorAnalysis, 'analysis'> {
  const configFindings: Finding[] = [];
  let fileConfig = emptyConfig();
  if (configText !== undefined) {
    const loaded = parseConfig(configFile, configText);
    fileConfig = loaded.config;
    const lines = new LineIndex(configText);
    for (const p of loaded.problems) {
      const start = lines.offsetAt(p.line, p.column);
      configFindings.push({
        rule: p.message.startsWith('unknown rule id') ? 'unknown-rule-id' : '',
        severity: p.severity,
        message: p.message,
        loc: { file: configFile, start, end: Math.max(start, lines.lineEnd(p.line)) },
        related: [],
        fixes: [],
      });
    }
  }
  const config: KniConfig = {
    rules: { ...fileConfig.rules, ...settings.rules },
    defaultNamespace: settings.defaultNamespace ?? fileConfig.defaultNamespace,
    ignoreLabelKeys: fileConfig.ignoreLabelKeys,
    include: [...fileConfig.include, ...settings.include],
    exclude: [...fileConfig.exclude, ...settings.exclude],
  };
  return { config, configFindings };
}

/** Whether a workspace-relative path is analysed under the merged include/exclude globs. */
export function isInScope(config: KniConfig, relativePath: string): boolean {
  return isIncluded(config, relativePath);
}
