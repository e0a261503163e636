// The user's own render tool paths, read in one place for the language
// server's initialize options. Every other `kni.*` setting is the server's to
// read (workspace/configuration).
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../core/config/facts';
import type { ToolSettings } from '../core/source/render/tools';

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
