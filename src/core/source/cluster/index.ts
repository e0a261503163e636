// A live cluster as a model source (Node only: it talks HTTPS to the API server).
//
//   const source = new ClusterSource({ context, namespaces, allowExecPlugins: workspaceTrusted });
//   source.on('changed', (c) => render(source.model()));
//   source.on('status', (s) => showStatus(s));     // connecting | synced | degraded | error
//   source.on('warning', (w) => notifyOnce(w));     // once per cause
//   source.start(); await source.synced(); ... source.stop();
export { ClusterSource } from './source';
export type {
  ClusterSourceOptions,
  ClusterStatus,
  ClusterState,
  ClusterWarning,
  ClusterChange,
  ClusterSourceEvents,
  Disposable,
} from './source';
export type { ObjectChange } from './store';
export type { RetryOptions, ResourceType } from './informer';
export { ClusterConfigError, credentialPlugin, loadKubeconfig, kubeconfigFiles } from './kubeconfig';
export type { KubeconfigOptions, LoadedKubeconfig } from './kubeconfig';
export { ApiError, Redactor } from './transport';
export { POD_SPECIFIC_LABELS } from './workloads';
