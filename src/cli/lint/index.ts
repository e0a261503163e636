// `kni lint [paths...] [--format text|json|sarif] [--namespace NS] [--config FILE]`
//
// Files and directories (recursively: .yaml, .yml, .json; node_modules and
// .git skipped) form ONE set. `.kni.yaml` in the working directory (or
// --config) applies; its include/exclude globs are relative to its directory.
// Exit codes: 0 no errors, 1 errors found, 2 usage, configuration or I/O
// problems (a path that cannot be read is reported and the rest still linted),
// 3 no errors found but the cluster could only be read in part (see cluster-args.ts).
import type { CliIO } from '../io';
import { safe, terminalSafe } from '../../view-model/terminal-safe';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { collectFiles, describeUnreadPath, InputError, readManifestFile } from '../files';
import { decodeManifestBytes, DEFAULT_MAX_BYTES } from '../../core/source/manifests';
import { parseMaxFileSize, parseNamespace, scanArgs, UsageError } from '../args';
import { unknownOption } from '../suggest';
import { CONFIG_FILE_NAME, DEFAULT_MAX_FILE_SIZE_TEXT, DEFAULT_NAMESPACE } from '../../core/config/facts';
import { formatConfigProblem, isIncluded, parseConfig } from '../../core/config/load';
import { emptyConfig, type KniConfig } from '../../core/config/types';
import { formatJson } from '../format/json';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import type { LintReport } from '../format/types';
import { counts } from '../format/types';
import { ModelIndex } from '../../core/model/model-index';
import { objectCount } from '../../core/model/object-count';
import { runRules } from '../../core/rules';
import { RuleContext, effectiveSeverity } from '../../core/rules/context';
import { rulesNotChecked, withoutUnreadDependents } from '../../core/rules/unread';
import { combinedModel, emptyRenderFlags, loadWithRenders, RENDER_USAGE, takeRenderFlag, type RenderFlags } from '../renders';
import { CLUSTER_USAGE, EXIT_PARTIAL, clusterModelForCli, clusterObjectLabel, parseClusterArgs, type ClusterArgs } from '../cluster-args';

/** What the command may touch of the outside world (the CLI's one IO shape). */
export type LintIO = CliIO;

export const LINT_USAGE = `Usage: kni lint [paths...] [options]

Lint Kubernetes manifests (files, or directories searched for .yaml/.yml/.json).
All paths form one set; without paths, the current directory. Files found in a
directory are read only when they hold an apiVersion and a kind (so
package.json, tsconfig.json or CI files are skipped); files named are read.

Options:
  --format text|json|sarif   output format (default: text)
  --namespace NS, -n NS      namespace of manifests without one (default: the
                             config's defaultNamespace, else "${DEFAULT_NAMESPACE}")
  --config FILE              configuration file (default: ./${CONFIG_FILE_NAME} if present)
  --max-file-size SIZE       larger files are not read (default: the config's
                             maxFileSize, else ${DEFAULT_MAX_FILE_SIZE_TEXT}; e.g. 20MB, 512KB, bytes)
  --help, -h                 show this help

${RENDER_USAGE}
A live cluster instead of files:
${CLUSTER_USAGE}
Exit codes: 0 no errors, 1 errors found, 2 usage, configuration or I/O problems
(a path that cannot be read is named on stderr; the rest is still linted and
reported), 3 (--cluster) no errors found, but some resources could not be
read: the result is incomplete (the output lists what, and the rules not applied).
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  paths: string[];
  format: Format;
  namespace?: string;
  config?: string;
  maxFileSize?: number;
  help: boolean;
  render: RenderFlags;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { paths: [], format: 'text', help: false, render: emptyRenderFlags() };
  opts.paths = scanArgs(
    argv,
    (flag, value) => {
      if (takeRenderFlag(flag, value, opts.render)) return;
      switch (flag) {
        case '--format':
        case '-f': {
          const f = value();
          if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}"; use text, json or sarif`);
          opts.format = f as Format;
          break;
        }
        case '--namespace':
        case '-n': {
          opts.namespace = parseNamespace(value());
          break;
        }
        case '--config':
        case '-c':
          opts.config = value();
          break;
        case '--max-file-size':
          opts.maxFileSize = parseMaxFileSize(value());
          break;
        case '--help':
        case '-h':
          opts.help = true;
          break;
        default:
          throw new UsageError(unknownOption(flag, LINT_USAGE));
      }
    },
    { loneDashIsValue: true },
  );
  return opts;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export async function runLint(argv: string[], io: LintIO): Promise<number> {
  const clusterArgs = parseClusterArgs(argv);
  if (clusterArgs.error) {
    io.stderr(`kni lint: ${terminalSafe(clusterArgs.error)}\n\n${LINT_USAGE}`);
    return 2;
  }
  let opts: Options;
  try {
    opts = parseArgs(clusterArgs.rest);
  } catch (e) {
    io.stderr(`kni lint: ${terminalSafe((e as Error).message)}\n\n${LINT_USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.stdout(LINT_USAGE);
    return 0;
  }

  // Configuration.
  let config: KniConfig = emptyConfig();
  let configDir = io.cwd;
  const configPath = opts.config ?? (existsSync(join(io.cwd, CONFIG_FILE_NAME)) ? CONFIG_FILE_NAME : undefined);
  if (configPath !== undefined) {
    const abs = resolve(io.cwd, configPath);
    let text: string;
    try {
      text = decodeManifestBytes(readFileSync(abs)).text; // UTF-16 too, as the manifests
    } catch (e) {
      io.stderr(safe`kni lint: ${configPath}: cannot read the configuration file (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})\n`);
      return 2;
    }
    const loaded = parseConfig(configPath, text);
    for (const p of loaded.problems) io.stderr(safe`kni lint: ${formatConfigProblem(p)}\n`);
    if (loaded.problems.some((p) => p.severity === 'error')) {
      io.stderr(safe`kni lint: fix ${configPath} and run again.\n`);
      return 2;
    }
    config = loaded.config;
    configDir = dirname(abs);
  }

  if (clusterArgs.cluster) return lintCluster(clusterArgs.cluster, config, opts, io);

  // Files: what cannot be read is named and skipped, the rest is linted (exit 2 at the end).
  const collected = collectFiles(io.cwd, opts.paths.length > 0 ? opts.paths : ['.']);
  const unreadable = collected.problems;
  for (const p of unreadable) io.stderr(safe`kni lint: ${describeUnreadPath(p)}\n`);
  let files = collected.files;
  if (config.include.length > 0 || config.exclude.length > 0) {
    files = files.filter((f) => {
      const rel = toPosix(relative(configDir, resolve(io.cwd, f)));
      return isAbsolute(rel) || rel.startsWith('../') ? true : isIncluded(config, rel);
    });
  }

  const maxBytes = opts.maxFileSize ?? config.maxFileSize ?? DEFAULT_MAX_BYTES;
  // A file found in a directory is read only when it may hold Kubernetes
  // objects (package.json, tsconfig.json, CI files are not ours to judge);
  // a file named on the command line always is (renders.ts). What cannot be
  // read is named and left out; the rest is linted (exit 2 at the end).
  const read = (f: string) => {
    try {
      return readManifestFile(f, resolve(io.cwd, f), maxBytes);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      unreadable.push(e.unread ?? { path: f, reason: e.message, consequence: 'not linted' });
      io.stderr(safe`kni lint: ${e.message}\n`);
      return undefined;
    }
  };
  let loaded;
  try {
    loaded = await loadWithRenders({ cwd: io.cwd, files, named: new Set(opts.paths), config, configDir, namespace: opts.namespace, maxBytes, flags: opts.render, read });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(safe`kni lint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const analysed = loaded.looseFiles.length + (loaded.renders?.consumed.size ?? 0);
  const objects = objectCount(combinedModel(loaded, config).model);
  const code = printReport({ findings: loaded.findings, position: loaded.position, files: analysed, objects, unreadPaths: unreadable }, opts, io);
  if (unreadable.length === 0) return code;
  io.stderr(`kni lint: ${unreadable.length} path${unreadable.length === 1 ? '' : 's'} could not be read (named above); the report covers the rest.\n`);
  return 2;
}

function printReport(report: LintReport, opts: Options, io: LintIO): number {
  if (opts.format === 'json') io.stdout(formatJson(report));
  else if (opts.format === 'sarif') io.stdout(formatSarif(report));
  else io.stdout(formatText(report, io.isTTY));
  if (counts(report.findings).errors > 0) return 1;
  return report.partial && report.partial.unread.length > 0 ? EXIT_PARTIAL : 0;
}

/** `kni lint --cluster`: the rules over a live cluster's model, findings named by object. */
async function lintCluster(args: ClusterArgs, config: KniConfig, opts: Options, io: LintIO): Promise<number> {
  if (opts.paths.length > 0) {
    io.stderr(safe`kni lint: --cluster reads the cluster, not files: drop the paths (${opts.paths.join(' ')}) or --cluster\n`);
    return 2;
  }
  const loaded = await clusterModelForCli('lint', args, io.stderr);
  if (!loaded) return 2;
  const index = new ModelIndex(loaded.model, { ignoreLabelKeys: config.ignoreLabelKeys });
  const all = runRules(new RuleContext(loaded.model, index, config));
  // On a partial read, a rule that depends on what was not read says nothing (not a false error).
  const findings = withoutUnreadDependents(loaded.model, all).map((f) => (f.loc.file ? f : { ...f, loc: { ...f.loc, file: clusterObjectLabel(args.context, f.object) }, fixes: [] }));
  const m = loaded.model;
  const objects = objectCount(m);
  const partial = { unread: m.unread ?? [], notChecked: rulesNotChecked(m, (rule) => effectiveSeverity(config, rule) !== undefined) };
  return printReport({ findings, position: () => ({ line: 1, column: 1 }), files: 0, objects, partial }, opts, io);
}
