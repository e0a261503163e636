// The `kni.*` settings an editor hands the workspace index, whatever reads
// them (VS Code's configuration, an LSP client's workspace/configuration).
import type { RuleSeverity } from '../rules/catalogue';
import type { ProxyMode } from '../trace';

export interface EditorSettings {
  /** Per-rule severity overrides from `kni.rules` (unknown ids dropped). */
  rules: Record<string, RuleSeverity>;
  /** `kni.defaultNamespace` when the user set it, else undefined. */
  defaultNamespace: string | undefined;
  include: string[];
  exclude: string[];
  proxyMode: ProxyMode;
  /** Delay between the last keystroke and re-analysis (ms). */
  debounceMs: number;
  /** `kni.maxFileSize` in bytes when the user set a valid one, else undefined. */
  maxFileSize: number | undefined;
  /** `kni.trace.clusterDomain`: the DNS domain traces resolve names under. */
  clusterDomain?: string;
}
