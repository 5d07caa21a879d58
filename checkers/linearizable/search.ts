/**
 * The just-in-time linearizability search of Wing & Gong, as refined by
 * Lowe: walk the history's events in order; at an invocation, try to
 * linearize that call now (apply it to the model, remove it from the list,
 * start again from the first event); at a return, the call returning must
 * already be linearized, so backtrack. A cache of explored configurations
 * (set of linearized calls, model state) cuts off repeated work.
 *
 * Calls of unknown outcome (crashed) have no return event: they may be
 * linearized at any point after their invocation, or never. Three sound
 * reductions keep them from blowing the search up:
 * 1. crashed calls that cannot change the state are dropped before the
 *    search (`prepareCalls`);
 * 2. a crashed call is never linearized where it would leave the state
 *    unchanged: the configuration without it has the same state and
 *    strictly more options, so it dominates;
 * 3. identical crashed calls (same f and value) are interchangeable once
 *    invoked, so they are linearized in invocation order only: the i-th of
 *    a group goes before the (i+1)-th. Every linearization maps to one of
 *    these by swapping identical calls, and the cache then sees one
 *    configuration where it would have seen up to k! of them;
 * 4. the cache treats a configuration as explored when one with the same
 *    state and completed calls but fewer crashed calls was (ConfigCache);
 * 5. for models whose updates set a state independent of the one before
 *    (Model.resultIndependentOfState), a run of crashed calls must be
 *    followed by a completed call that was illegal where the run began.
 *    Any linearization can be brought into that form: if the completed call
 *    after a run was legal before it, the run can be moved after it (a
 *    read-only call) or dropped (an update, whose result the run does not
 *    change), and crashed calls at the very end can always be dropped.
 *
 * And one for reads: a read-only call (one that never changes the state,
 * see Model.readOnly) that is legal now is linearized now, and the branch
 * where it waits is never explored. Sound because any linearization that
 * places it later can place it here instead: it is a candidate, so every
 * call that must precede it is already linearized, and taking it out of its
 * later place changes no state. When such a forced step fails, the
 * configuration before it has failed too.
 *
 * Where the model knows how reads become legal (Model.readPruning), a state
 * from which some pending read can never become legal again is abandoned at
 * once instead of when that read's return is reached.
 */
import type { Call } from './calls.js';
import type { ReadPruning } from './model.js';
import { ConfigCache } from './config-cache.js';
import type { StateSpace } from './state-space.js';

export interface SearchLimits {
  /**
   * Called now and then; returns a reason to stop (time or memory), or
   * undefined. `bytes` estimates what the search holds (cache and states).
   */
  shouldStop?: (progress: { configurations: number; bytes: number }) => string | undefined;
  /** Stop (unknown) after exploring this many configurations. */
  maxConfigurations?: number;
}

/** A JavaScript Map holds at most 2^24 entries; stay well below. */
const MAX_MODEL_STATES = 1 << 23;
/** Rough bytes per interned state (map entry, array slot, the state itself). */
const BYTES_PER_STATE = 96;

export type SearchOutcome =
  | {
      kind: 'valid';
      configurations: number;
      /** One linearization of the completed calls (and the crashed calls it needed), with the state after each. */
      linearization: { call: number; stateAfter: number }[];
    }
  | {
      kind: 'unknown';
      reason: string;
      configurations: number;
      /** True when the search stopped at `maxConfigurations`, not at the caller's limits. */
      atConfigurationLimit: boolean;
    }
  | {
      kind: 'invalid';
      configurations: number;
      /** The completed call that no explored configuration could linearize before it returned. */
      culprit: number;
      /** Model states (ids) from which the culprit was found impossible, at most MAX_STATES_BEFORE. */
      statesBefore: number[];
      /** A longest linearizable prefix: call indices in linearization order, with the state after each. */
      prefix: { call: number; stateAfter: number }[];
    };

const MAX_STATES_BEFORE = 8;
/** How often (in loop iterations, a power of two) the search asks whether to stop. */
const CHECK_EVERY = 1 << 12;

/** Deterministic per-call hash values (Zobrist hashing of the linearized set). */
function zobrist(n: number): Int32Array {
  const out = new Int32Array(n);
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

function mixState(s: number): number {
  let h = Math.imul(s + 1, 0x85ebca6b);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35);
}

/** Group identical crashed calls; returns group id per call (-1: completed) and rank in group. */
function crashGroups(calls: readonly Call[]): { group: Int32Array; rank: Int32Array; groups: number } {
  const group = new Int32Array(calls.length).fill(-1);
  const rank = new Int32Array(calls.length);
  const ids = new Map<string, number>();
  const sizes: number[] = [];
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!;
    if (c.outcome !== 'unknown') continue;
    const sig = `${c.f}\u0000${JSON.stringify(c.value)}`;
    let g = ids.get(sig);
    if (g === undefined) {
      g = sizes.length;
      ids.set(sig, g);
      sizes.push(0);
    }
    group[i] = g;
    rank[i] = sizes[g]!++;
  }
  return { group, rank, groups: sizes.length };
}

/**
 * Search for a linearization of `calls` (ordered by invocation) from the
 * state `initial` of `space`.
 */
export function searchLinearization(
  calls: readonly Call[],
  space: StateSpace,
  initial: number,
  readOnly: (call: Call) => boolean,
  limits: SearchLimits = {},
  pruning?: ReadPruning<unknown>,
  crashedOnlyOnDemand = false,
): SearchOutcome {
  const n = calls.length;
  // The doubly linked list of events: entry e < 2n; call i's invocation is
  // entry 2i, its return 2i+1 (absent for crashed calls). HEAD is 2n.
  const HEAD = 2 * n;
  const next = new Int32Array(2 * n + 1).fill(-1);
  const prev = new Int32Array(2 * n + 1).fill(-1);
  const events: number[] = [];
  for (let i = 0; i < n; i++) {
    events.push(2 * i);
    if (calls[i]!.returnAt !== Infinity) events.push(2 * i + 1);
  }
  const at = (e: number) => (e & 1 ? calls[e >> 1]!.returnAt : calls[e >> 1]!.invokeAt);
  events.sort((a, b) => at(a) - at(b));
  let last = HEAD;
  for (const e of events) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }

  let completedLeft = 0;
  for (const c of calls) if (c.returnAt !== Infinity) completedLeft++;
  if (completedLeft === 0) return { kind: 'valid', configurations: 0, linearization: [] };

  const { group, rank, groups } = crashGroups(calls);
  const groupUsed = new Int32Array(groups);
  const hashes = zobrist(n);
  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(words);
  const optional = new Uint32Array(words);
  for (let i = 0; i < n; i++) {
    if (group[i]! >= 0) {
      optional[i >>> 5]! |= 1 << (i & 31);
      hashes[i] = 0; // the cache compares optional calls by inclusion: keep them out of the hash
    }
  }
  const cache = new ConfigCache(words, optional);

  const isReadOnly = new Uint8Array(n);
  for (let i = 0; i < n; i++) isReadOnly[i] = calls[i]!.outcome !== 'unknown' && readOnly(calls[i]!) ? 1 : 0;
  const stackCall = new Int32Array(n);
  const stackState = new Int32Array(n);
  const stackForced = new Uint8Array(n);
  /** For a crashed call on the stack: the state before the run of crashed calls it belongs to. */
  const stackRunStart = new Int32Array(n);
  const reads = pruning ? readEnablers(calls, isReadOnly, pruning) : undefined;
  /** A pending read that can no longer become legal from `state`, or -1. */
  const unreachableRead = (): number => {
    if (!reads) return -1;
    for (let e = next[HEAD]!; e >= 0 && (e & 1) === 0; e = next[e]!) {
      const g = e >> 1;
      if (reads.left[g] === 0 && reads.watched[g] === 1 && !pruning!.reachableWithoutEnablers(space.states[state], calls[g]!)) {
        return g;
      }
    }
    return -1;
  };
  const enable = (i: number, delta: number) => {
    if (!reads) return;
    for (let k = reads.start[i]!; k < reads.start[i + 1]!; k++) reads.left[reads.reads[k]!]! += delta;
  };
  let depth = 0;
  let state = initial;
  let hash = 0;

  // Evidence for an invalid verdict: the furthest return event we could not pass.
  let furthest = -1;
  let culprit = -1;
  let statesBefore: number[] = [];
  // The stack when the furthest failure was met (copied into buffers allocated once).
  const prefixCalls = new Int32Array(n);
  const prefixStates = new Int32Array(n);
  let prefixLength = 0;
  let prefixFinal = 0;

  const lift = (i: number) => {
    const e = 2 * i;
    next[prev[e]!] = next[e]!;
    if (next[e]! >= 0) prev[next[e]!] = prev[e]!;
    if (group[i] === -1) {
      const r = e + 1;
      next[prev[r]!] = next[r]!;
      if (next[r]! >= 0) prev[next[r]!] = prev[r]!;
    }
  };
  const unlift = (i: number) => {
    const e = 2 * i;
    if (group[i] === -1) {
      const r = e + 1;
      if (next[r]! >= 0) prev[next[r]!] = r;
      next[prev[r]!] = r;
    }
    if (next[e]! >= 0) prev[next[e]!] = e;
    next[prev[e]!] = e;
  };

  /** Call `culprit` cannot be linearized from the current configuration; keep the furthest such. */
  const noteFailure = (culpritCall: number) => {
    const pos = calls[culpritCall]!.returnAt;
    if (pos > furthest) {
      furthest = pos;
      culprit = culpritCall;
      statesBefore = [state];
      prefixCalls.set(stackCall.subarray(0, depth));
      prefixStates.set(stackState.subarray(0, depth));
      prefixLength = depth;
      prefixFinal = state;
    } else if (pos === furthest && statesBefore.length < MAX_STATES_BEFORE && !statesBefore.includes(state)) {
      statesBefore.push(state);
    }
  };

  const maxConfigurations = limits.maxConfigurations ?? Infinity;
  let iterations = 0;
  let entry = next[HEAD]!;
  for (;;) {
    if ((iterations++ & (CHECK_EVERY - 1)) === 0) {
      const reason =
        cache.size > maxConfigurations
          ? `explored ${maxConfigurations} configurations`
          : space.size > MAX_MODEL_STATES
            ? `more than ${MAX_MODEL_STATES} model states`
            : limits.shouldStop?.({ configurations: cache.size, bytes: cache.bytes + space.size * BYTES_PER_STATE });
      if (reason) return { kind: 'unknown', reason, configurations: cache.size, atConfigurationLimit: cache.size > maxConfigurations };
    }
    if ((entry & 1) === 0 && entry >= 0) {
      // An invocation: try to linearize this call here.
      const i = entry >> 1;
      const g = group[i]!;
      if (g >= 0 && groupUsed[g] !== rank[i]) {
        entry = next[entry]!;
        continue;
      }
      const to = space.next(state, i);
      const top = depth - 1;
      const inRun = top >= 0 && group[stackCall[top]!]! >= 0;
      if (
        to < 0 ||
        (g >= 0 && to === state) ||
        // After a run of crashed calls, only a call the run made legal may follow.
        (crashedOnlyOnDemand && inRun && g < 0 && space.next(stackRunStart[top]!, i) >= 0)
      ) {
        entry = next[entry]!;
        continue;
      }
      const forced = isReadOnly[i] === 1;
      const w = i >>> 5;
      const m = 1 << (i & 31);
      bits[w]! |= m;
      const h = (hash ^ hashes[i]!) | 0;
      if (cache.add(h ^ mixState(to), bits, to)) {
        stackCall[depth] = i;
        stackState[depth] = state;
        stackForced[depth] = forced ? 1 : 0;
        stackRunStart[depth] = inRun ? stackRunStart[top]! : state;
        depth++;
        state = to;
        hash = h;
        if (g >= 0) groupUsed[g]!++;
        else if (--completedLeft === 0) {
          return { kind: 'valid', configurations: cache.size, linearization: steps(stackCall.subarray(0, depth), stackState.subarray(0, depth), state) };
        }
        lift(i);
        enable(i, -1);
        const stuck = forced ? -1 : unreachableRead();
        if (stuck < 0) {
          entry = next[HEAD]!;
          continue;
        }
        // A pending read is out of reach from here: backtrack.
        noteFailure(stuck);
      } else if (!forced) {
        bits[w]! &= ~m;
        entry = next[entry]!;
        continue;
      } else {
        // A forced read led to an explored configuration: this one fails too.
        bits[w]! &= ~m;
      }
    } else if (entry >= 0) {
      // A return whose call is not linearized yet: backtrack.
      noteFailure(entry >> 1);
    }
    // Backtrack: undo the last step, and keep undoing while the steps were forced.
    let i: number;
    do {
      if (depth === 0) {
        const prefix = steps(prefixCalls.subarray(0, prefixLength), prefixStates.subarray(0, prefixLength), prefixFinal);
        return { kind: 'invalid', configurations: cache.size, culprit, statesBefore, prefix };
      }
      depth--;
      i = stackCall[depth]!;
      state = stackState[depth]!;
      hash = (hash ^ hashes[i]!) | 0;
      bits[i >>> 5]! &= ~(1 << (i & 31));
      const g = group[i]!;
      if (g >= 0) groupUsed[g]!--;
      else completedLeft++;
      unlift(i);
      enable(i, +1);
    } while (stackForced[depth] === 1);
    entry = next[2 * i]!;
  }
}

/** A linearization from the stack: calls in order, and the state before each plus the final state. */
function steps(calls: Int32Array, statesBefore: Int32Array, final: number): { call: number; stateAfter: number }[] {
  return Array.from(calls, (call, d) => ({ call, stateAfter: d + 1 < calls.length ? statesBefore[d + 1]! : final }));
}

/**
 * For each completed read the pruning applies to, how many of its enablers
 * are not yet linearized (`left`), and for each call, which reads it
 * enables (CSR: reads[start[i]..start[i+1]]).
 */
function readEnablers(calls: readonly Call[], isReadOnly: Uint8Array, pruning: ReadPruning<unknown>) {
  const n = calls.length;
  const watched = new Uint8Array(n);
  const left = new Int32Array(n);
  const lists: number[][] = Array.from({ length: n }, () => []);
  const readers: number[] = [];
  for (let g = 0; g < n; g++) {
    if (isReadOnly[g] === 1 && pruning.applies(calls[g]!)) {
      watched[g] = 1;
      readers.push(g);
    }
  }
  for (let c = 0; c < n; c++) {
    if (isReadOnly[c] === 1 || !pruning.canEnable(calls[c]!)) continue;
    const writer = calls[c]!;
    for (const g of readers) {
      const read = calls[g]!;
      if (writer.invokeAt < read.returnAt && pruning.mayEnable(writer, read)) {
        lists[c]!.push(g);
        left[g]!++;
      }
    }
  }
  const start = new Int32Array(n + 1);
  for (let c = 0; c < n; c++) start[c + 1] = start[c]! + lists[c]!.length;
  const reads = new Int32Array(start[n]!);
  for (let c = 0; c < n; c++) reads.set(lists[c]!, start[c]!);
  return { watched, left, start, reads };
}
