/**
 * Two sound reductions for crashed (unknown-outcome) updates of a register,
 * applied before the search. Both matter most when
 * written values are unique, as in most real tests: there every crashed
 * update is then either gone or an ordinary completed call, and the search
 * has no optional calls left.
 *
 * 1. Unobserved: a crashed update c that sets x can be left out when no
 *    call needs the state to hold x (no ok read of x, no cas from x, ok or
 *    crashed) and no call that needs the state NOT to hold a value (an etcd
 *    failed cas) can be linearized after c (each returned before c began).
 *    Proof: take a linearization L that contains c, the state s before it.
 *    Look at the calls between c and the next update that takes effect.
 *    Each was legal in x: no read or ok cas needs x, no failed cas comes
 *    after c, so each is a read legal everywhere (nil under Knossos) or a
 *    crashed cas from a value other than x, which did nothing and can be
 *    dropped too. The update that follows is a write (legal anywhere, same
 *    result) or a crashed write: an ok or crashed cas that took effect in x
 *    would need x. So L without c and those no-op calls is a linearization
 *    (a subsequence keeps every real-time order). Dropping a crashed cas
 *    from a removes one call that needs a, so this runs to a fixpoint.
 *
 * 2. Sole writer: when a crashed update c is the only call that can set x,
 *    x is not the initial value, and some completed call o needs x (an ok
 *    read of x, an ok cas from x), then every linearization contains c and
 *    places it before o: nothing else makes x. So c is treated as a
 *    completed call (a crashed cas as one that matched) that returned just
 *    before the earliest such o returned. That adds no constraint: every
 *    call invoked after o returned follows o, so it follows c. The promoted
 *    cas then needs its own `from` value, which may promote another crashed
 *    update, so this too runs to a fixpoint.
 */
import { CAS, FAILED, OK, READ, UNKNOWN, WRITE, ANY, selectCalls, type RegisterCalls } from './register-calls.js';

export interface CrashedReduction {
  calls: RegisterCalls;
  /** Crashed updates left out by rule 1. */
  dropped: number;
  /** Crashed updates made completed calls by rule 2. */
  required: number;
}

/** `values`: how many value ids there are; `initial`: the initial value's id. */
export function reduceCrashedCalls(calls: RegisterCalls, values: number, initial: number): CrashedReduction {
  const { kind, outcome: out0, a, b, invokeAt, returnAt: ret0 } = calls;
  const n = kind.length;
  // Per call: the value it sets and the value it needs (-1: none).
  const sets = new Int32Array(n);
  const needs = new Int32Array(n);
  const needers = new Int32Array(values);
  // Crashed setters of each value, as linked lists.
  const firstCrashed = new Int32Array(values).fill(-1);
  const nextCrashed = new Int32Array(n);
  let lastExcluderReturn = -1;
  let crashedUpdates = 0;
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    const o = out0[i]!;
    sets[i] = k === WRITE ? a[i]! : k === CAS && o !== FAILED ? b[i]! : -1;
    needs[i] = (k === CAS && o !== FAILED) || (k === READ && a[i] !== ANY) ? a[i]! : -1;
    if (needs[i]! >= 0) needers[needs[i]!]!++;
    if (k === CAS && o === FAILED && ret0[i]! > lastExcluderReturn) lastExcluderReturn = ret0[i]!;
    if (sets[i]! >= 0 && o === UNKNOWN) {
      nextCrashed[i] = firstCrashed[sets[i]!]!;
      firstCrashed[sets[i]!] = i;
      crashedUpdates++;
    }
  }
  if (crashedUpdates === 0) return { calls, dropped: 0, required: 0 };

  // Rule 1, with a worklist of values whose last needer went away.
  const keep = new Uint8Array(n).fill(1);
  let dropped = 0;
  const work: number[] = [];
  for (let x = 0; x < values; x++) if (firstCrashed[x]! >= 0) work.push(x);
  while (work.length > 0) {
    const x = work.pop()!;
    if (needers[x]! > 0) continue;
    for (let i = firstCrashed[x]!; i >= 0; i = nextCrashed[i]!) {
      if (keep[i] === 0 || invokeAt[i]! < lastExcluderReturn) continue;
      keep[i] = 0;
      dropped++;
      const y = needs[i]!;
      if (y >= 0 && --needers[y]! === 0) work.push(y);
    }
  }

  // Rule 2: per value, how many setters are still in play (and one of them), and its earliest completed needer.
  const outcome = out0.slice();
  const returnAt = ret0.slice();
  const neededBy = calls.neededBy.slice();
  const setterCount = new Int32Array(values);
  const setter = new Int32Array(values);
  const firstNeeder = new Int32Array(values).fill(-1);
  /** Values to look at, in the order they got a needer. */
  const pending: number[] = [];
  /** Call i, if it is completed and needs a value, may be that value's earliest needer; true when it became so. */
  const noteNeeder = (i: number): boolean => {
    const y = needs[i]!;
    if (y < 0 || outcome[i] !== OK) return false;
    const f = firstNeeder[y]!;
    if (f >= 0 && returnAt[i]! >= returnAt[f]!) return false;
    firstNeeder[y] = i;
    return true;
  };
  for (let i = 0; i < n; i++) {
    if (keep[i] === 0) continue;
    if (sets[i]! >= 0) {
      setterCount[sets[i]!]!++;
      setter[sets[i]!] = i;
    }
    const first = needs[i]! >= 0 && firstNeeder[needs[i]!]! < 0;
    if (noteNeeder(i) && first) pending.push(needs[i]!);
  }
  let required = 0;
  while (pending.length > 0) {
    const x = pending.pop()!;
    if (x === initial || setterCount[x] !== 1) continue;
    const i = setter[x]!;
    const o = firstNeeder[x]!;
    if (outcome[i] !== UNKNOWN || invokeAt[i]! >= returnAt[o]!) continue;
    outcome[i] = OK;
    returnAt[i] = returnAt[o]! - 1; // half a position before
    neededBy[i] = calls.origin[o]!;
    required++;
    // A promoted cas now needs its own value, perhaps earlier than any call did: look at that value again.
    if (noteNeeder(i)) pending.push(needs[i]!);
  }
  return { calls: selectCalls({ ...calls, outcome, returnAt, neededBy }, keep), dropped, required };
}
