// The graph the panel holds, as the host knows it: its scope, its version
// (the base the next patch must name) and the files / cluster choice. For the
// test API's summary it keeps the server's compact graph and the patches
// since, decoded only when asked: the host never decodes what the page
// decodes anyway.
import type { CompactGraph, GraphPatch, GraphScope, ModelViewChoice, TopologyGraph } from '../../protocol';
import { applyGraphPatch, decodeGraph } from '../../view-model';

/** Patches kept for a summary nobody asked for yet; beyond, the summary waits for the next whole graph. */
const UNREAD_PATCHES = 256;

export class HeldGraph {
  private compact: CompactGraph | undefined;
  private graph: TopologyGraph | undefined;
  private patches: GraphPatch[] = [];
  /** Too many patches went unread: no summary until the next whole graph. */
  private lost = false;

  constructor(
    readonly scope: GraphScope,
    public version: number,
    whole: CompactGraph | TopologyGraph,
    public view: ModelViewChoice | undefined,
  ) {
    if ('format' in whole) this.compact = whole;
    else this.graph = whole;
  }

  patched(version: number, patch: GraphPatch, view: ModelViewChoice | undefined): void {
    this.version = version;
    this.view = view;
    if (this.lost) return;
    // Once a summary was asked for (tests), each patch is applied as it comes: a few ms, never a backlog.
    if (this.graph) this.graph = applyGraphPatch(this.graph, patch);
    else if (this.patches.length < UNREAD_PATCHES) this.patches.push(patch);
    else {
      this.lost = true;
      this.compact = undefined;
      this.patches = [];
    }
  }

  /** The graph as the panel holds it (undefined after too many unread patches). */
  topology(): TopologyGraph | undefined {
    if (this.lost) return undefined;
    if (!this.graph && this.compact) {
      this.graph = decodeGraph(this.compact);
      this.compact = undefined;
    }
    if (this.graph) for (const p of this.patches.splice(0)) this.graph = applyGraphPatch(this.graph, p);
    return this.graph;
  }
}
