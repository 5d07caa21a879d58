/**
 * The quorum-read checker (NWR staleness): no read returns a value older
 * than a write that was acknowledged before the read began. With strict
 * quorums and W + R > N every read overlaps every acknowledged write's
 * replicas, so this holds; with W + R <= N, or sloppy quorums, it need not,
 * and each stale read is reported with the write it missed and how stale it
 * was.
 *
 * A read reflects a write by the store's rule (checkers/keyed-versions.ts
 * defines the history shape, the version order and the rules): newer-wins,
 * it returned nothing older than the write; siblings, it returned the write
 * or a write whose session had seen it. A read is stale when some write
 * acknowledged before the read was invoked is not reflected. Its staleness: in versions, how many
 * such writes it missed; in milliseconds, how long before the read began the
 * earliest of them had been acknowledged.
 *
 * Also invalid: a read of a value that no write could have made it return.
 * Unknown when no read began after an acknowledged write of its key (nothing
 * to check).
 */
import type { History } from '../harness/history/op.js';
import { describeRead, describeWrite, keyedHistory, msBetween, VersionOrder, type ImpossibleRead, type OpRef, type ReadOp, type VersionRule, type WriteOp } from './keyed-versions.js';

/** Stale reads listed in the result (all are counted). */
export const MAX_STALE_LISTED = 200;
/** Past this many writes on one key, the version order would take too much memory: unknown. */
export const MAX_WRITES_PER_KEY = 20_000;

export interface WriteEvidence extends OpRef {
  value: unknown;
  description: string;
}

export interface StaleRead {
  key: unknown;
  read: OpRef & { values: unknown[]; description: string };
  /** The earliest-acknowledged write the read missed. */
  missed: WriteEvidence;
  /** The newest write it missed (the same as `missed` when it missed one). */
  newestMissed: WriteEvidence;
  /** Writes acknowledged before the read began that it did not reflect. */
  versionsBehind: number;
  /** How long before the read began `missed` had been acknowledged. */
  staleMs: number;
  explanation: string;
}

export interface QuorumOptions {
  rule?: VersionRule;
}

export interface QuorumResult {
  valid: true | false | 'unknown';
  unknownReason?: string;
  rule: VersionRule;
  keys: number;
  /** `ok` reads, and how many of them began after an acknowledged write of their key (the ones that could be stale). */
  reads: number;
  readsChecked: number;
  acknowledgedWrites: number;
  staleCount: number;
  stale: StaleRead[];
  maxStaleMs: number;
  maxVersionsBehind: number;
  impossible: ImpossibleRead[];
  /** Values written twice to one key (their reads cannot be attributed): a property of the history, not of the store. */
  duplicates: { key: unknown; value: unknown }[];
}

function evidence(w: WriteOp): WriteEvidence {
  const { key: _k, outcome: _o, value, ...ref } = w;
  return { ...ref, value, description: describeWrite(w) };
}

export function checkQuorum(history: History, opts: QuorumOptions = {}): QuorumResult {
  const rule = opts.rule ?? 'newer-wins';
  const kh = keyedHistory(history);
  const stale: StaleRead[] = [];
  let staleCount = 0;
  let readsChecked = 0;
  let reads = 0;
  let acknowledgedWrites = 0;
  let maxStaleMs = 0;
  let maxVersionsBehind = 0;
  const tooBig = kh.keys.find((k) => k.writes.length > MAX_WRITES_PER_KEY);
  const base = { rule, keys: kh.keys.length, impossible: kh.impossible, duplicates: kh.duplicates };
  if (tooBig) {
    return { valid: 'unknown', unknownReason: `key ${JSON.stringify(tooBig.key)} has ${tooBig.writes.length} writes; this checker handles up to ${MAX_WRITES_PER_KEY} per key`, ...base, reads: 0, readsChecked: 0, acknowledgedWrites: 0, staleCount: 0, stale: [], maxStaleMs: 0, maxVersionsBehind: 0 };
  }
  for (const { key, writes, reads: keyReads } of kh.keys) {
    const order = new VersionOrder({ key, writes, reads: keyReads });
    const acked = writes.map((w, i) => ({ w, i })).filter(({ w }) => w.outcome === 'ok').sort((a, b) => a.w.completionIndex! - b.w.completionIndex!);
    acknowledgedWrites += acked.length;
    reads += keyReads.length;
    for (const r of keyReads) {
      const done = acked.filter(({ w }) => w.completionIndex! < r.index);
      if (done.length === 0) continue;
      readsChecked++;
      const reflected = order.reflected(r.writers, rule);
      const missed = done.filter(({ i }) => !reflected.has(i));
      if (missed.length === 0) continue;
      staleCount++;
      const first = missed[0]!.w;
      const newest = missed[missed.length - 1]!.w;
      const staleMs = msBetween(first.completedAt!, r.invokedAt);
      maxStaleMs = Math.max(maxStaleMs, staleMs);
      maxVersionsBehind = Math.max(maxVersionsBehind, missed.length);
      if (stale.length < MAX_STALE_LISTED) stale.push(staleRead(key, r, first, newest, missed.length, staleMs));
    }
  }
  const anomalies = staleCount + kh.impossible.length;
  const result: QuorumResult = {
    valid: anomalies > 0 ? false : readsChecked === 0 ? 'unknown' : true,
    ...base,
    reads,
    readsChecked,
    acknowledgedWrites,
    staleCount,
    stale,
    maxStaleMs,
    maxVersionsBehind,
  };
  if (result.valid === 'unknown') result.unknownReason = 'no read began after an acknowledged write of its key: nothing to check';
  return result;
}

function staleRead(key: unknown, r: ReadOp, first: WriteOp, newest: WriteOp, behind: number, staleMs: number): StaleRead {
  const { writers: _w, key: _k, ...ref } = r;
  const more = behind > 1 ? `, and ${behind - 1} later acknowledged write${behind > 2 ? 's' : ''} (the newest ${JSON.stringify(newest.value)})` : '';
  return {
    key,
    read: { ...ref, description: describeRead(r) },
    missed: evidence(first),
    newestMissed: evidence(newest),
    versionsBehind: behind,
    staleMs,
    explanation:
      `key ${JSON.stringify(key)}: ${describeRead(r)} (op ${r.index}) missed ${describeWrite(first)} (op ${first.index}), ` +
      `acknowledged ${staleMs} ms before the read began${more}`,
  };
}

/** One line for a result. */
export function quorumSummary(r: QuorumResult): string {
  if (r.valid === 'unknown') return `unknown: ${r.unknownReason}`;
  const parts: string[] = [];
  if (r.staleCount > 0) parts.push(`${r.staleCount} stale reads of ${r.readsChecked} (up to ${r.maxVersionsBehind} versions and ${r.maxStaleMs} ms behind)`);
  if (r.impossible.length > 0) parts.push(`${r.impossible.length} reads of values no write could have produced`);
  return parts.length > 0 ? parts.join('; ') : `every read reflected the writes acknowledged before it: ${r.readsChecked} reads on ${r.keys} keys`;
}
