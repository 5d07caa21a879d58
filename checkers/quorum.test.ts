import { describe, expect, it } from 'vitest';
import { KeyedHistoryBuilder } from './keyed-fixtures.js';
import { checkQuorum, quorumSummary } from './quorum.js';

const h = () => new KeyedHistoryBuilder();

describe('quorum checker', () => {
  it('passes reads that reflect every write acknowledged before them', () => {
    const r = checkQuorum(h().write(1, 'x', 1).read(2, 'x', [1]).write(1, 'x', 2).read(2, 'x', [2]).read(3, 'x', [2]).ops);
    expect(r.valid).toBe(true);
    expect(r.readsChecked).toBe(3);
    expect(quorumSummary(r)).toMatch(/every read reflected/);
  });

  it('passes a read of a concurrent write, a read of siblings, and a write that replaced what its session read', () => {
    const ops = h()
      .write(1, 'x', 1)
      .invoke(2, 'write', 'x', 2) // concurrent with the read below
      .read(3, 'x', [2])
      .ok(2, 'write', 'x', 2)
      .write(4, 'y', 'a')
      .write(5, 'y', 'b')
      .read(6, 'y', ['a', 'b'])
      // Process 7 read 'd' while its write was in flight, and wrote 'e': 'e' replaced 'd', though not in real time.
      .invoke(5, 'write', 'y', 'd')
      .read(7, 'y', ['d'])
      .write(7, 'y', 'e')
      .ok(5, 'write', 'y', 'd')
      .read(6, 'y', ['e']).ops;
    expect(checkQuorum(ops).valid).toBe(true);
  });

  it('finds a stale read, with the write it missed and how stale it was', () => {
    const ops = h().write(1, 'x', 1).write(1, 'x', 2).write(1, 'x', 3).read(2, 'x', [1]).ops;
    const r = checkQuorum(ops);
    expect(r.valid).toBe(false);
    expect(r.staleCount).toBe(1);
    const s = r.stale[0]!;
    expect(s.missed.value).toBe(2);
    expect(s.newestMissed.value).toBe(3);
    expect(s.versionsBehind).toBe(2);
    expect(s.staleMs).toBe(3); // write 2 completed at op 3 (3 ms), the read began at op 6
    expect(s.explanation).toMatch(/read \[1\] by process 2 \(op 6\) missed write 2 by process 1 \(op 2\), acknowledged 3 ms before the read began, and 1 later acknowledged write \(the newest 3\)/);
    expect(quorumSummary(r)).toBe('1 stale reads of 1 (up to 2 versions and 3 ms behind)');
  });

  it('finds a read of nothing after an acknowledged write, and siblings that miss a newer write', () => {
    expect(checkQuorum(h().write(1, 'x', 1).read(2, 'x', []).ops).staleCount).toBe(1);
    const r = checkQuorum(h().write(1, 'x', 1).write(2, 'x', 2).write(3, 'x', 3).read(4, 'x', [1, 2]).ops);
    expect(r.stale[0]?.missed.value).toBe(3);
  });

  it('lets a write lose to a concurrent one under newer-wins, not under siblings', () => {
    const ops = h().invoke(1, 'write', 'x', 1).write(2, 'x', 2).ok(1, 'write', 'x', 1).read(3, 'x', [2]).ops;
    expect(checkQuorum(ops).valid).toBe(true);
    const siblings = checkQuorum(ops, { rule: 'siblings' });
    expect(siblings.valid).toBe(false);
    expect(siblings.stale[0]?.missed.value).toBe(1);
    // Under siblings a write replaces only what its session had seen: a later blind write does not hide an earlier one.
    expect(checkQuorum(h().write(1, 'x', 1).write(2, 'x', 2).read(3, 'x', [2]).ops, { rule: 'siblings' }).staleCount).toBe(1);
    expect(checkQuorum(h().write(1, 'x', 1).read(2, 'x', [1]).write(2, 'x', 2).read(3, 'x', [2]).ops, { rule: 'siblings' }).staleCount).toBe(0);
  });

  it('finds reads of values no write could have produced', () => {
    const r = checkQuorum(h().write(1, 'x', 1).invoke(2, 'write', 'x', 2).end(2, 'fail', 'write', 'x', 2).read(3, 'x', [2]).read(3, 'x', [9]).ops);
    expect(r.valid).toBe(false);
    expect(r.impossible.map((i) => [i.value, i.why])).toEqual([
      [2, 'its write failed'],
      [9, 'never written'],
    ]);
  });

  it('is unknown when no read began after an acknowledged write', () => {
    const r = checkQuorum(h().read(1, 'x', []).invoke(2, 'write', 'x', 1).end(2, 'info', 'write', 'x', 1).ops);
    expect(r.valid).toBe('unknown');
  });

  it('reads plain register values as single siblings', () => {
    const ops = h().write(1, 'x', 1).write(1, 'x', 2).ops;
    ops.push({ index: 4, time: 4e6, type: 'invoke', process: 2, f: 'read', value: ['x', null] }, { index: 5, time: 5e6, type: 'ok', process: 2, f: 'read', value: ['x', 1] });
    expect(checkQuorum(ops).staleCount).toBe(1);
  });
});
