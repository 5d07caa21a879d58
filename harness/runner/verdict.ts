/**
 * A run's verdict (pure): valid only when it looked. The checkers judge
 * safety; this adds what they cannot see:
 * - invalid: a checker found an anomaly, or the cluster did not serve again
 *   after the heal (liveness);
 * - unknown, with the reason: a checker could not decide; the run was
 *   interrupted; the harness hit errors; a kind of operation the workload
 *   needs never succeeded, or too few operations did; final operations did
 *   not all succeed; a fault asked for was never applied.
 * Every reason is one line; the first one is the run's `reason`.
 */
import { FAULT_STARTS } from '../history/fault-ops.js';
import type { CheckerOutcome, Recovery, RunStats, Verdict } from '../run-record.js';

/** The documented minimum of client operations that must succeed for a run to count. */
export const MIN_OK_OPS = 20;

export interface VerdictInput {
  checkers: Readonly<Record<string, CheckerOutcome>>;
  stats: RunStats;
  /** Kinds of operation that must each succeed at least once (the workload's). */
  requiredKinds: readonly string[];
  recovery: Recovery;
  harnessErrors: { count: number; first: readonly { where: string; message: string }[] };
  interrupted: boolean;
}

export interface RunVerdict {
  valid: Verdict;
  reasons: string[];
}

export function runVerdict(v: VerdictInput): RunVerdict {
  const invalid: string[] = [];
  const unknown: string[] = [];
  for (const [name, c] of Object.entries(v.checkers)) {
    if (c.valid === false) invalid.push(`${name}: ${c.summary}`);
    else if (c.valid === 'unknown') unknown.push(`${name}: ${c.summary}`);
  }
  if (v.recovery.served === false) invalid.push(`liveness: the cluster did not serve again within ${v.recovery.deadlineMs / 1000} s of the final heal`);

  if (v.interrupted) unknown.push('interrupted (Ctrl-C) before the time limit');
  if (v.harnessErrors.count > 0) {
    const first = v.harnessErrors.first[0];
    unknown.push(`${v.harnessErrors.count} harness error${v.harnessErrors.count === 1 ? '' : 's'} (first, in ${first?.where}: ${first?.message}); stacks in harness.log`);
  }
  for (const kind of v.requiredKinds) {
    const s = v.stats.ops[kind];
    if (!s || s.ok === 0) unknown.push(`no ${kind} ever succeeded (${s ? `${s.fail} failed, ${s.info} unknown, ${s.open} open` : 'none attempted'})`);
  }
  if (v.stats.okOps < MIN_OK_OPS) unknown.push(`only ${v.stats.okOps} client operations succeeded; a run needs at least ${MIN_OK_OPS}`);
  if (v.stats.finals.ok < v.stats.finals.asked) {
    unknown.push(`${v.stats.finals.asked - v.stats.finals.ok} of ${v.stats.finals.asked} final operations never succeeded`);
  }
  for (const [kind, f] of Object.entries(v.stats.faults)) {
    if (!f.asked || f.applied > 0) continue;
    unknown.push(
      f.started === 0
        ? `${kind} faults were asked for but none was started before the time limit (raise --time-limit or lower --nemesis-interval)`
        : `${kind} faults were asked for but never applied: all ${f.started} attempts failed (${firstError(v.stats, kind)})`,
    );
  }
  const reasons = [...invalid, ...unknown];
  return { valid: invalid.length > 0 ? false : unknown.length > 0 ? 'unknown' : true, reasons };
}

/** The error of the first failed start of a kind of fault. */
function firstError(stats: RunStats, kind: string): string {
  return stats.failedFaultOps.find((o) => !o.partial && FAULT_STARTS[o.f] === kind)?.error ?? 'no error recorded';
}
