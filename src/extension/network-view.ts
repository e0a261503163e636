// The Network view (activity bar → Kubernetes Network → Network): the
// language server's tree (kni/networkTree) of the source the inspector draws
// (the workspace's files, or the cluster while one is connected and chosen),
// asked per item as the user expands it. Selecting an item reveals its YAML;
// inline actions trace its request and show it in the inspector; finding
// counts are badges (a file decoration on a URI made of the item's id and
// counts) and the view's badge sums them. Refreshed when the server says the
// tree changed; rows keep their ids (what object they are) across refreshes.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { NETWORK_TREE_CHANGED_NOTIFICATION, NETWORK_TREE_REQUEST, type GraphScope, type NetworkTreeChangedParams, type NetworkTreeItem, type NetworkTreeItemKind, type NetworkTreeParams, type NetworkTreeResult, type TraceRequestArgument } from '../protocol';
import type { NetworkObserver, NetworkTreeItemSummary } from './api';

/** Which scope the view shows, and when that may have changed. */
export interface NetworkSource {
  scope(): GraphScope;
  /** A label for the view's description: "files", "⎈ kind-dev". */
  label(): string;
  onDidChange: vscode.Event<unknown>;
}

/** What the inline actions do. */
export interface NetworkActions {
  /** Opens the inspector with the request's trace pinned (kni.traceRequest). */
  traceRequest(target: TraceRequestArgument): Thenable<unknown>;
  /** Opens the inspector on the view's source with that node's trace pinned. */
  showInInspector(nodeId: string): Promise<unknown>;
}

const SCHEME = 'kni-network';
/** Parents (for reveal) kept for rows still drawn: far more than a view shows. */
const MAX_ROWS = 50_000;

const ICONS: Record<NetworkTreeItemKind, string> = {
  namespace: 'symbol-namespace',
  clusterPolicies: 'law',
  group: 'folder',
  service: 'server-process',
  servicePort: 'plug',
  workload: 'layers',
  ingress: 'globe',
  ingressPath: 'link',
  gateway: 'radio-tower',
  route: 'git-merge',
  routeRule: 'filter',
  networkPolicy: 'shield',
  policyRule: 'list-flat',
  adminPolicy: 'law',
};

const GROUP_ICONS: Record<NonNullable<NetworkTreeItem['group']>, string> = {
  services: 'server-process',
  ingresses: 'globe',
  gateways: 'radio-tower',
  routes: 'git-merge',
  networkPolicies: 'shield',
};

export class NetworkView implements vscode.TreeDataProvider<NetworkTreeItem>, vscode.FileDecorationProvider, vscode.Disposable {
  static readonly viewId = 'kni.network';

  private readonly treeChanged = new vscode.EventEmitter<NetworkTreeItem | undefined>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly view: vscode.TreeView<NetworkTreeItem>;
  private readonly disposables: vscode.Disposable[] = [];
  private scope: GraphScope;
  /** Counts the refreshes (tests read it). */
  private refreshCount = 0;
  /** The version the server last announced, per scope: an answer of a lower one is of an older model. */
  private readonly announced = new Map<GraphScope, number>();
  /** The scope and version an older answer already asked the whole tree again for (once each). */
  private reissuedFor: string | undefined;
  /** Each item's parent as last answered (getParent, for reveal). */
  private readonly parents = new Map<string, NetworkTreeItem | undefined>();
  /** What VS Code was last given, per parent id ('' for the top level), with the refresh it came in (tests read it). */
  private readonly shown = new Map<string, { items: NetworkTreeItem[]; refresh: number }>();
  /** The badges VS Code asked for, by item id (tests read it). */
  private readonly badgesAsked = new Map<string, vscode.FileDecoration | undefined>();

  constructor(
    private readonly client: LanguageClient,
    private readonly source: NetworkSource,
    private readonly actions: NetworkActions,
  ) {
    this.scope = source.scope();
    this.view = vscode.window.createTreeView(NetworkView.viewId, { treeDataProvider: this, showCollapseAll: true });
    this.view.description = source.label();
    this.view.message = this.sourceMessage();
    this.disposables.push(
      this.view,
      this.treeChanged,
      vscode.window.registerFileDecorationProvider(this),
      client.onNotification(NETWORK_TREE_CHANGED_NOTIFICATION, (p: NetworkTreeChangedParams) => {
        if (typeof p?.version === 'number') this.announced.set(p.scope, p.version);
        if (p?.scope === this.scope) this.refresh();
      }),
      source.onDidChange(() => {
        const scope = source.scope();
        this.view.description = source.label();
        if (scope === this.scope) return;
        this.scope = scope;
        this.view.message = this.sourceMessage();
        this.refresh();
      }),
      vscode.commands.registerCommand('kni.network.refresh', () => this.refresh()),
      vscode.commands.registerCommand('kni.network.reveal', (item?: NetworkTreeItem) => reveal(item)),
      vscode.commands.registerCommand('kni.network.traceRequest', (item?: NetworkTreeItem) => (item?.trace ? actions.traceRequest(item.trace) : undefined)),
      vscode.commands.registerCommand('kni.network.showInInspector', (item?: NetworkTreeItem) => (item?.inspectorNodeId ? actions.showInInspector(item.inspectorNodeId) : undefined)),
    );
  }

  /** What the integration tests read: the items as the server answers them, and as VS Code was given them. */
  readonly observer: NetworkObserver = {
    scope: () => this.scope,
    visible: () => this.view.visible,
    select: (item) => this.select(item as NetworkTreeItem),
    reveal: async (item, options) => {
      await this.view.reveal(item as NetworkTreeItem, options);
    },
    children: async (parent) => (await this.fetch(parent as NetworkTreeItem | undefined)).items.map((item) => this.summarised(item)),
    shown: (parentId) => {
      const shown = this.shown.get(parentId ?? '');
      return shown && { refresh: shown.refresh, items: shown.items.map((item) => this.summarised(item)) };
    },
    badgeAsked: (id) => {
      if (!this.badgesAsked.has(id)) return undefined;
      const badge = this.badgesAsked.get(id);
      return { badge: typeof badge?.badge === 'string' ? badge.badge : undefined, tooltip: badge?.tooltip };
    },
    selection: () => this.view.selection.map((item) => item.id),
    refreshes: () => this.refreshCount,
  };

  /** The whole tree again: VS Code asks for the top level and each expanded item's children, and keeps rows by id. */
  refresh(): void {
    this.refreshCount++;
    if (this.parents.size > MAX_ROWS) this.parents.clear();
    if (this.shown.size > MAX_ROWS) this.shown.clear();
    if (this.badgesAsked.size > MAX_ROWS) this.badgesAsked.clear();
    this.treeChanged.fire(undefined);
  }

  async getChildren(element?: NetworkTreeItem): Promise<NetworkTreeItem[]> {
    const refresh = this.refreshCount;
    const result = await this.fetch(element);
    if (!element && result.scope === this.scope) this.topAnswered(result);
    this.shown.set(element?.id ?? '', { items: result.items, refresh });
    return result.items;
  }

  getParent(item: NetworkTreeItem): NetworkTreeItem | undefined {
    return this.parents.get(item.id);
  }

  /** Selects an item the view has shown (its parents expand). */
  async select(item: NetworkTreeItem): Promise<void> {
    await this.view.reveal(item, { select: true, focus: true, expand: false });
  }

  getTreeItem(item: NetworkTreeItem): vscode.TreeItem {
    const t = new vscode.TreeItem(item.label, collapsible(item));
    // The row is the object (the server's id says which: kind, namespace, name), so VS Code keeps it
    // expanded, selected and revealable across edits; what it counts is in its decoration's URI.
    t.id = `${this.scope}\n${item.id}`;
    t.description = item.description;
    t.tooltip = item.tooltip;
    t.iconPath = new vscode.ThemeIcon(item.kind === 'group' && item.group ? GROUP_ICONS[item.group] : ICONS[item.kind]);
    t.resourceUri = badgeUri(this.scope, item);
    t.contextValue = `${item.kind}${item.trace ? '.traceable' : ''}${item.inspectorNodeId ? '.inspectable' : ''}${item.location ? '.revealable' : ''}`;
    if (item.location) t.command = { command: 'kni.network.reveal', title: 'Show YAML', arguments: [item] };
    return t;
  }

  /** The badge is read from the URI alone: a URI always means the same badge, so VS Code's cache of decorations by URI is never stale. */
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== SCHEME) return undefined;
    const { id, counts } = fromBadgeUri(uri);
    const badge = counts && decoration(counts);
    if (id !== undefined) this.badgesAsked.set(id, badge);
    return badge;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** One request to the server; an answer of an older model (or of the scope shown before) asks for the whole tree again, once. */
  private async fetch(element: NetworkTreeItem | undefined): Promise<NetworkTreeResult> {
    const scope = this.scope;
    const params: NetworkTreeParams = { scope, ...(element ? { parent: element.id } : {}) };
    let result: NetworkTreeResult;
    try {
      await this.client.start();
      result = await this.client.sendRequest<NetworkTreeResult>(NETWORK_TREE_REQUEST, params);
    } catch (err) {
      this.view.message = `The language server did not answer: ${err instanceof Error ? err.message : String(err)}`;
      return { scope, version: 0, items: [] };
    }
    // VS Code folds a refresh into the fetch in flight, whose answers may be of the model before the change
    // announced since, or of the scope shown before; an expanded item the model no longer holds has no
    // children to show. Each is asked again, the whole tree, once per announcement.
    const announced = this.announced.get(this.scope) ?? 0;
    const stale = result.scope !== this.scope || result.version < announced || result.unknownParent === true;
    const key = `${this.scope} ${announced} ${result.version}`;
    if (stale && this.reissuedFor !== key) {
      this.reissuedFor = key;
      setTimeout(() => this.refresh(), 0);
    }
    for (const item of result.items) this.parents.set(item.id, element);
    return result;
  }

  private summarised(item: NetworkTreeItem): NetworkTreeItem & { treeItem: NetworkTreeItemSummary } {
    return { ...item, treeItem: summary(this.getTreeItem(item)) };
  }

  /** Said above the tree while it shows a cluster (a single view's header leaves its description out). */
  private sourceMessage(): string | undefined {
    return this.scope === 'cluster' ? `As in the cluster: ${this.source.label()}` : undefined;
  }

  /** The view's badge sums the top level's errors and warnings; the welcome view shows when there is nothing. */
  private topAnswered(result: NetworkTreeResult): void {
    const errors = result.items.reduce((n, i) => n + (i.findings?.errors ?? 0), 0);
    const warnings = result.items.reduce((n, i) => n + (i.findings?.warnings ?? 0), 0);
    this.view.badge = errors + warnings > 0 ? { value: errors + warnings, tooltip: [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')].filter(Boolean).join(', ') } : undefined;
    this.view.message = this.sourceMessage();
    void vscode.commands.executeCommand('setContext', 'kni.networkEmpty', result.items.length === 0 ? result.scope : false);
  }
}

/**
 * A row's decoration URI: its id and its counts (`kni-network:/files/<id>?1/0/2`). A row whose
 * counts change gets another URI, which VS Code asks the badge of when it draws the row again
 * (after the refresh that brought the counts); none is ever reused for other counts.
 */
function badgeUri(scope: GraphScope, item: NetworkTreeItem): vscode.Uri {
  const f = item.findings;
  return vscode.Uri.from({ scheme: SCHEME, path: `/${scope}/${encodeURIComponent(item.id)}`, query: f ? `${f.errors}/${f.warnings}/${f.infos}` : '' });
}

function fromBadgeUri(uri: vscode.Uri): { id?: string; counts?: NonNullable<NetworkTreeItem['findings']> } {
  const at = uri.path.indexOf('/', 1);
  const id = at > 0 ? decodeURIComponent(uri.path.slice(at + 1)) : undefined;
  const m = /^(\d+)\/(\d+)\/(\d+)$/.exec(uri.query);
  return { id, ...(m ? { counts: { errors: Number(m[1]), warnings: Number(m[2]), infos: Number(m[3]) } } : {}) };
}

function decoration(f: NonNullable<NetworkTreeItem['findings']>): vscode.FileDecoration | undefined {
  const total = f.errors + f.warnings + f.infos;
  if (total === 0) return undefined;
  const words = [f.errors && plural(f.errors, 'error'), f.warnings && plural(f.warnings, 'warning'), f.infos && plural(f.infos, 'info')].filter(Boolean).join(', ');
  const color = f.errors > 0 ? new vscode.ThemeColor('list.errorForeground') : f.warnings > 0 ? new vscode.ThemeColor('list.warningForeground') : undefined;
  return { badge: total > 9 ? '9+' : String(total), tooltip: words, color, propagate: false };
}

/** A namespace opens by itself when it is the only thing there is. */
function collapsible(item: NetworkTreeItem): vscode.TreeItemCollapsibleState {
  if (!item.hasChildren) return vscode.TreeItemCollapsibleState.None;
  return item.kind === 'namespace' || (item.kind === 'group' && item.group === 'services') ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Opens the item's YAML with its name selected, focus staying in the view (as the Explorer's single click does). */
async function reveal(item: NetworkTreeItem | undefined): Promise<void> {
  const at = item?.location;
  if (!at) return;
  const uri = vscode.Uri.parse(at.uri, true);
  const range = new vscode.Range(at.range.start.line, at.range.start.character, at.range.end.line, at.range.end.character);
  try {
    const editor = await vscode.window.showTextDocument(uri, { selection: range, preserveFocus: true, preview: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  } catch (err) {
    void vscode.window.showWarningMessage(`KNI: could not open ${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function summary(t: vscode.TreeItem): NetworkTreeItemSummary {
  return {
    description: typeof t.description === 'string' ? t.description : undefined,
    contextValue: t.contextValue ?? '',
    icon: t.iconPath instanceof vscode.ThemeIcon ? t.iconPath.id : '',
    collapsed: t.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed,
    ...(t.command ? { command: { command: t.command.command, arguments: t.command.arguments ?? [] } } : {}),
  };
}
