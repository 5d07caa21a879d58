import { describe, expect, it } from 'vitest';
import { checkConvergence, convergenceSummary } from './convergence.js';
import { KeyedHistoryBuilder } from './keyed-fixtures.js';

const h = () => new KeyedHistoryBuilder();
const agree = (key: unknown, values: unknown[]) => ({ key, replicas: { n1: values, n2: [...values].reverse(), n3: values } });

describe('convergence checker', () => {
  it('passes replicas that agree and keep every acknowledged write, and says how long it took', () => {
    const ops = h()
      .write(1, 'x', 1)
      .write(2, 'x', 2)
      .write(3, 'y', 'a')
      .nemesis('heal-all')
      .converge(9, [agree('x', [2]), agree('y', ['a'])], false)
      .converge(9, [agree('x', [2]), agree('y', ['a'])]).ops;
    const r = checkConvergence(ops);
    expect(r.valid).toBe(true);
    expect(r).toMatchObject({ agreed: true, attempts: 2, acknowledged: 3, lostCount: 0, convergedAfterMs: 4 });
    expect(convergenceSummary(r)).toBe('replicas of all 2 keys agreed 0.0 s after the heal; all 3 acknowledged writes survive');
  });

  it('finds replicas that never agreed, per key', () => {
    const r = checkConvergence(h().write(1, 'x', 1).nemesis('heal-all').converge(9, [{ key: 'x', replicas: { n1: [1], n2: [] } }], false).ops);
    expect(r.valid).toBe(false);
    expect(r.divergent).toEqual([{ key: 'x', replicas: { n1: [1], n2: [] } }]);
    expect(convergenceSummary(r)).toMatch(/^1 of 1 keys still differ between replicas/);
  });

  it('finds an acknowledged write lost to an older one (newer-wins, any store)', () => {
    const r = checkConvergence(h().write(1, 'x', 1).write(2, 'x', 2).converge(9, [agree('x', [1])]).ops);
    expect(r.valid).toBe(false);
    expect(r.lost[0]?.explanation).toBe('key "x": acknowledged write 2 by process 2 (op 2) was lost: the replicas kept [1], written before it was invoked: an older write won');
  });

  it('lets a concurrent write replace another under newer-wins, but not under siblings', () => {
    const ops = h().invoke(1, 'write', 'x', 1).invoke(2, 'write', 'x', 2).ok(1, 'write', 'x', 1).ok(2, 'write', 'x', 2).converge(9, [agree('x', [2])]).ops;
    expect(checkConvergence(ops).valid).toBe(true);
    const strict = checkConvergence(ops, { rule: 'siblings' });
    expect(strict.valid).toBe(false);
    expect(strict.lost[0]?.write.value).toBe(1);
  });

  it('under siblings, keeps writes replaced by a session that had seen them', () => {
    const ops = h().write(1, 'x', 1).write(2, 'x', 2).read(3, 'x', [1, 2]).write(3, 'x', 3).converge(9, [agree('x', [3])]).ops;
    expect(checkConvergence(ops, { rule: 'siblings' }).valid).toBe(true);
    // A blind write after them does not replace them.
    const blind = h().write(1, 'x', 1).write(2, 'x', 2).converge(9, [agree('x', [2])]).ops;
    expect(checkConvergence(blind, { rule: 'siblings' }).lostCount).toBe(1);
  });

  it('judges keys without writes (sets) on agreement alone; unknown without a look', () => {
    expect(checkConvergence(h().converge(9, [agree(0, [[1, 2]])]).ops).valid).toBe(true);
    expect(checkConvergence(h().write(1, 'x', 1).ops).valid).toBe('unknown');
  });
});
