/**
 * Elle's list-append transactions: 1 to 4 micro-ops, each an append of a
 * unique element to a key or a read of a key, over a few integer keys at a
 * time; a key retires after a bounded number of appends. After the heal, a
 * final read of every key the run touched, so appends lost by a failover
 * show. Checked by the Elle-like list-append checker (checkers/elle/) for
 * strict serializability.
 */
import { checkListAppend } from '../../checkers/elle/index.js';
import type { Workload, WorkloadOp } from './types.js';

const KEYS_ACTIVE = 4;
const APPENDS_PER_KEY = 40;
/** Keys read by one final transaction. */
const FINAL_READS_PER_TXN = 8;

type MicroOp = [f: 'append' | 'r', key: number, value: number | null];

export function appendWorkload(): Workload {
  let nextKey = 0;
  const active = Array.from({ length: KEYS_ACTIVE }, () => ({ key: nextKey++, appends: 0 }));
  let element = 0;
  return {
    name: 'append',
    next(rng): WorkloadOp {
      const n = 1 + Math.floor(rng() * 4);
      const mops: MicroOp[] = [];
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
    finalOps() {
      const ops: WorkloadOp[] = [];
      for (let k = 0; k < nextKey; k += FINAL_READS_PER_TXN) {
        const keys = Array.from({ length: Math.min(FINAL_READS_PER_TXN, nextKey - k) }, (_, i) => k + i);
        ops.push({ f: 'txn', value: keys.map((key): MicroOp => ['r', key, null]) });
      }
      return ops;
    },
    kinds: {
      required: ['append', 'read'],
      of: (op) => [...new Set((op.value as MicroOp[]).map(([f]) => (f === 'r' ? 'read' : f)))],
    },
    check(history, limits) {
      const r = checkListAppend(history, { shouldStop: () => limits.shouldStop?.({ bytes: 0 }), now: () => performance.now() });
      return { 'list-append': { valid: r.valid, summary: r.summary, details: r } };
    },
  };
}
