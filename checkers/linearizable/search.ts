/**
 * The just-in-time linearizability search of Wing & Gong, as refined by
 * Lowe: walk the history's events in order; at an invocation, try to
 * linearize that call now (apply it to the model, remove it from the list,
 * start again from the first event); at a return, the call returning must
 * already be linearized, so backtrack. A cache of explored configurations
 * (set of linearized calls, model state) cuts off repeated work.
 *
 * Calls of unknown outcome (crashed) have no return event: they may be
 * linearized at any point after their invocation, or never. They are kept
 * out of the event list and offered as candidates beside it (see
 * searchLinearization). These sound reductions keep them from blowing the
 * search up:
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
import { ValueLiveness, type ValueUse } from './value-liveness.js';
import { ConfigCache } from './config-cache.js';
import { Scratch } from './scratch.js';

export interface SearchLimits {
  /**
   * Called now and then; returns a reason to stop (time or memory), or
   * undefined. `bytes` estimates what the search holds (cache and states),
   * `growthBytes` what it may allocate before it calls again (the cache's
   * next doubling, when one is near), so that a memory limit can stop it
   * before it is passed.
   */
  shouldStop?: (progress: { configurations: number; bytes: number; growthBytes: number }) => string | undefined;
  /** Stop (unknown) after exploring this many configurations. */
  maxConfigurations?: number;
}

/**
 * Times are twice the positions of events in the history, so that a time
 * half a position before an event exists (crashed-calls.ts), and the return
 * time of a crashed call, which never returns, is NEVER. Int32 and below
 * 2^30 so that V8 keeps them small integers: before it optimizes a
 * function, each value it loads from a Float64Array is a new heap number.
 */
export const NEVER = 2 ** 30 - 1;

/** Histories longer than this have positions whose times reach NEVER. */
export const MAX_EVENTS = 2 ** 29 - 1;

/** The time of the event at a position of the history (see NEVER). */
export function timeAt(position: number): number {
  if (position >= MAX_EVENTS) throw new RangeError(`a history of more than ${MAX_EVENTS} events`);
  return 2 * position;
}

/**
 * The calls and the model as the search sees them: integers and typed
 * arrays, built by the caller for its kind of model (search-problem.ts for
 * any model, register-problem.ts for registers), so that the search's loop
 * calls no model code but `space.next`.
 */
export interface SearchProblem {
  /** Times of each call's invocation and return (see NEVER), calls in invocation order. */
  invokeAt: Int32Array;
  /** NEVER for a crashed call; one unit before another call's return for a crashed call searched as completed (crashed-calls.ts). */
  returnAt: Int32Array;
  /** For a crashed call, its group of identical crashed calls (same operation and value), numbered from 0; -1 for a completed call. */
  crashGroup: Int32Array;
  /** 1 for a completed call that never changes the state (Model.readOnly). */
  readOnly: Uint8Array;
  /** The model's transitions over interned states. */
  space: Transitions;
  initial: number;
  /** Model.resultIndependentOfState: rule 5 above applies. */
  crashedOnlyOnDemand: boolean;
  /** Where the model knows which calls can make a read legal (Model.readPruning). */
  reads?: ReadEnablers;
  /** For a register: which value each call sets and needs (value-liveness.ts). */
  values?: ValueUse;
}

export interface Transitions {
  /** States interned so far. */
  readonly size: number;
  /** The state after `call` from state `from`, or -1 when the call is not legal there. */
  next(from: number, call: number): number;
}

/**
 * For each completed read the pruning watches, the calls that may make it
 * legal (its enablers): call i may enable reads[start[i] .. start[i+1]).
 */
export interface ReadEnablers {
  watched: Uint8Array;
  start: Int32Array;
  reads: Int32Array;
  /** Whether `read` can become legal from `state` through calls that are not its enablers. */
  reachable(state: number, read: number): boolean;
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
      linearization: Steps;
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
      prefix: Steps;
    };

/** Calls in linearization order and the state after each (typed arrays: most are never looked at). */
export interface Steps {
  calls: Int32Array;
  statesAfter: Int32Array;
}

const MAX_STATES_BEFORE = 8;
/** How often (in loop iterations, a power of two) the search asks whether to stop. */
const CHECK_EVERY = 1 << 12;

/** Deterministic per-call hash values (Zobrist hashing of the linearized set), a fresh copy of n. */
function zobrist(n: number): Int32Array {
  if (zobristTable.length < n) {
    const grown = new Int32Array(Math.max(n, 2 * zobristTable.length));
    let x = 0x9e3779b9 | 0;
    for (let i = 0; i < grown.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      grown[i] = x;
    }
    zobristTable = grown;
  }
  const out = scratch.int32(n);
  out.set(zobristTable.subarray(0, n));
  return out;
}
/** The same values every time: a constant table, extended on demand. */
let zobristTable = new Int32Array(0);
/** Typed arrays for one search at a time (see scratch.ts). */
const scratch = new Scratch();

function mixState(s: number): number {
  let h = Math.imul(s + 1, 0x85ebca6b);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35);
}

/** The members of each crashed group, in invocation order; only a group's first unused member is ever a candidate. */
function groupMembers(crashGroup: Int32Array): number[][] {
  const members: number[][] = [];
  for (let i = 0; i < crashGroup.length; i++) {
    const g = crashGroup[i]!;
    if (g < 0) continue;
    while (members.length <= g) members.push([]);
    members[g]!.push(i);
  }
  return members;
}

/**
 * Search for a linearization of the problem's calls from its initial state.
 *
 * The candidates at each step are the completed calls invoked before the
 * first return event still in the list (walked in list order) and the head
 * of each crashed group invoked before that return (which part first: see
 * `crashedFirst`). Crashed calls are not in the list: they would be walked
 * over at every step for nothing.
 */
export function searchLinearization(problem: SearchProblem, limits: SearchLimits = {}): SearchOutcome {
  const { invokeAt, returnAt, crashGroup: group, readOnly: isReadOnly, space, initial, crashedOnlyOnDemand, reads } = problem;
  const n = invokeAt.length;
  // The doubly linked list of the completed calls' events: call i's
  // invocation is entry 2i, its return 2i+1. HEAD is 2n.
  const HEAD = 2 * n;
  scratch.begin();
  const next = scratch.int32(2 * n + 1, -1);
  const prev = scratch.int32(2 * n + 1, -1);
  const events = eventsInOrder(invokeAt, returnAt);
  let last = HEAD;
  for (const e of events) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }

  let completedLeft = events.length / 2;
  if (completedLeft === 0) return { kind: 'valid', configurations: 0, linearization: { calls: new Int32Array(0), statesAfter: new Int32Array(0) } };

  const members = groupMembers(group);
  const groups = members.length;
  const groupUsed = scratch.int32(groups);
  const hashes = zobrist(n);
  const words = (n + 31) >>> 5;
  const bits = scratch.uint32(words);
  const optional = scratch.uint32(words);
  for (let i = 0; i < n; i++) {
    if (group[i]! >= 0) {
      optional[i >>> 5]! |= 1 << (i & 31);
      hashes[i] = 0; // the cache compares optional calls by inclusion: keep them out of the hash
    }
  }
  const cache = new ConfigCache(words, optional, scratch);

  const stackCall = scratch.int32(n);
  const stackState = scratch.int32(n);
  const stackForced = scratch.uint8(n);
  /** For a crashed call on the stack: the state before the run of crashed calls it belongs to. */
  const stackRunStart = scratch.int32(n);
  /** For a crashed call on the stack: the return event that bounded the candidates when it was chosen. */
  const stackBound = scratch.int32(n);
  /** Whether the walk that chose the call on the stack took the crashed groups first. */
  const stackCrashedFirst = scratch.uint8(n);
  /** Per watched read, how many of its enablers are not linearized. */
  const enablersLeft = scratch.int32(n);
  if (reads) for (let k = 0; k < reads.reads.length; k++) enablersLeft[reads.reads[k]!]!++;
  /** A pending read that can no longer become legal from `state`, or -1. */
  const unreachableRead = (): number => {
    if (!reads) return -1;
    for (let e = next[HEAD]!; e >= 0 && (e & 1) === 0; e = next[e]!) {
      const g = e >> 1;
      if (enablersLeft[g] === 0 && reads.watched[g] === 1 && !reads.reachable(state, g)) return g;
    }
    return -1;
  };
  const enable = (i: number, delta: number) => {
    if (!reads) return;
    for (let k = reads.start[i]!; k < reads.start[i + 1]!; k++) enablersLeft[reads.reads[k]!]! += delta;
  };
  // Dancing links: an entry taken out keeps its own links, so it goes back in LIFO order.
  const remove = (e: number) => {
    next[prev[e]!] = next[e]!;
    if (next[e]! >= 0) prev[next[e]!] = prev[e]!;
  };
  const restore = (e: number) => {
    if (next[e]! >= 0) prev[next[e]!] = e;
    next[prev[e]!] = e;
  };
  const lift = (i: number) => {
    remove(2 * i);
    remove(2 * i + 1);
  };
  const unlift = (i: number) => {
    restore(2 * i + 1);
    restore(2 * i);
  };

  const live = problem.values ? new ValueLiveness(problem.values, space.size) : undefined;
  let depth = 0;
  let state = live ? live.canonical(initial) : initial;
  let hash = 0;

  // Evidence for an invalid verdict: the furthest return event we could not pass.
  let furthest = -1;
  let culprit = -1;
  let statesBefore: number[] = [];
  // The stack when the furthest failure was met (copied into buffers allocated once).
  const prefixCalls = scratch.int32(n);
  const prefixStates = scratch.int32(n);
  let prefixLength = 0;
  let prefixFinal = 0;

  /** Call `culprit` cannot be linearized from the current configuration; keep the furthest such. */
  const noteFailure = (culpritCall: number) => {
    const pos = returnAt[culpritCall]!;
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
  // Where the walk over candidates stands: an entry of the list, or, once
  // the first return event `bound` is reached, the crashed group `nextGroup`.
  /** The first return event in the list: no candidate may be invoked after it. */
  const firstReturn = (): number => {
    let e = next[HEAD]!;
    while ((e & 1) === 0) e = next[e]!;
    return e;
  };
  // Where the walk over candidates stands: the crashed groups (from
  // `nextGroup`) and the list (at `entry`), both bounded by `bound`. Which
  // part comes first is a heuristic (either order is complete): when the call
  // that returns first is legal now, the completed calls usually lead on;
  // when it is not, some state change must come first, often a crashed call.
  let bound = firstReturn();
  let crashedFirst = space.next(state, bound >> 1) < 0;
  let inList = !crashedFirst;
  let nextGroup = 0;
  let entry = next[HEAD]!;
  for (;;) {
    if ((iterations++ & (CHECK_EVERY - 1)) === 0) {
      const reason =
        cache.size > maxConfigurations
          ? `explored ${maxConfigurations} configurations`
          : space.size > MAX_MODEL_STATES
            ? `more than ${MAX_MODEL_STATES} model states`
            : limits.shouldStop?.({ configurations: cache.size, bytes: cache.bytes + space.size * BYTES_PER_STATE, growthBytes: cache.growthWithin(CHECK_EVERY) });
      if (reason) return { kind: 'unknown', reason, configurations: cache.size, atConfigurationLimit: cache.size > maxConfigurations };
    }
    // The next candidate, i, or -1 when there is none left here.
    let i = -1;
    for (let part = 0; part < 2 && i < 0; part++) {
      if (!inList) {
        const limit = returnAt[bound >> 1]!;
        for (; nextGroup < groups; nextGroup++) {
          const m = members[nextGroup]!;
          const used = groupUsed[nextGroup]!;
          if (used < m.length && invokeAt[m[used]!]! < limit) {
            i = m[used]!;
            break;
          }
        }
        if (i < 0 && crashedFirst) {
          inList = true; // the crashed groups are done: on to the list
          entry = next[HEAD]!;
        } else break;
      } else {
        if ((entry & 1) === 0) i = entry >> 1;
        else if (!crashedFirst) {
          inList = false; // the list is done: on to the crashed groups
          nextGroup = 0;
        } else break;
      }
    }
    if (i >= 0) {
      const g = group[i]!;
      let to = space.next(state, i);
      const top = depth - 1;
      const inRun = top >= 0 && group[stackCall[top]!]! >= 0;
      let counted = false;
      if (live && to >= 0) {
        live.update(i, -1);
        counted = true;
        to = live.abandons(state, to) ? -1 : live.canonical(to);
      }
      const legal =
        to >= 0 &&
        !(g >= 0 && to === state) &&
        // After a run of crashed calls, only a call the run made legal may follow.
        !(crashedOnlyOnDemand && inRun && g < 0 && space.next(stackRunStart[top]!, i) >= 0);
      if (counted && !legal) live!.update(i, +1);
      const forced = legal && (isReadOnly[i] === 1 || (live !== undefined && g < 0 && live.forcedWrite(state, to)));
      if (legal) {
        const w = i >>> 5;
        const m = 1 << (i & 31);
        bits[w]! |= m;
        const h = (hash ^ hashes[i]!) | 0;
        if (cache.add(h ^ mixState(to), bits, to)) {
          stackCall[depth] = i;
          stackState[depth] = state;
          stackForced[depth] = forced ? 1 : 0;
          stackRunStart[depth] = inRun ? stackRunStart[top]! : state;
          stackBound[depth] = bound;
          stackCrashedFirst[depth] = crashedFirst ? 1 : 0;
          depth++;
          state = to;
          hash = h;
          if (g >= 0) groupUsed[g]!++;
          else {
            lift(i);
            if (--completedLeft === 0) {
              return { kind: 'valid', configurations: cache.size, linearization: steps(stackCall.subarray(0, depth), stackState.subarray(0, depth), state) };
            }
          }
          enable(i, -1);
          const stuck = forced && isReadOnly[i] === 1 ? -1 : unreachableRead();
          if (stuck < 0) {
            bound = firstReturn();
            crashedFirst = space.next(state, bound >> 1) < 0;
            inList = !crashedFirst;
            nextGroup = 0;
            entry = next[HEAD]!;
            continue;
          }
          // A pending read is out of reach from here: backtrack.
          noteFailure(stuck);
        } else {
          bits[w]! &= ~m;
          live?.update(i, +1);
          // A forced read that leads to an explored configuration fails this one too.
          if (!forced) i = -1;
        }
      }
      if (i < 0 || !legal) {
        // Not legal here, or already explored: the next candidate.
        if (inList) entry = next[entry]!;
        else nextGroup++;
        continue;
      }
      // Otherwise this configuration has failed: backtrack.
    } else {
      // No candidate is left before the return event `bound`: its call cannot be linearized from here.
      noteFailure(bound >> 1);
    }
    // Backtrack: undo the last step, and keep undoing while the steps were forced.
    let popped: number;
    do {
      if (depth === 0) {
        const prefix = steps(prefixCalls.subarray(0, prefixLength), prefixStates.subarray(0, prefixLength), prefixFinal);
        return { kind: 'invalid', configurations: cache.size, culprit, statesBefore, prefix };
      }
      depth--;
      popped = stackCall[depth]!;
      state = stackState[depth]!;
      hash = (hash ^ hashes[popped]!) | 0;
      bits[popped >>> 5]! &= ~(1 << (popped & 31));
      const g = group[popped]!;
      if (g >= 0) groupUsed[g]!--;
      else {
        completedLeft++;
        unlift(popped);
      }
      enable(popped, +1);
      live?.update(popped, +1);
    } while (stackForced[depth] === 1);
    // Resume the walk just after the call we undid.
    const g = group[popped]!;
    bound = stackBound[depth]!;
    crashedFirst = stackCrashedFirst[depth] === 1;
    inList = g < 0;
    if (g >= 0) nextGroup = g + 1;
    else entry = next[2 * popped]!;
  }
}

/** A linearization from the stack: calls in order, and the state before each plus the final state. */
function steps(calls: Int32Array, statesBefore: Int32Array, final: number): Steps {
  const statesAfter = new Int32Array(calls.length);
  statesAfter.set(statesBefore.subarray(1));
  if (calls.length > 0) statesAfter[calls.length - 1] = final;
  return { calls: calls.slice(), statesAfter };
}

/**
 * The completed calls' events (2i: invocation, 2i+1: return) in time order,
 * an invocation before a return at the same time.
 */
export function eventsInOrder(invokeAt: Int32Array, returnAt: Int32Array): Int32Array {
  const order = byTime(returnAt);
  const events = new Int32Array(2 * order.length);
  // Merge the invocations (calls are in invocation order) with the returns.
  let k = 0;
  let r = 0;
  for (let i = 0; i < invokeAt.length; i++) {
    if (returnAt[i] === NEVER) continue;
    while (returnAt[order[r]!]! < invokeAt[i]!) events[k++] = 2 * order[r++]! + 1;
    events[k++] = 2 * i;
  }
  while (r < order.length) events[k++] = 2 * order[r++]! + 1;
  return events;
}

/**
 * The calls that return (time not NEVER), by time of return and then by
 * index: a counting sort, which neither calls a comparator nor makes heap
 * numbers, as a sort of packed doubles did, before V8 optimizes anything.
 */
export function byTime(returnAt: Int32Array): Int32Array {
  let last = 0;
  let count = 0;
  for (let i = 0; i < returnAt.length; i++) {
    const t = returnAt[i]!;
    if (t === NEVER) continue;
    count++;
    if (t > last) last = t;
  }
  const start = new Int32Array(last + 2);
  for (let i = 0; i < returnAt.length; i++) if (returnAt[i] !== NEVER) start[returnAt[i]! + 1]!++;
  for (let t = 0; t <= last; t++) start[t + 1]! += start[t]!;
  const out = new Int32Array(count);
  for (let i = 0; i < returnAt.length; i++) if (returnAt[i] !== NEVER) out[start[returnAt[i]!]!++] = i;
  return out;
}
