/**
 * Time and memory limits for a checker. The checkers are pure and take a
 * callback; this is the callback, with the clock and the process's memory.
 *
 * Memory is what the operating system sees: the resident set size (RSS), not
 * the JavaScript heap (a checker's typed arrays live outside it; a check
 * measured by its heap reached 6.9 GB resident under a 4 GiB limit). The
 * limit is kept, not just noticed: a check stops (unknown) while RSS plus
 * what the checker is about to allocate (its next growth) plus a margin for
 * what else it allocates before it asks again is still under the limit.
 */
const MiB = 1024 * 1024;
/** Room for the allocations between two questions that the checker does not announce. */
const MARGIN_BYTES = 64 * MiB;
const MARGIN_SHARE = 0.03;

export class Budget {
  private readonly deadline: number;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
    /** The resident set size in bytes; the process's own unless a test supplies one. */
    private readonly residentBytes: () => number = () => process.memoryUsage.rss(),
  ) {
    this.deadline = performance.now() + timeoutMs;
  }

  /**
   * A reason to stop, or undefined. `checkerBytes`: what the checker knows it
   * holds (a floor when RSS lags); `upcomingBytes`: what it may allocate
   * before it asks again.
   */
  exceeded(checkerBytes = 0, upcomingBytes = 0): string | undefined {
    const now = performance.now();
    if (now > this.deadline) return `time limit of ${this.timeoutMs / 1000} s reached`;
    // Reading RSS is cheap (microseconds: one read of the process's own statistics).
    const resident = Math.max(this.residentBytes(), checkerBytes);
    const margin = MARGIN_BYTES + MARGIN_SHARE * this.maxBytes;
    if (resident + upcomingBytes + margin > this.maxBytes) {
      return `memory limit of ${Math.round(this.maxBytes / MiB)} MiB reached (${Math.round(resident / MiB)} MiB resident, ${Math.round(upcomingBytes / MiB)} MiB more needed to go on)`;
    }
    return undefined;
  }
}
