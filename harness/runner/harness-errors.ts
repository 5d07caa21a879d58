/**
 * Errors of the harness itself during a run: an exception thrown by a
 * target's client or by workload code. They are not outcomes of the system
 * under test (never recorded as `info` ops): the run counts them, keeps the
 * first few for the results, writes each stack to the run's log, and its
 * verdict becomes unknown.
 */
import type { RunLog } from './run-log.js';

/** How many are kept for the results (all are counted and logged). */
const KEPT = 10;

export interface HarnessErrorRecord {
  /** Where it happened, e.g. 'client n3: write'. */
  where: string;
  message: string;
  /** Nanoseconds since the test began. */
  time: number;
}

export class HarnessErrors {
  count = 0;
  readonly first: HarnessErrorRecord[] = [];

  constructor(
    private readonly log: RunLog,
    private readonly now: () => number,
  ) {}

  record(where: string, e: unknown): void {
    this.count++;
    if (this.first.length < KEPT) this.first.push({ where, message: e instanceof Error ? e.message : String(e), time: this.now() });
    this.log.error(`harness error in ${where}`, e);
  }
}
