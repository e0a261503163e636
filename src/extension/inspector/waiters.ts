// Promises for "the next time X happens", each with its own time limit.
export class Waiters<T> {
  private pending: { resolve: (value: T) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }[] = [];

  constructor(private readonly what: string) {}

  wait(timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.pending = this.pending.filter((p) => p !== entry);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${this.what}`));
        }, timeoutMs),
      };
      this.pending.push(entry);
    });
  }

  resolveAll(value: T): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) {
      clearTimeout(p.timer);
      p.resolve(value);
    }
  }

  rejectAll(reason: string): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
  }
}
