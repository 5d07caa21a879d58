import { describe, expect, it } from 'vitest';
import { injectStaleRead, linearizableRegisterHistory } from '../../bench/register-histories.js';
import type { Op } from '../../harness/history/op.js';
import { checkLinearizable } from './index.js';

const budget = (seconds: number) => {
  const end = performance.now() + seconds * 1000;
  return { shouldStop: () => (performance.now() > end ? 'time' : undefined) };
};

describe('histories linearizable by construction', () => {
  it('are valid, with and without crashed operations (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const h = linearizableRegisterHistory({ seed, processes: 2 + (seed % 6), ops: 60 + (seed % 50), crashRate: (seed % 4) * 0.05, values: 3 + (seed % 3) });
      const r = checkLinearizable(h, { model: 'cas-register', init: 0, limits: budget(10) });
      if (r.valid !== true) throw new Error(`seed ${seed}: ${r.valid} ${r.unknownReason ?? ''}`);
    }
  });

  it('become invalid with one stale read, and the counterexample names that read (200 seeds)', () => {
    let tried = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const h = linearizableRegisterHistory({ seed, processes: 2 + (seed % 6), ops: 60 + (seed % 50), crashRate: (seed % 4) * 0.05, values: 3 + (seed % 3) });
      const stale = injectStaleRead(h, seed);
      if (stale === undefined) continue;
      tried++;
      const r = checkLinearizable(h, { model: 'cas-register', init: 0, limits: budget(10) });
      if (r.valid !== false) throw new Error(`seed ${seed}: stale read at ${stale} gave ${r.valid}`);
      expect(r.counterexample!.op.completionIndex).toBe(stale);
    }
    expect(tried).toBeGreaterThan(150);
  });

  it('with 20 processes, 1500 ops and 5% crashed ops, are checked within the default budget, stale or not', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const h = linearizableRegisterHistory({ seed, processes: 20, ops: 1500, crashRate: 0.05, values: 5 });
      expect(h.filter((o) => o.type === 'info').length).toBeGreaterThan(40);
      expect(checkLinearizable(h, { model: 'cas-register', init: 0, limits: budget(20) }).valid).toBe(true);
      if (injectStaleRead(h, seed) !== undefined) {
        expect(checkLinearizable(h, { model: 'cas-register', init: 0, limits: budget(20) }).valid).toBe(false);
      }
    }
  });
});

describe('counterexamples', () => {
  const h = (lines: [Op['type'], number, string, unknown][]): Op[] =>
    lines.map(([type, process, f, value], index) => ({ index, time: index, type, process, f, value }));

  it('name the op, its concurrent ops, the states before it, and a linearizable prefix', () => {
    // write 1; a write 2 with a read of 2 inside it; then a cas 1 -> 3 that claims to have succeeded.
    const history = h([
      ['invoke', 0, 'write', 1],
      ['ok', 0, 'write', 1],
      ['invoke', 1, 'write', 2],
      ['invoke', 2, 'read', null],
      ['ok', 2, 'read', 2],
      ['ok', 1, 'write', 2],
      ['invoke', 0, 'cas', [1, 3]],
      ['ok', 0, 'cas', [1, 3]],
    ]);
    const r = checkLinearizable(history, { model: 'cas-register', init: 0 });
    expect(r.valid).toBe(false);
    const cx = r.counterexample!;
    expect(cx.op).toMatchObject({ index: 6, completionIndex: 7, process: 0, description: 'cas 1 -> 3' });
    expect(cx.statesBefore).toEqual(['2']);
    expect(cx.concurrentCount).toBe(0);
    expect(cx.prefix.map((p) => p.description)).toEqual(['write 1', 'write 2', 'read -> 2']);
    expect(cx.prefix.at(-1)!.stateAfter).toBe('2');
    expect(cx.explanation).toMatch(/cas 1 -> 3 \(op 6, completed at 7\) cannot be linearized/);
  });

  it('for a stale read, say which write overwrote the value', () => {
    const history = h([
      ['invoke', 0, 'write', 1],
      ['ok', 0, 'write', 1],
      ['invoke', 0, 'write', 2],
      ['ok', 0, 'write', 2],
      ['invoke', 1, 'read', null],
      ['ok', 1, 'read', 1],
    ]);
    const cx = checkLinearizable(history, { model: 'register' }).counterexample!;
    expect(cx.explanation).toMatch(/op 2 \(write 2\) then overwrote it/);
    expect(cx.prefix.map((p) => p.description)).toEqual(['write 1', 'write 2']);
  });

  it('for a read of a value another completed read had already seen replaced, name that read', () => {
    // write 1 finished before anything else began; a crashed write 2 was then seen by a read, after which a read of 1 is stale.
    const history = h([
      ['invoke', 0, 'write', 1],
      ['ok', 0, 'write', 1],
      ['invoke', 1, 'write', 2],
      ['info', 1, 'write', 2],
      ['invoke', 2, 'read', null],
      ['ok', 2, 'read', 2],
      ['invoke', 2, 'read', null],
      ['ok', 2, 'read', 1],
    ]);
    const cx = checkLinearizable(history, { model: 'register' }).counterexample!;
    expect(cx.op).toMatchObject({ index: 6, description: 'read -> 1' });
    expect(cx.explanation).toMatch(/op 4 \(read -> 2\) then saw another value and completed at op 5, before the read began/);
  });

  it('name the key of a per-key history', () => {
    const history = h([
      ['invoke', 0, 'write', ['a', 1]],
      ['ok', 0, 'write', ['a', 1]],
      ['invoke', 0, 'read', ['b', null]],
      ['ok', 0, 'read', ['b', 5]],
    ]);
    const r = checkLinearizable(history, { model: 'register', perKey: true });
    expect(r.keys).toBe(2);
    expect(r.counterexample!.key).toBe('b');
  });
});

describe('budget', () => {
  it('turns an exhausted budget into unknown, never valid', () => {
    const h = linearizableRegisterHistory({ seed: 3, processes: 20, ops: 1500, crashRate: 0.05, values: 5 });
    const r = checkLinearizable(h, { model: 'cas-register', init: 0, limits: { shouldStop: () => 'time limit of 0 s reached' } });
    expect(r.valid).toBe('unknown');
    expect(r.unknownReason).toMatch(/time limit/);
  });
});
