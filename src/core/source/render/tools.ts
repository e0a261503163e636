// Finding the render tools: helm for charts; kustomize, or kubectl's built-in
// Kustomize, for Kustomize roots. In order:
//   1. the explicit paths of the user's or machine's settings (`kni.helm.path`,
//      `kni.kustomize.path`; the adapter passes them and never a workspace's
//      value: a workspace must not choose a program we run);
//   2. the paths VS Code's Kubernetes extension records in the user's settings
//      (`vs-kubernetes` -> `vs-kubernetes.helm-path[.linux|.mac|.windows]`,
//      `vs-kubernetes.kubectl-path[...]`), then the tools it installs under
//      ~/.vs-kubernetes/tools (helm/<os>-<arch>/helm, kubectl/kubectl);
//   3. PATH.
// Helm's major comes from `helm version --short` (v3.x and v4.x are
// supported; Helm 2 needs Tiller and has other flags).
import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { renderEnvironment } from './env';
import { describeFailure, runTool } from './run';

export interface ToolSettings {
  /** `kni.helm.path` (user or machine scope only). */
  helmPath?: string;
  /** `kni.kustomize.path`: a kustomize binary, or a kubectl one (its name says which). */
  kustomizePath?: string;
  /** How the paths are named in messages (default: the settings; the CLI: its --helm/--kustomize flags). */
  helmPathName?: string;
  kustomizePathName?: string;
  /** The user-level value of VS Code's `vs-kubernetes` setting (an object), if any. */
  kubernetesExtension?: Record<string, unknown>;
}

export interface ToolHost {
  env: NodeJS.ProcessEnv;
  home: string;
  platform: NodeJS.Platform;
  arch: string;
}

export type ToolOrigin = 'setting' | 'vs-kubernetes' | 'path';

export interface HelmTool {
  command: string;
  major: 3 | 4;
  /** As `helm version --short` prints it ("v3.17.3+ge4da497"). */
  version: string;
  from: ToolOrigin;
}

export interface KustomizeTool {
  command: string;
  kind: 'kustomize' | 'kubectl';
  from: ToolOrigin;
}

/** A tool, or why there is none (said once to the user, with what to do). */
export type Found<T> = { tool: T; problem?: undefined } | { tool?: undefined; problem: string };

export const HELM_INSTALL_HINT = 'install Helm 3 or 4 (https://helm.sh/docs/intro/install/) or set kni.helm.path to the helm binary';
export const KUSTOMIZE_INSTALL_HINT = 'install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl, or set kni.kustomize.path';

export function currentHost(): ToolHost {
  return { env: process.env, home: process.env.HOME ?? process.env.USERPROFILE ?? '', platform: process.platform, arch: process.arch };
}

function isExecutable(path: string, host: ToolHost): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (host.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` on PATH (with PATHEXT's extensions on Windows). */
export function onPath(name: string, host: ToolHost): string | undefined {
  const pathVar = host.env.PATH ?? host.env.Path ?? '';
  const exts = host.platform === 'win32' ? (host.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathVar.split(host.platform === 'win32' ? ';' : delimiter)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext.toLowerCase());
      if (isExecutable(candidate, host)) return candidate;
    }
  }
  return undefined;
}

function vsKubernetesSetting(settings: ToolSettings, key: 'helm-path' | 'kubectl-path', host: ToolHost): string | undefined {
  const s = settings.kubernetesExtension;
  if (!s || typeof s !== 'object') return undefined;
  const os = host.platform === 'win32' ? 'windows' : host.platform === 'darwin' ? 'mac' : 'linux';
  for (const k of [`vs-kubernetes.${key}.${os}`, `vs-kubernetes.${key}`]) {
    const v = s[k];
    if (typeof v === 'string' && v.trim() !== '') return expandHome(v.trim(), host);
  }
  return undefined;
}

function vsKubernetesInstalled(tool: 'helm' | 'kubectl', host: ToolHost): string | undefined {
  if (host.home === '') return undefined;
  const exe = host.platform === 'win32' ? `${tool}.exe` : tool;
  const base = join(host.home, '.vs-kubernetes', 'tools', tool);
  const os = host.platform === 'win32' ? 'windows' : host.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = os !== 'linux' ? 'amd64' : host.arch === 'arm64' ? 'arm64' : host.arch === 'arm' ? 'arm' : 'amd64';
  const candidates = tool === 'helm' ? [join(base, `${os}-${arch}`, exe)] : [join(base, exe)];
  return candidates.find((c) => isExecutable(c, host));
}

function expandHome(p: string, host: ToolHost): string {
  return p === '~' || p.startsWith('~/') ? join(host.home, p.slice(1)) : p;
}

/** A configured path: used as given when it names a file, looked up on PATH when it is a bare name ("helm"). */
function configured(path: string, host: ToolHost): string | undefined {
  const p = expandHome(path, host);
  if (isAbsolute(p)) return isExecutable(p, host) ? p : undefined;
  if (!p.includes('/') && !p.includes('\\')) return onPath(p, host);
  return undefined;
}

export async function findHelm(settings: ToolSettings, host: ToolHost = currentHost(), signal?: AbortSignal): Promise<Found<HelmTool>> {
  let command: string | undefined;
  let from: ToolOrigin = 'path';
  if (settings.helmPath !== undefined && settings.helmPath.trim() !== '') {
    command = configured(settings.helmPath.trim(), host);
    if (command === undefined) return { problem: `${settings.helmPathName ?? 'kni.helm.path'} is "${settings.helmPath}", which is not an executable file; set it to the helm binary, or clear it to use helm from PATH` };
    from = 'setting';
  }
  if (command === undefined) {
    const fromExtension = vsKubernetesSetting(settings, 'helm-path', host);
    command = fromExtension !== undefined ? configured(fromExtension, host) : undefined;
    command ??= vsKubernetesInstalled('helm', host);
    if (command !== undefined) from = 'vs-kubernetes';
  }
  command ??= onPath('helm', host);
  if (command === undefined) return { problem: `helm was not found; ${HELM_INSTALL_HINT}` };
  const run = await runTool(command, ['version', '--short'], { cwd: host.home || '/', env: renderEnvironment(host.env), timeoutMs: 10_000, maxOutputBytes: 64 * 1024, signal });
  const failure = describeFailure('helm', run, 10_000);
  if (failure !== undefined) return { problem: `${failure} (${command}); ${HELM_INSTALL_HINT}` };
  // Helm 3 and 4 print "v3.17.3+ge4da497"; Helm 2 "Client: v2.17.0+ga690bad".
  const version = /\bv?(\d+\.\d+\.\d+\S*)/.exec(run.stdout)?.[0] ?? '';
  const major = /^v?(\d+)\./.exec(version)?.[1];
  if (run.code !== 0 || major === undefined) return { problem: `${command} version --short did not print a Helm version (${(run.stderr || run.stdout).trim().slice(0, 200) || `exit code ${run.code}`}); ${HELM_INSTALL_HINT}` };
  if (major !== '3' && major !== '4') return { problem: `${command} is Helm ${version}; renders need Helm 3 or 4 (${HELM_INSTALL_HINT})` };
  return { tool: { command, major: Number(major) as 3 | 4, version, from } };
}

function kustomizeKind(command: string): 'kustomize' | 'kubectl' {
  return /^kubectl(\.exe)?$/i.test(basename(command)) ? 'kubectl' : 'kustomize';
}

export function findKustomize(settings: ToolSettings, host: ToolHost = currentHost()): Found<KustomizeTool> {
  if (settings.kustomizePath !== undefined && settings.kustomizePath.trim() !== '') {
    const command = configured(settings.kustomizePath.trim(), host);
    if (command === undefined) return { problem: `${settings.kustomizePathName ?? 'kni.kustomize.path'} is "${settings.kustomizePath}", which is not an executable file; set it to a kustomize or kubectl binary, or clear it to use one from PATH` };
    return { tool: { command, kind: kustomizeKind(command), from: 'setting' } };
  }
  const kustomize = onPath('kustomize', host);
  if (kustomize !== undefined) return { tool: { command: kustomize, kind: 'kustomize', from: 'path' } };
  const fromExtension = vsKubernetesSetting(settings, 'kubectl-path', host);
  const extensionKubectl = (fromExtension !== undefined ? configured(fromExtension, host) : undefined) ?? vsKubernetesInstalled('kubectl', host);
  if (extensionKubectl !== undefined) return { tool: { command: extensionKubectl, kind: 'kubectl', from: 'vs-kubernetes' } };
  const kubectl = onPath('kubectl', host);
  if (kubectl !== undefined) return { tool: { command: kubectl, kind: 'kubectl', from: 'path' } };
  return { problem: `neither kustomize nor kubectl was found; ${KUSTOMIZE_INSTALL_HINT}` };
}
