// The Network view (activity bar → Kubernetes Network → Network): the
// language server's tree (kni/networkTree) of the source the inspector draws
// (the workspace's files, or the cluster while one is connected and chosen),
// asked per item as the user expands it. Selecting an item reveals its YAML;
// inline actions trace its request and show it in the inspector; finding
// counts are badges (a file decoration on the item's own URI) and the view's
// badge sums them. Refreshed when the server says the tree changed.
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
/** Badges (and parents) kept for rows still drawn: far more than a view shows. */
const MAX_BADGES = 50_000;

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
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly view: vscode.TreeView<NetworkTreeItem>;
  private readonly disposables: vscode.Disposable[] = [];
  /** Finding counts by the decoration URI of the items answered. */
  private readonly findings = new Map<string, NonNullable<NetworkTreeItem['findings']>>();
  /** Each answered item's decoration URI. */
  private readonly uris = new WeakMap<NetworkTreeItem, vscode.Uri>();
  private answers = 0;
  private scope: GraphScope;
  /** Counts the refreshes: an answer to an older one is not shown. */
  private generation = 0;
  /** The generation whose refresh was fired again after an answer of an older one. */
  private reissued = 0;
  /** Each item's parent as last answered (getParent, for reveal). */
  private readonly parents = new Map<string, NetworkTreeItem | undefined>();

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
      this.decorationsChanged,
      vscode.window.registerFileDecorationProvider(this),
      client.onNotification(NETWORK_TREE_CHANGED_NOTIFICATION, (p: NetworkTreeChangedParams) => {
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

  /** What the integration tests read: the items as the view shows them. */
  readonly observer: NetworkObserver = {
    scope: () => this.scope,
    visible: () => this.view.visible,
    select: (item) => this.select(item as NetworkTreeItem),
    children: async (parent) => (await this.getChildren(parent as NetworkTreeItem | undefined)).map((item) => ({ ...item, treeItem: summary(this.getTreeItem(item)) })),
    refreshes: () => this.generation,
  };

  refresh(): void {
    this.generation++;
    if (this.parents.size > MAX_BADGES) this.parents.clear();
    this.treeChanged.fire(undefined);
  }

  async getChildren(element?: NetworkTreeItem): Promise<NetworkTreeItem[]> {
    const generation = this.generation;
    const params: NetworkTreeParams = { scope: this.scope, ...(element ? { parent: element.id } : {}) };
    let result: NetworkTreeResult;
    try {
      await this.client.start();
      result = await this.client.sendRequest<NetworkTreeResult>(NETWORK_TREE_REQUEST, params);
    } catch (err) {
      this.view.message = `The language server did not answer: ${err instanceof Error ? err.message : String(err)}`;
      return [];
    }
    if (generation === this.generation) {
      if (!element) this.topAnswered(result);
      // The model changed under an expanded item: the whole tree again (ids keep what was expanded).
      if (result.unknownParent) setTimeout(() => this.refresh(), 0);
    } else if (this.reissued !== this.generation) {
      // A refresh came while this was asked: VS Code folds a refresh into the fetch in flight, whose
      // answers are the older model's. Once more, for the model now.
      this.reissued = this.generation;
      setTimeout(() => this.treeChanged.fire(undefined), 0);
    }
    // Each answer's items get URIs of their own, each in a folder of its own: a row shows the badge of the
    // answer it was drawn from (VS Code caches a decoration per URI, and of the URIs a change event names
    // it fetches again one per folder: a reused URI kept findings its item no longer had).
    const answer = ++this.answers;
    const changed: vscode.Uri[] = [];
    for (const item of result.items) {
      this.parents.set(item.id, element);
      const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${encodeURIComponent(item.id)}/${answer}` });
      this.uris.set(item, uri);
      if (!item.findings) continue;
      this.findings.set(uri.toString(), item.findings);
      changed.push(uri);
    }
    // Old answers' rows are gone once the view asked again: keep the newest badges only.
    for (const key of this.findings.keys()) {
      if (this.findings.size <= MAX_BADGES) break;
      this.findings.delete(key);
    }
    if (changed.length > 0) this.decorationsChanged.fire(changed);
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
    // The finding counts are part of the id: VS Code draws a row of an unchanged id again with its old
    // decoration (a badge that outlived its findings), so a row whose counts changed is a new row.
    const f = item.findings;
    t.id = `${this.scope}\n${item.id}${f ? `\n${f.errors}/${f.warnings}/${f.infos}` : ''}`;
    t.description = item.description;
    t.tooltip = item.tooltip;
    t.iconPath = new vscode.ThemeIcon(item.kind === 'group' && item.group ? GROUP_ICONS[item.group] : ICONS[item.kind]);
    t.resourceUri = this.uris.get(item);
    t.contextValue = `${item.kind}${item.trace ? '.traceable' : ''}${item.inspectorNodeId ? '.inspectable' : ''}${item.location ? '.revealable' : ''}`;
    if (item.location) t.command = { command: 'kni.network.reveal', title: 'Show YAML', arguments: [item] };
    return t;
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== SCHEME) return undefined;
    const f = this.findings.get(uri.toString());
    if (!f) return undefined;
    const total = f.errors + f.warnings + f.infos;
    const words = [f.errors && plural(f.errors, 'error'), f.warnings && plural(f.warnings, 'warning'), f.infos && plural(f.infos, 'info')].filter(Boolean).join(', ');
    const color = f.errors > 0 ? new vscode.ThemeColor('list.errorForeground') : f.warnings > 0 ? new vscode.ThemeColor('list.warningForeground') : undefined;
    return { badge: total > 9 ? '9+' : String(total), tooltip: words, color, propagate: false };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
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
