/**
 * A quick, sound refutation that needs no search: a read whose value was
 * certainly overwritten before it began.
 *
 * For a read R of a register (whose updates set a value whatever the value
 * before): if some completed call W after which the register certainly
 * holds another value than R's (an update that sets another value, or a
 * read of another value) finished before R began, and every call that could
 * set R's value (its enablers: writes and cas to it, ok or crashed, invoked
 * before R returned) finished before W began, then every linearization
 * orders enablers < W < R, the register holds another value at W and
 * nothing sets R's value again, and R cannot be linearized. Likewise a read
 * that no call can enable and the initial value does not allow.
 *
 * Jepsen users call these stale reads (or reads of values never written):
 * the most common anomaly, and one that a search over a highly concurrent
 * history can otherwise take exponential time to prove.
 */
import { ANY, CAS, FAILED, OK, READ, WRITE, type RegisterCalls } from './register-calls.js';
import { byTime, NEVER } from './search.js';

export interface OverwrittenRead {
  /** Index (in calls) of the read that cannot be linearized. */
  read: number;
  /** The completed update that overwrote the value, or read that saw another, absent for a value never written. */
  overwrite?: number;
  /** The enabler that finished last (absent when the value was never written, or only initial). */
  lastWrite?: number;
}

/** Whether the rule refutes read r (a completed read of a value), in one pass over the calls. */
export function overwrittenRead(calls: RegisterCalls, initial: number, r: number): OverwrittenRead | undefined {
  const { kind, outcome, a, b, invokeAt, returnAt } = calls;
  const v = a[r]!;
  if (kind[r] !== READ || outcome[r] !== OK || v === ANY) return undefined;
  // The enabler that finished last, then the call showing another value that began last after it.
  let lastWrite = -1;
  let lastWriteEnd = -1;
  for (let e = 0; e < kind.length && invokeAt[e]! < returnAt[r]!; e++) {
    const sets = kind[e] === WRITE ? a[e] : kind[e] === CAS && outcome[e] !== FAILED ? b[e] : -1;
    if (sets === v && returnAt[e]! > lastWriteEnd) {
      lastWriteEnd = returnAt[e]!;
      lastWrite = e;
    }
  }
  if (lastWriteEnd === NEVER) return undefined;
  if (lastWrite < 0 && initial !== v) return { read: r };
  let overwrite = -1;
  for (let w = 0; w < kind.length && invokeAt[w]! < invokeAt[r]!; w++) {
    if (outcome[w] !== OK || returnAt[w]! >= invokeAt[r]! || invokeAt[w]! <= lastWriteEnd) continue;
    const shows = kind[w] === READ ? a[w] : kind[w] === WRITE ? a[w] : kind[w] === CAS ? b[w] : -1;
    if (shows !== v && shows !== ANY) overwrite = w; // calls are in invocation order: the last wins
  }
  if (overwrite < 0) return undefined;
  return lastWrite < 0 ? { read: r, overwrite } : { read: r, overwrite, lastWrite };
}

/**
 * The first read (in invocation order) the rule refutes, in O(n log n):
 * per read, its enablers come from an index by value (in invocation order,
 * with running maxima of their returns), and the overwrite, the completed
 * call showing another value that began last among those that finished
 * before the read began, from those calls sorted by return, with running
 * maxima of their invocations for the two best distinct values.
 * `values`: how many value ids there are; `initial`: the initial value's id.
 */
export function findOverwrittenRead(calls: RegisterCalls, values: number, initial: number): OverwrittenRead | undefined {
  const { kind, outcome, a, b, invokeAt, returnAt } = calls;
  const n = kind.length;
  /** The value an update sets, -1 for a read or a failed cas. */
  const sets = new Int32Array(n);
  /** The value the register certainly holds just after a completed call: the one it set or read; -1 when it tells none. */
  const shows = new Int32Array(n).fill(-1);
  // Enablers by value (CSR, in invocation order), with the running maximum of their returns.
  const offset = new Int32Array(values + 1);
  let showing = 0;
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    sets[i] = k === WRITE ? a[i]! : k === CAS && outcome[i] !== FAILED ? b[i]! : -1;
    if (sets[i]! >= 0) offset[sets[i]! + 1]!++;
    if (outcome[i] === OK) shows[i] = k === READ ? a[i]! : sets[i]!;
    if (shows[i]! >= 0) showing++;
  }
  for (let v = 0; v < values; v++) offset[v + 1]! += offset[v]!;
  const fill = offset.slice(0, values);
  const enablerInvoke = new Int32Array(offset[values]!);
  const bestEnd = new Int32Array(offset[values]!);
  const best = new Int32Array(offset[values]!);
  for (let i = 0; i < n; i++) {
    const v = sets[i]!;
    if (v < 0) continue;
    const at = fill[v]!++;
    const better = at === offset[v] || returnAt[i]! > bestEnd[at - 1]!;
    enablerInvoke[at] = invokeAt[i]!;
    bestEnd[at] = better ? returnAt[i]! : bestEnd[at - 1]!;
    best[at] = better ? i : best[at - 1]!;
  }
  // The calls showing a value, by return.
  const done = new Int32Array(showing);
  const returning = byTime(returnAt);
  for (let j = 0, d = 0; j < returning.length; j++) if (shows[returning[j]!]! >= 0) done[d++] = returning[j]!;
  const ends = new Int32Array(showing);
  // For the first j+1 calls by return: the one that began last, and the one that began last among those showing another value.
  const first = new Int32Array(showing);
  const second = new Int32Array(showing);
  let f1 = -1;
  let f2 = -1;
  for (let j = 0; j < showing; j++) {
    const i = done[j]!;
    ends[j] = returnAt[i]!;
    const at = invokeAt[i]!;
    if (f1 < 0 || at > invokeAt[f1]!) {
      if (f1 >= 0 && shows[f1] !== shows[i]) f2 = f1;
      f1 = i;
    } else if (shows[i] !== shows[f1] && (f2 < 0 || at > invokeAt[f2]!)) f2 = i;
    first[j] = f1;
    second[j] = f2;
  }
  for (let r = 0; r < n; r++) {
    if (kind[r] !== READ || outcome[r] !== OK || a[r] === ANY) continue;
    const v = a[r]!;
    const e = below(enablerInvoke, offset[v]!, offset[v + 1]!, returnAt[r]!);
    const lastWriteEnd = e < 0 ? -1 : bestEnd[e]!;
    if (lastWriteEnd === NEVER) continue;
    const lastWrite = e < 0 ? undefined : best[e]!;
    if (lastWrite === undefined && initial !== v) return { read: r };
    const j = below(ends, 0, showing, invokeAt[r]!);
    if (j < 0) continue;
    const w = shows[first[j]!] !== v ? first[j]! : second[j]!;
    if (w < 0 || invokeAt[w]! <= lastWriteEnd) continue;
    return lastWrite === undefined ? { read: r, overwrite: w } : { read: r, overwrite: w, lastWrite };
  }
  return undefined;
}

/** Index of the last element of xs[from..to) (ascending) below x, or -1. */
function below(xs: Int32Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1 >= from ? lo - 1 : -1;
}
