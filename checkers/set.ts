/**
 * The set checker, after Jepsen's set-full: clients add unique elements and
 * read the whole set now and then; after the faults are healed, a final
 * read. A read is final when it began after every add had ended: everything
 * acknowledged must be in it.
 * - lost: adds acknowledged (ok) yet missing from the final read, each with
 *   when and by which node it was acknowledged and the faults in effect then;
 * - unexpected: elements read that nobody tried to add;
 * - duplicated: an element a read holds more than once;
 * - failed-applied: an add reported `fail` (certainly not done) that a read holds;
 * - stale (only when reads claim to be linearizable): a read missing an
 *   element whose add was acknowledged before the read began, and that the
 *   final read holds (a read that missed it for good counts it as lost);
 * - recovered: adds of unknown outcome (info) that the final read holds (fine).
 * Valid when none of the anomalies occurred; unknown without a final read or
 * without any acknowledged add (nothing to check).
 */
import { faultsAt, faultWindows, lastEndedBefore, type FaultWindow } from '../harness/history/fault-windows.js';
import type { History, Op } from '../harness/history/op.js';

/** An add as evidence: the element and where its add sits in the history. */
export interface SetAdd {
  element: unknown;
  /** History indices of the add's invocation and completion (absent when it never completed). */
  invokeIndex: number;
  completionIndex?: number;
  /** Nanoseconds since the test began, of the completion (or the invocation). */
  time: number;
  process: number;
  /** The node that acknowledged it (the completion's node), else the node its client was bound to. */
  node?: string;
  /** For a lost add: the faults in effect when it was acknowledged, as the report labels them (empty: none). */
  faults?: string[];
  /** For a lost add acknowledged under no fault: the fault that ended last before, and how long before. */
  after?: { fault: string; seconds: number };
}

export interface StaleRead {
  /** The read's completion index, and the elements it missed (at most a few listed). */
  readIndex: number;
  missing: SetAdd[];
  missingCount: number;
}

export interface SetResult {
  valid: true | false | 'unknown';
  unknownReason?: string;
  attempted: number;
  acknowledged: number;
  /** Size of the final read, when there was one. */
  read: number;
  reads: number;
  lost: SetAdd[];
  unexpected: unknown[];
  duplicated: { element: unknown; count: number; readIndex: number }[];
  failedApplied: SetAdd[];
  stale: StaleRead[];
  recovered: SetAdd[];
  /** Acknowledged adds lost, as a fraction of acknowledged adds. */
  lostFraction: number;
  /** Index of the final read's completion in the history. */
  finalReadIndex?: number;
}

export interface SetCheckOptions {
  /** Reads claim linearizability (a read sees every add acknowledged before it began). */
  linearizable?: boolean;
}

const key = (v: unknown) => JSON.stringify(v);
/** Listed per stale read; the count says how many there were. */
const MAX_MISSING_LISTED = 5;

interface AddRecord extends SetAdd {
  outcome: 'ok' | 'fail' | 'info' | 'pending';
}

interface ReadRecord {
  invokeIndex: number;
  completionIndex: number;
  elements: unknown[];
}

function evidence(a: AddRecord): SetAdd {
  const { outcome: _outcome, ...rest } = a;
  return rest;
}

export function checkSet(history: History, opts: SetCheckOptions = {}): SetResult {
  const adds = new Map<string, AddRecord>();
  const reads: ReadRecord[] = [];
  const pending = new Map<number, { op: Op; add?: AddRecord }>();
  /** History index of the last add event (invocation or completion). */
  let lastAddEvent = -1;
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      let add: AddRecord | undefined;
      if (op.f === 'add') {
        add = { element: op.value, invokeIndex: op.index, time: op.time, process: op.process, outcome: 'pending', ...(op.node === undefined ? {} : { node: op.node }) };
        adds.set(key(op.value), add);
        lastAddEvent = op.index;
      }
      pending.set(op.process, { op, ...(add ? { add } : {}) });
      continue;
    }
    const inv = pending.get(op.process);
    pending.delete(op.process);
    if (!inv) continue;
    if (inv.add) {
      inv.add.outcome = op.type;
      inv.add.completionIndex = op.index;
      inv.add.time = op.time;
      if (op.node !== undefined) inv.add.node = op.node;
      lastAddEvent = op.index;
    } else if (inv.op.f === 'read' && op.type === 'ok' && Array.isArray(op.value)) {
      reads.push({ invokeIndex: inv.op.index, completionIndex: op.index, elements: op.value });
    }
  }

  const unexpected: unknown[] = [];
  const duplicated: SetResult['duplicated'] = [];
  const failedApplied = new Map<string, SetAdd>();
  for (const r of reads) {
    const counts = new Map<string, number>();
    for (const x of r.elements) {
      const k = key(x);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of counts) {
      const add = adds.get(k);
      if (n > 1) duplicated.push({ element: JSON.parse(k), count: n, readIndex: r.completionIndex });
      if (!add) unexpected.push(JSON.parse(k));
      else if (add.outcome === 'fail') failedApplied.set(k, evidence(add));
    }
  }

  const all = [...adds.values()];
  const acknowledged = all.filter((a) => a.outcome === 'ok');
  const finalRead = [...reads].reverse().find((r) => r.invokeIndex > lastAddEvent);
  const base = {
    attempted: adds.size,
    acknowledged: acknowledged.length,
    reads: reads.length,
    unexpected: [...new Set(unexpected.map(key))].map((k) => JSON.parse(k)),
    duplicated,
    failedApplied: [...failedApplied.values()],
  };
  if (!finalRead) {
    return { valid: 'unknown', unknownReason: 'no final read succeeded', ...base, read: 0, lost: [], stale: [], recovered: [], lostFraction: 0 };
  }
  const inFinal = new Set(finalRead.elements.map(key));
  const windows = faultWindows(history, history.at(-1)?.time ?? 0);
  const lost = acknowledged.filter((a) => !inFinal.has(key(a.element))).map((a) => ({ ...evidence(a), ...faultContext(windows, a.time) }));
  const recovered = all.filter((a) => a.outcome === 'info' && inFinal.has(key(a.element))).map(evidence);
  const stale = opts.linearizable ? staleReads(reads, acknowledged, inFinal) : [];
  const anomalies = lost.length + base.unexpected.length + duplicated.length + base.failedApplied.length + stale.length;
  const result: SetResult = {
    valid: anomalies > 0 ? false : acknowledged.length === 0 ? 'unknown' : true,
    ...base,
    read: inFinal.size,
    lost,
    stale,
    recovered,
    lostFraction: acknowledged.length === 0 ? 0 : lost.length / acknowledged.length,
    finalReadIndex: finalRead.completionIndex,
  };
  if (result.valid === 'unknown') result.unknownReason = 'no add was acknowledged: nothing to check';
  return result;
}

/** How many lost adds were acknowledged under each set of faults ('no fault' for none), the most first. */
export function lostByFault(lost: readonly SetAdd[]): { faults: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of lost) {
    const k = a.faults?.length ? a.faults.join(' + ') : 'no fault';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([faults, count]) => ({ faults, count })).sort((a, b) => b.count - a.count || a.faults.localeCompare(b.faults));
}

/** The faults in effect at `time`; with none, the one that ended last before it. */
function faultContext(windows: readonly FaultWindow[], time: number): Pick<SetAdd, 'faults' | 'after'> {
  const faults = faultsAt(windows, time).map((w) => w.label);
  const last = faults.length === 0 ? lastEndedBefore(windows, time) : undefined;
  return last ? { faults, after: { fault: last.label, seconds: Math.round((time - last.end) / 1e7) / 100 } } : { faults };
}

/**
 * Reads that missed an element acknowledged before they began (and present
 * at the end). Adds sorted by completion index and reads by invocation: each
 * read checks the acknowledged adds completed before it, in one pass.
 */
function staleReads(reads: readonly ReadRecord[], acknowledged: readonly AddRecord[], inFinal: ReadonlySet<string>): StaleRead[] {
  const done = acknowledged.filter((a) => inFinal.has(key(a.element))).sort((a, b) => a.completionIndex! - b.completionIndex!);
  const out: StaleRead[] = [];
  for (const r of [...reads].sort((a, b) => a.invokeIndex - b.invokeIndex)) {
    const seen = new Set(r.elements.map(key));
    const missing: AddRecord[] = [];
    for (const a of done) {
      if (a.completionIndex! > r.invokeIndex) break;
      if (!seen.has(key(a.element))) missing.push(a);
    }
    if (missing.length) out.push({ readIndex: r.completionIndex, missing: missing.slice(0, MAX_MISSING_LISTED).map(evidence), missingCount: missing.length });
  }
  return out;
}
