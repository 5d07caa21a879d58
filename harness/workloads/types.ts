/**
 * A workload: what clients do (a generator of operations), how each maps
 * onto a target's client, what runs once at the end, and how the resulting
 * history is checked.
 */
import type { History } from '../history/op.js';
import type { CheckerOutcome } from '../run-record.js';
import type { Outcome, TargetClient } from '../target.js';
import type { SearchLimits } from '../../checkers/linearizable/search.js';

export type Rng = () => number;

/** An operation as the workload records it in the history. */
export interface WorkloadOp {
  f: string;
  value: unknown;
}

export interface Workload {
  readonly name: string;
  /** The next operation, chosen with the run's seeded randomness. */
  next(rng: Rng): WorkloadOp;
  /** Perform `op` through the target's client; the outcome's value is what the history records. */
  invoke(client: TargetClient, op: WorkloadOp): Promise<Outcome>;
  /** Operations to run once after every fault is healed (final reads); each is retried until ok. */
  finalOps(): WorkloadOp[];
  /** Pure: verdicts over the whole history, by checker name. */
  check(history: History, limits: SearchLimits): Record<string, CheckerOutcome>;
}
