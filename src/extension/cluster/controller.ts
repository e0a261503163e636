// The live cluster in the editor: "KNI: Select Cluster Context" (a context of
// the kubeconfig and its namespaces, or manifests only), the choice kept in
// the workspace state, the connection's status, warnings and login errors as
// notifications, and which model the inspector shows (the files' or the
// cluster's). The connection itself (session.ts, the cluster source and the
// Kubernetes client) is imported on first use: activation loads none of it.
import * as vscode from 'vscode';
import type { KniConfig } from '../../core/config';
import { isNamespaceName, NAMESPACE_NAME_SYNTAX, SETTINGS_SECTION } from '../../core/config/facts';
import type { ClusterStatus, ClusterWarning } from '../../core/source/cluster';
import type { UnreadResource } from '../../core/model/types';
import type { ClusterViewTiming } from '../api';
import type { KubeContexts } from '../../core/source/cluster/contexts';
import type { ClusterSession, ClusterView } from './session';

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

const STATE_KEY = 'kni.cluster.selection';

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

interface ContextPick extends vscode.QuickPickItem {
  context?: string;
}

interface NamespacePick extends vscode.QuickPickItem {
  namespaces?: string[];
  ask?: boolean;
}

export class ClusterController implements vscode.Disposable {
  private session: ClusterSession | undefined;
  private sessionDisposables: vscode.Disposable[] = [];
  private current: ModelView = 'files';
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the connection, its status, its model or the chosen view changes. */
  readonly onDidChange = this.changed.event;
  private readonly viewComputed = new vscode.EventEmitter<ClusterViewTiming>();
  /** Fires when the cluster's model and findings were computed after a change, with the timing (benchmark). */
  readonly onDidComputeView = this.viewComputed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.viewComputed];
  /** Error messages already shown for this session (a status that comes back is not shown again). */
  private shownErrors = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly config: () => KniConfig,
  ) {
    this.disposables.push(
      // Trust granted later: connect to the context chosen earlier.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restore()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['kni.rules', 'kni.defaultNamespace'].some((s) => e.affectsConfiguration(s))) this.session?.invalidate();
      }),
    );
  }

  // ------------------------------------------------------------ state for the views

  /** The connected context, its namespaces, status and what could not be read; undefined for manifests only. */
  connection(): { context: string; namespaces: string[]; status: ClusterStatus; unread: readonly UnreadResource[] } | undefined {
    const s = this.session;
    return s ? { context: s.context, namespaces: s.options.namespaces, status: s.status(), unread: s.unread() } : undefined;
  }

  /** The cluster's model (undefined before its first sync or without a cluster). */
  clusterView(): ClusterView | undefined {
    return this.session?.view();
  }

  counts(): { error: number; warning: number; info: number } | undefined {
    return this.session?.counts();
  }

  /** What the inspector shows: the files, or the cluster (only while one is connected). */
  get view(): ModelView {
    return this.session ? this.current : 'files';
  }

  setView(view: ModelView): void {
    if (!this.session || this.current === view) return;
    this.current = view;
    this.changed.fire();
  }

  /** Resolves once the connected cluster has synced; rejects without one, on an error, or after `timeoutMs`. */
  async whenSynced(timeoutMs = 30_000): Promise<void> {
    const s = this.session;
    if (!s) throw new Error('no cluster context is selected');
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([s.synced(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the cluster did not sync within ${timeoutMs} ms: ${s.status().message}`)), timeoutMs)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  // ------------------------------------------------------------ the command

  /**
   * `kni.selectClusterContext`: with an argument, no pickers. Resolves to
   * 'refused' when it may not connect (Restricted Mode, a virtual workspace),
   * before any kubeconfig is read: the caller knows nothing is under way.
   */
  async selectContext(arg?: unknown): Promise<'refused' | void> {
    if (isSelectContextArg(arg)) {
      if ('manifestsOnly' in arg) return this.disconnect();
      if (!this.mayConnect()) return 'refused';
      const namespaces = (arg.namespaces ?? configuredNamespaces()).filter(isNamespaceName);
      return this.connect({ context: arg.context, namespaces });
    }
    if (!this.mayConnect()) return 'refused';
    let found: KubeContexts;
    try {
      found = await (await import('../../core/source/cluster/contexts')).listContexts();
    } catch (err) {
      void vscode.window.showErrorMessage(`KNI: cannot read the kubeconfig: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      return;
    }
    const connected = this.session?.context;
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
    await this.connect({ context: picked.context, namespaces });
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
    const names = [...new Set(typed.split(',').map((s) => s.trim()).filter(Boolean))];
    return names;
  }

  private mayConnect(): boolean {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'KNI does not connect to clusters in Restricted Mode: reading a kubeconfig can run its credential plugins. Trust this workspace to connect to a cluster.',
      );
      return false;
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length > 0 && folders.every((f) => f.uri.scheme !== 'file')) {
      void vscode.window.showWarningMessage('KNI connects to clusters only from a workspace on disk, not from a virtual workspace.');
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------ connecting

  /** Connects to the context chosen in an earlier session of this workspace, if any (never in Restricted Mode). */
  async restore(): Promise<void> {
    const saved = this.state.get<unknown>(STATE_KEY);
    if (!isSelection(saved) || this.session || !vscode.workspace.isTrusted) return;
    await this.connect(saved);
  }

  private async connect(selection: ClusterSelection): Promise<void> {
    const { ClusterSession } = await import('./session');
    this.stopSession();
    const session = new ClusterSession({
      context: selection.context,
      namespaces: selection.namespaces,
      trusted: vscode.workspace.isTrusted,
      untrustedRoots: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      config: this.config,
    });
    this.session = session;
    this.current = 'cluster';
    this.shownErrors = new Set();
    this.sessionDisposables = [
      session,
      session.onDidChange(() => this.changed.fire()),
      session.onDidChangeStatus((s) => {
        this.changed.fire();
        this.onStatus(session, s);
      }),
      session.onDidWarn((w) => this.onWarning(session, w)),
      session.onDidComputeView((t) => this.viewComputed.fire(t)),
    ];
    await this.state.update(STATE_KEY, selection);
    session.start();
    this.changed.fire();
  }

  private async disconnect(): Promise<void> {
    this.stopSession();
    await this.state.update(STATE_KEY, undefined);
    this.changed.fire();
  }

  private stopSession(): void {
    for (const d of this.sessionDisposables) d.dispose();
    this.sessionDisposables = [];
    this.session = undefined;
    this.current = 'files';
  }

  /** A problem the user must fix (no kubeconfig, an unknown context, a refused plugin): said once. */
  private onStatus(session: ClusterSession, s: ClusterStatus): void {
    if (s.state !== 'error' || s.retryInMs !== undefined || this.shownErrors.has(s.message) || session !== this.session) return;
    this.shownErrors.add(s.message);
    void vscode.window.showErrorMessage(`KNI: ${s.message}`);
  }

  /** Each warning once; rejected credentials offer to reconnect once the user has logged in again. */
  private onWarning(session: ClusterSession, w: ClusterWarning): void {
    if (session !== this.session) return;
    if (w.cause.startsWith('auth:')) {
      void vscode.window.showErrorMessage(`KNI: ${w.message}`, 'Retry').then((choice) => {
        if (choice === 'Retry' && this.session === session) session.reconnect();
      });
    } else if (w.cause === 'tls') {
      void vscode.window.showErrorMessage(`KNI: ${w.message}`);
    } else {
      void vscode.window.showWarningMessage(`KNI (cluster ${session.context}): ${w.message}`);
    }
  }

  dispose(): void {
    this.stopSession();
    for (const d of this.disposables) d.dispose();
  }
}
