/**
 * Read, write and cas on a few keys at a time, each key a register checked
 * for linearizability on its own (Jepsen's independent keys: values are
 * `[key, value]`, keys are integers). A key retires after a bounded number
 * of operations so that each sub-history stays small enough to check
 * quickly. After the heal, a final read of every key the run touched, so a
 * write lost by a failover shows even when no client read the key again.
 */
import { checkLinearizable } from '../../checkers/linearizable/index.js';
import type { WorkloadContext, Workload, WorkloadOp } from './types.js';
import { kindIsF } from './types.js';

const OPS_PER_KEY = 120;
const VALUES = 5;

export function registerWorkload({ concurrency }: WorkloadContext): Workload {
  const slots = Math.max(1, Math.ceil(concurrency / 3));
  let nextKey = 0;
  const active = Array.from({ length: slots }, () => ({ key: nextKey++, left: OPS_PER_KEY }));
  return {
    name: 'register',
    next(rng): WorkloadOp {
      const slot = active[Math.floor(rng() * active.length)]!;
      if (slot.left-- <= 0) {
        slot.key = nextKey++;
        slot.left = OPS_PER_KEY - 1;
      }
      const k = slot.key;
      const r = rng();
      const v = () => Math.floor(rng() * VALUES);
      if (r < 0.5) return { f: 'read', value: [k, null] };
      if (r < 0.75) return { f: 'write', value: [k, v()] };
      return { f: 'cas', value: [k, [v(), v()]] };
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
