import { describe, expect, it } from 'vitest';
import { KeyedHistoryBuilder } from './keyed-fixtures.js';
import { checkSessions, sessionSummary } from './session.js';

const h = () => new KeyedHistoryBuilder();

describe('session checker', () => {
  it('passes sessions that read their writes, read monotonically and order their writes', () => {
    const ops = h()
      .write(1, 'x', 1)
      .read(1, 'x', [1])
      .write(2, 'x', 2) // blind: a sibling of 1
      .read(1, 'x', [1, 2])
      .write(1, 'x', 3) // session 1 had seen 1 and 2
      .read(2, 'x', [3])
      .read(1, 'x', [3])
      .read(1, 'x', [3]).ops;
    const r = checkSessions(ops);
    expect(r.valid).toBe(true);
    expect(r.sessions).toBe(2);
    expect(sessionSummary(r)).toMatch(/all four session guarantees held/);
  });

  it('names a read-your-writes violation with the write and the read', () => {
    const r = checkSessions(h().write(1, 'x', 1).write(1, 'x', 2).read(1, 'x', [1]).ops);
    expect(r.valid).toBe(false);
    expect(r.counts['read-your-writes']).toBe(1);
    const v = r.violations[0]!;
    expect(v.guarantee).toBe('read-your-writes');
    expect([v.first.index, v.second.index]).toEqual([2, 4]);
    expect(v.explanation).toBe('session 1, key "x": read [1] by process 1 (op 4) does not reflect its own earlier write 2 by process 1 (op 2)');
  });

  it('reads a session\'s write as reflected when a concurrent write won (newer-wins), not when siblings are kept', () => {
    const ops = h().invoke(2, 'write', 'x', 2).write(1, 'x', 1).ok(2, 'write', 'x', 2).read(1, 'x', [2]).ops;
    expect(checkSessions(ops).counts['read-your-writes']).toBe(0);
    expect(checkSessions(ops, { rule: 'siblings' }).counts['read-your-writes']).toBe(1);
  });

  it('names a monotonic-reads violation with the two reads', () => {
    const r = checkSessions(h().write(2, 'x', 1).write(3, 'x', 2).read(1, 'x', [2]).read(1, 'x', [1]).ops);
    expect(r.counts).toEqual({ 'read-your-writes': 0, 'monotonic-reads': 1, 'monotonic-writes': 0, 'writes-follow-reads': 0 });
    const v = r.violations[0]!;
    expect([v.first.f, v.first.index, v.second.f, v.second.index]).toEqual(['read', 4, 'read', 6]);
    expect(v.explanation).toMatch(/went back: its earlier read \[2\].*had returned 2/);
  });

  it('names a monotonic-writes violation: a session\'s two writes returned as siblings, or the earlier kept over the later', () => {
    const siblings = checkSessions(h().write(1, 'x', 1).write(1, 'x', 2).read(2, 'x', [1, 2]).ops);
    expect(siblings.counts['monotonic-writes']).toBe(1);
    expect(siblings.violations[0]).toMatchObject({ guarantee: 'monotonic-writes', process: 1, first: { index: 0 }, second: { index: 2 }, witness: { index: 4 } });
    const kept = checkSessions(h().write(1, 'x', 1).write(1, 'x', 2).read(2, 'x', [2]).converge(9, [{ key: 'x', replicas: { n1: [1], n2: [1] } }]).ops);
    expect(kept.counts['monotonic-writes']).toBe(1);
    expect(kept.violations[0]?.explanation).toBe('session 1, key "x": write 2 by process 1 (op 2) was meant to replace its own earlier write, 1, yet the replicas converged to [1] (op 7), keeping it and dropping the write');
    // A stale read is not a broken order: the write may not have reached that replica yet.
    expect(checkSessions(h().write(1, 'x', 1).write(1, 'x', 2).read(2, 'x', [1]).ops).counts['monotonic-writes']).toBe(0);
  });

  it('names a writes-follow-reads violation: a write returned as a sibling of the value its session had read', () => {
    const r = checkSessions(h().write(2, 'x', 1).read(1, 'x', [1]).write(1, 'x', 2).read(3, 'x', [1, 2]).ops);
    expect(r.counts['writes-follow-reads']).toBe(1);
    expect(r.violations[0]).toMatchObject({ guarantee: 'writes-follow-reads', process: 1, first: { f: 'read', index: 2 }, second: { f: 'write', index: 4 }, witness: { index: 6 } });
    // Or the replicas converged to the value read, dropping the write that followed the read.
    const kept = checkSessions(h().write(2, 'x', 1).read(1, 'x', [1]).write(1, 'x', 2).converge(9, [{ key: 'x', replicas: { n1: [1], n2: [1] } }]).ops);
    expect(kept.counts).toEqual({ 'read-your-writes': 0, 'monotonic-reads': 0, 'monotonic-writes': 0, 'writes-follow-reads': 1 });
    expect(kept.violations[0]?.witness).toMatchObject({ f: 'converge', index: 7 });
  });

  it('starts a new session after an info: the retired process\'s writes are not the new one\'s', () => {
    const ops = h().write(1, 'x', 1).invoke(1, 'write', 'x', 2).end(1, 'info', 'write', 'x', 2).write(3, 'x', 3).read(11, 'x', [3]).read(11, 'x', [3]).ops;
    expect(checkSessions(ops).valid).toBe(true);
  });

  it('is unknown when no session read a key after writing or reading it', () => {
    expect(checkSessions(h().write(1, 'x', 1).read(2, 'x', [1]).ops).valid).toBe('unknown');
  });
});
