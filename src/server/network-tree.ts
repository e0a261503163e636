// The Network view's side of the language server: the children of one item
// of a scope's network tree (core/editor/network-tree.ts) per request, with
// each object's place as an LSP range, and `kni/networkTreeChanged` when the
// scope's model changed (at most every CHANGE_DELAY_MS: a cluster's watch
// events come in bursts).
//
// The change contract: once a client has asked about a scope, every later
// change of the scope's model (its objects or its findings) is announced,
// whether or not the client asked again since. Announcements and answers
// carry the scope's version, which grows with each model the server answers
// from or announces: a client that holds an answer older than an announcement
// it has seen asks again. (Announcing a change once until the client asked
// again could leave a view stale for good: a client that asked for one
// subtree of the new model before the announcement was due silenced it while
// its other rows still showed the old model, and a client that did not ask in
// time, its view hidden or its refresh folded into a fetch in flight, heard of
// no later change.) The cost is one small notification per change of a
// scope a client once showed.
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

/** A scope's tree as last built (none: the scope had no model) and its version. */
interface Snapshot {
  tree: NetworkTree | undefined;
  version: number;
}

export class NetworkTreeService {
  private readonly snapshots = new Map<GraphScope, Snapshot>();
  /** The scopes a client asked about, each with the version last announced (or first answered). */
  private readonly told = new Map<GraphScope, number>();
  private readonly timers = new Map<GraphScope, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly deps: NetworkTreeDeps,
  ) {}

  register(): void {
    this.connection.onRequest(NETWORK_TREE_REQUEST, (params: NetworkTreeParams) => this.children(params));
  }

  /** A scope's model may have changed (absent: any scope's): a client that asked about it hears of it if it did. */
  changed(scope?: GraphScope): void {
    for (const name of scope ? [scope] : GRAPH_SCOPES) {
      if (!this.told.has(name) || this.timers.has(name)) continue;
      this.timers.set(
        name,
        setTimeout(() => {
          this.timers.delete(name);
          const { version } = this.snapshot(name);
          if (version === this.told.get(name)) return;
          this.told.set(name, version);
          const params: NetworkTreeChangedParams = { scope: name, version };
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
    const { tree, version } = this.snapshot(scope);
    if (!this.told.has(scope)) this.told.set(scope, version);
    if (!tree) return params.parent === undefined ? { scope, version, items: [], empty: EMPTY[scope] } : { scope, version, items: [], unknownParent: true };
    const nodes = tree.children(params.parent);
    if (!nodes) return { scope, version, items: [], unknownParent: true };
    const items = nodes.map((n) => this.item(n));
    return items.length === 0 && params.parent === undefined ? { scope, version, items, empty: EMPTY.files } : { scope, version, items };
  }

  /** The tree of the scope's model now: the same one, and the same version, while neither the model nor its findings changed. */
  private snapshot(scope: GraphScope): Snapshot {
    const model = this.deps.model(scope);
    const known = this.snapshots.get(scope) ?? { tree: undefined, version: 0 };
    const same = model ? known.tree?.index === model.index && known.tree.findings === model.findings : known.tree === undefined;
    if (same) return known;
    const next = { tree: model && new NetworkTree(model.index, model.findings), version: known.version + 1 };
    this.snapshots.set(scope, next);
    return next;
  }

  private item(node: NetworkTreeNode): NetworkTreeItem {
    const { loc, ...item } = node;
    const location = loc ? this.deps.place(loc) : undefined;
    return location ? { ...item, location } : item;
  }
}
