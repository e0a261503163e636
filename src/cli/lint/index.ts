// `kni lint [paths...] [--format text|json|sarif] [--namespace NS] [--config FILE]`
//
// Files and directories (recursively: .yaml, .yml, .json; node_modules and
// .git skipped) form ONE set. `.kni.yaml` in the working directory (or
// --config) applies; its include/exclude globs are relative to its directory.
// Exit codes: 0 no errors, 1 errors found, 2 usage, configuration or I/O problems.
import type { CliIO } from '../io';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Analysis } from '../../core/analysis';
import { collectFiles, InputError } from '../files';
import { scanArgs, UsageError } from '../args';
import { CONFIG_FILE_NAME, formatConfigProblem, isIncluded, parseConfig } from '../../core/config/load';
import { emptyConfig, type KniConfig } from '../../core/config/types';
import type { Position } from '../../core/text/lines';
import { formatJson } from '../format/json';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import type { LintReport } from '../format/types';
import { counts } from '../format/types';
import { ModelIndex } from '../../core/model/model-index';
import { objectCount } from '../../core/model/object-count';
import { runRules } from '../../core/rules';
import { RuleContext } from '../../core/rules/context';
import { CLUSTER_USAGE, clusterModelForCli, clusterObjectLabel, parseClusterArgs, type ClusterArgs } from '../cluster-args';

/** What the command may touch of the outside world (the CLI's one IO shape). */
export type LintIO = CliIO;

export const LINT_USAGE = `Usage: kni lint [paths...] [options]

Lint Kubernetes manifests (files, or directories searched for .yaml/.yml/.json).
All paths form one set; without paths, the current directory.

Options:
  --format text|json|sarif   output format (default: text)
  --namespace NS, -n NS      namespace of manifests without one (default: the
                             config's defaultNamespace, else "default")
  --config FILE              configuration file (default: ./${CONFIG_FILE_NAME} if present)
  --help, -h                 show this help

A live cluster instead of files:
${CLUSTER_USAGE}
Exit codes: 0 no errors, 1 errors found, 2 usage, configuration or I/O problems.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  paths: string[];
  format: Format;
  namespace?: string;
  config?: string;
  help: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { paths: [], format: 'text', help: false };
  opts.paths = scanArgs(
    argv,
    (flag, value) => {
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
          const ns = value();
          if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || ns.length > 63) throw new UsageError(`"${ns}" is not a namespace name`);
          opts.namespace = ns;
          break;
        }
        case '--config':
        case '-c':
          opts.config = value();
          break;
        case '--help':
        case '-h':
          opts.help = true;
          break;
        default:
          throw new UsageError(`unknown option ${flag}`);
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
    io.stderr(`kni lint: ${clusterArgs.error}\n\n${LINT_USAGE}`);
    return 2;
  }
  let opts: Options;
  try {
    opts = parseArgs(clusterArgs.rest);
  } catch (e) {
    io.stderr(`kni lint: ${(e as Error).message}\n\n${LINT_USAGE}`);
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
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      io.stderr(`kni lint: ${configPath}: cannot read the configuration file (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})\n`);
      return 2;
    }
    const loaded = parseConfig(configPath, text);
    for (const p of loaded.problems) io.stderr(`kni lint: ${formatConfigProblem(p)}\n`);
    if (loaded.problems.some((p) => p.severity === 'error')) {
      io.stderr(`kni lint: fix ${configPath} and run again.\n`);
      return 2;
    }
    config = loaded.config;
    configDir = dirname(abs);
  }

  if (clusterArgs.cluster) return lintCluster(clusterArgs.cluster, config, opts, io);

  // Files.
  let files: string[];
  try {
    files = collectFiles(io.cwd, opts.paths.length > 0 ? opts.paths : ['.']);
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr(`kni lint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (config.include.length > 0 || config.exclude.length > 0) {
    files = files.filter((f) => {
      const rel = toPosix(relative(configDir, resolve(io.cwd, f)));
      return isAbsolute(rel) || rel.startsWith('../') ? true : isIncluded(config, rel);
    });
  }

  const analysis = new Analysis({ config, defaultNamespace: opts.namespace ?? config.defaultNamespace });
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, f), 'utf8');
    } catch (e) {
      io.stderr(`kni lint: ${f}: cannot read the file (${(e as Error).message})\n`);
      return 2;
    }
    analysis.setFile(f, text);
  }

  const findings = analysis.findings();
  const objects = objectCount(analysis.model());
  const position = (file: string, offset: number): Position => analysis.parsed(file)?.lines.positionAt(offset) ?? { line: 1, column: 1 };
  return printReport({ findings, position, files: files.length, objects }, opts, io);
}

function printReport(report: LintReport, opts: Options, io: LintIO): number {
  if (opts.format === 'json') io.stdout(formatJson(report));
  else if (opts.format === 'sarif') io.stdout(formatSarif(report));
  else io.stdout(formatText(report, io.isTTY));
  return counts(report.findings).errors > 0 ? 1 : 0;
}

/** `kni lint --cluster`: the rules over a live cluster's model, findings named by object. */
async function lintCluster(args: ClusterArgs, config: KniConfig, opts: Options, io: LintIO): Promise<number> {
  if (opts.paths.length > 0) {
    io.stderr(`kni lint: --cluster reads the cluster, not files: drop the paths (${opts.paths.join(' ')}) or --cluster\n`);
    return 2;
  }
  const loaded = await clusterModelForCli('lint', args, io.stderr);
  if (!loaded) return 2;
  const index = new ModelIndex(loaded.model, { ignoreLabelKeys: config.ignoreLabelKeys });
  const findings = runRules(new RuleContext(loaded.model, index, config)).map((f) =>
    f.loc.file ? f : { ...f, loc: { ...f.loc, file: clusterObjectLabel(args.context, f.object) }, fixes: [] },
  );
  const objects = objectCount(loaded.model);
  return printReport({ findings, position: () => ({ line: 1, column: 1 }), files: 0, objects }, opts, io);
}
