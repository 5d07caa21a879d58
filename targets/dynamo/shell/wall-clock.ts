/**
 * The node's wall clock in microseconds, for last-write-wins timestamps.
 * Date.now() is what clock faults move (the clock shim fakes CLOCK_REALTIME),
 * but it only has milliseconds: two coordinators stamping writes a few
 * hundred µs apart would often tie, and a write acknowledged before another
 * began could lose to it on clocks that agree. So the µs within a
 * millisecond come from the monotonic clock, anchored to Date.now(): the
 * estimate is used while it agrees with Date.now() to the millisecond, and
 * re-anchored when it does not (a clock fault, or a faked clock running at
 * another rate, where the resolution falls back to ms).
 */
export class MicrosecondClock {
  private anchorMs = -1;
  private anchorNs = 0n;

  constructor(
    private readonly wallMs: () => number = Date.now,
    private readonly monoNs: () => bigint = process.hrtime.bigint,
  ) {}

  now(): number {
    const ms = this.wallMs();
    const ns = this.monoNs();
    if (this.anchorMs >= 0) {
      const us = this.anchorMs * 1000 + Number(ns - this.anchorNs) / 1000;
      if (Math.floor(us / 1000) === ms) return Math.floor(us);
    }
    // Re-anchored at the moment Date.now() is seen to differ: close to a millisecond's start.
    this.anchorMs = ms;
    this.anchorNs = ns;
    return ms * 1000;
  }
}
