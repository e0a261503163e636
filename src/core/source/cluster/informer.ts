// List, then watch, one resource type (in one namespace or all), forever:
// - the list is paged (limit/continue); the first page asks for
//   resourceVersion=0 (served from the API server's cache);
// - the watch resumes from the last resourceVersion seen (events and
//   BOOKMARKs) when it closes or the connection drops;
// - 410 Gone (the resourceVersion is too old, or a continue token expired
//   while paging) lists again after a relist backoff (as client-go's reflector
//   does: exponential with jitter, reset after a quiet spell); after an expired
//   continue token the next list is read in one piece, which cannot expire;
// - failures retry with capped, jittered exponential backoff.
// What the failures mean for the user is decided by the caller (source.ts).
import type { Raw } from './convert';
import { obj, str, arr } from './convert';
import { dropManagedFields } from './strip';
import { ApiError, type Transport, type WatchHandle } from './transport';

export interface ResourceType {
  /** Plural resource name, e.g. "networkpolicies". */
  plural: string;
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
}

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function resourcePath(r: ResourceType, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace && r.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${base}/${r.plural}`;
}

export interface RetryOptions {
  /** First retry delay (ms). */
  initialMs: number;
  /** Longest retry delay (ms). */
  maxMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { initialMs: 500, maxMs: 30_000 };

/** Exponential backoff with "equal jitter": a delay in [d/2, d), d doubling up to the cap. */
export class Backoff {
  attempt = 0;
  constructor(
    private readonly opts: RetryOptions,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const d = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(d / 2 + (this.random() * d) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** client-go's reflector: 800 ms doubling to 30 s, jitter 1.0 ([d, 2d)), reset after 2 minutes without a backoff. */
export interface RelistOptions {
  initialMs: number;
  maxMs: number;
  /** No relist for this long: the next one starts from `initialMs` again. */
  resetAfterMs: number;
}

export const DEFAULT_RELIST: RelistOptions = { initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000 };

/**
 * The wait before each list that follows a 410 Gone. Unlike `Backoff` it is not
 * reset by a successful list (a server that expires every watch would
 * otherwise be listed in a hot loop), only by a quiet spell.
 */
export class RelistBackoff {
  attempt = 0;
  private last: number | undefined;
  constructor(
    private readonly opts: RelistOptions,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  next(): number {
    const t = this.now();
    if (this.last !== undefined && t - this.last > this.opts.resetAfterMs) this.attempt = 0;
    this.last = t;
    const d = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(d + this.random() * d);
  }
}

export interface InformerHandlers {
  /** A list begins: what it does not deliver by `listEnd` is gone. */
  listStart(): void;
  /** One page of the list. */
  listPage(items: Raw[]): void;
  /** The list is complete. */
  listEnd(): void;
  /** One watch event. */
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Raw): void;
  /** The informer listed successfully (first time, or after a relist / a recovered failure). */
  synced(): void;
  /** A watch connection opened (the informer is healthy again after a failure). */
  watching(): void;
  /** A request failed; the informer retries after `retryInMs`. */
  failed(err: ApiError, retryInMs: number, attempt: number): void;
  /** 410 Gone: the informer lists again after `retryInMs` (`unpaged`: in one piece, after an expired continue token). */
  relisting(err: ApiError, retryInMs: number, attempt: number, unpaged: boolean): void;
  /** A list page arrived: `items` read so far in this list. */
  listProgress?(items: number): void;
}

export interface InformerOptions {
  pageSize: number;
  retry: RetryOptions;
  /** Server-side watch timeout range (s): the server ends the watch, we resume it. */
  watchTimeoutSeconds: [number, number];
  relist?: RelistOptions;
  random?: () => number;
  /** The clock of the relist backoff (tests). */
  now?: () => number;
}

export class Informer {
  private stopped = false;
  private rv: string | undefined;
  private needList = true;
  private watchHandle: WatchHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly backoff: Backoff;
  private readonly relistBackoff: RelistBackoff;
  /** A continue token expired: the next list asks for everything in one answer. */
  private unpagedNext = false;
  /** A paged list is under way (a 410 now is an expired continue token). */
  private paging = false;
  /** Times the watch was (re)opened; lists done (for tests and the benchmark). */
  readonly stats = { lists: 0, watches: 0, events: 0, bookmarks: 0 };

  constructor(
    private readonly transport: Transport,
    readonly resource: ResourceType,
    readonly namespace: string | undefined,
    private readonly handlers: InformerHandlers,
    private readonly opts: InformerOptions,
  ) {
    this.backoff = new Backoff(opts.retry, opts.random);
    this.relistBackoff = new RelistBackoff(opts.relist ?? DEFAULT_RELIST, opts.random, opts.now);
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.watchHandle?.close();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  /** Skips the current backoff wait (e.g. the user asked to reconnect now). */
  retryNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.needList) {
          await this.list();
          if (this.stopped) return;
          this.needList = false;
          this.backoff.reset();
          this.handlers.synced();
        }
        const opened = Date.now();
        const gotEvents = await this.watchOnce();
        // A quiet watch that ran its course (the server's timeout) resumes at
        // once; one that ended at once without events or bookmarks is retried
        // after a pause (no hot loop against a server that keeps closing it).
        if (gotEvents || Date.now() - opened >= 1000) this.backoff.reset();
        else await this.sleep(this.backoff.next());
      } catch (err) {
        if (this.stopped) return;
        const e = err instanceof ApiError ? err : new ApiError('protocol', String(err instanceof Error ? err.message : err));
        if (e.kind === 'gone') {
          // Too old: list again, after the relist backoff.
          const unpaged = this.paging;
          if (unpaged) this.unpagedNext = true;
          this.paging = false;
          this.needList = true;
          this.rv = undefined;
          const delay = this.relistBackoff.next();
          this.handlers.relisting(e, delay, this.relistBackoff.attempt, unpaged);
          await this.sleep(delay);
          continue;
        }
        this.paging = false;
        const delay = this.backoff.next();
        this.handlers.failed(e, delay, this.backoff.attempt);
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolveSleep) => {
      this.wake = resolveSleep;
      this.timer = setTimeout(resolveSleep, ms);
    });
  }

  /**
   * A paged list, converted page by page (raw objects die young: no 20,000 raw
   * Pods held at once). The next page is requested as soon as its continue
   * token is seen in the text of the current one, before that is parsed;
   * managedFields are cut from the text before parsing (strip.ts).
   */
  private async list(): Promise<void> {
    const path = resourcePath(this.resource, this.namespace);
    const pageSize = this.unpagedNext ? undefined : this.opts.pageSize;
    let prefetched: { cont: string; page: Promise<Raw> } | undefined;
    const fetchPage = (cont: string | undefined): Promise<Raw> =>
      this.transport.getJson(
        path,
        // resourceVersion may not be combined with continue; "0": any recent state (from the cache).
        { ...(pageSize !== undefined ? { limit: pageSize } : {}), ...(cont === undefined ? { resourceVersion: '0' } : { continue: cont }) },
        (text) => {
          // The API server writes metadata (with continue) before items.
          const m = /^\s*\{[^[]*?"metadata":\{[^{}]*?"continue":"([A-Za-z0-9+/=_-]+)"/.exec(text.slice(0, 4096));
          if (m && !this.stopped) {
            const page = fetchPage(m[1]);
            page.catch(() => undefined); // awaited below, or dropped when the token differs
            prefetched = { cont: m[1], page };
          }
          return dropManagedFields(text);
        },
      );
    let rv: string | undefined;
    let pending: Promise<Raw> | undefined = fetchPage(undefined);
    this.handlers.listStart();
    let count = 0;
    while (pending) {
      prefetched = undefined;
      const page: Raw = await pending;
      if (this.stopped) return;
      const m = obj(page.metadata);
      rv = str(m?.resourceVersion) ?? rv;
      const cont = str(m?.continue) || undefined;
      const items: Raw[] = [];
      for (const it of arr(page.items)) {
        const o = obj(it);
        if (o) items.push(o);
      }
      const next = prefetched as { cont: string; page: Promise<Raw> } | undefined;
      pending = cont === undefined ? undefined : next && next.cont === cont ? next.page : fetchPage(cont);
      this.paging = pending !== undefined;
      this.handlers.listPage(items);
      count += items.length;
      this.handlers.listProgress?.(count);
    }
    this.paging = false;
    this.unpagedNext = false;
    this.stats.lists++;
    this.rv = rv;
    this.handlers.listEnd();
  }

  /** One watch connection; resolves when it ends normally (true when it delivered events or bookmarks). */
  private watchOnce(): Promise<boolean> {
    const [lo, hi] = this.opts.watchTimeoutSeconds;
    const timeoutSeconds = Math.round(lo + (this.opts.random ?? Math.random)() * (hi - lo));
    let got = false;
    return new Promise<boolean>((resolveWatch, reject) => {
      let open = false;
      const onEnd = (err?: ApiError): void => {
        this.watchHandle = undefined;
        // An open watch whose connection broke ended, as a closed one does:
        // the next request (after a pause if it delivered nothing) says
        // whether the server is gone, once, rather than each broken stream.
        if (err && !(open && err.kind === 'unreachable')) reject(err);
        else resolveWatch(got);
      };
      this.transport
        .watch(
          resourcePath(this.resource, this.namespace),
          { resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds },
          (e) => {
            const o = obj(e.object);
            if (!o) return;
            if (e.type === 'ERROR') {
              const code = typeof o.code === 'number' ? o.code : 0;
              const msg = str(o.message) ?? 'watch error';
              // Reject first: closing the handle ends the watch "normally".
              reject(new ApiError(code === 410 ? 'gone' : code === 403 ? 'forbidden' : code === 401 ? 'unauthorized' : 'server', msg, code));
              this.watchHandle?.close();
              return;
            }
            const rv = str(obj(o.metadata)?.resourceVersion);
            if (rv) this.rv = rv;
            if (e.type === 'BOOKMARK') {
              this.stats.bookmarks++;
              got = true;
              return;
            }
            if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') {
              got = true;
              this.stats.events++;
              this.handlers.event(e.type, o);
            }
          },
          onEnd,
          (timeoutSeconds + 60) * 1000,
        )
        .then((h) => {
          open = true;
          this.stats.watches++;
          if (this.stopped) h.close();
          else {
            this.watchHandle = h;
            this.handlers.watching();
          }
        }, reject);
    });
  }
}
