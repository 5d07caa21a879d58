/**
 * Time and memory limits for a checker. The checkers are pure and take a
 * callback; this is the callback, with the clock and the process's memory.
 */
export class Budget {
  private readonly deadline: number;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
  ) {
    this.deadline = performance.now() + timeoutMs;
  }

  /** A reason to stop, or undefined. */
  exceeded(checkerBytes = 0): string | undefined {
    if (performance.now() > this.deadline) return `time limit of ${this.timeoutMs / 1000} s reached`;
    const used = Math.max(checkerBytes, process.memoryUsage().heapUsed);
    if (used > this.maxBytes) return `memory limit of ${Math.round(this.maxBytes / 1048576)} MiB reached`;
    return undefined;
  }
}
