/**
 * Model states interned as small integers, with a memo of transitions, so
 * the search compares and hashes integers and calls the model's `step` at
 * most once per (state, call) pair.
 */
import type { Model, ModelCall } from './model.js';

const NOT_COMPUTED = -2;
/** Transition memo rows are allocated while states × calls stays under this. */
const MEMO_CELLS = 1 << 23;
/** Steps computed from a state before it gets a memo row. */
const ROW_AFTER_VISITS = 256;

export class StateSpace<S = unknown> {
  readonly states: S[] = [];
  private readonly ids = new Map<string | number, number>();
  private readonly rows: (Int32Array | undefined)[] = [];
  /** How often each state was stepped from before it earned a memo row. */
  private readonly visits: number[] = [];
  private memoCells = 0;

  constructor(
    private readonly model: Model<S>,
    private readonly calls: readonly ModelCall[],
  ) {}

  get size(): number {
    return this.states.length;
  }

  intern(state: S): number {
    const k = this.model.key(state);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.states.length;
      this.states.push(state);
      this.ids.set(k, id);
    }
    return id;
  }

  /** The state after `call` from state `from`, or -1 when the call is not legal there. */
  next(from: number, call: number): number {
    let row = this.rows[from];
    if (row !== undefined) {
      const memo = row[call]!;
      if (memo !== NOT_COMPUTED) return memo;
    }
    const after = this.model.step(this.states[from]!, this.calls[call]!);
    const to = after === undefined ? -1 : this.intern(after);
    // Many states are left once and never seen again, after a few dozen steps tried from them
    // (one per candidate call, up to the concurrency): a row of one cell per call pays off
    // only for a state the search comes back to.
    if (row === undefined && (this.visits[from] = (this.visits[from] ?? 0) + 1) > ROW_AFTER_VISITS && this.memoCells + this.calls.length <= MEMO_CELLS) {
      row = new Int32Array(this.calls.length).fill(NOT_COMPUTED);
      this.rows[from] = row;
      this.memoCells += this.calls.length;
    }
    if (row !== undefined) row[call] = to;
    return to;
  }
}
