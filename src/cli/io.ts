// What a CLI command may touch of the outside world, so tests can run them in-process.
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Back-pressure for output too large to hold (kni connectivity): a promise
   * when the consumer of stdout is behind (what was written is still buffered
   * above the stream's high-water mark), resolved once it has caught up and
   * rejected with OutputClosedError when it went away; undefined when it is
   * not behind. Absent: stdout takes everything at once (tests, small output).
   */
  stdoutDrain?: () => Promise<void> | undefined;
  /** Whether stdout is a terminal (colour, widths). */
  isTTY: boolean;
  cwd: string;
}

/** The consumer of stdout closed it (`kni connectivity | head`): stop writing. */
export class OutputClosedError extends Error {}

export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;
