import { describe, expect, it } from 'vitest';
import type { CheckerOutcome, RunStats } from '../run-record.js';
import { MIN_OK_OPS, runVerdict, type VerdictInput } from './verdict.js';

const healthy = (): RunStats => ({
  ops: { read: { ok: 50, fail: 3, info: 1, open: 0 }, write: { ok: 40, fail: 0, info: 0, open: 0 } },
  okOps: 90,
  finals: { asked: 5, ok: 5 },
  faults: { partition: { asked: true, started: 2, applied: 2, failed: 0, stopsFailed: 0 } },
  failedFaultOps: [],
});
const pass: CheckerOutcome = { valid: true, summary: 'linearizable', details: null };

function input(over: Partial<VerdictInput> = {}): VerdictInput {
  return {
    checkers: { linearizable: pass },
    stats: healthy(),
    requiredKinds: ['read', 'write'],
    recovery: { served: true, afterMs: 10 },
    harnessErrors: { count: 0, first: [] },
    interrupted: false,
    ...over,
  };
}

describe('runVerdict', () => {
  it('is valid only when the checkers passed and the run did what was asked', () => {
    expect(runVerdict(input())).toEqual({ valid: true, reasons: [] });
  });

  it('is invalid when a checker found an anomaly, even when interrupted, and says the anomaly first', () => {
    const v = runVerdict(input({ checkers: { linearizable: { valid: false, summary: 'NOT linearizable on key 3', details: null } }, interrupted: true }));
    expect(v.valid).toBe(false);
    expect(v.reasons).toEqual(['linearizable: NOT linearizable on key 3', 'interrupted (Ctrl-C) before the time limit']);
  });

  it('is invalid on a liveness failure, apart from safety', () => {
    expect(runVerdict(input({ recovery: { served: false, deadlineMs: 30_000 } }))).toEqual({
      valid: false,
      reasons: ['liveness: the cluster did not serve again within 30 s of the final heal'],
    });
  });

  it('is unknown, with one line each, for what the run did not look at', () => {
    const stats = healthy();
    stats.ops['write'] = { ok: 0, fail: 7, info: 2, open: 0 };
    stats.okOps = MIN_OK_OPS - 1;
    stats.finals = { asked: 5, ok: 3 };
    stats.faults['kill'] = { asked: true, started: 2, applied: 0, failed: 2, stopsFailed: 0 };
    stats.failedFaultOps = [{ index: 9, f: 'kill', error: 'kill n1: no such process', partial: false }];
    const v = runVerdict(input({ stats, requiredKinds: ['read', 'write', 'cas'], harnessErrors: { count: 2, first: [{ where: 'client of n1: read', message: 'boom' }] } }));
    expect(v).toEqual({
      valid: 'unknown',
      reasons: [
        '2 harness errors (first, in client of n1: read: boom); stacks in harness.log',
        'no write ever succeeded (7 failed, 2 unknown, 0 open)',
        'no cas ever succeeded (none attempted)',
        `only ${MIN_OK_OPS - 1} client operations succeeded; a run needs at least ${MIN_OK_OPS}`,
        '2 of 5 final operations never succeeded',
        'kill faults were asked for but never applied: all 2 attempts failed (kill n1: no such process)',
      ],
    });
  });

  it('is unknown when a checker could not decide', () => {
    expect(runVerdict(input({ checkers: { linearizable: { valid: 'unknown', summary: 'unknown: time limit of 120 s reached', details: null } } }))).toEqual({
      valid: 'unknown',
      reasons: ['linearizable: unknown: time limit of 120 s reached'],
    });
  });
});
