/**
 * Time and memory limits for a checker. The checkers are pure and take a
 * callback; this is the callback, with the clock and the process's memory.
 */
const HEAP_CHECK_INTERVAL_MS = 200;

export class Budget {
  private readonly deadline: number;
  private nextHeapCheck: number;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
  ) {
    this.deadline = performance.now() + timeoutMs;
    this.nextHeapCheck = performance.now() + HEAP_CHECK_INTERVAL_MS;
  }

  /** A reason to stop, or undefined. `checkerBytes` is what the checker knows it holds. */
  exceeded(checkerBytes = 0): string | undefined {
    const now = performance.now();
    if (now > this.deadline) return `time limit of ${this.timeoutMs / 1000} s reached`;
    let used = checkerBytes;
    // Asking the process for its heap is slow (milliseconds, measured): only now and then,
    // and not at all for a check that ends within the first interval.
    if (now >= this.nextHeapCheck) {
      this.nextHeapCheck = now + HEAP_CHECK_INTERVAL_MS;
      used = Math.max(used, process.memoryUsage().heapUsed);
    }
    if (used > this.maxBytes) return `memory limit of ${Math.round(this.maxBytes / 1048576)} MiB reached`;
    return undefined;
  }
}
