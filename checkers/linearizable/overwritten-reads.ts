/**
 * A quick, sound refutation that needs no search: a read whose value was
 * certainly overwritten before it began.
 *
 * For a read R and a model whose updates set a state independent of the one
 * before (Model.resultIndependentOfState), with read pruning knowledge:
 * if some completed update W that cannot lead to R's value finished before R
 * began, and every call that could lead to R's value (its enablers) finished
 * before W began, then every linearization orders enablers < W < R, the
 * state after W cannot become legal for R, and R cannot be linearized.
 * Likewise a read that no call can enable and the initial state does not
 * allow.
 *
 * Jepsen users call these stale reads (or reads of values never written):
 * the most common anomaly, and one that a search over a highly concurrent
 * history can otherwise take exponential time to prove.
 */
import type { Call } from './calls.js';
import type { Model } from './model.js';

export interface OverwrittenRead {
  /** Index (in calls) of the read that cannot be linearized. */
  read: number;
  /** The completed update that overwrote the value, absent for a value never written. */
  overwrite?: number;
  /** The enabler that finished last (absent when the value was never written, or only initial). */
  lastWrite?: number;
}

export function findOverwrittenRead(calls: readonly Call[], model: Model, initial: unknown): OverwrittenRead | undefined {
  const pruning = model.readPruning;
  if (!pruning || model.resultIndependentOfState !== true) return undefined;
  const n = calls.length;
  const isUpdate = calls.map((c) => !model.readOnly(c));
  // Completed updates in order of invocation, for the overwrite search.
  const completedUpdates = calls.map((_, i) => i).filter((i) => isUpdate[i] && calls[i]!.outcome === 'ok');
  const possibleEnablers = calls.map((_, i) => i).filter((i) => isUpdate[i] && pruning.canEnable(calls[i]!));
  for (let r = 0; r < n; r++) {
    const read = calls[r]!;
    if (read.outcome !== 'ok' || isUpdate[r] || !pruning.applies(read)) continue;
    let lastWrite: number | undefined;
    let lastWriteEnd = -Infinity;
    for (const e of possibleEnablers) {
      const c = calls[e]!;
      if (c.invokeAt >= read.returnAt || !pruning.mayEnable(c, read)) continue;
      if (c.returnAt > lastWriteEnd) {
        lastWriteEnd = c.returnAt;
        lastWrite = e;
      }
    }
    if (lastWriteEnd === Infinity) continue;
    if (lastWrite === undefined && model.step(initial, read) === undefined) return { read: r };
    let overwrite: number | undefined;
    for (const w of completedUpdates) {
      const c = calls[w]!;
      if (c.returnAt >= read.invokeAt || c.invokeAt <= lastWriteEnd) continue;
      if (pruning.mayEnable(c, read)) continue;
      if (overwrite === undefined || c.invokeAt > calls[overwrite]!.invokeAt) overwrite = w;
    }
    if (overwrite !== undefined) return lastWrite === undefined ? { read: r, overwrite } : { read: r, overwrite, lastWrite };
  }
  return undefined;
}
