/**
 * The nemesis schedule: each fault of the nemesis runs on its own, in a
 * cycle of a quiet gap, a start, a hold, and the stop. Gap and hold each
 * last the nemesis interval times a random factor in [0.5, 1.5), so a fault
 * lasts at most 1.5 intervals whatever the other faults draw meanwhile
 * (a `kill:all` never keeps the cluster down for half the run).
 *
 * Operations are recorded as Jepsen records them, with process 'nemesis':
 * the invocation as `info`; the completion as `info` with what was done (and
 * an `error` when only part of it was), or as `fail` with the error when
 * nothing was done. A failed start opens no fault window.
 */
import type { Nemesis, NemesisOp } from '../../nemeses/index.js';
import { PartialFaultError, type Fault } from '../../nemeses/nemesis.js';
import { fork } from '../../nemeses/rng.js';
import { FAULT_STARTS, FAULT_STOPS } from '../history/fault-ops.js';
import type { Rng } from '../workloads/types.js';
import { sleep } from './clients.js';
import type { Recorder } from './recorder.js';

export interface ActiveFaults {
  /** Kinds of fault started and not yet stopped ('partition', 'clock', ...), for the progress line. */
  active: Set<string>;
}

/** Nemesis interval times a factor in [0.5, 1.5). */
function jittered(intervalS: number, rng: Rng): number {
  return intervalS * 1000 * (0.5 + rng());
}

/** Perform one fault operation and record it; whether anything was done. */
async function perform(fault: Fault, op: NemesisOp, recorder: Recorder): Promise<boolean> {
  recorder.record('info', 'nemesis', op.f, op.value);
  try {
    recorder.record('info', 'nemesis', op.f, await fault.invoke(op));
    return true;
  } catch (e) {
    if (e instanceof PartialFaultError) {
      recorder.record('info', 'nemesis', op.f, e.done, { error: e.message });
      return true;
    }
    recorder.record('fail', 'nemesis', op.f, op.value, { error: e instanceof Error ? e.message : String(e) });
    return false;
  }
}

async function cycle(fault: Fault, recorder: Recorder, intervalS: number, rng: Rng, stop: AbortSignal, faults: ActiveFaults): Promise<void> {
  while (!stop.aborted) {
    await sleep(jittered(intervalS, rng), stop);
    if (stop.aborted) break;
    const start = fault.start();
    const kind = FAULT_STARTS[start.f];
    if (!(await perform(fault, start, recorder))) continue;
    if (kind) faults.active.add(kind);
    await sleep(jittered(intervalS, rng), stop);
    // At the time limit the fault stays in place: the runner's heal-all removes every fault.
    if (stop.aborted) break;
    const end = fault.stop();
    await perform(fault, end, recorder);
    const stopped = FAULT_STOPS[end.f];
    if (stopped) faults.active.delete(stopped);
  }
}

/** Run every fault's cycle until `stop` aborts; resolves when each has finished its current operation. */
export async function runNemesis(nemesis: Nemesis, recorder: Recorder, intervalS: number, rng: Rng, stop: AbortSignal, faults: ActiveFaults): Promise<void> {
  const rngs = nemesis.faults.map(() => fork(rng));
  await Promise.all(nemesis.faults.map((fault, i) => cycle(fault, recorder, intervalS, rngs[i]!, stop, faults)));
}
