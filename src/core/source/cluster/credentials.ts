// Exec credential plugins (client.authentication.k8s.io), run by us rather
// than by the client library, which runs a plugin that sets no
// expirationTimestamp again for every request (19 runs in one lint, 114 on a
// paged 20,000-Pod cluster). As client-go does, a credential is kept for the
// run: until its expirationTimestamp (when set) or until the API server
// rejects it (401), whichever comes first.
import { spawn } from 'node:child_process';

/** The `exec` entry of a kubeconfig user, with `command` already resolved (see kubeconfig.ts). */
export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  installHint?: string;
  provideClusterInfo: boolean;
}

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** ms since the epoch; undefined: valid until the server rejects it. */
  expiresAt?: number;
}

/** A credential is renewed this long before it expires (a request in flight must not carry a stale one). */
const EXPIRY_MARGIN_MS = 10_000;

export class ExecCredentials {
  private cached: ExecCredential | undefined;
  private pending: Promise<ExecCredential> | undefined;

  constructor(
    private readonly exec: ExecConfig,
    private readonly cluster: { server: string; caData?: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** The credential for the next request: the kept one while valid, else a new run (one at a time). */
  async get(): Promise<ExecCredential> {
    const c = this.cached;
    if (c && (c.expiresAt === undefined || c.expiresAt - this.now() > EXPIRY_MARGIN_MS)) return c;
    this.pending ??= this.run().finally(() => (this.pending = undefined));
    const fresh = await this.pending;
    this.cached = fresh;
    return fresh;
  }

  /** The server rejected the credential: the next `get` runs the plugin again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private run(): Promise<ExecCredential> {
    const { command, args, env, apiVersion, installHint, provideClusterInfo } = this.exec;
    const spec: Record<string, unknown> = { interactive: false };
    if (provideClusterInfo) spec.cluster = { server: this.cluster.server, ...(this.cluster.caData ? { 'certificate-authority-data': this.cluster.caData } : {}) };
    const childEnv: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion, kind: 'ExecCredential', spec }) };
    for (const e of env) childEnv[e.name] = e.value;
    return new Promise<ExecCredential>((resolvePromise, reject) => {
      // No shell: the command and its arguments as written in the kubeconfig.
      const child = spawn(command, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (err: NodeJS.ErrnoException) => {
        const hint = installHint ? ` ${installHint.trim()}` : '';
        reject(new Error(err.code === 'ENOENT' ? `the credential plugin \`${command}\` was not found.${hint}` : `the credential plugin \`${command}\` could not run (${err.code ?? err.message}).${hint}`));
      });
      child.on('close', (code) => {
        if (code !== 0) {
          reject(new Error(stderr.trim() || `the credential plugin \`${command}\` exited with code ${code}`));
          return;
        }
        try {
          resolvePromise(parseExecCredential(stdout, apiVersion));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }
}

/** The `status` of an ExecCredential printed by a plugin. */
export function parseExecCredential(text: string, apiVersion: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('the credential plugin did not print an ExecCredential (not JSON)');
  }
  const o = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  if (o.kind !== 'ExecCredential') throw new Error(`the credential plugin printed kind ${JSON.stringify(o.kind)}, not ExecCredential`);
  if (typeof o.apiVersion === 'string' && o.apiVersion !== apiVersion) {
    throw new Error(`the credential plugin answered apiVersion ${o.apiVersion}; the kubeconfig asks for ${apiVersion}`);
  }
  const status = typeof o.status === 'object' && o.status !== null ? (o.status as Record<string, unknown>) : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const token = str(status.token);
  const cert = str(status.clientCertificateData);
  const key = str(status.clientKeyData);
  if (!token && !(cert && key)) throw new Error('the credential plugin printed an ExecCredential without a token or a client certificate and key');
  const exp = str(status.expirationTimestamp);
  const expiresAt = exp !== undefined ? Date.parse(exp) : undefined;
  if (expiresAt !== undefined && Number.isNaN(expiresAt)) throw new Error(`the credential plugin printed an expirationTimestamp that is not a time (${exp})`);
  return { ...(token ? { token } : {}), ...(cert ? { clientCertificateData: cert } : {}), ...(key ? { clientKeyData: key } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) };
}
