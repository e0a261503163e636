// The live cluster in the editor, as a client of the language server, which
// holds the connection (kni/cluster/*): "KNI: Select Cluster Context" (a
// context of the kubeconfig the server lists, then its namespaces, or
// manifests only), the choice kept in the workspace state and connected again
// at startup and when trust is granted, the connection's status as the server
// says it, warnings and login errors as notifications, and which model the
// inspector shows (the files' or the cluster's). Nothing of the cluster runs in
// the extension host, and in Restricted Mode nothing is even asked.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { isNamespaceName, NAMESPACE_NAME_SYNTAX, SETTINGS_SECTION } from '../../core/config/facts';
import type { UnreadResource } from '../../core/model/types';
import {
  CLUSTER_STATUS_NOTIFICATION,
  CLUSTER_VIEW_NOTIFICATION,
  CLUSTER_WARNING_NOTIFICATION,
  CONNECT_REQUEST,
  DID_GRANT_TRUST,
  DISCONNECT_REQUEST,
  LIST_CONTEXTS_REQUEST,
  RECONNECT_REQUEST,
  type ClusterStatusParams,
  type ClusterViewParams,
  type ClusterWarningParams,
  type ConnectParams,
  type ContextsResult,
} from '../../protocol';
import type { ClusterViewTiming } from '../api';

/** What the user chose, as kept in the workspace state. */
export interface ClusterSelection {
  context: string;
  /** Empty: all namespaces. */
  namespaces: string[];
}

/** The argument `kni.selectClusterContext` takes to skip the pickers. */
export type SelectContextArg = { context: string; namespaces?: string[] } | { manifestsOnly: true };

/** Which model the inspector draws while a cluster is connected. */
export type ModelView = 'files' | 'cluster';

/** A connection's state as the views show it (never 'disconnected': then there is no connection). */
export interface ClusterConnection {
  context: string;
  namespaces: string[];
  status: { state: 'connecting' | 'synced' | 'degraded' | 'error'; message: string; retryInMs?: number };
  unread: readonly UnreadResource[];
}

const STATE_KEY = 'kni.cluster.selection';

/** Where VS Code users name the namespaces to read (the server's warning for a role that may not list them). */
const NAMESPACES_HINT = 'choose the namespaces you may read in KNI: Select Cluster Context, or in the setting kni.cluster.namespaces';

const DISCONNECTED: ClusterStatusParams = { version: -1, state: 'disconnected', namespaces: [], message: 'no cluster connected', partial: false, unread: [] };

export function isSelectContextArg(value: unknown): value is SelectContextArg {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.manifestsOnly === true) return true;
  return typeof v.context === 'string' && v.context.length > 0 && (v.namespaces === undefined || (Array.isArray(v.namespaces) && v.namespaces.every((n) => typeof n === 'string')));
}

function isSelection(value: unknown): value is ClusterSelection {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.context === 'string' && Array.isArray(v.namespaces) && v.namespaces.every((n) => typeof n === 'string');
}

/** `kni.cluster.namespaces`: valid namespace names only. */
function configuredNamespaces(): string[] {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('cluster.namespaces');
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string' && isNamespaceName(n.trim())).map((n) => n.trim()) : [];
}

/** The first line of an error (a server's ResponseError, a stopped client). */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

interface ContextPick extends vscode.QuickPickItem {
  context?: string;
}

interface NamespacePick extends vscode.QuickPickItem {
  namespaces?: string[];
  ask?: boolean;
}

export class ClusterController implements vscode.Disposable {
  /** The server's last word on the connection (the highest version). */
  private status: ClusterStatusParams = DISCONNECTED;
  private current: ModelView = 'files';
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the connection, its status, its model or the chosen view changes. */
  readonly onDidChange = this.changed.event;
  private readonly viewComputed = new vscode.EventEmitter<ClusterViewTiming>();
  /** Fires when the server computed the cluster's model and findings after a change, with the timing on this host's clock (benchmark). */
  readonly onDidComputeView = this.viewComputed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.viewComputed];
  /** What was said for this connection: error messages and warning causes (a status that comes back is not said again). */
  private said = new Set<string>();
  /** Counts the connects and disconnects asked: a late answer to a notification acts only for its own connection. */
  private serial = 0;
  /** The server ran before: a Running state now is a restart (after a crash), whose connection is gone. */
  private serverRan = false;

  constructor(
    private readonly client: LanguageClient,
    private readonly state: vscode.Memento,
  ) {
    this.disposables.push(
      client.onNotification(CLUSTER_STATUS_NOTIFICATION, (s: ClusterStatusParams) => this.apply(s)),
      client.onNotification(CLUSTER_WARNING_NOTIFICATION, (w: ClusterWarningParams) => this.onWarning(w)),
      client.onNotification(CLUSTER_VIEW_NOTIFICATION, (t: ClusterViewParams) => this.viewComputed.fire(onHostClock(t))),
      client.onDidChangeState((e) => {
        if (e.newState === State.Stopped) {
          // The server took the connection with it; a restarted one numbers its statuses from the start.
          this.status = DISCONNECTED;
          this.changed.fire();
        } else if (e.newState === State.Running) {
          if (this.serverRan) void this.restore();
          this.serverRan = true;
        }
      }),
      // Trust granted later: connect to the context chosen earlier. The server hears of the trust first
      // (the client may have said it already: the server takes it once), then the connect.
      vscode.workspace.onDidGrantWorkspaceTrust(async () => {
        if (!isSelection(this.state.get<unknown>(STATE_KEY))) return;
        await client.sendNotification(DID_GRANT_TRUST).catch(() => undefined);
        await this.restore();
      }),
    );
  }

  // ------------------------------------------------------------ state for the views

  /** The connected context, its namespaces, status and what could not be read; undefined for manifests only. */
  connection(): ClusterConnection | undefined {
    const s = this.status;
    if (s.state === 'disconnected' || s.context === undefined) return undefined;
    return { context: s.context, namespaces: s.namespaces, status: { state: s.state, message: s.message, ...(s.retryInMs !== undefined ? { retryInMs: s.retryInMs } : {}) }, unread: s.unread };
  }

  /** Problem counts of the cluster's findings; undefined before its first sync or without a cluster. */
  counts(): { error: number; warning: number; info: number } | undefined {
    return this.connection() ? this.status.counts : undefined;
  }

  /** What the inspector shows: the files, or the cluster (only while one is connected). */
  get view(): ModelView {
    return this.connection() ? this.current : 'files';
  }

  setView(view: ModelView): void {
    if (!this.connection() || this.current === view) return;
    this.current = view;
    this.changed.fire();
  }

  /** Resolves once the connected cluster has synced; rejects without one, on an error, or after `timeoutMs`. */
  whenSynced(timeoutMs = 30_000): Promise<void> {
    if (!this.connection()) return Promise.reject(new Error('no cluster context is selected'));
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const s = this.status;
        if (s.state === 'error' || s.state === 'disconnected') reject(new Error(s.state === 'error' ? s.message : 'the cluster was disconnected before it synced'));
        else if ((s.state === 'synced' || s.state === 'degraded') && s.counts !== undefined) resolve();
        else return false;
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`the cluster did not sync within ${timeoutMs} ms: ${this.status.message}`));
      }, timeoutMs);
      const sub = this.changed.event(() => {
        if (!check()) return;
        clearTimeout(timer);
        sub.dispose();
      });
    });
  }

  // ------------------------------------------------------------ the command

  /**
   * `kni.selectClusterContext`: with an argument, no pickers. Resolves to
   * 'refused' when it may not connect (Restricted Mode, a virtual workspace),
   * before the server is asked anything: the caller knows nothing is under way.
   */
  async selectContext(arg?: unknown): Promise<'refused' | void> {
    if (isSelectContextArg(arg)) {
      if ('manifestsOnly' in arg) return this.disconnect();
      if (!this.mayConnect()) return 'refused';
      return this.connect(arg.context, arg.namespaces);
    }
    if (!this.mayConnect()) return 'refused';
    let found: ContextsResult;
    try {
      found = await this.client.sendRequest<ContextsResult>(LIST_CONTEXTS_REQUEST);
    } catch (err) {
      void vscode.window.showErrorMessage(`KNI: cannot read the kubeconfig: ${messageOf(err)}`);
      return;
    }
    if (found.problems.length > 0) void vscode.window.showWarningMessage(`KNI: some kubeconfig files could not be read: ${found.problems.join('; ')}`);
    const connected = this.connection()?.context;
    const items: ContextPick[] = found.contexts.map((c) => ({
      label: `${c.name === connected ? '$(pass-filled)' : '$(circle-large-outline)'} ${c.name}`,
      description: [c.name === found.current ? 'current' : '', c.name === connected ? 'connected' : '', c.cluster !== c.name ? c.cluster : '', c.namespace ? `namespace ${c.namespace}` : '']
        .filter(Boolean)
        .join(' · '),
      context: c.name,
    }));
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(files) Manifests only (no cluster)', description: connected ? 'disconnect' : 'current' });
    const where = found.files.length > 0 ? found.files.join(', ') : process.env.KUBECONFIG ? `KUBECONFIG (${process.env.KUBECONFIG}): no such file` : '~/.kube/config: no such file';
    const picked = await vscode.window.showQuickPick(items, {
      title: 'KNI: Select Cluster Context',
      placeHolder: found.contexts.length > 0 ? `A context of ${where}` : `No context in ${where}`,
      matchOnDescription: true,
    });
    if (!picked) return;
    if (!picked.context) return this.disconnect();
    const namespaces = await this.pickNamespaces(found.contexts.find((c) => c.name === picked.context)?.namespace);
    if (!namespaces) return;
    await this.connect(picked.context, namespaces);
  }

  /** `kni.cluster.namespaces` when set; else a pick: all namespaces, the context's, or typed names. */
  private async pickNamespaces(contextNamespace: string | undefined): Promise<string[] | undefined> {
    const configured = configuredNamespaces();
    if (configured.length > 0) return configured;
    const items: NamespacePick[] = [{ label: '$(globe) All namespaces', description: 'needs permission to list in every namespace', namespaces: [] }];
    if (contextNamespace) items.push({ label: `$(symbol-namespace) ${contextNamespace}`, description: "the context's namespace", namespaces: [contextNamespace] });
    items.push({ label: '$(edit) Choose namespaces…', description: 'comma-separated names', ask: true });
    const picked = await vscode.window.showQuickPick(items, { title: 'KNI: Namespaces to read', placeHolder: 'Which namespaces the inspector reads (setting kni.cluster.namespaces skips this step)' });
    if (!picked) return undefined;
    if (!picked.ask) return picked.namespaces;
    const typed = await vscode.window.showInputBox({
      title: 'KNI: Namespaces to read',
      prompt: 'Namespace names, separated by commas',
      validateInput: (v) => {
        const bad = v.split(',').map((s) => s.trim()).filter((s) => s && !isNamespaceName(s));
        return bad.length > 0 ? `not a namespace name (${NAMESPACE_NAME_SYNTAX}): ${bad.join(', ')}` : undefined;
      },
    });
    if (typed === undefined) return undefined;
    return [...new Set(typed.split(',').map((s) => s.trim()).filter(Boolean))];
  }

  private mayConnect(): boolean {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'KNI does not connect to clusters in Restricted Mode: reading a kubeconfig can run its credential plugins. Trust this workspace to connect to a cluster.',
      );
      return false;
    }
    if (!onDisk()) {
      void vscode.window.showWarningMessage('KNI connects to clusters only from a workspace on disk, not from a virtual workspace.');
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------ connecting

  /** Connects to the context chosen in an earlier session of this workspace, if any (never in Restricted Mode). */
  async restore(): Promise<void> {
    const saved = this.state.get<unknown>(STATE_KEY);
    if (!isSelection(saved) || this.connection() || !vscode.workspace.isTrusted || !onDisk()) return;
    await this.connect(saved.context, saved.namespaces);
  }

  /** Asks the server to connect; `namespaces` undefined: `kni.cluster.namespaces` (else all). */
  private async connect(context: string, namespaces: string[] | undefined): Promise<void> {
    this.serial++;
    this.said = new Set();
    this.current = 'cluster';
    const params: ConnectParams = { context, namespaces: namespaces ?? configuredNamespaces(), namespacesHint: NAMESPACES_HINT };
    let answer: ClusterStatusParams;
    try {
      answer = await this.client.sendRequest<ClusterStatusParams>(CONNECT_REQUEST, params);
    } catch (err) {
      void vscode.window.showErrorMessage(`KNI: cannot connect to context "${context}": ${messageOf(err)}`);
      return;
    }
    this.apply(answer);
    await this.state.update(STATE_KEY, { context, namespaces: answer.namespaces } satisfies ClusterSelection);
  }

  private async disconnect(): Promise<void> {
    this.serial++;
    try {
      this.apply(await this.client.sendRequest<ClusterStatusParams>(DISCONNECT_REQUEST));
    } catch {
      // The server is gone, and its connection with it.
      this.apply({ ...DISCONNECTED, version: this.status.version + 1 });
    }
    this.current = 'files';
    await this.state.update(STATE_KEY, undefined);
    this.changed.fire();
  }

  /** A status from the server: kept if it is newer than the one held; a problem the user must fix is said once. */
  private apply(s: ClusterStatusParams): void {
    if (s.version <= this.status.version) return;
    this.status = s;
    if (s.state === 'disconnected') this.current = 'files';
    if (s.state === 'error' && s.retryInMs === undefined && !this.said.has(`error:${s.message}`)) {
      this.said.add(`error:${s.message}`);
      void vscode.window.showErrorMessage(`KNI: ${s.message}`);
    }
    this.changed.fire();
  }

  /** Each cause once per connection; rejected credentials offer to reconnect once the user has logged in again. */
  private onWarning(w: ClusterWarningParams): void {
    const connected = this.connection();
    if (connected?.context !== w.context || this.said.has(`warning:${w.cause}`)) return;
    this.said.add(`warning:${w.cause}`);
    const serial = this.serial;
    if (w.cause.startsWith('auth:')) {
      void vscode.window.showErrorMessage(`KNI: ${w.message}`, 'Retry').then(async (choice) => {
        if (choice !== 'Retry' || this.serial !== serial || !this.connection()) return;
        try {
          this.apply(await this.client.sendRequest<ClusterStatusParams>(RECONNECT_REQUEST));
        } catch (err) {
          void vscode.window.showErrorMessage(`KNI: cannot reconnect: ${messageOf(err)}`);
        }
      });
    } else if (w.cause === 'tls') {
      void vscode.window.showErrorMessage(`KNI: ${w.message}`);
    } else {
      void vscode.window.showWarningMessage(`KNI (cluster ${w.context}): ${w.message}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Whether the workspace has a folder on disk (or none): kubeconfigs are read from disk. */
function onDisk(): boolean {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length === 0 || folders.some((f) => f.uri.scheme === 'file');
}

/** The server's epoch times on this host's performance.now() scale. */
function onHostClock(t: ClusterViewParams): ClusterViewTiming {
  const here = (at: number) => at - performance.timeOrigin;
  return {
    resync: t.resync,
    ...(t.receivedAt !== undefined ? { receivedAt: here(t.receivedAt) } : {}),
    changedAt: here(t.changedAt),
    viewAt: here(t.viewAt),
    pods: t.pods,
    findings: t.findings,
  };
}
