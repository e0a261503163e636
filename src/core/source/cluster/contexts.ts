// The contexts of the user's kubeconfig, for a picker: merged over the files
// kubectl reads ($KUBECONFIG, a path list, or ~/.kube/config) as kubectl
// merges them (the first file that names a context, or sets current-context,
// wins). A file that cannot be read is said, not thrown: the others still
// list. Reading contexts runs nothing and reads no credentials.
import { kubeconfigFiles } from './kubeconfig';

export interface KubeContext {
  name: string;
  cluster: string;
  /** The context's namespace, when it sets one. */
  namespace?: string;
}

export interface KubeContexts {
  /** The files read, in kubectl's order. */
  files: string[];
  contexts: KubeContext[];
  current?: string;
  /** Files that could not be read, for the picker to say so (no secrets: the file and the first line of the reason). */
  problems: string[];
}

export async function listContexts(files: readonly string[] = kubeconfigFiles()): Promise<KubeContexts> {
  // The config module alone, as loadKubeconfig loads it.
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
  const contexts: KubeContext[] = [];
  const problems: string[] = [];
  let current: string | undefined;
  for (const file of files) {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file, { onInvalidEntry: 'filter' });
    } catch (err) {
      problems.push(`${file}: ${String(err instanceof Error ? err.message : err).split('\n')[0]}`);
      continue;
    }
    current ??= kc.getCurrentContext() || undefined;
    for (const c of kc.getContexts()) {
      if (!contexts.some((x) => x.name === c.name)) contexts.push({ name: c.name, cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}) });
    }
  }
  return { files: [...files], contexts, ...(current ? { current } : {}), problems };
}
