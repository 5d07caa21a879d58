/**
 * Basic checks of list-append transactions (Elle's workload shape:
 * `[['append', k, x], ['r', k, [..]]]`) that need no dependency graph:
 * - incompatible-order: two reads of a key where neither list is a prefix
 *   of the other (appends only ever extend a list);
 * - duplicate: an element read twice in one list;
 * - garbage: an element read that no transaction tried to append;
 * - internal: a read after the transaction's own append that does not end
 *   with it.
 * Cycle detection (G0, G1c, G2...) is the Elle-like checker's job; this
 * checker says so in its summary rather than claiming serializability.
 */
import type { History } from '../harness/history/op.js';

export interface ListAppendAnomaly {
  type: 'incompatible-order' | 'duplicate' | 'garbage' | 'internal';
  key: unknown;
  /** Indices of the completions involved. */
  ops: number[];
  explanation: string;
}

export interface ListAppendResult {
  valid: true | false;
  transactions: number;
  keys: number;
  anomalies: ListAppendAnomaly[];
}

type Mop = [string, unknown, unknown];

const MAX_ANOMALIES = 20;

export function checkListAppend(history: History): ListAppendResult {
  const appended = new Map<string, Set<string>>();
  const reads = new Map<string, { key: unknown; list: unknown[]; index: number }[]>();
  const anomalies: ListAppendAnomaly[] = [];
  const add = (a: ListAppendAnomaly) => anomalies.length < MAX_ANOMALIES && anomalies.push(a);
  let transactions = 0;
  for (const op of history) {
    if (op.process === 'nemesis' || op.f !== 'txn' || !Array.isArray(op.value)) continue;
    if (op.type === 'invoke') {
      for (const [f, k, v] of op.value as Mop[]) {
        if (f !== 'append') continue;
        const ks = JSON.stringify(k);
        if (!appended.has(ks)) appended.set(ks, new Set());
        appended.get(ks)!.add(JSON.stringify(v));
      }
      continue;
    }
    if (op.type !== 'ok') continue;
    transactions++;
    const own = new Map<string, unknown>();
    for (const [f, k, v] of op.value as Mop[]) {
      const ks = JSON.stringify(k);
      if (f === 'append') {
        own.set(ks, v);
        continue;
      }
      if (f !== 'r' || !Array.isArray(v)) continue;
      const seen = new Set<string>();
      for (const x of v) {
        const xs = JSON.stringify(x);
        if (seen.has(xs)) add({ type: 'duplicate', key: k, ops: [op.index], explanation: `op ${op.index} read ${xs} twice in key ${ks}: ${JSON.stringify(v)}` });
        seen.add(xs);
      }
      if (own.has(ks) && JSON.stringify(v.at(-1)) !== JSON.stringify(own.get(ks))) {
        add({ type: 'internal', key: k, ops: [op.index], explanation: `op ${op.index} appended ${JSON.stringify(own.get(ks))} to ${ks} and then read ${JSON.stringify(v)}, which does not end with it` });
      }
      if (!reads.has(ks)) reads.set(ks, []);
      reads.get(ks)!.push({ key: k, list: v, index: op.index });
    }
  }
  for (const [ks, rs] of reads) {
    const known = appended.get(ks) ?? new Set<string>();
    // The longest read of the key; every other read must be a prefix of it.
    let longest = rs[0]!;
    for (const r of rs) if (r.list.length > longest.list.length) longest = r;
    for (const r of rs) {
      for (const x of r.list) {
        if (!known.has(JSON.stringify(x))) {
          add({ type: 'garbage', key: r.key, ops: [r.index], explanation: `op ${r.index} read ${JSON.stringify(x)} in key ${ks}, which no transaction appended` });
          break;
        }
      }
      const prefix = r.list.every((x, i) => JSON.stringify(x) === JSON.stringify(longest.list[i]));
      if (!prefix) {
        add({
          type: 'incompatible-order',
          key: r.key,
          ops: [r.index, longest.index],
          explanation: `op ${r.index} read ${JSON.stringify(r.list)} and op ${longest.index} read ${JSON.stringify(longest.list)} from key ${ks}: neither is a prefix of the other`,
        });
      }
    }
  }
  return { valid: anomalies.length === 0, transactions, keys: reads.size, anomalies };
}
