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
  if (pruning.keys) return findKeyed(calls, model, initial, pruning.keys);
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

type Key = string | number;

/**
 * The same rule in O(n log n), for models whose enablers are known by key
 * (ReadPruning.keys), finding the same read, overwrite and last write as
 * the loop above: per read, its enablers come from an index by key (sorted
 * by invocation, with running maxima of their returns), and the overwrite,
 * the completed non-enabler that began last among those that finished
 * before the read began, from the updates sorted by return, with running
 * maxima of their invocations for the two best distinct keys.
 */
function findKeyed(calls: readonly Call[], model: Model, initial: unknown, keys: NonNullable<NonNullable<Model['readPruning']>['keys']>): OverwrittenRead | undefined {
  const pruning = model.readPruning!;
  const n = calls.length;
  const isUpdate = calls.map((c) => !model.readOnly(c));
  // Enablers by key, in invocation order (calls are), with the running maximum of returnAt.
  const byKey = new Map<Key, { invokeAt: number[]; bestEnd: number[]; best: number[] }>();
  for (let i = 0; i < n; i++) {
    const c = calls[i]!;
    if (!isUpdate[i] || !pruning.canEnable(c)) continue;
    const k = keys.writerKey(c);
    let e = byKey.get(k);
    if (!e) byKey.set(k, (e = { invokeAt: [], bestEnd: [], best: [] }));
    const last = e.bestEnd.length - 1;
    const better = last < 0 || c.returnAt > e.bestEnd[last]!;
    e.invokeAt.push(c.invokeAt);
    e.bestEnd.push(better ? c.returnAt : e.bestEnd[last]!);
    e.best.push(better ? i : e.best[last]!);
  }
  // Completed updates by return, with the running best two invocations of distinct keys.
  const done = byReturn(calls.map((_, i) => i).filter((i) => isUpdate[i] && calls[i]!.outcome === 'ok'), calls);
  const ends = done.map((i) => calls[i]!.returnAt);
  const first = new Int32Array(done.length);
  const second = new Int32Array(done.length);
  const keyOf = (i: number): Key | undefined => (pruning.canEnable(calls[i]!) ? keys.writerKey(calls[i]!) : undefined);
  const doneKey = done.map(keyOf);
  let a = -1;
  let b = -1;
  for (let j = 0; j < done.length; j++) {
    const at = calls[done[j]!]!.invokeAt;
    if (a < 0 || at > calls[done[a]!]!.invokeAt) {
      if (a >= 0 && doneKey[a] !== doneKey[j]) b = a;
      a = j;
    } else if (doneKey[j] !== doneKey[a] && (b < 0 || at > calls[done[b]!]!.invokeAt)) b = j;
    first[j] = a;
    second[j] = b;
  }
  /** Index of the last element of `xs` (ascending) below `x`, or -1. */
  const below = (xs: readonly number[], x: number) => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (xs[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  for (let r = 0; r < n; r++) {
    const read = calls[r]!;
    if (read.outcome !== 'ok' || isUpdate[r] || !pruning.applies(read)) continue;
    const k = keys.readKey(read);
    const e = byKey.get(k);
    const at = e ? below(e.invokeAt, read.returnAt) : -1;
    const lastWriteEnd = at < 0 ? -Infinity : e!.bestEnd[at]!;
    const lastWrite = at < 0 ? undefined : e!.best[at];
    if (lastWriteEnd === Infinity) continue;
    if (lastWrite === undefined && model.step(initial, read) === undefined) return { read: r };
    const j = below(ends, read.invokeAt);
    if (j < 0) continue;
    const w = doneKey[first[j]!] !== k ? first[j]! : second[j]!;
    if (w < 0 || calls[done[w]!]!.invokeAt <= lastWriteEnd) continue;
    const overwrite = done[w]!;
    return lastWrite === undefined ? { read: r, overwrite } : { read: r, overwrite, lastWrite };
  }
  return undefined;
}

/** Completed calls sorted by return (see eventsInOrder in search.ts for why a packed native sort). */
function byReturn(indices: number[], calls: readonly Call[]): number[] {
  const SHIFT = 2 ** 22;
  if (calls.length >= SHIFT) return indices.sort((a, b) => calls[a]!.returnAt - calls[b]!.returnAt);
  const packed = Float64Array.from(indices, (i) => 2 * calls[i]!.returnAt * SHIFT + i);
  packed.sort();
  return Array.from(packed, (v) => v % SHIFT);
}
