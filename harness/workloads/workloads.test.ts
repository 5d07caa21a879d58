import { describe, expect, it } from 'vitest';
import { seededRng } from '../../nemeses/rng.js';
import { appendWorkload } from './append.js';
import { registerWorkload } from './register.js';
import { setWorkload } from './set.js';
import type { WorkloadOp } from './types.js';

const RUN = { bugs: [], options: {} };
const draw = (next: (rng: () => number) => WorkloadOp, n: number, seed = 1) => {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => next(rng));
};

describe('the register workload', () => {
  it('writes each value once per key, expects recent values in cas, and reads every key it touched at the end', () => {
    const w = registerWorkload({ concurrency: 10, run: RUN });
    const ops = draw(w.next, 2000);
    const written = new Map<number, number[]>();
    for (const op of ops) {
      const [k, v] = op.value as [number, unknown];
      expect(typeof k).toBe('number');
      if (op.f === 'write') written.set(k, [...(written.get(k) ?? []), v as number]);
      if (op.f === 'cas') {
        const [expected, next] = v as [number, number];
        expect(written.get(k)).toContain(expected);
        written.set(k, [...(written.get(k) ?? []), next]);
      }
    }
    for (const vs of written.values()) expect(new Set(vs).size).toBe(vs.length);
    expect(new Set(ops.map((o) => o.f))).toEqual(new Set(['read', 'write', 'cas']));
    const keys = new Set(ops.map((o) => (o.value as [number])[0]));
    expect(keys.size).toBeGreaterThan(5);
    expect(w.finalOps()).toEqual([...keys].sort((a, b) => a - b).map((k) => ({ f: 'read', value: [k, null] })));
    expect(w.kinds.required).toEqual(['read', 'write', 'cas']);
  });
});

describe('the append workload', () => {
  it('appends unique elements to integer keys, counts a txn as the kinds of its micro-ops, and reads every key at the end', () => {
    const w = appendWorkload();
    const ops = draw(w.next, 1000);
    const elements = ops.flatMap((o) => (o.value as [string, number, number | null][]).filter(([f]) => f === 'append').map(([, , x]) => x));
    expect(new Set(elements).size).toBe(elements.length);
    expect(w.kinds.of({ f: 'txn', value: [['r', 1, null], ['append', 2, 5], ['r', 3, null]] })).toEqual(['read', 'append']);
    const keys = new Set(ops.flatMap((o) => (o.value as [string, number][]).map(([, k]) => k)));
    const finalKeys = w.finalOps().flatMap((o) => (o.value as [string, number, null][]).map(([f, k, v]) => (f === 'r' && v === null ? k : NaN)));
    expect(finalKeys.sort((a, b) => a - b)).toEqual([...keys].sort((a, b) => a - b));
  });
});

describe('the set workload', () => {
  it('adds unique elements, reads now and then, and reads once at the end', () => {
    const w = setWorkload({ linearizable: true });
    const ops = draw(w.next, 1000);
    const adds = ops.filter((o) => o.f === 'add').map((o) => o.value);
    expect(new Set(adds).size).toBe(adds.length);
    expect(ops.filter((o) => o.f === 'read').length).toBeGreaterThan(50);
    expect(w.finalOps()).toEqual([{ f: 'read', value: null }]);
  });
});
