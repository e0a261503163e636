// Facts that the language server, the CLI, the VS Code extension and the
// generators of package.json and the README all state: written here once and
// imported everywhere else. Plain values and small checks only, with no
// imports, so the generators can bundle this file on its own.

/** The configuration file each folder (or the CLI's working directory) may hold. */
export const CONFIG_FILE_NAME = '.kni.yaml';

/** The configuration file anywhere in a workspace, as a file-watcher glob. */
export const CONFIG_FILE_GLOB = `**/${CONFIG_FILE_NAME}`;

/** The file extensions read as manifests (lowercase; matched without regard to case). */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** Manifest files anywhere in a workspace, as a glob (file search, file watchers). */
export const MANIFEST_GLOB = `**/*.{${MANIFEST_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;

/** Whether a path names a manifest file by its extension. */
export function isManifestPath(path: string): boolean {
  const lower = path.toLowerCase();
  return MANIFEST_EXTENSIONS.some((e) => lower.endsWith(e));
}

/**
 * Whether a manifest file can hold comments, so suppression comments can be
 * read from it and written into it: YAML can, JSON cannot.
 */
export function allowsComments(path: string): boolean {
  return !path.toLowerCase().endsWith('.json');
}

// ------------------------------------------------------------ names

/** An RFC 1123 label, what Kubernetes requires of a namespace name (with at most 63 characters). */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_LABEL = new RegExp(DNS_LABEL_PATTERN);

export const NAMESPACE_NAME_MAX_LENGTH = 63;

/** What a namespace name may be, for messages that refuse one. */
export const NAMESPACE_NAME_SYNTAX = `lowercase letters, digits and -, at most ${NAMESPACE_NAME_MAX_LENGTH} characters`;

export function isNamespaceName(name: string): boolean {
  return name.length <= NAMESPACE_NAME_MAX_LENGTH && DNS_LABEL.test(name);
}

/** Helm's own limit: the release name goes into generated names that must stay within 63 characters. */
export const RELEASE_NAME_MAX_LENGTH = 53;

export const RELEASE_NAME_SYNTAX = `lowercase letters, digits and -, at most ${RELEASE_NAME_MAX_LENGTH} characters`;

export function isReleaseName(name: string): boolean {
  return name.length <= RELEASE_NAME_MAX_LENGTH && DNS_LABEL.test(name);
}

/** A DNS domain as the kubelet's --cluster-domain takes it (without a trailing dot). */
export const CLUSTER_DOMAIN_PATTERN = '^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?$';
const CLUSTER_DOMAIN = new RegExp(CLUSTER_DOMAIN_PATTERN);

export function isClusterDomain(domain: string): boolean {
  return CLUSTER_DOMAIN.test(domain);
}

// ------------------------------------------------------------ severities

/** The severities a finding has, the most severe first. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** What a rule can be set to (settings, `.kni.yaml`), from off up to the most severe, as settings list them. */
export const RULE_SEVERITIES = ['off', 'info', 'warning', 'error'] as const;

export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

/** "off, info, warning or error", for messages and descriptions. */
export const RULE_SEVERITIES_TEXT = oneOf(RULE_SEVERITIES);

export function isRuleSeverity(value: unknown): value is RuleSeverity {
  return typeof value === 'string' && (RULE_SEVERITIES as readonly string[]).includes(value);
}

// ------------------------------------------------------------ defaults

/** The namespace of manifests without metadata.namespace when nothing sets another (as kubectl). */
export const DEFAULT_NAMESPACE = 'default';

/** Manifest files larger than this (UTF-8 bytes) are not read unless a setting raises the limit. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** DEFAULT_MAX_BYTES as people write a size (and as `maxFileSize` takes it). */
export const DEFAULT_MAX_FILE_SIZE_TEXT = `${DEFAULT_MAX_BYTES / 1024 / 1024}MB`;

/** The default cluster domain (kubelet --cluster-domain); clusters can be set up with another one. */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** kube-proxy's modes, the one assumed by default first. */
export const PROXY_MODES = ['iptables', 'nftables', 'ipvs'] as const;

export type ProxyMode = (typeof PROXY_MODES)[number];

export const DEFAULT_PROXY_MODE: ProxyMode = PROXY_MODES[0];

/** "iptables, nftables or ipvs", for messages. */
export const PROXY_MODES_TEXT = oneOf(PROXY_MODES);

export function isProxyMode(value: unknown): value is ProxyMode {
  return typeof value === 'string' && (PROXY_MODES as readonly string[]).includes(value);
}

/** `kni.diagnostics.debounceMs`: its bounds (a value outside is clamped) and default. */
export const DEBOUNCE_MS = { minimum: 0, maximum: 2_000, default: 150 } as const;

/** The source editors show on findings (diagnostics), and by which quick fixes know ours. */
export const DIAGNOSTIC_SOURCE = 'kni';

/** The editor settings' section: every setting is `kni.<key>`. */
export const SETTINGS_SECTION = 'kni';

/**
 * The default of every `kni.*` setting (keys without the section), as
 * package.json declares them. An empty string or list means "not set": the
 * value then comes from `.kni.yaml` or the built-in default above.
 */
export const SETTING_DEFAULTS = {
  rules: {},
  defaultNamespace: '',
  include: [],
  exclude: [],
  'trace.proxyMode': DEFAULT_PROXY_MODE,
  'diagnostics.debounceMs': DEBOUNCE_MS.default,
  maxFileSize: '',
  'helm.path': '',
  'kustomize.path': '',
  'cluster.namespaces': [],
  'trace.clusterDomain': DEFAULT_CLUSTER_DOMAIN,
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** "a, b or c". */
function oneOf(values: readonly string[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
