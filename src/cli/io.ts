// What a CLI command may touch of the outside world, so tests can run them in-process.
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colour, widths). */
  isTTY: boolean;
  cwd: string;
}

export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;
