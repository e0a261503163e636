// Interim: the inspector still builds its graph and traces in the extension
// host from a model (InspectorHost's ModelProvider), while the cluster lives in
// the language server. This fetches the cluster's model and findings
// (kni/cluster/model) when the inspector draws the cluster and the server said
// it changed, and indexes it here. It goes once the inspector draws the
// server's graph of the 'cluster' scope (kni/graph), which sends a few nodes
// per watch event instead of the whole model.
import type { LanguageClient } from 'vscode-languageclient/node';
import type { KniConfig } from '../../core/config';
import type { Finding } from '../../core/findings/types';
import { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';
import { CLUSTER_MODEL_REQUEST, type ClusterModelResult } from '../../protocol';

export interface FetchedClusterView {
  context: string;
  index: ModelIndex;
  findings: readonly Finding[];
}

export class ClusterModelFallback {
  private held: FetchedClusterView | undefined;
  /** Bumped by each change the server announces; the held view is of `heldChange`. */
  private change = 0;
  private heldChange = -1;
  private fetching = false;

  constructor(
    private readonly client: LanguageClient,
    private readonly config: () => KniConfig,
    /** A newer view arrived: draw again. */
    private readonly fetched: () => void,
  ) {}

  /** The cluster's model changed on the server (or the connection did). */
  changed(): void {
    this.change++;
  }

  /** No cluster: nothing held. */
  clear(): void {
    this.held = undefined;
    this.change++;
  }

  /** The last view fetched (maybe older than the server's); asks for the newer one meanwhile. */
  view(context: string): FetchedClusterView | undefined {
    if (this.heldChange !== this.change && !this.fetching) void this.fetch();
    return this.held?.context === context ? this.held : undefined;
  }

  private async fetch(): Promise<void> {
    this.fetching = true;
    const change = this.change;
    try {
      const r = await this.client.sendRequest<ClusterModelResult<NetworkModel, Finding>>(CLUSTER_MODEL_REQUEST);
      if (this.change === change || r !== null) {
        this.held = r ? { context: r.context, index: new ModelIndex(r.model, { ignoreLabelKeys: this.config().ignoreLabelKeys }), findings: r.findings } : undefined;
      }
      this.heldChange = change;
    } catch {
      this.heldChange = change; // the server is gone: the status says so
    } finally {
      this.fetching = false;
    }
    this.fetched();
  }
}
