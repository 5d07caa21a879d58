/**
 * Elle's list-append workload: transactions append unique elements to lists
 * and read whole lists, `[["append", "x", 1], ["r", "y", [1, 2]]]`. Every
 * read shows the order of the appends before it, so the longest read of a
 * key gives its version order, and every other read must be a prefix of it.
 *
 * Edges, per key (an append no read shows comes after every one shown):
 * - ww: T1 appended the element just before T2's;
 * - wr: T2 read a list whose last element (other than its own) T1 appended;
 * - rw: T1 read a list, and T2 appended the element that came next.
 *
 * Found without the graph: G1a (a read including an element of a failed
 * transaction), G1b (a read ending in an append that was not its writer's
 * last to the key), internal inconsistency, dirty updates, duplicate
 * elements, incompatible orders, lost updates, future reads, garbage reads
 * (an element nobody appended), and lost acknowledged appends: a read begun
 * after an append committed that does not include it. That is a real-time
 * cycle (T1 < T2 in real time, T2 < T1 as T2 did not see T1's append), and
 * is named as Elle names it: G-single-item-realtime.
 */
import { HistoryError, type History } from '../../harness/history/op.js';
import { analyze, plainAnomaly, type DataRel, type ElleOptions, type Inference } from './analyze.js';
import { cycleText, realtimeReason, txnRefs } from './explain.js';
import { EdgeList } from './graph.js';
import type { AnomalyReport, CycleAnomalyReport, ElleResult } from './result.js';
import { readTxns, type Txn } from './txns.js';
import { sameValue, show, ValueMap } from './values.js';

export function checkListAppend(history: History, opts: ElleOptions = {}): ElleResult {
  return analyze(inferListAppend(history), opts);
}

interface Append {
  txn: Txn;
  element: unknown;
}

interface Read {
  txn: Txn;
  list: readonly unknown[];
  /** Read before the transaction appended to the key itself: what it saw of the others. */
  external: boolean;
  /** A prefix of the key's version order. */
  compatible: boolean;
}

interface KeyState {
  key: unknown;
  /** Committed or indeterminate appends, in transaction order. */
  appends: Append[];
  /** Element → the committed or indeterminate transaction that appended it. */
  writer: ValueMap<Txn>;
  /** Element → the failed transaction that appended it. */
  failedWriter: ValueMap<Txn>;
  /** Elements after which their writer appended another to the same key. */
  intermediate: ValueMap<Txn>;
  /** Committed transactions' reads. */
  reads: Read[];
  /** The version order: the longest read, each element once. */
  order: unknown[];
  position: ValueMap<number>;
  /** The longest read (undefined when the order comes from a lone append, or is empty). */
  longest?: Read;
  /** Appends no read shows: after every element of the order. */
  unseen: Append[];
}

export function inferListAppend(history: History): Inference {
  const t = readTxns(history, ['append', 'r']);
  const keys: KeyState[] = t.keys.map((key) => ({
    key,
    appends: [],
    writer: new ValueMap(),
    failedWriter: new ValueMap(),
    intermediate: new ValueMap(),
    reads: [],
    order: [],
    position: new ValueMap(),
    unseen: [],
  }));
  for (const txn of t.txns) index(txn, keys);

  const found: AnomalyReport[] = [];
  const edges = new EdgeList();
  for (const k of keys) {
    versionOrder(k, found);
    checkReads(k, found);
    addEdges(k, edges);
    found.push(...dirtyUpdates(k), ...lostAppends(k));
  }
  for (const txn of t.txns) if (txn.type === 'ok' && repeatsAKey(txn)) found.push(...withinTxn(txn, keys));
  found.push(...lostUpdates(keys));

  return { checker: 'elle-list-append', txns: t, edges, found, explain: (rel, a, b, an, bn) => explainEdge(keys, rel, a, b, an, bn) };
}

function index(txn: Txn, keys: KeyState[]): void {
  const mops = txn.mops;
  for (let i = 0; i < mops.length; i++) {
    const m = mops[i]!;
    const k = keys[m.key]!;
    // This transaction's latest earlier append to the key, if any (transactions are short: a scan beats a map).
    let earlier = -1;
    for (let j = i - 1; j >= 0 && earlier < 0; j--) if (mops[j]!.f === 'append' && mops[j]!.key === m.key) earlier = j;
    if (m.f === 'append') {
      const other = k.writer.get(m.value) ?? k.failedWriter.get(m.value);
      if (other) {
        throw new HistoryError(`${show(m.value)} is appended to key ${show(k.key)} twice (also by op ${other.index}); list-append needs every element appended to a key to be unique`, txn.index);
      }
      if (txn.type === 'fail') k.failedWriter.set(m.value, txn);
      else {
        k.writer.set(m.value, txn);
        k.appends.push({ txn, element: m.value });
      }
      if (earlier >= 0) k.intermediate.set(mops[earlier]!.value, txn);
    } else if (txn.type === 'ok') {
      if (m.value !== null && !Array.isArray(m.value)) throw new HistoryError(`a read of key ${show(k.key)} returned ${show(m.value)}, not a list`, txn.index);
      k.reads.push({ txn, list: (m.value as unknown[] | null) ?? [], external: earlier < 0, compatible: false });
    }
  }
}

/** The key's version order from its longest read (or its only append), and which reads agree with it. */
function versionOrder(k: KeyState, found: AnomalyReport[]): void {
  for (const r of k.reads) if (!k.longest || r.list.length > k.longest.list.length) k.longest = r;
  const longest = k.longest;
  if (longest && longest.list.length > 0) {
    for (const e of longest.list) {
      if (k.position.has(e)) continue;
      k.position.set(e, k.order.length);
      k.order.push(e);
    }
    if (k.order.length < longest.list.length) found.push(duplicates(k, longest));
  } else if (k.appends.length === 1 && k.failedWriter.size === 0) {
    // A single append, never read: the order is still known.
    k.longest = undefined;
    k.order.push(k.appends[0]!.element);
    k.position.set(k.appends[0]!.element, 0);
  }
  for (const a of k.appends) if (!k.position.has(a.element)) k.unseen.push(a);
  for (const r of k.reads) r.compatible = isPrefix(r.list, k.order);
}

function isPrefix(list: readonly unknown[], order: readonly unknown[]): boolean {
  if (list.length > order.length) return false;
  for (let i = 0; i < list.length; i++) if (list[i] !== order[i] && !sameValue(list[i], order[i])) return false;
  return true;
}

/** Reads that disagree with the order, or show elements they should not. */
function checkReads(k: KeyState, found: AnomalyReport[]): void {
  let incompatibleReported = false;
  for (const r of k.reads) {
    // The longest read's elements are the order's, checked below (its duplicates were reported with the order).
    if (r.compatible || r === k.longest) continue;
    // Not a prefix of the order, but of the longest read: that one repeats an element, and so may this one.
    const prefixOfLongest = k.longest !== undefined && isPrefix(r.list, k.longest.list);
    if (!incompatibleReported && k.longest && !prefixOfLongest) {
      incompatibleReported = true;
      found.push(incompatible(k, r, k.longest));
    }
    // The order's elements are checked once below; an incompatible read has its own.
    const seen = new ValueMap<true>();
    let duplicate = false;
    for (const e of r.list) {
      if (seen.has(e)) duplicate = true;
      seen.set(e, true);
      const failed = k.failedWriter.get(e);
      if (failed) found.push(abortedRead(k, r, e, failed));
      else if (!k.writer.has(e)) found.push(garbage(k, r, e));
    }
    if (duplicate) found.push(duplicates(k, r));
  }
  // Elements of the order: a compatible read of length L shows exactly the first L.
  let firstFailed = Infinity;
  for (let p = 0; p < k.order.length; p++) {
    const e = k.order[p];
    if (k.failedWriter.has(e)) firstFailed = Math.min(firstFailed, p);
    else if (!k.writer.has(e) && k.longest) found.push(garbage(k, k.longest, e));
  }
  for (const r of k.reads) {
    if (r.compatible && r.list.length > firstFailed) {
      const e = k.order[firstFailed];
      found.push(abortedRead(k, r, e, k.failedWriter.get(e)!));
    }
    const last = r.list[r.list.length - 1];
    const writer = r.list.length > 0 ? k.intermediate.get(last) : undefined;
    if (writer && writer !== r.txn) found.push(intermediateRead(k, r, last, writer));
  }
}

function addEdges(k: KeyState, edges: EdgeList): void {
  const { order, writer } = k;
  for (let p = 1; p < order.length; p++) {
    const a = writer.get(order[p - 1]);
    const b = writer.get(order[p]);
    if (a && b) edges.add(a.id, b.id, 'ww');
  }
  const unseenTxns = [...new Set(k.unseen.map((a) => a.txn))];
  const last = order.length > 0 ? writer.get(order[order.length - 1]) : undefined;
  if (last) for (const u of unseenTxns) edges.add(last.id, u.id, 'ww');
  for (const r of k.reads) {
    // wr: from the writer of the last element the reader did not append itself.
    for (let i = r.list.length - 1; i >= 0; i--) {
      const w = writer.get(r.list[i]);
      if (w === r.txn) continue;
      if (w) edges.add(w.id, r.txn.id, 'wr');
      break;
    }
    if (!r.external || !r.compatible) continue;
    const L = r.list.length;
    if (L < order.length) {
      const next = writer.get(order[L]);
      if (next) edges.add(r.txn.id, next.id, 'rw');
    } else {
      for (const u of unseenTxns) edges.add(r.txn.id, u.id, 'rw');
    }
  }
}

// ---------------------------------------------------------------------------
// Anomalies found without the graph

function duplicates(k: KeyState, r: Read): AnomalyReport {
  const counts = new ValueMap<number>();
  const dups: unknown[] = [];
  for (const e of r.list) {
    const n = (counts.get(e) ?? 0) + 1;
    counts.set(e, n);
    if (n === 2) dups.push(e);
  }
  return plainAnomaly('duplicate-elements', [r.txn], k.key, (t1) => `${t1} read ${show(k.key)} = ${show(r.list)}, in which ${dups.map((e) => show(e)).join(', ')} appear${dups.length === 1 ? 's' : ''} more than once; every element was appended once.`);
}

function incompatible(k: KeyState, r: Read, longest: Read): AnomalyReport {
  let i = 0;
  while (i < r.list.length && i < longest.list.length && sameValue(r.list[i], longest.list[i])) i++;
  const where = i < r.list.length && i < longest.list.length ? `at position ${i + 1}, ${show(r.list[i])} against ${show(longest.list[i])}` : `in length`;
  return plainAnomaly(
    'incompatible-order',
    [r.txn, longest.txn],
    k.key,
    (t1, t2) =>
      `${t1} read ${show(k.key)} = ${show(r.list, 12)} and ${t2} read ${show(k.key)} = ${show(longest.list, 12)}. They differ ${where}: neither is a prefix of the other, so no one order of appends explains both.`,
  );
}

function abortedRead(k: KeyState, r: Read, e: unknown, writer: Txn): AnomalyReport {
  return plainAnomaly('G1a', [writer, r.txn], k.key, (t1, t2) => `${t2} read ${show(k.key)} = ${show(r.list)}, which includes ${show(e)}, appended by ${t1}, which failed (aborted read).`);
}

function garbage(k: KeyState, r: Read, e: unknown): AnomalyReport {
  return plainAnomaly('garbage-read', [r.txn], k.key, (t1) => `${t1} read ${show(k.key)} = ${show(r.list)}, which includes ${show(e)}, an element no transaction appended to ${show(k.key)}.`);
}

function intermediateRead(k: KeyState, r: Read, e: unknown, writer: Txn): AnomalyReport {
  const own = writer.mops.filter((m) => m.f === 'append' && k.writer.get(m.value) === writer).map((m) => m.value);
  const later = own.slice(own.findIndex((x) => sameValue(x, e)) + 1);
  return plainAnomaly(
    'G1b',
    [writer, r.txn],
    k.key,
    (t1, t2) => `${t2} read ${show(k.key)} = ${show(r.list)}, which ends with ${show(e)}; ${t1} appended ${show(e)} and then ${later.map((x) => show(x)).join(', ')} to ${show(k.key)}, so ${t2} saw a state ${t1} never committed (intermediate read).`,
  );
}

/** A committed append right after an aborted one, in the version order (Elle's dirty update). */
function dirtyUpdates(k: KeyState): AnomalyReport[] {
  const out: AnomalyReport[] = [];
  let aborted: { txn: Txn; element: unknown } | undefined;
  for (const e of k.order) {
    const failed = k.failedWriter.get(e);
    if (failed) {
      aborted ??= { txn: failed, element: e };
      continue;
    }
    const w = k.writer.get(e);
    if (!w || w.type !== 'ok') continue; // an indeterminate one neither commits nor aborts the state
    if (aborted) {
      const a = aborted;
      out.push(
        plainAnomaly('dirty-update', [a.txn, w], k.key, (t1, t2) => `${t1} appended ${show(a.element)} to ${show(k.key)} and failed, yet ${t2} committed ${show(e)} after it in ${show(k.key)}'s order: a committed write on top of an aborted one.`),
      );
    }
    aborted = undefined;
  }
  return out;
}

/** A read begun after an append committed that does not include it: the first per key. */
function lostAppends(k: KeyState): CycleAnomalyReport[] {
  // Committed appends by completion, and reads by invocation: a merge of the two in history order.
  const acks = k.appends.filter((a) => a.txn.type === 'ok').sort((a, b) => a.txn.index - b.txn.index);
  const reads = k.reads.filter((r) => r.compatible && r.txn.invokeIndex >= 0).sort((a, b) => a.txn.invokeIndex - b.txn.invokeIndex);
  let i = 0;
  let latest: Append | undefined;
  let latestPosition = -1;
  for (const r of reads) {
    for (; i < acks.length && acks[i]!.txn.index < r.txn.invokeIndex; i++) {
      const position = k.position.get(acks[i]!.element) ?? Infinity;
      if (position > latestPosition) [latest, latestPosition] = [acks[i]!, position];
    }
    if (latest && latestPosition >= r.list.length) return [lostAppend(k, latest.txn, latest.element, r, latestPosition === Infinity)];
  }
  return [];
}

function lostAppend(k: KeyState, writer: Txn, e: unknown, r: Read, neverRead: boolean): CycleAnomalyReport {
  const refs = txnRefs([writer, r.txn]);
  const [t1, t2] = [refs[0]!.name, refs[1]!.name];
  const steps = [
    { from: t1, to: t2, rel: 'realtime' as const, text: realtimeReason(writer, r.txn, t1, t2) },
    { from: t2, to: t1, rel: 'rw' as const, key: k.key, text: `${t2} read ${show(k.key)} = ${show(r.list)}, which does not include ${t1}'s append of ${show(e)}` },
  ];
  const fate = neverRead ? 'No read ever showed it.' : `Later reads show it, so ${t2} read a stale ${show(k.key)}.`;
  return {
    type: 'G-single-item-realtime',
    txns: refs,
    steps,
    explanation: `A lost acknowledged append: ${t1}'s append of ${show(e)} to ${show(k.key)} had committed before ${t2} began, yet ${t2} did not see it. ${fate}\n\n${cycleText(refs, steps)}`,
  };
}

/** Whether a key occurs twice among the transaction's micro-ops: only then can it contradict itself. */
function repeatsAKey(txn: Txn): boolean {
  const mops = txn.mops;
  for (let i = 1; i < mops.length; i++) for (let j = 0; j < i; j++) if (mops[i]!.key === mops[j]!.key) return true;
  return false;
}

/** Internal consistency and future reads, within one committed transaction. */
function withinTxn(txn: Txn, keys: KeyState[]): AnomalyReport[] {
  const out: AnomalyReport[] = [];
  // Per key: the last list read (if any) and what the transaction appended since.
  const state = new Map<number, { read?: readonly unknown[]; appended: unknown[] }>();
  txn.mops.forEach((m, i) => {
    const key = keys[m.key]!.key;
    const s = state.get(m.key);
    if (m.f === 'append') {
      if (s) s.appended.push(m.value);
      else state.set(m.key, { appended: [m.value] });
      return;
    }
    const list = (m.value as unknown[] | null) ?? [];
    if (s && !matches(list, s.read, s.appended)) {
      const expected = s.read ? show([...s.read, ...s.appended]) : `a list ending in ${show(s.appended)}`;
      out.push(plainAnomaly('internal', [txn], key, (t1) => `${t1} read ${show(key)} = ${show(list)}, but its own earlier micro-ops say it should have read ${expected}.`));
    }
    state.set(m.key, { read: list, appended: [] });
    for (const later of txn.mops.slice(i + 1)) {
      if (later.f === 'append' && later.key === m.key && list.some((x) => sameValue(x, later.value))) {
        out.push(plainAnomaly('future-read', [txn], key, (t1) => `${t1} read ${show(key)} = ${show(list)}, which includes ${show(later.value)}, an element ${t1} itself appended only later.`));
      }
    }
  });
  return out;
}

function matches(list: readonly unknown[], read: readonly unknown[] | undefined, appended: readonly unknown[]): boolean {
  const base = read ?? [];
  if (read && list.length !== base.length + appended.length) return false;
  if (!read && list.length < appended.length) return false;
  const offset = list.length - appended.length;
  for (let i = 0; i < appended.length; i++) if (!sameValue(list[offset + i], appended[i])) return false;
  for (let i = 0; read && i < base.length; i++) if (!sameValue(list[i], base[i])) return false;
  return true;
}

/** Two committed transactions that read the same state of a key and both appended to it. */
function lostUpdates(keys: KeyState[]): AnomalyReport[] {
  const out: AnomalyReport[] = [];
  for (const k of keys) {
    const groups = new Map<number | string, Read[]>();
    const counted = new Set<Txn>();
    for (const r of k.reads) {
      if (!r.external || counted.has(r.txn)) continue;
      let appends = false;
      for (const m of r.txn.mops) if (m.f === 'append' && keys[m.key] === k) appends = true;
      if (!appends) continue;
      counted.add(r.txn);
      const state = r.compatible ? r.list.length : JSON.stringify(r.list);
      (groups.get(state) ?? groups.set(state, []).get(state)!).push(r);
    }
    for (const rs of groups.values()) {
      if (rs.length < 2) continue;
      const list = rs[0]!.list;
      out.push(
        plainAnomaly('lost-update', rs.map((r) => r.txn), k.key, (...names) => `${names.join(' and ')} each read ${show(k.key)} = ${show(list)} and then appended to it: each made its update without seeing the other's, so one update is lost.`),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Explaining edges

function explainEdge(keys: KeyState[], rel: DataRel, a: Txn, b: Txn, an: string, bn: string): { key?: unknown; text: string } {
  if (rel === 'ww') {
    for (const m of b.mops) {
      if (m.f !== 'append') continue;
      const k = keys[m.key]!;
      const p = k.position.get(m.value);
      if (p !== undefined && p > 0 && k.writer.get(k.order[p - 1]) === a) {
        return { key: k.key, text: `${bn} appended ${show(m.value)} to ${show(k.key)} right after ${an}'s append of ${show(k.order[p - 1])}` };
      }
      const last = k.order[k.order.length - 1];
      if (p === undefined && k.order.length > 0 && k.writer.get(last) === a) {
        return { key: k.key, text: `${an} appended ${show(last)}, the last element any read of ${show(k.key)} shows, and ${bn}'s append of ${show(m.value)}, which no read shows, came after it` };
      }
    }
  } else if (rel === 'wr') {
    for (const m of b.mops) {
      if (m.f !== 'r') continue;
      const k = keys[m.key]!;
      const list = (m.value as unknown[] | null) ?? [];
      for (let i = list.length - 1; i >= 0; i--) {
        const w = k.writer.get(list[i]);
        if (w === b) continue;
        if (w === a) return { key: k.key, text: `${bn} read ${show(k.key)} = ${show(list)}, which includes ${an}'s append of ${show(list[i])}` };
        break;
      }
    }
  } else {
    const appended = new Set<number>();
    for (const m of a.mops) {
      if (m.f === 'append') appended.add(m.key);
      if (m.f !== 'r' || appended.has(m.key)) continue;
      const k = keys[m.key]!;
      const list = (m.value as unknown[] | null) ?? [];
      if (!isPrefix(list, k.order)) continue;
      const next = k.order[list.length];
      if (list.length < k.order.length && k.writer.get(next) === b) {
        return { key: k.key, text: `${an} read ${show(k.key)} = ${show(list)} and did not see ${bn}'s append of ${show(next)}, which came next` };
      }
      const unseen = k.unseen.find((u) => u.txn === b);
      if (list.length === k.order.length && unseen) {
        return { key: k.key, text: `${an} read ${show(k.key)} = ${show(list)}, and ${bn}'s append of ${show(unseen.element)}, which no read shows, came after it` };
      }
    }
  }
  return { text: `${an} precedes ${bn} (${rel})` };
}
