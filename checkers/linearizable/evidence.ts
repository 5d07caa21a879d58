/**
 * What one key's check found, and how a refutation is shown: the op that
 * cannot be linearized, the ops concurrent with it, the states it could
 * follow, a linearizable prefix, and a paragraph a human can follow.
 */
import type { Call } from './calls.js';
import type { Model } from './model.js';
import { show } from './model.js';
import type { Steps } from './search.js';

export type Verdict = true | false | 'unknown';

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

/** Ops listed in evidence, at most. */
export const MAX_LISTED = 12;

/** What a key's check found when the history is not linearizable, before it is rendered. */
export interface Refutation {
  culprit: Call;
  /** Calls concurrent with the culprit (at most MAX_LISTED), and how many there were. */
  concurrent: Call[];
  concurrentCount: number;
  statesBefore: string[];
  prefix: { call: Call; stateAfter: string }[];
  prefixLength: number;
  /** Why, when the refutation came from the overwritten-read rule rather than the search. */
  reason?: string;
}

export interface KeyResult {
  verdict: Verdict;
  /** An unknown verdict because of the per-round configuration limit: worth another round. */
  atConfigurationLimit?: boolean;
  unknownReason?: string;
  refutation?: Refutation;
  calls: number;
  configurations: number;
  droppedFailed: number;
  droppedReadOnly: number;
  droppedUnobserved: number;
  requiredCrashed: number;
}

/** The last MAX_LISTED steps of a linearization, as calls and shown states. */
export function lastSteps(steps: Steps, call: (i: number) => Call, showState: (id: number) => string): { call: Call; stateAfter: string }[] {
  const out: { call: Call; stateAfter: string }[] = [];
  for (let d = Math.max(0, steps.calls.length - MAX_LISTED); d < steps.calls.length; d++) {
    out.push({ call: call(steps.calls[d]!), stateAfter: showState(steps.statesAfter[d]!) });
  }
  return out;
}

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

export function counterexample(r: Refutation, model: Model, key: unknown, perKey: boolean): Counterexample {
  const states = r.statesBefore;
  const op = opRef(r.culprit, model);
  const where = perKey ? ` on key ${show(key)}` : '';
  const explanation =
    `Process ${op.process}'s ${op.description} (op ${op.index}${op.completionIndex === undefined ? '' : `, completed at ${op.completionIndex}`})${where} ` +
    'cannot be linearized. ' +
    (r.reason ??
      `Every order of the operations before it that respects real time leaves the ${model.name} in ` +
        `${states.length === 1 ? 'the state' : 'one of the states'} ${states.join(', ')}, and ${op.description} is not possible in ` +
        `${states.length === 1 ? 'it' : 'any of them'}` +
        (r.concurrentCount > 0 ? `, whichever of the ${r.concurrentCount} concurrent operations are placed before it.` : '.'));
  const cx: Counterexample = {
    op,
    concurrent: r.concurrent.map((c) => opRef(c, model)),
    concurrentCount: r.concurrentCount,
    statesBefore: states,
    prefix: r.prefix.map((p) => ({ ...opRef(p.call, model), stateAfter: p.stateAfter })),
    prefixLength: r.prefixLength,
    explanation,
  };
  if (perKey) cx.key = key;
  return cx;
}
