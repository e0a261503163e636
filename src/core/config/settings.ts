// The `kni.*` editor settings, read from the plain object an editor holds for
// the `kni` section (VS Code's configuration, an LSP client's answer to
// workspace/configuration, or null when a client has no such settings). The
// extension and the language server both read them here, so a value of the
// wrong type or out of range is treated the same in both: ignored (as VS Code
// ignores it), or clamped where the setting has bounds.
import { isKnownRule, type RuleId } from '../rules/catalogue';
import { DEBOUNCE_MS, isClusterDomain, isProxyMode, isRuleSeverity, SETTING_DEFAULTS, type ProxyMode, type RuleSeverity } from './facts';
import { parseByteSize } from './size';

export interface EditorSettings {
  /** Per-rule severity overrides from `kni.rules` (unknown ids and levels dropped). */
  rules: Partial<Record<RuleId, RuleSeverity>>;
  /** `kni.defaultNamespace` when the user set it, else undefined. */
  defaultNamespace: string | undefined;
  include: string[];
  exclude: string[];
  proxyMode: ProxyMode;
  /** Delay between the last keystroke and re-analysis (ms). */
  debounceMs: number;
  /** `kni.maxFileSize` in bytes when the user set a valid one, else undefined. */
  maxFileSize: number | undefined;
  /** `kni.trace.clusterDomain` when usable, without a trailing dot; undefined: the default domain. */
  clusterDomain?: string;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The settings in `{ rules, defaultNamespace, include, exclude, maxFileSize,
 * trace: { proxyMode, clusterDomain }, diagnostics: { debounceMs } }`, every
 * key optional (a missing one takes its default).
 */
export function settingsFrom(value: unknown): EditorSettings {
  const c = record(value);
  const rules: EditorSettings['rules'] = {};
  for (const [id, level] of Object.entries(record(c.rules))) {
    if (isKnownRule(id) && isRuleSeverity(level)) rules[id] = level;
  }
  const ns = typeof c.defaultNamespace === 'string' ? c.defaultNamespace.trim() : '';
  const trace = record(c.trace);
  const debounce = record(c.diagnostics).debounceMs;
  return {
    rules,
    defaultNamespace: ns !== '' ? ns : undefined,
    include: strings(c.include),
    exclude: strings(c.exclude),
    proxyMode: isProxyMode(trace.proxyMode) ? trace.proxyMode : SETTING_DEFAULTS['trace.proxyMode'],
    debounceMs: typeof debounce === 'number' && Number.isFinite(debounce) ? Math.max(DEBOUNCE_MS.minimum, Math.min(DEBOUNCE_MS.maximum, debounce)) : DEBOUNCE_MS.default,
    maxFileSize: parseByteSize(c.maxFileSize),
    clusterDomain: clusterDomainOf(trace.clusterDomain),
  };
}

/** A usable domain, without its trailing dot; anything else falls back to the default (undefined). */
function clusterDomainOf(v: unknown): string | undefined {
  const d = typeof v === 'string' ? v.trim().replace(/\.$/, '') : '';
  return isClusterDomain(d) ? d : undefined;
}
