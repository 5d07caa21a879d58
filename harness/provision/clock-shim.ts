/**
 * Clock faults through the clock shim: `clock-shim/clock-shim.c`, a small
 * library preloaded (LD_PRELOAD) into every node process of a run with
 * clock faults, built by `npm run build:clock-shim` into dist/bin (and into
 * the docker node image). It reads a timestamp file per node, in the subset
 * of libfaketime's format written here (`+S.sss xR`), at most
 * CLOCK_SHIM_REFRESH_MS after each rewrite; the provisioner rewrites the
 * file to move the node's clock. The host's clock is never touched.
 *
 * Why not libfaketime (Debian's 0.9.10, used before): programs linked with
 * jemalloc (redis-server, redis-sentinel) do not start under it (its set-up
 * calls dlsym from inside jemalloc's first clock read, which allocates:
 * "Unexpected recursive calls to clock_gettime()"); and re-reading the file
 * on every call (FAKETIME_NO_CACHE=1, needed for a rewrite to show at once)
 * made Date.now() cost 3.5 µs. Measured in Node 20 here, per call:
 * Date.now() 42 ns real, 3509 ns libfaketime, 381 ns the shim;
 * performance.now() (not faked) 45 ns real, 47 ns libfaketime, 213 ns the
 * shim (a raw syscall instead of the vDSO). One library for every target.
 *
 * What is faked: CLOCK_REALTIME and friends (Date.now, new Date,
 * gettimeofday, time). CLOCK_MONOTONIC (performance.now, process.hrtime,
 * libuv timers behind setTimeout) is left real unless the cluster asks for
 * `fakeMonotonic`: a jump of a faked monotonic clock fires every pending
 * timer early or stalls them, which no real clock fault does.
 *
 * The shim applies a rate `xR` relative to the process's start, as
 * libfaketime does (fake = start + (now - start) * R + offset), so changing
 * the rate of a running process would make its clock leap. `timestampSpec`
 * compensates: it folds the elapsed time since the node's start into the
 * offset so the node sees exactly `offsetMs` at the moment of the change,
 * then drifts at R.
 */
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../errors.js';
import { PROJECT_ROOT } from '../project.js';
import type { ClockFault, ClusterSpec } from './types.js';

/** Where `npm run build:clock-shim` puts the library. */
export const CLOCK_SHIM_PATH = join(PROJECT_ROOT, 'dist', 'bin', 'clock-shim.so');

/** How long after a rewrite of its file a process under the shim may still see the old clock (REFRESH_NS of clock-shim.c). */
export const CLOCK_SHIM_REFRESH_MS = 2;

/** Path of the built shim; a SetupError saying how to build it when it is not there. */
export function findClockShim(path = CLOCK_SHIM_PATH): string {
  if (!existsSync(path)) {
    throw new SetupError(
      `clock faults need the clock shim, which is not built (no ${path}): npm run build:clock-shim (needs gcc: apt-get install -y gcc libc6-dev), or bash scripts/install.sh`,
    );
  }
  return path;
}

/** Environment that puts a node under the shim at `lib` reading `timestampFile` (libfaketime's variable names). */
export function clockShimEnv(lib: string, timestampFile: string, fakeMonotonic: boolean): Record<string, string> {
  return {
    LD_PRELOAD: lib,
    FAKETIME_TIMESTAMP_FILE: timestampFile,
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
  // The shim reads plain decimals only: a rate such as 1e-7 would be written "1e-7".
  const rate = String(fault.rate).includes('e') ? fault.rate.toFixed(9) : String(fault.rate);
  return `${offset} x${rate}\n`;
}

/** Replace the timestamp file atomically so a reader never sees half a line. */
export async function writeTimestampFile(path: string, spec: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, spec);
  await rename(tmp, path);
}

/** Resolves once every process under the shim reads the clock of the file's last rewrite. */
export function untilShimsReread(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, CLOCK_SHIM_REFRESH_MS + 1));
}

/** A clock that keeps real time. */
export const REAL_TIME: ClockFault = { offsetMs: 0, rate: 1 };

/**
 * The timestamp-file line for a clock fault on a node started at
 * `startedAtMs` (now when it never started); throws when the cluster's
 * nodes do not run under the shim.
 */
export function clockFaultSpec(spec: Pick<ClusterSpec, 'fakeTime' | 'runId'>, fault: ClockFault, startedAtMs: number | undefined, nowMs = Date.now()): string {
  if (!spec.fakeTime) throw new Error(`clock faults need the cluster set up with fakeTime: true (nodes started under the clock shim); run ${spec.runId} was not`);
  return timestampSpec(fault, startedAtMs ?? nowMs, nowMs);
}
