/**
 * One register's check, on its calls as integers (register-calls.ts): a
 * quick try at a linearization (witness.ts), which settles most valid
 * histories; failing that, the overwritten-read rule (overwritten-reads.ts)
 * on the read the try got stuck at, which settles most stale reads; then
 * the crashed-call reductions (crashed-calls.ts), the rule on every read,
 * and the search (search.ts, register-problem.ts); and for an invalid
 * verdict, the evidence.
 */
import type { History } from '../../harness/history/op.js';
import type { Call } from './calls.js';
import { reduceCrashedCalls } from './crashed-calls.js';
import { lastSteps, MAX_LISTED, type KeyResult, type Refutation } from './evidence.js';
import type { Model } from './model.js';
import type { Semantics } from './models/index.js';
import type { RegisterOptions } from './models/register.js';
import { findOverwrittenRead, overwrittenRead, type OverwrittenRead } from './overwritten-reads.js';
import { READ, positionOf, prepareRegister, preparedCall, selectCalls, valueId, type PreparedRegister, type RegisterCalls } from './register-calls.js';
import { registerProblem } from './register-problem.js';
import { NEVER, searchLinearization, type SearchLimits, type Steps } from './search.js';
import { findWitness } from './witness.js';

/** Configurations the search for an overwritten read's prefix may explore. */
const PREFIX_CONFIGURATIONS = 20_000;
/** Configurations the second search for a counterexample may explore, once the verdict is invalid. */
const EVIDENCE_CONFIGURATIONS = 100_000;
/** How the state that stands for every dead value (value-liveness.ts) is shown. */
const DEAD_STATE = '(a value no later operation reads)';

/** What one register's check works on. */
interface Setting {
  history: History;
  model: Model;
  valueOf: ((v: unknown) => unknown) | undefined;
  limits: SearchLimits | undefined;
  p: PreparedRegister;
  initialValue: unknown;
  /** The initial value's id. */
  initial: number;
}

export function checkRegister(
  history: History,
  model: Model,
  opts: RegisterOptions,
  init: unknown,
  semantics: Semantics,
  valueOf: ((v: unknown) => unknown) | undefined,
  limits: SearchLimits | undefined,
  witness = true,
): KeyResult {
  const p = prepareRegister(history, model, semantics, opts, valueOf);
  const initialValue = model.init(init);
  const s: Setting = { history, model, valueOf, limits, p, initialValue, initial: valueId(p, initialValue) };
  const values = p.values.length;
  const counts = { calls: p.calls.kind.length, droppedFailed: p.droppedFailed, droppedReadOnly: p.droppedReadOnly, droppedUnobserved: 0, requiredCrashed: 0 };
  // Limits spent already (a timeout of a microsecond): no verdict, not even a quick one.
  const stop = limits?.shouldStop?.({ configurations: 0, bytes: 0, growthBytes: 0 });
  if (stop) return { ...counts, verdict: 'unknown', unknownReason: stop, configurations: 0 };
  const found = witness ? findWitness(p.calls, values, s.initial) : undefined;
  if (found?.steps) return { ...counts, verdict: true, configurations: 0 };
  if (found && p.calls.kind[found.stuck] === READ) {
    const stale = overwrittenRead(p.calls, s.initial, found.stuck);
    if (stale) return refute(s, p.calls, stale, counts);
  }

  const reduced = reduceCrashedCalls(p.calls, values, s.initial);
  const { calls } = reduced;
  const base = { ...counts, droppedUnobserved: reduced.dropped, requiredCrashed: reduced.required };
  const stale = findOverwrittenRead(calls, values, s.initial);
  if (stale) return refute(s, calls, stale, base);

  let outcome = searchLinearization(registerProblem(calls, values, s.initial, true), limits);
  if (outcome.kind === 'invalid') {
    // The verdict stands. Search again, briefly, without the value rules of value-liveness.ts:
    // slower, but an invalid verdict then names the call whose return could not be passed (rule
    // 2 fails a configuration before that call is reached) and the values the register could
    // hold before it (rule 1 merges the dead ones).
    const again = searchLinearization(registerProblem(calls, values, s.initial, false), { ...limits, maxConfigurations: EVIDENCE_CONFIGURATIONS });
    if (again.kind === 'invalid') outcome = again;
  }
  if (outcome.kind === 'valid') return { ...base, verdict: true, configurations: outcome.configurations };
  if (outcome.kind === 'unknown') {
    return { ...base, verdict: 'unknown', unknownReason: outcome.reason, configurations: outcome.configurations, atConfigurationLimit: outcome.atConfigurationLimit };
  }
  const evidence = new Evidence(s, calls);
  const culprit = evidence.call(outcome.culprit);
  return {
    ...base,
    verdict: false,
    configurations: outcome.configurations,
    refutation: evidence.refutation(culprit.neededBy ?? culprit, {
      statesBefore: outcome.statesBefore.map((id) => evidence.state(id)),
      prefix: lastSteps(outcome.prefix, (i) => evidence.call(i), (id) => evidence.state(id)),
      prefixLength: outcome.prefix.calls.length,
    }),
  };
}

/** A read of `calls` refuted by the overwritten-read rule, with its evidence. */
function refute(s: Setting, calls: RegisterCalls, stale: OverwrittenRead, base: Omit<KeyResult, 'verdict' | 'configurations'>): KeyResult {
  const evidence = new Evidence(s, calls);
  // A linearizable prefix: the calls that completed before the read began (they all precede it).
  // Only evidence, and those calls alone need not be linearizable (one may need a call still
  // running when the read began): a witness, a short search, or no prefix.
  const readAt = calls.invokeAt[stale.read]!;
  const keep = new Uint8Array(calls.kind.length);
  for (let i = 0; i < keep.length; i++) keep[i] = calls.returnAt[i]! < readAt ? 1 : 0;
  const before = selectCalls(calls, keep);
  const { steps, configurations } = prefixOf(before, s.p.values.length, s.initial, s.limits);
  const inBefore = (i: number) => evidence.call(indexOfOrigin(calls, before.origin[i]!));
  const prefix = steps ? lastSteps(steps, inBefore, (id) => evidence.state(id)) : [];
  let statesBefore: string[] = [];
  if (stale.overwrite === undefined) statesBefore = [evidence.state(s.initial)];
  else if (steps) {
    // The state the overwrite left (it does not depend on the state before it).
    const origin = calls.origin[stale.overwrite]!;
    for (let d = 0; d < steps.calls.length; d++) if (before.origin[steps.calls[d]!] === origin) statesBefore = [evidence.state(steps.statesAfter[d]!)];
  }
  return {
    ...base,
    verdict: false,
    configurations,
    refutation: evidence.refutation(evidence.call(stale.read), {
      statesBefore,
      prefix,
      prefixLength: steps ? steps.calls.length : 0,
      reason: evidence.staleReason(stale.overwrite, stale.lastWrite),
    }),
  };
}

/** A linearization of `calls`, for evidence: a witness, else a short search, else none. */
function prefixOf(calls: RegisterCalls, values: number, initial: number, limits: SearchLimits | undefined): { steps?: Steps; configurations: number } {
  const witness = findWitness(calls, values, initial);
  if (witness.steps) return { steps: witness.steps, configurations: 0 };
  const outcome = searchLinearization(registerProblem(calls, values, initial, true), { ...limits, maxConfigurations: PREFIX_CONFIGURATIONS });
  return outcome.kind === 'valid' ? { steps: outcome.linearization, configurations: outcome.configurations } : { configurations: outcome.configurations };
}

/** The index in `calls` of the call whose origin (prepared index) is `origin` (origins ascend). */
function indexOfOrigin(calls: RegisterCalls, origin: number): number {
  let lo = 0;
  let hi = calls.origin.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (calls.origin[mid]! < origin) lo = mid + 1;
    else hi = mid;
  }
  return calls.origin[lo] === origin ? lo : -1;
}

/** Calls and states as evidence shows them: Call objects built for the few calls it names. */
class Evidence {
  private readonly history: History;
  private readonly p: PreparedRegister;
  private readonly model: Model;
  private readonly valueOf: ((v: unknown) => unknown) | undefined;
  private readonly initialValue: unknown;

  constructor(
    s: Setting,
    private readonly calls: RegisterCalls,
  ) {
    ({ history: this.history, p: this.p, model: this.model, valueOf: this.valueOf, initialValue: this.initialValue } = s);
  }

  state(id: number): string {
    return id === this.p.values.length ? DEAD_STATE : this.model.showState(this.p.values[id]);
  }

  /** Call i of the searched calls; a crashed call searched as completed says which call needed it. */
  call(i: number): Call {
    const c = preparedCall(this.history, this.p, this.calls.origin[i]!, this.valueOf);
    const neededBy = this.calls.neededBy[i]!;
    if (neededBy >= 0) {
      c.outcome = 'ok';
      c.returnAt = positionOf(this.calls.returnAt[i]!);
      const o = indexOfOrigin(this.calls, neededBy);
      c.neededBy = o >= 0 ? this.call(o) : preparedCall(this.history, this.p, neededBy, this.valueOf);
    }
    return c;
  }

  /** The refutation of `culprit`, with the prepared calls concurrent with it. */
  refutation(culprit: Call, found: Omit<Refutation, 'culprit' | 'concurrent' | 'concurrentCount'>): Refutation {
    const { invokeAt, returnAt } = this.p.calls;
    const from = 2 * culprit.invokeAt;
    const to = culprit.returnAt === Infinity ? NEVER : 2 * culprit.returnAt;
    const concurrent: Call[] = [];
    let count = 0;
    for (let i = 0; i < invokeAt.length; i++) {
      if (invokeAt[i] === from || !(invokeAt[i]! < to && returnAt[i]! > from)) continue;
      if (count++ < MAX_LISTED) concurrent.push(preparedCall(this.history, this.p, i, this.valueOf));
    }
    return { culprit, concurrent, concurrentCount: count, ...found };
  }

  /** Why a read was refuted by the overwritten-read rule (overwritten-reads.ts). */
  staleReason(overwrite: number | undefined, lastWrite: number | undefined): string {
    if (overwrite === undefined) return `No operation could have produced the value it read, and the initial state ${this.model.showState(this.initialValue)} does not allow it.`;
    const w = this.call(overwrite);
    const e = lastWrite === undefined ? undefined : this.call(lastWrite);
    return (
      `${e ? `Every operation that could have produced its value finished before op ${w.invoke.index} began (the last, op ${e.invoke.index}: ${this.model.describe(e)}, ${finished(e)}); ` : 'Only the initial state could have given its value; '}` +
      `op ${w.invoke.index} (${this.model.describe(w)}) then ${w.f === 'read' ? 'saw another value' : 'overwrote it'} and completed at op ${w.completion?.index}, before the read began.`
    );
  }
}

/** When a call finished, for an explanation: a crashed one that was needed took effect before the call that needed it returned. */
function finished(c: Call): string {
  if (!c.neededBy) return `completed at op ${c.completion?.index}`;
  const o = c.neededBy;
  return `which crashed but, as the only way to the value op ${o.invoke.index} needed, took effect before op ${o.invoke.index} completed at op ${o.completion?.index}`;
}
