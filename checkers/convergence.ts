/**
 * Convergence, what eventual consistency promises: once the faults are
 * healed and the cluster has been quiet for a while, every replica of every
 * key holds the same values (the same siblings), and every acknowledged
 * write survives.
 *
 * History shape: after the heal, `converge` operations look at every
 * replica's own copy of the keys, without a quorum, waiting (up to their
 * timeout) for the copies to agree. A completion's value is
 *   { agreed: boolean, keys: [{ key, replicas: { <node>: [siblings...] } }] }
 * `ok` when the replicas agreed, `fail` (with the last copies seen) when
 * they did not in time; the workload tries again until its deadline. The
 * first `ok` is the converged state; the time to converge is from the heal
 * (the last nemesis operation before the first `converge`) to it.
 *
 * A write survives when the converged values reflect it, by the store's
 * rule (checkers/keyed-versions.ts):
 * - newer-wins (the default, for any store): a write is lost only when
 *   every survivor is older than it: an older write won;
 * - siblings (stores that keep concurrent writes as siblings, such as
 *   Dynamo with vector clocks): a write is lost unless it survives or a
 *   surviving value was written by a session that had seen it.
 * Writes are the `write` operations of the history shape of
 * checkers/keyed-versions.ts; keys without writes (a set workload's) are
 * judged on agreement alone.
 */
import type { History, Op } from '../harness/history/op.js';
import { describeWrite, keyedHistory, msBetween, VersionOrder, type OpRef, type VersionRule, type WriteOp } from './keyed-versions.js';

export interface ConvergenceOptions {
  rule?: VersionRule;
}

/** Keys listed in the result (all are counted). */
export const MAX_KEYS_LISTED = 50;
export const MAX_LOST_LISTED = 200;

export interface ReplicaCopies {
  key: unknown;
  replicas: Record<string, unknown[]>;
}

export interface LostWrite {
  key: unknown;
  write: OpRef & { value: unknown; description: string };
  /** What the replicas kept. */
  survivors: unknown[];
  explanation: string;
}

export interface ConvergenceResult {
  valid: true | false | 'unknown';
  unknownReason?: string;
  rule: VersionRule;
  keys: number;
  /** Whether the replicas agreed, within how long of the heal, after how many looks. */
  agreed: boolean;
  convergedAfterMs?: number;
  attempts: number;
  /** Ms from the heal to the last look, when they never agreed. */
  lookedForMs?: number;
  divergentCount: number;
  divergent: ReplicaCopies[];
  /** Acknowledged writes to the keys looked at, and those lost. */
  acknowledged: number;
  lostCount: number;
  lost: LostWrite[];
}

interface Look {
  op: Op;
  agreed: boolean;
  keys: ReplicaCopies[];
}

function isLook(v: unknown): v is { agreed?: unknown; keys: ReplicaCopies[] } {
  if (typeof v !== 'object' || v === null || !Array.isArray((v as { keys?: unknown }).keys)) return false;
  return (v as { keys: unknown[] }).keys.every((k) => typeof k === 'object' && k !== null && 'key' in k && typeof (k as { replicas?: unknown }).replicas === 'object');
}

/**
 * What the replicas agreed on after the heal (the first `ok` converge
 * operation), each key's surviving values by key id; undefined when they
 * never agreed.
 */
export function convergedState(history: History): { op: Op; values: Map<string, unknown[]> } | undefined {
  const op = history.find((o) => o.f === 'converge' && o.type === 'ok' && o.process !== 'nemesis' && isLook(o.value));
  if (!op) return undefined;
  const keys = (op.value as { keys: ReplicaCopies[] }).keys;
  return { op, values: new Map(keys.map((k) => [JSON.stringify(k.key), Object.values(k.replicas)[0] ?? []])) };
}

const canonical = (values: readonly unknown[]) => JSON.stringify(values.map((v) => JSON.stringify(v)).sort());

export function checkConvergence(history: History, opts: ConvergenceOptions = {}): ConvergenceResult {
  const rule = opts.rule ?? 'newer-wins';
  const looks: Look[] = [];
  let firstLookAt: number | undefined;
  for (const op of history) {
    if (op.f !== 'converge' || op.process === 'nemesis') continue;
    if (op.type === 'invoke') firstLookAt ??= op.index;
    else if ((op.type === 'ok' || op.type === 'fail') && isLook(op.value)) looks.push({ op, agreed: op.type === 'ok', keys: op.value.keys });
  }
  const empty = { rule, keys: 0, agreed: false, attempts: looks.length, divergentCount: 0, divergent: [], acknowledged: 0, lostCount: 0, lost: [] };
  if (looks.length === 0) return { valid: 'unknown', unknownReason: 'no converge operation completed: the replicas were never looked at', ...empty };
  const heal = [...history.slice(0, firstLookAt)].reverse().find((o) => o.process === 'nemesis') ?? history[firstLookAt!];
  const look = looks.find((l) => l.agreed) ?? looks[looks.length - 1]!;
  const divergent = look.keys.filter((k) => new Set(Object.values(k.replicas).map(canonical)).size > 1);
  const { acknowledged, lost } = survival(history, look.keys, rule);
  const result: ConvergenceResult = {
    valid: divergent.length > 0 || !look.agreed || lost.length > 0 ? false : true,
    rule,
    keys: look.keys.length,
    agreed: look.agreed && divergent.length === 0,
    attempts: looks.length,
    divergentCount: divergent.length,
    divergent: divergent.slice(0, MAX_KEYS_LISTED),
    acknowledged,
    lostCount: lost.length,
    lost: lost.slice(0, MAX_LOST_LISTED),
  };
  if (heal) {
    if (result.agreed) result.convergedAfterMs = msBetween(heal.time, look.op.time);
    else result.lookedForMs = msBetween(heal.time, look.op.time);
  }
  if (result.valid === true && look.keys.length === 0) {
    result.valid = 'unknown';
    result.unknownReason = 'the converge operations looked at no key';
  }
  return result;
}

/** Acknowledged writes of the looked-at keys, and those that did not survive. */
function survival(history: History, copies: readonly ReplicaCopies[], rule: VersionRule): { acknowledged: number; lost: LostWrite[] } {
  const byKey = new Map(keyedHistory(history).keys.map((k) => [JSON.stringify(k.key), k]));
  let acknowledged = 0;
  const lost: LostWrite[] = [];
  for (const c of copies) {
    const kh = byKey.get(JSON.stringify(c.key));
    if (!kh || kh.writes.length === 0) continue;
    const order = new VersionOrder(kh);
    const survivors = [...new Set(Object.values(c.replicas).flat().map((v) => JSON.stringify(v)))].map((s) => JSON.parse(s) as unknown);
    const index = new Map(kh.writes.map((w, i) => [JSON.stringify(w.value), i]));
    const reflected = order.reflected(survivors.map((v) => index.get(JSON.stringify(v))), rule);
    kh.writes.forEach((w, i) => {
      if (w.outcome !== 'ok') return;
      acknowledged++;
      if (!reflected.has(i)) lost.push(lostWrite(c.key, w, survivors, rule));
    });
  }
  return { acknowledged, lost };
}

function lostWrite(key: unknown, w: WriteOp, survivors: unknown[], rule: VersionRule): LostWrite {
  const { key: _k, outcome: _o, value, ...ref } = w;
  const why =
    survivors.length === 0
      ? 'no value survived'
      : rule === 'siblings'
        ? `the replicas kept ${JSON.stringify(survivors)}, written without having seen it`
        : `the replicas kept ${JSON.stringify(survivors)}, written before it was invoked: an older write won`;
  return {
    key,
    write: { ...ref, value, description: describeWrite(w) },
    survivors,
    explanation: `key ${JSON.stringify(key)}: acknowledged ${describeWrite(w)} (op ${w.index}) was lost: ${why}`,
  };
}

export function convergenceSummary(r: ConvergenceResult): string {
  if (r.valid === 'unknown') return `unknown: ${r.unknownReason}`;
  const parts: string[] = [];
  if (!r.agreed) {
    parts.push(
      r.divergentCount > 0
        ? `${r.divergentCount} of ${r.keys} keys still differ between replicas${r.lookedForMs === undefined ? '' : ` ${(r.lookedForMs / 1000).toFixed(1)} s after the heal`}`
        : 'the replicas never agreed',
    );
  }
  if (r.lostCount > 0) parts.push(`${r.lostCount} of ${r.acknowledged} acknowledged writes lost`);
  if (parts.length > 0) return parts.join('; ');
  const when = r.convergedAfterMs === undefined ? '' : ` ${(r.convergedAfterMs / 1000).toFixed(1)} s after the heal`;
  return `replicas of all ${r.keys} keys agreed${when}${r.acknowledged > 0 ? `; all ${r.acknowledged} acknowledged writes survive` : ''}`;
}
