import { describe, expect, it } from 'vitest';
import type { Op, OpType } from '../harness/history/op.js';
import { checkSet } from './set.js';

/** A history from [process, type, f, value] events, in order. */
function history(events: [number, OpType, string, unknown][]): Op[] {
  return events.map(([process, type, f, value], index) => ({ index, time: index * 1000, type, process, f, value }));
}

const add = (p: number, x: number, outcome: OpType = 'ok'): [number, OpType, string, unknown][] => [
  [p, 'invoke', 'add', x],
  [p, outcome, 'add', x],
];
const read = (p: number, xs: number[] | null, outcome: OpType = 'ok'): [number, OpType, string, unknown][] => [
  [p, 'invoke', 'read', null],
  [p, outcome, 'read', outcome === 'ok' ? xs : null],
];

describe('the set checker', () => {
  it('is valid when every acknowledged add is in the final read', () => {
    const r = checkSet(history([...add(0, 1), ...add(1, 2), ...add(0, 3, 'info'), ...read(2, [1, 2, 3])]));
    expect(r).toMatchObject({ valid: true, attempted: 3, acknowledged: 2, read: 3, lost: [], unexpected: [] });
    expect(r.recovered.map((a) => a.element)).toEqual([3]);
  });

  it('is unknown on an empty history, without a final read, and when no add was acknowledged', () => {
    expect(checkSet([])).toMatchObject({ valid: 'unknown', unknownReason: 'no final read succeeded' });
    expect(checkSet(history([...add(0, 1), ...read(1, null, 'fail')]))).toMatchObject({ valid: 'unknown', unknownReason: 'no final read succeeded' });
    expect(checkSet(history([...add(0, 1, 'fail'), ...add(0, 2, 'info'), ...read(1, [])]))).toMatchObject({
      valid: 'unknown',
      unknownReason: 'no add was acknowledged: nothing to check',
    });
  });

  it('a read during the adds is not final: a later add missing from it is not lost', () => {
    const h = history([[0, 'invoke', 'add', 1], ...read(1, []), [0, 'ok', 'add', 1]]);
    expect(checkSet(h)).toMatchObject({ valid: 'unknown', unknownReason: 'no final read succeeded' });
  });

  it('finds an acknowledged add missing from the final read, with where it was acknowledged', () => {
    const h = history([...add(0, 1), ...add(1, 2), ...read(2, [2])]);
    h[0]!.node = 'n3';
    const r = checkSet(h);
    expect(r.valid).toBe(false);
    expect(r.lost).toEqual([{ element: 1, invokeIndex: 0, completionIndex: 1, time: 1000, process: 0, node: 'n3', faults: [] }]);
    expect(r.lostFraction).toBe(0.5);
  });

  it('finds elements nobody added, elements read twice, and failed adds that were applied', () => {
    const r = checkSet(history([...add(0, 1), ...add(0, 2, 'fail'), ...read(1, [1, 1, 2, 9])]));
    expect(r.valid).toBe(false);
    expect(r.unexpected).toEqual([9]);
    expect(r.duplicated).toEqual([{ element: 1, count: 2, readIndex: 5 }]);
    expect(r.failedApplied.map((a) => a.element)).toEqual([2]);
  });

  it('with linearizable reads, finds a read that missed an add acknowledged before it began', () => {
    const h = history([...add(0, 1), ...read(1, []), ...add(0, 2), ...read(1, [1, 2])]);
    expect(checkSet(h).valid).toBe(true); // not claimed: a stale read is allowed
    const r = checkSet(h, { linearizable: true });
    expect(r.valid).toBe(false);
    expect(r.stale).toEqual([{ readIndex: 3, missing: [expect.objectContaining({ element: 1, completionIndex: 1 })], missingCount: 1 }]);
  });

  it('a read concurrent with an add may miss it, even when reads are linearizable', () => {
    const h = history([[0, 'invoke', 'add', 1], ...read(1, []), [0, 'ok', 'add', 1], ...read(1, [1])]);
    expect(checkSet(h, { linearizable: true }).valid).toBe(true);
  });
});

/** A history built op by op; times in seconds. */
function timed() {
  const ops: Op[] = [];
  const add = (type: OpType, process: number | 'nemesis', f: string, value: unknown, t: number, node?: string) => {
    ops.push({ index: ops.length, time: t * 1e9, type, process, f, value, ...(node ? { node } : {}) });
  };
  return { ops, add };
}

describe('the set checker on a history with faults', () => {
  it('gives each lost add with when, by which node, and under which fault it was acknowledged', () => {
    const { ops, add } = timed();
    add('invoke', 'nemesis', 'start-partition', { topology: 'primaries' }, 1);
    add('info', 'nemesis', 'start-partition', { topology: 'primaries', leader: 'n1', grudge: {} }, 1.1);
    // Bound to n3, served by the master n1 (the completion names the node that served it).
    add('invoke', 0, 'add', 10, 2, 'n3');
    add('ok', 0, 'add', 10, 2.5, 'n1');
    add('invoke', 'nemesis', 'stop-partition', null, 4);
    add('info', 'nemesis', 'stop-partition', 'healed', 4.1);
    add('invoke', 1, 'add', 11, 5, 'n1');
    add('ok', 1, 'add', 11, 5.3, 'n1');
    add('invoke', 2, 'add', 12, 6, 'n4');
    add('ok', 2, 'add', 12, 6.1, 'n4');
    add('invoke', 3, 'read', null, 9, 'n4');
    add('ok', 3, 'read', [12], 9.2, 'n4');
    const r = checkSet(ops);
    expect(r.valid).toBe(false);
    expect(r.lostFraction).toBeCloseTo(2 / 3);
    expect(r.lost).toEqual([
      { element: 10, invokeIndex: 2, completionIndex: 3, time: 2.5e9, process: 0, node: 'n1', faults: ['start-partition primaries n1'] },
      { element: 11, invokeIndex: 6, completionIndex: 7, time: 5.3e9, process: 1, node: 'n1', faults: [], after: { fault: 'start-partition primaries n1', seconds: 1.2 } },
    ]);
  });

});
