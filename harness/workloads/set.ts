/**
 * Adds of unique integers to one set, then one final read after the faults
 * are healed (checkers/set.ts). On a key-value target the set is a list
 * under one key, grown by `append` transactions.
 */
import { checkSet } from '../../checkers/set.js';
import type { Outcome } from '../target.js';
import type { Workload } from './types.js';

const SET_KEY = 'set';

export function setWorkload(): Workload {
  let next = 0;
  return {
    name: 'set',
    next: () => ({ f: 'add', value: next++ }),
    async invoke(client, op): Promise<Outcome> {
      if (op.f === 'add') {
        const o = await client.invoke('txn', [['append', SET_KEY, op.value]]);
        return o.type === 'ok' ? { type: 'ok', value: op.value } : o;
      }
      const o = await client.invoke('txn', [['r', SET_KEY, null]]);
      if (o.type !== 'ok') return o;
      const [[, , list]] = o.value as [[string, string, unknown[] | null]];
      return { type: 'ok', value: list ?? [] };
    },
    finalOps: () => [{ f: 'read', value: null }],
    check(history) {
      const r = checkSet(history);
      const summary =
        r.valid === 'unknown'
          ? 'unknown: no final read succeeded'
          : `${r.acknowledged} of ${r.attempted} adds acknowledged; final read has ${r.read}; ${r.lost.length} lost, ${r.unexpected.length} unexpected, ${r.recovered.length} recovered`;
      return { set: { valid: r.valid, summary, details: r } };
    },
  };
}
