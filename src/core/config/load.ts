// `.kni.yaml`: reading and validating it. Every problem names the file and
// the line, and says what is allowed.
//
//   rules:                       # per rule: off | info | warning | error
//     service-selects-many-workloads: off
//   defaultNamespace: shop       # for manifests without metadata.namespace
//   ignoreLabelKeys: [pod-template-hash]
//   include: ["deploy/**"]       # globs relative to this file's directory
//   exclude: ["**/testdata/**"]
//   maxFileSize: 20MB            # larger manifest files are not read (default 10MB)
//   renders:                     # charts and Kustomize roots to render (default: each chart with its values.yaml, each top Kustomize root)
//     - chart: deploy/api
//       release: api
//       namespace: prod
//       values: [values-prod.yaml]   # relative to the chart folder
//       set: { image.tag: "1.2" }
//     - kustomize: deploy/overlays/prod
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { minimatch } from 'minimatch';
import { isKnownRule } from '../rules/catalogue';
import { isNamespaceName, isReleaseName, isRuleSeverity, NAMESPACE_NAME_SYNTAX, RELEASE_NAME_SYNTAX, RULE_SEVERITIES_TEXT, type Severity } from './facts';
import { BYTE_SIZE_HINT, parseByteSize } from './size';
import { emptyConfig, type KniConfig } from './types';


export interface ConfigProblem {
  /**
   * The catalogued rule the problem falls under: `yaml-syntax` (the file is
   * not YAML), `unknown-rule-id`, or `config-invalid` (an unknown key, a
   * value of the wrong shape).
   */
  rule: 'yaml-syntax' | 'unknown-rule-id' | 'config-invalid';
  severity: Extract<Severity, 'error' | 'warning'>;
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

export interface LoadedConfig {
  config: KniConfig;
  problems: ConfigProblem[];
  /** The 1-based line of each top-level key the file sets. */
  keyLines: Partial<Record<keyof KniConfig, number>>;
}

const KEYS = ['rules', 'defaultNamespace', 'ignoreLabelKeys', 'include', 'exclude', 'maxFileSize', 'renders'];

/** Parse and validate a config file's text; bad entries are reported and skipped. */
export function parseConfig(file: string, text: string): LoadedConfig {
  const config = emptyConfig();
  const problems: ConfigProblem[] = [];
  const keyLines: LoadedConfig['keyLines'] = {};
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const at = (node: Node | Pair | null | undefined, severity: ConfigProblem['severity'], message: string, rule: ConfigProblem['rule'] = 'config-invalid') => {
    const range = node && 'range' in node ? node.range : node && 'key' in node && isScalar(node.key) ? node.key.range : undefined;
    const pos = lc.linePos(range ? range[0] : 0);
    problems.push({ rule, severity, file, line: pos.line, column: pos.col, message });
  };
  for (const e of doc.errors) {
    const pos = lc.linePos(e.pos[0]);
    problems.push({ rule: 'yaml-syntax', severity: 'error', file, line: pos.line, column: pos.col, message: `not valid YAML: ${e.message.split('\n')[0]}` });
  }
  if (doc.errors.length > 0) return { config, problems, keyLines };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { config, problems, keyLines };
  if (!isMap(root)) {
    at(root, 'error', `the file must be a mapping with the keys ${KEYS.join(', ')}`);
    return { config, problems, keyLines };
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if ((KEYS as readonly string[]).includes(key) && isScalar(pair.key) && pair.key.range) keyLines[key as keyof KniConfig] = lc.linePos(pair.key.range[0]).line;
    switch (key) {
      case 'rules': {
        if (value === null || (isScalar(value) && value.value === null)) break;
        if (!isMap(value)) {
          at(value, 'error', `rules must be a mapping of rule id to ${RULE_SEVERITIES_TEXT}`);
          break;
        }
        for (const rp of value.items) {
          const id = isScalar(rp.key) ? String(rp.key.value) : '';
          const level = isScalar(rp.value) ? String(rp.value.value) : undefined;
          if (!isKnownRule(id)) {
            at(rp.key as Node, 'warning', `unknown rule id "${id}" (ignored); see the rules list in the README`, 'unknown-rule-id');
            continue;
          }
          if (!isRuleSeverity(level)) {
            at((rp.value as Node) ?? (rp.key as Node), 'error', `rule ${id}: "${level ?? ''}" is not a level; use ${RULE_SEVERITIES_TEXT}`);
            continue;
          }
          config.rules[id] = level;
        }
        break;
      }
      case 'defaultNamespace': {
        const ns = isScalar(value) ? value.value : undefined;
        if (typeof ns !== 'string' || !isNamespaceName(ns)) {
          at(value ?? pair, 'error', `defaultNamespace must be a namespace name (${NAMESPACE_NAME_SYNTAX})`);
        } else config.defaultNamespace = ns;
        break;
      }
      case 'ignoreLabelKeys':
      case 'include':
      case 'exclude': {
        const list = stringList(value);
        if (!list) {
          at(value ?? pair, 'error', `${key} must be a list of strings`);
          break;
        }
        config[key] = list;
        break;
      }
      case 'maxFileSize': {
        const bytes = isScalar(value) ? parseByteSize(value.value) : undefined;
        if (bytes === undefined) at(value ?? pair, 'error', `maxFileSize must be ${BYTE_SIZE_HINT}`);
        else config.maxFileSize = bytes;
        break;
      }
      case 'renders':
        config.renders = parseRenders(value, at, (n) => lc.linePos(n && 'range' in n && n.range ? n.range[0] : 0).line);
        break;
      default:
        at(pair.key as Node, 'error', `unknown key "${key}"; the keys are ${KEYS.join(', ')}`);
    }
  }
  return { config, problems, keyLines };
}

const RENDER_CHART_KEYS = ['chart', 'release', 'namespace', 'values', 'set'];

function parseRenders(
  value: Node | null,
  at: (node: Node | Pair | null | undefined, severity: ConfigProblem['severity'], message: string) => void,
  lineOf: (node: Node) => number,
): NonNullable<KniConfig['renders']> {
  const out: NonNullable<KniConfig['renders']> = [];
  if (value === null || (isScalar(value) && value.value === null)) return out;
  if (!isSeq(value)) {
    at(value, 'error', 'renders must be a list of {chart: FOLDER, release, namespace, values: [FILES], set: {KEY: VALUE}} or {kustomize: FOLDER}');
    return out;
  }
  for (const item of value.items as Node[]) {
    if (!isMap(item)) {
      at(item, 'error', 'a render must be a mapping with chart: FOLDER or kustomize: FOLDER');
      continue;
    }
    const get = (k: string) => item.items.find((p) => isScalar(p.key) && p.key.value === k);
    const chart = get('chart');
    const kustomize = get('kustomize');
    if ((chart === undefined) === (kustomize === undefined)) {
      at(item, 'error', 'a render names exactly one of chart: FOLDER (a Helm chart) or kustomize: FOLDER (a Kustomize root)');
      continue;
    }
    const folderOf = (p: Pair): string | undefined => {
      const v = p.value as Node | null;
      if (isScalar(v) && typeof v.value === 'string' && v.value.trim() !== '') return v.value.trim().replace(/\\/g, '/').replace(/\/+$/, '');
      at(v ?? p, 'error', `${String((p.key as { value: unknown }).value)} must be a folder path (relative to this file)`);
      return undefined;
    };
    if (kustomize !== undefined) {
      for (const p of item.items) if (!(isScalar(p.key) && p.key.value === 'kustomize')) at(p, 'error', `unknown key "${isScalar(p.key) ? String(p.key.value) : ''}" in a kustomize render; it takes kustomize: FOLDER only`);
      const root = folderOf(kustomize);
      if (root !== undefined) out.push({ kustomize: root, line: lineOf(item) });
      continue;
    }
    let ok = true;
    for (const p of item.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (!RENDER_CHART_KEYS.includes(k)) {
        at(p, 'error', `unknown key "${k}" in a chart render; the keys are ${RENDER_CHART_KEYS.join(', ')}`);
        ok = false;
      }
    }
    const folder = folderOf(chart as Pair);
    const render: Extract<NonNullable<KniConfig['renders']>[number], { chart: string }> = { chart: folder ?? '', values: [], set: {}, line: lineOf(item) };
    const release = get('release');
    if (release) {
      const v = isScalar(release.value) ? release.value.value : undefined;
      if (typeof v !== 'string' || !isReleaseName(v)) {
        at((release.value as Node) ?? release, 'error', `release must be a Helm release name (${RELEASE_NAME_SYNTAX})`);
        ok = false;
      } else render.release = v;
    }
    const namespace = get('namespace');
    if (namespace) {
      const v = isScalar(namespace.value) ? namespace.value.value : undefined;
      if (typeof v !== 'string' || !isNamespaceName(v)) {
        at((namespace.value as Node) ?? namespace, 'error', `namespace must be a namespace name (${NAMESPACE_NAME_SYNTAX})`);
        ok = false;
      } else render.namespace = v;
    }
    const values = get('values');
    if (values) {
      const list = stringList(values.value as Node | null);
      if (!list) {
        at((values.value as Node) ?? values, 'error', 'values must be a list of values files (relative to the chart folder)');
        ok = false;
      } else render.values = list;
    }
    const set = get('set');
    if (set) {
      const v = set.value as Node | null;
      if (v !== null && !isMap(v)) {
        at(v, 'error', 'set must be a mapping of value path to value, as helm --set takes them (image.tag: "1.2")');
        ok = false;
      } else if (v !== null) {
        for (const sp of v.items) {
          const k = isScalar(sp.key) ? String(sp.key.value) : '';
          const sv = sp.value as Node | null;
          if (k === '' || !isScalar(sv) || sv.value === null || typeof sv.value === 'object') {
            at(sv ?? sp, 'error', `set ${k}: the value must be a string, number or boolean`);
            ok = false;
            continue;
          }
          render.set[k] = String(sv.value);
        }
      }
    }
    if (ok && folder !== undefined) out.push(render);
  }
  return out;
}

function stringList(value: Node | null): string[] | undefined {
  if (value === null) return [];
  if (isScalar(value)) return typeof value.value === 'string' ? [value.value] : value.value === null ? [] : undefined;
  if (!isSeq(value)) return undefined;
  const out: string[] = [];
  for (const item of value.items) {
    if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number')) return undefined;
    out.push(String(item.value));
  }
  return out;
}

/** Whether a path (relative to the config file's directory, '/'-separated) is analysed under include/exclude. */
export function isIncluded(config: KniConfig, relativePath: string): boolean {
  const opts = { dot: true, matchBase: false };
  if (config.include.length > 0 && !config.include.some((g) => minimatch(relativePath, g, opts))) return false;
  return !config.exclude.some((g) => minimatch(relativePath, g, opts));
}

export function formatConfigProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}
