// Regenerates package.json's `contributes.configuration` (the `kni.*`
// settings) from the rules catalogue, the one place for rule facts (every rule
// id gets a property of `kni.rules` with its severities, its default and its
// description), and from src/core/config/facts.ts, the one place for the
// settings' defaults, levels, name syntax and file names. The rest of
// package.json is left as it is.
//
//   node scripts/gen-package-contributes.mjs           rewrite package.json
//   node scripts/gen-package-contributes.mjs --check   exit 1 when it is out of date
//
// Both are TypeScript: they are bundled with esbuild in memory and imported
// from a data: URL.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Run as a script: the repository is the parent folder. Imported from a bundled test: the working directory.
const SELF = typeof import.meta.url === 'string' ? fileURLToPath(import.meta.url) : undefined;
const ROOT = SELF ? resolve(dirname(SELF), '..') : process.cwd();
const PACKAGE_JSON = join(ROOT, 'package.json');

const LEVEL_DESCRIPTIONS = { off: 'Turn the rule off.', info: 'Report as information.', warning: 'Report as a warning.', error: 'Report as an error.' };
const PROXY_MODE_DESCRIPTIONS = {
  iptables: 'kube-proxy in iptables mode (random endpoint choice with per-rule probabilities), rules as iptables-save prints them.',
  nftables: 'kube-proxy in nftables mode (GA since Kubernetes 1.33: numgen random choice over per-endpoint chains), rules as nft list ruleset groups them.',
  ipvs: 'kube-proxy in IPVS mode (round robin over the endpoints).',
};

const code = (s) => `\`${s}\``;
/** "`a`, `b` or `c`". */
const codeList = (items) => `${items.slice(0, -1).map(code).join(', ')} or ${code(items[items.length - 1])}`;
/** A whole-string pattern that also accepts the empty string (an unset setting). */
const orEmpty = (pattern) => `^(${pattern.replace(/^\^/, '').replace(/\$$/, '')})?$`;

/**
 * The `contributes.configuration` object for a list of rules ({id, severity,
 * title, description, group}) and the facts module (src/core/config/facts.ts:
 * defaults, levels, name syntax, file names).
 */
export function configurationFor(rules, facts) {
  const defaults = facts.SETTING_DEFAULTS;
  const config = code(facts.CONFIG_FILE_NAME);
  const ruleProperties = {};
  for (const r of rules) {
    ruleProperties[r.id] = {
      type: 'string',
      enum: [...facts.RULE_SEVERITIES],
      enumDescriptions: facts.RULE_SEVERITIES.map((l) => LEVEL_DESCRIPTIONS[l]),
      default: r.severity,
      markdownDescription: `**${r.title}** (${r.group}; default \`${r.severity}\`). ${r.description}`,
    };
  }
  const properties = {
    'kni.rules': {
      type: 'object',
      scope: 'window',
      default: defaults.rules,
      properties: ruleProperties,
      additionalProperties: false,
      markdownDescription:
        `Severity of each lint rule by id: ${codeList(facts.RULE_SEVERITIES)} (see the rules table in the README). ` +
        `A ${config} file in each workspace folder is read too (the same file \`kni lint\` reads): it is the repository's shared policy, ` +
        'and these settings override it per user, rule by rule. Example: `{ "service-selects-many-workloads": "off" }`.',
    },
    'kni.defaultNamespace': {
      type: 'string',
      scope: 'window',
      default: defaults.defaultNamespace,
      pattern: orEmpty(facts.DNS_LABEL_PATTERN),
      maxLength: facts.NAMESPACE_NAME_MAX_LENGTH,
      markdownDescription: `The namespace of manifests without \`metadata.namespace\`. Empty: \`defaultNamespace\` from ${config}, else ${code(facts.DEFAULT_NAMESPACE)}. When set, it overrides ${config}.`,
    },
    'kni.include': {
      type: 'array',
      scope: 'window',
      items: { type: 'string' },
      default: defaults.include,
      markdownDescription: `Globs (relative to the workspace folder) of the files to analyse, for example \`deploy/**\`. Empty: every ${codeList(facts.MANIFEST_EXTENSIONS.map((e) => `*${e}`)).replace(/ or /, ' and ')} file holding Kubernetes objects. Added to \`include\` in ${config}. \`files.exclude\` is always honoured.`,
    },
    'kni.exclude': {
      type: 'array',
      scope: 'window',
      items: { type: 'string' },
      default: defaults.exclude,
      markdownDescription: `Globs (relative to the workspace folder) of files not to analyse, for example \`**/testdata/**\`. Added to \`exclude\` in ${config} and to \`files.exclude\`.`,
    },
    'kni.trace.proxyMode': {
      type: 'string',
      scope: 'window',
      enum: [...facts.PROXY_MODES],
      enumDescriptions: facts.PROXY_MODES.map((m) => PROXY_MODE_DESCRIPTIONS[m]),
      default: defaults['trace.proxyMode'],
      markdownDescription: 'The kube-proxy mode traces assume when they explain how a Service address is translated to a Pod.',
    },
    'kni.diagnostics.debounceMs': {
      type: 'number',
      scope: 'window',
      minimum: facts.DEBOUNCE_MS.minimum,
      maximum: facts.DEBOUNCE_MS.maximum,
      default: defaults['diagnostics.debounceMs'],
      markdownDescription: 'Delay in milliseconds between the last keystroke in a manifest and its re-analysis.',
    },
    'kni.maxFileSize': {
      type: 'string',
      scope: 'window',
      default: defaults.maxFileSize,
      pattern: '^(\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]([iI]?[bB])?|[bB])?\\s*)?$',
      markdownDescription:
        `Manifest files larger than this are not read (reported as \`manifest-too-large\`): a number of bytes, or a number with a unit such as \`512KB\`, \`20MB\` or \`1GB\`. Empty: \`maxFileSize\` from ${config}, else ${facts.DEFAULT_MAX_FILE_SIZE_TEXT}. The CLI takes \`--max-file-size\`.`,
    },
    // Paths of programs the extension runs: `machine` scope, so user and
    // remote-machine settings may set them but a workspace cannot (a
    // repository must not choose a binary we execute; `machine-overridable`
    // would let it, and `application` could not differ per remote machine).
    'kni.helm.path': {
      type: 'string',
      scope: 'machine',
      default: defaults['helm.path'],
      markdownDescription:
        'The `helm` binary (Helm 3 or 4) that renders charts. Empty: the one VS Code\'s Kubernetes extension uses or installed, else `helm` on `PATH`. User or machine settings only: a workspace cannot choose a program to run.',
    },
    'kni.kustomize.path': {
      type: 'string',
      scope: 'machine',
      default: defaults['kustomize.path'],
      markdownDescription:
        'The `kustomize` binary (or a `kubectl` binary, for `kubectl kustomize`) that renders Kustomize roots. Empty: `kustomize` on `PATH`, else the Kubernetes extension\'s `kubectl`, else `kubectl` on `PATH`. User or machine settings only.',
    },
    'kni.cluster.namespaces': {
      type: 'array',
      scope: 'window',
      items: { type: 'string', pattern: facts.DNS_LABEL_PATTERN, maxLength: facts.NAMESPACE_NAME_MAX_LENGTH },
      uniqueItems: true,
      default: defaults['cluster.namespaces'],
      markdownDescription:
        'The namespaces **KNI: Select Cluster Context** reads from a live cluster. Empty: the command asks (all namespaces, the context\'s own, or names you type). Set it when your account may not list objects in every namespace.',
    },
    'kni.trace.clusterDomain': {
      type: 'string',
      scope: 'window',
      pattern: facts.CLUSTER_DOMAIN_PATTERN,
      default: defaults['trace.clusterDomain'],
      markdownDescription: 'The cluster\'s DNS domain (the kubelet\'s `--cluster-domain`), under which traces resolve Service and Pod names: `<service>.<namespace>.svc.<domain>`.',
    },
  };
  // Every setting has its default in the facts module, and every default there is a declared setting.
  const declared = Object.keys(properties).map((k) => k.slice(`${facts.SETTINGS_SECTION}.`.length));
  const missing = Object.keys(defaults).filter((k) => !declared.includes(k));
  const undeclared = declared.filter((k) => !(k in defaults));
  if (missing.length > 0 || undeclared.length > 0) throw new Error(`settings and SETTING_DEFAULTS (src/core/config/facts.ts) differ: ${[...missing, ...undeclared].join(', ')}`);
  return { title: 'Kubernetes Network Inspector', properties: JSON.parse(JSON.stringify(properties)) };
}

/** The rules catalogue and the facts module, bundled from the TypeScript sources with esbuild in memory. */
export async function loadCore() {
  const out = await esbuild.build({
    stdin: {
      contents: "export { RULES } from './src/core/rules/catalogue';\nexport * from './src/core/config/facts';\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

/** package.json's text with `contributes.configuration` regenerated. */
export function withConfiguration(packageText, rules, facts) {
  const pkg = JSON.parse(packageText);
  pkg.contributes = { ...pkg.contributes, configuration: configurationFor(rules, facts) };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

async function main() {
  const current = readFileSync(PACKAGE_JSON, 'utf8');
  const core = await loadCore();
  const next = withConfiguration(current, core.RULES, core);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('package.json contributes.configuration is out of date with src/core/rules/catalogue.ts: run node scripts/gen-package-contributes.mjs');
      process.exit(1);
    }
    console.log('package.json contributes.configuration is up to date');
  } else if (next !== current) {
    writeFileSync(PACKAGE_JSON, next);
    console.log('package.json contributes.configuration regenerated');
  } else console.log('package.json contributes.configuration already up to date');
}

if (SELF && process.argv[1] && resolve(process.argv[1]) === SELF) {
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
}
