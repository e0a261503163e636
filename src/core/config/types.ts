// The settings the core takes: from `.kni.yaml` (CLI and extension) or the
// extension's settings. Every field is optional in the file; `emptyConfig()`
// gives the defaults.
import type { RuleId, RuleSeverity } from '../rules/catalogue';

export interface KniConfig {
  /** Per-rule severity overrides ('off' disables the rule). */
  rules: Partial<Record<RuleId, RuleSeverity>>;
  /** The namespace of manifests without metadata.namespace (default: "default"). */
  defaultNamespace?: string;
  /** Label keys dropped from pod labels and selectors before matching. */
  ignoreLabelKeys: string[];
  /** Globs (relative to the config file's directory) of files to analyse; empty = all. */
  include: string[];
  /** Globs of files to skip. */
  exclude: string[];
  /** Manifest files larger than this (bytes) are not read (default 10 MB). */
  maxFileSize?: number;
  /**
   * Renders named explicitly (paths relative to the config file's directory).
   * A chart or Kustomize root named here is rendered as said instead of by
   * default; several entries for one chart are separate sets.
   */
  renders?: ConfigRender[];
}

export type ConfigRender =
  | { chart: string; release?: string; namespace?: string; values: string[]; set: Record<string, string>; line: number }
  | { kustomize: string; line: number };

export function emptyConfig(): KniConfig {
  return { rules: {}, ignoreLabelKeys: [], include: [], exclude: [] };
}
