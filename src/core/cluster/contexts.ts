// The contexts of the kubeconfig kubectl would read ($KUBECONFIG or
// ~/.kube/config), merged as kubectl merges them: the first file that names a
// context (or a current-context) wins. Reading a kubeconfig runs nothing (no
// credential plugin): it is the caller's to allow it at all (trust).
import type { ContextsResult, KubeContextInfo } from '../../protocol';
import { kubeconfigFiles } from '../source/cluster';

export type KubeContext = KubeContextInfo;
export type KubeContexts = ContextsResult;

export async function listContexts(files: string[] = kubeconfigFiles()): Promise<KubeContexts> {
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
  return { files, contexts, ...(current ? { current } : {}), problems };
}
