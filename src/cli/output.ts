// Output written a piece at a time with back-pressure: text is gathered into
// chunks and a chunk is handed to stdout only when the consumer has taken the
// previous ones (CliIO.stdoutDrain). Memory held here is at most one chunk,
// plus what the stream buffers up to its high-water mark, whatever the total
// size (gigabytes for `kni connectivity --all` on thousands of workloads).
import type { CliIO } from './io';

export const CHUNK_CHARS = 64 * 1024;

export class StreamedOutput {
  private chunk = '';

  constructor(
    private readonly io: CliIO,
    private readonly chunkChars = CHUNK_CHARS,
  ) {}

  /** Gathers text; check `full` after each piece and flush when it is. */
  write(text: string): void {
    this.chunk += text;
  }

  /** Whether a chunk is due: then `await flush()` before writing more. */
  get full(): boolean {
    return this.chunk.length >= this.chunkChars;
  }

  /** Hands the gathered text to stdout and waits while the consumer is behind. */
  async flush(): Promise<void> {
    if (this.chunk) {
      const text = this.chunk;
      this.chunk = '';
      this.io.stdout(text);
    }
    const waiting = this.io.stdoutDrain?.();
    if (waiting) await waiting;
  }
}
