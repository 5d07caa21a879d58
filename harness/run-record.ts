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

export interface RunResults {
  valid: Verdict;
  /** By checker name: 'linearizable', 'set', 'stats', ... */
  checkers: Record<string, CheckerOutcome>;
  /** Wall-clock start and end (ISO), and the run's id. */
  startedAt: string;
  endedAt: string;
  runId: string;
  /** Problems outside the checkers (a nemesis that failed to heal, an aborted run), shown in the report. */
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
