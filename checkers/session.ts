/**
 * Session guarantees (Terry et al., "Session Guarantees for Weakly
 * Consistent Replicated Data", 1994), per key: Dynamo orders nothing across
 * keys. A session is a client process (a process ends at an `info`, and its
 * client's context with it). Over the history shape and version order of
 * checkers/keyed-versions.ts:
 *
 * - read-your-writes: a read reflects every write its session had
 *   acknowledged on that key before it;
 * - monotonic reads: a read reflects every value its session read of that
 *   key before it;
 * - monotonic writes: a session's later write of a key is ordered after its
 *   earlier one everywhere: no read returns both as concurrent siblings, and
 *   the state the replicas converged to (checkers/convergence.ts, when the
 *   history has it) does not keep the earlier write while dropping the later;
 * - writes follow reads: a session's write is ordered after the values it
 *   had read of that key: no read returns both as siblings, and the
 *   converged state does not keep the value read while dropping the write.
 *
 * What a read reflects follows the store's rule (newer-wins or siblings,
 * checkers/keyed-versions.ts). Each violation names the session's two
 * operations (and the operation that shows a write order broken). Unknown when no session read a key after
 * having written or read it (nothing to check).
 */
import type { History, Op } from '../harness/history/op.js';
import { convergedState } from './convergence.js';
import { describeRead, describeWrite, keyedHistory, VersionOrder, type KeyHistory, type OpRef, type ReadOp, type VersionRule, type WriteOp } from './keyed-versions.js';

export const GUARANTEES = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'] as const;
export type Guarantee = (typeof GUARANTEES)[number];

/** Violations listed per guarantee (all are counted). */
export const MAX_LISTED_PER_GUARANTEE = 50;

export interface OpEvidence extends OpRef {
  f: 'read' | 'write' | 'converge';
  description: string;
}

export interface SessionViolation {
  guarantee: Guarantee;
  /** The session (client process). */
  process: number;
  key: unknown;
  /** The session's earlier operation and its later one that the guarantee orders after it. */
  first: OpEvidence;
  second: OpEvidence;
  /** For the write orders: the read that shows them broken. */
  witness?: OpEvidence;
  explanation: string;
}

export interface SessionOptions {
  rule?: VersionRule;
}

export interface SessionResult {
  valid: true | false | 'unknown';
  unknownReason?: string;
  rule: VersionRule;
  sessions: number;
  keys: number;
  /** Reads that followed a write or read of their session on their key: what read-your-writes and monotonic reads judge. */
  readsChecked: number;
  counts: Record<Guarantee, number>;
  violations: SessionViolation[];
}

function readEvidence(r: ReadOp): OpEvidence {
  const { writers: _w, key: _k, values: _v, ...ref } = r;
  return { ...ref, f: 'read', description: describeRead(r) };
}

function writeEvidence(w: WriteOp): OpEvidence {
  const { key: _k, outcome: _o, value: _v, ...ref } = w;
  return { ...ref, f: 'write', description: describeWrite(w) };
}

const show = (k: unknown) => JSON.stringify(k);

export function checkSessions(history: History, opts: SessionOptions = {}): SessionResult {
  const rule = opts.rule ?? 'newer-wins';
  const kh = keyedHistory(history);
  const counts = Object.fromEntries(GUARANTEES.map((g) => [g, 0])) as Record<Guarantee, number>;
  const violations: SessionViolation[] = [];
  const report = (v: SessionViolation) => {
    if (counts[v.guarantee]++ < MAX_LISTED_PER_GUARANTEE) violations.push(v);
  };
  let readsChecked = 0;
  const sessions = new Set<number>();
  const converged = convergedState(history);
  for (const key of kh.keys) {
    for (const w of key.writes) sessions.add(w.process);
    for (const r of key.reads) sessions.add(r.process);
    readsChecked += checkReads(key, rule, report);
    const values = converged?.values.get(JSON.stringify(key.key));
    checkWriteOrders(key, rule, report, converged && values ? { op: converged.op, values } : undefined);
  }
  const anomalies = GUARANTEES.reduce((n, g) => n + counts[g], 0);
  const result: SessionResult = {
    valid: anomalies > 0 ? false : readsChecked === 0 ? 'unknown' : true,
    rule,
    sessions: sessions.size,
    keys: kh.keys.length,
    readsChecked,
    counts,
    violations,
  };
  if (result.valid === 'unknown') result.unknownReason = 'no session read a key after writing or reading it: nothing to check';
  return result;
}

/** Read-your-writes and monotonic reads, session by session; how many reads were judged. */
function checkReads(key: KeyHistory, rule: VersionRule, report: (v: SessionViolation) => void): number {
  const order = new VersionOrder(key);
  type Event = { at: number; write?: number; read?: ReadOp };
  const bySession = new Map<number, Event[]>();
  const push = (p: number, e: Event) => (bySession.get(p) ?? bySession.set(p, []).get(p)!).push(e);
  key.writes.forEach((w, i) => w.outcome === 'ok' && push(w.process, { at: w.index, write: i }));
  for (const r of key.reads) push(r.process, { at: r.index, read: r });
  let judged = 0;
  for (const [process, events] of bySession) {
    events.sort((a, b) => a.at - b.at);
    const written: number[] = [];
    /** Each write whose value the session read, and the last read that returned it. */
    const readFrom = new Map<number, ReadOp>();
    for (const e of events) {
      if (e.write !== undefined) {
        written.push(e.write);
        continue;
      }
      const r = e.read!;
      if (written.length > 0 || readFrom.size > 0) judged++;
      const reflected = order.reflected(r.writers, rule);
      const ownMissed = written.filter((w) => !reflected.has(w));
      if (ownMissed.length > 0) {
        const w = key.writes[ownMissed[ownMissed.length - 1]!]!;
        report({
          guarantee: 'read-your-writes',
          process,
          key: key.key,
          first: writeEvidence(w),
          second: readEvidence(r),
          explanation: `session ${process}, key ${show(key.key)}: ${describeRead(r)} (op ${r.index}) does not reflect its own earlier ${describeWrite(w)} (op ${w.index})`,
        });
      }
      const regressed = [...readFrom].filter(([w]) => !reflected.has(w));
      if (regressed.length > 0) {
        const [w, earlier] = regressed.reduce((a, b) => (b[1].index > a[1].index ? b : a));
        report({
          guarantee: 'monotonic-reads',
          process,
          key: key.key,
          first: readEvidence(earlier),
          second: readEvidence(r),
          explanation:
            `session ${process}, key ${show(key.key)}: ${describeRead(r)} (op ${r.index}) went back: its earlier ${describeRead(earlier)} (op ${earlier.index}) ` +
            `had returned ${JSON.stringify(key.writes[w]!.value)}, which this read neither returned nor replaced`,
        });
      }
      for (const w of r.writers) if (w !== undefined) readFrom.set(w, r);
    }
  }
  return judged;
}

/**
 * Monotonic writes and writes follow reads: for each pair (a, b) where b's
 * session had written a (or read a) before writing b, no read returns both,
 * and the converged state does not keep a while dropping b.
 */
function checkWriteOrders(key: KeyHistory, rule: VersionRule, report: (v: SessionViolation) => void, converged?: { op: Op; values: unknown[] }): void {
  const order = new VersionOrder(key);
  /** For each session and write it read: the first read of the session that returned it. */
  const firstRead = new Map<string, ReadOp>();
  for (const r of key.reads) {
    for (const w of r.writers) {
      if (w === undefined) continue;
      const k = `${r.process}/${w}`;
      const seen = firstRead.get(k);
      if (!seen || r.completionIndex < seen.completionIndex) firstRead.set(k, r);
    }
  }
  /** Why b's session ordered b after a, if it did. */
  const orderedBy = (a: number, b: number): { guarantee: Guarantee; first: OpEvidence } | undefined => {
    const wa = key.writes[a]!;
    const wb = key.writes[b]!;
    if (wa.process === wb.process && wa.outcome === 'ok' && wa.completionIndex! < wb.index) return { guarantee: 'monotonic-writes', first: writeEvidence(wa) };
    const read = firstRead.get(`${wb.process}/${a}`);
    if (read && read.completionIndex < wb.index) return { guarantee: 'writes-follow-reads', first: readEvidence(read) };
    return undefined;
  };
  const broken = (a: number, b: number, witness: OpEvidence, how: string) => {
    const why = orderedBy(a, b);
    if (!why) return;
    const wb = key.writes[b]!;
    const what = why.guarantee === 'monotonic-writes' ? 'its own earlier write' : `the value it had read (op ${why.first.index})`;
    report({
      guarantee: why.guarantee,
      process: wb.process,
      key: key.key,
      first: why.first,
      second: writeEvidence(wb),
      witness,
      explanation: `session ${wb.process}, key ${show(key.key)}: ${describeWrite(wb)} (op ${wb.index}) was meant to replace ${what}, ${JSON.stringify(key.writes[a]!.value)}, yet ${how}`,
    });
  };
  for (const r of key.reads) {
    const ws = r.writers.filter((w): w is number => w !== undefined);
    for (const a of ws) for (const b of ws) if (a !== b) broken(a, b, readEvidence(r), `${describeRead(r)} (op ${r.index}) returned both as siblings`);
  }
  if (!converged) return;
  const index = new Map(key.writes.map((w, i) => [JSON.stringify(w.value), i]));
  const survivors = converged.values.map((v) => index.get(JSON.stringify(v)));
  const reflected = order.reflected(survivors, rule);
  const witness: OpEvidence = { index: converged.op.index, process: converged.op.process as number, invokedAt: converged.op.time, f: 'converge', description: `the replicas converged to ${JSON.stringify(converged.values)}` };
  key.writes.forEach((wb, b) => {
    if (wb.outcome !== 'ok' || reflected.has(b)) return;
    const kept = survivors.find((a) => a !== undefined && orderedBy(a, b) !== undefined);
    if (kept !== undefined) broken(kept, b, witness, `the replicas converged to ${JSON.stringify(converged.values)} (op ${converged.op.index}), keeping it and dropping the write`);
  });
}

export function sessionSummary(r: SessionResult): string {
  if (r.valid === 'unknown') return `unknown: ${r.unknownReason}`;
  const broken = GUARANTEES.filter((g) => r.counts[g] > 0).map((g) => `${r.counts[g]} ${g} violations`);
  return broken.length > 0 ? broken.join(', ') : `all four session guarantees held: ${r.sessions} sessions, ${r.readsChecked} reads judged`;
}
