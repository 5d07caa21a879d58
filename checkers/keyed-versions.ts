/**
 * Reads and writes of independent keys, as the checkers of replicated stores
 * without linearizability see them (quorum, session, convergence), and the
 * order of the versions they wrote.
 *
 * History shape (Jepsen's independent keys):
 * - `write`: invoked as `[k, v]`; every value is written once per key;
 * - `read`: invoked as `[k, null]`, completed `ok` as `[k, siblings]`, where
 *   `siblings` is the array of values the store returned (empty: the key was
 *   not found; several: concurrent versions, as Dynamo or Riak return them).
 *   A plain register's `[k, v]` reads as the single sibling `v` (`null`: none).
 *
 * Version order. W2 is newer than W1 (W1 < W2) when
 * - W1 was acknowledged before W2 was invoked (real time), or
 * - W2's process had seen W1 when it wrote W2: a client writes with the
 *   context of what its session has seen of the key (Dynamo's and Riak's
 *   read-modify-write discipline, with a context that only grows within a
 *   session), so W2 replaces every value its process read of the key
 *   (`ok` reads) and every write of it the process had acknowledged;
 * and transitively. Writes that are not ordered are concurrent.
 *
 * What a read (or the replicas' final state) reflects depends on how the
 * store replaces versions, its rule:
 * - newer-wins (any store, the default): a returned value reflects every
 *   write it is not older than; a write concurrent with it may have lost to
 *   it (last-write-wins, or a register's concurrent writes). A read misses a
 *   write only when everything it returned is older than that write.
 * - siblings (stores that keep concurrent writes side by side, as Dynamo
 *   with vector clocks): a returned value reflects its own write and the
 *   writes its session had seen (directly or through writes whose sessions
 *   had); a write no returned value had seen should itself be a sibling.
 */
import type { History, Op } from '../harness/history/op.js';

/** Where an operation sits in the history. */
export interface OpRef {
  /** History index of its invocation, and of its completion (absent when it never completed). */
  index: number;
  completionIndex?: number;
  process: number;
  node?: string;
  /** Nanoseconds since the test began: of the invocation, and of the completion. */
  invokedAt: number;
  completedAt?: number;
}

export interface WriteOp extends OpRef {
  key: unknown;
  value: unknown;
  outcome: 'ok' | 'fail' | 'info' | 'pending';
}

export interface ReadOp extends OpRef {
  key: unknown;
  completionIndex: number;
  completedAt: number;
  values: unknown[];
  /** For each value, the write (by position in the key's `writes`) that wrote it; undefined when none could have. */
  writers: (number | undefined)[];
}

/** A read that returned what no write could have made it return. */
export interface ImpossibleRead {
  key: unknown;
  read: OpRef;
  value: unknown;
  why: 'never written' | 'its write failed' | 'written only after the read';
}

export interface KeyHistory {
  key: unknown;
  /** In invocation order. */
  writes: WriteOp[];
  /** `ok` reads, in invocation order. */
  reads: ReadOp[];
}

export interface KeyedHistory {
  keys: KeyHistory[];
  impossible: ImpossibleRead[];
  /** Values written more than once to one key: the version order cannot tell their writes apart. */
  duplicates: { key: unknown; value: unknown }[];
}

const id = (x: unknown) => JSON.stringify(x);

export const VERSION_RULES = ['newer-wins', 'siblings'] as const;
export type VersionRule = (typeof VERSION_RULES)[number];

/** The siblings of a read's completion value. */
export function siblingsOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
}

function isKeyed(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length >= 2;
}

function ref(invoke: Op, completion: Op | undefined): OpRef {
  const r: OpRef = { index: invoke.index, process: invoke.process as number, invokedAt: invoke.time };
  if (invoke.node !== undefined) r.node = invoke.node;
  if (completion) {
    r.completionIndex = completion.index;
    r.completedAt = completion.time;
  }
  return r;
}

/** Split a history into keys, pair invocations with completions, and find which write each read value came from. */
export function keyedHistory(history: History): KeyedHistory {
  const keys = new Map<string, KeyHistory & { byValue: Map<string, number> }>();
  const keyOf = (k: unknown) => {
    let kh = keys.get(id(k));
    if (!kh) {
      kh = { key: k, writes: [], reads: [], byValue: new Map() };
      keys.set(id(k), kh);
    }
    return kh;
  };
  const duplicates: KeyedHistory['duplicates'] = [];
  const inFlight = new Map<number, { op: Op; write?: WriteOp }>();
  const readsDone: { kh: KeyHistory & { byValue: Map<string, number> }; read: Op; completion: Op }[] = [];

  for (const op of history) {
    if (typeof op.process !== 'number' || (op.f !== 'read' && op.f !== 'write')) continue;
    if (op.type === 'invoke') {
      if (op.f !== 'write' || !isKeyed(op.value)) {
        inFlight.set(op.process, { op });
        continue;
      }
      const [k, v] = op.value;
      const kh = keyOf(k);
      if (kh.byValue.has(id(v))) duplicates.push({ key: k, value: v });
      const write: WriteOp = { ...ref(op, undefined), key: k, value: v, outcome: 'pending' };
      kh.byValue.set(id(v), kh.writes.length);
      kh.writes.push(write);
      inFlight.set(op.process, { op, write });
      continue;
    }
    const inv = inFlight.get(op.process);
    inFlight.delete(op.process);
    if (!inv || inv.op.f !== op.f || !isKeyed(inv.op.value)) continue;
    if (inv.write) {
      inv.write.outcome = op.type;
      inv.write.completionIndex = op.index;
      inv.write.completedAt = op.time;
    } else if (op.type === 'ok' && isKeyed(op.value)) {
      readsDone.push({ kh: keyOf(inv.op.value[0]), read: inv.op, completion: op });
    }
  }

  const impossible: ImpossibleRead[] = [];
  for (const { kh, read, completion } of readsDone) {
    const values = siblingsOf((completion.value as unknown[])[1]);
    const r: ReadOp = { ...ref(read, completion), key: kh.key, completionIndex: completion.index, completedAt: completion.time, values, writers: [] };
    for (const v of values) {
      const w = kh.byValue.get(id(v));
      const write = w === undefined ? undefined : kh.writes[w]!;
      const why = !write ? 'never written' : write.outcome === 'fail' ? 'its write failed' : write.index > completion.index ? 'written only after the read' : undefined;
      if (why) impossible.push({ key: kh.key, read: r, value: v, why });
      r.writers.push(why ? undefined : w);
    }
    kh.reads.push(r);
  }
  for (const kh of keys.values()) kh.reads.sort((a, b) => a.index - b.index);
  return { keys: [...keys.values()].map(({ key, writes, reads }) => ({ key, writes, reads })), impossible, duplicates };
}

/** A fixed-size set of small integers. */
export class Bits {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  or(other: Bits): void {
    for (let w = 0; w < this.words.length; w++) this.words[w]! |= other.words[w]!;
  }

  and(other: Bits): void {
    for (let w = 0; w < this.words.length; w++) this.words[w]! &= other.words[w]!;
  }

  /** Every member of 0 .. size-1 that is not in this set. */
  complement(): Bits {
    const b = new Bits(this.size);
    for (let i = 0; i < this.size; i++) if (!this.has(i)) b.add(i);
    return b;
  }

  copy(): Bits {
    const b = new Bits(this.size);
    b.words.set(this.words);
    return b;
  }

  /** Members, ascending. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        yield (w << 5) + bit;
        word &= word - 1;
      }
    }
  }
}

/**
 * The version order of one key's writes: for each write, the writes older
 * than it (`older`), and, of those, the ones it replaced because its session
 * had seen them, directly or through writes whose sessions had (`seen`).
 */
export class VersionOrder {
  private readonly older: Bits[] = [];
  private readonly seen: Bits[] = [];
  private readonly newer: (Bits | undefined)[] = [];

  constructor(key: KeyHistory) {
    const { writes, reads } = key;
    const n = writes.length;
    type Event = { at: number; invoke?: number; ack?: number; read?: ReadOp };
    const events: Event[] = [];
    writes.forEach((w, i) => {
      events.push({ at: w.index, invoke: i });
      if (w.outcome === 'ok') events.push({ at: w.completionIndex!, ack: i });
    });
    for (const r of reads) events.push({ at: r.completionIndex, read: r });
    events.sort((a, b) => a.at - b.at);
    /** Writes acknowledged so far, and everything older than them. */
    const acked = new Bits(n);
    /** Per session: what it has seen, closed under `older` and under `seen`. */
    const sessions = new Map<number, { all: Bits; seen: Bits }>();
    const session = (p: number) => sessions.get(p) ?? sessions.set(p, { all: new Bits(n), seen: new Bits(n) }).get(p)!;
    const sees = (p: number, w: number) => {
      const s = session(p);
      s.all.add(w);
      s.all.or(this.older[w]!);
      s.seen.add(w);
      s.seen.or(this.seen[w]!);
    };
    for (const e of events) {
      if (e.invoke !== undefined) {
        const s = session(writes[e.invoke]!.process);
        const older = acked.copy();
        older.or(s.all);
        this.older.push(older);
        this.seen.push(s.seen.copy());
      } else if (e.ack !== undefined) {
        acked.add(e.ack);
        acked.or(this.older[e.ack]!);
        sees(writes[e.ack]!.process, e.ack);
      } else {
        // A read returns only writes invoked before it completed: their order is known by now.
        for (const w of e.read!.writers) if (w !== undefined) sees(e.read!.process, w);
      }
    }
  }

  /** The writes newer than `a`. */
  private newerThan(a: number): Bits {
    let b = this.newer[a];
    if (!b) {
      b = new Bits(this.older.length);
      this.older.forEach((older, w) => older.has(a) && b!.add(w));
      this.newer[a] = b;
    }
    return b;
  }

  /**
   * The writes that values written by `writers` reflect, by the store's rule
   * (see the module comment). An undefined writer (a value no write could
   * have produced, reported on its own) reflects everything.
   */
  reflected(writers: readonly (number | undefined)[], rule: VersionRule): Bits {
    const n = this.older.length;
    if (writers.some((w) => w === undefined)) return new Bits(n).complement();
    if (rule === 'siblings') {
      const out = new Bits(n);
      for (const w of writers as number[]) {
        out.add(w);
        out.or(this.seen[w]!);
      }
      return out;
    }
    if (writers.length === 0) return new Bits(n);
    // Missed: the writes newer than every returned value.
    const newerThanAll = this.newerThan(writers[0]!).copy();
    for (const w of writers.slice(1) as number[]) newerThanAll.and(this.newerThan(w));
    return newerThanAll.complement();
  }
}

/** A short description of an operation for evidence. */
export function describeWrite(w: WriteOp): string {
  return `write ${JSON.stringify(w.value)} by process ${w.process}${w.node ? ` via ${w.node}` : ''}`;
}

export function describeRead(r: ReadOp): string {
  return `read ${JSON.stringify(r.values)} by process ${r.process}${r.node ? ` via ${r.node}` : ''}`;
}

/** Milliseconds between two history times (ns). */
export function msBetween(fromNs: number, toNs: number): number {
  return Math.round((toNs - fromNs) / 1e5) / 10;
}
