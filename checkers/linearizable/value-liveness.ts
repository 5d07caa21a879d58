/**
 * Which register values are still needed, for models with a ValueFlow (a
 * register), maintained as the search linearizes calls and undoes them.
 * Three sound rules come out of it (each O(1) per step):
 *
 * 1. Dead values are one state. Call x dead when no call left to linearize
 *    needs the state to hold x or not to hold x (no read of x, no cas from
 *    x, ok, crashed or etcd-failed). From two dead values x and y every call
 *    left behaves the same: a write sets its value from both; a read, an ok
 *    cas or a crashed cas needs a live value, so it is illegal, illegal and
 *    a no-op in both; a failed cas compares with a live value and holds in
 *    both. So configurations (S, x) and (S, y) have the same futures, and
 *    the search keys them both as (S, DEAD): one configuration where it saw
 *    one per order of the writes nobody read.
 *
 * 2. Leaving a value for good fails. When the state moves from y to
 *    another value while a completed call left still needs y (an ok read of
 *    y, an ok cas from y) and no call left can set y again, that call can
 *    never be linearized: the configuration is abandoned at once, not when
 *    the search reaches the call's return. (Model.readPruning does this for
 *    reads already invoked; this covers every call, invoked or not.)
 *
 * 3. Dead writes go first. In state DEAD, with no etcd-failed cas left, a
 *    completed write whose value is dead is linearized at once, without
 *    trying the alternatives (as a legal read is). Proof: take a
 *    linearization L of the rest that places the write w later, in state
 *    σ. Put w first: the state stays DEAD (rule 1), and L's calls before w
 *    run as before. After w's old place L ran from DEAD, we now run from σ:
 *    up to the next update that takes effect, L holds only calls legal in
 *    DEAD, which are nil reads (legal in σ) and crashed cas that did
 *    nothing (drop them: they may not happen); that update is a write
 *    (only a write takes effect in DEAD), legal anywhere with the same
 *    result; from there on nothing changed. w was a candidate, so every
 *    call that must precede it is linearized: the new order respects real
 *    time. With a failed cas left this fails (it may hold in DEAD and not
 *    in σ), hence the condition.
 */
import type { Call } from './calls.js';
import { DEAD_VALUE, type ValueFlow } from './model.js';
import type { Scratch } from './scratch.js';
import type { StateSpace } from './state-space.js';

export class ValueLiveness {
  /** The state every dead value stands for. */
  readonly dead: number;
  /** Per call: the state it sets (-1: none), the state it needs when completed (mandatory), any state it needs or excludes. */
  private readonly sets: Int32Array;
  private readonly must: Int32Array;
  private readonly uses: Int32Array;
  private readonly excludes: Uint8Array;
  /** Per state: calls left that set it, completed calls left that need it, calls left that need or exclude it. */
  private setLeft: Int32Array;
  private mustLeft: Int32Array;
  private usesLeft: Int32Array;
  private excludersLeft = 0;

  constructor(calls: readonly Call[], flow: ValueFlow, space: StateSpace, scratch: Scratch) {
    const n = calls.length;
    this.sets = scratch.int32(n, -1);
    this.must = scratch.int32(n, -1);
    this.uses = scratch.int32(n, -1);
    this.excludes = scratch.uint8(n);
    for (let i = 0; i < n; i++) {
      const c = calls[i]!;
      const s = flow.sets(c);
      if (s) this.sets[i] = space.intern(s.value);
      const r = flow.requires(c);
      if (r) {
        const id = space.intern(r.value);
        this.uses[i] = id;
        if (c.outcome === 'ok') this.must[i] = id;
      }
      const x = flow.excludes(c);
      if (x) {
        this.uses[i] = space.intern(x.value);
        this.excludes[i] = 1;
        this.excludersLeft++;
      }
    }
    this.dead = space.intern(DEAD_VALUE);
    // Kept per state; states interned later by the search are never needed (sized on demand).
    const states = space.size;
    this.setLeft = new Int32Array(states);
    this.mustLeft = new Int32Array(states);
    this.usesLeft = new Int32Array(states);
    for (let i = 0; i < n; i++) {
      if (this.sets[i]! >= 0) this.setLeft[this.sets[i]!]!++;
      if (this.must[i]! >= 0) this.mustLeft[this.must[i]!]!++;
      if (this.uses[i]! >= 0) this.usesLeft[this.uses[i]!]!++;
    }
  }

  /** Call i was linearized (delta -1) or undone (+1). */
  update(i: number, delta: number): void {
    const s = this.sets[i]!;
    if (s >= 0) this.setLeft[s]! += delta;
    const m = this.must[i]!;
    if (m >= 0) this.mustLeft[m]! += delta;
    const u = this.uses[i]!;
    if (u >= 0) this.usesLeft[u]! += delta;
    if (this.excludes[i] === 1) this.excludersLeft -= delta;
  }

  /** Rule 2: moving from `from` to `to` (after update) leaves a value some completed call still needs, for good. */
  abandons(from: number, to: number): boolean {
    return from !== to && from < this.mustLeft.length && this.mustLeft[from]! > 0 && this.setLeft[from] === 0;
  }

  /** Rule 1: the state the search keys `to` as (after update). States interned after the start are values no call names: dead. */
  canonical(to: number): number {
    return to >= this.usesLeft.length || this.usesLeft[to] === 0 ? this.dead : to;
  }

  /** Rule 3: whether a completed write from `from` to `to` (canonical, after update) may be forced. */
  forcedWrite(from: number, to: number): boolean {
    return from === this.dead && to === this.dead && this.excludersLeft === 0;
  }
}
