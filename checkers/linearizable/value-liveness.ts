/**
 * Which register values are still needed (register-problem.ts says which
 * value each call sets and needs), maintained as the search linearizes
 * calls and undoes them.
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
/**
 * Per call, as state ids (-1: none): the value it sets, the value it needs
 * when completed (`must`: an ok read or cas), any value it needs or excludes
 * (`uses`), and whether that use is an exclusion (an etcd failed cas); and
 * the state every dead value stands for.
 */
export interface ValueUse {
  sets: Int32Array;
  must: Int32Array;
  uses: Int32Array;
  excludes: Uint8Array;
  dead: number;
}

export class ValueLiveness {
  /** The state every dead value stands for. */
  readonly dead: number;
  private readonly sets: Int32Array;
  private readonly must: Int32Array;
  private readonly uses: Int32Array;
  private readonly excludes: Uint8Array;
  /** Per state: calls left that set it, completed calls left that need it, calls left that need or exclude it. */
  private readonly setLeft: Int32Array;
  private readonly mustLeft: Int32Array;
  private readonly usesLeft: Int32Array;
  private excludersLeft = 0;

  /** `states`: the states interned when the search starts; later ones are values no call names (dead). */
  constructor(use: ValueUse, states: number) {
    ({ sets: this.sets, must: this.must, uses: this.uses, excludes: this.excludes, dead: this.dead } = use);
    this.setLeft = new Int32Array(states);
    this.mustLeft = new Int32Array(states);
    this.usesLeft = new Int32Array(states);
    for (let i = 0; i < this.sets.length; i++) {
      if (this.sets[i]! >= 0) this.setLeft[this.sets[i]!]!++;
      if (this.must[i]! >= 0) this.mustLeft[this.must[i]!]!++;
      if (this.uses[i]! >= 0) this.usesLeft[this.uses[i]!]!++;
      this.excludersLeft += this.excludes[i]!;
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
