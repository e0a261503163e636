// Requests to the API server through the client library's configured TLS agent
// and authentication (KubeConfig.applyToHTTPSOptions: CA, client certificate,
// bearer token, exec plugin), but with our own HTTP handling: gzip, plain
// JSON.parse of one page at a time (the typed deserializer of the generated
// client is what makes a large list slow), and watch streams read line by line.
// The request options are worked out once per credential (not per request), an
// exec plugin's credential is kept for the run (credentials.ts), and a 401
// refreshes the credentials once (the plugin runs again, a token file is read
// again) and repeats the request before it counts as a rejection.
// Every message that leaves this module is scrubbed of credentials.
import * as http from 'node:http';
import * as https from 'node:https';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { loadKubeconfig, type KubeconfigOptions, type LoadedKubeconfig } from './kubeconfig';
import { ExecCredentials } from './credentials';
import type { Raw } from './convert';

export type ErrorKind = 'unreachable' | 'tls' | 'unauthorized' | 'forbidden' | 'gone' | 'notfound' | 'server' | 'timeout' | 'credentials' | 'protocol';

/** A failed request: `kind` decides what we do; `message` is safe to show (no credentials). */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Removes credentials from text: known secrets, bearer tokens, JWTs, PEM blocks. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    return out
      .replace(/(bearer|basic)\s+[^\s"',;]+/gi, '$1 [redacted]')
      .replace(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, '[redacted]')
      .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g, '[redacted]');
  }
}

export interface WatchEvent {
  type: string;
  object: Raw;
}

export interface WatchHandle {
  close(): void;
}

export interface TransportOptions extends KubeconfigOptions {
  /** Per-request timeout for lists and discovery (ms). */
  requestTimeoutMs?: number;
}

export class Transport {
  readonly redactor = new Redactor();
  private stale = false;
  /** The options every request shares (TLS, headers), worked out once per credential. */
  private base: https.RequestOptions | undefined;
  /** The exec plugin's credential, kept for the run. */
  private execCredentials: ExecCredentials | undefined;
  /** Bumped by each refresh after a 401: a request knows which credential it carried. */
  private generation = 0;
  /** The credentials were refreshed after a 401 and no request has succeeded since: another 401 is final. */
  private refreshedSinceSuccess = false;
  private refreshing: Promise<void> | undefined;
  private reloading: Promise<void> | undefined;
  /** Bumped whenever the configuration or credentials are replaced: options worked out before are stale. */
  private configVersion = 0;

  private constructor(
    private readonly opts: TransportOptions,
    private loaded: LoadedKubeconfig,
  ) {
    this.adopt(loaded);
  }

  /** Loads the kubeconfig; throws ClusterConfigError when the user must fix something first. */
  static async create(opts: TransportOptions): Promise<Transport> {
    return new Transport(opts, await loadKubeconfig(opts));
  }

  get config(): LoadedKubeconfig {
    return this.loaded;
  }

  get server(): string {
    return this.loaded.cluster.server;
  }

  /** Reload the kubeconfig and get new credentials before the next request (after a 401: the user may have logged in again). */
  invalidate(): void {
    this.stale = true;
    this.base = undefined;
    this.configVersion++;
    this.execCredentials?.invalidate();
  }

  private adopt(loaded: LoadedKubeconfig): void {
    this.loaded = loaded;
    this.base = undefined;
    this.configVersion++;
    for (const s of loaded.secrets) this.redactor.add(s);
    this.execCredentials = loaded.exec ? new ExecCredentials(loaded.exec, { server: loaded.cluster.server, ...(loaded.cluster.caData ? { caData: loaded.cluster.caData } : {}) }) : undefined;
  }

  /**
   * A 401 on a request made with credential `generation`: refreshes once
   * (single flight) and says whether to repeat the request.
   */
  private async refreshAfter401(generation: number): Promise<boolean> {
    if (generation !== this.generation) return true; // another request refreshed meanwhile
    if (this.refreshedSinceSuccess) return false;
    this.refreshedSinceSuccess = true;
    this.refreshing ??= (async () => {
      this.generation++;
      this.invalidate();
    })().finally(() => (this.refreshing = undefined));
    await this.refreshing;
    return true;
  }

  private async requestOptions(): Promise<https.RequestOptions> {
    if (this.stale) {
      // One reload for all the requests that find the configuration stale.
      this.stale = false;
      this.reloading = loadKubeconfig(this.opts)
        .then((loaded) => this.adopt(loaded))
        .finally(() => (this.reloading = undefined));
    }
    if (this.reloading) await this.reloading;
    let base = this.base;
    if (!base) {
      const version = this.configVersion;
      base = {};
      try {
        await this.loaded.kc.applyToHTTPSOptions(base);
      } catch (err) {
        throw this.credentialsError(err);
      }
      // Worked out from a configuration replaced meanwhile: used once, not kept.
      if (version === this.configVersion) this.base = base;
    }
    const opts: https.RequestOptions = { ...base, headers: { ...(base.headers ?? {}) } };
    if (this.execCredentials) {
      let cred;
      try {
        cred = await this.execCredentials.get();
      } catch (err) {
        throw this.credentialsError(err);
      }
      if (cred.token) (opts.headers as Record<string, string>).Authorization = `Bearer ${cred.token}`;
      if (cred.clientCertificateData && cred.clientKeyData) {
        opts.cert = cred.clientCertificateData;
        opts.key = cred.clientKeyData;
      }
    }
    const h = (opts.headers ?? {}) as Record<string, unknown>;
    const auth = h.Authorization ?? h.authorization;
    if (typeof auth === 'string') this.redactor.add(auth.replace(/^\S+\s+/, ''));
    if (typeof opts.auth === 'string') this.redactor.add(opts.auth.split(':').slice(1).join(':'));
    if (typeof opts.key === 'string') this.redactor.add(opts.key);
    // The client library makes a new Agent per call (a new TLS context and
    // connection per request). Over HTTPS without a proxy, keep one keep-alive
    // Agent with the same TLS settings while they do not change.
    if (this.loaded.cluster.server.startsWith('https:') && !this.loaded.cluster.proxyUrl) opts.agent = this.sharedAgent(opts);
    return opts;
  }

  private credentialsError(err: unknown): ApiError {
    const why = this.redactor.redact(errText(err)).trim().split('\n')[0] || 'it failed';
    return new ApiError('credentials', `Getting credentials for user "${this.loaded.user.name}" failed: ${why}`);
  }

  private agent: { key: string; agent: https.Agent } | undefined;

  private sharedAgent(opts: https.RequestOptions): https.Agent {
    const tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      servername: opts.servername,
      ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
    };
    const key = JSON.stringify(Object.values(tls).map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v === undefined ? null : String(v))));
    if (this.agent?.key !== key) {
      this.agent?.agent.destroy();
      this.agent = { key, agent: new https.Agent({ ...tls, keepAlive: true, maxFreeSockets: 4 }) };
    }
    return this.agent.agent;
  }

  /** Closes idle keep-alive connections (the source was stopped). */
  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
  }

  private url(path: string, query: Record<string, string | number | boolean | undefined>): URL {
    const base = this.loaded.cluster.server.replace(/\/+$/, '');
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private async open(url: URL, timeoutMs: number | undefined, signal?: AbortSignal, retried = false, refreshed = false): Promise<http.IncomingMessage> {
    const generation = this.generation;
    const opts = await this.requestOptions();
    const mod = url.protocol === 'http:' ? http : https;
    const headers = { ...(opts.headers ?? {}), Accept: 'application/json', 'Accept-Encoding': 'gzip', 'User-Agent': 'kni/cluster-source' };
    const res = await new Promise<http.IncomingMessage>((resolvePromise, reject) => {
      const req = mod.request(url, { ...opts, method: 'GET', headers, ...(signal ? { signal } : {}) }, resolvePromise);
      if (timeoutMs !== undefined) {
        req.setTimeout(timeoutMs, () => req.destroy(new ApiError('timeout', `No answer from the Kubernetes API server at ${url.host} within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}.`)));
      }
      req.on('error', (err) => {
        // A kept-alive connection the server closed meanwhile: one immediate retry (a GET is idempotent).
        if (!retried && req.reusedSocket && (err as { code?: string }).code === 'ECONNRESET') {
          this.open(url, timeoutMs, signal, true).then(resolvePromise, reject);
          return;
        }
        reject(this.networkError(err, url));
      });
      req.end();
    });
    if (res.statusCode === 401 && !refreshed && (await this.refreshAfter401(generation))) {
      res.resume();
      return this.open(url, timeoutMs, signal, retried, true);
    }
    if (res.statusCode !== undefined && res.statusCode < 400) this.refreshedSinceSuccess = false;
    return res;
  }

  /**
   * GET a JSON document (a list page, a discovery document). `beforeParse` sees
   * the text of a 200 answer first and may return a shorter text to parse (the
   * informer starts the next page's request from it, so the server works while
   * we parse, and cuts managedFields out).
   */
  async getJson(path: string, query: Record<string, string | number | boolean | undefined> = {}, beforeParse?: (text: string) => string): Promise<Raw> {
    const url = this.url(path, query);
    const res = await this.open(url, this.opts.requestTimeoutMs ?? 60_000);
    const body = await readAll(decoded(res)).catch((err) => {
      throw this.networkError(err, url);
    });
    if (res.statusCode !== 200) throw this.statusError(res.statusCode ?? 0, body, url);
    const text = beforeParse ? beforeParse(body) : body;
    try {
      return JSON.parse(text) as Raw;
    } catch {
      throw new ApiError('protocol', `${describe(url)}: the server at ${url.host} did not answer with JSON (is this a Kubernetes API server?)`);
    }
  }

  /**
   * Opens a watch stream; `onEvent` gets each event, `onEnd` once when the
   * stream ends (undefined: closed normally) or fails.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (e: WatchEvent) => void,
    onEnd: (err?: ApiError) => void,
    idleTimeoutMs: number,
  ): Promise<WatchHandle> {
    const url = this.url(path, { ...query, watch: true });
    const ac = new AbortController();
    let ended = false;
    const end = (err?: ApiError): void => {
      if (ended) return;
      ended = true;
      ac.abort();
      onEnd(err);
    };
    const handle: WatchHandle = { close: () => end() };
    let res: http.IncomingMessage;
    try {
      res = await this.open(url, undefined, ac.signal);
    } catch (err) {
      throw err instanceof ApiError ? err : this.networkError(err, url);
    }
    if (res.statusCode !== 200) {
      const body = await readAll(decoded(res)).catch(() => '');
      throw this.statusError(res.statusCode ?? 0, body, url);
    }
    res.socket?.setKeepAlive(true, 30_000);
    const stream = decoded(res);
    stream.setEncoding('utf8');
    let buf = '';
    let idle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => end(new ApiError('timeout', `The Kubernetes API server at ${url.host} stopped sending watch data.`)), idleTimeoutMs);
      idle.unref?.();
    };
    arm();
    stream.on('data', (chunk: string) => {
      if (ended) return;
      arm();
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line.length === 0) continue;
        let e: WatchEvent;
        try {
          e = JSON.parse(line) as WatchEvent;
        } catch {
          end(new ApiError('protocol', `${describe(url)}: a watch event was not JSON`));
          return;
        }
        onEvent(e);
        if (ended) return;
      }
    });
    const finish = (err?: unknown): void => {
      if (idle) clearTimeout(idle);
      end(err && !ended ? this.networkError(err, url) : undefined);
    };
    stream.on('end', () => finish());
    stream.on('error', (err) => finish(err));
    res.on('close', () => finish());
    return handle;
  }

  private statusError(status: number, body: string, url: URL): ApiError {
    let reason = '';
    let message = '';
    try {
      const s = JSON.parse(body) as Raw;
      reason = typeof s.reason === 'string' ? s.reason : '';
      message = typeof s.message === 'string' ? s.message : '';
    } catch {
      message = body.slice(0, 200);
    }
    const what = `${describe(url)}: ${status}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`;
    const kind: ErrorKind =
      status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 410 ? 'gone' : status === 404 ? 'notfound' : 'server';
    return new ApiError(kind, this.redactor.redact(what), status);
  }

  networkError(err: unknown, url: URL): ApiError {
    if (err instanceof ApiError) return err;
    const code = (err as { code?: string })?.code;
    const text = this.redactor.redact(errText(err));
    if (code && /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
      return new ApiError('tls', `The API server ${url.host} presented a certificate that is not trusted (${code}): check certificate-authority of cluster "${this.loaded.cluster.name}" in the kubeconfig.`, undefined, code);
    }
    if (code === 'ABORT_ERR') return new ApiError('unreachable', `${describe(url)}: request aborted`, undefined, code);
    return new ApiError('unreachable', `Cannot reach the Kubernetes API server at ${url.host} (${code ?? text}).`, undefined, code);
  }
}

function decoded(res: http.IncomingMessage): Readable {
  return res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
}

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

/** "list pods", "watch networkpolicies in shop", from the path (for messages). */
function describe(url: URL): string {
  const verb = url.searchParams.get('watch') === 'true' ? 'watch' : 'GET';
  const m = /\/namespaces\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (m) return `${verb === 'GET' ? 'list' : verb} ${m[2]} in ${m[1]}`;
  const last = url.pathname.split('/').filter(Boolean);
  if (/^\/apis?(\/[^/]+){0,2}$/.test(url.pathname) && !url.searchParams.has('limit')) return `discovery ${url.pathname}`;
  return `${verb === 'GET' ? 'list' : verb} ${last[last.length - 1] ?? url.pathname}`;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
