/**
 * What a test run leaves on disk, as types shared by the runner, the
 * checkers' glue and the reports:
 *   store/<target>/<YYYYMMDDTHHMMSS>-<id>/test.json     TestSpec + versions
 *                                         history.jsonl  every op
 *                                         results.json   RunResults
 *                                         report.html    reports/
 */

export type Verdict = true | false | 'unknown';

export interface TestSpec {
  target: string;
  workload: string;
  /** Nemesis names as given (`partition`, `kill:one`, ...); empty for none. */
  nemesis: string[];
  /** Seconds between nemesis operations. */
  nemesisInterval: number;
  nodes: number;
  concurrency: number;
  /** Target rate of client operations, per second, over all workers. */
  rate: number;
  /** Seconds of client load (the final phase comes after). */
  timeLimit: number;
  seed: number;
  provisioner: 'local' | 'docker';
  /** Seconds the cluster has, after the final heal, to serve again (else a liveness failure). */
  recoveryTimeout: number;
  bugs: string[];
  /** Target options, e.g. { 'read-mode': 'lease' }. */
  options: Record<string, string>;
  /** Root of the store. */
  store: string;
}

/** One checker's verdict, a one-line summary, and its evidence. */
export interface CheckerOutcome {
  valid: Verdict;
  summary: string;
  /** The checker's own result object (e.g. LinearizabilityResult, SetResult). */
  details: unknown;
}

/** Outcomes of one kind of client operation ('read', 'add', ...); `open`: invoked, never completed (a harness error). */
export interface OpKindStats {
  ok: number;
  fail: number;
  info: number;
  open: number;
}

/** One kind of fault ('partition', 'kill', ...): whether it was asked for, and what became of its operations. */
export interface FaultKindStats {
  asked: boolean;
  /** Start operations performed, applied (wholly or in part), and failed (nothing done). */
  started: number;
  applied: number;
  failed: number;
  /** Stop operations that failed. */
  stopsFailed: number;
}

/** A fault operation that failed, for the results and the report. */
export interface FailedFaultOp {
  /** History index of its completion. */
  index: number;
  f: string;
  error: string;
  /** Whether part of it was done (the rest failed). */
  partial: boolean;
}

export interface RunStats {
  /** Client operations of the test proper (final operations apart), by kind. */
  ops: Record<string, OpKindStats>;
  /** Client operations of the test proper that completed ok. */
  okOps: number;
  /** Final operations (after the heal): how many were needed, how many succeeded. */
  finals: { asked: number; ok: number };
  faults: Record<string, FaultKindStats>;
  failedFaultOps: FailedFaultOp[];
}

/** Whether the cluster served again after the final heal, and how soon. */
export type Recovery = { served: true; afterMs: number } | { served: false; deadlineMs: number } | { served: 'not-checked'; why: string };

export interface RunResults {
  valid: Verdict;
  /** One line: why the run is unknown or invalid (absent when valid). */
  reason?: string;
  /** Every reason, one line each. */
  reasons: string[];
  /** By checker name: 'linearizable', 'set', ... */
  checkers: Record<string, CheckerOutcome>;
  stats: RunStats;
  /** Liveness, apart from the checkers' safety: the cluster served again after the heal. */
  recovery: Recovery;
  harnessErrors: { count: number; first: { where: string; message: string; time: number }[] };
  /** Faults the final heal could not remove (said first: the cluster may still be faulty). */
  healFailures: string[];
  /** Wall-clock start and end (ISO), and the run's id. */
  startedAt: string;
  endedAt: string;
  runId: string;
  /** Other things a reviewer should know (packet kinds left out, a target's choice of clock faults). */
  notes: string[];
}

/** Combine verdicts: any false is false; else any unknown is unknown; else true. */
export function combineVerdicts(vs: readonly Verdict[]): Verdict {
  if (vs.some((v) => v === false)) return false;
  if (vs.some((v) => v === 'unknown')) return 'unknown';
  return true;
}

/** Exit status of `harness test` and `harness check`. */
export function exitCodeFor(v: Verdict): 0 | 1 | 3 {
  return v === true ? 0 : v === false ? 1 : 3;
}
