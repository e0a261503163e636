// Regenerates package.json's `contributes.configuration` (the `kni.*`
// settings) from the rules catalogue, the one place for rule facts: every rule
// id gets a property of `kni.rules` with its severities, its default and its
// description. The rest of package.json is left as it is.
//
//   node scripts/gen-package-contributes.mjs           rewrite package.json
//   node scripts/gen-package-contributes.mjs --check   exit 1 when it is out of date
//
// The catalogue is TypeScript: it is bundled with esbuild in memory and
// imported from a data: URL.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Run as a script: the repository is the parent folder. Imported from a bundled test: the working directory.
const SELF = typeof import.meta.url === 'string' ? fileURLToPath(import.meta.url) : undefined;
const ROOT = SELF ? resolve(dirname(SELF), '..') : process.cwd();
const PACKAGE_JSON = join(ROOT, 'package.json');

const LEVELS = ['off', 'info', 'warning', 'error'];
const LEVEL_DESCRIPTIONS = ['Turn the rule off.', 'Report as information.', 'Report as a warning.', 'Report as an error.'];

/** The `contributes.configuration` object for a list of rules ({id, severity, title, description, group}). */
export function configurationFor(rules) {
  const ruleProperties = {};
  for (const r of rules) {
    ruleProperties[r.id] = {
      type: 'string',
      enum: LEVELS,
      enumDescriptions: LEVEL_DESCRIPTIONS,
      default: r.severity,
      markdownDescription: `**${r.title}** (${r.group}; default \`${r.severity}\`). ${r.description}`,
    };
  }
  return {
    title: 'Kubernetes Network Inspector',
    properties: {
      'kni.rules': {
        type: 'object',
        scope: 'window',
        default: {},
        properties: ruleProperties,
        additionalProperties: false,
        markdownDescription:
          'Severity of each lint rule by id: `off`, `info`, `warning` or `error` (see the rules table in the README). ' +
          'A `.kni.yaml` file in each workspace folder is read too (the same file `kni lint` reads): it is the repository\'s shared policy, ' +
          'and these settings override it per user, rule by rule. Example: `{ "service-selects-many-workloads": "off" }`.',
      },
      'kni.defaultNamespace': {
        type: 'string',
        scope: 'window',
        default: '',
        pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$',
        maxLength: 63,
        markdownDescription:
          'The namespace of manifests without `metadata.namespace`. Empty: `defaultNamespace` from `.kni.yaml`, else `default`. When set, it overrides `.kni.yaml`.',
      },
      'kni.include': {
        type: 'array',
        scope: 'window',
        items: { type: 'string' },
        default: [],
        markdownDescription:
          'Globs (relative to the workspace folder) of the files to analyse, for example `deploy/**`. Empty: every `*.yaml`, `*.yml` and `*.json` file holding Kubernetes objects. Added to `include` in `.kni.yaml`. `files.exclude` is always honoured.',
      },
      'kni.exclude': {
        type: 'array',
        scope: 'window',
        items: { type: 'string' },
        default: [],
        markdownDescription: 'Globs (relative to the workspace folder) of files not to analyse, for example `**/testdata/**`. Added to `exclude` in `.kni.yaml` and to `files.exclude`.',
      },
      'kni.trace.proxyMode': {
        type: 'string',
        scope: 'window',
        enum: ['iptables', 'nftables', 'ipvs'],
        enumDescriptions: [
          'kube-proxy in iptables mode (random endpoint choice with per-rule probabilities), rules as iptables-save prints them.',
          'kube-proxy in nftables mode (GA since Kubernetes 1.33: numgen random choice over per-endpoint chains), rules as nft list ruleset groups them.',
          'kube-proxy in IPVS mode (round robin over the endpoints).',
        ],
        default: 'iptables',
        markdownDescription: 'The kube-proxy mode traces assume when they explain how a Service address is translated to a Pod.',
      },
      'kni.diagnostics.debounceMs': {
        type: 'number',
        scope: 'window',
        minimum: 0,
        maximum: 2000,
        default: 150,
        markdownDescription: 'Delay in milliseconds between the last keystroke in a manifest and its re-analysis.',
      },
      'kni.maxFileSize': {
        type: 'string',
        scope: 'window',
        default: '',
        pattern: '^(\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]([iI]?[bB])?|[bB])?\\s*)?$',
        markdownDescription:
          'Manifest files larger than this are not read (reported as `manifest-too-large`): a number of bytes, or a number with a unit such as `512KB`, `20MB` or `1GB`. Empty: `maxFileSize` from `.kni.yaml`, else 10MB. The CLI takes `--max-file-size`.',
      },
      // Paths of programs the extension runs: `machine` scope, so user and
      // remote-machine settings may set them but a workspace cannot (a
      // repository must not choose a binary we execute; `machine-overridable`
      // would let it, and `application` could not differ per remote machine).
      'kni.helm.path': {
        type: 'string',
        scope: 'machine',
        default: '',
        markdownDescription:
          'The `helm` binary (Helm 3 or 4) that renders charts. Empty: the one VS Code\'s Kubernetes extension uses or installed, else `helm` on `PATH`. User or machine settings only: a workspace cannot choose a program to run.',
      },
      'kni.kustomize.path': {
        type: 'string',
        scope: 'machine',
        default: '',
        markdownDescription:
          'The `kustomize` binary (or a `kubectl` binary, for `kubectl kustomize`) that renders Kustomize roots. Empty: `kustomize` on `PATH`, else the Kubernetes extension\'s `kubectl`, else `kubectl` on `PATH`. User or machine settings only.',
      },
      'kni.cluster.namespaces': {
        type: 'array',
        scope: 'window',
        items: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        uniqueItems: true,
        default: [],
        markdownDescription:
          'The namespaces **KNI: Select Cluster Context** reads from a live cluster. Empty: the command asks (all namespaces, the context\'s own, or names you type). Set it when your account may not list objects in every namespace.',
      },
      'kni.trace.clusterDomain': {
        type: 'string',
        scope: 'window',
        pattern: '^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?$',
        default: 'cluster.local',
        markdownDescription: 'The cluster\'s DNS domain (the kubelet\'s `--cluster-domain`), under which traces resolve Service and Pod names: `<service>.<namespace>.svc.<domain>`.',
      },
    },
  };
}

export async function loadRules() {
  const out = await esbuild.build({
    entryPoints: [join(ROOT, 'src', 'core', 'rules', 'catalogue.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  return mod.RULES;
}

/** package.json's text with `contributes.configuration` regenerated. */
export function withConfiguration(packageText, rules) {
  const pkg = JSON.parse(packageText);
  pkg.contributes = { ...pkg.contributes, configuration: configurationFor(rules) };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

async function main() {
  const current = readFileSync(PACKAGE_JSON, 'utf8');
  const next = withConfiguration(current, await loadRules());
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
