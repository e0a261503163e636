// A live cluster as a model source (Node only: it talks HTTPS to the API server).
//
//   const source = new ClusterSource({ context, namespaces, allowExecPlugins: workspaceTrusted,
//                                      untrustedRoots: workspaceFolders, batchMs: 100 });
//   source.on('changed', (c) => render(source.model()));  // c.resync, or c.objects that changed
//   source.on('status', (s) => showStatus(s));   // connecting | synced | degraded | error (+ message)
//   source.on('warning', (w) => notify(w));       // once per cause, e.g. a 403 on one type
//   source.on('retrying', (s) => log(s));         // every failed request that is retried (delay, attempt)
//   source.on('progress', (p) => show(p));        // each list page before the first sync
//   source.start(); await source.synced(); ... source.stop();
//
// A partial read (a type answers 403) is a model with `unread` set (also
// `source.unread()`): rules (rules/unread.ts) and policy verdicts consult it.
// A 410 Gone relists after client-go's backoff; exec credential plugins run
// once per credential (credentials.ts); a 401 refreshes them once (transport.ts).
//
// What it reads: Namespaces, Nodes, Pods (grouped into Workloads, see workloads.ts),
// Services, EndpointSlices (legacy Endpoints where discovery.k8s.io/v1 is absent),
// Ingresses, IngressClasses, NetworkPolicies, and HTTPRoutes/GRPCRoutes where the
// Gateway API CRDs are served (checked once, at start). Never Secrets.
// Without permission to list Namespaces (a namespace-scoped role) it reads the chosen
// namespaces, else the kubeconfig context's, and says so in one warning.
// Model objects: origin.source 'cluster', id = metadata.uid, no locs.
// The kubeconfig: $KUBECONFIG or ~/.kube/config (or `kubeconfigPath`); exec credential
// plugins run only with `allowExecPlugins` and never from a file under `untrustedRoots`.
export { ClusterSource } from './source';
export type {
  ClusterSourceOptions,
  ClusterStatus,
  ClusterState,
  ClusterWarning,
  ClusterChange,
  ClusterSourceEvents,
  Disposable,
  ListProgress,
} from './source';
export type { ObjectChange } from './store';
export type { RetryOptions, RelistOptions, ResourceType } from './informer';
export { formatMs } from './source';
export { ClusterConfigError, credentialPlugin, loadKubeconfig, kubeconfigFiles } from './kubeconfig';
export type { KubeconfigOptions, LoadedKubeconfig } from './kubeconfig';
export { listContexts } from './contexts';
export type { KubeContext, KubeContexts } from './contexts';
export { ApiError, Redactor } from './transport';
export { POD_SPECIFIC_LABELS } from './workloads';
