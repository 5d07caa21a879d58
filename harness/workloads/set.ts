/**
 * Adds of unique integers to one set, with a read of the whole set now and
 * then, and a final read after the faults are healed (checkers/set.ts). The
 * client speaks `add` (value: the element) and `read` (value: null; ok with
 * the list of elements).
 */
import { checkSet, lostByFault, type SetResult } from '../../checkers/set.js';
import type { CheckerOutcome } from '../run-record.js';
import type { Workload, WorkloadOp } from './types.js';
import { kindIsF } from './types.js';

/** Share of operations that read the whole set during the run. */
const READ_SHARE = 0.1;

export interface SetWorkloadOptions {
  /** The target's reads claim linearizability: a read that misses an acknowledged add is an anomaly (stale). */
  linearizable: boolean;
}

export function setWorkload(opts: SetWorkloadOptions): Workload {
  let next = 0;
  return {
    name: 'set',
    next: (rng): WorkloadOp => (rng() < READ_SHARE ? { f: 'read', value: null } : { f: 'add', value: next++ }),
    invoke: (client, op) => client.invoke(op.f, op.value),
    finalOps: () => [{ f: 'read', value: null }],
    kinds: { required: ['add', 'read'], of: kindIsF },
    check: (history) => ({ set: setOutcome(checkSet(history, { linearizable: opts.linearizable })) }),
  };
}

export function setOutcome(r: SetResult): CheckerOutcome {
  const anomalies = [
    r.lost.length && `${r.lost.length} lost (${(100 * r.lostFraction).toFixed(1)}% of acknowledged; acknowledged under ${lostByFault(r.lost).map((g) => `${g.faults}: ${g.count}`).join(', ')})`,
    r.unexpected.length && `${r.unexpected.length} unexpected`,
    r.duplicated.length && `${r.duplicated.length} duplicated`,
    r.failedApplied.length && `${r.failedApplied.length} failed adds applied`,
    r.stale.length && `${r.stale.length} stale reads`,
  ].filter(Boolean);
  const counts = `${r.acknowledged} of ${r.attempted} adds acknowledged; final read has ${r.read}; ${r.recovered.length} of unknown outcome recovered`;
  const summary = r.valid === 'unknown' ? `unknown: ${r.unknownReason}` : anomalies.length ? `${anomalies.join(', ')}; ${counts}` : `nothing lost: ${counts}`;
  return { valid: r.valid, summary, details: r };
}
