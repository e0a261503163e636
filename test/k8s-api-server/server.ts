// A Kubernetes-API-compatible test server for 127.0.0.1, enough for
// @kubernetes/client-node and for the cluster source: TLS with its own CA,
// bearer-token auth, discovery, list (resourceVersion, limit/continue paging,
// gzip above 128 KiB as the real server does) and watch (JSON lines of
// {type, object}, resume from a resourceVersion, 410 Expired for compacted
// ones, BOOKMARKs when asked), cluster-wide and namespaced paths, served from
// fixture objects. Tests inject events (add/modify/delete) and faults (close
// watches, compaction → 410, 410 on every continue token or watch, 403 per
// resource/namespace, slow answers, a hang, 401 (always, or the next n), a
// rotated token, stop listening) and read the request log.
//
// Not a real API server: no admission, no field/label selectors, no patch or
// create verbs, one global resourceVersion counter, a bounded event log.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';

export type KObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
};

export interface ServedResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
}

const RESOURCES: ServedResource[] = [
  { group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'services', singular: 'service', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true },
  { group: '', version: 'v1', plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true },
  { group: 'batch', version: 'v1', plural: 'jobs', singular: 'job', kind: 'Job', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', singular: 'ingressclass', kind: 'IngressClass', namespaced: false },
  { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', singular: 'networkpolicy', kind: 'NetworkPolicy', namespaced: true },
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', singular: 'httproute', kind: 'HTTPRoute', namespaced: true },
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gateways', singular: 'gateway', kind: 'Gateway', namespaced: true },
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'referencegrants', singular: 'referencegrant', kind: 'ReferenceGrant', namespaced: true },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', plural: 'adminnetworkpolicies', singular: 'adminnetworkpolicy', kind: 'AdminNetworkPolicy', namespaced: false },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', plural: 'baselineadminnetworkpolicies', singular: 'baselineadminnetworkpolicy', kind: 'BaselineAdminNetworkPolicy', namespaced: false },
  { group: 'policy.networking.k8s.io', version: 'v1alpha2', plural: 'clusternetworkpolicies', singular: 'clusternetworkpolicy', kind: 'ClusterNetworkPolicy', namespaced: false },
];

export interface TestApiServerOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** The bearer token clients must send (default: random). */
  token?: string;
  /** Compress list answers above 128 KiB when the client accepts gzip (default true). */
  gzip?: boolean;
  /** API groups not served (e.g. ['discovery.k8s.io'] for a server without EndpointSlices). */
  disabledGroups?: string[];
  /** Serve the Gateway API CRDs (default: when a fixture is an HTTPRoute or Gateway). */
  gatewayApi?: boolean;
  /** Serve the network-policy-api CRDs, policy.networking.k8s.io (default: when a fixture is one of their kinds). */
  adminPolicyApi?: boolean;
  /** Events kept for watch resume; older resourceVersions get 410 (default 10,000). */
  eventLogSize?: number;
  /** BOOKMARK interval for watches that allow them (ms, default 10 s). */
  bookmarkIntervalMs?: number;
  /** A directory for the TLS files and the kubeconfig (default: a new temp dir). */
  dir?: string;
  /**
   * Serve the control API under /_kni/ (same token; for serve.mjs and other
   * processes): POST /_kni/control with {op: 'add'|'modify', object} |
   * {op: 'remove', kind, namespace, name} | {op: 'patch', kind, namespace, name, patch} (a JSON merge
   * patch, RFC 7386: MODIFIED) | {op: 'closeWatches'|'compact'} |
   * {op: 'forbid'|'allow', plural, namespace?} | {op: 'namespaceRole', namespaces} |
   * {op: 'unauthorized', on} |
   * {op: 'delay', ms} | {op: 'expireContinues'|'expireWatches'|'hang', on} |
   * {op: 'unauthorizedNext', n}; GET /_kni/requests answers the request log.
   */
  control?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  watch: boolean;
  status: number;
  /** The Authorization header was present and right. */
  authorized: boolean;
}

export interface KubeconfigUser {
  /** Leave out certificate-authority (the client then does not trust the server). */
  omitCa?: boolean;
  token?: string;
  /** A file holding the bearer token (kubeconfig `tokenFile`, read again when rotated). */
  tokenFile?: string;
  /** The cluster sets insecure-skip-tls-verify (and no certificate-authority). */
  insecure?: boolean;
  /** The context's namespace (default "default"). */
  namespace?: string;
  exec?: { command: string; args?: string[]; env?: { name: string; value: string }[]; apiVersion?: string; installHint?: string };
}

export interface TestApiServer {
  url: string;
  port: number;
  caFile: string;
  token: string;
  /** A kubeconfig (context "kni-test", namespace "default") pointing at this server with `token`. */
  kubeconfigPath: string;
  /** Every request, in order. */
  requests: RecordedRequest[];
  /** Writes another kubeconfig for this server (another user: a token, an exec plugin). */
  writeKubeconfig(user: KubeconfigUser, name?: string): string;
  add(obj: KObject): KObject;
  modify(obj: KObject): KObject;
  /** Changes a stored object (a copy is passed to `edit`) and sends MODIFIED. */
  update(kind: string, namespace: string, name: string, edit: (o: KObject) => void): KObject;
  remove(kind: string, namespace: string, name: string): KObject | undefined;
  get(kind: string, namespace: string, name: string): KObject | undefined;
  resourceVersion(): number;
  /** Ends every open watch (as a server restart or a load balancer timeout would). */
  closeWatches(): number;
  openWatches(): number;
  /** Forgets the event log: watches from older resourceVersions get 410 Expired. */
  compact(): void;
  /** 403 for this resource (plural) in this namespace (or everywhere when omitted). */
  forbid(plural: string, namespace?: string): void;
  allow(plural: string, namespace?: string): void;
  /**
   * The user's permissions come from RoleBindings in these namespaces only (a
   * namespace-scoped developer role): cluster-scoped types, lists across all
   * namespaces and other namespaces answer 403. Undefined: no such limit.
   */
  namespaceRole(namespaces: string[] | undefined): void;
  /** The next list request with a continue token answers 410 Expired (as after etcd compaction). */
  expireNextContinue(): void;
  /** While on, every list request with a continue token answers 410 Expired (compaction faster than paging). */
  expireContinues(on: boolean): void;
  /** While on, every watch from a resourceVersion gets an ERROR event 410 Expired at once. */
  expireWatches(on: boolean): void;
  /** While on, requests are accepted and never answered (a hung API server); off: the held ones are answered. */
  setHang(on: boolean): void;
  /** Requests held by setHang, waiting. */
  hungRequests(): number;
  /** The next `n` requests answer 401 whatever their credentials (a token that expired mid-run). */
  unauthorizedNext(n: number): void;
  /** The bearer token accepted from now on (a rotated service-account token). */
  setToken(token: string): void;
  /** Every request answers 401 (expired credentials) while on. */
  setUnauthorized(on: boolean): void;
  /** Each answer waits this long first. */
  setDelay(ms: number): void;
  /** Stops accepting connections and drops the open ones (API unreachable). */
  stopListening(): Promise<void>;
  startListening(): Promise<void>;
  close(): Promise<void>;
}

interface Stored {
  obj: KObject;
  /** The object as a list item: no kind/apiVersion (what the real server sends). */
  itemJson?: string;
}

interface Watcher {
  res: ServedResource;
  namespace?: string;
  send(type: string, obj: KObject): void;
  end(): void;
}

interface LoggedEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  res: ServedResource;
  obj: KObject;
}

// ---------------------------------------------------------------- fixtures

/** Reads every .yaml/.yml/.json file under `dir` (recursively); `kind: List` items are flattened. */
export function loadFixtures(dir: string): KObject[] {
  const out: KObject[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        walk(p);
        continue;
      }
      const ext = extname(name);
      if (ext !== '.yaml' && ext !== '.yml' && ext !== '.json') continue;
      const text = readFileSync(p, 'utf8');
      const docs = ext === '.json' ? [JSON.parse(text) as unknown] : parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
      for (const doc of docs) flatten(doc, out, p);
    }
  };
  walk(dir);
  return out;
}

function flatten(doc: unknown, out: KObject[], file: string): void {
  if (doc === null || typeof doc !== 'object') return;
  const o = doc as KObject;
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
    for (const it of o.items) flatten(it, out, file);
    return;
  }
  if (typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') throw new Error(`${file}: an object without kind or metadata.name`);
  out.push(o);
}

// ---------------------------------------------------------------- temp files

const tempDirs: string[] = [];

/**
 * A new directory under the OS temp dir, removed when the process exits (a
 * test server's kubeconfig may still be read after the server is closed, to
 * see the connection refused).
 */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (tempDirs.length === 0) process.once('exit', () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  tempDirs.push(dir);
  return dir;
}

// ---------------------------------------------------------------- TLS

let tlsFiles: { dir: string; caFile: string; keyFile: string; certFile: string } | undefined;

/** A CA and a server certificate for 127.0.0.1/localhost, made once per process with the openssl CLI. */
export function testTls(): { caFile: string; key: Buffer; cert: Buffer } {
  if (!tlsFiles) {
    const dir = testTempDir('kni-k8s-tls-');
    const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3', '-subj', '/CN=kni-test-ca']);
    run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(
      join(dir, 'ext.cnf'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
    );
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '3', '-extfile', 'ext.cnf']);
    tlsFiles = { dir, caFile: join(dir, 'ca.crt'), keyFile: join(dir, 'server.key'), certFile: join(dir, 'server.crt') };
  }
  return { caFile: tlsFiles.caFile, key: readFileSync(tlsFiles.keyFile), cert: readFileSync(tlsFiles.certFile) };
}

// ---------------------------------------------------------------- the server

/** RFC 7386 JSON merge patch: objects merge key by key, null deletes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function uidFor(kind: string, namespace: string, name: string): string {
  const h = createHash('sha1').update(`${kind}/${namespace}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function status(code: number, reason: string, message: string): KObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export async function startTestApiServer(fixtures: string | KObject[], options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const objects = typeof fixtures === 'string' ? loadFixtures(fixtures) : fixtures;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const disabled = new Set(options.disabledGroups ?? []);
  const gateway = options.gatewayApi ?? objects.some((o) => o.kind === 'HTTPRoute' || o.kind === 'Gateway');
  const adminPolicy = options.adminPolicyApi ?? objects.some((o) => ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'].includes(String(o.kind)));
  const served = RESOURCES.filter(
    (r) => !disabled.has(r.group) && (r.group !== 'gateway.networking.k8s.io' || gateway) && (r.group !== 'policy.networking.k8s.io' || adminPolicy),
  );
  const byKind = new Map(served.map((r) => [r.kind, r]));
  const logSize = options.eventLogSize ?? 10_000;
  const gzip = options.gzip ?? true;
  const dir = options.dir ?? testTempDir('kni-k8s-api-');
  const tls = testTls();

  const store = new Map<ServedResource, Map<string, Stored>>(served.map((r) => [r, new Map()]));
  let rv = 1;
  let log: LoggedEvent[] = [];
  let compactedRv = 0;
  const watchers = new Set<Watcher>();
  const snapshots = new Map<string, { items: Stored[]; rv: number }>();
  const forbidden = new Set<string>();
  let roleNamespaces: Set<string> | undefined;
  let unauthorized = false;
  let expireNextContinue = false;
  let expireContinues = false;
  let expireWatches = false;
  let hang = false;
  const hung: (() => void)[] = [];
  let unauthorizedNext = 0;
  let acceptedToken = token;
  let delayMs = 0;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const keyOf = (ns: string, name: string): string => `${ns}/${name}`;
  const resourceOf = (obj: KObject): ServedResource => {
    const r = byKind.get(String(obj.kind));
    if (!r) throw new Error(`the test server does not serve kind ${String(obj.kind)}`);
    return r;
  };

  function write(type: 'ADDED' | 'MODIFIED' | 'DELETED', input: KObject): KObject {
    const res = resourceOf(input);
    const obj = structuredClone(input);
    const meta = (obj.metadata ??= {});
    const name = String(meta.name);
    const ns = res.namespaced ? String(meta.namespace ?? 'default') : '';
    if (res.namespaced) meta.namespace = ns;
    else delete meta.namespace;
    const map = store.get(res) as Map<string, Stored>;
    const prev = map.get(keyOf(ns, name));
    meta.uid ??= (prev?.obj.metadata?.uid as string | undefined) ?? uidFor(res.kind, ns, name);
    meta.creationTimestamp ??= (prev?.obj.metadata?.creationTimestamp as string | undefined) ?? '2026-01-01T00:00:00Z';
    obj.apiVersion ??= res.group ? `${res.group}/${res.version}` : res.version;
    meta.resourceVersion = String(++rv);
    if (type === 'DELETED') map.delete(keyOf(ns, name));
    else map.set(keyOf(ns, name), { obj });
    log.push({ rv, type, res, obj });
    if (log.length > logSize) {
      const drop = log.length - logSize;
      compactedRv = log[drop - 1].rv;
      log = log.slice(drop);
    }
    for (const w of watchers) if (w.res === res && (!w.namespace || w.namespace === ns)) w.send(type, obj);
    return obj;
  }

  for (const o of objects) {
    if (!byKind.has(String(o.kind))) continue;
    write('ADDED', o);
  }
  // Fixtures are the starting state, not history.
  log = [];
  compactedRv = 0;

  function findStored(kind: string, namespace: string, name: string): Stored | undefined {
    const res = byKind.get(kind);
    if (!res) return undefined;
    return store.get(res)?.get(keyOf(res.namespaced ? namespace : '', name));
  }

  function isForbidden(res: ServedResource, ns: string | undefined): boolean {
    if (roleNamespaces && !(res.namespaced && ns !== undefined && roleNamespaces.has(ns))) return true;
    if (forbidden.has(`${res.plural}:*`)) return true;
    if (ns) return forbidden.has(`${res.plural}:${ns}`);
    // A cluster-wide list needs the permission everywhere.
    for (const f of forbidden) if (f.startsWith(`${res.plural}:`)) return true;
    return false;
  }

  function itemJson(s: Stored): string {
    if (s.itemJson === undefined) {
      const { kind: _k, apiVersion: _a, ...rest } = s.obj;
      s.itemJson = JSON.stringify(rest);
    }
    return s.itemJson;
  }

  function discovery(path: string): KObject | undefined {
    if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
    if (path === '/version') return { major: '1', minor: '31', gitVersion: 'v1.31.0-kni-test', platform: 'linux/amd64' };
    if (path === '/apis') {
      const groups = [...new Set(served.filter((r) => r.group).map((r) => r.group))];
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => {
          const versions = [...new Set(served.filter((r) => r.group === g).map((r) => r.version))].map((version) => ({ groupVersion: `${g}/${version}`, version }));
          return { name: g, versions, preferredVersion: versions[0] };
        }),
      };
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const list = served.filter((r) => r.group === group && r.version === version);
    if (list.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources: list.map((r) => ({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'list', 'watch'],
      })),
    };
  }

  function send(res: import('node:http').ServerResponse, code: number, body: KObject | string, acceptsGzip: boolean): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    if (gzip && acceptsGzip && text.length > 128 * 1024) {
      const z = gzipSync(text, { level: 1 });
      res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': z.length });
      res.end(z);
      return;
    }
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  function list(res: ServedResource, ns: string | undefined, q: URLSearchParams): { code: number; body: KObject | string } {
    let snap: { items: Stored[]; rv: number };
    let offset = 0;
    const cont = q.get('continue');
    if (cont && (expireNextContinue || expireContinues)) {
      expireNextContinue = false;
      return { code: 410, body: status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.') };
    }
    if (cont) {
      let parsed: { id?: string; offset?: number } = {};
      try {
        parsed = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { id?: string; offset?: number };
      } catch {
        return { code: 400, body: status(400, 'BadRequest', 'invalid continue token') };
      }
      const s = parsed.id !== undefined ? snapshots.get(parsed.id) : undefined;
      if (!s) return { code: 410, body: status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.') };
      snap = s;
      offset = parsed.offset ?? 0;
    } else {
      const items = [...(store.get(res) as Map<string, Stored>).entries()]
        .filter(([k]) => !ns || k.startsWith(`${ns}/`))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, s]) => s);
      snap = { items, rv };
    }
    const limit = Number(q.get('limit') ?? 0);
    const end = limit > 0 ? Math.min(snap.items.length, offset + limit) : snap.items.length;
    const meta: Record<string, unknown> = { resourceVersion: String(snap.rv) };
    if (end < snap.items.length) {
      let id = cont ? (JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { id: string }).id : undefined;
      if (!id) {
        id = randomBytes(8).toString('hex');
        snapshots.set(id, snap);
      }
      meta.continue = Buffer.from(JSON.stringify({ id, offset: end })).toString('base64url');
      meta.remainingItemCount = snap.items.length - end;
    } else if (cont) {
      const id = (JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { id: string }).id;
      snapshots.delete(id);
    }
    const parts: string[] = [];
    for (let i = offset; i < end; i++) parts.push(itemJson(snap.items[i]));
    const apiVersion = res.group ? `${res.group}/${res.version}` : res.version;
    const body = `{"kind":${JSON.stringify(`${res.kind}List`)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(meta)},"items":[${parts.join(',')}]}`;
    return { code: 200, body };
  }

  function watch(req: import('node:http').IncomingMessage, out: import('node:http').ServerResponse, res: ServedResource, ns: string | undefined, q: URLSearchParams): void {
    out.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    out.flushHeaders();
    let open = true;
    const line = (type: string, obj: KObject): void => {
      if (open) out.write(`${JSON.stringify({ type, object: obj })}\n`);
    };
    const w: Watcher = {
      res,
      ...(ns ? { namespace: ns } : {}),
      send: line,
      end: () => {
        if (!open) return;
        open = false;
        watchers.delete(w);
        clearTimeout(timeout);
        clearInterval(bookmarks);
        out.end();
      },
    };
    const from = q.get('resourceVersion');
    if (!from || from === '0') {
      for (const [k, s] of store.get(res) as Map<string, Stored>) if (!ns || k.startsWith(`${ns}/`)) line('ADDED', s.obj);
    } else {
      const n = Number(from);
      if (!Number.isFinite(n) || n < compactedRv || expireWatches) {
        line('ERROR', status(410, 'Expired', `too old resource version: ${from} (${compactedRv})`));
        out.end();
        return;
      }
      for (const e of log) if (e.rv > n && e.res === res && (!ns || e.obj.metadata?.namespace === ns)) line(e.type, e.obj);
    }
    watchers.add(w);
    const seconds = Number(q.get('timeoutSeconds') ?? 0);
    const timeout = setTimeout(() => w.end(), seconds > 0 ? seconds * 1000 : 30 * 60_000);
    const bookmarks = setInterval(() => {
      if (q.get('allowWatchBookmarks') === 'true') line('BOOKMARK', { kind: res.kind, apiVersion: res.group ? `${res.group}/${res.version}` : res.version, metadata: { resourceVersion: String(rv) } });
    }, options.bookmarkIntervalMs ?? 10_000);
    req.on('close', () => w.end());
  }

  function readBody(req: import('node:http').IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function controlRequest(req: import('node:http').IncomingMessage, out: import('node:http').ServerResponse, path: string): Promise<void> {
    const answer = (code: number, body: unknown): void => send(out, code, JSON.stringify(body), false);
    if (req.headers.authorization !== `Bearer ${token}` && req.headers.authorization !== `Bearer ${acceptedToken}`) return answer(401, { error: 'Unauthorized' });
    if (path === '/_kni/requests') return answer(200, requests);
    if (path !== '/_kni/control' || req.method !== 'POST') return answer(404, { error: `no control endpoint ${req.method} ${path}` });
    const c = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const str = (k: string): string => String(c[k] ?? '');
    switch (c.op) {
      case 'add':
        return answer(200, { object: write('ADDED', c.object as KObject) });
      case 'modify':
        return answer(200, { object: write('MODIFIED', c.object as KObject) });
      case 'patch': {
        const s = findStored(str('kind'), str('namespace'), str('name'));
        if (!s || typeof c.patch !== 'object' || c.patch === null) return answer(s ? 400 : 404, { error: s ? 'patch must be an object' : 'not found' });
        return answer(200, { object: write('MODIFIED', mergePatch(structuredClone(s.obj), c.patch as KObject) as KObject) });
      }
      case 'remove': {
        const s = findStored(str('kind'), str('namespace'), str('name'));
        return answer(s ? 200 : 404, s ? { object: write('DELETED', s.obj) } : { error: 'not found' });
      }
      case 'closeWatches': {
        const n = watchers.size;
        for (const w of [...watchers]) w.end();
        return answer(200, { closed: n });
      }
      case 'compact':
        compactedRv = rv;
        log = [];
        return answer(200, { resourceVersion: rv });
      case 'forbid':
        forbidden.add(`${str('plural')}:${c.namespace ? str('namespace') : '*'}`);
        return answer(200, {});
      case 'allow':
        forbidden.delete(`${str('plural')}:${c.namespace ? str('namespace') : '*'}`);
        return answer(200, {});
      case 'namespaceRole':
        roleNamespaces = Array.isArray(c.namespaces) ? new Set(c.namespaces.map(String)) : undefined;
        return answer(200, {});
      case 'unauthorized':
        unauthorized = c.on === true;
        return answer(200, {});
      case 'delay':
        delayMs = Number(c.ms) || 0;
        return answer(200, {});
      case 'expireContinues':
        expireContinues = c.on === true;
        return answer(200, {});
      case 'expireWatches':
        expireWatches = c.on === true;
        return answer(200, {});
      case 'hang':
        hang = c.on === true;
        if (!hang) for (const r of hung.splice(0)) r();
        return answer(200, {});
      case 'unauthorizedNext':
        unauthorizedNext = Number(c.n) || 0;
        return answer(200, {});
      default:
        return answer(400, { error: `unknown op ${String(c.op)}` });
    }
  }

  async function handle(req: import('node:http').IncomingMessage, out: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (options.control && url.pathname.startsWith('/_kni/')) return controlRequest(req, out, url.pathname);
    const q = url.searchParams;
    const isWatch = q.get('watch') === 'true' || q.get('watch') === '1';
    const auth = req.headers.authorization === `Bearer ${acceptedToken}`;
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(q), watch: isWatch, status: 200, authorized: auth };
    requests.push(record);
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const reply = (code: number, body: KObject | string): void => {
      record.status = code;
      send(out, code, body, acceptsGzip);
    };
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (hang) {
      await new Promise<void>((r) => hung.push(r));
      if (out.destroyed) return;
    }
    if (unauthorizedNext > 0) {
      unauthorizedNext--;
      return reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (!auth || unauthorized) return reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (req.method !== 'GET') return reply(405, status(405, 'MethodNotAllowed', 'the test server only serves GET'));
    const d = discovery(url.pathname);
    if (d) return reply(200, d);

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let group = '';
    let version = '';
    let rest: string[] = [];
    if (parts[0] === 'api') [version, rest] = [parts[1], parts.slice(2)];
    else if (parts[0] === 'apis') [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    let ns: string | undefined;
    let plural: string | undefined;
    let name: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [ns, plural, name] = [rest[1], rest[2], rest[3]];
    else [plural, name] = [rest[0], rest[1]];
    const res = served.find((r) => r.group === group && r.version === version && r.plural === plural);
    if (!res || rest.length > 4 || (ns && !res.namespaced)) return reply(404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
    if (isForbidden(res, ns)) {
      const where = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
      const verb = name ? 'get' : isWatch ? 'watch' : 'list';
      return reply(403, status(403, 'Forbidden', `${res.plural}${res.group ? `.${res.group}` : ''} is forbidden: User "kni-test" cannot ${verb} resource "${res.plural}" in API group "${res.group}" ${where}`));
    }
    if (name) {
      const s = (store.get(res) as Map<string, Stored>).get(keyOf(res.namespaced ? (ns ?? '') : '', name));
      return s ? reply(200, s.obj) : reply(404, status(404, 'NotFound', `${res.plural} "${name}" not found`));
    }
    if (isWatch) {
      record.status = 200;
      return watch(req, out, res, ns, q);
    }
    const r = list(res, ns, q);
    return reply(r.code, r.body);
  }

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, status(500, 'InternalError', String(err)), false);
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(options.port ?? 0);
  const url = `https://127.0.0.1:${port}`;

  const writeKubeconfig = (user: KubeconfigUser, name = 'kubeconfig'): string => {
    const path = join(dir, name);
    const u: Record<string, unknown> = {};
    if (user.token) u.token = user.token;
    if (user.tokenFile) u.tokenFile = user.tokenFile;
    if (user.exec) u.exec = { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...user.exec };
    const cfg = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'kni-test',
          cluster: { server: url, ...(user.omitCa || user.insecure ? {} : { 'certificate-authority': tls.caFile }), ...(user.insecure ? { 'insecure-skip-tls-verify': true } : {}) },
        },
      ],
      users: [{ name: 'kni-test', user: u }],
      contexts: [{ name: 'kni-test', context: { cluster: 'kni-test', user: 'kni-test', namespace: user.namespace ?? 'default' } }],
      'current-context': 'kni-test',
    };
    writeFileSync(path, JSON.stringify(cfg, null, 2));
    return path;
  };
  const kubeconfigPath = writeKubeconfig({ token });

  const stopListening = async (): Promise<void> => {
    for (const w of [...watchers]) w.end();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      // Held requests see their sockets destroyed and give up.
      for (const r of hung.splice(0)) r();
    });
  };

  return {
    url,
    port,
    caFile: tls.caFile,
    token,
    kubeconfigPath,
    requests,
    writeKubeconfig,
    add: (o) => write('ADDED', o),
    modify: (o) => write('MODIFIED', o),
    update(kind, namespace, name, edit) {
      const s = findStored(kind, namespace, name);
      if (!s) throw new Error(`no ${kind} ${namespace}/${name}`);
      const copy = structuredClone(s.obj);
      edit(copy);
      return write('MODIFIED', copy);
    },
    remove(kind, namespace, name) {
      const s = findStored(kind, namespace, name);
      return s ? write('DELETED', s.obj) : undefined;
    },
    get: (kind, namespace, name) => findStored(kind, namespace, name)?.obj,
    resourceVersion: () => rv,
    closeWatches() {
      const n = watchers.size;
      for (const w of [...watchers]) w.end();
      return n;
    },
    openWatches: () => watchers.size,
    compact() {
      compactedRv = rv;
      log = [];
      snapshots.clear();
    },
    forbid: (plural, namespace) => void forbidden.add(`${plural}:${namespace ?? '*'}`),
    allow: (plural, namespace) => void forbidden.delete(`${plural}:${namespace ?? '*'}`),
    namespaceRole(namespaces) {
      roleNamespaces = namespaces ? new Set(namespaces) : undefined;
    },
    expireNextContinue() {
      expireNextContinue = true;
    },
    setUnauthorized(on) {
      unauthorized = on;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    expireContinues(on) {
      expireContinues = on;
    },
    expireWatches(on) {
      expireWatches = on;
    },
    setHang(on) {
      hang = on;
      if (!on) for (const r of hung.splice(0)) r();
    },
    hungRequests: () => hung.length,
    unauthorizedNext(n) {
      unauthorizedNext = n;
    },
    setToken(t) {
      acceptedToken = t;
    },
    stopListening,
    async startListening() {
      await listen(port);
    },
    async close() {
      await stopListening().catch(() => undefined);
    },
  };
}
