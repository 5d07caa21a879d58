/**
 * Clock faults through libfaketime (Debian's `libfaketime` package).
 *
 * A node started with `fakeTime` gets LD_PRELOAD of libfaketime and its own
 * FAKETIME_TIMESTAMP_FILE; FAKETIME_NO_CACHE=1 makes the library re-read that
 * file on every clock read, so rewriting it changes what the running process
 * sees at once (measured: ~9 µs per Date.now() instead of ~0.1 µs).
 *
 * What is faked: CLOCK_REALTIME and friends (Date.now, new Date, gettimeofday,
 * time). CLOCK_MONOTONIC (performance.now, process.hrtime, libuv timers behind
 * setTimeout) is left real unless the cluster asks for `fakeMonotonic`: a
 * jump of a faked monotonic clock fires every pending timer early or stalls
 * them, which no real clock fault does.
 *
 * libfaketime applies a rate `xR` relative to the process's start
 * (fake = start + (now - start) * R + offset), so changing the rate of a
 * running process would make its clock leap. `timestampSpec` compensates:
 * it folds the elapsed time since the node's start into the offset so the
 * node sees exactly `offsetMs` at the moment of the change, then drifts at R.
 */
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { SetupError } from '../errors.js';
import type { ClockFault, ClusterSpec } from './types.js';

const CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
  '/usr/local/lib/faketime/libfaketime.so.1',
];

/** Path of libfaketime.so.1; throws a SetupError naming the package when absent. */
export function findLibfaketime(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new SetupError(
      `libfaketime is not installed (looked for ${CANDIDATES.join(', ')}); clock faults need it: apt-get install -y libfaketime`,
    );
  }
  return found;
}

/** Environment that puts a node under libfaketime reading `timestampFile`. */
export function faketimeEnv(lib: string, timestampFile: string, fakeMonotonic: boolean): Record<string, string> {
  return {
    LD_PRELOAD: lib,
    FAKETIME_TIMESTAMP_FILE: timestampFile,
    FAKETIME_NO_CACHE: '1',
    ...(fakeMonotonic ? {} : { FAKETIME_DONT_FAKE_MONOTONIC: '1' }),
  };
}

/**
 * The timestamp-file line that makes a process started at `startedAtMs` see
 * real time + `fault.offsetMs` at `nowMs`, running at `fault.rate` from then on.
 */
export function timestampSpec(fault: ClockFault, startedAtMs: number, nowMs: number): string {
  if (!Number.isFinite(fault.offsetMs)) throw new RangeError(`clock offset must be a finite number of ms, got ${fault.offsetMs}`);
  if (!Number.isFinite(fault.rate) || fault.rate <= 0) throw new RangeError(`clock rate must be a positive number, got ${fault.rate}`);
  const elapsedS = Math.max(0, nowMs - startedAtMs) / 1000;
  const offsetS = fault.offsetMs / 1000 - elapsedS * (fault.rate - 1);
  const sign = offsetS < 0 ? '-' : '+';
  const offset = `${sign}${Math.abs(offsetS).toFixed(3)}`;
  // Always name the rate: libfaketime keeps the last rate it read when a line has none.
  return `${offset} x${fault.rate}\n`;
}

/** Replace the timestamp file atomically so a reader never sees half a line. */
export async function writeTimestampFile(path: string, spec: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, spec);
  await rename(tmp, path);
}

/** A clock that keeps real time. */
export const REAL_TIME: ClockFault = { offsetMs: 0, rate: 1 };

/**
 * The timestamp-file line for a clock fault on a node started at
 * `startedAtMs` (now when it never started); throws when the cluster's
 * nodes do not run under libfaketime.
 */
export function clockFaultSpec(spec: Pick<ClusterSpec, 'fakeTime' | 'runId'>, fault: ClockFault, startedAtMs: number | undefined, nowMs = Date.now()): string {
  if (!spec.fakeTime) throw new Error(`clock faults need the cluster set up with fakeTime: true (nodes started under libfaketime); run ${spec.runId} was not`);
  return timestampSpec(fault, startedAtMs ?? nowMs, nowMs);
}
