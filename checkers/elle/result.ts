/**
 * What the Elle-like checkers return: the verdict, the anomalies found (each
 * explained in words, with the transactions by history index and, for a
 * cycle, its steps for drawing), and the consistency-model boundary.
 */
import type { CycleAnomaly, PlainAnomaly, ReportedAnomaly, UnknownAnomaly } from './anomalies.js';
import type { Model } from './consistency-models.js';
import type { Rel } from './graph.js';
import type { TxnType } from './txns.js';

export type Verdict = true | false | 'unknown';

/** A transaction as an anomaly names it. */
export interface TxnRef {
  /** T1, T2, ... within this anomaly. */
  name: string;
  /** History index of the completion (of the invocation for one that never completed). */
  index: number;
  /** History index of the invocation, when the history has it. */
  invokeIndex?: number;
  process: number;
  type: TxnType;
  /** The micro-ops as recorded. */
  value: unknown;
}

/** One edge of a cycle: `from` < `to` because `text`. */
export interface CycleStep {
  from: string;
  to: string;
  rel: Rel;
  key?: unknown;
  text: string;
}

interface AnomalyBase {
  /** What happened, in words, naming the transactions T1, T2, ... */
  explanation: string;
  txns: TxnRef[];
}

/** A cycle of transactions, each step a reason one precedes the next. */
export interface CycleAnomalyReport extends AnomalyBase {
  type: CycleAnomaly;
  steps: CycleStep[];
}

/** An anomaly found without a cycle (an aborted read, an incompatible order...). */
export interface PlainAnomalyReport extends AnomalyBase {
  type: PlainAnomaly;
  key?: unknown;
}

/** Why the verdict is unknown: a cycle search cut short, or nothing to check. */
export interface UnknownAnomalyReport extends AnomalyBase {
  type: UnknownAnomaly;
  /** For cycle-search-timeout: the size of the component and the anomalies not searched for to the end. */
  componentSize?: number;
  unfinished?: CycleAnomaly[];
}

export type AnomalyReport = CycleAnomalyReport | PlainAnomalyReport | UnknownAnomalyReport;

export interface ElleResult {
  checker: 'elle-list-append' | 'elle-rw-register';
  valid: Verdict;
  /** One line a person can read. */
  summary: string;
  /** The anomalies found that matter for the models checked (Elle's spelling), sorted. */
  anomalyTypes: ReportedAnomaly[];
  /** At most a few of each type (see anomalyCounts for how many were found). */
  anomalies: AnomalyReport[];
  anomalyCounts: Partial<Record<ReportedAnomaly, number>>;
  /** The weakest models the anomalies found rule out, and the stronger ones that follow. */
  not: Model[];
  alsoNot: Model[];
  /** The models checked. */
  consistencyModels: Model[];
  /** Transactions by outcome, and keys. */
  transactions: number;
  committed: number;
  indeterminate: number;
  failed: number;
  keys: number;
  edges: Record<Rel, number>;
  /** Strongly connected components of two or more transactions, and the largest one's size. */
  components: number;
  largestComponent: number;
}
