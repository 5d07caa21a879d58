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
 *   precede it. About n × concurrency edges instead of n².
 */
import type { EdgeList } from './graph.js';
import type { Txn } from './txns.js';

export function addProcessEdges(txns: readonly Txn[], edges: EdgeList): void {
  const last = new Map<number, number>();
  // Txns are in invocation order, and a process's invocations are in its own order.
  for (const t of txns) {
    if (t.type !== 'ok') continue;
    const prev = last.get(t.process);
    if (prev !== undefined) edges.add(prev, t.id, 'process');
    last.set(t.process, t.id);
  }
}

export function addRealtimeEdges(txns: readonly Txn[], edges: EdgeList): void {
  // Events by history index: 2·id for an invocation, 2·id + 1 for a commit.
  let maxIndex = -1;
  for (const t of txns) if (t.index > maxIndex) maxIndex = t.index;
  const events = new Int32Array(maxIndex + 1).fill(-1);
  for (const t of txns) {
    if (t.invokeIndex < 0 || t.type === 'fail') continue;
    events[t.invokeIndex] = 2 * t.id;
    if (t.type === 'ok') events[t.index] = 2 * t.id + 1;
  }
  let frontier: number[] = [];
  for (let i = 0; i <= maxIndex; i++) {
    const ev = events[i]!;
    if (ev < 0) continue;
    const t = txns[ev >> 1]!;
    if ((ev & 1) === 0) {
      for (const p of frontier) edges.add(p, t.id, 'realtime');
      continue;
    }
    // Those in the frontier when t was invoked precede t; t now stands for them.
    frontier = frontier.filter((p) => txns[p]!.index > t.invokeIndex);
    frontier.push(t.id);
  }
}
