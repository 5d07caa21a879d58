/**
 * What a run did, counted from its history (pure): client operations by
 * kind and outcome, final operations, and fault operations by kind (asked,
 * applied, failed). The verdict rests on it: a run that did not do what it
 * was asked is not valid, whatever the checkers say.
 */
import { FAULT_STARTS, FAULT_STOPS } from '../history/fault-ops.js';
import type { History, Op } from '../history/op.js';
import type { FaultKindStats, OpKindStats, RunStats } from '../run-record.js';
import type { WorkloadOp } from '../workloads/types.js';

export interface StatsInput {
  /** The kinds an operation counts as (the workload's). */
  kindsOf(op: WorkloadOp): readonly string[];
  /** Fault kinds asked for ('partition', 'kill', ...). */
  askedFaults: readonly string[];
  /** History index from which operations belong to the final phase (after the heal); they are not counted by kind. */
  finalFrom: number;
  /** Final operations needed, and how many succeeded (each is retried; the runner counts them). */
  finals: { asked: number; ok: number };
}

const emptyOp = (): OpKindStats => ({ ok: 0, fail: 0, info: 0, open: 0 });
const emptyFault = (asked: boolean): FaultKindStats => ({ asked, started: 0, applied: 0, failed: 0, stopsFailed: 0 });

export function runStats(history: History, input: StatsInput): RunStats {
  const ops: Record<string, OpKindStats> = {};
  const faults: Record<string, FaultKindStats> = {};
  for (const kind of input.askedFaults) faults[kind] = emptyFault(true);
  const stats: RunStats = { ops, okOps: 0, finals: { ...input.finals }, faults, failedFaultOps: [] };
  const open = new Map<number, { op: Op; kinds: readonly string[] }>();
  const nemesisOpen = new Map<string, Op>();
  for (const op of history) {
    if (op.process === 'nemesis') {
      countFault(op, nemesisOpen, stats, input.finalFrom);
      continue;
    }
    if (op.type === 'invoke') {
      if (op.index >= input.finalFrom) continue;
      const kinds = input.kindsOf(op);
      for (const k of kinds) (ops[k] ??= emptyOp()).open++;
      open.set(op.process, { op, kinds });
      continue;
    }
    const inv = open.get(op.process);
    if (!inv) continue;
    open.delete(op.process);
    if (op.type === 'ok') stats.okOps++;
    for (const k of inv.kinds) {
      const s = ops[k]!;
      s.open--;
      s[op.type]++;
    }
  }
  return stats;
}

/** Nemesis ops come in pairs with the same f: the invocation, then its completion. */
function countFault(op: Op, pending: Map<string, Op>, stats: RunStats, finalFrom: number): void {
  const inv = pending.get(op.f);
  if (!inv) {
    pending.set(op.f, op);
    return;
  }
  pending.delete(op.f);
  if (inv.index >= finalFrom) return;
  const error = op.error === undefined ? undefined : String(op.error);
  const startKind = FAULT_STARTS[op.f];
  const stopKind = FAULT_STOPS[op.f];
  if (startKind !== undefined) {
    const s = (stats.faults[startKind] ??= emptyFault(false));
    s.started++;
    if (op.type === 'fail') s.failed++;
    else s.applied++;
  } else if (stopKind !== undefined && op.type === 'fail') {
    (stats.faults[stopKind] ??= emptyFault(false)).stopsFailed++;
  }
  if (error !== undefined) stats.failedFaultOps.push({ index: op.index, f: op.f, error, partial: op.type !== 'fail' });
}
