/**
 * Linearizability checking with Knossos' semantics and a Lowe-style
 * just-in-time search (see search.ts).
 *
 * P-compositionality: linearizability is local, so a history over many
 * independent keys is linearizable iff each key's sub-history is. Values of
 * per-key histories are `[key, value]` tuples (Jepsen's independent keys;
 * the kv model always); each key is checked alone, smallest first, and the
 * check stops at the first invalid key.
 */
import { HistoryError, type History, type Op } from '../../harness/history/op.js';
import { prepareCalls, type Call } from './calls.js';
import type { Model } from './model.js';
import { show } from './model.js';
import { alwaysPerKey, createModel, type ModelName, type Semantics } from './models/index.js';
import { reduceCrashedCalls } from './crashed-calls.js';
import { findOverwrittenRead } from './overwritten-reads.js';
import { searchLinearization, type SearchLimits } from './search.js';
import { problemFromCalls } from './search-problem.js';

export type Verdict = true | false | 'unknown';

export interface LinearizabilityOptions {
  model: ModelName;
  /** Initial state (JSON-decoded `--init`); the model's default when undefined. */
  init?: unknown;
  /** 'knossos' (default) or 'etcd': see calls.ts and models/register.ts. */
  semantics?: Semantics;
  /** Values are `[key, value]`: check each key on its own. Always on for the kv model. */
  perKey?: boolean;
  limits?: SearchLimits;
}

/** An op as shown in evidence: where it is in the history and what it did. */
export interface OpRef {
  /** Index of the invocation in the history. */
  index: number;
  /** Index of the completion, absent when it never completed. */
  completionIndex?: number;
  process: number;
  outcome: 'ok' | 'failed' | 'unknown';
  description: string;
}

export interface Counterexample {
  /** The key whose sub-history is not linearizable (per-key checks). */
  key?: unknown;
  /** The operation that no order of the history before it allows. */
  op: OpRef;
  /** Operations concurrent with it (at most MAX_LISTED), and how many there were. */
  concurrent: OpRef[];
  concurrentCount: number;
  /** States the model could be in just before it, none of which allows it. */
  statesBefore: string[];
  /** The end of one longest linearizable prefix (at most MAX_LISTED ops), with the state after each. */
  prefix: (OpRef & { stateAfter: string })[];
  prefixLength: number;
  /** One paragraph a human can follow. */
  explanation: string;
}

export interface LinearizabilityResult {
  valid: Verdict;
  model: string;
  /** Client operations considered (invocations). */
  calls: number;
  keys?: number;
  /** Configurations explored (size of the search's cache), over all keys. */
  configurations: number;
  droppedFailed: number;
  droppedReadOnly: number;
  /** Crashed updates whose value nothing needed, left out (crashed-calls.ts). */
  droppedUnobserved?: number;
  /** Crashed updates that were the only way to a value a completed call needed: searched as completed. */
  requiredCrashed?: number;
  unknownReason?: string;
  /** The key that stayed unknown, for per-key checks. */
  unknownKey?: unknown;
  counterexample?: Counterexample;
}

const MAX_LISTED = 12;
/** Configurations the search for an overwritten read's prefix may explore. */
const PREFIX_CONFIGURATIONS = 20_000;
/** Configurations the second search for a counterexample may explore, once the verdict is invalid. */
const EVIDENCE_CONFIGURATIONS = 100_000;
/** Per-key checks: configurations a key may explore in the first round, and the growth per round. */
const FIRST_ROUND_CONFIGURATIONS = 20_000;
const ROUND_GROWTH = 8;

function opRef(call: Call, model: Model): OpRef {
  const ref: OpRef = {
    index: call.invoke.index,
    process: call.invoke.process as number,
    outcome: call.outcome,
    description: model.describe(call),
  };
  if (call.completion) ref.completionIndex = call.completion.index;
  return ref;
}

type KeyId = string | number;

/** Keys compare as values: numbers and strings directly, anything else by its JSON. */
function keyId(k: unknown): KeyId {
  return typeof k === 'number' ? k : typeof k === 'string' ? `s${k}` : `j${JSON.stringify(k)}`;
}

function splitByKey(history: History): Map<KeyId, { key: unknown; ops: Op[] }> {
  const byKey = new Map<KeyId, { key: unknown; ops: Op[] }>();
  const keyOfProcess = new Map<number, KeyId>();
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    let k: KeyId | undefined;
    if (op.type === 'invoke') {
      if (!Array.isArray(op.value) || op.value.length !== 2) {
        throw new HistoryError(`expected a [key, value] value for a per-key check; found ${show(op.value)}`, op.index);
      }
      k = keyId(op.value[0]);
      keyOfProcess.set(op.process, k);
      if (!byKey.has(k)) byKey.set(k, { key: op.value[0], ops: [] });
    } else {
      k = keyOfProcess.get(op.process);
      keyOfProcess.delete(op.process);
    }
    if (k !== undefined) byKey.get(k)!.ops.push(op);
  }
  return byKey;
}

function tupleValue(v: unknown): unknown {
  return Array.isArray(v) && v.length === 2 ? v[1] : v;
}

/** What a key's check found when the history is not linearizable, before it is rendered. */
interface Refutation {
  culprit: Call;
  statesBefore: string[];
  prefix: { call: Call; stateAfter: string }[];
  prefixLength: number;
  /** Why, when the refutation came from the overwritten-read rule rather than the search. */
  reason?: string;
}

interface KeyResult {
  verdict: Verdict;
  /** An unknown verdict because of the per-round configuration limit: worth another round. */
  atConfigurationLimit?: boolean;
  /** The calls of this key, as prepared. */
  prepared: Call[];
  unknownReason?: string;
  refutation?: Refutation;
  calls: number;
  configurations: number;
  droppedFailed: number;
  droppedReadOnly: number;
  droppedUnobserved: number;
  requiredCrashed: number;
}

/** When a call finished, for an explanation: a crashed one that was needed took effect before the call that needed it returned. */
function finished(c: Call): string {
  if (!c.neededBy) return `completed at op ${c.completion?.index}`;
  const o = c.neededBy;
  return `which crashed but, as the only way to the value op ${o.invoke.index} needed, took effect before op ${o.invoke.index} completed at op ${o.completion?.index}`;
}

/** A crashed call promoted to completed (crashed-calls.ts) is not what failed: the call that needed it is. */
function reported(c: Call): Call {
  return c.neededBy ?? c;
}

/**
 * `forEvidence`: leave out the register's value rules (value-liveness.ts): slower, but an invalid
 * verdict then names the call whose return could not be passed (rule 2 fails a configuration
 * before that call is reached) and the values the register could hold before it (rule 1 merges
 * the dead ones).
 */
function search(calls: Call[], model: Model, initial: unknown, limits: SearchLimits | undefined, forEvidence = false) {
  const { problem, space } = problemFromCalls(calls, model, initial, !forEvidence);
  const outcome = searchLinearization(problem, limits);
  const show = (id: number) => model.showState(space.states[id]);
  const steps = (list: { call: number; stateAfter: number }[]) =>
    list.slice(-MAX_LISTED).map((p) => ({ call: calls[p.call]!, stateAfter: show(p.stateAfter) }));
  return { outcome, show, steps };
}

function checkOne(history: History, generic: Model, init: unknown, semantics: Semantics, perKey: boolean, limits: SearchLimits | undefined): KeyResult {
  const prepared = prepareCalls(history, generic, semantics, perKey ? tupleValue : undefined);
  const model = generic.specialize ? generic.specialize(prepared.calls) : generic;
  const initial = model.init(init);
  const reduced = model.valueFlow
    ? reduceCrashedCalls(prepared.calls, model.valueFlow, model.key(initial))
    : { calls: prepared.calls, dropped: 0, required: 0 };
  const { calls } = reduced;
  const base = {
    prepared: prepared.calls,
    calls: prepared.calls.length,
    droppedFailed: prepared.droppedFailed,
    droppedReadOnly: prepared.droppedReadOnly,
    droppedUnobserved: reduced.dropped,
    requiredCrashed: reduced.required,
  };

  const stale = findOverwrittenRead(calls, model, initial);
  if (stale) {
    const read = calls[stale.read]!;
    // A linearizable prefix: the calls that completed before the read began (they all precede it).
    // Only evidence, and those calls alone need not be linearizable (one may need a call still
    // running when the read began): a short search, or no prefix.
    const before = calls.filter((c) => c.returnAt < read.invokeAt);
    const { outcome, steps, show: showId } = search(before, model, initial, { ...limits, maxConfigurations: PREFIX_CONFIGURATIONS });
    const prefix = outcome.kind === 'valid' ? steps(outcome.linearization) : [];
    // The state the overwrite left (it does not depend on the state before it).
    const afterOverwrite =
      outcome.kind === 'valid' && stale.overwrite !== undefined
        ? outcome.linearization.find((p) => before[p.call] === calls[stale.overwrite!])?.stateAfter
        : undefined;
    const w = stale.overwrite === undefined ? undefined : calls[stale.overwrite]!;
    const e = stale.lastWrite === undefined ? undefined : calls[stale.lastWrite]!;
    const reason =
      w === undefined
        ? `No operation could have produced the value it read, and the initial state ${model.showState(initial)} does not allow it.`
        : `${e ? `Every operation that could have produced its value finished before op ${w.invoke.index} began (the last, op ${e.invoke.index}: ${model.describe(e)}, ${finished(e)}); ` : 'Only the initial state could have given its value; '}` +
          `op ${w.invoke.index} (${model.describe(w)}) then overwrote it and completed at op ${w.completion?.index}, before the read began.`;
    return {
      ...base,
      verdict: false,
      configurations: outcome.configurations,
      refutation: {
        culprit: read,
        statesBefore: afterOverwrite !== undefined ? [showId(afterOverwrite)] : w ? [] : [model.showState(initial)],
        prefix: prefix.length > 0 ? prefix : [],
        prefixLength: outcome.kind === 'valid' ? outcome.linearization.length : 0,
        reason,
      },
    };
  }

  let { outcome, show, steps } = search(calls, model, initial, limits);
  if (outcome.kind === 'invalid' && model.valueFlow) {
    // The verdict stands; search again, briefly, for evidence that names the stuck call (see `search`).
    const again = search(calls, model, initial, { ...limits, maxConfigurations: EVIDENCE_CONFIGURATIONS }, true);
    if (again.outcome.kind === 'invalid') ({ outcome, show, steps } = again);
  }
  if (outcome.kind === 'valid') return { ...base, verdict: true, configurations: outcome.configurations };
  if (outcome.kind === 'unknown') {
    return { ...base, verdict: 'unknown', unknownReason: outcome.reason, configurations: outcome.configurations, atConfigurationLimit: outcome.atConfigurationLimit };
  }
  return {
    ...base,
    verdict: false,
    configurations: outcome.configurations,
    refutation: {
      culprit: reported(calls[outcome.culprit]!),
      statesBefore: outcome.statesBefore.map(show),
      prefix: steps(outcome.prefix),
      prefixLength: outcome.prefix.length,
    },
  };
}

function counterexample(r: Refutation, calls: readonly Call[], model: Model, key: unknown, perKey: boolean): Counterexample {
  const culprit = r.culprit;
  const concurrentCalls = calls.filter((c) => c !== culprit && c.invokeAt < culprit.returnAt && c.returnAt > culprit.invokeAt);
  const states = r.statesBefore;
  const op = opRef(culprit, model);
  const where = perKey ? ` on key ${show(key)}` : '';
  const explanation =
    `Process ${op.process}'s ${op.description} (op ${op.index}${op.completionIndex === undefined ? '' : `, completed at ${op.completionIndex}`})${where} ` +
    'cannot be linearized. ' +
    (r.reason ??
      `Every order of the operations before it that respects real time leaves the ${model.name} in ` +
        `${states.length === 1 ? 'the state' : 'one of the states'} ${states.join(', ')}, and ${op.description} is not possible in ` +
        `${states.length === 1 ? 'it' : 'any of them'}` +
        (concurrentCalls.length > 0 ? `, whichever of the ${concurrentCalls.length} concurrent operations are placed before it.` : '.'));
  const cx: Counterexample = {
    op,
    concurrent: concurrentCalls.slice(0, MAX_LISTED).map((c) => opRef(c, model)),
    concurrentCount: concurrentCalls.length,
    statesBefore: states,
    prefix: r.prefix.map((p) => ({ ...opRef(p.call, model), stateAfter: p.stateAfter })),
    prefixLength: r.prefixLength,
    explanation,
  };
  if (perKey) cx.key = key;
  return cx;
}

/**
 * Whether some operation completed with an outcome the model can use: ok,
 * or under etcd semantics a failed cas (a comparison that failed). Without
 * one, a history is trivially linearizable and proves nothing: unknown.
 */
export function hasEvidence(history: History, semantics: Semantics): boolean {
  return history.some((op) => op.process !== 'nemesis' && (op.type === 'ok' || (semantics === 'etcd' && op.type === 'fail' && op.f === 'cas')));
}

/** Check a history for linearizability. Pure: no I/O; time limits come in through `limits`. */
export function checkLinearizable(history: History, opts: LinearizabilityOptions): LinearizabilityResult {
  const semantics = opts.semantics ?? 'knossos';
  const model = createModel(opts.model, semantics);
  const perKey = opts.perKey === true || alwaysPerKey(opts.model);
  const result: LinearizabilityResult = {
    valid: true,
    model: model.name,
    calls: 0,
    configurations: 0,
    droppedFailed: 0,
    droppedReadOnly: 0,
    droppedUnobserved: 0,
    requiredCrashed: 0,
  };
  const parts = perKey ? [...splitByKey(history).values()] : [{ key: undefined, ops: history as Op[] }];
  if (perKey) result.keys = parts.length;
  // Keys are checked in rounds with a growing limit on configurations, smallest
  // first: one invalid key ends the check, and an invalid key that is quick to
  // refute should not wait behind one that is slow to prove. A key that hits the
  // round's limit is checked again, from scratch, in the next round (at most
  // 1/(ROUND_GROWTH-1) of extra work).
  let pending = parts.sort((a, b) => a.ops.length - b.ops.length);
  let roundLimit = parts.length > 1 ? FIRST_ROUND_CONFIGURATIONS : Infinity;
  const counted = new Set<unknown>();
  while (pending.length > 0) {
    const again: typeof pending = [];
    for (const part of pending) {
      const r = checkOne(part.ops, model, opts.init, semantics, perKey, { ...opts.limits, maxConfigurations: roundLimit });
      result.configurations += r.configurations;
      if (!counted.has(part)) {
        counted.add(part);
        result.calls += r.calls + r.droppedFailed + r.droppedReadOnly;
        result.droppedFailed += r.droppedFailed;
        result.droppedReadOnly += r.droppedReadOnly;
        result.droppedUnobserved = (result.droppedUnobserved ?? 0) + r.droppedUnobserved;
        result.requiredCrashed = (result.requiredCrashed ?? 0) + r.requiredCrashed;
      }
      if (r.refutation) {
        result.valid = false;
        result.counterexample = counterexample(r.refutation, r.prepared, model, part.key, perKey);
        delete result.unknownReason;
        delete result.unknownKey;
        return result;
      }
      if (r.verdict === 'unknown') {
        if (r.atConfigurationLimit) {
          again.push(part);
          continue;
        }
        // The caller's limits (time, memory) are spent: stop here.
        result.valid = 'unknown';
        result.unknownReason = r.unknownReason;
        if (perKey) result.unknownKey = part.key;
        return result;
      }
    }
    pending = again;
    roundLimit *= ROUND_GROWTH;
  }
  if (!hasEvidence(history, semantics)) {
    result.valid = 'unknown';
    result.unknownReason = 'no operation completed ok: nothing to check';
  }
  return result;
}
