// The `kni.*` settings, read in one place. `.kni.yaml` in the workspace root is
// the repository's shared policy (the same file the CLI reads); the user's
// settings override it per user: a rule severity set in `kni.rules` wins over
// the file's, `kni.defaultNamespace` (when set) wins over the file's
// `defaultNamespace`, and `kni.include`/`kni.exclude` add to the file's globs.
import * as vscode from 'vscode';
import type { RuleSeverity } from '../core/rules/catalogue';
import type { ToolSettings } from '../core/source/render/tools';
import type { ProxyMode } from '../core/trace';
import { parseByteSize } from '../core/config/size';
import type { EditorSettings } from '../core/workspace/settings';

export type { EditorSettings };

const SEVERITIES = new Set(['off', 'info', 'warning', 'error']);
const PROXY_MODES = new Set<ProxyMode>(['iptables', 'nftables', 'ipvs']);

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** Reads the settings of the window (or of a resource's folder). */
export function readSettings(scope?: vscode.ConfigurationScope): EditorSettings {
  const c = vscode.workspace.getConfiguration('kni', scope);
  const rules: Record<string, RuleSeverity> = {};
  const configured = c.get<Record<string, unknown>>('rules') ?? {};
  for (const [id, sev] of Object.entries(configured)) {
    if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as RuleSeverity;
  }
  const ns = c.inspect<string>('defaultNamespace');
  const userNs = ns?.workspaceFolderValue ?? ns?.workspaceValue ?? ns?.globalValue;
  const mode = c.get<string>('trace.proxyMode') ?? 'iptables';
  const debounce = c.get<number>('diagnostics.debounceMs') ?? 150;
  return {
    rules,
    defaultNamespace: typeof userNs === 'string' && userNs.trim() !== '' ? userNs.trim() : undefined,
    include: strings(c.get('include')),
    exclude: strings(c.get('exclude')),
    proxyMode: PROXY_MODES.has(mode as ProxyMode) ? (mode as ProxyMode) : 'iptables',
    debounceMs: Number.isFinite(debounce) ? Math.max(0, Math.min(2_000, debounce)) : 150,
    maxFileSize: parseByteSize(c.get('maxFileSize')),
    clusterDomain: clusterDomainOf(c.get<string>('trace.clusterDomain')),
  };
}

/** A usable domain, without its trailing dot; anything else falls back to the default (undefined). */
function clusterDomainOf(v: string | undefined): string | undefined {
  const d = typeof v === 'string' ? v.trim().replace(/\.$/, '') : '';
  return /^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?$/.test(d) ? d : undefined;
}

/**
 * Where the render tools are: `kni.helm.path`/`kni.kustomize.path` from the
 * user's or the machine's settings only (machine scope: a workspace must not
 * choose a program we run), and the paths VS Code's Kubernetes extension
 * records in the user's settings.
 */
export function readToolSettings(): ToolSettings {
  const c = vscode.workspace.getConfiguration('kni');
  const userValue = (key: string): string | undefined => {
    const v = c.inspect<string>(key)?.globalValue;
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const k8s = vscode.workspace.getConfiguration().inspect<Record<string, unknown>>('vs-kubernetes')?.globalValue;
  return {
    helmPath: userValue('helm.path'),
    kustomizePath: userValue('kustomize.path'),
    ...(k8s && typeof k8s === 'object' ? { kubernetesExtension: k8s } : {}),
  };
}

/**
 * What a configuration change asks of the index: 'rescan' when the set of
 * files changes (include/exclude), 'reanalyse' when only the analysis of the
 * texts already held changes (rules, default namespace), 'rerender' when only
 * the render tools changed (`kni.helm.path`, `kni.kustomize.path`), else undefined.
 */
export function indexChangeFor(e: vscode.ConfigurationChangeEvent): 'rescan' | 'reanalyse' | 'rerender' | undefined {
  if (['kni.include', 'kni.exclude', 'files.exclude', 'kni.maxFileSize'].some((s) => e.affectsConfiguration(s))) return 'rescan';
  if (['kni.rules', 'kni.defaultNamespace', 'kni.diagnostics.debounceMs'].some((s) => e.affectsConfiguration(s))) return 'reanalyse';
  if (['kni.helm.path', 'kni.kustomize.path', 'vs-kubernetes'].some((s) => e.affectsConfiguration(s))) return 'rerender';
  return undefined;
}
