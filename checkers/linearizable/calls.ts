/**
 * From a history to the calls a linearizability search works on: each client
 * invocation paired with its completion, read with the chosen semantics.
 *
 * - `ok`: the call happened, with the completion's value.
 * - `fail`: it did not happen, and is dropped; except that with etcd
 *   semantics a failed cas happened as a comparison that failed, and a read
 *   that failed (timed out) is of unknown outcome.
 * - `info`, or no completion at all: it may have happened at any time after
 *   its invocation, or never. Such a call never returns: it stays concurrent
 *   with everything after it.
 */
import { HistoryError, type History, type Op } from '../../harness/history/op.js';
import type { Model, ModelCall, Outcome } from './model.js';
import type { Semantics } from './models/index.js';

export interface Call extends ModelCall {
  invoke: Op;
  /** Undefined for calls that never completed. */
  completion: Op | undefined;
  /** Position of the invocation and of the completion among the history's events. */
  invokeAt: number;
  /** For unknown calls: +Infinity. */
  returnAt: number;
  /**
   * Set on a crashed call that must have happened before this completed
   * call (crashed-calls.ts): it is searched as if it had returned just
   * before `neededBy` did.
   */
  neededBy?: Call;
}

export interface PreparedCalls {
  calls: Call[];
  /** Calls that did not happen (failed) and were dropped. */
  droppedFailed: number;
  /** Calls of unknown outcome that cannot change the state (e.g. crashed reads), dropped. */
  droppedReadOnly: number;
}

function outcomeOf(invoke: Op, completion: Op | undefined, semantics: Semantics): Outcome | 'dropped' {
  if (!completion || completion.type === 'info') return 'unknown';
  if (completion.type === 'ok') return 'ok';
  if (semantics === 'etcd') {
    if (invoke.f === 'cas') return 'failed';
    if (invoke.f === 'read') return 'unknown';
  }
  return 'dropped';
}

/**
 * Pair invocations with completions. `valueOf` maps an op's value to the
 * value the model sees (identity, or the value half of a [key, value] tuple).
 */
export function prepareCalls(
  history: History,
  model: Model,
  semantics: Semantics,
  valueOf: (v: unknown) => unknown = (v) => v,
): PreparedCalls {
  // Positions in the history: of each process's op in flight, and of each invocation's completion.
  const inFlight = new Map<number, number>();
  const completionAt = new Int32Array(history.length).fill(-1);
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.process === 'nemesis') continue;
    const at = inFlight.get(op.process);
    if (op.type === 'invoke') {
      if (at !== undefined) {
        throw new HistoryError(`process ${op.process} invoked ${op.f} while its op ${history[at]!.index} was still in flight`, op.index);
      }
      inFlight.set(op.process, i);
    } else {
      if (at === undefined) throw new HistoryError(`process ${op.process} completed ${op.f} (${op.type}) with no invocation in flight`, op.index);
      inFlight.delete(op.process);
      completionAt[at] = i;
    }
  }
  const calls: Call[] = [];
  let droppedFailed = 0;
  let droppedReadOnly = 0;
  for (let i = 0; i < history.length; i++) {
    const invoke = history[i]!;
    if (invoke.type !== 'invoke' || invoke.process === 'nemesis') continue;
    const c = completionAt[i]!;
    const completion = c < 0 ? undefined : history[c]!;
    const outcome = outcomeOf(invoke, completion, semantics);
    if (outcome === 'dropped') {
      droppedFailed++;
      continue;
    }
    const raw = outcome === 'ok' ? completion!.value : invoke.value;
    const call: Call = {
      f: invoke.f,
      value: valueOf(raw),
      outcome,
      invoke,
      completion,
      invokeAt: i,
      returnAt: outcome === 'unknown' ? Infinity : c,
    };
    const problem = model.invalidCall(call);
    if (problem) throw new HistoryError(problem, invoke.index);
    if (outcome === 'unknown' && model.readOnly(call)) {
      droppedReadOnly++;
      continue;
    }
    calls.push(call);
  }
  return { calls, droppedFailed, droppedReadOnly };
}
