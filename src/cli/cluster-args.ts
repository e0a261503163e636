// `--cluster [--context C] [--namespace NS]... [--kubeconfig FILE]` for `kni lint`
// and `kni trace`: read the model from a live cluster instead of files. The
// CLI syncs once and stops watching. A command line is the user's own
// action in their own shell, so exec credential plugins (aws, gcloud, kubelogin)
// run, as they do for kubectl.
import type { NetworkModel } from '../core/model/types';
import { ClusterSource, type ClusterStatus } from '../core/source/cluster';
import { terminalSafe } from '../core/text/terminal-safe';

export interface ClusterArgs {
  context?: string;
  /** Empty: all namespaces. */
  namespaces: string[];
  kubeconfigPath?: string;
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
`;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Takes the cluster flags out of `argv` when `--cluster` is among them. */
export function parseClusterArgs(argv: string[]): ParsedClusterArgs {
  const dashdash = argv.indexOf('--');
  const flags = dashdash < 0 ? argv : argv.slice(0, dashdash);
  if (!flags.includes('--cluster')) return { rest: [...argv] };
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
          if (!NAMESPACE.test(ns) || ns.length > 63) return { rest, error: `"${ns}" is not a namespace name` };
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
  /** Give up after this long (ms, default 120 s). */
  timeoutMs?: number;
  /** Progress (status changes), e.g. for a spinner on stderr. */
  onStatus?: (status: ClusterStatus) => void;
  /** Retry delays (tests). */
  retry?: { initialMs: number; maxMs: number };
  /** How the user chooses namespaces, for warnings that suggest it. */
  chooseNamespacesHint?: string;
}

export interface LoadedClusterModel {
  model: NetworkModel;
  /** One line each, e.g. "no permission to list networkpolicies in shop: policy verdicts unknown". */
  warnings: string[];
}

/**
 * Connects, lists everything once, stops watching and returns the model.
 * Rejects with an Error whose message is for the user (what is wrong, what to
 * do; never a credential).
 */
export async function loadClusterModel(opts: LoadClusterOptions): Promise<LoadedClusterModel> {
  // The client library itself is loaded on first use inside the source.
  const source = new ClusterSource({
    allowExecPlugins: opts.allowExecPlugins,
    ...(opts.context !== undefined ? { context: opts.context } : {}),
    ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
    ...(opts.kubeconfigPath !== undefined ? { kubeconfigPath: opts.kubeconfigPath } : {}),
    ...(opts.retry ? { retry: opts.retry } : { retry: { initialMs: 500, maxMs: 4000 } }),
    ...(opts.chooseNamespacesHint !== undefined ? { chooseNamespacesHint: opts.chooseNamespacesHint } : {}),
  });
  const maxAttempts = opts.maxAttempts ?? 4;
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    if (opts.onStatus) source.on('status', opts.onStatus);
    // Status events come on changes only; the attempt count is read here.
    poll = setInterval(() => {
      const s = source.status();
      if (s.state === 'connecting' && (s.attempt ?? 0) >= maxAttempts) reject(new Error(s.message.replace(/ Retrying\.$/, '')));
    }, 50);
    timer = setTimeout(() => reject(new Error(`The cluster did not answer within ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s: ${source.status().message}`)), opts.timeoutMs ?? 120_000);
  });
  try {
    source.start();
    await Promise.race([source.synced(), gaveUp]);
    return { model: source.model(), warnings: source.warnings().map((w) => w.message) };
  } finally {
    if (timer) clearTimeout(timer);
    if (poll) clearInterval(poll);
    source.stop();
  }
}

/**
 * The model of a live cluster for a CLI command: syncs once with the user's
 * own kubeconfig (a CLI run is the user's own act, so exec credential plugins
 * may run), writes the source's warnings to stderr, and reports a failure as a
 * message. Undefined when the cluster could not be read (the message is out).
 */
export async function clusterModelForCli(
  command: string,
  args: ClusterArgs,
  stderr: (text: string) => void,
): Promise<LoadedClusterModel | undefined> {
  try {
    const loaded = await loadClusterModel({
      allowExecPlugins: true,
      namespaces: args.namespaces,
      chooseNamespacesHint: 'name the namespaces you may read with --namespace NS',
      ...(args.context !== undefined ? { context: args.context } : {}),
      ...(args.kubeconfigPath !== undefined ? { kubeconfigPath: args.kubeconfigPath } : {}),
    });
    for (const w of loaded.warnings) stderr(`kni ${command}: warning: ${terminalSafe(w)}\n`);
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
