/**
 * A workload: what clients do (a generator of operations), how each maps
 * onto a target's client, what runs once at the end (final reads), which
 * kinds of operation must have succeeded for the run to have tested
 * anything, and how the resulting history is checked.
 *
 * Targets bring their workloads as factories: the generic ones of this
 * folder (register, set, append), or their own with their own checkers.
 */
import type { History } from '../history/op.js';
import type { CheckerOutcome } from '../run-record.js';
import type { Outcome, TargetClient, TargetRunOptions } from '../target.js';

export type Rng = () => number;

/** An operation as the workload records it in the history. */
export interface WorkloadOp {
  f: string;
  value: unknown;
}

/** What bounds a checker's work: it polls `shouldStop`, and answers `unknown` with the reason it returns. */
export interface CheckLimits {
  shouldStop?(progress: { bytes: number }): string | undefined;
}

export interface Workload {
  readonly name: string;
  /** The next operation, chosen with the run's seeded randomness. */
  next(rng: Rng): WorkloadOp;
  /** Perform `op` through the target's client; the outcome's value is what the history records. */
  invoke(client: TargetClient, op: WorkloadOp): Promise<Outcome>;
  /**
   * Operations to run once after every fault is healed and the cluster
   * serves again (final reads of everything the run touched); each is
   * retried on the nodes in turn until it succeeds. Called once, at the end.
   */
  finalOps(): WorkloadOp[];
  /**
   * The kinds of operation that must each succeed at least once during the
   * run for it to have tested what it claims (e.g. read, write, cas), and
   * the kinds an operation counts as (a transaction may both read and append).
   */
  readonly kinds: { readonly required: readonly string[]; of(op: WorkloadOp): readonly string[] };
  /** Pure: verdicts over the whole history, by checker name. */
  check(history: History, limits: CheckLimits): Record<string, CheckerOutcome>;
}

export interface WorkloadContext {
  /** Client workers of the run. */
  concurrency: number;
  run: TargetRunOptions;
}

export type WorkloadFactory = (ctx: WorkloadContext) => Workload;

/** The kinds of an op whose kind is its `f` (most workloads). */
export const kindIsF = (op: WorkloadOp): readonly string[] => [op.f];
