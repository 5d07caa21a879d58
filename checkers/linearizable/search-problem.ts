/**
 * A search problem (search.ts) for any model, from its prepared calls: the
 * model's transitions through a StateSpace, crashed groups by signature,
 * and the read pruning the model offers.
 */
import type { Call } from './calls.js';
import type { Model, ReadPruning } from './model.js';
import { NEVER, timeAt, type ReadEnablers, type SearchProblem } from './search.js';
import { StateSpace } from './state-space.js';

export interface ModelProblem {
  problem: SearchProblem;
  space: StateSpace;
}

export function problemFromCalls(calls: readonly Call[], model: Model, initial: unknown): ModelProblem {
  const n = calls.length;
  const space = new StateSpace(model, calls);
  const init = space.intern(initial);
  const invokeAt = new Int32Array(n);
  const returnAt = new Int32Array(n);
  const readOnly = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = calls[i]!;
    invokeAt[i] = timeAt(c.invokeAt);
    returnAt[i] = c.returnAt === Infinity ? NEVER : timeAt(c.returnAt);
    readOnly[i] = c.outcome !== 'unknown' && model.readOnly(c) ? 1 : 0;
  }
  const problem: SearchProblem = {
    invokeAt,
    returnAt,
    crashGroup: crashGroups(calls),
    readOnly,
    space,
    initial: init,
    crashedOnlyOnDemand: model.resultIndependentOfState === true,
  };
  const pruning = model.readPruning;
  if (pruning) problem.reads = readEnablers(calls, readOnly, pruning, space);
  return { problem, space };
}

/** Identical crashed calls (same f and value) form a group, numbered in order of first invocation. */
function crashGroups(calls: readonly Call[]): Int32Array {
  const group = new Int32Array(calls.length).fill(-1);
  const ids = new Map<string, number>();
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!;
    if (c.outcome !== 'unknown') continue;
    const sig = `${c.f}\u0000${JSON.stringify(c.value)}`;
    let g = ids.get(sig);
    if (g === undefined) ids.set(sig, (g = ids.size));
    group[i] = g;
  }
  return group;
}

/** For each completed read the pruning applies to, the calls that may enable it (in CSR form, by enabler). */
function readEnablers(calls: readonly Call[], isReadOnly: Uint8Array, pruning: ReadPruning<unknown>, space: StateSpace): ReadEnablers {
  const n = calls.length;
  const watched = new Uint8Array(n);
  const readers: number[] = [];
  for (let g = 0; g < n; g++) {
    if (isReadOnly[g] === 1 && pruning.applies(calls[g]!)) {
      watched[g] = 1;
      readers.push(g);
    }
  }
  const start = new Int32Array(n + 1);
  const pairs: number[] = [];
  for (let c = 0; c < n; c++) {
    start[c] = pairs.length;
    if (isReadOnly[c] === 1 || !pruning.canEnable(calls[c]!)) continue;
    const writer = calls[c]!;
    for (const g of readers) {
      const read = calls[g]!;
      if (writer.invokeAt < read.returnAt && pruning.mayEnable(writer, read)) pairs.push(g);
    }
  }
  start[n] = pairs.length;
  return {
    watched,
    start,
    reads: Int32Array.from(pairs),
    reachable: (state, read) => pruning.reachableWithoutEnablers(space.states[state], calls[read]!),
  };
}
