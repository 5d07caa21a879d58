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
  const pending = new Map<number, Op>();
  const invokes: Op[] = [];
  const completionOf = new Map<Op, Op>();
  const position = new Map<Op, number>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      if (pending.has(op.process)) {
        throw new HistoryError(`process ${op.process} invoked ${op.f} while its op ${pending.get(op.process)!.index} was still in flight`, op.index);
      }
      pending.set(op.process, op);
      invokes.push(op);
      position.set(op, i);
    } else {
      const inv = pending.get(op.process);
      if (!inv) throw new HistoryError(`process ${op.process} completed ${op.f} (${op.type}) with no invocation in flight`, op.index);
      pending.delete(op.process);
      completionOf.set(inv, op);
      position.set(op, i);
    }
  }
  const calls: Call[] = [];
  let droppedFailed = 0;
  let droppedReadOnly = 0;
  for (const invoke of invokes) {
    const completion = completionOf.get(invoke);
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
      invokeAt: position.get(invoke)!,
      returnAt: outcome === 'unknown' ? Infinity : position.get(completion!)!,
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
