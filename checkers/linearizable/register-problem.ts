/**
 * The search problem (search.ts) for a register, straight from its calls as
 * integers (register-calls.ts): states are value ids, plus one state for
 * every dead value (value-liveness.ts); a transition compares integers.
 */
import { ANY, CAS, FAILED, OK, READ, UNKNOWN, WRITE, type RegisterCalls } from './register-calls.js';
import type { ReadEnablers, SearchProblem, Transitions } from './search.js';

/**
 * A register's transitions: the state after call i from state s, or -1.
 * What models/register.ts's `step` does, on value ids.
 */
class RegisterTransitions implements Transitions {
  constructor(
    private readonly calls: RegisterCalls,
    readonly size: number,
  ) {}

  next(s: number, i: number): number {
    const { kind, outcome, a, b } = this.calls;
    const x = a[i]!;
    const k = kind[i]!;
    if (k === READ) return x === s || x === ANY ? s : -1;
    if (k === WRITE) return x;
    const o = outcome[i]!;
    if (o === OK) return x === s ? b[i]! : -1;
    if (o === FAILED) return x === s ? -1 : s;
    return x === s ? b[i]! : s; // crashed: took effect only if it matched
  }
}

/**
 * `values`: how many value ids there are (state `values` is the dead
 * state); `withLiveness`: apply the value rules of value-liveness.ts (left
 * out for evidence, see register-check.ts).
 */
export function registerProblem(calls: RegisterCalls, values: number, initial: number, withLiveness: boolean): SearchProblem {
  const { kind, outcome, a, b, invokeAt, returnAt } = calls;
  const n = kind.length;
  const readOnly = new Uint8Array(n);
  const crashGroup = new Int32Array(n);
  const groups = new Map<number, number>();
  // Per call: the value it sets, needs when completed, needs or excludes.
  const sets = new Int32Array(n);
  const must = new Int32Array(n);
  const uses = new Int32Array(n);
  const excludes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    const o = outcome[i]!;
    readOnly[i] = k === READ || o === FAILED ? 1 : 0; // crashed reads were dropped
    crashGroup[i] = -1;
    if (o === UNKNOWN) {
      const sig = (a[i]! * (values + 1) + (k === CAS ? b[i]! : 0)) * 3 + k;
      let g = groups.get(sig);
      if (g === undefined) groups.set(sig, (g = groups.size));
      crashGroup[i] = g;
    }
    sets[i] = k === WRITE ? a[i]! : k === CAS && o !== FAILED ? b[i]! : -1;
    uses[i] = (k === CAS && o !== FAILED) || (k === READ && a[i] !== ANY) ? a[i]! : -1;
    must[i] = o === OK ? uses[i]! : -1;
    if (k === CAS && o === FAILED) {
      uses[i] = a[i]!;
      excludes[i] = 1;
    }
  }
  const problem: SearchProblem = {
    invokeAt,
    returnAt,
    crashGroup,
    readOnly,
    space: new RegisterTransitions(calls, values + 1),
    initial,
    crashedOnlyOnDemand: true, // a register's updates set a value whatever the value before
    reads: readEnablers(calls, sets, values),
  };
  if (withLiveness) problem.values = { sets, must, uses, excludes, dead: values };
  return problem;
}

/**
 * A completed read of v (not a nil read under Knossos) can be enabled only
 * by the calls that set v (writes, ok or crashed cas) invoked before it
 * returned; once they are all linearized, a state other than v cannot reach it.
 */
function readEnablers(calls: RegisterCalls, sets: Int32Array, values: number): ReadEnablers {
  const { kind, outcome, a, invokeAt, returnAt } = calls;
  const n = kind.length;
  const watched = new Uint8Array(n);
  // The watched reads by value (CSR, in invocation order).
  const byValue = new Int32Array(values + 1);
  for (let g = 0; g < n; g++) {
    if (kind[g] === READ && outcome[g] === OK && a[g] !== ANY) {
      watched[g] = 1;
      byValue[a[g]! + 1]!++;
    }
  }
  for (let v = 0; v < values; v++) byValue[v + 1]! += byValue[v]!;
  const fill = byValue.slice(0, values);
  const readers = new Int32Array(byValue[values]!);
  for (let g = 0; g < n; g++) if (watched[g] === 1) readers[fill[a[g]!]!++] = g;
  // Pairs (enabler, read) in enabler order: counted, then written.
  const start = new Int32Array(n + 1);
  for (let c = 0; c < n; c++) {
    let count = 0;
    const v = sets[c]!;
    if (v >= 0) for (let k = byValue[v]!; k < byValue[v + 1]!; k++) if (invokeAt[c]! < returnAt[readers[k]!]!) count++;
    start[c + 1] = start[c]! + count;
  }
  const reads = new Int32Array(start[n]!);
  for (let c = 0; c < n; c++) {
    const v = sets[c]!;
    if (v < 0) continue;
    let at = start[c]!;
    for (let k = byValue[v]!; k < byValue[v + 1]!; k++) if (invokeAt[c]! < returnAt[readers[k]!]!) reads[at++] = readers[k]!;
  }
  return { watched, start, reads, reachable: (state, read) => state === a[read] };
}
