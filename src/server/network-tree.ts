// The Network view's side of the language server: the children of one item
// of a scope's network tree (core/editor/network-tree.ts) per request, with
// each object's place as an LSP range, and `kni/networkTreeChanged` when the
// scope's model changed after the client last asked (at most every
// CHANGE_DELAY_MS: a cluster's watch events come in bursts).
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type { Finding } from '../core/findings/types';
import type { ModelIndex } from '../core/model/model-index';
import type { Loc } from '../core/model/types';
import { NetworkTree, type NetworkTreeNode } from '../core/editor/network-tree';
import { GRAPH_SCOPES, NETWORK_TREE_CHANGED_NOTIFICATION, NETWORK_TREE_REQUEST, type GraphScope, type NetworkTreeChangedParams, type NetworkTreeItem, type NetworkTreeParams, type NetworkTreeResult } from '../protocol';

export interface NetworkTreeDeps {
  /** The scope's model now; undefined when there is none (no cluster connected, no manifest). */
  model(scope: GraphScope): { index: ModelIndex; findings: readonly Finding[] } | undefined;
  /** Where a span is in the client's terms (undefined: not in a file the server holds). */
  place(loc: Loc): NetworkTreeItem['location'] | undefined;
  /** Requests wait for the work queued before them (the analysis of an edit). */
  ready(): Promise<void>;
}

const CHANGE_DELAY_MS = 250;

const EMPTY: Record<GraphScope, string> = {
  files: 'The workspace holds no Kubernetes Service, Ingress, Gateway, route or NetworkPolicy.',
  cluster: 'No cluster is connected.',
};

export class NetworkTreeService {
  private readonly trees = new Map<GraphScope, NetworkTree>();
  /** Scopes the client asked about since their last change notification. */
  private readonly asked = new Set<GraphScope>();
  private readonly timers = new Map<GraphScope, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly deps: NetworkTreeDeps,
  ) {}

  register(): void {
    this.connection.onRequest(NETWORK_TREE_REQUEST, (params: NetworkTreeParams) => this.children(params));
  }

  /** A scope's model may have changed: a client that asked about it hears so (once, until it asks again). */
  changed(scope?: GraphScope): void {
    for (const name of scope ? [scope] : GRAPH_SCOPES) {
      if (!this.asked.has(name) || this.timers.has(name)) continue;
      this.timers.set(
        name,
        setTimeout(() => {
          this.timers.delete(name);
          const tree = this.trees.get(name);
          const model = this.deps.model(name);
          if (tree && model && tree.index === model.index && tree.findings === model.findings) return;
          this.asked.delete(name);
          const params: NetworkTreeChangedParams = { scope: name };
          void this.connection.sendNotification(NETWORK_TREE_CHANGED_NOTIFICATION, params);
        }, CHANGE_DELAY_MS),
      );
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private async children(params: NetworkTreeParams): Promise<NetworkTreeResult> {
    const scope = params?.scope;
    if (!GRAPH_SCOPES.includes(scope)) throw new ResponseError(LSPErrorCodes.RequestFailed, `scope must be one of ${GRAPH_SCOPES.join(', ')}`);
    if (params.parent !== undefined && typeof params.parent !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, "parent is an item's id");
    await this.deps.ready();
    this.asked.add(scope);
    const tree = this.tree(scope);
    if (!tree) return params.parent === undefined ? { scope, items: [], empty: EMPTY[scope] } : { scope, items: [], unknownParent: true };
    const nodes = tree.children(params.parent);
    if (!nodes) return { scope, items: [], unknownParent: true };
    const items = nodes.map((n) => this.item(n));
    return items.length === 0 && params.parent === undefined ? { scope, items, empty: EMPTY.files } : { scope, items };
  }

  /** The tree of the scope's model now: the same one while neither the model nor its findings changed. */
  private tree(scope: GraphScope): NetworkTree | undefined {
    const model = this.deps.model(scope);
    if (!model) {
      this.trees.delete(scope);
      return undefined;
    }
    const known = this.trees.get(scope);
    if (known && known.index === model.index && known.findings === model.findings) return known;
    const tree = new NetworkTree(model.index, model.findings);
    this.trees.set(scope, tree);
    return tree;
  }

  private item(node: NetworkTreeNode): NetworkTreeItem {
    const { loc, ...item } = node;
    const location = loc ? this.deps.place(loc) : undefined;
    return location ? { ...item, location } : item;
  }
}
