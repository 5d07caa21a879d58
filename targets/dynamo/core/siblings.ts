/**
 * The state of one key on a replica: its siblings, each a value with the
 * version that wrote it. Versions are dotted, as in Riak's dotted version
 * vectors: a sibling names the one write that made it (its dot, unique per
 * coordinator and key) and what that write had seen (the context its client
 * sent). A sibling is replaced only by a version that has seen it: one with
 * its dot, or whose context covers that dot. A plain vector clock per
 * sibling would not do: two writes coordinated by one node, the second
 * without having seen the first, would look ordered.
 *
 * Two ways to reconcile versions:
 * - vclock: siblings that no other version has seen all stay, so
 *   concurrent writes are kept side by side;
 * - lww: one sibling survives, the one with the latest coordinator
 *   timestamp, whatever it had seen (so a write stamped by a clock that runs
 *   behind loses to the value it meant to replace).
 *
 * Replicas exchange whole sibling sets and merge them; merging is
 * commutative, associative and idempotent, so replicas that have exchanged
 * everything hold the same siblings.
 *
 * A node keeps every live version it coordinated, so a state holding one of
 * its dots also holds each earlier live one; hence a read's context may be a
 * plain clock, the join of everything its siblings have seen.
 */
import { clockOf, contextCovers, EMPTY_CLOCK, join, sameDot, type Context, type Dot, type VClock } from './vclock.js';

export type Resolution = 'vclock' | 'lww';
export const RESOLUTIONS: readonly Resolution[] = ['vclock', 'lww'];

export interface Sibling {
  value: unknown;
  /** The write that made this sibling. */
  dot: Dot;
  /** What that write had seen: the context its client sent. */
  past: Context;
  /** The coordinator's wall clock when it took the write, in µs; only last-write-wins reads it. */
  ts: number;
}

/** A key's siblings in canonical order (by dot); empty when the key was never written. */
export type Siblings = readonly Sibling[];

export const NO_SIBLINGS: Siblings = Object.freeze([]);

function byDot(a: Sibling, b: Sibling): number {
  return a.dot.node < b.dot.node ? -1 : a.dot.node > b.dot.node ? 1 : a.dot.counter - b.dot.counter;
}

/** Whether some sibling has seen the write `dot`. */
function seenBy(siblings: Siblings, dot: Dot): boolean {
  return siblings.some((s) => sameDot(s.dot, dot) || contextCovers(s.past, dot));
}

/** The context a reader gets: the clock of everything the siblings have seen. */
export function contextOf(siblings: Siblings): Context {
  const clock = siblings.reduce<VClock>((c, s) => join(join(c, clockOf(s.past)), { [s.dot.node]: s.dot.counter }), EMPTY_CLOCK);
  return { clock, dots: [] };
}

/** The highest counter of `node` among the siblings' dots and what they have seen. */
export function highestCounterIn(siblings: Siblings, node: string): number {
  return contextOf(siblings).clock[node] ?? 0;
}

/** Later by last-write-wins: timestamp, then the dot, so every replica picks the same one. */
function lwwLater(a: Sibling, b: Sibling): boolean {
  return a.ts !== b.ts ? a.ts > b.ts : byDot(a, b) > 0;
}

function lwwWinner(all: readonly Sibling[]): Siblings {
  let best: Sibling | undefined;
  for (const s of all) if (!best || lwwLater(s, best)) best = s;
  return best ? [best] : NO_SIBLINGS;
}

/** The merge of two replicas' states of one key. */
export function merge(a: Siblings, b: Siblings, resolution: Resolution): Siblings {
  if (resolution === 'lww') return lwwWinner([...a, ...b]);
  const inA = (s: Sibling) => a.some((x) => sameDot(x.dot, s.dot));
  const inB = (s: Sibling) => b.some((x) => sameDot(x.dot, s.dot));
  // A sibling survives when the other side holds it too, or has never seen it.
  const fromA = a.filter((s) => inB(s) || !seenBy(b, s.dot));
  const fromB = b.filter((s) => !inA(s) && !seenBy(a, s.dot));
  return [...fromA, ...fromB].sort(byDot);
}

export interface NewWrite {
  value: unknown;
  /** What the client had seen: the versions this write replaces. */
  context: Context;
  dot: Dot;
  ts: number;
}

/** The coordinator's state after taking a write: what the context had seen is replaced. */
export function applyWrite(local: Siblings, w: NewWrite, resolution: Resolution): Siblings {
  const sibling: Sibling = { value: w.value, dot: w.dot, past: w.context, ts: w.ts };
  if (resolution === 'lww') return lwwWinner([...local, sibling]);
  return [...local.filter((s) => !contextCovers(w.context, s.dot)), sibling].sort(byDot);
}

/** A short fingerprint of a state: its dots (dots are unique, so equal dots mean equal siblings). */
export function dotsOf(siblings: Siblings): string {
  return siblings.map((s) => `${s.dot.node}:${s.dot.counter}`).join(',');
}

export function sameSiblings(a: Siblings, b: Siblings): boolean {
  return dotsOf(a) === dotsOf(b);
}
