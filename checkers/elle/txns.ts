/**
 * A history's transactions: each client `txn` invocation paired with its
 * completion, its micro-ops validated and its keys interned.
 *
 * - ok: committed, reads filled in;
 * - fail: certainly did not happen;
 * - info (or never completed): may or may not have happened; its reads are unknown.
 */
import { HistoryError, type History } from '../../harness/history/op.js';
import { Interner } from './values.js';

export type TxnType = 'ok' | 'info' | 'fail';

export interface Mop {
  /** 'append' | 'r' for list-append, 'w' | 'r' for rw-register. */
  readonly f: string;
  /** Interned key (see Txns.keys). */
  readonly key: number;
  /** The appended element or written value; the value read (null when unknown or empty). */
  readonly value: unknown;
}

export interface Txn {
  /** Dense id, 0 .. n-1, in invocation order. */
  readonly id: number;
  /** History index of the completion; of the invocation when the txn never completed. */
  readonly index: number;
  /** History index of the invocation; -1 when the history has none (completions only). */
  readonly invokeIndex: number;
  readonly type: TxnType;
  readonly process: number;
  /** Nanoseconds; NaN when unknown. */
  readonly invokeTime: number;
  readonly completeTime: number;
  readonly mops: readonly Mop[];
  /** The micro-ops as recorded, for display. */
  readonly value: unknown;
}

export interface Txns {
  readonly txns: readonly Txn[];
  /** Key values by interned id. */
  readonly keys: readonly unknown[];
}

/**
 * Transactions of a history whose micro-ops are among `fs` (e.g. append and
 * r). Operations other than `txn` (nemesis ones, say) are skipped.
 */
export function readTxns(history: History, fs: readonly string[]): Txns {
  const keys = new Interner();
  // Slots in invocation order (a completion without an invocation takes one where it completed).
  const txns: Txn[] = [];
  const pending = new Map<number, { slot: number; index: number; time: number; value: unknown }>();
  const fill = (slot: number, inv: { index: number; time: number; value: unknown } | undefined, type: TxnType, index: number, process: number, time: number, value: unknown) => {
    const recorded = type === 'ok' || (type === 'info' && Array.isArray(value)) ? value : (inv?.value ?? value);
    txns[slot] = {
      id: slot,
      index,
      invokeIndex: inv?.index ?? -1,
      type,
      process,
      invokeTime: inv?.time ?? NaN,
      completeTime: time,
      mops: parseMops(recorded, type, fs, keys, index),
      value: recorded,
    };
  };
  for (const op of history) {
    if (op.process === 'nemesis' || op.f !== 'txn') continue;
    if (op.type === 'invoke') {
      if (pending.has(op.process)) throw new HistoryError(`process ${op.process} invoked a transaction while one was still in flight`, op.index);
      pending.set(op.process, { slot: txns.length, index: op.index, time: op.time, value: op.value });
      txns.length++;
      continue;
    }
    const inv = pending.get(op.process);
    pending.delete(op.process);
    fill(inv?.slot ?? txns.length, inv, op.type, op.index, op.process, op.time, op.value);
  }
  // Never completed: as good as info.
  for (const [process, inv] of pending) fill(inv.slot, inv, 'info', inv.index, process, NaN, inv.value);
  return { txns, keys: keys.values };
}

function parseMops(value: unknown, type: TxnType, fs: readonly string[], keys: Interner, index: number): Mop[] {
  if (!Array.isArray(value)) throw new HistoryError(`expected a transaction: a list of micro-ops like [["${fs[0]}", "x", 1], ["r", "x", null]]; found ${brief(value)}`, index);
  const mops: Mop[] = [];
  for (const m of value) {
    if (!Array.isArray(m) || m.length !== 3 || typeof m[0] !== 'string') {
      throw new HistoryError(`expected a micro-op [f, key, value]; found ${brief(m)}`, index);
    }
    const [f, key, v] = m as [string, unknown, unknown];
    if (!fs.includes(f)) throw new HistoryError(`unknown micro-op ${JSON.stringify(f)}; this checker takes ${fs.map((x) => JSON.stringify(x)).join(' and ')}`, index);
    if (key === undefined) throw new HistoryError(`micro-op ${brief(m)} has no key`, index);
    // Only a committed transaction's reads are known.
    const known = f !== 'r' || type === 'ok';
    mops.push({ f, key: keys.id(key), value: known ? v : null });
  }
  return mops;
}

function brief(x: unknown): string {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
