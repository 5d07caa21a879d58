/**
 * A sequential specification: the states an object can be in and what each
 * operation does to them. The checker asks whether some order of the
 * history's operations, consistent with real time, is legal for the model.
 */

/** How an operation ended, as far as the checker is concerned. */
export type Outcome =
  /** It happened, with the completion's value. */
  | 'ok'
  /**
   * It happened as a no-op whose precondition failed (etcd semantics: a
   * failed cas is evidence that the comparison failed).
   */
  | 'failed'
  /** It may have happened, at any point after its invocation, or never. */
  | 'unknown';

/** One operation as a model sees it. */
export interface ModelCall {
  f: string;
  /** The completion's value for `ok` calls, the invocation's value otherwise. */
  value: unknown;
  outcome: Outcome;
}

export interface Model<S = unknown> {
  readonly name: string;
  /** One-line description for `harness check --help` and reports. */
  readonly description: string;
  /** The initial state, from `--init` (already JSON-decoded) or the model's default. */
  init(initial: unknown): S;
  /** The state after `call`, or undefined when `call` is not legal in `state`. */
  step(state: S, call: ModelCall): S | undefined;
  /** Equal states must have equal keys, and different states different keys. */
  key(state: S): string | number;
  /**
   * True when `call` leaves the state unchanged in every state where it is
   * legal (a read, an etcd cas known to have failed). The search uses this
   * twice: a call of unknown outcome with this property is dropped (it can
   * always be linearized as having done nothing), and a completed one that
   * is legal now is linearized at once, without exploring the alternative.
   */
  readOnly(call: ModelCall): boolean;
  /**
   * True when every operation that is not read-only leads, where it is
   * legal, to a state that does not depend on the state before it (a
   * register's write and cas, a mutex's acquire and release). Then a crashed
   * operation is only ever needed right before an operation it makes legal,
   * and the search tries it nowhere else (see search.ts).
   */
  readonly resultIndependentOfState?: boolean;
  /**
   * Optional knowledge that lets the search give up early on a state from
   * which a pending read can never become legal. Both answers must err
   * towards `true`.
   */
  readPruning?: ReadPruning<S>;
  /**
   * Optional: a copy of the model tuned to one history (e.g. told which
   * values its reads return, so that states no read can tell apart are
   * merged). The copy must give every call of that history the same verdicts.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- its states may be of another type
  specialize?(calls: readonly ModelCall[]): Model<any>;
  /** Why `call` is not an operation of this model, or undefined when it is. */
  invalidCall(call: ModelCall): string | undefined;
  /** e.g. "read -> 3", "cas 1 -> 2". */
  describe(call: ModelCall): string;
  showState(state: S): string;
}

/** Jepsen-style value equality for plain data (numbers, strings, arrays, objects, null). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A stable text for a plain value, used for state keys and descriptions. */
export function show(v: unknown): string {
  return v === undefined ? 'nil' : v === null ? 'nil' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** A key for a plain value: numbers stay numbers (fast Map keys), the rest becomes JSON. */
export function valueKey(v: unknown): string | number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

export interface ReadPruning<S> {
  /** Whether the pruning applies to this (completed, read-only) call. */
  applies(read: ModelCall): boolean;
  /** False when `writer` can enable no read at all (a quick filter before `mayEnable`). */
  canEnable(writer: ModelCall): boolean;
  /**
   * Could `writer`, from some state, lead to a state where `read` is legal
   * (on its own or followed by calls for which this is false)?
   */
  mayEnable(writer: ModelCall, read: ModelCall): boolean;
  /** Can `read` become legal from `state` through calls that do not enable it (none, or any number)? */
  reachableWithoutEnablers(state: S, read: ModelCall): boolean;
}
