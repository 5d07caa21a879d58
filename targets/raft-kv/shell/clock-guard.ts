/**
 * The clock-offset guard between peers, after CockroachDB's max-offset
 * check: a node ignores frames from a peer whose clock is provably further
 * than `maxOffsetMs` from its own.
 *
 * Why a Raft store has this: a node whose clock has strayed is a danger to
 * anything measured on clocks (here, leader leases), so the cluster stops
 * listening to it until its clock comes back. The effect is a partition
 * that a clock fault alone can cause, which is how clock faults reach the
 * protocol: a leader whose clock jumps is cut off and replaced, and only a
 * lease that survives the jump can serve a stale read.
 *
 * How the offset is measured, without extra messages: every frame carries
 * its sender's clock and an echo of the last stamp the sender heard from the
 * receiver, with how long it held it. That is NTP's four timestamps, so the
 * receiver knows the peer's offset to within half a round trip, and refuses
 * a peer only when every offset that round trip allows is too far off. A
 * slow or lopsided network therefore never passes for a stray clock. Until
 * a peer has echoed anything (a fresh connection, a candidate's first
 * request), one frame only proves the peer is at least `at - now` ahead
 * (transit can only make a frame look older), so only a peer ahead by more
 * than the bound is refused then.
 */
import type { NodeId } from '../raft/types.js';
import type { Logger } from './log.js';

/** CockroachDB's default max offset. */
export const DEFAULT_MAX_CLOCK_OFFSET_MS = 500;

/** What a frame carries for the guard. */
export interface ClockStamp {
  /** The sender's clock when it sent the frame. */
  at: number;
  /** The last stamp the sender heard from the receiver, and how long (on the sender's clock) it held it before sending. */
  echo?: { at: number; heldMs: number };
}

/** What one stamp proves about the peer's clock minus ours: it lies in [lowMs, highMs]. */
export interface OffsetBounds {
  lowMs: number;
  highMs: number;
}

/** The peer's offset from a stamp received at `now` (our clock). Pure. */
export function offsetBounds(stamp: ClockStamp, now: number): OffsetBounds {
  const oneWay = { lowMs: stamp.at - now, highMs: Infinity };
  if (!stamp.echo) return oneWay;
  const sentByUs = stamp.echo.at;
  const roundTrip = now - sentByUs - stamp.echo.heldMs;
  // A round trip shorter than nothing: our clock stepped back since we sent the echoed stamp. The echo proves nothing.
  if (roundTrip < 0) return oneWay;
  const receivedByPeer = stamp.at - stamp.echo.heldMs;
  const offset = (receivedByPeer - sentByUs + (stamp.at - now)) / 2;
  return { lowMs: offset - roundTrip / 2, highMs: offset + roundTrip / 2 };
}

/** The bounds as logged: whole ms, and no Infinity in JSON. */
function shown(b: OffsetBounds): { offsetLowMs: number; offsetHighMs: number | null } {
  return { offsetLowMs: Math.round(b.lowMs), offsetHighMs: Number.isFinite(b.highMs) ? Math.round(b.highMs) : null };
}

export class ClockOffsetGuard {
  /** Peers whose frames are being ignored. */
  private readonly straying = new Set<NodeId>();
  /** Each peer's latest stamp, and when (our clock) it arrived: echoed back on our next frame to it. */
  private readonly heard = new Map<NodeId, { at: number; arrived: number }>();

  /** `maxOffsetMs` 0 turns the guard off. */
  constructor(
    private readonly maxOffsetMs: number,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  /** The stamp for a frame to `to`, sent now. */
  stamp(to: NodeId): ClockStamp {
    const now = this.clock();
    const last = this.heard.get(to);
    return last ? { at: now, echo: { at: last.at, heldMs: now - last.arrived } } : { at: now };
  }

  /** Whether to take a frame `from` a peer with this stamp. */
  admit(from: NodeId, stamp: ClockStamp): boolean {
    const now = this.clock();
    this.heard.set(from, { at: stamp.at, arrived: now });
    if (this.maxOffsetMs <= 0) return true;
    const bounds = offsetBounds(stamp, now);
    const ok = bounds.lowMs <= this.maxOffsetMs && bounds.highMs >= -this.maxOffsetMs;
    const was = this.straying.has(from);
    if (!ok && !was) {
      this.straying.add(from);
      this.log.warn('peer clock too far off, ignoring its messages', { peer: from, ...shown(bounds), maxOffsetMs: this.maxOffsetMs });
    } else if (ok && was) {
      this.straying.delete(from);
      this.log.info('peer clock back within bound', { peer: from, ...shown(bounds) });
    }
    return ok;
  }
}
