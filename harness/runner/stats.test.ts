import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { runStats } from './stats.js';

let index = 0;
const op = (process: Op['process'], type: Op['type'], f: string, value: unknown, error?: string): Op => ({
  index: index++,
  time: index,
  type,
  process,
  f,
  value,
  ...(error === undefined ? {} : { error }),
});

describe('runStats', () => {
  it('counts client ops by kind and outcome, final ops apart, and faults by kind', () => {
    index = 0;
    const history = [
      op(0, 'invoke', 'read', [1, null]),
      op('nemesis', 'info', 'start-partition', { topology: 'one' }),
      op(0, 'ok', 'read', [1, 2]),
      op('nemesis', 'fail', 'start-partition', { topology: 'one' }, 'iptables: not found'),
      op(1, 'invoke', 'write', [1, 3]),
      op('nemesis', 'info', 'kill', ['n1', 'n2']),
      op(1, 'info', 'write', [1, 3], 'timeout'),
      op('nemesis', 'info', 'kill', ['n1'], 'kill n2: survived SIGKILL'),
      op(2, 'invoke', 'cas', [1, [3, 4]]),
      op('nemesis', 'info', 'start', ['n1']),
      op('nemesis', 'fail', 'start', ['n1'], 'start n1: exited at once'),
      op('nemesis', 'info', 'heal-all', null),
      op('nemesis', 'info', 'heal-all', null),
      op(3, 'invoke', 'read', [1, null]),
      op(3, 'ok', 'read', [1, 3]),
    ];
    const s = runStats(history, { kindsOf: (o) => [o.f], askedFaults: ['partition', 'kill', 'clock'], finalFrom: 13, finals: { asked: 1, ok: 1 } });
    expect(s.ops).toEqual({
      read: { ok: 1, fail: 0, info: 0, open: 0 },
      write: { ok: 0, fail: 0, info: 1, open: 0 },
      cas: { ok: 0, fail: 0, info: 0, open: 1 },
    });
    expect(s.okOps).toBe(1);
    expect(s.finals).toEqual({ asked: 1, ok: 1 });
    expect(s.faults).toEqual({
      partition: { asked: true, started: 1, applied: 0, failed: 1, stopsFailed: 0 },
      kill: { asked: true, started: 1, applied: 1, failed: 0, stopsFailed: 1 },
      clock: { asked: true, started: 0, applied: 0, failed: 0, stopsFailed: 0 },
    });
    expect(s.failedFaultOps).toEqual([
      { index: 3, f: 'start-partition', error: 'iptables: not found', partial: false },
      { index: 7, f: 'kill', error: 'kill n2: survived SIGKILL', partial: true },
      { index: 10, f: 'start', error: 'start n1: exited at once', partial: false },
    ]);
  });
});
