// Loading the user's kubeconfig and choosing a context, with the checks that
// must happen before any request: a credential plugin (exec, or an auth
// provider's cmd-path) runs only when the caller says the workspace is trusted,
// and never from a kubeconfig file inside an untrusted folder (a workspace;
// compared by real path: symlinks resolved, case folded where the file system
// ignores case). An exec plugin's relative command is resolved against the
// folder of the kubeconfig that defines it, as kubectl does; the plugin itself
// is run by credentials.ts, not by the client library.
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ExecConfig } from './credentials';

export interface KubeconfigOptions {
  /** A context name; default: the kubeconfig's current-context. */
  context?: string;
  /** A kubeconfig file; default: $KUBECONFIG (a path list) or ~/.kube/config. */
  kubeconfigPath?: string;
  /** Run exec credential plugins (only when the workspace is trusted). */
  allowExecPlugins: boolean;
  /** Folders (e.g. the open workspace) whose kubeconfig files may never run a plugin. */
  untrustedRoots?: string[];
}

export type ConfigProblem = 'no-kubeconfig' | 'invalid-kubeconfig' | 'no-context' | 'exec-refused';

/** A problem the user must fix before any request can be made (no retry helps). */
export class ClusterConfigError extends Error {
  constructor(
    readonly problem: ConfigProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ClusterConfigError';
  }
}

export interface LoadedKubeconfig {
  kc: KubeConfig;
  files: string[];
  context: string;
  /** The context's namespace, or 'default'. */
  namespace: string;
  cluster: Cluster;
  user: User;
  /** The credential plugin command the user runs, if any. */
  plugin?: string;
  /** The user's exec plugin, run by credentials.ts (the client library's user entry has it removed). */
  exec?: ExecConfig;
  /** The cluster sets insecure-skip-tls-verify: the server's certificate is not checked. */
  insecure: boolean;
  /** Secret strings from the user entry (never to appear in a message). */
  secrets: string[];
}

/** The kubeconfig files kubectl would read, in order (missing ones in $KUBECONFIG are skipped as kubectl does). */
export function kubeconfigFiles(explicit?: string): string[] {
  if (explicit) return [resolve(explicit)];
  const env = process.env.KUBECONFIG;
  if (env && env.length > 0) {
    return env
      .split(delimiter)
      .filter((f) => f.length > 0)
      .map((f) => resolve(f))
      .filter((f) => existsSync(f));
  }
  const def = join(homedir(), '.kube', 'config');
  return existsSync(def) ? [def] : [];
}

/** Loads and checks the kubeconfig (the client library is loaded here, on first use). */
export async function loadKubeconfig(opts: KubeconfigOptions): Promise<LoadedKubeconfig> {
  // The config module alone: it carries the authenticators but not the generated
  // API clients (857 KB minified instead of 3.6 MB in a bundle). client-node is
  // pinned to ~1.4 in package.json, whose layout this path follows.
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
  const files = kubeconfigFiles(opts.kubeconfigPath);
  if (files.length === 0) {
    const where = opts.kubeconfigPath ?? (process.env.KUBECONFIG ? `KUBECONFIG (${process.env.KUBECONFIG})` : '~/.kube/config');
    throw new ClusterConfigError(
      'no-kubeconfig',
      `No kubeconfig found at ${where}. Create one with your cluster's CLI (e.g. \`aws eks update-kubeconfig\`, \`gcloud container clusters get-credentials\`, \`az aks get-credentials\`, \`kind export kubeconfig\`) or set KUBECONFIG.`,
    );
  }
  const kc = new KubeConfig();
  const perFile: KubeConfig[] = [];
  for (const file of files) {
    const one = new KubeConfig();
    try {
      // Like kubectl, an invalid entry the chosen context does not use is no error.
      one.loadFromFile(file, { onInvalidEntry: 'filter' });
    } catch (err) {
      throw new ClusterConfigError('invalid-kubeconfig', `Cannot read kubeconfig ${file}: ${firstLine(err)}. Fix the file or point KUBECONFIG elsewhere.`);
    }
    perFile.push(one);
  }
  // kubectl's merge rule: the first file that defines a name wins.
  kc.loadFromOptions({
    clusters: dedupe(perFile.flatMap((k) => k.clusters ?? [])),
    users: dedupe(perFile.flatMap((k) => k.users ?? [])),
    contexts: dedupe(perFile.flatMap((k) => k.contexts ?? [])),
    currentContext: perFile.find((k) => k.currentContext)?.currentContext ?? '',
  });

  const context = opts.context ?? kc.getCurrentContext();
  const ctx = context ? kc.getContextObject(context) : null;
  if (!ctx) {
    const names = kc.getContexts().map((c) => c.name);
    throw new ClusterConfigError(
      'no-context',
      context
        ? `Context "${context}" is not in the kubeconfig (${files.join(', ')}). Known contexts: ${names.join(', ') || 'none'}.`
        : `The kubeconfig (${files.join(', ')}) has no current-context. Choose one with --context (known: ${names.join(', ') || 'none'}) or run \`kubectl config use-context NAME\`.`,
    );
  }
  kc.setCurrentContext(ctx.name);
  const cluster = kc.getCluster(ctx.cluster);
  const user = kc.getUser(ctx.user) ?? { name: ctx.user };
  if (!cluster) {
    throw new ClusterConfigError('invalid-kubeconfig', `Context "${ctx.name}" names cluster "${ctx.cluster}", which the kubeconfig (${files.join(', ')}) does not define (or defines without a server).`);
  }
  const plugin = credentialPlugin(user);
  const definedIn: string | undefined = files[perFile.findIndex((k) => (k.users ?? []).some((u) => u.name === user.name))];
  if (plugin !== undefined) {
    if (!opts.allowExecPlugins) {
      throw new ClusterConfigError(
        'exec-refused',
        `The kubeconfig user "${user.name}" of context "${ctx.name}" logs in by running a credential plugin (\`${plugin}\`). It was not run because this workspace is not trusted: trust the workspace to connect to this cluster.`,
      );
    }
    const root = definedIn && (opts.untrustedRoots ?? []).find((r) => isInsideReal(definedIn, r));
    if (root) {
      throw new ClusterConfigError(
        'exec-refused',
        `The kubeconfig user "${user.name}" is defined in ${definedIn}, inside ${root}, and runs a credential plugin (\`${plugin}\`). Plugins run only from your own kubeconfig: move the entry to ~/.kube/config or another file outside the workspace.`,
      );
    }
  }
  const exec = execConfig(user, definedIn);
  // kubectl's `tokenFile` (the client library knows only `token-file`): read
  // at every load, so a rotated token is picked up when a 401 reloads.
  const fromFile = !user.token && !exec && definedIn ? tokenFromFile(definedIn, user.name) : undefined;
  if (exec || fromFile !== undefined) {
    // The plugin is ours to run (and to keep its credential for the run): the client library gets the user without it.
    kc.loadFromOptions({
      clusters: kc.clusters,
      users: kc.users.map((u) => (u.name !== user.name ? u : exec ? { ...u, exec: undefined } : { ...u, token: fromFile })),
      contexts: kc.contexts,
      currentContext: ctx.name,
    });
  }
  return {
    kc,
    files,
    context: ctx.name,
    namespace: ctx.namespace || 'default',
    cluster,
    user,
    ...(plugin !== undefined ? { plugin: exec?.command ?? plugin } : {}),
    ...(exec ? { exec } : {}),
    insecure: cluster.skipTLSVerify === true,
    secrets: [...userSecrets(user), ...(fromFile ? [fromFile] : [])],
  };
}

/** The token in the file a user's `tokenFile` names (relative to the kubeconfig's folder), or undefined. */
function tokenFromFile(kubeconfig: string, userName: string): string | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(kubeconfig, 'utf8'));
  } catch {
    return undefined;
  }
  const users = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return undefined;
  const entry = users.find((u: unknown) => (u as { name?: unknown } | null)?.name === userName) as { user?: { tokenFile?: unknown } } | undefined;
  const file = entry?.user?.tokenFile;
  if (typeof file !== 'string' || file.length === 0) return undefined;
  try {
    return readFileSync(resolve(dirname(kubeconfig), file), 'utf8').trim() || undefined;
  } catch (err) {
    throw new ClusterConfigError('invalid-kubeconfig', `Cannot read the token file ${file} of kubeconfig user "${userName}" (${(err as NodeJS.ErrnoException).code ?? firstLine(err)}).`);
  }
}

/**
 * The user's `exec` entry. A command with a path separator that is not
 * absolute is relative to the folder of the kubeconfig file defining the user
 * (kubectl's rule); a bare name is looked up on PATH.
 */
export function execConfig(user: User, definedIn: string | undefined): ExecConfig | undefined {
  const e = user.exec as Record<string, unknown> | undefined;
  if (!e || typeof e.command !== 'string' || e.command.length === 0) return undefined;
  let command = e.command;
  const hasSeparator = command.includes('/') || (sep === '\\' && command.includes('\\'));
  if (hasSeparator && !isAbsolute(command) && definedIn) command = resolve(dirname(definedIn), command);
  const args = Array.isArray(e.args) ? e.args.map(String) : [];
  const env = Array.isArray(e.env)
    ? e.env.flatMap((v: unknown) => {
        const o = v as { name?: unknown; value?: unknown } | null;
        return o && typeof o.name === 'string' ? [{ name: o.name, value: typeof o.value === 'string' ? o.value : String(o.value ?? '') }] : [];
      })
    : [];
  return {
    command,
    args,
    env,
    apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : 'client.authentication.k8s.io/v1',
    ...(typeof e.installHint === 'string' ? { installHint: e.installHint } : {}),
    provideClusterInfo: e.provideClusterInfo === true,
  };
}

/** The command a user entry runs to get credentials, or undefined when it runs none. */
export function credentialPlugin(user: User): string | undefined {
  const exec = user.exec as { command?: unknown } | undefined;
  if (exec) return typeof exec.command === 'string' ? exec.command : 'exec';
  const ap = user.authProvider as { name?: unknown; config?: Record<string, unknown> } | undefined;
  if (!ap) return undefined;
  const cfg = ap.config ?? {};
  const nested = cfg.exec as { command?: unknown } | undefined;
  if (ap.name === 'exec' || nested) return typeof nested?.command === 'string' ? nested.command : 'exec';
  // The gcp and azure auth providers run cmd-path to refresh their token.
  if (typeof cfg['cmd-path'] === 'string') return cfg['cmd-path'];
  return undefined;
}

/** How to log in again after the API server rejected the credentials (401). */
export function loginHint(loaded: Pick<LoadedKubeconfig, 'user' | 'plugin' | 'context'>): string {
  const { user, plugin } = loaded;
  const p = plugin ?? '';
  const base = p.split(/[\\/]/).pop() ?? p;
  if (/^aws(-iam-authenticator)?(\.exe)?$/.test(base)) return 'Log in to AWS again (e.g. `aws sso login`, or refresh your AWS credentials), then the inspector reconnects.';
  if (/gke-gcloud-auth-plugin|gcloud/.test(base)) return 'Log in to Google Cloud again (`gcloud auth login`), then the inspector reconnects.';
  if (/kubelogin/.test(base)) return 'Log in to Azure again (`az login`, which kubelogin uses), then the inspector reconnects.';
  if (/oidc-login|kubectl/.test(base)) return 'Log in again through your OIDC provider (`kubectl oidc-login`), then the inspector reconnects.';
  if (p) return `Check that \`${p}\` can still log you in (run it, or your cloud CLI's login), then the inspector reconnects.`;
  const ap = user.authProvider as { name?: unknown } | undefined;
  if (ap?.name === 'oidc') return 'Your OIDC token expired: log in again through your identity provider and refresh the kubeconfig.';
  if (user.token || (user as { tokenFile?: string }).tokenFile) return `The bearer token of kubeconfig user "${user.name}" was rejected: get a new token and update the kubeconfig.`;
  if (user.certData || user.certFile) return `The client certificate of kubeconfig user "${user.name}" was rejected (expired or revoked?): get a fresh kubeconfig from your cluster's provider.`;
  return `Refresh the credentials of kubeconfig user "${user.name}" (context "${loaded.context}"), e.g. by re-running your cloud CLI's get-credentials command.`;
}

function userSecrets(user: User): string[] {
  const out: string[] = [];
  for (const v of [user.token, user.password, user.keyData]) if (typeof v === 'string' && v.length >= 4) out.push(v);
  const cfg = (user.authProvider as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  for (const k of ['access-token', 'id-token', 'refresh-token', 'client-secret']) {
    const v = cfg[k];
    if (typeof v === 'string' && v.length >= 4) out.push(v);
  }
  return out;
}

function dedupe<T extends { name: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((x) => (x && !seen.has(x.name) ? (seen.add(x.name), true) : false));
}

/**
 * Whether `file` is `root` or under it, by real path: a symlink into the
 * workspace (or out of it) counts where it points, and on a file system that
 * ignores case (macOS, Windows) "/Users/Me/ws" is "/users/me/WS".
 */
export function isInsideReal(file: string, root: string, caseInsensitive?: boolean): boolean {
  const f = realPath(file);
  const r = realPath(root);
  const fold = caseInsensitive ?? ignoresCase(r);
  return isInside(fold ? f.toLowerCase() : f, fold ? r.toLowerCase() : r);
}

export function isInside(file: string, root: string): boolean {
  const r = resolve(root);
  return file === r || file.startsWith(r.endsWith(sep) ? r : r + sep);
}

function realPath(p: string): string {
  try {
    return realpathSync.native(resolve(p));
  } catch {
    return resolve(p);
  }
}

/** Whether the file system at `dir` ignores case: the same directory answers to its name in the other case. */
function ignoresCase(dir: string): boolean {
  const swapped = dir.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  if (swapped === dir) return process.platform === 'win32' || process.platform === 'darwin';
  try {
    const a = statSync(dir);
    const b = statSync(swapped);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0];
}
