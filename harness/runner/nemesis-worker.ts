/**
 * The nemesis worker: every interval (jittered), the next fault operation,
 * recorded in the history with process 'nemesis' and type 'info' (as in
 * Jepsen) before and after it is performed.
 */
import type { Nemesis } from '../../nemeses/index.js';
import type { Rng } from '../workloads/types.js';
import { sleep } from './clients.js';
import type { Recorder } from './recorder.js';

export interface ActiveFaults {
  /** Fault operations started and not yet stopped, for the progress line. */
  active: Set<string>;
}

const STOPS: Record<string, string> = {
  'stop-partition': 'start-partition',
  start: 'kill',
  resume: 'pause',
  'reset-clock': 'bump-clock',
  'stop-packet': 'start-packet',
};

export async function runNemesis(nemesis: Nemesis, recorder: Recorder, intervalS: number, rng: Rng, stop: AbortSignal, faults: ActiveFaults): Promise<void> {
  while (!stop.aborted) {
    await sleep(intervalS * 1000 * (0.5 + rng()), stop);
    if (stop.aborted) break;
    const op = nemesis.next();
    if (!op) break;
    recorder.record('info', 'nemesis', op.f, op.value);
    try {
      const done = await nemesis.invoke(op);
      recorder.record('info', 'nemesis', op.f, done);
      if (STOPS[op.f]) {
        faults.active.delete(STOPS[op.f]!);
        if (op.f === 'reset-clock') for (const f of ['strobe-clock', 'skew-clock']) faults.active.delete(f);
      } else faults.active.add(op.f);
    } catch (e) {
      recorder.record('info', 'nemesis', op.f, op.value, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}
