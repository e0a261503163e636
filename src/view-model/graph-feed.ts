// The graphs sent to one receiver (a webview, a language client's scope) and
// their versions: each new graph goes as a patch of the one the receiver holds
// when a patch is worth sending, else whole. The extension's inspector host
// and the language server keep the same books.
import type { GraphPatch, TopologyGraph } from '../protocol';
import { diffGraphsInSlices, isEmptyPatch } from './graph-diff';
import type { SliceOptions } from './slices';

export type GraphUpdate = { version: number; baseVersion: number; patch: GraphPatch } | { version: number; graph: TopologyGraph };

export class GraphFeed {
  /** The graph the receiver holds, as far as we know: the base of the next patch. */
  private sent: { graph: TopologyGraph; version: number } | undefined;
  /** Counts the graphs sent (the versions patches name). */
  private counter = 0;

  /** The version of the graph the receiver holds (0: none). */
  get version(): number {
    return this.sent?.version ?? 0;
  }

  /** The receiver holds no graph (a new page, a lost patch): the next one goes whole. */
  forget(): void {
    this.sent = undefined;
  }

  /**
   * The update that brings the receiver to `graph`, diffed in slices; undefined
   * when the work was cancelled (then nothing counts as sent). With
   * `skipEmpty`, 'unchanged' when the graph is the one the receiver holds
   * (nothing to send; its version stays).
   */
  async next(graph: TopologyGraph, slices: SliceOptions = {}, skipEmpty = false): Promise<GraphUpdate | 'unchanged' | undefined> {
    const base = this.sent;
    const patch = base ? await diffGraphsInSlices(base.graph, graph, slices) : undefined;
    if (slices.cancelled?.()) return undefined;
    if (skipEmpty && base && patch && base === this.sent && isEmptyPatch(patch)) return 'unchanged';
    // The receiver asked for the whole graph meanwhile (a resync, a reload): the patch is of no use to it.
    return base && patch && base === this.sent ? this.record(graph, { baseVersion: base.version, patch }) : this.whole(graph);
  }

  /** The whole graph, as the next version. */
  whole(graph: TopologyGraph): GraphUpdate {
    return this.record(graph, { graph });
  }

  private record<T extends object>(graph: TopologyGraph, body: T): T & { version: number } {
    const version = ++this.counter;
    this.sent = { graph, version };
    return { version, ...body };
  }
}
