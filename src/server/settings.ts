// The `kni.*` settings as an LSP client sends them (workspace/configuration
// answers a plain object, or null from a client without such settings), read
// into the editor's settings shape so the extension's merging with
// `.kni.yaml` applies unchanged. A value of the wrong type is ignored, as
// VS Code ignores it.
import type { RuleSeverity } from '../core/rules/catalogue';
import { parseByteSize } from '../core/config/size';
import type { EditorSettings } from '../core/workspace/settings';

const SEVERITIES = new Set(['off', 'info', 'warning', 'error']);
const DEFAULT_DEBOUNCE_MS = 150;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `{ rules, defaultNamespace, include, exclude, maxFileSize, diagnostics: { debounceMs } }`, all optional. */
export function settingsFrom(value: unknown): EditorSettings {
  const c = record(value);
  const rules: Record<string, RuleSeverity> = {};
  for (const [id, sev] of Object.entries(record(c.rules))) {
    if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as RuleSeverity;
  }
  const ns = typeof c.defaultNamespace === 'string' ? c.defaultNamespace.trim() : '';
  const debounce = record(c.diagnostics).debounceMs;
  return {
    rules,
    defaultNamespace: ns !== '' ? ns : undefined,
    include: strings(c.include),
    exclude: strings(c.exclude),
    // Traces are not served yet: the proxy mode and cluster domain are the defaults.
    proxyMode: 'iptables',
    debounceMs: typeof debounce === 'number' && Number.isFinite(debounce) ? Math.max(0, Math.min(2_000, debounce)) : DEFAULT_DEBOUNCE_MS,
    maxFileSize: parseByteSize(c.maxFileSize),
  };
}
