/**
 * Properties over generated list-append histories: strictly serializable
 * ones are valid; a planted cycle is found and named; a stale read planted
 * in one is caught.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../bench/register-histories.js';
import { serialAppendHistory, TxnHistory } from '../../bench/txn-histories.js';
import type { Op } from '../../harness/history/op.js';
import type { CycleAnomaly } from './anomalies.js';
import { checkListAppend } from './list-append.js';

const SEEDS = Array.from({ length: 25 }, (_, i) => i + 1);

function generated(seed: number): Op[] {
  return serialAppendHistory({ seed, processes: 1 + (seed % 6), txns: 150, keys: 3, appendsPerKey: 8, failRate: 0.05, crashRate: 0.05 });
}

/** Small patterns on fresh keys ("p" and "q"), each with one anomaly, in Elle's shorthand. */
const PLANTS: Record<string, { expect: CycleAnomaly; build: (h: TxnHistory) => void }> = {
  G0: { expect: 'G0', build: (h) => h.txn(100, 'ap1 aq1').txn(101, 'ap2 aq2').txn(102, 'rp12 rq21') },
  G1c: { expect: 'G1c', build: (h) => h.txn(100, 'ap1 rq1').txn(101, 'ap2 aq1').txn(102, 'rp12') },
  'G-single-item': { expect: 'G-single-item', build: (h) => h.txn(100, 'ap1 aq1').txn(101, 'ap2 rq').txn(102, 'rp12') },
  'G2-item': {
    expect: 'G2-item',
    build: (h) => h.invoke(100, 'rp aq1').invoke(101, 'rq ap1').complete(100, 'ok', 'rp aq1').complete(101, 'ok', 'rq ap1').txn(102, 'rp1 rq1'),
  },
};

/** Splice `plant` into `ops` at a random point, keeping indices and times in order. */
function plantAt(ops: Op[], plant: Op[], random: () => number): Op[] {
  // Between two of the history's own ops, where no process of the plant is in flight (they are fresh).
  const at = Math.floor(random() * (ops.length + 1));
  const time = at > 0 ? ops[at - 1]!.time : 0;
  const all = [...ops.slice(0, at), ...plant.map((o) => ({ ...o, time })), ...ops.slice(at)];
  return all.map((o, index) => ({ ...o, index }));
}

describe('list-append properties', () => {
  it('strictly serializable histories are valid', () => {
    for (const seed of SEEDS) {
      const r = checkListAppend(generated(seed));
      expect({ seed, types: r.anomalyTypes, valid: r.valid }).toEqual({ seed, types: [], valid: true });
    }
  });

  for (const [name, plant] of Object.entries(PLANTS)) {
    it(`a planted ${name} cycle is found and named`, () => {
      for (const seed of SEEDS) {
        const h = new TxnHistory();
        plant.build(h);
        const ops = plantAt(generated(seed), h.ops, rng(seed));
        const r = checkListAppend(ops);
        expect({ seed, valid: r.valid, has: r.anomalyTypes.includes(plant.expect) }).toEqual({ seed, valid: false, has: true });
        const a = r.anomalies.find((x) => x.type === plant.expect)!;
        expect(a.txns.every((t) => (ops[t.index]!.value as unknown[][]).some((m) => m[1] === 'p' || m[1] === 'q'))).toBe(true);
      }
    });
  }

  it('a stale read (a committed append left out of a later read) is caught', () => {
    let planted = 0;
    for (const seed of SEEDS) {
      const ops = generated(seed);
      const committedAt = new Map<unknown, number>(); // element → index of its transaction's completion
      const invokedAt = new Map<number, number>(); // process → index of its in-flight invocation
      let target: { op: Op; mop: unknown[] } | undefined;
      for (const op of ops) {
        if (op.type === 'invoke') invokedAt.set(op.process as number, op.index);
        if (op.type !== 'ok') continue;
        for (const m of op.value as unknown[][]) {
          if (m[0] === 'append') committedAt.set(`${m[1]}:${m[2]}`, op.index);
          const list = m[2] as number[];
          const last = list?.[list.length - 1];
          if (!target && m[0] === 'r' && list.length > 0 && committedAt.get(`${m[1]}:${last}`)! < invokedAt.get(op.process as number)!) target = { op, mop: m };
        }
      }
      if (!target) continue;
      target.mop[2] = (target.mop[2] as number[]).slice(0, -1);
      planted++;
      const r = checkListAppend(ops);
      expect({ seed, valid: r.valid }).toEqual({ seed, valid: false });
      expect(r.anomalyTypes.some((t) => t.endsWith('-realtime') || t.startsWith('G-single') || t.startsWith('G2'))).toBe(true);
    }
    expect(planted).toBeGreaterThan(10);
  });
});
