// The environment a render tool runs in: nothing of the user's Helm or
// Kustomize setup (plugins, repositories, registry logins, kubeconfig) and
// no way out to the network. A chart is data from the workspace; rendering it
// must not run a plugin, fetch a dependency or reach a cluster.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where proxies point: the discard port on the loopback address, where nothing listens on a normal machine (any request fails at once). */
export const CLOSED_PROXY = 'http://127.0.0.1:9';

let scratch: string | undefined;

/** A private empty folder for the process's renders (Helm's config/cache/data homes, an empty plugin folder, an empty kubeconfig); removed on exit. */
export function renderScratchDir(): string {
  if (scratch !== undefined) return scratch;
  const dir = mkdtempSync(join(tmpdir(), 'kni-render-'));
  for (const sub of ['home', 'helm-config', 'helm-cache', 'helm-data', 'helm-plugins', 'kustomize-plugins']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  writeFileSync(join(dir, 'helm-config', 'repositories.yaml'), 'apiVersion: ""\nrepositories: []\n');
  writeFileSync(join(dir, 'helm-config', 'registry.json'), '{"auths":{}}\n');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  scratch = dir;
  return dir;
}

/** Variables kept from the parent: what a program needs to start and to find temp space (no HOME, no KUBECONFIG, no HELM_*, no proxies). */
const KEPT = ['PATH', 'Path', 'PATHEXT', 'SystemRoot', 'SYSTEMROOT', 'windir', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL'];

/** The whole environment of a render run (run.ts passes nothing else). */
export function renderEnvironment(parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dir = renderScratchDir();
  const env: NodeJS.ProcessEnv = {};
  for (const k of KEPT) if (parent[k] !== undefined) env[k] = parent[k];
  const home = join(dir, 'home');
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: home,
    XDG_CACHE_HOME: home,
    XDG_DATA_HOME: home,
    // Helm: empty homes, no plugins, no repositories or registry logins.
    HELM_CONFIG_HOME: join(dir, 'helm-config'),
    HELM_CACHE_HOME: join(dir, 'helm-cache'),
    HELM_DATA_HOME: join(dir, 'helm-data'),
    HELM_PLUGINS: join(dir, 'helm-plugins'),
    HELM_REPOSITORY_CONFIG: join(dir, 'helm-config', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(dir, 'helm-cache', 'repository'),
    HELM_REGISTRY_CONFIG: join(dir, 'helm-config', 'registry.json'),
    HELM_NAMESPACE: '',
    // Kustomize: no plugin home; kubectl: a kubeconfig without clusters.
    KUSTOMIZE_PLUGIN_HOME: join(dir, 'kustomize-plugins'),
    KUBECONFIG: join(dir, 'kubeconfig'),
    // No network: every proxy variable (both spellings) points at a closed port, nothing is exempt.
    HTTP_PROXY: CLOSED_PROXY,
    HTTPS_PROXY: CLOSED_PROXY,
    ALL_PROXY: CLOSED_PROXY,
    http_proxy: CLOSED_PROXY,
    https_proxy: CLOSED_PROXY,
    all_proxy: CLOSED_PROXY,
    NO_PROXY: '',
    no_proxy: '',
  });
  return env;
}
