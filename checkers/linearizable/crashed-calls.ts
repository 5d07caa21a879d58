/**
 * Two sound reductions for crashed (unknown-outcome) updates of a register
 * (Model.valueFlow), applied before the search. Both matter most when
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
import type { Call } from './calls.js';
import { valueKey, type ValueFlow } from './model.js';

export interface CrashedReduction {
  calls: Call[];
  /** Crashed updates left out by rule 1. */
  dropped: number;
  /** Crashed updates made completed calls by rule 2. */
  required: number;
}

type Key = string | number;

/** `initialKey`: valueKey of the initial value. */
export function reduceCrashedCalls(calls: readonly Call[], flow: ValueFlow, initialKey: Key): CrashedReduction {
  const n = calls.length;
  const setKey: (Key | undefined)[] = [];
  const needKey: (Key | undefined)[] = [];
  const needers = new Map<Key, number>();
  const crashedSetters = new Map<Key, number[]>();
  let lastExcluderReturn = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = calls[i]!;
    const s = flow.sets(c);
    const r = flow.requires(c);
    setKey.push(s && valueKey(s.value));
    needKey.push(r && valueKey(r.value));
    if (r) needers.set(needKey[i]!, (needers.get(needKey[i]!) ?? 0) + 1);
    if (flow.excludes(c) !== undefined) lastExcluderReturn = Math.max(lastExcluderReturn, c.returnAt);
    if (s && c.outcome === 'unknown') {
      const list = crashedSetters.get(setKey[i]!);
      if (list) list.push(i);
      else crashedSetters.set(setKey[i]!, [i]);
    }
  }

  // Rule 1, with a worklist of values whose last needer went away.
  const dropped = new Uint8Array(n);
  let droppedCount = 0;
  const work = [...crashedSetters.keys()];
  while (work.length > 0) {
    const x = work.pop()!;
    if ((needers.get(x) ?? 0) > 0) continue;
    for (const i of crashedSetters.get(x) ?? []) {
      if (dropped[i] || calls[i]!.invokeAt < lastExcluderReturn) continue;
      dropped[i] = 1;
      droppedCount++;
      const a = needKey[i];
      if (a !== undefined) {
        const left = needers.get(a)! - 1;
        needers.set(a, left);
        if (left === 0) work.push(a);
      }
    }
  }

  // Rule 2: per value, its setters still in play and its earliest completed needer.
  const out: (Call | undefined)[] = new Array(n);
  const setters = new Map<Key, number[]>();
  const firstNeeder = new Map<Key, number>();
  for (let i = 0; i < n; i++) {
    if (dropped[i]) continue;
    const s = setKey[i];
    if (s !== undefined) {
      const list = setters.get(s);
      if (list) list.push(i);
      else setters.set(s, [i]);
    }
    noteNeeder(i);
  }
  function noteNeeder(i: number) {
    const r = needKey[i];
    const c = out[i] ?? calls[i]!;
    if (r === undefined || c.outcome !== 'ok') return;
    const f = firstNeeder.get(r);
    if (f === undefined || c.returnAt < (out[f] ?? calls[f]!).returnAt) firstNeeder.set(r, i);
  }
  let required = 0;
  const pending = [...firstNeeder.keys()];
  while (pending.length > 0) {
    const x = pending.pop()!;
    const list = setters.get(x);
    if (x === initialKey || list === undefined || list.length !== 1) continue;
    const i = list[0]!;
    const c = out[i] ?? calls[i]!;
    const o = out[firstNeeder.get(x)!] ?? calls[firstNeeder.get(x)!]!;
    if (c.outcome !== 'unknown' || c.invokeAt >= o.returnAt) continue;
    out[i] = { ...c, outcome: 'ok', returnAt: o.returnAt - 0.5, neededBy: o };
    required++;
    const before = needKey[i] === undefined ? undefined : firstNeeder.get(needKey[i]!);
    noteNeeder(i);
    if (needKey[i] !== undefined && firstNeeder.get(needKey[i]!) !== before) pending.push(needKey[i]!);
  }

  const result: Call[] = [];
  for (let i = 0; i < n; i++) if (!dropped[i]) result.push(out[i] ?? calls[i]!);
  return { calls: result, dropped: droppedCount, required };
}
