// `--cluster [--context C] [--namespace NS]... [--kubeconfig FILE] [--timeout D]`
// for `kni lint`, `kni trace` and `kni connectivity`: read the model from a live
// cluster instead of files. The CLI syncs once and stops watching. A command
// line is the user's own action in their own shell, so exec credential plugins
// (aws, gcloud, kubelogin) run, as they do for kubectl.
//
// A partial read (some resource types forbidden) is a result with its gaps
// named in every output format, and exit code 3 (EXIT_PARTIAL) where the
// command would otherwise have exited 0.
import { isNamespaceName, NAMESPACE_NAME_SYNTAX } from '../core/config/facts';
import type { NetworkModel, UnreadResource } from '../core/model/types';
import { ClusterSource, formatMs, type ClusterStatus, type ListProgress } from '../core/source/cluster';
import { terminalSafe } from '../view-model/terminal-safe';

/** The exit code of a run on a partial read that found nothing worse (documented in the README). */
export const EXIT_PARTIAL = 3;

/** How long the CLI waits for a complete read of the cluster by default (--timeout). */
export const DEFAULT_TIMEOUT_MS = 120_000;

export interface ClusterArgs {
  context?: string;
  /** Empty: all namespaces. */
  namespaces: string[];
  kubeconfigPath?: string;
  /** --timeout: the whole read's deadline (ms). */
  timeoutMs?: number;
}

export interface ParsedClusterArgs {
  /** Undefined when --cluster was not given (the other flags are then left alone). */
  cluster?: ClusterArgs;
  /** The arguments that are not cluster flags, in order. */
  rest: string[];
  /** A usage problem (a flag without its value, a bad namespace name). */
  error?: string;
}

export const CLUSTER_USAGE = `  --cluster                  read a live cluster (kubeconfig: $KUBECONFIG or ~/.kube/config)
  --context NAME             kubeconfig context (default: the current context)
  --namespace NS, -n NS      with --cluster: namespaces to read (repeatable or
                             comma-separated; default: all namespaces)
  --kubeconfig FILE          with --cluster: this kubeconfig file
  --timeout DURATION         with --cluster: give up when the cluster is not read
                             in full within this long (e.g. 30s, 2m; default 2m;
                             each request waits at most half of it, up to 60s)
`;

/** "30s", "2m", "1m30s", "500ms", "90" (seconds) -> ms; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]];
    at = re.lastIndex;
  }
  return text.length > 0 ? total : undefined;
}


/** Takes the cluster flags out of `argv` when `--cluster` is among them. */
export function parseClusterArgs(argv: string[]): ParsedClusterArgs {
  const dashdash = argv.indexOf('--');
  const flags = dashdash < 0 ? argv : argv.slice(0, dashdash);
  if (!flags.includes('--cluster')) {
    if (flags.some((f) => f === '--timeout' || f.startsWith('--timeout='))) return { rest: [...argv], error: '--timeout applies to --cluster (how long to wait for the cluster)' };
    return { rest: [...argv] };
  }
  const cluster: ClusterArgs = { namespaces: [] };
  const rest: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const arg = flags[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? (i + 1 < flags.length && !flags[i + 1].startsWith('-') ? flags[++i] : undefined);
    switch (name) {
      case '--cluster':
        break;
      case '--context': {
        const v = value();
        if (!v) return { rest, error: '--context needs a context name' };
        cluster.context = v;
        break;
      }
      case '--namespace':
      case '-n': {
        const v = value();
        if (!v) return { rest, error: `${name} needs a namespace name` };
        for (const ns of v.split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!isNamespaceName(ns)) return { rest, error: `"${ns}" is not a namespace name (${NAMESPACE_NAME_SYNTAX})` };
          if (!cluster.namespaces.includes(ns)) cluster.namespaces.push(ns);
        }
        break;
      }
      case '--all-namespaces':
      case '-A':
        cluster.namespaces = [];
        break;
      case '--kubeconfig': {
        const v = value();
        if (!v) return { rest, error: '--kubeconfig needs a file' };
        cluster.kubeconfigPath = v;
        break;
      }
      case '--timeout': {
        const v = value();
        const ms = v === undefined ? undefined : parseDuration(v);
        if (v === undefined) return { rest, error: '--timeout needs a duration (e.g. 30s, 2m)' };
        if (ms === undefined || !(ms >= 1)) return { rest, error: `--timeout "${v}": expected a duration such as 30s, 2m or 1m30s` };
        cluster.timeoutMs = ms;
        break;
      }
      default:
        rest.push(arg);
    }
  }
  if (dashdash >= 0) rest.push(...argv.slice(dashdash));
  return { cluster, rest };
}

export interface LoadClusterOptions {
  context?: string;
  namespaces?: string[];
  allowExecPlugins: boolean;
  kubeconfigPath?: string;
  /** Give up after this many failed attempts to reach the server (default 4). */
  maxAttempts?: number;
  /** Give up when the cluster is not read in full within this long (ms, default 120 s). */
  timeoutMs?: number;
  /** Progress (status changes), e.g. for a spinner on stderr. */
  onStatus?: (status: ClusterStatus) => void;
  /** Each failed request that is retried (with its delay and attempt). */
  onRetry?: (status: ClusterStatus) => void;
  /** Each list page while the first sync is under way. */
  onProgress?: (progress: ListProgress) => void;
  /** Each warning as it comes (once per cause), e.g. insecure-skip-tls-verify before a failure ends the run. */
  onWarning?: (message: string) => void;
  /** Retry delays (tests). */
  retry?: { initialMs: number; maxMs: number };
  /** Relist delays after a 410 Gone (tests). */
  relist?: { initialMs: number; maxMs: number; resetAfterMs: number };
  /** Items per list page (tests). */
  pageSize?: number;
  /** How the user chooses namespaces, for warnings that suggest it. */
  chooseNamespacesHint?: string;
}

export interface LoadedClusterModel {
  model: NetworkModel;
  /** One line each, e.g. "no permission to list networkpolicies in shop: policy verdicts unknown". */
  warnings: string[];
  /** What could not be read (the model's `unread`; empty: a complete read). */
  unread: readonly UnreadResource[];
  /** Optional APIs the cluster does not serve, one sentence each (not an error). */
  notInstalled: readonly string[];
}

/**
 * Connects, lists everything once, stops watching and returns the model.
 * Rejects with an Error whose message is for the user (what is wrong, what to
 * do; never a credential) and says what happened: how many attempts, how long.
 */
export async function loadClusterModel(opts: LoadClusterOptions): Promise<LoadedClusterModel> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Each request waits at most half the deadline (and 60 s), so that a server
  // that accepts connections but never answers is seen failing before it.
  const requestTimeoutMs = Math.max(1, Math.min(60_000, Math.floor(timeoutMs / 2)));
  // The client library itself is loaded on first use inside the source.
  const source = new ClusterSource({
    allowExecPlugins: opts.allowExecPlugins,
    requestTimeoutMs,
    ...(opts.context !== undefined ? { context: opts.context } : {}),
    ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
    ...(opts.kubeconfigPath !== undefined ? { kubeconfigPath: opts.kubeconfigPath } : {}),
    ...(opts.retry ? { retry: opts.retry } : { retry: { initialMs: 500, maxMs: 4000 } }),
    ...(opts.relist ? { relist: opts.relist } : {}),
    ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}),
    ...(opts.chooseNamespacesHint !== undefined ? { chooseNamespacesHint: opts.chooseNamespacesHint } : {}),
  });
  const maxAttempts = opts.maxAttempts ?? 4;
  let timer: NodeJS.Timeout | undefined;
  /** The last failure (what really went wrong, when the deadline ends a retry). */
  let lastFailure: ClusterStatus | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    if (opts.onStatus) source.on('status', opts.onStatus);
    if (opts.onProgress) source.on('progress', opts.onProgress);
    if (opts.onWarning) source.on('warning', (w) => opts.onWarning?.(w.message));
    source.on('retrying', (s) => {
      lastFailure = s;
      if ((s.attempt ?? 0) >= maxAttempts) {
        reject(new Error(`${s.message} Gave up after ${maxAttempts} attempts.`));
        return;
      }
      opts.onRetry?.(s);
    });
    timer = setTimeout(() => {
      const now = source.status();
      const detail = lastFailure ? lastFailure.message : now.message.replace(/ Retrying\.$/, '');
      reject(new Error(`The cluster was not read in full within ${formatMs(timeoutMs)} (--timeout): ${detail} Gave up.`));
    }, timeoutMs);
  });
  try {
    source.start();
    await Promise.race([source.synced(), gaveUp]);
    const model = source.model();
    return { model, warnings: source.warnings().map((w) => w.message), unread: model.unread ?? [], notInstalled: source.notInstalled() };
  } finally {
    if (timer) clearTimeout(timer);
    source.stop();
  }
}

/**
 * Progress lines on stderr for a slow read, at a bounded rate: nothing in the
 * first `intervalMs`, then at most one line per `intervalMs`, e.g.
 * "kni lint: reading pods: 12,000 so far…".
 */
export class ProgressReporter {
  private readonly started: number;
  private lastLine: number | undefined;

  constructor(
    private readonly command: string,
    private readonly write: (text: string) => void,
    private readonly intervalMs = 2000,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  progress(p: ListProgress): void {
    const t = this.now();
    if (t - this.started < this.intervalMs) return;
    if (this.lastLine !== undefined && t - this.lastLine < this.intervalMs) return;
    this.lastLine = t;
    this.write(`kni ${this.command}: reading ${p.resource}${p.namespace ? ` in ${p.namespace}` : ''}: ${p.items.toLocaleString('en-US')} so far…\n`);
  }
}

export interface ClusterCliOptions {
  /** Progress lines at most this often (ms; default 2 s). */
  progressIntervalMs?: number;
  now?: () => number;
  /** Passed through to loadClusterModel (tests). */
  load?: Partial<LoadClusterOptions>;
}

/**
 * The model of a live cluster for a CLI command: syncs once with the user's
 * own kubeconfig (a CLI run is the user's own act, so exec credential plugins
 * may run), writes the source's warnings, retries and progress to stderr, and
 * reports a failure as a message. Undefined when the cluster could not be read
 * (the message is out).
 */
export async function clusterModelForCli(
  command: string,
  args: ClusterArgs,
  stderr: (text: string) => void,
  cli: ClusterCliOptions = {},
): Promise<LoadedClusterModel | undefined> {
  const maxAttempts = cli.load?.maxAttempts ?? 4;
  const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const progress = new ProgressReporter(command, stderr, cli.progressIntervalMs, cli.now);
  let lastAttempt = 0;
  try {
    const loaded = await loadClusterModel({
      allowExecPlugins: true,
      namespaces: args.namespaces,
      chooseNamespacesHint: 'name the namespaces you may read with --namespace NS',
      timeoutMs,
      maxAttempts,
      onProgress: (p) => progress.progress(p),
      onWarning: (w) => stderr(`kni ${command}: warning: ${terminalSafe(w)}\n`),
      // Several requests fail together (one per resource type): one line per attempt.
      onRetry: (s) => {
        const attempt = s.attempt ?? 0;
        if (attempt <= lastAttempt) return;
        lastAttempt = attempt;
        stderr(`kni ${command}: ${terminalSafe(s.message)} Retrying in ${formatMs(s.retryInMs ?? 0)} (attempt ${attempt} of ${maxAttempts}; giving up after ${formatMs(timeoutMs)} in all, see --timeout).\n`);
      },
      ...(args.context !== undefined ? { context: args.context } : {}),
      ...(args.kubeconfigPath !== undefined ? { kubeconfigPath: args.kubeconfigPath } : {}),
      ...cli.load,
    });
    return loaded;
  } catch (e) {
    stderr(`kni ${command}: ${terminalSafe(e instanceof Error ? e.message : String(e))}\n`);
    return undefined;
  }
}

/** Where a finding about a cluster object points: cluster objects have no file. */
export function clusterObjectLabel(context: string | undefined, object: { kind: string; namespace: string; name: string } | undefined): string {
  const where = `cluster${context ? `:${context}` : ''}`;
  return object ? `${where}/${object.namespace ? `${object.namespace}/` : ''}${object.kind}/${object.name}` : where;
}
