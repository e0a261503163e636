// Long pieces of work written as generators that yield between steps, run
// either in one go or in time slices with pauses between them, so the thread
// they run on (the extension host: every extension's events) is never blocked
// for long.

export interface SliceOptions {
  /** The longest stretch of work between two pauses (default 8 ms). */
  sliceMs?: number;
  /** Lets the rest of the thread run between slices (default: a macrotask). */
  pause?: () => Promise<void>;
  /** Asked after every pause: true abandons the work (say, a newer build has started), which then resolves undefined. */
  cancelled?: () => boolean;
}

/** Runs the steps without pausing. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps in slices of at most `sliceMs` (one step may overrun it), pausing between slices. */
export async function runInSlices<T>(steps: Generator<void, T>, slices: SliceOptions = {}): Promise<T | undefined> {
  const sliceMs = slices.sliceMs ?? 8;
  const pause = slices.pause ?? (() => new Promise<void>((resume) => setTimeout(resume, 0)));
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await pause();
      if (slices.cancelled?.()) return undefined;
      sliceStart = performance.now();
    }
  }
}
