/**
 * Elle's rw-register workload: transactions write unique values to
 * registers and read them, `[["w", "x", 1], ["r", "y", 2]]`; nil is every
 * register's initial value. A read names the write it saw (wr), but the
 * order of versions must be inferred, here from:
 * - the initial state: nil precedes every value;
 * - each transaction's own order: a transaction that read x = 1 and then
 *   wrote x = 2 puts 1 before 2;
 * - optionally, each key's process order (`sequentialKeys`: every key is
 *   sequentially consistent) or real-time order (`linearizableKeys`).
 * A source that would make a key's version order cyclic is not used for that
 * key, and the cycle is reported (cyclic-versions). From each version edge
 * v1 → v2 of key x: ww from v1's writer to v2's, rw from v1's readers to v2's writer.
 *
 * Found without the graph: G1a, G1b, internal inconsistency, lost updates,
 * future reads and garbage reads (a value no transaction wrote).
 */
import { HistoryError, type History } from '../../harness/history/op.js';
import { analyze, plainAnomaly, type DataRel, type ElleOptions, type Inference } from './analyze.js';
import { EdgeList, freezeGraph } from './graph.js';
import { processOrder, realtimeOrder } from './orders.js';
import type { AnomalyReport, ElleResult } from './result.js';
import { SccFinder } from './scc.js';
import { readTxns, type Txn } from './txns.js';
import { Interner, sameValue, show, ValueMap } from './values.js';

export interface RwRegisterOptions extends ElleOptions {
  /** Each key is sequentially consistent: use process order to order its versions. */
  sequentialKeys?: boolean;
  /** Each key is linearizable: use real-time order to order its versions. */
  linearizableKeys?: boolean;
}

export function checkRwRegister(history: History, opts: RwRegisterOptions = {}): ElleResult {
  return analyze(inferRwRegister(history, opts), opts);
}

type Source = 'initial state' | 'own order' | 'process order' | 'real-time order';

interface KeyState {
  key: unknown;
  /** Values by dense id; id 0 is nil, the initial state. */
  values: Interner;
  /** Value id → the committed or indeterminate transaction whose last write to the key it was. */
  writer: Map<number, Txn>;
  /** Value id → a transaction that wrote it and then wrote the key again. */
  intermediate: Map<number, Txn>;
  failedWriter: Map<number, Txn>;
  /** Value id → committed transactions whose first access to the key read it. */
  readers: Map<number, Txn[]>;
  /** The version order's edges (value ids), and why each holds. */
  versionEdges: Map<number, { from: number; to: number; why: string }>;
}

/** A transaction's first and last view of a key: what it read before writing it, and what it wrote last. */
interface Access {
  read?: number;
  wrote?: number;
}

export function inferRwRegister(history: History, opts: RwRegisterOptions = {}): Inference {
  const t = readTxns(history, ['w', 'r']);
  const keys: KeyState[] = t.keys.map((key) => {
    const values = new Interner();
    values.id(null);
    return { key, values, writer: new Map(), intermediate: new Map(), failedWriter: new Map(), readers: new Map(), versionEdges: new Map() };
  });
  const found: AnomalyReport[] = [];
  const access = t.txns.map((txn) => indexTxn(txn, keys, found));
  const accessOf = (txn: Txn) => access[txn.id]!;
  checkReads(keys, found);

  // The version order, source by source.
  const sources: [Source, (add: (k: number, from: number, to: number, why: string) => void) => void][] = [
    ['initial state', (add) => keys.forEach((k, ki) => { for (let v = 1; v < k.values.size; v++) add(ki, 0, v, 'nil is the initial state'); })],
    ['own order', (add) => {
      for (const txn of t.txns) {
        if (txn.type !== 'ok') continue;
        for (const [ki, a] of accessOf(txn)) if (a.read !== undefined && a.read !== 0 && a.wrote !== undefined) add(ki, a.read, a.wrote, `op ${txn.index} read ${show(keys[ki]!.values.values[a.read])} and then wrote ${show(keys[ki]!.values.values[a.wrote])}`);
      }
    }],
  ];
  const keysOf = (txn: Txn) => [...accessOf(txn).keys()];
  const orderLink = (how: string) => (add: (k: number, from: number, to: number, why: string) => void) => (p: Txn, q: Txn, ki: number) => {
    const a = accessOf(p).get(ki)!;
    const b = accessOf(q).get(ki)!;
    const from = a.wrote ?? a.read!;
    const to = b.read ?? b.wrote!;
    if (from !== to) add(ki, from, to, `op ${p.index} saw ${show(keys[ki]!.values.values[from])} ${how} op ${q.index}, which saw ${show(keys[ki]!.values.values[to])}`);
  };
  if (opts.sequentialKeys) sources.push(['process order', (add) => processOrder(t.txns, keysOf, orderLink('before, in its process, came')(add))]);
  if (opts.linearizableKeys) sources.push(['real-time order', (add) => realtimeOrder(t.txns, keysOf, orderLink('and completed before the invocation of')(add))]);
  for (const [source, produce] of sources) addSource(keys, source, produce, found);

  const edges = new EdgeList();
  for (const k of keys) {
    for (const [v, readers] of k.readers) {
      const w = k.writer.get(v);
      if (w && v !== 0) for (const r of readers) edges.add(w.id, r.id, 'wr');
    }
    for (const { from, to } of k.versionEdges.values()) {
      const w2 = k.writer.get(to);
      if (!w2) continue;
      const w1 = k.writer.get(from);
      if (w1) edges.add(w1.id, w2.id, 'ww');
      for (const r of k.readers.get(from) ?? []) edges.add(r.id, w2.id, 'rw');
    }
  }
  found.push(...lostUpdates(keys, t.txns, accessOf));
  return { checker: 'elle-rw-register', txns: t, edges, found, explain: (rel, a, b, an, bn) => explainEdge(keys, accessOf, rel, a, b, an, bn) };
}

/** Index one transaction's reads and writes; report what it shows on its own (internal, future read, G1a, G1b, garbage). */
function indexTxn(txn: Txn, keys: KeyState[], found: AnomalyReport[]): Map<number, Access> {
  const access = new Map<number, Access>();
  const last = new Map<number, unknown>(); // key → the value the txn last read or wrote
  const wrote = new Map<number, number[]>(); // key → value ids written, in order
  txn.mops.forEach((m, i) => {
    const k = keys[m.key]!;
    if (m.f === 'w') {
      if (m.value === null) throw new HistoryError(`a write of nil to key ${show(k.key)}; nil is the initial state, so rw-register writes must not be nil`, txn.index);
      const v = k.values.id(m.value);
      // The key's maps hold earlier transactions' writes only (this one's are added after its micro-ops).
      const other = k.writer.get(v) ?? k.intermediate.get(v) ?? k.failedWriter.get(v);
      const ws = wrote.get(m.key) ?? [];
      if (other || ws.includes(v)) {
        throw new HistoryError(`${show(m.value)} is written to key ${show(k.key)} ${other ? `twice (also by op ${other.index})` : 'twice in one transaction'}; rw-register needs unique writes per key`, txn.index);
      }
      ws.push(v);
      wrote.set(m.key, ws);
      last.set(m.key, m.value);
      const a = access.get(m.key) ?? {};
      a.wrote = v;
      access.set(m.key, a);
      return;
    }
    if (txn.type !== 'ok') return;
    if (last.has(m.key)) {
      if (!sameValue(last.get(m.key), m.value)) {
        const expected = last.get(m.key);
        found.push(plainAnomaly('internal', [txn], k.key, (t1) => `${t1} read ${show(k.key)} = ${show(m.value)}, but its own earlier micro-ops say it should have read ${show(expected)}.`));
      }
      return;
    }
    last.set(m.key, m.value);
    const v = k.values.id(m.value);
    access.set(m.key, { read: v });
    const later = txn.mops.slice(i + 1).some((n) => n.f === 'w' && n.key === m.key && sameValue(n.value, m.value));
    if (later && m.value !== null) found.push(plainAnomaly('future-read', [txn], k.key, (t1) => `${t1} read ${show(k.key)} = ${show(m.value)}, a value ${t1} itself wrote only later.`));
    const readers = k.readers.get(v) ?? [];
    readers.push(txn);
    k.readers.set(v, readers);
  });
  for (const [ki, vs] of wrote) {
    const k = keys[ki]!;
    if (txn.type === 'fail') for (const v of vs) k.failedWriter.set(v, txn);
    else {
      vs.slice(0, -1).forEach((v) => k.intermediate.set(v, txn));
      k.writer.set(vs[vs.length - 1]!, txn);
    }
  }
  return access;
}

/** Reads of values written by failed transactions, overwritten within their transaction, or never written. */
function checkReads(keys: KeyState[], found: AnomalyReport[]): void {
  for (const k of keys) {
    for (const [v, readers] of k.readers) {
      if (v === 0) continue;
      const value = k.values.values[v];
      const failed = k.failedWriter.get(v);
      const intermediate = k.intermediate.get(v);
      for (const r of readers) {
        if (failed) found.push(plainAnomaly('G1a', [failed, r], k.key, (t1, t2) => `${t2} read ${show(k.key)} = ${show(value)}, which ${t1} wrote and then failed (aborted read).`));
        else if (intermediate && intermediate !== r) {
          found.push(plainAnomaly('G1b', [intermediate, r], k.key, (t1, t2) => `${t2} read ${show(k.key)} = ${show(value)}, which ${t1} wrote and then overwrote in the same transaction (intermediate read).`));
        } else if (!k.writer.has(v) && !intermediate) found.push(plainAnomaly('garbage-read', [r], k.key, (t1) => `${t1} read ${show(k.key)} = ${show(value)}, a value no transaction wrote to ${show(k.key)}.`));
      }
    }
  }
}

/** Add one source's version edges, except on keys where they would close a cycle. */
function addSource(keys: KeyState[], source: Source, produce: (add: (k: number, from: number, to: number, why: string) => void) => void, found: AnomalyReport[]): void {
  const added = new Map<number, { from: number; to: number; why: string }[]>();
  produce((ki, from, to, why) => {
    if (from === to) return;
    const list = added.get(ki) ?? [];
    list.push({ from, to, why });
    added.set(ki, list);
  });
  for (const [ki, list] of added) {
    const k = keys[ki]!;
    const edges = new EdgeList();
    for (const e of [...k.versionEdges.values(), ...list]) edges.add(e.from, e.to, 'ww');
    const cycles = new SccFinder(freezeGraph(k.values.size, edges)).components(1);
    if (cycles.length > 0) {
      const values = [...cycles[0]!].map((v) => k.values.values[v]);
      found.push(plainAnomaly('cyclic-versions', [], k.key, () => `With the ${source} added, the versions of ${show(k.key)} would be ordered in a cycle: ${values.map((v) => show(v)).join(', ')}. That source is not used for ${show(k.key)}.`));
      continue;
    }
    for (const e of list) if (!k.versionEdges.has(e.from * 2 ** 26 + e.to)) k.versionEdges.set(e.from * 2 ** 26 + e.to, e);
  }
}

function lostUpdates(keys: KeyState[], txns: readonly Txn[], accessOf: (t: Txn) => Map<number, Access>): AnomalyReport[] {
  const groups = new Map<string, Txn[]>();
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    for (const [ki, a] of accessOf(txn)) {
      if (a.read === undefined || a.wrote === undefined) continue;
      const g = `${ki}:${a.read}`;
      const group = groups.get(g);
      if (group) group.push(txn);
      else groups.set(g, [txn]);
    }
  }
  const out: AnomalyReport[] = [];
  for (const [g, ts] of groups) {
    if (ts.length < 2) continue;
    const [ki, v] = g.split(':').map(Number) as [number, number];
    const k = keys[ki]!;
    out.push(plainAnomaly('lost-update', ts, k.key, (...names) => `${names.join(' and ')} each read ${show(k.key)} = ${show(k.values.values[v])} and then wrote it: each made its update without seeing the other's, so one update is lost.`));
  }
  return out;
}

function explainEdge(keys: KeyState[], accessOf: (t: Txn) => Map<number, Access>, rel: DataRel, a: Txn, b: Txn, an: string, bn: string): { key?: unknown; text: string } {
  const aa = accessOf(a);
  const ba = accessOf(b);
  for (const [ki, bAccess] of ba) {
    const k = keys[ki]!;
    const x = aa.get(ki);
    if (!x) continue;
    const val = (v: number) => show(k.values.values[v]);
    if (rel === 'wr' && bAccess.read !== undefined && x.wrote === bAccess.read) return { key: k.key, text: `${bn} read ${show(k.key)} = ${val(bAccess.read)}, which ${an} wrote` };
    if (bAccess.wrote === undefined) continue;
    const from = rel === 'ww' ? x.wrote : x.read;
    const edge = from === undefined ? undefined : k.versionEdges.get(from * 2 ** 26 + bAccess.wrote);
    if (!edge) continue;
    const what = rel === 'ww' ? `${an} wrote ${show(k.key)} = ${val(from!)}` : `${an} read ${show(k.key)} = ${val(from!)}`;
    return { key: k.key, text: `${what}, and ${bn} wrote ${show(k.key)} = ${val(bAccess.wrote)}, which comes after it in ${show(k.key)}'s version order (${edge.why})` };
  }
  return { text: `${an} precedes ${bn} (${rel})` };
}
