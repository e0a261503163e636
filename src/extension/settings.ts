// The `kni.*` settings, read in one place. `.kni.yaml` in the workspace root is
// the repository's shared policy (the same file the CLI reads); the user's
// settings override it per user: a rule severity set in `kni.rules` wins over
// the file's, `kni.defaultNamespace` (when set) wins over the file's
// `defaultNamespace`, and `kni.include`/`kni.exclude` add to the file's globs.
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../core/config/facts';
import { settingsFrom, type EditorSettings } from '../core/config/settings';
import type { ToolSettings } from '../core/source/render/tools';

export type { EditorSettings };

/** Reads the settings of the window (or of a resource's folder). */
export function readSettings(scope?: vscode.ConfigurationScope): EditorSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return settingsFrom({
    rules: c.get('rules'),
    defaultNamespace: c.get('defaultNamespace'),
    include: c.get('include'),
    exclude: c.get('exclude'),
    maxFileSize: c.get('maxFileSize'),
    trace: { proxyMode: c.get('trace.proxyMode'), clusterDomain: c.get('trace.clusterDomain') },
    diagnostics: { debounceMs: c.get('diagnostics.debounceMs') },
  });
}

/**
 * Where the render tools are: `kni.helm.path`/`kni.kustomize.path` from the
 * user's or the machine's settings only (machine scope: a workspace must not
 * choose a program we run), and the paths VS Code's Kubernetes extension
 * records in the user's settings.
 */
export function readToolSettings(): ToolSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
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
