/**
 * Reads and writes of a few keys at a time, Jepsen's independent keys:
 * values are `[key, value]`, keys are integers, every written value is
 * unique (so a read's values name the writes they came from). A key retires
 * after a bounded number of operations and a fresh one takes its place, so
 * each key's history stays small enough to check quickly.
 */
import type { Rng, WorkloadOp } from '../../../harness/workloads/types.js';

export interface KeyedOpsShape {
  /** Keys in use at a time. */
  activeKeys: number;
  /** Operations on a key before it retires. */
  opsPerKey: number;
  /** Share of reads (the rest are writes). */
  readShare: number;
}

export class KeyedOps {
  private nextKey = 0;
  private nextValue = 1;
  private readonly active: { key: number; left: number }[];

  constructor(private readonly shape: KeyedOpsShape) {
    this.active = Array.from({ length: shape.activeKeys }, () => ({ key: this.nextKey++, left: shape.opsPerKey }));
  }

  next(rng: Rng): WorkloadOp {
    const slot = this.active[Math.floor(rng() * this.active.length)]!;
    if (slot.left-- <= 0) {
      slot.key = this.nextKey++;
      slot.left = this.shape.opsPerKey - 1;
    }
    return rng() < this.shape.readShare ? { f: 'read', value: [slot.key, null] } : { f: 'write', value: [slot.key, this.nextValue++] };
  }

  /** Every key handed out so far. */
  keys(): number[] {
    return Array.from({ length: this.nextKey }, (_, k) => k);
  }
}
