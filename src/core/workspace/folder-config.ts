// Builds the core's Analysis for the editor: each workspace folder's
// `.kni.yaml` (that repository's shared policy) merged with the user's `kni.*`
// settings, which win per rule and for the default namespace; include/exclude
// globs add up. Problems in a `.kni.yaml` become findings at their line, like
// any other.
//
// The manifests of all folders form one set (one model: a Service in one
// folder is checked against a Deployment in another), so the settings that
// shape the model (defaultNamespace, ignoreLabelKeys) are the workspace's:
// the first folder's that sets them, and another folder's `.kni.yaml` that
// disagrees gets a warning saying which applies. The others apply per folder,
// to the files of that folder, as `kni lint` applies its `.kni.yaml`:
// include/exclude (relative to the folder) and rule severities.
import { Analysis } from '../analysis';
import { emptyConfig, isIncluded, parseConfig, type KniConfig } from '../config';
import type { Finding, Severity } from '../findings/types';
import { DEFAULT_NAMESPACE } from '../config/facts';
import { ruleInfo, type RuleId } from '../rules/catalogue';
import { LineIndex } from '../text/lines';
import type { EditorSettings } from '../config/settings';

/** One folder's configuration: its `.kni.yaml` (if any) under the settings. */
export interface FolderConfig {
  config: KniConfig;
  /** Problems found in its `.kni.yaml`, located in it. */
  configFindings: Finding[];
  /** The 1-based line of each key its `.kni.yaml` sets. */
  keyLines: Partial<Record<keyof KniConfig, number>>;
  /** The `.kni.yaml`'s file key and text (undefined: the folder has none). */
  file: string;
  text: string | undefined;
}

/** `.kni.yaml` (if any) with the user's settings over it, and the file's own problems as findings. */
export function mergeConfig(settings: EditorSettings, configText: string | undefined, configFile: string): FolderConfig {
  const configFindings: Finding[] = [];
  let fileConfig = emptyConfig();
  let keyLines: FolderConfig['keyLines'] = {};
  if (configText !== undefined) {
    const loaded = parseConfig(configFile, configText);
    fileConfig = loaded.config;
    keyLines = loaded.keyLines;
    const lines = new LineIndex(configText);
    for (const p of loaded.problems) {
      // A problem under a rule follows that rule's configured severity (and `off`).
      const severity = configuredSeverity({ ...fileConfig.rules, ...settings.rules }, p.rule, p.severity);
      if (!severity) continue;
      const start = lines.offsetAt(p.line, p.column);
      configFindings.push({
        rule: p.rule,
        severity,
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
    maxFileSize: settings.maxFileSize ?? fileConfig.maxFileSize,
    ...(fileConfig.renders ? { renders: fileConfig.renders } : {}),
  };
  return { config, configFindings, keyLines, file: configFile, text: configText };
}

function configuredSeverity(rules: KniConfig['rules'], rule: RuleId, own: Severity): Severity | undefined {
  const c = rules[rule];
  return c === undefined ? own : c === 'off' ? undefined : c;
}

/** The workspace's configuration for the one Analysis, from its folders' (in folder order). */
export interface WorkspaceConfig {
  /** What the core's Analysis runs with. */
  config: KniConfig;
  /** Per folder (same order): its `.kni.yaml`'s problems, and warnings where it disagrees with what applies. */
  configFindings: Finding[][];
  /**
   * Rules whose severity differs between folders: the core runs them as
   * `config` says and severityIn() sets each finding's per folder.
   */
  varying: ReadonlySet<RuleId>;
}

export function combineFolderConfigs(folders: readonly FolderConfig[], settings: EditorSettings): WorkspaceConfig {
  if (folders.length === 0) {
    const none = mergeConfig(settings, undefined, '');
    return { config: none.config, configFindings: [], varying: new Set() };
  }
  const [first] = folders;
  const configFindings = folders.map((f) => [...f.configFindings]);
  // The model's settings: the first folder's that sets them (the user's setting over all).
  const namespaceFrom = settings.defaultNamespace !== undefined ? -1 : folders.findIndex((f) => f.config.defaultNamespace !== undefined);
  const defaultNamespace = namespaceFrom === -1 ? settings.defaultNamespace : folders[namespaceFrom].config.defaultNamespace;
  const labelsFrom = folders.findIndex((f) => f.keyLines.ignoreLabelKeys !== undefined);
  const ignoreLabelKeys = labelsFrom === -1 ? [] : folders[labelsFrom].config.ignoreLabelKeys;
  folders.forEach((f, i) => {
    const nsLine = f.keyLines.defaultNamespace;
    if (nsLine !== undefined && f.config.defaultNamespace !== undefined && f.config.defaultNamespace !== defaultNamespace) {
      const source = namespaceFrom === -1 ? 'the kni.defaultNamespace setting' : `${folders[namespaceFrom].file}`;
      configFindings[i].push(
        ...workspaceWarning(f, nsLine, `defaultNamespace does not apply: the workspace's folders form one set of manifests with one default namespace, "${defaultNamespace}" from ${source}. Make them agree, or open this folder on its own.`),
      );
    }
    const labelsLine = f.keyLines.ignoreLabelKeys;
    if (labelsLine !== undefined && f.text !== undefined && i !== labelsFrom && !sameList(f.config.ignoreLabelKeys, ignoreLabelKeys)) {
      configFindings[i].push(
        ...workspaceWarning(f, labelsLine, `ignoreLabelKeys does not apply: the workspace's folders form one set of manifests matched with one list, the one in ${folders[labelsFrom].file}. Make them agree, or open this folder on its own.`),
      );
    }
  });

  // Rules: the same severity everywhere goes to the core as it is; a rule that
  // differs runs in the core at its natural severity (or, when it is off by
  // default but on in some folder, at that folder's) and is set per folder.
  const rules: KniConfig['rules'] = {};
  const varying = new Set<RuleId>();
  const ids = new Set(folders.flatMap((f) => Object.keys(f.config.rules) as RuleId[]));
  for (const id of ids) {
    const values = folders.map((f) => f.config.rules[id]);
    if (values.every((v) => v === values[0])) {
      if (values[0] !== undefined) rules[id] = values[0];
      continue;
    }
    varying.add(id);
    if (ruleInfo(id)?.severity === 'off') rules[id] = values.find((v) => v !== undefined && v !== 'off') ?? 'off';
  }
  // One Analysis reads every folder's files: the size limit is the user's setting, else the first folder's that sets one.
  const maxFileSize = folders.find((f) => f.config.maxFileSize !== undefined)?.config.maxFileSize;
  const config: KniConfig = { rules, defaultNamespace, ignoreLabelKeys, include: first.config.include, exclude: first.config.exclude, maxFileSize };
  return { config, configFindings, varying };
}

/**
 * A finding's severity under a folder's configuration, for a rule whose
 * severity varies between folders (undefined: the rule is off there). The
 * core ran it with `core`'s rules.
 */
export function severityIn(folder: KniConfig, core: KniConfig, f: Finding): Severity | undefined {
  const c = folder.rules[f.rule];
  if (c === 'off') return undefined;
  if (c !== undefined) return c;
  // Not configured in this folder: its natural severity, unless the core only runs it because another folder turned it on.
  return core.rules[f.rule] !== undefined && ruleInfo(f.rule)?.severity === 'off' ? undefined : f.severity;
}

/**
 * A file's findings with the severities of its folder, for the rules whose
 * severity varies between folders (a rule off there is left out); the same
 * list when none of its findings is of such a rule.
 */
export function withFolderSeverities(list: readonly Finding[], varying: ReadonlySet<RuleId>, folder: KniConfig, core: KniConfig): readonly Finding[] {
  if (!list.some((f) => varying.has(f.rule))) return list;
  const out: Finding[] = [];
  for (const f of list) {
    if (!varying.has(f.rule)) out.push(f);
    else {
      const severity = severityIn(folder, core, f);
      if (severity) out.push(severity === f.severity ? f : { ...f, severity });
    }
  }
  return out;
}

function workspaceWarning(f: FolderConfig, line: number, message: string): Finding[] {
  const severity = configuredSeverity(f.config.rules, 'config-invalid', 'warning');
  if (!severity) return [];
  const lines = new LineIndex(f.text ?? '');
  const start = lines.offsetAt(line, 1);
  return [{ rule: 'config-invalid', severity, message, loc: { file: f.file, start, end: Math.max(start, lines.lineEnd(line)) }, related: [], fixes: [] }];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function createAnalysis(config: KniConfig): Analysis {
  return new Analysis({ config, defaultNamespace: config.defaultNamespace ?? DEFAULT_NAMESPACE });
}

/** Whether a folder-relative path is analysed under the merged include/exclude globs. */
export function isInScope(config: KniConfig, relativePath: string): boolean {
  return isIncluded(config, relativePath);
}
