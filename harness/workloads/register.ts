/**
 * Read, write and cas on a few keys at a time, each key a register checked
 * for linearizability on its own (Jepsen's independent keys: values are
 * `[key, value]`, keys are integers). Every value written to a key is new
 * (1, 2, 3, ... per key), so a read names the write it saw: a stale read or a
 * lost write cannot hide behind a value written twice. A cas expects one of
 * the last values written to its key, so that it often succeeds. A key
 * retires after a bounded number of operations so that each sub-history
 * stays small enough to check quickly. After the heal, a final read of every
 * key the run touched, so a write lost by a failover shows even when no
 * client read the key again.
 */
import { checkLinearizable } from '../../checkers/linearizable/index.js';
import type { WorkloadContext, Workload, WorkloadOp } from './types.js';
import { kindIsF } from './types.js';

const OPS_PER_KEY = 120;
/** A cas expects one of this many latest values written to its key. */
const CAS_RECENT = 3;

interface Slot {
  key: number;
  left: number;
  /** The last value written to the key (or set by a cas): values are 1, 2, 3, ... per key. */
  written: number;
}

export function registerWorkload({ concurrency }: WorkloadContext): Workload {
  const slots = Math.max(1, Math.ceil(concurrency / 3));
  let nextKey = 0;
  const fresh = (): Slot => ({ key: nextKey++, left: OPS_PER_KEY, written: 0 });
  const active = Array.from({ length: slots }, fresh);
  return {
    name: 'register',
    next(rng): WorkloadOp {
      const i = Math.floor(rng() * active.length);
      if (active[i]!.left <= 0) active[i] = fresh();
      const slot = active[i]!;
      slot.left--;
      const k = slot.key;
      const r = rng();
      if (r < 0.5) return { f: 'read', value: [k, null] };
      if (r < 0.75 || slot.written === 0) return { f: 'write', value: [k, ++slot.written] };
      // One of the CAS_RECENT latest values written (they are consecutive), drawn uniformly.
      const expected = slot.written - Math.floor(rng() * Math.min(slot.written, CAS_RECENT));
      return { f: 'cas', value: [k, [expected, ++slot.written]] };
    },
    invoke: (client, op) => client.invoke(op.f, op.value),
    finalOps: () => Array.from({ length: nextKey }, (_, k) => ({ f: 'read', value: [k, null] })),
    kinds: { required: ['read', 'write', 'cas'], of: kindIsF },
    check(history, limits) {
      // Strict semantics: failed ops did not happen, and a read of nil means the key was absent.
      const r = checkLinearizable(history, { model: 'cas-register', init: null, perKey: true, semantics: 'strict', limits });
      const summary =
        r.valid === true
          ? `linearizable: ${r.calls} ops on ${r.keys} keys`
          : r.valid === false
            ? `NOT linearizable on key ${JSON.stringify(r.counterexample?.key)}: ${r.counterexample?.op.description} (op ${r.counterexample?.op.index})`
            : `unknown: ${r.unknownReason}`;
      return { linearizable: { valid: r.valid, summary, details: r } };
    },
  };
}
