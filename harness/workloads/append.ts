/**
 * Elle's list-append transactions: 1 to 4 micro-ops, each an append of a
 * unique element to a key or a read of a key, over a few keys at a time.
 * Checked by the Elle-like list-append checker (checkers/elle/) for strict
 * serializability.
 */
import { checkListAppend } from '../../checkers/elle/index.js';
import type { Workload, WorkloadOp } from './types.js';

const KEYS_ACTIVE = 4;
const APPENDS_PER_KEY = 40;

export function appendWorkload(): Workload {
  let nextKey = 0;
  const active = Array.from({ length: KEYS_ACTIVE }, () => ({ key: nextKey++, appends: 0 }));
  let element = 0;
  return {
    name: 'append',
    next(rng): WorkloadOp {
      const n = 1 + Math.floor(rng() * 4);
      const mops: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const slot = active[Math.floor(rng() * active.length)]!;
        if (rng() < 0.5) {
          mops.push(['r', slot.key, null]);
        } else {
          if (slot.appends++ >= APPENDS_PER_KEY) {
            slot.key = nextKey++;
            slot.appends = 1;
          }
          mops.push(['append', slot.key, ++element]);
        }
      }
      return { f: 'txn', value: mops };
    },
    invoke: (client, op) => client.invoke(op.f, op.value),
    finalOps: () => [],
    check(history, limits) {
      const r = checkListAppend(history, { shouldStop: () => limits.shouldStop?.({ configurations: 0, bytes: 0 }) });
      return { 'list-append': { valid: r.valid, summary: r.summary, details: r } };
    },
  };
}
