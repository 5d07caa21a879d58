/**
 * The history model, compatible with Jepsen's.
 *
 * A history is the sequence of events a test observed, in the real-time
 * order in which the controller saw them. Each client operation appears
 * twice: once when it is invoked and once when it completes.
 */

/** `ok`: it happened. `fail`: it certainly did not happen. `info`: unknown. */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** A client process (one operation in flight at a time), or the nemesis. */
export type Process = number | 'nemesis';

export interface Op {
  /** Position in the history, from 0. */
  index: number;
  /** Nanoseconds since the test began (monotonic). */
  time: number;
  type: OpType;
  process: Process;
  /** 'read' | 'write' | 'cas' | 'add' | 'txn' | 'start-partition' ... */
  f: string;
  /** e.g. 3, [1, 2] for cas, [['append', 'x', 1], ['r', 'y', null]] for txn. */
  value: unknown;
  /**
   * Which node the client talked to: on an invocation, the node its client
   * is bound to; on a completion, the node that served it (another one when
   * the client follows a master, as a Sentinel client does).
   */
  node?: string;
  error?: unknown;
}

export type History = readonly Op[];

export const OP_TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];

export function isOpType(x: unknown): x is OpType {
  return x === 'invoke' || x === 'ok' || x === 'fail' || x === 'info';
}

export function isCompletion(op: Op): boolean {
  return op.type !== 'invoke';
}

export function isClientOp(op: Op): boolean {
  return op.process !== 'nemesis';
}

/**
 * A history that breaks the model's rules (a process with two operations in
 * flight, a completion with no invocation, an op a model cannot interpret).
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  constructor(
    message: string,
    /** Index of the offending op in the history, when there is one. */
    readonly opIndex?: number,
  ) {
    super(opIndex === undefined ? message : `op ${opIndex}: ${message}`);
  }
}
