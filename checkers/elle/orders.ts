/**
 * Process and real-time order between transactions.
 *
 * - process: each process runs one transaction at a time, so its committed
 *   transactions are ordered (an info one may still take effect later, so it
 *   orders nothing);
 * - real-time: T1 < T2 when T1 committed before T2 was invoked. Only a
 *   transitive reduction is built: when T2 is invoked it is linked from the
 *   "frontier", the committed transactions not yet known to precede another
 *   committed one; when T2 commits it replaces in the frontier those that
 *   precede it. About n × concurrency links instead of n².
 *
 * Both are computed within groups (all transactions in one group for the
 * dependency graph; per key for rw-register's version orders).
 */
import type { EdgeList } from './graph.js';
import type { Txn } from './txns.js';

type Groups = (t: Txn) => readonly number[];
type Link = (before: Txn, after: Txn, group: number) => void;

const ONE_GROUP: readonly number[] = [0];

export function addProcessEdges(txns: readonly Txn[], edges: EdgeList): void {
  processOrder(txns, () => ONE_GROUP, (a, b) => edges.add(a.id, b.id, 'process'));
}

export function addRealtimeEdges(txns: readonly Txn[], edges: EdgeList): void {
  realtimeOrder(txns, () => ONE_GROUP, (a, b) => edges.add(a.id, b.id, 'realtime'));
}

/** Each committed transaction linked from the previous committed one of its process, per group. */
export function processOrder(txns: readonly Txn[], groupsOf: Groups, link: Link): void {
  const last = new Map<number, Map<number, Txn>>();
  // Txns are in invocation order, and a process's invocations are in its own order.
  for (const t of txns) {
    if (t.type !== 'ok') continue;
    let byGroup = last.get(t.process);
    if (!byGroup) last.set(t.process, (byGroup = new Map()));
    for (const g of groupsOf(t)) {
      const prev = byGroup.get(g);
      if (prev) link(prev, t, g);
      byGroup.set(g, t);
    }
  }
}

/** Real-time order, transitively reduced, per group: to committed and indeterminate transactions from committed ones. */
export function realtimeOrder(txns: readonly Txn[], groupsOf: Groups, link: Link): void {
  // Events by history index: 2·id for an invocation, 2·id + 1 for a commit.
  let maxIndex = -1;
  for (const t of txns) if (t.index > maxIndex) maxIndex = t.index;
  const events = new Int32Array(maxIndex + 1).fill(-1);
  for (const t of txns) {
    if (t.invokeIndex < 0 || t.type === 'fail') continue;
    events[t.invokeIndex] = 2 * t.id;
    if (t.type === 'ok') events[t.index] = 2 * t.id + 1;
  }
  const frontiers = new Map<number, Txn[]>();
  for (let i = 0; i <= maxIndex; i++) {
    const ev = events[i]!;
    if (ev < 0) continue;
    const t = txns[ev >> 1]!;
    for (const g of groupsOf(t)) {
      let frontier = frontiers.get(g);
      if (!frontier) frontiers.set(g, (frontier = []));
      if ((ev & 1) === 0) {
        for (const p of frontier) link(p, t, g);
        continue;
      }
      // Those in the frontier when t was invoked precede t; t now stands for them.
      let kept = 0;
      for (const p of frontier) if (p.index > t.invokeIndex) frontier[kept++] = p;
      frontier.length = kept;
      frontier.push(t);
    }
  }
}
