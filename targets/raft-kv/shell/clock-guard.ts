/**
 * The clock-offset guard between peers, after CockroachDB's max-offset
 * check: every peer frame carries its sender's wall clock, and a receiver
 * ignores frames whose clock is further than `maxOffsetMs` from its own.
 *
 * Why a Raft store has this: a node whose clock has strayed is a danger to
 * anything measured on clocks (here, leader leases), so the cluster stops
 * listening to it until its clock comes back. The effect is a partition
 * that a clock fault alone can cause, which is how clock faults reach the
 * protocol: a leader whose clock jumps is cut off and replaced, and only a
 * lease that survives the jump can serve a stale read.
 *
 * The apparent offset also holds the frame's transit and queueing time, so
 * the bound must sit well above the event-loop delays of a loaded node.
 */
import type { NodeId } from '../raft/types.js';
import type { Logger } from './log.js';

/** CockroachDB's default max offset. */
export const DEFAULT_MAX_CLOCK_OFFSET_MS = 500;

export class ClockOffsetGuard {
  /** Peers whose frames are being ignored, with the offset that started it. */
  private readonly straying = new Map<NodeId, number>();

  /** `maxOffsetMs` 0 turns the guard off. */
  constructor(
    private readonly maxOffsetMs: number,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  /** Whether to take a frame `from` a peer whose clock read `sentAt` when it sent it. */
  admit(from: NodeId, sentAt: number): boolean {
    if (this.maxOffsetMs <= 0) return true;
    const offset = sentAt - this.clock();
    const ok = Math.abs(offset) <= this.maxOffsetMs;
    const was = this.straying.has(from);
    if (!ok && !was) {
      this.straying.set(from, offset);
      this.log.warn('peer clock too far off, ignoring its messages', { peer: from, offsetMs: Math.round(offset), maxOffsetMs: this.maxOffsetMs });
    } else if (ok && was) {
      this.straying.delete(from);
      this.log.info('peer clock back within bound', { peer: from, offsetMs: Math.round(offset) });
    }
    return ok;
  }
}
