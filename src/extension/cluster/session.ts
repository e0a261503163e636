// The live cluster's session and the kubeconfig's contexts, from the core (the
// language server uses the same). Imported on first use only (a context is
// chosen, or restored from the workspace state): activation never loads the
// Kubernetes client.
export { ClusterSession } from '../../core/cluster/session';
export type { ClusterSessionOptions, ClusterView } from '../../core/cluster/session';
export { listContexts } from '../../core/cluster/contexts';
export type { KubeContext, KubeContexts } from '../../core/cluster/contexts';
