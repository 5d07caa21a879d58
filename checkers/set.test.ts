import { describe, expect, it } from 'vitest';
import type { Op, OpType } from '../harness/history/op.js';
import { checkSet } from './set.js';

/** A history built op by op; times in seconds. */
function history() {
  const ops: Op[] = [];
  const add = (type: OpType, process: number | 'nemesis', f: string, value: unknown, t: number, node?: string) => {
    ops.push({ index: ops.length, time: t * 1e9, type, process, f, value, ...(node ? { node } : {}) });
  };
  return { ops, add };
}

describe('checkSet', () => {
  it('is valid when the final read holds every acknowledged add', () => {
    const { ops, add } = history();
    add('invoke', 0, 'add', 1, 1, 'n1');
    add('ok', 0, 'add', 1, 1.1, 'n1');
    add('invoke', 1, 'add', 2, 1.2, 'n2');
    add('info', 1, 'add', 2, 2.2, 'n2');
    add('invoke', 2, 'read', null, 3, 'n3');
    add('ok', 2, 'read', [1, 2], 3.1, 'n3');
    const r = checkSet(ops);
    expect(r).toMatchObject({ valid: true, acknowledged: 1, attempted: 2, read: 2, lost: [] });
    expect(r.recovered.map((a) => a.element)).toEqual([2]);
  });

  it('gives each lost add with when, by which node, and under which fault it was acknowledged', () => {
    const { ops, add } = history();
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

  it('flags an add reported failed that a read holds, and elements nobody added', () => {
    const { ops, add } = history();
    add('invoke', 0, 'add', 1, 1);
    add('fail', 0, 'add', 1, 1.1);
    add('invoke', 1, 'add', 2, 1.2);
    add('ok', 1, 'add', 2, 1.3);
    add('invoke', 2, 'read', null, 2);
    add('ok', 2, 'read', [1, 2, 99], 2.1);
    const r = checkSet(ops);
    expect(r.valid).toBe(false);
    expect(r.failedApplied.map((a) => a.element)).toEqual([1]);
    expect(r.unexpected).toEqual([99]);
  });

  it('is unknown without a read that began after every add', () => {
    const { ops, add } = history();
    add('invoke', 0, 'add', 1, 1);
    add('invoke', 1, 'read', null, 1.1);
    add('ok', 1, 'read', [], 1.2);
    add('ok', 0, 'add', 1, 1.3);
    expect(checkSet(ops)).toMatchObject({ valid: 'unknown', unknownReason: 'no final read succeeded' });
  });
});
