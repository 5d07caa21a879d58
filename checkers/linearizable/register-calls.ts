/**
 * A register history's calls as integers, built in one pass: what
 * prepareCalls (calls.ts) does for any model, with the register's values
 * interned as small ids, so that the register's checks (crashed-calls.ts,
 * overwritten-reads.ts, register-problem.ts) compare integers in typed
 * arrays instead of calling a model on objects. A check of a few thousand
 * ops is over before V8 optimizes anything: every call through an
 * interface, object allocated or JSON text built shows in the time a user
 * waits for.
 *
 * Outcomes are read as in calls.ts: `ok` happened; `fail` did not (dropped),
 * except under etcd semantics, where a failed cas is a comparison that
 * failed and a failed read is of unknown outcome; `info` or no completion
 * may have happened at any time after the invocation. Crashed reads are
 * dropped (they can always be linearized as having done nothing).
 */
import { HistoryError, type History } from '../../harness/history/op.js';
import type { Call } from './calls.js';
import { valueKey, type Model, type Outcome } from './model.js';
import type { Semantics } from './models/index.js';
import { MAX_EVENTS, NEVER } from './search.js';

export const READ = 0;
export const WRITE = 1;
export const CAS = 2;

export const OK = 0;
export const FAILED = 1;
export const UNKNOWN = 2;

/** The value of a read of nil under Knossos' semantics, which is legal in every state: no value id. */
export const ANY = -1;

/** Calls in invocation order, one index across every array. */
export interface RegisterCalls {
  /** READ, WRITE or CAS. */
  kind: Uint8Array;
  /** OK, FAILED (an etcd cas whose comparison failed) or UNKNOWN. */
  outcome: Uint8Array;
  /** A read's value (ANY for a nil read under Knossos), a write's value, a cas's expected value: value ids. */
  a: Int32Array;
  /** The value a cas sets. */
  b: Int32Array;
  /** Times of the invocation and the return (twice their positions in the history; NEVER for a crashed call's return: see search.ts). */
  invokeAt: Int32Array;
  returnAt: Int32Array;
  /** The call's index among the prepared calls (crashed-calls.ts leaves some out). */
  origin: Int32Array;
  /** For a crashed call searched as completed (crashed-calls.ts): the prepared call that needed it, else -1. */
  neededBy: Int32Array;
}

export interface PreparedRegister {
  calls: RegisterCalls;
  /** Value by id. */
  values: unknown[];
  /** Value id by valueKey. */
  ids: Map<string | number, number>;
  /** Per prepared call, the position of its completion in the history, or -1. */
  completionAt: Int32Array;
  droppedFailed: number;
  droppedReadOnly: number;
}

/** Interns a value: its id, new or not. */
export function valueId(p: Pick<PreparedRegister, 'values' | 'ids'>, v: unknown): number {
  const k = valueKey(v);
  let id = p.ids.get(k);
  if (id === undefined) {
    id = p.values.length;
    p.values.push(v === undefined ? null : v);
    p.ids.set(k, id);
  }
  return id;
}

/**
 * Pair invocations with completions and intern values. `cas`: whether the
 * model has cas; `nilReadMatchesAny`: Knossos' reading of a nil read;
 * `valueOf`: the value half of a per-key [key, value] tuple, or identity.
 * Calls the model only to word an error.
 */
export function prepareRegister(
  history: History,
  model: Model,
  semantics: Semantics,
  opts: { cas: boolean; nilReadMatchesAny: boolean },
  valueOf?: (v: unknown) => unknown,
): PreparedRegister {
  const len = history.length;
  if (len >= MAX_EVENTS) throw new RangeError(`a history of more than ${MAX_EVENTS} events`);
  // Pass 1: where each invocation completed. The invocation in flight per process is kept in an
  // array indexed by process (-1: none), not a Map: this pass was most of a cold check's time.
  const inFlight: number[] = [];
  const completedAt = new Int32Array(len).fill(-1);
  const invocations = new Int32Array(len);
  let m = 0;
  for (let i = 0; i < len; i++) {
    const op = history[i]!;
    const proc = op.process;
    if (proc === 'nemesis') continue;
    const at = inFlight[proc] ?? -1;
    if (op.type === 'invoke') {
      if (at >= 0) throw new HistoryError(`process ${proc} invoked ${op.f} while its op ${history[at]!.index} was still in flight`, op.index);
      inFlight[proc] = i;
      invocations[m++] = i;
    } else {
      if (at < 0) throw new HistoryError(`process ${proc} completed ${op.f} (${op.type}) with no invocation in flight`, op.index);
      inFlight[proc] = -1;
      completedAt[at] = i;
    }
  }
  // Pass 2: the calls, in invocation order.
  const p: PreparedRegister = { calls: emptyCalls(m), values: [], ids: new Map(), completionAt: new Int32Array(m), droppedFailed: 0, droppedReadOnly: 0 };
  const { kind, outcome, a, b, invokeAt, returnAt, origin, neededBy } = p.calls;
  const etcd = semantics === 'etcd';
  let n = 0;
  for (let j = 0; j < m; j++) {
    const i = invocations[j]!;
    const invoke = history[i]!;
    const c = completedAt[i]!;
    const completion = c < 0 ? undefined : history[c]!;
    const f = invoke.f;
    const type = completion === undefined ? 'info' : completion.type;
    let out: number;
    if (type === 'ok') out = OK;
    else if (type === 'info') out = UNKNOWN;
    else if (etcd && f === 'cas') out = FAILED;
    else if (etcd && f === 'read') out = UNKNOWN;
    else {
      p.droppedFailed++;
      continue;
    }
    const raw = out === OK ? completion!.value : invoke.value;
    const value = valueOf ? valueOf(raw) : raw;
    let k: number;
    if (f === 'read') k = READ;
    else if (f === 'write') k = WRITE;
    else if (f === 'cas' && opts.cas && Array.isArray(value) && value.length === 2) k = CAS;
    else throw new HistoryError(model.invalidCall({ f, value, outcome: OUTCOMES[out]! })!, invoke.index);
    if (k === READ && out === UNKNOWN) {
      p.droppedReadOnly++;
      continue;
    }
    kind[n] = k;
    outcome[n] = out;
    if (k === READ) a[n] = (value === null || value === undefined) && opts.nilReadMatchesAny ? ANY : valueId(p, value);
    else if (k === WRITE) a[n] = valueId(p, value);
    else {
      a[n] = valueId(p, (value as unknown[])[0]);
      b[n] = valueId(p, (value as unknown[])[1]);
    }
    invokeAt[n] = 2 * i; // times: see search.ts
    returnAt[n] = out === UNKNOWN ? NEVER : 2 * c;
    origin[n] = n;
    neededBy[n] = -1;
    p.completionAt[n] = c;
    n++;
  }
  p.calls = sliceCalls(p.calls, n);
  p.completionAt = p.completionAt.subarray(0, n);
  return p;
}

function emptyCalls(n: number): RegisterCalls {
  return {
    kind: new Uint8Array(n),
    outcome: new Uint8Array(n),
    a: new Int32Array(n),
    b: new Int32Array(n),
    invokeAt: new Int32Array(n),
    returnAt: new Int32Array(n),
    origin: new Int32Array(n),
    neededBy: new Int32Array(n),
  };
}

/** The first n calls, as views. */
function sliceCalls(c: RegisterCalls, n: number): RegisterCalls {
  return {
    kind: c.kind.subarray(0, n),
    outcome: c.outcome.subarray(0, n),
    a: c.a.subarray(0, n),
    b: c.b.subarray(0, n),
    invokeAt: c.invokeAt.subarray(0, n),
    returnAt: c.returnAt.subarray(0, n),
    origin: c.origin.subarray(0, n),
    neededBy: c.neededBy.subarray(0, n),
  };
}

/** The calls whose `keep` is 1, in order, in new arrays. */
export function selectCalls(c: RegisterCalls, keep: Uint8Array): RegisterCalls {
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i]!;
  const out = emptyCalls(n);
  let j = 0;
  for (let i = 0; i < keep.length; i++) {
    if (keep[i] === 0) continue;
    out.kind[j] = c.kind[i]!;
    out.outcome[j] = c.outcome[i]!;
    out.a[j] = c.a[i]!;
    out.b[j] = c.b[i]!;
    out.invokeAt[j] = c.invokeAt[i]!;
    out.returnAt[j] = c.returnAt[i]!;
    out.origin[j] = c.origin[i]!;
    out.neededBy[j] = c.neededBy[i]!;
    j++;
  }
  return out;
}

const OUTCOMES: Outcome[] = ['ok', 'failed', 'unknown'];

/**
 * A prepared call as a Call object, for evidence: its ops, outcome and
 * value as the model sees them (`valueOf` as given to prepareRegister).
 */
export function preparedCall(history: History, p: PreparedRegister, i: number, valueOf?: (v: unknown) => unknown): Call {
  const c = p.calls;
  const invoke = history[c.invokeAt[i]! / 2]!;
  const at = p.completionAt[i]!;
  const completion = at < 0 ? undefined : history[at];
  const out = c.outcome[i]!;
  const raw = out === OK ? completion!.value : invoke.value;
  return {
    f: invoke.f,
    value: valueOf ? valueOf(raw) : raw,
    outcome: OUTCOMES[out]!,
    invoke,
    completion,
    invokeAt: c.invokeAt[i]! / 2,
    returnAt: positionOf(c.returnAt[i]!),
  };
}

/** The position (half positions for a crashed call searched as completed; Infinity for NEVER) of a time. */
export function positionOf(time: number): number {
  return time === NEVER ? Infinity : time / 2;
}
