import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Nemesis } from '../../nemeses/index.js';
import { PartialFaultError, type Fault } from '../../nemeses/nemesis.js';
import { seededRng } from '../../nemeses/rng.js';
import type { OpType } from '../history/op.js';
import { runNemesis } from './nemesis-worker.js';
import type { Recorder } from './recorder.js';

interface Event {
  at: number;
  type: OpType;
  f: string;
  value: unknown;
  error?: unknown;
}

function recorder(events: Event[]): Recorder {
  return { record: (type: OpType, _p: unknown, f: string, value: unknown, extra: { error?: unknown } = {}) => events.push({ at: Date.now(), type, f, value, ...extra }) } as unknown as Recorder;
}

function fault(name: string, start: string, stop: string, invoke: (f: string) => unknown = (f) => f): Fault {
  return { name, fs: [start, stop], start: () => ({ f: start, value: null }), stop: () => ({ f: stop, value: null }), invoke: async (op) => invoke(op.f), heal: async () => [] };
}

const nemesis = (faults: Fault[]): Nemesis => ({ names: [], fs: new Set(), faults, invoke: async () => null, healAll: async () => undefined });

afterEach(() => vi.useRealTimers());

describe('the nemesis schedule', () => {
  it('runs each fault on its own cycle: a start, then its stop within 1.5 intervals, whatever the others do', async () => {
    vi.useFakeTimers();
    const events: Event[] = [];
    const stop = new AbortController();
    const done = runNemesis(nemesis([fault('kill', 'kill', 'start'), fault('partition', 'start-partition', 'stop-partition')]), recorder(events), 2, seededRng(3), stop.signal, { active: new Set() });
    await vi.advanceTimersByTimeAsync(120_000);
    stop.abort();
    await done;
    for (const [start, end] of [['kill', 'start'], ['start-partition', 'stop-partition']] as const) {
      // Invocation and completion of each op are recorded back to back; take the completions.
      const ops = events.filter((e) => e.f === start || e.f === end).filter((_, i) => i % 2 === 1);
      expect(ops.length).toBeGreaterThan(30);
      for (let i = 0; i + 1 < ops.length; i += 2) {
        expect(ops[i]!.f).toBe(start);
        expect(ops[i + 1]!.f).toBe(end);
        expect(ops[i + 1]!.at - ops[i]!.at).toBeGreaterThanOrEqual(1000);
        expect(ops[i + 1]!.at - ops[i]!.at).toBeLessThan(3000);
      }
    }
  });

  it('records a start that did nothing as failed, with its error, and draws a new start instead of a stop', async () => {
    vi.useFakeTimers();
    const events: Event[] = [];
    const stop = new AbortController();
    let calls = 0;
    const flaky = fault('kill', 'kill', 'start', (f) => {
      calls++;
      if (f === 'kill' && calls === 1) throw new Error('kill n1: no such process');
      if (f === 'kill' && calls === 2) throw new PartialFaultError('kill n2: survived SIGKILL', ['n1']);
      return f;
    });
    const done = runNemesis(nemesis([flaky]), recorder(events), 1, seededRng(1), stop.signal, { active: new Set() });
    await vi.advanceTimersByTimeAsync(10_000);
    stop.abort();
    await done;
    expect(events.slice(0, 6).map((e) => [e.type, e.f, e.value, e.error])).toEqual([
      ['info', 'kill', null, undefined],
      ['fail', 'kill', null, 'kill n1: no such process'],
      ['info', 'kill', null, undefined],
      ['info', 'kill', ['n1'], 'kill n2: survived SIGKILL'],
      ['info', 'start', null, undefined],
      ['info', 'start', 'start', undefined],
    ]);
  });
});
