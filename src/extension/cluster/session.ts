// The live cluster's session, from the core (the language server runs the
// same). Imported on first use only (a context is chosen, or restored from the
// workspace state): activation never loads the Kubernetes client.
export { ClusterSession } from '../../core/cluster/session';
export type { ClusterSessionOptions, ClusterView } from '../../core/cluster/session';
