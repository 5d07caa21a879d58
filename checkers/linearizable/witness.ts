/**
 * A quick try at one linearization of a register's calls, in one sweep over
 * the history and without backtracking: when it finds one, the history is
 * linearizable and the search is not needed; when it does not, that proves
 * nothing and the caller searches (register-check.ts). Most histories of a
 * correct system are found valid here, in time linear in their length.
 *
 * Why a witness is a linearization. The sweep walks the history's events in
 * order and appends calls to the witness only (a) after their invocation,
 * (b) when the call is legal in the register's current state, applying it;
 * and (c) at the return of a completed call that is not in the witness yet,
 * it appends it then or fails. So every completed call is in the witness
 * (crashed ones may be left out: they may not have happened), the witness is
 * legal from the initial state, and when call x returned before call y was
 * invoked, x was appended by x's return, before y could be: real-time order
 * holds. Which call it appends when is a policy; the policy decides only how
 * often a witness is found, never whether it is one.
 *
 * The policy (values unique per write, as most tests write them, make it
 * find one for nearly every linearizable history):
 * - a read, or an etcd failed cas, is appended as soon as it is legal;
 * - an update waits until it must go: at its own return, or at the return of
 *   a call that needs its value (a read of it, a cas from it), after the
 *   calls it needs in turn (a cas chain);
 * - just before a write changes the value, every pending update that is
 *   legal, whose value every call needing it has already invoked, and that
 *   no cas reads from, goes first, with the reads of its value: leaving it
 *   for its own return would overwrite a value still needed then. Crashed
 *   updates go only where a value they set is needed.
 */
import { ANY, CAS, FAILED, OK, READ, UNKNOWN, WRITE, type RegisterCalls } from './register-calls.js';
import { byTime, type Steps } from './search.js';

/** How long a chain of updates (cas from a value another pending update sets) one return may pull in. */
const MAX_CHAIN = 16;

/** A linearization, or the completed call whose return the sweep could not pass. */
export type Witness = { steps: Steps; stuck?: undefined } | { steps?: undefined; stuck: number };

/**
 * One linearization of `calls` from the value id `initial`, if the sweep
 * finds one. `values`: how many value ids there are.
 */
export function findWitness(calls: RegisterCalls, values: number, initial: number): Witness {
  const { kind, outcome, a, b, invokeAt, returnAt } = calls;
  const n = kind.length;
  // The value each update sets (-1: none); per value, the last invocation of a call that needs it:
  // a completed read or cas, or a crashed cas that is the way to a needed value (-1: none).
  const sets = new Int32Array(n);
  const lastNeed = new Int32Array(values).fill(-1);
  const crashedCasTo = new Int32Array(values).fill(-1);
  const crashedCasNext = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    const o = outcome[i]!;
    sets[i] = k === WRITE ? a[i]! : k === CAS && o !== FAILED ? b[i]! : -1;
    if (o === OK && (k === CAS || (k === READ && a[i] !== ANY)) && invokeAt[i]! > lastNeed[a[i]!]!) lastNeed[a[i]!] = invokeAt[i]!;
    if (k === CAS && o === UNKNOWN) {
      crashedCasNext[i] = crashedCasTo[b[i]!]!;
      crashedCasTo[b[i]!] = i;
    }
  }
  const work: number[] = [];
  for (let v = 0; v < values; v++) if (lastNeed[v]! >= 0 && crashedCasTo[v]! >= 0) work.push(v);
  while (work.length > 0) {
    for (let i = crashedCasTo[work.pop()!]!; i >= 0; i = crashedCasNext[i]!) {
      const x = a[i]!;
      const first = lastNeed[x]! < 0;
      if (invokeAt[i]! > lastNeed[x]!) lastNeed[x] = invokeAt[i]!;
      if (first && crashedCasTo[x]! >= 0) work.push(x);
    }
  }
  /** Whether value v is needed (by a completed call, or through a crashed cas). */
  const needed = (v: number) => lastNeed[v]! >= 0;
  const returns = byTime(returnAt);

  const done = new Uint8Array(n);
  // Pending reads waiting for a value, pending setters of a value: linked lists by value.
  const waitHead = new Int32Array(values).fill(-1);
  const waitNext = new Int32Array(n);
  const setterHead = new Int32Array(values).fill(-1);
  const setterTail = new Int32Array(values);
  const setterNext = new Int32Array(n);
  // Pending cas that lead on from a value (ok, or crashed and the way to a needed value), by value.
  const chainHead = new Int32Array(values).fill(-1);
  const chainNext = new Int32Array(n);
  // Pending failed cas waiting for the value to change; pending updates the flush may move.
  const failedWaiting: number[] = [];
  const updates: number[] = [];
  const order = new Int32Array(n);
  const statesAfter = new Int32Array(n);
  let length = 0;
  let state = initial;
  let now = 0;

  /** Appends call i, legal in `state`, and then every waiting read or failed cas the new state allows. */
  const append = (i: number) => {
    done[i] = 1;
    const v = sets[i]!;
    const changed = v >= 0 && v !== state && (kind[i] === WRITE || a[i] === state);
    if (changed) state = v;
    order[length] = i;
    statesAfter[length++] = state;
    if (!changed) return;
    for (let r = waitHead[state]!; r >= 0; r = waitNext[r]!) {
      done[r] = 1;
      order[length] = r;
      statesAfter[length++] = state;
    }
    waitHead[state] = -1;
    for (let k = failedWaiting.length - 1; k >= 0; k--) {
      const f = failedWaiting[k]!;
      if (a[f] === state) continue;
      done[f] = 1;
      order[length] = f;
      statesAfter[length++] = state;
      failedWaiting[k] = failedWaiting[failedWaiting.length - 1]!;
      failedWaiting.pop();
    }
  };

  /** A pending setter of value v (the first invoked), or -1. */
  const setterOf = (v: number): number => {
    let s = setterHead[v]!;
    while (s >= 0 && done[s] === 1) s = setterNext[s]!;
    setterHead[v] = s;
    return s;
  };

  /** The one pending cas that leads on from value v, -1 for none, -2 for more than one. */
  const chainFrom = (v: number): number => {
    let c = chainHead[v]!;
    while (c >= 0 && done[c] === 1) c = chainNext[c]!;
    chainHead[v] = c;
    if (c < 0) return -1;
    for (let d = chainNext[c]!; d >= 0; d = chainNext[d]!) if (done[d] === 0) return -2;
    return c;
  };

  /** Whether value v, and the values the pending cas from it lead to, are needed by no call invoked from now on. */
  const finished = (v: number, depth: number): boolean => {
    if (lastNeed[v]! >= now) return false;
    const c = chainFrom(v);
    return c === -1 || (c >= 0 && depth > 0 && finished(b[c]!, depth - 1));
  };

  /** Before a write changes the value: the pending cas that lead on from it must go now, or never. */
  const leave = () => {
    for (let c = chainFrom(state); c >= 0; c = chainFrom(state)) append(c);
  };

  /** Before a write: the pending updates whose values nothing will need later go first, with the cas that lead on from them (see above). */
  const flush = (except: number) => {
    for (let k = 0; k < updates.length; k++) {
      const p = updates[k]!;
      if (done[p] === 1) {
        updates[k--] = updates[updates.length - 1]!;
        updates.pop();
        continue;
      }
      const v = sets[p]!;
      if (p === except || lastNeed[v]! >= now || (kind[p] === CAS && a[p] !== state) || (outcome[p] === UNKNOWN && lastNeed[v]! < 0) || !finished(v, MAX_CHAIN)) continue;
      if (kind[p] === WRITE) leave();
      append(p);
      leave();
    }
  };

  /** The pending update legal now that returns first, or -1. */
  const firstDue = (): number => {
    let best = -1;
    for (const p of updates) {
      if (done[p] === 1 || (kind[p] === CAS && a[p] !== state)) continue;
      if (best < 0 || returnAt[p]! < returnAt[best]!) best = p;
    }
    return best;
  };

  /** Appends call i now, after what it needs; false when that cannot be done. */
  const force = (i: number, depth: number): boolean => {
    const k = kind[i]!;
    if (k === WRITE) {
      // The pending updates nothing needs later go before it, unless nothing needs its value later
      // either: then after it, so that its value is not the one left standing.
      const last = lastNeed[sets[i]!]! < now && finished(sets[i]!, MAX_CHAIN);
      if (!last) flush(i);
      leave();
      append(i);
      if (last) flush(-1);
      return true;
    }
    if (k === CAS && outcome[i] === FAILED) {
      // The value must change before it returns: a cas that leads on from it, else the updates due
      // anyway, else the pending update that must go first.
      if (a[i] === state) leave();
      if (a[i] === state) flush(-1);
      if (a[i] === state) {
        const p = firstDue();
        if (p < 0 || depth === 0 || !force(p, depth - 1) || a[i] === state) return false;
      }
      if (done[i] === 0) append(i); // appended by the state change otherwise
      return true;
    }
    const x = a[i]!;
    if (x !== state) {
      const s = setterOf(x);
      if (s < 0 || s === i || depth === 0 || !force(s, depth - 1)) return false;
    }
    // A read is appended when the value it waits for comes; a cas may have gone with a flush.
    if (done[i] === 1) return true;
    if (x !== state) return false;
    append(i);
    return true;
  };

  // The events in time order: invocations (calls are in invocation order) and returns.
  for (let next = 0, r = 0; r < returns.length; ) {
    if (next < n && invokeAt[next]! < returnAt[returns[r]!]!) {
      const i = next++;
      const k = kind[i]!;
      const x = a[i]!;
      if (k === READ) {
        if (x === ANY || x === state) {
          done[i] = 1;
          order[length] = i;
          statesAfter[length++] = state;
        } else {
          waitNext[i] = waitHead[x]!;
          waitHead[x] = i;
        }
      } else if (outcome[i] === FAILED) {
        if (x !== state) append(i);
        else failedWaiting.push(i);
      } else {
        // At the end of the value's list, so that setterOf finds the first invoked.
        const v = sets[i]!;
        setterNext[i] = -1;
        if (setterHead[v]! < 0) setterHead[v] = i;
        else setterNext[setterTail[v]!] = i;
        setterTail[v] = i;
        if (outcome[i] !== UNKNOWN || lastNeed[v]! >= 0) updates.push(i);
        if (k === CAS && (outcome[i] === OK || needed(v))) {
          chainNext[i] = chainHead[x]!;
          chainHead[x] = i;
        }
      }
      continue;
    }
    const i = returns[r++]!;
    now = returnAt[i]!;
    if (done[i] === 0 && !force(i, MAX_CHAIN)) return { stuck: i };
  }
  return { steps: { calls: order.subarray(0, length), statesAfter: statesAfter.subarray(0, length) } };
}
