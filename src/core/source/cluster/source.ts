// A live cluster as a model source: discovery, then one informer per resource
// type (per chosen namespace for namespaced types), each converting into the
// shared ModelStore. Reports a status ('connecting' → 'synced'; 'degraded' while
// a synced source cannot reach the server; 'error' when the user must act),
// and warnings once per cause (no storm on retries).
import type { NetworkModel, UnreadResource } from '../../model/types';
import { GATEWAY_GROUP } from '../../model/types';
import { arr, obj, str, type Raw } from './convert';
import { Informer, DEFAULT_RETRY, type RelistOptions, type ResourceType, type RetryOptions } from './informer';
import { ClusterConfigError, loginHint } from './kubeconfig';
import { ModelStore, type ObjectChange } from './store';
import { ApiError, Transport } from './transport';

export interface ClusterSourceOptions {
  /** Context name; default: the kubeconfig's current context. */
  context?: string;
  /** Namespaces to read; empty or undefined: all namespaces. */
  namespaces?: string[];
  /** Run exec credential plugins: only when the workspace is trusted. */
  allowExecPlugins: boolean;
  /** A kubeconfig file instead of $KUBECONFIG / ~/.kube/config. */
  kubeconfigPath?: string;
  /** Folders whose kubeconfig files may never run a plugin (the workspace). */
  untrustedRoots?: string[];
  /**
   * Items per list page (default 250). Smaller pages leave less garbage per
   * step: measured on 20,000 Pods, peak heap +200 MB with 100–200 a page
   * against +490 MB with 500, at the same CPU time (bench/cluster.bench.mjs).
   */
  pageSize?: number;
  retry?: RetryOptions;
  /** The wait before listing again after a 410 Gone (default: client-go's, 800 ms doubling to 30 s). */
  relist?: RelistOptions;
  /** The clock of the relist backoff (tests). */
  now?: () => number;
  /** Server-side watch timeout range in seconds (default 300–600). */
  watchTimeoutSeconds?: [number, number];
  /** Per-request timeout for lists (ms, default 60 s). */
  requestTimeoutMs?: number;
  random?: () => number;
  /**
   * How the user chooses namespaces, for warnings that suggest it (default
   * "choose the namespaces you may read"); e.g. "use --namespace NS".
   */
  chooseNamespacesHint?: string;
  /**
   * At most one 'changed' per this many ms for watch events (default 0: one
   * 'changed' per event). The first event after a quiet spell is reported at
   * once; the events that follow within the window are gathered into one
   * 'changed' at its end. A view that redraws on 'changed' may want ~100.
   */
  batchMs?: number;
  /**
   * Ends a batchMs window after `ms` (default: a timer). Tests pass their own
   * to end a window when they choose, instead of waiting for it to pass.
   */
  scheduleBatchEnd?: (end: () => void, ms: number) => { cancel(): void };
}

function timerBatchEnd(end: () => void, ms: number): { cancel(): void } {
  const timer = setTimeout(end, ms);
  return { cancel: () => clearTimeout(timer) };
}

export type ClusterState = 'connecting' | 'synced' | 'degraded' | 'error';

export interface ClusterStatus {
  state: ClusterState;
  /** For the user: what is happening / what to do. Contains no credentials. */
  message: string;
  /** When a retry is scheduled: in how many ms and which attempt it is. */
  retryInMs?: number;
  attempt?: number;
}

export interface ClusterWarning {
  /** Stable key of the cause (one warning per cause). */
  cause: string;
  message: string;
}

export interface ClusterChange {
  /** True for a (re)list: the whole model may have changed; `objects` is then empty. */
  resync: boolean;
  objects: ObjectChange[];
  /** performance.now() when the first watch event of this change arrived (not for a resync). */
  receivedAt?: number;
}

/** How far a list has got (each page), for progress on slow lists. */
export interface ListProgress {
  resource: string;
  namespace?: string;
  /** Items read so far in this list. */
  items: number;
}

export interface ClusterSourceEvents {
  changed: (change: ClusterChange) => void;
  progress: (progress: ListProgress) => void;
  /** Every failed request that will be retried (status events come only when the message changes). */
  retrying: (status: ClusterStatus) => void;
  status: (status: ClusterStatus) => void;
  warning: (warning: ClusterWarning) => void;
}

export interface Disposable {
  dispose(): void;
}

/** What is unknown when a resource type cannot be read (the warning's second half). */
const CONSEQUENCE: Readonly<Record<string, string>> = {
  namespaces: 'namespace labels unknown, namespaceSelector verdicts unknown',
  nodes: 'node addresses unknown, NodePort traces incomplete',
  pods: 'workloads and pods unknown',
  services: 'services unknown',
  endpointslices: 'endpoints unknown',
  endpoints: 'endpoints unknown',
  ingresses: 'ingress routes unknown',
  ingressclasses: 'ingress class defaults unknown',
  networkpolicies: 'policy verdicts unknown',
  httproutes: 'Gateway API routes unknown',
  grpcroutes: 'Gateway API routes unknown',
  gateways: 'Gateway listeners unknown, route attachment unknown',
  gatewayclasses: 'Gateway controllers unknown',
  referencegrants: 'cross-namespace backendRefs cannot be judged',
  adminnetworkpolicies: 'admin network policy tiers unknown, policy verdicts unknown',
  baselineadminnetworkpolicies: 'baseline admin network policy unknown, policy verdicts unknown',
  clusternetworkpolicies: 'cluster network policy tiers unknown, policy verdicts unknown',
};

/** "800 ms", "1.6 s", "30 s", "2 min" */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function forbiddenCauseOf(r: ResourceType, namespace: string | undefined): string {
  return `forbidden:${r.plural}:${namespace ?? '*'}`;
}

/** For a 403 warning: " in shop" / " in all namespaces" / "", and what stays unknown. */
function forbiddenWhat(r: ResourceType, namespace: string | undefined): { where: string; consequence: string } {
  const where = namespace ? ` in ${namespace}` : r.namespaced ? ' in all namespaces' : '';
  return { where, consequence: CONSEQUENCE[r.plural] ?? 'objects unknown' };
}

const CORE: ResourceType[] = [
  { plural: 'namespaces', kind: 'Namespace', group: '', version: 'v1', namespaced: false },
  { plural: 'nodes', kind: 'Node', group: '', version: 'v1', namespaced: false },
  { plural: 'pods', kind: 'Pod', group: '', version: 'v1', namespaced: true },
  { plural: 'services', kind: 'Service', group: '', version: 'v1', namespaced: true },
];

interface InformerState {
  informer: Informer;
  synced: boolean;
  forbidden: boolean;
  error?: ApiError;
}

export class ClusterSource {
  private transport: Transport | undefined;
  private store: ModelStore | undefined;
  private readonly informers: InformerState[] = [];
  private readonly listeners: { [K in keyof ClusterSourceEvents]: Set<ClusterSourceEvents[K]> } = {
    changed: new Set(),
    progress: new Set(),
    retrying: new Set(),
    status: new Set(),
    warning: new Set(),
  };
  /** The warnings whose cause is still there. */
  private readonly warned = new Map<string, ClusterWarning>();
  private readonly notified = new Set<string>();
  private current: ClusterStatus = { state: 'connecting', message: 'Not started.' };
  private everSynced = false;
  private stopped = false;
  private started = false;
  private discoveryTimer: NodeJS.Timeout | undefined;
  private syncWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private resources: ResourceType[] = [];
  private absentApis: string[] = [];
  /**
   * Listing Namespaces is forbidden (a namespace-scoped role): the namespaces
   * read instead, and until the first sync the other types found forbidden,
   * to be named in the one warning that says so.
   */
  private restricted: { namespaces: string[]; chosen: boolean; covered: Set<string> } | undefined;

  constructor(private readonly opts: ClusterSourceOptions) {}

  on<K extends keyof ClusterSourceEvents>(event: K, listener: ClusterSourceEvents[K]): Disposable {
    this.listeners[event].add(listener);
    return { dispose: () => this.listeners[event].delete(listener) };
  }

  status(): ClusterStatus {
    return this.current;
  }

  warnings(): ClusterWarning[] {
    return [...this.warned.values()];
  }

  /** The current model (empty lists until the first sync). */
  model(): NetworkModel {
    return (this.store ?? new ModelStore('default')).model();
  }

  /** Optional APIs the cluster does not serve, for people (after discovery): no error, said once by the caller. */
  notInstalled(): readonly string[] {
    return this.absentApis;
  }

  /** The resource types being read (after discovery). */
  resourceTypes(): readonly ResourceType[] {
    return this.resources;
  }

  /** Request counters per informer (lists, watches, events), for tests and the benchmark. */
  stats(): { resource: string; namespace?: string; lists: number; watches: number; events: number; bookmarks: number }[] {
    return this.informers.map((s) => ({ resource: s.informer.resource.plural, ...(s.informer.namespace ? { namespace: s.informer.namespace } : {}), ...s.informer.stats }));
  }

  /** Connects and starts listing and watching; returns at once (see `synced()`). */
  start(): void {
    if (this.started) return;
    this.started = true;
    // Said at once: an editor shows the state a connect request answers with.
    this.current = { state: 'connecting', message: `Reading the kubeconfig${this.opts.context !== undefined ? ` for context "${this.opts.context}"` : ''}…` };
    void this.connect();
  }

  private async connect(): Promise<void> {
    try {
      this.transport = await Transport.create({
        allowExecPlugins: this.opts.allowExecPlugins,
        ...(this.opts.context !== undefined ? { context: this.opts.context } : {}),
        ...(this.opts.kubeconfigPath !== undefined ? { kubeconfigPath: this.opts.kubeconfigPath } : {}),
        ...(this.opts.untrustedRoots ? { untrustedRoots: this.opts.untrustedRoots } : {}),
        ...(this.opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: this.opts.requestTimeoutMs } : {}),
      });
    } catch (err) {
      this.fail(err instanceof ClusterConfigError ? err.message : `Cannot load the kubeconfig: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      return;
    }
    if (this.stopped) return;
    const cfg = this.transport.config;
    if (cfg.insecure) {
      this.warn(
        'tls-insecure',
        `cluster "${cfg.cluster.name}" of context "${cfg.context}" sets insecure-skip-tls-verify: the API server's certificate is not checked, so anyone on the way to ${cfg.cluster.server} can read your credentials and forge its answers. Set certificate-authority (or certificate-authority-data) in the kubeconfig instead.`,
      );
    }
    this.store = new ModelStore(this.transport.config.namespace);
    this.setStatus({ state: 'connecting', message: `Connecting to ${this.transport.server} (context "${this.transport.config.context}")…` });
    await this.discover(1);
  }

  /** Resolves when every resource type has been listed once; rejects on an 'error' status. */
  synced(): Promise<void> {
    if (this.current.state === 'error') return Promise.reject(new Error(this.current.message));
    if (this.everSynced) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error('The cluster source was stopped before it synced.'));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** Stops every watch and retry (for good: to connect again, make a new source). */
  stop(): void {
    this.stopped = true;
    if (this.discoveryTimer) clearTimeout(this.discoveryTimer);
    this.batch?.end.cancel();
    for (const s of this.informers) s.informer.stop();
    this.transport?.close();
    for (const w of this.syncWaiters.splice(0)) w.reject(new Error('The cluster source was stopped before it synced.'));
  }

  /** Skips the backoff wait of every failing informer. */
  reconnect(): void {
    for (const s of this.informers) if (s.error) s.informer.retryNow();
  }

  // ---------------------------------------------------------------- discovery

  private async discover(attempt: number): Promise<void> {
    const t = this.transport;
    if (!t || this.stopped) return;
    let namespacesForbidden: boolean;
    try {
      [this.resources, namespacesForbidden] = await Promise.all([this.discoverResources(t), this.cannotListNamespaces(t)]);
    } catch (err) {
      if (this.stopped) return;
      const e = err instanceof ApiError ? err : new ApiError('protocol', String(err));
      const backoff = Math.min(this.retry().maxMs, this.retry().initialMs * 2 ** Math.min(attempt - 1, 30));
      const delay = Math.round(backoff / 2 + ((this.opts.random ?? Math.random)() * backoff) / 2);
      if (e.kind === 'unauthorized') t.invalidate();
      this.reportFailure(e, delay, attempt);
      this.discoveryTimer = setTimeout(() => void this.discover(attempt + 1), delay);
      return;
    }
    if (this.stopped) return;
    const chosen = this.opts.namespaces?.filter((n) => n.length > 0) ?? [];
    // A role bound in some namespaces only cannot list Namespaces nor anything
    // across all of them: read the chosen namespaces, else the context's own
    // (as kubectl does), and say once what stays unknown.
    const namespaces = namespacesForbidden && chosen.length === 0 ? [t.config.namespace] : chosen;
    if (namespacesForbidden) {
      this.restricted = { namespaces, chosen: chosen.length > 0, covered: new Set() };
      this.updateUnread();
    }
    for (const r of this.resources) {
      if (namespacesForbidden && r.plural === 'namespaces') continue;
      const targets = r.namespaced && namespaces.length > 0 ? namespaces : [undefined];
      for (const ns of targets) this.addInformer(t, r, ns);
    }
    for (const s of this.informers) s.informer.start();
  }

  /** Whether listing Namespaces answers 403 (asked beside discovery: one small request). */
  private async cannotListNamespaces(t: Transport): Promise<boolean> {
    try {
      await t.getJson('/api/v1/namespaces', { limit: 1 });
      return false;
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'forbidden') return true;
      throw err;
    }
  }

  /** The one warning of a namespace-scoped role (see `restricted`). */
  private restrictedWarning(r: NonNullable<ClusterSource['restricted']>): string {
    const list = r.namespaces.join(', ');
    const reading = r.chosen
      ? `reading the chosen namespace${r.namespaces.length > 1 ? 's' : ''} ${list}`
      : `reading only namespace ${list} (the context's namespace); other namespaces unknown`;
    const unknown = this.informers.filter((s) => s.forbidden).map((s) => {
      const { where, consequence } = forbiddenWhat(s.informer.resource, s.informer.namespace);
      return `${s.informer.resource.plural}${where} (${consequence})`;
    });
    const also = unknown.length > 0 ? `; also not readable: ${unknown.join(', ')}` : '';
    const widen = r.chosen ? 'ask for permission to list namespaces' : `${this.chooseNamespacesHint()}, or ask for permission to list namespaces`;
    return `no permission to list namespaces: ${reading}; ${CONSEQUENCE.namespaces}${also}. To see more, ${widen}.`;
  }

  private chooseNamespacesHint(): string {
    return this.opts.chooseNamespacesHint ?? 'choose the namespaces you may read';
  }

  private async discoverResources(t: Transport): Promise<ResourceType[]> {
    const groups = await t.getJson('/apis');
    const preferred = new Map<string, string[]>();
    for (const g of arr(groups.groups)) {
      const o = obj(g);
      const name = str(o?.name);
      if (!o || !name) continue;
      const pv = str(obj(o.preferredVersion)?.version);
      const versions = arr(o.versions).flatMap((v) => (str(obj(v)?.version) ? [str(obj(v)?.version) as string] : []));
      preferred.set(name, pv ? [pv, ...versions.filter((v) => v !== pv)] : versions);
    }
    const out = [...CORE];
    const has = (group: string, version: string): boolean => preferred.get(group)?.includes(version) ?? false;
    const resourcesOf = async (group: string, version: string): Promise<Set<string>> => {
      const list = await t.getJson(`/apis/${group}/${version}`);
      return new Set(arr(list.resources).flatMap((r) => (str(obj(r)?.name) ? [str(obj(r)?.name) as string] : [])));
    };
    if (has('discovery.k8s.io', 'v1')) out.push({ plural: 'endpointslices', kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', namespaced: true });
    else out.push({ plural: 'endpoints', kind: 'Endpoints', group: '', version: 'v1', namespaced: true });
    if (has('networking.k8s.io', 'v1')) {
      const res = await resourcesOf('networking.k8s.io', 'v1');
      if (res.has('ingresses')) out.push({ plural: 'ingresses', kind: 'Ingress', group: 'networking.k8s.io', version: 'v1', namespaced: true });
      if (res.has('ingressclasses')) out.push({ plural: 'ingressclasses', kind: 'IngressClass', group: 'networking.k8s.io', version: 'v1', namespaced: false });
      if (res.has('networkpolicies')) out.push({ plural: 'networkpolicies', kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', namespaced: true });
    }
    const gw = preferred.get(GATEWAY_GROUP);
    const gwVersion = gw?.find((v) => v === 'v1' || v === 'v1beta1');
    if (gwVersion) {
      const res = await resourcesOf(GATEWAY_GROUP, gwVersion);
      if (res.has('httproutes')) out.push({ plural: 'httproutes', kind: 'HTTPRoute', group: GATEWAY_GROUP, version: gwVersion, namespaced: true });
      if (res.has('grpcroutes')) out.push({ plural: 'grpcroutes', kind: 'GRPCRoute', group: GATEWAY_GROUP, version: gwVersion, namespaced: true });
      if (res.has('gateways')) out.push({ plural: 'gateways', kind: 'Gateway', group: GATEWAY_GROUP, version: gwVersion, namespaced: true });
      if (res.has('gatewayclasses')) out.push({ plural: 'gatewayclasses', kind: 'GatewayClass', group: GATEWAY_GROUP, version: gwVersion, namespaced: false });
      // ReferenceGrant stayed at v1beta1 in the standard channel for several releases after v1.
      const grantVersion = res.has('referencegrants') ? gwVersion : gw?.includes('v1beta1') && (await resourcesOf(GATEWAY_GROUP, 'v1beta1')).has('referencegrants') ? 'v1beta1' : undefined;
      if (grantVersion) out.push({ plural: 'referencegrants', kind: 'ReferenceGrant', group: GATEWAY_GROUP, version: grantVersion, namespaced: true });
    }
    const admin = await adminPolicyResources(preferred.get(ADMIN_POLICY_GROUP) ?? [], resourcesOf);
    out.push(...admin);
    this.absentApis =
      admin.length === 0
        ? [`AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy are not installed (no ${ADMIN_POLICY_GROUP} API): NetworkPolicy alone decides`]
        : [];
    return out;
  }

  // ---------------------------------------------------------------- informers

  private addInformer(t: Transport, r: ResourceType, namespace: string | undefined): void {
    const key = `${r.group}/${r.plural}/${namespace ?? '*'}`;
    const state = {} as InformerState;
    const forbiddenCause = forbiddenCauseOf(r, namespace);
    const informer = new Informer(
      t,
      r,
      namespace,
      {
        listStart: () => this.store?.beginReplace(key),
        listPage: (items) => this.store?.replacePage(key, r, items),
        listEnd: () => {
          this.store?.endReplace(key, r);
          if (this.everSynced) this.emit('changed', { resync: true, objects: [] });
        },
        event: (type, raw: Raw) => {
          const store = this.store;
          if (!store) return;
          const receivedAt = performance.now();
          const objects = store.apply(key, r, type, raw);
          if (objects.length > 0 && this.everSynced) this.changed(objects, receivedAt);
        },
        synced: () => {
          state.synced = true;
          if (state.forbidden) this.resolveWarning(forbiddenCause);
          state.forbidden = false;
          state.error = undefined;
          this.updateUnread();
          this.refreshStatus();
        },
        listProgress: (items) => {
          if (!this.everSynced) this.emit('progress', { resource: r.plural, ...(namespace ? { namespace } : {}), items });
        },
        relisting: (err, retryInMs, attempt, unpaged) => {
          // A watch that expired once after a sync is routine; say so when it
          // keeps happening, and always while the first sync is still under way.
          if (this.everSynced && attempt < 3) return;
          const what = `${r.plural}${namespace ? ` in ${namespace}` : ''}`;
          const why = unpaged
            ? `the continue token expired while paging (410 Gone); the next list asks for all ${r.plural} in one answer`
            : `the server answered 410 Gone (${err.message.replace(/\.$/, '')})`;
          const when = `listing ${what} again in ${formatMs(retryInMs)} (attempt ${attempt})`;
          if (this.everSynced) this.setStatus({ state: 'degraded', message: `Showing the last known state: ${why}; ${when}.`, retryInMs, attempt });
          else {
            this.setStatus({ state: 'connecting', message: `Reading ${what}: ${why}; ${when}.`, retryInMs, attempt });
            this.emit('retrying', { state: 'connecting', message: `Reading ${what}: ${why}.`, retryInMs, attempt });
          }
        },
        watching: () => {
          if (!state.error) return;
          state.error = undefined;
          this.refreshStatus();
        },
        failed: (err, retryInMs, attempt) => {
          state.error = err;
          if (err.kind === 'forbidden') {
            // A partial model, not a failure: this type counts as synced (empty) with one warning.
            state.forbidden = true;
            state.synced = true;
            // With a namespace-scoped role, what is forbidden at the first sync is named in its one warning.
            if (!this.restricted || (this.everSynced && !this.restricted.covered.has(forbiddenCause))) {
              const { where, consequence } = forbiddenWhat(r, namespace);
              const hint = !namespace && r.namespaced ? ` (${this.chooseNamespacesHint()})` : '';
              this.warn(forbiddenCause, `no permission to list ${r.plural}${where}: ${consequence}${hint}`);
            }
            this.updateUnread();
            this.refreshStatus();
            return;
          }
          if (err.kind === 'unauthorized') this.transport?.invalidate();
          this.reportFailure(err, retryInMs, attempt);
        },
      },
      {
        pageSize: this.opts.pageSize ?? 250,
        retry: this.retry(),
        watchTimeoutSeconds: this.opts.watchTimeoutSeconds ?? [300, 600],
        ...(this.opts.relist ? { relist: this.opts.relist } : {}),
        ...(this.opts.now ? { now: this.opts.now } : {}),
        ...(this.opts.random ? { random: this.opts.random } : {}),
      },
    );
    Object.assign(state, { informer, synced: false, forbidden: false });
    this.informers.push(state);
  }

  /**
   * What cannot be read (403s, and the namespaces a namespace-scoped role
   * leaves out), carried by the model so that rules, traces and outputs know
   * the model is partial. A change after the first sync is a resync.
   */
  private updateUnread(): void {
    const store = this.store;
    if (!store) return;
    const unread: UnreadResource[] = [];
    if (this.restricted) {
      const only = this.restricted.namespaces.join(', ');
      unread.push({ resource: 'namespaces', reason: 'forbidden (403)', consequence: `${CONSEQUENCE.namespaces}; only ${only} read` });
    }
    for (const s of this.informers) {
      if (!s.forbidden) continue;
      const r = s.informer.resource;
      unread.push({ resource: r.plural, ...(s.informer.namespace ? { namespace: s.informer.namespace } : {}), reason: 'forbidden (403)', consequence: CONSEQUENCE[r.plural] ?? 'objects unknown' });
    }
    if (store.setUnread(unread) && this.everSynced) this.emit('changed', { resync: true, objects: [] });
  }

  /** What could not be read, as the model carries it (empty: everything was read). */
  unread(): readonly UnreadResource[] {
    return this.model().unread ?? [];
  }

  /** The throttle window of watch events (see batchMs): what arrived in it so far. */
  private batch: { objects: ObjectChange[]; receivedAt?: number; end: { cancel(): void } } | undefined;

  private changed(objects: ObjectChange[], receivedAt: number): void {
    const ms = this.opts.batchMs ?? 0;
    if (this.batch) {
      this.batch.objects.push(...objects);
      this.batch.receivedAt ??= receivedAt;
      return;
    }
    this.emit('changed', { resync: false, objects, receivedAt });
    if (ms > 0) this.openBatch(ms);
  }

  private openBatch(ms: number): void {
    const schedule = this.opts.scheduleBatchEnd ?? timerBatchEnd;
    const batch: NonNullable<ClusterSource['batch']> = {
      objects: [],
      end: schedule(() => {
        this.batch = undefined;
        if (this.stopped || batch.objects.length === 0) return;
        this.emit('changed', { resync: false, objects: batch.objects, ...(batch.receivedAt !== undefined ? { receivedAt: batch.receivedAt } : {}) });
        // Events keep coming: the next window starts now.
        this.openBatch(ms);
      }, ms),
    };
    this.batch = batch;
  }

  private retry(): RetryOptions {
    return this.opts.retry ?? DEFAULT_RETRY;
  }

  /**
   * A failed request, for the status. Messages name no resource for failures
   * every informer shares (unreachable, timeout, 401, TLS), so that nine
   * informers retrying give one status change, not nine per round.
   */
  private reportFailure(err: ApiError, retryInMs: number, attempt: number): void {
    const t = this.transport;
    const retry = { retryInMs, attempt };
    if (err.kind === 'unauthorized' || err.kind === 'credentials') {
      const hint = t ? loginHint(t.config) : '';
      const message =
        err.kind === 'unauthorized'
          ? `The API server rejected the credentials of context "${t?.config.context}" (401 Unauthorized). ${hint}`
          : `${err.message}. ${hint}`;
      this.warn(`auth:${err.kind}`, message);
      this.setStatus({ state: 'error', message, ...retry });
      return;
    }
    if (err.kind === 'tls') {
      this.warn('tls', err.message);
      this.setStatus({ state: 'error', message: err.message, ...retry });
      return;
    }
    const reach = err.kind === 'unreachable' || err.kind === 'timeout' ? `${err.message} Check that the cluster is running and that you can reach it (VPN, proxy).` : err.message;
    if (this.everSynced) {
      this.setStatus({ state: 'degraded', message: `Showing the last known state: ${reach} Retrying.`, ...retry });
    } else {
      this.setStatus({ state: 'connecting', message: `${reach} Retrying.`, ...retry });
    }
    this.emit('retrying', { state: this.current.state, message: reach, ...retry });
  }

  private refreshStatus(): void {
    if (this.stopped) return;
    const pending = this.informers.filter((s) => !s.synced);
    const failing = this.informers.filter((s) => s.error && !s.forbidden);
    if (pending.length === 0 && failing.length === 0) {
      for (const cause of ['auth:unauthorized', 'auth:credentials', 'tls']) this.resolveWarning(cause);
      const first = !this.everSynced;
      this.everSynced = true;
      const forbidden = this.informers.filter((s) => s.forbidden).length;
      const t = this.transport;
      const only = this.restricted ? `, namespace${this.restricted.namespaces.length > 1 ? 's' : ''} ${this.restricted.namespaces.join(', ')} only (no permission to list namespaces)` : '';
      if (first && this.restricted) {
        for (const s of this.informers) if (s.forbidden) this.restricted.covered.add(forbiddenCauseOf(s.informer.resource, s.informer.namespace));
        this.warn(forbiddenCauseOf(CORE[0], undefined), this.restrictedWarning(this.restricted));
      }
      this.setStatus({
        state: 'synced',
        message: `Synced with context "${t?.config.context}" (${t?.server})${only}${forbidden > 0 ? `; ${forbidden} resource type${forbidden > 1 ? 's' : ''} not readable (see warnings)` : ''}.`,
      });
      // The first sync is one 'changed'; later lists announce themselves (listEnd).
      if (first) {
        this.emit('changed', { resync: true, objects: [] });
        for (const w of this.syncWaiters.splice(0)) w.resolve();
      }
      return;
    }
    if (failing.length === 0 && !this.everSynced) {
      const done = this.informers.length - pending.length;
      this.setStatus({ state: 'connecting', message: `Listing ${pending.map((s) => s.informer.resource.plural).filter((v, i, a) => a.indexOf(v) === i).join(', ')} (${done}/${this.informers.length} done)…` });
    }
  }

  private fail(message: string): void {
    this.setStatus({ state: 'error', message });
  }

  private setStatus(s: ClusterStatus): void {
    const same = s.state === this.current.state && s.message === this.current.message;
    this.current = s;
    if (s.state === 'error') for (const w of this.syncWaiters.splice(0)) w.reject(new Error(s.message));
    if (!same) this.emit('status', s);
  }

  /** Records a warning; listeners hear of each cause once per source, even if it clears and comes back. */
  private warn(cause: string, message: string): void {
    if (this.warned.has(cause)) return;
    const w = { cause, message };
    this.warned.set(cause, w);
    if (this.notified.has(cause)) return;
    this.notified.add(cause);
    this.emit('warning', w);
  }

  /** The cause is gone (e.g. the permission was granted): no longer in `warnings()`. */
  private resolveWarning(cause: string): void {
    this.warned.delete(cause);
  }

  private emit<K extends keyof ClusterSourceEvents>(event: K, arg: Parameters<ClusterSourceEvents[K]>[0]): void {
    for (const l of this.listeners[event]) {
      try {
        (l as (a: typeof arg) => void)(arg);
      } catch {
        // A listener's failure is its own; the source keeps running.
      }
    }
  }
}

const ADMIN_POLICY_GROUP = 'policy.networking.k8s.io';

/**
 * The administrator's policy types the cluster serves (CRDs of
 * kubernetes-sigs/network-policy-api; most clusters have none, which is no
 * error): AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1), and
 * ClusterNetworkPolicy at the newest version served.
 */
async function adminPolicyResources(versions: readonly string[], resourcesOf: (group: string, version: string) => Promise<Set<string>>): Promise<ResourceType[]> {
  const out: ResourceType[] = [];
  const at = (plural: string, kind: string, version: string): ResourceType => ({ plural, kind, group: ADMIN_POLICY_GROUP, version, namespaced: false });
  if (versions.includes('v1alpha1')) {
    const res = await resourcesOf(ADMIN_POLICY_GROUP, 'v1alpha1');
    if (res.has('adminnetworkpolicies')) out.push(at('adminnetworkpolicies', 'AdminNetworkPolicy', 'v1alpha1'));
    if (res.has('baselineadminnetworkpolicies')) out.push(at('baselineadminnetworkpolicies', 'BaselineAdminNetworkPolicy', 'v1alpha1'));
  }
  for (const v of ['v1', 'v1beta1', 'v1alpha2']) {
    if (!versions.includes(v)) continue;
    if ((await resourcesOf(ADMIN_POLICY_GROUP, v)).has('clusternetworkpolicies')) {
      out.push(at('clusternetworkpolicies', 'ClusterNetworkPolicy', v));
      break;
    }
  }
  return out;
}
