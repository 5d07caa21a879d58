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
import { counterexample, lastSteps, MAX_LISTED, type Counterexample, type KeyResult, type OpRef, type Verdict } from './evidence.js';
import type { Model } from './model.js';
import { show } from './model.js';
import { alwaysPerKey, createModel, registerOptions, type ModelName, type Semantics } from './models/index.js';
import { checkRegister } from './register-check.js';
import { searchLinearization, type SearchLimits } from './search.js';
import { problemFromCalls } from './search-problem.js';

export type { Counterexample, OpRef, Verdict };

export interface LinearizabilityOptions {
  model: ModelName;
  /** Initial state (JSON-decoded `--init`); the model's default when undefined. */
  init?: unknown;
  /** 'knossos' (default) or 'etcd': see calls.ts and models/register.ts. */
  semantics?: Semantics;
  /** Values are `[key, value]`: check each key on its own. Always on for the kv model. */
  perKey?: boolean;
  limits?: SearchLimits;
  /**
   * Registers: try a quick linearization first (witness.ts), the search only when none is found.
   * Default true; tests turn it off to put every history through the search.
   */
  witness?: boolean;
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

/** Per-key checks: configurations a key may explore in the first round, and the growth per round. */
const FIRST_ROUND_CONFIGURATIONS = 20_000;
const ROUND_GROWTH = 8;

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

/** One key's check for any model: its calls, searched (registers have their own, register-check.ts). */
function checkModel(history: History, generic: Model, init: unknown, semantics: Semantics, perKey: boolean, limits: SearchLimits | undefined): KeyResult {
  const prepared = prepareCalls(history, generic, semantics, perKey ? tupleValue : undefined);
  const { calls } = prepared;
  const model = generic.specialize ? generic.specialize(calls) : generic;
  const { problem, space } = problemFromCalls(calls, model, model.init(init));
  const outcome = searchLinearization(problem, limits);
  const base = { calls: calls.length, droppedFailed: prepared.droppedFailed, droppedReadOnly: prepared.droppedReadOnly, droppedUnobserved: 0, requiredCrashed: 0 };
  if (outcome.kind === 'valid') return { ...base, verdict: true, configurations: outcome.configurations };
  if (outcome.kind === 'unknown') {
    return { ...base, verdict: 'unknown', unknownReason: outcome.reason, configurations: outcome.configurations, atConfigurationLimit: outcome.atConfigurationLimit };
  }
  const showState = (id: number) => model.showState(space.states[id]);
  const culprit = calls[outcome.culprit]!;
  const concurrent = calls.filter((c) => c !== culprit && c.invokeAt < culprit.returnAt && c.returnAt > culprit.invokeAt);
  return {
    ...base,
    verdict: false,
    configurations: outcome.configurations,
    refutation: {
      culprit,
      concurrent: concurrent.slice(0, MAX_LISTED),
      concurrentCount: concurrent.length,
      statesBefore: outcome.statesBefore.map(showState),
      prefix: lastSteps(outcome.prefix, (i) => calls[i]!, showState),
      prefixLength: outcome.prefix.calls.length,
    },
  };
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
  const register = registerOptions(opts.model, semantics);
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
      const limits = { ...opts.limits, maxConfigurations: roundLimit };
      const valueOf = perKey ? tupleValue : undefined;
      const r = register
        ? checkRegister(part.ops, model, register, opts.init, semantics, valueOf, limits, opts.witness !== false)
        : checkModel(part.ops, model, opts.init, semantics, perKey, limits);
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
        result.counterexample = counterexample(r.refutation, model, part.key, perKey);
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
