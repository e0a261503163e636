// Running a render tool: never through a shell, with a time limit and a bound
// on what it may print, and the reason in words when it fails. The caller
// chooses the environment (renders pass a scrubbed one: no plugins, no proxy
// to the outside world).
import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  /** The child's whole environment (nothing is inherited unless passed here). */
  env: NodeJS.ProcessEnv;
  /** Killed after this many milliseconds (default 20 s). */
  timeoutMs?: number;
  /** Killed once stdout and stderr together exceed this many bytes (default 64 MB). */
  maxOutputBytes?: number;
  /** Cancels the run (the child is killed). */
  signal?: AbortSignal;
}

export interface RunResult {
  /** The exit code; null when the process was killed or never started. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the run did not finish normally, in words, if it did not. */
  failure?: 'not-found' | 'timeout' | 'output-too-large' | 'cancelled' | 'spawn-failed';
  /** The spawn error's message, when failure is 'spawn-failed' or 'not-found'. */
  detail?: string;
}

export const DEFAULT_RENDER_TIMEOUT_MS = 20_000;
export const DEFAULT_RENDER_MAX_OUTPUT = 64 * 1024 * 1024;

export function runTool(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_RENDER_MAX_OUTPUT;
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ code: null, stdout: '', stderr: '', failure: 'cancelled' });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let failure: RunResult['failure'];
    let detail: string | undefined;
    let settled = false;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group, so a kill also ends what the tool started.
      detached: process.platform !== 'win32',
    });
    const kill = (why: NonNullable<RunResult['failure']>) => {
      if (failure === undefined) failure = why;
      try {
        if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    const onAbort = () => kill('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (failure !== undefined) return;
      bytes += chunk.length;
      if (bytes > maxBytes) {
        kill('output-too-large');
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        code: failure === undefined ? code : null,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(failure !== undefined ? { failure } : {}),
        ...(detail !== undefined ? { detail } : {}),
      });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure = e.code === 'ENOENT' ? 'not-found' : 'spawn-failed';
      detail = e.message;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** The failure of a run in words, for messages ("helm timed out after 20 s"). */
export function describeFailure(tool: string, result: RunResult, timeoutMs = DEFAULT_RENDER_TIMEOUT_MS): string | undefined {
  switch (result.failure) {
    case undefined:
      return undefined;
    case 'not-found':
      return `${tool} was not found`;
    case 'timeout':
      return `${tool} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`;
    case 'output-too-large':
      return `${tool} printed more than the output limit and was stopped`;
    case 'cancelled':
      return `the ${tool} run was cancelled`;
    case 'spawn-failed':
      return `${tool} could not be started (${result.detail ?? 'unknown error'})`;
  }
}
