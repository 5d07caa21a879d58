/**
 * The nemesis worker: every interval (jittered), the next fault operation,
 * recorded in the history with process 'nemesis' and type 'info' (as in
 * Jepsen) before and after it is performed.
 */
import type { Nemesis } from '../../nemeses/index.js';
import { FAULT_STARTS, FAULT_STOPS } from '../history/fault-ops.js';
import type { Rng } from '../workloads/types.js';
import { sleep } from './clients.js';
import type { Recorder } from './recorder.js';

export interface ActiveFaults {
  /** Kinds of fault started and not yet stopped ('partition', 'clock', ...), for the progress line. */
  active: Set<string>;
}

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
      const started = FAULT_STARTS[op.f];
      const stopped = FAULT_STOPS[op.f];
      if (started) faults.active.add(started);
      if (stopped) faults.active.delete(stopped);
    } catch (e) {
      recorder.record('info', 'nemesis', op.f, op.value, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}
